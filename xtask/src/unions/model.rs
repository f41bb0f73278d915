//! What the generated code does with a JSON value, read from the IR the code is printed from:
//! whether a type's decoder reads the value in a client's first (checking) pass, which
//! variant a union's decoder picks, and the JSON the decoded Rust value encodes to. It
//! follows the emitter's rules (`generator/src/emit/models.rs` and the runtime's
//! `serde_helpers`) so that the union check runs on thousands of documents without compiling
//! them; the fixture crates' wire tests (`snapshots/unions/tests/`) hold the compiled code to
//! the same answers.

use generator::ir::{
    EnumRepr, Presence, Struct, TagArm, TypeDef, TypeKind, TypeRef, Union, UnionVariant,
};
use serde_json::{Map, Value};
use std::collections::HashMap;

/// Nesting beyond which a value is taken as read (recursive types on deep samples).
const MAX_DEPTH: usize = 48;

/// The types of one generated crate, by name.
pub struct Types<'a>(HashMap<&'a str, &'a TypeDef>);

impl<'a> Types<'a> {
    pub fn new(types: &'a [TypeDef]) -> Self {
        Types(types.iter().map(|t| (t.name.as_str(), t)).collect())
    }

    fn kind(&self, name: &str) -> Option<&'a TypeKind> {
        self.0.get(name).map(|t| &t.kind)
    }

    /// Whether the decoder of `ty` reads `value` without a deviation.
    fn reads_at(&self, ty: &TypeRef, value: &Value, depth: usize) -> bool {
        if depth > MAX_DEPTH {
            return true;
        }
        match ty {
            TypeRef::Named(name) => match self.kind(name) {
                Some(TypeKind::Struct(s)) => self.struct_reads(s, value, depth),
                Some(TypeKind::Enum(e)) => match e.repr {
                    EnumRepr::String => value
                        .as_str()
                        .is_some_and(|v| e.variants.iter().any(|known| known.wire == v)),
                    EnumRepr::Integer => value.as_i64().is_some_and(|v| {
                        e.variants.iter().any(|known| known.wire == v.to_string())
                    }),
                },
                Some(TypeKind::Union(u)) => self.pick_at(u, value, depth).is_ok(),
                Some(TypeKind::Alias(inner)) => self.reads_at(inner, value, depth + 1),
                None => true,
            },
            TypeRef::String => value.is_string(),
            TypeRef::Bool => value.is_boolean(),
            TypeRef::I32 => value.as_i64().is_some_and(|v| i32::try_from(v).is_ok()),
            TypeRef::I64 => value.is_i64(),
            TypeRef::F32 | TypeRef::F64 => value.is_number(),
            TypeRef::DateTime => value.as_str().is_some_and(is_date_time),
            TypeRef::Date => value.as_str().is_some_and(is_date),
            TypeRef::Uuid => value.as_str().is_some_and(is_uuid),
            TypeRef::Base64 | TypeRef::Bytes | TypeRef::File => value.is_string(),
            TypeRef::Json => true,
            TypeRef::Null => value.is_null(),
            TypeRef::Vec(inner) => value.as_array().is_some_and(|items| {
                items
                    .iter()
                    .all(|item| self.reads_at(inner, item, depth + 1))
            }),
            TypeRef::Map(inner) => value.as_object().is_some_and(|entries| {
                entries
                    .values()
                    .all(|item| self.reads_at(inner, item, depth + 1))
            }),
            TypeRef::Option(inner) => value.is_null() || self.reads_at(inner, value, depth + 1),
            TypeRef::Tuple(items) => value.as_array().is_some_and(|values| {
                values.len() == items.len()
                    && items
                        .iter()
                        .zip(values)
                        .all(|(ty, v)| self.reads_at(ty, v, depth + 1))
            }),
        }
    }

    fn struct_reads(&self, s: &Struct, value: &Value, depth: usize) -> bool {
        let Some(object) = value.as_object() else {
            return false;
        };
        for field in &s.fields {
            let found = object.get(&field.wire);
            let ok = match (field.presence, found) {
                (Presence::Required, None | Some(Value::Null)) => false,
                (Presence::RequiredNullable, None) => false,
                (Presence::Optional, Some(Value::Null)) => false,
                (Presence::OptionalJson, _) => true,
                (_, None | Some(Value::Null)) => true,
                (_, Some(v)) => self.reads_at(&field.ty, v, depth + 1),
            };
            if !ok {
                return false;
            }
        }
        match &s.additional {
            Some(ty) => object
                .iter()
                .filter(|(key, _)| !s.fields.iter().any(|f| f.wire == **key))
                .all(|(_, v)| self.reads_at(ty, v, depth + 1)),
            None => true,
        }
    }

    /// The variant a union's decoder makes of a value, or why it makes none.
    pub fn pick<'u>(&self, u: &'u Union, value: &Value) -> Result<&'u UnionVariant, String> {
        self.pick_at(u, value, 0)
    }

    fn pick_at<'u>(
        &self,
        u: &'u Union,
        value: &Value,
        depth: usize,
    ) -> Result<&'u UnionVariant, String> {
        let variant = |name: &str| u.variants.iter().find(|v| v.name == name);
        let first_reading = |names: &mut dyn Iterator<Item = &String>| {
            names
                .filter_map(|n| variant(n))
                .find(|v| self.reads_at(&v.ty, value, depth + 1))
        };
        let fallback = || u.fallback.as_deref().and_then(variant);
        let Some(property) = &u.discriminator else {
            let mut order: Vec<&UnionVariant> = u.variants.iter().collect();
            if let (true, Value::Object(object)) = (u.by_properties, value) {
                order.sort_by_key(|v| match &v.properties {
                    None => (0, usize::MAX, usize::MAX),
                    Some(known) => {
                        let matched = object.keys().filter(|k| known.contains(k)).count();
                        (object.len() - matched, usize::MAX - matched, known.len())
                    }
                });
            }
            return order
                .into_iter()
                .find(|v| self.reads_at(&v.ty, value, depth + 1))
                .ok_or_else(|| "no variant reads it".to_owned());
        };
        let tag = value.get(property).and_then(Value::as_str);
        let Some(arm) = u.arms.iter().find(|arm| arm_takes(arm, tag, value)) else {
            return fallback().ok_or_else(|| format!("unknown `{property}` value {tag:?}"));
        };
        if arm.decides {
            let only = variant(&arm.variants[0]).ok_or("an arm names no variant")?;
            return if self.reads_at(&only.ty, value, depth + 1) {
                Ok(only)
            } else {
                Err(format!("the `{}` variant does not read it", only.name))
            };
        }
        first_reading(&mut arm.variants.iter())
            .or_else(fallback)
            .ok_or_else(|| format!("no variant of the `{tag:?}` arm reads it"))
    }

    /// The JSON the Rust value decoded from `value` encodes to.
    fn encode_at(&self, ty: &TypeRef, value: &Value, depth: usize) -> Value {
        if depth > MAX_DEPTH {
            return value.clone();
        }
        match ty {
            TypeRef::Named(name) => match self.kind(name) {
                Some(TypeKind::Struct(s)) => self.encode_struct(s, value, depth),
                Some(TypeKind::Union(u)) => match self.pick_at(u, value, depth) {
                    Ok(v) => self.encode_variant(v, value, depth),
                    Err(_) => value.clone(),
                },
                Some(TypeKind::Alias(inner)) => self.encode_at(inner, value, depth + 1),
                Some(TypeKind::Enum(_)) | None => value.clone(),
            },
            TypeRef::Vec(inner) => match value.as_array() {
                Some(items) => Value::Array(
                    items
                        .iter()
                        .map(|item| self.encode_at(inner, item, depth + 1))
                        .collect(),
                ),
                None => value.clone(),
            },
            TypeRef::Map(inner) => match value.as_object() {
                Some(entries) => Value::Object(
                    entries
                        .iter()
                        .map(|(k, v)| (k.clone(), self.encode_at(inner, v, depth + 1)))
                        .collect(),
                ),
                None => value.clone(),
            },
            TypeRef::Option(inner) if !value.is_null() => self.encode_at(inner, value, depth + 1),
            _ => value.clone(),
        }
    }

    /// A union variant's JSON: its payload's, with the constants the union writes for it.
    pub fn encode_variant(&self, v: &UnionVariant, value: &Value, depth: usize) -> Value {
        let mut out = self.encode_at(&v.ty, value, depth + 1);
        if let Value::Object(properties) = &mut out {
            for (name, constant) in &v.writes {
                let entry = properties.entry(name.clone()).or_insert(Value::Null);
                if entry.is_null() {
                    *entry = Value::String(constant.clone());
                }
            }
        }
        out
    }

    fn encode_struct(&self, s: &Struct, value: &Value, depth: usize) -> Value {
        let Some(object) = value.as_object() else {
            return value.clone();
        };
        let mut out = Map::new();
        for field in &s.fields {
            let found = object.get(&field.wire);
            let encoded = match (field.presence, found) {
                (Presence::OptionalJson, Some(v)) => Some(v.clone()),
                (Presence::RequiredNullable, None | Some(Value::Null)) => Some(Value::Null),
                (Presence::OptionalNullable, Some(Value::Null)) => Some(Value::Null),
                (_, None | Some(Value::Null)) => None,
                (_, Some(v)) => Some(self.encode_at(&field.ty, v, depth + 1)),
            };
            if let Some(encoded) = encoded {
                out.insert(field.wire.clone(), encoded);
            }
        }
        if let Some(ty) = &s.additional {
            for (key, v) in object {
                if !s.fields.iter().any(|f| f.wire == *key) {
                    out.insert(key.clone(), self.encode_at(ty, v, depth + 1));
                }
            }
        }
        Value::Object(out)
    }
}

/// Whether an arm takes a value whose discriminator is `tag`.
fn arm_takes(arm: &TagArm, tag: Option<&str>, value: &Value) -> bool {
    let tag_matches = match tag {
        None => arm.tags.is_empty(),
        Some(tag) => arm.tags.iter().any(|t| t == tag),
    };
    tag_matches
        && arm.guard.as_ref().is_none_or(|(property, wanted)| {
            value.get(property).and_then(Value::as_str) == Some(wanted.as_str())
        })
}

/// RFC 3339 as chrono reads it: `2024-01-01T00:00:00Z`, with an offset or fraction.
fn is_date_time(text: &str) -> bool {
    let bytes = text.as_bytes();
    text.len() >= 20
        && text.get(..10).is_some_and(is_date)
        && matches!(bytes[10], b'T' | b't' | b' ')
        && bytes[13] == b':'
        && bytes[16] == b':'
        && (text.ends_with(['Z', 'z']) || text.get(19..).is_some_and(|t| t.contains(['+', '-'])))
}

fn is_date(text: &str) -> bool {
    let b = text.as_bytes();
    text.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

fn is_uuid(text: &str) -> bool {
    let hex: String = text.chars().filter(|c| *c != '-').collect();
    (text.len() == 36 || text.len() == 32)
        && hex.len() == 32
        && hex.chars().all(|c| c.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert!(is_date_time("2024-01-01T00:00:00Z"));
        assert!(is_date_time("2024-01-01T00:00:00.5+02:00"));
        assert!(!is_date_time("2024-01-01"));
        assert!(is_date("2024-01-01"));
        assert!(!is_date("sample"));
        assert!(is_uuid("095be615-a8ad-4c33-8e9c-c7612fbf6c9f"));
        assert!(!is_uuid("sample"));
    }
}
