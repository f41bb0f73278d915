//! `diff`: what a change of an API description does to the generated crate's users, with
//! the release it needs (see `generator::diff`).
//!
//! ```text
//! diff OLD NEW [--overlay FILE]... [--json | --changelog VERSION] [--fail-on breaking|any]
//! diff --base GIT_REV SPEC [--json | --changelog VERSION] [--fail-on breaking|any]
//! ```

use generator::diff::{Bump, Report};
use generator::Settings;
use std::path::{Path, PathBuf};
use std::process::Command;

/// When the command fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailOn {
    Never,
    Breaking,
    Any,
}

/// Parsed arguments.
#[derive(Debug)]
pub struct Args {
    pub old: Option<String>,
    pub new: Option<String>,
    pub base: Option<String>,
    pub overlays: Vec<String>,
    pub json: bool,
    pub fail_on: FailOn,
    /// Print a `CHANGELOG.md` entry for this version instead of the report.
    pub changelog: Option<String>,
}

/// Parses the arguments; `default_spec` is the SPEC of `--base GIT_REV` when none is given
/// (the xtask's `spec/posthog.yaml`; the installed command has none).
pub fn parse_args(args: &[String], default_spec: Option<&str>) -> Result<Args, String> {
    let mut out = Args {
        old: None,
        new: None,
        base: None,
        overlays: Vec::new(),
        json: false,
        fail_on: FailOn::Never,
        changelog: None,
    };
    let mut positional = Vec::new();
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        let mut value = |name: &str| {
            iter.next()
                .cloned()
                .ok_or_else(|| format!("diff: `{name}` needs a value"))
        };
        match arg.as_str() {
            "--base" => out.base = Some(value("--base")?),
            "--overlay" => out.overlays.push(value("--overlay")?),
            "--json" => out.json = true,
            "--changelog" => out.changelog = Some(value("--changelog")?),
            "--fail-on" => {
                out.fail_on = match value("--fail-on")?.as_str() {
                    "breaking" => FailOn::Breaking,
                    "any" => FailOn::Any,
                    other => return Err(format!("diff: `--fail-on {other}` is not one of breaking, any")),
                }
            }
            other if other.starts_with("--") => {
                return Err(format!("diff: unknown argument `{other}` (expected --base, --overlay, --json, --changelog or --fail-on)"))
            }
            other => positional.push(other.to_owned()),
        }
    }
    match (out.base.is_some(), positional.as_slice()) {
        (true, []) if default_spec.is_some() => out.new = default_spec.map(str::to_owned),
        (true, [spec]) => out.new = Some(spec.clone()),
        (false, [old, new]) => {
            out.old = Some(old.clone());
            out.new = Some(new.clone());
        }
        _ => {
            return Err(match default_spec {
                Some(_) => "diff: give OLD and NEW spec files, or `--base GIT_REV [SPEC]`",
                None => "diff: give OLD and NEW spec files, or `--base GIT_REV SPEC`",
            }
            .into());
        }
    }
    Ok(out)
}

/// The settings the installed command compares a spec with: those of `generate`.
pub fn default_settings(spec: &str) -> Settings {
    let name = crate::generate::default_crate_name(Path::new(spec), "api");
    let mut settings = crate::generate::settings(
        spec,
        name,
        generator::TagFeatures::Never,
        generator::RuntimeDependency::Registry,
        "openapi-rust generate",
    );
    settings.allow_no_operations = true;
    settings
}

/// Lowers a spec (read from `base`, shown as `label`) with `settings`.
pub fn lower(
    base: &Path,
    label: &str,
    overlays: &[String],
    settings: &Settings,
) -> Result<generator::ir::Api, String> {
    let doc = crate::spec::load(base, label, overlays, true)?;
    generator::lower(&doc, settings).map_err(|e| format!("{label}: {e}"))
}

/// The report between two specs.
pub fn compare(
    old: (&Path, &str),
    new: (&Path, &str),
    overlays: &[String],
    settings: &Settings,
) -> Result<Report, String> {
    let old_api = lower(old.0, old.1, &[], settings)?;
    let new_api = lower(new.0, new.1, overlays, settings)?;
    Ok(generator::diff::diff(&old_api, &new_api))
}

/// A copy of the folder holding `spec` at git revision `rev`, in a new temporary folder.
pub fn checkout_at(root: &Path, rev: &str, spec: &str) -> Result<tempfile::TempDir, String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let folder = Path::new(spec)
        .parent()
        .map(|p| p.display().to_string())
        .filter(|p| !p.is_empty())
        .unwrap_or_else(|| ".".into());
    let archive = Command::new("git")
        .args(["archive", "--format=tar", rev, "--", &folder])
        .current_dir(root)
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if !archive.status.success() {
        return Err(format!(
            "git archive {rev} {folder}: {}",
            String::from_utf8_lossy(&archive.stderr).trim()
        ));
    }
    let tar = dir.path().join("spec.tar");
    std::fs::write(&tar, &archive.stdout).map_err(|e| e.to_string())?;
    let status = Command::new("tar")
        .arg("-xf")
        .arg(&tar)
        .current_dir(dir.path())
        .status()
        .map_err(|e| format!("cannot run tar: {e}"))?;
    if !status.success() {
        return Err(format!("tar -xf {}: {status}", tar.display()));
    }
    Ok(dir)
}

/// The report as JSON, for tools.
pub fn json(report: &Report) -> serde_json::Value {
    serde_json::json!({
        "bump": report.bump().to_string(),
        "rust_bump": report.rust_bump().to_string(),
        "breaking": report.is_breaking(),
        "changes": report.changes.iter().map(|c| serde_json::json!({
            "effect": c.effect.label(),
            "rule": c.rule,
            "item": c.item,
            "message": c.message,
        })).collect::<Vec<_>>(),
    })
}

/// The `diff` command, in the git checkout at `root` (for `--base`), with the settings
/// `settings_for` gives a spec and `default_spec` as the SPEC of `--base` when none is given.
pub fn run(
    root: &Path,
    args: &[String],
    default_spec: Option<&str>,
    settings_for: &dyn Fn(&str) -> Settings,
) -> Result<bool, String> {
    let args = parse_args(args, default_spec)?;
    let new = args.new.clone().expect("parse_args sets NEW");
    let settings = settings_for(&new);
    let report = match &args.base {
        Some(rev) => {
            let old_tree = checkout_at(root, rev, &new)?;
            compare(
                (old_tree.path(), &new),
                (root, &new),
                &args.overlays,
                &settings,
            )?
        }
        None => {
            let cwd: PathBuf = std::env::current_dir().map_err(|e| e.to_string())?;
            let old = args.old.clone().expect("parse_args sets OLD");
            compare((&cwd, &old), (&cwd, &new), &args.overlays, &settings)?
        }
    };
    if let Some(version) = &args.changelog {
        print!("{}", generator::diff::changelog(&report, version));
    } else if args.json {
        println!("{:#}", json(&report));
    } else {
        print!("{}", generator::diff::markdown(&report));
    }
    let failed = match args.fail_on {
        FailOn::Never => false,
        FailOn::Breaking => report.is_breaking(),
        FailOn::Any => report.bump() > Bump::None,
    };
    if failed {
        eprintln!(
            "diff: the changes need a {} release (--fail-on)",
            report.bump()
        );
    }
    Ok(!failed)
}
