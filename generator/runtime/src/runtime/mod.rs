//! The runtime every generated client shares: configuration, authentication, the one request
//! path (with retries, timeouts, pacing and tracing), errors, responses, pagination and
//! streams.
//!
//! Nothing here is specific to one API. What differs per API (its name, default server,
//! credential scheme, environment variables, rate limits) comes from the generated client's
//! [`Api`] implementation. This module is the crate `openapi-rust-runtime`; a crate generated
//! with `--vendor-runtime` gets these files copied in as its `runtime` module instead, so
//! every path here is relative (`super::`), never through the crate root.

// Every API uses a different part of the runtime (one has no paginated lists, another no
// discriminated unions), so a helper one crate leaves unused is not dead code.
#![allow(dead_code)]

// The modules import each other in one direction (`tests/layers.rs` keeps it so), in this
// order: what stands alone (`base64`, `build`, `debug`, `decode`, `file`, `messages`, `nullable`,
// `options`, `pacing`, `retry`, `serde_helpers`, then `record`, which reads structs with
// `serde_helpers`), the API's facts and errors (`api`,
// `deviations`, `error`), one call (`request`, then `stream`, then `response`), the
// `client` that sends requests and makes responses, and what is built on the client
// (`pagination`, `mock`).
mod api;
mod base64;
mod build;
mod client;
#[doc(hidden)]
pub mod debug;
mod decode;
mod deviations;
mod error;
mod file;
mod messages;
#[cfg(feature = "test-util")]
#[doc(hidden)]
pub mod mock;
mod nullable;
mod options;
mod pacing;
mod pagination;
#[doc(hidden)]
pub mod record;
mod request;
mod response;
mod retry;
#[doc(hidden)]
pub mod serde_helpers;
mod stream;

// For generated code only: hidden, and changed only with the runtime's minor version (see
// the crate docs). A vendored copy is a private module, where what this crate's code leaves
// unused is not an error.
#[doc(hidden)]
#[allow(unused_imports)]
pub use crate::{__model_builder as model_builder, __setters as setters};
#[doc(hidden)]
#[allow(unused_imports)]
pub use api::{ApiInfo, Auth};
#[doc(hidden)]
#[allow(unused_imports)]
pub use client::Api;
#[doc(hidden)]
#[allow(unused_imports)]
pub use pagination::Counter;
#[doc(hidden)]
#[allow(unused_imports)]
pub use request::{QueryStyle, Request};
#[doc(hidden)]
#[allow(unused_imports)]
pub use reqwest::Method;
#[doc(hidden)]
#[allow(unused_imports)]
pub use response::RawResponse;
#[doc(hidden)]
#[allow(unused_imports)]
pub use stream::Framing;

pub use base64::Base64;
pub use build::BuildError;
pub use client::{ClientBuilder, ClientCore};
pub use decode::{Decoding, Deviation, DeviationKind};
pub use error::{ApiError, DecodeError, Error, ErrorBody, Stage};
pub use file::FilePart;
pub use messages::FieldError;
pub use nullable::Nullable;
pub use options::CallOptions;
pub use pacing::{Quota, RateLimits};
pub use pagination::Paginator;
pub use response::ApiResponse;
pub use retry::RetryPolicy;
pub use stream::{ByteStream, ItemStream};

/// The items a generated crate's root re-exports (besides its own `Client` and
/// `ClientBuilder`).
#[doc(hidden)]
pub mod exports {
    pub use super::{
        ApiError, ApiResponse, Base64, BuildError, ByteStream, CallOptions, DecodeError, Decoding,
        Deviation, DeviationKind, Error, ErrorBody, FieldError, FilePart, ItemStream, Nullable,
        Paginator, Quota, RateLimits, RetryPolicy, Stage,
    };
    // The HTTP library and its middleware, at the versions the client is built with.
    pub use reqwest;
    pub use reqwest_middleware;
}
