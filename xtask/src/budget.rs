//! `cargo xtask budget [--record]`: what generated clients cost to compile, held to recorded
//! budgets so that a regression fails where it is made.
//!
//! For each document of `xtask/tools/compile-budgets.json` (PostHog, a medium directory
//! document and GitHub's), the standalone crate is generated and `cargo check`ed from scratch
//! with its dependencies already built; the check's peak memory must stay within 15% of the
//! recorded budget, and under the budget's ceiling where it has one (GitHub's client: 1.2 GB).
//! Peak memory, unlike time, is stable across machines with the same toolchain, so the check
//! needs no allowance for a slow or busy runner. `--record` writes the measured values as the
//! new budgets, for a change that costs more on purpose (or a new toolchain).

use crate::corpus::{corpus_api_dir, ensure_corpus};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The recorded budgets, relative to the workspace root.
pub const BUDGETS: &str = "xtask/tools/compile-budgets.json";

/// How far above its budget a check's peak memory may go.
const TOLERANCE: f64 = 0.15;

/// The budgets file.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct BudgetFile {
    /// What the numbers mean and how they were measured.
    about: String,
    /// The toolchain they were measured with (`rustc --version`).
    rustc: String,
    budgets: Vec<Budget>,
}

/// One document's budget.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Budget {
    /// `spec/...` in the workspace, or a path in the APIs.guru directory.
    spec: String,
    /// Peak memory of `cargo check` of the generated crate, from scratch, in MB.
    check_peak_rss_mb: f64,
    /// Its time on the machine that recorded it, in seconds (for reading, not checked).
    check_seconds: f64,
    /// A limit the check's peak memory must stay under whatever the budget (a target the
    /// project committed to, such as GitHub's 1.2 GB), in MB.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    ceiling_mb: Option<f64>,
}

fn spec_path(root: &Path, spec: &str) -> Result<PathBuf, String> {
    if spec.starts_with("spec/") {
        return Ok(root.join(spec));
    }
    ensure_corpus(root)?;
    Ok(corpus_api_dir(root).join(spec))
}

/// Generates the standalone crate of `spec` under `target/budget/crates/`.
fn generate(root: &Path, spec: &str) -> Result<PathBuf, String> {
    let path = spec_path(root, spec)?;
    let name = crate::generate::default_crate_name(&path, "spec");
    let dir = root.join("target/budget/crates").join(&name);
    let label = path.display().to_string();
    let spec_label = spec.to_owned();
    let files = crate::generate::on_big_stack(move || {
        let doc = crate::spec::load(Path::new("."), &label, &[], true)?;
        let settings = crate::generate::settings(&spec_label, name, generator::TagFeatures::Auto);
        generator::generate(&doc, &settings).map_err(|e| e.to_string())
    })?;
    let _ = std::fs::remove_dir_all(&dir);
    crate::generate::write_files(&dir, &files)?;
    Ok(dir)
}

/// How many times `cargo check` of a crate depending on every crate in `clients` compiles the
/// runtime crate (each unit of the build graph is reported once, built now or before).
fn runtime_units(root: &Path, clients: &[PathBuf], target: &Path) -> Result<usize, String> {
    let dir = root.join("target/budget/crates/all-clients");
    let mut manifest = String::from(
        "[package]\nname = \"all-clients\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n[dependencies]\n",
    );
    let mut uses = String::new();
    for (i, client) in clients.iter().enumerate() {
        let name = crate::bench::crate_name(&client.join("Cargo.toml"))?;
        manifest.push_str(&format!(
            "client{i} = {{ package = \"{name}\", path = \"{}\" }}\n",
            client.display()
        ));
        uses.push_str(&format!("pub use client{i};\n"));
    }
    manifest.push_str("\n[workspace]\n");
    let _ = std::fs::remove_dir_all(&dir);
    crate::files::write_atomic(&dir.join("Cargo.toml"), manifest.as_bytes())
        .and_then(|()| crate::files::write_atomic(&dir.join("src/lib.rs"), uses.as_bytes()))
        .map_err(|e| format!("{}: {e}", dir.display()))?;
    let _ = std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock"));
    let output =
        std::process::Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .args(["check", "--offline", "--message-format=json", "--lib"])
            .current_dir(&dir)
            .env("CARGO_TARGET_DIR", target)
            // As the budgets were checked, so that the clients' artifacts are reused.
            .env("CARGO_INCREMENTAL", crate::bench::CHECK_INCREMENTAL)
            .output()
            .map_err(|e| format!("cargo check: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "budget: the crate using every generated client does not check: {}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let units = String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|message| {
            message["reason"] == "compiler-artifact"
                && message["target"]["name"] == "openapi_rust_runtime"
        })
        .count();
    Ok(units)
}

/// This program's path, to run its `bench-check` in a child process. In the test command,
/// `cargo test` has rebuilt the xtask binary while this process runs from the old one, which
/// Linux then names `<path> (deleted)`; the rebuilt binary at `<path>` is the one to run.
fn this_executable() -> Result<PathBuf, String> {
    let exe = std::env::current_exe().map_err(|e| format!("budget: {e}"))?;
    let text = exe.to_string_lossy();
    Ok(match text.strip_suffix(" (deleted)") {
        Some(path) => PathBuf::from(path),
        None => exe,
    })
}

fn rustc_version() -> String {
    std::process::Command::new("rustc")
        .arg("--version")
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default()
}

pub fn run(root: &Path, args: &[String]) -> Result<bool, String> {
    let record = match args {
        [] => false,
        [flag] if flag == "--record" => true,
        _ => return Err("budget: expected no arguments or --record".into()),
    };
    let file_path = root.join(BUDGETS);
    let text =
        std::fs::read_to_string(&file_path).map_err(|e| format!("{BUDGETS}: cannot read: {e}"))?;
    let mut file: BudgetFile =
        serde_json::from_str(&text).map_err(|e| format!("{BUDGETS}: {e}"))?;
    let exe = this_executable()?;
    // The corpus's target directory: the test command has built the dependencies there.
    let target = root.join("target/corpus/target");
    let rustc = rustc_version();
    let mut ok = true;
    let mut crates = Vec::new();
    for budget in &mut file.budgets {
        let dir = generate(root, &budget.spec)?;
        crates.push(dir.clone());
        let check = crate::bench::measure_check_in(&exe, root, &dir, &target)?;
        if !check.ok {
            eprintln!(
                "budget: {}: the generated crate does not check",
                budget.spec
            );
            ok = false;
            continue;
        }
        let limit = budget.check_peak_rss_mb * (1.0 + TOLERANCE);
        let limit = budget
            .ceiling_mb
            .map_or(limit, |ceiling| limit.min(ceiling));
        let within = check.peak_rss_mb <= limit;
        eprintln!(
            "budget: {}: cargo check peak {:.0} MB in {:.1} s (budget {:.0} MB, limit {:.0} MB){}",
            budget.spec,
            check.peak_rss_mb,
            check.seconds,
            budget.check_peak_rss_mb,
            limit,
            if within || record { "" } else { ": OVER" }
        );
        if record {
            budget.check_peak_rss_mb = check.peak_rss_mb.round();
            budget.check_seconds = (check.seconds * 10.0).round() / 10.0;
        } else if !within {
            ok = false;
        }
    }
    // The point of the runtime crate: a crate using several generated clients builds one
    // runtime for all of them.
    match runtime_units(root, &crates, &target)? {
        1 => eprintln!(
            "budget: {} generated clients in one crate: openapi-rust-runtime compiled once",
            crates.len()
        ),
        n => {
            eprintln!(
                "budget: {} generated clients in one crate: openapi-rust-runtime compiled {n} times",
                crates.len()
            );
            ok = false;
        }
    }
    if record {
        file.rustc = rustc;
        let text = serde_json::to_string_pretty(&file).map_err(|e| e.to_string())? + "\n";
        crate::files::write_atomic(&file_path, text.as_bytes())
            .map_err(|e| format!("{BUDGETS}: {e}"))?;
        eprintln!("budget: recorded in {BUDGETS}");
        return Ok(true);
    }
    if !ok {
        eprintln!(
            "budget: the generated code costs more to compile than its budget. If that is \
             intended, record the new costs with `cargo xtask budget --record` and say why in \
             the commit message."
        );
    } else if file.rustc != rustc {
        eprintln!(
            "budget: recorded with {}, measured with {rustc}; record again if the toolchain changed the costs",
            file.rustc
        );
    }
    Ok(ok)
}
