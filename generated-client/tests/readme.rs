//! The READMEs' example is the compiled example, word for word.

#[test]
fn readme_shows_the_quickstart_example() {
    let example = include_str!("../examples/quickstart.rs");
    let block = format!("```rust\n{example}```");
    for (name, readme) in [
        ("README.md", include_str!("../../README.md")),
        ("generated-client/README.md", include_str!("../README.md")),
    ] {
        assert!(
            readme.contains(&block),
            "{name}'s Rust example differs from generated-client/examples/quickstart.rs"
        );
    }
}
