//! Turns an API description (Swagger 2.0, OpenAPI 3.0, 3.1 or 3.2; one file or many; with
//! overlays) into a typed, documented Rust client crate.
//!
//! The pipeline is plain data flowing through stages, each a public function so that tools
//! and benchmarks can time them:
//!
//! 1. [`load`] (or [`parse_document`] for one file of text): every input format into one
//!    [`Document`], OpenAPI 3.0 in `openapiv3`'s model, so that no later stage knows versions
//!    (see [`normal`] for the representation and why);
//! 2. [`validate`]: reject what cannot be generated, naming the JSON pointer;
//! 3. [`lower`]: every decision (names, types, request and response shapes) into the IR
//!    ([`ir::Api`]);
//! 4. [`emit`]: the IR into token streams, one per file;
//! 5. [`format()`]: token streams into formatted source text with the generated-file header.
//!
//! [`generate`] runs stages 2 to 5, with 4 and 5 fused per file on several threads
//! ([`render`]). The library does no file I/O: writing is the caller's job
//! (`cargo xtask codegen`).

pub mod build_script;
pub mod diff;
pub mod docs;
mod emit;
mod error;
pub mod ir;
mod load;
mod lower;
pub mod names;
pub mod overlay_draft;
mod repair;
mod settings;
mod validate;

mod format_file;

pub use emit::Content;
pub use error::Error;
pub use load::disk::{load_from_disk, DiskFiles};
pub use load::{
    load, normal, parse_document, parse_document_lenient, AdditionalOperation, Document,
    FileReader, LoadOptions, Origins, Version,
};
pub use settings::{Layout, RuntimeDependency, Settings, TagFeatures};
pub use validate::validate;

/// The version of `openapi-rust-runtime` generated crates require (`^RUNTIME_VERSION`).
pub const RUNTIME_VERSION: &str = openapi_rust_runtime::source::VERSION;

/// One output file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    /// Path relative to the output directory, with `/` separators.
    pub path: String,
    /// The file's full text.
    pub contents: String,
}

/// Generates every file of the client crate: [`validate`], [`lower`], then [`render`].
pub fn generate(doc: &Document, settings: &Settings) -> Result<Vec<GeneratedFile>, Error> {
    generate_with_api(doc, settings).map(|(_, files)| files)
}

/// Like [`generate`], also returning the IR, whose notes and counts a caller reports.
pub fn generate_with_api(
    doc: &Document,
    settings: &Settings,
) -> Result<(ir::Api, Vec<GeneratedFile>), Error> {
    validate(doc)?;
    let api = lower(doc, settings)?;
    let files = render(&api, settings)?;
    Ok((api, files))
}

/// Lowers a validated document into the IR.
pub fn lower(doc: &Document, settings: &Settings) -> Result<ir::Api, Error> {
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
    let header = format_file::header(&settings.spec_label, settings.command());
    files
        .into_iter()
        .map(|(path, content)| finish(&path, content, &header))
        .collect()
}

/// [`emit`] and [`format()`], file by file, on as many threads as the machine has (up to 8).
/// Each file's tokens are dropped as soon as it is formatted, so memory stays near one file's
/// worth at a time; the output does not depend on the number of threads.
pub fn render(api: &ir::Api, settings: &Settings) -> Result<Vec<GeneratedFile>, Error> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 8);
    render_on(api, settings, threads)
}

/// [`render`] on exactly `threads` threads (at least one, at most one per file), for tools
/// that check the output does not depend on the thread count.
pub fn render_on(
    api: &ir::Api,
    settings: &Settings,
    threads: usize,
) -> Result<Vec<GeneratedFile>, Error> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let jobs = emit::jobs(api, settings);
    let header = format_file::header(&settings.spec_label, settings.command());
    let threads = threads.clamp(1, jobs.len().max(1));
    let next = AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some((path, job)) = jobs.get(i) else {
                break;
            };
            let content = emit::run_job(api, settings, *job);
            done.push((i, finish(path, content, &header)));
        }
        done
    };
    let mut results: Vec<(usize, Result<GeneratedFile, Error>)> = if threads == 1 {
        work()
    } else {
        std::thread::scope(|scope| {
            let handles: Vec<_> = (0..threads).map(|_| scope.spawn(work)).collect();
            handles
                .into_iter()
                .flat_map(|h| {
                    h.join()
                        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
                })
                .collect()
        })
    };
    results.sort_by_key(|(i, _)| *i);
    results.into_iter().map(|(_, file)| file).collect()
}

/// Formats one emitted file behind the header.
fn finish(path: &str, content: Content, header: &str) -> Result<GeneratedFile, Error> {
    let contents = match content {
        Content::Rust(tokens) => format!("{header}{}", format_file::rust_file(tokens, path)?),
        Content::Text(text) if path.ends_with(".rs") => format!("{header}{text}"),
        Content::Text(text) => text,
    };
    Ok(GeneratedFile {
        path: path.to_owned(),
        contents,
    })
}
