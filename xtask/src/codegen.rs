//! `cargo xtask codegen [--check]`: regenerate the committed client (and the fixture models)
//! from the specs, or check that what is committed is exactly what the generator makes.

use crate::files::{generated_files_under, write_atomic};
use generator::{GeneratedFile, Layout, Settings};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// `spec/codegen.yaml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CodegenFile {
    targets: Vec<Target>,
}

/// One spec and the crate it becomes.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Target {
    /// The spec, relative to the workspace root.
    spec: String,
    /// The crate directory, relative to the workspace root.
    out: String,
    /// Overlay documents applied to the spec before generating, in order (relative to the
    /// workspace root).
    #[serde(default)]
    overlays: Vec<String>,
    settings: Settings,
}

/// Where fixture specs live and where their models go.
const FIXTURE_SPECS: &str = "spec/fixtures";
const FIXTURE_OUT: &str = "snapshots/src/fixtures";

/// Everything codegen would write: absolute path -> contents. Also the directories whose
/// generated files codegen owns (to find files it no longer makes), and what to tell the
/// maintainer about each target.
pub struct Plan {
    pub files: BTreeMap<PathBuf, String>,
    pub owned_dirs: Vec<PathBuf>,
    /// Per target: its spec, its summary line and its notes.
    pub reports: Vec<(String, String, Vec<generator::ir::Note>)>,
    /// One line about the fixtures.
    pub fixture_summary: String,
}

/// The generator settings of the target made from `spec`, if `spec/codegen.yaml` has one.
pub fn target_settings(root: &Path, spec: &str) -> Option<Settings> {
    let text = std::fs::read_to_string(root.join("spec/codegen.yaml")).ok()?;
    let config: CodegenFile = serde_yaml::from_str(&text).ok()?;
    config
        .targets
        .into_iter()
        .find(|t| t.spec == spec)
        .map(|t| t.settings)
}

/// Reads and parses a spec (strictly: the project's own specs need no repairs), with errors
/// that name the file and pointer.
pub fn load_spec(
    root: &Path,
    relative: &str,
    overlays: &[String],
) -> Result<generator::Document, String> {
    crate::spec::load(root, relative, overlays, false)
}

/// Generates everything in memory. Nothing is written, so an error leaves the tree as it was.
fn load_config(root: &Path) -> Result<CodegenFile, String> {
    let config_text = std::fs::read_to_string(root.join("spec/codegen.yaml"))
        .map_err(|e| format!("spec/codegen.yaml: cannot read: {e}"))?;
    serde_yaml::from_str(&config_text).map_err(|e| format!("spec/codegen.yaml: {e}"))
}

/// What the regenerated crate gained and lost against the one the committed spec makes, and
/// the release that needs, in a few lines.
fn changes_since_head(root: &Path, target: &Target) -> String {
    let crate_name = &target.settings.crate_name;
    let old_tree = match crate::diff::checkout_at(root, "HEAD", &target.spec) {
        Ok(tree) if tree.path().join(&target.spec).exists() => tree,
        _ => {
            return format!(
                "{crate_name}: no committed version of {} to compare with",
                target.spec
            )
        }
    };
    let report = match crate::diff::compare(
        (old_tree.path(), &target.spec),
        (root, &target.spec),
        &target.overlays,
        &target.settings,
    ) {
        Ok(report) => report,
        Err(e) => return format!("{crate_name}: cannot compare with the committed spec: {e}"),
    };
    if report.changes.is_empty() {
        return format!("{crate_name}: no API changes against the committed spec");
    }
    let mut out = format!(
        "{crate_name} against the committed spec: {} changes, which need a {} release (`cargo xtask diff --base HEAD` lists them all):",
        report.changes.len(),
        report.bump()
    );
    for change in report.changes.iter().take(10) {
        let _ = write!(
            out,
            "\n  {}: `{}`: {}",
            change.effect.label(),
            change.item,
            change.message
        );
    }
    if report.changes.len() > 10 {
        let _ = write!(out, "\n  and {} more", report.changes.len() - 10);
    }
    out
}

pub fn plan(root: &Path) -> Result<Plan, String> {
    let config = load_config(root)?;
    let mut files = BTreeMap::new();
    let mut owned_dirs = Vec::new();
    let mut reports = Vec::new();
    for target in &config.targets {
        let doc = load_spec(root, &target.spec, &target.overlays)?;
        let (api, generated) = generator::generate_with_api(&doc, &target.settings)
            .map_err(|e| format!("{}: {e}", target.spec))?;
        reports.push((
            target.spec.clone(),
            crate::spec::summary(&target.settings.crate_name, &api),
            api.notes.clone(),
        ));
        let out = root.join(&target.out);
        for GeneratedFile { path, contents } in generated {
            files.insert(out.join(path), contents);
        }
        owned_dirs.push(out);
    }
    let mut fixture_modules = Vec::new();
    let mut fixture_notes = 0;
    for fixture in fixture_specs(root)? {
        let Fixture {
            stem,
            spec: relative,
            overlays,
        } = fixture;
        let doc = load_spec(root, &relative, &overlays)?;
        let settings = Settings::new(format!("fixture-{stem}"), relative.clone())
            .with_layout(Layout::ModelsOnly);
        let (api, generated) = generator::generate_with_api(&doc, &settings)
            .map_err(|e| format!("{relative}: {e}"))?;
        fixture_notes += api.notes.len();
        let module = generator::names::value_name(&stem);
        for GeneratedFile { contents, .. } in generated {
            files.insert(
                root.join(FIXTURE_OUT)
                    .join(format!("{}.rs", generator::names::unraw(&module))),
                contents,
            );
        }
        fixture_modules.push((module, relative));
    }
    files.insert(
        root.join(FIXTURE_OUT).join("mod.rs"),
        fixture_mod_rs(&fixture_modules),
    );
    owned_dirs.push(root.join(FIXTURE_OUT));
    let fixture_summary = format!(
        "fixtures: {} specs, {fixture_notes} notes (in the generated docs; the fixtures degrade on purpose)",
        fixture_modules.len()
    );
    Ok(Plan {
        files,
        owned_dirs,
        reports,
        fixture_summary,
    })
}

/// One fixture: a spec file in `spec/fixtures/`, or a folder there whose root document is
/// `openapi.yaml` (or `.json`), with the folder's `overlay*.yaml` files applied in name order.
pub struct Fixture {
    /// The module name's source: the file's stem or the folder's name.
    pub stem: String,
    /// The root document, relative to the workspace root.
    pub spec: String,
    /// Overlays, relative to the workspace root.
    pub overlays: Vec<String>,
}

/// Every fixture, sorted by name.
pub fn fixture_specs(root: &Path) -> Result<Vec<Fixture>, String> {
    let dir = root.join(FIXTURE_SPECS);
    let is_spec = |p: &Path| {
        p.extension()
            .is_some_and(|e| e == "yaml" || e == "yml" || e == "json")
    };
    let mut out = Vec::new();
    let mut entries: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map_err(|e| format!("{FIXTURE_SPECS}: cannot read: {e}"))?
        .flatten()
        .map(|e| e.path())
        .collect();
    entries.sort();
    for path in entries {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_owned();
        if path.is_dir() {
            let Some(root_doc) = [
                "openapi.yaml",
                "openapi.json",
                "swagger.yaml",
                "swagger.json",
            ]
            .into_iter()
            .find(|f| path.join(f).exists()) else {
                continue;
            };
            let mut overlays: Vec<String> = std::fs::read_dir(&path)
                .map_err(|e| format!("{FIXTURE_SPECS}/{name}: cannot read: {e}"))?
                .flatten()
                .filter_map(|e| e.file_name().to_str().map(str::to_owned))
                .filter(|f| f.starts_with("overlay") && is_spec(Path::new(f)))
                .map(|f| format!("{FIXTURE_SPECS}/{name}/{f}"))
                .collect();
            overlays.sort();
            out.push(Fixture {
                stem: name.clone(),
                spec: format!("{FIXTURE_SPECS}/{name}/{root_doc}"),
                overlays,
            });
        } else if is_spec(&path) {
            let stem = path
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or_default()
                .to_owned();
            out.push(Fixture {
                stem,
                spec: format!("{FIXTURE_SPECS}/{name}"),
                overlays: Vec::new(),
            });
        }
    }
    Ok(out)
}

fn fixture_mod_rs(modules: &[(String, String)]) -> String {
    let mut out = String::from(
        "// @generated by cargo xtask codegen from spec/fixtures. Do not edit by hand.\n\
         //! The models of every fixture spec, one module each.\n\
         #![cfg_attr(rustfmt, rustfmt::skip)]\n",
    );
    for (module, spec) in modules {
        let _ = write!(
            out,
            "\n#[doc = \"Models of `{spec}`.\"]\npub mod {module};\n"
        );
    }
    out
}

/// A difference between the plan and the tree.
pub enum Drift {
    /// A file that would change (or be created).
    Changed {
        path: PathBuf,
        old: String,
        new: String,
    },
    /// A generated file the generator no longer makes.
    Stale { path: PathBuf },
}

/// Compares the plan with what is on disk.
pub fn drift(plan: &Plan) -> Vec<Drift> {
    let mut out = Vec::new();
    for (path, new) in &plan.files {
        let old = std::fs::read_to_string(path).unwrap_or_default();
        if &old != new {
            out.push(Drift::Changed {
                path: path.clone(),
                old,
                new: new.clone(),
            });
        }
    }
    for dir in &plan.owned_dirs {
        for path in generated_files_under(dir) {
            if !plan.files.contains_key(&path) {
                out.push(Drift::Stale { path });
            }
        }
    }
    out
}

/// Applies a plan: writes changed files, removes stale ones. Returns what it did, per file.
pub fn apply(drifts: &[Drift]) -> Result<Vec<String>, String> {
    let mut report = Vec::new();
    for d in drifts {
        match d {
            Drift::Changed { path, new, old } => {
                write_atomic(path, new.as_bytes())
                    .map_err(|e| format!("{}: cannot write: {e}", path.display()))?;
                report.push(format!(
                    "{} {}",
                    if old.is_empty() { "created" } else { "updated" },
                    path.display()
                ));
            }
            Drift::Stale { path } => {
                std::fs::remove_file(path)
                    .map_err(|e| format!("{}: cannot remove: {e}", path.display()))?;
                report.push(format!("removed {}", path.display()));
            }
        }
    }
    Ok(report)
}

/// The message `--check` prints: the stale files, a short diff, and the command that fixes it.
pub fn describe(root: &Path, drifts: &[Drift]) -> String {
    let mut out = String::from(
        "The committed generated code is not what the generator makes from the spec:\n",
    );
    for d in drifts {
        let (path, what) = match d {
            Drift::Changed { path, old, .. } if old.is_empty() => (path, "missing"),
            Drift::Changed { path, .. } => (path, "differs"),
            Drift::Stale { path } => (path, "no longer generated"),
        };
        let shown = path.strip_prefix(root).unwrap_or(path);
        let _ = writeln!(out, "  {what}: {}", shown.display());
    }
    let mut budget = 40;
    for d in drifts {
        if let Drift::Changed { path, old, new } = d {
            if budget == 0 {
                break;
            }
            let shown = path
                .strip_prefix(root)
                .unwrap_or(path)
                .display()
                .to_string();
            let diff = similar::TextDiff::from_lines(old.as_str(), new.as_str());
            let text = diff
                .unified_diff()
                .context_radius(1)
                .header(&format!("a/{shown}"), &format!("b/{shown}"))
                .to_string();
            for line in text.lines().take(budget) {
                out.push_str(line);
                out.push('\n');
                budget -= 1;
            }
        }
    }
    out.push_str("Run `cargo xtask codegen` to regenerate, then commit the result.\n");
    out
}

/// `cargo xtask codegen [--check]`.
pub fn run(root: &Path, check: bool) -> Result<bool, String> {
    let plan = plan(root)?;
    for (spec, _, notes) in &plan.reports {
        crate::spec::print_notes(spec, notes, false);
    }
    let summaries = || {
        for (_, summary, _) in &plan.reports {
            eprintln!("{summary}");
        }
        eprintln!("{}", plan.fixture_summary);
    };
    let drifts = drift(&plan);
    if check {
        if drifts.is_empty() {
            println!("generated code is up to date ({} files)", plan.files.len());
            summaries();
            return Ok(true);
        }
        eprint!("{}", describe(root, &drifts));
        return Ok(false);
    }
    for line in apply(&drifts)? {
        println!("{line}");
    }
    println!("{} files up to date", plan.files.len());
    summaries();
    for target in load_config(root)?.targets {
        eprintln!("{}", changes_since_head(root, &target));
    }
    Ok(true)
}
