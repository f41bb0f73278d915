//! `cargo xtask diff`: the installed command's `diff` (`openapi_rust_cli::diff`), with the
//! settings of the spec's target in `spec/codegen.yaml` and `spec/posthog.yaml` as the
//! default SPEC of `--base`.

use generator::Settings;
pub use openapi_rust_cli::diff::{checkout_at, compare, json, lower, Args, FailOn};
use std::path::Path;

/// The spec `--base GIT_REV` compares when none is given.
const DEFAULT_SPEC: &str = "spec/posthog.yaml";

/// Parses `cargo xtask diff`'s arguments.
pub fn parse_args(args: &[String]) -> Result<Args, String> {
    openapi_rust_cli::diff::parse_args(args, Some(DEFAULT_SPEC))
}

/// The settings a spec is generated with: its target's in `spec/codegen.yaml`, or those the
/// installed command compares any document with.
pub fn settings_for(root: &Path, spec: &str) -> Settings {
    crate::codegen::target_settings(root, spec)
        .unwrap_or_else(|| openapi_rust_cli::diff::default_settings(spec))
}

/// `cargo xtask diff`.
pub fn run(root: &Path, args: &[String]) -> Result<bool, String> {
    openapi_rust_cli::diff::run(root, args, Some(DEFAULT_SPEC), &|spec| {
        settings_for(root, spec)
    })
}
