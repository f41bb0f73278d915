//! `cargo xtask semver-oracle [--case NAME]`: checks the verdicts of `cargo xtask diff` on the
//! edits of `spec/semver/cases.yaml` against an independent oracle, cargo-semver-checks (pinned
//! in [`CARGO_SEMVER_CHECKS`], installed into `target/tools/semver-checks`).
//!
//! For each edit it generates `posthog-api` as a standalone crate before and after, asks
//! cargo-semver-checks whether a minor release is enough (`--release-type minor`), and compares
//! that with whether our diff calls the Rust API change major. cargo-semver-checks 0.51 has no
//! lint for a changed field, parameter or return type; an edit of that kind carries a `probe`,
//! a function written against the old client that must stop compiling against the new one.
//! For each edit expected to be minor, it also compiles a downstream crate written against the
//! old client (`xtask/tools/semver-downstream`) against the new one. A report goes to
//! `target/semver-oracle/report.md`.

use generator::{Layout, Settings};
use serde::Deserialize;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The pinned cargo-semver-checks.
pub const CARGO_SEMVER_CHECKS: &str = "0.51.0";

/// `spec/semver/cases.yaml`.
#[derive(Debug, Deserialize)]
pub struct Cases {
    pub cases: Vec<Case>,
}

/// One edit of the spec and the release it needs.
#[derive(Debug, Deserialize)]
pub struct Case {
    pub name: String,
    pub expect: String,
    #[serde(default)]
    pub wire: bool,
    /// A function, written against the unchanged client, that the edit must break.
    #[serde(default)]
    pub probe: Option<String>,
    pub actions: serde_json::Value,
}

/// Reads the cases.
pub fn cases(root: &Path) -> Result<Cases, String> {
    let text = std::fs::read_to_string(root.join("spec/semver/cases.yaml"))
        .map_err(|e| format!("spec/semver/cases.yaml: {e}"))?;
    serde_yaml::from_str(&text).map_err(|e| format!("spec/semver/cases.yaml: {e}"))
}

/// An overlay document of a case's actions, written to `path`.
pub fn write_overlay(case: &Case, path: &Path) -> Result<(), String> {
    let doc = serde_json::json!({
        "overlay": "1.0.0",
        "info": {"title": case.name, "version": "1"},
        "actions": case.actions,
    });
    std::fs::write(path, doc.to_string()).map_err(|e| format!("{}: {e}", path.display()))
}

fn binary(root: &Path) -> PathBuf {
    crate::tools::tools_dir(root).join("semver-checks/bin/cargo-semver-checks")
}

/// Installs cargo-semver-checks unless the pinned version is there.
pub fn ensure_installed(root: &Path) -> Result<PathBuf, String> {
    let bin = binary(root);
    let version = Command::new(&bin)
        .args(["semver-checks", "--version"])
        .output();
    if let Ok(output) = version {
        if String::from_utf8_lossy(&output.stdout).contains(CARGO_SEMVER_CHECKS) {
            return Ok(bin);
        }
    }
    eprintln!("installing cargo-semver-checks {CARGO_SEMVER_CHECKS} into target/tools/semver-checks (about 5 minutes)");
    crate::tools::run(
        Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            // A debug build without debug info: it installs in 5 minutes on two cores instead
            // of over 10 (7 with debug info), and checks a crate in milliseconds all the same
            // (the rustdoc builds dominate).
            .args([
                "install",
                "cargo-semver-checks",
                "--locked",
                "--debug",
                "--version",
            ])
            .arg(format!("={CARGO_SEMVER_CHECKS}"))
            .env("CARGO_PROFILE_DEV_DEBUG", "0")
            .arg("--root")
            .arg(crate::tools::tools_dir(root).join("semver-checks")),
        "cargo install cargo-semver-checks",
    )?;
    Ok(bin)
}

/// Generates `posthog-api` as a standalone crate (with `overlays`) into `out`.
fn generate(root: &Path, overlays: &[String], out: &Path) -> Result<generator::ir::Api, String> {
    let target = crate::diff::settings_for(root, "spec/posthog.yaml");
    let settings = Settings {
        layout: Layout::Standalone,
        runtime: crate::generate::checkout_runtime(),
        ..target
    };
    let doc = crate::spec::load(root, "spec/posthog.yaml", overlays, true)?;
    let (api, files) = generator::generate_with_api(&doc, &settings).map_err(|e| e.to_string())?;
    let _ = std::fs::remove_dir_all(out.join("src"));
    crate::generate::write_files(out, &files)?;
    std::fs::copy(root.join("Cargo.lock"), out.join("Cargo.lock")).map_err(|e| e.to_string())?;
    Ok(api)
}

/// What one `cargo-semver-checks check-release` run said.
pub struct Verdict {
    /// Whether it passed.
    pub passed: bool,
    /// Its whole output, stdout then stderr.
    pub text: String,
    /// Its `Summary ...` line, when it got that far.
    pub summary: Option<String>,
}

/// Runs `cargo-semver-checks check-release` with the arguments and environment `configure`
/// adds.
pub fn check_release(bin: &Path, configure: impl FnOnce(&mut Command)) -> Result<Verdict, String> {
    let mut command = Command::new(bin);
    command.args(["semver-checks", "check-release"]);
    configure(&mut command);
    let output = command
        .output()
        .map_err(|e| format!("cannot run cargo-semver-checks: {e}"))?;
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    let summary = text
        .lines()
        .find(|l| l.contains("Summary"))
        .map(|l| l.trim().to_owned());
    Ok(Verdict {
        passed: output.status.success(),
        text,
        summary,
    })
}

/// Whether cargo-semver-checks accepts a minor release from `baseline` to `current`, and its
/// summary line.
fn semver_checks(
    bin: &Path,
    baseline: &Path,
    current: &Path,
    target: &Path,
) -> Result<(bool, String), String> {
    let verdict = check_release(bin, |command| {
        command
            .args(["--release-type", "minor", "--manifest-path"])
            .arg(current.join("Cargo.toml"))
            .arg("--baseline-root")
            .arg(baseline)
            .env("CARGO_TARGET_DIR", target)
            .env("CARGO_NET_OFFLINE", "true");
    })?;
    let summary = verdict
        .summary
        .clone()
        .unwrap_or_else(|| verdict.text.lines().last().unwrap_or("").trim().to_owned());
    if !verdict.passed && !verdict.text.contains("semver requires new major version") {
        return Err(format!(
            "cargo-semver-checks failed: {}",
            verdict.text.chars().take(2000).collect::<String>()
        ));
    }
    Ok((verdict.passed, summary))
}

/// Compiles the downstream crate against the client in `client`, with a probe function
/// appended when given.
fn downstream_compiles(
    root: &Path,
    client: &Path,
    work: &Path,
    target: &Path,
    probe: Option<&str>,
) -> Result<bool, String> {
    let dir = work.join("downstream");
    std::fs::create_dir_all(dir.join("src")).map_err(|e| e.to_string())?;
    let mut source = std::fs::read_to_string(root.join("xtask/tools/semver-downstream/src/lib.rs"))
        .map_err(|e| e.to_string())?;
    if let Some(probe) = probe {
        source.push_str("\n#[allow(unused_imports)]\nmod probe {\n    use posthog_api::models::*;\n    use posthog_api::*;\n    ");
        source.push_str(probe);
        source.push_str("\n}\n");
    }
    std::fs::write(dir.join("src/lib.rs"), source).map_err(|e| e.to_string())?;
    let manifest = format!(
        "[package]\nname = \"semver-downstream\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n[dependencies]\nposthog-api = {{ path = {:?}, features = [\"test-util\"] }}\nchrono = {{ version = \"0.4\", default-features = false }}\nfutures = \"0.3\"\n\n[workspace]\n",
        client.display().to_string()
    );
    std::fs::write(dir.join("Cargo.toml"), manifest).map_err(|e| e.to_string())?;
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock")).map_err(|e| e.to_string())?;
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["check", "--offline", "--quiet"])
        .current_dir(&dir)
        .env("CARGO_TARGET_DIR", target)
        .status()
        .map_err(|e| format!("cannot run cargo check: {e}"))?;
    Ok(status.success())
}

/// `cargo xtask semver-oracle`.
pub fn run(root: &Path, args: &[String]) -> Result<bool, String> {
    let only = match args {
        [] => None,
        [flag, name] if flag == "--case" => Some(name.clone()),
        _ => return Err("semver-oracle: usage: cargo xtask semver-oracle [--case NAME]".into()),
    };
    let bin = ensure_installed(root)?;
    let work = root.join("target/semver-oracle");
    let target = work.join("target");
    let base_dir = work.join("base");
    let base = generate(root, &[], &base_dir)?;
    if !downstream_compiles(root, &base_dir, &work, &target, None)? {
        return Err("the downstream crate does not compile against the unchanged client".into());
    }
    let mut report = String::from(
        "| edit | expected | our release | our Rust API verdict | cargo-semver-checks (minor enough?) | probe breaks | agree | downstream compiles |\n|---|---|---|---|---|---|---|---|\n",
    );
    let mut all_good = true;
    for case in cases(root)?.cases {
        if only.as_ref().is_some_and(|n| *n != case.name) {
            continue;
        }
        let overlay = work.join(format!("{}.overlay.json", case.name));
        write_overlay(&case, &overlay)?;
        let dir = work.join("cases").join(&case.name);
        let new = generate(root, &[overlay.display().to_string()], &dir)?;
        let diff = generator::diff::diff(&base, &new);
        let ours_major = diff.rust_bump() == generator::diff::Bump::Major;
        let (minor_ok, summary) = semver_checks(&bin, &base_dir, &dir, &target)?;
        // A probe must compile against the unchanged client and break against the new one.
        let probe_breaks = match case.probe.as_deref() {
            Some(probe) => {
                if !downstream_compiles(root, &base_dir, &work, &target, Some(probe))? {
                    return Err(format!(
                        "{}: the probe does not compile against the unchanged client",
                        case.name
                    ));
                }
                Some(!downstream_compiles(
                    root,
                    &dir,
                    &work,
                    &target,
                    Some(probe),
                )?)
            }
            None => None,
        };
        let agree = ours_major != minor_ok || (ours_major && probe_breaks == Some(true));
        let downstream = if case.expect == "minor" || case.expect == "patch" {
            Some(downstream_compiles(root, &dir, &work, &target, None)?)
        } else {
            None
        };
        all_good &= agree && downstream != Some(false) && diff.bump().to_string() == case.expect;
        let line = format!(
            "| {} | {}{} | {} | {} | {} ({}) | {} | {} | {} |",
            case.name,
            case.expect,
            if case.wire { " (wire)" } else { "" },
            diff.bump(),
            diff.rust_bump(),
            if minor_ok { "yes" } else { "no" },
            summary.replace('|', "/"),
            match probe_breaks {
                Some(true) => "yes",
                Some(false) => "NO",
                None => "-",
            },
            if agree { "yes" } else { "NO" },
            match downstream {
                Some(true) => "yes",
                Some(false) => "NO",
                None => "-",
            }
        );
        eprintln!("{line}");
        let _ = writeln!(report, "{line}");
    }
    std::fs::write(work.join("report.md"), &report).map_err(|e| e.to_string())?;
    println!("{report}");
    println!("report written to target/semver-oracle/report.md");
    Ok(all_good)
}
