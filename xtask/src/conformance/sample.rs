//! Values a schema accepts, for calling operations with arguments the API description allows:
//! its enum values, defaults and examples first, then values built from the type, format,
//! lengths and ranges.

use openapiv3::{
    OpenAPI, ReferenceOr, Schema, SchemaKind, StringFormat, Type, VariantOrUnknownOrEmpty,
};
use serde_json::{json, Map, Value};

/// How deep nested objects are filled; below it, optional parts are left out and required
/// ones get the smallest value.
const MAX_DEPTH: usize = 8;

/// Whether the value goes to the server (read-only properties are left out) or comes from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Request,
}

pub struct Sampler<'a> {
    doc: &'a OpenAPI,
    direction: Direction,
    /// Optional properties are filled down to this depth (0: never).
    optional_depth: usize,
    /// Read-only properties are filled too.
    read_only: bool,
    /// The document as JSON, for references into a schema (`#/components/schemas/A/properties/b`).
    json: Option<&'a Value>,
    /// How many objects deep the value being made is (`allOf` parts are the same object).
    level: std::cell::Cell<usize>,
}

impl<'a> Sampler<'a> {
    pub fn new(doc: &'a OpenAPI, direction: Direction) -> Self {
        Sampler {
            doc,
            direction,
            optional_depth: 0,
            read_only: false,
            json: None,
            level: std::cell::Cell::new(0),
        }
    }

    /// A sampler of values with every property of the outermost `depth` levels, read-only
    /// ones included: values as distinct as the schema allows (for telling union variants
    /// apart).
    pub fn exhaustive(doc: &'a OpenAPI, json: &'a Value, depth: usize) -> Self {
        Sampler {
            doc,
            direction: Direction::Request,
            optional_depth: depth,
            read_only: true,
            json: Some(json),
            level: std::cell::Cell::new(0),
        }
    }

    /// Whether a property is filled.
    fn fills(&self, required: bool) -> bool {
        required || self.level.get() < self.optional_depth
    }

    /// A property's value: one object deeper.
    fn property(&self, schema: &ReferenceOr<Box<Schema>>, depth: usize) -> Value {
        self.level.set(self.level.get() + 1);
        let value = self.sample_at(schema, depth + 1);
        self.level.set(self.level.get() - 1);
        value
    }

    /// A value for a schema or a reference to one.
    pub fn sample<S: AsSchema>(&self, schema: &ReferenceOr<S>) -> Value {
        self.sample_at(schema, 0)
    }

    fn resolve<'s, S: AsSchema>(&'s self, schema: &'s ReferenceOr<S>) -> Option<&'s Schema>
    where
        'a: 's,
    {
        let mut seen = 0;
        let mut reference = match schema {
            ReferenceOr::Item(s) => return Some(s.as_schema()),
            ReferenceOr::Reference { reference } => reference.clone(),
        };
        loop {
            seen += 1;
            let name = reference.strip_prefix("#/components/schemas/")?;
            let next = self.doc.components.as_ref()?.schemas.get(name)?;
            match next {
                ReferenceOr::Item(s) => return Some(s),
                ReferenceOr::Reference { reference: r } if seen < 16 => reference = r.clone(),
                ReferenceOr::Reference { .. } => return None,
            }
        }
    }

    fn sample_at<S: AsSchema>(&self, schema: &ReferenceOr<S>, depth: usize) -> Value {
        match self.resolve(schema) {
            Some(schema) => self.schema(schema, depth),
            None => {
                // A reference into a schema, read from the document's JSON.
                let inner = match (schema, self.json) {
                    (ReferenceOr::Reference { reference }, Some(json)) => reference
                        .strip_prefix('#')
                        .and_then(|p| json.pointer(p))
                        .and_then(|v| serde_json::from_value::<Schema>(v.clone()).ok()),
                    _ => None,
                };
                match inner {
                    Some(inner) if depth < MAX_DEPTH => self.schema(&inner, depth + 1),
                    _ => json!("sample"),
                }
            }
        }
    }

    fn schema(&self, schema: &Schema, depth: usize) -> Value {
        let data = &schema.schema_data;
        // A default of the schema's own type (descriptions give `""` for integers too).
        if let Some(default) = &data.default {
            let fits = match &schema.schema_kind {
                SchemaKind::Type(Type::String(_)) => default.is_string(),
                SchemaKind::Type(Type::Integer(_)) => default.is_i64() || default.is_u64(),
                SchemaKind::Type(Type::Number(_)) => default.is_number(),
                SchemaKind::Type(Type::Boolean(_)) => default.is_boolean(),
                SchemaKind::Type(Type::Array(_)) => default.is_array(),
                SchemaKind::Type(Type::Object(_)) => default.is_object(),
                _ => !default.is_null(),
            };
            if fits {
                return default.clone();
            }
        }
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => {
                if let Some(Some(first)) = s.enumeration.iter().find(|v| v.is_some()) {
                    return json!(first);
                }
                // An example is taken for free text (it may meet a pattern), not for a format
                // the sampler knows better than many descriptions' examples do.
                let known_format = !matches!(s.format, VariantOrUnknownOrEmpty::Empty);
                if let Some(example) = data
                    .example
                    .as_ref()
                    .filter(|e| e.is_string() && !known_format)
                {
                    return example.clone();
                }
                let text = match &s.format {
                    VariantOrUnknownOrEmpty::Item(format) => match format {
                        StringFormat::DateTime => "2024-01-01T00:00:00Z",
                        StringFormat::Date => "2024-01-01",
                        StringFormat::Byte => "c2FtcGxl",
                        StringFormat::Binary => "sample",
                        StringFormat::Password => "secret-1",
                    },
                    VariantOrUnknownOrEmpty::Unknown(format) => match format.as_str() {
                        "uuid" => "095be615-a8ad-4c33-8e9c-c7612fbf6c9f",
                        "email" => "ann@example.com",
                        "uri" | "url" | "uri-reference" | "iri" => "https://example.com/",
                        "hostname" | "idn-hostname" => "example.com",
                        "ipv4" => "192.0.2.1",
                        "ipv6" => "2001:db8::1",
                        "time" => "12:00:00",
                        "date-time" => "2024-01-01T00:00:00Z",
                        "date" => "2024-01-01",
                        "int32" | "int64" | "integer" => "1",
                        "decimal" | "number" | "double" | "float" => "1.5",
                        _ => "sample",
                    },
                    VariantOrUnknownOrEmpty::Empty => "sample",
                };
                let mut text = text.to_owned();
                let min = s.min_length.unwrap_or(0);
                while text.chars().count() < min {
                    text.push('x');
                }
                if let Some(max) = s.max_length {
                    if text.chars().count() > max {
                        text = text.chars().take(max.max(1)).collect();
                    }
                }
                json!(text)
            }
            SchemaKind::Type(Type::Integer(i)) => {
                if let Some(Some(first)) = i.enumeration.iter().find(|v| v.is_some()) {
                    return json!(first);
                }
                if let Some(example) = data.example.as_ref().filter(|e| e.is_i64()) {
                    return example.clone();
                }
                let mut n: i64 = 1;
                if let Some(min) = i.minimum {
                    n = n.max(if i.exclusive_minimum { min + 1 } else { min });
                }
                if let Some(max) = i.maximum {
                    n = n.min(if i.exclusive_maximum { max - 1 } else { max });
                }
                if let Some(step) = i.multiple_of.filter(|m| *m > 0) {
                    n = (n / step).max(1) * step;
                }
                json!(n)
            }
            SchemaKind::Type(Type::Number(num)) => {
                if let Some(Some(first)) = num.enumeration.iter().find(|v| v.is_some()) {
                    return json!(first);
                }
                let mut n: f64 = 1.0;
                if let Some(min) = num.minimum {
                    n = n.max(if num.exclusive_minimum {
                        min + 1.0
                    } else {
                        min
                    });
                }
                if let Some(max) = num.maximum {
                    n = n.min(if num.exclusive_maximum {
                        max - 1.0
                    } else {
                        max
                    });
                }
                json!(n)
            }
            SchemaKind::Type(Type::Boolean(b)) => {
                json!(b
                    .enumeration
                    .iter()
                    .flatten()
                    .next()
                    .copied()
                    .unwrap_or(true))
            }
            SchemaKind::Type(Type::Array(a)) => {
                let count = a
                    .min_items
                    .unwrap_or(1)
                    .max(1)
                    .min(a.max_items.unwrap_or(1).max(1));
                match (&a.items, depth < MAX_DEPTH) {
                    (Some(items), true) => {
                        let item = self.sample_at(items, depth + 1);
                        let mut out = Vec::new();
                        for i in 0..count {
                            // Distinct items for `uniqueItems`.
                            out.push(match (&item, a.unique_items && i > 0) {
                                (Value::String(s), true) => json!(format!("{s}{i}")),
                                (Value::Number(n), true) => {
                                    json!(n.as_f64().unwrap_or(0.0) + i as f64)
                                }
                                _ => item.clone(),
                            });
                        }
                        Value::Array(out)
                    }
                    _ => json!([]),
                }
            }
            SchemaKind::Type(Type::Object(o)) => {
                let mut out = Map::new();
                if depth >= MAX_DEPTH && o.required.is_empty() {
                    return Value::Object(out);
                }
                for (name, property) in &o.properties {
                    if !self.fills(o.required.contains(name)) {
                        continue;
                    }
                    let resolved = self.resolve(property);
                    if self.direction == Direction::Request
                        && !self.read_only
                        && resolved.is_some_and(|s| s.schema_data.read_only)
                    {
                        continue;
                    }
                    out.insert(name.clone(), self.property(property, depth));
                }
                // Required names the description forgot to define (Spotify's `uris`).
                for name in &o.required {
                    if !o.properties.contains_key(name) {
                        out.insert(name.clone(), json!("sample"));
                    }
                }
                Value::Object(out)
            }
            SchemaKind::AllOf { all_of } => {
                let mut out = Map::new();
                for part in all_of {
                    match self.sample_at(part, depth + 1) {
                        Value::Object(fields) => out.extend(fields),
                        other if all_of.len() == 1 => return other,
                        _ => {}
                    }
                }
                Value::Object(out)
            }
            SchemaKind::OneOf { one_of: variants } | SchemaKind::AnyOf { any_of: variants } => {
                // The first variant that is not `null`, with the discriminator set to a value
                // that names it.
                let Some(first) = variants.iter().find(|v| {
                    !matches!(self.resolve(v), Some(s) if matches!(&s.schema_kind, SchemaKind::Any(a) if a.typ.as_deref() == Some("null")))
                }) else {
                    return Value::Null;
                };
                let mut value = self.sample_at(first, depth + 1);
                if let (Some(discriminator), Value::Object(fields)) =
                    (&data.discriminator, &mut value)
                {
                    let tag = discriminator
                        .mapping
                        .iter()
                        .find(|(_, target)| match first {
                            ReferenceOr::Reference { reference } => reference == *target,
                            ReferenceOr::Item(_) => false,
                        })
                        .map(|(key, _)| key.clone())
                        .or_else(|| match first {
                            ReferenceOr::Reference { reference } => {
                                reference.rsplit('/').next().map(str::to_owned)
                            }
                            ReferenceOr::Item(_) => None,
                        });
                    if let Some(tag) = tag {
                        fields.insert(discriminator.property_name.clone(), json!(tag));
                    }
                }
                value
            }
            SchemaKind::Not { .. } => json!("sample"),
            SchemaKind::Any(any) => {
                if let Some(example) = &data.example {
                    return example.clone();
                }
                // `const: X` (3.1), or an enum of values of several types.
                if let Some(first) = any.enumeration.iter().find(|v| !v.is_null()) {
                    return first.clone();
                }
                // `allOf` beside `type: object` or properties (openapiv3 keeps such schemas
                // here): every part's fields and the schema's own.
                if !any.all_of.is_empty() {
                    let mut out = Map::new();
                    for part in &any.all_of {
                        if let Value::Object(fields) = self.sample_at(part, depth + 1) {
                            out.extend(fields);
                        }
                    }
                    self.fill_properties(&mut out, &any.properties, &any.required, depth);
                    return Value::Object(out);
                }
                if !any.properties.is_empty() || any.typ.as_deref() == Some("object") {
                    let mut out = Map::new();
                    self.fill_properties(&mut out, &any.properties, &any.required, depth);
                    return Value::Object(out);
                }
                match any.typ.as_deref() {
                    Some("string") => json!("sample"),
                    Some("integer") => json!(1),
                    Some("number") => json!(1.5),
                    Some("boolean") => json!(true),
                    Some("array") => json!([]),
                    Some("null") => Value::Null,
                    _ => json!({}),
                }
            }
        }
    }
}

impl Sampler<'_> {
    /// The properties of an untyped object schema the sampler fills, in their order.
    fn fill_properties(
        &self,
        out: &mut Map<String, Value>,
        properties: &indexmap::IndexMap<String, ReferenceOr<Box<Schema>>>,
        required: &[String],
        depth: usize,
    ) {
        for (name, property) in properties {
            if self.fills(required.contains(name)) {
                out.insert(name.clone(), self.property(property, depth));
            }
        }
    }
}

/// `Schema` and `Box<Schema>`, as `ReferenceOr` holds them in different places.
pub trait AsSchema {
    fn as_schema(&self) -> &Schema;
}

impl AsSchema for Schema {
    fn as_schema(&self) -> &Schema {
        self
    }
}

impl AsSchema for Box<Schema> {
    fn as_schema(&self) -> &Schema {
        self
    }
}
