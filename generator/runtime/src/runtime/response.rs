//! Responses: the raw answer to a request, and the decoded [`ApiResponse`].

use super::decode::{self, Decoding, Deviation};
use super::deviations::{DeviationLog, Origin};
use super::error::{DecodeError, Error};
use super::stream::{ByteStream, Framing, ItemStream, Resume};
use reqwest::header::{HeaderMap, CONTENT_TYPE};
use reqwest::StatusCode;
use serde::de::DeserializeOwned;
use std::sync::Arc;

/// A decoded response body with the response's status and headers, and the places where the
/// body differed from the API description.
#[derive(Debug, Clone)]
pub struct ApiResponse<T> {
    status: StatusCode,
    headers: HeaderMap,
    body: T,
    deviations: Vec<Deviation>,
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

    /// Where the body differed from the API description and how each difference was read
    /// (see [`Decoding::Tolerant`]); empty when the body matched, always empty for a strict
    /// client (a deviation is then an error).
    pub fn deviations(&self) -> &[Deviation] {
        &self.deviations
    }

    /// Applies a function to the body.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> ApiResponse<U> {
        ApiResponse {
            status: self.status,
            headers: self.headers,
            body: f(self.body),
            deviations: self.deviations,
        }
    }
}

/// A successful response whose body has not been decoded yet.
#[derive(Debug)]
#[doc(hidden)]
pub struct RawResponse {
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
    /// The request's method and path template, for the deviations' record.
    pub(crate) method: reqwest::Method,
    pub(crate) template: &'static str,
    /// How a body that differs from the description is read.
    pub(crate) decoding: Decoding,
    /// Where deviations are recorded, if anywhere.
    pub(crate) log: Option<Arc<DeviationLog>>,
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
            deviations: Vec::new(),
        }
    }

    /// The body with the deviations it was read past, reported (see `deviations::report`).
    fn wrap_deviating<T>(self, body: T, deviations: Vec<Deviation>) -> ApiResponse<T> {
        self.report(&deviations);
        let mut response = self.wrap(body);
        response.deviations = deviations;
        response
    }

    fn report(&self, deviations: &[Deviation]) {
        let origin = Origin {
            operation: self.operation,
            method: self.method.as_str(),
            template: self.template,
            status: self.status.as_u16(),
            content_type: self.content_type(),
        };
        super::deviations::report(&origin, deviations, self.log.as_deref());
    }

    /// The response's media type (`Content-Type` without parameters), or "" if it has none.
    pub(crate) fn content_type(&self) -> &str {
        self.headers
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map_or("", |v| v.split(';').next().unwrap_or("").trim())
    }

    /// Whether the response says its body is JSON (`application/json`, `+json`); `None` when
    /// it does not say what it is.
    fn says_json(&self) -> Option<bool> {
        let media_type = self.content_type().to_ascii_lowercase();
        if media_type.is_empty() {
            return None;
        }
        Some(media_type == "application/json" || media_type.ends_with("+json"))
    }

    /// Decodes a JSON body. A body that differs from the description is read as
    /// [`Decoding`] says; a failure names the JSON path of the value that did not fit.
    pub fn json<T: DeserializeOwned>(self) -> Result<ApiResponse<T>, Error> {
        // An empty body is `null` to a type that takes it (an untyped or optional body);
        // to any other type it is the usual error.
        if self.body.iter().all(u8::is_ascii_whitespace) {
            if let Ok(body) = serde_json::from_slice::<T>(b"null") {
                return Ok(self.wrap(body));
            }
            // A success with no body where one was promised (the server did what was asked
            // and said nothing): to a tolerant client, the type's zero value.
            if let Some(body) = decode::zero::<T>() {
                let deviation = decode::empty_body_deviation::<T>();
                return self.deliver(body, vec![deviation]);
            }
        }
        let failure = match decode::json::<T>(&self.body, self.decoding) {
            Ok((body, deviations)) if deviations.is_empty() => return Ok(self.wrap(body)),
            Ok((body, deviations)) => return Ok(self.wrap_deviating(body, deviations)),
            Err(failure) => failure,
        };
        // Text where JSON was documented (a version string sent as `text/plain`): read by
        // what arrived, as a JSON string.
        if self.says_json() == Some(false) {
            if let Ok(text) = std::str::from_utf8(&self.body) {
                let as_json = serde_json::to_vec(text).unwrap_or_default();
                if let Ok((body, mut deviations)) = decode::json::<T>(&as_json, Decoding::Tolerant)
                {
                    deviations.insert(
                        0,
                        decode::content_type_deviation("application/json", self.content_type()),
                    );
                    return self.deliver(body, deviations);
                }
            }
        }
        Err(self.decode_error(failure.path, failure.message, failure.deviations))
    }

    /// A body read past `deviations`, or for a strict client the error listing them.
    fn deliver<T>(self, body: T, deviations: Vec<Deviation>) -> Result<ApiResponse<T>, Error> {
        match self.decoding {
            Decoding::Tolerant => Ok(self.wrap_deviating(body, deviations)),
            Decoding::Strict => {
                let path = deviations
                    .first()
                    .map_or("$".to_owned(), |d| d.path.clone());
                let message = deviations
                    .iter()
                    .map(|d| format!("`{}`: {}", d.path, d.note.split("; ").next().unwrap_or("")))
                    .collect::<Vec<_>>()
                    .join("; ");
                Err(self.decode_error(path, message, deviations))
            }
        }
    }

    fn decode_error(&self, path: String, message: String, deviations: Vec<Deviation>) -> Error {
        Error::Decode(Box::new(DecodeError {
            operation: self.operation,
            status: self.status,
            path,
            message,
            body: String::from_utf8_lossy(&self.body).into_owned(),
            deviations,
        }))
    }

    /// A text body. JSON where text was documented is read by what arrived: a JSON string
    /// is its text (`"1.0.0"` is `1.0.0`), anything else the JSON text itself.
    pub fn text(self) -> Result<ApiResponse<String>, Error> {
        let text = match std::str::from_utf8(&self.body) {
            Ok(text) => text.to_owned(),
            Err(e) => {
                return Err(self.decode_error(
                    "$".to_owned(),
                    format!("the body is not UTF-8: {e}"),
                    Vec::new(),
                ))
            }
        };
        if self.says_json() == Some(true) {
            let deviation = decode::content_type_deviation("text", self.content_type());
            let text = match serde_json::from_str::<String>(&text) {
                Ok(unquoted) => unquoted,
                Err(_) => text,
            };
            return self.deliver(text, vec![deviation]);
        }
        Ok(self.wrap(text))
    }

    /// The body as it arrived, undecoded (the escape hatch of every operation's `send_raw`).
    pub fn undecoded(self) -> Result<ApiResponse<bytes::Bytes>, Error> {
        let body = self.body.clone();
        Ok(self.wrap(body))
    }

    /// A binary body.
    pub fn bytes(self) -> ApiResponse<Vec<u8>> {
        let body = self.body.to_vec();
        self.wrap(body)
    }

    /// A streamed body, decoded item by item as it arrives.
    #[doc(hidden)]
    pub fn items<T: DeserializeOwned + Send + 'static>(
        mut self,
        framing: Framing,
    ) -> Result<ApiResponse<ItemStream<T>>, Error> {
        let Some(unread) = self.unread.take() else {
            return Err(self.decode_error(
                "$".to_owned(),
                "the response was read before it could be streamed".to_owned(),
                Vec::new(),
            ));
        };
        let resume = self.resume.take().map(|r| *r);
        let stream = ItemStream::new(unread, framing, self.operation, self.idle_timeout, resume);
        Ok(self.wrap(stream))
    }

    /// A streamed body, as the chunks arrive.
    #[doc(hidden)]
    pub fn byte_stream(mut self) -> Result<ApiResponse<ByteStream>, Error> {
        let Some(unread) = self.unread.take() else {
            return Err(self.decode_error(
                "$".to_owned(),
                "the response was read before it could be streamed".to_owned(),
                Vec::new(),
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
            "$".to_owned(),
            "the API description documents no response for this status".to_owned(),
            Vec::new(),
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
            method: reqwest::Method::GET,
            template: "/t",
            decoding: Decoding::Tolerant,
            log: None,
        }
    }

    /// A 200 with no body decodes as `null` where the type takes it; where it does not, a
    /// tolerant client delivers the type's zero value with a deviation, a strict one fails.
    #[test]
    fn an_empty_body_is_null_to_types_that_take_it_and_a_deviation_to_others() {
        let value = raw(b"").json::<serde_json::Value>().unwrap().into_body();
        assert_eq!(value, serde_json::Value::Null);
        assert_eq!(raw(b" \n").json::<Option<u32>>().unwrap().into_body(), None);
        let response = raw(b"")
            .json::<std::collections::BTreeMap<String, u32>>()
            .unwrap();
        assert!(response.body().is_empty());
        assert_eq!(
            response.deviations()[0].kind,
            decode::DeviationKind::Missing
        );
        let mut strict = raw(b"");
        strict.decoding = Decoding::Strict;
        let error = strict.json::<Vec<u32>>().unwrap_err();
        assert!(matches!(error, Error::Decode(_)), "{error:?}");
    }

    /// The response's own media type wins over the documented one: a JSON string where text
    /// was documented is its text, text where JSON was documented is a JSON string.
    #[test]
    fn a_body_is_read_by_the_media_type_that_arrived() {
        let with_type = |body: &'static [u8], media_type: &'static str| {
            let mut response = raw(body);
            response.headers.insert(
                reqwest::header::CONTENT_TYPE,
                reqwest::header::HeaderValue::from_static(media_type),
            );
            response
        };
        let text = with_type(b"\"1.0.0\"", "application/json").text().unwrap();
        assert_eq!(text.body(), "1.0.0");
        assert_eq!(
            text.deviations()[0].kind,
            decode::DeviationKind::ContentType
        );
        let json = with_type(b"1.0.0", "text/plain; charset=utf-8")
            .json::<String>()
            .unwrap();
        assert_eq!(json.body(), "1.0.0");
        assert_eq!(
            json.deviations()[0].kind,
            decode::DeviationKind::ContentType
        );
        // Plain text documented as text: no deviation.
        let plain = with_type(b"1.0.0", "text/plain").text().unwrap();
        assert!(plain.deviations().is_empty());
    }
}
