//! Responses: the raw answer to a request, and the decoded [`ApiResponse`].

use super::error::{DecodeError, Error};
use super::stream::{ByteStream, Framing, ItemStream, Resume};
use reqwest::header::HeaderMap;
use reqwest::StatusCode;
use serde::de::DeserializeOwned;

/// A decoded response body with the response's status and headers.
#[derive(Debug, Clone)]
pub struct ApiResponse<T> {
    status: StatusCode,
    headers: HeaderMap,
    body: T,
}

impl<T> ApiResponse<T> {
    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The decoded body.
    pub fn body(&self) -> &T {
        &self.body
    }

    /// The decoded body, dropping status and headers.
    pub fn into_body(self) -> T {
        self.body
    }

    /// Status, headers and body.
    pub fn into_parts(self) -> (StatusCode, HeaderMap, T) {
        (self.status, self.headers, self.body)
    }

    /// Applies a function to the body.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> ApiResponse<U> {
        ApiResponse {
            status: self.status,
            headers: self.headers,
            body: f(self.body),
        }
    }
}

/// A successful response whose body has not been decoded yet.
#[derive(Debug)]
pub(crate) struct RawResponse {
    pub(crate) operation: &'static str,
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: bytes::Bytes,
    /// For a streamed response, the response whose body has not been read.
    pub(crate) unread: Option<reqwest::Response>,
    /// How long a streamed body may fall silent.
    pub(crate) idle_timeout: std::time::Duration,
    /// For a streamed response, the call it came from, to resume an event stream.
    pub(crate) resume: Option<Box<Resume>>,
}

impl RawResponse {
    /// The status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    fn wrap<T>(self, body: T) -> ApiResponse<T> {
        ApiResponse {
            status: self.status,
            headers: self.headers,
            body,
        }
    }

    /// Decodes a JSON body; a failure names the JSON path of the value that did not fit.
    pub fn json<T: DeserializeOwned>(self) -> Result<ApiResponse<T>, Error> {
        // An empty body is `null` to a type that takes it (an untyped or optional body);
        // to any other type it is the usual error.
        if self.body.iter().all(u8::is_ascii_whitespace) {
            if let Ok(body) = serde_json::from_slice::<T>(b"null") {
                return Ok(self.wrap(body));
            }
        }
        // Decoded plainly first; only a body that fails is decoded again through
        // `serde_path_to_error`, for the path of the value that did not fit, so that a
        // successful call does not pay for tracking it.
        if let Ok(body) = serde_json::from_slice::<T>(&self.body) {
            return Ok(self.wrap(body));
        }
        let mut deserializer = serde_json::Deserializer::from_slice(&self.body);
        let decoded: Result<T, _> = serde_path_to_error::deserialize(&mut deserializer);
        match decoded {
            Ok(body) => match deserializer.end() {
                Ok(()) => Ok(self.wrap(body)),
                Err(e) => Err(self.decode_error(".".to_owned(), e.to_string())),
            },
            Err(e) => Err(self.decode_error(e.path().to_string(), e.inner().to_string())),
        }
    }

    fn decode_error(&self, path: String, message: String) -> Error {
        Error::Decode(Box::new(DecodeError {
            operation: self.operation,
            status: self.status,
            path,
            message,
            body: String::from_utf8_lossy(&self.body).into_owned(),
        }))
    }

    /// A text body.
    pub fn text(self) -> Result<ApiResponse<String>, Error> {
        match String::from_utf8(self.body.to_vec()) {
            Ok(text) => Ok(self.wrap(text)),
            Err(e) => Err(self.decode_error(".".to_owned(), format!("the body is not UTF-8: {e}"))),
        }
    }

    /// A binary body.
    pub fn bytes(self) -> ApiResponse<Vec<u8>> {
        let body = self.body.to_vec();
        self.wrap(body)
    }

    /// A streamed body, decoded item by item as it arrives.
    pub(crate) fn items<T: DeserializeOwned + Send + 'static>(
        mut self,
        framing: Framing,
    ) -> Result<ApiResponse<ItemStream<T>>, Error> {
        let Some(unread) = self.unread.take() else {
            return Err(self.decode_error(
                ".".to_owned(),
                "the response was read before it could be streamed".to_owned(),
            ));
        };
        let resume = self.resume.take().map(|r| *r);
        let stream = ItemStream::new(unread, framing, self.operation, self.idle_timeout, resume);
        Ok(self.wrap(stream))
    }

    /// A streamed body, as the chunks arrive.
    pub(crate) fn byte_stream(mut self) -> Result<ApiResponse<ByteStream>, Error> {
        let Some(unread) = self.unread.take() else {
            return Err(self.decode_error(
                ".".to_owned(),
                "the response was read before it could be streamed".to_owned(),
            ));
        };
        let stream = ByteStream::new(unread, self.operation, self.idle_timeout);
        Ok(self.wrap(stream))
    }

    /// A response whose body, if any, is ignored.
    pub fn empty(self) -> ApiResponse<()> {
        self.wrap(())
    }

    /// The error for a success status the API description does not document, when the
    /// operation's outcomes depend on the status.
    pub fn unexpected_status(self) -> Error {
        self.decode_error(
            ".".to_owned(),
            "the API description documents no response for this status".to_owned(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(body: &'static [u8]) -> RawResponse {
        RawResponse {
            operation: "op",
            status: StatusCode::OK,
            headers: HeaderMap::new(),
            body: bytes::Bytes::from_static(body),
            unread: None,
            idle_timeout: std::time::Duration::from_secs(1),
            resume: None,
        }
    }

    /// A 200 with no body decodes as `null` where the type takes it, and is a decode error
    /// where it does not.
    #[test]
    fn an_empty_body_is_null_only_to_types_that_take_it() {
        let value = raw(b"").json::<serde_json::Value>().unwrap().into_body();
        assert_eq!(value, serde_json::Value::Null);
        assert_eq!(raw(b" \n").json::<Option<u32>>().unwrap().into_body(), None);
        let error = raw(b"")
            .json::<std::collections::BTreeMap<String, u32>>()
            .unwrap_err();
        assert!(matches!(error, Error::Decode(_)), "{error:?}");
    }
}
