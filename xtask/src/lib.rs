//! The project's driver, as a library so that tests run the same checks as the commands.

pub mod bench;
pub mod codegen;
pub mod corpus;
pub mod diff;
pub mod files;
pub mod generate;
pub mod reference;
pub mod release;
pub mod semver_oracle;
pub mod spec;
pub mod test;
pub mod tools;

use std::path::PathBuf;

/// The workspace root: the parent of this crate's directory, or `XTASK_WORKSPACE_ROOT` (which
/// the xtask's own tests set to run commands on a scratch copy of the tree).
pub fn workspace_root() -> PathBuf {
    if let Some(root) = std::env::var_os("XTASK_WORKSPACE_ROOT") {
        return PathBuf::from(root);
    }
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map(PathBuf::from).unwrap_or(manifest)
}
