//! `cargo xtask test`: installs what the tests need, validates the specs with an independent
//! validator, and runs every test of the workspace.

use crate::tools;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

/// Every spec the project keeps: the API and the fixtures.
fn specs(root: &Path) -> Result<Vec<String>, String> {
    let mut out = vec![
        "spec/posthog.yaml".to_owned(),
        "spec/posthog-oas31.yaml".to_owned(),
    ];
    out.extend(
        crate::codegen::fixture_specs(root)?
            .into_iter()
            .map(|fixture| fixture.spec),
    );
    Ok(out)
}

/// First lines that mark a fixture the validator is not run on: one that breaks the OpenAPI
/// rules on purpose (as real specs do), or one in a version the validator does not read.
const NOT_VALIDATED: &[&str] = &["# deliberately invalid:", "# not validated:"];

/// Validates every spec with openapi-spec-validator, except fixtures marked deliberately
/// invalid.
pub fn validate_specs(root: &Path) -> Result<(), String> {
    tools::ensure_python_tools(root)?;
    let mut specs = specs(root)?;
    specs.retain(|spec| {
        let text = std::fs::read_to_string(root.join(spec)).unwrap_or_default();
        let skip = NOT_VALIDATED.iter().any(|m| text.starts_with(m));
        if skip {
            let why = text.lines().next().unwrap_or_default();
            eprintln!("openapi-spec-validator: skipping {spec} ({why})");
        }
        !skip
    });
    tools::run(
        Command::new(tools::spec_validator_bin(root))
            .args(&specs)
            .current_dir(root),
        "openapi-spec-validator",
    )?;
    eprintln!("openapi-spec-validator: {} specs valid", specs.len());
    Ok(())
}

/// The stages of the test command, each timed; the table is printed at the end, also when a
/// stage fails (the stages after it do not run).
struct Stages {
    started: Instant,
    done: Vec<(&'static str, Duration, bool)>,
}

impl Stages {
    fn new() -> Self {
        Stages {
            started: Instant::now(),
            done: Vec::new(),
        }
    }

    /// Runs a stage and records its time and outcome.
    fn run(
        &mut self,
        name: &'static str,
        stage: impl FnOnce() -> Result<bool, String>,
    ) -> Result<bool, String> {
        let started = Instant::now();
        let outcome = stage();
        let passed = matches!(outcome, Ok(true));
        self.done.push((name, started.elapsed(), passed));
        outcome
    }

    fn print(&self) {
        eprintln!("\ntest stages:");
        for (name, took, passed) in &self.done {
            let mark = if *passed { "ok" } else { "FAILED" };
            eprintln!("  {name:<28} {:>7.1} s  {mark}", took.as_secs_f64());
        }
        eprintln!(
            "  {:<28} {:>7.1} s",
            "total",
            self.started.elapsed().as_secs_f64()
        );
    }
}

/// `cargo xtask test [-- <cargo test args>]`.
pub fn run(root: &Path, extra: &[String]) -> Result<bool, String> {
    let mut stages = Stages::new();
    let outcome = run_stages(root, extra, &mut stages);
    stages.print();
    outcome
}

fn run_stages(root: &Path, extra: &[String], stages: &mut Stages) -> Result<bool, String> {
    let ok = stages.run("tools and spec validation", || {
        tools::ensure_node_tools(root)?;
        validate_specs(root)?;
        Ok(true)
    })?;
    let ok = ok
        && stages.run("cargo test --workspace", || {
            let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
                .args(["test", "--workspace"])
                .args(extra)
                .current_dir(root)
                // The conformance tests must not skip: Prism is installed, so its absence is an
                // error.
                .env("REQUIRE_PRISM", "1")
                .env("PRISM_BIN", tools::prism_bin(root))
                // Snapshots are checked, never rewritten, by the test command.
                .env("INSTA_UPDATE", "no")
                .env("CI", "true")
                .status()
                .map_err(|e| format!("cannot run cargo test: {e}"))?;
            Ok(status.success())
        })?;
    let ok = ok && stages.run("native-tls", || native_tls(root))?;
    // The runtime crate is a public API of its own: checked against its last release with
    // cargo-semver-checks (installed, pinned, on first use), which must also refuse a copy
    // with a public method removed.
    let ok = ok && stages.run("runtime semver", || crate::runtime_semver::run(root, &[]))?;
    // On the wire: every PostHog operation against Prism, static and dynamic. The whole list
    // (`cargo xtask conformance`) takes longer; the README has its numbers.
    let ok = ok
        && stages.run("conformance (PostHog)", || {
            let posthog = root.join("spec/posthog.yaml").display().to_string();
            crate::conformance::run(root, &["--spec".into(), posthog])
        })?;
    // Real servers, not documents: the Django REST framework application and Kinto, each
    // client generated from the document its running server serves (the rest of the suite,
    // Prefect and Unleash, runs on demand: `cargo xtask real-servers`).
    let ok = ok
        && stages.run("real servers (drf, kinto)", || {
            crate::real_servers::run(root, &["--test-set".into()])
        })?;
    if !ok {
        return Ok(false);
    }
    // Real-world specs, and the project's own, as standalone crates that must compile cleanly.
    let corpus = stages.run("corpus sample", || {
        eprintln!("corpus sample: xtask/tools/corpus-ci.txt");
        crate::corpus::run(
            root,
            &["--spec-list".into(), "xtask/tools/corpus-ci.txt".into()],
        )
    })?;
    // Every variant of every union in the fixtures and the corpus sample, both ways.
    let unions = stages.run("union round-trips", || crate::unions::run(root, &[]))?;
    // The fuzzer with a fixed seed and budget (the corpus has built the dependencies its
    // compiled samples need). `cargo xtask fuzz --time SECS` runs longer.
    let fuzz = stages.run("fuzz", || {
        crate::fuzz::run(root, &FUZZ_BUDGET.map(String::from))
    })?;
    // What the generated code costs to compile, against its recorded budgets (the corpus has
    // built the dependencies).
    let budget = stages.run("compile budgets", || crate::budget::run(root, &[]))?;
    Ok(corpus && unions && fuzz && budget)
}

/// `posthog-api` with the platform's TLS library instead of rustls: its TLS test (a local
/// server with its own CA) must pass there too. It links the system's OpenSSL when its
/// development files are installed (Debian's `libssl-dev`), else builds OpenSSL from source
/// (`native-tls-vendored`, which needs only a C compiler, perl and make).
fn native_tls(root: &Path) -> Result<bool, String> {
    let has_openssl = Command::new("pkg-config")
        .args(["--exists", "openssl"])
        .status()
        .is_ok_and(|s| s.success());
    let features = if has_openssl {
        "native-tls"
    } else {
        eprintln!("native-tls: no OpenSSL development files found; building OpenSSL from source");
        "native-tls,reqwest/native-tls-vendored"
    };
    eprintln!(
        "native-tls: cargo test -p posthog-api --no-default-features --features {features} --test tls"
    );
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args([
            "test",
            "-p",
            "posthog-api",
            "--no-default-features",
            "--features",
            features,
        ])
        .args(["--test", "tls"])
        .current_dir(root)
        .status()
        .map_err(|e| format!("cannot run cargo test: {e}"))?;
    Ok(status.success())
}

/// The test command's fuzzing: documents, seed, and how many generated crates to compile.
pub const FUZZ_BUDGET: [&str; 6] = ["--cases", "2000", "--seed", "1", "--compile", "3"];
