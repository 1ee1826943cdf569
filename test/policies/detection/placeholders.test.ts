import * as assert from "assert";
import { isPlaceholder } from "../../../policies/detection";

const PLACEHOLDERS = [
    "your-vault-token", "your-api-key", "YOUR_API_KEY", "yourApiKey", "<value>", "<your-token>", "<<password>>", "[YOUR_KEY]",
    "changeme", "change-me", "CHANGE_ME", "changeit", "replace-me", "REPLACE_ME", "TODO", "todo", "TBD", "FIXME",
    "xxx", "xxxxxxxx", "XXXXXXXXXXXX", "sk-xxxxxxxxxxxxxxxxxxxx", "AKIAXXXXXXXXXXXXXXXX", "*****", "••••••",
    "super-secret-api-key", "my-secret", "password", "password123", "Password1", "secret", "dummy", "example",
    "test-token", "my-ml-api-key", "placeholder", "fake-token", "sample_password", "insert-your-token-here", "s3cr3t", "none",
];

const REAL = [
    "", "   ", "Tr0ub4dor&3", "correct horse battery staple", "hvs.CAESIJ0aK9bX2q7", "Pw-9fKq2LmZx7RtYb3Nc",
    "AKIAIOSFODNN7EXAMPL2", "prod-db-01", "admin", "root", "mladmin", "trainer", "us-east-1", "sk-proj-Ab3dEf9hIj2kLm5n",
    "ghp_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789", "a".repeat(200), "k8J#2mQ!", "hunter2",
];

describe("detection/placeholders", () => {
    for (const [i, p] of PLACEHOLDERS.entries()) it(`placeholder #${i} is a placeholder`, () => assert.strictEqual(isPlaceholder(p), true, p));
    for (const [i, r] of REAL.entries()) it(`value #${i} is not a placeholder`, () => assert.strictEqual(isPlaceholder(r), false, `#${i}`));
});
