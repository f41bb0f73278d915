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
    let decoded = crate::load::walk::percent_decode(segment);
    decoded.replace("~1", "/").replace("~0", "~")
}

/// The segments of a local reference, or an error if it is not local.
fn local_segments(reference: &str, at: &str) -> Result<Vec<String>, Error> {
    let Some(rest) = reference.strip_prefix("#/") else {
        if reference.starts_with('#') {
            return Err(Error::new(
                at,
                format!("$ref `{reference}` names an anchor that no schema in scope declares (`$anchor`)"),
            ));
        }
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
    /// Set when the reference points at something that is not a schema (a response without
    /// content, say): `schema` is then the free-form schema, and this says why.
    pub degraded: Option<String>,
}

/// `{}`: any value. What a reference that points at no schema degrades to.
static ANY_VALUE: std::sync::LazyLock<Schema> = std::sync::LazyLock::new(|| Schema {
    schema_data: Default::default(),
    schema_kind: SchemaKind::Any(Default::default()),
});

/// Looks up schemas by reference, following chains.
pub struct SchemaIndex<'a> {
    doc: &'a OpenAPI,
    schemas: Option<&'a IndexMap<String, ReferenceOr<Schema>>>,
    /// Pointers of components, built once.
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
        SchemaIndex {
            doc,
            schemas,
            pointers,
        }
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

    /// Follows a reference (and any chain of references after it) to a schema. References may
    /// point at a component, into one (`#/components/schemas/A/properties/b`), or at a schema
    /// elsewhere in the document (`#/paths/~1a/get/responses/200/content/application~1json/schema`).
    pub fn resolve(&self, reference: &str, at: &str) -> Result<Resolved<'a>, Error> {
        let mut reference = reference.to_owned();
        for _ in 0..MAX_HOPS {
            let segments = local_segments(&reference, at)?;
            let located = match segments.as_slice() {
                [components, schemas, name, rest @ ..]
                    if components == "components" && schemas == "schemas" =>
                {
                    let Some((key, target)) =
                        self.schemas.and_then(|m| m.get_key_value(name.as_str()))
                    else {
                        return Err(Error::new(
                            at,
                            format!("$ref `{reference}` points at a missing component `{name}`"),
                        ));
                    };
                    if rest.is_empty() {
                        match target {
                            ReferenceOr::Reference { reference: next } => {
                                Located::Ref(next.clone())
                            }
                            ReferenceOr::Item(schema) => {
                                let pointer = self.pointers[key.as_str()].clone();
                                return Ok(Resolved {
                                    schema,
                                    pointer,
                                    component: Some(key.as_str()),
                                    degraded: None,
                                });
                            }
                        }
                    } else {
                        step(target, rest)
                    }
                }
                _ => locate(self.doc, &segments),
            };
            match located {
                Located::Ref(next) => reference = next,
                Located::Schema(schema) => {
                    return Ok(Resolved {
                        schema,
                        pointer: reference,
                        component: None,
                        degraded: None,
                    })
                }
                Located::Missing => {
                    return Err(Error::new(
                        at,
                        format!("$ref `{reference}` points at nothing in this document"),
                    ))
                }
                Located::NotASchema => {
                    let why = format!(
                        "$ref `{reference}` does not point at a schema; typed as serde_json::Value"
                    );
                    return Ok(Resolved {
                        schema: &ANY_VALUE,
                        pointer: reference,
                        component: None,
                        degraded: Some(why),
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

/// Where a pointer leads.
enum Located<'a> {
    Schema(&'a Schema),
    /// Another reference to follow (a `$ref` met on the way, joined with the rest of the path).
    Ref(String),
    Missing,
    NotASchema,
}

/// A `$ref` met at `reference` with `rest` still to walk: follow it, then walk on.
fn continue_from(reference: &str, rest: &[String]) -> Located<'static> {
    let mut next = reference.to_owned();
    for segment in rest {
        next.push('/');
        next.push_str(&crate::error::escape_segment(segment));
    }
    Located::Ref(next)
}

fn step<'a, S: std::borrow::Borrow<Schema>>(r: &'a ReferenceOr<S>, rest: &[String]) -> Located<'a> {
    match r {
        ReferenceOr::Reference { reference } => continue_from(reference, rest),
        ReferenceOr::Item(s) => walk(s.borrow(), rest),
    }
}

/// Walks pointer segments inside a schema (`properties/x`, `items`, `allOf/0`, ...).
fn walk<'a>(schema: &'a Schema, segments: &[String]) -> Located<'a> {
    let Some((first, rest)) = segments.split_first() else {
        return Located::Schema(schema);
    };
    let indexed = |list: &'a [ReferenceOr<Schema>], rest: &[String]| -> Located<'a> {
        match rest.split_first() {
            Some((index, rest)) => match index.parse::<usize>().ok().and_then(|i| list.get(i)) {
                Some(item) => step(item, rest),
                None => Located::Missing,
            },
            None => Located::NotASchema,
        }
    };
    let named =
        |props: &'a IndexMap<String, ReferenceOr<Box<Schema>>>, rest: &[String]| -> Located<'a> {
            match rest.split_first() {
                Some((name, rest)) => props.get(name).map_or(Located::Missing, |p| step(p, rest)),
                None => Located::NotASchema,
            }
        };
    let additional = |a: Option<&'a AdditionalProperties>, rest: &[String]| -> Located<'a> {
        match a {
            Some(AdditionalProperties::Schema(s)) => step(s, rest),
            _ => Located::Missing,
        }
    };
    match (&schema.schema_kind, first.as_str()) {
        (SchemaKind::Type(Type::Object(o)), "properties") => named(&o.properties, rest),
        (SchemaKind::Any(a), "properties") => named(&a.properties, rest),
        (SchemaKind::Type(Type::Array(a)), "items") => {
            a.items.as_ref().map_or(Located::Missing, |i| step(i, rest))
        }
        (SchemaKind::Any(a), "items") => {
            a.items.as_ref().map_or(Located::Missing, |i| step(i, rest))
        }
        (SchemaKind::Type(Type::Object(o)), "additionalProperties") => {
            additional(o.additional_properties.as_ref(), rest)
        }
        (SchemaKind::Any(a), "additionalProperties") => {
            additional(a.additional_properties.as_ref(), rest)
        }
        (SchemaKind::AllOf { all_of: list }, "allOf")
        | (SchemaKind::OneOf { one_of: list }, "oneOf")
        | (SchemaKind::AnyOf { any_of: list }, "anyOf") => indexed(list, rest),
        (SchemaKind::Any(a), "allOf") => indexed(&a.all_of, rest),
        (SchemaKind::Any(a), "oneOf") => indexed(&a.one_of, rest),
        (SchemaKind::Any(a), "anyOf") => indexed(&a.any_of, rest),
        (SchemaKind::Not { not }, "not") => step(not, rest),
        _ => Located::Missing,
    }
}

/// A schema anywhere else in the document: under a path, a response, a parameter or a request
/// body, or a response used where a schema belongs (its JSON content's schema).
fn locate<'a>(doc: &'a OpenAPI, segments: &[String]) -> Located<'a> {
    match segments {
        [paths, path, rest @ ..] if paths == "paths" => match doc.paths.paths.get(path) {
            Some(ReferenceOr::Item(item)) => in_path_item(item, rest),
            Some(ReferenceOr::Reference { reference }) => continue_from(reference, rest),
            None => Located::Missing,
        },
        [components, kind, name, rest @ ..] if components == "components" => {
            let Some(c) = &doc.components else {
                return Located::Missing;
            };
            match kind.as_str() {
                "responses" => c
                    .responses
                    .get(name)
                    .map_or(Located::Missing, |r| follow(r, rest, in_response)),
                "parameters" => c
                    .parameters
                    .get(name)
                    .map_or(Located::Missing, |p| follow(p, rest, in_parameter)),
                "requestBodies" => c
                    .request_bodies
                    .get(name)
                    .map_or(Located::Missing, |b| follow(b, rest, in_request_body)),
                _ => Located::NotASchema,
            }
        }
        _ => Located::NotASchema,
    }
}

fn follow<'a, T>(
    item: &'a ReferenceOr<T>,
    rest: &[String],
    inside: fn(&'a T, &[String]) -> Located<'a>,
) -> Located<'a> {
    match item {
        ReferenceOr::Item(t) => inside(t, rest),
        ReferenceOr::Reference { reference } => continue_from(reference, rest),
    }
}

fn in_path_item<'a>(item: &'a openapiv3::PathItem, rest: &[String]) -> Located<'a> {
    match rest {
        [parameters, index, rest @ ..] if parameters == "parameters" => index
            .parse::<usize>()
            .ok()
            .and_then(|i| item.parameters.get(i))
            .map_or(Located::Missing, |p| follow(p, rest, in_parameter)),
        [method, rest @ ..] => item
            .iter()
            .find(|(m, _)| m == method)
            .map_or(Located::Missing, |(_, op)| in_operation(op, rest)),
        [] => Located::NotASchema,
    }
}

fn in_operation<'a>(op: &'a openapiv3::Operation, rest: &[String]) -> Located<'a> {
    match rest {
        [responses, status, rest @ ..] if responses == "responses" => {
            let response = if status == "default" {
                op.responses.default.as_ref()
            } else {
                op.responses
                    .responses
                    .iter()
                    .find(|(code, _)| code.to_string() == *status)
                    .map(|(_, r)| r)
            };
            response.map_or(Located::Missing, |r| follow(r, rest, in_response))
        }
        [body, rest @ ..] if body == "requestBody" => op
            .request_body
            .as_ref()
            .map_or(Located::Missing, |b| follow(b, rest, in_request_body)),
        [parameters, index, rest @ ..] if parameters == "parameters" => index
            .parse::<usize>()
            .ok()
            .and_then(|i| op.parameters.get(i))
            .map_or(Located::Missing, |p| follow(p, rest, in_parameter)),
        _ => Located::NotASchema,
    }
}

fn in_content<'a>(
    content: &'a IndexMap<String, openapiv3::MediaType>,
    rest: &[String],
) -> Located<'a> {
    match rest {
        [media, schema, rest @ ..] if schema == "schema" => content
            .get(media)
            .and_then(|m| m.schema.as_ref())
            .map_or(Located::Missing, |s| step(s, rest)),
        // The response or body itself where a schema belongs: its JSON content's schema.
        [] => content
            .iter()
            .find(|(media, _)| media.contains("json"))
            .or_else(|| content.iter().next())
            .and_then(|(_, m)| m.schema.as_ref())
            .map_or(Located::NotASchema, |s| step(s, &[])),
        _ => Located::Missing,
    }
}

fn in_response<'a>(response: &'a Response, rest: &[String]) -> Located<'a> {
    match rest {
        [content, rest @ ..] if content == "content" => in_content(&response.content, rest),
        [] => in_content(&response.content, &[]),
        _ => Located::NotASchema,
    }
}

fn in_request_body<'a>(body: &'a RequestBody, rest: &[String]) -> Located<'a> {
    match rest {
        [content, rest @ ..] if content == "content" => in_content(&body.content, rest),
        [] => in_content(&body.content, &[]),
        _ => Located::NotASchema,
    }
}

fn in_parameter<'a>(parameter: &'a Parameter, rest: &[String]) -> Located<'a> {
    match (&parameter.parameter_data_ref().format, rest) {
        (openapiv3::ParameterSchemaOrContent::Schema(s), [schema, rest @ ..])
            if schema == "schema" =>
        {
            step(s, rest)
        }
        (openapiv3::ParameterSchemaOrContent::Content(c), [content, rest @ ..])
            if content == "content" =>
        {
            in_content(c, rest)
        }
        _ => Located::NotASchema,
    }
}

/// Follows `$ref`s to a component of another kind (parameters, responses, request bodies),
/// or to one defined under a path. `Ok(None)`: the reference points at something of another
/// kind (a schema where a response belongs), which callers may degrade gracefully.
fn resolve_other<'a, T>(
    doc: &'a OpenAPI,
    item: &'a ReferenceOr<T>,
    kind: &str,
    map: Option<&'a IndexMap<String, ReferenceOr<T>>>,
    in_paths: fn(&'a OpenAPI, &[String]) -> Option<&'a ReferenceOr<T>>,
    at: &str,
) -> Result<Option<&'a T>, Error> {
    let mut current = item;
    for _ in 0..MAX_HOPS {
        match current {
            ReferenceOr::Item(t) => return Ok(Some(t)),
            ReferenceOr::Reference { reference } => {
                let segments = local_segments(reference, at)?;
                current = match segments.as_slice() {
                    [components, k, name] if components == "components" && k == kind => {
                        map.and_then(|m| m.get(name)).ok_or_else(|| {
                            Error::new(
                                at,
                                format!(
                                    "$ref `{reference}` points at a missing component `{name}`"
                                ),
                            )
                        })?
                    }
                    [paths, ..] if paths == "paths" => {
                        in_paths(doc, &segments).ok_or_else(|| {
                            Error::new(
                                at,
                                format!("$ref `{reference}` points at nothing in this document"),
                            )
                        })?
                    }
                    [components, other, name] if components == "components" => {
                        let exists =
                            doc.components
                                .as_ref()
                                .is_some_and(|c| match other.as_str() {
                                    "schemas" => c.schemas.contains_key(name),
                                    "responses" => c.responses.contains_key(name),
                                    "parameters" => c.parameters.contains_key(name),
                                    "requestBodies" => c.request_bodies.contains_key(name),
                                    "headers" => c.headers.contains_key(name),
                                    _ => false,
                                });
                        if !exists {
                            return Err(Error::new(
                                at,
                                format!(
                                    "$ref `{reference}` points at a missing component `{name}`"
                                ),
                            ));
                        }
                        return Ok(None);
                    }
                    _ => return Ok(None),
                };
            }
        }
    }
    Err(Error::new(at, format!("$ref chain at {at} is a cycle")))
}

fn path_item<'a>(doc: &'a OpenAPI, path: &str) -> Option<&'a openapiv3::PathItem> {
    doc.paths.paths.get(path).and_then(ReferenceOr::as_item)
}

fn operation<'a>(doc: &'a OpenAPI, path: &str, method: &str) -> Option<&'a openapiv3::Operation> {
    path_item(doc, path)?
        .iter()
        .find(|(m, _)| *m == method)
        .map(|(_, op)| op)
}

fn response_in_paths<'a>(
    doc: &'a OpenAPI,
    segments: &[String],
) -> Option<&'a ReferenceOr<Response>> {
    let [_, path, method, responses, status] = segments else {
        return None;
    };
    let op = operation(doc, path, method).filter(|_| responses == "responses")?;
    if status == "default" {
        return op.responses.default.as_ref();
    }
    op.responses
        .responses
        .iter()
        .find(|(code, _)| code.to_string() == *status)
        .map(|(_, r)| r)
}

fn parameter_in_paths<'a>(
    doc: &'a OpenAPI,
    segments: &[String],
) -> Option<&'a ReferenceOr<Parameter>> {
    match segments {
        [_, path, parameters, index] if parameters == "parameters" => path_item(doc, path)?
            .parameters
            .get(index.parse::<usize>().ok()?),
        [_, path, method, parameters, index] if parameters == "parameters" => {
            operation(doc, path, method)?
                .parameters
                .get(index.parse::<usize>().ok()?)
        }
        _ => None,
    }
}

fn request_body_in_paths<'a>(
    doc: &'a OpenAPI,
    segments: &[String],
) -> Option<&'a ReferenceOr<RequestBody>> {
    let [_, path, method, body] = segments else {
        return None;
    };
    operation(doc, path, method)
        .filter(|_| body == "requestBody")?
        .request_body
        .as_ref()
}

/// Parameters, resolved.
pub fn parameter<'a>(
    doc: &'a OpenAPI,
    item: &'a ReferenceOr<Parameter>,
    at: &str,
) -> Result<&'a Parameter, Error> {
    let map = doc.components.as_ref().map(|c| &c.parameters);
    resolve_other(doc, item, "parameters", map, parameter_in_paths, at)?
        .ok_or_else(|| Error::new(at, "this $ref does not point at a parameter"))
}

/// Request bodies, resolved.
pub fn request_body<'a>(
    doc: &'a OpenAPI,
    item: &'a ReferenceOr<RequestBody>,
    at: &str,
) -> Result<&'a RequestBody, Error> {
    let map = doc.components.as_ref().map(|c| &c.request_bodies);
    resolve_other(doc, item, "requestBodies", map, request_body_in_paths, at)?
        .ok_or_else(|| Error::new(at, "this $ref does not point at a request body"))
}

/// Responses, resolved. `Ok(None)`: the reference points at something other than a response
/// (documents sometimes reference a schema there).
pub fn response<'a>(
    doc: &'a OpenAPI,
    item: &'a ReferenceOr<Response>,
    at: &str,
) -> Result<Option<&'a Response>, Error> {
    let map = doc.components.as_ref().map(|c| &c.responses);
    resolve_other(doc, item, "responses", map, response_in_paths, at)
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
