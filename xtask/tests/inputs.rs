//! Reading every kind of input: PostHog's spec as drf-spectacular's OpenAPI 3.1 gives the same
//! client as the 3.0.3 one, and bad input gets one clear line naming the file and the pointer.

use std::path::Path;
use xtask::generate::{generate_files, parse_args};

fn settings() -> generator::Settings {
    generator::Settings {
        api_key_env: Some("POSTHOG_PERSONAL_API_KEY".into()),
        base_url_env: Some("POSTHOG_HOST".into()),
        ..generator::Settings::new("posthog-api", "spec/posthog.yaml")
    }
}

#[test]
fn posthog_as_openapi_3_1_gives_the_same_client() {
    let root = xtask::workspace_root();
    let generate = |spec: &str| {
        let doc = xtask::spec::load(&root, spec, &[], false).unwrap();
        generator::generate(&doc, &settings()).unwrap()
    };
    let from_30 = generate("spec/posthog.yaml");
    let from_31 = generate("spec/posthog-oas31.yaml");
    assert_eq!(from_30.len(), from_31.len());
    for (a, b) in from_30.iter().zip(&from_31) {
        assert_eq!(a.path, b.path);
        if a.contents != b.contents {
            let diff = similar::TextDiff::from_lines(&a.contents, &b.contents)
                .unified_diff()
                .context_radius(2)
                .to_string();
            panic!(
                "{} differs:\n{}",
                a.path,
                diff.chars().take(4000).collect::<String>()
            );
        }
    }
}

/// Writes `files` (path, text) under a new temporary folder.
fn tree(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

/// The error `cargo xtask generate` stops with for the root document of `dir`.
fn generate_error(dir: &Path, extra: &[&str]) -> String {
    let spec = dir.join("openapi.yaml").display().to_string();
    let out = dir.join("out").display().to_string();
    let mut args: Vec<String> = vec!["--spec".into(), spec, "--out".into(), out];
    args.extend(extra.iter().map(|s| s.to_string()));
    match generate_files(&parse_args(&args).unwrap()) {
        Ok(_) => panic!("generating {} should fail", dir.display()),
        Err(e) => e,
    }
}

const HEAD: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\n";

#[test]
fn bad_input_gets_one_line_naming_file_and_pointer() {
    let dir = tree(&[(
        "openapi.yaml",
        &format!("{HEAD}paths:\n  /a:\n    $ref: paths/missing.yaml\n"),
    )]);
    let err = generate_error(dir.path(), &[]);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("openapi.yaml: #/paths/~1a/$ref: $ref points at `"),
        "{err}"
    );
    assert!(
        err.contains("paths/missing.yaml`, which cannot be read"),
        "{err}"
    );

    let dir = tree(&[
        (
            "openapi.yaml",
            &format!("{HEAD}paths:\n  /a:\n    $ref: a.yaml\n"),
        ),
        ("a.yaml", "$ref: b.yaml\n"),
        ("b.yaml", "$ref: a.yaml\n"),
    ]);
    let err = generate_error(dir.path(), &[]);
    assert!(err.contains("$ref cycle through files:"), "{err}");
    assert!(
        err.contains("a.yaml# -> ") && err.contains("b.yaml# -> "),
        "{err}"
    );

    let dir = tree(&[(
        "openapi.yaml",
        &format!("{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    A: {{$ref: 'https://example.com/a.json'}}\n"),
    )]);
    let err = generate_error(dir.path(), &[]);
    assert!(err.contains("#/components/schemas/A/$ref"), "{err}");
    assert!(
        err.contains("remote reference; remote files are not fetched"),
        "{err}"
    );

    let dir = tree(&[(
        "openapi.yaml",
        "openapi: 4.0.0\ninfo: {title: t, version: '1'}\npaths: {}\n",
    )]);
    let err = generate_error(dir.path(), &[]);
    assert!(err.ends_with("openapi.yaml: #/openapi: OpenAPI 4.0.0 is not supported; this generator reads Swagger 2.0 and OpenAPI 3.0, 3.1 and 3.2"), "{err}");

    // A document whose operations all failed to load is an error, not an empty crate.
    let dir = tree(&[("openapi.yaml", &format!("{HEAD}paths: {{}}\n"))]);
    let err = generate_error(dir.path(), &[]);
    assert!(
        err.contains("#/paths: the document has no operations"),
        "{err}"
    );
}

#[test]
fn an_overlay_target_that_matches_nothing_is_a_warning() {
    let dir = tree(&[
        (
            "openapi.yaml",
            &format!("{HEAD}paths:\n  /a:\n    get:\n      responses: {{'204': {{description: ok}}}}\n"),
        ),
        (
            "fix.yaml",
            "overlay: 1.0.0\ninfo: {title: f, version: '1'}\nactions:\n  - target: $.paths['/gone']\n    remove: true\n",
        ),
    ]);
    let overlay = dir.path().join("fix.yaml").display().to_string();
    let spec = dir.path().join("openapi.yaml").display().to_string();
    let out = dir.path().join("out").display().to_string();
    let args = parse_args(&[
        "--spec".into(),
        spec,
        "--out".into(),
        out,
        "--overlay".into(),
        overlay,
    ])
    .unwrap();
    let generated = generate_files(&args).unwrap();
    let warning = generated
        .api
        .notes
        .iter()
        .find(|n| n.message.contains("matches nothing"))
        .expect("a note about the overlay");
    assert!(
        warning.message.contains("fix.yaml#/actions/0"),
        "{}",
        warning.message
    );
    // The note is in the crate's docs too.
    let lib = generated
        .files
        .iter()
        .find(|f| f.path == "src/lib.rs")
        .unwrap();
    assert!(lib.contents.contains("matches nothing"), "{}", lib.contents);
}
