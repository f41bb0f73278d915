//! A walk over an OpenAPI 3.x document held as a JSON value, that knows what each node is.
//!
//! The stages that rewrite documents before the typed parse (bundling files, converting 3.1 and
//! 3.2 into the pipeline's form) need to know whether a node is a schema, a path item, a
//! parameter, ...: a `$ref` to another file is handled differently in each, and schema keywords
//! mean nothing elsewhere. [`visit`] calls a function on every node, parents before children,
//! with the node's kind and JSON pointer; the function may rewrite the node, and the walk then
//! descends into what the node has become.

use crate::error::{escape_segment, Error};
use serde_json::Value;

/// What a node of an OpenAPI document is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Document,
    Paths,
    PathItem,
    Operation,
    Parameter,
    Header,
    RequestBody,
    Response,
    MediaType,
    Callback,
    Components,
    SecurityScheme,
    Schema,
}

/// The HTTP methods a path item holds under their own keys (3.2 adds `query`).
pub const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace", "query",
];

/// Schema keywords whose value is one schema.
const SCHEMA_SINGLE: &[&str] = &[
    "additionalProperties",
    "unevaluatedProperties",
    "items",
    "additionalItems",
    "unevaluatedItems",
    "contains",
    "not",
    "if",
    "then",
    "else",
    "propertyNames",
    "contentSchema",
];
/// Schema keywords whose value is a list of schemas.
const SCHEMA_LISTS: &[&str] = &["allOf", "oneOf", "anyOf", "prefixItems"];
/// Schema keywords whose value maps names to schemas.
const SCHEMA_MAPS: &[&str] = &[
    "properties",
    "patternProperties",
    "$defs",
    "definitions",
    "dependentSchemas",
];

/// Calls `f` on every node of `value` (of kind `kind`, at `pointer`), parents first.
pub fn visit<F>(value: &mut Value, kind: Kind, pointer: &str, f: &mut F) -> Result<(), Error>
where
    F: FnMut(&mut Value, Kind, &str) -> Result<(), Error>,
{
    f(value, kind, pointer)?;
    let Value::Object(map) = value else {
        // `items: [A, B]` (an old tuple form) is a list of schemas.
        if let (Value::Array(list), Kind::Schema) = (value, kind) {
            for (i, item) in list.iter_mut().enumerate() {
                visit(item, Kind::Schema, &format!("{pointer}/{i}"), f)?;
            }
        }
        return Ok(());
    };
    for (key, child) in map.iter_mut() {
        let at = || format!("{pointer}/{}", escape_segment(key));
        let each = |child: &mut Value, kind: Kind, f: &mut F| -> Result<(), Error> {
            each_entry(child, kind, &at(), f)
        };
        match (kind, key.as_str()) {
            (_, k) if k.starts_with("x-") && kind != Kind::PathItem => {}
            (Kind::Document, "paths") => visit(child, Kind::Paths, &at(), f)?,
            (Kind::Document, "webhooks") => each(child, Kind::PathItem, f)?,
            (Kind::Document, "components") => visit(child, Kind::Components, &at(), f)?,
            // Swagger 2.0 keeps reusable parts at the top.
            (Kind::Document, "definitions") => each(child, Kind::Schema, f)?,
            (Kind::Document, "parameters") => each(child, Kind::Parameter, f)?,
            (Kind::Document, "responses") => each(child, Kind::Response, f)?,
            (Kind::Paths, _) => visit(child, Kind::PathItem, &at(), f)?,
            (Kind::PathItem, "parameters") => each_item(child, Kind::Parameter, &at(), f)?,
            (Kind::PathItem, "additionalOperations")
            | (Kind::PathItem, super::normal::ADDITIONAL_OPERATIONS) => {
                each(child, Kind::Operation, f)?
            }
            (Kind::PathItem, k) if METHODS.contains(&k) => visit(child, Kind::Operation, &at(), f)?,
            (Kind::Operation, "parameters") => each_item(child, Kind::Parameter, &at(), f)?,
            (Kind::Operation, "requestBody") => visit(child, Kind::RequestBody, &at(), f)?,
            (Kind::Operation, "responses") => each(child, Kind::Response, f)?,
            (Kind::Operation, "callbacks") => each(child, Kind::Callback, f)?,
            (Kind::Callback, _) => visit(child, Kind::PathItem, &at(), f)?,
            (Kind::Parameter | Kind::Header, "schema") => visit(child, Kind::Schema, &at(), f)?,
            // Swagger 2.0: a response's schema, and the items of a non-body parameter.
            (Kind::Response, "schema") => visit(child, Kind::Schema, &at(), f)?,
            (Kind::Parameter | Kind::Header, "items") => visit(child, Kind::Schema, &at(), f)?,
            (Kind::Parameter | Kind::Header | Kind::RequestBody | Kind::Response, "content") => {
                each(child, Kind::MediaType, f)?
            }
            (Kind::Response, "headers") => each(child, Kind::Header, f)?,
            (Kind::MediaType, "schema" | "itemSchema") => visit(child, Kind::Schema, &at(), f)?,
            (Kind::MediaType, "encoding") => {
                if let Value::Object(encodings) = child {
                    for (name, encoding) in encodings.iter_mut() {
                        if let Some(headers) = encoding.get_mut("headers") {
                            let at = format!("{}/{}/headers", at(), escape_segment(name));
                            each_entry(headers, Kind::Header, &at, f)?;
                        }
                    }
                }
            }
            (Kind::Components, "schemas") => each(child, Kind::Schema, f)?,
            (Kind::Components, "parameters") => each(child, Kind::Parameter, f)?,
            (Kind::Components, "headers") => each(child, Kind::Header, f)?,
            (Kind::Components, "requestBodies") => each(child, Kind::RequestBody, f)?,
            (Kind::Components, "responses") => each(child, Kind::Response, f)?,
            (Kind::Components, "pathItems") => each(child, Kind::PathItem, f)?,
            (Kind::Components, "callbacks") => each(child, Kind::Callback, f)?,
            (Kind::Components, "securitySchemes") => each(child, Kind::SecurityScheme, f)?,
            (Kind::Schema, k) if SCHEMA_SINGLE.contains(&k) => {
                visit(child, Kind::Schema, &at(), f)?
            }
            (Kind::Schema, k) if SCHEMA_LISTS.contains(&k) => {
                each_item(child, Kind::Schema, &at(), f)?
            }
            (Kind::Schema, k) if SCHEMA_MAPS.contains(&k) => each(child, Kind::Schema, f)?,
            _ => {}
        }
    }
    Ok(())
}

/// Visits every value of a map (author-chosen keys; extensions skipped).
fn each_entry<F>(value: &mut Value, kind: Kind, pointer: &str, f: &mut F) -> Result<(), Error>
where
    F: FnMut(&mut Value, Kind, &str) -> Result<(), Error>,
{
    if let Value::Object(map) = value {
        for (key, child) in map.iter_mut() {
            if key.starts_with("x-") && kind != Kind::Schema {
                continue;
            }
            visit(
                child,
                kind,
                &format!("{pointer}/{}", escape_segment(key)),
                f,
            )?;
        }
    }
    Ok(())
}

/// Visits every item of a list.
fn each_item<F>(value: &mut Value, kind: Kind, pointer: &str, f: &mut F) -> Result<(), Error>
where
    F: FnMut(&mut Value, Kind, &str) -> Result<(), Error>,
{
    if let Value::Array(list) = value {
        for (i, child) in list.iter_mut().enumerate() {
            visit(child, kind, &format!("{pointer}/{i}"), f)?;
        }
    }
    Ok(())
}

/// Whether the object at `pointer` maps author-chosen names to values (so none of its keys is
/// a keyword).
fn holds_names(pointer: &str) -> bool {
    let last = pointer.rsplit('/').next().unwrap_or("");
    matches!(
        last,
        "properties"
            | "patternProperties"
            | "dependentSchemas"
            | "$defs"
            | "definitions"
            | "responses"
            | "schemas"
            | "parameters"
            | "headers"
            | "requestBodies"
            | "pathItems"
            | "callbacks"
            | "content"
            | "encoding"
            | "webhooks"
            | "paths"
    )
}

/// Decodes `%XX` escapes (some documents percent-encode the pointers in their references).
pub fn percent_decode(text: &str) -> String {
    if !text.contains('%') {
        return text.to_owned();
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Some(b) = std::str::from_utf8(&bytes[i + 1..i + 3])
                .ok()
                .and_then(|h| u8::from_str_radix(h, 16).ok())
            {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_owned())
}

/// Calls `f` on every `$ref` string anywhere in `value` (in any position), with the pointer of
/// the object that holds it.
pub fn each_ref_mut(value: &mut Value, pointer: &mut String, f: &mut dyn FnMut(&mut String, &str)) {
    match value {
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                if key == "$ref" {
                    if let Value::String(reference) = child {
                        f(reference, pointer);
                    }
                    continue;
                }
                // Examples, defaults and extensions are data: a `$ref` key there is not one.
                // In a map of names (`properties`, `responses`), a key is just a name.
                let data = !holds_names(pointer)
                    && (matches!(
                        key.as_str(),
                        "default" | "example" | "examples" | "enum" | "const"
                    ) || key.starts_with("x-"));
                if data {
                    continue;
                }
                let len = pointer.len();
                pointer.push('/');
                pointer.push_str(&escape_segment(key));
                each_ref_mut(child, pointer, f);
                pointer.truncate(len);
            }
        }
        Value::Array(list) => {
            for (i, child) in list.iter_mut().enumerate() {
                let len = pointer.len();
                pointer.push('/');
                pointer.push_str(&i.to_string());
                each_ref_mut(child, pointer, f);
                pointer.truncate(len);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn kinds_follow_the_document_structure() {
        let mut doc = json!({
            "paths": {"/a": {
                "parameters": [{"name": "p", "in": "query", "schema": {"type": "string"}}],
                "query": {"responses": {"200": {"content": {"application/json": {
                    "itemSchema": {"type": "object", "properties": {"x": {"type": "integer"}}}
                }}}}}
            }},
            "components": {"schemas": {"A": {"allOf": [{"$ref": "#/b"}], "x-ext": {"type": "object"}}}}
        });
        let mut seen = Vec::new();
        visit(&mut doc, Kind::Document, "#", &mut |_, kind, at| {
            if kind == Kind::Schema {
                seen.push(at.to_owned());
            }
            Ok(())
        })
        .unwrap();
        assert_eq!(
            seen,
            [
                "#/paths/~1a/parameters/0/schema",
                "#/paths/~1a/query/responses/200/content/application~1json/itemSchema",
                "#/paths/~1a/query/responses/200/content/application~1json/itemSchema/properties/x",
                "#/components/schemas/A",
                "#/components/schemas/A/allOf/0",
            ]
        );
    }
}
