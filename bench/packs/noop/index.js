// The no-op policy pack: the floor the benchmarks compare ml-secrets-guard against. @pulumi/policy and
// @pulumi/pulumi resolve from the repository's node_modules, so it loads exactly what our pack loads, minus our code.
"use strict";
const { PolicyPack } = require("@pulumi/policy");

new PolicyPack("noop", { policies: [] });
