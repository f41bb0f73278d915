//! `openapi-rust`, the generator as a command: `generate` makes a client crate from an
//! OpenAPI document, `diff` says what a change of the document does to that crate's users.
//! The project's `cargo xtask` calls the same code.

pub mod diff;
pub mod files;
pub mod generate;
pub mod spec;

/// The command's name, as installed.
pub const COMMAND: &str = "openapi-rust";

/// `openapi-rust generate --help`.
pub const GENERATE_USAGE: &str = "\
usage: openapi-rust generate --spec FILE --out DIR [options]

Writes a client crate for the API description FILE (Swagger 2.0 or OpenAPI 3.0/3.1/3.2,
JSON or YAML, one file or many) into DIR: Cargo.toml, src/lib.rs, src/models.rs,
src/apis/ and src/mock.rs. Prints every repair and degradation the generator made
(grouped unless --verbose) and a one-line summary. Only files whose bytes change are
written.

options:
  --spec FILE              the API description (required)
  --out DIR                where the crate is written (required)
  --crate-name NAME        the package name (default: from the file name or the title)
  --overlay FILE           an OpenAPI Overlay 1.0 to apply first (repeatable, in order)
  --tag-features MODE      auto (default: a cargo feature per group over 200 operations),
                           always or never
  --exhaustive             plain structs and enums instead of #[non_exhaustive] ones
  --allow-no-operations    make a crate of models only when there are no operations
  --runtime-path DIR       depend on the runtime crate at DIR (a checkout of
                           openapi-rust-runtime), with the same version requirement
  --vendor-runtime         copy the runtime into src/runtime/ instead of depending on
                           openapi-rust-runtime
  --verbose                print every note instead of grouping them
  -h, --help               show this text

By default the crate depends on openapi-rust-runtime from crates.io, at the version this
generator was built with (a caret requirement).
";

/// `openapi-rust diff --help`.
pub const DIFF_USAGE: &str = "\
usage: openapi-rust diff OLD NEW [--overlay FILE]... [--json | --changelog VERSION]
                         [--fail-on breaking|any]
       openapi-rust diff --base GIT_REV SPEC [--json | --changelog VERSION]
                         [--fail-on breaking|any]

What changed between two versions of an API description, as changes to the generated
crate: breaking, breaking on the wire, additive or patch, each with its rule, and the
release it needs. With --base, OLD is SPEC as committed at GIT_REV (of the git checkout
the command runs in).

options:
  --overlay FILE           apply an overlay to NEW (repeatable)
  --json                   the report as JSON
  --changelog VERSION      a CHANGELOG.md entry for VERSION instead of the report
  --fail-on breaking|any   exit with failure when the changes need a major release
                           (breaking) or any release (any)
  -h, --help               show this text
";

/// `openapi-rust --help`.
pub const USAGE: &str = "\
usage: openapi-rust <command> [options]

Typed, documented Rust clients from OpenAPI documents.

commands:
  generate   write a client crate for an API description (see generate --help)
  diff       what a change of an API description does to the generated crate
             (see diff --help)
  help       show this text (help COMMAND: that command's)

options:
  -h, --help     show this text
  -V, --version  show the version
";

/// Whether the arguments ask for help (before any `--`).
pub fn wants_help(args: &[String]) -> bool {
    args.iter()
        .take_while(|a| a.as_str() != "--")
        .any(|a| a == "--help" || a == "-h")
}
