//! `$id` and `$anchor` (JSON Schema 2020-12, so OpenAPI 3.1 and 3.2): a schema may be named by
//! a URI of its own or an anchor, and referenced by it. Such references are rewritten into JSON
//! pointers within the file, before other files are followed, so that a reference by id is
//! never taken for a file to read.

use super::walk::{self, Kind};
use crate::error::Error;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};

/// Rewrites references that name a schema by its `$id` or `$anchor` into JSON pointers, within
/// one file. References that match neither are left alone (local pointers, other files).
pub fn resolve_schema_ids(doc: &mut Value) -> Result<(), Error> {
    // Every schema with an `$id` or `$anchor`, by pointer.
    let mut ids: BTreeMap<String, String> = BTreeMap::new();
    let mut anchors: Vec<(String, String)> = Vec::new();
    walk::visit(doc, Kind::Document, "#", &mut |node, kind, at| {
        if kind == Kind::Schema {
            if let Some(id) = node.get("$id").and_then(Value::as_str) {
                ids.insert(at.to_owned(), id.to_owned());
            }
            if let Some(anchor) = node.get("$anchor").and_then(Value::as_str) {
                anchors.push((at.to_owned(), anchor.to_owned()));
            }
        }
        Ok(())
    })?;
    if ids.is_empty() && anchors.is_empty() {
        return Ok(());
    }
    // The base URI of a schema: its `$id` resolved against its nearest ancestor's base.
    let mut bases: BTreeMap<String, String> = BTreeMap::new();
    for (at, id) in &ids {
        let parent = base_of(&bases, at, false);
        bases.insert(at.clone(), join_uri(&parent, id));
    }
    let by_uri: HashMap<String, String> = bases
        .iter()
        .map(|(at, uri)| (strip_fragment(uri).to_owned(), at.clone()))
        .collect();
    let by_anchor: HashMap<(String, String), String> = anchors
        .iter()
        .map(|(at, name)| {
            (
                (
                    strip_fragment(&base_of(&bases, at, true)).to_owned(),
                    name.clone(),
                ),
                at.clone(),
            )
        })
        .collect();
    walk::each_ref_mut(doc, &mut String::from("#"), &mut |reference, holder| {
        if reference.starts_with("#/") {
            return;
        }
        let base = base_of(&bases, holder, true);
        let absolute = join_uri(&base, reference);
        let (uri, fragment) = match absolute.split_once('#') {
            Some((u, f)) => (u.to_owned(), f.to_owned()),
            None => (absolute.clone(), String::new()),
        };
        let target = if fragment.is_empty() || fragment.starts_with('/') {
            by_uri.get(&uri).map(|at| format!("{at}{fragment}"))
        } else {
            by_anchor.get(&(uri, fragment)).cloned()
        };
        if let Some(target) = target {
            *reference = target;
        }
    });
    Ok(())
}

/// The base URI in force at `at`: the nearest schema at or above it with an `$id`.
fn base_of(bases: &BTreeMap<String, String>, at: &str, inclusive: bool) -> String {
    let mut best: Option<(&String, &String)> = None;
    for (pointer, uri) in bases {
        let above = at.starts_with(pointer.as_str())
            && (at.len() == pointer.len() && inclusive || at[pointer.len()..].starts_with('/'));
        if above && best.is_none_or(|(p, _)| pointer.len() > p.len()) {
            best = Some((pointer, uri));
        }
    }
    best.map(|(_, uri)| uri.clone()).unwrap_or_default()
}

fn strip_fragment(uri: &str) -> &str {
    uri.split('#').next().unwrap_or(uri)
}

/// Resolves a URI reference against a base (RFC 3986, for the forms documents use).
fn join_uri(base: &str, reference: &str) -> String {
    let has_scheme = |s: &str| {
        s.split_once(':').is_some_and(|(scheme, _)| {
            !scheme.is_empty()
                && scheme
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        })
    };
    if has_scheme(reference) || base.is_empty() {
        return reference.to_owned();
    }
    let base = strip_fragment(base);
    if reference.starts_with('#') {
        return format!("{base}{reference}");
    }
    if let Some(rest) = reference.strip_prefix('/') {
        // Keep the scheme and authority of the base.
        let authority_end = base
            .find("://")
            .map(|i| base[i + 3..].find('/').map_or(base.len(), |j| i + 3 + j))
            .unwrap_or(0);
        return format!("{}/{rest}", &base[..authority_end]);
    }
    let dir = match base.rfind('/') {
        Some(i) => &base[..=i],
        None => "",
    };
    normalize_dots(&format!("{dir}{reference}"))
}

/// Removes `.` and `..` segments from a path.
pub fn normalize_dots(path: &str) -> String {
    let (prefix, rest) = match path.find("://") {
        Some(i) => {
            let start = path[i + 3..].find('/').map_or(path.len(), |j| i + 3 + j);
            (&path[..start], &path[start..])
        }
        None => ("", path),
    };
    let absolute = rest.starts_with('/');
    let mut out: Vec<&str> = Vec::new();
    for segment in rest.split('/') {
        match segment {
            "." => {}
            ".." => {
                if out.last().is_some_and(|s| *s != "..") {
                    out.pop();
                } else if !absolute {
                    out.push("..");
                }
            }
            "" => {}
            s => out.push(s),
        }
    }
    let joined = out.join("/");
    format!("{prefix}{}{joined}", if absolute { "/" } else { "" })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_join() {
        assert_eq!(join_uri("https://x.com/a/b", "c"), "https://x.com/a/c");
        assert_eq!(join_uri("https://x.com/a/b", "/c"), "https://x.com/c");
        assert_eq!(join_uri("https://x.com/a/b", "../c"), "https://x.com/c");
        assert_eq!(join_uri("", "c"), "c");
        assert_eq!(normalize_dots("a/./b/../c"), "a/c");
        assert_eq!(normalize_dots("../a"), "../a");
    }
}
