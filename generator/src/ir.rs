//! The intermediate representation: plain data that holds every decision the generator makes.
//!
//! Lowering (`crate::lower`) turns an OpenAPI document into an [`Api`]; emitting
//! (`crate::emit`) only translates an [`Api`] into tokens. Every Rust name sits beside the wire
//! name it came from and the JSON pointer of its source, so snapshots of this IR explain the
//! generated code.

/// A whole API, ready to be emitted.
#[derive(Debug, Clone, PartialEq)]
pub struct Api {
    /// `info.title`.
    pub title: String,
    /// `info.version`, as the document states it.
    pub version: String,
    /// Crate-level documentation, already sanitised for rustdoc.
    pub doc: String,
    /// The servers the document lists, in order.
    pub servers: Vec<Server>,
    /// How requests authenticate, from `components.securitySchemes`.
    pub auth: Option<AuthScheme>,
    /// Every model type, in a stable order.
    pub types: Vec<TypeDef>,
    /// Operations grouped by resource (tag).
    pub groups: Vec<Group>,
    /// What the generated code needs beyond the runtime.
    pub needs: Needs,
    /// Things the generator could not type exactly and degraded, with their pointers.
    pub notes: Vec<Note>,
    /// Whether any type, field or operation is deprecated: the generated modules then allow
    /// their own uses of deprecated items (callers still get the warnings).
    pub has_deprecated: bool,
    /// For large APIs, the files `models/` is split into (empty: one `models.rs`). Smaller
    /// files keep the generator's memory low and let it format them in parallel.
    pub model_modules: Vec<ModelModule>,
    /// With a cargo feature per group: the feature of the model types no operation uses.
    pub extra_models_feature: Option<String>,
    /// Whether structs and enums are `#[non_exhaustive]` (see [`Construction`]), so that what
    /// APIs add every month (fields, enum values, union variants, success statuses) is a
    /// semver-minor change of the crate.
    pub non_exhaustive: bool,
    /// The cargo feature the test kit (the `mock` module, response-model builders) sits
    /// behind; `None` where the crate is the user's own (a build script's output), which has
    /// no such feature: the builders are then always compiled and there is no `mock` module.
    pub test_kit_feature: Option<String>,
    /// The documented rate limits (`x-rate-limits`), by class name.
    pub rate_classes: Vec<RateClass>,
    /// Where the public signatures hold `serde_json::Value` (counted after lowering).
    pub untyped: Untyped,
    /// The path parameters the client can fix once, if some recur enough.
    pub scope: Option<Scope>,
}

/// A budget the API documents for a class of operations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RateClass {
    /// The class name (`default`, `analytics`).
    pub name: String,
    /// What the class covers, as the document says.
    pub description: Option<String>,
    /// Every quota applies at once.
    pub quotas: Vec<RateQuota>,
}

/// At most `requests` requests in any window of `per_seconds`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateQuota {
    /// Requests allowed in one window.
    pub requests: u32,
    /// The window, in seconds.
    pub per_seconds: u64,
}

/// One file of a split `models/` module.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelModule {
    /// The module (and file) name.
    pub name: String,
    /// What its types' names start with, for its docs.
    pub label: String,
    /// Indices into [`Api::types`], in order.
    pub types: Vec<usize>,
}

/// One server URL.
#[derive(Debug, Clone, PartialEq)]
pub struct Server {
    /// The name of the constant that holds the URL.
    pub const_name: String,
    /// The URL with server variables replaced by their defaults.
    pub url: String,
    /// Its description, if any.
    pub description: Option<String>,
}

/// The authentication scheme the client applies to operations that require one.
#[derive(Debug, Clone, PartialEq)]
pub enum AuthScheme {
    /// `Authorization: Bearer <credential>` (http bearer, oauth2, openIdConnect).
    Bearer,
    /// `Authorization: Basic <credential>` (the credential is `user:password`).
    Basic,
    /// An API key in a header, query parameter or cookie.
    ApiKey {
        /// Where the key goes.
        location: ParamLocation,
        /// The header, query parameter or cookie name.
        name: String,
        /// For a header, what the description says goes before the key and a space
        /// (`Token`, from drf-spectacular's "required prefix \"Token\"", an `x-fern-header`
        /// prefix, or an HTTP scheme other than bearer and basic).
        prefix: Option<String>,
    },
}

/// Crates the generated models or operations need besides the runtime's own.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Needs {
    /// `chrono`, for `date-time` and `date`.
    pub chrono: bool,
    /// `uuid`, for `uuid`.
    pub uuid: bool,
}

/// A place where the generator repaired the document or could not type a construct exactly.
#[derive(Debug, Clone, PartialEq)]
pub struct Note {
    /// JSON pointer of the construct.
    pub pointer: String,
    /// What was done instead.
    pub message: String,
    /// What kind of note it is.
    pub kind: NoteKind,
}

/// What a [`Note`] reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum NoteKind {
    /// The document broke the OpenAPI rules; it was read as it evidently meant.
    Repair,
    /// A construct was typed as `serde_json::Value`, so values are not checked.
    Untyped,
    /// A construct was typed, sent or kept less exactly than the document describes.
    Approximate,
    /// An operation or parameter was left out.
    Dropped,
}

/// A named model type.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    /// The Rust type name.
    pub name: String,
    /// JSON pointer of the schema it was made from.
    pub source: String,
    /// Where that schema is in the document as the user wrote it (`#/definitions/Pet` of a
    /// Swagger 2.0 file, where `source` is the converted `#/components/schemas/Pet`), for the
    /// docs; empty until lowering ends.
    pub written_at: String,
    /// Documentation lines, sanitised for rustdoc.
    pub doc: String,
    /// `deprecated: true` in the schema.
    pub deprecated: bool,
    /// Which optional derives are valid.
    pub derives: Derives,
    /// The shape of the type.
    pub kind: TypeKind,
    /// The cargo features of the groups whose operations use the type: it is compiled when
    /// any of them is on. Empty: always compiled.
    pub features: Vec<String>,
}

/// Traits beyond the ones every model has (`Debug`, `Clone`, `PartialEq`, `Serialize`,
/// `Deserialize`), and how some are written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Derives {
    /// `Eq` (enums only: see `lower::types::compute_derives`).
    pub eq: bool,
    /// `Hash` (as `Eq`).
    pub hash: bool,
    /// `Default` (every field optional).
    pub default: bool,
    /// A struct's `Debug` and `PartialEq` are written through its `Serialize` (its wire form)
    /// rather than derived: every struct but those with a file inside, whose wire form is not
    /// all of their value (see `lower::types::compute_derives`).
    pub through_wire_form: bool,
}

/// The shape of a model type.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TypeKind {
    /// A struct with named fields.
    Struct(Struct),
    /// A closed set of string or integer values, plus a variant that keeps unknown ones.
    Enum(Enum),
    /// One of several types (`oneOf`/`anyOf`).
    Union(Union),
    /// Another name for a type (free-form objects, maps, arrays, scalars).
    Alias(TypeRef),
}

/// A struct.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Struct {
    /// Fields in document order.
    pub fields: Vec<Field>,
    /// `additionalProperties` beside named properties: collected into a flattened map.
    pub additional: Option<TypeRef>,
    /// How values of the struct are built.
    pub construction: Construction,
}

/// How a struct's values are built by users (requests, and test doubles of responses).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Construction {
    /// An exhaustive struct built with a struct literal, plus `new(required fields...)` when it
    /// has both required and optional fields (which `..Default::default()` cannot cover). A new
    /// field is a breaking change.
    Literal {
        /// Whether to generate `new(required fields...)`.
        constructor: bool,
    },
    /// A `#[non_exhaustive]` struct built with `new(required fields...)` and a chained setter
    /// per optional field: a type that requests send. A new optional field is a new setter; a
    /// new required field changes `new` (as it should: old calls would be refused).
    Constructor,
    /// A `#[non_exhaustive]` struct built with `builder()`, a setter per field and a checked
    /// `build()`: a type that only responses carry. Any new field is a new setter.
    Builder {
        /// The builder type's name.
        name: String,
    },
}

/// A struct field.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Field {
    /// The Rust field name (escaped if it is a keyword).
    pub name: String,
    /// The JSON property name.
    pub wire: String,
    /// Documentation, sanitised.
    pub doc: String,
    /// The value type, without the presence wrapper.
    pub ty: TypeRef,
    /// Whether the field may be absent or null, and how that is kept.
    pub presence: Presence,
    /// Boxed because the type contains itself.
    pub boxed: bool,
    /// `deprecated: true` on the property.
    pub deprecated: bool,
    /// Whether decoding accepts looser wire forms of the type (see [`Decode`]).
    pub decode: Decode,
    /// The name of the chained setter that sets the field, when the struct has setters (see
    /// [`Construction`]).
    pub setter: Option<String>,
}

/// How strictly a field decodes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Decode {
    /// As the type's own `Deserialize` says.
    Strict,
    /// An integer that also accepts integral floats (`5.0`, or an int64 a JavaScript server
    /// rounded to a double) and numeric strings (`"5"`). Lossless: the value is the same
    /// integer; only its spelling on the wire was loose.
    LenientInteger,
}

/// How a field's absence and nullness are represented.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Presence {
    /// Always present, never null: `T`.
    Required,
    /// May be absent, never null: `Option<T>`, left out when `None`.
    Optional,
    /// Always present, may be null: `Option<T>`, written as `null` when `None`.
    RequiredNullable,
    /// May be absent or null: `Nullable<T>`, which keeps the difference.
    OptionalNullable,
    /// A free-form JSON value that may be absent: `Option<serde_json::Value>`, where
    /// `Some(Value::Null)` is an explicit null.
    OptionalJson,
}

/// An enum of known values.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Enum {
    /// What the values are.
    pub repr: EnumRepr,
    /// The known values.
    pub variants: Vec<EnumVariant>,
    /// The name of the variant that keeps an unknown value.
    pub other: String,
}

/// The wire type of an enum.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EnumRepr {
    /// JSON strings.
    String,
    /// JSON integers.
    Integer,
}

/// One known enum value.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EnumVariant {
    /// The Rust variant name.
    pub name: String,
    /// The value on the wire (a string, or an integer's decimal digits).
    pub wire: String,
    /// Documentation, sanitised.
    pub doc: String,
}

/// A choice between types.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Union {
    /// Variants; an untagged union's decoding tries them in this order.
    pub variants: Vec<UnionVariant>,
    /// The property whose value names the variant: the schema's discriminator, or a property
    /// every variant fixes to one value.
    pub discriminator: Option<String>,
    /// How a tagged union's decoding picks a variant from the discriminator's value: arms in
    /// the order they are matched (empty for untagged unions).
    pub arms: Vec<TagArm>,
    /// An untagged union of several structs: an object is tried first against the variants
    /// that know most of its properties and least of them not (each variant's
    /// [`UnionVariant::properties`]), so that a value carrying one variant's properties is not
    /// read as another whose properties are all optional.
    pub by_properties: bool,
    /// The variant (holding the JSON as it came) that takes a discriminator value the
    /// description does not list, so that a variant the API adds later is not an error: set
    /// for tagged unions of evolution-safe (`#[non_exhaustive]`) crates.
    pub fallback: Option<String>,
}

/// One variant of a union.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct UnionVariant {
    /// The Rust variant name.
    pub name: String,
    /// The variant's payload.
    pub ty: TypeRef,
    /// Discriminator values that select this variant (empty for untagged unions); encoding
    /// writes the first.
    pub tags: Vec<String>,
    /// Properties encoding always writes with this variant (wire name, value), because the
    /// variant's own type may leave them out (an optional or undeclared property) while the
    /// API needs them to tell the variant: its discriminator value, and the constant that
    /// tells it from variants sharing that value.
    pub writes: Vec<(String, String)>,
    /// Boxed because the type contains itself.
    pub boxed: bool,
    /// JSON pointer of the variant's schema (empty for variants the generator adds).
    pub schema: String,
    /// The properties a struct variant knows; `None` for a variant that takes any property
    /// (a map, free-form JSON, a struct with additional properties) or is not an object.
    pub properties: Option<Vec<String>>,
}

impl UnionVariant {
    /// A variant the generator adds (not a branch of the schema): no tags, no schema.
    pub fn added(name: String, ty: TypeRef) -> Self {
        UnionVariant {
            name,
            ty,
            tags: Vec::new(),
            writes: Vec::new(),
            boxed: false,
            schema: String::new(),
            properties: None,
        }
    }
}

/// One arm of a tagged union's decoding.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TagArm {
    /// Discriminator values the arm takes; empty: the value has no discriminator property.
    pub tags: Vec<String>,
    /// A further property and the value it must have for the arm to apply (`role: user`
    /// among variants that all say `type: message`).
    pub guard: Option<(String, String)>,
    /// The variants (by name) the arm decodes, tried in order.
    pub variants: Vec<String>,
    /// Whether the arm's one variant decides: a value it does not read is an error. Otherwise
    /// the variants are tried in turn, then the union's fallback, if any.
    pub decides: bool,
}

impl Union {
    /// Makes `name` the variant that keeps values no arm reads: an arm for values without
    /// the discriminator then tries its variant rather than deciding (such a value need not
    /// be that variant's).
    pub fn set_fallback(&mut self, name: String) {
        for arm in &mut self.arms {
            if arm.tags.is_empty() {
                arm.decides = false;
            }
        }
        self.fallback = Some(name);
    }
}

/// A reference to a Rust type.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TypeRef {
    /// A generated model type.
    Named(String),
    /// `String`.
    String,
    /// `bool`.
    Bool,
    /// `i32`.
    I32,
    /// `i64`.
    I64,
    /// `f32`.
    F32,
    /// `f64`.
    F64,
    /// `chrono::DateTime<chrono::Utc>`.
    DateTime,
    /// `chrono::NaiveDate`.
    Date,
    /// `uuid::Uuid`.
    Uuid,
    /// Base64 text on the wire, bytes in Rust.
    Base64,
    /// A file part of a multipart body (`type: string, format: binary` there):
    /// `FilePart`, with its contents, file name and content type.
    File,
    /// Raw bytes: a binary request or response body, `Vec<u8>`.
    Bytes,
    /// Any JSON value.
    Json,
    /// `()`: a schema whose only value is `null`.
    Null,
    /// `Vec<T>`.
    Vec(Box<TypeRef>),
    /// `BTreeMap<String, T>`.
    Map(Box<TypeRef>),
    /// `Option<T>`, for nullable array items and map values.
    Option(Box<TypeRef>),
    /// `(A, B, ...)`: a fixed-length JSON array with a type per position (`prefixItems`).
    Tuple(Vec<TypeRef>),
}

/// A group of operations, one per tag: `client.subscriptions()`.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    /// Module name under `apis`.
    pub module: String,
    /// The accessor method on `Client`.
    pub accessor: String,
    /// The type the accessor returns.
    pub type_name: String,
    /// Documentation, sanitised.
    pub doc: String,
    /// The operations, in document order.
    pub operations: Vec<Operation>,
    /// The cargo feature that compiles the group, when the crate has one per group.
    pub feature: Option<String>,
    /// The group's type within the API's scope (`ProjectSubscriptionsApi`), when some of its
    /// operations take the scope's parameter.
    pub scoped_type: Option<String>,
}

/// Path parameters most operations share, which the client can fix once (see
/// `lower::scope`).
#[derive(Debug, Clone, PartialEq)]
pub struct Scope {
    /// The parameters, in path order (`owner`, then `repo`).
    pub params: Vec<ScopeParam>,
    /// The `Client` method that makes a scope (`project`).
    pub accessor: String,
    /// What one scope is, in words (`project`).
    pub noun: String,
    /// The scope's type (`ProjectScope`).
    pub type_name: String,
    /// Documentation of the scope's type.
    pub doc: String,
}

impl Scope {
    /// Whether an operation takes every one of the scope's parameters.
    pub fn covers(&self, op: &Operation) -> bool {
        covers(&self.params, op)
    }
}

/// Whether an operation takes every one of these path parameters.
pub fn covers(params: &[ScopeParam], op: &Operation) -> bool {
    params.iter().all(|s| {
        op.params
            .iter()
            .any(|p| p.location == ParamLocation::Path && p.wire == s.param)
    })
}

/// One parameter of a [`Scope`].
#[derive(Debug, Clone, PartialEq)]
pub struct ScopeParam {
    /// The parameter's wire name (`project_id`).
    pub param: String,
    /// Its Rust name in the operations (`project_id`).
    pub arg: String,
    /// Its type.
    pub ty: TypeRef,
}

/// One HTTP operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// `operationId`, or a stable name made from the method and path.
    pub id: String,
    /// JSON pointer of the operation.
    pub source: String,
    /// The method name on the group type.
    pub method_name: String,
    /// The request builder type.
    pub builder: String,
    /// The HTTP method, upper case.
    pub http_method: String,
    /// The path template as written in the document.
    pub path: String,
    /// The path split into literals and parameters.
    pub path_parts: Vec<PathPart>,
    /// Documentation, sanitised.
    pub doc: String,
    /// `deprecated: true`.
    pub deprecated: bool,
    /// Parameters: required ones first in document order, then optional ones.
    pub params: Vec<Param>,
    /// The request body, if any.
    pub body: Option<Body>,
    /// What a successful response decodes into.
    pub response: Response,
    /// Whether the request carries credentials.
    pub authenticated: bool,
    /// Whether the API says repeating the call is safe (`x-idempotent: true`), so that the
    /// client retries it after a failure in flight even when its method is not idempotent.
    pub idempotent: bool,
    /// The auto-pager, for list operations that return `next` links.
    pub pagination: Option<Pagination>,
    /// Query parameters the description wrote into the path (`/templates/{id}?full=true`),
    /// sent with every call.
    pub fixed_query: Vec<(String, String)>,
    /// The credential scheme of this operation when it is not the client's (its security
    /// requirements do not name the client's scheme).
    pub auth: Option<AuthScheme>,
    /// The `Accept` header, when the operation reads something other than JSON (the
    /// runtime asks for `application/json` otherwise): the media type it decodes.
    pub accept: Option<String>,
    /// The status the operation answers with on success: its first documented 2xx status
    /// (200 when it documents only a range or a default). The test kit's mocks answer with it.
    pub success_status: u16,
    /// The rate class whose budget the call takes (`x-rate-limit-class`, else `default`
    /// when the document has that class); `None`: not paced.
    pub rate_class: Option<String>,
}

/// A piece of a path template.
#[derive(Debug, Clone, PartialEq)]
pub enum PathPart {
    /// Literal text.
    Literal(String),
    /// The Rust name of a path parameter.
    Param(String),
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamLocation {
    /// In the path.
    Path,
    /// In the query string.
    Query,
    /// In a header.
    Header,
    /// In the `Cookie` header.
    Cookie,
}

/// How a parameter value is written (OpenAPI `style`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamStyle {
    /// `form` (query, cookie) or `simple` (path, header).
    Form,
    /// `spaceDelimited`.
    SpaceDelimited,
    /// `pipeDelimited`.
    PipeDelimited,
    /// `deepObject`.
    DeepObject,
}

/// One parameter of an operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    /// The Rust name (argument and builder method).
    pub name: String,
    /// The name on the wire.
    pub wire: String,
    /// Where it goes.
    pub location: ParamLocation,
    /// Its type.
    pub ty: TypeRef,
    /// Required parameters are arguments of the operation method; optional ones are builder
    /// methods.
    pub required: bool,
    /// Serialisation style.
    pub style: ParamStyle,
    /// `explode`.
    pub explode: bool,
    /// A path parameter that may be empty: a string at the very end of the path, where an
    /// empty value names the collection itself (a file API's `/contents/{path}` lists its
    /// root at `/contents/`). Other path parameters refuse an empty value.
    pub may_be_empty: bool,
    /// Documentation, sanitised.
    pub doc: String,
}

/// A request body.
#[derive(Debug, Clone, PartialEq)]
pub struct Body {
    /// The Rust type of the body.
    pub ty: TypeRef,
    /// How it is encoded.
    pub encoding: BodyEncoding,
    /// The `Content-Type` sent.
    pub content_type: String,
    /// When the operation accepts the same body as several JSON-like media types (Kubernetes'
    /// PATCH: JSON patch, merge patch, strategic merge patch, apply YAML), the enum of them;
    /// the request builder's `content_type` method picks one.
    pub content_type_choice: Option<String>,
    /// Required bodies are an argument of the operation method; optional ones a builder method.
    pub required: bool,
    /// Documentation, sanitised.
    pub doc: String,
}

/// How a body is put on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyEncoding {
    /// JSON.
    Json,
    /// `application/x-www-form-urlencoded`.
    Form,
    /// `multipart/form-data`.
    Multipart,
    /// Plain text.
    Text,
    /// Raw bytes.
    Binary,
    /// A response that is a stream of server-sent events, each decoded as one item.
    EventStream,
    /// A response that is a stream of server-sent events whose `data` is each item, as JSON:
    /// a `text/event-stream` schema of OpenAPI 3.0 or 3.1 (which describes the data, not the
    /// event), as OpenAI's and PostHog's streaming endpoints write it.
    EventData,
    /// A response that is a stream of JSON values, one per line, each decoded as one item.
    JsonLines,
}

impl BodyEncoding {
    /// Whether a response body so encoded is a stream of items.
    pub fn is_stream(self) -> bool {
        matches!(
            self,
            BodyEncoding::EventStream | BodyEncoding::EventData | BodyEncoding::JsonLines
        )
    }
}

/// What a successful response gives.
#[derive(Debug, Clone, PartialEq)]
pub enum Response {
    /// Nothing (204, 202, or no documented body).
    Unit,
    /// One body type for every success status.
    Body(ResponseBody),
    /// Different bodies per status: an enum of outcomes.
    Outcomes {
        /// The enum's name.
        name: String,
        /// One variant per documented success status.
        variants: Vec<Outcome>,
    },
}

/// A response body type and how to decode it.
#[derive(Debug, Clone, PartialEq)]
pub struct ResponseBody {
    /// The Rust type (of each item, for a stream).
    pub ty: TypeRef,
    /// How it is decoded.
    pub decoding: BodyEncoding,
}

/// One success status of an operation with several.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// The Rust variant name.
    pub name: String,
    /// The status code, or `None` for the variant that takes any other success status.
    pub status: Option<u16>,
    /// The body, or `None` when the status has none.
    pub body: Option<ResponseBody>,
    /// Documentation, sanitised.
    pub doc: String,
}

/// How a list operation pages: by following the `next` URL each page carries.
#[derive(Debug, Clone, PartialEq)]
pub struct Pagination {
    /// The item type.
    pub item: TypeRef,
    /// Where the items and the next page's URL are.
    pub source: PageSource,
}

/// The styles an operation's `x-pagination: {style}` may name, one per [`PageSource`].
pub const PAGINATION_STYLES: &[&str] = &[
    "next",
    "link-header",
    "cursor",
    "after-last-item",
    "page",
    "offset",
];

/// Where a page keeps its items and the link to the next page.
#[derive(Debug, Clone, PartialEq)]
pub enum PageSource {
    /// A page object with the items in one field and the next page's URL in another
    /// (Django REST framework's `results` and `next`).
    NextField {
        /// The Rust field of the page holding the items.
        items_field: String,
        /// How the items field is wrapped.
        items_presence: Presence,
        /// The Rust field of the page holding the next page's URL.
        next_field: String,
        /// How the next field is wrapped.
        next_presence: Presence,
    },
    /// The next page's URL is the `Link` header's `rel="next"` (RFC 8288; GitHub); the body
    /// is the list of items, or a page object with them in one field (GitHub's
    /// `{total_count, items}`).
    LinkHeader {
        /// The Rust field of the page holding the items, or `None` when the body is the list.
        items_field: Option<String>,
        /// How the items field is wrapped.
        items_presence: Presence,
    },
    /// Pages counted by a query parameter or a body field: a page number (`page`, from 1) or
    /// an offset (`offset`, from 0, by the number of items read).
    Counter {
        /// The Rust field of the page holding the items, or `None` when the body is the list.
        items_field: Option<String>,
        /// How the items field is wrapped.
        items_presence: Presence,
        /// The query parameter, or the field of the JSON request body (its wire name).
        param: String,
        /// Whether the parameter counts items (an offset) rather than pages.
        counts_items: bool,
        /// Whether the counter is a field of the JSON request body rather than a query
        /// parameter.
        in_body: bool,
    },
    /// A page object with the items in one field and a token for the next page in another,
    /// sent back as a query parameter (Google's `nextPageToken` and `pageToken`, `next_cursor`
    /// and `cursor`); an absent or empty token ends the list.
    Cursor {
        /// The Rust field of the page holding the items.
        items_field: String,
        /// How the items field is wrapped.
        items_presence: Presence,
        /// The Rust fields leading to the token, from the page, and how each is wrapped: one
        /// (`nextPageToken`), or a field of a nested object (Slack's
        /// `response_metadata.next_cursor`).
        token_path: Vec<(String, Presence)>,
        /// The query parameter the token goes back in (its wire name).
        param: String,
    },
    /// A page object with the items in one field and a `has_more` flag; the next page starts
    /// after the last item's `id`, sent as a query parameter (Stripe's `starting_after`).
    AfterLastItem {
        /// The Rust field of the page holding the items.
        items_field: String,
        /// How the items field is wrapped.
        items_presence: Presence,
        /// The Rust field of the page holding the flag.
        has_more_field: String,
        /// How the flag is wrapped.
        has_more_presence: Presence,
        /// The Rust field of an item holding its id (a required string).
        id_field: String,
        /// The query parameter the id goes in (its wire name).
        param: String,
    },
}

/// Where a client's public signatures hold `serde_json::Value`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Untyped {
    /// Model fields (additional properties included).
    pub fields: usize,
    /// Type aliases.
    pub aliases: usize,
    /// Union variants (a union's fallback for unknown kinds, which is `Value` by design, is
    /// not counted).
    pub variants: usize,
    /// Operation parameters.
    pub params: usize,
    /// Request bodies.
    pub bodies: usize,
    /// Response bodies (each outcome of an operation with several).
    pub responses: usize,
}

impl Untyped {
    /// Every place.
    pub fn total(&self) -> usize {
        self.fields + self.aliases + self.variants + self.params + self.bodies + self.responses
    }

    /// `12 untyped (3 fields, 9 parameters)`, listing the kinds that have any.
    pub fn describe(&self) -> String {
        let parts: Vec<String> = [
            (self.fields, "field", "fields"),
            (self.aliases, "alias", "aliases"),
            (self.variants, "union variant", "union variants"),
            (self.params, "parameter", "parameters"),
            (self.bodies, "request body", "request bodies"),
            (self.responses, "response", "responses"),
        ]
        .iter()
        .filter(|(n, _, _)| *n > 0)
        .map(|(n, one, many)| format!("{n} {}", if *n == 1 { one } else { many }))
        .collect();
        if parts.is_empty() {
            "0 untyped".to_owned()
        } else {
            format!("{} untyped ({})", self.total(), parts.join(", "))
        }
    }
}
