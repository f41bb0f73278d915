//! The client runtime, copied into every standalone crate. Its one source is
//! `generated-client/src/runtime/`, which `posthog-api` compiles and tests.

/// Runtime files: path in the output crate, and text.
pub const FILES: &[(&str, &str)] = &[
    (
        "src/runtime/mod.rs",
        include_str!("../../generated-client/src/runtime/mod.rs"),
    ),
    (
        "src/runtime/base64.rs",
        include_str!("../../generated-client/src/runtime/base64.rs"),
    ),
    (
        "src/runtime/build.rs",
        include_str!("../../generated-client/src/runtime/build.rs"),
    ),
    (
        "src/runtime/client.rs",
        include_str!("../../generated-client/src/runtime/client.rs"),
    ),
    (
        "src/runtime/error.rs",
        include_str!("../../generated-client/src/runtime/error.rs"),
    ),
    (
        "src/runtime/nullable.rs",
        include_str!("../../generated-client/src/runtime/nullable.rs"),
    ),
    (
        "src/runtime/pagination.rs",
        include_str!("../../generated-client/src/runtime/pagination.rs"),
    ),
    (
        "src/runtime/request.rs",
        include_str!("../../generated-client/src/runtime/request.rs"),
    ),
    (
        "src/runtime/response.rs",
        include_str!("../../generated-client/src/runtime/response.rs"),
    ),
    (
        "src/runtime/stream.rs",
        include_str!("../../generated-client/src/runtime/stream.rs"),
    ),
    (
        "src/runtime/retry.rs",
        include_str!("../../generated-client/src/runtime/retry.rs"),
    ),
    (
        "src/runtime/serde_helpers.rs",
        include_str!("../../generated-client/src/runtime/serde_helpers.rs"),
    ),
];
