//! The untyped count the summary line and the crate docs report is what the generated code
//! holds: for every fixture and for PostHog, the code is read back (`xtask::scan`) and its
//! `serde_json::Value` places counted independently of the generator's own count. (`cargo
//! xtask corpus` makes the same check on every directory document it generates.)

use generator::{Layout, Settings};

#[test]
fn the_untyped_count_is_what_the_code_holds() {
    let root = xtask::workspace_root();
    let mut specs: Vec<(String, Vec<String>)> = xtask::codegen::fixture_specs(&root)
        .unwrap()
        .into_iter()
        .map(|f| (f.spec, f.overlays))
        .collect();
    specs.push(("spec/posthog.yaml".into(), Vec::new()));
    let mut mismatches = Vec::new();
    let mut untyped_somewhere = 0;
    for (spec, overlays) in specs {
        let doc = xtask::spec::load(&root, &spec, &overlays, true).unwrap();
        let settings = Settings {
            allow_no_operations: true,
            ..Settings::new("fixture", &spec).with_layout(Layout::Standalone)
        };
        let (api, files) = generator::generate_with_api(&doc, &settings).unwrap();
        let scanned = xtask::scan::untyped(&files).unwrap();
        let std_named = xtask::scan::std_named_models(&files).unwrap();
        if !std_named.is_empty() {
            mismatches.push(format!(
                "{spec}: models named like standard types: {std_named:?}"
            ));
        }
        untyped_somewhere += scanned.total();
        if scanned != api.untyped {
            mismatches.push(format!(
                "{spec}: the summary says {} but the code has {}",
                api.untyped.describe(),
                scanned.describe()
            ));
        }
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
    // The fixtures do type things as `Value` (free-form objects, empty schemas): the check
    // compares real counts.
    assert!(untyped_somewhere > 20, "{untyped_somewhere}");
}
