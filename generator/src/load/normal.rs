//! The pipeline's input form: an OpenAPI 3.0 document (`openapiv3::OpenAPI`), plus a few
//! extensions for what 3.1 and 3.2 can say and 3.0 cannot.
//!
//! Why 3.0 and not a model of our own: every later stage (validation, lowering, the snapshots of
//! the IR) is written against `openapiv3`'s typed 3.0 model, and nearly everything the newer
//! versions add is another spelling of something 3.0 has: `type: [T, "null"]` is `nullable`,
//! `const` is a one-value `enum`, `$defs` are components, a `$ref` with a description is an
//! `allOf` of one reference, Swagger 2.0's `definitions` and body parameters are components and
//! request bodies. Converting those at load time keeps every version difference in one place
//! and lowering unaware of versions. What has no 3.0 spelling is carried by the extensions
//! below, which the loader writes and lowering reads; no real document uses these names.

/// On a schema: its `anyOf` lists the item schemas of a fixed-length array (`prefixItems` with
/// no further items), in order. The value is `true`.
pub const TUPLE: &str = "x-generator-tuple";

/// On a media type: its `schema` describes each item of a stream (3.2's `itemSchema`:
/// `text/event-stream` events, `application/jsonl` lines), not the whole body.
pub const ITEM_SCHEMA: &str = "x-generator-item-schema";

/// On a path item: operations under methods 3.0 has no field for (3.2's `query` and
/// `additionalOperations`), keyed by the method in upper case.
pub const ADDITIONAL_OPERATIONS: &str = "x-generator-additional-operations";

/// On a tag: the name of its parent tag (3.2's `parent`).
pub const TAG_PARENT: &str = "x-generator-tag-parent";

/// On a tag: its kind (3.2's `kind`: `nav`, `badge`, `audience`, ...).
pub const TAG_KIND: &str = "x-generator-tag-kind";

/// On a component schema: the webhook whose payload it is (`name`, method in upper case).
pub const WEBHOOK: &str = "x-generator-webhook";
