//! `cargo xtask <command>`: see `cargo xtask help`.

use std::process::ExitCode;
use xtask::find_workspace_root;
use xtask::{
    bench, budget, codegen, conformance, corpus, diff, draft_overlay, flake_hunt, fuzz, generate,
    real_servers, runtime_semver, semver_oracle, test, unions,
};

/// Each command and its usage lines, as `cargo xtask help` lists them and
/// `cargo xtask COMMAND --help` prints them.
const COMMANDS: &[(&str, &str)] = &[
    (
        "codegen",
        "  codegen [--check]   regenerate the committed client and fixture models from the specs;
                      with --check, write nothing and fail if anything would change
",
    ),
    (
        "generate",
        "  generate --spec FILE --out DIR [--crate-name NAME] [--overlay FILE]... [--verbose]
           [--tag-features auto|always|never] [--allow-no-operations] [--exhaustive]
           [--runtime-path DIR | --vendor-runtime]
                      a standalone client crate for any Swagger 2.0 or OpenAPI 3.0/3.1/3.2
                      document (JSON or YAML, one file or many, with overlays applied in
                      order); prints every repair and degradation (grouped unless --verbose);
                      --exhaustive: plain structs and enums instead of #[non_exhaustive] ones;
                      large APIs (auto: over 200 operations) get a cargo feature per group;
                      the crate depends on this checkout's runtime crate by path unless
                      --runtime-path or --vendor-runtime (copy it in) says otherwise; the
                      installed `openapi-rust generate` is the same command
",
    ),
    (
        "diff",
        "  diff OLD NEW [--overlay FILE]... [--json | --changelog VERSION] [--fail-on breaking|any]
  diff --base GIT_REV [SPEC] [--json | --changelog VERSION] [--fail-on breaking|any]
                      what changed between two versions of an API description, as changes
                      to the generated crate (breaking, breaking on the wire, additive,
                      patch), and the release it needs; SPEC defaults to spec/posthog.yaml
",
    ),
    (
        "draft-overlay",
        "  draft-overlay --spec FILE --deviations FILE... [--out FILE]
                      an Overlay 1.0 draft that makes the description say what the server
                      was seen to send, from the deviations a client recorded
                      (ClientBuilder::record_deviations); each action commented with where
                      it was observed
",
    ),
    (
        "real-servers",
        "  real-servers [--server NAME]... [--no-overlay-loop]
                      install real servers (pinned, into target/tools/real-servers), start
                      them on loopback, generate each client from the document the server
                      serves, run a workflow against it as served (tolerant decoding), draft
                      an overlay from the deviations, and run it again strict with the
                      overlay; per-call table in target/real-servers/report.md
",
    ),
    (
        "semver-oracle",
        "  semver-oracle [--case NAME]
                      check diff's verdicts on spec/semver/cases.yaml against
                      cargo-semver-checks (installed into target/tools), and compile a
                      downstream crate against every additive edit
",
    ),
    (
        "runtime-semver",
        "  runtime-semver      the runtime crate's public API against its last release
                      (generator/runtime/released.yaml) with cargo-semver-checks
                      (installed into target/tools), and proof that the check fails on a
                      copy of the runtime with a public method removed
",
    ),
    (
        "corpus",
        "  corpus [--sample N] [--seed S] [--spec-list FILE] [--no-check] [--report FILE]
                      generate (and cargo check) the APIs.guru specs, installed with npm
                      into target/tools/corpus; prints a table and failures by reason
",
    ),
    (
        "fuzz",
        "  fuzz [--time SECS | --cases N] [--seed S] [--compile N] [--out DIR]
                      generate documents from a grammar of OpenAPI 3.0/3.1 and Swagger 2.0
                      and by mutating the project's specs; fail on a panic, an error whose
                      pointer is not in the document, output that changes between runs or
                      thread counts, or (for the N largest) a crate that does not compile
                      cleanly; shrunk findings go to DIR/findings (default target/fuzz;
                      budget 60 s)
",
    ),
    (
        "bench",
        "  bench [--spec FILE ...] [--runs N] [--compile] [--out FILE]
                      time each stage and measure peak memory on PostHog and four large
                      directory specs (or the given ones); --compile adds cargo check
  bench --client [--calls N] [--rounds R] [--in-flight 1,32,256]
                      the generated client's call rate against plain reqwest's on a
                      loopback server, batches alternating, median ratio per level
",
    ),
    (
        "budget",
        "  budget [--record]   cargo check the crates of PostHog and a medium directory document and
                      fail if a check's peak memory is over 15% above its budget in
                      xtask/tools/compile-budgets.json; --record writes the measured costs
",
    ),
    (
        "conformance",
        "  conformance [--spec FILE ...] [--list FILE] [--sample N --seed S] [--modes static,dynamic]
                      generate each document's client and a program calling every operation
                      with sampled arguments, run it against Prism (--errors, static and
                      dynamic), report accepted and decoded calls (target/conformance/report.md);
                      default list xtask/tools/conformance.txt
",
    ),
    (
        "unions",
        "  unions [--spec FILE ...] [--spec-list FILE] [--all] [--fixtures] [--require PCT]
                      every variant of every union round-trips: a value made from the
                      variant's schema decodes as it and encodes to JSON a JSON Schema
                      validator accepts (target/unions/report.md); default: the fixtures and
                      the corpus CI sample, all of them
",
    ),
    (
        "test",
        "  test [-- ARGS]      install the test tools (Prism, the spec validator) into target/tools,
                      validate the specs, and run every test (ARGS go to cargo test); the
                      time of each stage is printed at the end
  test --repeat N [--load THREADS]
                      the flake hunt: the concurrency, faults, conformance, descriptors and
                      streams tests N times under a background load (target/flake-hunt/)
",
    ),
    (
        "bench-one",
        "  bench-one SPEC RUNS (internal) one document's stage timings as JSON, for bench's child
                      processes (each measured in its own process)
",
    ),
    (
        "bench-check",
        "  bench-check DIR [TARGET]
                      (internal) cargo check of the crate at DIR as JSON (peak memory, time),
                      for bench and budget's child processes
",
    ),
    (
        "help",
        "  help                show this text
",
    ),
];

/// `cargo xtask help`: every command.
fn usage() -> String {
    let mut text = String::from("usage: cargo xtask <command> [options]\n\ncommands:\n");
    for (_, lines) in COMMANDS {
        text.push_str(lines);
    }
    text.push_str("\n`cargo xtask COMMAND --help` shows one command.\n");
    text
}

/// `cargo xtask COMMAND --help`: that command's lines, or `None` for an unknown command.
fn command_usage(command: &str) -> Option<String> {
    let lines: String = COMMANDS
        .iter()
        .filter(|(name, _)| *name == command)
        .map(|(_, lines)| *lines)
        .collect();
    (!lines.is_empty()).then(|| format!("usage: cargo xtask <command> [options]\n\n{lines}"))
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    // `--help` (before any `--`, whose arguments go to cargo) shows the command's usage and
    // runs nothing.
    if let Some(command) = args
        .first()
        .filter(|_| openapi_rust_cli::wants_help(&args[1..]))
    {
        return match command_usage(command) {
            Some(text) => {
                print!("{text}");
                ExitCode::SUCCESS
            }
            None => {
                eprintln!("error: unknown command `{command}`\n\n{}", usage());
                ExitCode::FAILURE
            }
        };
    }
    // `generate` and `help` work anywhere; the others act on the checkout they run in.
    let root = match args.first().map(String::as_str) {
        Some("generate" | "draft-overlay" | "help" | "--help" | "-h") | None => Default::default(),
        _ => match find_workspace_root() {
            Ok(root) => root,
            Err(message) => {
                eprintln!("error: {message}");
                return ExitCode::FAILURE;
            }
        },
    };
    let result = match args.first().map(String::as_str) {
        Some("codegen") => match &args[1..] {
            [] => codegen::run(&root, false),
            [flag] if flag == "--check" => codegen::run(&root, true),
            [other, ..] => Err(format!(
                "codegen: unknown argument `{other}` (expected `--check`)"
            )),
        },
        Some("generate") => generate::run(&args[1..]),
        Some("diff") => diff::run(&root, &args[1..]),
        Some("draft-overlay") => draft_overlay::run(&args[1..]),
        Some("real-servers") => real_servers::run(&root, &args[1..]),
        Some("semver-oracle") => semver_oracle::run(&root, &args[1..]),
        Some("runtime-semver") => runtime_semver::run(&root, &args[1..]),
        Some("corpus") => corpus::run(&root, &args[1..]),
        Some("fuzz") => fuzz::run(&root, &args[1..]),
        Some("bench") => bench::run(&root, &args[1..]),
        Some("budget") => budget::run(&root, &args[1..]),
        Some("conformance") => conformance::run(&root, &args[1..]),
        Some("unions") => unions::run(&root, &args[1..]),
        Some("bench-one") => bench::run_one(&root, &args[1..]),
        Some("bench-check") => bench::run_check(&root, &args[1..]),
        Some("test") => match &args[1..] {
            [] => test::run(&root, &[]),
            [sep, rest @ ..] if sep == "--" => test::run(&root, rest),
            [flag, ..] if flag == "--repeat" => flake_hunt::run(&root, &args[1..]),
            [other, ..] => Err(format!(
                "test: unknown argument `{other}` (pass cargo test arguments after `--`)"
            )),
        },
        Some("help") | Some("--help") | Some("-h") | None => {
            print!("{}", usage());
            Ok(true)
        }
        Some(other) => Err(format!("unknown command `{other}`\n\n{}", usage())),
    };
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}
