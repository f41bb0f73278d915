//! Every command of `cargo xtask` answers `--help` with its own usage, and runs nothing.

use std::process::Command;

fn xtask(args: &[&str]) -> (bool, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .output()
        .expect("the xtask runs");
    (
        output.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ),
    )
}

#[test]
fn every_command_answers_help() {
    let (ok, all) = xtask(&["help"]);
    assert!(ok, "{all}");
    let commands: Vec<String> = all
        .lines()
        .filter(|line| line.starts_with("  ") && !line.starts_with("   "))
        .filter_map(|line| line.split_whitespace().next())
        .map(str::to_owned)
        .collect();
    for expected in [
        "codegen",
        "generate",
        "diff",
        "test",
        "runtime-semver",
        "budget",
    ] {
        assert!(
            commands.iter().any(|c| c == expected),
            "{expected} not listed: {all}"
        );
    }
    for command in &commands {
        for flag in ["--help", "-h"] {
            let (ok, text) = xtask(&[command, flag]);
            assert!(ok, "{command} {flag}: {text}");
            assert!(
                text.starts_with("usage: cargo xtask"),
                "{command} {flag}: {text}"
            );
            assert!(
                text.lines()
                    .any(|l| l.trim_start().starts_with(command.as_str())),
                "{command} {flag} does not show its own usage: {text}"
            );
        }
    }
    let (ok, text) = xtask(&["frobnicate", "--help"]);
    assert!(
        !ok && text.contains("unknown command `frobnicate`"),
        "{text}"
    );
}
