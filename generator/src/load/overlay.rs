//! OpenAPI Overlays (version 1.0): a maintainer's fixes to a vendor's document, kept beside it
//! instead of in a fork.
//!
//! Each action selects nodes with a JSONPath expression (RFC 9535, evaluated by
//! `serde_json_path`), then merges `update` into them or `remove`s them. Actions run in order;
//! one that selects nothing is reported, since it usually means the document changed under it.

use super::text;
use super::Notes;
use crate::error::Error;
use serde_json::Value;
use serde_json_path::JsonPath;

/// Applies one overlay document (`name` for messages) to `doc`.
pub fn apply(
    doc: &mut Value,
    name: &str,
    overlay_text: &str,
    notes: &mut Notes,
) -> Result<(), Error> {
    let (overlay, _) = text::to_value(overlay_text).map_err(|e| e.in_file(name))?;
    let version = overlay.get("overlay").and_then(Value::as_str).unwrap_or("");
    if !version.starts_with("1.") {
        let why = if version.is_empty() {
            "not an overlay: it has no `overlay` version field".to_owned()
        } else {
            format!(
                "Overlay {} is not supported; this generator applies Overlay 1.x",
                text::excerpt(version)
            )
        };
        return Err(Error::new("#/overlay", why).in_file(name));
    }
    let Some(actions) = overlay.get("actions").and_then(Value::as_array) else {
        return Err(Error::new("#/actions", "an overlay needs a list of `actions`").in_file(name));
    };
    for (i, action) in actions.iter().enumerate() {
        let at = format!("#/actions/{i}");
        let Some(target) = action.get("target").and_then(Value::as_str) else {
            return Err(Error::new(
                format!("{at}/target"),
                "an action needs a `target` JSONPath expression",
            )
            .in_file(name));
        };
        let path = JsonPath::parse(target).map_err(|e| {
            Error::new(
                format!("{at}/target"),
                format!(
                    "`{}` is not a JSONPath expression (RFC 9535): {e}",
                    text::excerpt(target)
                ),
            )
            .in_file(name)
        })?;
        let mut pointers: Vec<String> = path
            .query_located(doc)
            .locations()
            .map(|p| p.to_json_pointer())
            .collect();
        if pointers.is_empty() {
            notes.approximate(
                "#",
                format!("overlay {name}{at}: target `{}` matches nothing in the document; the action did nothing", text::excerpt(target)),
            );
            continue;
        }
        let remove = action
            .get("remove")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        if remove {
            // Later array items first, so earlier indices stay valid.
            pointers.sort_by(|a, b| b.cmp(a));
            pointers.sort_by_key(|p| std::cmp::Reverse(last_index(p)));
            for pointer in pointers {
                remove_at(doc, &pointer);
            }
        } else if let Some(update) = action.get("update") {
            for pointer in pointers {
                if let Some(node) = doc.pointer_mut(&pointer) {
                    merge(node, update);
                }
            }
        }
    }
    Ok(())
}

/// The array index a pointer ends in, if it does (for removing from the end first).
fn last_index(pointer: &str) -> Option<usize> {
    pointer.rsplit('/').next()?.parse().ok()
}

fn remove_at(doc: &mut Value, pointer: &str) {
    let Some((parent, last)) = pointer.rsplit_once('/') else {
        return;
    };
    let key = last.replace("~1", "/").replace("~0", "~");
    match doc.pointer_mut(parent) {
        Some(Value::Object(map)) => {
            map.shift_remove(&key);
        }
        Some(Value::Array(list)) => {
            if let Ok(i) = key.parse::<usize>() {
                if i < list.len() {
                    list.remove(i);
                }
            }
        }
        _ => {}
    }
}

/// Overlay merge: objects merge key by key (recursively), lists are extended, anything else is
/// replaced.
fn merge(target: &mut Value, update: &Value) {
    match (target, update) {
        (Value::Object(target), Value::Object(update)) => {
            for (k, v) in update {
                match target.get_mut(k) {
                    Some(existing) => merge(existing, v),
                    None => {
                        target.insert(k.clone(), v.clone());
                    }
                }
            }
        }
        (Value::Array(target), Value::Array(update)) => target.extend(update.iter().cloned()),
        (Value::Array(target), update) => target.push(update.clone()),
        (target, update) => *target = update.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn actions_update_remove_and_report_misses() {
        let mut doc = json!({
            "info": {"title": "t"},
            "tags": [{"name": "a"}],
            "paths": {"/a": {"get": {"summary": "x"}}, "/internal": {"get": {}}}
        });
        let overlay = "overlay: 1.0.0\ninfo: {title: fix, version: '1'}\nactions:\n  - target: $.info\n    update: {description: fixed}\n  - target: $.tags\n    update: {name: b}\n  - target: \"$.paths['/internal']\"\n    remove: true\n  - target: $.paths.*.get\n    update: {x-checked: true}\n  - target: $.nothing\n    update: {a: 1}\n";
        let mut notes = Notes::default();
        apply(&mut doc, "fix.yaml", overlay, &mut notes).unwrap();
        assert_eq!(doc["info"], json!({"title": "t", "description": "fixed"}));
        assert_eq!(doc["tags"], json!([{"name": "a"}, {"name": "b"}]));
        assert!(doc["paths"].get("/internal").is_none());
        assert_eq!(doc["paths"]["/a"]["get"]["x-checked"], true);
        assert_eq!(notes.list.len(), 1);
        assert!(
            notes.list[0]
                .message
                .contains("fix.yaml#/actions/4: target `$.nothing` matches nothing"),
            "{:?}",
            notes.list
        );
    }

    #[test]
    fn bad_overlays_name_the_file_and_pointer() {
        let mut doc = json!({});
        let mut notes = Notes::default();
        let err = apply(
            &mut doc,
            "o.yaml",
            "overlay: 1.0.0\nactions:\n  - target: '$[?'\n",
            &mut notes,
        )
        .unwrap_err();
        assert_eq!(err.file.as_deref(), Some("o.yaml"));
        assert_eq!(err.pointer, "#/actions/0/target");
        let err = apply(&mut doc, "o.yaml", "openapi: 3.0.0\n", &mut notes).unwrap_err();
        assert!(err.message.contains("not an overlay"), "{err}");
    }
}
