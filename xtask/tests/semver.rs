//! Every edit of `spec/semver/cases.yaml` gets the verdict the file expects from
//! `cargo xtask diff` (cargo-semver-checks is the independent oracle: `cargo xtask
//! semver-oracle`).

use serde::Deserialize;

#[derive(Deserialize)]
struct Cases {
    cases: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    name: String,
    expect: String,
    #[serde(default)]
    wire: bool,
    actions: serde_json::Value,
}

#[test]
fn every_edit_gets_its_expected_verdict() {
    let root = xtask::workspace_root();
    let text = std::fs::read_to_string(root.join("spec/semver/cases.yaml")).unwrap();
    let cases: Cases = serde_yaml::from_str(&text).unwrap();
    assert!(cases.cases.len() >= 30, "{} cases", cases.cases.len());
    let settings = xtask::diff::settings_for(&root, "spec/posthog.yaml");
    let base = xtask::diff::lower(&root, "spec/posthog.yaml", &[], &settings).unwrap();
    let mut wrong = Vec::new();
    for case in &cases.cases {
        let overlay = tempfile::NamedTempFile::new().unwrap();
        let doc = serde_json::json!({
            "overlay": "1.0.0",
            "info": {"title": case.name, "version": "1"},
            "actions": case.actions,
        });
        std::fs::write(overlay.path(), doc.to_string()).unwrap();
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
