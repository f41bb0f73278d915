//! `openapi-rust`: see `openapi-rust --help`.

use openapi_rust_cli::{diff, generate, wants_help, DIFF_USAGE, GENERATE_USAGE, USAGE};
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let rest = args.get(1..).unwrap_or_default();
    let result = match args.first().map(String::as_str) {
        Some("generate") if wants_help(rest) => usage(GENERATE_USAGE),
        Some("generate") => generate::run(
            rest,
            &generate::Defaults {
                runtime: generator::RuntimeDependency::Registry,
                generated_by: "openapi-rust generate".to_owned(),
            },
        ),
        Some("diff") if wants_help(rest) => usage(DIFF_USAGE),
        Some("diff") => match std::env::current_dir() {
            Ok(cwd) => diff::run(&cwd, rest, None, &diff::default_settings),
            Err(e) => Err(format!("cannot read the current directory: {e}")),
        },
        Some("help") => match rest.first().map(String::as_str) {
            Some("generate") => usage(GENERATE_USAGE),
            Some("diff") => usage(DIFF_USAGE),
            None => usage(USAGE),
            Some(other) => Err(format!("help: unknown command `{other}`\n\n{USAGE}")),
        },
        Some("--help" | "-h") | None => usage(USAGE),
        Some("--version" | "-V") => {
            println!(
                "openapi-rust {} (runtime {})",
                env!("CARGO_PKG_VERSION"),
                openapi_rust_runtime_version()
            );
            Ok(true)
        }
        Some(other) => Err(format!("unknown command `{other}`\n\n{USAGE}")),
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

fn usage(text: &str) -> Result<bool, String> {
    print!("{text}");
    Ok(true)
}

/// The runtime version the crates this binary generates require.
fn openapi_rust_runtime_version() -> &'static str {
    generator::RUNTIME_VERSION
}
