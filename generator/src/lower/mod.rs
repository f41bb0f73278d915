//! Lowering: an OpenAPI document into the IR. Every decision happens here.

mod construction;
mod dedupe;
mod dispatch;
mod features;
mod naming;
mod notes;
mod operations;
pub(crate) mod rate_limits;
mod reach;
pub(crate) mod refs;
mod schema;
mod scope;
mod shape;
mod types;
mod untyped;

use crate::error::Error;
use crate::ir::NoteKind;
use crate::ir::{Api, Needs, Note, Server, TypeDef};
use crate::load::{AdditionalOperation, Document};
use crate::names::Namespace;
use crate::settings::Settings;
use openapiv3::{OpenAPI, PathItem, ReferenceOr};
use refs::SchemaIndex;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// Whether a schema is being lowered for a request body or for a response.
///
/// Read-only properties are left out of request types; write-only properties are never
/// required in response types. A schema that has neither lowers the same way in both modes
/// and gets one type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Mode {
    Response,
    Request,
}

/// Names that generated model code uses unqualified, so no model may take them.
/// A model's name, never one of the prelude's or the standard library's types (nor a
/// primitive's, which reads as one): a schema called `Vec`, `HashMap` or `u32` is `VecModel`,
/// `HashMapModel`, `U32Model`, rather than shadowing the standard type under a glob import or
/// reading as the primitive.
pub(crate) fn model_name(wanted: String) -> String {
    const STANDARD: &[&str] = &[
        "HashMap",
        "HashSet",
        "BTreeSet",
        "VecDeque",
        "BinaryHeap",
        "LinkedList",
        "Rc",
        "Arc",
        "Cow",
        "U8",
        "U16",
        "U32",
        "U64",
        "U128",
        "Usize",
        "I8",
        "I16",
        "I32",
        "I64",
        "I128",
        "Isize",
        "F32",
        "F64",
        "Bool",
        "Char",
        "Str",
    ];
    if RESERVED_TYPE_NAMES.contains(&wanted.as_str()) || STANDARD.contains(&wanted.as_str()) {
        format!(
            "{}Model",
            crate::names::unraw(&wanted).trim_end_matches('_')
        )
    } else {
        wanted
    }
}

const RESERVED_TYPE_NAMES: &[&str] = &[
    "Option",
    "Some",
    "None",
    "Result",
    "Ok",
    "Err",
    "Vec",
    "String",
    "Box",
    "Default",
    "Clone",
    "Debug",
    "PartialEq",
    "Eq",
    "Hash",
    "Serialize",
    "Deserialize",
    "BTreeMap",
    "Nullable",
    "Base64",
    "Self_",
    "Send",
    "Sync",
    "Copy",
    "Sized",
    "Iterator",
    "Into",
    "From",
    "ToString",
    "ToOwned",
    "Drop",
    "Fn",
    "FnMut",
    "FnOnce",
    "PartialOrd",
    "Ord",
    "AsRef",
    "AsMut",
    "IntoIterator",
    "Extend",
    "TryFrom",
    "TryInto",
    "FromIterator",
    "Unpin",
];

/// The state of one lowering run.
pub(crate) struct Lowerer<'a> {
    pub doc: &'a OpenAPI,
    /// Every operation of the document, found once.
    pub sites: std::rc::Rc<Vec<OperationSite<'a>>>,
    pub index: SchemaIndex<'a>,
    pub type_names: Namespace,
    pub types: BTreeMap<String, TypeDef>,
    /// Rust name of each component, claimed up front in document order.
    pub component_names: HashMap<String, String>,
    /// Rust type of each (component, mode) lowered so far.
    pub component_types: HashMap<(String, Mode), String>,
    /// Inline schemas lowered so far, by pointer and mode.
    pub inline_types: HashMap<(String, Mode), schema::Use>,
    /// Inline schemas being lowered (by address), to stop one that contains itself.
    pub inline_in_progress: HashSet<(usize, Mode)>,
    /// Schemas referenced inside other schemas, by pointer and mode.
    pub nested_types: HashMap<(String, Mode), schema::Use>,
    /// Whether a component (by name) or a nested schema (by pointer) lowers differently in
    /// the two modes.
    pub differs: HashMap<String, bool>,
    /// Components reachable from request bodies and parameters.
    pub request_reachable: HashSet<String>,
    /// Components reachable from responses.
    pub response_reachable: HashSet<String>,
    /// String enums that drf-style `oneOf: [X, BlankEnum, NullEnum]` uses with a blank value.
    pub blank_enums: BTreeSet<String>,
    pub notes: Vec<Note>,
    pub needs: Needs,
    /// The path parameters the client can fix once (see `scope`), found with the groups.
    pub scope: Option<crate::ir::Scope>,
    /// The document's rate classes (`x-rate-limits`).
    pub rate_classes: Vec<crate::ir::RateClass>,
    /// The name of the security scheme the client authenticates with.
    pub default_scheme: Option<String>,
    /// Whether `type: string, format: binary` is a file ([`TypeRef::File`]): set while the
    /// schema of a multipart body is lowered.
    pub files: bool,
}

/// One operation of the document, wherever it sits.
#[derive(Clone)]
pub struct OperationSite<'a> {
    /// The path template.
    pub path: &'a str,
    /// The path item (for its shared parameters).
    pub item: &'a PathItem,
    /// The method: lower case for the ones with a field of their own, else as written.
    pub method: &'a str,
    /// JSON pointer of the operation.
    pub pointer: String,
    /// The operation.
    pub op: &'a openapiv3::Operation,
}

/// Every operation of a document, in document order (per path, the methods with fields of their
/// own first, then the additional ones).
pub fn operation_sites<'a>(
    doc: &'a OpenAPI,
    additional: &'a [AdditionalOperation],
) -> Vec<OperationSite<'a>> {
    let mut out = Vec::new();
    for (path, item) in doc.paths.paths.iter() {
        let ReferenceOr::Item(item) = item else {
            continue;
        };
        let item_ptr = crate::error::pointer(["paths", path]);
        for (method, op) in item.iter() {
            out.push(OperationSite {
                path,
                item,
                method,
                pointer: crate::error::child(&item_ptr, method),
                op,
            });
        }
        for extra in additional.iter().filter(|a| a.path == *path) {
            let pointer = if extra.method == "QUERY" {
                crate::error::child(&item_ptr, "query")
            } else {
                crate::error::child(
                    &crate::error::child(&item_ptr, "additionalOperations"),
                    &extra.method,
                )
            };
            out.push(OperationSite {
                path,
                item,
                method: &extra.method,
                pointer,
                op: &extra.operation,
            });
        }
    }
    out
}

/// Lowers a document into the IR.
pub fn lower(document: &Document, settings: &Settings) -> Result<Api, Error> {
    let mut api = lower_converted(document, settings).map_err(|e| document.origins.locate(e))?;
    // The loader's notes already point into the user's document; lowering's point into the
    // converted one.
    for note in api.notes.iter_mut().skip(document.notes.len()) {
        note.pointer = document.origins.original(&note.pointer);
    }
    Ok(api)
}

fn lower_converted(document: &Document, settings: &Settings) -> Result<Api, Error> {
    let doc = &document.openapi;
    let mut lowerer = Lowerer {
        doc,
        sites: std::rc::Rc::new(operation_sites(doc, &document.additional_operations)),
        index: SchemaIndex::new(doc),
        type_names: Namespace::with_reserved(RESERVED_TYPE_NAMES),
        types: BTreeMap::new(),
        component_names: HashMap::new(),
        component_types: HashMap::new(),
        inline_types: HashMap::new(),
        inline_in_progress: HashSet::new(),
        nested_types: HashMap::new(),
        differs: HashMap::new(),
        request_reachable: HashSet::new(),
        response_reachable: HashSet::new(),
        blank_enums: BTreeSet::new(),
        notes: document.notes.clone(),
        needs: Needs::default(),
        scope: None,
        rate_classes: rate_limits::classes(&doc.extensions)?,
        default_scheme: None,
        files: false,
    };
    lowerer.claim_component_names();
    lowerer.compute_reachability()?;
    // Operations first, so that inline types are named after the operations that use them;
    // then every component, so that unused components are still part of the crate.
    let groups = lowerer.lower_operations()?;
    if groups.is_empty()
        && !settings.allow_no_operations
        && settings.layout != crate::settings::Layout::ModelsOnly
    {
        let skipped = lowerer
            .notes
            .iter()
            .filter(|n| n.pointer.starts_with("#/paths"))
            .count();
        return Err(Error::new(
            "#/paths",
            format!(
                "the document has no operations{}, so the client would have no methods; if a crate of models only is what you want, allow it (`--allow-no-operations`)",
                if skipped > 0 { format!(" ({skipped} were left out; see the warnings)") } else { String::new() }
            ),
        ));
    }
    lowerer.lower_all_components()?;
    lowerer.add_blank_variants();
    let mut types: Vec<TypeDef> = std::mem::take(&mut lowerer.types).into_values().collect();
    dedupe::merge_identical_inline_types(&mut types);
    for name in types::break_alias_cycles(&mut types) {
        let source = types
            .iter()
            .find(|t| t.name == name)
            .map(|t| t.source.clone())
            .unwrap_or_default();
        lowerer.note_untyped(
            &source,
            format!("`{name}` is defined in terms of itself; typed as serde_json::Value"),
        );
    }
    types::box_recursive_fields(&mut types);
    if !settings.exhaustive {
        types::add_union_fallbacks(&mut types);
    }
    types::compute_derives(&mut types);
    construction::assign(
        &mut types,
        &groups,
        settings.exhaustive,
        &mut lowerer.type_names,
    );
    let model_modules = types::plan_model_modules(&types);
    let auth = lowerer.auth_scheme();
    let has_deprecated = types.iter().any(|t| {
        t.deprecated || matches!(&t.kind, crate::ir::TypeKind::Struct(s) if s.fields.iter().any(|f| f.deprecated))
    }) || groups.iter().flat_map(|g| &g.operations).any(|op| op.deprecated);
    let mut api = Api {
        title: doc.info.title.clone(),
        version: doc.info.version.clone(),
        doc: crate_doc(doc),
        servers: servers(doc),
        auth,
        types,
        groups,
        needs: lowerer.needs,
        notes: lowerer.notes,
        has_deprecated,
        model_modules,
        extra_models_feature: None,
        non_exhaustive: !settings.exhaustive,
        test_kit_feature: (settings.layout != crate::settings::Layout::BuildScript)
            .then(|| "test-util".to_owned()),
        rate_classes: std::mem::take(&mut lowerer.rate_classes),
        untyped: Default::default(),
        scope: lowerer.scope.take(),
    };
    api.doc = crate::docs::paragraphs([
        api.doc.clone(),
        auth_doc(api.auth.as_ref(), &settings.api_key_env()),
    ]);
    if !api.rate_classes.is_empty() {
        api.doc =
            crate::docs::paragraphs([api.doc.clone(), rate_limits::crate_doc(&api.rate_classes)]);
    }
    if features::wanted(&api, settings) {
        features::assign(&mut api);
    }
    for t in &mut api.types {
        t.written_at = document.origins.original(&t.source);
    }
    api.untyped = untyped::count(&api);
    notes::attach(&mut api);
    Ok(api)
}

fn crate_doc(doc: &OpenAPI) -> String {
    let title = crate::docs::sanitize(&doc.info.title);
    let description = doc
        .info
        .description
        .as_deref()
        .map(crate::docs::sanitize)
        .unwrap_or_default();
    let version = doc.info.version.trim();
    let first = if version.is_empty() {
        format!("A client for {title}.")
    } else {
        format!(
            "A client for {title}, version {}.",
            crate::docs::code(version)
        )
    };
    crate::docs::paragraphs([first, description])
}

/// The crate docs' "Authentication" section: exactly what goes on the wire, with an example,
/// and what to do when the description names no scheme.
fn auth_doc(auth: Option<&crate::ir::AuthScheme>, key_env: &str) -> String {
    use crate::ir::{AuthScheme, ParamLocation};
    let wire = match auth {
        None => {
            return "# Authentication\n\nThe API description names no authentication, so \
                    `Client::new(base_url)` sends no credential and `Client::from_env()` reads \
                    none. If the server wants one, add it on the builder: \
                    `Client::builder().bearer_auth(token)` sends `Authorization: Bearer <token>`, \
                    `.basic_auth(user, password)` sends `Authorization: Basic <base64>`, and \
                    `.header_auth(\"X-Api-Key\", \"\", key)` sends any header with an optional \
                    prefix."
                .to_owned()
        }
        Some(AuthScheme::Bearer) => "`Authorization: Bearer <api_key>`".to_owned(),
        Some(AuthScheme::Basic) => {
            "`Authorization: Basic <base64 of api_key>`, the key being `user:password`".to_owned()
        }
        Some(AuthScheme::ApiKey {
            location,
            name,
            prefix,
        }) => match (location, prefix) {
            (ParamLocation::Query, _) => format!("the query parameter `{name}=<api_key>`"),
            (ParamLocation::Cookie, _) => format!("the cookie `{name}=<api_key>`"),
            (_, Some(prefix)) => format!("`{name}: {prefix} <api_key>`"),
            (_, None) => format!("`{name}: <api_key>`"),
        },
    };
    format!(
        "# Authentication\n\n`Client::new(base_url, api_key)` (or `Client::from_env()`, which reads \
         the key from `{key_env}`) sends the key as {wire} with every call that takes \
         credentials. `Client::builder().bearer_auth(..)`, `.basic_auth(..)` and \
         `.header_auth(..)` send another credential instead."
    )
}

fn servers(doc: &OpenAPI) -> Vec<Server> {
    let mut names = Namespace::with_reserved(&["API"]);
    doc.servers
        .iter()
        // An empty URL names no server (the client's own host is not a constant).
        .filter(|s| !s.url.trim().is_empty())
        .map(|s| {
            let mut url = s.url.clone();
            for (name, var) in s.variables.iter().flatten() {
                url = url.replace(&format!("{{{name}}}"), &var.default);
            }
            let host = url
                .split("://")
                .nth(1)
                .map(|rest| rest.split('/').next().unwrap_or(rest));
            let label = s
                .description
                .as_deref()
                .filter(|d| !d.trim().is_empty() && d.len() <= 60)
                .or(host)
                .unwrap_or("server");
            let const_name = names.claim(&crate::names::const_name(label));
            Server {
                const_name,
                url,
                description: s.description.clone(),
            }
        })
        .collect()
}

impl<'a> Lowerer<'a> {
    /// Records that something was typed, sent or kept less exactly than described.
    pub fn note(&mut self, pointer: &str, message: impl Into<String>) {
        self.notes.push(Note {
            pointer: pointer.to_owned(),
            message: message.into(),
            kind: NoteKind::Approximate,
        });
    }

    /// Records that something was typed as `serde_json::Value`.
    /// Records that an operation or parameter was left out.
    pub fn note_dropped(&mut self, pointer: &str, message: impl Into<String>) {
        self.notes.push(Note {
            pointer: pointer.to_owned(),
            message: message.into(),
            kind: NoteKind::Dropped,
        });
    }

    pub fn note_untyped(&mut self, pointer: &str, message: impl Into<String>) {
        self.notes.push(Note {
            pointer: pointer.to_owned(),
            message: message.into(),
            kind: NoteKind::Untyped,
        });
    }

    /// Every operation, in document order.
    pub fn operation_sites(&self) -> std::rc::Rc<Vec<OperationSite<'a>>> {
        std::rc::Rc::clone(&self.sites)
    }

    /// Component schema names, in document order.
    fn component_list(&self) -> Vec<String> {
        self.index
            .components()
            .map(|(name, _, _)| name.to_owned())
            .collect()
    }

    fn claim_component_names(&mut self) {
        for name in self.component_list() {
            let rust = self
                .type_names
                .claim(&model_name(crate::names::type_name(&name)));
            self.component_names.insert(name, rust);
        }
    }

    fn lower_all_components(&mut self) -> Result<(), Error> {
        for name in self.component_list() {
            let mode = self.primary_mode(&name);
            self.component_use(&name, mode)?;
        }
        Ok(())
    }
}
