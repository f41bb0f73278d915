//! `cargo xtask real-servers`: clients generated from the documents real servers serve, run
//! against those servers.
//!
//! Prism holds a server to its document; real servers do not hold to theirs. For each server
//! of the suite (`servers::SERVERS`: a Django REST framework application, Kinto, Prefect and
//! Unleash) it
//!
//! 1. installs it (pinned, from the package registries, into `target/tools/real-servers/`)
//!    and starts it on a loopback port with fresh data;
//! 2. fetches the API description the running server serves, and generates its client from
//!    that (not from a copy);
//! 3. builds the server's workflow (`xtask/real-servers/<name>/workflow.rs`, an ordinary
//!    program a user of the client would write: create, read, update, list and stream,
//!    delete, and the error paths) and runs it with the default, tolerant decoding, recording
//!    the deviations the client reads past;
//! 4. drafts an overlay from those deviations (`cargo xtask draft-overlay`), generates the
//!    client again with it, and runs the workflow once more against a fresh server, decoding
//!    strictly.
//!
//! The per-call table goes to `target/real-servers/report.md` (and `report.json`). The suite
//! passes when, on every server, at least 95% of the checks pass as served and all of them
//! pass strictly with the drafted overlay.

mod postgres;
mod process;
mod servers;

use servers::{Server, SERVERS};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The share of checks that must pass against each server as it serves its document.
const AS_SERVED_BAR: f64 = 0.95;

const USAGE: &str =
    "usage: cargo xtask real-servers [--server NAME]... [--test-set] [--no-overlay-loop]";

/// One check of a workflow, as the workflow printed it.
#[derive(Debug, Clone, serde::Deserialize, serde::Serialize)]
struct Check {
    check: String,
    ok: bool,
    #[serde(default)]
    detail: Option<String>,
}

/// What one server's runs gave.
#[derive(Debug, Default, serde::Serialize)]
struct ServerResult {
    name: String,
    about: String,
    /// The checks as served (tolerant decoding).
    as_served: Vec<Check>,
    /// The checks as served, decoding strictly (what a client without tolerance would see).
    strict_as_served: Vec<Check>,
    /// The checks strict, with the drafted overlay; `None` when the loop was not run.
    with_overlay: Option<Vec<Check>>,
    deviations: usize,
    overlay_actions: usize,
    /// An error that stopped the server's runs.
    error: Option<String>,
}

impl ServerResult {
    fn passed(checks: &[Check]) -> usize {
        checks.iter().filter(|c| c.ok).count()
    }

    fn ok(&self) -> bool {
        let served = &self.as_served;
        self.error.is_none()
            && !served.is_empty()
            && Self::passed(served) as f64 >= AS_SERVED_BAR * served.len() as f64
            && self.with_overlay.as_ref().is_none_or(|strict| {
                Self::passed(strict) == strict.len() && strict.len() == served.len()
            })
    }
}

struct Args {
    servers: Vec<&'static Server>,
    overlay_loop: bool,
}

fn parse_args(args: &[String]) -> Result<Args, String> {
    let mut names = Vec::new();
    let mut test_set = false;
    let mut overlay_loop = true;
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        match arg.as_str() {
            "--server" => names.push(
                iter.next()
                    .ok_or("real-servers: `--server` needs a name")?
                    .clone(),
            ),
            "--test-set" => test_set = true,
            "--no-overlay-loop" => overlay_loop = false,
            "--help" | "-h" => return Err(USAGE.to_owned()),
            other => return Err(format!("real-servers: unknown argument `{other}`\n{USAGE}")),
        }
    }
    let mut servers = Vec::new();
    for name in &names {
        let server = SERVERS.iter().find(|s| s.name == name).ok_or_else(|| {
            let known: Vec<&str> = SERVERS.iter().map(|s| s.name).collect();
            format!(
                "real-servers: no server `{name}` (known: {})",
                known.join(", ")
            )
        })?;
        servers.push(server);
    }
    if test_set {
        servers.extend(SERVERS.iter().filter(|s| s.in_test_command));
    }
    if servers.is_empty() {
        servers.extend(SERVERS.iter());
    }
    Ok(Args {
        servers,
        overlay_loop,
    })
}

/// `cargo xtask real-servers ...`.
pub fn run(root: &Path, args: &[String]) -> Result<bool, String> {
    let args = parse_args(args)?;
    let work = root.join("target/real-servers");
    std::fs::create_dir_all(&work).map_err(|e| e.to_string())?;
    let mut results = Vec::new();
    for server in &args.servers {
        eprintln!("real-servers: {} ({})", server.name, server.about);
        let started = std::time::Instant::now();
        let result = run_server(root, &work, server, args.overlay_loop);
        match &result.error {
            Some(e) => eprintln!("  error: {e}"),
            None => eprintln!(
                "  as served: {}/{} checks pass; strict with the drafted overlay ({} actions): {} ({:.0} s)",
                ServerResult::passed(&result.as_served),
                result.as_served.len(),
                result.overlay_actions,
                result.with_overlay.as_ref().map_or("not run".to_owned(), |s| format!(
                    "{}/{}",
                    ServerResult::passed(s),
                    s.len()
                )),
                started.elapsed().as_secs_f64()
            ),
        }
        results.push(result);
    }
    let text = report(&results);
    let path = work.join("report.md");
    std::fs::write(&path, &text).map_err(|e| format!("{}: {e}", path.display()))?;
    let json = serde_json::to_string_pretty(&results).map_err(|e| e.to_string())?;
    std::fs::write(work.join("report.json"), json).map_err(|e| e.to_string())?;
    println!(
        "{}",
        text.lines()
            .take_while(|l| !l.starts_with("## "))
            .collect::<Vec<_>>()
            .join("\n")
    );
    eprintln!("report written to {}", path.display());
    Ok(results.iter().all(ServerResult::ok))
}

fn run_server(root: &Path, work: &Path, server: &Server, overlay_loop: bool) -> ServerResult {
    let mut result = ServerResult {
        name: server.name.to_owned(),
        about: server.about.to_owned(),
        ..Default::default()
    };
    if let Err(e) = run_passes(root, work, server, overlay_loop, &mut result) {
        result.error = Some(e);
    }
    result
}

fn run_passes(
    root: &Path,
    work: &Path,
    server: &Server,
    overlay_loop: bool,
    result: &mut ServerResult,
) -> Result<(), String> {
    let dir = work.join(server.name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    servers::install(root, server)?;
    let deviations = dir.join("deviations.jsonl");
    let served = dir.join("served.json");
    let exe = prepare(root, work, server, &served, None)?;
    result.as_served = run_workflow(root, server, &exe, false, &deviations)?;
    result.strict_as_served = run_workflow(
        root,
        server,
        &exe,
        true,
        &dir.join("deviations-unused.jsonl"),
    )?;
    result.deviations = std::fs::read_to_string(&deviations)
        .map(|t| t.lines().filter(|l| !l.trim().is_empty()).count())
        .unwrap_or(0);
    if !overlay_loop {
        return Ok(());
    }
    // The overlay the recorded deviations call for, drafted as a maintainer would.
    let overlay = dir.join("overlay.yaml");
    if result.deviations > 0 {
        let args = crate::draft_overlay::Args {
            spec: served.clone(),
            deviations: vec![deviations.clone()],
            out: Some(overlay.clone()),
        };
        let (text, summary) = crate::draft_overlay::draft(&args)?;
        std::fs::write(&overlay, &text).map_err(|e| e.to_string())?;
        eprintln!("  {summary}");
        result.overlay_actions = text
            .lines()
            .filter(|l| l.starts_with("  - target:"))
            .count();
    }
    let overlays = (result.deviations > 0).then_some(overlay.as_path());
    let exe = prepare(root, work, server, &dir.join("served-again.json"), overlays)?;
    result.with_overlay = Some(run_workflow(
        root,
        server,
        &exe,
        true,
        &dir.join("deviations-strict.jsonl"),
    )?);
    Ok(())
}

/// Fetches the document the server serves into `document`, generates the client from it
/// (with `overlay`) and builds the workflow against it: the workflow's executable.
fn prepare(
    root: &Path,
    work: &Path,
    server: &Server,
    document: &Path,
    overlay: Option<&Path>,
) -> Result<PathBuf, String> {
    let dir = work.join(server.name);
    let running = fresh_server(root, server, "document")?;
    let (status, body) = process::get(running.port, server.document, &servers::headers(server))?;
    if status != 200 {
        return Err(format!("{} answered {status}", server.document));
    }
    drop(running);
    std::fs::write(document, &body).map_err(|e| e.to_string())?;
    let client = dir.join("client");
    generate_client(root, server, document, overlay, &client)?;
    build_workflow(work, server, &client)
}

/// The server started on fresh data (`label` names its data folder and log).
fn fresh_server(root: &Path, server: &Server, label: &str) -> Result<servers::Started, String> {
    let dir = root.join("target/real-servers").join(server.name);
    let data = dir.join(format!("data-{label}"));
    let _ = std::fs::remove_dir_all(&data);
    std::fs::create_dir_all(&data).map_err(|e| e.to_string())?;
    servers::start(
        root,
        server,
        &data,
        &dir.join(format!("server-{label}.log")),
    )
}

/// Runs the workflow against a fresh server, decoding strictly or tolerantly, recording
/// deviations to `deviations`: the checks it made.
fn run_workflow(
    root: &Path,
    server: &Server,
    exe: &Path,
    strict: bool,
    deviations: &Path,
) -> Result<Vec<Check>, String> {
    let mode = if strict { "strict" } else { "tolerant" };
    let running = fresh_server(root, server, mode)?;
    let _ = std::fs::remove_file(deviations);
    let output = Command::new(exe)
        .arg(format!("http://127.0.0.1:{}", running.port))
        .arg(mode)
        .arg(deviations)
        .output()
        .map_err(|e| format!("cannot run the workflow: {e}"))?;
    drop(running);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let checks: Vec<Check> = stdout
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    if checks.is_empty() {
        return Err(format!(
            "the workflow made no check ({}):\n{}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
                .lines()
                .take(20)
                .collect::<Vec<_>>()
                .join("\n")
        ));
    }
    Ok(checks)
}

/// The client crate of the served `document` (with `overlay` applied), in `out`.
fn generate_client(
    root: &Path,
    server: &Server,
    document: &Path,
    overlay: Option<&Path>,
    out: &Path,
) -> Result<(), String> {
    let args = crate::generate::Args {
        spec: document.to_path_buf(),
        out: out.to_path_buf(),
        crate_name: Some(server.crate_name.to_owned()),
        tag_features: generator::TagFeatures::Never,
        overlays: overlay
            .map(|o| o.display().to_string())
            .into_iter()
            .collect(),
        verbose: false,
        allow_no_operations: false,
        exhaustive: false,
        runtime: None,
    };
    let generated = crate::generate::on_big_stack(move || crate::generate::generate_files(&args))?;
    crate::generate::write_files(out, &generated.files)?;
    crate::generate::add_program_dependencies(out)?;
    // The workflow is an example of the client crate, built with the workspace's lock file so
    // that it builds offline with the dependencies the workspace has.
    let example = out.join("examples/workflow");
    std::fs::create_dir_all(&example).map_err(|e| e.to_string())?;
    let source = servers::source_dir(root, server);
    copy(&source.join("workflow.rs"), &example.join("main.rs"))?;
    copy(
        &root.join("xtask/real-servers/support.rs"),
        &example.join("support.rs"),
    )?;
    copy(&root.join("Cargo.lock"), &out.join("Cargo.lock"))?;
    Ok(())
}

fn copy(from: &Path, to: &Path) -> Result<(), String> {
    std::fs::copy(from, to)
        .map(drop)
        .map_err(|e| format!("{} -> {}: {e}", from.display(), to.display()))
}

/// Builds the workflow example; the executable.
fn build_workflow(work: &Path, server: &Server, client: &Path) -> Result<PathBuf, String> {
    let target = work.join("target");
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["build", "--offline", "--quiet", "--example", "workflow"])
        .current_dir(client)
        .env("CARGO_TARGET_DIR", &target)
        .env_remove("RUSTFLAGS")
        .output()
        .map_err(|e| format!("cargo build: {e}"))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let first: String = stderr.lines().take(40).collect::<Vec<_>>().join("\n");
        return Err(format!(
            "the workflow of {} does not build against its generated client:\n{first}",
            server.name
        ));
    }
    Ok(target.join("debug/examples/workflow"))
}

/// The report: a summary table, then each server's checks.
fn report(results: &[ServerResult]) -> String {
    // Out of the checks the workflow makes as served: a run that stopped early (a failed
    // create leaves nothing to read) counts what it did not reach as failed.
    let share_of = |checks: &[Check], total: usize| {
        let passed = ServerResult::passed(checks);
        format!(
            "{passed}/{total} ({:.0}%)",
            100.0 * passed as f64 / total.max(1) as f64
        )
    };
    let mut out = String::from(
        "# Real servers\n\nEach server's client is generated from the document the running server serves; \
         its workflow runs as served (tolerant decoding), then strict with the overlay drafted from \
         the deviations the first run recorded.\n\n\
         | server | checks | as served (tolerant) | as served, strict | strict, drafted overlay | deviations recorded | overlay actions |\n\
         |---|---|---|---|---|---|---|\n",
    );
    for r in results {
        match &r.error {
            Some(e) => out.push_str(&format!(
                "| {} | error: {} | | | | | |\n",
                r.name,
                e.lines().next().unwrap_or("")
            )),
            None => out.push_str(&format!(
                "| {} | {} | {} | {} | {} | {} | {} |\n",
                r.name,
                r.as_served.len(),
                share_of(&r.as_served, r.as_served.len()),
                share_of(&r.strict_as_served, r.as_served.len()),
                r.with_overlay
                    .as_deref()
                    .map_or("not run".into(), |s| share_of(s, r.as_served.len())),
                r.deviations,
                r.overlay_actions
            )),
        }
    }
    for r in results {
        out.push_str(&format!("\n## {}: {}\n\n", r.name, r.about));
        if let Some(e) = &r.error {
            out.push_str(&format!("```text\n{e}\n```\n"));
            continue;
        }
        out.push_str(
            "| check | as served | as served, strict | strict, drafted overlay |\n|---|---|---|---|\n",
        );
        for (i, check) in r.as_served.iter().enumerate() {
            let strict = r.with_overlay.as_ref().and_then(|s| s.get(i));
            let strict_as_served = r.strict_as_served.get(i);
            let mark = |c: Option<&Check>| match c {
                Some(c) if c.ok => "pass".to_owned(),
                Some(c) => format!(
                    "**fail**: {}",
                    c.detail.as_deref().unwrap_or("").replace('|', "\\|")
                ),
                None => "not reached".to_owned(),
            };
            out.push_str(&format!(
                "| {} | {} | {} | {} |\n",
                check.check,
                mark(Some(check)),
                mark(strict_as_served),
                mark(strict)
            ));
        }
    }
    out
}
