//! `source::FILES` (what `--vendor-runtime` copies) is every file of the runtime module, as
//! it is: a file added to the runtime and forgotten there would make vendored crates fail to
//! build.

#[test]
fn the_source_text_is_every_runtime_file() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/runtime");
    let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    on_disk.sort();
    let listed: Vec<String> = openapi_rust_runtime::source::FILES
        .iter()
        .map(|(name, _)| name.to_string())
        .collect();
    assert_eq!(listed, on_disk);
    for (name, text) in openapi_rust_runtime::source::FILES {
        assert_eq!(
            *text,
            std::fs::read_to_string(dir.join(name)).unwrap(),
            "{name}"
        );
    }
}
