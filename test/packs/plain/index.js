"use strict";
const { PolicyPack } = require("@pulumi/policy");

new PolicyPack("mlsg-plain", {
    policies: [
        {
            name: "kms-rotation",
            description: "KMS keys must rotate.",
            enforcementLevel: "mandatory",
            validateResource: (args, report) => {
                if (args.type === "aws:kms/key:Key" && args.props.enableKeyRotation !== true) {
                    report("enableKeyRotation is not true");
                }
            },
        },
        {
            name: "bucket-note",
            description: "Buckets are noted.",
            enforcementLevel: "advisory",
            validateResource: (args, report) => {
                if (args.type === "aws:s3/bucket:Bucket") report("bucket seen");
            },
        },
    ],
});
