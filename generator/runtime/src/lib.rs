//! The runtime of the Rust clients `openapi-rust-generator` makes from OpenAPI documents:
//! configuration, credentials, the one request path (retries, timeouts, deadlines, pacing,
//! middleware, tracing), errors, responses, pagination, streams and the test kit.
//!
//! A generated crate depends on this one and re-exports what its users need (`Error`,
//! `ApiResponse`, `RetryPolicy`, ...), so a program using two generated clients compiles
//! the runtime once, and a runtime fix reaches every client with `cargo update`.
//!
//! # For users and for generated code
//!
//! Everything shown in these docs is the runtime's public API, under semver: a generated
//! client's users reach it through that client's crate. Items hidden from the docs (`Api`,
//! `ApiInfo`, `Request`, `RawResponse`, `serde_helpers`, `record`, `debug`, the `mock` module's
//! internals, the macros) are the interface between the runtime and the code the generator
//! writes. They are not for hand-written code and may change in any release that changes
//! the minor version while the major version is 0 (the major version after 1.0).
//!
//! # Versions
//!
//! A generated crate requires `^X.Y.Z` of the runtime it was generated with. A runtime
//! release that changes the hidden interface, or breaks the public API, raises the minor
//! version (0.x) so that Cargo never pairs a generated crate with a runtime it was not made
//! for; anything else is a patch release. `CHANGELOG.md` lists every release.
//!
//! # Features
//!
//! - `client` (default): the runtime itself. Without it only [`source`] is built, which is
//!   what the generator needs to copy the runtime into a crate (`--vendor-runtime`).
//! - `rustls` (default) or `native-tls`: the TLS backend.
//! - `compression` (default): gzip, brotli, deflate and zstd responses.
//! - `test-util`: the test kit behind a generated crate's `mock` module.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

#[doc(hidden)]
pub mod source;

#[cfg(feature = "client")]
mod runtime;
#[cfg(feature = "client")]
pub use runtime::*;
