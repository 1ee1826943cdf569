// Preloaded into a profiled pack (NODE_OPTIONS=--require): turns SIGTERM into a normal exit, so that --cpu-prof
// writes its profile (it does so only when the process exits normally).
process.on("SIGTERM", () => process.exit(0));
