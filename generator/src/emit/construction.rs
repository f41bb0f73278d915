//! How a struct's values are built: `new(required...)` (with setters for the optional fields),
//! a builder, or nothing beyond the struct literal. The lowering decides which
//! ([`Construction`]); this only writes it out.

use super::common::{doc, ident, type_tokens, Place};
use crate::ir::{Construction, Field, Presence, Struct, TypeDef, TypeRef};
use proc_macro2::TokenStream;
use quote::quote;

/// The impls (and builder type) that build values of `t`.
pub fn construction(
    t: &TypeDef,
    s: &Struct,
    cfg: &TokenStream,
    test_kit: Option<&str>,
) -> TokenStream {
    match &s.construction {
        Construction::Literal { constructor: true } | Construction::Constructor => {
            let new = constructor(t, s);
            let has_setters = s.fields.iter().any(|f| f.setter.is_some());
            let setters = has_setters.then(|| setters(s.fields.iter(), false));
            let name = ident(&t.name);
            quote! {
                #cfg
                impl #name {
                    #new
                    #setters
                }
            }
        }
        Construction::Literal { constructor: false } => TokenStream::new(),
        // Only tests build values the client otherwise only decodes: the builders cost a
        // large API's users a sixth of its compile time, so they come with the test kit.
        Construction::Builder { name } => {
            let cfg = super::common::cfg_test_util(test_kit, &t.features);
            builder(t, s, name, &cfg)
        }
    }
}

fn is_required(f: &Field) -> bool {
    matches!(f.presence, Presence::Required | Presence::RequiredNullable)
}

/// The value type of a field as stored (boxed where the struct boxes it).
fn stored(f: &Field) -> TokenStream {
    let value = type_tokens(&f.ty, Place::Models);
    if f.boxed {
        quote!(Box<#value>)
    } else {
        value
    }
}

/// The argument a setter or constructor takes for a value of the field's type, and how it
/// becomes the stored value: strings take `impl Into<String>`; boxed values are boxed.
fn value_argument(f: &Field, arg: &proc_macro2::Ident) -> (TokenStream, TokenStream) {
    let value = type_tokens(&f.ty, Place::Models);
    match (&f.ty, f.boxed) {
        (TypeRef::String, _) => (quote!(impl Into<String>), quote!(#arg.into())),
        (_, true) => (value, quote!(Box::new(#arg))),
        (_, false) => (value, quote!(#arg)),
    }
}

/// `new(required fields...)`, leaving every optional field out.
fn constructor(t: &TypeDef, s: &Struct) -> TokenStream {
    let required: Vec<&Field> = s.fields.iter().filter(|f| is_required(f)).collect();
    let args = required.iter().map(|f| {
        let fname = ident(&f.name);
        match f.presence {
            Presence::Required => {
                let (ty, _) = value_argument(f, &fname);
                quote!(#fname: #ty)
            }
            _ => {
                let value = type_tokens(&f.ty, Place::Models);
                quote!(#fname: Option<#value>)
            }
        }
    });
    let inits = s.fields.iter().map(|f| {
        let fname = ident(&f.name);
        match f.presence {
            Presence::Required if f.ty == TypeRef::String || f.boxed => {
                let (_, expr) = value_argument(f, &fname);
                quote!(#fname: #expr)
            }
            Presence::Required => quote!(#fname),
            Presence::RequiredNullable if f.boxed => quote!(#fname: #fname.map(Box::new)),
            Presence::RequiredNullable => quote!(#fname),
            Presence::OptionalNullable => quote!(#fname: Nullable::Absent),
            Presence::Optional | Presence::OptionalJson => quote!(#fname: None),
        }
    });
    let additional = s
        .additional
        .as_ref()
        .map(|_| quote!(additional_properties: BTreeMap::new(),));
    let allow = (required.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    let text = if required.is_empty() {
        format!("A [`{}`] with every field left out.", t.name)
    } else {
        format!(
            "A [`{}`] with its required fields; every optional field is left out.",
            t.name
        )
    };
    let doc_attr = doc(&text);
    quote! {
        #doc_attr
        #allow
        pub fn new(#(#args),*) -> Self {
            Self {
                #(#inits,)*
                #additional
            }
        }
    }
}

/// The chained setters of the fields that have one, as one `setters!` invocation (a line per
/// setter).
fn setters<'a>(fields: impl Iterator<Item = &'a Field>, required_too: bool) -> TokenStream {
    let lines = fields.filter_map(|f| {
        let setter = ident(f.setter.as_ref()?);
        let fname = ident(&f.name);
        let value = ident("value");
        let (arg, expr) = setter_value(f, &value);
        let expr = if required_too && is_required(f) {
            quote!(Some(#expr))
        } else {
            expr
        };
        let wire = &f.wire;
        Some(quote!(#wire #setter(#fname): #arg => value => #expr;))
    });
    quote! {
        crate::runtime::setters! {
            #(#lines)*
        }
    }
}

/// What a setter takes and stores, by the field's presence.
fn setter_value(f: &Field, value: &proc_macro2::Ident) -> (TokenStream, TokenStream) {
    let inner = type_tokens(&f.ty, Place::Models);
    match f.presence {
        Presence::Required => value_argument(f, value),
        Presence::Optional => {
            let (arg, expr) = value_argument(f, value);
            (arg, quote!(Some(#expr)))
        }
        Presence::RequiredNullable if f.boxed => {
            (quote!(Option<#inner>), quote!(#value.map(Box::new)))
        }
        Presence::RequiredNullable => (quote!(Option<#inner>), quote!(#value)),
        Presence::OptionalNullable if f.boxed => (
            quote!(impl Into<Nullable<#inner>>),
            quote!(#value.into().map(Box::new)),
        ),
        Presence::OptionalNullable => (quote!(impl Into<Nullable<#inner>>), quote!(#value.into())),
        Presence::OptionalJson => (quote!(serde_json::Value), quote!(Some(#value))),
    }
}

/// `T::builder()`, and the builder: a setter per field and a `build()` that checks the
/// required ones were set (the runtime's `model_builder!` and `setters!` write them out).
fn builder(t: &TypeDef, s: &Struct, builder_name: &str, cfg: &TokenStream) -> TokenStream {
    let name = ident(&t.name);
    let builder = ident(builder_name);
    let required = s.fields.iter().filter(|f| is_required(f)).map(|f| {
        let fname = ident(&f.name);
        let ty = stored(f);
        let ty = match f.presence {
            Presence::RequiredNullable => quote!(Option<#ty>),
            _ => ty,
        };
        let wire = &f.wire;
        quote!(#fname: #ty = #wire,)
    });
    let optional = s.fields.iter().filter(|f| !is_required(f)).map(|f| {
        let fname = ident(&f.name);
        let ty = stored(f);
        let ty = match f.presence {
            Presence::OptionalNullable => quote!(Nullable<#ty>),
            _ => quote!(Option<#ty>),
        };
        quote!(#fname: #ty,)
    });
    let additional = s.additional.as_ref().map(|value| {
        let value = type_tokens(value, Place::Models);
        quote!(additional_properties: BTreeMap<String, #value>,)
    });
    let additional_setter = s.additional.as_ref().map(|value| {
        let value = type_tokens(value, Place::Models);
        quote! {
            /// Adds a property the schema does not list.
            pub fn additional_property(mut self, name: impl Into<String>, value: #value) -> Self {
                self.additional_properties.insert(name.into(), value);
                self
            }
        }
    });
    let setters = setters(s.fields.iter(), true);
    quote! {
        #cfg
        crate::runtime::model_builder! {
            #name => #builder {
                required { #(#required)* }
                optional { #(#optional)* #additional }
            }
        }

        #cfg
        impl #builder {
            #setters
            #additional_setter
        }
    }
}
