//! Reading and writing a model struct: one generic reader and one writer for every struct,
//! told the struct's fields as a type (reading) or as a tuple of references (writing).
//!
//! A generated struct implements [`Record`]: its fields as a tuple of markers (each marker says
//! how its field reads: [`Required`], [`Optional`], [`Defaulted`], [`Untyped`], or an integer
//! that reads leniently), nested by twelves since the standard library's tuples stop there,
//! their property names, and how the struct is made from the values. Its `Deserialize` calls
//! [`read`], which reads the map into a slot per field and hands `build` the values as a tuple
//! of the same shape:
//!
//! ```text
//! impl de::Record for Pet {
//!     type Fields = (de::Required<i64>, de::Optional<String>);
//!     type Additional = ();
//!     const NAMES: &'static [&'static str] = &["id", "name"];
//!     const EXPECTING: &'static str = "struct Pet";
//!     fn build((id, name): <Self::Fields as de::Fields>::Values, _: ()) -> Self {
//!         Pet { id, name }
//!     }
//! }
//! ```
//!
//! Writing is the same in reverse: the encoder hands [`write`] a tuple of references to its
//! fields (in the same nesting), each optional one in [`Skip`].
//!
//! The reading and writing are written once here instead of once per struct: a large client's
//! decoders were half of what the compiler spent on it. The decoding is the one the per-struct
//! decoders did (see `serde_helpers`): unknown properties are skipped (or kept as additional
//! properties), a missing required property is serde's "missing field" error, except in a
//! client's recover pass, which gives it its zero value and records a deviation.

use super::nullable::Nullable;
use super::serde_helpers::{self as helpers, Key, LenientInteger};
use serde::de::{DeserializeOwned, MapAccess};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::BTreeMap;
use std::marker::PhantomData;

/// A struct's fields, as the decoder reads them: one marker per field, or a tuple of these.
pub trait Fields {
    /// How many fields.
    const LEN: usize;
    /// What has been read of each field (`None`: nothing yet).
    type Slots: Default;
    /// The fields' values, in the shape of the field list.
    type Values;

    /// Reads the value of the property `key`, the field at `index`, into its slot.
    fn read<'de, A: MapAccess<'de>>(
        slots: &mut Self::Slots,
        index: usize,
        map: &mut A,
        key: &Key<'de>,
    ) -> Result<(), A::Error>;

    /// Tells `each` of every required field (numbered from `first`) whether it was read.
    fn required(slots: &Self::Slots, first: usize, each: &mut dyn FnMut(usize, bool));

    /// Gives each missing required field its zero value (see [`helpers::fill`]).
    fn fill(slots: &mut Self::Slots);

    /// The values, or `None` while a required field has none.
    fn values(slots: Self::Slots) -> Option<Self::Values>;
}

/// A required field of type `T` (`Option<_>` when it may be `null`).
pub struct Required<T>(PhantomData<T>);
/// A required integer field that also reads looser spellings (see [`LenientInteger`]).
pub struct RequiredInteger<T>(PhantomData<T>);
/// An optional field that may not be `null`: `Option<T>`.
pub struct Optional<T>(PhantomData<T>);
/// A field whose absence is its type's default: an optional nullable field (`Nullable<_>`).
pub struct Defaulted<T>(PhantomData<T>);
/// [`Defaulted`] for an integer field that reads looser spellings.
pub struct DefaultedInteger<T>(PhantomData<T>);
/// An optional field of free-form JSON: a present `null` is kept (`Some(Value::Null)`).
pub struct Untyped;

/// One field's marker: how its slot is read, whether it is required, and its value from its
/// slot.
macro_rules! field {
    ($marker:ty, [$($param:ident),*] where [$($bound:tt)*], slot: $slot:ty, value: $value:ty,
     required: $required:literal, read: $read:path, values: |$s:ident| $take:expr) => {
        impl<$($param),*> Fields for $marker where $($bound)* {
            const LEN: usize = 1;
            type Slots = Option<$slot>;
            type Values = $value;

            fn read<'de, A: MapAccess<'de>>(
                slots: &mut Self::Slots,
                _index: usize,
                map: &mut A,
                key: &Key<'de>,
            ) -> Result<(), A::Error> {
                $read(map, slots, key)
            }

            fn required(slots: &Self::Slots, first: usize, each: &mut dyn FnMut(usize, bool)) {
                if $required {
                    each(first, slots.is_some());
                }
            }

            fn fill(slots: &mut Self::Slots) {
                if $required {
                    *slots = helpers::fill(slots.take());
                }
            }

            fn values($s: Self::Slots) -> Option<Self::Values> {
                $take
            }
        }
    };
}

field!(Required<T>, [T] where [T: DeserializeOwned], slot: T, value: T,
    required: true, read: helpers::next, values: |slot| slot);
field!(RequiredInteger<T>, [T] where [T: for<'a> LenientInteger<'a> + DeserializeOwned],
    slot: T, value: T, required: true, read: helpers::next_lenient, values: |slot| slot);
field!(Optional<T>, [T] where [T: DeserializeOwned], slot: Option<T>, value: Option<T>,
    required: false, read: helpers::next_optional, values: |slot| Some(slot.unwrap_or_default()));
field!(Defaulted<T>, [T] where [T: DeserializeOwned + Default], slot: T, value: T,
    required: false, read: helpers::next, values: |slot| Some(slot.unwrap_or_default()));
field!(DefaultedInteger<T>,
    [T] where [T: for<'a> LenientInteger<'a> + DeserializeOwned + Default],
    slot: T, value: T, required: false, read: helpers::next_lenient,
    values: |slot| Some(slot.unwrap_or_default()));
field!(Untyped, [] where [], slot: serde_json::Value, value: Option<serde_json::Value>,
    required: false, read: helpers::next, values: |slot| Some(slot));

/// A list of fields: each element a marker or itself a list.
macro_rules! list {
    ($($name:ident $index:tt),*) => {
        impl<$($name: Fields),*> Fields for ($($name,)*) {
            const LEN: usize = 0 $(+ $name::LEN)*;
            type Slots = ($($name::Slots,)*);
            type Values = ($($name::Values,)*);

            #[allow(unused_assignments, unused_variables, unused_mut)]
            fn read<'de, M: MapAccess<'de>>(
                slots: &mut Self::Slots,
                index: usize,
                map: &mut M,
                key: &Key<'de>,
            ) -> Result<(), M::Error> {
                let mut index = index;
                $(
                    if index < $name::LEN {
                        return $name::read(&mut slots.$index, index, map, key);
                    }
                    index -= $name::LEN;
                )*
                helpers::skip(map)
            }

            #[allow(unused_assignments, unused_variables, unused_mut)]
            fn required(slots: &Self::Slots, first: usize, each: &mut dyn FnMut(usize, bool)) {
                let mut first = first;
                $(
                    $name::required(&slots.$index, first, each);
                    first += $name::LEN;
                )*
            }

            #[allow(unused_variables)]
            fn fill(slots: &mut Self::Slots) {
                $( $name::fill(&mut slots.$index); )*
            }

            #[allow(unused_variables, clippy::unused_unit)]
            fn values(slots: Self::Slots) -> Option<Self::Values> {
                Some(($($name::values(slots.$index)?,)*))
            }
        }
    };
}

/// Implements a tuple macro (`list`, `entries`) for every arity the standard library's tuples
/// have traits for.
macro_rules! for_each_arity {
    ($macro:ident) => {
        $macro!();
        $macro!(T0 0);
        $macro!(T0 0, T1 1);
        $macro!(T0 0, T1 1, T2 2);
        $macro!(T0 0, T1 1, T2 2, T3 3);
        $macro!(T0 0, T1 1, T2 2, T3 3, T4 4);
        $macro!(T0 0, T1 1, T2 2, T3 3, T4 4, T5 5);
        $macro!(T0 0, T1 1, T2 2, T3 3, T4 4, T5 5, T6 6);
        $macro!(T0 0, T1 1, T2 2, T3 3, T4 4, T5 5, T6 6, T7 7);
        $macro!(T0 0, T1 1, T2 2, T3 3, T4 4, T5 5, T6 6, T7 7, T8 8);
        $macro!(T0 0, T1 1, T2 2, T3 3, T4 4, T5 5, T6 6, T7 7, T8 8, T9 9);
        $macro!(T0 0, T1 1, T2 2, T3 3, T4 4, T5 5, T6 6, T7 7, T8 8, T9 9, T10 10);
        $macro!(T0 0, T1 1, T2 2, T3 3, T4 4, T5 5, T6 6, T7 7, T8 8, T9 9, T10 10, T11 11);
    };
}

for_each_arity!(list);

/// What becomes of the properties a struct does not name.
pub trait Rest<'de>: Default {
    /// Takes the current property's value.
    fn take<A: MapAccess<'de>>(&mut self, map: &mut A, key: Key<'de>) -> Result<(), A::Error>;
}

/// They are skipped.
impl<'de> Rest<'de> for () {
    fn take<A: MapAccess<'de>>(&mut self, map: &mut A, _: Key<'de>) -> Result<(), A::Error> {
        helpers::skip(map)
    }
}

/// They are kept, by name: the struct's additional properties.
impl<'de, V: Deserialize<'de>> Rest<'de> for BTreeMap<String, V> {
    fn take<A: MapAccess<'de>>(&mut self, map: &mut A, key: Key<'de>) -> Result<(), A::Error> {
        helpers::keep(map, key, self)
    }
}

/// A model struct as [`read`] decodes it: its fields, their property names (which its
/// encoder hands [`write`] too), and how the struct is made from their values. Implemented
/// by the generated code.
pub trait Record: Sized {
    /// How each field reads.
    type Fields: Fields;
    /// Where the properties the struct does not name go: `()` (skipped) or a map of
    /// additional properties.
    type Additional: for<'de> Rest<'de>;
    /// The field list's property names.
    const NAMES: &'static [&'static str];
    /// What a decoding error says was expected (`struct Pet`).
    const EXPECTING: &'static str;

    /// The struct, from its fields' values and the properties it does not name.
    fn build(values: <Self::Fields as Fields>::Values, additional: Self::Additional) -> Self;
}

/// Decodes a [`Record`].
pub fn read<'de, R: Record, D: Deserializer<'de>>(deserializer: D) -> Result<R, D::Error> {
    let (values, additional) = object_with_additional::<R::Fields, R::Additional, D>(
        deserializer,
        R::EXPECTING,
        R::NAMES,
    )?;
    Ok(R::build(values, additional))
}

/// Decodes a map into the fields `F`, whose properties are `names` (in the fields' order),
/// handing every other property to `R` (skipped, or kept as additional properties).
pub fn object_with_additional<'de, F: Fields, R: Rest<'de>, D: Deserializer<'de>>(
    deserializer: D,
    expecting: &'static str,
    names: &'static [&'static str],
) -> Result<(F::Values, R), D::Error> {
    deserializer.deserialize_map(Visitor::<F, R> {
        expecting,
        names,
        fields: PhantomData,
    })
}

struct Visitor<F, R> {
    expecting: &'static str,
    names: &'static [&'static str],
    fields: PhantomData<fn() -> (F, R)>,
}

impl<'de, F: Fields, R: Rest<'de>> serde::de::Visitor<'de> for Visitor<F, R> {
    type Value = (F::Values, R);

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.expecting)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut slots = F::Slots::default();
        let mut rest = R::default();
        while let Some(key) = map.next_key::<Key<'de>>()? {
            match helpers::field(self.names, key.as_str()) {
                Some(index) => F::read(&mut slots, index, &mut map, &key)?,
                None => rest.take(&mut map, key)?,
            }
        }
        let values = finish::<F, A::Error>(slots, self.names)?;
        Ok((values, rest))
    }
}

/// The fields' values once the map is read: serde's "missing field" error for the first
/// required field without one, unless a client's recover pass gives each its zero value (see
/// [`helpers::absent`]).
fn finish<F: Fields, E: serde::de::Error>(
    mut slots: F::Slots,
    names: &[&'static str],
) -> Result<F::Values, E> {
    let mut complete = true;
    F::required(&slots, 0, &mut |_, read| complete &= read);
    if complete {
        return F::values(slots).ok_or_else(|| E::custom("a required property is missing"));
    }
    // Each required field, marked `true` when it is missing, as `helpers::complete` takes them:
    // built only on this path, so that a complete object costs no allocation.
    let mut required = Vec::new();
    F::required(&slots, 0, &mut |index, read| {
        required.push((!read, names.get(index).copied().unwrap_or("?")));
    });
    F::fill(&mut slots);
    match F::values(slots) {
        Some(values) if helpers::complete(&required) => Ok(values),
        _ => Err(helpers::missing(&required)),
    }
}

/// A property of a struct being written (see [`write`]): a field's value, or [`Skip`] of one
/// left out when it is absent.
pub trait Entry {
    /// Writes the property `name`, unless it is left out.
    fn write<M: SerializeMap>(&self, name: &str, map: &mut M) -> Result<(), M::Error>;
}

/// Always written (a required field; `null` for a required nullable one that is `None`).
impl<T: Serialize + ?Sized> Entry for &T {
    fn write<M: SerializeMap>(&self, name: &str, map: &mut M) -> Result<(), M::Error> {
        map.serialize_entry(name, *self)
    }
}

/// An optional field: left out when it is `None` (or, [`Nullable`], `Absent`).
pub struct Skip<'a, T>(pub &'a T);

impl<T: Serialize> Entry for Skip<'_, Option<T>> {
    fn write<M: SerializeMap>(&self, name: &str, map: &mut M) -> Result<(), M::Error> {
        match self.0 {
            Some(value) => map.serialize_entry(name, value),
            None => Ok(()),
        }
    }
}

impl<T: Serialize> Entry for Skip<'_, Nullable<T>> {
    fn write<M: SerializeMap>(&self, name: &str, map: &mut M) -> Result<(), M::Error> {
        if self.0.is_absent() {
            return Ok(());
        }
        map.serialize_entry(name, self.0)
    }
}

/// A struct's properties being written: [`Entry`]s, or tuples of these, as [`Fields`] nest.
pub trait Entries {
    /// How many entries.
    const LEN: usize;

    /// Writes each entry, named from `names` (from `first` on).
    fn write_all<M: SerializeMap>(
        &self,
        names: &[&str],
        first: usize,
        map: &mut M,
    ) -> Result<(), M::Error>;
}

impl<E: Entry> Entries for E {
    const LEN: usize = 1;

    fn write_all<M: SerializeMap>(
        &self,
        names: &[&str],
        first: usize,
        map: &mut M,
    ) -> Result<(), M::Error> {
        self.write(names.get(first).copied().unwrap_or("?"), map)
    }
}

macro_rules! entries {
    ($($name:ident $index:tt),*) => {
        impl<$($name: Entries),*> Entries for ($($name,)*) {
            const LEN: usize = 0 $(+ $name::LEN)*;

            #[allow(unused_assignments, unused_variables, unused_mut)]
            fn write_all<M: SerializeMap>(
                &self,
                names: &[&str],
                first: usize,
                map: &mut M,
            ) -> Result<(), M::Error> {
                let mut first = first;
                $(
                    self.$index.write_all(names, first, map)?;
                    first += $name::LEN;
                )*
                Ok(())
            }
        }
    };
}

for_each_arity!(entries);

/// Writes a struct as a map: its fields' `entries` (references to them, in the shape of its
/// [`Fields`]), named by `names`.
pub fn write<S: Serializer, E: Entries>(
    serializer: S,
    names: &[&str],
    entries: &E,
) -> Result<S::Ok, S::Error> {
    let mut map = serializer.serialize_map(None)?;
    entries.write_all(names, 0, &mut map)?;
    map.end()
}

/// [`write`], then each additional property.
pub fn write_with_additional<S: Serializer, E: Entries, V: Serialize>(
    serializer: S,
    names: &[&str],
    entries: &E,
    additional: &BTreeMap<String, V>,
) -> Result<S::Ok, S::Error> {
    let mut map = serializer.serialize_map(None)?;
    entries.write_all(names, 0, &mut map)?;
    for (key, value) in additional {
        map.serialize_entry(key, value)?;
    }
    map.end()
}

#[cfg(test)]
mod tests {
    use super::*;

    type Pet = (
        Required<i64>,
        Optional<String>,
        (Defaulted<Vec<String>>, RequiredInteger<i64>, Untyped),
    );
    const NAMES: &[&str] = &["id", "name", "tags", "age", "extra"];

    fn pet(json: &str) -> Result<<Pet as Fields>::Values, serde_json::Error> {
        let mut de = serde_json::Deserializer::from_str(json);
        object_with_additional::<Pet, (), _>(&mut de, "struct Pet", NAMES)
            .map(|(values, ())| values)
    }

    #[test]
    fn reads_each_field_by_its_position_in_the_nested_list() {
        let (id, name, (tags, age, extra)) = pet(
            r#"{"age": "7", "id": 1, "other": [1], "name": "Rex", "tags": ["a"], "extra": null}"#,
        )
        .unwrap();
        assert_eq!(
            (id, name.as_deref(), tags, age),
            (1, Some("Rex"), vec!["a".to_owned()], 7)
        );
        assert_eq!(extra, Some(serde_json::Value::Null));
    }

    #[test]
    fn absent_fields_are_none_default_or_missing() {
        let (_, name, (tags, _, extra)) = pet(r#"{"id": 1, "age": 2}"#).unwrap();
        assert_eq!((name, tags, extra), (None, Vec::new(), None));
        let error = pet(r#"{"id": 1}"#).unwrap_err().to_string();
        assert!(error.contains("missing field `age`"), "{error}");
        let error = pet(r#"{"name": "Rex"}"#).unwrap_err().to_string();
        assert!(error.contains("missing field `id`"), "{error}");
    }

    #[test]
    fn additional_properties_are_kept_by_name() {
        let mut de = serde_json::Deserializer::from_str(r#"{"id": 1, "age": 2, "x": true}"#);
        let ((id, ..), rest) =
            object_with_additional::<Pet, BTreeMap<String, bool>, _>(&mut de, "struct Pet", NAMES)
                .unwrap();
        assert_eq!((id, rest.get("x")), (1, Some(&true)));
    }

    #[test]
    fn a_struct_without_fields_reads_any_map() {
        let mut de = serde_json::Deserializer::from_str(r#"{"a": 1}"#);
        object_with_additional::<(), (), _>(&mut de, "struct Empty", &[]).unwrap();
    }

    #[test]
    fn writes_each_entry_by_name_leaving_out_absent_optional_ones() {
        let (id, name, tags, note) = (1, None::<String>, vec!["a"], Nullable::<i64>::Null);
        let absent = Nullable::<i64>::Absent;
        let entries = (
            &id,
            Skip(&name),
            (&tags, Skip(&note), Skip(&absent)),
            &None::<i64>,
        );
        let names = ["id", "name", "tags", "note", "gone", "kept"];
        let mut out = Vec::new();
        write(&mut serde_json::Serializer::new(&mut out), &names, &entries).unwrap();
        let out = String::from_utf8(out).unwrap();
        assert_eq!(out, r#"{"id":1,"tags":["a"],"note":null,"kept":null}"#);
    }
}
