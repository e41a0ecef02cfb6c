//! PILLAR-LMB-004: functions on a runtime Lambda has deprecated.

use pillar_rule_sdk::prelude::*;

use crate::{DEPRECATED_RUNTIME, name, unknown};

/// Runtimes whose deprecation date, on AWS's "Lambda runtimes" page
/// (https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html,
/// "Deprecated runtimes" and "Supported runtimes"), is on or before
/// 2026-12-07, with that date. Runtimes on Amazon Linux 2 whose dates AWS
/// has moved (java8.al2, java11, java17, python3.10, python3.11,
/// provided.al2) are not listed: rules/catalog/lambda.toml says why.
pub const DEPRECATED: &[(&str, &str)] = &[
    ("nodejs", "2016-10-31"),
    ("nodejs4.3", "2020-03-06"),
    ("nodejs4.3-edge", "2019-04-30"),
    ("nodejs6.10", "2019-08-12"),
    ("nodejs8.10", "2020-03-06"),
    ("nodejs10.x", "2021-07-30"),
    ("nodejs12.x", "2023-03-31"),
    ("nodejs14.x", "2023-12-04"),
    ("nodejs16.x", "2024-06-12"),
    ("nodejs18.x", "2025-09-01"),
    ("nodejs20.x", "2026-04-30"),
    ("python2.7", "2021-07-15"),
    ("python3.6", "2022-07-18"),
    ("python3.7", "2023-12-04"),
    ("python3.8", "2024-10-14"),
    ("python3.9", "2025-12-15"),
    ("ruby2.5", "2021-07-30"),
    ("ruby2.7", "2023-12-07"),
    ("ruby3.2", "2026-03-31"),
    ("java8", "2024-01-08"),
    ("go1.x", "2024-01-08"),
    ("provided", "2024-01-08"),
    ("dotnetcore1.0", "2019-07-30"),
    ("dotnetcore2.0", "2019-05-30"),
    ("dotnetcore2.1", "2022-01-05"),
    ("dotnetcore3.1", "2023-04-03"),
    ("dotnet5.0", "2022-05-10"),
    ("dotnet6", "2024-12-20"),
    ("dotnet7", "2024-05-14"),
    ("dotnet8", "2026-11-10"),
];

/// The date `runtime` was deprecated, if it is in [`DEPRECATED`].
pub fn deprecated_since(runtime: &str) -> Option<&'static str> {
    DEPRECATED
        .iter()
        .find(|(r, _)| *r == runtime)
        .map(|(_, date)| *date)
}

/// A function packaged as a zip archive whose runtime is deprecated.
/// Container images carry their own runtime and are not judged.
pub fn deprecated(i: usize, f: &Resource, out: &mut dyn Sink) {
    match f.attr("/package_type") {
        Attr::Unknown => {
            return unknown(
                DEPRECATED_RUNTIME,
                i,
                f,
                "the package type",
                "/package_type",
                out,
            );
        }
        a if a.as_str() == Some("Image") => return,
        _ => {}
    }
    let at = "/runtime";
    match f.attr(at) {
        Attr::Unknown => unknown(DEPRECATED_RUNTIME, i, f, "the runtime", at, out),
        a => {
            let Some(runtime) = a.as_str() else { return };
            if let Some(date) = deprecated_since(runtime) {
                out.fail(
                    DEPRECATED_RUNTIME,
                    i,
                    format!(
                        "{}: runtime {runtime} was deprecated on {date}: it gets no security patches",
                        name(f)
                    ),
                    Some(at.into()),
                );
            }
        }
    }
}
