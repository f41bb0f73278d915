//! Turns an OpenAPI 3.0 document into a typed, documented Rust client crate.
//!
//! The pipeline is plain data flowing through stages, each a public function so that tools
//! and benchmarks can time them:
//!
//! 1. [`parse_document`]: YAML or JSON text into `openapiv3::OpenAPI`;
//! 2. [`validate`]: reject what cannot be generated, naming the JSON pointer;
//! 3. [`lower`]: every decision (names, types, request and response shapes) into the IR
//!    ([`ir::Api`]);
//! 4. [`emit`]: the IR into token streams, one per file;
//! 5. [`format()`]: token streams into formatted source text with the generated-file header.
//!
//! [`generate`] runs stages 2 to 5. The library does no file I/O: writing is the caller's job
//! (`cargo xtask codegen`).

pub mod docs;
mod emit;
mod error;
pub mod ir;
mod load;
mod lower;
pub mod names;
mod repair;
mod runtime_source;
mod settings;
mod validate;

mod format_file;

pub use emit::Content;
pub use error::Error;
pub use load::{parse_document, parse_document_lenient};
pub use settings::{Layout, Settings};
pub use validate::validate;

/// One output file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    /// Path relative to the output directory, with `/` separators.
    pub path: String,
    /// The file's full text.
    pub contents: String,
}

/// Generates every file of the client crate.
pub fn generate(
    doc: &openapiv3::OpenAPI,
    settings: &Settings,
) -> Result<Vec<GeneratedFile>, Error> {
    validate(doc)?;
    let api = lower(doc, settings)?;
    format(emit(&api, settings), settings)
}

/// Lowers a validated document into the IR.
pub fn lower(doc: &openapiv3::OpenAPI, settings: &Settings) -> Result<ir::Api, Error> {
    lower::lower(doc, settings)
}

/// Emits the IR as token streams, one per file.
pub fn emit(api: &ir::Api, settings: &Settings) -> Vec<(String, Content)> {
    emit::emit(api, settings)
}

/// Formats emitted files and puts the header on each.
pub fn format(
    files: Vec<(String, Content)>,
    settings: &Settings,
) -> Result<Vec<GeneratedFile>, Error> {
    let command = match settings.layout {
        Layout::Standalone => "cargo xtask generate",
        Layout::Embedded | Layout::ModelsOnly => "cargo xtask codegen",
    };
    let header = format_file::header(&settings.spec_label, command);
    files
        .into_iter()
        .map(|(path, content)| {
            let contents = match content {
                Content::Rust(tokens) => {
                    format!("{header}{}", format_file::rust_file(tokens, &path)?)
                }
                Content::Text(text) if path.ends_with(".rs") => format!("{header}{text}"),
                Content::Text(text) => text,
            };
            Ok(GeneratedFile { path, contents })
        })
        .collect()
}
