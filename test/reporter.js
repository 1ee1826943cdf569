// Mocha's spec reporter, plus the plain closing line "N passed, N failed" that CI reads.
"use strict";
const Mocha = require("mocha");
const { EVENT_RUN_END } = Mocha.Runner.constants;

class SpecWithTotals extends Mocha.reporters.Spec {
    constructor(runner, options) {
        super(runner, options);
        runner.once(EVENT_RUN_END, () => {
            const s = runner.stats || {};
            const skipped = s.pending ? `, ${s.pending} skipped` : "";
            process.stdout.write(`\ntests: ${s.passes || 0} passed, ${s.failures || 0} failed${skipped}\n`);
        });
    }
}
module.exports = SpecWithTotals;
