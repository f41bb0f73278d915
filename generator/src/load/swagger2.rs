//! Swagger 2.0 into OpenAPI 3.0.
//!
//! The conversion is the one the OpenAPI 3.0 specification describes: `host`, `basePath` and
//! `schemes` become servers; `definitions`, `parameters`, `responses` and `securityDefinitions`
//! become components; a `body` parameter becomes the request body and `formData` parameters a
//! form or multipart body (`type: file` parts as binary strings), each with the media types of
//! `consumes`; response schemas get the media types of `produces`; `collectionFormat` becomes
//! `style`/`explode`; `x-nullable` becomes `nullable`.

use super::Notes;
use crate::error::{escape_segment, Error};
use serde_json::{json, Map, Value};

/// Keys a 2.0 parameter shares with a 3.0 schema.
const PARAMETER_SCHEMA_KEYS: &[&str] = &[
    "type",
    "format",
    "items",
    "default",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "enum",
    "multipleOf",
    "x-nullable",
];

/// Converts a Swagger 2.0 document into an OpenAPI 3.0 one.
pub fn convert(doc: &Value, notes: &mut Notes) -> Result<Value, Error> {
    let Value::Object(root) = doc else {
        return Err(Error::new("#", "the document is not an object"));
    };
    let consumes = media_list(root.get("consumes"));
    let produces = media_list(root.get("produces"));
    let mut out = Map::new();
    out.insert("openapi".into(), json!("3.0.3"));
    out.insert(
        "info".into(),
        root.get("info")
            .cloned()
            .unwrap_or_else(|| json!({"title": "API", "version": "1"})),
    );
    out.insert("servers".into(), servers(root));
    for key in ["tags", "security", "externalDocs"] {
        if let Some(v) = root.get(key) {
            out.insert(key.into(), v.clone());
        }
    }
    for (k, v) in root {
        if k.starts_with("x-") {
            out.insert(k.clone(), v.clone());
        }
    }
    let context = Context {
        doc: root,
        consumes: &consumes,
        produces: &produces,
    };
    let mut components = Map::new();
    notes.origins.stage(false);
    for (converted, original) in [
        ("#/components/schemas", "#/definitions"),
        ("#/components/parameters", "#/parameters"),
        ("#/components/requestBodies", "#/parameters"),
        ("#/components/responses", "#/responses"),
        ("#/components/securitySchemes", "#/securityDefinitions"),
    ] {
        notes.origins.record(converted, original);
    }
    if let Some(Value::Object(definitions)) = root.get("definitions") {
        let schemas: Map<String, Value> = definitions
            .iter()
            .map(|(k, v)| (k.clone(), schema(v)))
            .collect();
        components.insert("schemas".into(), Value::Object(schemas));
    }
    if let Some(Value::Object(parameters)) = root.get("parameters") {
        let mut params = Map::new();
        let mut bodies = Map::new();
        for (name, p) in parameters {
            match p.get("in").and_then(Value::as_str) {
                Some("body") => {
                    let body = context.body(p, &consumes);
                    record_content_origins(
                        notes,
                        &body,
                        &format!("#/components/requestBodies/{}", escape_segment(name)),
                        &format!("#/parameters/{}/schema", escape_segment(name)),
                    );
                    bodies.insert(name.clone(), body);
                }
                // Form fields are merged into the body of each operation that uses them.
                Some("formData") => {}
                _ => {
                    let at = format!("#/parameters/{}", escape_segment(name));
                    params.insert(name.clone(), parameter(p, &at, notes));
                }
            }
        }
        if !params.is_empty() {
            components.insert("parameters".into(), Value::Object(params));
        }
        if !bodies.is_empty() {
            components.insert("requestBodies".into(), Value::Object(bodies));
        }
    }
    if let Some(Value::Object(responses)) = root.get("responses") {
        let converted: Map<String, Value> = responses
            .iter()
            .map(|(k, v)| (k.clone(), context.response(v, &produces, "")))
            .collect();
        for (name, response) in &converted {
            record_content_origins(
                notes,
                response,
                &format!("#/components/responses/{}", escape_segment(name)),
                &format!("#/responses/{}/schema", escape_segment(name)),
            );
        }
        components.insert("responses".into(), Value::Object(converted));
    }
    if let Some(Value::Object(schemes)) = root.get("securityDefinitions") {
        let converted: Map<String, Value> = schemes
            .iter()
            .map(|(k, v)| (k.clone(), security_scheme(v)))
            .collect();
        components.insert("securitySchemes".into(), Value::Object(converted));
    }
    if !components.is_empty() {
        out.insert("components".into(), Value::Object(components));
    }
    let mut paths = Map::new();
    if let Some(Value::Object(items)) = root.get("paths") {
        for (path, item) in items {
            if path.starts_with("x-") {
                paths.insert(path.clone(), item.clone());
                continue;
            }
            let at = format!("#/paths/{}", escape_segment(path));
            paths.insert(path.clone(), context.path_item(item, &at, notes)?);
        }
    }
    out.insert("paths".into(), Value::Object(paths));
    let mut out = Value::Object(out);
    rewrite_refs(&mut out);
    Ok(out)
}

struct Context<'a> {
    doc: &'a Map<String, Value>,
    consumes: &'a [String],
    produces: &'a [String],
}

impl Context<'_> {
    fn path_item(&self, item: &Value, at: &str, notes: &mut Notes) -> Result<Value, Error> {
        let Value::Object(item) = item else {
            return Ok(item.clone());
        };
        if let Some(reference) = item.get("$ref") {
            return Ok(json!({ "$ref": reference }));
        }
        let shared: Vec<Value> = item
            .get("parameters")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let mut out = Map::new();
        for (key, value) in item {
            match key.as_str() {
                "get" | "put" | "post" | "delete" | "options" | "head" | "patch" => {
                    let op_at = format!("{at}/{key}");
                    out.insert(key.clone(), self.operation(value, &shared, &op_at, notes)?);
                }
                "parameters" => {
                    // Path-level parameters other than bodies stay shared; bodies and form
                    // fields were handed to each operation.
                    let mut kept: Vec<Value> = Vec::new();
                    for (i, p) in shared.iter().enumerate() {
                        let p_at = format!("{at}/parameters/{i}");
                        if matches!(
                            self.resolve_parameter(p).get("in").and_then(Value::as_str),
                            Some("body") | Some("formData")
                        ) {
                            continue;
                        }
                        let now = format!("{at}/parameters/{}", kept.len());
                        notes.origins.record(format!("{now}/schema"), p_at.clone());
                        notes.origins.record(now, p_at.clone());
                        kept.push(if p.get("$ref").is_some() {
                            p.clone()
                        } else {
                            parameter(p, &p_at, notes)
                        });
                    }
                    if !kept.is_empty() {
                        out.insert(key.clone(), Value::Array(kept));
                    }
                }
                k if k.starts_with("x-") => {
                    out.insert(key.clone(), value.clone());
                }
                _ => {}
            }
        }
        Ok(Value::Object(out))
    }

    /// A parameter, following a `$ref` to `#/parameters/...`.
    fn resolve_parameter<'p>(&'p self, p: &'p Value) -> &'p Value {
        match p
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix("#/parameters/"))
        {
            Some(name) => {
                let name = name.replace("~1", "/").replace("~0", "~");
                self.doc
                    .get("parameters")
                    .and_then(|ps| ps.get(&name))
                    .unwrap_or(p)
            }
            None => p,
        }
    }

    fn operation(
        &self,
        op: &Value,
        shared: &[Value],
        at: &str,
        notes: &mut Notes,
    ) -> Result<Value, Error> {
        let Value::Object(op) = op else {
            return Ok(op.clone());
        };
        let consumes = op.get("consumes").map(|c| media_list(Some(c)));
        let consumes = consumes.as_deref().unwrap_or(self.consumes);
        let produces = op.get("produces").map(|c| media_list(Some(c)));
        let produces = produces.as_deref().unwrap_or(self.produces);
        // Operation parameters override path-level ones with the same name and location.
        let own: Vec<Value> = op
            .get("parameters")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let key = |p: &Value| {
            let p = self.resolve_parameter(p);
            (
                p.get("name")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_owned(),
                p.get("in").and_then(Value::as_str).unwrap_or("").to_owned(),
            )
        };
        let own_keys: Vec<_> = own.iter().map(key).collect();
        let inherited: Vec<(String, Value)> = shared
            .iter()
            .enumerate()
            .filter(|(_, p)| {
                let k = key(p);
                !own_keys.contains(&k) && matches!(k.1.as_str(), "body" | "formData")
            })
            .map(|(i, p)| {
                (
                    format!(
                        "{}/parameters/{i}",
                        at.rsplit_once('/').map_or(at, |(a, _)| a)
                    ),
                    p.clone(),
                )
            })
            .collect();
        let mut parameters = Vec::new();
        let mut body = None;
        let mut body_at: Option<String> = None;
        let mut form_at: Vec<(&Value, String)> = Vec::new();
        let mut form: Vec<&Value> = Vec::new();
        let own_with_at: Vec<(String, Value)> = own
            .iter()
            .enumerate()
            .map(|(i, p)| (format!("{at}/parameters/{i}"), p.clone()))
            .collect();
        let all: Vec<(String, Value)> = inherited.into_iter().chain(own_with_at).collect();
        for (p_at, p) in &all {
            let resolved = self.resolve_parameter(p);
            match resolved.get("in").and_then(Value::as_str) {
                Some("body") => {
                    notes
                        .origins
                        .record(format!("{at}/requestBody"), p_at.clone());
                    body_at = Some(p_at.clone());
                    body = Some(if p.get("$ref").is_some() {
                        let name = p["$ref"]
                            .as_str()
                            .unwrap_or("")
                            .trim_start_matches("#/parameters/");
                        json!({ "$ref": format!("#/components/requestBodies/{name}") })
                    } else {
                        self.body(resolved, consumes)
                    });
                }
                Some("formData") => {
                    form.push(resolved);
                    form_at.push((resolved, p_at.clone()));
                }
                _ => {
                    // Inline keywords of a 2.0 parameter are its schema in 3.0.
                    let now = format!("{at}/parameters/{}", parameters.len());
                    notes.origins.record(format!("{now}/schema"), p_at.clone());
                    notes.origins.record(now, p_at.clone());
                    parameters.push(if p.get("$ref").is_some() {
                        p.clone()
                    } else {
                        parameter(resolved, p_at, notes)
                    });
                }
            }
        }
        if !form.is_empty() {
            body = Some(form_body(&form, consumes));
            // The form's schema is made of the parameters, a property of each.
            notes
                .origins
                .record(format!("{at}/requestBody"), format!("{at}/parameters"));
            let media_types = body
                .as_ref()
                .and_then(|b| b.get("content"))
                .and_then(Value::as_object)
                .map(|c| c.keys().cloned().collect::<Vec<_>>())
                .unwrap_or_default();
            for media in media_types {
                let schema_at =
                    format!("{at}/requestBody/content/{}/schema", escape_segment(&media));
                notes
                    .origins
                    .record(schema_at.clone(), format!("{at}/parameters"));
                for (field, field_at) in &form_at {
                    if let Some(name) = field.get("name").and_then(Value::as_str) {
                        notes.origins.record(
                            format!("{schema_at}/properties/{}", escape_segment(name)),
                            field_at.clone(),
                        );
                    }
                }
            }
        }
        if let (Some(body), Some(p_at)) = (&body, &body_at) {
            record_content_origins(
                notes,
                body,
                &format!("{at}/requestBody"),
                &format!("{p_at}/schema"),
            );
        }
        let mut out = Map::new();
        for (key, value) in op {
            match key.as_str() {
                "tags" | "summary" | "description" | "externalDocs" | "operationId"
                | "deprecated" | "security" => {
                    out.insert(key.clone(), value.clone());
                }
                "responses" => {
                    let mut responses = Map::new();
                    if let Value::Object(list) = value {
                        for (status, r) in list {
                            let converted = if status.starts_with("x-") {
                                r.clone()
                            } else {
                                self.response(r, produces, status)
                            };
                            let response_at = format!("{at}/responses/{}", escape_segment(status));
                            record_content_origins(
                                notes,
                                &converted,
                                &response_at,
                                &format!("{response_at}/schema"),
                            );
                            responses.insert(status.clone(), converted);
                        }
                    }
                    out.insert(key.clone(), Value::Object(responses));
                }
                k if k.starts_with("x-") => {
                    out.insert(key.clone(), value.clone());
                }
                _ => {}
            }
        }
        out.entry("responses")
            .or_insert_with(|| json!({"default": {"description": "A response."}}));
        if !parameters.is_empty() {
            out.insert("parameters".into(), Value::Array(parameters));
        }
        if let Some(body) = body {
            out.insert("requestBody".into(), body);
        }
        Ok(Value::Object(out))
    }

    /// A `body` parameter as a request body.
    fn body(&self, p: &Value, consumes: &[String]) -> Value {
        let schema = p.get("schema").map(schema).unwrap_or_else(|| json!({}));
        let types: Vec<&str> = consumes
            .iter()
            .map(String::as_str)
            .filter(|t| {
                !t.starts_with("multipart/") && !t.starts_with("application/x-www-form-urlencoded")
            })
            .collect();
        let types = if types.is_empty() {
            vec!["application/json"]
        } else {
            types
        };
        let content: Map<String, Value> = types
            .into_iter()
            .map(|t| (t.to_owned(), json!({ "schema": schema.clone() })))
            .collect();
        let mut out = Map::new();
        if let Some(d) = p.get("description") {
            out.insert("description".into(), d.clone());
        }
        out.insert("content".into(), Value::Object(content));
        if p.get("required").and_then(Value::as_bool) == Some(true) {
            out.insert("required".into(), Value::Bool(true));
        }
        if let Some(name) = p.get("name") {
            out.insert("x-codegen-request-body-name".into(), name.clone());
        }
        Value::Object(out)
    }

    /// A 2.0 response: its schema under each produced media type. A response without a
    /// schema whose operation produces something still has a body (2.0 documents leave the
    /// schema out of many that do): the media types without a schema, read as their type says
    /// (JSON as a value, text as a string, anything else as bytes). Statuses that never have
    /// a body (204, 205, 304) have none.
    fn response(&self, r: &Value, produces: &[String], status: &str) -> Value {
        let Value::Object(r) = r else {
            return r.clone();
        };
        if let Some(reference) = r.get("$ref") {
            return json!({ "$ref": reference });
        }
        let mut out = Map::new();
        out.insert(
            "description".into(),
            r.get("description").cloned().unwrap_or_else(|| json!("")),
        );
        if let Some(s) = r.get("schema") {
            let converted = schema(s);
            let is_file = s.get("type").and_then(Value::as_str) == Some("file");
            let types: Vec<String> = if produces.is_empty() {
                vec![if is_file {
                    "application/octet-stream"
                } else {
                    "application/json"
                }
                .to_owned()]
            } else {
                produces.to_vec()
            };
            let content: Map<String, Value> = types
                .into_iter()
                .map(|t| (t, json!({ "schema": converted.clone() })))
                .collect();
            out.insert("content".into(), Value::Object(content));
        } else if !produces.is_empty() && !matches!(status, "204" | "205" | "304") {
            let content: Map<String, Value> =
                produces.iter().map(|t| (t.clone(), json!({}))).collect();
            out.insert("content".into(), Value::Object(content));
        }
        if let Some(Value::Object(headers)) = r.get("headers") {
            let converted: Map<String, Value> = headers
                .iter()
                .map(|(name, h)| {
                    let mut header = Map::new();
                    if let Some(d) = h.get("description") {
                        header.insert("description".into(), d.clone());
                    }
                    header.insert("schema".into(), parameter_schema(h));
                    (name.clone(), Value::Object(header))
                })
                .collect();
            out.insert("headers".into(), Value::Object(converted));
        }
        for (k, v) in r {
            if k.starts_with("x-") {
                out.insert(k.clone(), v.clone());
            }
        }
        Value::Object(out)
    }
}

/// Records that the schema under each media type of a converted body or response at `at` was
/// written at `original` (2.0 has one schema where 3.0 has one per media type).
fn record_content_origins(notes: &mut Notes, converted: &Value, at: &str, original: &str) {
    let content = converted.get("content").and_then(Value::as_object);
    for media in content.into_iter().flat_map(|c| c.keys()) {
        notes.origins.record(
            format!("{at}/content/{}/schema", escape_segment(media)),
            original.to_owned(),
        );
    }
}

/// `formData` parameters as one form or multipart body.
fn form_body(fields: &[&Value], consumes: &[String]) -> Value {
    let mut properties = Map::new();
    let mut required = Vec::new();
    let mut has_file = false;
    for field in fields {
        let name = field
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or("field")
            .to_owned();
        let mut s = parameter_schema(field);
        if field.get("type").and_then(Value::as_str) == Some("file") {
            has_file = true;
            s = json!({"type": "string", "format": "binary"});
        }
        if let (Value::Object(s), Some(d)) = (&mut s, field.get("description")) {
            s.insert("description".into(), d.clone());
        }
        if field.get("required").and_then(Value::as_bool) == Some(true) {
            required.push(Value::String(name.clone()));
        }
        properties.insert(name, s);
    }
    let mut object = json!({"type": "object", "properties": properties});
    if !required.is_empty() {
        object["required"] = Value::Array(required.clone());
    }
    let multipart = has_file
        || consumes
            .iter()
            .any(|c| c.starts_with("multipart/form-data"));
    let urlencoded = consumes
        .iter()
        .any(|c| c.starts_with("application/x-www-form-urlencoded"));
    let mut content = Map::new();
    if multipart {
        content.insert(
            "multipart/form-data".into(),
            json!({ "schema": object.clone() }),
        );
    }
    if urlencoded && !has_file || !multipart {
        content.insert(
            "application/x-www-form-urlencoded".into(),
            json!({ "schema": object }),
        );
    }
    json!({ "content": content, "required": !required.is_empty() })
}

/// A non-body 2.0 parameter as a 3.0 parameter.
fn parameter(p: &Value, at: &str, notes: &mut Notes) -> Value {
    let Value::Object(map) = p else {
        return p.clone();
    };
    let mut out = Map::new();
    for key in [
        "name",
        "in",
        "description",
        "required",
        "allowEmptyValue",
        "deprecated",
    ] {
        if let Some(v) = map.get(key) {
            out.insert(key.into(), v.clone());
        }
    }
    let location = map.get("in").and_then(Value::as_str).unwrap_or("");
    if location == "path" {
        out.insert("required".into(), Value::Bool(true));
    }
    out.insert("schema".into(), parameter_schema(p));
    if map.get("type").and_then(Value::as_str) == Some("array") {
        let format = map
            .get("collectionFormat")
            .and_then(Value::as_str)
            .unwrap_or("csv");
        let (style, explode) = match (format, location) {
            ("multi", _) => ("form", true),
            ("ssv", "query") => ("spaceDelimited", false),
            ("pipes", "query") => ("pipeDelimited", false),
            ("csv", "query" | "cookie") => ("form", false),
            ("csv", _) => ("simple", false),
            (other, _) => {
                notes.approximate(
                    at,
                    format!("`collectionFormat: {other}` has no OpenAPI 3 style here; the values are sent comma-separated"),
                );
                if matches!(location, "query" | "cookie") {
                    ("form", false)
                } else {
                    ("simple", false)
                }
            }
        };
        out.insert("style".into(), Value::String(style.into()));
        out.insert("explode".into(), Value::Bool(explode));
    }
    for (k, v) in map {
        if k.starts_with("x-") && k != "x-nullable" {
            out.insert(k.clone(), v.clone());
        }
    }
    Value::Object(out)
}

/// The schema of a non-body parameter or a header (their type keywords sit on them directly).
fn parameter_schema(p: &Value) -> Value {
    let mut s = Map::new();
    for key in PARAMETER_SCHEMA_KEYS {
        if let Some(v) = p.get(*key) {
            s.insert((*key).into(), v.clone());
        }
    }
    schema(&Value::Object(s))
}

/// A 2.0 schema (or a parameter's items) as a 3.0 schema.
fn schema(s: &Value) -> Value {
    match s {
        Value::Object(map) => {
            let mut out = Map::new();
            for (key, value) in map {
                match key.as_str() {
                    "x-nullable" => {
                        if value.as_bool() == Some(true) {
                            out.insert("nullable".into(), Value::Bool(true));
                        }
                    }
                    "type" if value == "file" => {
                        out.insert("type".into(), json!("string"));
                        out.insert("format".into(), json!("binary"));
                    }
                    "discriminator" if value.is_string() => {
                        out.insert(key.clone(), json!({ "propertyName": value }));
                    }
                    "collectionFormat" => {}
                    "properties" | "definitions" => {
                        let converted: Map<String, Value> = value
                            .as_object()
                            .map(|m| m.iter().map(|(k, v)| (k.clone(), schema(v))).collect())
                            .unwrap_or_default();
                        out.insert(key.clone(), Value::Object(converted));
                    }
                    "items" | "additionalProperties" | "not" => {
                        out.insert(
                            key.clone(),
                            if value.is_boolean() {
                                value.clone()
                            } else {
                                schema(value)
                            },
                        );
                    }
                    "allOf" | "oneOf" | "anyOf" => {
                        let converted: Vec<Value> = value
                            .as_array()
                            .map(|l| l.iter().map(schema).collect())
                            .unwrap_or_default();
                        out.insert(key.clone(), Value::Array(converted));
                    }
                    _ => {
                        out.insert(key.clone(), value.clone());
                    }
                }
            }
            Value::Object(out)
        }
        other => other.clone(),
    }
}

/// A 2.0 security definition as a 3.0 security scheme.
fn security_scheme(s: &Value) -> Value {
    let description = s.get("description").cloned();
    let mut out = match s.get("type").and_then(Value::as_str) {
        Some("basic") => json!({"type": "http", "scheme": "basic"}),
        Some("apiKey") => {
            json!({"type": "apiKey", "name": s.get("name").cloned().unwrap_or(json!("api_key")), "in": s.get("in").cloned().unwrap_or(json!("header"))})
        }
        Some("oauth2") => {
            let scopes = s.get("scopes").cloned().unwrap_or_else(|| json!({}));
            let auth = s.get("authorizationUrl").cloned().unwrap_or(json!(""));
            let token = s.get("tokenUrl").cloned().unwrap_or(json!(""));
            let flows = match s.get("flow").and_then(Value::as_str) {
                Some("implicit") => {
                    json!({"implicit": {"authorizationUrl": auth, "scopes": scopes}})
                }
                Some("password") => json!({"password": {"tokenUrl": token, "scopes": scopes}}),
                Some("application") => {
                    json!({"clientCredentials": {"tokenUrl": token, "scopes": scopes}})
                }
                _ => {
                    json!({"authorizationCode": {"authorizationUrl": auth, "tokenUrl": token, "scopes": scopes}})
                }
            };
            json!({"type": "oauth2", "flows": flows})
        }
        _ => s.clone(),
    };
    if let (Value::Object(out), Some(d)) = (&mut out, description) {
        out.insert("description".into(), d);
    }
    out
}

/// `host`, `basePath` and `schemes` as servers.
fn servers(root: &Map<String, Value>) -> Value {
    let base = root.get("basePath").and_then(Value::as_str).unwrap_or("");
    let base = base.trim_end_matches('/');
    let Some(host) = root.get("host").and_then(Value::as_str) else {
        return json!([{ "url": if base.is_empty() { "/" } else { base } }]);
    };
    let schemes: Vec<&str> = root
        .get("schemes")
        .and_then(Value::as_array)
        .map(|l| l.iter().filter_map(Value::as_str).collect())
        .filter(|l: &Vec<&str>| !l.is_empty())
        .unwrap_or_else(|| vec!["https"]);
    // The secure scheme first, so it is the client's default.
    let mut ordered: Vec<&str> = schemes.iter().copied().filter(|s| *s == "https").collect();
    ordered.extend(
        schemes
            .iter()
            .copied()
            .filter(|s| *s != "https" && (*s == "http")),
    );
    if ordered.is_empty() {
        ordered.push("https");
    }
    Value::Array(
        ordered
            .into_iter()
            .map(|scheme| json!({ "url": format!("{scheme}://{host}{base}") }))
            .collect(),
    )
}

fn media_list(value: Option<&Value>) -> Vec<String> {
    value
        .and_then(Value::as_array)
        .map(|l| {
            l.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

/// `#/definitions/X` -> `#/components/schemas/X`, and the same for parameters and responses.
fn rewrite_refs(doc: &mut Value) {
    super::walk::each_ref_mut(doc, &mut String::from("#"), &mut |reference, _| {
        for (from, to) in [
            ("#/definitions/", "#/components/schemas/"),
            ("#/parameters/", "#/components/parameters/"),
            ("#/responses/", "#/components/responses/"),
        ] {
            if let Some(rest) = reference.strip_prefix(from) {
                *reference = format!("{to}{rest}");
                return;
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_swagger_document_becomes_openapi_3() {
        let doc = json!({
            "swagger": "2.0",
            "info": {"title": "Pets", "version": "1"},
            "host": "api.example.com",
            "basePath": "/v1",
            "schemes": ["http", "https"],
            "consumes": ["application/json"],
            "produces": ["application/json"],
            "securityDefinitions": {"key": {"type": "apiKey", "name": "X-Key", "in": "header"}},
            "parameters": {"Limit": {"name": "limit", "in": "query", "type": "integer"}},
            "definitions": {"Pet": {"type": "object", "discriminator": "kind", "properties": {
                "kind": {"type": "string"},
                "tag": {"type": "string", "x-nullable": true}
            }}},
            "paths": {"/pets/{id}": {
                "parameters": [{"name": "id", "in": "path", "required": true, "type": "string"}],
                "put": {
                    "operationId": "updatePet",
                    "parameters": [
                        {"$ref": "#/parameters/Limit"},
                        {"name": "tags", "in": "query", "type": "array", "items": {"type": "string"}, "collectionFormat": "pipes"},
                        {"name": "pet", "in": "body", "required": true, "schema": {"$ref": "#/definitions/Pet"}}
                    ],
                    "responses": {"200": {"description": "ok", "schema": {"$ref": "#/definitions/Pet"}}}
                },
                "post": {
                    "consumes": ["multipart/form-data"],
                    "parameters": [
                        {"name": "photo", "in": "formData", "type": "file", "required": true},
                        {"name": "note", "in": "formData", "type": "string"}
                    ],
                    "responses": {"204": {"description": "stored"}}
                }
            }}
        });
        let mut notes = Notes::default();
        let out = convert(&doc, &mut notes).unwrap();
        assert_eq!(
            out["servers"],
            json!([{"url": "https://api.example.com/v1"}, {"url": "http://api.example.com/v1"}])
        );
        assert_eq!(
            out["components"]["schemas"]["Pet"]["discriminator"],
            json!({"propertyName": "kind"})
        );
        assert_eq!(
            out["components"]["schemas"]["Pet"]["properties"]["tag"],
            json!({"type": "string", "nullable": true})
        );
        assert_eq!(out["components"]["securitySchemes"]["key"]["in"], "header");
        let put = &out["paths"]["/pets/{id}"]["put"];
        assert_eq!(
            put["parameters"][0],
            json!({"$ref": "#/components/parameters/Limit"})
        );
        assert_eq!(put["parameters"][1]["style"], "pipeDelimited");
        assert_eq!(
            put["requestBody"]["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/Pet"
        );
        assert_eq!(put["requestBody"]["required"], true);
        assert_eq!(
            put["responses"]["200"]["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/Pet"
        );
        let post = &out["paths"]["/pets/{id}"]["post"];
        let form = &post["requestBody"]["content"]["multipart/form-data"]["schema"];
        assert_eq!(
            form["properties"]["photo"],
            json!({"type": "string", "format": "binary"})
        );
        assert_eq!(form["required"], json!(["photo"]));
        assert_eq!(
            out["paths"]["/pets/{id}"]["parameters"][0]["schema"],
            json!({"type": "string"})
        );
    }
}
