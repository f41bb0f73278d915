//! Repairs for documents that openapiv3 refuses but whose intent is clear.
//!
//! Real-world documents carry mistakes that stop the typed parse of the whole document:
//! `pattern: 0`, OpenAPI 3.1 spellings (`type: [string, "null"]`, a numeric
//! `exclusiveMinimum`), a `$ref` where openapiv3 allows none (callbacks), and so on. When the
//! typed parse fails, the loader applies these repairs to the document as JSON and tries
//! again. Only parts the generator does not use are dropped (callbacks, links, examples);
//! everything else is rewritten to what the author evidently meant.

use serde_json::{Map, Value};

/// Keys whose value must be a string.
const STRING_KEYS: &[&str] = &[
    "pattern",
    "format",
    "title",
    "description",
    "summary",
    "operationId",
];
/// Keys whose value must be a non-negative integer.
const COUNT_KEYS: &[&str] = &[
    "minLength",
    "maxLength",
    "minItems",
    "maxItems",
    "minProperties",
    "maxProperties",
];
/// Keys the generator never reads, whose odd contents (`$ref`s where none are allowed) are
/// the most common cause of a failed parse.
const UNUSED_KEYS: &[&str] = &["callbacks", "links", "examples"];

/// Repairs a document in place; returns what was changed: a JSON pointer and what changed there.
pub fn repair(document: &mut Value) -> Vec<(String, String)> {
    let mut changes = Vec::new();
    repair_node(document, Context::Document, "#", &mut changes);
    changes
}

#[derive(Clone, Copy, PartialEq)]
enum Context {
    Document,
    /// A map whose keys are names chosen by the author (properties, paths, components):
    /// its keys are never keywords.
    NamedMap,
    Object,
}

fn repair_node(
    node: &mut Value,
    context: Context,
    pointer: &str,
    changes: &mut Vec<(String, String)>,
) {
    match node {
        Value::Array(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                repair_node(item, Context::Object, &format!("{pointer}/{i}"), changes);
            }
        }
        Value::Object(map) => {
            if context != Context::NamedMap {
                let before = map.clone();
                repair_object(map);
                if *map != before {
                    changes.push((pointer.to_owned(), describe_change(&before, map)));
                }
            }
            for (key, child) in map.iter_mut() {
                // Example and default values, enum values and extensions are data, not
                // OpenAPI: left as they are. So are security schemes, whose `type` is theirs.
                let is_data = ["example", "default", "enum", "const"].contains(&key.as_str())
                    || key.starts_with("x-");
                if context != Context::NamedMap && (is_data || key == "securitySchemes") {
                    continue;
                }
                let child_context = if context != Context::NamedMap && is_named_map(key) {
                    Context::NamedMap
                } else {
                    Context::Object
                };
                let child_pointer = format!("{pointer}/{}", crate::error::escape_segment(key));
                repair_node(child, child_context, &child_pointer, changes);
            }
        }
        _ => {}
    }
}

/// `pattern 0 -> "0"; callbacks removed`.
fn describe_change(before: &Map<String, Value>, after: &Map<String, Value>) -> String {
    let mut parts = Vec::new();
    for (key, old) in before {
        match after.get(key) {
            None => parts.push(format!("`{key}` removed")),
            Some(new) if new != old => {
                parts.push(format!("`{key}` {} -> {}", short(old), short(new)))
            }
            Some(_) => {}
        }
    }
    for (key, new) in after {
        if !before.contains_key(key) {
            parts.push(format!("`{key}` added as {}", short(new)));
        }
    }
    parts.join("; ")
}

fn short(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() > 40 {
        format!("{}…", text.chars().take(40).collect::<String>())
    } else {
        text
    }
}

/// Keys whose values map author-chosen names to objects.
fn is_named_map(key: &str) -> bool {
    matches!(
        key,
        "properties"
            | "paths"
            | "schemas"
            | "responses"
            | "parameters"
            | "requestBodies"
            | "headers"
            | "content"
            | "encoding"
            | "variables"
            | "mapping"
    )
}

fn repair_object(map: &mut Map<String, Value>) {
    for key in UNUSED_KEYS {
        // `examples` is a keyword only where its value is an object of examples.
        if map
            .get(*key)
            .is_some_and(|v| *key != "examples" || v.is_object())
        {
            map.remove(*key);
        }
    }
    for key in STRING_KEYS {
        match map.get(*key) {
            Some(Value::String(_)) | None => {}
            Some(Value::Number(n)) => {
                let text = n.to_string();
                map.insert((*key).to_owned(), Value::String(text));
            }
            Some(Value::Bool(b)) => {
                let text = b.to_string();
                map.insert((*key).to_owned(), Value::String(text));
            }
            Some(_) => {
                map.remove(*key);
            }
        }
    }
    for key in COUNT_KEYS {
        if map.get(*key).is_some_and(|v| !v.is_u64()) {
            map.remove(*key);
        }
    }
    // OpenAPI 3.1: `exclusiveMinimum: 5` means `minimum: 5, exclusiveMinimum: true`.
    for (exclusive, bound) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        if let Some(Value::Number(n)) = map.get(exclusive).cloned() {
            map.entry(bound.to_owned()).or_insert(Value::Number(n));
            map.insert(exclusive.to_owned(), Value::Bool(true));
        } else if map.get(exclusive).is_some_and(|v| !v.is_boolean()) {
            map.remove(exclusive);
        }
    }
    for key in ["minimum", "maximum", "multipleOf"] {
        if let Some(Value::String(s)) = map.get(key) {
            match s
                .trim()
                .parse::<f64>()
                .ok()
                .and_then(serde_json::Number::from_f64)
            {
                Some(n) => {
                    map.insert(key.to_owned(), Value::Number(n));
                }
                None => {
                    map.remove(key);
                }
            }
        } else if map.get(key).is_some_and(|v| !v.is_number()) {
            map.remove(key);
        }
    }
    // OpenAPI 3.1: `type: [string, "null"]`.
    if let Some(Value::Array(types)) = map.get("type").cloned() {
        let nullable = types.iter().any(|t| t == "null");
        match types.into_iter().find(|t| t.is_string() && t != "null") {
            Some(first) => {
                map.insert("type".to_owned(), first);
            }
            None => {
                map.remove("type");
            }
        }
        if nullable {
            map.insert("nullable".to_owned(), Value::Bool(true));
        }
    }
    if let Some(Value::String(s)) = map.get("type") {
        if !["string", "number", "integer", "boolean", "array", "object"].contains(&s.as_str()) {
            if s == "null" {
                map.insert("nullable".to_owned(), Value::Bool(true));
            }
            map.remove("type");
        }
    }
    for key in [
        "nullable",
        "readOnly",
        "writeOnly",
        "deprecated",
        "uniqueItems",
        "explode",
        "allowReserved",
        "allowEmptyValue",
    ] {
        match map.get(key) {
            Some(Value::String(s)) => {
                let b = s.eq_ignore_ascii_case("true");
                map.insert(key.to_owned(), Value::Bool(b));
            }
            Some(v) if !v.is_boolean() => {
                map.remove(key);
            }
            _ => {}
        }
    }
    // `required` is a list of names in a schema and a flag in a parameter or request body.
    let is_schema_like = !map.contains_key("in") && !map.contains_key("content");
    if is_schema_like {
        match map.get("required") {
            Some(Value::Array(items)) if items.iter().all(Value::is_string) => {}
            Some(Value::Array(items)) => {
                let names: Vec<Value> = items.iter().filter(|v| v.is_string()).cloned().collect();
                map.insert("required".to_owned(), Value::Array(names));
            }
            Some(_) => {
                map.remove("required");
            }
            None => {}
        }
    }
    if map.get("enum").is_some_and(|v| !v.is_array()) {
        map.remove("enum");
    }
    // Tuple validation (`items: [A, B]`) is not OpenAPI 3.0: the first item type stands.
    if let Some(Value::Array(items)) = map.get("items").cloned() {
        match items.into_iter().next() {
            Some(first) => {
                map.insert("items".to_owned(), first);
            }
            None => {
                map.remove("items");
            }
        }
    }
    for key in ["allOf", "oneOf", "anyOf"] {
        if map.get(key).is_some_and(|v| !v.is_array()) {
            map.remove(key);
        }
    }
    if let Some(v) = map.get("additionalProperties") {
        if !v.is_boolean() && !v.is_object() {
            map.remove("additionalProperties");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn common_mistakes_are_rewritten() {
        let mut doc = json!({
            "paths": {"/a": {"get": {"callbacks": {"x": {"$ref": "#/y"}}, "parameters": [{"name": "p", "in": "query", "required": true}]}}},
            "components": {"schemas": {
                "A": {"type": "object", "required": true, "properties": {
                    "pattern": {"type": "string", "pattern": 0},
                    "n": {"type": ["integer", "null"], "exclusiveMinimum": 1},
                    "title": {"type": "string", "maxLength": -1}
                }}
            }}
        });
        let changes = repair(&mut doc);
        assert!(
            changes
                .iter()
                .any(|(p, c)| p == "#/paths/~1a/get" && c.starts_with("`callbacks` removed")),
            "{changes:?}"
        );
        assert!(
            changes
                .iter()
                .any(|(p, c)| p == "#/components/schemas/A/properties/pattern"
                    && c == "`pattern` 0 -> \"0\""),
            "{changes:?}"
        );
        assert_eq!(doc["paths"]["/a"]["get"].get("callbacks"), None);
        assert_eq!(doc["paths"]["/a"]["get"]["parameters"][0]["required"], true);
        let a = &doc["components"]["schemas"]["A"];
        assert_eq!(a.get("required"), None);
        assert_eq!(a["properties"]["pattern"]["pattern"], "0");
        assert_eq!(
            a["properties"]["n"],
            json!({"type": "integer", "nullable": true, "minimum": 1, "exclusiveMinimum": true})
        );
        assert_eq!(a["properties"]["title"].get("maxLength"), None);
        // A property named like a keyword is left alone.
        assert!(a["properties"].get("title").is_some());
    }
}
