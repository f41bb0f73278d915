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
///
/// `Eq` and `Hash` go on enums only. A struct or union could have them while nothing inside
/// is a float, but would lose them with the first float field the API adds: a breaking change
/// for an additive one, which is how APIs evolve. And they are the compiler's work per field
/// of every model (a tenth of what a large client costs to check) for what a client's models
/// are seldom used for (set members, map keys), where enums are.
///
/// A struct's `Debug` and `PartialEq` go through its `Serialize`: derived, they were a fifth of
/// what a large client costs to check (a `&dyn Debug` and a comparison per field of every
/// struct). Equal wire forms are what equality means for an API's values; a file's is not
/// (its name and type are not in it, a stream has none), so structs with a file inside keep
/// the derives.
pub fn compute_derives(types: &mut [TypeDef]) {
    let with_files = types_with_files(types);
    for t in types.iter_mut() {
        let is_enum = matches!(t.kind, TypeKind::Enum(_));
        t.derives.through_wire_form =
            matches!(t.kind, TypeKind::Struct(_)) && !with_files.contains(&t.name);
        t.derives.eq = is_enum;
        t.derives.hash = is_enum;
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

/// The types with a file somewhere inside, through the types they refer to.
fn types_with_files(types: &[TypeDef]) -> HashSet<String> {
    let mut found = HashSet::new();
    loop {
        let before = found.len();
        for t in types {
            if found.contains(&t.name) {
                continue;
            }
            let refs: Vec<&TypeRef> = match &t.kind {
                TypeKind::Struct(s) => s
                    .fields
                    .iter()
                    .map(|f| &f.ty)
                    .chain(&s.additional)
                    .collect(),
                TypeKind::Union(u) => u.variants.iter().map(|v| &v.ty).collect(),
                TypeKind::Alias(target) => vec![target],
                TypeKind::Enum(_) => Vec::new(),
            };
            if refs.iter().any(|ty| has_file(ty, &found)) {
                found.insert(t.name.clone());
            }
        }
        if found.len() == before {
            return found;
        }
    }
}

fn has_file(ty: &TypeRef, found: &HashSet<String>) -> bool {
    match ty {
        TypeRef::File => true,
        TypeRef::Named(name) => found.contains(name),
        TypeRef::Option(inner) | TypeRef::Vec(inner) | TypeRef::Map(inner) => {
            has_file(inner, found)
        }
        TypeRef::Tuple(items) => items.iter().any(|t| has_file(t, found)),
        _ => false,
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
