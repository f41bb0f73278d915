//! The runtime's own source text, for generators: `--vendor-runtime` copies these files into
//! a generated crate as its `runtime` module, for people who want a crate that depends on no
//! runtime crate. Available without the `client` feature, so that a generator gets the text
//! without building an HTTP stack.

/// This runtime's version: what a generated crate's dependency requires (`^VERSION`).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The files of the runtime module: path under `src/runtime/`, and text.
pub const FILES: &[(&str, &str)] = &[
    ("api.rs", include_str!("runtime/api.rs")),
    ("base64.rs", include_str!("runtime/base64.rs")),
    ("build.rs", include_str!("runtime/build.rs")),
    ("client.rs", include_str!("runtime/client.rs")),
    ("debug.rs", include_str!("runtime/debug.rs")),
    ("decode.rs", include_str!("runtime/decode.rs")),
    ("deviations.rs", include_str!("runtime/deviations.rs")),
    ("error.rs", include_str!("runtime/error.rs")),
    ("file.rs", include_str!("runtime/file.rs")),
    ("messages.rs", include_str!("runtime/messages.rs")),
    ("mock.rs", include_str!("runtime/mock.rs")),
    ("mod.rs", include_str!("runtime/mod.rs")),
    ("nullable.rs", include_str!("runtime/nullable.rs")),
    ("options.rs", include_str!("runtime/options.rs")),
    ("pacing.rs", include_str!("runtime/pacing.rs")),
    ("pagination.rs", include_str!("runtime/pagination.rs")),
    ("record.rs", include_str!("runtime/record.rs")),
    ("request.rs", include_str!("runtime/request.rs")),
    ("response.rs", include_str!("runtime/response.rs")),
    ("retry.rs", include_str!("runtime/retry.rs")),
    ("serde_helpers.rs", include_str!("runtime/serde_helpers.rs")),
    ("stream.rs", include_str!("runtime/stream.rs")),
];
