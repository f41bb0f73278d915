//! Two checkouts of the project sharing one `CARGO_TARGET_DIR` (a common setup) run the same
//! cached xtask binary; `cargo xtask codegen --check` in each must check its own tree.

use std::path::Path;
use std::process::Command;

/// What a checkout needs to build and run the xtask.
const CHECKOUT: &[&str] = &[
    "Cargo.toml",
    "Cargo.lock",
    ".cargo",
    "generator",
    "generated-client",
    "snapshots",
    "spec",
    "xtask",
];

/// Copies the workspace's sources, keeping modification times so that cargo reuses what the
/// shared target directory already built (the situation in which a stale build path bites).
fn checkout(into: &Path) {
    let root = xtask::workspace_root();
    for item in CHECKOUT {
        let status = Command::new("cp")
            .arg("-a")
            .arg(root.join(item))
            .arg(into)
            .status()
            .expect("cp runs");
        assert!(status.success(), "copying {item}");
    }
}

fn codegen_check(checkout: &Path, target: &Path) -> (bool, String) {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = Command::new(cargo)
        .args(["xtask", "codegen", "--check"])
        // From a subdirectory, as people do.
        .current_dir(checkout.join("spec"))
        .env("CARGO_TARGET_DIR", target)
        // Built once per run in a fresh CI checkout: without debug info or incremental
        // caches it builds in about half the time, and what is tested (which tree the cached
        // binary checks) does not depend on either.
        .env("CARGO_PROFILE_DEV_DEBUG", "0")
        .env("CARGO_INCREMENTAL", "0")
        .env_remove("XTASK_WORKSPACE_ROOT")
        .env_remove("CARGO_MANIFEST_DIR")
        .output()
        .expect("cargo runs");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn each_checkout_checks_its_own_tree_with_a_shared_target_directory() {
    let root = xtask::workspace_root();
    // Kept between runs (under the git-ignored target/) so only the first run builds.
    let shared_target = root.join("target/two-checkouts");
    let first = tempfile::tempdir().unwrap();
    let second = tempfile::tempdir().unwrap();
    checkout(first.path());
    checkout(second.path());

    // Drift in the second checkout only: a hand edit of a generated file.
    let models = second.path().join("generated-client/src/models.rs");
    let text = std::fs::read_to_string(&models).unwrap();
    std::fs::write(&models, format!("{text}\n// edited by hand\n")).unwrap();

    let (ok, stderr) = codegen_check(first.path(), &shared_target);
    assert!(ok, "the untouched checkout is up to date:\n{stderr}");
    let (ok, stderr) = codegen_check(second.path(), &shared_target);
    assert!(!ok, "the edited checkout must fail --check");
    assert!(
        stderr.contains("differs: generated-client/src/models.rs"),
        "{stderr}"
    );
    // And the first is still judged on its own files, after the second ran.
    let (ok, stderr) = codegen_check(first.path(), &shared_target);
    assert!(ok, "{stderr}");
}

/// Outside any workspace, commands that act on the project say so instead of using the
/// directory the binary was built in.
#[test]
fn outside_a_workspace_the_command_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["codegen", "--check"])
        .current_dir(dir.path())
        .env_remove("XTASK_WORKSPACE_ROOT")
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("is not inside a Cargo workspace"),
        "{stderr}"
    );
}
