//! The hand-written runtime that every generated client shares: configuration,
//! authentication, the one request path (with retries, timeouts and tracing), errors,
//! responses and pagination.
//!
//! Generated code calls into this module; nothing here is specific to one API. What differs
//! per API (its name, default server, credential scheme, environment variables) comes from
//! `crate::API`, which the generator writes into `lib.rs`. `cargo xtask generate` copies these
//! files verbatim into every standalone crate it makes, so this is the one source of truth.

// Every API uses a different part of the runtime (one has no paginated lists, another no
// discriminated unions), so a helper one crate leaves unused is not dead code.
#![allow(dead_code)]

mod base64;
mod build;
mod client;
mod decode;
mod deviations;
mod error;
mod file;
mod messages;
#[cfg(feature = "test-util")]
pub(crate) mod mock;
mod nullable;
mod options;
mod pacing;
mod pagination;
mod request;
mod response;
mod retry;
pub(crate) mod serde_helpers;
mod stream;

pub(crate) use client::{ApiInfo, Auth};
// Not every API has styled query parameters (or any operation at all).
#[allow(unused_imports)]
pub(crate) use request::{QueryStyle, Request};
#[allow(unused_imports)]
pub(crate) use reqwest::Method;
#[allow(unused_imports)]
pub(crate) use response::RawResponse;
#[allow(unused_imports)]
pub(crate) use stream::Framing;

pub use base64::Base64;
pub use build::BuildError;
// Used by generated models; a crate generated with exhaustive types has none.
#[allow(unused_imports)]
pub(crate) use build::{model_builder, setters};
pub use client::{Client, ClientBuilder};
pub use decode::{Decoding, Deviation, DeviationKind};
pub use error::{ApiError, DecodeError, Error, ErrorBody, FieldError, Stage};
pub use file::FilePart;
pub use nullable::Nullable;
pub use options::CallOptions;
pub use pacing::{Quota, RateLimits};
// Used by lists counted by page number or offset; not every API has one.
#[allow(unused_imports)]
pub(crate) use pagination::Counter;
pub use pagination::Paginator;
pub use response::ApiResponse;
pub use retry::RetryPolicy;
pub use stream::{ByteStream, ItemStream};

/// The items the crate root re-exports.
pub mod exports {
    pub use super::{
        ApiError, ApiResponse, Base64, BuildError, ByteStream, CallOptions, Client, ClientBuilder,
        DecodeError, Decoding, Deviation, DeviationKind, Error, ErrorBody, FieldError, FilePart,
        ItemStream, Nullable, Paginator, Quota, RateLimits, RetryPolicy, Stage,
    };
    // The HTTP library and its middleware, at the versions the client is built with.
    pub use reqwest;
    pub use reqwest_middleware;
}
