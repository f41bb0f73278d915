//! When to retry, and how long to wait.

use reqwest::{Method, StatusCode};
use std::time::{Duration, SystemTime};

/// How failed requests are retried.
///
/// - `429 Too Many Requests` and `503 Service Unavailable` are retried for every method: the
///   server did not act on the request. A `Retry-After` header (seconds or an HTTP date; a date
///   in the past means now) is honoured; one longer than
///   [`max_retry_after`](Self::max_retry_after) is not waited for: the error is returned at
///   once, with the server's hint in [`Error::retry_after`](crate::Error::retry_after). A
///   `Retry-After` that is neither seconds nor a date is ignored (the backoff applies).
/// - A request that never reached the server (the connection was refused, the name did not
///   resolve, the TLS handshake failed) is retried for every method.
/// - Other `5xx` statuses (but `501`, `505`, `511` and `512`, which say the request can
///   never succeed), timeouts, and exchanges broken after the request may have been sent (a reset
///   connection, a body cut short) are retried only for idempotent requests: methods
///   `GET`, `HEAD`, `PUT`, `DELETE`, `OPTIONS` and `TRACE`, operations the API description
///   marks `x-idempotent: true`, and requests that carry an `Idempotency-Key` header.
///   A `POST` or `PATCH` that may have reached the server is never sent twice otherwise.
/// - Other `4xx` statuses, redirects the client does not follow, and invalid input are never
///   retried.
///
/// Between attempts the client waits an exponential backoff with full jitter: a random time
/// between zero and `initial_backoff * 2^(retry - 1)`, at most [`max_backoff`](Self::max_backoff).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt; 0 disables retries. Default 2.
    pub max_retries: u32,
    /// The backoff ceiling of the first retry. Default 500 ms.
    pub initial_backoff: Duration,
    /// The largest backoff ceiling. Default 30 s.
    pub max_backoff: Duration,
    /// The longest `Retry-After` the client waits; after a longer one the error is returned
    /// at once. Default 60 s.
    pub max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 2,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(30),
            max_retry_after: Duration::from_secs(60),
        }
    }
}

/// What happened on one attempt, as far as retrying is concerned.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Attempt {
    /// The server answered with this status.
    Status(StatusCode, Option<Duration>),
    /// The request never reached the server: safe to repeat for every method.
    NotSent,
    /// The exchange broke after the request may have been sent (a timeout, a reset, a body
    /// cut short): safe to repeat only for idempotent requests.
    Broken,
    /// Anything else (bad input, a redirect loop): never retried.
    Fatal,
}

impl RetryPolicy {
    /// How long to wait before retry number `retry` (1-based), or `None` to give up.
    pub(crate) fn delay(&self, idempotent: bool, attempt: Attempt, retry: u32) -> Option<Duration> {
        if retry > self.max_retries {
            return None;
        }
        match attempt {
            Attempt::Status(status, retry_after)
                if status == StatusCode::TOO_MANY_REQUESTS
                    || status == StatusCode::SERVICE_UNAVAILABLE =>
            {
                match retry_after {
                    Some(wait) if wait > self.max_retry_after => None,
                    Some(wait) => Some(wait),
                    None => Some(self.backoff(retry)),
                }
            }
            Attempt::Status(status, _)
                if status.is_server_error() && idempotent && !never_succeeds(status) =>
            {
                Some(self.backoff(retry))
            }
            Attempt::NotSent => Some(self.backoff(retry)),
            Attempt::Broken if idempotent => Some(self.backoff(retry)),
            _ => None,
        }
    }

    /// A random wait between zero and the exponential ceiling of retry number `retry`.
    fn backoff(&self, retry: u32) -> Duration {
        let factor = 2u32.saturating_pow(retry.saturating_sub(1));
        let ceiling = self
            .initial_backoff
            .saturating_mul(factor)
            .min(self.max_backoff);
        let nanos = u64::try_from(ceiling.as_nanos()).unwrap_or(u64::MAX);
        Duration::from_nanos(fastrand::u64(0..=nanos))
    }
}

/// Server errors that say the request can never succeed, so repeating it is pointless: `501`,
/// `505`, `511`, and `512`, which PostHog answers for a request it will never complete (a
/// query too expensive to run).
pub(crate) fn never_succeeds(status: StatusCode) -> bool {
    matches!(
        status,
        StatusCode::NOT_IMPLEMENTED
            | StatusCode::HTTP_VERSION_NOT_SUPPORTED
            | StatusCode::NETWORK_AUTHENTICATION_REQUIRED
    ) || status.as_u16() == 512
}

/// Whether repeating a request with this method is safe (RFC 9110, 9.2.2).
pub(crate) fn is_idempotent(method: &Method) -> bool {
    matches!(
        *method,
        Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS | Method::TRACE
    )
}

/// Parses `Retry-After`: delay seconds or an HTTP date.
pub(crate) fn parse_retry_after(value: &str) -> Option<Duration> {
    let value = value.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        // Digits too many for a u64 are an absurd wait, not garbage.
        return Some(Duration::from_secs(
            value.parse::<u64>().unwrap_or(u64::MAX),
        ));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(
        when.duration_since(SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> RetryPolicy {
        RetryPolicy {
            max_retries: 2,
            initial_backoff: Duration::from_millis(100),
            ..Default::default()
        }
    }

    const IDEMPOTENT: bool = true;
    const NOT_IDEMPOTENT: bool = false;

    #[test]
    fn rate_limits_retry_for_every_request() {
        let p = policy();
        let limited = Attempt::Status(StatusCode::TOO_MANY_REQUESTS, None);
        assert!(p.delay(NOT_IDEMPOTENT, limited, 1).is_some());
        let unavailable = Attempt::Status(StatusCode::SERVICE_UNAVAILABLE, None);
        assert!(p.delay(NOT_IDEMPOTENT, unavailable, 2).is_some());
        assert!(
            p.delay(NOT_IDEMPOTENT, limited, 3).is_none(),
            "only max_retries retries"
        );
    }

    #[test]
    fn server_errors_and_broken_exchanges_retry_only_idempotent_requests() {
        let p = policy();
        let failed = Attempt::Status(StatusCode::INTERNAL_SERVER_ERROR, None);
        assert!(p.delay(IDEMPOTENT, failed, 1).is_some());
        assert!(p.delay(NOT_IDEMPOTENT, failed, 1).is_none());
        assert!(p.delay(NOT_IDEMPOTENT, Attempt::Broken, 1).is_none());
        assert!(p.delay(IDEMPOTENT, Attempt::Broken, 1).is_some());
        // Never sent: safe for every request.
        assert!(p.delay(NOT_IDEMPOTENT, Attempt::NotSent, 1).is_some());
        // Statuses that say the request can never succeed.
        for status in [501, 505, 511, 512] {
            let status = StatusCode::from_u16(status).unwrap();
            assert!(p
                .delay(IDEMPOTENT, Attempt::Status(status, None), 1)
                .is_none());
        }
    }

    #[test]
    fn methods_idempotent_by_definition() {
        for method in [
            Method::GET,
            Method::HEAD,
            Method::PUT,
            Method::DELETE,
            Method::OPTIONS,
        ] {
            assert!(is_idempotent(&method), "{method}");
        }
        assert!(!is_idempotent(&Method::POST));
        assert!(!is_idempotent(&Method::PATCH));
    }

    #[test]
    fn client_errors_never_retry() {
        let p = policy();
        let not_found = Attempt::Status(StatusCode::NOT_FOUND, None);
        assert!(p.delay(IDEMPOTENT, not_found, 1).is_none());
        assert!(p.delay(IDEMPOTENT, Attempt::Fatal, 1).is_none());
    }

    #[test]
    fn retry_after_is_honoured_up_to_the_limit() {
        let p = RetryPolicy {
            max_retry_after: Duration::from_secs(5),
            ..policy()
        };
        let wait = |s| {
            p.delay(
                NOT_IDEMPOTENT,
                Attempt::Status(StatusCode::TOO_MANY_REQUESTS, Some(Duration::from_secs(s))),
                1,
            )
        };
        assert_eq!(wait(3), Some(Duration::from_secs(3)));
        assert_eq!(wait(0), Some(Duration::ZERO));
        // Longer than the limit: not waited for; the caller gets the error and the hint.
        assert_eq!(wait(3600), None);
    }

    #[test]
    fn backoff_stays_under_its_ceiling() {
        let p = policy();
        for retry in 1..=2 {
            for _ in 0..100 {
                let d = p.delay(IDEMPOTENT, Attempt::Broken, retry).unwrap();
                assert!(d <= Duration::from_millis(100) * 2u32.pow(retry - 1));
            }
        }
    }

    #[test]
    fn retry_after_formats() {
        assert_eq!(parse_retry_after("7"), Some(Duration::from_secs(7)));
        assert_eq!(parse_retry_after(" 7 "), Some(Duration::from_secs(7)));
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"),
            Some(Duration::ZERO)
        );
        let later = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(120));
        let parsed = parse_retry_after(&later).unwrap();
        assert!(
            parsed > Duration::from_secs(100) && parsed <= Duration::from_secs(120),
            "{parsed:?}"
        );
        assert_eq!(
            parse_retry_after("99999999999999999999999"),
            Some(Duration::from_secs(u64::MAX))
        );
        for garbage in ["soon", "", "-1", "1.5", "tomorrow at noon"] {
            assert_eq!(parse_retry_after(garbage), None, "{garbage}");
        }
    }
}
