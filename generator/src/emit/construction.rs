//! How a struct's values are built: `new(required...)` (with setters for the optional fields),
//! a builder, or nothing beyond the struct literal. The lowering decides which
//! ([`Construction`]); this only writes it out.

use super::common::{doc, ident, type_tokens, Place};
use crate::ir::{Construction, Field, Presence, Struct, TypeDef, TypeRef};
use proc_macro2::TokenStream;
use quote::quote;

/// The impls (and builder type) that build values of `t`.
pub fn construction(t: &TypeDef, s: &Struct, cfg: &TokenStream) -> TokenStream {
    match &s.construction {
        Construction::Literal { constructor: true } | Construction::Constructor => {
            let new = constructor(t, s);
            let setters = s.fields.iter().filter_map(setter);
            let name = ident(&t.name);
            quote! {
                #cfg
                impl #name {
                    #new
                    #(#setters)*
                }
            }
        }
        Construction::Literal { constructor: false } => TokenStream::new(),
        Construction::Builder { name } => builder(t, s, name, cfg),
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

/// A chained setter for a field, when the field has one.
fn setter(f: &Field) -> Option<TokenStream> {
    let setter = ident(f.setter.as_ref()?);
    let fname = ident(&f.name);
    let value = ident("value");
    let (arg, expr) = setter_value(f, &value);
    let text = format!("Sets `{}`.", f.wire);
    let doc_attr = doc(&text);
    Some(quote! {
        #doc_attr
        pub fn #setter(mut self, value: #arg) -> Self {
            self.#fname = #expr;
            self
        }
    })
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
/// required ones were set.
fn builder(t: &TypeDef, s: &Struct, builder_name: &str, cfg: &TokenStream) -> TokenStream {
    let name = ident(&t.name);
    let builder = ident(builder_name);
    let type_name = &t.name;
    let fields = s.fields.iter().map(|f| {
        let fname = ident(&f.name);
        let ty = stored(f);
        let ty = match f.presence {
            Presence::Required => quote!(Option<#ty>),
            Presence::RequiredNullable => quote!(Option<Option<#ty>>),
            Presence::Optional | Presence::OptionalJson => quote!(Option<#ty>),
            Presence::OptionalNullable => quote!(Nullable<#ty>),
        };
        quote!(#fname: #ty)
    });
    let additional_field = s.additional.as_ref().map(|value| {
        let value = type_tokens(value, Place::Models);
        quote!(additional_properties: BTreeMap<String, #value>,)
    });
    let setters = s.fields.iter().map(|f| {
        let setter = ident(
            f.setter
                .as_deref()
                .expect("builder fields all have setters"),
        );
        let fname = ident(&f.name);
        let value = ident("value");
        let (arg, expr) = setter_value(f, &value);
        let expr = if is_required(f) {
            quote!(Some(#expr))
        } else {
            expr
        };
        let text = format!("Sets `{}`.", f.wire);
        let doc_attr = doc(&text);
        quote! {
            #doc_attr
            pub fn #setter(mut self, value: #arg) -> Self {
                self.#fname = #expr;
                self
            }
        }
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
    let inits = s.fields.iter().map(|f| {
        let fname = ident(&f.name);
        let wire = &f.wire;
        if is_required(f) {
            quote!(#fname: self.#fname.ok_or(crate::runtime::BuildError::missing(#type_name, #wire))?)
        } else {
            quote!(#fname: self.#fname)
        }
    });
    let additional_init = s
        .additional
        .as_ref()
        .map(|_| quote!(additional_properties: self.additional_properties,));
    let type_doc = doc(&format!(
        "A builder of [`{type_name}`]: a setter per field, then `build()`. For tests and test doubles; the client itself decodes these from responses."
    ));
    let builder_doc = doc(&format!(
        "Builds a [`{type_name}`]. A required field left unset makes `build()` fail; a field the API adds later is one more setter."
    ));
    let build_doc = doc(&format!(
        "The [`{type_name}`], or the first required field that was not set."
    ));
    quote! {
        #cfg
        impl #name {
            #type_doc
            pub fn builder() -> #builder {
                #builder::default()
            }
        }

        #builder_doc
        #cfg
        #[derive(Debug, Clone, Default)]
        #[must_use = "a builder does nothing until `build` is called"]
        pub struct #builder {
            #(#fields,)*
            #additional_field
        }

        #cfg
        impl #builder {
            #(#setters)*
            #additional_setter

            #build_doc
            pub fn build(self) -> Result<#name, crate::runtime::BuildError> {
                Ok(#name {
                    #(#inits,)*
                    #additional_init
                })
            }
        }
    }
}
