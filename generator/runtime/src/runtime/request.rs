//! `Request`: what generated code builds for one call, before the client sends it.
//!
//! Parameters are serialised through `serde_json::Value`, so any type the models define
//! (strings, numbers, enums, dates, arrays, objects) is written the way OpenAPI's `style` and
//! `explode` say, from one implementation.

use super::error::Error;
use super::file::{collect_files, marker_index, FilePart};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use reqwest::Method;
use serde::Serialize;
use serde_json::Value;

/// Characters escaped in a path segment: everything but RFC 3986 unreserved characters and
/// `@` and `:`, which path segments allow (`@me`, `@current`).
const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'@')
    .remove(b':');

/// How a query parameter is written (OpenAPI `style`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueryStyle {
    /// `name=a&name=b` (exploded) or `name=a,b`.
    Form,
    /// `name=a b`.
    SpaceDelimited,
    /// `name=a|b`.
    PipeDelimited,
    /// `name[key]=value`.
    DeepObject,
}

/// A request body, kept as data so that a retry can send it again.
#[derive(Debug, Clone)]
pub(crate) enum Body {
    None,
    Bytes {
        bytes: bytes::Bytes,
        content_type: String,
    },
    Multipart(Vec<Part>),
    /// A file's contents as the body: bytes, or a stream opened again for each attempt.
    File {
        file: FilePart,
        content_type: String,
    },
}

/// One part of a `multipart/form-data` body.
#[derive(Debug, Clone)]
pub(crate) enum Part {
    /// A text field, or a JSON one (`application/json`) for objects and arrays.
    Text {
        name: String,
        value: String,
        content_type: Option<&'static str>,
    },
    /// A file.
    File { name: String, file: FilePart },
}

/// One call, ready to send.
#[derive(Debug, Clone)]
pub struct Request {
    pub(crate) method: Method,
    /// The path template, for tracing and errors (`/api/users/{uuid}/`).
    pub(crate) template: &'static str,
    /// The operation id, for tracing and errors.
    pub(crate) operation: &'static str,
    pub(crate) path: String,
    /// Whether `path` already includes the base URL's path (a followed `next` link).
    pub(crate) path_is_absolute: bool,
    pub(crate) query: Vec<(String, String)>,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) cookies: Vec<(String, String)>,
    pub(crate) body: Body,
    pub(crate) authenticated: bool,
    /// Whether the API description marks the operation safe to repeat (`x-idempotent`).
    pub(crate) idempotent: bool,
    /// Whether a successful response's body is left unread, to be consumed as a stream.
    pub(crate) streamed: bool,
    /// The rate class whose budget the call takes when the client paces requests.
    pub(crate) rate_class: &'static str,
    /// The `Accept` header: the media type the operation decodes.
    pub(crate) accept: &'static str,
    /// How this operation takes the credential, when not as the API's default scheme.
    pub(crate) auth: Option<super::api::Auth>,
    /// The first error met while the request was put together, for [`Request::finish`].
    error: FirstError,
}

/// The first error met while a request was put together. The methods that add parameters and
/// bodies keep it rather than returning it, so that an operation's `to_request` is a list of
/// calls with no `?` after each (a `?` per parameter was a large share of what a client with
/// many parameters costs to compile), and [`Request::finish`] gives it back. A request is
/// only cloned once finished, without an error, so a clone has none.
#[derive(Debug, Default)]
struct FirstError(Option<Error>);

impl Clone for FirstError {
    fn clone(&self) -> Self {
        FirstError(None)
    }
}

impl Request {
    /// A request builder's `Debug` (generated code calls it with the builder's
    /// `to_request()`): the call it would make, or the error putting it together met; not the
    /// builder's fields, whose client is configuration rather than the call. Written once here:
    /// a derived `Debug` per operation was a share of what a large client cost to check.
    #[doc(hidden)]
    pub fn show(
        request: &Result<Request, Error>,
        name: &str,
        f: &mut std::fmt::Formatter<'_>,
    ) -> std::fmt::Result {
        let mut out = f.debug_struct(name);
        match request {
            Ok(request) => out
                .field("method", &request.method)
                .field("path", &request.path)
                .field("query", &request.query)
                .field("headers", &request.headers)
                .field("body", &request.body),
            Err(error) => out.field("error", error),
        };
        out.finish()
    }

    /// A request for `operation`, to be completed by the push methods.
    pub fn new(method: Method, template: &'static str, operation: &'static str) -> Self {
        Request {
            method,
            template,
            operation,
            // Room for the path as the template spells it, so that pushing its pieces seldom
            // grows the string.
            path: String::with_capacity(template.len() + 16),
            path_is_absolute: false,
            query: Vec::new(),
            headers: Vec::new(),
            cookies: Vec::new(),
            body: Body::None,
            authenticated: true,
            idempotent: false,
            streamed: false,
            rate_class: super::pacing::DEFAULT_CLASS,
            accept: "application/json",
            auth: None,
            error: FirstError::default(),
        }
    }

    /// The request, or the first error met while it was put together.
    pub fn finish(mut self) -> Result<Request, Error> {
        match self.error.0.take() {
            Some(error) => Err(error),
            None => Ok(self),
        }
    }

    fn keep_error(&mut self, result: Result<(), Error>) {
        if let Err(error) = result {
            self.error.0.get_or_insert(error);
        }
    }

    /// Appends a path parameter, percent-encoded. Empty values are refused: they would change
    /// which resource the path names.
    pub fn push_path_param<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) {
        let result = self.try_push_path_param(name, value);
        self.keep_error(result);
    }

    /// Appends the path parameter that ends the path, which may be empty: an empty value
    /// names the collection itself (`/contents/` for `/contents/{path}`).
    pub fn push_last_path_param<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) {
        let empty = matches!(to_value(name, value), Ok(Value::String(text)) if text.is_empty());
        if !empty {
            self.push_path_param(name, value);
        }
    }

    /// Adds a query parameter in `form` style with `explode` (OpenAPI's default). `None` and
    /// null values are left out.
    pub fn query<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) {
        let result = self.try_query(name, value);
        self.keep_error(result);
    }

    /// Adds a query parameter in the given style.
    pub fn query_styled<T: Serialize + ?Sized>(
        &mut self,
        name: &str,
        value: &T,
        style: QueryStyle,
        explode: bool,
    ) {
        let result = self.try_query_styled(name, value, style, explode);
        self.keep_error(result);
    }

    /// Adds a query parameter the API description gives no type, always under its own name:
    /// a string, number or boolean as its text, a list as one `name=` per item (objects in it
    /// as JSON text), an object as its JSON text. `None` and `null` are left out.
    pub fn query_untyped<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) {
        match to_value(name, value) {
            Ok(Value::Null) => {}
            Ok(Value::Array(items)) => {
                for item in items.iter().filter(|item| !item.is_null()) {
                    self.query.push((name.to_owned(), scalar_or_json(item)));
                }
            }
            Ok(other) => self.query.push((name.to_owned(), scalar_or_json(&other))),
            Err(error) => self.keep_error(Err(error)),
        }
    }

    /// Adds a header parameter (`simple` style). `None` is left out.
    pub fn header<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) {
        let result = self.try_header(name, value);
        self.keep_error(result);
    }

    /// Adds a cookie parameter. `None` is left out.
    pub fn cookie<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) {
        let result = self.try_cookie(name, value);
        self.keep_error(result);
    }

    /// Sets a JSON body.
    pub fn json<T: Serialize + ?Sized>(&mut self, body: &T) {
        let result = self.try_json(body);
        self.keep_error(result);
    }

    /// Sets an `application/x-www-form-urlencoded` body. Nested objects are written as
    /// `a[b]=c`, arrays as repeated keys.
    pub fn form<T: Serialize + ?Sized>(&mut self, body: &T) {
        let result = self.try_form(body);
        self.keep_error(result);
    }

    /// Sets a `multipart/form-data` body: one part per field, objects as JSON parts, files
    /// as file parts.
    pub fn multipart<T: Serialize + ?Sized>(&mut self, body: &T) {
        let result = self.try_multipart(body);
        self.keep_error(result);
    }

    /// Sets a body the caller may send as several media types, encoded as `media_type` says:
    /// a form, multipart, or JSON (and its `+json` and YAML relatives) under that type.
    pub fn body_as<T: Serialize + ?Sized>(&mut self, body: &T, media_type: &str) {
        let result = self.try_body_as(body, media_type);
        self.keep_error(result);
    }

    /// Appends literal path text.
    pub fn push_path(&mut self, text: &str) {
        self.path.push_str(text);
    }

    /// [`Request::push_path_param`], returning its error.
    fn try_push_path_param<T: Serialize + ?Sized>(
        &mut self,
        name: &str,
        value: &T,
    ) -> Result<(), Error> {
        let value = to_value(name, value)?;
        let joined;
        let text = match &value {
            Value::Null => return Err(Error::invalid(name, "a path parameter cannot be null")),
            // The common case, encoded from where it is.
            Value::String(text) => text.as_str(),
            Value::Array(items) => {
                joined = join_scalars(name, items, ",")?;
                joined.as_str()
            }
            Value::Object(map) => {
                joined = flatten_object(name, map)?.join(",");
                joined.as_str()
            }
            scalar => {
                joined = scalar_text(scalar);
                joined.as_str()
            }
        };
        if text.is_empty() {
            return Err(Error::invalid(name, "a path parameter cannot be empty"));
        }
        self.path.extend(utf8_percent_encode(text, PATH_SEGMENT));
        Ok(())
    }

    /// [`Request::query`], returning its error.
    fn try_query<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) -> Result<(), Error> {
        self.try_query_styled(name, value, QueryStyle::Form, true)
    }

    /// [`Request::query_styled`], returning its error.
    fn try_query_styled<T: Serialize + ?Sized>(
        &mut self,
        name: &str,
        value: &T,
        style: QueryStyle,
        explode: bool,
    ) -> Result<(), Error> {
        match to_value(name, value)? {
            Value::Null => {}
            Value::Array(items) => {
                if style == QueryStyle::Form && explode {
                    for item in &items {
                        if !item.is_null() {
                            self.query.push((name.to_owned(), scalar_or_json(item)));
                        }
                    }
                } else {
                    let separator = match style {
                        QueryStyle::SpaceDelimited => " ",
                        QueryStyle::PipeDelimited => "|",
                        QueryStyle::Form | QueryStyle::DeepObject => ",",
                    };
                    self.query
                        .push((name.to_owned(), join_scalars(name, &items, separator)?));
                }
            }
            Value::Object(map) => match style {
                QueryStyle::DeepObject => deep_object(name, &Value::Object(map), &mut self.query),
                _ if explode => {
                    for (key, item) in &map {
                        if !item.is_null() {
                            self.query.push((key.clone(), scalar_or_json(item)));
                        }
                    }
                }
                _ => self
                    .query
                    .push((name.to_owned(), flatten_object(name, &map)?.join(","))),
            },
            scalar => self.query.push((name.to_owned(), scalar_text(&scalar))),
        }
        Ok(())
    }

    /// [`Request::header`], returning its error.
    fn try_header<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) -> Result<(), Error> {
        let text = match to_value(name, value)? {
            Value::Null => return Ok(()),
            Value::Array(items) => join_scalars(name, &items, ",")?,
            Value::Object(map) => flatten_object(name, &map)?.join(","),
            scalar => scalar_text(&scalar),
        };
        if reqwest::header::HeaderValue::from_str(&text).is_err() {
            return Err(Error::invalid(
                name,
                "a header value cannot contain line breaks or control characters",
            ));
        }
        self.headers.push((name.to_owned(), text));
        Ok(())
    }

    /// [`Request::cookie`], returning its error.
    fn try_cookie<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) -> Result<(), Error> {
        let text = match to_value(name, value)? {
            Value::Null => return Ok(()),
            Value::Array(items) => join_scalars(name, &items, ",")?,
            Value::Object(map) => flatten_object(name, &map)?.join(","),
            scalar => scalar_text(&scalar),
        };
        if text.contains([';', '\r', '\n']) {
            return Err(Error::invalid(
                name,
                "a cookie value cannot contain `;` or line breaks",
            ));
        }
        self.cookies.push((name.to_owned(), text));
        Ok(())
    }

    /// [`Request::json`], returning its error.
    fn try_json<T: Serialize + ?Sized>(&mut self, body: &T) -> Result<(), Error> {
        let bytes = serde_json::to_vec(body).map_err(|e| Error::invalid("body", e.to_string()))?;
        self.body = Body::Bytes {
            bytes: bytes.into(),
            content_type: "application/json".to_owned(),
        };
        Ok(())
    }

    /// [`Request::form`], returning its error.
    fn try_form<T: Serialize + ?Sized>(&mut self, body: &T) -> Result<(), Error> {
        let mut pairs = Vec::new();
        match to_value("body", body)? {
            Value::Object(map) => {
                for (key, value) in &map {
                    form_pairs(key, value, &mut pairs);
                }
            }
            Value::Null => {}
            _ => return Err(Error::invalid("body", "a form body must be an object")),
        }
        let encoded = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(pairs)
            .finish();
        self.body = Body::Bytes {
            bytes: encoded.into(),
            content_type: "application/x-www-form-urlencoded".to_owned(),
        };
        Ok(())
    }

    /// [`Request::multipart`], returning its error.
    fn try_multipart<T: Serialize + ?Sized>(&mut self, body: &T) -> Result<(), Error> {
        let (value, mut files) = collect_files(body);
        let value = value.map_err(|e| Error::invalid("body", e.to_string()))?;
        let mut parts = Vec::new();
        match value {
            Value::Object(map) => {
                for (key, value) in map {
                    match value {
                        Value::Null => {}
                        Value::Array(items) => {
                            for item in items {
                                parts.push(multipart_part(&key, item, &mut files));
                            }
                        }
                        other => parts.push(multipart_part(&key, other, &mut files)),
                    }
                }
            }
            Value::Null => {}
            _ => return Err(Error::invalid("body", "a multipart body must be an object")),
        }
        // Text fields first, then files: some servers (S3's form uploads) read fields only
        // before the file. The sort is stable, so each kind keeps its order.
        parts.sort_by_key(|part| matches!(part, Part::File { .. }));
        self.body = Body::Multipart(parts);
        Ok(())
    }

    /// [`Request::body_as`], returning its error.
    fn try_body_as<T: Serialize + ?Sized>(
        &mut self,
        body: &T,
        media_type: &str,
    ) -> Result<(), Error> {
        let essence = media_type.split(';').next().unwrap_or(media_type).trim();
        if essence.eq_ignore_ascii_case("application/x-www-form-urlencoded") {
            self.try_form(body)
        } else if essence.eq_ignore_ascii_case("multipart/form-data") {
            self.try_multipart(body)
        } else {
            self.try_json(body)?;
            self.content_type(media_type);
            Ok(())
        }
    }

    /// Sets a text body.
    pub fn text(&mut self, body: &str) {
        self.body = Body::Bytes {
            bytes: body.to_owned().into(),
            content_type: "text/plain".to_owned(),
        };
    }

    /// Sets a file as the whole body (a binary upload), sent with the file's own content type
    /// if it names one, else `application/octet-stream` (or what
    /// [`content_type`](Self::content_type) sets).
    pub fn file(&mut self, file: &FilePart) {
        self.body = Body::File {
            file: file.clone(),
            content_type: "application/octet-stream".to_owned(),
        };
    }

    /// Overrides the body's content type (`application/merge-patch+json`, ...). A file that
    /// names its own type keeps it.
    pub fn content_type(&mut self, content_type: &str) {
        match &mut self.body {
            Body::Bytes {
                content_type: current,
                ..
            }
            | Body::File {
                content_type: current,
                ..
            } => *current = content_type.to_owned(),
            Body::None | Body::Multipart(_) => {}
        }
    }

    /// Leaves a successful response's body unread, for a streamed response.
    pub fn stream_response(&mut self) {
        self.streamed = true;
    }

    /// Sends no credentials with this request.
    pub fn without_auth(&mut self) {
        self.authenticated = false;
    }

    /// Marks the request safe to repeat whatever its method (the operation is
    /// `x-idempotent: true`), so that it is retried after a failure in flight.
    pub fn idempotent(&mut self) {
        self.idempotent = true;
    }

    /// Asks for a media type other than JSON (`Accept`), for an operation that reads text,
    /// bytes or a stream.
    pub fn accept(&mut self, media_type: &'static str) {
        self.accept = media_type;
    }

    /// Sends the credential by this scheme instead of the API's default one (an operation
    /// whose security requirements name another scheme).
    pub fn auth_scheme(&mut self, auth: super::api::Auth) {
        self.auth = Some(auth);
    }

    /// Makes the call take its budget from a rate class other than the default (see
    /// [`RateLimits`](super::RateLimits)).
    pub fn rate_class(&mut self, class: &'static str) {
        self.rate_class = class;
    }

    /// Whether a retry may send this request again after it may have reached the server: its
    /// method is idempotent, the operation is marked so, or it carries an `Idempotency-Key`
    /// (with which the server itself removes duplicates).
    pub(crate) fn is_idempotent(&self) -> bool {
        self.idempotent
            || super::retry::is_idempotent(&self.method)
            || self
                .headers
                .iter()
                .any(|(name, _)| name.eq_ignore_ascii_case("idempotency-key"))
    }

    /// The same call for a page link: its path and query, on the client's own host.
    pub(crate) fn follow(&self, link: &str, base: &url::Url) -> Result<Request, Error> {
        let url = base.join(link).map_err(|e| Error::Pagination {
            operation: self.operation,
            message: format!("the next-page link is not a URL: {e}"),
        })?;
        let mut next = Request::new(self.method.clone(), self.template, self.operation);
        next.path = url.path().to_owned();
        next.path_is_absolute = true;
        next.query = url
            .query_pairs()
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        next.headers = self.headers.clone();
        next.cookies = self.cookies.clone();
        next.authenticated = self.authenticated;
        next.idempotent = self.idempotent;
        Ok(next)
    }

    /// The value of the query parameter `name`, if the request has one.
    pub(crate) fn query_value(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The value of the field `name` of the request's JSON body, if it has one.
    pub(crate) fn body_field(&self, name: &str) -> Option<Value> {
        match &self.body {
            Body::Bytes { bytes, .. } => serde_json::from_slice::<Value>(bytes)
                .ok()?
                .get(name)
                .cloned(),
            _ => None,
        }
    }

    /// The same call with the field `name` of its JSON body set to `value` (a page number in
    /// the body); a body that is not a JSON object is an error.
    pub(crate) fn with_body_field(&self, name: &str, value: u64) -> Result<Request, Error> {
        let mut next = self.clone();
        let (bytes, content_type) = match &self.body {
            Body::Bytes {
                bytes,
                content_type,
            } => (bytes, content_type),
            Body::None => {
                next.json(&serde_json::json!({ name: value }));
                return next.finish();
            }
            _ => return Err(Error::invalid(name, "the request body is not JSON")),
        };
        let mut object = match serde_json::from_slice::<Value>(bytes) {
            Ok(Value::Object(object)) => object,
            _ => {
                return Err(Error::invalid(
                    name,
                    "the request body is not a JSON object",
                ))
            }
        };
        object.insert(name.to_owned(), Value::from(value));
        next.body = Body::Bytes {
            bytes: serde_json::to_vec(&object)
                .map_err(|e| Error::invalid(name, e.to_string()))?
                .into(),
            content_type: content_type.clone(),
        };
        Ok(next)
    }

    /// The same call with the query parameter `name` set to `value` alone (a page token).
    pub(crate) fn with_query(&self, name: &str, value: String) -> Request {
        let mut next = self.clone();
        next.query.retain(|(k, _)| k != name);
        next.query.push((name.to_owned(), value));
        next
    }

    /// Identifies the resource a request reads, to notice a page link that repeats.
    pub(crate) fn key(&self) -> String {
        let mut query = self.query.clone();
        query.sort();
        let query: Vec<String> = query.iter().map(|(k, v)| format!("{k}={v}")).collect();
        // A page counted in the body is another page with another body.
        let body = match &self.body {
            Body::Bytes { bytes, .. } => format!(" {}", String::from_utf8_lossy(bytes)),
            _ => String::new(),
        };
        format!("{}?{}{body}", self.path, query.join("&"))
    }
}

fn to_value<T: Serialize + ?Sized>(name: &str, value: &T) -> Result<Value, Error> {
    serde_json::to_value(value).map_err(|e| Error::invalid(name, e.to_string()))
}

/// The text of a scalar (strings unquoted).
fn scalar_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// A scalar's text, or JSON for nested arrays and objects.
fn scalar_or_json(value: &Value) -> String {
    match value {
        Value::Array(_) | Value::Object(_) => value.to_string(),
        scalar => scalar_text(scalar),
    }
}

fn join_scalars(name: &str, items: &[Value], separator: &str) -> Result<String, Error> {
    let mut parts = Vec::with_capacity(items.len());
    for item in items {
        match item {
            Value::Array(_) | Value::Object(_) => {
                return Err(Error::invalid(
                    name,
                    "nested arrays and objects cannot be written in this parameter style",
                ))
            }
            Value::Null => {}
            scalar => parts.push(scalar_text(scalar)),
        }
    }
    Ok(parts.join(separator))
}

/// `{a: 1, b: 2}` as `["a", "1", "b", "2"]` (non-exploded object style).
fn flatten_object(name: &str, map: &serde_json::Map<String, Value>) -> Result<Vec<String>, Error> {
    let mut out = Vec::with_capacity(map.len() * 2);
    for (key, value) in map {
        if value.is_null() {
            continue;
        }
        if value.is_object() || value.is_array() {
            return Err(Error::invalid(
                name,
                "nested objects cannot be written in this parameter style",
            ));
        }
        out.push(key.clone());
        out.push(scalar_text(value));
    }
    Ok(out)
}

/// `name[key][sub]=value` pairs.
fn deep_object(prefix: &str, value: &Value, out: &mut Vec<(String, String)>) {
    match value {
        Value::Object(map) => {
            for (key, item) in map {
                deep_object(&format!("{prefix}[{key}]"), item, out);
            }
        }
        Value::Array(items) => {
            for item in items {
                deep_object(&format!("{prefix}[]"), item, out);
            }
        }
        Value::Null => {}
        scalar => out.push((prefix.to_owned(), scalar_text(scalar))),
    }
}

fn form_pairs(key: &str, value: &Value, out: &mut Vec<(String, String)>) {
    match value {
        Value::Null => {}
        Value::Array(items) => {
            for item in items {
                match item {
                    Value::Object(_) => deep_object(&format!("{key}[]"), item, out),
                    other => out.push((key.to_owned(), scalar_or_json(other))),
                }
            }
        }
        Value::Object(_) => deep_object(key, value, out),
        scalar => out.push((key.to_owned(), scalar_text(scalar))),
    }
}

fn multipart_part(name: &str, value: Value, files: &mut [FilePart]) -> Part {
    let name = name.to_owned();
    match value {
        Value::String(text) => match marker_index(&text).and_then(|i| files.get_mut(i)) {
            Some(file) => Part::File {
                name,
                // Each marker stands for one file, taken once.
                file: std::mem::replace(file, FilePart::new(Vec::new())),
            },
            None => Part::Text {
                name,
                value: text,
                content_type: None,
            },
        },
        Value::Object(_) | Value::Array(_) => Part::Text {
            name,
            value: value.to_string(),
            content_type: Some("application/json"),
        },
        scalar => Part::Text {
            name,
            value: scalar_text(&scalar),
            content_type: None,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn request() -> Request {
        Request::new(Method::GET, "/t", "op")
    }

    #[test]
    fn the_first_error_is_kept_until_finish() {
        let mut r = request();
        r.query("limit", &10);
        r.push_path_param("project_id", "");
        r.header("X-Trace", "a\nb");
        let err = r.finish().unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid argument `project_id`: a path parameter cannot be empty"
        );
        let mut r = request();
        r.query("limit", &10);
        let r = r.finish().unwrap();
        assert_eq!(r.query_value("limit"), Some("10"));
    }

    #[test]
    fn path_parameters_are_encoded_and_checked() {
        let mut r = request();
        r.push_path("/api/users/");
        r.try_push_path_param("uuid", "@me").unwrap();
        r.push_path("/x/");
        r.try_push_path_param("id", &42).unwrap();
        r.push_path("/");
        r.try_push_path_param("name", "a b/c?d").unwrap();
        assert_eq!(r.path, "/api/users/@me/x/42/a%20b%2Fc%3Fd");
        // The parameter that ends a path may be empty: the collection itself.
        let mut r = request();
        r.push_path("/api/contents/");
        r.push_last_path_param("path", "");
        assert_eq!(r.finish().unwrap().path, "/api/contents/");
        let err = request().try_push_path_param("project_id", "").unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid argument `project_id`: a path parameter cannot be empty"
        );
    }

    #[test]
    fn query_styles() {
        let mut r = request();
        r.try_query("limit", &Some(10)).unwrap();
        r.try_query("offset", &None::<i64>).unwrap();
        r.try_query("event_names", &["a", "b"]).unwrap();
        r.try_query_styled("ids", &[1, 2], QueryStyle::Form, false)
            .unwrap();
        r.try_query_styled("tags", &["x", "y"], QueryStyle::SpaceDelimited, false)
            .unwrap();
        r.try_query_styled("tags", &["x", "y"], QueryStyle::PipeDelimited, false)
            .unwrap();
        r.try_query_styled(
            "filter",
            &json!({"name": "n", "range": {"min": 1}}),
            QueryStyle::DeepObject,
            true,
        )
        .unwrap();
        r.try_query("obj", &json!({"k": "v"})).unwrap();
        let pairs: Vec<String> = r.query.iter().map(|(k, v)| format!("{k}={v}")).collect();
        assert_eq!(
            pairs,
            [
                "limit=10",
                "event_names=a",
                "event_names=b",
                "ids=1,2",
                "tags=x y",
                "tags=x|y",
                "filter[name]=n",
                "filter[range][min]=1",
                "k=v"
            ]
        );
    }

    /// An untyped query parameter is sent under its own name, whatever value it holds.
    #[test]
    fn untyped_query_parameters_keep_their_name() {
        let mut r = request();
        r.query_untyped("value", &json!("x"));
        r.query_untyped("n", &json!(5));
        r.query_untyped("list", &json!([1, {"a": 1}]));
        r.query_untyped("object", &json!({"a": 1}));
        r.query_untyped("empty", &json!({}));
        r.query_untyped("absent", &None::<Value>);
        let pairs: Vec<String> = r.query.iter().map(|(k, v)| format!("{k}={v}")).collect();
        assert_eq!(
            pairs,
            [
                "value=x",
                "n=5",
                "list=1",
                "list={\"a\":1}",
                "object={\"a\":1}",
                "empty={}"
            ]
        );
    }

    #[test]
    fn forms_and_headers() {
        let mut r = request();
        r.try_form(&json!({"a": 1, "b": ["x", "y"], "c": {"d": true}, "e": null}))
            .unwrap();
        let Body::Bytes {
            bytes,
            content_type,
        } = &r.body
        else {
            panic!()
        };
        assert_eq!(
            std::str::from_utf8(bytes).unwrap(),
            "a=1&b=x&b=y&c%5Bd%5D=true"
        );
        assert_eq!(content_type, "application/x-www-form-urlencoded");
        assert!(r.try_header("X-Trace", "a\nb").is_err());
        r.try_header("X-Ids", &[1, 2]).unwrap();
        assert_eq!(r.headers, [("X-Ids".to_owned(), "1,2".to_owned())]);
    }

    #[test]
    fn following_a_link_stays_on_the_clients_host() {
        let base = url::Url::parse("https://us.posthog.com").unwrap();
        let mut r = request();
        r.try_query("limit", &10).unwrap();
        let next = r
            .follow(
                "http://api.example.org/accounts/?offset=400&limit=100",
                &base,
            )
            .unwrap();
        assert_eq!(next.path, "/accounts/");
        assert_eq!(next.key(), "/accounts/?limit=100&offset=400");
        assert!(next.path_is_absolute);
    }
}
