//! `generate --spec FILE --out DIR [...]`: a standalone client crate (manifest and
//! generated code, depending on the runtime crate) for any API description the generator
//! reads (Swagger 2.0, OpenAPI 3.0 to 3.2, one file or many, with overlays).

use generator::{Layout, RuntimeDependency, Settings, TagFeatures};
use std::path::{Path, PathBuf};

/// Parsed arguments.
#[derive(Debug)]
pub struct Args {
    pub spec: PathBuf,
    pub out: PathBuf,
    pub crate_name: Option<String>,
    pub tag_features: TagFeatures,
    /// Overlays to apply, in order.
    pub overlays: Vec<String>,
    /// Print every note, not a count per kind of note.
    pub verbose: bool,
    /// Make a crate of models only when the document has no operations.
    pub allow_no_operations: bool,
    /// Plain exhaustive structs and enums (see `generator::Settings::exhaustive`).
    pub exhaustive: bool,
    /// Where the crate's runtime comes from; `None`: this checkout's runtime crate.
    pub runtime: Option<RuntimeDependency>,
}

/// Parses `--spec FILE --out DIR [--crate-name NAME] [--tag-features auto|always|never]
/// [--overlay FILE]... [--verbose] [--allow-no-operations]`, naming any bad argument.
pub fn parse_args(args: &[String]) -> Result<Args, String> {
    let mut spec = None;
    let mut out = None;
    let mut crate_name = None;
    let mut tag_features = TagFeatures::Auto;
    let mut overlays = Vec::new();
    let mut verbose = false;
    let mut allow_no_operations = false;
    let mut exhaustive = false;
    let mut runtime = None;
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        let mut value = |name: &str| {
            iter.next()
                .cloned()
                .ok_or_else(|| format!("generate: `{name}` needs a value"))
        };
        match arg.as_str() {
            "--spec" => spec = Some(PathBuf::from(value("--spec")?)),
            "--out" => out = Some(PathBuf::from(value("--out")?)),
            "--overlay" => overlays.push(value("--overlay")?),
            "--verbose" => verbose = true,
            "--allow-no-operations" => allow_no_operations = true,
            "--exhaustive" => exhaustive = true,
            "--vendor-runtime" => runtime = Some(RuntimeDependency::Vendored),
            "--runtime-path" => {
                runtime = Some(RuntimeDependency::Path(value("--runtime-path")?));
            }
            "--crate-name" => {
                let name = value("--crate-name")?;
                if !valid_crate_name(&name) {
                    return Err(format!("generate: `--crate-name {name}` is not a valid crate name (letters, digits, `-` and `_`, starting with a letter)"));
                }
                crate_name = Some(name);
            }
            "--tag-features" => {
                tag_features = match value("--tag-features")?.as_str() {
                    "auto" => TagFeatures::Auto,
                    "always" => TagFeatures::Always,
                    "never" => TagFeatures::Never,
                    other => {
                        return Err(format!(
                            "generate: `--tag-features {other}` is not one of auto, always, never"
                        ))
                    }
                };
            }
            other => {
                return Err(format!(
                    "generate: unknown argument `{other}` (expected --spec, --out, --crate-name, --tag-features, --overlay, --verbose, --allow-no-operations, --exhaustive, --runtime-path or --vendor-runtime)"
                ))
            }
        }
    }
    Ok(Args {
        spec: spec.ok_or("generate: `--spec FILE` is required")?,
        out: out.ok_or("generate: `--out DIR` is required")?,
        crate_name,
        tag_features,
        overlays,
        verbose,
        allow_no_operations,
        exhaustive,
        runtime,
    })
}

fn valid_crate_name(name: &str) -> bool {
    name.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        && name.len() <= 64
}

/// A crate name for a spec: the file's name (or the API's title) in kebab case.
pub fn default_crate_name(spec: &Path, title: &str) -> String {
    let stem = spec.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    let base = if stem.is_empty() || stem == "openapi" || stem == "swagger" || stem == "api" {
        title
    } else {
        stem
    };
    let mut name: String = generator::names::value_name(base)
        .trim_start_matches("r#")
        .trim_matches('_')
        .replace('_', "-");
    if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        name.insert_str(0, "api-");
    }
    name.truncate(60);
    let name = name.trim_end_matches('-').to_owned();
    if name.is_empty() || name == "api" || name == "test" || name == "core" || name == "std" {
        format!("{name}-client")
    } else {
        name
    }
}

/// Settings for a standalone crate whose runtime comes from `runtime`, with headers saying
/// which command made it.
pub fn settings(
    spec_label: &str,
    crate_name: String,
    tag_features: TagFeatures,
    runtime: RuntimeDependency,
    generated_by: &str,
) -> Settings {
    Settings {
        tag_features,
        runtime,
        generated_by: Some(generated_by.to_owned()),
        ..Settings::new(crate_name, spec_label).with_layout(Layout::Standalone)
    }
}

/// What generating a crate in memory gives: its name, its files, and the IR (for its notes and
/// counts).
pub struct Generated {
    pub name: String,
    pub files: Vec<generator::GeneratedFile>,
    pub api: generator::ir::Api,
}

/// How a front end generates: where crates get their runtime unless `--runtime-path` or
/// `--vendor-runtime` says, and the command named in the files' headers.
#[derive(Debug, Clone)]
pub struct Defaults {
    /// The runtime of a crate generated without a runtime flag.
    pub runtime: RuntimeDependency,
    /// The command named in the generated files' headers (`openapi-rust generate`).
    pub generated_by: String,
}

/// Generates the crate in memory; `Err` names the file and the JSON pointer.
pub fn generate_files(args: &Args, defaults: &Defaults) -> Result<Generated, String> {
    let label = args.spec.display().to_string();
    // Other files are resolved relative to the root document's own path, as given.
    let doc = crate::spec::load(Path::new("."), &label, &args.overlays, true)?;
    let name = args
        .crate_name
        .clone()
        .unwrap_or_else(|| default_crate_name(&args.spec, &doc.openapi.info.title));
    let mut settings = settings(
        &label,
        name.clone(),
        args.tag_features,
        defaults.runtime.clone(),
        &defaults.generated_by,
    );
    settings.allow_no_operations = args.allow_no_operations;
    settings.exhaustive = args.exhaustive;
    if let Some(runtime) = &args.runtime {
        settings.runtime = match runtime {
            // A path as given on the command line, absolute, so that the manifest works
            // wherever the crate is written.
            RuntimeDependency::Path(dir) => {
                let dir = Path::new(dir)
                    .canonicalize()
                    .map_err(|e| format!("--runtime-path {dir}: {e}"))?;
                RuntimeDependency::Path(dir.display().to_string())
            }
            other => other.clone(),
        };
    }
    let (api, files) =
        generator::generate_with_api(&doc, &settings).map_err(|e| format!("{label}: {e}"))?;
    Ok(Generated { name, files, api })
}

pub use crate::files::write_files;

/// Runs `f` on a thread with a large stack: lowering recurses along the document's nesting,
/// and real-world documents can nest deeply.
pub fn on_big_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(256 * 1024 * 1024)
        .spawn(f)
        .expect("a generator thread starts")
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}

/// The `generate` command.
pub fn run(args: &[String], defaults: &Defaults) -> Result<bool, String> {
    let args = parse_args(args)?;
    let out = args.out.clone();
    let verbose = args.verbose;
    let label = args.spec.display().to_string();
    let defaults = defaults.clone();
    let generated = on_big_stack(move || generate_files(&args, &defaults))?;
    crate::spec::print_notes(&label, &generated.api.notes, verbose);
    let written = write_files(&out, &generated.files)?;
    println!(
        "{}: {} files in {} ({written} written)",
        generated.name,
        generated.files.len(),
        out.display()
    );
    println!("{}", crate::spec::summary(&generated.name, &generated.api));
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crate_names() {
        assert_eq!(
            default_crate_name(Path::new("api/github.com/api.github.com.json"), "GitHub"),
            "api-github-com"
        );
        assert_eq!(
            default_crate_name(Path::new("x/openapi.yaml"), "Pet Store"),
            "pet-store"
        );
        assert_eq!(
            default_crate_name(Path::new("1forge.com.json"), "1Forge"),
            "api-1forge-com"
        );
        assert_eq!(
            default_crate_name(Path::new("x/openapi.yaml"), "API"),
            "api-client"
        );
    }

    #[test]
    fn bad_arguments_are_named() {
        let err = parse_args(&["--spec".into()]).unwrap_err();
        assert!(err.contains("`--spec` needs a value"), "{err}");
        let err =
            parse_args(&["--spec".into(), "a".into(), "--outt".into(), "b".into()]).unwrap_err();
        assert!(err.contains("`--outt`"), "{err}");
        let err = parse_args(&["--spec".into(), "a".into()]).unwrap_err();
        assert!(err.contains("--out DIR"), "{err}");
        let err = parse_args(&[
            "--spec".into(),
            "a".into(),
            "--out".into(),
            "b".into(),
            "--crate-name".into(),
            "9x".into(),
        ])
        .unwrap_err();
        assert!(err.contains("not a valid crate name"), "{err}");
    }
}
