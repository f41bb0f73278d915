//! The test kit (feature `test-util`): typed mocks of the API's operations on a real local
//! HTTP server, so that code using the client is tested through the client's whole path
//! (URL building, credentials, retries, decoding), with no JSON or server code written by
//! hand.
//!
//! The generated `mock` module adds one method per operation, mirroring the client:
//! `server.mock().users().partial_update("@me")` is a mock of
//! `client.users().partial_update("@me")`. This file holds what every operation shares.

use super::client::{Api, ClientBuilder};
use super::request::Request;
use super::retry::RetryPolicy;
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::fmt;
use std::marker::PhantomData;
use std::time::Duration;

/// The credential [`MockServer::client`] sends.
pub const TEST_API_KEY: &str = "test-api-key";

/// A local HTTP server that answers as the mocks mounted on it say. Requests no mock
/// matches get 404.
pub struct MockServer {
    server: wiremock::MockServer,
}

impl fmt::Debug for MockServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MockServer")
            .field("uri", &self.server.uri())
            .finish()
    }
}

impl MockServer {
    /// Starts a server on a free local port.
    pub async fn start() -> Self {
        MockServer {
            server: wiremock::MockServer::start().await,
        }
    }

    /// The server's base URL (`http://127.0.0.1:PORT`).
    pub fn uri(&self) -> String {
        self.server.uri()
    }

    /// A client for this server: the test credential ([`TEST_API_KEY`]) and retries after
    /// 1 ms instead of half a second, so that tests of retries are fast.
    pub fn client<A: Api>(&self) -> A {
        self.client_builder()
            .build()
            .expect("a client for the local mock server")
    }

    /// The builder [`client`](Self::client) uses, to change more settings. It decodes
    /// strictly ([`Decoding::Strict`](crate::Decoding::Strict)): a mock's body that differs
    /// from the API description fails the call, so that tests catch it.
    pub fn client_builder<A: Api>(&self) -> ClientBuilder<A> {
        ClientBuilder::new()
            .decoding(crate::Decoding::Strict)
            .base_url(self.uri())
            .api_key(TEST_API_KEY)
            .retry_policy(RetryPolicy {
                initial_backoff: Duration::from_millis(1),
                max_backoff: Duration::from_millis(10),
                ..RetryPolicy::default()
            })
    }

    /// Every request the server received, matched or not.
    pub async fn received_requests(&self) -> Vec<wiremock::Request> {
        self.server.received_requests().await.unwrap_or_default()
    }

    /// The underlying wiremock server, for anything the typed mocks do not cover.
    pub fn wiremock(&self) -> &wiremock::MockServer {
        &self.server
    }
}

/// A mock of one operation, being set up: what it matches, how it answers and how often.
/// `B` is the operation's request body type and `T` its success type. Nothing happens until
/// it is [mounted](Self::mount).
#[must_use = "a mock does nothing until it is mounted"]
pub struct OperationMock<'a, B, T> {
    server: &'a MockServer,
    operation: &'static str,
    method: reqwest::Method,
    template: &'static str,
    /// The exact path for the given path parameters, or why they cannot be sent.
    path: Result<String, String>,
    any_path: bool,
    success_status: u16,
    query: Vec<(String, String)>,
    headers: Vec<(String, String)>,
    body: Option<serde_json::Value>,
    response: wiremock::ResponseTemplate,
    times: Option<u64>,
    expect: Option<u64>,
    types: PhantomData<fn(B) -> T>,
}

impl<B, T> fmt::Debug for OperationMock<'_, B, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OperationMock")
            .field("operation", &self.operation)
            .field("method", &self.method)
            .field("path", &self.path)
            .field("any_path", &self.any_path)
            .finish_non_exhaustive()
    }
}

impl<'a, B, T> OperationMock<'a, B, T>
where
    B: DeserializeOwned,
    T: Serialize,
{
    /// Used by the generated mocks: the request the client would send (its path
    /// parameters filled in), and the status the operation answers with on success.
    #[doc(hidden)]
    pub fn new(
        server: &'a MockServer,
        request: Result<Request, super::Error>,
        success_status: u16,
    ) -> Self {
        let (operation, method, template, path) = match request {
            Ok(r) => (r.operation, r.method, r.template, Ok(r.path)),
            Err(e) => ("", reqwest::Method::GET, "", Err(e.to_string())),
        };
        OperationMock {
            server,
            operation,
            method,
            template,
            path,
            any_path: false,
            success_status,
            query: Vec::new(),
            headers: Vec::new(),
            body: None,
            response: wiremock::ResponseTemplate::new(success_status),
            times: None,
            expect: None,
            types: PhantomData,
        }
    }

    /// Matches any values of the path parameters, not only the ones given.
    pub fn any_path(mut self) -> Self {
        self.any_path = true;
        self
    }

    /// Matches only requests with this query parameter (its value as sent).
    pub fn with_query(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.query.push((name.into(), value.into()));
        self
    }

    /// Matches only requests with this header value.
    pub fn with_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Matches only requests whose JSON body equals this one.
    pub fn with_body(mut self, body: &B) -> Self
    where
        B: Serialize,
    {
        self.body = Some(serde_json::to_value(body).expect("the body serializes to JSON"));
        self
    }

    /// Answers with the operation's success status and this value as its JSON body.
    pub fn respond(mut self, value: T) -> Self {
        let body = serde_json::to_value(&value).expect("the response serializes to JSON");
        self.response = wiremock::ResponseTemplate::new(self.success_status);
        if !body.is_null() || self.success_status != 204 {
            self.response = self.response.set_body_json(body);
        }
        self
    }

    /// Answers with the operation's success status and no body (for operations that
    /// return nothing).
    pub fn respond_empty(mut self) -> Self {
        self.response = wiremock::ResponseTemplate::new(self.success_status);
        self
    }

    /// Answers with an error status and this body as JSON, such as an
    /// [`ErrorBody`](super::ErrorBody) or one of the API's error models.
    pub fn fail(mut self, status: u16, body: impl Serialize) -> Self {
        let body = serde_json::to_value(&body).expect("the error body serializes to JSON");
        self.response = wiremock::ResponseTemplate::new(status).set_body_json(body);
        self
    }

    /// Answers 429, with a `Retry-After` of whole seconds when given.
    pub fn rate_limited(mut self, retry_after: Option<Duration>) -> Self {
        let mut response = wiremock::ResponseTemplate::new(429);
        if let Some(after) = retry_after {
            response = response.insert_header("Retry-After", after.as_secs().to_string());
        }
        self.response = response;
        self
    }

    /// Answers with exactly this status, content type and body (a file, an event stream, a
    /// body that does not match the API description).
    pub fn respond_raw(
        mut self,
        status: u16,
        content_type: &str,
        body: impl Into<Vec<u8>>,
    ) -> Self {
        self.response = wiremock::ResponseTemplate::new(status).set_body_raw(body, content_type);
        self
    }

    /// Waits this long before answering (for timeouts).
    pub fn delay(mut self, delay: Duration) -> Self {
        self.response = self.response.set_delay(delay);
        self
    }

    /// Answers at most `n` times; later requests fall through to the mocks mounted after
    /// it (say, a 503 once, then a success).
    pub fn times(mut self, n: u64) -> Self {
        self.times = Some(n);
        self
    }

    /// Requires exactly `n` matching requests by the time the handle is dropped; the test
    /// fails otherwise.
    pub fn expect(mut self, n: u64) -> Self {
        self.expect = Some(n);
        self
    }

    /// Mounts the mock. It answers until the returned handle is dropped, which also checks
    /// [`expect`](Self::expect). Mocks mounted earlier win where several match, except that
    /// a mock limited by [`times`](Self::times) goes before unlimited ones.
    pub async fn mount(self) -> MockHandle<B> {
        let path = match self.path {
            Ok(path) => path,
            Err(e) => panic!("cannot mock `{}`: {e}", self.operation),
        };
        let template = self.template;
        let any_path = self.any_path;
        let method = self.method.clone();
        let mut mock = wiremock::Mock::given(move |request: &wiremock::Request| {
            request.method == method
                && if any_path {
                    matches_template(template, request.url.path())
                } else {
                    request.url.path() == path
                }
        });
        for (name, value) in self.query {
            mock = mock.and(wiremock::matchers::query_param(name, value));
        }
        for (name, value) in self.headers {
            mock = mock.and(wiremock::matchers::header(name.as_str(), value.as_str()));
        }
        if let Some(body) = self.body {
            mock = mock.and(wiremock::matchers::body_json(body));
        }
        let mut mock = mock.respond_with(self.response).named(self.operation);
        if let Some(n) = self.times {
            mock = mock.up_to_n_times(n).with_priority(1);
        } else {
            mock = mock.with_priority(2);
        }
        if let Some(n) = self.expect {
            mock = mock.expect(n);
        }
        MockHandle {
            operation: self.operation,
            guard: mock.mount_as_scoped(&self.server.server).await,
            body: PhantomData,
        }
    }
}

/// A mounted mock: what it received. Dropping it unmounts the mock and checks its
/// [`expect`](OperationMock::expect)ation.
pub struct MockHandle<B> {
    operation: &'static str,
    guard: wiremock::MockGuard,
    body: PhantomData<fn() -> B>,
}

impl<B> fmt::Debug for MockHandle<B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MockHandle")
            .field("operation", &self.operation)
            .finish_non_exhaustive()
    }
}

impl<B: DeserializeOwned> MockHandle<B> {
    /// How many requests the mock answered.
    pub async fn calls(&self) -> usize {
        self.guard.received_requests().await.len()
    }

    /// The requests the mock answered, as received.
    pub async fn requests(&self) -> Vec<wiremock::Request> {
        self.guard.received_requests().await
    }

    /// The JSON bodies of the requests the mock answered, decoded into the operation's body
    /// type. Panics (failing the test) when a body is not one.
    pub async fn bodies(&self) -> Vec<B> {
        self.guard
            .received_requests()
            .await
            .iter()
            .map(|r| {
                serde_json::from_slice(&r.body).unwrap_or_else(|e| {
                    panic!(
                        "`{}` received a body that is not its request type: {e}: {}",
                        self.operation,
                        String::from_utf8_lossy(&r.body)
                    )
                })
            })
            .collect()
    }
}

/// Whether `path` fits the template, each `{parameter}` standing for one or more characters
/// other than `/`.
fn matches_template(template: &str, path: &str) -> bool {
    match template.find('{') {
        None => template == path,
        Some(open) => {
            let Some(rest) = path.strip_prefix(&template[..open]) else {
                return false;
            };
            let Some(close) = template[open..].find('}') else {
                return false;
            };
            let after = &template[open + close + 1..];
            // Try every length of the parameter's value, shortest first.
            let limit = rest.find('/').unwrap_or(rest.len());
            (1..=limit).any(|n| matches_template(after, &rest[n..]))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::matches_template;

    #[test]
    fn templates_match_one_segment_per_parameter() {
        assert!(matches_template("/api/users/{uuid}/", "/api/users/@me/"));
        assert!(matches_template("/a/{x}.{y}", "/a/file.tar.gz"));
        assert!(!matches_template("/api/users/{uuid}/", "/api/users/a/b/"));
        assert!(!matches_template("/api/users/{uuid}/", "/api/users//"));
        assert!(!matches_template("/api/users/", "/api/users/x"));
    }
}
