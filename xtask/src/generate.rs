//! `cargo xtask generate --spec FILE --out DIR [...]`: the installed command's `generate`
//! (`openapi_rust_cli::generate`), making crates that depend on this checkout's runtime crate
//! unless `--runtime-path` or `--vendor-runtime` says otherwise.

use generator::{RuntimeDependency, Settings, TagFeatures};
pub use openapi_rust_cli::generate::{
    default_crate_name, on_big_stack, parse_args, write_files, Args, Defaults, Generated,
};
use std::path::Path;

/// The command named in the headers of the crates the xtask makes.
const GENERATED_BY: &str = "cargo xtask generate";

/// Settings for a standalone crate that depends on this checkout's runtime crate (which the
/// crates the xtask makes are built and tested against).
pub fn settings(spec_label: &str, crate_name: String, tag_features: TagFeatures) -> Settings {
    openapi_rust_cli::generate::settings(
        spec_label,
        crate_name,
        tag_features,
        checkout_runtime(),
        GENERATED_BY,
    )
}

/// This checkout's runtime crate, by absolute path.
pub fn checkout_runtime() -> RuntimeDependency {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../generator/runtime");
    let dir = dir.canonicalize().unwrap_or(dir);
    RuntimeDependency::Path(dir.display().to_string())
}

/// The xtask's defaults: this checkout's runtime.
pub fn defaults() -> Defaults {
    Defaults {
        runtime: checkout_runtime(),
        generated_by: GENERATED_BY.to_owned(),
    }
}

/// Generates the crate in memory; `Err` names the file and the JSON pointer.
pub fn generate_files(args: &Args) -> Result<Generated, String> {
    openapi_rust_cli::generate::generate_files(args, &defaults())
}

/// `cargo xtask generate`.
pub fn run(args: &[String]) -> Result<bool, String> {
    openapi_rust_cli::generate::run(args, &defaults())
}

/// Adds what the xtask's programs written against a generated crate (the conformance smoke
/// program, the real-server workflows) use besides the crate, as its dev-dependencies: an
/// async runtime to run calls and `futures` to read streams.
pub fn add_program_dependencies(dir: &Path) -> Result<(), String> {
    let manifest = dir.join("Cargo.toml");
    let mut text =
        std::fs::read_to_string(&manifest).map_err(|e| format!("{}: {e}", manifest.display()))?;
    if text.contains("\n[dev-dependencies]\n") {
        return Err(format!(
            "{}: already has dev-dependencies (a vendored runtime?)",
            manifest.display()
        ));
    }
    text.push_str(
        "\n[dev-dependencies]\n\
         futures = \"0.3\"\n\
         tokio = { version = \"1\", features = [\"macros\", \"rt-multi-thread\"] }\n",
    );
    std::fs::write(&manifest, text).map_err(|e| format!("{}: {e}", manifest.display()))
}
