//! The client: configuration, credentials, and the one request path every operation takes.

use super::api::{ApiInfo, Auth};
use super::decode::Decoding;
use super::deviations::DeviationLog;
use super::error::{ApiError, Error};
use super::file::Contents;
use super::options::CallOptions;
use super::pacing::{Pacer, RateLimits};
use super::request::{Body, Part, Request};
use super::response::{ApiResponse, RawResponse};
use super::retry::{parse_retry_after, Attempt, RetryPolicy};
use reqwest::header::{
    HeaderMap, HeaderName, HeaderValue, ACCEPT, AUTHORIZATION, COOKIE, USER_AGENT,
};
use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tracing::Instrument as _;
use url::Url;

/// A generated client: the facts of its API and how it wraps the [`ClientCore`] a
/// [`ClientBuilder`] makes. Implemented by generated code only; its shape may change in any
/// release that changes the runtime's minor version (see the crate docs).
#[doc(hidden)]
pub trait Api: Sized {
    /// What the runtime needs to know about the API.
    const INFO: ApiInfo;
    /// The generated client around a built core.
    fn from_core(core: ClientCore) -> Self;
}

impl RateLimits {
    /// The limits the API of the generated client `A` documents, as the generator wrote them
    /// into its crate (see that crate's docs): `RateLimits::documented::<Client>()`. Empty
    /// when the API documents none.
    pub fn documented<A: Api>() -> Self {
        let mut limits = RateLimits::default();
        for (class, quotas) in A::INFO.rate_limits {
            limits = limits.class(*class, quotas.iter().copied());
        }
        limits
    }
}

/// The future of one call: boxed, so that whatever awaits it holds a pointer (see
/// `ClientCore::into_call`).
pub(crate) type Call = Pin<Box<dyn Future<Output = Result<RawResponse, Error>> + Send>>;

/// A credential that never shows up in `Debug` output or error messages.
#[derive(Clone)]
struct Secret(String);

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("\"<redacted>\"")
    }
}

/// A client for the API. Cheap to clone (clones share one connection pool and
/// configuration), and safe to share between tasks.
#[derive(Clone)]
pub struct ClientCore {
    inner: Arc<Inner>,
    /// Overrides of this handle (see [`ClientCore::with_options`]); `None` for the client as built.
    options: Option<Arc<CallOptions>>,
}

struct Inner {
    http: reqwest::Client,
    base_url: Url,
    credential: Option<Secret>,
    auth: Auth,
    /// The credential's header for `auth`, made when the client was built (see
    /// [`credential_header`]); `None` when the scheme is not a header or there is no credential.
    credential_header: Option<(Auth, HeaderName, HeaderValue)>,
    /// A credential header set on the builder (`bearer_auth`, `basic_auth`, `header_auth`),
    /// which every authenticated call sends instead of the API's scheme.
    auth_override: Option<(HeaderName, HeaderValue)>,
    timeout: Duration,
    deadline: Option<Duration>,
    retry: RetryPolicy,
    user_agent: HeaderValue,
    default_headers: HeaderMap,
    log_bodies: bool,
    max_response_size: u64,
    stream_idle_timeout: Duration,
    /// Calls in flight at once, shared by every clone; `None` when unlimited.
    in_flight: Option<Arc<tokio::sync::Semaphore>>,
    /// The middleware chain around `http`, when any is installed; without one, requests go
    /// to `http` directly, at no extra cost.
    middleware: Option<reqwest_middleware::ClientWithMiddleware>,
    /// The rate budgets every clone shares, when pacing is on.
    pacer: Option<Pacer>,
    /// How bodies that differ from the API description are read.
    decoding: Decoding,
    /// Where deviations from the API description are recorded, if anywhere.
    deviation_log: Option<Arc<DeviationLog>>,
}

impl fmt::Debug for ClientCore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientCore")
            .field("base_url", &self.inner.base_url.as_str())
            .field("credential", &self.inner.credential)
            .field("timeout", &self.inner.timeout)
            .field("retry", &self.inner.retry)
            .field("middleware", &self.inner.middleware.is_some())
            .field("pacer", &self.inner.pacer)
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

impl ClientCore {
    /// The base URL requests go to.
    pub fn base_url(&self) -> &Url {
        &self.inner.base_url
    }

    /// A handle on the same client (same connections, middleware, rate budget and call
    /// limit) whose calls use `options` on top of this handle's own: a shorter timeout, no
    /// retries, an extra header. Cheap: nothing is built or connected.
    pub fn with_options(&self, options: CallOptions) -> ClientCore {
        let options = match &self.options {
            Some(mine) => mine.merged(options),
            None => options,
        };
        ClientCore {
            inner: Arc::clone(&self.inner),
            options: Some(Arc::new(options)),
        }
    }

    fn call_decoding(&self) -> Decoding {
        self.options
            .as_ref()
            .and_then(|o| o.decoding)
            .unwrap_or(self.inner.decoding)
    }

    fn call_timeout(&self) -> Duration {
        self.options
            .as_ref()
            .and_then(|o| o.timeout)
            .unwrap_or(self.inner.timeout)
    }

    fn call_deadline(&self) -> Option<Duration> {
        self.options
            .as_ref()
            .and_then(|o| o.deadline)
            .or(self.inner.deadline)
    }

    /// Sends a request, retrying as the [`RetryPolicy`] allows. Error statuses become
    /// [`Error::Api`].
    #[doc(hidden)]
    pub fn execute(&self, request: Request) -> Call {
        self.clone().into_call(request)
    }

    /// Sends an operation's request and decodes its response with `decode`. The operations'
    /// `send_with_response` return this future rather than being `async fn`s of their own: a
    /// coroutine per operation is much of what a large client costs to compile.
    #[doc(hidden)]
    pub fn send<T>(
        self,
        request: Result<Request, Error>,
        decode: fn(RawResponse) -> Result<ApiResponse<T>, Error>,
    ) -> impl Future<Output = Result<ApiResponse<T>, Error>> {
        let call = request.map(|request| self.into_call(request));
        async move { decode(call?.await?) }
    }

    /// [`ClientCore::send`], giving only the decoded body (an operation's `send`).
    #[doc(hidden)]
    pub fn send_body<T>(
        self,
        request: Result<Request, Error>,
        decode: fn(RawResponse) -> Result<ApiResponse<T>, Error>,
    ) -> impl Future<Output = Result<T, Error>> {
        let call = request.map(|request| self.into_call(request));
        async move { decode(call?.await?).map(ApiResponse::into_body) }
    }

    /// How a broken event stream is sent again: this client's call, giving the new body.
    fn resend(self) -> super::stream::Resend {
        Box::new(move |request| {
            let operation = request.operation;
            let call = self.execute(request);
            Box::pin(async move {
                let mut response = call.await?;
                match response.unread.take() {
                    Some(unread) => Ok(Box::pin(unread.bytes_stream()) as super::stream::Chunks),
                    None => Err(Error::Pagination {
                        operation,
                        message: "the resumed event stream was read before it could be streamed"
                            .into(),
                    }),
                }
            })
        })
    }

    /// [`ClientCore::execute`]'s future, made once per call on the heap. What a call touches is
    /// what it costs, more than the instructions it runs: between sending and receiving, the
    /// caller's thread sleeps and comes back to cold caches. So the request lives in this one
    /// future and is lent to the attempts, nothing of kilobytes is moved between nested
    /// futures, and an operation's own future is a pointer (as reqwest's `Pending` is).
    fn into_call(self, request: Request) -> Call {
        Box::pin(async move {
            let span = tracing::info_span!(
                "http_request",
                method = %request.method,
                path = request.template,
                operation = request.operation,
                attempt = tracing::field::Empty,
                status = tracing::field::Empty,
                elapsed_ms = tracing::field::Empty,
            );
            let mut response = self.execute_with_retries(&request).instrument(span).await?;
            // A streamed call is kept, to resume an event stream whose connection breaks.
            if request.streamed {
                let attempts = self.inner.retry.max_retries;
                response.resume = Some(Box::new(super::stream::Resume {
                    resend: self.resend(),
                    request,
                    attempts,
                }));
            }
            Ok(response)
        })
    }

    async fn execute_with_retries(&self, request: &Request) -> Result<RawResponse, Error> {
        let span = tracing::Span::current();
        let started = Instant::now();
        let idempotent = request.is_idempotent();
        let mut policy = self.inner.retry;
        if let Some(retries) = self.options.as_ref().and_then(|o| o.max_retries) {
            policy.max_retries = retries;
        }
        let deadline = self.call_deadline();
        let past_deadline = |attempts: u32, last: Option<Error>| Error::DeadlineExceeded {
            operation: request.operation,
            deadline: deadline.unwrap_or_default(),
            attempts,
            last: last.map(Box::new),
        };
        let mut retry = 0;
        loop {
            span.record("attempt", retry + 1);
            let outcome = match deadline {
                None => self.attempt(request).await,
                Some(deadline) => {
                    let left = deadline.saturating_sub(started.elapsed());
                    match tokio::time::timeout(left, self.attempt(request)).await {
                        Ok(outcome) => outcome,
                        Err(_) => return Err(past_deadline(retry + 1, None)),
                    }
                }
            };
            let outcome = outcome.map_err(|e| e.after_attempts(retry + 1, self.call_timeout()));
            let kind = match &outcome {
                Ok(response) => {
                    let retry_after = response
                        .headers
                        .get(reqwest::header::RETRY_AFTER)
                        .and_then(|v| v.to_str().ok())
                        .and_then(parse_retry_after);
                    Attempt::Status(response.status, retry_after)
                }
                Err(error) => attempt_of(error),
            };
            retry += 1;
            let success = matches!(&outcome, Ok(r) if r.status.is_success());
            let delay = if success {
                None
            } else {
                policy.delay(idempotent, kind, retry)
            };
            if let Some(delay) = delay {
                // A retry that would start after the deadline is not made.
                if deadline.is_some_and(|d| started.elapsed() + delay >= d) {
                    let last = match outcome {
                        Err(e) => Some(e),
                        Ok(response) => Some(Error::Api(Box::new(ApiError::new(
                            request.operation,
                            response.status,
                            response.headers,
                            &response.body,
                        )))),
                    };
                    return Err(past_deadline(retry, last));
                }
                tracing::debug!(?delay, outcome = ?kind, "retrying");
                tokio::time::sleep(delay).await;
                continue;
            }
            span.record("elapsed_ms", started.elapsed().as_millis() as u64);
            return match outcome {
                Ok(response) => {
                    span.record("status", response.status.as_u16());
                    if response.status.is_success() {
                        Ok(response)
                    } else if let Some(location) = redirect_location(&response) {
                        Err(Error::Redirect {
                            operation: request.operation,
                            status: response.status,
                            location,
                        })
                    } else {
                        Err(Error::Api(Box::new(ApiError::new(
                            request.operation,
                            response.status,
                            response.headers,
                            &response.body,
                        ))))
                    }
                }
                Err(e) => Err(e),
            };
        }
    }

    /// One attempt: build, send, read the whole body (or, for a streamed call, the headers).
    async fn attempt(&self, request: &Request) -> Result<RawResponse, Error> {
        // Budget first, so that a call waiting for it holds no slot of the call limit.
        if let Some(pacer) = &self.inner.pacer {
            pacer.until_ready(request.rate_class).await;
        }
        // Held until the body is read (or, streamed, until the headers arrive); released when
        // the attempt ends or its future is dropped.
        let _permit = match &self.inner.in_flight {
            Some(limit) => Some(limit.acquire().await.map_err(|_| {
                Error::invalid(
                    "max_concurrent_requests",
                    "the client's call limit was closed",
                )
            })?),
            None => None,
        };
        let inner = &self.inner;
        let operation = request.operation;
        let timeout = self.call_timeout();
        let mut builder = self.build_request(request)?;
        if !request.streamed {
            builder = builder.timeout(timeout);
        }
        let prepared = builder.build().map_err(|e| transport_error(operation, e))?;
        let send = async {
            match &inner.middleware {
                None => inner
                    .http
                    .execute(prepared)
                    .await
                    .map_err(|e| transport_error(operation, e)),
                Some(chain) => chain
                    .execute(prepared)
                    .await
                    .map_err(|e| middleware_error(operation, e)),
            }
        };
        let mut response = if request.streamed {
            // A stream may last far longer than any timeout; its headers may not, and its
            // body may not fall silent for longer than the idle timeout (see `ItemStream`).
            tokio::time::timeout(timeout, send)
                .await
                .map_err(|_| Error::Stalled {
                    operation,
                    after: timeout,
                })?
        } else {
            send.await
        }?;
        let status = response.status();
        let headers = if request.streamed {
            response.headers().clone()
        } else {
            // The body is read below; the response keeps no use for its headers.
            std::mem::take(response.headers_mut())
        };
        let (body, unread) = if request.streamed && status.is_success() {
            (bytes::Bytes::new(), Some(response))
        } else {
            let body = read_body(response, operation, inner.max_response_size).await?;
            if inner.log_bodies {
                tracing::debug!(%status, body = %String::from_utf8_lossy(&body), "response body");
            }
            (body, None)
        };
        Ok(RawResponse {
            operation,
            status,
            headers,
            body,
            unread,
            idle_timeout: inner.stream_idle_timeout,
            resume: None,
            method: request.method.clone(),
            template: request.template,
            decoding: self.call_decoding(),
            log: inner.deviation_log.clone(),
        })
    }

    /// The request on the wire: URL, credential, headers, cookies and body.
    fn build_request(&self, request: &Request) -> Result<reqwest::RequestBuilder, Error> {
        let inner = &self.inner;
        let mut url = inner.base_url.clone();
        let prefix = inner.base_url.path().trim_end_matches('/');
        if request.path_is_absolute || prefix.is_empty() {
            url.set_path(&request.path);
        } else {
            url.set_path(&format!("{prefix}{}", request.path));
        }
        let mut query = request.query.clone();
        let mut headers = inner.default_headers.clone();
        headers.insert(USER_AGENT, inner.user_agent.clone());
        // What the operation decodes, unless a default header or the operation's own
        // `Accept` parameter says otherwise.
        if !headers.contains_key(ACCEPT)
            && !request
                .headers
                .iter()
                .any(|(name, _)| name.eq_ignore_ascii_case("accept"))
        {
            // A media type the description spells in characters a header cannot carry is
            // not asked for.
            let value = match request.accept {
                // Most operations decode JSON: no copy of the header's text per call.
                "application/json" => Ok(HeaderValue::from_static("application/json")),
                other => HeaderValue::from_str(other),
            };
            if let Ok(value) = value {
                headers.insert(ACCEPT, value);
            }
        }
        if let Some(options) = &self.options {
            let mut replaced = Vec::new();
            for (name, value) in &options.headers {
                let (name, value) = header(name, value)?;
                // The first of a name replaces the default header; later ones add to it.
                if replaced.contains(&name) {
                    headers.append(name, value);
                } else {
                    headers.insert(name.clone(), value);
                    replaced.push(name);
                }
            }
        }
        let mut cookies = request.cookies.clone();
        if request.authenticated {
            if let Some((name, value)) = &inner.auth_override {
                headers.insert(name.clone(), value.clone());
            } else if let Some(Secret(credential)) = &inner.credential {
                let auth = request.auth.unwrap_or(inner.auth);
                match auth {
                    Auth::Query(name) => query.push((name.to_owned(), credential.clone())),
                    Auth::Cookie(name) => cookies.push((name.to_owned(), credential.clone())),
                    _ => {
                        let header = match &inner.credential_header {
                            Some((made_for, name, value)) if *made_for == auth => {
                                Some((name.clone(), value.clone()))
                            }
                            _ => credential_header(auth, credential)?,
                        };
                        if let Some((name, value)) = header {
                            headers.insert(name, value);
                        }
                    }
                }
            }
        }
        if !query.is_empty() {
            url.query_pairs_mut()
                .extend_pairs(query.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        }
        for (name, value) in &request.headers {
            let (name, value) = header(name, value)?;
            headers.append(name, value);
        }
        if !cookies.is_empty() {
            let joined: Vec<String> = cookies.iter().map(|(k, v)| format!("{k}={v}")).collect();
            headers.insert(COOKIE, sensitive(&joined.join("; "))?);
        }
        let builder = inner
            .http
            .request(request.method.clone(), url)
            .headers(headers);
        Ok(match &request.body {
            Body::None => builder,
            Body::Bytes {
                bytes,
                content_type,
            } => {
                if inner.log_bodies {
                    tracing::debug!(body = %String::from_utf8_lossy(bytes), "request body");
                }
                builder
                    .header(reqwest::header::CONTENT_TYPE, content_type.as_str())
                    .body(bytes.clone())
            }
            Body::File { file, content_type } => {
                let content_type = file.content_type.as_deref().unwrap_or(content_type);
                let builder = builder.header(reqwest::header::CONTENT_TYPE, content_type);
                match &file.contents {
                    Contents::Bytes(bytes) => builder.body(bytes.clone()),
                    Contents::Stream { open, length } => {
                        let builder = match length {
                            Some(length) => {
                                builder.header(reqwest::header::CONTENT_LENGTH, *length)
                            }
                            None => builder,
                        };
                        builder.body(reqwest::Body::wrap_stream(open()))
                    }
                }
            }
            Body::Multipart(parts) => {
                let mut form = reqwest::multipart::Form::new();
                for part in parts {
                    let (name, part) = multipart_part(part)?;
                    form = form.part(name, part);
                }
                builder.multipart(form)
            }
        })
    }
}

/// A part of a multipart body as reqwest sends it. A file without a name is sent under its
/// field's name, since many servers take only parts with a file name as files.
fn multipart_part(part: &Part) -> Result<(String, reqwest::multipart::Part), Error> {
    let (name, sent, mime) = match part {
        Part::Text {
            name,
            value,
            content_type,
        } => (
            name,
            reqwest::multipart::Part::text(value.clone()),
            content_type.map(str::to_owned),
        ),
        Part::File { name, file } => {
            let sent = match &file.contents {
                Contents::Bytes(bytes) => reqwest::multipart::Part::stream(bytes.clone()),
                Contents::Stream { open, length } => {
                    let body = reqwest::Body::wrap_stream(open());
                    match length {
                        Some(length) => reqwest::multipart::Part::stream_with_length(body, *length),
                        None => reqwest::multipart::Part::stream(body),
                    }
                }
            };
            let file_name = file.file_name.clone().unwrap_or_else(|| name.clone());
            let mime = file
                .content_type
                .clone()
                .unwrap_or_else(|| "application/octet-stream".to_owned());
            (name, sent.file_name(file_name), Some(mime))
        }
    };
    let sent = match mime {
        Some(mime) => sent
            .mime_str(&mime)
            .map_err(|_| Error::invalid(name.clone(), format!("invalid content type `{mime}`")))?,
        None => sent,
    };
    Ok((name.clone(), sent))
}

/// How a failed attempt counts for retrying.
fn attempt_of(error: &Error) -> Attempt {
    match error {
        Error::Connection { .. } => Attempt::NotSent,
        Error::Timeout { .. } | Error::Stalled { .. } | Error::BodyCutShort { .. } => {
            Attempt::Broken
        }
        // A reset connection or a body cut short; a redirect loop is not worth repeating.
        Error::Transport { source, .. } if !source.is_redirect() && !source.is_builder() => {
            Attempt::Broken
        }
        _ => Attempt::Fatal,
    }
}

/// Where a redirect the client did not follow points, without its query string (which could
/// echo parameters).
fn redirect_location(response: &RawResponse) -> Option<String> {
    if !response.status.is_redirection() || response.status == reqwest::StatusCode::NOT_MODIFIED {
        return None;
    }
    let location = response
        .headers
        .get(reqwest::header::LOCATION)?
        .to_str()
        .unwrap_or("(not text)");
    Some(location.split(['?', '#']).next().unwrap_or("").to_owned())
}

/// Reads a whole body, refusing one larger than `limit` bytes (by its `Content-Length`, or
/// as soon as it grows past the limit).
async fn read_body(
    mut response: reqwest::Response,
    operation: &'static str,
    limit: u64,
) -> Result<bytes::Bytes, Error> {
    let too_large = || Error::TooLarge { operation, limit };
    if response.content_length().is_some_and(|n| n > limit) {
        return Err(too_large());
    }
    let mut chunks: Vec<bytes::Bytes> = Vec::new();
    let mut total: u64 = 0;
    let expected = response.content_length();
    let mut received: u64 = 0;
    while let Some(chunk) = response.chunk().await.map_err(|e| {
        let e = e.without_url();
        if e.is_timeout() {
            transport_error(operation, e)
        } else {
            Error::BodyCutShort {
                operation,
                received,
                expected,
                source: e,
            }
        }
    })? {
        received += chunk.len() as u64;
        total += chunk.len() as u64;
        if total > limit {
            return Err(too_large());
        }
        chunks.push(chunk);
    }
    Ok(match chunks.len() {
        0 => bytes::Bytes::new(),
        // The common case: no copy.
        1 => chunks.pop().expect("one chunk"),
        _ => {
            let mut all = bytes::BytesMut::with_capacity(total as usize);
            for chunk in chunks {
                all.extend_from_slice(&chunk);
            }
            all.freeze()
        }
    })
}

/// A header a call sends (an operation's parameter or a per-call option), checked.
fn header(name: &str, value: &str) -> Result<(HeaderName, HeaderValue), Error> {
    let name = HeaderName::from_bytes(name.as_bytes())
        .map_err(|_| Error::invalid(name, "not a valid header name"))?;
    let value = HeaderValue::from_str(value)
        .map_err(|_| Error::invalid(name.as_str(), "not a valid header value"))?;
    Ok((name, value))
}

/// A header value marked sensitive, so that HTTP-level logging never prints it.
fn sensitive(value: &str) -> Result<HeaderValue, Error> {
    let mut value = HeaderValue::from_str(value).map_err(|_| {
        Error::invalid(
            "api_key",
            "the credential contains characters a header cannot carry",
        )
    })?;
    value.set_sensitive(true);
    Ok(value)
}

/// The header that carries the credential by a header scheme (`Bearer`, `Basic` or a named
/// header), marked sensitive. Made once when the client is built, for the API's scheme, and
/// per call only for an operation that names another.
fn credential_header(
    auth: Auth,
    credential: &str,
) -> Result<Option<(HeaderName, HeaderValue)>, Error> {
    Ok(Some(match auth {
        Auth::Bearer => (AUTHORIZATION, sensitive(&format!("Bearer {credential}"))?),
        Auth::Basic => {
            use base64::Engine as _;
            let encoded = base64::engine::general_purpose::STANDARD.encode(credential);
            (AUTHORIZATION, sensitive(&format!("Basic {encoded}"))?)
        }
        Auth::Header(name) => {
            let name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| {
                Error::invalid("auth", "the API's credential header name is invalid")
            })?;
            (name, sensitive(credential)?)
        }
        Auth::PrefixedHeader(name, prefix) => {
            let name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| {
                Error::invalid("auth", "the API's credential header name is invalid")
            })?;
            (name, sensitive(&format!("{prefix} {credential}"))?)
        }
        Auth::None | Auth::Query(_) | Auth::Cookie(_) => return Ok(None),
    }))
}

/// A failure from the middleware chain: reqwest's own errors are classified as without it.
fn middleware_error(operation: &'static str, error: reqwest_middleware::Error) -> Error {
    match error {
        reqwest_middleware::Error::Reqwest(e) => transport_error(operation, e),
        reqwest_middleware::Error::Middleware(e) => Error::Middleware {
            operation,
            source: e.into(),
        },
    }
}

/// Classifies a reqwest error, removing its URL (which may carry a query-string credential).
fn transport_error(operation: &'static str, error: reqwest::Error) -> Error {
    let source = error.without_url();
    if source.is_timeout() {
        // The limit and the attempts are filled in by the retry loop (`after_attempts`).
        Error::Timeout {
            operation,
            source,
            limit: Duration::ZERO,
            attempts: 1,
        }
    } else if source.is_connect() {
        Error::Connection { operation, source }
    } else {
        Error::Transport {
            operation,
            stage: super::Stage::BeforeResponse,
            source,
        }
    }
}

/// What a [`ClientBuilder`] has been told, before it is checked.
#[derive(Clone)]
struct Settings {
    base_url: Option<String>,
    api_key: Option<Secret>,
    connect_timeout: Duration,
    timeout: Duration,
    deadline: Option<Duration>,
    retry: RetryPolicy,
    user_agent: Option<String>,
    default_headers: Vec<(String, String)>,
    http: Option<reqwest::Client>,
    log_bodies: bool,
    max_response_size: u64,
    stream_idle_timeout: Duration,
    max_concurrent_requests: usize,
    middleware: Vec<Arc<dyn reqwest_middleware::Middleware>>,
    rate_limits: Option<RateLimits>,
    proxy: Option<String>,
    no_proxy: bool,
    root_certificates: Vec<Vec<u8>>,
    decoding: Decoding,
    deviation_log: Option<std::path::PathBuf>,
    auth_override: Option<(String, Secret)>,
}

impl fmt::Debug for Settings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("api_key", &self.api_key)
            .field("connect_timeout", &self.connect_timeout)
            .field("timeout", &self.timeout)
            .field("deadline", &self.deadline)
            .field("retry", &self.retry)
            .field("user_agent", &self.user_agent)
            .field(
                "default_headers",
                &self
                    .default_headers
                    .iter()
                    .map(|(name, _)| name)
                    .collect::<Vec<_>>(),
            )
            .field("custom_http_client", &self.http.is_some())
            .field("log_bodies", &self.log_bodies)
            .field("max_response_size", &self.max_response_size)
            .field("stream_idle_timeout", &self.stream_idle_timeout)
            .field("max_concurrent_requests", &self.max_concurrent_requests)
            .field("middleware", &self.middleware.len())
            .field("rate_limits", &self.rate_limits)
            // A proxy URL can carry a password.
            .field("proxy", &self.proxy.as_ref().map(|_| "<set>"))
            .field("no_proxy", &self.no_proxy)
            .field("root_certificates", &self.root_certificates.len())
            .field("decoding", &self.decoding)
            .field("deviation_log", &self.deviation_log)
            .field(
                "auth_override",
                &self
                    .auth_override
                    .as_ref()
                    .map(|(name, secret)| (name, secret)),
            )
            .finish()
    }
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            base_url: None,
            api_key: None,
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(60),
            deadline: None,
            retry: RetryPolicy::default(),
            user_agent: None,
            default_headers: Vec::new(),
            http: None,
            log_bodies: false,
            max_response_size: 128 << 20,
            stream_idle_timeout: Duration::from_secs(60),
            max_concurrent_requests: 512,
            middleware: Vec::new(),
            rate_limits: None,
            proxy: None,
            no_proxy: false,
            root_certificates: Vec::new(),
            decoding: Decoding::Tolerant,
            deviation_log: None,
            auth_override: None,
        }
    }
}

/// The largest number of redirects followed on the API's own host.
const MAX_REDIRECTS: usize = 10;

/// Redirects are followed on the base URL's host only (scheme, host and port), at most
/// [`MAX_REDIRECTS`] times; one to another host is not followed and becomes
/// [`Error::Redirect`], so that the credential, whatever header or query parameter carries
/// it, never goes to a host the caller did not name.
fn redirect_policy() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(|attempt| {
        let same_origin = attempt
            .previous()
            .first()
            .is_some_and(|first| first.origin() == attempt.url().origin());
        if attempt.previous().len() > MAX_REDIRECTS {
            attempt.error("too many redirects")
        } else if same_origin {
            attempt.follow()
        } else {
            attempt.stop()
        }
    })
}

/// The settings of a client: made by the generated `Client::builder()`, changed by a chain of
/// setters and checked by [`build`](Self::build). `A` is the generated client it builds.
#[must_use = "a builder does nothing until `build` is called"]
pub struct ClientBuilder<A> {
    settings: Settings,
    client: PhantomData<fn() -> A>,
}

impl<A> Clone for ClientBuilder<A> {
    fn clone(&self) -> Self {
        ClientBuilder {
            settings: self.settings.clone(),
            client: PhantomData,
        }
    }
}

impl<A> fmt::Debug for ClientBuilder<A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.settings.fmt(f)
    }
}

impl<A> Default for ClientBuilder<A> {
    fn default() -> Self {
        ClientBuilder::new()
    }
}

impl<A: Api> ClientBuilder<A> {
    /// A builder with the credential and base URL read from the environment: the credential
    /// from the API's key variable (named in the generated crate's docs), which must be set
    /// unless the API takes no credential; the base URL from the API's host variable, else
    /// the API's first server.
    pub fn from_env() -> Result<Self, Error> {
        let api = A::INFO;
        let mut builder = ClientBuilder::new();
        // An API whose description names no credential reads none.
        if api.auth != Auth::None {
            let key = std::env::var(api.api_key_env)
                .ok()
                .filter(|v| !v.trim().is_empty())
                .ok_or_else(|| {
                    Error::invalid(
                        api.api_key_env,
                        format!(
                            "set the environment variable {} to your API key",
                            api.api_key_env
                        ),
                    )
                })?;
            builder = builder.api_key(key.trim());
        }
        if let Some(base) = std::env::var(api.base_url_env)
            .ok()
            .filter(|v| !v.trim().is_empty())
        {
            let base = base.trim();
            builder = builder.base_url(if base.contains("://") {
                base.to_owned()
            } else {
                format!("https://{base}")
            });
        }
        Ok(builder)
    }
}

impl<A> ClientBuilder<A> {
    /// A builder with the default settings (what the generated `Client::builder()` gives).
    pub fn new() -> Self {
        ClientBuilder {
            settings: Settings::default(),
            client: PhantomData,
        }
    }

    /// The base URL, such as one of the API's server constants or a self-hosted URL. Defaults
    /// to the API's first server.
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.settings.base_url = Some(base_url.into());
        self
    }

    /// The credential, sent as the API description says (the crate's docs show how, under
    /// "Authentication").
    pub fn api_key(mut self, api_key: impl Into<String>) -> Self {
        self.settings.api_key = Some(Secret(api_key.into()));
        self
    }

    /// Sends `Authorization: Bearer <token>` with every call that takes credentials, instead
    /// of the API description's scheme: for a server that wants a credential its description
    /// does not name (or names wrongly).
    ///
    /// `Client::builder().bearer_auth("s3cr3t")` sends `Authorization: Bearer s3cr3t`.
    pub fn bearer_auth(self, token: impl Into<String>) -> Self {
        let token = token.into();
        self.header_auth("Authorization", "Bearer", token)
    }

    /// Sends `Authorization: Basic <base64 of user:password>` with every call that takes
    /// credentials, instead of the API description's scheme.
    ///
    /// `Client::builder().basic_auth("ann", "pw")` sends `Authorization: Basic YW5uOnB3`.
    pub fn basic_auth(self, user: impl Into<String>, password: impl Into<String>) -> Self {
        use base64::Engine as _;
        let encoded = base64::engine::general_purpose::STANDARD.encode(format!(
            "{}:{}",
            user.into(),
            password.into()
        ));
        self.header_auth("Authorization", "Basic", encoded)
    }

    /// Sends the credential in the header `name`, after `prefix` and a space when the prefix
    /// is not empty, with every call that takes credentials, instead of the API description's
    /// scheme.
    ///
    /// `Client::builder().header_auth("Authorization", "Token", "abc")` sends
    /// `Authorization: Token abc`; `.header_auth("X-Api-Key", "", "abc")` sends
    /// `X-Api-Key: abc`.
    pub fn header_auth(
        mut self,
        name: impl Into<String>,
        prefix: impl Into<String>,
        credential: impl Into<String>,
    ) -> Self {
        let prefix = prefix.into();
        let credential = credential.into();
        let value = if prefix.is_empty() {
            credential
        } else {
            format!("{prefix} {credential}")
        };
        self.settings.auth_override = Some((name.into(), Secret(value)));
        self
    }

    /// How long to wait for a connection. Default 10 s. Ignored with
    /// [`http_client`](Self::http_client), whose own setting applies.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.settings.connect_timeout = timeout;
        self
    }

    /// How long one attempt may take, from sending to the end of the body (for a streamed
    /// response, until its headers arrive). Default 60 s.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.settings.timeout = timeout;
        self
    }

    /// How long a whole call may take: every attempt and the waits between them together.
    /// When it passes, the attempt under way is abandoned and the call fails with
    /// [`Error::DeadlineExceeded`]; a retry whose wait would end after it is not made. The
    /// per-attempt [`timeout`](Self::timeout) still applies to each attempt. Default: none
    /// (a call takes at most its attempts' timeouts and waits). Streamed calls are bounded
    /// until their headers arrive.
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.settings.deadline = Some(deadline);
        self
    }

    /// Retries after the first attempt; 0 disables retries. Default 2.
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.settings.retry.max_retries = retries;
        self
    }

    /// The whole retry policy.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.settings.retry = policy;
        self
    }

    /// The `User-Agent` header. Defaults to the crate's name and version.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.settings.user_agent = Some(user_agent.into());
        self
    }

    /// A header sent with every request (a tracing header, `Prefer` for a mock server, ...).
    /// Operation parameters and credentials take precedence over it.
    pub fn default_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.settings
            .default_headers
            .push((name.into(), value.into()));
        self
    }

    /// The largest response body the client reads, in bytes; a larger one ends the call with
    /// [`Error::TooLarge`] without being read further. Default 128 MiB. (Streamed responses
    /// are not limited: their items are read one at a time.)
    pub fn max_response_size(mut self, bytes: u64) -> Self {
        self.settings.max_response_size = bytes;
        self
    }

    /// How long a streamed response (server-sent events, JSON lines) may send nothing before
    /// the stream ends with [`Error::Stalled`]. Default 60 s. A streamed call has no overall
    /// timeout; its headers must arrive within [`timeout`](Self::timeout).
    pub fn stream_idle_timeout(mut self, timeout: Duration) -> Self {
        self.settings.stream_idle_timeout = timeout;
        self
    }

    /// The most calls one client (and its clones) has in flight at once; more wait for a
    /// free slot. This bounds connections and file descriptors under any load. Default 512;
    /// 0 removes the limit.
    pub fn max_concurrent_requests(mut self, calls: usize) -> Self {
        self.settings.max_concurrent_requests = calls;
        self
    }

    /// A `reqwest::Client` to send requests with (for proxies, custom TLS, shared pools). Its
    /// own redirect policy then applies: configure it to keep the credential on the API's
    /// host, as the default client does.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.settings.http = Some(client);
        self
    }

    /// Adds a middleware ([`reqwest_middleware::Middleware`]) around every attempt: it sees
    /// each request as it goes out (retries included, each its own attempt) and each
    /// response as it comes in, and may change, answer, repeat or refuse them. Middleware
    /// runs in the order added, the first outermost. An error a middleware returns ends the
    /// call with [`Error::Middleware`], without retries.
    pub fn middleware(mut self, middleware: impl reqwest_middleware::Middleware) -> Self {
        self.settings.middleware.push(Arc::new(middleware));
        self
    }

    /// Paces requests by these budgets (see [`RateLimits`]): a call waits until its rate
    /// class has room instead of being refused with 429. The client and all its clones share
    /// the budget. Off by default; `RateLimits::documented()` gives the API's own limits.
    pub fn rate_limits(mut self, limits: RateLimits) -> Self {
        self.settings.rate_limits = Some(limits);
        self
    }

    /// Sends every request through this proxy (`http://host:port`, `https://...` or
    /// `socks5://...`; credentials as `http://user:password@host:port`). Without it, the
    /// `HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY` and `NO_PROXY` environment variables apply.
    pub fn proxy(mut self, url: impl Into<String>) -> Self {
        self.settings.proxy = Some(url.into());
        self
    }

    /// Ignores proxies set in the environment.
    pub fn no_proxy(mut self) -> Self {
        self.settings.no_proxy = true;
        self
    }

    /// Trusts servers whose certificate chains to this CA certificate (PEM), besides the
    /// platform's own roots: for a company CA or a TLS-intercepting proxy.
    pub fn add_root_certificate_pem(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.settings.root_certificates.push(pem.into());
        self
    }

    /// Logs request and response bodies at `debug` level (off by default: bodies can hold
    /// personal data). The credential is never logged.
    pub fn log_bodies(mut self, enabled: bool) -> Self {
        self.settings.log_bodies = enabled;
        self
    }

    /// How a response body that differs from the API description is read: delivered with
    /// its deviations recorded ([`Decoding::Tolerant`], the default), or refused
    /// ([`Decoding::Strict`], for tests and conformance checks). See
    /// [`DeviationKind`](crate::DeviationKind) for how each difference is read.
    pub fn decoding(mut self, decoding: Decoding) -> Self {
        self.settings.decoding = decoding;
        self
    }

    /// Appends every deviation from the API description that the client reads past to this
    /// file, one JSON object per line (operation, method, path template, status, content
    /// type, JSON path, kind, the value found and a note). `cargo xtask draft-overlay` turns
    /// such a file into an overlay that makes the description say what the server sends.
    pub fn record_deviations(mut self, path: impl Into<std::path::PathBuf>) -> Self {
        self.settings.deviation_log = Some(path.into());
        self
    }

    /// Checks the settings and makes the client.
    pub fn build(self) -> Result<A, Error>
    where
        A: Api,
    {
        self.settings.build(&A::INFO).map(A::from_core)
    }
}

impl Settings {
    /// Checks the settings and makes the client of the API `api` describes. Not generic, so
    /// that it is compiled once, in the runtime, whatever the client.
    fn build(self, api: &ApiInfo) -> Result<ClientCore, Error> {
        let base = self
            .base_url
            .unwrap_or_else(|| api.default_base_url.to_owned());
        if base.is_empty() {
            return Err(Error::invalid(
                "base_url",
                "no base URL given and the API description lists no server",
            ));
        }
        let base_url = Url::parse(&base)
            .map_err(|e| Error::invalid("base_url", format!("`{base}` is not a URL: {e}")))?;
        if !matches!(base_url.scheme(), "http" | "https") || base_url.host_str().is_none() {
            return Err(Error::invalid(
                "base_url",
                format!("`{base}` is not an http or https URL"),
            ));
        }
        if base_url.query().is_some() || base_url.fragment().is_some() {
            return Err(Error::invalid(
                "base_url",
                "a base URL cannot have a query or fragment",
            ));
        }
        if let Some(Secret(key)) = &self.api_key {
            if key.is_empty() {
                return Err(Error::invalid("api_key", "the credential is empty"));
            }
            if HeaderValue::from_str(key).is_err() {
                return Err(Error::invalid(
                    "api_key",
                    "the credential contains characters a header cannot carry",
                ));
            }
        }
        if self.timeout.is_zero() {
            return Err(Error::invalid("timeout", "must be longer than zero"));
        }
        if self.stream_idle_timeout.is_zero() {
            return Err(Error::invalid(
                "stream_idle_timeout",
                "must be longer than zero",
            ));
        }
        let user_agent = self.user_agent.unwrap_or_else(|| api.user_agent.to_owned());
        let user_agent = HeaderValue::from_str(&user_agent)
            .map_err(|_| Error::invalid("user_agent", "not a valid header value"))?;
        let mut default_headers = HeaderMap::new();
        for (name, value) in &self.default_headers {
            let header = HeaderName::from_bytes(name.as_bytes()).map_err(|_| {
                Error::invalid(
                    "default_header",
                    format!("`{name}` is not a valid header name"),
                )
            })?;
            let value = HeaderValue::from_str(value).map_err(|_| {
                Error::invalid(
                    "default_header",
                    format!("the value of `{name}` is not a valid header value"),
                )
            })?;
            default_headers.append(header, value);
        }
        if let Some(limits) = &self.rate_limits {
            limits
                .check()
                .map_err(|message| Error::invalid("rate_limits", message))?;
        }
        let http = match self.http {
            Some(http) => {
                let set = [
                    ("proxy", self.proxy.is_some() || self.no_proxy),
                    (
                        "add_root_certificate_pem",
                        !self.root_certificates.is_empty(),
                    ),
                ];
                if let Some((setting, _)) = set.iter().find(|(_, set)| *set) {
                    return Err(Error::invalid(
                        *setting,
                        "set it on the reqwest::Client given to http_client, which is used as it is",
                    ));
                }
                http
            }
            None => {
                let mut http = reqwest::Client::builder()
                    .connect_timeout(self.connect_timeout)
                    .redirect(redirect_policy())
                    // Idle connections beyond the calls in flight are closed, so that a burst
                    // leaves no more sockets open than it needs.
                    .pool_max_idle_per_host(match self.max_concurrent_requests {
                        0 => usize::MAX,
                        limit => limit,
                    });
                if self.no_proxy {
                    http = http.no_proxy();
                }
                if let Some(url) = &self.proxy {
                    // The message of a bad URL could quote its password: give none.
                    let proxy = reqwest::Proxy::all(url.as_str())
                        .map_err(|_| Error::invalid("proxy", "not a proxy URL"))?;
                    http = http.proxy(proxy);
                }
                #[cfg(not(any(feature = "rustls", feature = "native-tls")))]
                if !self.root_certificates.is_empty() {
                    return Err(Error::invalid(
                        "add_root_certificate_pem",
                        "the crate was built without TLS (features `rustls` and `native-tls` are off)",
                    ));
                }
                #[cfg(any(feature = "rustls", feature = "native-tls"))]
                if !self.root_certificates.is_empty() {
                    let mut certificates = Vec::new();
                    for pem in &self.root_certificates {
                        let found = reqwest::Certificate::from_pem_bundle(pem).map_err(|e| {
                            Error::invalid("add_root_certificate_pem", e.to_string())
                        })?;
                        if found.is_empty() {
                            return Err(Error::invalid(
                                "add_root_certificate_pem",
                                "no PEM certificate (-----BEGIN CERTIFICATE-----) found",
                            ));
                        }
                        certificates.extend(found);
                    }
                    http = http.tls_certs_merge(certificates);
                }
                http.build()
                    .map_err(|e| Error::invalid("http_client", e.to_string()))?
            }
        };
        let credential_header = match &self.api_key {
            Some(Secret(key)) => {
                credential_header(api.auth, key)?.map(|(name, value)| (api.auth, name, value))
            }
            None => None,
        };
        let auth_override = match &self.auth_override {
            Some((name, Secret(value))) => {
                let name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| {
                    Error::invalid(
                        "header_auth",
                        format!("`{name}` is not a valid header name"),
                    )
                })?;
                Some((name, sensitive(value)?))
            }
            None => None,
        };
        let deviation_log = match &self.deviation_log {
            Some(path) => Some(Arc::new(DeviationLog::open(path).map_err(|e| {
                Error::invalid(
                    "record_deviations",
                    format!("cannot open {}: {e}", path.display()),
                )
            })?)),
            None => None,
        };
        let middleware = (!self.middleware.is_empty()).then(|| {
            self.middleware
                .iter()
                .fold(
                    reqwest_middleware::ClientBuilder::new(http.clone()),
                    |chain, m| chain.with_arc(Arc::clone(m)),
                )
                .build()
        });
        Ok(ClientCore {
            inner: Arc::new(Inner {
                http,
                base_url,
                credential_header,
                auth_override,
                credential: self.api_key,
                auth: api.auth,
                timeout: self.timeout,
                deadline: self.deadline,
                retry: self.retry,
                user_agent,
                default_headers,
                log_bodies: self.log_bodies,
                max_response_size: self.max_response_size,
                stream_idle_timeout: self.stream_idle_timeout,
                in_flight: (self.max_concurrent_requests > 0)
                    .then(|| Arc::new(tokio::sync::Semaphore::new(self.max_concurrent_requests))),
                middleware,
                pacer: self.rate_limits.as_ref().map(Pacer::new),
                decoding: self.decoding,
                deviation_log,
            }),
            options: None,
        })
    }
}

/// The runtime's own tests build a bare core as if it were a generated client, of an API
/// that takes a bearer token and documents no server.
#[cfg(test)]
impl Api for ClientCore {
    const INFO: ApiInfo = ApiInfo {
        title: "Test API",
        default_base_url: "",
        api_key_env: "TEST_API_KEY",
        base_url_env: "TEST_API_BASE_URL",
        auth: Auth::Bearer,
        user_agent: "openapi-rust-runtime-tests",
        rate_limits: &[],
    };

    fn from_core(core: ClientCore) -> Self {
        core
    }
}

#[cfg(test)]
impl ClientCore {
    /// A builder of a bare core, for the runtime's own tests.
    pub(crate) fn builder() -> ClientBuilder<ClientCore> {
        ClientBuilder::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::Method;
    use wiremock::matchers::{body_string, header, method, path, query_param};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    /// Every parameter location reaches the wire: path, query, header, cookie, and the body
    /// with its content type.
    #[tokio::test]
    async fn every_parameter_location_is_sent() {
        let server = MockServer::start().await;
        Mock::given(method("PUT"))
            .and(path("/base/items/a%20b/"))
            .and(query_param("expand", "owner"))
            .and(header("x-request-id", "r-1"))
            .and(header("cookie", "session=s1; theme=dark"))
            .and(header("content-type", "application/merge-patch+json"))
            .and(header("accept", "text/csv"))
            .and(body_string(r#"{"name":"n"}"#))
            .respond_with(ResponseTemplate::new(204))
            .expect(1)
            .mount(&server)
            .await;
        let client = ClientCore::builder()
            .base_url(format!("{}/base/", server.uri()))
            .build()
            .unwrap();
        let mut request = Request::new(Method::PUT, "/items/{id}/", "items_update");
        request.push_path("/items/");
        request.push_path_param("id", "a b");
        request.push_path("/");
        request.query("expand", &["owner"]);
        request.header("X-Request-Id", "r-1");
        request.cookie("session", "s1");
        request.cookie("theme", &Some("dark"));
        request.header("X-Absent", &None::<String>);
        request.json(&serde_json::json!({"name": "n"}));
        request.content_type("application/merge-patch+json");
        request.accept("text/csv");
        client.execute(request.finish().unwrap()).await.unwrap();
        server.verify().await;
    }

    /// A server that resets every connection after reading the request; counts requests.
    async fn resetting_server() -> (String, Arc<std::sync::atomic::AtomicUsize>) {
        use tokio::io::AsyncReadExt;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let hits = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let counter = Arc::clone(&hits);
        tokio::spawn(async move {
            while let Ok((mut socket, _)) = listener.accept().await {
                let mut buffer = [0u8; 4096];
                let _ = socket.read(&mut buffer).await;
                counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                let _ = socket.set_zero_linger();
            }
        });
        (url, hits)
    }

    /// A POST that may have reached the server is sent again only when it is marked
    /// idempotent (`x-idempotent`) or carries an `Idempotency-Key`.
    #[tokio::test]
    async fn a_post_is_repeated_only_when_marked_idempotent() {
        let policy = RetryPolicy {
            max_retries: 2,
            initial_backoff: Duration::from_millis(1),
            ..Default::default()
        };
        for (mark, expected) in [("none", 1), ("x-idempotent", 3), ("Idempotency-Key", 3)] {
            let (url, hits) = resetting_server().await;
            let client = ClientCore::builder()
                .base_url(url)
                .retry_policy(policy)
                .build()
                .unwrap();
            let mut request = Request::new(Method::POST, "/charges", "charges_create");
            request.push_path("/charges");
            match mark {
                "x-idempotent" => request.idempotent(),
                "Idempotency-Key" => request.header("Idempotency-Key", "k-1"),
                _ => {}
            }
            let error = client.execute(request).await.unwrap_err();
            assert!(
                matches!(error, Error::Transport { .. }),
                "{mark}: {error:?}"
            );
            assert_eq!(
                hits.load(std::sync::atomic::Ordering::SeqCst),
                expected,
                "{mark}"
            );
        }
    }

    /// The credential's header, made once per client for the API's scheme: each header scheme
    /// gives its header, marked sensitive; the other schemes give none.
    #[test]
    fn a_credential_header_is_made_for_each_header_scheme() {
        let made = |auth| credential_header(auth, "user:pw").unwrap();
        let (name, value) = made(Auth::Bearer).unwrap();
        assert_eq!(
            (name, value.to_str().unwrap()),
            (AUTHORIZATION, "Bearer user:pw")
        );
        assert!(value.is_sensitive());
        let (name, value) = made(Auth::Basic).unwrap();
        assert_eq!(
            (name, value.to_str().unwrap()),
            (AUTHORIZATION, "Basic dXNlcjpwdw==")
        );
        let (name, value) = made(Auth::Header("X-Api-Key")).unwrap();
        assert_eq!(
            (name.as_str(), value.to_str().unwrap()),
            ("x-api-key", "user:pw")
        );
        assert!(value.is_sensitive());
        for auth in [Auth::None, Auth::Query("key"), Auth::Cookie("key")] {
            assert!(made(auth).is_none());
        }
        assert!(credential_header(Auth::Header("bad name"), "k").is_err());
        // The client as built keeps the header of the API's own scheme, if it is one.
        let client = ClientCore::builder()
            .base_url("http://localhost")
            .api_key("k")
            .build()
            .unwrap();
        let kept = client.inner.credential_header.clone();
        let expected = credential_header(ClientCore::INFO.auth, "k").unwrap();
        assert_eq!(
            kept,
            expected.map(|(name, value)| (ClientCore::INFO.auth, name, value))
        );
    }

    /// Each credential scheme puts the key where the API description says.
    #[tokio::test]
    async fn credentials_go_where_the_scheme_says() {
        for (auth, matcher_name, expected) in [
            (Auth::Bearer, "authorization", "Bearer k"),
            (Auth::Basic, "authorization", "Basic dXNlcjpwdw=="),
            (Auth::Header("X-API-Key"), "x-api-key", "k"),
            (Auth::Cookie("token"), "cookie", "token=k"),
        ] {
            let server = MockServer::start().await;
            Mock::given(header(matcher_name, expected))
                // JSON is asked for unless the operation reads something else.
                .and(header("accept", "application/json"))
                .respond_with(ResponseTemplate::new(204))
                .expect(1)
                .mount(&server)
                .await;
            let key = if auth == Auth::Basic { "user:pw" } else { "k" };
            let mut client = ClientCore::builder()
                .base_url(server.uri())
                .api_key(key)
                .build()
                .unwrap();
            Arc::get_mut(&mut client.inner).unwrap().auth = auth;
            client
                .execute(Request::new(Method::GET, "/", "op"))
                .await
                .unwrap();
            server.verify().await;
        }
        let server = MockServer::start().await;
        Mock::given(query_param("api_key", "k"))
            .respond_with(ResponseTemplate::new(204))
            .expect(1)
            .mount(&server)
            .await;
        let mut client = ClientCore::builder()
            .base_url(server.uri())
            .api_key("k")
            .build()
            .unwrap();
        Arc::get_mut(&mut client.inner).unwrap().auth = Auth::Query("api_key");
        client
            .execute(Request::new(Method::GET, "/", "op"))
            .await
            .unwrap();
        server.verify().await;
        // An operation whose security names another scheme sends the credential by it.
        let server = MockServer::start().await;
        Mock::given(header("authorization", "Basic dXNlcjpwdw=="))
            .respond_with(ResponseTemplate::new(204))
            .expect(1)
            .mount(&server)
            .await;
        let client = ClientCore::builder()
            .base_url(server.uri())
            .api_key("user:pw")
            .build()
            .unwrap();
        let mut request = Request::new(Method::POST, "/login", "login");
        request.auth_scheme(Auth::Basic);
        client.execute(request).await.unwrap();
        server.verify().await;
        // An operation that needs no credentials gets none.
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(204))
            .mount(&server)
            .await;
        let client = ClientCore::builder()
            .base_url(server.uri())
            .api_key("k")
            .build()
            .unwrap();
        let mut request = Request::new(Method::GET, "/", "op");
        request.without_auth();
        client.execute(request).await.unwrap();
        let received = server.received_requests().await.unwrap();
        assert!(received[0].headers.get("authorization").is_none());
    }
}
