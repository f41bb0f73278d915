//! When to retry, and how long to wait.

use reqwest::{Method, StatusCode};
use std::time::{Duration, SystemTime};

/// How failed requests are retried.
///
/// - `429 Too Many Requests` and `503 Service Unavailable` are retried for every method: the
///   server did not act on the request. A `Retry-After` header (seconds or an HTTP date) is
///   honoured, up to [`max_retry_after`](Self::max_retry_after).
/// - Other `5xx` statuses, timeouts and connection failures are retried only for idempotent
///   methods (`GET`, `HEAD`, `PUT`, `DELETE`, `OPTIONS`, `TRACE`), which are safe to repeat.
/// - Other `4xx` statuses are never retried.
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
    /// The longest `Retry-After` the client waits; longer ones are cut to this. Default 60 s.
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
    /// The request timed out or could not connect.
    Transient,
    /// Anything else (bad input, a redirect loop): never retried.
    Fatal,
}

impl RetryPolicy {
    /// How long to wait before retry number `retry` (1-based), or `None` to give up.
    pub(crate) fn delay(&self, method: &Method, attempt: Attempt, retry: u32) -> Option<Duration> {
        if retry > self.max_retries {
            return None;
        }
        let idempotent = is_idempotent(method);
        match attempt {
            Attempt::Status(status, retry_after)
                if status == StatusCode::TOO_MANY_REQUESTS
                    || status == StatusCode::SERVICE_UNAVAILABLE =>
            {
                Some(match retry_after {
                    Some(wait) => wait.min(self.max_retry_after),
                    None => self.backoff(retry),
                })
            }
            Attempt::Status(status, _) if status.is_server_error() && idempotent => {
                Some(self.backoff(retry))
            }
            Attempt::Transient if idempotent => Some(self.backoff(retry)),
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

fn is_idempotent(method: &Method) -> bool {
    matches!(
        *method,
        Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS | Method::TRACE
    )
}

/// Parses `Retry-After`: delay seconds or an HTTP date.
pub(crate) fn parse_retry_after(value: &str) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
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

    #[test]
    fn rate_limits_retry_for_every_method() {
        let p = policy();
        let limited = Attempt::Status(StatusCode::TOO_MANY_REQUESTS, None);
        assert!(p.delay(&Method::POST, limited, 1).is_some());
        assert!(p
            .delay(
                &Method::PATCH,
                Attempt::Status(StatusCode::SERVICE_UNAVAILABLE, None),
                2
            )
            .is_some());
        assert!(
            p.delay(&Method::POST, limited, 3).is_none(),
            "only max_retries retries"
        );
    }

    #[test]
    fn server_errors_retry_only_idempotent_methods() {
        let p = policy();
        let failed = Attempt::Status(StatusCode::INTERNAL_SERVER_ERROR, None);
        assert!(p.delay(&Method::GET, failed, 1).is_some());
        assert!(p.delay(&Method::DELETE, failed, 1).is_some());
        assert!(p.delay(&Method::POST, failed, 1).is_none());
        assert!(p.delay(&Method::PATCH, Attempt::Transient, 1).is_none());
        assert!(p.delay(&Method::PUT, Attempt::Transient, 1).is_some());
    }

    #[test]
    fn client_errors_never_retry() {
        let p = policy();
        assert!(p
            .delay(
                &Method::GET,
                Attempt::Status(StatusCode::NOT_FOUND, None),
                1
            )
            .is_none());
        assert!(p.delay(&Method::GET, Attempt::Fatal, 1).is_none());
    }

    #[test]
    fn retry_after_is_honoured_and_capped() {
        let p = RetryPolicy {
            max_retry_after: Duration::from_secs(5),
            ..policy()
        };
        let wait = |s| {
            p.delay(
                &Method::POST,
                Attempt::Status(StatusCode::TOO_MANY_REQUESTS, Some(Duration::from_secs(s))),
                1,
            )
        };
        assert_eq!(wait(3), Some(Duration::from_secs(3)));
        assert_eq!(wait(3600), Some(Duration::from_secs(5)));
    }

    #[test]
    fn backoff_stays_under_its_ceiling() {
        let p = policy();
        for retry in 1..=2 {
            for _ in 0..100 {
                let d = p.delay(&Method::GET, Attempt::Transient, retry).unwrap();
                assert!(d <= Duration::from_millis(100) * 2u32.pow(retry - 1));
            }
        }
    }

    #[test]
    fn retry_after_formats() {
        assert_eq!(parse_retry_after("7"), Some(Duration::from_secs(7)));
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
        assert_eq!(parse_retry_after("soon"), None);
    }
}
