//! Every edit of `spec/semver/cases.yaml` gets the verdict the file expects from
//! `cargo xtask diff` (cargo-semver-checks is the independent oracle: `cargo xtask
//! semver-oracle`).

#[test]
fn every_edit_gets_its_expected_verdict() {
    let root = xtask::workspace_root();
    let cases = xtask::semver_oracle::cases(&root).unwrap();
    assert!(cases.cases.len() >= 30, "{} cases", cases.cases.len());
    let settings = xtask::diff::settings_for(&root, "spec/posthog.yaml");
    let base = xtask::diff::lower(&root, "spec/posthog.yaml", &[], &settings).unwrap();
    let mut wrong = Vec::new();
    for case in &cases.cases {
        let overlay = tempfile::NamedTempFile::new().unwrap();
        xtask::semver_oracle::write_overlay(case, overlay.path()).unwrap();
        let overlays = [overlay.path().display().to_string()];
        let loaded = xtask::spec::load(&root, "spec/posthog.yaml", &overlays, true).unwrap();
        // An action that matched nothing would test nothing.
        assert!(
            !loaded
                .notes
                .iter()
                .any(|n| n.message.contains("matches nothing")),
            "{}: {:?}",
            case.name,
            loaded.notes
        );
        generator::validate(&loaded).unwrap_or_else(|e| panic!("{}: {e}", case.name));
        let new = generator::lower(&loaded, &settings).unwrap();
        let report = generator::diff::diff(&base, &new);
        let got = report.bump().to_string();
        if got != case.expect {
            wrong.push(format!(
                "{}: expected {}, got {}\n{}",
                case.name,
                case.expect,
                got,
                generator::diff::markdown(&report)
            ));
        }
        // An edit that only breaks calls is no break of the Rust API.
        if case.wire {
            assert!(
                report.rust_bump() < generator::diff::Bump::Major,
                "{}",
                case.name
            );
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// `cargo xtask diff --fail-on breaking` passes additive edits and fails a removed operation.
#[test]
fn diff_fails_on_breaking_changes_only() {
    let root = xtask::workspace_root();
    let cases = xtask::semver_oracle::cases(&root).unwrap();
    let run = |name: &str| {
        let case = cases.cases.iter().find(|c| c.name == name).unwrap();
        let overlay = tempfile::NamedTempFile::new().unwrap();
        xtask::semver_oracle::write_overlay(case, overlay.path()).unwrap();
        std::process::Command::new(env!("CARGO_BIN_EXE_xtask"))
            .args([
                "diff",
                "spec/posthog.yaml",
                "spec/posthog.yaml",
                "--fail-on",
                "breaking",
                "--overlay",
            ])
            .arg(overlay.path())
            .current_dir(&root)
            .env("XTASK_WORKSPACE_ROOT", &root)
            .output()
            .unwrap()
    };
    for additive in [
        "response-gains-a-read-only-field",
        "enum-gains-a-value",
        "patch-bodies-gain-an-optional-field",
    ] {
        let output = run(additive);
        assert!(
            output.status.success(),
            "{additive}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(String::from_utf8_lossy(&output.stdout).contains("release: minor"));
    }
    let output = run("operation-removed");
    assert!(!output.status.success());
    let report = String::from_utf8_lossy(&output.stdout);
    assert!(report.contains("[operation_removed]"), "{report}");
}
