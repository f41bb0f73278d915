//! Mutations of real documents: the project's own specs and fixtures with a few nodes
//! deleted, replaced, renamed, duplicated or moved, so that the fuzzer also explores the
//! neighbourhood of documents that are known to generate.

use super::grammar;
use proptest::collection::vec;
use proptest::prelude::*;
use serde_json::{json, Value};
use std::sync::Arc;

/// One edit, aimed at the node with the given index in depth-first order (modulo the number
/// of nodes, so that any index hits something).
#[derive(Debug, Clone)]
pub enum Mutation {
    /// Remove the node from its parent.
    Delete(usize),
    /// Put a scalar or a small schema in its place.
    Replace(usize, Value),
    /// Put a copy of another node in its place.
    Transplant(usize, usize),
    /// Give the node another key in its parent object.
    Rename(usize, String),
    /// Append a copy of the node to its parent array, or of the object under a second key.
    Duplicate(usize),
}

fn mutation() -> BoxedStrategy<Mutation> {
    let replacement = prop_oneof![
        select_value(),
        grammar::name().prop_map(Value::from),
        grammar::schema(),
    ];
    prop_oneof![
        3 => any::<usize>().prop_map(Mutation::Delete),
        3 => (any::<usize>(), replacement).prop_map(|(i, v)| Mutation::Replace(i, v)),
        2 => (any::<usize>(), any::<usize>()).prop_map(|(i, j)| Mutation::Transplant(i, j)),
        2 => (any::<usize>(), grammar::name()).prop_map(|(i, n)| Mutation::Rename(i, n)),
        1 => any::<usize>().prop_map(Mutation::Duplicate),
    ]
    .boxed()
}

fn select_value() -> BoxedStrategy<Value> {
    proptest::sample::select(vec![
        Value::Null,
        json!(true),
        json!(0),
        json!(-1),
        json!(1.5),
        json!(""),
        json!("x"),
        json!({}),
        json!([]),
        json!({"$ref": "#/components/schemas/Missing"}),
        json!({"$ref": "#/"}),
        json!({"type": "object", "additionalProperties": false}),
    ])
    .boxed()
}

/// A real document with one to four mutations.
pub fn mutated(bases: Arc<Vec<Value>>) -> BoxedStrategy<Value> {
    let count = bases.len();
    (0..count, vec(mutation(), 1..5))
        .prop_map(move |(which, mutations)| {
            let mut doc = bases[which].clone();
            for mutation in &mutations {
                apply(&mut doc, mutation);
            }
            doc
        })
        .boxed()
}

/// Every node's path from the root, depth first (the root itself excluded).
fn paths(value: &Value) -> Vec<Vec<Step>> {
    fn walk(value: &Value, prefix: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
        match value {
            Value::Object(map) => {
                for (key, child) in map {
                    prefix.push(Step::Key(key.clone()));
                    out.push(prefix.clone());
                    walk(child, prefix, out);
                    prefix.pop();
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter().enumerate() {
                    prefix.push(Step::Index(i));
                    out.push(prefix.clone());
                    walk(child, prefix, out);
                    prefix.pop();
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(value, &mut Vec::new(), &mut out);
    out
}

#[derive(Debug, Clone)]
enum Step {
    Key(String),
    Index(usize),
}

fn node_mut<'a>(root: &'a mut Value, path: &[Step]) -> Option<&'a mut Value> {
    let mut current = root;
    for step in path {
        current = match step {
            Step::Key(key) => current.as_object_mut()?.get_mut(key)?,
            Step::Index(i) => current.as_array_mut()?.get_mut(*i)?,
        };
    }
    Some(current)
}

fn apply(doc: &mut Value, mutation: &Mutation) {
    let all = paths(doc);
    if all.is_empty() {
        return;
    }
    let pick = |i: usize| all[i % all.len()].clone();
    match mutation {
        Mutation::Delete(i) => {
            let path = pick(*i);
            let (last, parent) = path.split_last().expect("paths are not empty");
            if let Some(parent) = node_mut(doc, parent) {
                match (parent, last) {
                    (Value::Object(map), Step::Key(key)) => {
                        map.remove(key);
                    }
                    (Value::Array(items), Step::Index(i)) if *i < items.len() => {
                        items.remove(*i);
                    }
                    _ => {}
                }
            }
        }
        Mutation::Replace(i, value) => {
            if let Some(node) = node_mut(doc, &pick(*i)) {
                *node = value.clone();
            }
        }
        Mutation::Transplant(i, j) => {
            let source = node_mut(doc, &pick(*j)).map(|v| v.clone());
            if let (Some(source), Some(node)) = (source, node_mut(doc, &pick(*i))) {
                *node = source;
            }
        }
        Mutation::Rename(i, name) => {
            let path = pick(*i);
            let (last, parent) = path.split_last().expect("paths are not empty");
            if let (Some(Value::Object(map)), Step::Key(key)) = (node_mut(doc, parent), last) {
                if let Some(value) = map.remove(key) {
                    map.insert(name.clone(), value);
                }
            }
        }
        Mutation::Duplicate(i) => {
            let path = pick(*i);
            let (last, parent) = path.split_last().expect("paths are not empty");
            match (node_mut(doc, parent), last) {
                (Some(Value::Array(items)), Step::Index(i)) if *i < items.len() => {
                    let copy = items[*i].clone();
                    items.push(copy);
                }
                (Some(Value::Object(map)), Step::Key(key)) => {
                    if let Some(copy) = map.get(key).cloned() {
                        map.insert(format!("{key}_copy"), copy);
                    }
                }
                _ => {}
            }
        }
    }
}
