//! What a generated client tells the runtime about its API: the facts the generator read
//! from the description ([`ApiInfo`]) and how it takes its credential ([`Auth`]).

use super::pacing::Quota;

/// How an API takes its credential (from its `securitySchemes`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Auth {
    /// No credential.
    None,
    /// `Authorization: Bearer <credential>`.
    Bearer,
    /// `Authorization: Basic <base64 of credential>`, the credential being `user:password`.
    Basic,
    /// The credential in the named header.
    Header(&'static str),
    /// The credential in the named header after a prefix the API description states
    /// (`Authorization: Token <credential>`).
    PrefixedHeader(&'static str, &'static str),
    /// The credential in the named query parameter.
    Query(&'static str),
    /// The credential in the named cookie.
    Cookie(&'static str),
}

/// What the runtime knows about the API it serves; the generator writes it into `lib.rs`.
#[derive(Debug, Clone, Copy)]
pub struct ApiInfo {
    /// The API's title.
    pub title: &'static str,
    /// The first server URL of the API description (empty if it has none usable).
    pub default_base_url: &'static str,
    /// The environment variable `ClientCore::from_env` reads the credential from.
    pub api_key_env: &'static str,
    /// The environment variable `ClientCore::from_env` reads the base URL from.
    pub base_url_env: &'static str,
    /// How the credential is sent.
    pub auth: Auth,
    /// The default `User-Agent`: the crate's name and version.
    pub user_agent: &'static str,
    /// The rate limits the API documents, by class (see [`RateLimits::documented`](super::RateLimits::documented)).
    pub rate_limits: &'static [(&'static str, &'static [Quota])],
}
