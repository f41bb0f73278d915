//! The parts of the client runtime that models use, mounted from their one source.

#[path = "../../../generated-client/src/runtime/base64.rs"]
mod base64;
#[path = "../../../generated-client/src/runtime/build.rs"]
mod build;
// The models' decoders read through it; the client's entry points are unused here.
#[allow(dead_code)]
#[path = "../../../generated-client/src/runtime/decode.rs"]
mod decode;
// Models use `FilePart`; its multipart encoding is the client's.
#[allow(dead_code)]
#[path = "../../../generated-client/src/runtime/file.rs"]
mod file;
#[path = "../../../generated-client/src/runtime/nullable.rs"]
mod nullable;
#[path = "../../../generated-client/src/runtime/serde_helpers.rs"]
pub mod serde_helpers;

pub use base64::Base64;
pub use build::BuildError;
#[allow(unused_imports)]
pub(crate) use build::{model_builder, setters};
pub use file::FilePart;
pub use nullable::Nullable;
