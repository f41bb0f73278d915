//! A crate generated today names the runtime version it was generated for, so that against
//! an incompatible runtime it stops at dependency resolution with a message naming both,
//! not with type errors from code written for another runtime.

use std::process::Command;

#[test]
fn an_incompatible_runtime_is_refused_by_name_before_anything_compiles() {
    let root = xtask::workspace_root();
    let scratch = root.join("target/runtime-compat");
    // The runtime as a release that changed the generated-code interface would be: the next
    // minor version.
    let runtime =
        xtask::runtime_semver::copy_runtime(&root, &scratch.join("runtime-0.99")).unwrap();
    let manifest = runtime.join("Cargo.toml");
    let text = std::fs::read_to_string(&manifest).unwrap();
    let current = format!("version = \"{}\"", generator::RUNTIME_VERSION);
    assert!(
        text.contains(&current),
        "{current} not in the runtime's manifest"
    );
    std::fs::write(
        &manifest,
        text.replacen(&current, "version = \"0.99.0\"", 1),
    )
    .unwrap();

    let out = scratch.join("client");
    let _ = std::fs::remove_dir_all(&out);
    let args: Vec<String> = [
        "--spec",
        &root
            .join("spec/fixtures/operations.yaml")
            .display()
            .to_string(),
        "--out",
        &out.display().to_string(),
        "--runtime-path",
        &runtime.display().to_string(),
    ]
    .map(String::from)
    .to_vec();
    let parsed = xtask::generate::parse_args(&args).unwrap();
    let generated = xtask::generate::generate_files(&parsed).unwrap();
    xtask::generate::write_files(&out, &generated.files).unwrap();
    let manifest = std::fs::read_to_string(out.join("Cargo.toml")).unwrap();
    let requirement = format!("version = \"^{}\"", generator::RUNTIME_VERSION);
    assert!(manifest.contains(&requirement), "{manifest}");

    let check = Command::new(env!("CARGO"))
        .args(["check", "--offline", "--manifest-path"])
        .arg(out.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", scratch.join("target"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&check.stderr);
    assert!(!check.status.success(), "it built: {stderr}");
    assert!(
        stderr.contains("failed to select a version for the requirement `openapi-rust-runtime")
            && stderr.contains(&format!("^{}", generator::RUNTIME_VERSION))
            && stderr.contains("0.99.0"),
        "not a message naming the runtime and both versions: {stderr}"
    );
    assert!(!stderr.contains("error[E"), "type errors: {stderr}");
    assert!(
        !stderr.contains("Compiling"),
        "something compiled: {stderr}"
    );
}
