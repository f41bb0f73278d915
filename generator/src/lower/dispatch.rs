//! How a union tells its variants apart: which property's value names the variant (the
//! schema's discriminator, or a property each variant fixes to one value), what decoding does
//! when several variants share a value (a second constant such as `role`, else trying them in
//! order of specificity), and which constants encoding writes whatever the variant's Rust
//! shape. Every decision is made here, once, and kept in the IR for the emitter to print.

use crate::ir::{EnumRepr, Presence, Struct, TagArm, TypeDef, TypeKind, TypeRef, UnionVariant};
use std::collections::BTreeMap;

/// The types lowered so far, by name.
pub(crate) type Types = BTreeMap<String, TypeDef>;

/// The struct a variant's payload is, through aliases.
fn variant_struct<'t>(types: &'t Types, ty: &TypeRef) -> Option<&'t Struct> {
    let mut ty = ty;
    for _ in 0..4 {
        let TypeRef::Named(name) = ty else {
            return None;
        };
        match types.get(name).map(|t| &t.kind) {
            Some(TypeKind::Struct(s)) => return Some(s),
            Some(TypeKind::Alias(next)) => ty = next,
            _ => return None,
        }
    }
    None
}

/// The one value a type allows, if it is a string enum of one value (through aliases and
/// `Option`): `type: {enum: [message]}`, or `const: message`.
pub(crate) fn only_value(types: &Types, ty: &TypeRef) -> Option<String> {
    let mut ty = ty;
    if let TypeRef::Option(inner) = ty {
        ty = inner;
    }
    // Follow aliases a few steps (a component enum may be named twice).
    for _ in 0..4 {
        let TypeRef::Named(name) = ty else {
            return None;
        };
        match types.get(name).map(|t| &t.kind) {
            Some(TypeKind::Enum(e)) if e.variants.len() == 1 && e.repr == EnumRepr::String => {
                return Some(e.variants[0].wire.clone());
            }
            Some(TypeKind::Alias(next)) => ty = next,
            _ => return None,
        }
    }
    None
}

/// The value a variant's type fixes for a property, and whether the type always writes it
/// (a required property). The property counts even where the variant leaves it optional:
/// Spotify's `TrackObject.type` is optional and still names the variant.
pub(crate) fn constant(types: &Types, ty: &TypeRef, wire: &str) -> Option<(String, bool)> {
    let field = variant_struct(types, ty)?
        .fields
        .iter()
        .find(|f| f.wire == wire)?;
    let value = only_value(types, &field.ty)?;
    Some((value, field.presence == Presence::Required))
}

/// Whether a variant's type always writes a property (it is required and not nullable).
fn always_written(types: &Types, ty: &TypeRef, wire: &str) -> bool {
    variant_struct(types, ty).is_some_and(|s| {
        s.fields
            .iter()
            .any(|f| f.wire == wire && f.presence == Presence::Required)
    })
}

/// A property every variant fixes to one value, with each variant's value: the one whose
/// values tell the most variants apart (all of them, ideally), preferring one every variant
/// requires, then the first in the first variant's order. `None` unless the values differ at
/// least once, or when a variant is not a struct.
pub(crate) fn constant_property(
    types: &Types,
    variants: &[&TypeRef],
    except: Option<&str>,
) -> Option<(String, Vec<String>)> {
    let first = variant_struct(types, variants.first()?)?;
    let mut best: Option<((usize, bool), String, Vec<String>)> = None;
    for candidate in &first.fields {
        if Some(candidate.wire.as_str()) == except {
            continue;
        }
        let found: Option<Vec<(String, bool)>> = variants
            .iter()
            .map(|ty| constant(types, ty, &candidate.wire))
            .collect();
        let Some(found) = found else {
            continue;
        };
        let mut distinct: Vec<&String> = found.iter().map(|(v, _)| v).collect();
        distinct.sort();
        distinct.dedup();
        if distinct.len() < 2 {
            continue;
        }
        let score = (distinct.len(), found.iter().all(|(_, required)| *required));
        if best.as_ref().is_none_or(|(s, _, _)| score > *s) {
            let values = found.into_iter().map(|(v, _)| v).collect();
            best = Some((score, candidate.wire.clone(), values));
        }
    }
    best.map(|(_, wire, values)| (wire, values))
}

/// The order in which variants are tried where nothing else tells them apart: the variant
/// that accepts the fewest values first, so decoding picks the most specific match.
pub(crate) fn specificity(types: &Types, ty: &TypeRef) -> (u8, usize) {
    match ty {
        TypeRef::Named(name) => match types.get(name).map(|t| &t.kind) {
            Some(TypeKind::Struct(s)) => {
                let required = s
                    .fields
                    .iter()
                    .filter(|f| {
                        matches!(f.presence, Presence::Required | Presence::RequiredNullable)
                    })
                    .count();
                if required == 0 {
                    (1, usize::MAX - s.fields.len())
                } else {
                    (0, usize::MAX - required)
                }
            }
            Some(TypeKind::Enum(e)) if e.repr == EnumRepr::Integer => (3, 0),
            Some(TypeKind::Enum(_)) => (5, 1),
            // Aliases of aliases are few; a cycle among them is broken later, so stop here.
            Some(TypeKind::Alias(TypeRef::Named(_))) => (2, 0),
            Some(TypeKind::Alias(inner)) => specificity(types, inner),
            Some(TypeKind::Union(_)) | None => (2, 0),
        },
        TypeRef::I32 | TypeRef::I64 => (3, 1),
        TypeRef::F32 | TypeRef::F64 => (3, 2),
        TypeRef::Bool => (4, 0),
        TypeRef::DateTime | TypeRef::Date | TypeRef::Uuid => (5, 0),
        TypeRef::Base64 | TypeRef::Bytes | TypeRef::File => (5, 2),
        TypeRef::String => (5, 3),
        TypeRef::Vec(_) | TypeRef::Tuple(_) => (6, 0),
        TypeRef::Option(inner) => specificity(types, inner),
        TypeRef::Map(_) => (7, 0),
        TypeRef::Json => (8, 0),
        TypeRef::Null => (4, 1),
    }
}

/// What [`plan`] decided, for the union's docs and the generator's notes.
pub(crate) struct Plan {
    /// The decoding arms.
    pub arms: Vec<TagArm>,
    /// One line per tag value that several variants share: how they are told apart.
    pub shared: Vec<String>,
}

/// Decides how a tagged union decodes (its arms) and what each variant writes, given each
/// variant's tags (all non-empty) and the property they are values of.
///
/// A tag value held by one variant decides alone. Variants sharing a value are told apart by a
/// second property each fixes to its own value (a guarded arm per variant), and a value of it
/// none of them names is tried against each in order of specificity; without such a property
/// they are tried in that order. A value without the property is tried against the variants
/// whose type leaves it optional. The arms never overlap: no pattern is unreachable.
pub(crate) fn plan(types: &Types, variants: &mut [UnionVariant], property: &str) -> Plan {
    for v in variants.iter_mut() {
        let mut seen = Vec::new();
        v.tags.retain(|t| {
            let new = !seen.contains(t);
            seen.push(t.clone());
            new
        });
    }
    let holders = |tag: &String| -> Vec<usize> {
        (0..variants.len())
            .filter(|&i| variants[i].tags.contains(tag))
            .collect()
    };
    let mut own_arms = Vec::new();
    let mut guarded = Vec::new();
    let mut shared_arms: Vec<TagArm> = Vec::new();
    let mut shared = Vec::new();
    let mut groups: Vec<(Vec<usize>, Vec<String>)> = Vec::new();
    for (i, v) in variants.iter().enumerate() {
        let own: Vec<String> = v
            .tags
            .iter()
            .filter(|t| holders(t) == [i])
            .cloned()
            .collect();
        if !own.is_empty() {
            own_arms.push(TagArm {
                tags: own,
                guard: None,
                variants: vec![v.name.clone()],
                decides: true,
            });
        }
        for tag in &v.tags {
            let group = holders(tag);
            if group.len() < 2 {
                continue;
            }
            match groups.iter_mut().find(|(g, _)| *g == group) {
                Some((_, tags)) if !tags.contains(tag) => tags.push(tag.clone()),
                Some(_) => {}
                None => groups.push((group, vec![tag.clone()])),
            }
        }
    }
    let mut writes: Vec<Vec<(String, String)>> = vec![Vec::new(); variants.len()];
    for (group, tags) in &groups {
        let tys: Vec<&TypeRef> = group.iter().map(|&i| &variants[i].ty).collect();
        let selector = constant_property(types, &tys, Some(property));
        let names: Vec<&str> = group.iter().map(|&i| variants[i].name.as_str()).collect();
        let values = tags
            .iter()
            .map(|t| format!("`{t}`"))
            .collect::<Vec<_>>()
            .join(", ");
        if let Some((wire, values_by_variant)) = &selector {
            for (&i, value) in group.iter().zip(values_by_variant) {
                // A value two of the group share does not decide: those go to the tried arm.
                if values_by_variant.iter().filter(|v| *v == value).count() > 1 {
                    continue;
                }
                guarded.push(TagArm {
                    tags: tags.clone(),
                    guard: Some((wire.clone(), value.clone())),
                    variants: vec![variants[i].name.clone()],
                    decides: true,
                });
                if !always_written(types, &variants[i].ty, wire) {
                    writes[i].push((wire.clone(), value.clone()));
                }
            }
        }
        let mut order = group.clone();
        order.sort_by_key(|&i| specificity(types, &variants[i].ty));
        let tried: Vec<&str> = order.iter().map(|&i| variants[i].name.as_str()).collect();
        shared.push(match &selector {
            Some((wire, _)) => format!(
                "`{property}` {values} names several variants ({}): they are told apart by \
                 `{wire}`, and otherwise tried in the order {}",
                names.join(", "),
                tried.join(", ")
            ),
            None => format!(
                "`{property}` {values} names several variants ({}): nothing else tells them \
                 apart, so decoding tries them in the order {} (most required properties first)",
                names.join(", "),
                tried.join(", ")
            ),
        });
        shared_arms.push(TagArm {
            tags: tags.clone(),
            guard: None,
            variants: order.iter().map(|&i| variants[i].name.clone()).collect(),
            decides: false,
        });
    }
    // A value without the property: the variants whose type may leave it out.
    let mut untagged: Vec<usize> = (0..variants.len())
        .filter(|&i| {
            constant(types, &variants[i].ty, property).is_some_and(|(_, required)| !required)
        })
        .collect();
    untagged.sort_by_key(|&i| specificity(types, &variants[i].ty));
    let mut arms = guarded;
    arms.extend(own_arms);
    arms.extend(shared_arms);
    if !untagged.is_empty() {
        arms.push(TagArm {
            tags: Vec::new(),
            guard: None,
            decides: untagged.len() == 1,
            variants: untagged.iter().map(|&i| variants[i].name.clone()).collect(),
        });
    }
    for (i, v) in variants.iter_mut().enumerate() {
        let mut w = Vec::new();
        if !always_written(types, &v.ty, property) {
            if let Some(tag) = v.tags.first() {
                w.push((property.to_owned(), tag.clone()));
            }
        }
        w.append(&mut writes[i]);
        v.writes = w;
    }
    Plan { arms, shared }
}

/// Records the properties each struct variant knows, and says whether decoding should try an
/// object against the variants by them: when at least two variants are structs.
pub(crate) fn known_properties(types: &Types, variants: &mut [UnionVariant]) -> bool {
    for v in variants.iter_mut() {
        v.properties = variant_struct(types, &v.ty)
            .filter(|s| s.additional.is_none())
            .map(|s| s.fields.iter().map(|f| f.wire.clone()).collect());
    }
    let structs = variants.iter().filter(|v| v.properties.is_some()).count();
    if structs < 2 {
        for v in variants.iter_mut() {
            v.properties = None;
        }
    }
    structs >= 2
}
