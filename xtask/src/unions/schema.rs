//! The document's schemas as JSON Schema, for an independent validator (`jsonschema`) to
//! judge values by: OpenAPI 3.0's dialect (the form every input is loaded into) is JSON
//! Schema draft 4 plus `nullable`, and `required` names read-only and write-only properties
//! that only one direction carries.

use jsonschema::{Draft, Registry, Validator};
use serde_json::{json, Value};

/// The base URI the document is registered under.
const DOCUMENT: &str = "urn:openapi-document";

/// Validators of the document's schemas, by JSON pointer.
pub struct Schemas {
    registry: Registry,
    /// The document, converted, for the schemas validators start from.
    converted: Value,
}

impl Schemas {
    /// Registers the document (its JSON, as loaded).
    pub fn new(document: &Value) -> Result<Self, String> {
        let mut converted = document.clone();
        convert(&mut converted);
        let resource = Draft::Draft4.create_resource(converted.clone());
        let registry = Registry::try_new(DOCUMENT, resource)
            .map_err(|e| format!("the document is not a JSON Schema resource: {e}"))?;
        Ok(Schemas {
            registry,
            converted,
        })
    }

    /// A validator for the schema at `pointer` (`#/components/schemas/Pet`, or one inside a
    /// path whose template a URI cannot hold): the schema itself, its references pointed at
    /// the registered document.
    pub fn validator(&self, pointer: &str) -> Result<Validator, String> {
        let mut schema = lookup(&self.converted, pointer)
            .cloned()
            .ok_or_else(|| format!("{pointer}: no schema there"))?;
        absolute_refs(&mut schema);
        jsonschema::options()
            .with_draft(Draft::Draft4)
            .with_registry(self.registry.clone())
            .should_validate_formats(false)
            .build(&schema)
            .map_err(|e| format!("{pointer}: {e}"))
    }
}

/// The part of a document at a `#/...` pointer, following references on the way (the
/// generator's pointers go through a parameter's `$ref` to its schema).
pub fn lookup<'v>(document: &'v Value, pointer: &str) -> Option<&'v Value> {
    let mut at = document;
    let path = pointer.strip_prefix('#')?;
    for raw in path.split('/').skip(1) {
        let segment = raw.replace("~1", "/").replace("~0", "~");
        let mut hops = 0;
        loop {
            let next = match at {
                Value::Object(object) => object.get(&segment),
                Value::Array(items) => segment.parse::<usize>().ok().and_then(|i| items.get(i)),
                _ => None,
            };
            if let Some(next) = next {
                at = next;
                break;
            }
            let reference = at.get("$ref").and_then(Value::as_str)?;
            hops += 1;
            if hops > 16 {
                return None;
            }
            at = document.pointer(reference.strip_prefix('#')?)?;
        }
    }
    Some(at)
}

/// Points a schema's local references (`#/components/...`) at the registered document.
fn absolute_refs(value: &mut Value) {
    match value {
        Value::Array(items) => items.iter_mut().for_each(absolute_refs),
        Value::Object(object) => {
            for (key, child) in object.iter_mut() {
                match child {
                    Value::String(reference) if key == "$ref" && reference.starts_with('#') => {
                        *reference = format!("{DOCUMENT}{reference}");
                    }
                    _ => absolute_refs(child),
                }
            }
        }
        _ => {}
    }
}

/// The first error a validator finds in a value, if any.
pub fn first_error(validator: &Validator, value: &Value) -> Option<String> {
    validator.iter_errors(value).next().map(|e| {
        let at = e.instance_path.to_string();
        let at = if at.is_empty() { "$".to_owned() } else { at };
        let mut text = format!("{at}: {e}");
        if text.len() > 200 {
            let mut end = 200;
            while !text.is_char_boundary(end) {
                end -= 1;
            }
            text.truncate(end);
            text.push('…');
        }
        text
    })
}

/// Rewrites OpenAPI 3.0 schema keywords into their JSON Schema draft 4 meaning, everywhere
/// in the document (an object that is not a schema has none of them).
fn convert(value: &mut Value) {
    match value {
        Value::Array(items) => items.iter_mut().for_each(convert),
        Value::Object(object) => {
            for child in object.values_mut() {
                convert(child);
            }
            // `required` holds for one direction only where the property is read-only or
            // write-only; the check sends and receives the same values.
            let one_way: Vec<String> = match object.get("properties") {
                Some(Value::Object(properties)) => properties
                    .iter()
                    .filter(|(_, p)| {
                        p.get("readOnly") == Some(&json!(true))
                            || p.get("writeOnly") == Some(&json!(true))
                    })
                    .map(|(name, _)| name.clone())
                    .collect(),
                _ => Vec::new(),
            };
            if let Some(Value::Array(required)) = object.get_mut("required") {
                required.retain(|name| {
                    !name
                        .as_str()
                        .is_some_and(|n| one_way.iter().any(|o| o == n))
                });
                if required.is_empty() {
                    object.remove("required");
                }
            }
            // Patterns are not checked: the generated code does not check them, the sampler
            // does not meet them, and many are not ECMA 262 regular expressions.
            if object.get("pattern").is_some_and(Value::is_string) {
                object.remove("pattern");
            }
            // `nullable` where it can be said without moving the schema (pointers into it
            // must stay valid): a type that also allows null, an enum that also holds it.
            if object.remove("nullable") == Some(json!(true)) {
                if let Some(Value::String(ty)) = object.get("type") {
                    let ty = ty.clone();
                    object.insert("type".into(), json!([ty, "null"]));
                }
                if let Some(Value::Array(values)) = object.get_mut("enum") {
                    values.push(Value::Null);
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn openapi_keywords_mean_what_they_say() {
        let doc = json!({"components": {"schemas": {
            "Pet": {"type": "object", "required": ["id", "name"], "properties": {
                "id": {"type": "integer", "readOnly": true},
                "name": {"type": "string", "nullable": true},
            }},
        }}});
        let schemas = Schemas::new(&doc).unwrap();
        let pet = schemas.validator("#/components/schemas/Pet").unwrap();
        assert!(pet.is_valid(&json!({"name": null})));
        assert!(pet.is_valid(&json!({"name": "Rex", "id": 1})));
        assert!(!pet.is_valid(&json!({"id": 1})));
        assert!(first_error(&pet, &json!({"name": 5})).is_some());
    }
}
