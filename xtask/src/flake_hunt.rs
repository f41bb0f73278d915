//! `cargo xtask test --repeat N`: the flake hunt. Runs the tests most exposed to timing (ten
//! thousand concurrent calls, the fault server's timeouts, deadlines and broken connections,
//! Prism conformance, descriptors released after a client is dropped, streams resumed) N times while a background load keeps every core busy, and reports each
//! failing repeat with the tests that failed and its whole log.

use crate::tools;
use std::path::Path;
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Instant;

/// The packages and test binaries the hunt repeats.
pub const PACKAGES: &[&str] = &["posthog-api", "fixture-wire"];
pub const TESTS: &[&str] = &[
    "concurrency",
    "faults",
    "conformance",
    "descriptors",
    "streams",
];

const USAGE: &str = "usage: cargo xtask test --repeat N [--load THREADS]

Runs posthog-api's concurrency, faults and conformance tests and fixture-wire's descriptors
and streams tests N times, each time with THREADS
busy threads (default: one per core) loading the machine, and reports every failing repeat
with its log (target/flake-hunt/repeat-K.log).";

/// Threads that spin until dropped: the machine is busy while the tests run.
struct Load {
    stop: Arc<AtomicBool>,
    threads: Vec<std::thread::JoinHandle<()>>,
}

impl Load {
    fn start(threads: usize) -> Load {
        let stop = Arc::new(AtomicBool::new(false));
        let threads = (0..threads)
            .map(|_| {
                let stop = Arc::clone(&stop);
                std::thread::spawn(move || {
                    let mut x = 0u64;
                    while !stop.load(Ordering::Relaxed) {
                        for _ in 0..10_000 {
                            x = std::hint::black_box(
                                x.wrapping_mul(6364136223846793005).wrapping_add(1),
                            );
                        }
                    }
                })
            })
            .collect();
        Load { stop, threads }
    }
}

impl Drop for Load {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        for thread in self.threads.drain(..) {
            let _ = thread.join();
        }
    }
}

fn cargo_test(root: &Path) -> Command {
    let mut command = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    command.arg("test");
    for package in PACKAGES {
        command.args(["-p", package]);
    }
    for test in TESTS {
        command.args(["--test", test]);
    }
    command
        .current_dir(root)
        .env("REQUIRE_PRISM", "1")
        .env("PRISM_BIN", tools::prism_bin(root));
    command
}

/// `cargo xtask test --repeat N [--load THREADS]`.
pub fn run(root: &Path, args: &[String]) -> Result<bool, String> {
    let mut repeats: Option<usize> = None;
    let mut load = std::thread::available_parallelism().map_or(2, |n| n.get());
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        let mut number = |name: &str| -> Result<usize, String> {
            let value = iter
                .next()
                .ok_or_else(|| format!("test: `{name}` needs a number\n\n{USAGE}"))?;
            value
                .parse()
                .map_err(|_| format!("test: `{name} {value}` is not a number\n\n{USAGE}"))
        };
        match arg.as_str() {
            "--repeat" => repeats = Some(number("--repeat")?),
            "--load" => load = number("--load")?,
            other => return Err(format!("test: unknown argument `{other}`\n\n{USAGE}")),
        }
    }
    let repeats = repeats.ok_or_else(|| USAGE.to_owned())?;
    tools::ensure_node_tools(root)?;
    let built = cargo_test(root)
        .arg("--no-run")
        .status()
        .map_err(|e| format!("cannot run cargo test: {e}"))?;
    if !built.success() {
        return Ok(false);
    }
    let dir = root.join("target/flake-hunt");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut failures = Vec::new();
    let started = Instant::now();
    for repeat in 1..=repeats {
        let log = dir.join(format!("repeat-{repeat}.log"));
        let began = Instant::now();
        let output = {
            let _load = Load::start(load);
            cargo_test(root)
                .env("FLAKE_HUNT_REPEAT", repeat.to_string())
                .output()
                .map_err(|e| format!("cannot run cargo test: {e}"))?
        };
        let mut text = String::from_utf8_lossy(&output.stdout).into_owned();
        text.push_str(&String::from_utf8_lossy(&output.stderr));
        std::fs::write(&log, &text).map_err(|e| format!("{}: {e}", log.display()))?;
        let failed: Vec<String> = text
            .lines()
            .filter(|l| l.starts_with("test ") && l.ends_with("FAILED"))
            .map(|l| {
                l.trim_start_matches("test ")
                    .trim_end_matches(" ... FAILED")
                    .to_owned()
            })
            .collect();
        let passed = output.status.success();
        eprintln!(
            "repeat {repeat}/{repeats}: {} in {:.0} s{}",
            if passed { "passed" } else { "FAILED" },
            began.elapsed().as_secs_f64(),
            if failed.is_empty() {
                String::new()
            } else {
                format!(" ({})", failed.join(", "))
            }
        );
        if !passed {
            failures.push((repeat, failed, log));
        }
    }
    eprintln!(
        "flake hunt: {} of {repeats} repeats passed under a load of {load} busy threads ({:.0} s); \
         tests: {}",
        repeats - failures.len(),
        started.elapsed().as_secs_f64(),
        TESTS.join(", ")
    );
    for (repeat, failed, log) in &failures {
        eprintln!(
            "  repeat {repeat} failed: {} (log: {})",
            if failed.is_empty() {
                "the run itself".to_owned()
            } else {
                failed.join(", ")
            },
            log.display()
        );
    }
    Ok(failures.is_empty())
}
