//! `models.rs`: one Rust type per IR type.

use super::common::{
    cfg_any, doc, has_tag_features, ident, inner_doc, mentions_base64, mentions_map, type_tokens,
    Place,
};
use crate::ir::{Api, Enum, EnumRepr, Field, Presence, Struct, TypeDef, TypeKind, TypeRef, Union};
use proc_macro2::{Literal, TokenStream};
use quote::quote;

const MODELS_DOC: &str =
    "The types of request and response bodies.\n\nEach type is generated from a schema of the API \
     description; the docs of each item name the schema it comes from.";

/// `models.rs`: every type in one file.
pub fn models(api: &Api) -> TokenStream {
    let all: Vec<&TypeDef> = api.types.iter().collect();
    type_file(&all, api, inner_doc(MODELS_DOC), false)
}

/// `models/mod.rs` of a split `models/`: the files, each re-exported.
pub fn models_mod(api: &Api) -> TokenStream {
    let header = inner_doc(MODELS_DOC);
    let modules = api.model_modules.iter().map(|m| {
        let name = ident(&m.name);
        let mdoc = doc(&format!("Types whose names start with {}.", m.label));
        quote! {
            #mdoc
            mod #name;
            pub use #name::*;
        }
    });
    // With only some features on, a file may have nothing compiled to re-export.
    let allow_imports = has_tag_features(api).then(|| quote!(#![allow(unused_imports)]));
    quote! {
        #header
        #allow_imports
        #(#modules)*
    }
}

/// One file of a split `models/`.
pub fn model_file(api: &Api, index: usize) -> TokenStream {
    let module = &api.model_modules[index];
    let types: Vec<&TypeDef> = module.types.iter().map(|&i| &api.types[i]).collect();
    // Types of the other files come in through the parent's re-exports.
    let own: std::collections::HashSet<&str> = types.iter().map(|t| t.name.as_str()).collect();
    let refers_outside = types
        .iter()
        .flat_map(|t| type_refs(t))
        .any(|ty| names_outside(ty, &own));
    let header = inner_doc(&format!("Types whose names start with {}.", module.label));
    type_file(&types, api, header, refers_outside)
}

fn names_outside(ty: &TypeRef, own: &std::collections::HashSet<&str>) -> bool {
    match ty {
        TypeRef::Named(name) => !own.contains(name.as_str()),
        TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Option(inner) => {
            names_outside(inner, own)
        }
        TypeRef::Tuple(items) => items.iter().any(|t| names_outside(t, own)),
        _ => false,
    }
}

/// A file of types, with the imports they use.
fn type_file(
    types: &[&TypeDef],
    api: &Api,
    header: TokenStream,
    use_siblings: bool,
) -> TokenStream {
    let all_refs: Vec<&TypeRef> = types.iter().flat_map(|t| type_refs(t)).collect();
    // Extra properties beside named ones are collected into a `BTreeMap` too.
    let uses_map = all_refs.iter().any(|t| mentions_map(t))
        || types
            .iter()
            .any(|t| matches!(&t.kind, TypeKind::Struct(s) if s.additional.is_some()));
    let uses_base64 = all_refs.iter().any(|t| mentions_base64(t));
    let uses_nullable = types.iter().any(|t| {
        matches!(&t.kind, TypeKind::Struct(s) if s.fields.iter().any(|f| f.presence == Presence::OptionalNullable))
    });
    let uses_serde = types.iter().any(|t| !matches!(t.kind, TypeKind::Alias(_)));
    let uses_record = types.iter().any(|t| matches!(t.kind, TypeKind::Struct(_)));
    let imports = [
        use_siblings.then(|| {
            quote!(
                use super::*;
            )
        }),
        uses_map.then(|| {
            quote!(
                use std::collections::BTreeMap;
            )
        }),
        uses_serde.then(|| {
            quote!(
                use serde::{Deserialize, Serialize};
            )
        }),
        uses_nullable.then(|| {
            quote!(
                use crate::runtime::Nullable;
            )
        }),
        uses_base64.then(|| {
            quote!(
                use crate::runtime::Base64;
            )
        }),
        // Named short: the structs' field lists name a marker from it per field.
        uses_record.then(|| {
            quote!(
                use crate::runtime::record as de;
            )
        }),
    ];
    let allow = api.has_deprecated.then(|| quote!(#![allow(deprecated)]));
    // With only some features on, a file may have no compiled user of an import.
    let allow_imports = has_tag_features(api).then(|| quote!(#![allow(unused_imports)]));
    let test_kit = api.test_kit_feature.as_deref();
    let defs = types
        .iter()
        .map(|t| type_def(t, api.non_exhaustive, test_kit));
    quote! {
        #header
        #allow
        #allow_imports
        #(#imports)*
        #(#defs)*
    }
}

fn type_refs(t: &TypeDef) -> Vec<&TypeRef> {
    match &t.kind {
        TypeKind::Struct(s) => s
            .fields
            .iter()
            .map(|f| &f.ty)
            .chain(s.additional.iter())
            .collect(),
        TypeKind::Union(u) => u.variants.iter().map(|v| &v.ty).collect(),
        TypeKind::Alias(target) => vec![target],
        TypeKind::Enum(_) => Vec::new(),
    }
}

fn derives(t: &TypeDef) -> TokenStream {
    // A struct's `Debug` and `PartialEq` are derived only when not written through its wire
    // form (see `wire_form_traits`).
    let mut list = vec![quote!(Clone)];
    if !t.derives.through_wire_form {
        list.extend([quote!(Debug), quote!(PartialEq)]);
    }
    if t.derives.eq {
        list.push(quote!(Eq));
    }
    if t.derives.hash {
        list.push(quote!(Hash));
    }
    if t.derives.default {
        list.push(quote!(Default));
    }
    quote!(#[derive(#(#list),*)])
}

fn type_def(t: &TypeDef, non_exhaustive: bool, test_kit: Option<&str>) -> TokenStream {
    let docs = doc(&format!(
        "{}\n\nSchema: {}",
        t.doc,
        crate::docs::code(if t.written_at.is_empty() {
            &t.source
        } else {
            &t.written_at
        })
    ));
    // Attributes every kind of type takes the same way (an alias cannot be non-exhaustive).
    let deprecated = t.deprecated.then(|| quote!(#[deprecated]));
    let non_exhaustive = (non_exhaustive && !matches!(t.kind, TypeKind::Alias(_)))
        .then(|| quote!(#[non_exhaustive]));
    let markers = quote!(#deprecated #non_exhaustive);
    let cfg = cfg_any(&t.features);
    let cfg = &cfg;
    let name = ident(&t.name);
    match &t.kind {
        TypeKind::Struct(s) => {
            // Encoding and decoding are written out (see `struct_encoder`, `struct_decoder`),
            // `Debug` and `PartialEq` too for most structs (see `wire_form_traits`).
            let derive = derives(t);
            let body = struct_body(s);
            let wire_form = t
                .derives
                .through_wire_form
                .then(|| wire_form_traits(&t.name, cfg));
            let encoder = struct_encoder(&t.name, s, cfg);
            let decoder = struct_decoder(&t.name, s, cfg);
            let constructor = super::construction::construction(t, s, cfg, test_kit);
            quote! {
                #docs
                #cfg
                #markers
                #derive
                pub struct #name { #body }

                #wire_form

                #encoder

                #decoder

                #constructor
            }
        }
        TypeKind::Enum(e) => enum_def(t, e, docs, markers, cfg),
        TypeKind::Union(u) => union_def(t, u, docs, markers, cfg),
        TypeKind::Alias(target) => {
            let target = type_tokens(target, Place::Models);
            quote! {
                #docs
                #cfg
                #deprecated
                pub type #name = #target;
            }
        }
    }
}

fn struct_body(s: &Struct) -> TokenStream {
    let fields = s.fields.iter().map(field);
    let additional = s.additional.as_ref().map(|value| {
        let value = type_tokens(value, Place::Models);
        quote! {
            /// Properties not listed in the schema, by name.
            pub additional_properties: BTreeMap<String, #value>,
        }
    });
    quote! { #(#fields)* #additional }
}

fn field(f: &Field) -> TokenStream {
    let docs = doc(&f.doc);
    let name = ident(&f.name);
    let ty = field_type(f);
    let deprecated = f.deprecated.then(|| quote!(#[deprecated]));
    quote! {
        #docs
        #deprecated
        pub #name: #ty,
    }
}

/// A field's value type, boxed where the type contains itself, without its presence wrapper.
fn value_type(f: &Field) -> TokenStream {
    let value = type_tokens(&f.ty, Place::Models);
    if f.boxed {
        quote!(Box<#value>)
    } else {
        value
    }
}

/// A field's type: its value type in the wrapper its presence asks for.
fn field_type(f: &Field) -> TokenStream {
    let value = value_type(f);
    match f.presence {
        Presence::Required => value,
        Presence::RequiredNullable | Presence::Optional | Presence::OptionalJson => {
            quote!(Option<#value>)
        }
        Presence::OptionalNullable => quote!(Nullable<#value>),
    }
}

/// `Debug` and `PartialEq` for a struct, through its `Serialize` (`runtime::debug`):
/// derived `Debug`'s form (`{:#?}` too) with the properties' wire names and without absent
/// optional ones; equal when the wire forms are. Derived, they cost the compiler a `&dyn
/// Debug` and a comparison per field: a fifth of what a large client cost to check.
fn wire_form_traits(name: &str, cfg: &TokenStream) -> TokenStream {
    let ty = ident(name);
    let shown = crate::names::unraw(name);
    quote! {
        #cfg
        impl std::fmt::Debug for #ty {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                crate::runtime::debug::fields(self, #shown, f)
            }
        }

        #cfg
        impl PartialEq for #ty {
            fn eq(&self, other: &Self) -> bool {
                crate::runtime::debug::same(self, other)
            }
        }
    }
}

/// `Serialize` for a struct: the runtime's one struct writer (`runtime::record`), handed a
/// reference to each field (an optional one in `Skip`, left out when absent), nested as the
/// decoder's field list is, then the additional properties. It writes what serde's derive
/// would (with `skip_serializing_if` on optional fields); the property names are the
/// decoder's (`Record::NAMES`).
fn struct_encoder(name: &str, s: &Struct, cfg: &TokenStream) -> TokenStream {
    let ty = ident(name);
    let entries = nested(
        s.fields
            .iter()
            .map(|f| {
                let field = ident(&f.name);
                match f.presence {
                    Presence::Required | Presence::RequiredNullable => quote!(&self.#field),
                    Presence::Optional | Presence::OptionalJson | Presence::OptionalNullable => {
                        quote!(de::Skip(&self.#field))
                    }
                }
            })
            .collect(),
    );
    let write = match &s.additional {
        None => quote!(de::write(serializer, <Self as de::Record>::NAMES, &#entries)),
        Some(_) => quote! {
            de::write_with_additional(
                serializer, <Self as de::Record>::NAMES, &#entries, &self.additional_properties,
            )
        },
    };
    quote! {
        #cfg
        impl Serialize for #ty {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                #write
            }
        }
    }
}

/// `Deserialize` for a struct: the runtime's one struct reader (`runtime::record`), told the
/// fields as a type, a marker per field saying how it reads. It decodes what serde's derive
/// would (a missing optional field is `None` or `Absent`, a missing required one is serde's
/// "missing field" error, a present `null` of an untyped optional field is
/// `Some(Value::Null)`), and costs the compiler a call and a move per field: the reading loop
/// written out per struct was half of what a large client cost to check.
fn struct_decoder(name: &str, s: &Struct, cfg: &TokenStream) -> TokenStream {
    let ty = ident(name);
    let expecting = format!("struct {}", crate::names::unraw(name));
    let markers = nested(s.fields.iter().map(field_marker).collect());
    let bindings = nested(
        s.fields
            .iter()
            .map(|f| {
                let field = ident(&f.name);
                quote!(#field)
            })
            .collect(),
    );
    let names = s.fields.iter().map(|f| &f.wire);
    let fields = s.fields.iter().map(|f| ident(&f.name));
    let (additional, kept, init) = match &s.additional {
        None => (quote!(()), quote!(_), None),
        Some(value) => {
            let value = type_tokens(value, Place::Models);
            (
                quote!(BTreeMap<String, #value>),
                quote!(additional_properties),
                Some(quote!(additional_properties)),
            )
        }
    };
    quote! {
        #cfg
        impl de::Record for #ty {
            type Fields = #markers;
            type Additional = #additional;
            const NAMES: &'static [&'static str] = &[#(#names),*];
            const EXPECTING: &'static str = #expecting;

            fn build(#bindings: <Self::Fields as de::Fields>::Values, #kept: #additional) -> Self {
                #ty { #(#fields,)* #init }
            }
        }

        #cfg
        impl<'de> Deserialize<'de> for #ty {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                crate::runtime::record::read(deserializer)
            }
        }
    }
}

/// How a field reads: the `runtime::record` marker for its presence and decoding.
fn field_marker(f: &Field) -> TokenStream {
    let lenient =
        f.decode == crate::ir::Decode::LenientInteger && f.presence != Presence::OptionalJson;
    let ty = field_type(f);
    match (f.presence, lenient) {
        (Presence::Required | Presence::RequiredNullable, false) => quote!(de::Required<#ty>),
        (Presence::Required | Presence::RequiredNullable, true) => {
            quote!(de::RequiredInteger<#ty>)
        }
        (Presence::Optional, false) => {
            let value = value_type(f);
            quote!(de::Optional<#value>)
        }
        (Presence::OptionalNullable, false) => quote!(de::Defaulted<#ty>),
        (Presence::Optional | Presence::OptionalNullable, true) => {
            quote!(de::DefaultedInteger<#ty>)
        }
        (Presence::OptionalJson, _) => quote!(de::Untyped),
    }
}

/// Items as a tuple, nested in tuples of at most twelve (the most the standard library's
/// traits, and so the runtime's field lists, take): the shape both of a decoder's field list
/// and of the pattern that takes its values.
fn nested(items: Vec<TokenStream>) -> TokenStream {
    const MOST: usize = 12;
    if items.len() <= MOST {
        return quote!((#(#items,)*));
    }
    let groups: Vec<TokenStream> = items
        .chunks(MOST)
        .map(|chunk| quote!((#(#chunk,)*)))
        .collect();
    nested(groups)
}

fn enum_def(
    t: &TypeDef,
    e: &Enum,
    docs: TokenStream,
    markers: TokenStream,
    cfg: &TokenStream,
) -> TokenStream {
    let name = ident(&t.name);
    let other = ident(&e.other);
    let variant_names: Vec<_> = e.variants.iter().map(|v| ident(&v.name)).collect();
    let variant_docs: Vec<_> = e.variants.iter().map(|v| doc(&v.doc)).collect();
    match e.repr {
        EnumRepr::String => {
            let wires: Vec<&str> = e.variants.iter().map(|v| v.wire.as_str()).collect();
            // Serialised through `as_str` and `FromStr`: far less code for the compiler than
            // serde's derive for an enum with a catch-all variant.
            let derive = derives(t);
            quote! {
                #docs
                #cfg
                #markers
                #derive
                pub enum #name {
                    #(
                        #variant_docs
                        #variant_names,
                    )*
                    /// A value this version of the client does not know; the API may add values
                    /// over time.
                    #other(String),
                }

                #cfg
                impl #name {
                    /// The value as it is sent and received.
                    pub fn as_str(&self) -> &str {
                        match self {
                            #( Self::#variant_names => #wires, )*
                            Self::#other(value) => value,
                        }
                    }
                }

                #cfg
                impl std::fmt::Display for #name {
                    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str(self.as_str())
                    }
                }

                #cfg
                impl std::str::FromStr for #name {
                    type Err = std::convert::Infallible;

                    fn from_str(value: &str) -> Result<Self, Self::Err> {
                        let parsed = match value {
                            #( #wires => Self::#variant_names, )*
                            other => Self::#other(other.to_owned()),
                        };
                        Ok(parsed)
                    }
                }

                #cfg
                impl Serialize for #name {
                    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                        serializer.serialize_str(self.as_str())
                    }
                }

                #cfg
                impl<'de> Deserialize<'de> for #name {
                    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                        crate::runtime::serde_helpers::from_str(deserializer, &[#(#wires),*])
                    }
                }
            }
        }
        EnumRepr::Integer => {
            let values: Vec<Literal> = e
                .variants
                .iter()
                .map(|v| {
                    Literal::i64_unsuffixed(
                        v.wire.parse().expect("integer enum values are integers"),
                    )
                })
                .collect();
            let derive = derives(t);
            quote! {
                #docs
                #cfg
                #markers
                #derive
                pub enum #name {
                    #(
                        #variant_docs
                        #variant_names,
                    )*
                    /// A value this version of the client does not know; the API may add values
                    /// over time.
                    #other(i64),
                }

                #cfg
                impl #name {
                    /// The value as it is sent and received.
                    pub fn value(&self) -> i64 {
                        match self {
                            #( Self::#variant_names => #values, )*
                            Self::#other(value) => *value,
                        }
                    }
                }

                #cfg
                impl From<i64> for #name {
                    fn from(value: i64) -> Self {
                        match value {
                            #( #values => Self::#variant_names, )*
                            other => Self::#other(other),
                        }
                    }
                }

                #cfg
                impl From<#name> for i64 {
                    fn from(value: #name) -> Self {
                        value.value()
                    }
                }

                // Written out rather than derived, as every generated encoder is: a crate
                // without serde's derive macros skips loading them.
                #cfg
                impl Serialize for #name {
                    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                        serializer.serialize_i64(self.value())
                    }
                }

                #cfg
                impl<'de> Deserialize<'de> for #name {
                    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                        i64::deserialize(deserializer).map(Self::from)
                    }
                }

                #cfg
                impl std::fmt::Display for #name {
                    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        write!(f, "{}", self.value())
                    }
                }
            }
        }
    }
}

/// A union's `Serialize` that writes each variant's value as it is (what serde's
/// `#[serde(untagged)]` derive would write, without loading the derive macros).
fn untagged_serialize(t: &TypeDef, u: &Union, cfg: &TokenStream) -> TokenStream {
    let name = ident(&t.name);
    let arms = u.variants.iter().map(|v| {
        let vname = ident(&v.name);
        quote!(Self::#vname(value) => value.serialize(serializer),)
    });
    quote! {
        #cfg
        impl Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    #(#arms)*
                }
            }
        }
    }
}

fn union_def(
    t: &TypeDef,
    u: &Union,
    docs: TokenStream,
    markers: TokenStream,
    cfg: &TokenStream,
) -> TokenStream {
    let name = ident(&t.name);
    let variants = u.variants.iter().map(|v| {
        let vname = ident(&v.name);
        let mut inner = type_tokens(&v.ty, Place::Models);
        if v.boxed {
            inner = quote!(Box<#inner>);
        }
        let vdoc = if u.fallback.as_ref() == Some(&v.name) {
            doc(&format!(
                "A record whose `{}` value this version of the client does not know, as JSON; \
                 the API may add kinds over time.",
                u.discriminator.as_deref().unwrap_or_default()
            ))
        } else {
            doc(&variant_doc(&v.ty))
        };
        quote! {
            #vdoc
            #vname(#inner),
        }
    });
    match &u.discriminator {
        None => {
            // Decoding is written out (see the runtime's `untagged`), so that a client can
            // tell which variant a body that differs from its description is closest to.
            let derive = derives(t);
            let encode = untagged_serialize(t, u, cfg);
            let attempts = u.variants.iter().map(|v| {
                let vname = ident(&v.name);
                if v.boxed {
                    quote!(|v| de::variant(v).map(|v| Self::#vname(Box::new(v))))
                } else {
                    quote!(|v| de::variant(v).map(Self::#vname))
                }
            });
            let type_name = crate::names::unraw(&t.name);
            let decode = if u.by_properties {
                let known = u.variants.iter().map(|v| match &v.properties {
                    Some(names) => quote!(Some(&[#(#names),*])),
                    None => quote!(None),
                });
                quote!(de::untagged_by_properties(deserializer, #type_name, &[#((#known, #attempts)),*]))
            } else {
                quote!(de::untagged(deserializer, #type_name, &[#(#attempts),*]))
            };
            quote! {
                #docs
                #cfg
                #markers
                #derive
                pub enum #name { #(#variants)* }

                #encode

                #cfg
                impl<'de> Deserialize<'de> for #name {
                    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                        use crate::runtime::serde_helpers as de;
                        #decode
                    }
                }
            }
        }
        Some(property) => {
            let serialize = union_serialize(t, u, cfg);
            let serialize = if serialize.is_empty() {
                untagged_serialize(t, u, cfg)
            } else {
                serialize
            };
            let derive = derives(t);
            let type_name = crate::names::unraw(&t.name);
            let variant = |name: &str| {
                let v = u
                    .variants
                    .iter()
                    .find(|v| v.name == name)
                    .expect("arm names a variant");
                let vname = ident(&v.name);
                let wrap = if v.boxed {
                    quote!(|v| Self::#vname(Box::new(v)))
                } else {
                    quote!(Self::#vname)
                };
                (v, wrap)
            };
            let arms = u.arms.iter().map(|arm| {
                let pattern = if arm.tags.is_empty() {
                    quote!(None)
                } else {
                    let tags = &arm.tags;
                    quote!(#( Some(#tags) )|*)
                };
                let guard = arm
                    .guard
                    .as_ref()
                    .map(|(wire, value)| quote!(if de::tag(&value, #wire) == Some(#value)));
                let body = if arm.decides {
                    let only = &arm.variants[0];
                    let (_, wrap) = variant(only);
                    quote!(de::from_value(value).map(#wrap))
                } else {
                    let attempts = arm.variants.iter().map(|name| {
                        let (_, wrap) = variant(name);
                        quote!(|v| de::variant(v).map(#wrap))
                    });
                    match &u.fallback {
                        Some(fallback) => {
                            let fallback = ident(fallback);
                            quote! {
                                match de::first_of(&value, &[#(#attempts),*]) {
                                    Some(found) => Ok(found),
                                    None => Ok(Self::#fallback(value)),
                                }
                            }
                        }
                        None => quote!(de::one_of(&value, #type_name, &[#(#attempts),*])),
                    }
                };
                quote!(#pattern #guard => #body,)
            });
            let other = match &u.fallback {
                Some(fallback) => {
                    let fallback = ident(fallback);
                    // Not a deviation: the value matched a variant's schema, which the tag's
                    // value alone does not (a server adding a kind of record is evolution).
                    quote!(_ => Ok(Self::#fallback(value)),)
                }
                None => quote! {
                    other => Err(serde::de::Error::custom(format_args!(
                        "unknown `{}` value {:?}", #property, other
                    ))),
                },
            };
            quote! {
                #docs
                #cfg
                #markers
                #derive
                pub enum #name { #(#variants)* }

                #cfg
                impl<'de> Deserialize<'de> for #name {
                    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                        use crate::runtime::serde_helpers as de;
                        let value = serde_json::Value::deserialize(deserializer)?;
                        match de::tag(&value, #property) {
                            #(#arms)*
                            #other
                        }
                    }
                }

                #serialize
            }
        }
    }
}

/// A tagged union's `Serialize` when a variant must write constants its own type may leave
/// out (see [`crate::ir::UnionVariant::writes`]); empty when the derive writes everything.
fn union_serialize(t: &TypeDef, u: &Union, cfg: &TokenStream) -> TokenStream {
    if u.variants.iter().all(|v| v.writes.is_empty()) {
        return TokenStream::new();
    }
    let name = ident(&t.name);
    let arms = u.variants.iter().map(|v| {
        let vname = ident(&v.name);
        if v.writes.is_empty() {
            quote!(Self::#vname(v) => v.serialize(serializer),)
        } else {
            let pairs = v.writes.iter().map(|(wire, value)| quote!((#wire, #value)));
            quote!(Self::#vname(v) => ser::with_constants(serializer, v, &[#(#pairs),*]),)
        }
    });
    quote! {
        #cfg
        impl Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                use crate::runtime::serde_helpers as ser;
                match self {
                    #(#arms)*
                }
            }
        }
    }
}

fn variant_doc(ty: &TypeRef) -> String {
    match ty {
        TypeRef::Named(name) => format!("A [`{name}`]."),
        TypeRef::Vec(inner) => format!("A list. Each item: {}", variant_doc(inner)),
        TypeRef::Map(_) => "An object of named values.".into(),
        TypeRef::String => "A string.".into(),
        TypeRef::Bool => "A boolean.".into(),
        TypeRef::I32 | TypeRef::I64 => "An integer.".into(),
        TypeRef::F32 | TypeRef::F64 => "A number.".into(),
        TypeRef::DateTime => "A date and time.".into(),
        TypeRef::Date => "A date.".into(),
        TypeRef::Uuid => "A UUID.".into(),
        TypeRef::Base64 | TypeRef::Bytes => "Bytes.".into(),
        TypeRef::File => "A file.".into(),
        TypeRef::Json => "Any other JSON value.".into(),
        TypeRef::Null => "`null`.".into(),
        TypeRef::Option(inner) => variant_doc(inner),
        TypeRef::Tuple(items) => format!("A list of {} values, one per position.", items.len()),
    }
}
