//! `apis/`: one module per group, with a request builder per operation.

use super::common::{cfg_any, doc, ident, inner_doc, type_tokens, Place};
use crate::ir::{
    Api, Body, BodyEncoding, Group, Operation, Outcome, PageSource, Param, ParamLocation,
    ParamStyle, PathPart, Presence, Response, ResponseBody, Scope, ScopeParam, TypeRef,
};
use proc_macro2::TokenStream;
use quote::quote;

/// `apis/mod.rs`.
pub fn apis_mod(api: &Api) -> TokenStream {
    let header = inner_doc(
        "The API's operations, grouped by resource.\n\nEach group is reached through a method of \
         [`Client`](crate::Client); each operation returns a request builder whose `send` method \
         runs it.",
    );
    let modules = api.groups.iter().map(|g| {
        let module = ident(&g.module);
        let ty = ident(&g.type_name);
        let group_doc = doc(&first_paragraph(&g.doc));
        let cfg = cfg_any(g.feature.as_slice());
        quote! {
            #group_doc
            #cfg
            pub mod #module;
            #cfg
            pub use #module::#ty;
        }
    });
    // The scope is compiled with any group that has operations in it.
    let scoped: Vec<&Group> = api
        .groups
        .iter()
        .filter(|g| g.scoped_type.is_some())
        .collect();
    let scope_features: Vec<String> = if scoped.iter().all(|g| g.feature.is_some()) {
        scoped.iter().filter_map(|g| g.feature.clone()).collect()
    } else {
        Vec::new()
    };
    let scope = api
        .scope
        .as_ref()
        .map(|scope| scope_type(scope, &cfg_any(&scope_features)));
    quote! {
        #header
        #(#modules)*
        #scope
    }
}

/// The scope's type (`ProjectScope`) and the `Client` method that makes one.
fn scope_type(scope: &Scope, cfg: &TokenStream) -> TokenStream {
    let ty = ident(&scope.type_name);
    let accessor = ident(&scope.accessor);
    let mut fields = Vec::new();
    let mut args = Vec::new();
    let mut inits = Vec::new();
    for p in &scope.params {
        let arg = ident(&p.arg);
        let field_ty = type_tokens(&p.ty, Place::Elsewhere);
        let (arg_ty, convert) = argument(&p.ty);
        fields.push(quote!(#arg: #field_ty));
        args.push(quote!(#arg: #arg_ty));
        inits.push(if convert.is_empty() {
            quote!(#arg)
        } else {
            quote!(#arg: #arg #convert)
        });
    }
    let type_doc = doc(&scope.doc);
    let wires: Vec<String> = scope
        .params
        .iter()
        .map(|p| crate::docs::code(&p.param))
        .collect();
    let accessor_doc = doc(&format!(
        "The API's calls for one {}: `client.{}(..).<group>().<operation>(..)` takes no {}.",
        scope.noun,
        crate::names::unraw(&scope.accessor),
        wires.join(" or "),
    ));
    quote! {
        #type_doc
        #cfg
        #[derive(Debug, Clone)]
        pub struct #ty {
            client: crate::Client,
            #(#fields,)*
        }

        #cfg
        impl crate::Client {
            #accessor_doc
            pub fn #accessor(&self, #(#args),*) -> #ty {
                #ty { client: self.clone(), #(#inits),* }
            }
        }
    }
}

fn first_paragraph(text: &str) -> String {
    text.split("\n\n").next().unwrap_or_default().to_owned()
}

/// `apis/<group>.rs`.
pub fn group_module(
    group: &Group,
    scope: Option<&Scope>,
    has_deprecated: bool,
    non_exhaustive: bool,
) -> TokenStream {
    let header = inner_doc(&group.doc);
    let allow = has_deprecated.then(|| quote!(#![allow(deprecated)]));
    let ty = ident(&group.type_name);
    let accessor = ident(&group.accessor);
    // Intra-doc links cannot name raw identifiers (`Client::r#async`).
    let accessor_link = if group.accessor.starts_with("r#") {
        format!("`Client::{}`", group.accessor)
    } else {
        format!("[`Client::{0}`](crate::Client::{0})", group.accessor)
    };
    let group_doc = doc(&format!("{}\n\nGet one with {accessor_link}.", group.doc));
    let accessor_doc = doc(&first_paragraph(&group.doc));
    let methods = group.operations.iter().map(operation_method);
    let builders = group
        .operations
        .iter()
        .map(|op| builder(group, op, scope, non_exhaustive));
    let scoped = scope.and_then(|scope| scoped_group(group, scope));
    let uses_models = group.operations.iter().any(mentions_models);
    let uses_paginator = group.operations.iter().any(|op| op.pagination.is_some());
    let models_import = uses_models.then(|| {
        quote!(
            use crate::models;
        )
    });
    let paginator = uses_paginator.then(|| quote!(Paginator,));
    quote! {
        #header
        #allow
        #models_import
        use crate::runtime::{ApiResponse, ClientCore, Error, Method, #paginator Request};

        #group_doc
        #[derive(Debug, Clone)]
        pub struct #ty {
            client: ClientCore,
        }

        impl crate::Client {
            #accessor_doc
            pub fn #accessor(&self) -> #ty {
                #ty { client: self.0.clone() }
            }
        }

        impl #ty {
            #(#methods)*
        }

        #scoped

        #(#builders)*
    }
}

/// Where an operation takes one of the scope's parameters.
fn scope_param<'a>(scope: &ScopeParam, op: &'a Operation) -> Option<&'a Param> {
    op.params
        .iter()
        .find(|p| p.location == ParamLocation::Path && p.wire == scope.param)
}

/// The group within the API's scope (`ProjectSubscriptionsApi`): the group's operations that
/// take the scope's parameters, without them, each calling the group's own method.
fn scoped_group(group: &Group, scope: &Scope) -> Option<TokenStream> {
    let ty = ident(group.scoped_type.as_ref()?);
    let scope_ty = ident(&scope.type_name);
    let accessor = ident(&group.accessor);
    let group_accessor = &group.accessor;
    let group_ty = &group.type_name;
    let mut fields = Vec::new();
    let mut copies = Vec::new();
    for p in &scope.params {
        let arg = ident(&p.arg);
        let field_ty = type_tokens(&p.ty, Place::Elsewhere);
        let clone = matches!(p.ty, TypeRef::String).then(|| quote!(.clone()));
        fields.push(quote!(#arg: #field_ty));
        copies.push(quote!(#arg: self.#arg #clone));
    }
    let methods = group
        .operations
        .iter()
        .filter(|op| scope.covers(op))
        .map(|op| {
            let name = ident(&op.method_name);
            let builder = ident(&op.builder);
            let method = crate::names::unraw(&op.method_name);
            let method_doc = doc(&format!(
                "[`{group_ty}::{method}`] for this {}.",
                scope.noun
            ));
            let deprecated = op.deprecated.then(|| quote!(#[deprecated]));
            let mut args = Vec::new();
            let mut passed = Vec::new();
            for p in op.params.iter().filter(|p| p.required) {
                let from_scope = scope
                    .params
                    .iter()
                    .find(|s| p.location == ParamLocation::Path && p.wire == s.param);
                if let Some(s) = from_scope {
                    let field = ident(&s.arg);
                    let clone = matches!(s.ty, TypeRef::String).then(|| quote!(.clone()));
                    passed.push(quote!(self.#field #clone));
                    continue;
                }
                let pname = ident(&p.name);
                let (ty, _) = argument(&p.ty);
                args.push(quote!(#pname: #ty));
                passed.push(quote!(#pname));
            }
            if let Some(body) = op.body.as_ref().filter(|b| b.required) {
                let (ty, _) = argument(&body.ty);
                args.push(quote!(body: #ty));
                passed.push(quote!(body));
            }
            quote! {
                #method_doc
                #deprecated
                pub fn #name(&self, #(#args),*) -> #builder {
                    self.client.#accessor().#name(#(#passed),*)
                }
            }
        });
    let wires: Vec<String> = scope
        .params
        .iter()
        .map(|p| crate::docs::code(&p.param))
        .collect();
    let type_doc = doc(&format!(
        "[`{group_ty}`] for one {}: its methods take no {}.\n\nGet one with `client.{}(..).{}()`.",
        scope.noun,
        wires.join(" or "),
        crate::names::unraw(&scope.accessor),
        crate::names::unraw(group_accessor),
    ));
    let accessor_doc = doc(&format!("[`{group_ty}`] for this {}.", scope.noun));
    Some(quote! {
        #type_doc
        #[derive(Debug, Clone)]
        pub struct #ty {
            client: crate::Client,
            #(#fields,)*
        }

        impl super::#scope_ty {
            #accessor_doc
            pub fn #accessor(&self) -> #ty {
                #ty { client: self.client.clone(), #(#copies),* }
            }
        }

        impl #ty {
            #(#methods)*
        }
    })
}

fn mentions_models(op: &Operation) -> bool {
    fn named(ty: &TypeRef) -> bool {
        match ty {
            TypeRef::Named(_) => true,
            TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Option(inner) => named(inner),
            TypeRef::Tuple(items) => items.iter().any(named),
            _ => false,
        }
    }
    let response = match &op.response {
        Response::Unit => false,
        Response::Body(b) => named(&b.ty),
        Response::Outcomes { variants, .. } => variants
            .iter()
            .any(|v| v.body.as_ref().is_some_and(|b| named(&b.ty))),
    };
    response
        || op.params.iter().any(|p| named(&p.ty))
        || op.body.as_ref().is_some_and(|b| named(&b.ty))
        || op.pagination.as_ref().is_some_and(|p| named(&p.item))
}

/// The argument type of a required value: strings accept anything that converts.
fn argument(ty: &TypeRef) -> (TokenStream, TokenStream) {
    match ty {
        TypeRef::String => (quote!(impl Into<String>), quote!(.into())),
        // Bytes (`Vec<u8>`, `bytes::Bytes`, a static slice) or a stream.
        TypeRef::File => (quote!(impl Into<crate::runtime::FilePart>), quote!(.into())),
        other => (type_tokens(other, Place::Elsewhere), quote!()),
    }
}

fn operation_method(op: &Operation) -> TokenStream {
    let docs = doc(&op.doc);
    let deprecated = op.deprecated.then(|| quote!(#[deprecated]));
    let name = ident(&op.method_name);
    let builder = ident(&op.builder);
    let required: Vec<&Param> = op.params.iter().filter(|p| p.required).collect();
    let mut args = Vec::new();
    let mut inits = Vec::new();
    for p in &required {
        let pname = ident(&p.name);
        let (ty, convert) = argument(&p.ty);
        args.push(quote!(#pname: #ty));
        inits.push(if convert.is_empty() {
            quote!(#pname)
        } else {
            quote!(#pname: #pname #convert)
        });
    }
    for p in op.params.iter().filter(|p| !p.required) {
        let pname = ident(&p.name);
        inits.push(quote!(#pname: None));
    }
    if let Some(body) = &op.body {
        if body.required {
            let (ty, convert) = argument(&body.ty);
            args.push(quote!(body: #ty));
            inits.push(if convert.is_empty() {
                quote!(body)
            } else {
                quote!(body: body #convert)
            });
        } else {
            inits.push(quote!(body: None));
        }
        if body.content_type_choice.is_some() {
            inits.push(quote!(content_type: None));
        }
    }
    quote! {
        #docs
        #deprecated
        pub fn #name(&self, #(#args),*) -> #builder {
            #builder {
                client: self.client.clone(),
                #(#inits,)*
            }
        }
    }
}

/// A page's token for the next one, as an `Option<String>`, through the fields that lead to it
/// (`page.response_metadata.and_then(|v| v.next_cursor)`).
fn token_tokens(path: &[(String, Presence)]) -> TokenStream {
    let as_option = |value: TokenStream, presence: Presence| match presence {
        Presence::Required => quote!(Some(#value)),
        Presence::OptionalNullable => quote!(#value.into_option()),
        _ => value,
    };
    let mut hops = path.iter();
    let Some((first, presence)) = hops.next() else {
        return quote!(None);
    };
    let first = ident(first);
    let mut token = as_option(quote!(page.#first), *presence);
    for (field, presence) in hops {
        let field = ident(field);
        token = match presence {
            Presence::Required => quote!(#token.map(|v| v.#field)),
            other => {
                let inner = as_option(quote!(v.#field), *other);
                quote!(#token.and_then(|v| #inner))
            }
        };
    }
    token
}

/// The items of a page, however its field is wrapped (absent or null is no items).
fn present_list(field: &str, presence: Presence) -> TokenStream {
    let field = ident(field);
    match presence {
        Presence::Required => quote!(page.#field),
        Presence::OptionalNullable => quote!(page.#field.into_option().unwrap_or_default()),
        _ => quote!(page.#field.unwrap_or_default()),
    }
}

fn output_type(op: &Operation) -> TokenStream {
    match &op.response {
        Response::Unit => quote!(()),
        Response::Body(b) if b.decoding.is_stream() => {
            let item = type_tokens(&b.ty, Place::Elsewhere);
            quote!(crate::runtime::ItemStream<#item>)
        }
        Response::Body(b) => type_tokens(&b.ty, Place::Elsewhere),
        Response::Outcomes { name, .. } => {
            let name = ident(name);
            quote!(#name)
        }
    }
}

fn builder(
    group: &Group,
    op: &Operation,
    scope: Option<&Scope>,
    non_exhaustive: bool,
) -> TokenStream {
    let name = ident(&op.builder);
    let method = crate::names::unraw(&op.method_name);
    let group_ty = &group.type_name;
    let has_options =
        op.params.iter().any(|p| !p.required) || op.body.as_ref().is_some_and(|b| !b.required);
    let builder_doc = doc(&if has_options {
        format!("A request to [`{group_ty}::{method}`]: set optional parameters, then call [`send`](Self::send).")
    } else {
        format!("A request to [`{group_ty}::{method}`]: call [`send`](Self::send) to run it.")
    });
    let mut fields = vec![quote!(client: ClientCore)];
    for p in &op.params {
        let pname = ident(&p.name);
        let ty = type_tokens(&p.ty, Place::Elsewhere);
        fields.push(if p.required {
            quote!(#pname: #ty)
        } else {
            quote!(#pname: Option<#ty>)
        });
    }
    if let Some(body) = &op.body {
        let ty = type_tokens(&body.ty, Place::Elsewhere);
        fields.push(if body.required {
            quote!(body: #ty)
        } else {
            quote!(body: Option<#ty>)
        });
        if let Some(choice) = &body.content_type_choice {
            let choice = type_tokens(&TypeRef::Named(choice.clone()), Place::Elsewhere);
            fields.push(quote!(content_type: Option<#choice>));
        }
    }
    let setters = op.params.iter().filter(|p| !p.required).map(|p| {
        let pname = ident(&p.name);
        let pdoc = doc(&p.doc);
        let (ty, convert) = argument(&p.ty);
        quote! {
            #pdoc
            pub fn #pname(mut self, value: #ty) -> Self {
                self.#pname = Some(value #convert);
                self
            }
        }
    });
    // The scope's parameters can be set per request, over the scope's.
    let scope_setters = scope
        .filter(|scope| scope.covers(op))
        .into_iter()
        .flat_map(|scope| &scope.params)
        .filter_map(|s| {
            let p = scope_param(s, op)?;
            let pname = ident(&p.name);
            let (ty, convert) = argument(&p.ty);
            let pdoc = doc(&format!(
                "Sends the call with this {} instead of the one the method was given (or its scope's).",
                crate::docs::code(&p.wire)
            ));
            Some(quote! {
                #pdoc
                pub fn #pname(mut self, value: #ty) -> Self {
                    self.#pname = value #convert;
                    self
                }
            })
        });
    let body_setter = op.body.as_ref().filter(|b| !b.required).map(|b| {
        let bdoc = doc(&b.doc);
        let (ty, convert) = argument(&b.ty);
        quote! {
            #bdoc
            pub fn body(mut self, body: #ty) -> Self {
                self.body = Some(body #convert);
                self
            }
        }
    });
    let content_type_setter = op
        .body
        .as_ref()
        .and_then(|b| b.content_type_choice.as_ref())
        .map(|choice| {
            let choice = type_tokens(&TypeRef::Named(choice.clone()), Place::Elsewhere);
            quote! {
                /// Sends the body as another of the media types the operation accepts.
                pub fn content_type(mut self, value: #choice) -> Self {
                    self.content_type = Some(value);
                    self
                }
            }
        });
    let output = output_type(op);
    let decode = decode(op);
    let stream = op.pagination.as_ref().map(|p| {
        let item = type_tokens(&p.item, Place::Elsewhere);
        let Response::Body(ResponseBody { ty: page, .. }) = &op.response else {
            unreachable!("paginated operations return a page")
        };
        let page = type_tokens(page, Place::Elsewhere);
        match &p.source {
            PageSource::NextField {
                items_field,
                items_presence,
                next_field,
                next_presence,
            } => {
                let next_field = ident(next_field);
                let items = present_list(items_field, *items_presence);
                let next = match next_presence {
                    Presence::OptionalNullable => quote!(page.#next_field.into_option()),
                    _ => quote!(page.#next_field),
                };
                quote! {
                    /// Every item on every page, as a stream: pages are fetched as the stream is
                    /// polled, by following each page's `next` link, until a page has none.
                    ///
                    /// Use [`Paginator::max_pages`] to stop early.
                    pub fn stream(self) -> Paginator<#item> {
                        let first = self.to_request();
                        Paginator::new(self.client, first, |page: #page| (#items, #next))
                    }
                }
            }
            PageSource::Cursor {
                items_field,
                items_presence,
                token_path,
                param,
            } => {
                let items = present_list(items_field, *items_presence);
                let token = token_tokens(token_path);
                let token_field = token_path
                    .iter()
                    .map(|(field, _)| crate::names::unraw(field))
                    .collect::<Vec<_>>()
                    .join(".");
                let docs = doc(&format!(
                    "Every item on every page, as a stream: pages are fetched as the stream is\npolled, by sending each page's `{token_field}` back as `{param}`,\nuntil a page has none (or an empty one).\n\nUse [`Paginator::max_pages`] to stop early."
                ));
                quote! {
                    #docs
                    pub fn stream(self) -> Paginator<#item> {
                        let first = self.to_request();
                        Paginator::with_cursor(self.client, first, #param, |page: #page| (#items, #token))
                    }
                }
            }
            PageSource::AfterLastItem {
                items_field,
                items_presence,
                has_more_field,
                has_more_presence,
                id_field,
                param,
            } => {
                let items = present_list(items_field, *items_presence);
                let has_more_field = ident(has_more_field);
                let has_more = match has_more_presence {
                    Presence::Required => quote!(page.#has_more_field),
                    Presence::OptionalNullable => {
                        quote!(page.#has_more_field.into_option().unwrap_or(false))
                    }
                    _ => quote!(page.#has_more_field.unwrap_or(false)),
                };
                let id_field = ident(id_field);
                let docs = doc(&format!(
                    "Every item on every page, as a stream: pages are fetched as the stream is\npolled, each starting after the last item's id (`{param}`), while a page\nsays it `has_more`.\n\nUse [`Paginator::max_pages`] to stop early."
                ));
                quote! {
                    #docs
                    pub fn stream(self) -> Paginator<#item> {
                        let first = self.to_request();
                        Paginator::with_cursor(self.client, first, #param, |page: #page| {
                            let more = #has_more;
                            let items = #items;
                            let next = if more {
                                items.last().map(|item| item.#id_field.clone())
                            } else {
                                None
                            };
                            (items, next)
                        })
                    }
                }
            }
            PageSource::Counter {
                items_field,
                items_presence,
                param,
                counts_items,
                in_body,
            } => {
                let items = match items_field {
                    Some(field) => present_list(field, *items_presence),
                    None => quote!(page),
                };
                let place = if *in_body { "the body's " } else { "" };
                let (docs, counter) = if *counts_items {
                    (
                        doc(&format!("Every item on every page, as a stream: pages are fetched as the stream is\npolled, each at {place}offset `{param}` after the items read so far, until a\npage is empty or short, the total a page gives is reached, or the server\nanswers `404` past the end.\n\nUse [`Paginator::max_pages`] to stop early.")),
                        quote!(crate::runtime::Counter::Offset),
                    )
                } else {
                    (
                        doc(&format!("Every item on every page, as a stream: pages are fetched as the stream is\npolled, by {place}page number (`{param}`, from the one asked for, or 1), until a\npage is empty or short, the total a page gives is reached, or the server\nanswers `404` past the last page.\n\nUse [`Paginator::max_pages`] to stop early.")),
                        quote!(crate::runtime::Counter::Page),
                    )
                };
                let constructor = if *in_body {
                    quote!(with_body_counter)
                } else {
                    quote!(with_counter)
                };
                quote! {
                    #docs
                    pub fn stream(self) -> Paginator<#item> {
                        let first = self.to_request();
                        Paginator::#constructor(self.client, first, #param, #counter, |page: #page| #items)
                    }
                }
            }
            PageSource::LinkHeader {
                items_field,
                items_presence,
            } => {
                let items = match items_field {
                    Some(field) => present_list(field, *items_presence),
                    None => quote!(page),
                };
                quote! {
                    /// Every item on every page, as a stream: pages are fetched as the stream is
                    /// polled, by following each response's `Link: <...>; rel="next"` (or
                    /// `Next-Page`) header, until a response has none.
                    ///
                    /// Use [`Paginator::max_pages`] to stop early.
                    pub fn stream(self) -> Paginator<#item> {
                        let first = self.to_request();
                        Paginator::with_link_header(self.client, first, |page: #page| #items)
                    }
                }
            }
        }
    });
    // A download may be larger than memory: its body can also be read as it arrives.
    let streamed_send = matches!(&op.response, Response::Body(b) if b.decoding == BodyEncoding::Binary)
        .then(|| {
            quote! {
                /// Sends the request and gives the response body as a stream of chunks as
                /// they arrive, for downloads too large to hold in memory.
                pub async fn send_streamed(self) -> Result<ApiResponse<crate::runtime::ByteStream>, Error> {
                    let mut request = self.to_request()?;
                    request.stream_response();
                    let response = self.client.execute(request).await?;
                    response.byte_stream()
                }
            }
        });
    let to_request = to_request(op);
    let outcomes = match &op.response {
        Response::Outcomes { name, variants } => {
            Some(outcomes_enum(group, op, name, variants, non_exhaustive))
        }
        _ => None,
    };
    let shown = name.to_string();
    quote! {
        #builder_doc
        #[derive(Clone)]
        #[must_use = "a request does nothing until it is sent"]
        pub struct #name {
            #(#fields,)*
        }

        // The call the builder would make (see the runtime's `Request::show`).
        impl std::fmt::Debug for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                Request::show(&self.to_request(), #shown, f)
            }
        }

        impl #name {
            #(#setters)*
            #(#scope_setters)*
            #body_setter
            #content_type_setter

            /// Sends the request and decodes the response body.
            pub fn send(self) -> impl std::future::Future<Output = Result<#output, Error>> {
                let request = self.to_request();
                self.client.send_body(request, Self::decode_response)
            }

            /// Sends the request and decodes the response body, keeping the status and headers.
            pub fn send_with_response(self) -> impl std::future::Future<Output = Result<ApiResponse<#output>, Error>> {
                let request = self.to_request();
                self.client.send(request, Self::decode_response)
            }

            /// Sends the request and gives the response body as it arrived, undecoded: the way
            /// around an API description that is wrong about this operation's response, until an
            /// overlay fixes it. Error statuses are still [`Error::Api`].
            pub fn send_raw(self) -> impl std::future::Future<Output = Result<ApiResponse<bytes::Bytes>, Error>> {
                let request = self.to_request();
                self.client.send(request, crate::runtime::RawResponse::undecoded)
            }

            /// Sends the request and decodes the response body as JSON into a type of the
            /// caller's own (see [`send_raw`](Self::send_raw)).
            pub fn send_as<T: serde::de::DeserializeOwned>(self) -> impl std::future::Future<Output = Result<ApiResponse<T>, Error>> {
                let request = self.to_request();
                self.client.send(request, crate::runtime::RawResponse::json::<T>)
            }

            // Plain functions returning the runtime's one future, not `async fn`s: a coroutine
            // per operation is a large share of what a big client costs to compile. The
            // futures are `Send` and `'static` (auto traits leak through `impl Future`);
            // writing the bounds out would make the compiler prove them per operation, which
            // cost GitHub's client 14 s and 110 MB more to check.
            fn decode_response(response: crate::runtime::RawResponse) -> Result<ApiResponse<#output>, Error> {
                #decode
            }

            #stream

            #streamed_send

            #to_request
        }

        #outcomes
    }
}

fn decode_body(body: &ResponseBody) -> TokenStream {
    match body.decoding {
        BodyEncoding::Json | BodyEncoding::Form | BodyEncoding::Multipart => {
            quote!(response.json())
        }
        BodyEncoding::Text => quote!(response.text()),
        BodyEncoding::Binary => quote!(Ok(response.bytes())),
        BodyEncoding::EventStream => {
            quote!(response.items(crate::runtime::Framing::EventStream))
        }
        BodyEncoding::EventData => quote!(response.items(crate::runtime::Framing::EventData)),
        BodyEncoding::JsonLines => quote!(response.items(crate::runtime::Framing::JsonLines)),
    }
}

fn decode(op: &Operation) -> TokenStream {
    match &op.response {
        Response::Unit => quote!(Ok(response.empty())),
        Response::Body(body) => decode_body(body),
        Response::Outcomes { name, variants } => {
            let enum_name = ident(name);
            let arm = |v: &Outcome| {
                let vname = ident(&v.name);
                match &v.body {
                    Some(body) => {
                        let d = decode_body(body);
                        quote!(#d.map(|r| r.map(#enum_name::#vname)))
                    }
                    None => quote!(Ok(response.empty().map(|()| #enum_name::#vname))),
                }
            };
            let arms = variants.iter().filter_map(|v| {
                let status = proc_macro2::Literal::u16_unsuffixed(v.status?);
                let body = arm(v);
                Some(quote!(#status => #body,))
            });
            let fallback = match variants.iter().find(|v| v.status.is_none()) {
                Some(v) => arm(v),
                None => quote!(Err(response.unexpected_status())),
            };
            quote! {
                match response.status().as_u16() {
                    #(#arms)*
                    _ => #fallback,
                }
            }
        }
    }
}

fn outcomes_enum(
    group: &Group,
    op: &Operation,
    name: &str,
    variants: &[Outcome],
    non_exhaustive: bool,
) -> TokenStream {
    let marker = non_exhaustive.then(|| quote!(#[non_exhaustive]));
    let enum_name = ident(name);
    let enum_doc = doc(&format!(
        "The successful outcomes of [`{}::{}`], one per documented status.",
        group.type_name,
        crate::names::unraw(&op.method_name)
    ));
    let variants = variants.iter().map(|v| {
        let vname = ident(&v.name);
        let status = v.status.map_or_else(
            || "Any other success status".to_owned(),
            |s| format!("Status {s}"),
        );
        let vdoc = doc(&format!("{status}: {}", v.doc));
        match &v.body {
            Some(body) => {
                let ty = type_tokens(&body.ty, Place::Elsewhere);
                quote!(#vdoc #vname(#ty),)
            }
            None => quote!(#vdoc #vname,),
        }
    });
    quote! {
        #enum_doc
        #[derive(Debug, Clone, PartialEq)]
        #marker
        pub enum #enum_name {
            #(#variants)*
        }
    }
}

/// The `Method` of an operation.
pub(super) fn method_tokens(http_method: &str) -> TokenStream {
    match http_method {
        "GET" | "PUT" | "POST" | "DELETE" | "OPTIONS" | "HEAD" | "PATCH" | "TRACE" => {
            let name = ident(http_method);
            quote!(Method::#name)
        }
        // Lowering only lets through methods that are valid HTTP tokens.
        other => {
            let bytes = proc_macro2::Literal::byte_string(other.as_bytes());
            quote!(Method::from_bytes(#bytes).expect("the method is a valid HTTP token"))
        }
    }
}

fn to_request(op: &Operation) -> TokenStream {
    let method = method_tokens(&op.http_method);
    let template = &op.path;
    let id = &op.id;
    let path = op.path_parts.iter().map(|part| match part {
        PathPart::Literal(text) => quote!(request.push_path(#text);),
        PathPart::Param(name) => {
            let param = op
                .params
                .iter()
                .find(|p| &p.name == name)
                .expect("path parts name parameters");
            let field = ident(name);
            let wire = &param.wire;
            if param.may_be_empty {
                quote!(request.push_last_path_param(#wire, &self.#field);)
            } else {
                quote!(request.push_path_param(#wire, &self.#field);)
            }
        }
    });
    let params = op.params.iter().filter(|p| p.location != ParamLocation::Path).map(|p| {
        let field = ident(&p.name);
        let wire = &p.wire;
        match p.location {
            // Untyped and in the default style: always under its own name (the default style
            // would spread an object's keys as parameters of their own). A style the document
            // states is honoured, as for typed parameters.
            ParamLocation::Query
                if p.ty == TypeRef::Json && p.style == ParamStyle::Form && p.explode =>
            {
                quote!(request.query_untyped(#wire, &self.#field);)
            }
            ParamLocation::Query => match (p.style, p.explode) {
                (ParamStyle::Form, true) => quote!(request.query(#wire, &self.#field);),
                (style, explode) => {
                    let style = match style {
                        ParamStyle::Form => quote!(Form),
                        ParamStyle::SpaceDelimited => quote!(SpaceDelimited),
                        ParamStyle::PipeDelimited => quote!(PipeDelimited),
                        ParamStyle::DeepObject => quote!(DeepObject),
                    };
                    quote!(request.query_styled(#wire, &self.#field, crate::runtime::QueryStyle::#style, #explode);)
                }
            },
            ParamLocation::Header => quote!(request.header(#wire, &self.#field);),
            ParamLocation::Cookie => quote!(request.cookie(#wire, &self.#field);),
            ParamLocation::Path => unreachable!("filtered above"),
        }
    });
    let body = op.body.as_ref().map(body_tokens);
    let auth = (!op.authenticated).then(|| quote!(request.without_auth();));
    let idempotent = op.idempotent.then(|| quote!(request.idempotent();));
    // Operations of the default class (or of none) take the runtime's default.
    let rate_class = op
        .rate_class
        .as_deref()
        .filter(|c| *c != crate::lower::rate_limits::DEFAULT_CLASS)
        .map(|c| quote!(request.rate_class(#c);));
    let streamed = matches!(&op.response, Response::Body(b) if b.decoding.is_stream())
        .then(|| quote!(request.stream_response();));
    let accept = op
        .accept
        .as_deref()
        .map(|media| quote!(request.accept(#media);));
    let fixed_query = op
        .fixed_query
        .iter()
        .map(|(name, value)| quote!(request.query(#name, #value);));
    let auth_scheme = op.auth.as_ref().map(|scheme| {
        let value = super::common::auth_tokens(scheme, quote!(crate::runtime));
        quote!(request.auth_scheme(#value);)
    });
    quote! {
        fn to_request(&self) -> Result<Request, Error> {
            let mut request = Request::new(#method, #template, #id);
            #(#path)*
            #(#params)*
            #(#fixed_query)*
            #body
            #auth
            #idempotent
            #rate_class
            #auth_scheme
            #accept
            #streamed
            request.finish()
        }
    }
}

fn body_tokens(body: &Body) -> TokenStream {
    let set = |value: TokenStream| match body.encoding {
        BodyEncoding::Json => quote!(request.json(#value);),
        BodyEncoding::Form => quote!(request.form(#value);),
        BodyEncoding::Multipart => quote!(request.multipart(#value);),
        BodyEncoding::Text => quote!(request.text(#value);),
        // A file: bytes, or a stream opened for each attempt.
        BodyEncoding::Binary
        | BodyEncoding::EventStream
        | BodyEncoding::EventData
        | BodyEncoding::JsonLines => {
            quote!(request.file(#value);)
        }
    };
    let default_type = match body.encoding {
        BodyEncoding::Json => "application/json",
        BodyEncoding::Form => "application/x-www-form-urlencoded",
        BodyEncoding::Multipart => "multipart/form-data",
        BodyEncoding::Text => "text/plain",
        BodyEncoding::Binary
        | BodyEncoding::EventStream
        | BodyEncoding::EventData
        | BodyEncoding::JsonLines => "application/octet-stream",
    };
    let content_type = &body.content_type;
    let override_type = (content_type != default_type && body.encoding != BodyEncoding::Multipart)
        .then(|| quote!(request.content_type(#content_type);));
    // The caller's choice among the accepted media types, when there is one: the runtime
    // encodes the body as the chosen type says (JSON, a form, multipart).
    let set = |value: TokenStream| match body.content_type_choice {
        Some(_) => quote! {
            let content_type = self.content_type.as_ref().map_or(#content_type, |c| c.as_str());
            request.body_as(#value, content_type);
        },
        None => set(value),
    };
    let override_type = override_type.filter(|_| body.content_type_choice.is_none());
    if body.required {
        let apply = set(quote!(&self.body));
        quote!(#apply #override_type)
    } else {
        let apply = set(quote!(body));
        quote! {
            if let Some(body) = &self.body {
                #apply
                #override_type
            }
        }
    }
}
