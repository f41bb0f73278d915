//! `mock.rs`: the test kit (cargo feature `test-util`), one typed mock per operation,
//! reached the way the client reaches the operation: `server.mock().users().retrieve(id)`.

use super::common::{cfg_any, doc, ident, inner_doc, type_tokens, Place};
use crate::ir::{Api, BodyEncoding, Group, Operation, ParamLocation, PathPart, Response, TypeRef};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

pub fn mock_module(api: &Api) -> TokenStream {
    let header = inner_doc(
        "Typed mocks of every operation, for testing code that uses the client (cargo feature \
         `test-util`).\n\n\
         A [`MockServer`] is a local HTTP server; [`MockServer::client`] is a client for it. Mocks \
         are reached as the client reaches operations: `server.mock().<group>().<operation>(<path \
         parameters>)` gives an [`OperationMock`], which says what it matches, how it answers \
         (a value of the operation's success type, a typed error, a 429, a delay) and how often, \
         and is then mounted. The [`MockHandle`] it gives tells how often it was called and with \
         what bodies, decoded into the operation's body type.",
    );
    let groups = api.groups.iter().map(group_mocks);
    let accessors = api.groups.iter().map(|g| {
        let ty = format_ident!("{}Mocks", g.type_name);
        let accessor = ident(&g.accessor);
        let cfg = cfg_any(g.feature.as_slice());
        let text = doc(&format!(
            "Mocks of the operations of {}.",
            client_link(g, None)
        ));
        quote! {
            #text
            #cfg
            pub fn #accessor(&self) -> #ty<'a> {
                #ty { server: self.server }
            }
        }
    });
    let uses_models = api.groups.iter().flat_map(|g| &g.operations).any(|op| {
        matches!(
            body_type(op),
            Some(TypeRef::Named(_)) | Some(TypeRef::Vec(_))
        ) || success_type(op).is_some()
    });
    let models = uses_models.then(|| {
        quote!(
            #[allow(unused_imports)]
            use crate::models;
        )
    });
    let allow = api.has_deprecated.then(|| quote!(#![allow(deprecated)]));
    // Only group accessors read the server; a crate of models only has none.
    let unread = api.groups.is_empty().then(|| quote!(#[allow(dead_code)]));
    quote! {
        #header
        #allow
        #![allow(clippy::redundant_closure_call)]
        #models
        #[allow(unused_imports)]
        use crate::runtime::{Error, Method, Request};

        pub use crate::runtime::mock::{MockHandle, OperationMock, TEST_API_KEY};
        /// The mock server library, for what the typed mocks do not cover.
        pub use wiremock;

        /// A local HTTP server that answers as the mocks mounted on it say; requests no mock
        /// matches get 404. [`client`](Self::client) is a client for it.
        #[derive(Debug)]
        pub struct MockServer(crate::runtime::mock::MockServer);

        impl MockServer {
            /// Starts a server on a free local port.
            pub async fn start() -> Self {
                MockServer(crate::runtime::mock::MockServer::start().await)
            }

            /// The typed mocks of this server, by group.
            pub fn mock(&self) -> Mocks<'_> {
                Mocks { server: self }
            }

            /// A client for this server: the test credential ([`TEST_API_KEY`]), strict
            /// decoding (a mock's body that differs from the API description fails the call)
            /// and retries after 1 ms instead of half a second.
            pub fn client(&self) -> crate::Client {
                self.0.client()
            }

            /// The builder [`client`](Self::client) uses, to change more settings.
            pub fn client_builder(&self) -> crate::ClientBuilder {
                self.0.client_builder()
            }

            /// The server's base URL (`http://127.0.0.1:PORT`).
            pub fn uri(&self) -> String {
                self.0.uri()
            }

            /// Every request the server received, matched or not.
            pub async fn received_requests(&self) -> Vec<wiremock::Request> {
                self.0.received_requests().await
            }

            /// The underlying wiremock server, for anything the typed mocks do not cover.
            pub fn wiremock(&self) -> &wiremock::MockServer {
                self.0.wiremock()
            }
        }

        /// The typed mocks of a [`MockServer`], by group (see [`MockServer::mock`]).
        #[derive(Debug, Clone, Copy)]
        pub struct Mocks<'a> {
            #unread
            server: &'a MockServer,
        }

        impl<'a> Mocks<'a> {
            #(#accessors)*
        }

        #(#groups)*
    }
}

/// A link to the group (or one of its operations) in the client, as rustdoc accepts it.
fn client_link(group: &Group, op: Option<&Operation>) -> String {
    let ty = &group.type_name;
    match op {
        None => format!("[`{ty}`](crate::apis::{ty})"),
        // Intra-doc links cannot name raw identifiers.
        Some(op) if op.method_name.starts_with("r#") => format!("`{ty}::{}`", op.method_name),
        Some(op) => format!("[`{ty}::{m}`](crate::apis::{ty}::{m})", m = op.method_name),
    }
}

fn group_mocks(group: &Group) -> TokenStream {
    let ty = format_ident!("{}Mocks", group.type_name);
    let cfg = cfg_any(group.feature.as_slice());
    let text = doc(&format!(
        "Mocks of the operations of {}; get them with [`Mocks::{}`].",
        client_link(group, None),
        crate::names::unraw(&group.accessor)
    ));
    let methods = group.operations.iter().map(|op| operation_mock(group, op));
    quote! {
        #text
        #cfg
        #[derive(Debug, Clone, Copy)]
        pub struct #ty<'a> {
            server: &'a MockServer,
        }

        #cfg
        impl<'a> #ty<'a> {
            #(#methods)*
        }
    }
}

/// The type of the JSON request body, when the operation has one.
fn body_type(op: &Operation) -> Option<&TypeRef> {
    op.body
        .as_ref()
        .filter(|b| b.encoding == BodyEncoding::Json)
        .map(|b| &b.ty)
}

/// The decoded success type, when the response is one JSON value (or nothing).
fn success_type(op: &Operation) -> Option<&TypeRef> {
    match &op.response {
        Response::Body(b) if b.decoding == BodyEncoding::Json => Some(&b.ty),
        _ => None,
    }
}

fn operation_mock(group: &Group, op: &Operation) -> TokenStream {
    let name = ident(&op.method_name);
    let text = doc(&format!(
        "Mocks {}: `{} {}` with these path parameters (or any, with \
         [`any_path`](OperationMock::any_path)).",
        client_link(group, Some(op)),
        op.http_method,
        op.path
    ));
    let mut args = Vec::new();
    let mut bindings = Vec::new();
    for p in op
        .params
        .iter()
        .filter(|p| p.location == ParamLocation::Path)
    {
        let pname = ident(&p.name);
        match &p.ty {
            TypeRef::String => {
                args.push(quote!(#pname: impl Into<String>));
                bindings.push(quote!(let #pname: String = #pname.into();));
            }
            other => {
                let ty = type_tokens(other, Place::Elsewhere);
                args.push(quote!(#pname: #ty));
            }
        }
    }
    let method = super::apis::method_tokens(&op.http_method);
    let template = &op.path;
    let id = &op.id;
    let path = op.path_parts.iter().map(|part| match part {
        PathPart::Literal(text) => quote!(request.push_path(#text);),
        PathPart::Param(name) => {
            let wire = op
                .params
                .iter()
                .find(|p| &p.name == name)
                .map_or(name.as_str(), |p| p.wire.as_str());
            let pname = ident(name);
            quote!(request.push_path_param(#wire, &#pname);)
        }
    });
    let body = body_type(op).map_or(quote!(serde_json::Value), |ty| {
        type_tokens(ty, Place::Elsewhere)
    });
    let success = match (&op.response, success_type(op)) {
        (Response::Unit, _) => quote!(()),
        (_, Some(ty)) => type_tokens(ty, Place::Elsewhere),
        _ => quote!(serde_json::Value),
    };
    let status = proc_macro2::Literal::u16_unsuffixed(op.success_status);
    quote! {
        #text
        pub fn #name(&self, #(#args),*) -> OperationMock<'a, #body, #success> {
            #(#bindings)*
            let mut request = Request::new(#method, #template, #id);
            #(#path)*
            let request = request.finish();
            OperationMock::new(&self.server.0, request, #status)
        }
    }
}
