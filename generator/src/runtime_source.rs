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
        "src/runtime/decode.rs",
        include_str!("../../generated-client/src/runtime/decode.rs"),
    ),
    (
        "src/runtime/deviations.rs",
        include_str!("../../generated-client/src/runtime/deviations.rs"),
    ),
    (
        "src/runtime/error.rs",
        include_str!("../../generated-client/src/runtime/error.rs"),
    ),
    (
        "src/runtime/file.rs",
        include_str!("../../generated-client/src/runtime/file.rs"),
    ),
    (
        "src/runtime/messages.rs",
        include_str!("../../generated-client/src/runtime/messages.rs"),
    ),
    (
        "src/runtime/mock.rs",
        include_str!("../../generated-client/src/runtime/mock.rs"),
    ),
    (
        "src/runtime/nullable.rs",
        include_str!("../../generated-client/src/runtime/nullable.rs"),
    ),
    (
        "src/runtime/options.rs",
        include_str!("../../generated-client/src/runtime/options.rs"),
    ),
    (
        "src/runtime/pacing.rs",
        include_str!("../../generated-client/src/runtime/pacing.rs"),
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

#[cfg(test)]
mod tests {
    /// Every file of the runtime is copied: a new one left off this list would make every
    /// standalone crate fail to build.
    #[test]
    fn every_runtime_file_is_listed() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../generated-client/src/runtime");
        let mut on_disk: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| format!("src/runtime/{}", e.unwrap().file_name().to_string_lossy()))
            .collect();
        on_disk.sort();
        let mut listed: Vec<String> = super::FILES.iter().map(|(p, _)| p.to_string()).collect();
        listed.sort();
        assert_eq!(listed, on_disk);
    }
}
