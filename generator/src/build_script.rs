//! The build-script entry: a client generated into `OUT_DIR` when its crate builds, from an
//! API description in the crate, as one file the crate includes.
//!
//! ```ignore
//! // build.rs of a crate that depends on openapi-rust-runtime, serde, serde_json and bytes
//! // (and chrono or uuid when the API has dates or UUIDs), with openapi-rust-generator as
//! // a build dependency.
//! fn main() {
//!     openapi_rust_generator::build_script::Client::new("openapi.yaml")
//!         .generate()
//!         .expect("the client is generated");
//! }
//! ```
//!
//! ```ignore
//! // src/lib.rs
//! include!(concat!(env!("OUT_DIR"), "/client.rs"));
//! ```
//!
//! The file holds what a generated crate's `src/` holds (the `Client`, `apis`, `models`),
//! with its modules inline; the test kit (`mock`), which a generated crate keeps behind a
//! feature, is left out. Every file the description is read from is watched
//! (`cargo:rerun-if-changed`), and what the generator repaired, typed loosely or left out is
//! reported as build warnings besides being written in the code's docs.

use crate::settings::{Layout, RuntimeDependency, Settings};
use crate::GeneratedFile;
use std::path::{Path, PathBuf};

/// What a build script generates: the description, its overlays and the settings.
#[derive(Debug, Clone)]
pub struct Client {
    spec: PathBuf,
    overlays: Vec<PathBuf>,
    file_name: String,
    settings: Settings,
}

impl Client {
    /// A client for the description at `spec` (relative to the crate's directory; Swagger
    /// 2.0 or OpenAPI 3.0 to 3.2, JSON or YAML, one file or several).
    pub fn new(spec: impl Into<PathBuf>) -> Self {
        let spec = spec.into();
        let crate_name = std::env::var("CARGO_PKG_NAME").unwrap_or_else(|_| "client".into());
        let label = spec.display().to_string();
        let mut settings = Settings::new(crate_name, label).with_layout(Layout::BuildScript);
        settings.runtime = RuntimeDependency::Registry;
        Client {
            spec,
            overlays: Vec::new(),
            file_name: "client.rs".into(),
            settings,
        }
    }

    /// Applies an OpenAPI Overlay 1.0 (relative to the crate's directory) before
    /// generating; overlays apply in the order given.
    pub fn overlay(mut self, path: impl Into<PathBuf>) -> Self {
        self.overlays.push(path.into());
        self
    }

    /// The environment variable `Client::from_env` reads the credential from (by default
    /// `<CRATE>_API_KEY`).
    pub fn api_key_env(mut self, name: impl Into<String>) -> Self {
        self.settings.api_key_env = Some(name.into());
        self
    }

    /// The environment variable `Client::from_env` reads the base URL from (by default
    /// `<CRATE>_BASE_URL`).
    pub fn base_url_env(mut self, name: impl Into<String>) -> Self {
        self.settings.base_url_env = Some(name.into());
        self
    }

    /// Plain exhaustive structs and enums instead of `#[non_exhaustive]` ones with builders.
    pub fn exhaustive(mut self, exhaustive: bool) -> Self {
        self.settings.exhaustive = exhaustive;
        self
    }

    /// The file written in `OUT_DIR` (default `client.rs`): one per client when a crate
    /// generates several.
    pub fn file_name(mut self, name: impl Into<String>) -> Self {
        self.file_name = name.into();
        self
    }

    /// Generates the client into `OUT_DIR` and gives the file's path. Meant for a build
    /// script: it reads `CARGO_MANIFEST_DIR` and `OUT_DIR`, and prints `cargo:` lines.
    pub fn generate(self) -> Result<PathBuf, String> {
        let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR")
            .map(PathBuf::from)
            .ok_or("CARGO_MANIFEST_DIR is not set: call generate() from a build script")?;
        let out_dir = std::env::var_os("OUT_DIR")
            .map(PathBuf::from)
            .ok_or("OUT_DIR is not set: call generate() from a build script")?;
        let (text, watched, notes) = self.render(&manifest_dir)?;
        for file in &watched {
            println!("cargo:rerun-if-changed={}", file.display());
        }
        for note in notes {
            println!("cargo:warning={note}");
        }
        let path = out_dir.join(&self.file_name);
        // Written only when it changes, so that the crate is not rebuilt for nothing.
        if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
            std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
        }
        Ok(path)
    }

    /// The one file's text, the files it was made from, and the notes to report, for a
    /// crate at `manifest_dir`.
    pub fn render(
        &self,
        manifest_dir: &Path,
    ) -> Result<(String, Vec<PathBuf>, Vec<String>), String> {
        let label = self.spec.display().to_string();
        let overlays: Vec<String> = self
            .overlays
            .iter()
            .map(|o| o.display().to_string())
            .collect();
        let (doc, read) = crate::load_from_disk(manifest_dir, &label, &overlays, true)
            .map_err(|e| e.to_string())?;
        let (api, files) =
            crate::generate_with_api(&doc, &self.settings).map_err(|e| e.to_string())?;
        let mut watched = vec![manifest_dir.join(&self.spec)];
        watched.extend(self.overlays.iter().map(|o| manifest_dir.join(o)));
        for file in read {
            if !watched.contains(&file) {
                watched.push(file);
            }
        }
        let notes = api
            .notes
            .iter()
            .map(|n| format!("{label}: {}: {}", n.pointer, n.message))
            .collect();
        Ok((one_file(&files)?, watched, notes))
    }
}

/// The crate's files as one: each `mod name;` replaced by the module's file, inline.
pub fn one_file(files: &[GeneratedFile]) -> Result<String, String> {
    let root = files
        .iter()
        .find(|f| f.path == "src/lib.rs")
        .ok_or("no src/lib.rs was generated")?;
    // An included file cannot carry inner attributes or docs at the including crate's root;
    // the crate's own root has its own.
    let root_text = keep_lines(&root.contents, |line| {
        !line.starts_with("#![") && !line.starts_with("//!")
    });
    let mut used = 1;
    let text = inline_modules(&root_text, "src", files, &mut used)?;
    if used != files.iter().filter(|f| f.path.ends_with(".rs")).count() {
        return Err("a generated file is not reached from src/lib.rs".into());
    }
    Ok(text)
}

/// `text` (a file whose child modules live in `dir`) with its `mod name;` lines inlined.
fn inline_modules(
    text: &str,
    dir: &str,
    files: &[GeneratedFile],
    used: &mut usize,
) -> Result<String, String> {
    let mut out = String::with_capacity(text.len());
    // Whether the declaration being read has outer docs (`///`, above its attributes).
    let mut documented = false;
    for line in text.lines() {
        let trimmed = line.trim_start();
        let declaration = module_declaration(line);
        if declaration.is_none() {
            if trimmed.starts_with("///") {
                documented = true;
            } else if !trimmed.starts_with("#[") {
                documented = false;
            }
        }
        match declaration {
            Some((head, name)) => {
                let bare = name.trim_start_matches("r#");
                let (child, child_dir) = [
                    (format!("{dir}/{bare}.rs"), format!("{dir}/{bare}")),
                    (format!("{dir}/{bare}/mod.rs"), format!("{dir}/{bare}")),
                ]
                .into_iter()
                .find_map(|(path, child_dir)| {
                    files
                        .iter()
                        .find(|f| f.path == path)
                        .map(|f| (f, child_dir))
                })
                .ok_or_else(|| format!("no file for `{}` in {dir}", line.trim()))?;
                *used += 1;
                out.push_str(&format!("{head}mod {name} {{\n"));
                // A module documented where it is declared keeps those docs only: an item
                // has outer or inner docs, not both.
                let body = if documented {
                    keep_lines(&child.contents, |l| !l.trim_start().starts_with("//!"))
                } else {
                    child.contents.clone()
                };
                documented = false;
                out.push_str(&inline_modules(&body, &child_dir, files, used)?);
                out.push_str("}\n");
            }
            None => {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    Ok(out)
}

/// The lines of `text` that `keep` accepts, each ending in a newline.
fn keep_lines(text: &str, keep: impl Fn(&str) -> bool) -> String {
    text.lines()
        .filter(|line| keep(line))
        .flat_map(|line| [line, "\n"])
        .collect()
}

/// `pub mod name;` -> (`pub `, `name`): a declaration of a module in its own file.
fn module_declaration(line: &str) -> Option<(&str, &str)> {
    let trimmed = line.trim_end();
    let rest = trimmed.strip_suffix(';')?;
    let at = rest.rfind("mod ")?;
    let (head, name) = (&rest[..at], &rest[at + 4..]);
    let head_ok = head.trim().is_empty() || head.trim_start().starts_with("pub");
    let name_ok = !name.is_empty()
        && name
            .trim_start_matches("r#")
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_');
    (head_ok && name_ok && !head.contains("//")).then_some((head, name))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, contents: &str) -> GeneratedFile {
        GeneratedFile {
            path: path.into(),
            contents: contents.into(),
        }
    }

    #[test]
    fn modules_are_inlined_in_place() {
        let files = [
            file(
                "src/lib.rs",
                "//! Docs.\n#![forbid(unsafe_code)]\npub mod apis;\npub mod models;\nuse x as y;\n",
            ),
            file(
                "src/apis/mod.rs",
                "//! Groups.\n/// Types.\npub mod r#type;\n",
            ),
            file("src/apis/type.rs", "//! Types.\npub struct T;\n"),
            file("src/models.rs", "pub struct M;\n"),
        ];
        assert_eq!(
            one_file(&files).unwrap(),
            "pub mod apis {\n//! Groups.\n/// Types.\npub mod r#type {\npub struct T;\n}\n}\npub mod models {\npub struct M;\n}\nuse x as y;\n"
        );
        let unreached = [file("src/lib.rs", ""), file("src/models.rs", "")];
        assert!(one_file(&unreached).is_err());
        assert!(one_file(&[file("src/lib.rs", "pub mod gone;\n")]).is_err());
    }
}
