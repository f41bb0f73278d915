//! A uniform view of a schema's kind.
//!
//! openapiv3 splits schemas into typed variants and a catch-all (`AnySchema`) for
//! combinations it does not classify, such as an object without `type: object` or `type`
//! beside `allOf`. [`classify`] looks at both and says what the schema is.

use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, IntegerFormat, NumberFormat, ReferenceOr, Schema, SchemaKind,
    StringFormat, Type, VariantOrUnknownOrEmpty,
};

/// Properties of an object schema.
pub type Properties = IndexMap<String, ReferenceOr<Box<Schema>>>;

/// What a schema is.
pub enum Shape<'a> {
    /// A string, maybe with a format, maybe restricted to values (`None` is `null`).
    String {
        format: Option<&'a str>,
        values: Vec<Option<String>>,
    },
    /// An integer.
    Integer {
        format: Option<&'a str>,
        values: Vec<Option<i64>>,
    },
    /// A number.
    Number {
        format: Option<&'a str>,
        values: Vec<Option<f64>>,
    },
    /// A boolean.
    Boolean,
    /// An object.
    Object {
        properties: &'a Properties,
        required: &'a [String],
        additional: Option<&'a AdditionalProperties>,
    },
    /// An array.
    Array {
        items: Option<&'a ReferenceOr<Box<Schema>>>,
    },
    /// `allOf`, with the schema's own object properties (if any) as one more part.
    AllOf {
        parts: &'a [ReferenceOr<Schema>],
        own: Option<OwnObject<'a>>,
    },
    /// A fixed-length array with a type per position (the loader's form of `prefixItems`).
    Tuple(&'a [ReferenceOr<Schema>]),
    /// `oneOf`.
    OneOf(&'a [ReferenceOr<Schema>]),
    /// `anyOf`.
    AnyOf(&'a [ReferenceOr<Schema>]),
    /// `not`: nothing a type can express.
    Not,
    /// An enum without a `type`: its values decide.
    UntypedEnum(&'a [serde_json::Value]),
    /// Any JSON value.
    Any,
}

/// Object properties that sit beside `allOf`.
#[derive(Clone, Copy)]
pub struct OwnObject<'a> {
    /// The properties.
    pub properties: &'a Properties,
    /// Required property names.
    pub required: &'a [String],
    /// `additionalProperties`.
    pub additional: Option<&'a AdditionalProperties>,
}

fn format_str<T>(
    f: &VariantOrUnknownOrEmpty<T>,
    name: impl Fn(&T) -> &'static str,
) -> Option<&str> {
    match f {
        VariantOrUnknownOrEmpty::Item(item) => Some(name(item)),
        VariantOrUnknownOrEmpty::Unknown(s) => Some(s.as_str()),
        VariantOrUnknownOrEmpty::Empty => None,
    }
}

fn string_format(f: &StringFormat) -> &'static str {
    match f {
        StringFormat::Date => "date",
        StringFormat::DateTime => "date-time",
        StringFormat::Password => "password",
        StringFormat::Byte => "byte",
        StringFormat::Binary => "binary",
    }
}

fn number_format(f: &NumberFormat) -> &'static str {
    match f {
        NumberFormat::Float => "float",
        NumberFormat::Double => "double",
    }
}

fn integer_format(f: &IntegerFormat) -> &'static str {
    match f {
        IntegerFormat::Int32 => "int32",
        IntegerFormat::Int64 => "int64",
    }
}

/// Says what a schema is.
pub fn classify(schema: &Schema) -> Shape<'_> {
    if schema
        .schema_data
        .extensions
        .contains_key(crate::load::normal::TUPLE)
    {
        if let SchemaKind::AnyOf { any_of } = &schema.schema_kind {
            return Shape::Tuple(any_of);
        }
    }
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(s)) => Shape::String {
            format: format_str(&s.format, string_format),
            values: s.enumeration.clone(),
        },
        SchemaKind::Type(Type::Integer(i)) => Shape::Integer {
            format: format_str(&i.format, integer_format),
            values: i.enumeration.clone(),
        },
        SchemaKind::Type(Type::Number(n)) => Shape::Number {
            format: format_str(&n.format, number_format),
            values: n.enumeration.clone(),
        },
        SchemaKind::Type(Type::Boolean(_)) => Shape::Boolean,
        SchemaKind::Type(Type::Object(o)) => Shape::Object {
            properties: &o.properties,
            required: &o.required,
            additional: o.additional_properties.as_ref(),
        },
        SchemaKind::Type(Type::Array(a)) => Shape::Array {
            items: a.items.as_ref(),
        },
        SchemaKind::AllOf { all_of } => Shape::AllOf {
            parts: all_of,
            own: None,
        },
        SchemaKind::OneOf { one_of } => Shape::OneOf(one_of),
        SchemaKind::AnyOf { any_of } => Shape::AnyOf(any_of),
        SchemaKind::Not { .. } => Shape::Not,
        SchemaKind::Any(any) => classify_any(any),
    }
}

fn classify_any(any: &openapiv3::AnySchema) -> Shape<'_> {
    // Object keywords constrain only objects: beside `type: string` (linqr's email
    // `Recipient` says `additionalProperties: false`) the value is the string.
    let scalar = matches!(
        any.typ.as_deref(),
        Some("string" | "integer" | "number" | "boolean")
    );
    let has_object_parts =
        !scalar && (!any.properties.is_empty() || any.additional_properties.is_some());
    let own = has_object_parts.then_some(OwnObject {
        properties: &any.properties,
        required: &any.required,
        additional: any.additional_properties.as_ref(),
    });
    if !any.all_of.is_empty() {
        return Shape::AllOf {
            parts: &any.all_of,
            own,
        };
    }
    // `type: array` with properties: properties constrain only objects, so the value is the
    // array (formapi's batch body).
    if any.typ.as_deref() == Some("array") && any.items.is_some() {
        return Shape::Array {
            items: any.items.as_ref(),
        };
    }
    if let Some(own) = own {
        // Properties beside oneOf/anyOf: the properties are the type; the variants only
        // restrict it further.
        return Shape::Object {
            properties: own.properties,
            required: own.required,
            additional: own.additional,
        };
    }
    if !any.one_of.is_empty() {
        return Shape::OneOf(&any.one_of);
    }
    if !any.any_of.is_empty() {
        return Shape::AnyOf(&any.any_of);
    }
    if any.items.is_some() {
        return Shape::Array {
            items: any.items.as_ref(),
        };
    }
    let format = any.format.as_deref();
    match any.typ.as_deref() {
        // Types openapiv3 did not classify because of an odd keyword (an enum whose values
        // do not match the type, a float bound on an integer, ...): the type still decides.
        Some("string") => Shape::String {
            format,
            values: string_values(&any.enumeration),
        },
        Some("integer") => Shape::Integer {
            format,
            values: Vec::new(),
        },
        Some("number") => Shape::Number {
            format,
            values: Vec::new(),
        },
        Some("boolean") => Shape::Boolean,
        Some("array") => Shape::Array { items: None },
        Some("object") => Shape::Object {
            properties: &any.properties,
            required: &any.required,
            additional: None,
        },
        _ if !any.enumeration.is_empty() => Shape::UntypedEnum(&any.enumeration),
        _ => Shape::Any,
    }
}

/// String values of an enum, or none if any value is not a string or null.
fn string_values(values: &[serde_json::Value]) -> Vec<Option<String>> {
    let all_strings = values.iter().all(|v| v.is_string() || v.is_null());
    if !all_strings {
        return Vec::new();
    }
    values
        .iter()
        .map(|v| v.as_str().map(str::to_owned))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape_of(yaml: &str) -> String {
        let schema: Schema = serde_yaml::from_str(yaml).unwrap();
        match classify(&schema) {
            Shape::String { .. } => "string".into(),
            Shape::Object { .. } => "object".into(),
            Shape::Array { .. } => "array".into(),
            _ => "other".into(),
        }
    }

    /// Object keywords beside a scalar type constrain only objects: the value is the scalar.
    #[test]
    fn object_keywords_beside_a_scalar_type_do_not_make_an_object() {
        let email = "{type: string, format: email, additionalProperties: false}";
        assert_eq!(shape_of(email), "string");
        assert_eq!(
            shape_of("{additionalProperties: false, properties: {a: {type: string}}}"),
            "object"
        );
        assert_eq!(
            shape_of("{type: object, additionalProperties: false}"),
            "object"
        );
    }
}
