//! The project's driver, as a library so that tests run the same checks as the commands.

pub mod bench;
pub mod budget;
pub mod codegen;
pub mod conformance;
pub mod corpus;
pub mod diff;
pub mod draft_overlay;
pub mod files;
pub mod flake_hunt;
pub mod fuzz;
pub mod generate;
pub mod real_servers;
pub mod reference;
pub mod release;
pub mod runtime_semver;
pub mod scan;
pub mod semver_oracle;
pub use openapi_rust_cli::spec;
pub mod test;
pub mod tools;
pub mod unions;

use std::path::{Path, PathBuf};

/// The workspace root for tests and tools that run inside the project: see
/// [`find_workspace_root`]. Panics with that function's message when there is none.
pub fn workspace_root() -> PathBuf {
    find_workspace_root().unwrap_or_else(|message| panic!("{message}"))
}

/// The workspace this command runs in, found at run time: `XTASK_WORKSPACE_ROOT` if set (the
/// xtask's own tests use it to run commands on a scratch copy), else the nearest directory at
/// or above the current one whose `Cargo.toml` declares a `[workspace]`, as
/// `cargo locate-project --workspace` finds it.
///
/// Never the directory the binary was built from: two checkouts sharing one target directory
/// run the same cached binary, and each must work on its own tree.
pub fn find_workspace_root() -> Result<PathBuf, String> {
    if let Some(root) = std::env::var_os("XTASK_WORKSPACE_ROOT") {
        return Ok(PathBuf::from(root));
    }
    let cwd =
        std::env::current_dir().map_err(|e| format!("cannot read the current directory: {e}"))?;
    workspace_root_above(&cwd).ok_or_else(|| {
        format!(
            "{} is not inside a Cargo workspace: run `cargo xtask` from the project's checkout",
            cwd.display()
        )
    })
}

/// The nearest directory at or above `start` whose `Cargo.toml` has a `[workspace]` table.
pub fn workspace_root_above(start: &Path) -> Option<PathBuf> {
    start.ancestors().find_map(|dir| {
        let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).ok()?;
        let declares_workspace = manifest.lines().any(|line| line.trim() == "[workspace]");
        declares_workspace.then(|| dir.to_path_buf())
    })
}
