//! `lib.rs`: the crate root, its docs, re-exports and the facts the runtime needs.

use super::common::{doc, ident, inner_doc};
use crate::ir::Api;
use crate::settings::{Layout, RuntimeDependency, Settings};
use proc_macro2::TokenStream;
use quote::quote;

pub fn lib_rs(api: &Api, settings: &Settings) -> TokenStream {
    let crate_doc = inner_doc(&api.doc);
    let servers = api.servers.iter().map(|s| {
        let name = ident(&s.const_name);
        let url = &s.url;
        let text = s
            .description
            .as_deref()
            .map(crate::docs::sanitize)
            .filter(|d| !d.is_empty());
        let sdoc =
            doc(&text.unwrap_or_else(|| format!("The server at {}.", crate::docs::code(url))));
        quote! {
            #sdoc
            pub const #name: &str = #url;
        }
    });
    let title = &api.title;
    let default_base_url = api
        .servers
        .iter()
        .map(|s| s.url.as_str())
        .find(|u| u.starts_with("http"))
        .unwrap_or("");
    let api_key_env = settings.api_key_env();
    let base_url_env = settings.base_url_env();
    let auth = match &api.auth {
        None => quote!(runtime::Auth::None),
        Some(scheme) => super::common::auth_tokens(scheme, quote!(runtime)),
    };
    let rate_limits = api.rate_classes.iter().map(|class| {
        let name = &class.name;
        let quotas = class.quotas.iter().map(|q| {
            let requests = proc_macro2::Literal::u32_unsuffixed(q.requests);
            let seconds = proc_macro2::Literal::u64_unsuffixed(q.per_seconds);
            quote!(runtime::Quota { requests: #requests, per: std::time::Duration::from_secs(#seconds) })
        });
        quote!((#name, &[#(#quotas),*]))
    });
    // `Client::new` takes a credential only when the description names a scheme.
    let new = match &api.auth {
        Some(_) => quote! {
            /// A client for the API at `base_url` that authenticates with `api_key` (sent as
            /// the crate docs' "Authentication" says), with default settings (see
            /// [`ClientBuilder`]).
            pub fn new(base_url: impl Into<String>, api_key: impl Into<String>) -> Result<Self, Error> {
                Self::builder().base_url(base_url).api_key(api_key).build()
            }
        },
        None => quote! {
            /// A client for the API at `base_url`, with default settings (see
            /// [`ClientBuilder`]). The API description names no credential; the builder's
            /// `bearer_auth`, `basic_auth` and `header_auth` add one.
            pub fn new(base_url: impl Into<String>) -> Result<Self, Error> {
                Self::builder().base_url(base_url).build()
            }
        },
    };
    let client = client_type(api, settings);
    // The crates whose types appear in the client's signatures, at the versions it is built
    // with.
    let reexports = [
        api.needs.chrono.then(|| {
            quote!(
                pub use chrono;
            )
        }),
        api.needs.uuid.then(|| {
            quote!(
                pub use uuid;
            )
        }),
        Some(quote!(
            pub use bytes;
        )),
        Some(quote!(
            pub use serde_json;
        )),
    ];
    // With only some features on, the parts of the runtime that only operations use go
    // unused.
    let allow_unused = super::common::has_tag_features(api).then(|| quote!(#[allow(dead_code)]));
    // The runtime is a crate, or (`--vendor-runtime`) a module of copied files; generated
    // code names it `crate::runtime` either way.
    let runtime = if settings.runtime == RuntimeDependency::Vendored {
        quote! {
            #allow_unused
            mod runtime;
        }
    } else {
        quote! {
            use openapi_rust_runtime as runtime;
        }
    };
    // Code a build script writes is included into a crate the user wrote: the crate's
    // docs, attributes and features are the user's, so the test kit (behind a feature of
    // a generated crate) is left out.
    let crate_head = (settings.layout != Layout::BuildScript).then(|| {
        quote! {
            #crate_doc
            #![forbid(unsafe_code)]
            #![warn(missing_docs)]
        }
    });
    let mock = (settings.layout != Layout::BuildScript).then(|| {
        quote! {
            #[cfg(feature = "test-util")]
            pub mod mock;
        }
    });
    quote! {
        #crate_head

        pub mod apis;
        #mock
        pub mod models;
        #runtime

        pub use runtime::exports::*;
        #(#reexports)*

        #client

        impl Client {
            #new
        }

        impl runtime::Api for Client {
            const INFO: runtime::ApiInfo = runtime::ApiInfo {
                title: #title,
                default_base_url: #default_base_url,
                api_key_env: #api_key_env,
                base_url_env: #base_url_env,
                auth: #auth,
                user_agent: concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION")),
                rate_limits: &[#(#rate_limits),*],
            };

            fn from_core(core: runtime::ClientCore) -> Self {
                Client(core)
            }
        }

        #(#servers)*
    }
}

/// The crate's `Client` (a newtype of the runtime's core, so that the generated groups can
/// be its methods), its builder and the methods every client has.
fn client_type(api: &Api, settings: &Settings) -> TokenStream {
    let client_doc = doc(&format!(
        "A client for the {}. Cheap to clone (clones share one connection pool, \
         configuration, rate budget and call limit) and safe to share between tasks; each \
         group of operations is one of its methods.",
        api.title
    ));
    let from_env_doc = doc(&match &api.auth {
        Some(_) => format!(
            "A client configured from the environment: the credential from `{}` (which must \
             be set), the base URL from `{}`, else the API's first server.",
            settings.api_key_env(),
            settings.base_url_env()
        ),
        None => format!(
            "A client configured from the environment: the base URL from `{}`, else the \
             API's first server.",
            settings.base_url_env()
        ),
    });
    quote! {
        #client_doc
        #[derive(Debug, Clone)]
        pub struct Client(runtime::ClientCore);

        /// The settings of a [`Client`]: [`Client::builder`], a chain of setters, then
        /// `build()`.
        pub type ClientBuilder = runtime::ClientBuilder<Client>;

        impl Client {
            /// A builder for a client with custom settings.
            pub fn builder() -> ClientBuilder {
                ClientBuilder::new()
            }

            #from_env_doc
            pub fn from_env() -> Result<Self, Error> {
                ClientBuilder::from_env()?.build()
            }

            /// The base URL requests go to.
            pub fn base_url(&self) -> &reqwest::Url {
                self.0.base_url()
            }

            /// A handle on the same client (same connections, middleware, rate budget and
            /// call limit) whose calls use `options` on top of this handle's own: a shorter
            /// timeout, no retries, an extra header. Cheap: nothing is built or connected.
            pub fn with_options(&self, options: CallOptions) -> Self {
                Client(self.0.with_options(options))
            }
        }
    }
}
