//! What `posthog-api`'s models must be, checked on the generator's IR against the spec:
//! nothing degraded, `serde_json::Value` only where the spec leaves the type open, and no
//! read-only field in any request body.

use generator::ir::{Api, TypeKind, TypeRef};
use serde_json::Value;
use std::collections::BTreeSet;

fn spec_json() -> Value {
    let text = std::fs::read_to_string(xtask::workspace_root().join("spec/posthog.yaml")).unwrap();
    serde_yaml::from_str(&text).unwrap()
}

fn posthog_ir() -> Api {
    let doc =
        xtask::codegen::load_spec(&xtask::workspace_root(), "spec/posthog.yaml", &[]).unwrap();
    generator::lower(
        &doc,
        &generator::Settings::new("posthog-api", "spec/posthog.yaml"),
    )
    .unwrap()
}

fn resolve<'a>(spec: &'a Value, node: &'a Value) -> &'a Value {
    let mut node = node;
    while let Some(r) = node.get("$ref").and_then(Value::as_str) {
        node = spec.pointer(r.trim_start_matches('#')).unwrap();
    }
    node
}

/// The spec node a JSON pointer names.
fn at<'a>(spec: &'a Value, pointer: &str) -> &'a Value {
    let unescaped = pointer.trim_start_matches('#');
    spec.pointer(unescaped)
        .unwrap_or_else(|| panic!("no node at {pointer}"))
}

/// The property schema of `wire` in the schema at `pointer`, looking through `allOf`.
fn property<'a>(spec: &'a Value, schema: &'a Value, wire: &str) -> Option<&'a Value> {
    let schema = resolve(spec, schema);
    if let Some(p) = schema["properties"].get(wire) {
        return Some(p);
    }
    schema["allOf"]
        .as_array()?
        .iter()
        .find_map(|part| property(spec, part, wire))
}

/// A schema that says nothing about its values' type.
fn is_open(spec: &Value, schema: &Value) -> bool {
    let schema = resolve(spec, schema);
    let typed = [
        "type",
        "properties",
        "items",
        "oneOf",
        "anyOf",
        "allOf",
        "enum",
        "$ref",
    ]
    .iter()
    .any(|k| schema.get(*k).is_some());
    !typed
}

/// Whether every `serde_json::Value` inside `ty` sits where `schema` leaves the type open.
fn json_only_where_open(spec: &Value, ty: &TypeRef, schema: &Value) -> bool {
    let schema = resolve(spec, schema);
    match ty {
        TypeRef::Json => is_open(spec, schema),
        TypeRef::Option(inner) => json_only_where_open(spec, inner, schema),
        TypeRef::Vec(inner) => schema
            .get("items")
            .is_some_and(|items| json_only_where_open(spec, inner, items)),
        TypeRef::Map(inner) => match schema.get("additionalProperties") {
            None | Some(Value::Bool(true)) => **inner == TypeRef::Json,
            Some(values) => json_only_where_open(spec, inner, values),
        },
        _ => true,
    }
}

#[test]
fn nothing_in_the_posthog_spec_is_degraded() {
    let api = posthog_ir();
    assert!(api.notes.is_empty(), "{:#?}", api.notes);
}

#[test]
fn json_values_appear_only_where_the_spec_leaves_the_type_open() {
    let spec = spec_json();
    let api = posthog_ir();
    let mut wrong = Vec::new();
    for t in &api.types {
        let schema = at(&spec, &t.source);
        match &t.kind {
            TypeKind::Struct(s) => {
                for f in &s.fields {
                    let prop = property(&spec, schema, &f.wire)
                        .unwrap_or_else(|| panic!("{}.{}", t.name, f.wire));
                    if !json_only_where_open(&spec, &f.ty, prop) {
                        wrong.push(format!(
                            "{}.{} has serde_json::Value where the spec types it: {prop}",
                            t.name, f.wire
                        ));
                    }
                }
            }
            TypeKind::Alias(target) if !json_only_where_open(&spec, target, schema) => {
                wrong.push(format!(
                    "{} has serde_json::Value where the spec types it: {schema}",
                    t.name
                ));
            }
            _ => {}
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn no_request_body_contains_a_read_only_field() {
    let spec = spec_json();
    let api = posthog_ir();
    // Every type reachable from a request body.
    let mut todo: Vec<String> = api
        .groups
        .iter()
        .flat_map(|g| &g.operations)
        .filter_map(|op| op.body.as_ref())
        .filter_map(|b| match &b.ty {
            TypeRef::Named(n) => Some(n.clone()),
            _ => None,
        })
        .collect();
    assert!(todo.len() >= 8, "request bodies found: {todo:?}");
    let mut seen = BTreeSet::new();
    let mut violations = Vec::new();
    while let Some(name) = todo.pop() {
        if !seen.insert(name.clone()) {
            continue;
        }
        let t = api.types.iter().find(|t| t.name == name).unwrap();
        let TypeKind::Struct(s) = &t.kind else {
            continue;
        };
        let schema = at(&spec, &t.source);
        for f in &s.fields {
            let prop = property(&spec, schema, &f.wire).map(|p| resolve(&spec, p));
            if prop.is_some_and(|p| p["readOnly"] == Value::Bool(true)) {
                violations.push(format!("{}.{}", t.name, f.wire));
            }
            let mut stack = vec![f.ty.clone()];
            while let Some(ty) = stack.pop() {
                match ty {
                    TypeRef::Named(n) => todo.push(n),
                    TypeRef::Vec(i) | TypeRef::Map(i) | TypeRef::Option(i) => stack.push(*i),
                    _ => {}
                }
            }
        }
    }
    assert!(
        violations.is_empty(),
        "read-only fields in request types: {violations:?}"
    );
    // And the request types really are separate where the schema has read-only fields.
    for name in ["SubscriptionRequest", "SharingConfigurationRequest"] {
        assert!(
            seen.contains(name),
            "{name} is not a request type: {seen:?}"
        );
    }
}
