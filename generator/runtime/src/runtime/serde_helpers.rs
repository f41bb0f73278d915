//! Helpers the generated models' encoders and decoders call.
//!
//! The struct reader (`record`) reads each property through [`next`] (or [`next_optional`],
//! [`next_lenient`]) and builds the value once every property is read, through [`fill`] and
//! [`absent`] when a required property is missing. What these do depends on the decoding mode (see
//! `runtime::decode`): as serde always has outside a client's decoding; failing at the first
//! deviation from the API description in a client's first pass; recording each deviation and
//! reading past it in its second.

use super::decode::{self, DeviationKind, Mode};
use serde::de::{DeserializeOwned, Error as _, MapAccess};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;
use std::collections::BTreeMap;

/// An object key as it is read: borrowed from the input where it can be. The models' decoders
/// (written out per struct rather than derived, which costs the compiler far less) match on it.
pub struct Key<'de>(std::borrow::Cow<'de, str>);

impl<'de> Key<'de> {
    /// The key's text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The key, owned.
    pub fn into_string(self) -> String {
        self.0.into_owned()
    }
}

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> serde::de::Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a property name")
            }

            fn visit_borrowed_str<E: serde::de::Error>(self, key: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(std::borrow::Cow::Borrowed(key)))
            }

            fn visit_str<E: serde::de::Error>(self, key: &str) -> Result<Key<'de>, E> {
                Ok(Key(std::borrow::Cow::Owned(key.to_owned())))
            }

            fn visit_string<E: serde::de::Error>(self, key: String) -> Result<Key<'de>, E> {
                Ok(Key(std::borrow::Cow::Owned(key)))
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

/// A value decoded leniently (see [`LenientInteger`]).
pub struct Lenient<T>(pub T);

impl<'de, T: LenientInteger<'de>> Deserialize<'de> for Lenient<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::deserialize_lenient(deserializer).map(Lenient)
    }
}

/// The position of a property's name among a struct's fields' names. The decoders match on
/// it rather than on the names themselves: a match on integers is one jump for the
/// compiler, a match on strings a comparison per arm.
pub fn field(names: &[&str], key: &str) -> Option<usize> {
    names.iter().position(|name| *name == key)
}

/// Reads the value of the current property `key` into a field's slot. The decoders call one
/// function per property rather than writing `map.next_value()?` out: a call per match arm
/// and one `?` per key costs the compiler far less than a `?` per arm.
pub fn next<'de, A: MapAccess<'de>, T: DeserializeOwned>(
    map: &mut A,
    slot: &mut Option<T>,
    key: &Key<'de>,
) -> Result<(), A::Error> {
    *slot = Some(if decode::mode() == Mode::Recover {
        let value: Value = map.next_value()?;
        decode::read_property(key.as_str(), value).map_err(A::Error::custom)?
    } else {
        map.next_value()?
    });
    Ok(())
}

/// [`next`] for an optional property that the description does not let be `null`: a `null`
/// is `None` as always, and a deviation to a client.
pub fn next_optional<'de, A: MapAccess<'de>, T: DeserializeOwned>(
    map: &mut A,
    slot: &mut Option<Option<T>>,
    key: &Key<'de>,
) -> Result<(), A::Error> {
    *slot = Some(match decode::mode() {
        Mode::Plain => map.next_value()?,
        Mode::Check => match map.next_value::<Option<T>>()? {
            Some(value) => Some(value),
            None => return Err(A::Error::custom(NULL_FOR_OPTIONAL)),
        },
        Mode::Recover => match map.next_value::<Value>()? {
            Value::Null => {
                decode::record(
                    &decode::segment(key.as_str()),
                    DeviationKind::Null,
                    Some(Value::Null),
                    format!("{NULL_FOR_OPTIONAL}; delivered as `None`"),
                );
                None
            }
            value => decode::read_property(key.as_str(), value).map_err(A::Error::custom)?,
        },
    });
    Ok(())
}

const NULL_FOR_OPTIONAL: &str = "null for an optional property that is not nullable";

/// [`next`] for integer fields, accepting the loose spellings of [`LenientInteger`]. An
/// integer written as a string is a deviation to a client (an integral float is not: JSON
/// Schema counts `5.0` as an integer).
pub fn next_lenient<'de, A: MapAccess<'de>, T: LenientInteger<'de> + DeserializeOwned>(
    map: &mut A,
    slot: &mut Option<T>,
    key: &Key<'de>,
) -> Result<(), A::Error> {
    *slot = Some(if decode::mode() == Mode::Recover {
        let value: Value = map.next_value()?;
        match T::deserialize_lenient(value.clone()) {
            Ok(read) => {
                if value.is_string() {
                    decode::record(
                        &decode::segment(key.as_str()),
                        DeviationKind::Type,
                        Some(value),
                        "an integer written as a string; read as a number".to_owned(),
                    );
                }
                read
            }
            Err(_) => decode::read_property(key.as_str(), value).map_err(A::Error::custom)?,
        }
    } else {
        map.next_value::<Lenient<T>>()?.0
    });
    Ok(())
}

/// Skips the value of a property the struct does not name.
pub fn skip<'de, A: MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    map.next_value::<serde::de::IgnoredAny>().map(drop)
}

/// Keeps the value of a property the struct does not name, in its additional properties.
pub fn keep<'de, A: MapAccess<'de>, V: Deserialize<'de>>(
    map: &mut A,
    key: Key<'de>,
    into: &mut BTreeMap<String, V>,
) -> Result<(), A::Error> {
    let value = map.next_value()?;
    into.insert(key.into_string(), value);
    Ok(())
}

/// A required field's slot when the object did not have its property: in a client's recover
/// pass, the type's zero value (recorded by [`absent`]); otherwise still nothing.
pub fn fill<T: DeserializeOwned>(slot: Option<T>) -> Option<T> {
    match slot {
        Some(value) => Some(value),
        None if decode::mode() == Mode::Recover => decode::zero::<T>(),
        None => None,
    }
}

/// Whether a struct whose required properties are marked `true` when missing is delivered:
/// when none is missing, or (see [`absent`]) in a client's recover pass.
pub fn complete(fields: &[(bool, &'static str)]) -> bool {
    !fields.iter().any(|(missing, _)| *missing) || absent(fields)
}

/// Whether a struct missing the required properties marked `true` is still delivered: only
/// in a client's recover pass, which records each as a deviation, and not when the object has
/// none of two or more required properties (it is then some other object, an error body
/// sent with a success status, say).
pub fn absent(fields: &[(bool, &'static str)]) -> bool {
    if decode::mode() != Mode::Recover {
        return false;
    }
    if decode::is_quiet() {
        return true;
    }
    let missing = fields.iter().filter(|(missing, _)| *missing).count();
    if fields.len() >= 2 && missing == fields.len() {
        return false;
    }
    for (is_missing, name) in fields {
        if *is_missing {
            decode::record(
                &decode::segment(name),
                DeviationKind::Missing,
                None,
                "a required property is absent; delivered as its zero value".to_owned(),
            );
        }
    }
    true
}

/// Serde's "missing field" error for the first of a struct's required fields that is
/// missing (`true`), given in the struct's order.
pub fn missing<E: serde::de::Error>(fields: &[(bool, &'static str)]) -> E {
    let name = fields
        .iter()
        .find_map(|&(missing, name)| missing.then_some(name))
        .unwrap_or("?");
    E::missing_field(name)
}

/// The string value of a discriminator property.
pub fn tag<'v>(value: &'v serde_json::Value, property: &str) -> Option<&'v str> {
    value.get(property).and_then(serde_json::Value::as_str)
}

/// Decodes an untagged union: the first of its variants (in the description's order) that
/// reads the value, or, in a client's recover pass, the one that reads it with the fewest
/// deviations. Each attempt decodes one variant from the value.
pub fn untagged<'de, D: Deserializer<'de>, T>(
    deserializer: D,
    name: &str,
    attempts: &[decode::Attempt<T>],
) -> Result<T, D::Error> {
    let value = Value::deserialize(deserializer)?;
    one_of(&value, name, attempts)
}

/// A variant of an untagged union with the properties its struct knows (`None`: it takes
/// any), for [`untagged_by_properties`].
pub type KnownProperties<T> = (Option<&'static [&'static str]>, decode::Attempt<T>);

/// Decodes an untagged union of structs: an object is tried first against the variants that
/// know the fewest of its properties not, then the most of them, then that know the fewest
/// properties in all (the closest fit), then in the description's order, so that a value carrying one variant's properties is not read as another
/// whose properties are all optional.
pub fn untagged_by_properties<'de, D: Deserializer<'de>, T>(
    deserializer: D,
    name: &str,
    variants: &[KnownProperties<T>],
) -> Result<T, D::Error> {
    let value = Value::deserialize(deserializer)?;
    let mut order: Vec<usize> = (0..variants.len()).collect();
    if let Value::Object(object) = &value {
        order.sort_by_key(|&i| match variants[i].0 {
            None => (0, usize::MAX, usize::MAX),
            Some(known) => {
                let matched = object
                    .keys()
                    .filter(|k| known.contains(&k.as_str()))
                    .count();
                (object.len() - matched, usize::MAX - matched, known.len())
            }
        });
    }
    let attempts: Vec<decode::Attempt<T>> = order.iter().map(|&i| variants[i].1).collect();
    one_of(&value, name, &attempts)
}

/// Like [`untagged`] for a value already read: the variants of a tagged union that share a
/// discriminator value (told apart by nothing else), or a value without the discriminator.
pub fn one_of<T, E: serde::de::Error>(
    value: &Value,
    name: &str,
    attempts: &[decode::Attempt<T>],
) -> Result<T, E> {
    first_of(value, attempts).ok_or_else(|| {
        E::custom(format_args!(
            "data did not match any variant of untagged enum {name}"
        ))
    })
}

/// The variant the first attempt that reads the value makes (see [`untagged`]), if any.
pub fn first_of<T>(value: &Value, attempts: &[decode::Attempt<T>]) -> Option<T> {
    match decode::mode() {
        Mode::Recover => decode::best_variant(value, attempts),
        Mode::Plain | Mode::Check => attempts.iter().find_map(|attempt| attempt(value).ok()),
    }
}

/// Encodes a union's variant with the constants that identify it (its discriminator value,
/// and the property that tells it from variants sharing that value), which the variant's own
/// type may leave out: a property it leaves optional, or one only the union declares. A value
/// the variant sets itself is kept.
pub fn with_constants<S: Serializer, T: Serialize>(
    serializer: S,
    variant: &T,
    constants: &[(&str, &str)],
) -> Result<S::Ok, S::Error> {
    let mut value = serde_json::to_value(variant).map_err(serde::ser::Error::custom)?;
    if let Value::Object(properties) = &mut value {
        for &(name, constant) in constants {
            let entry = properties.entry(name).or_insert(Value::Null);
            if entry.is_null() {
                *entry = Value::String(constant.to_owned());
            }
        }
    }
    value.serialize(serializer)
}

/// One variant of an untagged union, read from the value (see [`untagged`]).
pub fn variant<T: DeserializeOwned>(value: &Value) -> Result<T, serde_json::Error> {
    T::deserialize(value)
}

/// Decodes a value already read into JSON, reporting failures as the caller's error type.
pub fn from_value<T: DeserializeOwned, E: serde::de::Error>(
    value: serde_json::Value,
) -> Result<T, E> {
    serde_json::from_value(value).map_err(E::custom)
}

/// Types decoded leniently for integer fields: `i32`, `i64`, and `Option`/`Nullable` of them.
/// Each accepts an integer, an integral float (`5.0`, or an int64 that a JavaScript server
/// rounded to a double, such as `-9223372036854776000`) or a numeric string (`"5"`): the same
/// integer spelled loosely, so nothing is lost; anything else (a fraction, an out-of-range
/// value) is still an error.
pub trait LenientInteger<'de>: Sized {
    /// Decodes `Self`, accepting the loose spellings.
    fn deserialize_lenient<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error>;
}

struct IntegerVisitor<T>(std::marker::PhantomData<T>);

impl<T: TryFrom<i64>> serde::de::Visitor<'_> for IntegerVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "an integer that fits {}", std::any::type_name::<T>())
    }

    fn visit_i64<E: serde::de::Error>(self, value: i64) -> Result<T, E> {
        T::try_from(value)
            .map_err(|_| E::invalid_value(serde::de::Unexpected::Signed(value), &self))
    }

    fn visit_u64<E: serde::de::Error>(self, value: u64) -> Result<T, E> {
        let unexpected = || E::invalid_value(serde::de::Unexpected::Unsigned(value), &self);
        let value = i64::try_from(value).map_err(|_| unexpected())?;
        T::try_from(value).map_err(|_| unexpected())
    }

    fn visit_f64<E: serde::de::Error>(self, value: f64) -> Result<T, E> {
        // The range check is on doubles: i64::MIN is exactly -2^63, and 2^63 (just above
        // i64::MAX) is where rounding starts to matter.
        const TWO_POW_63: f64 = 9_223_372_036_854_775_808.0;
        let integral = value.fract() == 0.0 && (-TWO_POW_63..TWO_POW_63).contains(&value);
        if !integral {
            return Err(E::invalid_value(serde::de::Unexpected::Float(value), &self));
        }
        self.visit_i64(value as i64)
    }

    fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<T, E> {
        if decode::mode() == Mode::Check {
            return Err(E::custom("an integer written as a string"));
        }
        match value.trim().parse::<i64>() {
            Ok(parsed) => self.visit_i64(parsed),
            Err(_) => Err(E::invalid_value(serde::de::Unexpected::Str(value), &self)),
        }
    }
}

impl<'de> LenientInteger<'de> for i64 {
    fn deserialize_lenient<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(IntegerVisitor(std::marker::PhantomData))
    }
}

impl<'de> LenientInteger<'de> for i32 {
    fn deserialize_lenient<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(IntegerVisitor(std::marker::PhantomData))
    }
}

impl<'de, T: LenientInteger<'de>> LenientInteger<'de> for Option<T> {
    fn deserialize_lenient<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct OptionVisitor<T>(std::marker::PhantomData<T>);

        impl<'de, T: LenientInteger<'de>> serde::de::Visitor<'de> for OptionVisitor<T> {
            type Value = Option<T>;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an integer or null")
            }

            fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
                Ok(None)
            }

            fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
                Ok(None)
            }

            fn visit_some<D: Deserializer<'de>>(
                self,
                deserializer: D,
            ) -> Result<Self::Value, D::Error> {
                T::deserialize_lenient(deserializer).map(Some)
            }
        }

        deserializer.deserialize_option(OptionVisitor(std::marker::PhantomData))
    }
}

impl<'de, T: LenientInteger<'de>> LenientInteger<'de> for super::Nullable<T> {
    fn deserialize_lenient<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Option::<T>::deserialize_lenient(deserializer).map(super::Nullable::from)
    }
}

/// Decodes a string through `FromStr` (string enums, whose `FromStr` keeps unknown values and
/// so never fails). Known values are matched without allocating. A value not among `known`
/// is kept as always, and is a deviation to a client.
pub fn from_str<'de, D, T>(deserializer: D, known: &'static [&'static str]) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: std::str::FromStr<Err = std::convert::Infallible>,
{
    struct StrVisitor<T>(&'static [&'static str], std::marker::PhantomData<T>);

    impl<T: std::str::FromStr<Err = std::convert::Infallible>> serde::de::Visitor<'_>
        for StrVisitor<T>
    {
        type Value = T;

        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a string")
        }

        fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<T, E> {
            let mode = decode::mode();
            if mode != Mode::Plain && !self.0.contains(&value) {
                let what = format!("`{value}` is not among the values the description lists");
                if mode == Mode::Check {
                    return Err(E::custom(what));
                }
                decode::record(
                    "",
                    DeviationKind::UnknownValue,
                    Some(Value::String(value.to_owned())),
                    format!("{what}; kept as the enum's unknown value"),
                );
            }
            match value.parse() {
                Ok(parsed) => Ok(parsed),
                Err(never) => match never {},
            }
        }
    }

    deserializer.deserialize_str(StrVisitor(known, std::marker::PhantomData))
}

#[cfg(test)]
mod tests {
    use super::LenientInteger;

    fn decode<T: for<'de> LenientInteger<'de>>(json: &str) -> Result<T, serde_json::Error> {
        T::deserialize_lenient(&mut serde_json::Deserializer::from_str(json))
    }

    #[test]
    fn loose_integers_decode_without_loss() {
        assert_eq!(decode::<i64>("5").unwrap(), 5);
        assert_eq!(decode::<i64>("5.0").unwrap(), 5);
        assert_eq!(decode::<i64>("\"42\"").unwrap(), 42);
        assert_eq!(decode::<i64>("-9223372036854776000").unwrap(), i64::MIN);
        assert_eq!(decode::<Option<i32>>("null").unwrap(), None);
        assert_eq!(decode::<Option<i32>>("7").unwrap(), Some(7));
        assert!(decode::<i64>("5.5").is_err());
        assert!(decode::<i32>("2147483648").is_err());
        assert!(decode::<i64>("9223372036854775808").is_err());
        assert!(decode::<i64>("\"five\"").is_err());
    }
}
