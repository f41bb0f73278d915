//! `cargo xtask conformance`: generated clients on the wire. For each document, the generated
//! crate and a generated smoke program (`smoke.rs`) that calls every operation with arguments
//! sampled from the description (`sample.rs`), against Prism started on the same document with
//! `--errors`, in static and dynamic mode. Prism refuses any request the description does not
//! accept; the client must decode each response Prism invents into its typed result.
//!
//! ```text
//! cargo xtask conformance [--spec FILE ...] [--list FILE] [--sample N --seed S] [--modes static,dynamic]
//! ```
//!
//! Without `--spec` or `--sample`, the committed list `xtask/tools/conformance.txt` is run. The
//! report goes to `target/conformance/report.md`.

pub(crate) mod sample;
mod smoke;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Read as _;
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The committed list of documents (relative to the corpus directory, or to the workspace).
pub const DEFAULT_LIST: &str = "xtask/tools/conformance.txt";

/// The share of calls that must be accepted and decoded for the command to pass.
pub const REQUIRED_SHARE: f64 = 0.99;

#[derive(Debug, Default)]
struct Args {
    specs: Vec<String>,
    list: Option<String>,
    sample: Option<(usize, u64)>,
    modes: Vec<Mode>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Mode {
    Static,
    Dynamic,
}

impl Mode {
    fn name(self) -> &'static str {
        match self {
            Mode::Static => "static",
            Mode::Dynamic => "dynamic",
        }
    }
}

fn parse_args(args: &[String]) -> Result<Args, String> {
    let mut out = Args::default();
    let mut seed = None;
    let mut count = None;
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        let mut value = |name: &str| {
            iter.next()
                .cloned()
                .ok_or_else(|| format!("conformance: `{name}` needs a value"))
        };
        match arg.as_str() {
            "--spec" => out.specs.push(value("--spec")?),
            "--list" => out.list = Some(value("--list")?),
            "--sample" => {
                let v = value("--sample")?;
                count = Some(
                    v.parse::<usize>()
                        .map_err(|_| format!("conformance: `--sample {v}` is not a number"))?,
                );
            }
            "--seed" => {
                let v = value("--seed")?;
                seed = Some(
                    v.parse::<u64>()
                        .map_err(|_| format!("conformance: `--seed {v}` is not a number"))?,
                );
            }
            "--modes" => {
                for mode in value("--modes")?.split(',') {
                    out.modes.push(match mode.trim() {
                        "static" => Mode::Static,
                        "dynamic" => Mode::Dynamic,
                        other => {
                            return Err(format!(
                                "conformance: unknown mode `{other}` (static, dynamic)"
                            ))
                        }
                    });
                }
            }
            other => return Err(format!("conformance: unknown argument `{other}`")),
        }
    }
    match (count, seed) {
        (Some(n), seed) => out.sample = Some((n, seed.unwrap_or(1))),
        (None, Some(_)) => return Err("conformance: `--seed` goes with `--sample N`".into()),
        (None, None) => {}
    }
    if out.modes.is_empty() {
        out.modes = vec![Mode::Static, Mode::Dynamic];
    }
    Ok(out)
}

/// What one call did.
#[derive(Debug, Clone)]
struct Call {
    operation: String,
    outcome: String,
    status: Option<u16>,
    detail: String,
}

impl Call {
    /// Prism took the request: it answered with a success, or with an error status the
    /// description documents.
    fn accepted(&self) -> bool {
        matches!(self.outcome.as_str(), "ok" | "decode" | "documented-error")
    }

    /// The client decoded the answer into its typed result (or typed error).
    fn decoded(&self) -> bool {
        matches!(self.outcome.as_str(), "ok" | "documented-error")
    }

    /// The call tests nothing of the client: Prism could not answer it, or answered with
    /// a response that breaks the description (its own examples, say). Listed, not counted.
    fn untestable(&self) -> bool {
        matches!(self.outcome.as_str(), "prism" | "document")
    }
}

/// One document's results.
#[derive(Debug, Default)]
struct DocResult {
    label: String,
    operations: usize,
    /// Per mode, every call.
    calls: BTreeMap<&'static str, Vec<Call>>,
    /// Why the document could not be run at all.
    error: Option<String>,
}

/// `cargo xtask conformance`.
pub fn run(root: &Path, args: &[String]) -> Result<bool, String> {
    let args = parse_args(args)?;
    crate::tools::ensure_node_tools(root)?;
    let specs = specs(root, &args)?;
    let work = root.join("target/conformance");
    std::fs::create_dir_all(&work).map_err(|e| e.to_string())?;
    let mut results = Vec::new();
    for (path, label) in &specs {
        eprintln!("conformance: {label}");
        let started = Instant::now();
        let result = run_one(root, &work, path, label, &args.modes);
        if let Some(e) = &result.error {
            eprintln!("  error: {e}");
        } else {
            for (mode, calls) in &result.calls {
                eprintln!(
                    "  {mode}: {} calls, {} untestable, {} accepted, {} decoded ({:.1} s)",
                    calls.len(),
                    calls.iter().filter(|c| c.untestable()).count(),
                    calls.iter().filter(|c| c.accepted()).count(),
                    calls.iter().filter(|c| c.decoded()).count(),
                    started.elapsed().as_secs_f64()
                );
            }
        }
        results.push(result);
    }
    let (text, share) = report(&results);
    let out = work.join("report.md");
    std::fs::write(&out, &text).map_err(|e| format!("{}: {e}", out.display()))?;
    println!(
        "{}",
        text.lines()
            .take_while(|l| !l.starts_with("## Failures"))
            .collect::<Vec<_>>()
            .join("\n")
    );
    eprintln!("report written to {}", out.display());
    let failed_docs = results.iter().filter(|r| r.error.is_some()).count();
    Ok(failed_docs == 0 && share >= REQUIRED_SHARE)
}

/// The documents to run: given, sampled, or the committed list.
fn specs(root: &Path, args: &Args) -> Result<Vec<(PathBuf, String)>, String> {
    if !args.specs.is_empty() {
        return args
            .specs
            .iter()
            .map(|s| {
                let path =
                    std::fs::canonicalize(s).map_err(|e| format!("conformance: {s}: {e}"))?;
                Ok((path, s.clone()))
            })
            .collect();
    }
    let api = crate::corpus::ensure_corpus(root)?;
    if let Some((n, seed)) = args.sample {
        let all = crate::corpus::all_specs(&api);
        return Ok(crate::corpus::seeded_sample(&all, n, seed)
            .into_iter()
            .map(|s| (s.path, s.id))
            .collect());
    }
    let list = args.list.clone().unwrap_or_else(|| DEFAULT_LIST.to_owned());
    let text = std::fs::read_to_string(root.join(&list)).map_err(|e| format!("{list}: {e}"))?;
    Ok(text
        .lines()
        .map(|l| l.split('#').next().unwrap_or("").trim())
        .filter(|l| !l.is_empty())
        .map(|l| {
            let local = root.join(l);
            let path = if local.exists() { local } else { api.join(l) };
            (path, l.to_owned())
        })
        .collect())
}

fn run_one(root: &Path, work: &Path, path: &Path, label: &str, modes: &[Mode]) -> DocResult {
    let mut result = DocResult {
        label: label.to_owned(),
        ..Default::default()
    };
    match prepare(root, work, path, label) {
        Ok((exe, base_path, operations)) => {
            result.operations = operations;
            for mode in modes {
                match call_all(root, path, &exe, &base_path, *mode) {
                    Ok(calls) => {
                        result.calls.insert(mode.name(), calls);
                    }
                    Err(e) => {
                        result.error = Some(e);
                        break;
                    }
                }
            }
        }
        Err(e) => result.error = Some(e),
    }
    result
}

/// Generates the crate and its smoke program, and builds the program. Returns the
/// executable, the path to call under (none: Prism serves at its root) and the number of
/// operations.
fn prepare(
    root: &Path,
    work: &Path,
    path: &Path,
    label: &str,
) -> Result<(PathBuf, String, usize), String> {
    let name = format!("conformance-{}", slug(label));
    let dir = work.join("crates").join(&name);
    let spec_path = path.to_path_buf();
    let crate_name = name.clone();
    let spec_label = label.to_owned();
    let (doc, api, files) = crate::generate::on_big_stack(move || {
        let label = spec_path.display().to_string();
        let doc = crate::spec::load(Path::new("."), &label, &[], true)?;
        let settings =
            crate::generate::settings(&spec_label, crate_name, generator::TagFeatures::Never);
        let (api, files) =
            generator::generate_with_api(&doc, &settings).map_err(|e| e.to_string())?;
        Ok::<_, String>((doc, api, files))
    })?;
    let _ = std::fs::remove_dir_all(&dir);
    crate::generate::write_files(&dir, &files)?;
    crate::generate::add_program_dependencies(&dir)?;
    let lib = name.replace('-', "_");
    let program = smoke::program(&api, &doc.openapi, &lib);
    std::fs::create_dir_all(dir.join("examples")).map_err(|e| e.to_string())?;
    std::fs::write(dir.join("examples/smoke.rs"), program).map_err(|e| e.to_string())?;
    let _ = std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock"));
    let target = work.join("target");
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["build", "--offline", "--quiet", "--example", "smoke"])
        .current_dir(&dir)
        .env("CARGO_TARGET_DIR", &target)
        .env_remove("RUSTFLAGS")
        .output()
        .map_err(|e| format!("cargo build: {e}"))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let first: String = stderr.lines().take(30).collect::<Vec<_>>().join("\n");
        return Err(format!("the smoke program does not build:\n{first}"));
    }
    // Prism serves the description's paths at its root, whatever the servers' paths are.
    let base_path = String::new();
    let operations = api.groups.iter().map(|g| g.operations.len()).sum();
    Ok((target.join("debug/examples/smoke"), base_path, operations))
}

/// A short crate-name-safe name for a document.
fn slug(label: &str) -> String {
    let stem = label
        .trim_end_matches(".json")
        .trim_end_matches(".yaml")
        .trim_end_matches(".yml");
    let mut out = String::new();
    for c in stem.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').chars().take(50).collect()
}

/// A running Prism, killed when dropped.
struct Prism {
    child: Child,
    log: PathBuf,
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Prism {
    fn start(root: &Path, spec: &Path, mode: Mode, port: u16) -> Result<Prism, String> {
        let log = root.join(format!("target/conformance/prism-{port}.log"));
        let file = std::fs::File::create(&log).map_err(|e| e.to_string())?;
        let mut command = Command::new(crate::tools::prism_bin(root));
        command.args([
            "mock",
            "--host",
            "127.0.0.1",
            "--port",
            &port.to_string(),
            "--errors",
        ]);
        if mode == Mode::Dynamic {
            command.arg("--dynamic");
        }
        let child = command
            .arg(spec)
            .stdout(Stdio::from(file.try_clone().map_err(|e| e.to_string())?))
            .stderr(Stdio::from(file))
            .spawn()
            .map_err(|e| format!("cannot start Prism: {e}"))?;
        let mut prism = Prism { child, log };
        let deadline = Instant::now() + Duration::from_secs(120);
        // Prism says when it listens: the listener on the port is then this Prism, not a
        // process that took the port between its choice and Prism's bind.
        let listening = format!("listening on http://127.0.0.1:{port}");
        loop {
            let said = std::fs::read_to_string(&prism.log).is_ok_and(|t| t.contains(&listening));
            if said && TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return Ok(prism);
            }
            if let Ok(Some(status)) = prism.child.try_wait() {
                return Err(format!(
                    "Prism cannot load the document (it exited with {status}):\n{}",
                    prism.log_tail()
                ));
            }
            if Instant::now() > deadline {
                return Err(format!(
                    "Prism did not start within 120 s:\n{}",
                    prism.log_tail()
                ));
            }
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    fn log_tail(&self) -> String {
        let mut text = String::new();
        let _ = std::fs::File::open(&self.log).and_then(|mut f| f.read_to_string(&mut text));
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(15)..].join("\n")
    }
}

/// A loopback port this process has not handed out before (it is released for Prism to bind,
/// so the next bind of port 0 may be given it again).
fn free_port() -> Result<u16, String> {
    static HANDED_OUT: std::sync::Mutex<std::collections::BTreeSet<u16>> =
        std::sync::Mutex::new(std::collections::BTreeSet::new());
    loop {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .map_err(|e| e.to_string())?;
        if HANDED_OUT
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(port)
        {
            return Ok(port);
        }
    }
}

/// Starts Prism on a fresh port, and once more on another if the first start fails (its port
/// taken before Prism bound it, or a start-up that did not finish), saying so.
fn start_prism(root: &Path, spec: &Path, mode: Mode) -> Result<(Prism, u16), String> {
    let port = free_port()?;
    match Prism::start(root, spec, mode, port) {
        Ok(prism) => Ok((prism, port)),
        Err(first) => {
            eprintln!(
                "  Prism did not start on port {port}; starting it once more on another port. \
                 The first attempt:\n{first}"
            );
            let port = free_port()?;
            Prism::start(root, spec, mode, port).map(|prism| (prism, port))
        }
    }
}

/// Runs the smoke program against Prism in one mode.
fn call_all(
    root: &Path,
    spec: &Path,
    exe: &Path,
    base_path: &str,
    mode: Mode,
) -> Result<Vec<Call>, String> {
    let (_prism, port) = start_prism(root, spec, mode)?;
    let base = format!("http://127.0.0.1:{port}{base_path}");
    let output = Command::new(exe)
        .arg(&base)
        .output()
        .map_err(|e| format!("cannot run the smoke program: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "the smoke program failed: {}",
            String::from_utf8_lossy(&output.stderr)
                .lines()
                .take(10)
                .collect::<Vec<_>>()
                .join("\n")
        ));
    }
    Ok(String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .map(|v| Call {
            operation: v["operation"].as_str().unwrap_or_default().to_owned(),
            outcome: v["outcome"].as_str().unwrap_or_default().to_owned(),
            status: v["status"].as_u64().map(|s| s as u16),
            detail: v["detail"].as_str().unwrap_or_default().to_owned(),
        })
        .collect())
}

/// The report, and the share of calls accepted and decoded over every document and mode.
fn report(results: &[DocResult]) -> (String, f64) {
    let mut text = String::from("# Conformance against Prism\n\n");
    let _ = writeln!(
        text,
        "Each operation is called once per mode with arguments sampled from its description; \
         Prism (`--errors`) refuses requests the description does not accept, and the client \
         must decode each response into its typed result.\n"
    );
    text.push_str("| Document | Operations | Mode | Called | Untestable | Accepted | Decoded |\n|---|---|---|---|---|---|---|\n");
    let (mut calls, mut good) = (0usize, 0usize);
    for r in results {
        if let Some(e) = &r.error {
            let first = e.lines().next().unwrap_or_default();
            let _ = writeln!(
                text,
                "| {} | {} | — | error: {first} | | | |",
                r.label, r.operations
            );
            continue;
        }
        for (mode, list) in &r.calls {
            let untestable = list.iter().filter(|c| c.untestable()).count();
            let accepted = list.iter().filter(|c| c.accepted()).count();
            let decoded = list.iter().filter(|c| c.decoded()).count();
            calls += list.len() - untestable;
            good += decoded;
            let _ = writeln!(
                text,
                "| {} | {} | {mode} | {} | {untestable} | {accepted} | {decoded} |",
                r.label,
                r.operations,
                list.len()
            );
        }
    }
    let share = if calls == 0 {
        0.0
    } else {
        good as f64 / calls as f64
    };
    let _ = writeln!(
        text,
        "\n**{good} of {calls} testable calls accepted and decoded ({:.2}%)**; the bar is {:.0}%. \
         Untestable calls (Prism could not answer, or its answer breaks the description) are \
         listed with the failures and not counted.\n",
        share * 100.0,
        REQUIRED_SHARE * 100.0
    );
    text.push_str("## Failures\n");
    for r in results {
        if let Some(e) = &r.error {
            let _ = writeln!(text, "\n### {}\n\n```text\n{e}\n```", r.label);
            continue;
        }
        let failures: Vec<(&str, &Call)> = r
            .calls
            .iter()
            .flat_map(|(mode, list)| {
                list.iter()
                    .filter(|c| !c.decoded())
                    .map(move |c| (*mode, c))
            })
            .collect();
        if failures.is_empty() {
            continue;
        }
        let _ = writeln!(text, "\n### {}\n", r.label);
        for (mode, c) in failures {
            let status = c.status.map(|s| format!(" {s}")).unwrap_or_default();
            let detail: String = c.detail.replace('\n', " ").chars().take(400).collect();
            let _ = writeln!(
                text,
                "- `{}` ({mode}): {}{status}: {detail}",
                c.operation, c.outcome
            );
        }
    }
    (text, share)
}
