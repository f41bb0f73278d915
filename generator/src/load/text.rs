//! Document text (YAML or JSON) into a JSON value, for the stages that rewrite documents before
//! the typed parse: bundling, overlays and the conversion of other versions.
//!
//! YAML is read with a visitor of our own rather than through `serde_yaml::Value`, so that what
//! JSON has no room for still loads: integers beyond 64 bits (kept as the nearest float, with a
//! note, as `serde_json` does for JSON text), mapping keys that are numbers or booleans (`200:`
//! under `responses`), tagged values, and merge keys (`<<: *defaults`).

use crate::error::{escape_segment, Error};
use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};
use std::cell::RefCell;
use std::fmt;

/// How much of a document an error message may quote.
pub const EXCERPT_CHARS: usize = 80;

/// At most [`EXCERPT_CHARS`] characters of `text`, on one line, with `…` when cut.
pub fn excerpt(text: &str) -> String {
    let one_line: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let trimmed = one_line.trim();
    if trimmed.chars().count() <= EXCERPT_CHARS {
        trimmed.to_owned()
    } else {
        let cut: String = trimmed.chars().take(EXCERPT_CHARS).collect();
        format!("{cut}…")
    }
}

/// Whether the text is JSON (its first character opens an object).
pub fn is_json(text: &str) -> bool {
    text.trim_start_matches('\u{feff}')
        .trim_start()
        .starts_with('{')
}

/// Parses YAML or JSON text into a value. Returns the value and notes (pointer, message) about
/// values that had to be approximated.
pub fn to_value(text: &str) -> Result<(Value, Vec<(String, String)>), Error> {
    let text = text.trim_start_matches('\u{feff}');
    let notes = RefCell::new(Vec::new());
    if is_json(text) {
        // Through the same visitor as YAML, so that a key given twice is reported, not
        // silently replaced.
        let mut de = serde_json::Deserializer::from_str(text);
        let value = AnyValue {
            pointer: String::from("#"),
            notes: &notes,
        }
        .deserialize(&mut de)
        .and_then(|v| de.end().map(|()| v))
        .map_err(|e| {
            Error::new(
                "#",
                format!("invalid JSON: {}", short_message(&e.to_string())),
            )
        })?;
        return Ok((value, notes.into_inner()));
    }
    let de = serde_yaml::Deserializer::from_str(text);
    let value = AnyValue {
        pointer: String::from("#"),
        notes: &notes,
    }
    .deserialize(de)
    .map_err(|e| {
        Error::new(
            "#",
            format!("invalid YAML: {}", short_message(&e.to_string())),
        )
    })?;
    if value.is_null() && text.trim().is_empty() {
        return Err(Error::new("#", "the document is empty"));
    }
    Ok((value, notes.into_inner()))
}

/// Keys given more than once in a mapping (pointer of the mapping, message), for text that is
/// parsed straight into the typed model, where the last of them would silently win. Text that
/// does not parse gives none: the typed parse reports it.
pub fn duplicate_keys(text: &str) -> Vec<(String, String)> {
    let text = text.trim_start_matches('\u{feff}');
    let notes = RefCell::new(Vec::new());
    let root = Frame {
        parent: None,
        segment: Segment::Root,
    };
    let seed = KeysOnly {
        frame: &root,
        notes: &notes,
    };
    let _ = if is_json(text) {
        seed.deserialize(&mut serde_json::Deserializer::from_str(text))
            .map_err(|e| e.to_string())
    } else {
        seed.deserialize(serde_yaml::Deserializer::from_str(text))
            .map_err(|e| e.to_string())
    };
    notes.into_inner()
}

/// Where the walk is: a chain of segments up to the root, written out as a pointer only when
/// a note needs it (most of a document is never reported on).
struct Frame<'a> {
    parent: Option<&'a Frame<'a>>,
    segment: Segment<'a>,
}

enum Segment<'a> {
    Root,
    Key(&'a str),
    Index(usize),
}

impl Frame<'_> {
    fn pointer(&self) -> String {
        let mut segments = Vec::new();
        let mut frame = Some(self);
        while let Some(f) = frame {
            match &f.segment {
                Segment::Root => {}
                Segment::Key(key) => segments.push(escape_segment(key)),
                Segment::Index(i) => segments.push(i.to_string()),
            }
            frame = f.parent;
        }
        segments.reverse();
        let mut out = String::from("#");
        for segment in segments {
            out.push('/');
            out.push_str(&segment);
        }
        out
    }
}

/// Walks a document keeping nothing but each mapping's keys, to find repeated ones.
struct KeysOnly<'a, 'n> {
    frame: &'a Frame<'a>,
    notes: &'n RefCell<Vec<(String, String)>>,
}

impl<'de> DeserializeSeed<'de> for KeysOnly<'_, '_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for KeysOnly<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any value")
    }
    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_i128<E>(self, _: i128) -> Result<(), E> {
        Ok(())
    }
    fn visit_u128<E>(self, _: u128) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_none<E>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_some<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        self.deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut i = 0;
        loop {
            let frame = Frame {
                parent: Some(self.frame),
                segment: Segment::Index(i),
            };
            let seed = KeysOnly {
                frame: &frame,
                notes: self.notes,
            };
            if seq.next_element_seed(seed)?.is_none() {
                return Ok(());
            }
            i += 1;
        }
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        // Keys are borrowed from the text where the parser can: this pass must cost little
        // beside the typed parse.
        let mut seen: Vec<std::borrow::Cow<'de, str>> = Vec::new();
        while let Some(key) = map.next_key_seed(BorrowedKey)? {
            {
                let frame = Frame {
                    parent: Some(self.frame),
                    segment: Segment::Key(&key),
                };
                map.next_value_seed(KeysOnly {
                    frame: &frame,
                    notes: self.notes,
                })?;
            }
            if key != "<<" {
                if seen.contains(&key) {
                    self.notes
                        .borrow_mut()
                        .push((self.frame.pointer(), repeated_key(&key)));
                } else {
                    seen.push(key);
                }
            }
        }
        Ok(())
    }
    fn visit_enum<A: de::EnumAccess<'de>>(self, data: A) -> Result<(), A::Error> {
        use de::VariantAccess;
        let (_tag, variant): (de::IgnoredAny, _) = data.variant()?;
        variant.newtype_variant_seed(self)
    }
}

/// A mapping key, borrowed from the text where it can be.
struct BorrowedKey;

impl<'de> DeserializeSeed<'de> for BorrowedKey {
    type Value = std::borrow::Cow<'de, str>;
    fn deserialize<D: de::Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for BorrowedKey {
    type Value = std::borrow::Cow<'de, str>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a mapping key")
    }
    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(std::borrow::Cow::Borrowed(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(std::borrow::Cow::Owned(v.to_owned()))
    }
    fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
        Ok(std::borrow::Cow::Owned(v.to_string()))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
        Ok(std::borrow::Cow::Owned(v.to_string()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
        Ok(std::borrow::Cow::Owned(v.to_string()))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
        Ok(std::borrow::Cow::Owned(v.to_string()))
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(std::borrow::Cow::Borrowed("null"))
    }
}

/// The note for a key given twice in one mapping.
fn repeated_key(key: &str) -> String {
    format!(
        "the key `{}` is given more than once here; the last one is used",
        excerpt(key)
    )
}

/// A parser message, cut to a readable length (parsers sometimes quote whole values).
fn short_message(message: &str) -> String {
    if message.chars().count() <= 200 {
        return message.to_owned();
    }
    let cut: String = message.chars().take(200).collect();
    format!("{cut}…")
}

/// Deserialises any YAML value into a JSON value, tracking the pointer for notes.
struct AnyValue<'n> {
    pointer: String,
    notes: &'n RefCell<Vec<(String, String)>>,
}

impl AnyValue<'_> {
    fn wide_integer(&self, text: String, value: f64) -> Value {
        self.notes.borrow_mut().push((
            self.pointer.clone(),
            format!(
                "the integer {} does not fit in 64 bits; read as the number {value:e}",
                excerpt(&text)
            ),
        ));
        Number::from_f64(value).map_or(Value::String(text), Value::Number)
    }
}

impl<'de> DeserializeSeed<'de> for AnyValue<'_> {
    type Value = Value;
    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for AnyValue<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }
    fn visit_i128<E>(self, v: i128) -> Result<Value, E> {
        Ok(match i64::try_from(v) {
            Ok(small) => Value::Number(small.into()),
            Err(_) => self.wide_integer(v.to_string(), v as f64),
        })
    }
    fn visit_u128<E>(self, v: u128) -> Result<Value, E> {
        Ok(match u64::try_from(v) {
            Ok(small) => Value::Number(small.into()),
            Err(_) => self.wide_integer(v.to_string(), v as f64),
        })
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        // JSON has no NaN or infinity: such a value is kept as its YAML spelling.
        Ok(Number::from_f64(v).map_or_else(|| Value::String(v.to_string()), Value::Number))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        self.deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::new();
        loop {
            let seed = AnyValue {
                pointer: format!("{}/{}", self.pointer, out.len()),
                notes: self.notes,
            };
            match seq.next_element_seed(seed)? {
                Some(v) => out.push(v),
                None => break,
            }
        }
        Ok(Value::Array(out))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        let mut merges = Vec::new();
        while let Some(key) = map.next_key_seed(KeyString)? {
            let seed = AnyValue {
                pointer: format!("{}/{}", self.pointer, escape_segment(&key)),
                notes: self.notes,
            };
            let value = map.next_value_seed(seed)?;
            if key == "<<" {
                merges.push(value);
            } else {
                if out.contains_key(&key) {
                    self.notes
                        .borrow_mut()
                        .push((self.pointer.clone(), repeated_key(&key)));
                }
                out.insert(key, value);
            }
        }
        // YAML merge keys: the merged mappings' entries, unless the mapping has its own.
        for merged in merges {
            let sources = match merged {
                Value::Array(list) => list,
                other => vec![other],
            };
            for source in sources {
                if let Value::Object(entries) = source {
                    for (k, v) in entries {
                        out.entry(k).or_insert(v);
                    }
                }
            }
        }
        Ok(Value::Object(out))
    }
    fn visit_enum<A: de::EnumAccess<'de>>(self, data: A) -> Result<Value, A::Error> {
        // A tagged value (`!Ref x`): the tag is dropped and the value kept.
        use de::VariantAccess;
        let (_tag, variant): (de::IgnoredAny, _) = data.variant()?;
        variant.newtype_variant_seed(self)
    }
}

/// A mapping key of any scalar kind, as a string.
struct KeyString;

impl<'de> DeserializeSeed<'de> for KeyString {
    type Value = String;
    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<String, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for KeyString {
    type Value = String;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a mapping key")
    }
    fn visit_bool<E>(self, v: bool) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_i64<E>(self, v: i64) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_u64<E>(self, v: u64) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_i128<E>(self, v: i128) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_u128<E>(self, v: u128) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_f64<E>(self, v: f64) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_str<E>(self, v: &str) -> Result<String, E> {
        Ok(v.to_owned())
    }
    fn visit_string<E>(self, v: String) -> Result<String, E> {
        Ok(v)
    }
    fn visit_unit<E>(self) -> Result<String, E> {
        Ok("null".to_owned())
    }
    fn visit_none<E>(self) -> Result<String, E> {
        Ok("null".to_owned())
    }
    fn visit_some<D: de::Deserializer<'de>>(self, d: D) -> Result<String, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<String, A::Error> {
        Err(de::Error::custom("a list cannot be a mapping key"))
    }
    fn visit_map<A: MapAccess<'de>>(self, _: A) -> Result<String, A::Error> {
        Err(de::Error::custom("a mapping cannot be a mapping key"))
    }
    fn visit_enum<A: de::EnumAccess<'de>>(self, data: A) -> Result<String, A::Error> {
        use de::VariantAccess;
        let (_tag, variant): (de::IgnoredAny, _) = data.variant()?;
        variant.newtype_variant_seed(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A discriminator mapping that names a value twice (or any mapping with a repeated key)
    /// is reported where it is, in YAML and JSON, by both passes: the last value is used.
    #[test]
    fn keys_given_twice_are_reported() {
        let yaml =
            "d:\n  mapping:\n    tool_return: A\n    tool_return: B\n  list: [{a: 1, a: 2}]\n";
        let json = r#"{"d": {"mapping": {"tool_return": "A", "tool_return": "B"}, "list": [{"a": 1, "a": 2}]}}"#;
        for text in [yaml, json] {
            let expected = vec![
                (
                    "#/d/mapping".to_owned(),
                    "the key `tool_return` is given more than once here; the last one is used"
                        .to_owned(),
                ),
                (
                    "#/d/list/0".to_owned(),
                    "the key `a` is given more than once here; the last one is used".to_owned(),
                ),
            ];
            assert_eq!(duplicate_keys(text), expected, "{text}");
            let (value, notes) = to_value(text).unwrap();
            assert_eq!(notes, expected, "{text}");
            assert_eq!(value["d"]["mapping"]["tool_return"], "B");
        }
        assert!(duplicate_keys("a: 1\nb: {a: 1}\n").is_empty());
    }

    #[test]
    fn yaml_loads_what_json_cannot_hold() {
        let text = "a: 123456789012345678901234567890\nresponses:\n  200: ok\n  true: yes\nbase: &b {x: 1, y: 2}\nderived:\n  <<: *b\n  y: 3\ntagged: !Thing 5\n";
        let (value, notes) = to_value(text).unwrap();
        assert!(value["a"].as_f64().unwrap() > 1e29);
        assert_eq!(notes.len(), 1);
        assert_eq!(notes[0].0, "#/a");
        assert!(notes[0].1.contains("does not fit in 64 bits"), "{notes:?}");
        assert_eq!(value["responses"]["200"], "ok");
        assert_eq!(value["responses"]["true"], "yes");
        assert_eq!(value["derived"], serde_json::json!({"x": 1, "y": 3}));
        assert_eq!(value["tagged"], 5);
    }

    #[test]
    fn errors_are_short() {
        let long = format!("{{\"openapi\": \"3.1.0\", \"x\": [{}", "1,".repeat(5000));
        let err = to_value(&long).unwrap_err();
        assert!(err.message.len() < 300, "{err}");
        assert_eq!(excerpt(&"a".repeat(500)).chars().count(), EXCERPT_CHARS + 1);
    }
}
