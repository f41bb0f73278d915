//! Helpers the generated models name in `serde` attributes.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};

/// For `Option<serde_json::Value>` fields: a present `null` is `Some(Value::Null)`, so an
/// explicit null and a missing field stay different. (`Option`'s own `Deserialize` turns
/// `null` into `None`.)
pub fn present<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    T::deserialize(deserializer).map(Some)
}

/// The string value of a discriminator property.
pub fn tag<'v>(value: &'v serde_json::Value, property: &str) -> Option<&'v str> {
    value.get(property).and_then(serde_json::Value::as_str)
}

/// Decodes a value already read into JSON, reporting failures as the caller's error type.
pub fn from_value<T: DeserializeOwned, E: serde::de::Error>(
    value: serde_json::Value,
) -> Result<T, E> {
    serde_json::from_value(value).map_err(E::custom)
}
