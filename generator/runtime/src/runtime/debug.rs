//! `Debug` and `PartialEq` for model structs, written through their `Serialize`. `Debug`: `Pet { id: 1, name: "Rex",
//! tags: ["a"] }`, properties by their wire names, absent optional ones left out, nested
//! objects as `{name: value}` (`{:#?}` prints it all on separate lines, as derived `Debug`
//! does).
//!
//! `PartialEq` ([`same`]): equal wire forms, the JSON serializing them gives. That is what the
//! derive gives, except for floats, which compare by their JSON text (`-0.0` and `0.0`
//! differ; a NaN, which JSON cannot carry, is written as `null`).
//!
//! Derived, they cost the compiler a `&dyn Debug` and a comparison per field of every struct:
//! about a fifth of what a large client cost to check. Generated structs (those without a file
//! inside, whose wire form is not all of their value) call [`fields`] and [`same`] instead.

use serde::ser::{self, Serialize};
use std::fmt::{self, Debug, Formatter};

/// Writes `value`, a struct called `name` that serializes as a map, in `Debug`'s form.
pub fn fields<T: Serialize + ?Sized>(value: &T, name: &str, f: &mut Formatter<'_>) -> fmt::Result {
    value
        .serialize(Writer {
            f,
            name: Some(name),
        })
        .map_err(|_| fmt::Error)
}

/// Whether two values serialize to the same JSON (`false` if either cannot be serialized).
/// Compared as JSON values, not text: objects with the same properties in another order (free
/// form JSON keeps its order where `serde_json`'s `preserve_order` is on) are the same.
pub fn same<T: Serialize + ?Sized>(a: &T, b: &T) -> bool {
    match (serde_json::to_value(a), serde_json::to_value(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// A value written in `Debug`'s form through its `Serialize`.
struct Shown<'a, T: ?Sized>(&'a T);

impl<T: Serialize + ?Sized> Debug for Shown<'_, T> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        self.0
            .serialize(Writer { f, name: None })
            .map_err(|_| fmt::Error)
    }
}

/// A map key written without quotes, as a struct's field names are.
struct Key(String);

impl Debug for Key {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The failure of writing to the formatter, as a serde error.
#[derive(Debug)]
pub struct Failed;

impl fmt::Display for Failed {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str("formatting failed")
    }
}

impl std::error::Error for Failed {}

impl ser::Error for Failed {
    fn custom<M: fmt::Display>(_: M) -> Self {
        Failed
    }
}

impl From<fmt::Error> for Failed {
    fn from(_: fmt::Error) -> Self {
        Failed
    }
}

/// The serializer that writes `Debug`'s form; `name` is the struct's, for its top-level map.
struct Writer<'a, 'b> {
    f: &'a mut Formatter<'b>,
    name: Option<&'a str>,
}

impl<'a, 'b> Writer<'a, 'b> {
    fn show<V: Debug + ?Sized>(self, value: &V) -> Result<(), Failed> {
        Ok(value.fmt(self.f)?)
    }
}

macro_rules! shown {
    ($($method:ident($ty:ty)),*) => {
        $(fn $method(self, value: $ty) -> Result<(), Failed> {
            self.show(&value)
        })*
    };
}

impl<'a, 'b> ser::Serializer for Writer<'a, 'b> {
    type Ok = ();
    type Error = Failed;
    type SerializeSeq = List<'a, 'b>;
    type SerializeTuple = List<'a, 'b>;
    type SerializeTupleStruct = List<'a, 'b>;
    type SerializeTupleVariant = List<'a, 'b>;
    type SerializeMap = Map<'a, 'b>;
    type SerializeStruct = Map<'a, 'b>;
    type SerializeStructVariant = Map<'a, 'b>;

    shown!(
        serialize_bool(bool),
        serialize_i8(i8),
        serialize_i16(i16),
        serialize_i32(i32),
        serialize_i64(i64),
        serialize_i128(i128),
        serialize_u8(u8),
        serialize_u16(u16),
        serialize_u32(u32),
        serialize_u64(u64),
        serialize_u128(u128),
        serialize_f32(f32),
        serialize_f64(f64),
        serialize_char(char),
        serialize_str(&str),
        serialize_bytes(&[u8])
    );

    fn serialize_none(self) -> Result<(), Failed> {
        Ok(self.f.write_str("None")?)
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Failed> {
        Ok(self.f.debug_tuple("Some").field(&Shown(value)).finish()?)
    }

    // Free-form JSON's `null`.
    fn serialize_unit(self) -> Result<(), Failed> {
        Ok(self.f.write_str("null")?)
    }

    fn serialize_unit_struct(self, name: &'static str) -> Result<(), Failed> {
        Ok(self.f.write_str(name)?)
    }

    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), Failed> {
        Ok(self.f.write_str(variant)?)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        value: &T,
    ) -> Result<(), Failed> {
        Ok(self.f.debug_tuple(name).field(&Shown(value)).finish()?)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), Failed> {
        Ok(self.f.debug_tuple(variant).field(&Shown(value)).finish()?)
    }

    fn serialize_seq(self, _: Option<usize>) -> Result<List<'a, 'b>, Failed> {
        Ok(List::List(self.f.debug_list()))
    }

    fn serialize_tuple(self, _: usize) -> Result<List<'a, 'b>, Failed> {
        Ok(List::Tuple(self.f.debug_tuple("")))
    }

    fn serialize_tuple_struct(self, name: &'static str, _: usize) -> Result<List<'a, 'b>, Failed> {
        Ok(List::Tuple(self.f.debug_tuple(name)))
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<List<'a, 'b>, Failed> {
        Ok(List::Tuple(self.f.debug_tuple(variant)))
    }

    fn serialize_map(self, _: Option<usize>) -> Result<Map<'a, 'b>, Failed> {
        Ok(match self.name {
            Some(name) => Map::Struct(self.f.debug_struct(name), None),
            None => Map::Map(self.f.debug_map()),
        })
    }

    fn serialize_struct(self, name: &'static str, _: usize) -> Result<Map<'a, 'b>, Failed> {
        Ok(Map::Struct(self.f.debug_struct(name), None))
    }

    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Map<'a, 'b>, Failed> {
        Ok(Map::Struct(self.f.debug_struct(variant), None))
    }
}

/// A sequence or tuple being written.
enum List<'a, 'b> {
    List(fmt::DebugList<'a, 'b>),
    Tuple(fmt::DebugTuple<'a, 'b>),
}

impl List<'_, '_> {
    fn item<T: Serialize + ?Sized>(&mut self, value: &T) {
        match self {
            List::List(list) => {
                list.entry(&Shown(value));
            }
            List::Tuple(tuple) => {
                tuple.field(&Shown(value));
            }
        }
    }

    fn done(self) -> Result<(), Failed> {
        Ok(match self {
            List::List(mut list) => list.finish(),
            List::Tuple(mut tuple) => tuple.finish(),
        }?)
    }
}

macro_rules! list {
    ($($trait:ident $method:ident),*) => {
        $(impl ser::$trait for List<'_, '_> {
            type Ok = ();
            type Error = Failed;

            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Failed> {
                self.item(value);
                Ok(())
            }

            fn end(self) -> Result<(), Failed> {
                self.done()
            }
        })*
    };
}

list!(
    SerializeSeq serialize_element,
    SerializeTuple serialize_element,
    SerializeTupleStruct serialize_field,
    SerializeTupleVariant serialize_field
);

/// A map or struct being written; a struct's map keeps the key it was given until its value.
enum Map<'a, 'b> {
    Map(fmt::DebugMap<'a, 'b>),
    Struct(fmt::DebugStruct<'a, 'b>, Option<String>),
}

impl Map<'_, '_> {
    fn entry<K: Serialize + ?Sized, V: Serialize + ?Sized>(&mut self, key: &K, value: &V) {
        let name = key_text(key);
        match self {
            Map::Map(map) => {
                map.entry(&Key(name), &Shown(value));
            }
            Map::Struct(fields, _) => {
                fields.field(&name, &Shown(value));
            }
        }
    }

    fn done(self) -> Result<(), Failed> {
        Ok(match self {
            Map::Map(mut map) => map.finish(),
            Map::Struct(mut fields, _) => fields.finish(),
        }?)
    }
}

/// A key's text: a string as it is, anything else in `Debug`'s form.
fn key_text<K: Serialize + ?Sized>(key: &K) -> String {
    match serde_json::to_value(key) {
        Ok(serde_json::Value::String(text)) => text,
        _ => format!("{:?}", Shown(key)),
    }
}

impl ser::SerializeMap for Map<'_, '_> {
    type Ok = ();
    type Error = Failed;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Failed> {
        if let Map::Struct(_, pending) = self {
            *pending = Some(key_text(key));
        }
        Ok(())
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Failed> {
        let key = match self {
            Map::Struct(_, pending) => pending.take().unwrap_or_default(),
            Map::Map(_) => String::new(),
        };
        self.entry(&key, value);
        Ok(())
    }

    fn serialize_entry<K: Serialize + ?Sized, V: Serialize + ?Sized>(
        &mut self,
        key: &K,
        value: &V,
    ) -> Result<(), Failed> {
        self.entry(key, value);
        Ok(())
    }

    fn end(self) -> Result<(), Failed> {
        self.done()
    }
}

macro_rules! fields {
    ($($trait:ident),*) => {
        $(impl ser::$trait for Map<'_, '_> {
            type Ok = ();
            type Error = Failed;

            fn serialize_field<T: Serialize + ?Sized>(
                &mut self,
                key: &'static str,
                value: &T,
            ) -> Result<(), Failed> {
                self.entry(key, value);
                Ok(())
            }

            fn end(self) -> Result<(), Failed> {
                self.done()
            }
        })*
    };
}

fields!(SerializeStruct, SerializeStructVariant);

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    struct Pet(serde_json::Value);

    impl Debug for Pet {
        fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
            fields(&self.0, "Pet", f)
        }
    }

    #[test]
    fn a_struct_reads_as_derived_debug_with_wire_names() {
        // In the names' order, which a `Value` keeps with or without `preserve_order`.
        let pet = Pet(
            json!({"id": 1, "name": "Rex", "owner": {"first_name": "Al"}, "tags": ["a"], "x": null}),
        );
        assert_eq!(
            format!("{pet:?}"),
            r#"Pet { id: 1, name: "Rex", owner: {first_name: "Al"}, tags: ["a"], x: null }"#
        );
        let pretty = format!("{pet:#?}");
        assert!(pretty.starts_with("Pet {\n    id: 1,\n"), "{pretty}");
        assert_eq!(format!("{:?}", Shown(&Some(2))), "Some(2)");
        assert_eq!(format!("{:?}", Shown(&None::<i64>)), "None");
    }

    #[test]
    fn values_are_the_same_when_their_json_is() {
        assert!(same(&json!({"a": [1, 2]}), &json!({"a": [1, 2]})));
        assert!(!same(&json!({"a": [1, 2]}), &json!({"a": [2, 1]})));
        assert!(!same(&json!({"a": null}), &json!({})));
        assert!(same(&json!({"a": 1, "b": 2}), &json!({"b": 2, "a": 1})));
    }
}
