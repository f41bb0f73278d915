//! Merging inline types that have exactly the same shape.
//!
//! Large documents repeat the same inline schema many times: GitHub's webhook payloads spell out
//! the same `permissions` object, and its `read`/`write` enums, in hundreds of places. Each copy
//! would otherwise become a full type with its own serde impls, which costs generation time and,
//! far more, the compile time of every user of the crate. A copy keeps its own name (so code
//! and docs stay readable where it is used) but becomes a type alias of the first type with the
//! same shape.
//!
//! Only inline types merge; every component schema keeps its own definition, because its name
//! is part of the API's vocabulary. (An inline copy of a component's shape stays its own
//! type too: were it an alias of the component, a later change to the component alone would
//! turn the alias into a type of its own, a breaking change for code that mixed the two.)
//! Inline copies are defined once under a neutral name, the words all their names share
//! (`ApiTasksAnnotationsCreateBody` and `ApiAnnotationsPartialUpdateBody` define
//! `ApiAnnotationsBody`), not after whichever operation came first; every copy keeps its own
//! name as an alias.

use super::types::referenced_names;
use crate::ir::{TypeDef, TypeKind, TypeRef};
use std::borrow::Cow;
use std::collections::hash_map::DefaultHasher;
use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};

/// Turns every inline type that has the same shape (fields, field docs, variants, wire names)
/// as an earlier one (in name order) into an alias of it. Returns how many types became aliases.
pub fn merge_identical_inline_types(types: &mut Vec<TypeDef>) -> usize {
    // `canonical[name]` is the type an alias stands for. Every merge points at a type earlier
    // in name order, so following the map always ends.
    let mut canonical: HashMap<String, String> = HashMap::new();
    // The shape of every inline type that is still a candidate (`None` for the rest): its kind
    // with references to merged types replaced by the types they merged into, so that
    // containers of identical types compare equal. Borrowed until a reference changes.
    let mut shapes: Vec<Option<Shape>> = types
        .iter()
        .map(|t| {
            let candidate = is_inline(&t.source) && !matches!(t.kind, TypeKind::Alias(_));
            candidate.then(|| Shape::new(Cow::Borrowed(&t.kind)))
        })
        .collect();
    loop {
        // Types with equal shapes, found through each shape's hash. The order of merges comes
        // from walking `types`, so the result does not depend on hashing.
        let mut by_hash: HashMap<u64, Vec<usize>> = HashMap::new();
        let mut merges = Vec::new();
        for (i, shape) in shapes.iter().enumerate() {
            let Some(shape) = shape else { continue };
            let seen = by_hash.entry(shape.hash).or_default();
            let same = seen.iter().find(|&&j| {
                shapes[j]
                    .as_ref()
                    .is_some_and(|other| other.kind == shape.kind)
            });
            match same {
                Some(&first) => merges.push((i, types[first].name.clone())),
                None => seen.push(i),
            }
        }
        if merges.is_empty() {
            break;
        }
        let mut merged = HashSet::new();
        for (i, target) in merges {
            merged.insert(types[i].name.clone());
            canonical.insert(types[i].name.clone(), target);
            shapes[i] = None;
        }
        // Merging inner types can make their containers identical: re-read the shapes of the
        // types that mention a type merged in this round, and go again. Rounds are bounded by
        // the nesting depth of inline schemas.
        for shape in shapes.iter_mut().flatten() {
            let mut names = Vec::new();
            referenced_names(&shape.kind, &mut names);
            if names.iter().any(|name| merged.contains(name)) {
                *shape = Shape::new(Cow::Owned(canonical_shape(&shape.kind, &canonical)));
            }
        }
    }
    let renamed = neutral_names(types, &canonical);
    for t in types.iter_mut() {
        if let Some(target) = canonical.get(&t.name) {
            let target = resolve(target, &canonical);
            let target = renamed.get(&target).cloned().unwrap_or(target);
            t.doc = crate::docs::paragraphs([
                std::mem::take(&mut t.doc),
                format!("The same shape as [`{target}`], so it is another name for that type."),
            ]);
            t.kind = TypeKind::Alias(TypeRef::Named(target));
        }
    }
    canonical.len()
}

/// Neutral names for the inline types that keep the definition of a merged shape: the words
/// every copy's name shares, in order (`ApiAnnotationsBody` for `ApiTasksAnnotationsCreateBody`
/// and `ApiAnnotationsPartialUpdateBody`). The type is renamed, and an alias with its old name
/// takes its place (old names stay valid). Returns old name -> new name; a shape whose copies
/// share no words, or whose neutral name is taken, keeps its name.
fn neutral_names(
    types: &mut Vec<TypeDef>,
    canonical: &HashMap<String, String>,
) -> HashMap<String, String> {
    let mut copies: HashMap<String, Vec<String>> = HashMap::new();
    for name in canonical.keys() {
        copies
            .entry(resolve(name, canonical))
            .or_default()
            .push(name.clone());
    }
    let mut taken: HashSet<String> = types.iter().map(|t| t.name.clone()).collect();
    let mut renamed = HashMap::new();
    let mut keeping: Vec<&String> = copies.keys().collect();
    keeping.sort();
    let mut added = Vec::new();
    for kept in keeping {
        let Some(index) = types.iter().position(|t| &t.name == kept) else {
            continue;
        };
        if !is_inline(&types[index].source) {
            continue;
        }
        // In name order: the docs list them, and output must not depend on hashing.
        let mut all = copies[kept].clone();
        all.push(kept.clone());
        all.sort();
        let neutral = super::model_name(shared_words(&all));
        if neutral.is_empty() || neutral == *kept || taken.contains(&neutral) {
            continue;
        }
        taken.insert(neutral.clone());
        let mut alias = types[index].clone();
        alias.kind = TypeKind::Alias(TypeRef::Named(neutral.clone()));
        alias.doc = crate::docs::paragraphs([
            std::mem::take(&mut alias.doc),
            format!("The same shape as [`{neutral}`], so it is another name for that type."),
        ]);
        types[index].name = neutral.clone();
        types[index].doc = crate::docs::paragraphs([
            std::mem::take(&mut types[index].doc),
            format!(
                "Several parts of the API description have this shape: {}.",
                listed(&all)
            ),
        ]);
        added.push(alias);
        renamed.insert(kept.clone(), neutral);
    }
    types.extend(added);
    types.sort_by(|a, b| a.name.cmp(&b.name));
    renamed
}

/// Names as doc links, the first few of a long list (one API has 150 copies of a shape).
fn listed(names: &[String]) -> String {
    const SHOWN: usize = 8;
    let links: Vec<String> = names
        .iter()
        .take(SHOWN)
        .map(|n| format!("[`{n}`]"))
        .collect();
    match names.len().checked_sub(SHOWN) {
        Some(more) if more > 0 => format!("{} and {more} more", links.join(", ")),
        _ => links.join(", "),
    }
}

/// The words (of `UpperCamelCase` names) that every name has, in the order of the first.
fn shared_words(names: &[String]) -> String {
    let split = |name: &str| -> Vec<String> {
        let mut words = Vec::new();
        let mut current = String::new();
        for c in name.chars() {
            if c.is_ascii_uppercase() && !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            current.push(c);
        }
        if !current.is_empty() {
            words.push(current);
        }
        words
    };
    let lists: Vec<Vec<String>> = names.iter().map(|n| split(n)).collect();
    let Some((first, rest)) = lists.split_first() else {
        return String::new();
    };
    let shared: Vec<&String> = first
        .iter()
        .filter(|w| rest.iter().all(|other| other.contains(w)))
        .collect();
    let name: String = shared.iter().map(|w| w.as_str()).collect();
    // A name that starts with a digit is not a type name.
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        String::new()
    } else {
        name
    }
}

/// A candidate's kind as it compares for merging, with its hash computed once.
struct Shape<'a> {
    kind: Cow<'a, TypeKind>,
    hash: u64,
}

impl<'a> Shape<'a> {
    fn new(kind: Cow<'a, TypeKind>) -> Self {
        let mut hasher = DefaultHasher::new();
        kind.hash(&mut hasher);
        Shape {
            hash: hasher.finish(),
            kind,
        }
    }
}

/// Follows merges to the type that keeps its definition.
fn resolve(name: &str, canonical: &HashMap<String, String>) -> String {
    let mut name = name;
    while let Some(next) = canonical.get(name) {
        name = next;
    }
    name.to_owned()
}

/// A kind with every reference to a merged type replaced by the type it merged into.
fn canonical_shape(kind: &TypeKind, canonical: &HashMap<String, String>) -> TypeKind {
    let mut kind = kind.clone();
    let canon = |ty: &mut TypeRef| rename(ty, canonical);
    match &mut kind {
        TypeKind::Struct(s) => {
            s.fields.iter_mut().for_each(|f| canon(&mut f.ty));
            if let Some(extra) = &mut s.additional {
                canon(extra);
            }
        }
        TypeKind::Union(u) => u.variants.iter_mut().for_each(|v| canon(&mut v.ty)),
        TypeKind::Alias(target) => canon(target),
        TypeKind::Enum(_) => {}
    }
    kind
}

fn rename(ty: &mut TypeRef, canonical: &HashMap<String, String>) {
    match ty {
        TypeRef::Named(name) => *name = resolve(name, canonical),
        TypeRef::Option(inner) | TypeRef::Vec(inner) | TypeRef::Map(inner) => {
            rename(inner, canonical)
        }
        TypeRef::Tuple(items) => items.iter_mut().for_each(|t| rename(t, canonical)),
        _ => {}
    }
}

/// Whether a type comes from an inline schema rather than from `#/components/schemas/<name>`
/// itself.
fn is_inline(source: &str) -> bool {
    match source.strip_prefix("#/components/schemas/") {
        Some(name) => name.contains('/'),
        None => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{Enum, EnumRepr, EnumVariant};

    fn read_write(name: &str, source: &str) -> TypeDef {
        let variant = |v: &str| EnumVariant {
            name: heck::ToUpperCamelCase::to_upper_camel_case(v),
            wire: v.to_owned(),
            doc: format!("`{v}`"),
        };
        TypeDef {
            name: name.to_owned(),
            source: source.to_owned(),
            written_at: String::new(),
            doc: String::from("A type defined inline in the API description."),
            deprecated: false,
            derives: Default::default(),
            kind: TypeKind::Enum(Enum {
                repr: EnumRepr::String,
                variants: vec![variant("read"), variant("write")],
                other: String::from("Unknown"),
            }),
            features: Vec::new(),
        }
    }

    /// A component keeps its own definition even when inline copies have its shape.
    #[test]
    fn components_keep_their_definition() {
        let mut types = vec![
            read_write("AppChecks", "#/components/schemas/app/properties/checks"),
            read_write(
                "AppContents",
                "#/components/schemas/app/properties/contents",
            ),
            read_write("Permission", "#/components/schemas/Permission"),
        ];
        assert_eq!(merge_identical_inline_types(&mut types), 1);
        let names: Vec<&str> = types.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["App", "AppChecks", "AppContents", "Permission"]);
        assert!(matches!(types[0].kind, TypeKind::Enum(_)));
        assert_eq!(
            types[1].kind,
            TypeKind::Alias(TypeRef::Named(String::from("App")))
        );
        assert!(matches!(types[3].kind, TypeKind::Enum(_)));
    }

    /// Inline copies are defined once under the words their names share, never after
    /// whichever came first; each keeps its name as an alias.
    #[test]
    fn inline_copies_share_a_neutral_name() {
        let mut types = vec![
            read_write("ApiAnnotationsPartialUpdateBody", "#/paths/~1a/patch/x"),
            read_write("ApiTasksAnnotationsCreateBody", "#/paths/~1b/post/x"),
        ];
        assert_eq!(merge_identical_inline_types(&mut types), 1);
        let names: Vec<&str> = types.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "ApiAnnotationsBody",
                "ApiAnnotationsPartialUpdateBody",
                "ApiTasksAnnotationsCreateBody"
            ]
        );
        assert!(matches!(types[0].kind, TypeKind::Enum(_)));
        for alias in &types[1..] {
            assert_eq!(
                alias.kind,
                TypeKind::Alias(TypeRef::Named(String::from("ApiAnnotationsBody")))
            );
        }
    }

    #[test]
    fn different_values_do_not_merge() {
        let mut types = vec![
            read_write("A", "#/paths/~1a/get/x"),
            read_write("B", "#/paths/~1b/get/x"),
        ];
        if let TypeKind::Enum(e) = &mut types[1].kind {
            e.variants.pop();
        }
        assert_eq!(merge_identical_inline_types(&mut types), 0);
    }
}
