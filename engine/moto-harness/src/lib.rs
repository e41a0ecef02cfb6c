//! Test support for live collection, with real parts only:
//!
//! - [`Moto`]: one `moto_server` (pin 5.1.22) per test binary on a free
//!   loopback port, reset between tests, killed when the binary exits (even
//!   after a panic or abort: see [`server`]).
//! - [`seed`]: fills it through the real aws-sdk clients.
//! - [`http`]: tiny loopback HTTP servers: a proxy in front of moto that
//!   throttles or fails chosen calls, and a server replaying recorded AWS
//!   responses for APIs moto lacks.
//! - [`cbor`]: encodes a recorded response for a Smithy RPC v2 CBOR API
//!   (CloudWatch), which moto does not speak.

pub mod cbor;
pub mod http;
pub mod securityhub;
pub mod seed;
pub mod server;
pub mod serverless;

pub use server::{ACCOUNT, Moto, PrivateMoto, moto, private_moto};
