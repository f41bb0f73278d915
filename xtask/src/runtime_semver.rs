//! `cargo xtask runtime-semver`: the runtime crate's public API against its last release, with
//! cargo-semver-checks (the pinned oracle, [`crate::semver_oracle::CARGO_SEMVER_CHECKS`]).
//!
//! The last release is recorded in `generator/runtime/released.yaml` (its version and the
//! commit it was made from); the runtime as it is now must not break what that release made
//! public, unless its version says so (a new minor version while it is 0.x). Items hidden
//! from the docs (the interface to generated code) are not public API, as the runtime's docs
//! say. The check also proves it can fail: a copy of the runtime with one public method
//! removed must be refused.

use serde::Deserialize;
use std::path::{Path, PathBuf};

/// `generator/runtime/released.yaml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Released {
    /// The released version.
    pub version: String,
    /// The commit the release was made from.
    pub commit: String,
}

/// The public item the demonstration removes, and the file it is in.
const REMOVED_FILE: &str = "src/runtime/pacing.rs";
const REMOVED_ITEM: &str = "    /// No budgets: nothing is paced.
    pub fn none() -> Self {
        RateLimits::default()
    }
";

/// Reads the record of the last release.
pub fn released(root: &Path) -> Result<Released, String> {
    let path = root.join("generator/runtime/released.yaml");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    serde_yaml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// `cargo xtask runtime-semver`.
pub fn run(root: &Path, args: &[String]) -> Result<bool, String> {
    if let Some(other) = args.first() {
        return Err(format!("runtime-semver: unknown argument `{other}`"));
    }
    let bin = crate::semver_oracle::ensure_installed(root)?;
    let release = released(root)?;
    let target = root.join("target/runtime-semver");
    let manifest = root.join("generator/runtime/Cargo.toml");
    eprintln!(
        "runtime-semver: openapi-rust-runtime against {} (commit {})",
        release.version, release.commit
    );
    let (passed, summary) = check(
        &bin,
        &manifest,
        &["--baseline-rev", &release.commit],
        root,
        &target,
    )?;
    println!("runtime-semver: against the last release: {summary}");
    if !passed {
        return Ok(false);
    }
    // The oracle must be able to say no: the same runtime without `RateLimits::none`.
    let copy = removed_item_copy(root)?;
    let baseline = root.display().to_string();
    let (refused, summary) = check(
        &bin,
        &copy.join("runtime/Cargo.toml"),
        &["--baseline-root", &baseline],
        &copy,
        &target,
    )?;
    println!("runtime-semver: with `RateLimits::none` removed: {summary}");
    if refused {
        eprintln!("runtime-semver: the removed public method went unnoticed");
        return Ok(false);
    }
    Ok(true)
}

/// Runs cargo-semver-checks on the crate at `manifest` against `baseline` (flags): whether it
/// passed, and its summary line. `cwd` is where it runs (the git checkout for
/// `--baseline-rev`).
fn check(
    bin: &Path,
    manifest: &Path,
    baseline: &[&str],
    cwd: &Path,
    target: &Path,
) -> Result<(bool, String), String> {
    let verdict = crate::semver_oracle::check_release(bin, |command| {
        command
            .arg("--manifest-path")
            .arg(manifest)
            .args(["-p", "openapi-rust-runtime"])
            .args(baseline)
            // The features users build with; `client` is the runtime itself.
            .args(["--only-explicit-features", "--features", "client,test-util"])
            .current_dir(cwd)
            .env("CARGO_TARGET_DIR", target);
    })?;
    match verdict.summary {
        Some(summary) => Ok((verdict.passed, summary)),
        None => {
            let text = &verdict.text;
            let tail: String = text
                .chars()
                .skip(text.chars().count().saturating_sub(3000))
                .collect();
            Err(format!("cargo-semver-checks did not check: {tail}"))
        }
    }
}

/// A workspace under `target/` holding a copy of the runtime without [`REMOVED_ITEM`].
fn removed_item_copy(root: &Path) -> Result<PathBuf, String> {
    let dir = root.join("target/runtime-semver-removed");
    let runtime = copy_runtime(root, &dir)?;
    let file = runtime.join(REMOVED_FILE);
    let text = std::fs::read_to_string(&file).map_err(|e| e.to_string())?;
    if !text.contains(REMOVED_ITEM) {
        return Err(format!(
            "{REMOVED_FILE} no longer has `RateLimits::none` as this check expects"
        ));
    }
    write(&file, &text.replacen(REMOVED_ITEM, "", 1))?;
    Ok(dir)
}

/// A copy of the runtime crate at `dir/runtime`, in a workspace of its own at `dir` (this
/// workspace's manifest with the runtime as its one member, and its lock file), so that it
/// builds as the runtime does wherever it is; gives the copy's directory.
pub fn copy_runtime(root: &Path, dir: &Path) -> Result<PathBuf, String> {
    let _ = std::fs::remove_dir_all(dir);
    let runtime = dir.join("runtime");
    copy_dir(&root.join("generator/runtime"), &runtime)?;
    let workspace = std::fs::read_to_string(root.join("Cargo.toml")).map_err(|e| e.to_string())?;
    let members_start = workspace
        .find("members = [")
        .ok_or("Cargo.toml: no `members = [`")?;
    let members_end = members_start
        + workspace[members_start..]
            .find(']')
            .ok_or("Cargo.toml: `members` is not closed")?;
    let workspace = format!(
        "{}members = [\"runtime\"]{}",
        &workspace[..members_start],
        &workspace[members_end + 1..]
    );
    write(&dir.join("Cargo.toml"), &workspace)?;
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock")).map_err(|e| e.to_string())?;
    Ok(runtime)
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

fn copy_dir(from: &Path, to: &Path) -> Result<(), String> {
    std::fs::create_dir_all(to).map_err(|e| e.to_string())?;
    for entry in std::fs::read_dir(from).map_err(|e| e.to_string())? {
        let entry = entry.map_err(|e| e.to_string())?;
        let path = entry.path();
        let name = entry.file_name();
        if path.is_dir() {
            if name != "target" {
                copy_dir(&path, &to.join(&name))?;
            }
        } else {
            std::fs::copy(&path, to.join(&name)).map_err(|e| e.to_string())?;
        }
    }
    Ok(())
}
