//! Terraform plans (`terraform show -json`) into the pillar resource model.
//!
//! Every rule runs unchanged on a plan: resources become
//! [`pillar_snapshot::Resource`]s whose id is the Terraform address, values
//! computed at apply time are listed as unknown, split resources are joined
//! onto what they configure through the configuration's references, and
//! each resource is located in its `.tf` file when the sources are given.
//! See `docs/resource-model.md` ("In a plan") for the facts per attribute.

mod address;
mod config;
mod convert;
mod document;
mod error;
mod join;
mod locate;
mod normalise;
mod pointer;
mod sensitive;
mod world;

#[cfg(test)]
mod tests;

#[cfg(test)]
mod smoke;

pub use convert::{Converted, Options, from_bytes, read};
pub use error::PlanError;
