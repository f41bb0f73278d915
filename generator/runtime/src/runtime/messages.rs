//! What an error body says, in words: the readings behind
//! [`ApiError::message`](super::ApiError::message) and
//! [`ApiError::field_errors`](super::ApiError::field_errors).
//!
//! Servers spell errors in a handful of ways; each is read here by what it means:
//! `{"detail": ...}` (Django REST framework, FastAPI), `{"message": ..., "error": "Code"}`
//! (Express and most Node servers), `{"error": "code", "error_description": ...}` (OAuth),
//! `{"title": ..., "detail": ...}` (RFC 9457), `{"error": {"message": ...}}` (Google, OpenAI),
//! `{"errors": [...]}`, field errors (`{"name": ["..."]}`, `detail: [{loc, msg}]`), and HTML
//! pages (their title, never their markup).

use serde_json::{Map, Value};
use std::fmt;

/// One field's error in a validation failure (see [`ApiError::field_errors`](super::ApiError::field_errors)).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The field, with nested fields joined by `.` (`address.city`, `items.2.name`); empty
    /// for errors about the request as a whole (`non_field_errors`).
    pub field: String,
    /// What is wrong with it.
    pub message: String,
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.field.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.field, self.message)
        }
    }
}

/// Keys that hold a human message, most specific first.
const MESSAGE_KEYS: &[&str] = &[
    "message",
    "error_description",
    "error_message",
    "errorMessage",
    "exception_message",
    "msg",
    "description",
    "reason",
];

/// The human message of a JSON error body, if it has one.
pub(crate) fn from_json(body: &Value) -> Option<String> {
    match body {
        Value::String(text) => non_empty(text),
        Value::Array(items) => join(items.iter().filter_map(from_json)),
        Value::Object(map) => from_object(map),
        _ => None,
    }
}

fn from_object(map: &Map<String, Value>) -> Option<String> {
    let text = |key: &str| map.get(key).and_then(Value::as_str).and_then(non_empty);
    // A short code beside the message (`NotFoundError`, `invalid_grant`) says which error.
    let code = text("error").filter(|e| !e.contains(char::is_whitespace));
    let with_code = |message: String| match &code {
        Some(code) if !message.starts_with(code.as_str()) => format!("{code}: {message}"),
        _ => message,
    };
    if let Some(detail) = text("detail") {
        return Some(match (text("attr"), text("title")) {
            (Some(attr), _) => format!("{attr}: {detail}"),
            (None, Some(title)) if title != detail => format!("{title}: {detail}"),
            _ => with_code(detail),
        });
    }
    // `{"errors": ["..."]}`: messages about the request as a whole.
    if let Some(Value::Array(errors)) = map.get("errors") {
        if !errors.is_empty() && errors.iter().all(Value::is_string) {
            return from_json(&Value::Array(errors.clone()));
        }
    }
    let fields = field_errors(&Value::Object(map.clone()));
    if let Some(message) = MESSAGE_KEYS.iter().find_map(|key| text(key)) {
        // A general message with the fields it is about: "Invalid input: name: required".
        let message = with_code(message);
        return Some(match join(fields.iter().map(ToString::to_string)) {
            Some(fields) if !message.contains(&fields) => format!("{message} ({fields})"),
            _ => message,
        });
    }
    if let Some(fields) = join(fields.iter().map(ToString::to_string)) {
        return Some(fields);
    }
    if let Some(title) = text("title") {
        return Some(title);
    }
    if let Some(Value::Object(inner)) = map.get("error") {
        if let Some(message) = from_object(inner) {
            return Some(message);
        }
    }
    if let Some(errors) = map.get("errors").and_then(from_json) {
        return Some(errors);
    }
    text("error")
}

/// The errors of a validation failure, field by field (see
/// [`ApiError::field_errors`](super::ApiError::field_errors)).
pub(crate) fn field_errors(body: &Value) -> Vec<FieldError> {
    let mut out = Vec::new();
    let Value::Object(map) = body else {
        return out;
    };
    let text = |key: &str| map.get(key).and_then(Value::as_str).and_then(non_empty);
    // PostHog: `{"type": "validation_error", "attr": "name", "detail": "..."}`.
    if let (Some(attr), Some(detail)) = (text("attr"), text("detail")) {
        out.push(FieldError {
            field: attr.replace("__", "."),
            message: detail,
        });
        return out;
    }
    // FastAPI / Pydantic (`detail`, Prefect's `exception_detail`), and lists of
    // `{field|name|path|param|loc, message|msg|description|detail}` (`errors`, Kinto's
    // `details`).
    for key in ["detail", "exception_detail", "errors", "details"] {
        if let Some(Value::Array(items)) = map.get(key) {
            out.extend(items.iter().filter_map(listed_field_error));
        }
    }
    if !out.is_empty() {
        return out;
    }
    // Django REST framework: `{"name": ["This field is required."], "address": {"city": [...]}}`.
    if is_field_map(map) {
        drf_errors("", &Value::Object(map.clone()), &mut out);
    }
    out
}

/// `{"loc": ["body", "name"], "msg": "..."}` and its relatives.
fn listed_field_error(item: &Value) -> Option<FieldError> {
    let map = item.as_object()?;
    let message = ["message", "msg", "description", "detail"]
        .iter()
        .find_map(|k| map.get(*k).and_then(Value::as_str))?
        .to_owned();
    let field = if let Some(Value::Array(loc)) = map.get("loc") {
        let parts: Vec<String> = loc
            .iter()
            .map(|p| match p {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            })
            .collect();
        // FastAPI puts where the field was first: `body`, `query`, `path`.
        let skip = usize::from(
            matches!(
                parts.first().map(String::as_str),
                Some("body" | "query" | "path" | "header" | "cookie")
            ) && parts.len() > 1,
        );
        parts[skip..].join(".")
    } else {
        ["field", "name", "path", "param", "pointer", "property"]
            .iter()
            .find_map(|k| map.get(*k).and_then(Value::as_str))
            .unwrap_or_default()
            .to_owned()
    };
    Some(FieldError { field, message })
}

/// Whether an object is Django REST framework's field errors: every value a list of strings
/// or an object of the same kind.
fn is_field_map(map: &Map<String, Value>) -> bool {
    !map.is_empty()
        && map.values().all(|value| match value {
            Value::Array(items) => {
                !items.is_empty() && items.iter().all(|i| i.is_string() || i.is_object())
            }
            Value::Object(inner) => is_field_map(inner),
            _ => false,
        })
}

fn drf_errors(prefix: &str, value: &Value, out: &mut Vec<FieldError>) {
    match value {
        Value::Object(map) => {
            for (key, inner) in map {
                let field = match (prefix, key.as_str()) {
                    (_, "non_field_errors" | "__all__") => prefix.to_owned(),
                    ("", key) => key.to_owned(),
                    (prefix, key) => format!("{prefix}.{key}"),
                };
                drf_errors(&field, inner, out);
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                match item {
                    Value::String(message) => out.push(FieldError {
                        field: prefix.to_owned(),
                        message: message.clone(),
                    }),
                    // A list of nested serializers' errors, one object per item.
                    Value::Object(_) => drf_errors(&format!("{prefix}.{i}"), item, out),
                    _ => {}
                }
            }
        }
        _ => {}
    }
}

/// What a body that is not JSON says: an HTML page's title (or first heading), never its
/// markup; other text as it is.
pub(crate) fn from_text(body: &str) -> Option<String> {
    let trimmed = body.trim();
    let lower = trimmed.to_ascii_lowercase();
    let is_html = lower.starts_with('<')
        && ["<html", "<!doctype html", "<head", "<body", "<title", "<h1"]
            .iter()
            .any(|tag| lower.contains(tag));
    if !is_html {
        return non_empty(trimmed);
    }
    // Its title, else its first heading, else its text when that is short.
    let title = element_text(trimmed, &lower, "title")
        .or_else(|| element_text(trimmed, &lower, "h1"))
        .or_else(|| {
            let text = decode_entities(&strip_tags(trimmed));
            let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
            (text.chars().count() <= 120)
                .then_some(text)
                .and_then(|t| non_empty(&t))
        });
    Some(match title {
        Some(title) => format!("{title} (an HTML page)"),
        None => "an HTML page".to_owned(),
    })
}

/// The text of the first `<tag>` element, entities decoded and spaces collapsed.
fn element_text(html: &str, lower: &str, tag: &str) -> Option<String> {
    let open = lower.find(&format!("<{tag}"))?;
    let start = open + lower[open..].find('>')? + 1;
    let end = start + lower[start..].find(&format!("</{tag}"))?;
    let inner = strip_tags(&html[start..end]);
    let text = decode_entities(&inner);
    non_empty(&text.split_whitespace().collect::<Vec<_>>().join(" "))
}

fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// The entities an error page's title uses.
fn decode_entities(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&")
}

fn non_empty(text: &str) -> Option<String> {
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_owned())
}

fn join(parts: impl Iterator<Item = String>) -> Option<String> {
    let parts: Vec<String> = parts.collect();
    (!parts.is_empty()).then(|| parts.join("; "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn said(body: Value) -> String {
        from_json(&body).unwrap_or_default()
    }

    #[test]
    fn json_messages() {
        // ChromaDB: a class name and a message.
        assert_eq!(
            said(json!({"error": "NotFoundError", "message": "Collection [x] does not exist"})),
            "NotFoundError: Collection [x] does not exist"
        );
        // PostHog and Django REST framework.
        assert_eq!(
            said(
                json!({"type": "validation_error", "code": "required", "detail": "This field is required.", "attr": "name"})
            ),
            "name: This field is required."
        );
        assert_eq!(said(json!({"detail": "Not found."})), "Not found.");
        // OAuth.
        assert_eq!(
            said(json!({"error": "invalid_grant", "error_description": "The code has expired."})),
            "invalid_grant: The code has expired."
        );
        // RFC 9457.
        assert_eq!(
            said(
                json!({"type": "about:blank", "title": "Conflict", "detail": "The name is taken."})
            ),
            "Conflict: The name is taken."
        );
        // Google, OpenAI.
        assert_eq!(
            said(
                json!({"error": {"code": 404, "message": "Requested entity was not found.", "status": "NOT_FOUND"}})
            ),
            "Requested entity was not found."
        );
        // Kinto: a message with the fields it is about.
        assert_eq!(
            said(json!({"code": 400, "errno": 107, "error": "Invalid parameters",
                "message": "data.title in body: 42 is not of type 'string'",
                "details": [{"location": "body", "name": "data.title", "description": "42 is not of type 'string'"}]})),
            "data.title in body: 42 is not of type 'string' (data.title: 42 is not of type 'string')"
        );
        assert_eq!(said(json!({"errors": ["one", "two"]})), "one; two");
        assert_eq!(
            said(json!({"error": "Password required"})),
            "Password required"
        );
    }

    #[test]
    fn field_errors_of_every_shape() {
        let drf = json!({"name": ["This field is required."], "address": {"city": ["Too long."]},
            "non_field_errors": ["Pick one."], "tags": [{}, {"label": ["Blank."]}]});
        // In the body's order (or the keys' order, when serde_json does not keep it).
        let mut fields: Vec<String> = field_errors(&drf).iter().map(ToString::to_string).collect();
        fields.sort();
        assert_eq!(
            fields,
            [
                "Pick one.",
                "address.city: Too long.",
                "name: This field is required.",
                "tags.1.label: Blank."
            ]
        );
        assert_eq!(
            said(json!({"name": ["This field is required."]})),
            "name: This field is required."
        );
        let fastapi = json!({"detail": [{"loc": ["body", "name"], "msg": "field required", "type": "missing"}]});
        assert_eq!(said(fastapi), "name: field required");
        let prefect = json!({"exception_message": "Invalid request received.",
            "exception_detail": [{"loc": ["body", "flow_id"], "msg": "Input should be a valid UUID", "type": "uuid_parsing"}]});
        assert_eq!(
            said(prefect),
            "Invalid request received. (flow_id: Input should be a valid UUID)"
        );
        assert!(field_errors(&json!({"detail": "Not found."})).is_empty());
    }

    #[test]
    fn html_pages_are_summarised() {
        let django = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n  <title>Page not found at /api/things/9/</title>\n</head><body><h1>Page not found <span>(404)</span></h1>...</body></html>";
        assert_eq!(
            from_text(django).unwrap(),
            "Page not found at /api/things/9/ (an HTML page)"
        );
        assert_eq!(
            from_text(
                "<h1>Not Found</h1><p>The requested resource was not found on this server.</p>"
            )
            .unwrap(),
            "Not Found (an HTML page)"
        );
        assert_eq!(
            from_text("<html><body>&lt;oops&gt;</body></html>").unwrap(),
            "<oops> (an HTML page)"
        );
        let long = format!("<html><body>{}</body></html>", "words ".repeat(40));
        assert_eq!(from_text(&long).unwrap(), "an HTML page");
        assert_eq!(from_text("  plain words \n").unwrap(), "plain words");
    }
}
