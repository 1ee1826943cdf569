import * as assert from "assert";
import {
    BaselineError, CheckerError, checkerErrorExit, PackStartError, PolicyConfigError, PolicyRunError, ProgramError, ScenarioError,
    StateError, UsageError,
} from "../../checker/errors";
import { main } from "../../checker/cli";
import { EXIT_ERROR } from "../../checker/types";

describe("checker/errors", () => {
    it("gives each expected error its own kind, and the kind decides the exit status and the wording", () => {
        const all: CheckerError[] = [
            new UsageError("u"), new ProgramError("p"), new PackStartError("s"), new PolicyRunError("r"),
            new PolicyConfigError("c"), new StateError("t"), new BaselineError("b"), new ScenarioError("n"),
        ];
        assert.strictEqual(new Set(all.map((e) => e.kind)).size, all.length);
        for (const e of all) {
            assert.ok(e instanceof Error && e instanceof CheckerError);
            assert.strictEqual(checkerErrorExit(e).exitCode, EXIT_ERROR, e.kind);
        }
        assert.strictEqual(checkerErrorExit(new ProgramError("boom")).message, "error: the program failed: boom\n");
        assert.strictEqual(checkerErrorExit(new StateError("bad export")).message, "error: bad export\n");
    });

    it("reports a CheckerError from a command as a plain message with its exit status, not as an internal error", async () => {
        let stderr = "";
        const write = process.stderr.write;
        process.stderr.write = ((s: string) => { stderr += s; return true; }) as typeof process.stderr.write;
        let code: number;
        try {
            code = await main(["check", "--state", "/nonexistent/ml-secrets-guard-state.json"]);
        } finally {
            process.stderr.write = write;
        }
        assert.strictEqual(code, EXIT_ERROR);
        assert.match(stderr, /^error: cannot read state file \/nonexistent\/ml-secrets-guard-state\.json: ENOENT/);
        assert.ok(!stderr.includes("internal error"), stderr);
    });
});
