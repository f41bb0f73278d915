//! `cargo xtask bench`: how fast the generator is, how much memory it takes, and what the
//! generated code costs to compile.
//!
//! ```text
//! cargo xtask bench [--spec FILE ...] [--runs N] [--compile] [--out FILE]
//! cargo xtask bench --client [--calls N] [--rounds R] [--in-flight 1,32,256] [--out FILE]
//! ```
//!
//! Each spec is measured in a child process (`cargo xtask bench-one`), so its peak memory
//! (`getrusage`) is its own. Each stage (parse, validate, lower, emit, format, write) is timed
//! over several runs after a warm-up; the report gives the median and the range, the ratio of
//! the whole run to parsing alone (the floor), the output size and, with `--compile`, the time
//! and peak memory of `cargo check` on the generated crate.

use crate::corpus::{corpus_api_dir, ensure_corpus};
use serde::{Deserialize, Serialize};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// The specs measured by default: PostHog, then four large APIs from the directory.
pub const DEFAULT_DIRECTORY_SPECS: &[&str] = &[
    "github.com/api.github.com.json",
    "stripe.com.json",
    "amazonaws.com/ec2.json",
    "microsoft.com/graph.json",
];

/// The stages, in order. `render` is emit and format fused per file on all cores, as
/// `generator::generate` runs them; `emit` and `format` are measured once more one after the
/// other on one thread, to show how render's time splits.
pub const STAGES: &[&str] = &["parse", "validate", "lower", "render", "write"];

/// Timings of one stage over the measured runs.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StageTimes {
    pub stage: String,
    pub median_ms: f64,
    pub min_ms: f64,
    pub max_ms: f64,
}

/// Everything measured for one spec.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SpecResult {
    pub spec: String,
    pub bytes_in: u64,
    pub runs: usize,
    pub stages: Vec<StageTimes>,
    pub total_median_ms: f64,
    /// Single-threaded emit and format of every file (one pass, after the measured runs).
    pub emit_ms: f64,
    pub format_ms: f64,
    pub floor_ratio: f64,
    pub peak_rss_mb: f64,
    pub files: usize,
    pub lines_out: usize,
    pub bytes_out: usize,
    pub operations: usize,
    pub types: usize,
    pub check_seconds: Option<f64>,
    pub check_peak_rss_mb: Option<f64>,
    pub check_ok: Option<bool>,
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(|a, b| a.total_cmp(b));
    let n = values.len();
    if n == 0 {
        0.0
    } else if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    }
}

/// Peak resident memory of this process, or of its waited-for children, in MB.
fn peak_rss_mb(children: bool) -> f64 {
    let who = if children {
        libc::RUSAGE_CHILDREN
    } else {
        libc::RUSAGE_SELF
    };
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: getrusage writes into the struct we own; `who` is a valid selector.
    let ok = unsafe { libc::getrusage(who, &mut usage) } == 0;
    if ok {
        usage.ru_maxrss as f64 / 1024.0
    } else {
        0.0
    }
}

/// Measures one spec in this process (run by the parent in a fresh child).
pub fn bench_one(root: &Path, spec: &Path, label: &str, runs: usize) -> Result<SpecResult, String> {
    let text = std::fs::read_to_string(spec).map_err(|e| format!("{}: {e}", spec.display()))?;
    let out_dir = crate_dir(root, spec);
    let settings = crate::generate::settings(
        label,
        crate::generate::default_crate_name(spec, "spec"),
        generator::TagFeatures::Auto,
    );
    let mut samples: Vec<Vec<f64>> = vec![Vec::new(); STAGES.len()];
    let mut totals = Vec::new();
    let mut last_files = Vec::new();
    let mut shape = (0, 0);
    for run in 0..=runs {
        let mut times = [Duration::ZERO; 5];
        let t = Instant::now();
        let doc = generator::parse_document_lenient(&text).map_err(|e| format!("{label}: {e}"))?;
        times[0] = t.elapsed();
        let t = Instant::now();
        generator::validate(&doc).map_err(|e| format!("{label}: {e}"))?;
        times[1] = t.elapsed();
        let t = Instant::now();
        let api = generator::lower(&doc, &settings).map_err(|e| format!("{label}: {e}"))?;
        times[2] = t.elapsed();
        let t = Instant::now();
        let files = generator::render(&api, &settings).map_err(|e| format!("{label}: {e}"))?;
        times[3] = t.elapsed();
        let t = Instant::now();
        if run == 0 {
            let _ = std::fs::remove_dir_all(&out_dir);
        }
        crate::generate::write_files(&out_dir, &files)?;
        times[4] = t.elapsed();
        shape = (
            api.groups.iter().map(|g| g.operations.len()).sum(),
            api.types.len(),
        );
        drop(api);
        drop(doc);
        // Run 0 warms caches (and writes every file); the rest are measured.
        if run > 0 {
            for (stage, time) in times.iter().enumerate() {
                samples[stage].push(time.as_secs_f64() * 1000.0);
            }
            totals.push(times.iter().map(Duration::as_secs_f64).sum::<f64>() * 1000.0);
        }
        last_files = files;
    }
    // Peak memory of the pipeline as `generate` runs it, before the profiling pass below
    // (which holds every file's tokens at once) can raise it.
    let peak_rss = peak_rss_mb(false);
    let doc = generator::parse_document_lenient(&text).map_err(|e| format!("{label}: {e}"))?;
    let api = generator::lower(&doc, &settings).map_err(|e| format!("{label}: {e}"))?;
    let t = Instant::now();
    let emitted = generator::emit(&api, &settings);
    let emit_ms = t.elapsed().as_secs_f64() * 1000.0;
    let t = Instant::now();
    generator::format(emitted, &settings).map_err(|e| format!("{label}: {e}"))?;
    let format_ms = t.elapsed().as_secs_f64() * 1000.0;
    let stages: Vec<StageTimes> = STAGES
        .iter()
        .zip(samples.iter_mut())
        .map(|(stage, values)| StageTimes {
            stage: stage.to_string(),
            min_ms: values.iter().copied().fold(f64::INFINITY, f64::min),
            max_ms: values.iter().copied().fold(0.0, f64::max),
            median_ms: median(values),
        })
        .collect();
    let total_median_ms = median(&mut totals);
    let floor_ratio = total_median_ms / stages[0].median_ms.max(f64::EPSILON);
    let result = SpecResult {
        spec: label.to_owned(),
        bytes_in: text.len() as u64,
        runs,
        stages,
        total_median_ms,
        emit_ms,
        format_ms,
        floor_ratio,
        peak_rss_mb: peak_rss,
        files: last_files.len(),
        lines_out: last_files.iter().map(|f| f.contents.lines().count()).sum(),
        bytes_out: last_files.iter().map(|f| f.contents.len()).sum(),
        operations: shape.0,
        types: shape.1,
        check_seconds: None,
        check_peak_rss_mb: None,
        check_ok: None,
    };
    Ok(result)
}

/// Where a spec's crate is written.
fn crate_dir(root: &Path, spec: &Path) -> PathBuf {
    root.join("target/bench/crates")
        .join(crate::generate::default_crate_name(spec, "spec"))
}

/// What `bench-check` measured.
#[derive(Debug, Serialize, Deserialize)]
pub struct CheckResult {
    pub seconds: f64,
    pub peak_rss_mb: f64,
    pub ok: bool,
}

/// `cargo check` of a generated crate on a warm dependency cache: the dependencies are
/// checked first; then everything cargo kept of the crate itself (including its incremental
/// cache) is cleaned, and the crate is checked from scratch in a fresh process
/// (`bench-check`) so that its peak memory is the measured check's alone.
fn measure_check(exe: &Path, root: &Path, dir: &Path) -> Result<CheckResult, String> {
    measure_check_in(exe, root, dir, &root.join("target/bench/target"))
}

/// `cargo check` of a generated crate from scratch (see `measure_check`), with its
/// dependencies built in `target`.
/// Generated crates are measured as the crates that use them build them: as dependencies,
/// which Cargo compiles without incremental compilation (a checkout's own crates are
/// incremental, which costs rustc about 8 MB more on PostHog's crate). Set for the warm-up
/// too, so that the dependencies' fingerprints match and nothing but the crate is built.
pub const CHECK_INCREMENTAL: &str = "0";

pub fn measure_check_in(
    exe: &Path,
    root: &Path,
    dir: &Path,
    target: &Path,
) -> Result<CheckResult, String> {
    let _ = std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock"));
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let warm = Command::new(&cargo)
        .args(["check", "--offline", "--quiet", "--lib"])
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .env("CARGO_INCREMENTAL", CHECK_INCREMENTAL)
        .status()
        .map_err(|e| format!("cargo check: {e}"))?;
    if !warm.success() {
        return Ok(CheckResult {
            seconds: 0.0,
            peak_rss_mb: 0.0,
            ok: false,
        });
    }
    let name = crate_name(&dir.join("Cargo.toml"))?;
    let clean = Command::new(&cargo)
        .args(["clean", "--offline", "--quiet", "--package", &name])
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .env("CARGO_INCREMENTAL", CHECK_INCREMENTAL)
        .status()
        .map_err(|e| format!("cargo clean: {e}"))?;
    if !clean.success() {
        return Err(format!("cargo clean --package {name} failed"));
    }
    let output = Command::new(exe)
        .arg("bench-check")
        .arg(dir)
        .arg(target)
        .output()
        .map_err(|e| format!("bench-check: {e}"))?;
    serde_json::from_slice(&output.stdout).map_err(|e| {
        format!(
            "bench-check: {e}: {}",
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

/// The package name a generated manifest declares.
pub fn crate_name(manifest: &Path) -> Result<String, String> {
    let text =
        std::fs::read_to_string(manifest).map_err(|e| format!("{}: {e}", manifest.display()))?;
    text.lines()
        .find_map(|line| line.strip_prefix("name = \""))
        .and_then(|rest| rest.strip_suffix('"'))
        .map(str::to_owned)
        .ok_or_else(|| format!("{}: no package name", manifest.display()))
}

/// `cargo xtask bench-check DIR` (internal): touches the crate, checks it, prints JSON.
pub fn run_check(root: &Path, args: &[String]) -> Result<bool, String> {
    let (dir, target) = match args {
        [dir] => (PathBuf::from(dir), root.join("target/bench/target")),
        [dir, target] => (PathBuf::from(dir), PathBuf::from(target)),
        _ => return Err("bench-check: expected DIR [TARGET]".into()),
    };
    let lib = dir.join("src/lib.rs");
    let contents = std::fs::read(&lib).map_err(|e| format!("{}: {e}", lib.display()))?;
    std::fs::write(&lib, contents).map_err(|e| e.to_string())?;
    let started = Instant::now();
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["check", "--offline", "--quiet", "--lib"])
        .current_dir(&dir)
        .env("CARGO_TARGET_DIR", &target)
        .env("CARGO_INCREMENTAL", CHECK_INCREMENTAL)
        .status()
        .map_err(|e| format!("cargo check: {e}"))?;
    let result = CheckResult {
        seconds: started.elapsed().as_secs_f64(),
        peak_rss_mb: peak_rss_mb(true),
        ok: status.success(),
    };
    println!(
        "{}",
        serde_json::to_string(&result).map_err(|e| e.to_string())?
    );
    Ok(true)
}

/// The report table.
pub fn table(results: &[SpecResult]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "| spec | in | ops | types | parse | validate | lower | render | write | total | floor ratio | peak RSS | emit / format (1 thread) | out lines | check | check RSS |"
    );
    let _ = writeln!(
        out,
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
    );
    for r in results {
        let stage = |name: &str| {
            r.stages
                .iter()
                .find(|s| s.stage == name)
                .map_or("-".into(), |s| {
                    format!("{:.0} ms ({:.0}–{:.0})", s.median_ms, s.min_ms, s.max_ms)
                })
        };
        let check = match (r.check_seconds, r.check_ok) {
            (Some(s), Some(true)) => format!("{s:.1} s"),
            (Some(s), Some(false)) => format!("FAILED after {s:.1} s"),
            _ => "-".into(),
        };
        let _ = writeln!(
            out,
            "| {} | {:.1} MB | {} | {} | {} | {} | {} | {} | {} | {:.0} ms | {:.2} | {:.0} MB | {:.0} / {:.0} ms | {} | {check} | {} |",
            r.spec,
            r.bytes_in as f64 / 1_000_000.0,
            r.operations,
            r.types,
            stage("parse"),
            stage("validate"),
            stage("lower"),
            stage("render"),
            stage("write"),
            r.total_median_ms,
            r.floor_ratio,
            r.peak_rss_mb,
            r.emit_ms,
            r.format_ms,
            r.lines_out,
            r.check_peak_rss_mb.map_or("-".into(), |m| format!("{m:.0} MB")),
        );
    }
    out
}

/// Parsed arguments of `bench`.
#[derive(Debug, Default)]
struct Args {
    specs: Vec<PathBuf>,
    runs: Option<usize>,
    compile: bool,
    /// Measure the generated client's call overhead instead of the generator.
    client: bool,
    /// `--client`: calls per batch, batch pairs per level, levels of calls in flight.
    calls: Option<usize>,
    rounds: Option<usize>,
    in_flight: Option<String>,
    out: Option<PathBuf>,
}

fn parse_args(args: &[String]) -> Result<Args, String> {
    let mut out = Args::default();
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        let mut value = |name: &str| {
            iter.next()
                .cloned()
                .ok_or_else(|| format!("bench: `{name}` needs a value"))
        };
        match arg.as_str() {
            "--spec" => out.specs.push(PathBuf::from(value("--spec")?)),
            "--runs" => {
                let v = value("--runs")?;
                let n: usize = v
                    .parse()
                    .map_err(|_| format!("bench: `--runs {v}` is not a number"))?;
                if n == 0 {
                    return Err("bench: `--runs` must be at least 1".into());
                }
                out.runs = Some(n);
            }
            "--compile" => out.compile = true,
            "--client" => out.client = true,
            "--calls" => out.calls = Some(number("--calls", &value("--calls")?)?),
            "--rounds" => out.rounds = Some(number("--rounds", &value("--rounds")?)?),
            "--in-flight" => out.in_flight = Some(value("--in-flight")?),
            "--out" => out.out = Some(PathBuf::from(value("--out")?)),
            other => return Err(format!("bench: unknown argument `{other}`")),
        }
    }
    Ok(out)
}

fn number(name: &str, value: &str) -> Result<usize, String> {
    match value.parse() {
        Ok(n) if n > 0 => Ok(n),
        _ => Err(format!("bench: `{name} {value}` is not a positive number")),
    }
}

/// `cargo xtask bench`.
pub fn run(root: &Path, args: &[String]) -> Result<bool, String> {
    let args = parse_args(args)?;
    if args.client {
        return run_client(root, &args);
    }
    let specs: Vec<(PathBuf, String)> = if args.specs.is_empty() {
        let api = ensure_corpus(root)?;
        std::iter::once((
            root.join("spec/posthog.yaml"),
            "spec/posthog.yaml".to_owned(),
        ))
        .chain(
            DEFAULT_DIRECTORY_SPECS
                .iter()
                .map(|id| (api.join(id), id.to_string())),
        )
        .collect()
    } else {
        let api = corpus_api_dir(root);
        args.specs
            .iter()
            .map(|s| {
                let path = if s.exists() { s.clone() } else { api.join(s) };
                (path, s.display().to_string())
            })
            .collect()
    };
    // Timings mean something only for an optimised build: measure with the release binary.
    eprintln!("bench: building xtask in release mode");
    let built = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["build", "--release", "--quiet", "--package", "xtask"])
        .current_dir(root)
        .status()
        .map_err(|e| format!("cargo build --release: {e}"))?;
    if !built.success() {
        return Err("bench: cargo build --release --package xtask failed".into());
    }
    let exe = root.join("target/release/xtask");
    let mut results = Vec::new();
    let mut ok = true;
    for (path, label) in &specs {
        if !path.exists() {
            return Err(format!("bench: `{}` does not exist", path.display()));
        }
        // Large specs get fewer runs so a full bench stays a few minutes long.
        let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
        let runs = args.runs.unwrap_or(if size > 10_000_000 { 3 } else { 5 });
        eprintln!(
            "bench: {label} ({runs} runs after a warm-up{})",
            if args.compile {
                ", then cargo check"
            } else {
                ""
            }
        );
        let output = Command::new(&exe)
            .arg("bench-one")
            .arg(path)
            .arg(label)
            .arg(runs.to_string())
            .output()
            .map_err(|e| format!("bench-one: {e}"))?;
        if !output.status.success() {
            return Err(format!(
                "bench-one {label} failed:\n{}",
                String::from_utf8_lossy(&output.stderr)
            ));
        }
        let mut result: SpecResult = serde_json::from_slice(&output.stdout)
            .map_err(|e| format!("bench-one {label}: {e}"))?;
        if args.compile {
            let check = measure_check(&exe, root, &crate_dir(root, path))?;
            result.check_seconds = Some(check.seconds);
            result.check_peak_rss_mb = Some(check.peak_rss_mb);
            result.check_ok = Some(check.ok);
            ok &= check.ok;
        }
        results.push(result);
    }
    println!("{}", table(&results));
    let out = args
        .out
        .unwrap_or_else(|| root.join("target/bench/results.json"));
    publish(root, &out, &results)?;
    Ok(ok)
}

/// Prints the machine, and writes it with the results as JSON to `out`.
fn publish<T: Serialize>(root: &Path, out: &Path, results: &T) -> Result<(), String> {
    let machine = machine_description();
    println!("Machine: {machine}");
    std::fs::create_dir_all(out.parent().unwrap_or(root)).map_err(|e| e.to_string())?;
    let json = serde_json::json!({"machine": machine, "results": results});
    std::fs::write(
        out,
        serde_json::to_string_pretty(&json).map_err(|e| e.to_string())?,
    )
    .map_err(|e| e.to_string())?;
    eprintln!("results written to {}", out.display());
    Ok(())
}

/// One level of calls in flight, as `benches/call_overhead.rs` prints it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ClientResult {
    pub in_flight: usize,
    pub calls: usize,
    pub rounds: usize,
    pub reqwest_per_s: f64,
    pub client_per_s: f64,
    pub ratio: f64,
    pub ratio_min: f64,
    pub ratio_max: f64,
}

/// `cargo xtask bench --client`: the generated client's calls against plain reqwest's, on a
/// loopback server, at several levels of calls in flight (see `generated-client/benches/`).
fn run_client(root: &Path, args: &Args) -> Result<bool, String> {
    let mut command = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    command
        .args([
            "bench",
            "--quiet",
            "--package",
            "posthog-api",
            "--bench",
            "call_overhead",
            "--",
        ])
        .current_dir(root);
    if let Some(calls) = args.calls {
        command.args(["--calls", &calls.to_string()]);
    }
    if let Some(rounds) = args.rounds {
        command.args(["--rounds", &rounds.to_string()]);
    }
    if let Some(levels) = &args.in_flight {
        command.args(["--in-flight", levels]);
    }
    eprintln!("bench: building and running the call-overhead benchmark (release)");
    let output = command
        .stderr(std::process::Stdio::inherit())
        .output()
        .map_err(|e| format!("cargo bench: {e}"))?;
    if !output.status.success() {
        return Err("bench --client: the call_overhead benchmark failed".into());
    }
    let results: Vec<ClientResult> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter(|l| l.starts_with('{'))
        .map(|l| serde_json::from_str(l).map_err(|e| format!("bench --client: `{l}`: {e}")))
        .collect::<Result<_, _>>()?;
    let mut text = String::from(
        "| calls in flight | reqwest calls/s | client calls/s | ratio (median) | ratio range |\n|---|---|---|---|---|\n",
    );
    for r in &results {
        let _ = writeln!(
            text,
            "| {} | {:.0} | {:.0} | {:.3} | {:.3}–{:.3} |",
            r.in_flight, r.reqwest_per_s, r.client_per_s, r.ratio, r.ratio_min, r.ratio_max
        );
    }
    println!("{text}");
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| root.join("target/bench/client.json"));
    publish(root, &out, &results)?;
    Ok(true)
}

/// `cargo xtask bench-one SPEC LABEL RUNS` (internal): measures generation, prints JSON.
pub fn run_one(root: &Path, args: &[String]) -> Result<bool, String> {
    let [spec, label, runs] = args else {
        return Err("bench-one: expected SPEC LABEL RUNS".into());
    };
    let runs: usize = runs
        .parse()
        .map_err(|_| format!("bench-one: `{runs}` is not a number"))?;
    let spec = PathBuf::from(spec);
    let label = label.clone();
    let root = root.to_path_buf();
    let result = crate::generate::on_big_stack(move || bench_one(&root, &spec, &label, runs))?;
    println!(
        "{}",
        serde_json::to_string(&result).map_err(|e| e.to_string())?
    );
    Ok(true)
}

/// CPU model, core count and memory, for the report.
fn machine_description() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|t| {
            t.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    let memory = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|t| {
            t.lines()
                .next()
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map(|kb| format!("{:.0} GiB", kb / 1024.0 / 1024.0))
        .unwrap_or_default();
    format!("{cpu}, {cores} cores, {memory}")
}
