//! Counting what a client leaves untyped: every place in its public signatures where a value
//! is `serde_json::Value` or an untyped map, by kind. The summary line, the warnings and the
//! crate docs report these counts, so that "0 untyped" means no such place exists (a test scans
//! the generated code for them and compares).

use crate::ir::{Api, Response, TypeKind, TypeRef, Untyped};

/// Whether a type holds `serde_json::Value` anywhere (an untyped map is a map of them).
pub fn mentions_json(ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Json => true,
        TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Option(inner) => mentions_json(inner),
        TypeRef::Tuple(items) => items.iter().any(mentions_json),
        _ => false,
    }
}

/// Counts the untyped places of `api`.
pub fn count(api: &Api) -> Untyped {
    let mut out = Untyped::default();
    for t in &api.types {
        match &t.kind {
            TypeKind::Struct(s) => {
                out.fields += s.fields.iter().filter(|f| mentions_json(&f.ty)).count();
                out.fields += usize::from(s.additional.as_ref().is_some_and(mentions_json));
            }
            TypeKind::Alias(target) => out.aliases += usize::from(mentions_json(target)),
            TypeKind::Union(u) => {
                out.variants += u
                    .variants
                    .iter()
                    .filter(|v| u.fallback.as_ref() != Some(&v.name) && mentions_json(&v.ty))
                    .count();
            }
            TypeKind::Enum(_) => {}
        }
    }
    for op in api.groups.iter().flat_map(|g| &g.operations) {
        out.params += op.params.iter().filter(|p| mentions_json(&p.ty)).count();
        out.bodies += usize::from(op.body.as_ref().is_some_and(|b| mentions_json(&b.ty)));
        out.responses += match &op.response {
            Response::Unit => 0,
            Response::Body(body) => usize::from(mentions_json(&body.ty)),
            Response::Outcomes { variants, .. } => variants
                .iter()
                .filter(|v| v.body.as_ref().is_some_and(|b| mentions_json(&b.ty)))
                .count(),
        };
    }
    out
}
