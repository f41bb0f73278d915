//! Every fuzz finding, kept as a document in `spec/fuzz/`, still behaves: an error at exactly
//! the pointer its header names (a pointer into the document as written), or a clean
//! generation when the header says so. And the fuzzer's own properties hold on these files.

use std::path::PathBuf;

fn findings() -> Vec<PathBuf> {
    let dir = xtask::workspace_root().join("spec/fuzz");
    let mut out: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("spec/fuzz exists")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    out.sort();
    out
}

#[test]
fn every_fuzz_finding_is_fixed() {
    let files = findings();
    assert!(!files.is_empty());
    let mut failures = Vec::new();
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let expected = text
            .lines()
            .find_map(|l| l.strip_prefix("# expected error at: "))
            .map(str::to_owned);
        let generates = text.lines().any(|l| l == "# expected: generates");
        assert!(
            expected.is_some() || generates,
            "{name}: say `# expected error at: POINTER` or `# expected: generates`"
        );
        // The fuzzer's properties: no panic, a pointer that exists, deterministic output.
        if let Err(finding) = xtask::fuzz::check(&text) {
            failures.push(format!("{name}: {}: {}", finding.kind, finding.message));
            continue;
        }
        let options = generator::LoadOptions {
            lenient: true,
            ..Default::default()
        };
        let outcome = generator::load(&name, &text, &options).and_then(|doc| {
            let mut settings = generator::Settings::new("fuzz-client", &name);
            settings.allow_no_operations = true;
            generator::generate(&doc, &settings).map(|_| ())
        });
        match (outcome, &expected) {
            (Err(e), Some(pointer)) if &e.pointer == pointer => {}
            (Err(e), Some(pointer)) => failures.push(format!(
                "{name}: the error is at {} ({e}), not {pointer}",
                e.pointer
            )),
            (Err(e), None) => failures.push(format!("{name}: refused: {e}")),
            (Ok(()), Some(pointer)) => failures.push(format!(
                "{name}: generated, but an error at {pointer} was expected"
            )),
            (Ok(()), None) => {}
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The fuzzer as the test command runs it: a fixed seed and number of documents.
#[test]
fn a_short_fuzz_run_finds_nothing() {
    let root = xtask::workspace_root();
    let ok = xtask::fuzz::run_in(
        &root,
        &root.join("target/fuzz-test"),
        &[
            "--cases".into(),
            "150".into(),
            "--seed".into(),
            "2026".into(),
            "--compile".into(),
            "0".into(),
        ],
    )
    .unwrap();
    assert!(ok, "see target/fuzz-test/findings");
}
