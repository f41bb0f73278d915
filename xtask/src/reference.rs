//! Reading PostHog's API reference pages (`spec/reference/*.txt`): the operations they list,
//! with parameters, request fields, statuses and example responses, so tests can hold the
//! spec and the client to them.
//!
//! The two pages are formatted differently (the older one puts each parameter's type on its
//! own line; the newer one glues the type to the name and drops spaces), so the parser is
//! deliberately loose about layout and strict about what it extracts.

use serde_json::Value;

/// One operation as a page states it.
#[derive(Debug, Clone, PartialEq)]
pub struct PageOperation {
    /// `GET`, `POST`, ...
    pub method: String,
    /// The path in OpenAPI form: `/api/projects/{project_id}/subscriptions/`.
    pub path: String,
    /// The title line (`List all subscriptions`).
    pub title: String,
    /// API-key scopes the page lists.
    pub scopes: Vec<String>,
    /// Path parameter names.
    pub path_params: Vec<String>,
    /// Query parameter names.
    pub query_params: Vec<String>,
    /// Request body field names.
    pub request_fields: Vec<String>,
    /// The example response status, if the page shows one.
    pub status: Option<u16>,
    /// The example response body, if the page shows one.
    pub example: Option<Value>,
}

#[derive(Clone, Copy, PartialEq)]
enum Section {
    None,
    Path,
    Query,
    Request,
}

const METHODS: &[&str] = &["GET", "POST", "PATCH", "PUT", "DELETE"];
const TYPES: &[&str] = &["string", "integer", "boolean", "array", "object", "number"];

/// Parses a page.
pub fn parse_page(text: &str) -> Vec<PageOperation> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    let mut section = Section::None;
    let mut scopes = Vec::new();
    let mut params: [Vec<String>; 3] = Default::default();
    let mut title = String::new();
    let mut expect_scope = false;
    let mut last_text_line = String::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i].trim();
        i += 1;
        if line.is_empty() {
            continue;
        }
        if let Some((method, path)) = request_line(line) {
            let (status, example, next) = response_after(&lines, i);
            out.push(PageOperation {
                method,
                path,
                title: std::mem::take(&mut title),
                scopes: std::mem::take(&mut scopes),
                path_params: std::mem::take(&mut params[0]),
                query_params: std::mem::take(&mut params[1]),
                request_fields: std::mem::take(&mut params[2]),
                status,
                example,
            });
            section = Section::None;
            i = next;
            continue;
        }
        if line.contains("Required API key scopes") {
            expect_scope = true;
            if title.is_empty() {
                title = last_text_line.clone();
            }
            continue;
        }
        if expect_scope {
            scopes.extend(scopes_in(line));
            expect_scope = false;
        }
        if line.ends_with("Path parameters") {
            section = Section::Path;
            if title.is_empty() {
                title = last_text_line.clone();
            }
            continue;
        }
        if line.ends_with("Query parameters") {
            section = Section::Query;
            continue;
        }
        if line.ends_with("Request parameters") {
            section = Section::Request;
            continue;
        }
        if line == "Response" || line == "Example request" {
            section = Section::None;
            continue;
        }
        if section != Section::None {
            for name in bullets(line) {
                let slot = match section {
                    Section::Path => 0,
                    Section::Query => 1,
                    _ => 2,
                };
                params[slot].push(name);
            }
        }
        if section == Section::None && !expect_scope && is_title_candidate(line) {
            last_text_line = line.to_owned();
        }
    }
    out
}

fn is_title_candidate(line: &str) -> bool {
    let first = line.chars().next().unwrap_or(' ');
    first.is_ascii_uppercase()
        && !line.starts_with("Status")
        && !line.starts_with("Example")
        && !line.contains("POSTHOG")
}

/// `PATCH /api/projects/:project_id/property_definitions/:id` (or the newer page's
/// `POST /api /projects /:project_id ...Example response`).
fn request_line(line: &str) -> Option<(String, String)> {
    let (method, rest) = line.split_once(' ')?;
    if !METHODS.contains(&method) {
        return None;
    }
    let rest = rest.trim_end_matches("Example response").replace(" /", "/");
    if !rest.starts_with("/api") || rest.contains(' ') {
        return None;
    }
    let mut path: String = rest
        .split('/')
        .map(|segment| match segment.strip_prefix(':') {
            Some(name) => format!("{{{name}}}"),
            None => segment.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("/");
    if !path.ends_with('/') {
        path.push('/');
    }
    Some((method.to_owned(), path))
}

/// The `Status NNN` line after a request, and the JSON after `RESPONSE` if there is one.
/// Returns the index to continue from.
fn response_after(lines: &[&str], from: usize) -> (Option<u16>, Option<Value>, usize) {
    let mut i = from;
    while i < lines.len() {
        let line = lines[i].trim();
        if request_line(line).is_some() || line.contains("Required API key scopes") {
            return (None, None, i);
        }
        if let Some(rest) = line.strip_prefix("Status ") {
            let status = rest.split_whitespace().next().and_then(|s| s.parse().ok());
            let mut j = i + 1;
            while j < lines.len() && lines[j].trim().is_empty() {
                j += 1;
            }
            if j < lines.len() && lines[j].trim() == "RESPONSE" {
                let body = lines[j + 1..].join("\n");
                let mut stream = serde_json::Deserializer::from_str(&body).into_iter::<Value>();
                if let Some(Ok(value)) = stream.next() {
                    let consumed = &body[..stream.byte_offset()];
                    let used_lines = consumed.lines().count();
                    return (status, Some(value), j + 1 + used_lines);
                }
            }
            return (status, None, i + 1);
        }
        i += 1;
    }
    (None, None, i)
}

fn scopes_in(line: &str) -> Vec<String> {
    line.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == ':'))
        .filter_map(|word| {
            let word = word
                .trim_end_matches("Path")
                .trim_end_matches("Query")
                .trim_end_matches("Request");
            let (resource, access) = word.split_once(':')?;
            let access = ["read", "write"].iter().find(|a| access.starts_with(**a))?;
            Some(format!("{resource}:{access}"))
        })
        .collect()
}

/// Parameter names on a line: `• name` (older page) or `- nametype` (newer page, where a
/// line may also hold the end of an enum list and the next parameter).
fn bullets(line: &str) -> Vec<String> {
    if let Some(name) = line.strip_prefix('•') {
        return vec![name.trim().to_owned()];
    }
    let mut out = Vec::new();
    let pieces: Vec<&str> = if line.starts_with("- ") {
        line.split(" - ").collect()
    } else if line.starts_with('"') && line.contains(" - ") {
        line.split(" - ").skip(1).collect()
    } else {
        return out;
    };
    for piece in pieces {
        let mut name = piece
            .trim_start_matches("- ")
            .trim()
            .trim_end_matches("One of:")
            .to_owned();
        if let Some(stripped) = name.strip_suffix("null") {
            name = stripped.to_owned();
        }
        for ty in TYPES {
            if let Some(stripped) = name.strip_suffix(ty) {
                if !stripped.is_empty() {
                    name = stripped.to_owned();
                    break;
                }
            }
        }
        if !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            out.push(name);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn newer_page_bullets_lose_their_glued_types() {
        assert_eq!(bullets("- created_bystring"), ["created_by"]);
        assert_eq!(bullets("- countintegernull"), ["count"]);
        assert_eq!(bullets("- settings"), ["settings"]);
        assert_eq!(bullets("- resource_typestringOne of:"), ["resource_type"]);
        assert_eq!(
            bullets("\"dashboard\"\"insight\" - searchstring"),
            ["search"]
        );
        assert_eq!(bullets("• project_id"), ["project_id"]);
    }

    #[test]
    fn request_lines_of_both_pages() {
        assert_eq!(
            request_line("PATCH /api/projects/:project_id/property_definitions/:id"),
            Some((
                "PATCH".into(),
                "/api/projects/{project_id}/property_definitions/{id}/".into()
            ))
        );
        assert_eq!(
            request_line("POST /api /projects /:project_id /subscriptions /:id /test-deliveryExample response"),
            Some(("POST".into(), "/api/projects/{project_id}/subscriptions/{id}/test-delivery/".into()))
        );
        assert_eq!(request_line("POST a new password"), None);
    }

    #[test]
    fn scopes() {
        assert_eq!(
            scopes_in("sharing_configuration:writePath parameters"),
            ["sharing_configuration:write"]
        );
        assert_eq!(
            scopes_in("subscription:readQuery parameters"),
            ["subscription:read"]
        );
        assert_eq!(scopes_in("user:read"), ["user:read"]);
    }
}
