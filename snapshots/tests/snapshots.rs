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

/// Reads the other files of multi-file fixtures.
struct Files;

impl generator::FileReader for Files {
    fn read(&self, path: &str) -> Result<String, String> {
        std::fs::read_to_string(workspace_root().join(path)).map_err(|e| e.to_string())
    }
}

/// Loads a spec as `cargo xtask codegen` does, with the overlays of its fixture folder.
fn load(relative: &str) -> generator::Document {
    let text =
        std::fs::read_to_string(workspace_root().join(relative)).expect("fixture spec is readable");
    let folder = Path::new(relative).parent().expect("specs sit in a folder");
    let mut overlays: Vec<(String, String)> = Vec::new();
    if folder != Path::new("spec/fixtures") && folder != Path::new("spec") {
        let mut names: Vec<String> = std::fs::read_dir(workspace_root().join(folder))
            .expect("the fixture folder is readable")
            .flatten()
            .filter_map(|e| e.file_name().to_str().map(str::to_owned))
            .filter(|f| f.starts_with("overlay"))
            .collect();
        names.sort();
        for name in names {
            let path = folder.join(&name).display().to_string();
            let text = std::fs::read_to_string(workspace_root().join(&path)).expect("readable");
            overlays.push((path, text));
        }
    }
    let options = generator::LoadOptions {
        overlays,
        files: Some(&Files),
        ..Default::default()
    };
    generator::load(relative, &text, &options).unwrap_or_else(|e| panic!("{e}"))
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
    let root = workspace_root();
    let folder = format!("spec/fixtures/{name}");
    let relative = if root.join(&folder).is_dir() {
        [
            "openapi.yaml",
            "openapi.json",
            "swagger.yaml",
            "swagger.json",
        ]
        .iter()
        .map(|f| format!("{folder}/{f}"))
        .find(|p| root.join(p).exists())
        .expect("a fixture folder has a root document")
    } else {
        ["yaml", "json"]
            .iter()
            .map(|e| format!("{folder}.{e}"))
            .find(|p| root.join(p).exists())
            .expect("the fixture spec exists")
    };
    // Most fixtures describe models only.
    let settings = Settings {
        allow_no_operations: true,
        ..Settings::new(format!("fixture-{name}"), relative.clone())
    };
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
    drf_imperfect,
    swagger2_bare,
    fastapi_hints,
    unions,
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
    oas31,
    oas31_ids,
    oas31_models_only,
    oas32,
    swagger2_quirks,
    swagger2_xkcd,
    swagger2_apis_guru,
    multi_file,
    overlay,
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
