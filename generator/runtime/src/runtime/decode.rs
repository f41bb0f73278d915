//! Reading a response body against the type its API description promises, and what to do
//! where the server sends something else.
//!
//! A body is decoded twice at most. The first pass *checks*: it reads the body exactly as the
//! description says and stops at the first difference, which is all a body that matches ever
//! costs. Only a body that fails the check is read again, in *recover* mode, where each place
//! that differs from the description (a [`Deviation`]) is recorded with its JSON path and read
//! as well as it can be: `null` or an absent property where a value was promised becomes the
//! type's zero value, a value of another JSON type that can be read without loss is read so,
//! and so on (see [`DeviationKind`]). A tolerant client delivers that value with its
//! deviations; a strict one turns them into an error that lists them all.
//!
//! The generated decoders cooperate through `serde_helpers`, which asks [`mode`] what to do.
//! The mode lives in a thread-local: decoding is synchronous, so nothing else runs on the
//! thread between setting it and restoring it. Outside a client's decoding (a caller's own
//! `serde_json::from_str`, the test kit reading request bodies) the mode is [`Mode::Plain`],
//! which decodes exactly as the types always have.

use serde::de::DeserializeOwned;
use serde::{Serialize, Serializer};
use serde_json::Value;
use std::cell::{Cell, RefCell};
use std::fmt;

/// How a client reads a response body that differs from its API description.
///
/// Set it for a client with [`ClientBuilder::decoding`](crate::ClientBuilder::decoding) or for
/// some calls with [`CallOptions::decoding`](crate::CallOptions::decoding).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Decoding {
    /// Deliver the body whenever its data can be read, with each difference recorded as a
    /// [`Deviation`]: on [`ApiResponse::deviations`](crate::ApiResponse::deviations), as a
    /// `tracing` warning (once per operation and JSON path), and in the file of
    /// [`ClientBuilder::record_deviations`](crate::ClientBuilder::record_deviations).
    #[default]
    Tolerant,
    /// Any difference is an [`Error::Decode`](crate::Error::Decode) listing every deviation.
    /// For tests and conformance checks, which should hold the server to its document.
    Strict,
}

/// A place where a response body differs from what the API description promises, and how the
/// client read it.
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
#[non_exhaustive]
pub struct Deviation {
    /// The JSON path of the value: `$` is the body, `$.results[*].avatar` the `avatar` of any
    /// item of `results` (list positions are not told apart: a deviation of one item is
    /// usually one of all).
    pub path: String,
    /// What differs.
    pub kind: DeviationKind,
    /// The value that arrived; `None` when the property was absent.
    pub found: Option<Value>,
    /// What the description promised and how the value was read, in words.
    pub note: String,
}

impl Serialize for Deviation {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("path", &self.path)?;
        map.serialize_entry("kind", &self.kind)?;
        if let Some(found) = &self.found {
            map.serialize_entry("found", found)?;
        }
        map.serialize_entry("note", &self.note)?;
        map.end()
    }
}

impl fmt::Display for Deviation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}`: {}", self.path, self.note)
    }
}

/// The kinds of [`Deviation`], and what the delivered value holds for each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum DeviationKind {
    /// `null` where the description promises a value. An optional field is `None`; a
    /// required one holds its type's zero value (see below).
    Null,
    /// A required property is absent, or the whole body (a success with an empty body where
    /// one was promised). The field (or the body) is its type's zero value (`None` for a
    /// nullable field).
    Missing,
    /// A value of another JSON type that reads as the promised one without loss, read so:
    /// `"5"` as 5, `5` as `"5"`, `"true"` as `true`, a single value as a list of one, an
    /// object or a list as its JSON text where a string was promised.
    Type,
    /// `null` items in a list whose items cannot be null: the list is delivered without them.
    NullItems,
    /// A value that cannot be read as the promised type: the field holds its type's zero
    /// value, and [`Deviation::found`] the value as it arrived.
    Unreadable,
    /// A string the description's `enum` does not list: kept in the enum's `Unknown` variant,
    /// as always. (A union's tag it does not know is not a deviation: the record still
    /// matched a variant's schema; it lands in the union's fallback variant.)
    UnknownValue,
    /// The response's `Content-Type` is not the documented one (JSON where text was
    /// documented, or the reverse): the body was read by what arrived.
    ContentType,
}

/// What the check and recover passes of the generated decoders do (see the module docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// Decode as serde always has: no deviations noticed, none recorded.
    Plain,
    /// Fail at the first deviation, including those `Plain` lets through (`null` for an
    /// optional field that is not nullable, an unknown enum value, an integer as a string).
    Check,
    /// Record each deviation and read past it.
    Recover,
}

thread_local! {
    static MODE: Cell<Mode> = const { Cell::new(Mode::Plain) };
    static RECOVERY: RefCell<Recovery> = const { RefCell::new(Recovery::new()) };
}

/// The state of a recover pass.
struct Recovery {
    /// The JSON path of the value being read, one segment (`.name`, `[*]`) per level.
    path: Vec<String>,
    deviations: Vec<Deviation>,
    /// Above zero while a zero value is made: what it reads is not the server's.
    quiet: u32,
}

impl Recovery {
    const fn new() -> Self {
        Recovery {
            path: Vec::new(),
            deviations: Vec::new(),
            quiet: 0,
        }
    }
}

/// The current mode.
pub(crate) fn mode() -> Mode {
    MODE.with(Cell::get)
}

/// Runs `f` in `mode`, restoring the previous mode afterwards (even if `f` panics).
pub(crate) fn with_mode<R>(mode: Mode, f: impl FnOnce() -> R) -> R {
    struct Restore(Mode);
    impl Drop for Restore {
        fn drop(&mut self) {
            MODE.with(|m| m.set(self.0));
        }
    }
    let _restore = Restore(MODE.with(|m| m.replace(mode)));
    f()
}

fn recovery<R>(f: impl FnOnce(&mut Recovery) -> R) -> R {
    RECOVERY.with(|r| f(&mut r.borrow_mut()))
}

/// Records a deviation at the current path followed by `segment` (empty for the current
/// value itself), unless a zero value is being made.
pub(crate) fn record(segment: &str, kind: DeviationKind, found: Option<Value>, note: String) {
    recovery(|r| {
        if r.quiet > 0 {
            return;
        }
        let mut path = r.path.concat();
        path.push_str(segment);
        r.deviations.push(Deviation {
            path,
            kind,
            found: found.map(trimmed),
            note,
        });
    });
}

/// A value kept in a deviation: whole when small, else the start of its JSON text.
fn trimmed(value: Value) -> Value {
    const LIMIT: usize = 512;
    match &value {
        Value::Array(_) | Value::Object(_) => {
            let text = value.to_string();
            if text.len() <= LIMIT {
                value
            } else {
                let cut = (0..=LIMIT)
                    .rev()
                    .find(|&i| text.is_char_boundary(i))
                    .unwrap_or(0);
                Value::String(format!("{}… ({} bytes of JSON)", &text[..cut], text.len()))
            }
        }
        _ => value,
    }
}

/// The number of deviations recorded so far, to roll back to.
fn checkpoint() -> usize {
    recovery(|r| r.deviations.len())
}

fn rollback(to: usize) {
    recovery(|r| r.deviations.truncate(to));
}

fn take_since(from: usize) -> Vec<Deviation> {
    recovery(|r| r.deviations.split_off(from))
}

fn restore(deviations: Vec<Deviation>) {
    recovery(|r| r.deviations.extend(deviations));
}

/// Runs `f` with `segment` added to the path.
fn at<R>(segment: String, f: impl FnOnce() -> R) -> R {
    recovery(|r| r.path.push(segment));
    let result = f();
    recovery(|r| {
        r.path.pop();
    });
    result
}

/// Whether a zero value is being made (nothing read is the server's).
pub(crate) fn is_quiet() -> bool {
    recovery(|r| r.quiet > 0)
}

/// A body that could not be delivered.
#[derive(Debug)]
pub(crate) struct Failure {
    /// The JSON path of the value that failed (`$.results[3].id`; `$` for the body).
    pub(crate) path: String,
    pub(crate) message: String,
    pub(crate) deviations: Vec<Deviation>,
}

/// Decodes a JSON body as `T` by `decoding` (see the module docs): the value and the
/// deviations it was read past.
pub(crate) fn json<T: DeserializeOwned>(
    body: &[u8],
    decoding: Decoding,
) -> Result<(T, Vec<Deviation>), Failure> {
    if let Ok(value) = with_mode(Mode::Check, || serde_json::from_slice::<T>(body)) {
        return Ok((value, Vec::new()));
    }
    let (recovered, deviations) = recover::<T>(body);
    match recovered {
        Ok(value) if decoding == Decoding::Tolerant => Ok((value, deviations)),
        Ok(_) if !deviations.is_empty() => Err(Failure {
            path: deviations[0].path.clone(),
            message: summary(&deviations),
            deviations,
        }),
        // The body cannot be delivered (or, strict, the check failed on something the
        // recover pass did not count as a deviation): the check's own error, with its path.
        _ => Err(checked_failure::<T>(body, deviations)),
    }
}

/// Reads `body` as `T` in recover mode: the value (or the error that stopped it) and the
/// deviations recorded.
fn recover<T: DeserializeOwned>(body: &[u8]) -> (Result<T, serde_json::Error>, Vec<Deviation>) {
    let start = recovery(|r| {
        r.path.clear();
        r.quiet = 0;
        r.deviations.len()
    });
    let result = with_mode(Mode::Recover, || {
        match serde_json::from_slice::<Value>(body) {
            // The body itself is never replaced by a zero value: one that cannot be read is an
            // error, not an empty object.
            Ok(value) => at("$".to_owned(), || read::<T>(value, Fallback::None)),
            Err(e) => Err(e),
        }
    });
    (result, take_since(start))
}

/// The check pass's error, with the JSON path `serde_path_to_error` tracks (decoded once
/// more, on this failing path only).
fn checked_failure<T: DeserializeOwned>(body: &[u8], deviations: Vec<Deviation>) -> Failure {
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let decoded: Result<T, _> = with_mode(Mode::Check, || {
        serde_path_to_error::deserialize(&mut deserializer)
    });
    let (path, message) = match decoded {
        Ok(_) => match deserializer.end() {
            Ok(()) => (
                "$".to_owned(),
                "the body does not match its description".to_owned(),
            ),
            Err(e) => ("$".to_owned(), e.to_string()),
        },
        Err(e) => (dollar_path(&e.path().to_string()), e.inner().to_string()),
    };
    Failure {
        path,
        message,
        deviations,
    }
}

/// A path as `serde_path_to_error` writes it (`results[3].id`, `.` for the root) in the
/// deviations' form (`$.results[3].id`, `$`).
pub(crate) fn dollar_path(path: &str) -> String {
    match path {
        "." | "" => "$".to_owned(),
        _ if path.starts_with('[') => format!("${path}"),
        _ => format!("$.{path}"),
    }
}

/// One line naming every deviation, for a strict client's error.
fn summary(deviations: &[Deviation]) -> String {
    let mut text = format!(
        "{} deviation{} from the API description: ",
        deviations.len(),
        if deviations.len() == 1 { "" } else { "s" }
    );
    for (i, deviation) in deviations.iter().enumerate() {
        if i > 0 {
            text.push_str("; ");
        }
        if i == 8 {
            text.push_str(&format!("and {} more", deviations.len() - 8));
            break;
        }
        // What was seen, without how a tolerant client would have read it.
        let seen = deviation.note.split("; ").next().unwrap_or(&deviation.note);
        text.push_str(&format!("`{}`: {seen}", deviation.path));
    }
    text
}

/// What a value that cannot be read is replaced by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fallback {
    /// Nothing: the read fails (the body itself).
    None,
    /// The type's zero value (a property).
    Zero,
}

/// Reads `value` as `T` in recover mode, at the current path: as it is, else by a lossless
/// reading of it, else (recording it unreadable) as `fallback` says. An error when that is
/// none, or `T` has no zero value.
pub(crate) fn read<T: DeserializeOwned>(
    value: Value,
    fallback: Fallback,
) -> Result<T, serde_json::Error> {
    let zero_or = |error: serde_json::Error| match fallback {
        Fallback::Zero => zero::<T>().ok_or(error),
        Fallback::None => Err(error),
    };
    let first = match attempt::<T>(&value) {
        Ok(read) => return Ok(read),
        Err(e) => e,
    };
    if value.is_null() {
        if fallback == Fallback::None {
            return Err(first);
        }
        record("", DeviationKind::Null, Some(Value::Null), null_note::<T>());
        return zero_or(first);
    }
    // A list with `null` items that its items cannot be.
    if let Value::Array(items) = &value {
        if items.iter().any(Value::is_null) {
            let kept: Vec<Value> = items.iter().filter(|v| !v.is_null()).cloned().collect();
            let dropped = items.len() - kept.len();
            if let Ok(read) = attempt::<T>(&Value::Array(kept)) {
                record(
                    "",
                    DeviationKind::NullItems,
                    None,
                    format!(
                        "{dropped} null item(s) in a list whose items cannot be null; left out"
                    ),
                );
                return Ok(read);
            }
        }
    }
    for (candidate, how) in lossless_readings(&value) {
        if let Ok(read) = attempt::<T>(&candidate) {
            let note = format!(
                "{} where {} was promised; read as {how}",
                json_type(&value),
                expected::<T>()
            );
            record("", DeviationKind::Type, Some(value), note);
            return Ok(read);
        }
    }
    let note = format!(
        "{} that could not be read as {} ({first}); delivered as its zero value",
        json_type(&value),
        expected::<T>()
    );
    if fallback == Fallback::None {
        return Err(first);
    }
    record("", DeviationKind::Unreadable, Some(value), note);
    zero_or(first)
}

/// Decodes `value` as `T` at the current path, keeping the deviations recorded inside only
/// if it succeeds. The value is written out and read back through the same decoder as the
/// body (`serde_json`'s slice reader), so that the recover pass adds no second copy of every
/// type's decoder to the client's binary.
fn attempt<T: DeserializeOwned>(value: &Value) -> Result<T, serde_json::Error> {
    let mark = checkpoint();
    let at_list = value.is_array();
    let bytes = serde_json::to_vec(value)?;
    let result = if at_list {
        at("[*]".to_owned(), || serde_json::from_slice::<T>(&bytes))
    } else {
        serde_json::from_slice::<T>(&bytes)
    };
    if result.is_err() {
        rollback(mark);
    }
    result
}

/// Other spellings of `value` that mean the same, each with how it reads.
fn lossless_readings(value: &Value) -> Vec<(Value, &'static str)> {
    let mut out = Vec::new();
    match value {
        Value::String(text) => {
            let trimmed = text.trim();
            if let Ok(number) = trimmed.parse::<serde_json::Number>() {
                out.push((Value::Number(number), "a number"));
            }
            match trimmed {
                "true" => out.push((Value::Bool(true), "a boolean")),
                "false" => out.push((Value::Bool(false), "a boolean")),
                _ => {}
            }
        }
        Value::Number(number) => out.push((Value::String(number.to_string()), "a string")),
        Value::Bool(flag) => out.push((Value::String(flag.to_string()), "a string")),
        Value::Array(_) | Value::Object(_) | Value::Null => {}
    }
    if !value.is_array() && !value.is_null() {
        out.push((Value::Array(vec![value.clone()]), "a list of one"));
    }
    if value.is_array() || value.is_object() {
        out.push((Value::String(value.to_string()), "its JSON text"));
    }
    out
}

/// A value's JSON type, in words.
fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// The promised type, in words, for notes.
pub(crate) fn expected<T>() -> String {
    let name = std::any::type_name::<T>();
    let short = |full: &str| -> String {
        // `alloc::vec::Vec<crate::models::User>` -> `Vec<User>`.
        let mut out = String::new();
        let mut word = String::new();
        for c in full.chars() {
            if c.is_alphanumeric() || c == '_' || c == ':' {
                word.push(c);
            } else {
                out.push_str(word.rsplit("::").next().unwrap_or(""));
                word.clear();
                out.push(c);
            }
        }
        out.push_str(word.rsplit("::").next().unwrap_or(""));
        out
    };
    format!("`{}`", short(name))
}

fn null_note<T>() -> String {
    format!(
        "null where {} was promised; delivered as its zero value",
        expected::<T>()
    )
}

/// `T`'s zero value: the first of `null` (`None`), `""`, `0`, `false`, `[]`, `{}` (a struct
/// of zero values), the Unix epoch (a date-time, a date), the nil UUID or midnight that
/// decodes as `T`. `None` when none does (a tuple, a union with no such variant); a
/// recursive struct is given up after a few levels.
pub(crate) fn zero<T: DeserializeOwned>() -> Option<T> {
    const CANDIDATES: &[&[u8]] = &[
        b"null",
        b"\"\"",
        b"0",
        b"false",
        b"[]",
        b"{}",
        b"\"1970-01-01T00:00:00Z\"",
        b"\"1970-01-01\"",
        b"\"00000000-0000-0000-0000-000000000000\"",
        b"\"00:00:00\"",
    ];
    const MAX_DEPTH: u32 = 8;
    let depth = recovery(|r| {
        r.quiet += 1;
        r.quiet
    });
    let made = if depth > MAX_DEPTH {
        None
    } else {
        CANDIDATES.iter().find_map(|candidate| {
            with_mode(Mode::Recover, || {
                serde_json::from_slice::<T>(candidate).ok()
            })
        })
    };
    recovery(|r| r.quiet -= 1);
    made
}

/// Reads the value of the current property of a generated decoder in recover mode: the
/// property's segment is added to the path while it is read.
pub(crate) fn read_property<T: DeserializeOwned>(
    name: &str,
    value: Value,
) -> Result<T, serde_json::Error> {
    at(segment(name), || read::<T>(value, Fallback::Zero))
}

/// The path segment of a property: `.name`, or `["odd name"]` for names that are not plain.
pub(crate) fn segment(name: &str) -> String {
    let plain = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '$' || c == '@');
    if plain {
        format!(".{name}")
    } else {
        format!("[{}]", Value::String(name.to_owned()))
    }
}

/// One variant of an untagged union, read from a JSON value.
pub(crate) type Attempt<T> = fn(&Value) -> Result<T, serde_json::Error>;

/// Chooses among a union's variants in recover mode: the first that reads exactly, else the
/// one read with the fewest deviations (the first of equals), whose deviations are kept.
pub(crate) fn best_variant<T>(value: &Value, attempts: &[Attempt<T>]) -> Option<T> {
    let exact = with_mode(Mode::Check, || attempts.iter().find_map(|a| a(value).ok()));
    if exact.is_some() {
        return exact;
    }
    let mut best: Option<(T, Vec<Deviation>)> = None;
    for attempt in attempts {
        let mark = checkpoint();
        let result = attempt(value);
        let deviations = take_since(mark);
        if let Ok(read) = result {
            if best
                .as_ref()
                .is_none_or(|(_, b)| deviations.len() < b.len())
            {
                best = Some((read, deviations));
            }
        }
    }
    best.map(|(read, deviations)| {
        restore(deviations);
        read
    })
}

/// An empty body where `T` was promised, recorded at the root.
pub(crate) fn empty_body_deviation<T>() -> Deviation {
    Deviation {
        path: "$".to_owned(),
        kind: DeviationKind::Missing,
        found: None,
        note: format!(
            "the body is empty where {} was promised; delivered as its zero value",
            expected::<T>()
        ),
    }
}

/// A body whose `Content-Type` is not the documented one, recorded at the root.
pub(crate) fn content_type_deviation(documented: &str, received: &str) -> Deviation {
    Deviation {
        path: "$".to_owned(),
        kind: DeviationKind::ContentType,
        found: Some(Value::String(received.to_owned())),
        note: format!(
            "the body is `{received}` where `{documented}` was documented; read as `{received}`"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, PartialEq)]
    struct Numbers(Vec<i64>);

    impl<'de> Deserialize<'de> for Numbers {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            Vec::<i64>::deserialize(d).map(Numbers)
        }
    }

    #[test]
    fn a_matching_body_has_no_deviations() {
        let (value, deviations) = json::<Vec<i64>>(b"[1, 2]", Decoding::Tolerant).unwrap();
        assert_eq!(value, [1, 2]);
        assert!(deviations.is_empty());
    }

    #[test]
    fn null_items_are_left_out_and_recorded() {
        let (value, deviations) = json::<Numbers>(b"[1, null, 2]", Decoding::Tolerant).unwrap();
        assert_eq!(value, Numbers(vec![1, 2]));
        assert_eq!(deviations.len(), 1);
        assert_eq!(deviations[0].kind, DeviationKind::NullItems);
        assert_eq!(deviations[0].path, "$");
        let error = json::<Numbers>(b"[1, null, 2]", Decoding::Strict).unwrap_err();
        assert_eq!(error.deviations.len(), 1);
        assert!(error.message.contains("1 deviation"), "{}", error.message);
    }

    #[test]
    fn scalars_of_another_type_are_read_without_loss() {
        let (value, deviations) = json::<i64>(b"\"42\"", Decoding::Tolerant).unwrap();
        assert_eq!(value, 42);
        assert_eq!(deviations[0].kind, DeviationKind::Type);
        let (value, _) = json::<String>(b"7", Decoding::Tolerant).unwrap();
        assert_eq!(value, "7");
        let (value, _) = json::<Vec<String>>(b"\"one\"", Decoding::Tolerant).unwrap();
        assert_eq!(value, ["one"]);
        let (value, deviations) = json::<String>(br#"{"a": 1}"#, Decoding::Tolerant).unwrap();
        assert_eq!(value, r#"{"a":1}"#);
        assert_eq!(
            deviations[0].note,
            "an object where `String` was promised; read as its JSON text"
        );
    }

    #[test]
    fn zero_values() {
        assert_eq!(zero::<String>(), Some(String::new()));
        assert_eq!(zero::<i64>(), Some(0));
        assert_eq!(zero::<bool>(), Some(false));
        assert_eq!(zero::<Option<i64>>(), Some(None));
        assert_eq!(zero::<Vec<u8>>(), Some(Vec::new()));
        assert_eq!(zero::<Shaped<8>>(), Some(Shaped("00:00:00".into())));
        assert_eq!(zero::<Shaped<10>>(), Some(Shaped("1970-01-01".into())));
        assert_eq!(zero::<Shaped<36>>(), Some(Shaped(NIL.into())));
        assert_eq!(zero::<(i64, String)>(), None);
    }

    const NIL: &str = "00000000-0000-0000-0000-000000000000";

    /// A string of exactly `N` characters that is not empty, standing in for the UUIDs, dates
    /// and times of a crate's models: the runtime travels with crates that use neither `uuid`
    /// nor `chrono` (PostHog's `tests/deviations.rs` decodes the real types).
    #[derive(Debug, PartialEq)]
    struct Shaped<const N: usize>(String);

    impl<'de, const N: usize> serde::Deserialize<'de> for Shaped<N> {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            let text = String::deserialize(d)?;
            if text.chars().count() == N
                && text.chars().all(|c| c.is_ascii_digit() || "-:".contains(c))
            {
                Ok(Shaped(text))
            } else {
                Err(serde::de::Error::custom(format!(
                    "not {N} digits: {text:?}"
                )))
            }
        }
    }

    /// A property that cannot be read is its zero value (see `tests/deviations.rs`); the
    /// body itself is never replaced by one.
    #[test]
    fn an_unreadable_body_is_an_error() {
        let failure = json::<Shaped<36>>(b"\"not a uuid\"", Decoding::Tolerant).unwrap_err();
        assert_eq!(failure.path, "$");
        let failure = json::<Vec<Shaped<36>>>(b"null", Decoding::Tolerant).unwrap_err();
        assert_eq!(failure.path, "$");
    }

    #[test]
    fn a_body_that_is_not_json_fails_with_its_position() {
        let failure = json::<i64>(b"<html>", Decoding::Tolerant).unwrap_err();
        assert!(
            failure.message.contains("expected value"),
            "{}",
            failure.message
        );
    }

    #[test]
    fn plain_mode_is_the_default_outside_a_decode() {
        assert_eq!(mode(), Mode::Plain);
        with_mode(Mode::Check, || assert_eq!(mode(), Mode::Check));
        assert_eq!(mode(), Mode::Plain);
    }
}
