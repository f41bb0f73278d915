//! `cargo xtask unions` over the project's own documents: every variant of every union in
//! PostHog's spec and the fixtures decodes as itself and encodes to JSON its schema accepts.
//! (The test command runs it over the corpus sample too.)

#[test]
fn every_union_variant_of_the_fixtures_round_trips() {
    let root = xtask::workspace_root();
    let report = root.join("target/unions/fixtures-test.md");
    let passed = xtask::unions::run(
        &root,
        &[
            "--fixtures".into(),
            "--report".into(),
            report.display().to_string(),
        ],
    )
    .expect("the check runs");
    let text = std::fs::read_to_string(&report).unwrap();
    assert!(passed, "{text}");
    // It is not passing on nothing: the unions fixture's five unions and twelve variants (the
    // `Other` of a `{}` branch and the fallbacks have no schema of their own) are checked.
    let unions_fixture = text
        .lines()
        .find(|l| l.starts_with("| spec/fixtures/unions.yaml"))
        .expect("the unions fixture is in the report");
    assert_eq!(
        unions_fixture, "| spec/fixtures/unions.yaml | 5 | 12 | 12 | 0 | 0 |",
        "{text}"
    );
}
