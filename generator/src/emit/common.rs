//! Small translations shared by the emitters: identifiers, docs, type references.

use crate::ir::TypeRef;
use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

/// An identifier; `r#name` becomes a raw identifier.
pub fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// Outer doc attributes (`///`), one per line.
pub fn doc(text: &str) -> TokenStream {
    let lines = text.lines().map(|line| {
        if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        }
    });
    quote! { #( #[doc = #lines] )* }
}

/// Inner doc attributes (`//!`), one per line.
pub fn inner_doc(text: &str) -> TokenStream {
    let lines = text.lines().map(|line| {
        if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        }
    });
    quote! { #( #![doc = #lines] )* }
}

/// Where a type reference is written: inside `models.rs`, or in another module that reaches
/// models through `models::`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Place {
    Models,
    Elsewhere,
}

/// The Rust type for a type reference.
pub fn type_tokens(ty: &TypeRef, place: Place) -> TokenStream {
    match ty {
        TypeRef::Named(name) => {
            let name = ident(name);
            match place {
                Place::Models => quote!(#name),
                Place::Elsewhere => quote!(models::#name),
            }
        }
        TypeRef::String => quote!(String),
        TypeRef::Bool => quote!(bool),
        TypeRef::I32 => quote!(i32),
        TypeRef::I64 => quote!(i64),
        TypeRef::F32 => quote!(f32),
        TypeRef::F64 => quote!(f64),
        TypeRef::DateTime => quote!(chrono::DateTime<chrono::Utc>),
        TypeRef::Date => quote!(chrono::NaiveDate),
        TypeRef::Uuid => quote!(uuid::Uuid),
        TypeRef::Base64 => match place {
            Place::Models => quote!(Base64),
            Place::Elsewhere => quote!(crate::runtime::Base64),
        },
        TypeRef::Bytes => quote!(Vec<u8>),
        TypeRef::File => quote!(crate::runtime::FilePart),
        TypeRef::Json => quote!(serde_json::Value),
        TypeRef::Null => quote!(()),
        TypeRef::Vec(inner) => {
            let inner = type_tokens(inner, place);
            quote!(Vec<#inner>)
        }
        TypeRef::Map(inner) => {
            let inner = type_tokens(inner, place);
            match place {
                Place::Models => quote!(BTreeMap<String, #inner>),
                Place::Elsewhere => quote!(std::collections::BTreeMap<String, #inner>),
            }
        }
        TypeRef::Option(inner) => {
            let inner = type_tokens(inner, place);
            quote!(Option<#inner>)
        }
        TypeRef::Tuple(items) => {
            let items = items.iter().map(|t| type_tokens(t, place));
            quote!((#(#items,)*))
        }
    }
}

/// Whether a type reference mentions a map (so `BTreeMap` must be imported).
pub fn mentions_map(ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Map(_) => true,
        TypeRef::Vec(inner) | TypeRef::Option(inner) => mentions_map(inner),
        TypeRef::Tuple(items) => items.iter().any(mentions_map),
        _ => false,
    }
}

/// Whether a type reference mentions `Base64`.
pub fn mentions_base64(ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Base64 => true,
        TypeRef::Vec(inner) | TypeRef::Option(inner) | TypeRef::Map(inner) => {
            mentions_base64(inner)
        }
        TypeRef::Tuple(items) => items.iter().any(mentions_base64),
        _ => false,
    }
}

/// `#[cfg(...)]` for an item of the test kit (behind `test_kit`, when there is such a
/// feature) that belongs to a type compiled when any of `features` is on.
pub fn cfg_test_util(test_kit: Option<&str>, features: &[String]) -> TokenStream {
    match (test_kit, features) {
        (None, _) => cfg_any(features),
        (Some(kit), []) => quote!(#[cfg(feature = #kit)]),
        (Some(kit), [one]) => quote!(#[cfg(all(feature = #kit, feature = #one))]),
        (Some(kit), several) => quote!(#[cfg(all(feature = #kit, any(#(feature = #several),*)))]),
    }
}

/// `#[cfg(...)]` for an item compiled when any of `features` is on; nothing when the list is
/// empty (always compiled).
pub fn cfg_any(features: &[String]) -> TokenStream {
    match features {
        [] => TokenStream::new(),
        [one] => quote!(#[cfg(feature = #one)]),
        several => quote!(#[cfg(any(#(feature = #several),*))]),
    }
}

/// Whether the crate has a cargo feature per group.
pub fn has_tag_features(api: &crate::ir::Api) -> bool {
    api.groups.iter().any(|g| g.feature.is_some())
}

/// The runtime's `Auth` value for a scheme, under the path `runtime` names.
pub fn auth_tokens(scheme: &crate::ir::AuthScheme, runtime: TokenStream) -> TokenStream {
    use crate::ir::{AuthScheme, ParamLocation};
    match scheme {
        AuthScheme::Bearer => quote!(#runtime::Auth::Bearer),
        AuthScheme::Basic => quote!(#runtime::Auth::Basic),
        AuthScheme::ApiKey {
            location,
            name,
            prefix,
        } => match (location, prefix) {
            (ParamLocation::Query, _) => quote!(#runtime::Auth::Query(#name)),
            (ParamLocation::Cookie, _) => quote!(#runtime::Auth::Cookie(#name)),
            (ParamLocation::Header | ParamLocation::Path, Some(prefix)) => {
                quote!(#runtime::Auth::PrefixedHeader(#name, #prefix))
            }
            (ParamLocation::Header | ParamLocation::Path, None) => {
                quote!(#runtime::Auth::Header(#name))
            }
        },
    }
}
