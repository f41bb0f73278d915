//! Passes over the finished type list: breaking alias cycles, boxing recursive fields and
//! deciding which derives are valid.

use crate::ir::{ModelModule, Presence, TypeDef, TypeKind, TypeRef};
use std::collections::{HashMap, HashSet};

/// Names a type holds by value (not behind a `Vec` or map, which already allocate).
fn by_value(ty: &TypeRef, out: &mut Vec<String>) {
    match ty {
        TypeRef::Named(name) => out.push(name.clone()),
        TypeRef::Option(inner) => by_value(inner, out),
        TypeRef::Tuple(items) => items.iter().for_each(|t| by_value(t, out)),
        _ => {}
    }
}

/// Every model type a type definition refers to, at any depth of `Vec`, map or `Option`.
pub fn referenced_names(kind: &TypeKind, out: &mut Vec<String>) {
    match kind {
        TypeKind::Struct(s) => {
            s.fields.iter().for_each(|f| mentioned(&f.ty, out));
            if let Some(extra) = &s.additional {
                mentioned(extra, out);
            }
        }
        TypeKind::Union(u) => u.variants.iter().for_each(|v| mentioned(&v.ty, out)),
        TypeKind::Alias(target) => mentioned(target, out),
        TypeKind::Enum(_) => {}
    }
}

/// Every name a type mentions, at any depth.
pub fn mentioned(ty: &TypeRef, out: &mut Vec<String>) {
    match ty {
        TypeRef::Named(name) => out.push(name.clone()),
        TypeRef::Option(inner) | TypeRef::Vec(inner) | TypeRef::Map(inner) => mentioned(inner, out),
        TypeRef::Tuple(items) => items.iter().for_each(|t| mentioned(t, out)),
        _ => {}
    }
}

/// Type aliases cannot refer to themselves, even through `Vec`; such aliases become
/// `serde_json::Value`. Returns the names that were replaced.
pub fn break_alias_cycles(types: &mut [TypeDef]) -> Vec<String> {
    let aliases: HashMap<String, TypeRef> = types
        .iter()
        .filter_map(|t| match &t.kind {
            TypeKind::Alias(target) => Some((t.name.clone(), target.clone())),
            _ => None,
        })
        .collect();
    let mut cyclic = Vec::new();
    for (name, target) in &aliases {
        let mut seen = HashSet::new();
        let mut stack = Vec::new();
        mentioned(target, &mut stack);
        while let Some(next) = stack.pop() {
            if next == *name {
                cyclic.push(name.clone());
                break;
            }
            if seen.insert(next.clone()) {
                if let Some(t) = aliases.get(&next) {
                    mentioned(t, &mut stack);
                }
            }
        }
    }
    cyclic.sort();
    for t in types.iter_mut() {
        if cyclic.contains(&t.name) {
            t.kind = TypeKind::Alias(TypeRef::Json);
        }
    }
    cyclic
}

/// Boxes every field and variant that would make a type contain itself by value.
pub fn box_recursive_fields(types: &mut [TypeDef]) {
    let index: HashMap<String, usize> = types
        .iter()
        .enumerate()
        .map(|(i, t)| (t.name.clone(), i))
        .collect();
    let edges: Vec<Vec<usize>> = types
        .iter()
        .map(|t| {
            let mut names = Vec::new();
            match &t.kind {
                TypeKind::Struct(s) => s.fields.iter().for_each(|f| by_value(&f.ty, &mut names)),
                TypeKind::Union(u) => u.variants.iter().for_each(|v| by_value(&v.ty, &mut names)),
                TypeKind::Alias(target) => by_value(target, &mut names),
                TypeKind::Enum(_) => {}
            }
            names
                .iter()
                .filter_map(|n| index.get(n.as_str()).copied())
                .collect()
        })
        .collect();
    let component = strongly_connected(&edges);
    let in_cycle = |from: usize, name: &str| {
        index.get(name).is_some_and(|&to| {
            component[to] == component[from] && (to != from || edges[from].contains(&from))
        })
    };
    for (i, t) in types.iter_mut().enumerate() {
        let needs_box = |ty: &TypeRef| {
            let mut names = Vec::new();
            by_value(ty, &mut names);
            names.iter().any(|n| in_cycle(i, n.as_str()))
        };
        let boxed_fields: Vec<bool> = match &t.kind {
            TypeKind::Struct(s) => s.fields.iter().map(|f| needs_box(&f.ty)).collect(),
            TypeKind::Union(u) => u.variants.iter().map(|v| needs_box(&v.ty)).collect(),
            _ => Vec::new(),
        };
        match &mut t.kind {
            TypeKind::Struct(s) => s
                .fields
                .iter_mut()
                .zip(boxed_fields)
                .for_each(|(f, b)| f.boxed = b),
            TypeKind::Union(u) => u
                .variants
                .iter_mut()
                .zip(boxed_fields)
                .for_each(|(v, b)| v.boxed = b),
            _ => {}
        }
    }
}

/// Tarjan's algorithm, iterative so that deep type graphs cannot overflow the stack.
/// Returns the component number of each node.
fn strongly_connected(edges: &[Vec<usize>]) -> Vec<usize> {
    let n = edges.len();
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut component = vec![usize::MAX; n];
    let mut next_index = 0;
    let mut next_component = 0;
    for root in 0..n {
        if index[root] != usize::MAX {
            continue;
        }
        let mut work: Vec<(usize, usize)> = vec![(root, 0)];
        while let Some(&(v, edge)) = work.last() {
            if edge == 0 && index[v] == usize::MAX {
                index[v] = next_index;
                low[v] = next_index;
                next_index += 1;
                stack.push(v);
                on_stack[v] = true;
            }
            if let Some(&w) = edges[v].get(edge) {
                if let Some(top) = work.last_mut() {
                    top.1 += 1;
                }
                if index[w] == usize::MAX {
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    component[w] = next_component;
                    if w == v {
                        break;
                    }
                }
                next_component += 1;
            }
        }
    }
    component
}

/// APIs with more types than this get a `models/` folder instead of one `models.rs`.
const SPLIT_MODELS_ABOVE: usize = 400;
/// The most types one file of a split `models/` holds.
const TYPES_PER_FILE: usize = 250;

/// Splits the (sorted) types of a large API into files by the first letter of their names,
/// cutting letters that hold many types into numbered parts.
pub fn plan_model_modules(types: &[TypeDef]) -> Vec<ModelModule> {
    if types.len() <= SPLIT_MODELS_ABOVE {
        return Vec::new();
    }
    let mut by_letter: Vec<(char, Vec<usize>)> = Vec::new();
    for (i, t) in types.iter().enumerate() {
        let letter = t.name.chars().next().unwrap_or('_').to_ascii_lowercase();
        match by_letter.last_mut() {
            Some((l, indices)) if *l == letter => indices.push(i),
            _ => by_letter.push((letter, vec![i])),
        }
    }
    let mut out = Vec::new();
    for (letter, indices) in by_letter {
        let label = letter.to_ascii_uppercase().to_string();
        let base = if letter.is_ascii_alphabetic() {
            letter.to_string()
        } else {
            "other".to_owned()
        };
        let parts: Vec<&[usize]> = indices.chunks(TYPES_PER_FILE).collect();
        let several = parts.len() > 1;
        for (n, part) in parts.into_iter().enumerate() {
            let name = if several {
                format!("{base}{}", n + 1)
            } else {
                base.clone()
            };
            out.push(ModelModule {
                name,
                label: label.clone(),
                types: part.to_vec(),
            });
        }
    }
    out
}

/// Decides `Eq`, `Hash` and `Default` for every type.
pub fn compute_derives(types: &mut [TypeDef]) {
    // Start from "every type can be Eq" and knock out types that contain floats, repeating
    // until nothing changes (types refer to each other, sometimes in cycles).
    let mut eq: HashMap<String, bool> = types.iter().map(|t| (t.name.clone(), true)).collect();
    loop {
        let mut changed = false;
        for t in types.iter() {
            if !eq[&t.name] {
                continue;
            }
            let ok = match &t.kind {
                TypeKind::Struct(s) => {
                    s.fields.iter().all(|f| ty_eq(&f.ty, &eq))
                        && s.additional.as_ref().is_none_or(|a| ty_eq(a, &eq))
                }
                TypeKind::Union(u) => u.variants.iter().all(|v| ty_eq(&v.ty, &eq)),
                TypeKind::Alias(target) => ty_eq(target, &eq),
                TypeKind::Enum(_) => true,
            };
            if !ok {
                eq.insert(t.name.clone(), false);
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    for t in types.iter_mut() {
        let is_eq = eq[&t.name];
        t.derives.eq = is_eq;
        t.derives.hash = is_eq;
        t.derives.default = match &t.kind {
            TypeKind::Struct(s) => s.fields.iter().all(|f| {
                matches!(
                    f.presence,
                    Presence::Optional | Presence::OptionalNullable | Presence::OptionalJson
                )
            }),
            _ => false,
        };
    }
}

fn ty_eq(ty: &TypeRef, eq: &HashMap<String, bool>) -> bool {
    match ty {
        // Floats, and files, whose contents may be a stream.
        TypeRef::F32 | TypeRef::F64 | TypeRef::File => false,
        TypeRef::Named(name) => eq.get(name).copied().unwrap_or(true),
        TypeRef::Option(inner) | TypeRef::Vec(inner) | TypeRef::Map(inner) => ty_eq(inner, eq),
        TypeRef::Tuple(items) => items.iter().all(|t| ty_eq(t, eq)),
        _ => true,
    }
}

/// Gives every tagged union a variant for discriminator values it does not list, holding the
/// JSON as it came: APIs add variants (a new event or item type) as often as enum values, and
/// one new kind of record must not make a whole response fail to decode.
pub fn add_union_fallbacks(types: &mut [TypeDef]) {
    for t in types.iter_mut() {
        let TypeKind::Union(u) = &mut t.kind else {
            continue;
        };
        if u.discriminator.is_none() || u.fallback.is_some() {
            continue;
        }
        let mut name = "Unknown".to_owned();
        let mut n = 2;
        while u.variants.iter().any(|v| v.name == name) {
            name = format!("Unknown{n}");
            n += 1;
        }
        u.variants
            .push(crate::ir::UnionVariant::added(name.clone(), TypeRef::Json));
        u.set_fallback(name);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_cycles() {
        // 0 -> 1 -> 0, 2 -> 2, 3 alone
        let c = strongly_connected(&[vec![1], vec![0], vec![2], vec![]]);
        assert_eq!(c[0], c[1]);
        assert_ne!(c[0], c[2]);
        assert_ne!(c[2], c[3]);
    }
}
