//! Resolving local `$ref`s. Only references into the same document are supported; anything
//! else is an error that names the pointer of the `$ref`.

use crate::error::Error;
use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, OpenAPI, Parameter, ReferenceOr, RequestBody, Response, Schema,
    SchemaKind, Type,
};

/// How many `$ref` hops a chain may take before it is reported as a cycle.
const MAX_HOPS: usize = 64;

/// Unescapes one JSON pointer segment (`~1` -> `/`, `~0` -> `~`), and percent-decoding that
/// some documents apply to `$ref`s.
fn unescape(segment: &str) -> String {
    let decoded = percent_decode(segment);
    decoded.replace("~1", "/").replace("~0", "~")
}

fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_owned();
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
            if let Some(b) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_owned())
}

/// The segments of a local reference, or an error if it is not local.
fn local_segments(reference: &str, at: &str) -> Result<Vec<String>, Error> {
    let Some(rest) = reference.strip_prefix("#/") else {
        return Err(Error::new(
            at,
            format!("$ref `{reference}` points outside this document; only local references (`#/components/...`) are supported"),
        ));
    };
    Ok(rest.split('/').map(unescape).collect())
}

/// The name of the component a reference points at, if it is `#/components/<kind>/<name>`.
pub fn component_name(reference: &str, kind: &str) -> Option<String> {
    let rest = reference
        .strip_prefix("#/components/")?
        .strip_prefix(kind)?
        .strip_prefix('/')?;
    (!rest.contains('/')).then(|| unescape(rest))
}

/// A schema found by following references.
#[derive(Debug, Clone)]
pub struct Resolved<'a> {
    /// The schema.
    pub schema: &'a Schema,
    /// Its JSON pointer.
    pub pointer: String,
    /// The component it is, when the last reference named `#/components/schemas/<name>`.
    pub component: Option<&'a str>,
}

/// Looks up schemas by reference, following chains.
pub struct SchemaIndex<'a> {
    schemas: Option<&'a IndexMap<String, ReferenceOr<Schema>>>,
    /// Pointers of components, built once so that `Resolved` can borrow them.
    pointers: IndexMap<&'a str, String>,
}

impl<'a> SchemaIndex<'a> {
    /// Indexes a document's component schemas.
    pub fn new(doc: &'a OpenAPI) -> Self {
        let schemas = doc.components.as_ref().map(|c| &c.schemas);
        let pointers = schemas
            .map(|s| {
                s.keys()
                    .map(|k| {
                        (
                            k.as_str(),
                            crate::error::pointer(["components", "schemas", k]),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        SchemaIndex { schemas, pointers }
    }

    /// The component schemas in document order, with their pointers.
    pub fn components(&self) -> impl Iterator<Item = (&'a str, &ReferenceOr<Schema>, &str)> + '_ {
        self.schemas
            .into_iter()
            .flat_map(|m| m.iter())
            .map(|(k, v)| (k.as_str(), v, self.pointers[k.as_str()].as_str()))
    }

    /// The component named `name`, if any.
    pub fn component(&self, name: &str) -> Option<&'a ReferenceOr<Schema>> {
        self.schemas.and_then(|m| m.get(name))
    }

    /// Follows a reference (and any chain of references after it) to a schema.
    pub fn resolve(&self, reference: &str, at: &str) -> Result<Resolved<'a>, Error> {
        let mut reference = reference.to_owned();
        for _ in 0..MAX_HOPS {
            let segments = local_segments(&reference, at)?;
            let [components, schemas, name, rest @ ..] = segments.as_slice() else {
                return Err(not_a_schema(&reference, at));
            };
            if components != "components" || schemas != "schemas" {
                return Err(not_a_schema(&reference, at));
            }
            let Some((key, target)) = self.schemas.and_then(|m| m.get_key_value(name.as_str()))
            else {
                return Err(Error::new(
                    at,
                    format!("$ref `{reference}` points at a missing component `{name}`"),
                ));
            };
            let found = if rest.is_empty() {
                match target {
                    ReferenceOr::Reference { reference: next } => {
                        reference = next.clone();
                        continue;
                    }
                    ReferenceOr::Item(schema) => {
                        return Ok(Resolved {
                            schema,
                            pointer: self.pointers[key.as_str()].clone(),
                            component: Some(key.as_str()),
                        })
                    }
                }
            } else {
                let ReferenceOr::Item(schema) = target else {
                    return Err(Error::new(
                        at,
                        format!("$ref `{reference}` walks into component `{name}`, which is itself a $ref"),
                    ));
                };
                walk(schema, rest).ok_or_else(|| {
                    Error::new(
                        at,
                        format!("$ref `{reference}` points at nothing in component `{name}`"),
                    )
                })?
            };
            match found {
                Walked::Ref(next) => reference = next.to_owned(),
                Walked::Schema(schema) => {
                    return Ok(Resolved {
                        schema,
                        pointer: reference,
                        component: None,
                    });
                }
            }
        }
        Err(Error::new(
            at,
            format!("$ref `{reference}` is part of a cycle of references"),
        ))
    }
}

fn not_a_schema(reference: &str, at: &str) -> Error {
    Error::new(
        at,
        format!("$ref `{reference}` does not point at a schema under #/components/schemas"),
    )
}

enum Walked<'a> {
    Schema(&'a Schema),
    Ref(&'a str),
}

/// Walks pointer segments inside a schema (`properties/x`, `items`, `allOf/0`, ...).
fn walk<'a>(schema: &'a Schema, segments: &[String]) -> Option<Walked<'a>> {
    let Some((first, rest)) = segments.split_first() else {
        return Some(Walked::Schema(schema));
    };
    let step = |r: &'a ReferenceOr<Schema>, rest: &[String]| match r {
        ReferenceOr::Reference { reference } if rest.is_empty() => Some(Walked::Ref(reference)),
        ReferenceOr::Reference { .. } => None,
        ReferenceOr::Item(s) => walk(s, rest),
    };
    let step_box = |r: &'a ReferenceOr<Box<Schema>>, rest: &[String]| match r {
        ReferenceOr::Reference { reference } if rest.is_empty() => Some(Walked::Ref(reference)),
        ReferenceOr::Reference { .. } => None,
        ReferenceOr::Item(s) => walk(s, rest),
    };
    match (&schema.schema_kind, first.as_str()) {
        (SchemaKind::Type(Type::Object(o)), "properties") => {
            let (name, rest) = rest.split_first()?;
            step_box(o.properties.get(name)?, rest)
        }
        (SchemaKind::Any(a), "properties") => {
            let (name, rest) = rest.split_first()?;
            step_box(a.properties.get(name)?, rest)
        }
        (SchemaKind::Type(Type::Array(a)), "items") => step_box(a.items.as_ref()?, rest),
        (SchemaKind::Any(a), "items") => step_box(a.items.as_ref()?, rest),
        (SchemaKind::Type(Type::Object(o)), "additionalProperties") => {
            match o.additional_properties.as_ref()? {
                AdditionalProperties::Schema(s) => step(s, rest),
                AdditionalProperties::Any(_) => None,
            }
        }
        (SchemaKind::AllOf { all_of: list }, "allOf")
        | (SchemaKind::OneOf { one_of: list }, "oneOf")
        | (SchemaKind::AnyOf { any_of: list }, "anyOf") => {
            let (index, rest) = rest.split_first()?;
            step(list.get(index.parse::<usize>().ok()?)?, rest)
        }
        _ => None,
    }
}

/// Follows `$ref`s to a component of another kind (parameters, responses, request bodies).
pub fn resolve_other<'a, T>(
    item: &'a ReferenceOr<T>,
    kind: &str,
    map: Option<&'a IndexMap<String, ReferenceOr<T>>>,
    at: &str,
) -> Result<&'a T, Error> {
    let mut current = item;
    for _ in 0..MAX_HOPS {
        match current {
            ReferenceOr::Item(t) => return Ok(t),
            ReferenceOr::Reference { reference } => {
                let Some(name) = component_name(reference, kind) else {
                    let _ = local_segments(reference, at)?;
                    return Err(Error::new(
                        at,
                        format!("$ref `{reference}` does not point at #/components/{kind}/<name>"),
                    ));
                };
                current = map.and_then(|m| m.get(&name)).ok_or_else(|| {
                    Error::new(
                        at,
                        format!("$ref `{reference}` points at a missing component `{name}`"),
                    )
                })?;
            }
        }
    }
    Err(Error::new(at, format!("$ref chain at {at} is a cycle")))
}

/// Parameters, resolved.
pub fn parameter<'a>(
    doc: &'a OpenAPI,
    item: &'a ReferenceOr<Parameter>,
    at: &str,
) -> Result<&'a Parameter, Error> {
    resolve_other(
        item,
        "parameters",
        doc.components.as_ref().map(|c| &c.parameters),
        at,
    )
}

/// Request bodies, resolved.
pub fn request_body<'a>(
    doc: &'a OpenAPI,
    item: &'a ReferenceOr<RequestBody>,
    at: &str,
) -> Result<&'a RequestBody, Error> {
    resolve_other(
        item,
        "requestBodies",
        doc.components.as_ref().map(|c| &c.request_bodies),
        at,
    )
}

/// Responses, resolved.
pub fn response<'a>(
    doc: &'a OpenAPI,
    item: &'a ReferenceOr<Response>,
    at: &str,
) -> Result<&'a Response, Error> {
    resolve_other(
        item,
        "responses",
        doc.components.as_ref().map(|c| &c.responses),
        at,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_unescaping() {
        assert_eq!(
            component_name("#/components/schemas/Foo", "schemas").as_deref(),
            Some("Foo")
        );
        assert_eq!(
            component_name("#/components/schemas/a~1b", "schemas").as_deref(),
            Some("a/b")
        );
        assert_eq!(
            component_name("#/components/schemas/Foo%20Bar", "schemas").as_deref(),
            Some("Foo Bar")
        );
        assert_eq!(
            component_name("#/components/parameters/Foo", "schemas"),
            None
        );
    }
}
