//! Loading: whatever API description a user hands us, into the pipeline's one input form, a
//! [`Document`] (OpenAPI 3.0 as `openapiv3::OpenAPI`, see [`normal`] for why and for the few
//! extensions that carry what 3.0 cannot say).
//!
//! The stages, in order:
//! 1. [`text`]: YAML or JSON into a value (the whole document is read; nothing is sniffed);
//! 2. the version: Swagger 2.0, OpenAPI 3.0, 3.1 or 3.2, or a clear error;
//! 3. [`ids`] then [`bundle`]: references by `$id`/`$anchor` become pointers, and `$ref`s to
//!    other files are followed and brought in;
//! 4. [`overlay`]: Overlay 1.0 documents are applied, in order;
//! 5. [`swagger2`] or [`oas31`]: other versions are converted to 3.0;
//! 6. [`typed`]: the typed parse, repairing (see `crate::repair`) when asked to.
//!
//! A single-file 3.0 document with no overlays takes a fast path straight to stage 6.
//! Everything the loader repairs or cannot express exactly is returned as notes with pointers.

mod bundle;
pub mod disk;
mod ids;
pub mod normal;
mod oas31;
mod origins;
mod overlay;
mod swagger2;
mod text;

// The overlay drafter reads documents as they are written, with the loader's own parser.
pub(crate) use text::to_value as text_to_value;
mod typed;
pub(crate) mod walk;

use crate::error::Error;
use crate::ir::{Note, NoteKind};
use openapiv3::OpenAPI;
use serde_json::Value;

pub use origins::Origins;

/// Reads the other files of a multi-file document. The library does no I/O of its own: the
/// caller decides where paths lead (`cargo xtask` reads them relative to the root document).
pub trait FileReader {
    /// The text of the file at `path` (`/`-separated, relative to where the root document's
    /// path is relative to), or why it cannot be read.
    fn read(&self, path: &str) -> Result<String, String>;
}

/// The version of the description a document was written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Version {
    /// Swagger 2.0.
    Swagger2,
    /// OpenAPI 3.0.x.
    OpenApi30,
    /// OpenAPI 3.1.x.
    OpenApi31,
    /// OpenAPI 3.2.x.
    OpenApi32,
}

impl std::fmt::Display for Version {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Version::Swagger2 => "Swagger 2.0",
            Version::OpenApi30 => "OpenAPI 3.0",
            Version::OpenApi31 => "OpenAPI 3.1",
            Version::OpenApi32 => "OpenAPI 3.2",
        })
    }
}

/// An operation under a method OpenAPI 3.0 has no field for (3.2's `QUERY`, or any method of
/// `additionalOperations`).
#[derive(Debug, Clone, PartialEq)]
pub struct AdditionalOperation {
    /// The path it sits under.
    pub path: String,
    /// The HTTP method, upper case.
    pub method: String,
    /// The operation.
    pub operation: openapiv3::Operation,
}

/// A loaded API description: the pipeline's input.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// The document in OpenAPI 3.0 form.
    pub openapi: OpenAPI,
    /// What it was written in.
    pub version: Version,
    /// Operations under methods 3.0 has no field for.
    pub additional_operations: Vec<AdditionalOperation>,
    /// What loading repaired, converted inexactly or left out, with pointers.
    pub notes: Vec<Note>,
    /// Where converted parts came from, for pointers into the user's document.
    pub origins: Origins,
}

impl From<OpenAPI> for Document {
    fn from(openapi: OpenAPI) -> Self {
        Document {
            openapi,
            version: Version::OpenApi30,
            additional_operations: Vec::new(),
            notes: Vec::new(),
            origins: Origins::default(),
        }
    }
}

/// How to load a document.
#[derive(Default)]
pub struct LoadOptions<'a> {
    /// Repair what real-world documents commonly get wrong, instead of refusing it.
    pub lenient: bool,
    /// Overlay documents to apply, in order: (name for messages, text).
    pub overlays: Vec<(String, String)>,
    /// Where the files a multi-file document refers to are read from.
    pub files: Option<&'a dyn FileReader>,
}

/// Notes gathered while loading.
#[derive(Debug, Default)]
pub(crate) struct Notes {
    pub list: Vec<Note>,
    /// Where the conversions moved things.
    pub origins: Origins,
}

impl Notes {
    /// Something was converted or left out inexactly.
    pub fn approximate(&mut self, pointer: &str, message: impl Into<String>) {
        self.list.push(Note {
            pointer: pointer.to_owned(),
            message: message.into(),
            kind: NoteKind::Approximate,
        });
    }

    /// An operation could not be read, or was not found, and is left out.
    pub fn dropped(&mut self, pointer: &str, message: impl Into<String>) {
        self.list.push(Note {
            pointer: pointer.to_owned(),
            message: message.into(),
            kind: NoteKind::Dropped,
        });
    }

    fn repaired(&mut self, repairs: Vec<(String, String)>) {
        self.list
            .extend(repairs.into_iter().map(|(pointer, message)| Note {
                pointer,
                message: format!("repaired: {message}"),
                kind: NoteKind::Repair,
            }));
    }
}

/// Loads the document `name` (a path, for messages and for resolving other files) with text
/// `text`. Errors name the file and the JSON pointer.
pub fn load(name: &str, text: &str, options: &LoadOptions) -> Result<Document, Error> {
    load_inner(name, text, options).map_err(|e| if e.file.is_none() { e.in_file(name) } else { e })
}

fn load_inner(name: &str, text: &str, options: &LoadOptions) -> Result<Document, Error> {
    let mut notes = Notes::default();
    // Errors after a conversion point into the user's document.
    convert_and_parse(name, text, options, &mut notes).map_err(|e| notes.origins.locate(e))
}

fn convert_and_parse(
    name: &str,
    text: &str,
    options: &LoadOptions,
    notes: &mut Notes,
) -> Result<Document, Error> {
    // The fast path: one file of OpenAPI 3.0, parsed straight into the typed model.
    let mut fast_error = None;
    if options.overlays.is_empty() && !bundle::text_may_have_external_refs(text) {
        match typed::parse_text(text, options.lenient) {
            Ok((doc, repairs)) => {
                let plain = doc.openapi.starts_with("3.0")
                    && doc.paths.paths.values().all(|p| p.as_item().is_some());
                if plain {
                    notes.repaired(repairs);
                    for (pointer, message) in text::duplicate_keys(text) {
                        notes.approximate(&pointer, message);
                    }
                    return Ok(finish(doc, Version::OpenApi30, std::mem::take(notes)));
                }
            }
            Err(e) => fast_error = Some(e),
        }
    }
    let (mut value, wide) = text::to_value(text)?;
    for (pointer, message) in wide {
        notes.approximate(&pointer, message);
    }
    let version = version(&value)?;
    if let Some(error) = fast_error {
        // A single-file 3.0 document the fast path refused (after repairs, if asked for): its
        // error, which knows lines, is the answer.
        if version == Version::OpenApi30 && !has_path_item_refs(&value) {
            return Err(error);
        }
    }
    if matches!(version, Version::OpenApi31 | Version::OpenApi32) {
        ids::resolve_schema_ids(&mut value)?;
    }
    bundle::bundle(&mut value, name, version, options.files)?;
    for (overlay_name, overlay_text) in &options.overlays {
        overlay::apply(&mut value, overlay_name, overlay_text, notes)?;
    }
    let mut value = match version {
        Version::Swagger2 => swagger2::convert(&value, notes)?,
        Version::OpenApi31 | Version::OpenApi32 => {
            oas31::convert(&mut value, notes)?;
            value
        }
        Version::OpenApi30 => {
            oas31::hoist_definitions(&mut value, notes);
            value
        }
    };
    if version != Version::OpenApi31 && version != Version::OpenApi32 {
        // Path items that refer elsewhere are copied in for every version.
        oas31::inline_path_item_refs(&mut value, notes)?;
    }
    let (doc, repairs) = typed::parse_value(value, options.lenient)?;
    notes.repaired(repairs);
    Ok(finish(doc, version, std::mem::take(notes)))
}

/// Whether any path item is a `$ref`.
fn has_path_item_refs(doc: &Value) -> bool {
    doc.get("paths")
        .and_then(Value::as_object)
        .is_some_and(|paths| paths.values().any(|item| item.get("$ref").is_some()))
}

/// The version a document declares, from its `openapi` or `swagger` field.
fn version(doc: &Value) -> Result<Version, Error> {
    let supported = "this generator reads Swagger 2.0 and OpenAPI 3.0, 3.1 and 3.2";
    if !doc.is_object() {
        return Err(Error::new(
            "#",
            "not an OpenAPI document: the top level is not an object",
        ));
    }
    let declared = |key: &str| {
        doc.get(key).map(|v| match v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        })
    };
    if let Some(v) = declared("openapi") {
        let parts: Vec<&str> = v.trim().split('.').collect();
        return match parts.as_slice() {
            ["3", "0", ..] => Ok(Version::OpenApi30),
            ["3", "1", ..] => Ok(Version::OpenApi31),
            ["3", "2", ..] => Ok(Version::OpenApi32),
            _ => Err(Error::new(
                "#/openapi",
                format!(
                    "OpenAPI {} is not supported; {supported}",
                    text::excerpt(&v)
                ),
            )),
        };
    }
    if let Some(v) = declared("swagger") {
        return match v.trim() {
            "2.0" | "2" => Ok(Version::Swagger2),
            _ => Err(Error::new(
                "#/swagger",
                format!(
                    "Swagger {} is not supported; {supported}",
                    text::excerpt(&v)
                ),
            )),
        };
    }
    Err(Error::new(
        "#",
        format!("not an OpenAPI document: it has no `openapi` or `swagger` field; {supported}"),
    ))
}

/// The typed document, with the operations 3.0 has no field for moved out of extensions.
fn finish(mut openapi: OpenAPI, version: Version, notes: Notes) -> Document {
    let mut additional_operations = Vec::new();
    let mut notes = notes;
    for (path, item) in openapi.paths.paths.iter_mut() {
        let openapiv3::ReferenceOr::Item(item) = item else {
            continue;
        };
        let Some(Value::Object(extra)) =
            item.extensions.shift_remove(normal::ADDITIONAL_OPERATIONS)
        else {
            continue;
        };
        for (method, op) in extra {
            match serde_json::from_value::<openapiv3::Operation>(op) {
                Ok(operation) => additional_operations.push(AdditionalOperation {
                    path: path.clone(),
                    method,
                    operation,
                }),
                Err(e) => notes.dropped(
                    &crate::error::child(
                        &crate::error::pointer(["paths", path]),
                        &method.to_ascii_lowercase(),
                    ),
                    format!("this operation could not be read ({e}); left out"),
                ),
            }
        }
    }
    Document {
        openapi,
        version,
        additional_operations,
        notes: notes.list,
        origins: notes.origins,
    }
}

/// Parses one OpenAPI document from text, strictly (no repairs, no other files).
pub fn parse_document(text: &str) -> Result<Document, Error> {
    load_inner("document", text, &LoadOptions::default())
}

/// Parses like [`parse_document`], repairing what real-world documents commonly get wrong (see
/// `crate::repair`); the repairs are in the document's notes.
pub fn parse_document_lenient(text: &str) -> Result<Document, Error> {
    load_inner(
        "document",
        text,
        &LoadOptions {
            lenient: true,
            ..LoadOptions::default()
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_are_read_from_the_whole_document() {
        let doc = parse_document("{\"info\": {\"title\": \"t\", \"version\": \"1\"}, \"paths\": {}, \"openapi\": \"3.1.0\"}").unwrap();
        assert_eq!(doc.version, Version::OpenApi31);
        let err = parse_document("openapi: 4.0.0\ninfo: {title: t, version: '1'}\npaths: {}\n")
            .unwrap_err();
        assert_eq!(err.pointer, "#/openapi");
        assert_eq!(err.message, "OpenAPI 4.0.0 is not supported; this generator reads Swagger 2.0 and OpenAPI 3.0, 3.1 and 3.2");
        let err = parse_document("info: {title: t}\n").unwrap_err();
        assert!(err.message.starts_with("not an OpenAPI document"), "{err}");
        let doc =
            parse_document("swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\n").unwrap();
        assert_eq!(doc.version, Version::Swagger2);
    }

    #[test]
    fn a_minified_document_gets_a_short_error() {
        let text = format!(
            "{{\"openapi\":\"9.9.9\",\"info\":{{\"title\":\"{}\",\"version\":\"1\"}},\"paths\":{{}}}}",
            "x".repeat(5000)
        );
        let err = parse_document(&text).unwrap_err();
        assert!(err.to_string().len() < 200, "{err}");
    }

    #[test]
    fn query_operations_are_kept() {
        let doc = parse_document("openapi: 3.2.0\ninfo: {title: t, version: '1'}\npaths:\n  /s:\n    query:\n      operationId: search\n      responses: {'200': {description: ok}}\n").unwrap();
        assert_eq!(doc.additional_operations.len(), 1);
        assert_eq!(doc.additional_operations[0].method, "QUERY");
        assert_eq!(
            doc.additional_operations[0]
                .operation
                .operation_id
                .as_deref(),
            Some("search")
        );
    }

    #[test]
    fn json_and_yaml_both_load() {
        let doc = parse_document("{\"openapi\": \"3.0.0\", \"info\": {\"title\": \"t\", \"version\": \"1\"}, \"paths\": {}}")
            .unwrap();
        assert_eq!(doc.openapi.info.title, "t");
        let doc =
            parse_document("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n").unwrap();
        assert_eq!(doc.openapi.openapi, "3.0.3");
    }
}
