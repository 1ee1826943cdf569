import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { checkStringifiedOutputs } from "../../../policies/rules/no-stringified-outputs";
import { Case, neverThrows, runCases, secret, subject, UNKNOWN_STRING } from "../../helpers/rule-cases";
import { fake } from "../../helpers/secrets";

// The texts the pinned SDK stores: JSON.stringify of an Output calls toJSON, a template literal calls toString.
const out = pulumi.output("from-config");
const json = (v: unknown) => JSON.stringify(v);
const template = `${out}`;
const TASK = "aws:ecs/taskDefinition:TaskDefinition";
const LAMBDA = "aws:lambda/function:Function";

const cases: Case[] = [
    {
        name: "container definitions made with JSON.stringify of an object holding an Output",
        type: TASK,
        props: { family: "ml", containerDefinitions: json([{ name: "app", environment: [{ name: "REGION", value: "us-west-2" }, { name: "HF_TOKEN", value: out }] }]) },
        expect: "fail", count: 1,
        match: [/'res' \(aws:ecs\/taskDefinition:TaskDefinition\) input containerDefinitions\{json\}\[0\]\.environment\[1\]\.value/,
            /Calling \[toJSON\] on an \[Output<T>\] is not supported/, /JSON\.stringify/, /pulumi\.jsonStringify/],
    },
    {
        name: "a Lambda environment variable built with a template literal",
        type: LAMBDA,
        props: { environment: { variables: { OPENAI_API_KEY: template, STAGE: "dev" } } },
        expect: "fail", count: 1,
        match: [/input environment\.variables\.OPENAI_API_KEY/, /Calling \[toString\]/, /pulumi\.interpolate/, /\.apply\(/],
    },
    {
        name: "both texts in one string name both fixes",
        props: { userData: `export TOKEN=${out}\necho '${json({ a: out })}'` },
        expect: "fail", count: 1, match: [/toString\].*toJSON\]|toJSON\].*toString\]/, /pulumi\.jsonStringify/, /pulumi\.interpolate/],
    },
    { name: "secret-wrapped, it is still the text", props: { password: secret(template) }, expect: "fail", count: 1, match: [/input password/] },
    { name: "a JSON string that does not parse is reported at the property", props: { doc: `{"a": ${json(out)}` }, expect: "fail", count: 1, match: [/input doc holds/] },
    {
        name: "values built the right way: pulumi.jsonStringify / interpolate results, unknowns, secrets",
        type: TASK,
        props: { containerDefinitions: json([{ environment: [{ name: "HF_TOKEN", value: "hf-from-config" }] }]), later: UNKNOWN_STRING, token: secret("x") },
        expect: "pass",
    },
    { name: "a real credential is not this policy's business", props: { apiKey: fake.openai() }, expect: "pass" },
    { name: "no props", props: {}, expect: "pass" },
];

describe("no-stringified-outputs rule", () => {
    runCases("cases", "aws:ssm/parameter:Parameter", cases, (s) => checkStringifiedOutputs(s));
    neverThrows("aws:ssm/parameter:Parameter", ["value", "environment", "variables", "containerDefinitions"], (s) => checkStringifiedOutputs(s));

    it("one finding per leaf, not one for the JSON document and one for its leaf", () => {
        const o = checkStringifiedOutputs(subject(TASK, { containerDefinitions: json([{ environment: [{ name: "A", value: out }, { name: "B", value: out }] }]) }));
        assert.deepStrictEqual((o as { findings: { message: string }[] }).findings.map((f) => /input (\S+)/.exec(f.message)?.[1]),
            ["containerDefinitions{json}[0].environment[0].value", "containerDefinitions{json}[0].environment[1].value"]);
    });
});
