//! A grammar of API descriptions: proptest strategies that build OpenAPI 3.0 documents from
//! the parts real documents use and misuse (nested and recursive schemas, unions with and
//! without discriminators, `allOf`, enums with odd and duplicate values, names with every
//! kind of character, Rust keywords and colliding spellings, parameters in every location and
//! style, bodies of every content type, responses with ranges and defaults), then rewrites
//! some into OpenAPI 3.1 or Swagger 2.0 so that every loader path is exercised.
//!
//! Shrinking works on the strategies, so a failure is reported as a small document.

use proptest::collection::{btree_map, vec};
use proptest::prelude::*;
use proptest::sample::select;
use serde_json::{json, Map, Value};

/// Names real documents use for schemas, properties, parameters, operations, tags and enum
/// values, chosen to collide with each other, with Rust keywords and prelude names, and with
/// the names the generator itself introduces.
const NAMES: &[&str] = &[
    "id",
    "type",
    "self",
    "Self",
    "crate",
    "super",
    "async",
    "await",
    "fn",
    "match",
    "move",
    "r#type",
    "_",
    "__",
    "a",
    "A",
    "aB",
    "a_b",
    "a-b",
    "a b",
    "a.b",
    "a/b",
    "a~b",
    "1",
    "1a",
    "-1",
    "+1",
    "$ref",
    "@type",
    "ünïcode",
    "日本語",
    "😀",
    "Option",
    "Result",
    "String",
    "Vec",
    "Box",
    "Error",
    "Client",
    "ApiResponse",
    "None",
    "Some",
    "Default",
    "Value",
    "Unknown",
    "Other",
    "serde",
    "std",
    "core",
    "request",
    "response",
    "body",
    "builder",
    "new",
    "null",
    "true",
    "FOO",
    "Foo",
    "foo",
    "foo_",
    "foo__bar",
    "fooBar",
    "FooBar",
    "foo-bar",
    "x-y-z",
    "q[]",
    "a%20b",
    "",
    " ",
    "user_s",
    "IPs",
    "ips",
    "HTTPServer",
    "v1.2",
    "__proto__",
    "user's",
    "CAs",
    "models",
    "apis",
    "runtime",
    "content_type",
    "Content-Type",
    // Names pagination detection looks for.
    "page",
    "offset",
    "skip",
    "pageToken",
    "nextPageToken",
    "next_cursor",
    "cursor",
    "starting_after",
    "has_more",
    "data",
    "results",
    "next",
    "items",
];

/// A name: usually one of `NAMES`, sometimes two joined, sometimes any short string.
pub fn name() -> BoxedStrategy<String> {
    prop_oneof![
        6 => select(NAMES).prop_map(str::to_owned),
        2 => (select(NAMES), select(NAMES)).prop_map(|(a, b)| format!("{a}{b}")),
        1 => "[a-zA-Z0-9_ .$@-]{0,12}",
        1 => "\\PC{0,6}",
    ]
    .boxed()
}

/// A component name that a `$ref` elsewhere in the same document is likely to hit.
fn component_name() -> BoxedStrategy<String> {
    select(
        &[
            "Pet", "pet", "Owner", "Node", "Self", "type", "A-B", "a.b", "Error", "Value",
        ][..],
    )
    .prop_map(str::to_owned)
    .boxed()
}

/// An enum value: strings with duplicates and collisions, integers with duplicates and
/// extremes, and the odd null or float.
fn enum_values(kind: &'static str) -> BoxedStrategy<Value> {
    let values = match kind {
        "integer" => vec(
            select(&[0i64, 1, 1, 2, -1, 10, i64::MAX, i64::MIN][..]).prop_map(Value::from),
            1..6,
        )
        .boxed(),
        "number" => vec(
            select(&[0.0f64, 1.5, -0.5, 1.0, 1e300][..]).prop_map(Value::from),
            1..5,
        )
        .boxed(),
        "boolean" => vec(any::<bool>().prop_map(Value::from), 1..4).boxed(),
        _ => vec(
            prop_oneof![
                8 => name().prop_map(Value::from),
                1 => Just(Value::Null),
            ],
            1..7,
        )
        .boxed(),
    };
    values.prop_map(Value::Array).boxed()
}

/// A schema without children.
fn leaf_schema() -> BoxedStrategy<Value> {
    let string = (
        prop::option::of(select(
            &[
                "date-time",
                "date",
                "uuid",
                "byte",
                "binary",
                "email",
                "uri",
                "int64",
                "decimal",
                "password",
                "weird",
            ][..],
        )),
        prop::option::of(enum_values("string")),
        any::<bool>(),
    )
        .prop_map(|(format, values, nullable)| {
            let mut schema = json!({"type": "string"});
            if let Some(format) = format {
                schema["format"] = json!(format);
            }
            if let Some(values) = values {
                schema["enum"] = values;
            }
            if nullable {
                schema["nullable"] = json!(true);
            }
            schema
        });
    let number = (
        select(&["integer", "number"][..]),
        prop::option::of(select(&["int32", "int64", "uint8", "float", "double"][..])),
        any::<bool>(),
        prop::option::of((-5i64..5, 0i64..10)),
    )
        .prop_flat_map(|(kind, format, with_enum, range)| {
            let values = if with_enum {
                enum_values(kind).prop_map(Some).boxed()
            } else {
                Just(None).boxed()
            };
            values.prop_map(move |values| {
                let mut schema = json!({"type": kind});
                if let Some(format) = format {
                    schema["format"] = json!(format);
                }
                if let Some(values) = values {
                    schema["enum"] = values;
                }
                if let Some((min, span)) = range {
                    schema["minimum"] = json!(min);
                    schema["maximum"] = json!(min + span);
                }
                schema
            })
        });
    prop_oneof![
        16 => string,
        12 => number,
        4 => prop::option::of(enum_values("boolean"))
            .prop_map(|values| match values {
                Some(values) => json!({"type": "boolean", "enum": values}),
                None => json!({"type": "boolean"}),
            }),
        4 => Just(json!({})),
        4 => Just(json!({"type": "object"})),
        1 => Just(json!({"type": "array"})),
        4 => Just(json!({"description": "anything at all", "nullable": true})),
        12 => component_name().prop_map(|name| json!({"$ref": format!("#/components/schemas/{name}")})),
        1 => select(&["strin", "file", "any", "null"][..]).prop_map(|t| json!({"type": t})),
    ]
    .boxed()
}

/// A schema, nested up to a few levels.
pub fn schema() -> BoxedStrategy<Value> {
    leaf_schema()
        .prop_recursive(4, 24, 5, |inner| {
            prop_oneof![
                4 => object_schema(inner.clone()),
                2 => (inner.clone(), any::<bool>()).prop_map(|(items, unique)| {
                    let mut schema = json!({"type": "array", "items": items});
                    if unique {
                        schema["uniqueItems"] = json!(true);
                    }
                    schema
                }),
                3 => union_schema(inner.clone()),
                1 => inner.clone().prop_map(|extra| json!({"type": "object", "additionalProperties": extra})),
                1 => inner.clone().prop_map(|not| json!({"not": not})),
                1 => inner.prop_map(|mut schema| {
                    if let Some(object) = schema.as_object_mut() {
                        object.insert("nullable".into(), json!(true));
                        object.insert("readOnly".into(), json!(true));
                    }
                    schema
                }),
            ]
        })
        .boxed()
}

fn object_schema(inner: BoxedStrategy<Value>) -> BoxedStrategy<Value> {
    (
        btree_map(name(), inner.clone(), 0..6),
        vec(name(), 0..3),
        prop::option::of(prop_oneof![
            any::<bool>().prop_map(Value::from),
            inner.prop_map(|s| s),
        ]),
        any::<bool>(),
    )
        .prop_map(|(properties, mut required, additional, require_all)| {
            if require_all {
                required.extend(properties.keys().cloned());
            }
            let mut schema = json!({"type": "object", "properties": properties});
            if !required.is_empty() {
                schema["required"] = json!(required);
            }
            if let Some(additional) = additional {
                schema["additionalProperties"] = additional;
            }
            schema
        })
        .boxed()
}

fn union_schema(inner: BoxedStrategy<Value>) -> BoxedStrategy<Value> {
    (
        select(&["oneOf", "anyOf", "allOf"][..]),
        vec(inner, 1..5),
        prop::option::of((name(), btree_map(name(), component_name(), 0..3))),
    )
        .prop_map(|(keyword, members, discriminator)| {
            let mut schema = json!({ keyword: members });
            if let Some((property, mapping)) = discriminator {
                let mapping: Map<String, Value> = mapping
                    .into_iter()
                    .map(|(k, v)| (k, json!(format!("#/components/schemas/{v}"))))
                    .collect();
                schema["discriminator"] = json!({"propertyName": property, "mapping": mapping});
            }
            schema
        })
        .boxed()
}

/// A parameter in any location, usually with a style its location allows.
fn parameter() -> BoxedStrategy<Value> {
    let location = prop_oneof![
        8 => Just("query"),
        4 => Just("path"),
        3 => Just("header"),
        2 => Just("cookie"),
        1 => Just("body"),
    ];
    (
        name(),
        location,
        any::<bool>(),
        schema(),
        prop::bool::weighted(0.1),
        any::<usize>(),
        prop::option::of(any::<bool>()),
    )
        .prop_map(
            |(name, location, required, schema, any_style, pick, explode)| {
                let mut parameter = json!({"name": name, "in": location, "schema": schema});
                if required || location == "path" {
                    parameter["required"] = json!(true);
                }
                let allowed: &[&str] = match location {
                    _ if any_style => &[
                        "form",
                        "simple",
                        "deepObject",
                        "spaceDelimited",
                        "pipeDelimited",
                        "label",
                        "matrix",
                    ],
                    "query" => &["form", "deepObject", "spaceDelimited", "pipeDelimited"],
                    "path" => &["simple", "label", "matrix"],
                    "header" => &["simple"],
                    _ => &["form"],
                };
                if pick % 3 != 0 {
                    parameter["style"] = json!(allowed[pick % allowed.len()]);
                }
                if let Some(explode) = explode {
                    parameter["explode"] = json!(explode);
                }
                parameter
            },
        )
        .boxed()
}

/// Media types, the common and the troublesome.
const MEDIA_TYPES: &[&str] = &[
    "application/json",
    "application/json",
    "application/merge-patch+json",
    "application/x-www-form-urlencoded",
    "multipart/form-data",
    "application/octet-stream",
    "*/*",
    "text/plain",
    "text/csv",
    "application/xml",
    "text/event-stream",
    "application/jsonl",
    "image/*",
];

fn content() -> BoxedStrategy<Value> {
    btree_map(select(MEDIA_TYPES), prop::option::of(schema()), 1..3)
        .prop_map(|media| {
            let map: Map<String, Value> = media
                .into_iter()
                .map(|(media, schema)| {
                    let body = match schema {
                        Some(schema) => json!({"schema": schema}),
                        None => json!({}),
                    };
                    (media.to_owned(), body)
                })
                .collect();
            Value::Object(map)
        })
        .boxed()
}

fn responses() -> BoxedStrategy<Value> {
    btree_map(
        select(
            &[
                "200", "201", "202", "204", "2XX", "302", "400", "404", "4XX", "500", "default",
            ][..],
        ),
        prop::option::of(content()),
        0..4,
    )
    .prop_map(|responses| {
        let map: Map<String, Value> = responses
            .into_iter()
            .map(|(status, content)| {
                let mut response = json!({"description": "a response"});
                if let Some(content) = content {
                    response["content"] = content;
                }
                // Some lists say they are paged by the Link header.
                if status.starts_with('2') && status.len() % 2 == 1 {
                    response["headers"] = json!({"Link": {"schema": {"type": "string"}}});
                }
                (status.to_owned(), response)
            })
            .collect();
        Value::Object(map)
    })
    .boxed()
}

/// An `x-pagination` override, valid or not.
fn pagination_setting() -> BoxedStrategy<Value> {
    prop_oneof![
        Just(json!(false)),
        Just(json!("none")),
        Just(json!("sideways")),
        (
            // Every style the generator knows, and one it does not.
            select(
                generator::ir::PAGINATION_STYLES
                    .iter()
                    .copied()
                    .chain(["odd"])
                    .collect::<Vec<_>>()
            ),
            prop::option::of(name()),
        )
            .prop_map(|(style, param)| json!({"style": style, "param": param})),
    ]
    .boxed()
}

fn operation() -> BoxedStrategy<Value> {
    (
        prop::option::of(name()),
        vec(name(), 0..2),
        vec(parameter(), 0..4),
        prop::option::of((content(), any::<bool>())),
        responses(),
        any::<bool>(),
        prop::option::of(pagination_setting()),
    )
        .prop_map(
            |(id, tags, parameters, body, responses, deprecated, pagination)| {
                let mut operation = json!({"responses": responses});
                if let Some(pagination) = pagination {
                    operation["x-pagination"] = pagination;
                }
                if let Some(id) = id {
                    operation["operationId"] = json!(id);
                }
                if !tags.is_empty() {
                    operation["tags"] = json!(tags);
                }
                if !parameters.is_empty() {
                    operation["parameters"] = json!(parameters);
                }
                if let Some((content, required)) = body {
                    operation["requestBody"] = json!({"content": content, "required": required});
                }
                if deprecated {
                    operation["deprecated"] = json!(true);
                }
                operation
            },
        )
        .boxed()
}

/// A path template: literal segments and `{parameter}` segments.
fn path_template() -> BoxedStrategy<String> {
    vec(
        prop_oneof![
            3 => select(&["users", "items", "v1", "a b", "ünï", "{id}", "{type}", "{a-b}", "@me", "x.json"][..])
                .prop_map(str::to_owned),
            1 => name().prop_map(|n| format!("{{{n}}}")),
        ],
        0..4,
    )
    .prop_map(|segments| format!("/{}", segments.join("/")))
    .boxed()
}

fn path_item() -> BoxedStrategy<Value> {
    (
        btree_map(
            select(
                &[
                    "get", "put", "post", "delete", "patch", "head", "options", "trace",
                ][..],
            ),
            operation(),
            1..3,
        ),
        vec(parameter(), 0..2),
    )
        .prop_map(|(operations, parameters)| {
            let mut item: Map<String, Value> = operations
                .into_iter()
                .map(|(method, op)| (method.to_owned(), op))
                .collect();
            if !parameters.is_empty() {
                item.insert("parameters".into(), json!(parameters));
            }
            Value::Object(item)
        })
        .boxed()
}

/// The extension that marks a document made by the grammar (rather than a mutated real one),
/// so that the compiled sample takes some of each.
pub const GRAMMAR_MARK: &str = "x-fuzz-grammar";

/// Which version of the format a document is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavour {
    Oas30,
    Oas31,
    Swagger2,
}

/// A whole document in one of the three formats.
pub fn document() -> BoxedStrategy<Value> {
    (
        btree_map(component_name(), schema(), 0..5),
        btree_map(path_template(), path_item(), 0..5),
        select(
            &[
                Flavour::Oas30,
                Flavour::Oas30,
                Flavour::Oas31,
                Flavour::Swagger2,
            ][..],
        ),
        prop::option::of(select(&["bearer", "apiKey", "basic"][..])),
        name(),
        prop::bool::weighted(0.15),
    )
        .prop_map(
            |(schemas, paths, flavour, security, title, keep_dangling)| {
                let names: Vec<String> = schemas.keys().cloned().collect();
                let mut doc = json!({
                    "openapi": "3.0.3",
                    "info": {"title": title, "version": "1.0.0"},
                GRAMMAR_MARK: true,
                    "paths": paths,
                    "components": {"schemas": schemas},
                });
                if let Some(kind) = security {
                    let scheme = match kind {
                        "bearer" => json!({"type": "http", "scheme": "bearer"}),
                        "basic" => json!({"type": "http", "scheme": "basic"}),
                        _ => json!({"type": "apiKey", "in": "header", "name": "X-Key"}),
                    };
                    doc["components"]["securitySchemes"] = json!({ "key": scheme });
                    doc["security"] = json!([{ "key": [] }]);
                }
                if !keep_dangling {
                    retarget_dangling_refs(&mut doc, &names);
                }
                match flavour {
                    Flavour::Oas30 => doc,
                    Flavour::Oas31 => to_oas31(doc),
                    Flavour::Swagger2 => to_swagger2(doc),
                }
            },
        )
        .boxed()
}

/// Points most references at components that exist, so that most documents get past
/// validation and exercise lowering and emitting; some runs keep them dangling.
fn retarget_dangling_refs(value: &mut Value, names: &[String]) {
    match value {
        Value::Object(map) => {
            let target = map
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix("#/components/schemas/"))
                .map(str::to_owned);
            if let Some(target) = target {
                if !names.contains(&target) {
                    *value = match names.get(target.len() % names.len().max(1)) {
                        Some(name) => json!({"$ref": format!("#/components/schemas/{name}")}),
                        None => json!({"type": "string"}),
                    };
                }
                return;
            }
            map.values_mut()
                .for_each(|v| retarget_dangling_refs(v, names));
        }
        Value::Array(items) => items
            .iter_mut()
            .for_each(|v| retarget_dangling_refs(v, names)),
        _ => {}
    }
}

/// Rewrites a 3.0 document the way a 3.1 author would write it: `nullable` as a type array,
/// one-value enums as `const`, `example` as `examples`.
fn to_oas31(mut doc: Value) -> Value {
    fn walk(value: &mut Value) {
        match value {
            Value::Object(map) => {
                if map.remove("nullable") == Some(json!(true)) {
                    match map.get("type").cloned() {
                        Some(Value::String(t)) => {
                            map.insert("type".into(), json!([t, "null"]));
                        }
                        _ => {
                            map.insert("type".into(), json!("null"));
                        }
                    }
                }
                if let Some(Value::Array(values)) = map.get("enum") {
                    if values.len() == 1 {
                        let value = values[0].clone();
                        map.remove("enum");
                        map.insert("const".into(), value);
                    }
                }
                map.values_mut().for_each(walk);
            }
            Value::Array(items) => items.iter_mut().for_each(walk),
            _ => {}
        }
    }
    doc["openapi"] = json!("3.1.0");
    walk(&mut doc);
    doc
}

/// Rewrites a 3.0 document as Swagger 2.0: definitions, body parameters, `produces` and
/// `consumes`, parameters with inline types.
fn to_swagger2(doc: Value) -> Value {
    let text = doc
        .to_string()
        .replace("#/components/schemas/", "#/definitions/");
    let doc: Value = serde_json::from_str(&text).expect("rewritten JSON stays JSON");
    let mut paths = Map::new();
    for (template, item) in doc["paths"].as_object().into_iter().flatten() {
        let mut new_item = Map::new();
        for (method, operation) in item.as_object().into_iter().flatten() {
            if method == "parameters" {
                new_item.insert(method.clone(), swagger2_parameters(operation));
                continue;
            }
            let mut op = operation.clone();
            let mut parameters = swagger2_parameters(&op["parameters"]);
            if let Some(body) = op.as_object_mut().and_then(|o| o.remove("requestBody")) {
                let consumes: Vec<&String> = body["content"]
                    .as_object()
                    .into_iter()
                    .flatten()
                    .map(|(k, _)| k)
                    .collect();
                op["consumes"] = json!(consumes);
                let schema = body["content"]
                    .as_object()
                    .and_then(|c| c.values().next())
                    .map(|m| m["schema"].clone())
                    .unwrap_or(json!({}));
                if let Value::Array(list) = &mut parameters {
                    list.push(json!({"name": "body", "in": "body", "required": body["required"], "schema": schema}));
                }
            }
            op["parameters"] = parameters;
            let mut responses = Map::new();
            let old_responses = op["responses"].clone();
            for (status, response) in old_responses.as_object().into_iter().flatten() {
                let mut out = json!({"description": "a response"});
                if let Some((media, body)) = response["content"]
                    .as_object()
                    .and_then(|c| c.iter().next())
                {
                    op["produces"] = json!([media]);
                    if !body["schema"].is_null() {
                        out["schema"] = body["schema"].clone();
                    }
                }
                responses.insert(status.clone(), out);
            }
            op["responses"] = Value::Object(responses);
            new_item.insert(method.clone(), op);
        }
        paths.insert(template.clone(), Value::Object(new_item));
    }
    let mut out = json!({
        GRAMMAR_MARK: true,
        "swagger": "2.0",
        "info": doc["info"],
        "paths": paths,
        "definitions": doc["components"]["schemas"],
    });
    if let Some(schemes) = doc["components"]["securitySchemes"].as_object() {
        let converted: Map<String, Value> = schemes
            .iter()
            .map(|(name, scheme)| {
                let scheme = match scheme["type"].as_str() {
                    Some("http") if scheme["scheme"] == "basic" => json!({"type": "basic"}),
                    _ => json!({"type": "apiKey", "in": "header", "name": "Authorization"}),
                };
                (name.clone(), scheme)
            })
            .collect();
        out["securityDefinitions"] = Value::Object(converted);
        out["security"] = doc["security"].clone();
    }
    out
}

/// 2.0 parameters carry their schema's keywords inline (except body parameters).
fn swagger2_parameters(parameters: &Value) -> Value {
    let list = parameters
        .as_array()
        .into_iter()
        .flatten()
        .map(|parameter| {
            let mut parameter = parameter.clone();
            if parameter["in"] != "body" {
                if let Some(Value::Object(schema)) =
                    parameter.as_object_mut().and_then(|p| p.remove("schema"))
                {
                    // A schema's `required` list is not the parameter's flag.
                    for (key, value) in schema.into_iter().filter(|(k, _)| k != "required") {
                        parameter[key.as_str()] = value;
                    }
                }
                if let Some(object) = parameter.as_object_mut() {
                    object.remove("style");
                    object.remove("explode");
                }
            }
            parameter
        })
        .collect();
    Value::Array(list)
}
