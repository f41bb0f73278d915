//! `cargo xtask test`: installs what the tests need, validates the specs with an independent
//! validator, and runs every test of the workspace.

use crate::tools;
use std::path::Path;
use std::process::Command;

/// Every spec the project keeps: the API and the fixtures.
fn specs(root: &Path) -> Result<Vec<String>, String> {
    let mut out = vec!["spec/posthog.yaml".to_owned()];
    let dir = root.join("spec/fixtures");
    let mut fixtures: Vec<String> = std::fs::read_dir(&dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .flatten()
        .filter_map(|e| e.file_name().to_str().map(|n| format!("spec/fixtures/{n}")))
        .filter(|n| n.ends_with(".yaml") || n.ends_with(".json"))
        .collect();
    fixtures.sort();
    out.extend(fixtures);
    Ok(out)
}

/// The first line that marks a fixture as breaking the OpenAPI rules on purpose (as real
/// specs do), so the validator is not run on it.
const DELIBERATELY_INVALID: &str = "# deliberately invalid:";

/// Validates every spec with openapi-spec-validator, except fixtures marked deliberately
/// invalid.
pub fn validate_specs(root: &Path) -> Result<(), String> {
    tools::ensure_python_tools(root)?;
    let mut specs = specs(root)?;
    specs.retain(|spec| {
        let text = std::fs::read_to_string(root.join(spec)).unwrap_or_default();
        let skip = text.starts_with(DELIBERATELY_INVALID);
        if skip {
            eprintln!("openapi-spec-validator: skipping {spec} (deliberately invalid)");
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

/// `cargo xtask test [-- <cargo test args>]`.
pub fn run(root: &Path, extra: &[String]) -> Result<bool, String> {
    tools::ensure_node_tools(root)?;
    validate_specs(root)?;
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["test", "--workspace"])
        .args(extra)
        .current_dir(root)
        // The conformance tests must not skip: Prism is installed, so its absence is an error.
        .env("REQUIRE_PRISM", "1")
        .env("PRISM_BIN", tools::prism_bin(root))
        // Snapshots are checked, never rewritten, by the test command.
        .env("INSTA_UPDATE", "no")
        .env("CI", "true")
        .status()
        .map_err(|e| format!("cannot run cargo test: {e}"))?;
    if !status.success() {
        return Ok(false);
    }
    // Real-world specs, and the project's own, as standalone crates that must compile cleanly.
    eprintln!("corpus sample: xtask/tools/corpus-ci.txt");
    crate::corpus::run(
        root,
        &["--spec-list".into(), "xtask/tools/corpus-ci.txt".into()],
    )
}
