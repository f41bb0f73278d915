//! Installing the tools the tests need into the git-ignored `target/tools/`, from pinned
//! manifests committed in `xtask/tools/`. Nothing is installed globally.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Where tools are installed.
pub fn tools_dir(root: &Path) -> PathBuf {
    root.join("target/tools")
}

/// The Prism binary the conformance tests start.
pub fn prism_bin(root: &Path) -> PathBuf {
    tools_dir(root).join("node/node_modules/.bin/prism")
}

/// The spec validator.
pub fn spec_validator_bin(root: &Path) -> PathBuf {
    tools_dir(root).join("python/bin/openapi-spec-validator")
}

/// Runs a command, failing with its name and output if it fails or cannot start.
pub fn run(command: &mut Command, what: &str) -> Result<(), String> {
    let output = command
        .output()
        .map_err(|e| format!("{what}: cannot start {:?}: {e}", command.get_program()))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{what} failed ({}):\n{}{}",
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ))
    }
}

/// Copies a manifest into the install folder, and reports whether it changed (so an
/// installation is redone only when the pinned versions change).
fn stage_manifest(from: &Path, to: &Path) -> Result<bool, String> {
    let wanted = std::fs::read(from).map_err(|e| format!("{}: {e}", from.display()))?;
    let current = std::fs::read(to).ok();
    if current.as_deref() == Some(wanted.as_slice()) {
        return Ok(false);
    }
    std::fs::create_dir_all(to.parent().expect("staged manifests live in a folder"))
        .map_err(|e| e.to_string())?;
    std::fs::write(to, wanted).map_err(|e| format!("{}: {e}", to.display()))?;
    Ok(true)
}

/// Installs the npm packages pinned in `xtask/tools/<name>/` into `target/tools/<name>/` with
/// `npm ci`, unless `installed` exists and the manifests have not changed.
pub fn ensure_npm_package(root: &Path, name: &str, installed: &Path) -> Result<(), String> {
    let dir = tools_dir(root).join(name);
    let manifests = root.join("xtask/tools").join(name);
    let changed = stage_manifest(&manifests.join("package.json"), &dir.join("package.json"))?
        | stage_manifest(
            &manifests.join("package-lock.json"),
            &dir.join("package-lock.json"),
        )?;
    if !changed && installed.exists() {
        return Ok(());
    }
    eprintln!(
        "installing xtask/tools/{name} (npm ci) into {}",
        dir.display()
    );
    run(
        Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
            .current_dir(&dir),
        "npm ci (is node with npm installed?)",
    )?;
    if !installed.exists() {
        return Err(format!(
            "npm ci finished but {} is missing",
            installed.display()
        ));
    }
    Ok(())
}

/// Installs Prism.
pub fn ensure_node_tools(root: &Path) -> Result<(), String> {
    ensure_npm_package(root, "node", &prism_bin(root))
}

/// Creates a Python virtual environment with the pinned spec validator.
pub fn ensure_python_tools(root: &Path) -> Result<(), String> {
    let dir = tools_dir(root).join("python");
    let requirements = dir.join("requirements.txt");
    let changed = stage_manifest(&root.join("xtask/tools/requirements.txt"), &requirements)?;
    if !changed && spec_validator_bin(root).exists() {
        return Ok(());
    }
    eprintln!("installing openapi-spec-validator into {}", dir.display());
    run(
        Command::new("python3").args(["-m", "venv"]).arg(&dir),
        "python3 -m venv (is python3 installed?)",
    )?;
    run(
        Command::new(dir.join("bin/pip"))
            .args([
                "install",
                "--quiet",
                "--disable-pip-version-check",
                "--no-deps",
                "-r",
            ])
            .arg(&requirements),
        "pip install",
    )?;
    Ok(())
}
