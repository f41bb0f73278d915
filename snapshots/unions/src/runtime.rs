//! posthog-api's hand-written runtime, mounted from its one source.
#[path = "../../../generated-client/src/runtime/mod.rs"]
mod shared;
pub use shared::*;
