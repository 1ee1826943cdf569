// ESLint (flat config) with typescript-eslint's recommended rules, as pulumi/pulumi and pulumi/pulumi-policy use.
// Not type-aware, so it stays fast. Runs in `npm test` through `npm run lint`; a disable comment that no longer
// matches a problem is itself an error.
import eslint from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
    {
        // Fixture programs are users' programs as written (unused names and all), transpiled by the checker at run
        // time and outside tsconfig.json; they stay as they are.
        ignores: ["dist/**", "**/node_modules/**", "bench/.scratch/**", ".bench-tmp/**", "test/fixtures/**", "test/programs/**"],
    },
    { linterOptions: { reportUnusedDisableDirectives: "error" } },
    eslint.configs.recommended,
    ...tseslint.configs.recommended,
    {
        languageOptions: {
            ecmaVersion: 2022,
            sourceType: "commonjs",
            globals: {
                require: "readonly", module: "writable", exports: "writable", process: "readonly",
                __dirname: "readonly", __filename: "readonly", console: "readonly",
            },
        },
        rules: {
            // The checker and the engine hook load modules by resolved path at run time (the program's own
            // @pulumi/pulumi, @pulumi/policy internals) and handle protobuf and JSON of unknown shape.
            "@typescript-eslint/no-require-imports": "off",
            "@typescript-eslint/no-explicit-any": "off",
            // `_`-prefixed names are deliberately unused.
            "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
        },
    },
);
