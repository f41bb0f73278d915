//! The version check of `posthog-api`: the crate's version must be bumped as far as the API
//! changes since the last release need (the version policy in `generated-client/README.md`).

use generator::diff::Bump;
use serde::Deserialize;
use std::path::Path;

/// `spec/released/release.yaml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Release {
    /// The released version.
    pub version: String,
    /// The spec it was made from, relative to the workspace root.
    pub spec: String,
}

/// A `major.minor.patch` version.
pub type Version = (u64, u64, u64);

/// Parses `1.2.3` (pre-release and build suffixes are not used by this crate).
pub fn parse_version(text: &str) -> Result<Version, String> {
    let parts: Vec<u64> = text
        .trim()
        .split('.')
        .map(|p| p.parse::<u64>())
        .collect::<Result<_, _>>()
        .map_err(|_| format!("`{text}` is not a version like 1.2.3"))?;
    match parts.as_slice() {
        [major, minor, patch] => Ok((*major, *minor, *patch)),
        _ => Err(format!("`{text}` is not a version like 1.2.3")),
    }
}

/// The lowest version that may follow `released` for changes that need `bump` (Cargo's rules:
/// before 1.0, the minor number is the major one).
pub fn lowest_next(released: Version, bump: Bump) -> Version {
    let (major, minor, patch) = released;
    match (bump, major) {
        (Bump::None, _) => released,
        (Bump::Patch, _) | (Bump::Minor, 0) => (major, minor, patch + 1),
        (Bump::Minor, _) | (Bump::Major, 0) => (major, minor + 1, 0),
        (Bump::Major, _) => (major + 1, 0, 0),
    }
}

/// The version in a `Cargo.toml`.
pub fn crate_version(manifest: &Path) -> Result<String, String> {
    let text =
        std::fs::read_to_string(manifest).map_err(|e| format!("{}: {e}", manifest.display()))?;
    text.lines()
        .find_map(|line| line.strip_prefix("version = \""))
        .and_then(|rest| rest.strip_suffix('"'))
        .map(str::to_owned)
        .ok_or_else(|| format!("{}: no `version = \"...\"` line", manifest.display()))
}

/// Checks posthog-api's version against the changes since the last release. `Ok` carries a
/// one-line summary.
pub fn check(root: &Path) -> Result<String, String> {
    let text = std::fs::read_to_string(root.join("spec/released/release.yaml"))
        .map_err(|e| format!("spec/released/release.yaml: {e}"))?;
    let release: Release =
        serde_yaml::from_str(&text).map_err(|e| format!("spec/released/release.yaml: {e}"))?;
    let settings = crate::diff::settings_for(root, "spec/posthog.yaml");
    let report = crate::diff::compare(
        (root, &release.spec),
        (root, "spec/posthog.yaml"),
        &[],
        &settings,
    )?;
    let released = parse_version(&release.version)?;
    let current_text = crate_version(&root.join("generated-client/Cargo.toml"))?;
    let current = parse_version(&current_text)?;
    let needed = lowest_next(released, report.bump());
    let fmt = |v: Version| format!("{}.{}.{}", v.0, v.1, v.2);
    if current < released {
        return Err(format!(
            "posthog-api {current_text} is older than the released {}",
            release.version
        ));
    }
    if current < needed {
        return Err(format!(
            "the API changed since posthog-api {} was released in a way that needs a {} release: set the version in generated-client/Cargo.toml to at least {} and add a CHANGELOG entry (`cargo xtask diff {} spec/posthog.yaml --changelog {}` drafts it)",
            release.version,
            report.bump(),
            fmt(needed),
            release.spec,
            fmt(needed)
        ));
    }
    Ok(format!(
        "posthog-api {current_text}: {} changes since {} need a {} release",
        report.changes.len(),
        release.version,
        report.bump()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_follow_cargo_semver() {
        assert_eq!(lowest_next((0, 1, 0), Bump::Major), (0, 2, 0));
        assert_eq!(lowest_next((0, 1, 0), Bump::Minor), (0, 1, 1));
        assert_eq!(lowest_next((1, 2, 3), Bump::Major), (2, 0, 0));
        assert_eq!(lowest_next((1, 2, 3), Bump::Minor), (1, 3, 0));
        assert_eq!(lowest_next((1, 2, 3), Bump::Patch), (1, 2, 4));
        assert_eq!(lowest_next((1, 2, 3), Bump::None), (1, 2, 3));
        assert!(parse_version("1.2").is_err());
    }
}
