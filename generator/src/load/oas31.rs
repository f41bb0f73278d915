//! OpenAPI 3.1 and 3.2 into the pipeline's form (OpenAPI 3.0 plus the extensions of
//! [`super::normal`]).
//!
//! 3.1 made schemas JSON Schema 2020-12 and added webhooks and reusable path items; 3.2 added the
//! `QUERY` method, `additionalOperations`, streamed items (`itemSchema`) and nested tags. Each is
//! rewritten here into what 3.0 (or an extension) says with the same meaning; what cannot be said
//! exactly is noted with its pointer.

use super::normal;
use super::walk::{self, Kind};
use super::Notes;
use crate::error::{escape_segment, Error};
use serde_json::{json, Map, Value};
use std::collections::HashMap;

/// Keywords that describe a schema without constraining its values: they stay on the outer
/// schema when a schema is split into parts.
const ANNOTATIONS: &[&str] = &[
    "title",
    "description",
    "default",
    "example",
    "examples",
    "readOnly",
    "writeOnly",
    "deprecated",
    "nullable",
    "externalDocs",
    "xml",
    "$comment",
];

/// Keywords beside a `$ref` that change nothing about the type.
const REF_IGNORABLE: &[&str] = &[
    "$ref",
    "$id",
    "$anchor",
    "$schema",
    "$comment",
    "summary",
    "$dynamicAnchor",
];

/// Converts a 3.1 or 3.2 document in place.
pub fn convert(doc: &mut Value, notes: &mut Notes) -> Result<(), Error> {
    let Value::Object(root) = doc else {
        return Ok(());
    };
    root.insert("openapi".into(), Value::String("3.0.3".into()));
    root.entry("paths").or_insert_with(|| json!({}));
    inline_path_item_refs(doc, notes)?;
    hoist_definitions(doc, notes);
    notes.origins.stage(false);
    hoist_webhooks(doc, notes);
    convert_tags(doc);
    // Where rewriting a schema moved the keywords below it (`{$ref, properties}` becomes
    // `{allOf: [{$ref}, {properties}]}`), so that references into them can follow.
    let mut moves: HashMap<String, String> = HashMap::new();
    walk::visit(doc, Kind::Document, "#", &mut |node, kind, at| {
        match kind {
            Kind::Schema => schema(node, at, notes, &mut moves),
            Kind::PathItem => path_item(node),
            Kind::MediaType => media_type(node, at, &mut moves),
            _ => {}
        }
        Ok(())
    })?;
    if !moves.is_empty() {
        rewrite_refs(doc, &moves);
    }
    notes.origins.stage(true);
    for (original, converted) in moves {
        notes.origins.record(converted, original);
    }
    drop_mutual_tls(doc, notes);
    Ok(())
}

/// Path items that are `$ref`s to `#/components/pathItems/...` (or to another path) are
/// replaced by what they point at; `components.pathItems` then goes.
pub fn inline_path_item_refs(doc: &mut Value, notes: &mut Notes) -> Result<(), Error> {
    let has_refs = ["paths", "webhooks"].iter().any(|section| {
        doc.get(*section)
            .and_then(Value::as_object)
            .is_some_and(|items| items.values().any(|item| item.get("$ref").is_some()))
    });
    if !has_refs {
        if let Some(Value::Object(components)) = doc.get_mut("components") {
            components.remove("pathItems");
        }
        return Ok(());
    }
    notes.origins.stage(false);
    let snapshot = doc.clone();
    let resolve = |reference: &str, at: &str| -> Result<(String, Value), Error> {
        let mut reference = reference.to_owned();
        for _ in 0..16 {
            let target = reference
                .strip_prefix('#')
                .and_then(|p| snapshot.pointer(&walk::percent_decode(p)))
                .ok_or_else(|| {
                    Error::new(
                        at,
                        format!("path item $ref `{reference}` points at nothing in this document"),
                    )
                })?;
            match target.get("$ref").and_then(Value::as_str) {
                Some(next) => reference = next.to_owned(),
                None => return Ok((reference, target.clone())),
            }
        }
        Err(Error::new(
            at,
            format!("path item $ref `{reference}` is part of a cycle of references"),
        ))
    };
    for section in ["paths", "webhooks"] {
        let Some(Value::Object(items)) = doc.get_mut(section) else {
            continue;
        };
        for (key, item) in items.iter_mut() {
            let Some(reference) = item.get("$ref").and_then(Value::as_str).map(str::to_owned)
            else {
                continue;
            };
            let at = format!("#/{section}/{}", escape_segment(key));
            if !reference.starts_with('#') {
                notes.dropped(&at, format!("path item $ref `{reference}` is not in this document; its operations are left out"));
                *item = json!({});
                continue;
            }
            let (found_at, mut target) = resolve(&reference, &at)?;
            // Errors inside the copied item point where it is written.
            notes
                .origins
                .record(at.clone(), walk::percent_decode(&found_at));
            // Fields beside the `$ref` (a summary, a description) are the referrer's own.
            if let (Value::Object(target), Value::Object(own)) = (&mut target, &*item) {
                for (k, v) in own {
                    if k != "$ref" {
                        target.insert(k.clone(), v.clone());
                    }
                }
            }
            *item = target;
        }
    }
    if let Some(Value::Object(components)) = doc.get_mut("components") {
        components.remove("pathItems");
    }
    Ok(())
}

/// `$defs` (and draft-4 `definitions`) anywhere in a schema, or at the top of the document,
/// become component schemas; references to them (or into them) follow.
pub fn hoist_definitions(doc: &mut Value, notes: &mut Notes) {
    notes.origins.stage(true);
    let mut taken: std::collections::HashSet<String> = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    loop {
        // (pointer of the `$defs` map, the component it sits in, its entries)
        let mut found: Vec<(String, Option<String>, Map<String, Value>)> = Vec::new();
        if let Value::Object(root) = &mut *doc {
            for key in ["$defs", "definitions"] {
                if let Some(Value::Object(defs)) = root.remove(key) {
                    found.push((format!("#/{key}"), None, defs));
                }
            }
        }
        let _ = walk::visit(doc, Kind::Document, "#", &mut |node, kind, at| {
            if kind != Kind::Schema {
                return Ok(());
            }
            if let Value::Object(map) = node {
                for key in ["$defs", "definitions"] {
                    if matches!(map.get(key), Some(Value::Object(_))) {
                        let Some(Value::Object(defs)) = map.remove(key) else {
                            unreachable!("checked above")
                        };
                        let owner = at.strip_prefix("#/components/schemas/").map(|rest| {
                            rest.split('/')
                                .next()
                                .unwrap_or(rest)
                                .replace("~1", "/")
                                .replace("~0", "~")
                        });
                        found.push((format!("{at}/{key}"), owner, defs));
                    }
                }
            }
            Ok(())
        });
        if found.is_empty() {
            return;
        }
        let mut moved: HashMap<String, String> = HashMap::new();
        let mut new_schemas = Vec::new();
        for (at, owner, defs) in found {
            for (name, def, old) in definition_entries(&at, defs) {
                let mut wanted = name.clone();
                if taken.contains(&wanted) {
                    if let Some(owner) = &owner {
                        wanted = format!("{owner}_{name}");
                    }
                }
                let mut unique = wanted.clone();
                let mut n = 2;
                while taken.contains(&unique) {
                    unique = format!("{wanted}{n}");
                    n += 1;
                }
                taken.insert(unique.clone());
                let new = format!("#/components/schemas/{}", escape_segment(&unique));
                notes.origins.record(new.clone(), old.clone());
                moved.insert(old, new);
                new_schemas.push((unique, def));
            }
        }
        let root = doc.as_object_mut().expect("a document is an object");
        let components = root.entry("components").or_insert_with(|| json!({}));
        let schemas = components
            .as_object_mut()
            .map(|c| c.entry("schemas").or_insert_with(|| json!({})));
        if let Some(Value::Object(schemas)) = schemas {
            for (name, def) in new_schemas {
                schemas.insert(name, def);
            }
        }
        rewrite_refs(doc, &moved);
    }
}

/// The schemas of a `$defs` (or `definitions`) map at `at`: (name, schema, pointer). An entry
/// that is not a schema but a group of them (`definitions: {item: {type: {...}}}`, seen in real
/// documents) gives its members, named `group_member`.
fn definition_entries(at: &str, defs: Map<String, Value>) -> Vec<(String, Value, String)> {
    let mut out = Vec::new();
    for (name, def) in defs {
        let pointer = format!("{at}/{}", escape_segment(&name));
        // `{type: {...a schema...}}`: the schema, wrapped once too often.
        let def = match def {
            Value::Object(mut map)
                if map.len() == 1 && map.get("type").is_some_and(Value::is_object) =>
            {
                map.remove("type").expect("checked above")
            }
            other => other,
        };
        if looks_like_schema(&def) {
            out.push((name, def, pointer));
        } else if let Value::Object(members) = def {
            for (member, schema) in members {
                let member_pointer = format!("{pointer}/{}", escape_segment(&member));
                out.push((format!("{name}_{member}"), schema, member_pointer));
            }
        }
    }
    out
}

/// Whether a value can be a schema: a boolean, or an object whose `type` (if any) is a name or
/// a list of names.
fn looks_like_schema(value: &Value) -> bool {
    match value {
        Value::Bool(_) => true,
        Value::Object(map) => matches!(
            map.get("type"),
            None | Some(Value::String(_)) | Some(Value::Array(_))
        ),
        _ => false,
    }
}

/// Replaces the leading part of every `$ref` that `moved` maps.
fn rewrite_refs(doc: &mut Value, moved: &HashMap<String, String>) {
    walk::each_ref_mut(doc, &mut String::from("#"), &mut |reference, _| {
        let decoded = walk::percent_decode(reference);
        // Try the longest prefix first: `.../$defs/A/$defs/B` before `.../$defs/A`.
        let mut end = decoded.len();
        loop {
            let prefix = &decoded[..end];
            if let Some(to) = moved.get(prefix) {
                *reference = format!("{to}{}", &decoded[end..]);
                return;
            }
            match prefix.rfind('/') {
                Some(i) if i > 0 => end = i,
                _ => return,
            }
        }
    });
}

/// Webhook payloads become component schemas (`NewPetWebhook`), so the crate has a type for
/// each; the `webhooks` section then goes.
fn hoist_webhooks(doc: &mut Value, notes: &mut Notes) {
    let Some(Value::Object(webhooks)) = doc.as_object_mut().and_then(|r| r.remove("webhooks"))
    else {
        return;
    };
    let mut taken: std::collections::HashSet<String> = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    let mut hoisted: Vec<(String, Value)> = Vec::new();
    let mut tagged: Vec<(String, String)> = Vec::new();
    for (name, item) in &webhooks {
        let Value::Object(item) = item else { continue };
        for (method, op) in item {
            if !walk::METHODS.contains(&method.as_str()) {
                continue;
            }
            let at = format!("#/webhooks/{}/{method}/requestBody", escape_segment(name));
            let mut body = op.get("requestBody").cloned().unwrap_or(Value::Null);
            if let Some(reference) = body.get("$ref").and_then(Value::as_str) {
                match reference
                    .strip_prefix('#')
                    .and_then(|p| doc.pointer(&walk::percent_decode(p)))
                {
                    Some(target) => body = target.clone(),
                    None => {
                        notes.approximate(&at, format!("$ref `{reference}` points at nothing; this webhook's payload has no type"));
                        continue;
                    }
                }
            }
            let Some(Value::Object(content)) = body.get("content") else {
                continue;
            };
            let label = format!("{name} ({})", method.to_ascii_uppercase());
            for (media, m) in content {
                let Some(schema) = m.get("schema") else {
                    continue;
                };
                if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
                    if let Some(component) = reference.strip_prefix("#/components/schemas/") {
                        tagged.push((
                            component.replace("~1", "/").replace("~0", "~"),
                            label.clone(),
                        ));
                        continue;
                    }
                }
                let base = format!("{}Webhook", crate::names::type_name(name));
                let mut unique = base.clone();
                let mut n = 2;
                while taken.contains(&unique) {
                    unique = format!("{base}{n}");
                    n += 1;
                }
                taken.insert(unique.clone());
                notes.origins.record(
                    format!("#/components/schemas/{}", escape_segment(&unique)),
                    format!("{at}/content/{}/schema", escape_segment(media)),
                );
                let mut schema = schema.clone();
                if let Value::Object(s) = &mut schema {
                    if !s.contains_key("description") && !s.contains_key("title") {
                        let summary = op
                            .get("summary")
                            .or_else(|| op.get("description"))
                            .and_then(Value::as_str)
                            .map(|s| format!(": {s}"))
                            .unwrap_or_default();
                        s.insert(
                            "description".into(),
                            Value::String(format!(
                                "The payload of the `{name}` webhook ({media}){summary}"
                            )),
                        );
                    }
                    s.insert(normal::WEBHOOK.into(), Value::String(label.clone()));
                }
                hoisted.push((unique, schema));
            }
        }
    }
    let root = doc.as_object_mut().expect("a document is an object");
    let components = root.entry("components").or_insert_with(|| json!({}));
    if let Some(Value::Object(schemas)) = components
        .as_object_mut()
        .map(|c| c.entry("schemas").or_insert_with(|| json!({})))
    {
        for (name, schema) in hoisted {
            schemas.insert(name, schema);
        }
        for (component, label) in tagged {
            if let Some(Value::Object(s)) = schemas.get_mut(&component) {
                s.entry(normal::WEBHOOK).or_insert(Value::String(label));
            }
        }
    }
}

/// 3.2 tags: `parent` and `kind` into extensions.
fn convert_tags(doc: &mut Value) {
    let Some(Value::Array(tags)) = doc.get_mut("tags") else {
        return;
    };
    for tag in tags {
        let Value::Object(tag) = tag else { continue };
        if let Some(parent) = tag.remove("parent") {
            tag.insert(normal::TAG_PARENT.into(), parent);
        }
        if let Some(kind) = tag.remove("kind") {
            tag.insert(normal::TAG_KIND.into(), kind);
        }
    }
}

/// 3.2 path items: `query` and `additionalOperations` into one extension.
fn path_item(node: &mut Value) {
    let Value::Object(item) = node else { return };
    let mut extra = Map::new();
    if let Some(op) = item.remove("query") {
        extra.insert("QUERY".into(), op);
    }
    if let Some(Value::Object(more)) = item.remove("additionalOperations") {
        for (method, op) in more {
            let lower = method.to_ascii_lowercase();
            if walk::METHODS.contains(&lower.as_str())
                && lower != "query"
                && !item.contains_key(&lower)
            {
                item.insert(lower, op);
            } else {
                extra.insert(method.to_ascii_uppercase(), op);
            }
        }
    }
    if !extra.is_empty() {
        item.insert(normal::ADDITIONAL_OPERATIONS.into(), Value::Object(extra));
    }
}

/// 3.2 media types: `itemSchema` becomes the schema, marked as describing each item.
fn media_type(node: &mut Value, at: &str, moves: &mut HashMap<String, String>) {
    let Value::Object(media) = node else { return };
    if let Some(item) = media.remove("itemSchema") {
        moves.insert(format!("{at}/itemSchema"), format!("{at}/schema"));
        media.insert("schema".into(), item);
        media.insert(normal::ITEM_SCHEMA.into(), Value::Bool(true));
    }
}

/// `mutualTLS` (3.1) is a client certificate, set up on the HTTP client rather than per request.
fn drop_mutual_tls(doc: &mut Value, notes: &mut Notes) {
    let Some(Value::Object(schemes)) = doc.pointer_mut("/components/securitySchemes") else {
        return;
    };
    let mutual: Vec<String> = schemes
        .iter()
        .filter(|(_, s)| s.get("type").and_then(Value::as_str) == Some("mutualTLS"))
        .map(|(k, _)| k.clone())
        .collect();
    for name in mutual {
        schemes.remove(&name);
        notes.approximate(
            &format!("#/components/securitySchemes/{}", escape_segment(&name)),
            "mutual TLS is configured on the HTTP client (its client certificate), not per request; the client sends no credential for it",
        );
    }
}

/// One schema node, before its children are visited.
fn schema(node: &mut Value, at: &str, notes: &mut Notes, moves: &mut HashMap<String, String>) {
    match node {
        // `additionalProperties: true/false` is 3.0 too; elsewhere a boolean schema is `{}`
        // (anything) or a schema nothing matches.
        Value::Bool(_) if at.ends_with("/additionalProperties") => return,
        Value::Bool(true) => *node = json!({}),
        Value::Bool(false) => *node = json!({"not": {}}),
        _ => {}
    }
    let Value::Object(map) = node else { return };
    let had_ref = map.contains_key("$ref");
    let constraints = ref_siblings(map);
    if had_ref && !map.contains_key("$ref") {
        // The reference now sits in an `allOf` wrapper.
        moves.insert(format!("{at}/$ref"), format!("{at}/allOf/0/$ref"));
    }
    for key in constraints {
        let key = escape_segment(&key);
        moves.insert(format!("{at}/{key}"), format!("{at}/allOf/1/{key}"));
    }
    if map.contains_key("$ref") {
        return;
    }
    for key in ["$id", "$anchor", "$dynamicAnchor", "$schema", "$comment"] {
        map.remove(key);
    }
    for key in type_list(map) {
        let key = escape_segment(&key);
        moves.insert(format!("{at}/{key}"), format!("{at}/anyOf/0/{key}"));
    }
    if map.contains_key(normal::TUPLE) || map.contains_key("prefixItems") {
        moves.insert(format!("{at}/prefixItems"), format!("{at}/anyOf"));
    }
    if let Some(value) = map.remove("const") {
        if !map.contains_key("enum") {
            if value.is_null() {
                map.insert("nullable".into(), Value::Bool(true));
            }
            map.insert("enum".into(), Value::Array(vec![value]));
        }
    }
    if let Some(Value::Array(examples)) = map.get("examples") {
        let first = examples.first().cloned();
        map.remove("examples");
        if let Some(first) = first {
            map.entry("example").or_insert(first);
        }
    }
    // A numeric `exclusiveMinimum: 5` is 3.0's `minimum: 5, exclusiveMinimum: true`, unless
    // an inclusive bound beside it is stricter.
    for (exclusive, bound, lower) in [
        ("exclusiveMinimum", "minimum", true),
        ("exclusiveMaximum", "maximum", false),
    ] {
        let Some(Value::Number(n)) = map.get(exclusive).cloned() else {
            continue;
        };
        let e = n.as_f64().unwrap_or(0.0);
        let inclusive_is_stricter =
            map.get(bound)
                .and_then(Value::as_f64)
                .is_some_and(|b| if lower { b > e } else { b < e });
        if inclusive_is_stricter {
            map.remove(exclusive);
        } else {
            map.insert(bound.into(), Value::Number(n));
            map.insert(exclusive.into(), Value::Bool(true));
        }
    }
    for key in ["properties", "patternProperties", "dependentSchemas"] {
        if let Some(Value::Object(props)) = map.get_mut(key) {
            props.retain(|_, v| *v != Value::Bool(false));
        }
    }
    for key in ["allOf", "anyOf", "oneOf"] {
        if let Some(Value::Array(list)) = map.get_mut(key) {
            for item in list.iter_mut() {
                match item {
                    Value::Bool(true) => *item = json!({}),
                    Value::Bool(false) => *item = json!({"not": {}}),
                    _ => {}
                }
            }
        }
    }
    prefix_items(map, at, notes);
    if let Some(Value::Bool(_)) = map.get("items") {
        map.insert("items".into(), json!({}));
    }
    content_keywords(map);
    if let Some(unevaluated) = map.remove("unevaluatedProperties") {
        if !map.contains_key("additionalProperties") {
            moves.insert(
                format!("{at}/unevaluatedProperties"),
                format!("{at}/additionalProperties"),
            );
            map.insert("additionalProperties".into(), unevaluated);
        }
    }
    if let Some(Value::Object(patterns)) = map.remove("patternProperties") {
        if !map.contains_key("additionalProperties") {
            let value = if patterns.len() == 1 {
                let (pattern, value) = patterns.into_iter().next().expect("one pattern");
                moves.insert(
                    format!("{at}/patternProperties/{}", escape_segment(&pattern)),
                    format!("{at}/additionalProperties"),
                );
                value
            } else {
                Value::Bool(true)
            };
            map.insert("additionalProperties".into(), value);
        }
    }
    if let Some(Value::Object(dependent)) = map.remove("dependentRequired") {
        let sentences: Vec<String> = dependent
            .iter()
            .filter_map(|(name, needed)| {
                let needed: Vec<String> = needed
                    .as_array()?
                    .iter()
                    .filter_map(Value::as_str)
                    .map(|n| format!("`{n}`"))
                    .collect();
                (!needed.is_empty()).then(|| {
                    format!(
                        "When `{name}` is present, {} must be present too.",
                        needed.join(", ")
                    )
                })
            })
            .collect();
        if !sentences.is_empty() {
            let old = map
                .get("description")
                .and_then(Value::as_str)
                .unwrap_or("")
                .trim()
                .to_owned();
            let joined = sentences.join(" ");
            let text = if old.is_empty() {
                joined
            } else {
                format!("{old}\n\n{joined}")
            };
            map.insert("description".into(), Value::String(text));
        }
    }
}

/// `{$ref, description, ...}`: 3.1 lets a reference carry keywords of its own. Annotations stay
/// on an `allOf` wrapper around the reference (which lowering reads as the referenced type);
/// constraints become a second part. Returns the keywords moved into that part.
fn ref_siblings(map: &mut Map<String, Value>) -> Vec<String> {
    if !map.contains_key("$ref")
        || map
            .keys()
            .all(|k| REF_IGNORABLE.contains(&k.as_str()) || k.starts_with("x-"))
    {
        return Vec::new();
    }
    let reference = map.remove("$ref").expect("checked above");
    let mut outer = Map::new();
    let mut constraints = Map::new();
    for (k, v) in std::mem::take(map) {
        if REF_IGNORABLE.contains(&k.as_str()) {
            continue;
        }
        if ANNOTATIONS.contains(&k.as_str()) || k.starts_with("x-") {
            outer.insert(k, v);
        } else {
            constraints.insert(k, v);
        }
    }
    let moved: Vec<String> = constraints.keys().cloned().collect();
    let mut parts = vec![json!({ "$ref": reference })];
    if !constraints.is_empty() {
        parts.push(Value::Object(constraints));
    }
    outer.insert("allOf".into(), Value::Array(parts));
    *map = outer;
    moved
}

/// `type: [T, "null"]` is `T` and nullable; several types become an `anyOf` of one schema per
/// type; `type: "null"` is the schema whose one value is `null`. Returns the keywords copied
/// into the branches.
fn type_list(map: &mut Map<String, Value>) -> Vec<String> {
    let types: Vec<String> = match map.get("type") {
        Some(Value::Array(list)) => list
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        Some(Value::String(t)) if t == "null" => vec!["null".to_owned()],
        _ => return Vec::new(),
    };
    let nullable = types.iter().any(|t| t == "null");
    let mut rest: Vec<String> = types.into_iter().filter(|t| t != "null").collect();
    rest.dedup();
    if rest.contains(&"number".to_owned()) {
        rest.retain(|t| t != "integer");
    }
    map.remove("type");
    if nullable {
        map.insert("nullable".into(), Value::Bool(true));
    }
    match rest.len() {
        0 => {
            map.entry("enum").or_insert_with(|| json!([null]));
            Vec::new()
        }
        1 => {
            map.insert("type".into(), Value::String(rest.remove(0)));
            Vec::new()
        }
        _ => {
            let (outer, constraints): (Map<String, Value>, Map<String, Value>) =
                std::mem::take(map)
                    .into_iter()
                    .partition(|(k, _)| ANNOTATIONS.contains(&k.as_str()) || k.starts_with("x-"));
            *map = outer;
            let moved = constraints.keys().cloned().collect();
            let branches: Vec<Value> = rest
                .into_iter()
                .map(|t| {
                    let mut branch = constraints.clone();
                    branch.insert("type".into(), Value::String(t));
                    Value::Object(branch)
                })
                .collect();
            map.insert("anyOf".into(), Value::Array(branches));
            moved
        }
    }
}

/// `prefixItems`: a fixed-length array with a type per position becomes a tuple; one whose
/// further items are allowed stays a list.
fn prefix_items(map: &mut Map<String, Value>, at: &str, notes: &mut Notes) {
    let Some(Value::Array(prefix)) = map.remove("prefixItems") else {
        return;
    };
    let tail = map.remove("items");
    let max = map.get("maxItems").and_then(Value::as_u64);
    let closed = tail == Some(Value::Bool(false)) || max == Some(prefix.len() as u64);
    if prefix.is_empty() {
        map.insert(
            "items".into(),
            tail.filter(Value::is_object).unwrap_or(json!({})),
        );
        return;
    }
    if closed {
        map.remove("type");
        map.insert("anyOf".into(), Value::Array(prefix));
        map.insert(normal::TUPLE.into(), Value::Bool(true));
        return;
    }
    let tail = tail.filter(Value::is_object);
    // Every position has the type the further items have: a plain list.
    if let Some(tail) = &tail {
        if prefix.iter().all(|p| p == tail) {
            map.insert("items".into(), tail.clone());
            return;
        }
    }
    notes.approximate(
        at,
        format!(
            "`prefixItems` with further items allowed: typed as a list{}, without a type per position",
            if tail.is_some() { " of the `items` type" } else { " of any JSON values" }
        ),
    );
    map.insert("items".into(), tail.unwrap_or(json!({})));
}

/// `contentEncoding: base64` is `format: byte`; a string with a binary `contentMediaType` is
/// `format: binary`.
fn content_keywords(map: &mut Map<String, Value>) {
    let encoding = map.remove("contentEncoding");
    let media = map.remove("contentMediaType");
    map.remove("contentSchema");
    let is_string = map.get("type").and_then(Value::as_str) == Some("string");
    if !is_string || map.contains_key("format") {
        return;
    }
    match encoding.as_ref().and_then(Value::as_str) {
        Some(e) if e.eq_ignore_ascii_case("base64") || e.eq_ignore_ascii_case("base64url") => {
            map.insert("format".into(), Value::String("byte".into()));
        }
        Some(_) => {}
        None => {
            let media = media.as_ref().and_then(Value::as_str).unwrap_or("");
            let textual = media.is_empty()
                || media.starts_with("text/")
                || media.ends_with("json")
                || media.ends_with("+xml")
                || media.ends_with("/xml");
            if !textual {
                map.insert("format".into(), Value::String("binary".into()));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn converted(doc: Value) -> (Value, Notes) {
        let mut doc = doc;
        let mut notes = Notes::default();
        convert(&mut doc, &mut notes).unwrap();
        (doc, notes)
    }

    #[test]
    fn schema_keywords_become_3_0() {
        let (doc, notes) = converted(json!({
            "openapi": "3.1.0",
            "components": {"schemas": {
                "A": {"type": ["string", "null"], "examples": ["x"]},
                "B": {"type": ["string", "integer"], "description": "d", "maxLength": 3},
                "C": {"const": "c"},
                "D": {"type": "integer", "exclusiveMinimum": 0},
                "E": {"type": "array", "prefixItems": [{"type": "string"}, {"type": "integer"}], "items": false},
                "F": {"$ref": "#/components/schemas/A", "description": "An A."},
                "G": {"type": "string", "contentEncoding": "base64"},
                "H": {"type": "object", "properties": {"a": {"type": "null"}}, "unevaluatedProperties": false},
                "I": {"type": "array", "prefixItems": [{"type": "string"}]}
            }}
        }));
        let s = &doc["components"]["schemas"];
        assert_eq!(doc["openapi"], "3.0.3");
        assert_eq!(doc["paths"], json!({}));
        assert_eq!(
            s["A"],
            json!({"type": "string", "nullable": true, "example": "x"})
        );
        assert_eq!(
            s["B"],
            json!({"description": "d", "anyOf": [{"maxLength": 3, "type": "string"}, {"maxLength": 3, "type": "integer"}]})
        );
        assert_eq!(s["C"], json!({"enum": ["c"]}));
        assert_eq!(
            s["D"],
            json!({"type": "integer", "minimum": 0, "exclusiveMinimum": true})
        );
        assert_eq!(
            s["E"]["anyOf"],
            json!([{"type": "string"}, {"type": "integer"}])
        );
        assert_eq!(s["E"][normal::TUPLE], true);
        assert_eq!(
            s["F"],
            json!({"description": "An A.", "allOf": [{"$ref": "#/components/schemas/A"}]})
        );
        assert_eq!(s["G"]["format"], "byte");
        assert_eq!(
            s["H"]["properties"]["a"],
            json!({"nullable": true, "enum": [null]})
        );
        assert_eq!(s["H"]["additionalProperties"], false);
        assert_eq!(s["I"]["items"], json!({}));
        assert_eq!(notes.list.len(), 1, "{:?}", notes.list);
        assert!(notes.list[0].pointer.ends_with("/I"));
    }

    #[test]
    fn defs_ids_and_anchors_become_components() {
        let mut doc = json!({
            "openapi": "3.1.0",
            "components": {"schemas": {
                "Order": {
                    "$id": "https://example.com/order",
                    "type": "object",
                    "properties": {
                        "line": {"$ref": "#/components/schemas/Order/$defs/Line"},
                        "address": {"$ref": "address"},
                        "money": {"$ref": "#money"}
                    },
                    "$defs": {
                        "Line": {"type": "object", "properties": {"sku": {"type": "string"}}},
                        "Cents": {"$anchor": "money", "type": "integer"}
                    }
                },
                "Address": {"$id": "https://example.com/address", "type": "object"}
            }}
        });
        super::super::ids::resolve_schema_ids(&mut doc).unwrap();
        let mut notes = Notes::default();
        convert(&mut doc, &mut notes).unwrap();
        let s = &doc["components"]["schemas"];
        assert_eq!(
            s["Order"]["properties"]["line"]["$ref"],
            "#/components/schemas/Line"
        );
        assert_eq!(
            s["Order"]["properties"]["address"]["$ref"],
            "#/components/schemas/Address"
        );
        assert_eq!(
            s["Order"]["properties"]["money"]["$ref"],
            "#/components/schemas/Cents"
        );
        assert_eq!(s["Line"]["properties"]["sku"]["type"], "string");
        assert!(s["Order"].get("$defs").is_none());
        assert!(s["Order"].get("$id").is_none());
    }

    #[test]
    fn operations_webhooks_and_tags_of_3_2() {
        let (doc, _) = converted(json!({
            "openapi": "3.2.0",
            "tags": [{"name": "pets", "parent": "animals", "kind": "nav"}],
            "paths": {
                "/search": {
                    "query": {"responses": {"200": {"description": "ok"}}},
                    "additionalOperations": {"LINK": {"responses": {"204": {"description": "ok"}}}}
                },
                "/shared": {"$ref": "#/components/pathItems/Shared"}
            },
            "webhooks": {"newPet": {"post": {"requestBody": {"content": {"application/json": {
                "schema": {"type": "object", "properties": {"name": {"type": "string"}}}
            }}}}}},
            "components": {"pathItems": {"Shared": {"get": {"responses": {"200": {
                "description": "events",
                "content": {"text/event-stream": {"itemSchema": {"type": "object"}}}
            }}}}}}
        }));
        let extra = &doc["paths"]["/search"][normal::ADDITIONAL_OPERATIONS];
        assert!(extra.get("QUERY").is_some() && extra.get("LINK").is_some());
        assert_eq!(doc["tags"][0][normal::TAG_PARENT], "animals");
        let media =
            &doc["paths"]["/shared"]["get"]["responses"]["200"]["content"]["text/event-stream"];
        assert_eq!(media[normal::ITEM_SCHEMA], true);
        assert_eq!(media["schema"], json!({"type": "object"}));
        let hook = &doc["components"]["schemas"]["NewPetWebhook"];
        assert_eq!(hook[normal::WEBHOOK], "newPet (POST)");
        assert!(doc.get("webhooks").is_none());
        assert!(doc["components"].get("pathItems").is_none());
    }
}
