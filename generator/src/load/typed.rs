//! The typed parse: a document (as text, or as a JSON value after conversion) into
//! `openapiv3::OpenAPI`, with errors that name the JSON pointer of the node that failed and,
//! for text, the line and column where the parser knows them.

use crate::error::{escape_segment, Error};
use openapiv3::OpenAPI;
use serde_json::Value;
use serde_path_to_error::Segment;

/// Parses document text straight into the typed model (the fast path for OpenAPI 3.0). When
/// that fails and `lenient` is set, the `repair` module fixes what it can and the parse is
/// tried again. Returns the document and the repairs made.
pub fn parse_text(text: &str, lenient: bool) -> Result<(OpenAPI, Vec<(String, String)>), Error> {
    let is_json = super::text::is_json(text);
    let parsed = if is_json {
        let mut de = serde_json::Deserializer::from_str(text);
        serde_path_to_error::deserialize::<_, OpenAPI>(&mut de).map_err(|e| {
            let pointer = to_pointer(e.path());
            let inner = e.into_inner();
            Error::new(pointer, format!("{inner}"))
        })
    } else {
        let de = serde_yaml::Deserializer::from_str(text);
        serde_path_to_error::deserialize::<_, OpenAPI>(de).map_err(|e| {
            let pointer = to_pointer(e.path());
            Error::new(pointer, e.into_inner().to_string())
        })
    };
    match parsed {
        Ok(doc) => Ok((doc, Vec::new())),
        Err(err) => {
            let Ok((root, _)) = super::text::to_value(text) else {
                return Err(err);
            };
            if lenient {
                if let Some(done) = parse_repaired(root.clone()) {
                    return Ok(done);
                }
            }
            Err(refine(&root, &err).unwrap_or(err))
        }
    }
}

/// Parses a document held as a JSON value (after bundling, overlays or conversion), repairing
/// it first when the strict parse fails and `lenient` is set.
pub fn parse_value(root: Value, lenient: bool) -> Result<(OpenAPI, Vec<(String, String)>), Error> {
    match serde_path_to_error::deserialize::<_, OpenAPI>(&root) {
        Ok(doc) => Ok((doc, Vec::new())),
        Err(e) => {
            let err = Error::new(to_pointer(e.path()), e.into_inner().to_string());
            if lenient {
                if let Some(done) = parse_repaired(root.clone()) {
                    return Ok(done);
                }
            }
            Err(refine(&root, &err).unwrap_or(err))
        }
    }
}

/// The document after the `repair` module, if that makes it parse.
fn parse_repaired(mut value: Value) -> Option<(OpenAPI, Vec<(String, String)>)> {
    let repairs = crate::repair::repair(&mut value);
    serde_json::from_value(value).ok().map(|doc| (doc, repairs))
}

/// openapiv3 uses untagged enums (`ReferenceOr<T>`), behind which serde loses the path: an
/// error deep inside an operation is reported at `#/paths`. This descends from there, trying
/// each child as the type its position implies, to the deepest node that fails.
fn refine(root: &Value, err: &Error) -> Option<Error> {
    let mut pointer = err.pointer.clone();
    let mut message = None;
    for _ in 0..32 {
        let node = root.pointer(pointer.strip_prefix('#')?)?;
        let Some((deeper, why)) = failing_child(&pointer, node) else {
            break;
        };
        if deeper == pointer {
            message = Some(why);
            break;
        }
        pointer = deeper;
        message = Some(why);
    }
    let message = message?;
    (pointer != err.pointer || !err.message.contains(&message))
        .then(|| Error::new(pointer, message))
}

/// Deserialises `node` as the type its pointer implies; on failure, the pointer and message
/// of the failure inside it.
fn failing_child(pointer: &str, node: &serde_json::Value) -> Option<(String, String)> {
    let segments: Vec<&str> = pointer.split('/').skip(1).collect();
    let last = segments.last().copied().unwrap_or("");
    let parent = segments
        .len()
        .checked_sub(2)
        .and_then(|i| segments.get(i))
        .copied()
        .unwrap_or("");
    let schema_position = matches!(last, "schema" | "items" | "not" | "additionalProperties")
        || matches!(parent, "properties" | "allOf" | "oneOf" | "anyOf")
        || (segments.len() == 3 && segments[0] == "components" && segments[1] == "schemas");
    let at = |result: Result<(), (String, String)>| {
        result.err().map(|(p, m)| (format!("{pointer}{p}"), m))
    };
    if segments.is_empty() {
        return at(attempt::<OpenAPI>(node));
    }
    if segments == ["paths"] {
        let map = node.as_object()?;
        return map.iter().find_map(|(path, item)| {
            attempt::<openapiv3::PathItem>(item)
                .err()
                .map(|(p, m)| (format!("{pointer}/{}{p}", escape_segment(path)), m))
        });
    }
    if segments == ["components"] {
        return at(attempt::<openapiv3::Components>(node));
    }
    if segments.len() == 2 && segments[0] == "components" {
        let map = node.as_object()?;
        let kind = segments[1];
        return map.iter().find_map(|(name, item)| {
            let child = format!("{pointer}/{}", escape_segment(name));
            let value = item;
            let result = match kind {
                "schemas" => attempt::<openapiv3::Schema>(value),
                "parameters" => attempt::<openapiv3::Parameter>(value),
                "responses" => attempt::<openapiv3::Response>(value),
                "requestBodies" => attempt::<openapiv3::RequestBody>(value),
                "securitySchemes" => attempt::<openapiv3::SecurityScheme>(value),
                _ => Ok(()),
            };
            if is_reference(value) {
                return None;
            }
            result.err().map(|(p, m)| (format!("{child}{p}"), m))
        });
    }
    if is_reference(node) {
        return None;
    }
    if segments.len() == 2 && segments[0] == "paths" {
        return at(attempt::<openapiv3::PathItem>(node));
    }
    if parent == "parameters" {
        return at(attempt::<openapiv3::Parameter>(node));
    }
    if last == "requestBody" {
        return at(attempt::<openapiv3::RequestBody>(node));
    }
    if parent == "responses" {
        return at(attempt::<openapiv3::Response>(node));
    }
    if schema_position {
        return at(attempt::<openapiv3::Schema>(node));
    }
    None
}

fn is_reference(node: &serde_json::Value) -> bool {
    node.get("$ref").is_some()
}

/// Deserialises a value, returning the pointer suffix and message of a failure.
fn attempt<T: serde::de::DeserializeOwned>(
    node: &serde_json::Value,
) -> Result<(), (String, String)> {
    serde_path_to_error::deserialize::<_, T>(node)
        .map(|_| ())
        .map_err(|e| {
            let suffix = to_pointer(e.path()).trim_start_matches('#').to_owned();
            (suffix, e.into_inner().to_string())
        })
}

fn to_pointer(path: &serde_path_to_error::Path) -> String {
    let mut out = String::from("#");
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => {
                out.push('/');
                out.push_str(&index.to_string());
            }
            Segment::Map { key } => {
                out.push('/');
                out.push_str(&escape_segment(key));
            }
            Segment::Enum { .. } | Segment::Unknown => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_errors_name_pointer_and_line() {
        let err = parse_text(
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: 5\n",
            false,
        )
        .unwrap_err();
        assert_eq!(err.pointer, "#/paths");
        assert!(err.message.contains("line 3"), "{err}");
    }

    #[test]
    fn errors_inside_operations_are_located() {
        let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      operationId: [x]\n      responses: {}\n";
        let err = parse_text(text, false).unwrap_err();
        assert_eq!(err.pointer, "#/paths/~1a/get/operationId", "{err}");
        let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A:\n      type: object\n      properties:\n        b: {type: object, required: 5}\n";
        let err = parse_text(text, false).unwrap_err();
        assert!(err.pointer.starts_with("#/components/schemas/A"), "{err}");
    }

    #[test]
    fn repairable_documents_load() {
        let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A: {type: string, pattern: 0}\n";
        assert!(
            parse_text(text, false).is_err(),
            "the strict parse refuses it"
        );
        let (doc, repairs) = parse_text(text, true).unwrap();
        assert!(doc.components.unwrap().schemas.contains_key("A"));
        assert_eq!(
            repairs,
            [(
                "#/components/schemas/A".to_owned(),
                "`pattern` 0 -> \"0\"".to_owned()
            )]
        );
    }

    #[test]
    fn invalid_yaml_is_reported_with_its_location() {
        let err = parse_text("openapi: 3.0.3\ninfo: [\n", false).unwrap_err();
        assert!(err.message.contains("line"), "{err}");
    }
}
