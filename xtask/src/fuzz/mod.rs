//! `cargo xtask fuzz`: a structure-aware fuzzer for the generator, on the stable toolchain.
//!
//! Documents come from two sources, mixed: a grammar of API descriptions
//! ([`grammar`]: OpenAPI 3.0, 3.1 and Swagger 2.0) and mutations of the project's own specs
//! and fixtures ([`mutate`]). Each document is checked for four properties:
//!
//! 1. the generator never panics;
//! 2. when it refuses a document, its error names a JSON pointer that exists in the document
//!    (the node itself or its parent);
//! 3. the output is byte-identical across two runs and across thread counts;
//! 4. the crate it generates compiles without warnings (checked on a sample: the largest
//!    documents of the run, since compiling takes seconds).
//!
//! A failure is shrunk with proptest's shrinking to a small document and written to
//! `target/fuzz/findings/`; a fixed finding becomes a file in `spec/fuzz/`, which a test
//! replays on every run.
//!
//! `FUZZ_SHOW_REFUSALS=1` prints every error the generator refuses a document with, to see
//! what the grammar spends its documents on.

pub mod grammar;
pub mod mutate;

use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use serde_json::Value;
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// What `cargo xtask fuzz` is asked to do.
#[derive(Debug, Clone)]
pub struct Args {
    /// Seed of the run; the same seed and budget give the same documents.
    pub seed: u64,
    /// Stop after this long.
    pub time: Option<Duration>,
    /// Stop after this many documents.
    pub cases: Option<u64>,
    /// How many generated crates to compile at the end.
    pub compile: usize,
    /// Where findings and compiled samples go (default `target/fuzz`).
    pub out: Option<PathBuf>,
}

pub fn parse_args(args: &[String]) -> Result<Args, String> {
    let mut out = Args {
        seed: 1,
        time: None,
        cases: None,
        compile: 3,
        out: None,
    };
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let mut value = |name: &str| {
            it.next()
                .ok_or_else(|| format!("fuzz: `{name}` needs a value"))
                .and_then(|v| {
                    v.parse::<u64>()
                        .map_err(|_| format!("fuzz: `{name}` needs a whole number, not `{v}`"))
                })
        };
        match flag.as_str() {
            "--seed" => out.seed = value("--seed")?,
            "--time" => out.time = Some(Duration::from_secs(value("--time")?)),
            "--cases" => out.cases = Some(value("--cases")?),
            "--compile" => out.compile = value("--compile")? as usize,
            "--out" => {
                out.out = Some(PathBuf::from(
                    it.next().ok_or("fuzz: `--out` needs a directory")?,
                ))
            }
            other => {
                return Err(format!(
                    "fuzz: unknown argument `{other}` (expected --time SECS, --cases N, --seed S, --compile N, --out DIR)"
                ))
            }
        }
    }
    if out.time.is_none() && out.cases.is_none() {
        out.time = Some(Duration::from_secs(60));
    }
    Ok(out)
}

/// A property the generator broke on one document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// `panic`, `pointer`, `nondeterministic`, `compile` or `warnings`.
    pub kind: &'static str,
    pub message: String,
}

/// What one document gave when it passed.
pub struct Passed {
    pub files: Vec<generator::GeneratedFile>,
    /// Operations plus models: how much code there is to compile.
    pub size: usize,
}

/// Runs the generator on one document's text and checks properties 1 to 3.
pub fn check(text: &str) -> Result<Option<Passed>, Finding> {
    let outcome = catch(|| generate(text, None));
    let (api, files) = match outcome? {
        Ok(generated) => generated,
        Err(error) => {
            let doc: Value = serde_yaml::from_str(text).unwrap_or(Value::Null);
            if std::env::var_os("FUZZ_SHOW_REFUSALS").is_some() {
                eprintln!("refused: {error}");
            }
            return match pointer_exists(&doc, &error.pointer) {
                true => Ok(None),
                false => Err(Finding {
                    kind: "pointer",
                    message: format!(
                        "the error names a pointer that is not in the document: {error}"
                    ),
                }),
            };
        }
    };
    for threads in [1, 3] {
        let again = catch(|| generate(text, Some(threads)))?;
        let again = again.map_err(|e| Finding {
            kind: "nondeterministic",
            message: format!("the first run generated, a second failed: {e}"),
        })?;
        if let Some(differs) = first_difference(&files, &again.1) {
            return Err(Finding {
                kind: "nondeterministic",
                message: format!("on {threads} thread(s) the output differs in {differs}"),
            });
        }
    }
    let size = api.types.len() + api.groups.iter().map(|g| g.operations.len()).sum::<usize>();
    Ok(Some(Passed { files, size }))
}

type Generated = (generator::ir::Api, Vec<generator::GeneratedFile>);

/// The whole pipeline, as `cargo xtask generate` runs it, on `threads` threads (or the
/// machine's default).
fn generate(text: &str, threads: Option<usize>) -> Result<Generated, generator::Error> {
    let options = generator::LoadOptions {
        lenient: true,
        ..Default::default()
    };
    let doc = generator::load("fuzz.yaml", text, &options)?;
    let mut settings = crate::generate::settings(
        "fuzz.yaml",
        "fuzz-client".into(),
        generator::TagFeatures::Auto,
    );
    settings.allow_no_operations = true;
    match threads {
        None => generator::generate_with_api(&doc, &settings),
        Some(threads) => {
            generator::validate(&doc)?;
            let api = generator::lower(&doc, &settings)?;
            let files = generator::render_on(&api, &settings, threads)?;
            Ok((api, files))
        }
    }
}

fn first_difference(
    a: &[generator::GeneratedFile],
    b: &[generator::GeneratedFile],
) -> Option<String> {
    if a.len() != b.len() {
        return Some(format!("the number of files ({} and {})", a.len(), b.len()));
    }
    a.iter()
        .zip(b)
        .find(|(x, y)| x != y)
        .map(|(x, _)| x.path.clone())
}

/// Whether `pointer` (or, for an error about something missing, its parent) names a node of
/// `doc`. Pointers into a converted document (`#/definitions/..` after a 2.0 conversion) are
/// looked up as written.
pub fn pointer_exists(doc: &Value, pointer: &str) -> bool {
    let Some(path) = pointer.strip_prefix('#') else {
        return false;
    };
    let segments: Vec<String> = path
        .split('/')
        .skip(1)
        .map(|s| s.replace("~1", "/").replace("~0", "~"))
        .collect();
    let resolve = |segments: &[String]| {
        let mut current = doc;
        for segment in segments {
            current = match current {
                Value::Object(map) => match map.get(segment) {
                    Some(v) => v,
                    None => return false,
                },
                Value::Array(items) => {
                    match segment.parse::<usize>().ok().and_then(|i| items.get(i)) {
                        Some(v) => v,
                        None => return false,
                    }
                }
                _ => return false,
            };
        }
        true
    };
    resolve(&segments) || (!segments.is_empty() && resolve(&segments[..segments.len() - 1]))
}

/// The message and place of the last panic on this thread, captured by [`quiet_panics`].
static LAST_PANIC: Mutex<Option<String>> = Mutex::new(None);

/// Replaces the panic hook with one that records instead of printing, for the fuzzer's
/// lifetime.
fn quiet_panics() {
    std::panic::set_hook(Box::new(|info| {
        let message = info
            .payload()
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| info.payload().downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default();
        let place = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        *LAST_PANIC.lock().unwrap_or_else(|e| e.into_inner()) = Some(format!("{message}{place}"));
    }));
}

fn catch<T>(f: impl FnOnce() -> T) -> Result<T, Finding> {
    std::panic::catch_unwind(AssertUnwindSafe(f)).map_err(|_| Finding {
        kind: "panic",
        message: LAST_PANIC
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take()
            .unwrap_or_else(|| "a panic".into()),
    })
}

/// The documents the mutator starts from: every single-file spec the project keeps.
pub fn mutation_bases(root: &Path) -> Result<Vec<Value>, String> {
    let mut files = vec![
        root.join("spec/posthog.yaml"),
        root.join("spec/posthog-oas31.yaml"),
    ];
    let fixtures = root.join("spec/fixtures");
    let mut entries: Vec<PathBuf> = std::fs::read_dir(&fixtures)
        .map_err(|e| format!("{}: {e}", fixtures.display()))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    entries.sort();
    files.extend(entries);
    files
        .iter()
        .map(|path| {
            let text =
                std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
            serde_yaml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
        })
        .collect()
}

/// The fuzzer's documents: three from the grammar for each mutated real one.
pub fn documents(bases: Vec<Value>) -> impl Strategy<Value = Value> {
    use proptest::prelude::*;
    prop_oneof![3 => grammar::document(), 1 => mutate::mutated(Arc::new(bases))]
}

/// The text the generator reads for a document: YAML, as most specs are written.
pub fn text_of(doc: &Value) -> String {
    serde_yaml::to_string(doc).unwrap_or_else(|_| doc.to_string())
}

/// A finding, shrunk, with the document that shows it.
pub struct Shrunk {
    pub finding: Finding,
    pub text: String,
}

/// Shrinks a failing case for at most `budget`, keeping the smallest document that still
/// shows a finding of the same kind.
fn shrink(tree: &mut impl ValueTree<Value = Value>, first: Finding, budget: Duration) -> Shrunk {
    let started = Instant::now();
    let mut best = Shrunk {
        text: text_of(&tree.current()),
        finding: first,
    };
    if !tree.simplify() {
        return best;
    }
    while started.elapsed() < budget {
        let text = text_of(&tree.current());
        let outcome = check(&text);
        let same_kind = matches!(&outcome, Err(f) if f.kind == best.finding.kind);
        if same_kind {
            best = Shrunk {
                finding: outcome.err().expect("a finding"),
                text,
            };
            if !tree.simplify() {
                break;
            }
        } else if !tree.complicate() {
            break;
        }
    }
    best
}

/// The longest one document may take (all three generations) before the run stops with a
/// `hang` finding. Real documents of thousands of operations generate in a few seconds.
const CASE_TIMEOUT: Duration = Duration::from_secs(60);

/// The most memory the fuzzer may hold (resident) before the run stops with a `memory`
/// finding: generating the largest real documents takes well under 1 GiB.
const MEMORY_LIMIT_BYTES: u64 = 4 << 30;

/// Watches the case in progress; one that runs past `limit`, or makes the process hold more
/// than [`MEMORY_LIMIT_BYTES`], is written as a finding and the process exits, since a thread
/// cannot be stopped from outside (and the kernel's OOM killer would leave nothing behind).
fn watchdog(current: Arc<Mutex<(Instant, String, bool)>>, findings: PathBuf, limit: Duration) {
    std::thread::spawn(move || loop {
        std::thread::sleep(Duration::from_millis(100));
        let (started, running) = {
            let guard = current.lock().unwrap_or_else(|e| e.into_inner());
            (guard.0, guard.2)
        };
        if !running {
            continue;
        }
        let resident = resident_bytes();
        let problem = if started.elapsed() > limit {
            Some(("hang", format!("generation ran past {} s", limit.as_secs())))
        } else if resident > MEMORY_LIMIT_BYTES {
            Some(("memory", format!("generation held {} MiB", resident >> 20)))
        } else {
            None
        };
        if let Some((kind, message)) = problem {
            let text = current.lock().unwrap_or_else(|e| e.into_inner()).1.clone();
            let _ = std::fs::create_dir_all(&findings);
            let path = findings.join(format!("{kind}.yaml"));
            let _ = std::fs::write(
                &path,
                format!("# not validated: fuzz finding ({kind}): {message}\n{text}"),
            );
            eprintln!(
                "fuzz: {kind}: {message}; the document is in {}",
                path.display()
            );
            std::process::exit(1);
        }
    });
}

/// This process's resident memory (Linux; 0 elsewhere, where only the time limit applies).
fn resident_bytes() -> u64 {
    std::fs::read_to_string("/proc/self/statm")
        .ok()
        .and_then(|s| s.split_whitespace().nth(1)?.parse::<u64>().ok())
        .map_or(0, |pages| pages * 4096)
}

/// A passed document kept for compiling: the largest ones of the run.
struct Sample {
    size: usize,
    case: u64,
    text: String,
    files: Vec<generator::GeneratedFile>,
}

/// Runs the fuzzer; findings are written under `target/fuzz/findings`. Returns whether there
/// were none.
pub fn run(root: &Path, args: &[String]) -> Result<bool, String> {
    let out = parse_args(args)?
        .out
        .unwrap_or_else(|| root.join("target/fuzz"));
    run_in(root, &out, args)
}

/// [`run`], with its findings and compiled samples under `work`.
pub fn run_in(root: &Path, work: &Path, args: &[String]) -> Result<bool, String> {
    let args = parse_args(args)?;
    let work = work.to_path_buf();
    let findings_dir = work.join("findings");
    let bases = mutation_bases(root)?;
    let mut seed = [0u8; 32];
    seed[..8].copy_from_slice(&args.seed.to_le_bytes());
    eprintln!(
        "fuzz: seed {}, {}",
        args.seed,
        match (args.cases, args.time) {
            (Some(n), _) => format!("{n} documents"),
            (None, Some(t)) => format!("{} s", t.as_secs()),
            (None, None) => unreachable!("parse_args sets a budget"),
        }
    );
    let started = Instant::now();
    let _ = std::fs::remove_dir_all(&findings_dir);
    std::fs::create_dir_all(&findings_dir)
        .map_err(|e| format!("{}: {e}", findings_dir.display()))?;
    let current = Arc::new(Mutex::new((Instant::now(), String::new(), false)));
    watchdog(Arc::clone(&current), findings_dir.clone(), CASE_TIMEOUT);
    let findings_at = findings_dir.clone();
    let outcome = crate::generate::on_big_stack(move || {
        let strategy = documents(bases);
        let mut runner = TestRunner::new_with_rng(
            Config::default(),
            TestRng::from_seed(RngAlgorithm::ChaCha, &seed),
        );
        quiet_panics();
        let mut case = 0u64;
        let mut findings: Vec<Shrunk> = Vec::new();
        let mut samples: (Vec<Sample>, Vec<Sample>) = (Vec::new(), Vec::new());
        let (mut passed, mut refused) = (0u64, 0u64);
        loop {
            if args.cases.is_some_and(|n| case >= n)
                || args.time.is_some_and(|t| started.elapsed() >= t)
            {
                break;
            }
            case += 1;
            let mut tree = match strategy.new_tree(&mut runner) {
                Ok(tree) => tree,
                Err(e) => return Err(format!("fuzz: cannot make a document: {e}")),
            };
            let from_grammar = tree.current().get(grammar::GRAMMAR_MARK).is_some();
            let text = text_of(&tree.current());
            *current.lock().unwrap_or_else(|e| e.into_inner()) =
                (Instant::now(), text.clone(), true);
            let outcome = check(&text);
            current.lock().unwrap_or_else(|e| e.into_inner()).2 = false;
            match outcome {
                Ok(Some(done)) => {
                    passed += 1;
                    // Half the compiled sample from each source, the largest of each.
                    let (pool, keep) = if from_grammar {
                        (&mut samples.0, args.compile.div_ceil(2))
                    } else {
                        (&mut samples.1, args.compile / 2)
                    };
                    keep_largest(
                        pool,
                        Sample {
                            size: done.size,
                            case,
                            text,
                            files: done.files,
                        },
                        keep,
                    );
                }
                Ok(None) => refused += 1,
                Err(finding) => {
                    let shrunk = shrink(&mut tree, finding, Duration::from_secs(60));
                    let known = findings
                        .iter()
                        .any(|f| same_shape(&f.finding, &shrunk.finding));
                    eprintln!(
                        "fuzz: case {case}: {}{}: {}",
                        shrunk.finding.kind,
                        if known { " (seen before)" } else { "" },
                        shrunk.finding.message
                    );
                    if !known {
                        write_finding(&findings_at, findings.len() + 1, &shrunk);
                        findings.push(shrunk);
                    }
                }
            }
            if case % 500 == 0 {
                eprintln!(
                    "fuzz: {case} documents, {passed} generated, {refused} refused with an error, {} findings ({} s)",
                    findings.len(),
                    started.elapsed().as_secs()
                );
            }
        }
        let _ = std::panic::take_hook();
        Ok((case, passed, refused, findings, samples))
    })?;
    let (cases, passed, refused, mut findings, samples) = outcome;
    eprintln!(
        "fuzz: {cases} documents in {:.0} s: {passed} generated, {refused} refused with an error naming a pointer",
        started.elapsed().as_secs_f64()
    );
    let samples: Vec<Sample> = samples.0.into_iter().chain(samples.1).collect();
    let compiled = compile_samples(root, &work, &samples);
    for found in compiled {
        write_finding(&findings_dir, findings.len() + 1, &found);
        findings.push(found);
    }
    if findings.is_empty() {
        eprintln!("fuzz: no findings");
        return Ok(true);
    }
    eprintln!(
        "fuzz: {} findings in {}",
        findings.len(),
        findings_dir.display()
    );
    Ok(false)
}

/// Writes a finding as a document whose first line says what it shows, ready to become a
/// file of `spec/fuzz/`.
fn write_finding(dir: &Path, number: usize, found: &Shrunk) {
    let path = dir.join(format!("{}-{number}.yaml", found.finding.kind));
    let message = found.finding.message.replace('\n', " ");
    let text = format!(
        "# not validated: fuzz finding ({}): {message}\n{}",
        found.finding.kind, found.text
    );
    match std::fs::write(&path, text) {
        Ok(()) => eprintln!("fuzz: written to {}", path.display()),
        Err(e) => eprintln!("fuzz: cannot write {}: {e}", path.display()),
    }
}

/// Two findings with the same kind, message and pointer once quoted names and digits are
/// dropped are one bug.
fn same_shape(a: &Finding, b: &Finding) -> bool {
    fn shape(message: &str) -> String {
        let mut out = String::new();
        let mut quoted = false;
        for c in message.chars() {
            if c == '`' {
                quoted = !quoted;
            } else if !quoted && !c.is_ascii_digit() {
                out.push(c);
            }
        }
        // Pointers stay: the same message at another kind of place is another bug.
        out.split_whitespace().collect::<Vec<_>>().join(" ")
    }
    a.kind == b.kind && shape(&a.message) == shape(&b.message)
}

fn keep_largest(samples: &mut Vec<Sample>, sample: Sample, keep: usize) {
    if keep == 0 {
        return;
    }
    samples.push(sample);
    // Largest first; earlier cases win ties, so the choice depends only on the seed.
    samples.sort_by(|a, b| b.size.cmp(&a.size).then(a.case.cmp(&b.case)));
    samples.truncate(keep);
}

/// Property 4: the sampled crates compile without warnings (in the corpus's target
/// directory, whose dependencies are already built).
fn compile_samples(root: &Path, work: &Path, samples: &[Sample]) -> Vec<Shrunk> {
    let mut out = Vec::new();
    let target = root.join("target/corpus/target");
    for sample in samples {
        let dir = work.join("crates").join(format!("case-{}", sample.case));
        let _ = std::fs::remove_dir_all(&dir);
        if let Err(e) = crate::generate::write_files(&dir, &sample.files) {
            out.push(Shrunk {
                finding: Finding {
                    kind: "compile",
                    message: e,
                },
                text: sample.text.clone(),
            });
            continue;
        }
        let check = crate::corpus::check_crate(root, &dir, &target);
        eprintln!(
            "fuzz: case {} ({} operations and models) {}",
            sample.case,
            sample.size,
            match &check {
                Ok(()) => "compiles without warnings".to_owned(),
                Err(problem) => problem.clone(),
            }
        );
        if let Err(problem) = check {
            let kind = if problem.starts_with("warning") {
                "warnings"
            } else {
                "compile"
            };
            out.push(Shrunk {
                finding: Finding {
                    kind,
                    message: problem,
                },
                text: sample.text.clone(),
            });
        } else {
            let _ = std::fs::remove_dir_all(&dir);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointers_resolve_to_the_node_or_its_parent() {
        let doc = serde_json::json!({"paths": {"/a/b": {"get": {}}}, "list": [1, 2]});
        assert!(pointer_exists(&doc, "#/paths/~1a~1b/get"));
        assert!(pointer_exists(&doc, "#/paths/~1a~1b/get/responses"));
        assert!(pointer_exists(&doc, "#/list/1"));
        assert!(pointer_exists(&doc, "#"));
        assert!(!pointer_exists(&doc, "#/paths/~1c/get"));
        assert!(!pointer_exists(&doc, "paths"));
    }

    #[test]
    fn the_same_seed_gives_the_same_documents() {
        let make = |seed: u8| {
            let mut runner = TestRunner::new_with_rng(
                Config::default(),
                TestRng::from_seed(RngAlgorithm::ChaCha, &[seed; 32]),
            );
            (0..20)
                .map(|_| text_of(&grammar::document().new_tree(&mut runner).unwrap().current()))
                .collect::<Vec<_>>()
        };
        assert_eq!(make(1), make(1));
        assert_ne!(make(1), make(2));
    }
}
