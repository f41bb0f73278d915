//! The README's example is the compiled example, word for word.

#[test]
fn readme_shows_the_quickstart_example() {
    let readme = include_str!("../../README.md");
    let example = include_str!("../examples/quickstart.rs");
    let block = format!("```rust\n{example}```");
    assert!(
        readme.contains(&block),
        "README.md's Rust example differs from generated-client/examples/quickstart.rs"
    );
}
