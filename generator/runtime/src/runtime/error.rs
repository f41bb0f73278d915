//! The one error type of the client.

use super::messages::FieldError;
use reqwest::header::HeaderMap;
use reqwest::StatusCode;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::time::Duration;

/// Everything that can go wrong with a call.
///
/// Match on the variant to act on it, or use the helpers: [`status`](Self::status),
/// [`is_not_found`](Self::is_not_found), [`is_rate_limited`](Self::is_rate_limited),
/// [`is_quota_exceeded`](Self::is_quota_exceeded), [`is_retryable`](Self::is_retryable),
/// [`retry_after`](Self::retry_after). No error message or `Debug` output contains the
/// credential.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The server answered with an error status (after any retries).
    #[error(transparent)]
    Api(Box<ApiError>),
    /// An attempt (sending the request and reading its response) took longer than the
    /// per-attempt timeout ([`ClientBuilder::timeout`](crate::ClientBuilder::timeout),
    /// [`CallOptions::timeout`](crate::CallOptions::timeout)), and no retry was left.
    #[error("{operation}: no answer within the {limit:?} timeout of each attempt ({attempts} {})", plural(*.attempts, "attempt", "attempts"))]
    Timeout {
        /// The operation that was called.
        operation: &'static str,
        /// The underlying error, with its URL removed.
        #[source]
        source: reqwest::Error,
        /// The per-attempt timeout.
        limit: Duration,
        /// How many attempts were made.
        attempts: u32,
    },
    /// The call's deadline ([`ClientBuilder::deadline`](crate::ClientBuilder::deadline),
    /// [`CallOptions::deadline`](crate::CallOptions::deadline)) passed: it bounds every
    /// attempt and the waits between them together.
    #[error("{operation}: the call's {deadline:?} deadline passed after {attempts} {}{}", plural(*.attempts, "attempt", "attempts"), last_failure(.last))]
    DeadlineExceeded {
        /// The operation that was called.
        operation: &'static str,
        /// The deadline.
        deadline: Duration,
        /// How many attempts were started.
        attempts: u32,
        /// What the last finished attempt failed with, if one finished.
        #[source]
        last: Option<Box<Error>>,
    },
    /// The connection ended before the whole response body arrived.
    #[error("{operation}: the response body ended after {received} of {} bytes", expected.map_or_else(|| "the announced".to_owned(), |n| n.to_string()))]
    BodyCutShort {
        /// The operation that was called.
        operation: &'static str,
        /// The bytes that arrived.
        received: u64,
        /// The bytes the response announced (`Content-Length`), if it did.
        expected: Option<u64>,
        /// The underlying error, with its URL removed.
        #[source]
        source: reqwest::Error,
    },
    /// The server could not be reached.
    #[error("{operation}: could not connect to the server: {}", root_cause(.source))]
    Connection {
        /// The operation that was called.
        operation: &'static str,
        /// The underlying error, with its URL removed.
        #[source]
        source: reqwest::Error,
    },
    /// Another failure of the HTTP exchange (a connection reset, a redirect loop, a TLS
    /// error): the message says at which stage, and the innermost cause.
    #[error("{operation}: the request failed {stage}: {}", root_cause(.source))]
    Transport {
        /// The operation that was called.
        operation: &'static str,
        /// When it failed.
        stage: Stage,
        /// The underlying error, with its URL removed.
        #[source]
        source: reqwest::Error,
    },
    /// A middleware (see [`ClientBuilder::middleware`](crate::ClientBuilder::middleware))
    /// refused or failed the request.
    #[error("{operation}: a middleware failed the request")]
    Middleware {
        /// The operation that was called.
        operation: &'static str,
        /// What the middleware reported.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// The server sent nothing for too long: no response headers within the timeout of a
    /// streamed call, or no bytes of a streamed body within the stream's idle timeout.
    #[error("{operation}: the server sent nothing for {after:?}")]
    Stalled {
        /// The operation that was called.
        operation: &'static str,
        /// How long the client waited.
        after: Duration,
    },
    /// The server redirected the request to another host. The client follows redirects only
    /// on the API's own host, so that the credential never goes anywhere else.
    #[error("{operation}: the server redirected ({status}) to another host, {location}; not followed, so that the credential stays with the API")]
    Redirect {
        /// The operation that was called.
        operation: &'static str,
        /// The redirect status (301, 302, 303, 307 or 308).
        status: StatusCode,
        /// Where the server redirected to, without its query string.
        location: String,
    },
    /// The response body is larger than the client accepts
    /// ([`ClientBuilder::max_response_size`](crate::ClientBuilder::max_response_size)); it
    /// was not read further.
    #[error("{operation}: the response body is larger than {limit} bytes")]
    TooLarge {
        /// The operation that was called.
        operation: &'static str,
        /// The limit, in bytes.
        limit: u64,
    },
    /// The response body does not match the type the API description promises.
    #[error(transparent)]
    Decode(Box<DecodeError>),
    /// An argument was rejected before anything was sent.
    #[error("invalid argument `{argument}`: {message}")]
    InvalidInput {
        /// The argument (or setting) at fault.
        argument: String,
        /// What is wrong with it.
        message: String,
    },
    /// A list kept pointing at pages it had already returned.
    #[error("{operation}: pagination stopped: {message}")]
    Pagination {
        /// The operation that was called.
        operation: &'static str,
        /// What went wrong.
        message: String,
    },
}

impl Error {
    /// An invalid argument or setting.
    pub(crate) fn invalid(argument: impl Into<String>, message: impl Into<String>) -> Self {
        Error::InvalidInput {
            argument: argument.into(),
            message: message.into(),
        }
    }

    /// The API error, if the server answered with an error status.
    pub fn api(&self) -> Option<&ApiError> {
        match self {
            Error::Api(api) => Some(api),
            _ => None,
        }
    }

    /// The HTTP status, if the server answered.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api(api) => Some(api.status),
            Error::Decode(decode) => Some(decode.status),
            _ => None,
        }
    }

    /// Whether the server answered `404 Not Found`.
    pub fn is_not_found(&self) -> bool {
        self.status() == Some(StatusCode::NOT_FOUND)
    }

    /// Whether the server answered `429 Too Many Requests` (after the client's own retries).
    pub fn is_rate_limited(&self) -> bool {
        self.status() == Some(StatusCode::TOO_MANY_REQUESTS)
    }

    /// Whether the account's quota is used up (`402 Payment Required`): retrying will not
    /// help until the quota is raised or renewed.
    pub fn is_quota_exceeded(&self) -> bool {
        self.status() == Some(StatusCode::PAYMENT_REQUIRED)
    }

    /// Whether the same call may succeed if made again later: rate limits (`429`), server
    /// errors other than those that say the request can never succeed (`501`, `505`, `511`,
    /// and PostHog's `512`), timeouts, stalls, and connection or transport failures. The
    /// client has already retried what its [`RetryPolicy`](crate::RetryPolicy) allows; this
    /// is for the caller's own, slower, retry (a job queue, say), with
    /// [`retry_after`](Self::retry_after) as the server's hint.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Api(api) => {
                api.status == StatusCode::TOO_MANY_REQUESTS
                    || (api.status.is_server_error() && !super::retry::never_succeeds(api.status))
            }
            Error::Timeout { .. }
            | Error::Stalled { .. }
            | Error::Connection { .. }
            | Error::DeadlineExceeded { .. }
            | Error::BodyCutShort { .. } => true,
            Error::Transport { source, .. } => !source.is_redirect() && !source.is_builder(),
            _ => false,
        }
    }

    /// Whether the server refused the credential (`401`) or its permissions (`403`).
    pub fn is_auth_error(&self) -> bool {
        matches!(
            self.status(),
            Some(StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN)
        )
    }

    /// Whether the request timed out, its deadline passed, or the server stalled.
    pub fn is_timeout(&self) -> bool {
        matches!(
            self,
            Error::Timeout { .. } | Error::Stalled { .. } | Error::DeadlineExceeded { .. }
        )
    }

    /// The error with the number of attempts made and the per-attempt timeout, which only
    /// the retry loop knows.
    pub(crate) fn after_attempts(mut self, made: u32, timeout: Duration) -> Self {
        if let Error::Timeout {
            limit, attempts, ..
        } = &mut self
        {
            *limit = timeout;
            *attempts = made;
        }
        self
    }

    /// How long the server asked the caller to wait (`Retry-After`), if it did.
    pub fn retry_after(&self) -> Option<Duration> {
        self.api().and_then(ApiError::retry_after)
    }
}

/// The stage of an exchange at which a [`Error::Transport`] failure happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Stage {
    /// Sending the request or waiting for the response's status and headers (the connection
    /// itself was made: a failure to connect is [`Error::Connection`]).
    BeforeResponse,
    /// Reading a streamed body, after the response's headers.
    Streaming,
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Stage::BeforeResponse => "before the response arrived",
            Stage::Streaming => "while the response streamed",
        })
    }
}

/// `1 attempt`, `2 attempts`: the noun for a count.
fn plural(n: u32, one: &'static str, many: &'static str) -> &'static str {
    if n == 1 {
        one
    } else {
        many
    }
}

/// `; the last attempt: ...` for a deadline error whose last attempt failed.
fn last_failure(last: &Option<Box<Error>>) -> String {
    last.as_ref()
        .map_or_else(String::new, |e| format!("; the last attempt: {e}"))
}

/// The innermost cause of an error (`connection reset by peer`, not `error sending request`).
fn root_cause(error: &(dyn std::error::Error + 'static)) -> String {
    let mut cause = error;
    while let Some(next) = cause.source() {
        cause = next;
    }
    cause.to_string()
}

/// A response body that does not match the type the API description promises.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{operation}: could not decode the {status} response at `{path}`: {message} (body starts: {:?})", excerpt(body.as_bytes(), 200))]
pub struct DecodeError {
    /// The operation that was called.
    pub operation: &'static str,
    /// The response status.
    pub status: StatusCode,
    /// The JSON path of the value that failed (`$.results[3].created_at`; `$` for the body).
    pub path: String,
    /// What was wrong.
    pub message: String,
    /// The whole body (lossily decoded if it is not UTF-8).
    pub body: String,
    /// Every place the body differed from the API description, when it was read far enough
    /// to tell (a strict client's error lists them all here).
    pub deviations: Vec<super::decode::Deviation>,
}

impl DecodeError {
    /// The beginning of the body, for messages.
    pub fn excerpt(&self) -> String {
        excerpt(self.body.as_bytes(), 200)
    }
}

/// An error status from the server, with everything it sent.
#[derive(Debug, Clone)]
pub struct ApiError {
    /// The operation that was called.
    pub operation: &'static str,
    /// The status.
    pub status: StatusCode,
    /// The response headers.
    pub headers: HeaderMap,
    /// The body as text (lossily decoded if it is not UTF-8).
    pub body: String,
    /// The body decoded as a structured error, when it is a JSON object.
    pub details: Option<ErrorBody>,
}

impl ApiError {
    pub(crate) fn new(
        operation: &'static str,
        status: StatusCode,
        headers: HeaderMap,
        body: &[u8],
    ) -> Self {
        let body = String::from_utf8_lossy(body).into_owned();
        let details = serde_json::from_str::<ErrorBody>(&body).ok();
        ApiError {
            operation,
            status,
            headers,
            body,
            details,
        }
    }

    /// What the server said, for people: from a JSON body its human message (`detail`,
    /// `message`, `error_description`, `title`, `errors[]`, ... prefixed by a code-like
    /// `error`, and with each field's errors as `field: message` for validation errors); from
    /// an HTML page its title; else the start of the body. At most 300 characters.
    pub fn message(&self) -> String {
        let said = match serde_json::from_str::<serde_json::Value>(&self.body) {
            Ok(json) => super::messages::from_json(&json),
            Err(_) => super::messages::from_text(&self.body),
        };
        let said = said.unwrap_or_else(|| self.body.trim().to_owned());
        excerpt(said.as_bytes(), 300)
    }

    /// The errors of a validation failure, field by field: Django REST framework's
    /// `{"field": ["message"]}` (nested fields joined by `.`), PostHog's `attr`/`detail`,
    /// FastAPI's and Pydantic's `detail: [{loc, msg}]`, and `errors: [{field, message}]`.
    /// Empty when the body names no field.
    pub fn field_errors(&self) -> Vec<FieldError> {
        match serde_json::from_str::<serde_json::Value>(&self.body) {
            Ok(json) => super::messages::field_errors(&json),
            Err(_) => Vec::new(),
        }
    }

    /// The machine-readable error code (`code`), if the body has one.
    pub fn code(&self) -> Option<&str> {
        self.details.as_ref()?.code.as_deref()
    }

    /// The `Retry-After` header, as a duration.
    pub fn retry_after(&self) -> Option<Duration> {
        let value = self
            .headers
            .get(reqwest::header::RETRY_AFTER)?
            .to_str()
            .ok()?;
        super::retry::parse_retry_after(value)
    }

    /// Decodes the body as the type the API description gives for this status.
    pub fn decode<T: serde::de::DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        serde_json::from_str(&self.body)
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} failed with {}", self.operation, self.status)?;
        let message = self.message();
        if !message.is_empty() {
            write!(f, ": {message}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}

/// A structured error body: the fields APIs commonly use, PostHog's among them
/// (`{"type": ..., "code": ..., "detail": ..., "attr": ...}`). Other fields are kept in
/// [`extra`](Self::extra).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// The kind of error (`validation_error`, `authentication_error`, ...).
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// A machine-readable code (`invalid_input`, `not_found`, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// A human-readable explanation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// The request field the error is about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attr: Option<String>,
    /// Every other field of the body (`error`, `message`, `extra`, ...).
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

impl ErrorBody {
    /// `detail`, or a string `message` or `error` field (see [`ApiError::message`] for the
    /// whole reading of a body).
    pub fn message(&self) -> Option<&str> {
        self.detail
            .as_deref()
            .or_else(|| {
                self.extra
                    .get("message")
                    .and_then(serde_json::Value::as_str)
            })
            .or_else(|| self.extra.get("error").and_then(serde_json::Value::as_str))
    }
}

/// The first `limit` characters of a body, for messages.
pub(crate) fn excerpt(body: &[u8], limit: usize) -> String {
    let text = String::from_utf8_lossy(body);
    let mut out: String = text.chars().take(limit).collect();
    if text.chars().count() > limit {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn posthog_error_bodies_decode() {
        let body = br#"{"type":"validation_error","code":"invalid_input","detail":"This field is required.","attr":"target_value"}"#;
        let e = ApiError::new(
            "subscriptions_create",
            StatusCode::BAD_REQUEST,
            HeaderMap::new(),
            body,
        );
        let details = e.details.as_ref().unwrap();
        assert_eq!(details.kind.as_deref(), Some("validation_error"));
        assert_eq!(details.attr.as_deref(), Some("target_value"));
        assert_eq!(e.code(), Some("invalid_input"));
        assert_eq!(
            e.to_string(),
            "subscriptions_create failed with 400 Bad Request: target_value: This field is required."
        );
    }

    #[test]
    fn other_bodies_are_kept_as_text() {
        let e = ApiError::new(
            "op",
            StatusCode::FORBIDDEN,
            HeaderMap::new(),
            br#"{"error": "Password required"}"#,
        );
        assert_eq!(e.message(), "Password required");
        let e = ApiError::new(
            "op",
            StatusCode::BAD_GATEWAY,
            HeaderMap::new(),
            b"<html>Bad gateway</html>",
        );
        assert!(e.details.is_none());
        assert_eq!(e.message(), "Bad gateway (an HTML page)");
    }

    #[test]
    fn error_stays_small() {
        assert!(
            std::mem::size_of::<Error>() <= 128,
            "{}",
            std::mem::size_of::<Error>()
        );
    }
}
