//! Loading: document text (YAML or JSON) into `openapiv3::OpenAPI`.
//!
//! No file I/O: the caller reads the file and passes its text. Errors name the JSON pointer
//! of the node that failed and, where the parser knows it, the line and column.

use crate::error::{escape_segment, Error};
use openapiv3::OpenAPI;
use serde_path_to_error::Segment;

/// Parses an OpenAPI 3.0.x document from YAML or JSON text.
pub fn parse_document(text: &str) -> Result<OpenAPI, Error> {
    let is_json = text.trim_start().starts_with('{');
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
        Ok(doc) => check_version(&doc.openapi).map(|()| doc),
        Err(err) => Err(explain_version(text).unwrap_or(err)),
    }
}

fn check_version(version: &str) -> Result<(), Error> {
    if version.starts_with("3.0") {
        Ok(())
    } else {
        Err(Error::new(
            "#/openapi",
            format!("OpenAPI {version} is not supported; this generator reads OpenAPI 3.0.x"),
        ))
    }
}

/// When parsing fails, a document of another version (Swagger 2.0, OpenAPI 3.1) is the
/// likeliest cause; say so rather than report the first field that did not fit.
fn explain_version(text: &str) -> Option<Error> {
    let head: String = text.chars().take(4096).collect();
    for line in head.lines() {
        let line = line.trim().trim_start_matches('{').trim();
        let unquoted = line.replace(['"', '\''], "");
        if let Some(rest) = unquoted.strip_prefix("swagger:") {
            let version = rest.trim().trim_end_matches(',').trim();
            return Some(Error::new(
                "#/swagger",
                format!("Swagger {version} is not supported; this generator reads OpenAPI 3.0.x"),
            ));
        }
        if let Some(rest) = unquoted.strip_prefix("openapi:") {
            let version = rest.trim().trim_end_matches(',').trim();
            if !version.starts_with("3.0") {
                return check_version(version).err();
            }
        }
    }
    None
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
        let err = parse_document("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: 5\n")
            .unwrap_err();
        assert_eq!(err.pointer, "#/paths");
        assert!(err.message.contains("line 3"), "{err}");
    }

    #[test]
    fn invalid_yaml_is_reported_with_its_location() {
        let err = parse_document("openapi: 3.0.3\ninfo: [\n").unwrap_err();
        assert!(err.message.contains("line"), "{err}");
    }

    #[test]
    fn other_versions_are_named() {
        let err = parse_document("swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\n")
            .unwrap_err();
        assert_eq!(
            err.message,
            "Swagger 2.0 is not supported; this generator reads OpenAPI 3.0.x"
        );
        let err = parse_document("{\"openapi\": \"3.1.0\", \"info\": {\"title\": \"t\", \"version\": \"1\"}, \"paths\": {}}")
            .unwrap_err();
        assert!(
            err.message.starts_with("OpenAPI 3.1.0 is not supported"),
            "{err}"
        );
    }

    #[test]
    fn json_and_yaml_both_load() {
        let doc = parse_document("{\"openapi\": \"3.0.0\", \"info\": {\"title\": \"t\", \"version\": \"1\"}, \"paths\": {}}")
            .unwrap();
        assert_eq!(doc.info.title, "t");
        let doc =
            parse_document("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n").unwrap();
        assert_eq!(doc.openapi, "3.0.3");
    }
}
