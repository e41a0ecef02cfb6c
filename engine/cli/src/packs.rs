//! Packs as the command line names them: the built-in packs this binary
//! embeds (unless `--no-builtin`) and `--rules` paths, besides the
//! project's `[plugins]`.

use anyhow::Result;
use pillar_evaluate::{Host, PackSource};
use pillar_scan::{PackRequest, Packs, Project};

use crate::args::PackArgs;

/// The host the sandbox flags describe, and the packs loaded into it.
pub fn load(args: &PackArgs, project: &Project) -> Result<(Host, Packs)> {
    let host = args.sandbox.host()?;
    let builtin = if args.no_builtin {
        Vec::new()
    } else {
        pillar_builtin_packs::BUILTIN
            .iter()
            .map(|p| PackSource::builtin(p.file_name, p.bytes))
            .collect()
    };
    let request = PackRequest {
        builtin,
        extra: &args.rules,
        require_sha256: &args.require_sha256,
    };
    let packs = pillar_scan::load_packs(&host, project, request)?;
    Ok((host, packs))
}

/// [`load`] with the project of `--config` (or ./pillar.toml), for
/// commands that read nothing else of it.
pub fn load_for(args: &PackArgs) -> Result<(Host, Packs)> {
    load(args, &Project::discover(args.config.as_deref())?)
}
