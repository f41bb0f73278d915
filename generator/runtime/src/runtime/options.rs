//! Per-call settings: a timeout, a retry count or extra headers for some calls, without
//! building another client.

use std::fmt;
use std::time::Duration;

/// Settings that override the client's for the calls made through
/// [`ClientCore::with_options`](super::ClientCore::with_options).
///
/// For example, `client.with_options(CallOptions::new().timeout(Duration::from_secs(2))
/// .max_retries(0).header("X-Request-Id", "req-123"))` gives a handle whose calls give up
/// after 2 s without retrying and carry that header.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct CallOptions {
    pub(crate) timeout: Option<Duration>,
    pub(crate) deadline: Option<Duration>,
    pub(crate) max_retries: Option<u32>,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) decoding: Option<super::Decoding>,
}

impl fmt::Debug for CallOptions {
    // Header values can be credentials: only their names are shown.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CallOptions")
            .field("timeout", &self.timeout)
            .field("deadline", &self.deadline)
            .field("max_retries", &self.max_retries)
            .field("decoding", &self.decoding)
            .field(
                "headers",
                &self.headers.iter().map(|(n, _)| n).collect::<Vec<_>>(),
            )
            .finish()
    }
}

impl CallOptions {
    /// No overrides.
    pub fn new() -> Self {
        CallOptions::default()
    }

    /// How long one attempt may take (see
    /// [`ClientBuilder::timeout`](super::ClientBuilder::timeout)).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// How long the whole call may take, every attempt and the waits between them together
    /// (see [`ClientBuilder::deadline`](super::ClientBuilder::deadline)).
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = Some(deadline);
        self
    }

    /// Retries after the first attempt; 0 disables them. The rest of the retry policy stays.
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.max_retries = Some(retries);
        self
    }

    /// How response bodies that differ from the API description are read (see
    /// [`ClientBuilder::decoding`](super::ClientBuilder::decoding)).
    pub fn decoding(mut self, decoding: super::Decoding) -> Self {
        self.decoding = Some(decoding);
        self
    }

    /// A header sent with each call, replacing a default header of the same name.
    /// Operation parameters and credentials take precedence over it.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// These options with `other`'s on top: its timeout and retries win where set, and its
    /// headers come after these.
    pub(crate) fn merged(&self, other: CallOptions) -> CallOptions {
        let mut headers = self.headers.clone();
        headers.extend(other.headers);
        CallOptions {
            timeout: other.timeout.or(self.timeout),
            deadline: other.deadline.or(self.deadline),
            max_retries: other.max_retries.or(self.max_retries),
            headers,
            decoding: other.decoding.or(self.decoding),
        }
    }
}
