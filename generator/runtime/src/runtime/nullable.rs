//! `Nullable<T>`: a field that may be absent, `null`, or a value, keeping the difference.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A field that may be left out, set to `null`, or set to a value.
///
/// In an update (`PATCH`) body, [`Nullable::Absent`] leaves the server's value unchanged,
/// [`Nullable::Null`] clears it and [`Nullable::Value`] sets it. In a response it tells apart
/// a field the server left out from one it sent as `null`.
///
/// `Some(value).into()` and `value.into()` give [`Nullable::Value`]; `None.into()` gives
/// [`Nullable::Null`]; `Nullable::default()` is [`Nullable::Absent`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Nullable<T> {
    /// Left out: in a request, the server keeps its value.
    #[default]
    Absent,
    /// `null`: in a request, the server clears its value.
    Null,
    /// A value.
    Value(T),
}

impl<T> Nullable<T> {
    /// Whether the field is left out.
    pub fn is_absent(&self) -> bool {
        matches!(self, Nullable::Absent)
    }

    /// Whether the field is `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Nullable::Null)
    }

    /// The value, if there is one.
    pub fn as_option(&self) -> Option<&T> {
        match self {
            Nullable::Value(value) => Some(value),
            Nullable::Absent | Nullable::Null => None,
        }
    }

    /// The value, if there is one.
    pub fn into_option(self) -> Option<T> {
        match self {
            Nullable::Value(value) => Some(value),
            Nullable::Absent | Nullable::Null => None,
        }
    }

    /// Applies a function to the value, keeping absence and null as they are.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Nullable<U> {
        match self {
            Nullable::Absent => Nullable::Absent,
            Nullable::Null => Nullable::Null,
            Nullable::Value(value) => Nullable::Value(f(value)),
        }
    }
}

impl<T> From<T> for Nullable<T> {
    fn from(value: T) -> Self {
        Nullable::Value(value)
    }
}

impl<T> From<Option<T>> for Nullable<T> {
    /// `None` becomes `null`.
    fn from(value: Option<T>) -> Self {
        match value {
            Some(value) => Nullable::Value(value),
            None => Nullable::Null,
        }
    }
}

/// A text value, from a string slice: `PatchedX::new().title("Weekly")`.
impl From<&str> for Nullable<String> {
    fn from(value: &str) -> Self {
        Nullable::Value(value.to_owned())
    }
}

/// A text value or `null`, from an optional string slice.
impl From<Option<&str>> for Nullable<String> {
    /// `None` becomes `null`.
    fn from(value: Option<&str>) -> Self {
        match value {
            Some(value) => Nullable::Value(value.to_owned()),
            None => Nullable::Null,
        }
    }
}

impl<T: Serialize> Serialize for Nullable<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            // Struct fields skip `Absent` (`skip_serializing_if`); elsewhere it can only be null.
            Nullable::Absent | Nullable::Null => serializer.serialize_none(),
            Nullable::Value(value) => serializer.serialize_some(value),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Nullable<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // A missing field never reaches here: `#[serde(default)]` makes it `Absent`.
        Ok(Option::<T>::deserialize(deserializer)?.into())
    }
}

#[cfg(test)]
mod tests {
    use super::Nullable;

    #[derive(serde::Serialize, serde::Deserialize, Debug, PartialEq)]
    struct Patch {
        #[serde(default, skip_serializing_if = "Nullable::is_absent")]
        title: Nullable<String>,
    }

    #[test]
    fn text_setters_take_string_slices() {
        let title: Nullable<String> = "Weekly".into();
        assert_eq!(title, Nullable::Value("Weekly".to_owned()));
        let cleared: Nullable<String> = None::<&str>.into();
        assert_eq!(cleared, Nullable::Null);
    }

    #[test]
    fn keeps_absent_null_and_value_apart() {
        for (json, value) in [
            ("{}", Nullable::Absent),
            (r#"{"title":null}"#, Nullable::Null),
            (
                r#"{"title":"weekly"}"#,
                Nullable::Value("weekly".to_owned()),
            ),
        ] {
            let decoded: Patch = serde_json::from_str(json).unwrap();
            assert_eq!(decoded.title, value);
            assert_eq!(serde_json::to_string(&decoded).unwrap(), json);
        }
        let cleared: Nullable<u8> = None.into();
        assert_eq!(cleared, Nullable::Null);
        let set: Nullable<u8> = Some(1).into();
        assert_eq!(set.into_option(), Some(1));
    }
}
