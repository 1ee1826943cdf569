"use strict";
console.log("loading noisy policies...");
const { PolicyPack } = require("@pulumi/policy");
new PolicyPack("mlsg-noisy", { policies: [] });
