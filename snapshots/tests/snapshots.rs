//! insta snapshots of the generator's output: for every fixture spec and for the PostHog spec,
//! the IR (every decision, as data) and the emitted code. The `.snap` files live in the
//! top-level `snapshots/ir/` and `snapshots/code/` folders.

use generator::{GeneratedFile, Layout, Settings, TagFeatures};
use std::path::{Path, PathBuf};

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("snapshots/ is inside the workspace")
        .to_path_buf()
}

fn load(relative: &str) -> openapiv3::OpenAPI {
    let text =
        std::fs::read_to_string(workspace_root().join(relative)).expect("fixture spec is readable");
    generator::parse_document(&text).unwrap_or_else(|e| panic!("{relative}: {e}"))
}

/// All generated files as one text, each behind a line naming its path. The runtime a
/// standalone crate copies is hand-written, so it is left out.
fn joined(files: &[GeneratedFile]) -> String {
    files
        .iter()
        .filter(|f| !f.path.starts_with("src/runtime/"))
        .map(|f| format!("=== {} ===\n{}", f.path, f.contents))
        .collect::<Vec<_>>()
        .join("\n")
}

fn snapshot(name: &str, relative: &str, settings: &Settings) {
    let doc = load(relative);
    generator::validate(&doc).unwrap_or_else(|e| panic!("{relative}: {e}"));
    let api = generator::lower(&doc, settings).unwrap_or_else(|e| panic!("{relative}: {e}"));
    let files = generator::generate(&doc, settings).unwrap_or_else(|e| panic!("{relative}: {e}"));
    insta::with_settings!({ snapshot_path => "../ir", prepend_module_to_snapshot => false, description => relative }, {
        insta::assert_debug_snapshot!(name, api);
    });
    insta::with_settings!({ snapshot_path => "../code", prepend_module_to_snapshot => false, description => relative }, {
        insta::assert_snapshot!(name, joined(&files));
    });
}

fn fixture(name: &str) {
    let relative = format!("spec/fixtures/{name}.yaml");
    let settings = Settings::new(format!("fixture-{name}"), relative.clone());
    snapshot(name, &relative, &settings);
}

/// A fixture spec without a snapshot means someone forgot to list it in `fixtures!` below.
#[test]
fn every_fixture_has_a_snapshot() {
    let root = workspace_root();
    let missing: Vec<String> = std::fs::read_dir(root.join("spec/fixtures"))
        .expect("spec/fixtures exists")
        .flatten()
        .filter_map(|e| {
            e.path()
                .file_stem()
                .and_then(|s| s.to_str())
                .map(str::to_owned)
        })
        .filter(|name| !root.join(format!("snapshots/code/{name}.snap")).exists())
        .collect();
    assert!(
        missing.is_empty(),
        "fixture specs without a snapshot test: {missing:?}"
    );
}

macro_rules! fixtures {
    ($($name:ident),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                fixture(stringify!($name));
            }
        )*
    };
}

fixtures!(
    object,
    enums,
    arrays,
    maps,
    refs,
    nullable,
    parameters,
    patch,
    read_write_only,
    drf_enums,
    composition,
    free_form,
    formats,
    names,
    docs,
    recursion,
    operations,
    real_world,
    repeated_inline,
);

/// A standalone crate with a cargo feature per group (on for this small API only because the
/// test asks for it).
#[test]
fn tag_features() {
    let relative = "spec/fixtures/tag_features.yaml";
    let settings = Settings {
        tag_features: TagFeatures::Always,
        ..Settings::new("fixture-tag-features", relative).with_layout(Layout::Standalone)
    };
    snapshot("tag_features", relative, &settings);
}

#[test]
fn posthog() {
    let settings = Settings {
        api_key_env: Some("POSTHOG_PERSONAL_API_KEY".into()),
        base_url_env: Some("POSTHOG_HOST".into()),
        ..Settings::new("posthog-api", "spec/posthog.yaml")
    };
    snapshot("posthog", "spec/posthog.yaml", &settings);
}
