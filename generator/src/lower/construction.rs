//! How users build values of each struct: the types requests send get `new(required...)` and
//! setters; the types only responses carry get a builder; with exhaustive types, struct
//! literals (see [`Construction`]).
//!
//! A type reachable from a request (a body or a parameter, through fields, items, variants and
//! aliases) is a request type, whatever else uses it.

use super::types::referenced_names;
use crate::ir::{Construction, Group, Presence, TypeDef, TypeKind};
use crate::names::Namespace;
use std::collections::{HashMap, HashSet};

/// Method names a setter must not take: the constructors, and methods of traits the models
/// implement, which an inherent method of the same name would shadow.
const NOT_SETTERS: &[&str] = &[
    "new",
    "builder",
    "build",
    "default",
    "clone",
    "clone_from",
    "eq",
    "ne",
    "hash",
    "fmt",
    "serialize",
    "deserialize",
    "into",
    "from",
    "to_owned",
    "to_string",
    "as_ref",
    "borrow",
    "type_id",
];

/// Decides each struct's construction, naming setters and builders (builder names are claimed
/// in `type_names`).
pub fn assign(
    types: &mut [TypeDef],
    groups: &[Group],
    exhaustive: bool,
    type_names: &mut Namespace,
) {
    let requested = if exhaustive {
        HashSet::new()
    } else {
        request_types(types, groups)
    };
    for t in types.iter_mut() {
        let TypeKind::Struct(s) = &mut t.kind else {
            continue;
        };
        let is_required =
            |p: Presence| matches!(p, Presence::Required | Presence::RequiredNullable);
        s.construction = if exhaustive {
            let required = s.fields.iter().filter(|f| is_required(f.presence)).count();
            Construction::Literal {
                constructor: required > 0 && required < s.fields.len(),
            }
        } else if requested.contains(t.name.as_str()) {
            Construction::Constructor
        } else {
            Construction::Builder {
                name: type_names.claim(&format!("{}Builder", t.name)),
            }
        };
        let setters_for_required = matches!(s.construction, Construction::Builder { .. });
        if matches!(s.construction, Construction::Literal { .. }) {
            continue;
        }
        let mut methods = Namespace::with_reserved(NOT_SETTERS);
        for f in &mut s.fields {
            if is_required(f.presence) && !setters_for_required {
                continue;
            }
            let plain = crate::names::unraw(&f.name).to_owned();
            let wanted = if NOT_SETTERS.contains(&plain.as_str()) {
                format!("set_{plain}")
            } else {
                f.name.clone()
            };
            f.setter = Some(methods.claim(&wanted));
        }
    }
}

/// The names of every type a request can carry.
fn request_types(types: &[TypeDef], groups: &[Group]) -> HashSet<String> {
    let index: HashMap<&str, &TypeDef> = types.iter().map(|t| (t.name.as_str(), t)).collect();
    let mut stack: Vec<String> = Vec::new();
    for op in groups.iter().flat_map(|g| &g.operations) {
        for param in &op.params {
            super::types::mentioned(&param.ty, &mut stack);
        }
        if let Some(body) = &op.body {
            super::types::mentioned(&body.ty, &mut stack);
        }
    }
    let mut seen = HashSet::new();
    while let Some(name) = stack.pop() {
        if !seen.insert(name.clone()) {
            continue;
        }
        if let Some(t) = index.get(name.as_str()) {
            referenced_names(&t.kind, &mut stack);
        }
    }
    seen
}
