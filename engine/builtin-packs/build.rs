//! Builds the built-in rule packs in `plugins/` for `wasm32-wasip2` and
//! generates `$OUT_DIR/packs.rs`, which embeds them. Only these packages
//! are built: the hostile test packs belong to the dev-only
//! `pillar-test-packs`, so a release build of the CLI compiles none of them.

use std::fmt::Write as _;

use pillar_guest_build::{Guests, repository_root, watch};

/// The packs that ship inside the `pillar` binary, by `plugins/<dir>`.
const BUILTIN: &[&str] = &[
    "ec2",
    "rds",
    "s3",
    "iam",
    "vpc",
    "tags",
    "elbv2",
    "wafv2",
    "kms",
    "cloudtrail",
    "logs",
    "secretsmanager",
    "guardduty",
    "awsconfig",
    "ssm",
    "cloudfront",
    "cloudwatch",
    "ecr",
    "ecs",
    "lambda",
    "messaging",
    "dynamodb",
    "elasticache",
    "efs",
    "autoscaling",
    "eks",
    "backup",
];

fn main() {
    pillar_guest_build::main(run);
}

fn run() -> Result<(), String> {
    let root = repository_root()?;
    // The packs' metadata is generated from the rule catalog by
    // plugins/catalog's build script: an input the dep-info files, which
    // list only compiled sources, do not name.
    watch(&root.join("rules/catalog/"));
    watch(&root.join("wit"));
    let packages: Vec<String> = BUILTIN.iter().map(|p| format!("pillar-pack-{p}")).collect();
    let built = Guests {
        root: &root,
        packages: &packages,
        label: "builtin",
    }
    .build()?;
    if built.len() != BUILTIN.len() {
        return Err(format!(
            "expected {} built-in components, built {:?}",
            BUILTIN.len(),
            built
        ));
    }

    let mut code = String::from(
        "/// The built-in rule packs, embedded in the binary.\npub const BUILTIN: &[Pack] = &[\n",
    );
    for c in &built {
        let _ = writeln!(
            code,
            "    Pack {{ file_name: \"{}.wasm\", bytes: include_bytes!({:?}) }},",
            c.stem, c.path
        );
    }
    code.push_str("];\n");
    pillar_guest_build::write_generated("packs.rs", &code)
}
