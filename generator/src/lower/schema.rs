//! Schemas to types.

use super::dispatch;
use super::reach::Node;
use super::shape::{classify, Properties, Shape};
use super::{Lowerer, Mode};
use crate::docs::{self, code};
use crate::error::{child, Error};
use crate::ir::{
    Decode, Enum, EnumRepr, EnumVariant, Field, Presence, Struct, TypeDef, TypeKind, TypeRef,
    Union, UnionVariant,
};
use crate::names::{self, Namespace};
use indexmap::IndexMap;
use openapiv3::{AdditionalProperties, ReferenceOr, Schema, SchemaData, SchemaKind};

/// How a schema is used: its type, and whether the position also allows `null`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Use {
    pub ty: TypeRef,
    pub nullable: bool,
}

impl Use {
    fn of(ty: TypeRef) -> Self {
        Use {
            ty,
            nullable: false,
        }
    }

    fn nullable_if(mut self, nullable: bool) -> Self {
        self.nullable |= nullable;
        self
    }
}

/// What name a schema's type gets if it needs one.
#[derive(Debug, Clone)]
pub(crate) enum Slot {
    /// A component: its name is fixed, and even a plain type becomes a named alias.
    Component(String),
    /// An inline schema: a name is claimed from this hint only if a type is defined.
    Inline(String),
}

/// One object schema that contributes properties to a struct (several for `allOf`).
struct ObjectPart<'s> {
    properties: Option<&'s Properties>,
    required: &'s [String],
    additional: Option<&'s AdditionalProperties>,
    pointer: String,
}

/// A property after merging all parts.
struct MergedProperty<'s> {
    node: Node<'s>,
    pointer: String,
}

impl<'a> Lowerer<'a> {
    /// The type of a schema position.
    pub(crate) fn node_use(
        &mut self,
        node: Node<'a>,
        at: &str,
        hint: &str,
        mode: Mode,
    ) -> Result<Use, Error> {
        match node {
            Node::Inline(schema) => self.inline_use(schema, at, hint, mode),
            Node::Ref(reference) => {
                let resolved = self.index.resolve(reference, at)?;
                if let Some(why) = &resolved.degraded {
                    self.note_untyped(at, why.clone());
                    return Ok(Use::of(TypeRef::Json));
                }
                match resolved.component {
                    Some(component) => self.component_use(component, mode),
                    None => self.nested_use(resolved, hint, mode),
                }
            }
        }
    }

    /// A schema a reference points at inside another one (`#/components/schemas/A/allOf/0`,
    /// or one under a path). It gets a named type, lowered once, like a component: references
    /// to it may come from anywhere, including from inside itself.
    fn nested_use(
        &mut self,
        resolved: super::refs::Resolved<'a>,
        hint: &str,
        mode: Mode,
    ) -> Result<Use, Error> {
        let schema = resolved.schema;
        let mode = if self.schema_differs(schema) {
            mode
        } else {
            Mode::Response
        };
        let key = (resolved.pointer.clone(), mode);
        if let Some(found) = self.nested_types.get(&key) {
            return Ok(found.clone());
        }
        let wanted = match resolved.pointer.strip_prefix("#/components/schemas/") {
            Some(rest) => names::type_name(&rest.replace(['/', '~'], " ")),
            None => hint.to_owned(),
        };
        let name = self.type_names.claim(&super::model_name(wanted));
        let nullable = self.schema_nullable(schema);
        let used = Use {
            ty: TypeRef::Named(name.clone()),
            nullable,
        };
        self.nested_types.insert(key, used.clone());
        self.lower_schema(schema, &resolved.pointer, Slot::Component(name), mode)?;
        Ok(used)
    }

    /// The type of a component in a mode: lowered once, then reused.
    pub(crate) fn component_use(&mut self, component: &str, mode: Mode) -> Result<Use, Error> {
        let pointer = crate::error::pointer(["components", "schemas", component]);
        let Some(item) = self.index.component(component) else {
            return Err(Error::new(pointer, "missing component"));
        };
        let nullable = match item {
            ReferenceOr::Item(schema) => self.schema_nullable(schema),
            ReferenceOr::Reference { .. } => false,
        };
        let differs = self.component_differs(component);
        let mode = if differs { mode } else { Mode::Response };
        let key = (component.to_owned(), mode);
        if let Some(rust) = self.component_types.get(&key) {
            return Ok(Use {
                ty: TypeRef::Named(rust.clone()),
                nullable,
            });
        }
        let base = self.component_names[component].clone();
        let rust = if !differs || mode == self.primary_mode(component) {
            base
        } else {
            let suffix = match mode {
                Mode::Request => "Request",
                Mode::Response => "Response",
            };
            self.type_names.claim(&format!("{base}{suffix}"))
        };
        self.component_types.insert(key, rust.clone());
        match item {
            ReferenceOr::Item(schema) => {
                self.lower_schema(schema, &pointer, Slot::Component(rust.clone()), mode)?;
            }
            ReferenceOr::Reference { reference } => {
                let target = self.node_use(Node::Ref(reference), &pointer, &rust, mode)?;
                let doc = format!("Another name for the {} schema.", code(reference));
                self.add_def(&rust, &pointer, doc, false, TypeKind::Alias(target.ty));
                return Ok(Use {
                    ty: TypeRef::Named(rust),
                    nullable: target.nullable,
                });
            }
        }
        Ok(Use {
            ty: TypeRef::Named(rust),
            nullable,
        })
    }

    fn inline_use(
        &mut self,
        schema: &'a Schema,
        at: &str,
        hint: &str,
        mode: Mode,
    ) -> Result<Use, Error> {
        let mode = if self.schema_differs(schema) {
            mode
        } else {
            Mode::Response
        };
        let key = (at.to_owned(), mode);
        if let Some(found) = self.inline_types.get(&key) {
            return Ok(found.clone());
        }
        // An inline schema met again while it is being lowered contains itself, through an
        // `allOf` of the component it sits in (`Node.child: allOf [Node, ...]`): expanding it
        // would never end.
        // The same schema object can come back under a longer pointer (a map whose values
        // are an allOf of the map itself), so the schema's identity is checked, not its
        // pointer. Only whether a cycle exists depends on it, never a name or an order.
        let identity = (schema as *const Schema as usize, mode);
        if !self.inline_in_progress.insert(identity) {
            self.note_untyped(
                at,
                "this inline schema contains itself (an allOf of the schema it is part of); typed as serde_json::Value",
            );
            return Ok(Use {
                ty: TypeRef::Json,
                nullable: false,
            });
        }
        let lowered = self.lower_schema(schema, at, Slot::Inline(hint.to_owned()), mode);
        self.inline_in_progress.remove(&identity);
        let lowered = lowered?;
        self.inline_types.insert(key, lowered.clone());
        Ok(lowered)
    }

    /// Whether a schema allows `null` (`nullable`, or a `null` among its values or variants).
    pub(crate) fn schema_nullable(&self, schema: &Schema) -> bool {
        if schema.schema_data.nullable {
            return true;
        }
        match classify(schema) {
            Shape::String { values, .. } => values.iter().any(Option::is_none),
            Shape::Integer { values, .. } => values.iter().any(Option::is_none),
            Shape::Number { values, .. } => values.iter().any(Option::is_none),
            Shape::UntypedEnum(values) => values.iter().any(serde_json::Value::is_null),
            Shape::OneOf(list) | Shape::AnyOf(list) => list
                .iter()
                .any(|item| self.is_null_schema(Node::from(item))),
            Shape::Any => {
                matches!(&schema.schema_kind, SchemaKind::Any(a) if a.typ.as_deref() == Some("null"))
            }
            _ => false,
        }
    }

    fn resolve_node(&self, node: Node<'a>) -> Option<&'a Schema> {
        match node {
            Node::Inline(s) => Some(s),
            Node::Ref(r) => self.index.resolve(r, "#").ok().map(|r| r.schema),
        }
    }

    /// `enum: [null]` (drf-spectacular's `NullEnum`) or `type: 'null'`.
    fn is_null_schema(&self, node: Node<'a>) -> bool {
        let Some(schema) = self.resolve_node(node) else {
            return false;
        };
        match &schema.schema_kind {
            SchemaKind::Any(a) => {
                a.typ.as_deref() == Some("null")
                    || (!a.enumeration.is_empty()
                        && a.enumeration.iter().all(serde_json::Value::is_null))
            }
            SchemaKind::Type(openapiv3::Type::String(s)) => {
                !s.enumeration.is_empty() && s.enumeration.iter().all(Option::is_none)
            }
            _ => false,
        }
    }

    /// `not: {}`: a schema no value matches.
    fn is_never(&self, node: Node<'a>) -> bool {
        let Some(schema) = self.resolve_node(node) else {
            return false;
        };
        matches!(&schema.schema_kind, SchemaKind::Not { not } if matches!(
            not.as_ref(),
            ReferenceOr::Item(inner) if matches!(&inner.schema_kind, SchemaKind::Any(a) if *a == openapiv3::AnySchema::default())
        ))
    }

    /// `enum: ['']` (drf-spectacular's `BlankEnum`).
    fn is_blank_schema(&self, node: Node<'a>) -> bool {
        let Some(schema) = self.resolve_node(node) else {
            return false;
        };
        match &schema.schema_kind {
            SchemaKind::Any(a) => a.enumeration.len() == 1 && a.enumeration[0].as_str() == Some(""),
            SchemaKind::Type(openapiv3::Type::String(s)) => s.enumeration == [Some(String::new())],
            _ => false,
        }
    }

    fn slot_name(&mut self, slot: &Slot) -> String {
        match slot {
            Slot::Component(name) => name.clone(),
            Slot::Inline(hint) => self.type_names.claim(hint),
        }
    }

    pub(crate) fn add_def(
        &mut self,
        name: &str,
        pointer: &str,
        doc: String,
        deprecated: bool,
        kind: TypeKind,
    ) {
        let def = TypeDef {
            written_at: String::new(),
            name: name.to_owned(),
            source: pointer.to_owned(),
            doc,
            deprecated,
            derives: Default::default(),
            kind,
            features: Vec::new(),
        };
        self.types.insert(name.to_owned(), def);
    }

    /// A plain type: named as an alias if it is a component, returned as is otherwise.
    fn plain(
        &mut self,
        slot: &Slot,
        schema: &Schema,
        pointer: &str,
        ty: TypeRef,
        nullable: bool,
    ) -> Use {
        match slot {
            Slot::Inline(_) => Use { ty, nullable },
            Slot::Component(name) => {
                let doc = self.type_doc(schema, slot, pointer);
                self.add_def(
                    name,
                    pointer,
                    doc,
                    schema.schema_data.deprecated,
                    TypeKind::Alias(ty),
                );
                Use {
                    ty: TypeRef::Named(name.clone()),
                    nullable,
                }
            }
        }
    }

    fn type_doc(&self, schema: &Schema, slot: &Slot, pointer: &str) -> String {
        let data = &schema.schema_data;
        let text = describe(data);
        if !text.is_empty() {
            return text;
        }
        match slot {
            // The schema's name as written (`HashMap`), which the Rust name may not be.
            Slot::Component(name) => {
                let written = ["#/components/schemas/", "#/definitions/"]
                    .iter()
                    .find_map(|prefix| pointer.strip_prefix(prefix))
                    .filter(|rest| !rest.is_empty() && !rest.contains('/'))
                    .map(|rest| rest.replace("~1", "/").replace("~0", "~"));
                format!("The {} schema.", code(written.as_deref().unwrap_or(name)))
            }
            Slot::Inline(_) => String::from("A type defined inline in the API description."),
        }
    }

    /// Lowers one schema. `slot` says what to call a type it defines.
    pub(crate) fn lower_schema(
        &mut self,
        schema: &'a Schema,
        pointer: &str,
        slot: Slot,
        mode: Mode,
    ) -> Result<Use, Error> {
        let nullable = self.schema_nullable(schema);
        match classify(schema) {
            Shape::String { format, values } => {
                let values: Vec<String> = values.into_iter().flatten().collect();
                if values.is_empty() {
                    let ty = self.string_type(format);
                    return Ok(self.plain(&slot, schema, pointer, ty, nullable));
                }
                let name = self.slot_name(&slot);
                let kind = TypeKind::Enum(string_enum(&values, schema));
                let doc = self.type_doc(schema, &slot, pointer);
                self.add_def(&name, pointer, doc, schema.schema_data.deprecated, kind);
                Ok(Use {
                    ty: TypeRef::Named(name),
                    nullable,
                })
            }
            Shape::Integer { format, values } => {
                let values: Vec<i64> = values.into_iter().flatten().collect();
                if values.is_empty() {
                    let ty = integer_type(format);
                    return Ok(self.plain(&slot, schema, pointer, ty, nullable));
                }
                let name = self.slot_name(&slot);
                let kind = TypeKind::Enum(int_enum(&values, schema));
                let doc = self.type_doc(schema, &slot, pointer);
                self.add_def(&name, pointer, doc, schema.schema_data.deprecated, kind);
                Ok(Use {
                    ty: TypeRef::Named(name),
                    nullable,
                })
            }
            Shape::Number { format, .. } => {
                let ty = if format == Some("float") {
                    TypeRef::F32
                } else {
                    TypeRef::F64
                };
                Ok(self.plain(&slot, schema, pointer, ty, nullable))
            }
            Shape::Boolean => Ok(self.plain(&slot, schema, pointer, TypeRef::Bool, nullable)),
            Shape::UntypedEnum(values) if values.iter().all(serde_json::Value::is_null) => {
                Ok(self.plain(&slot, schema, pointer, TypeRef::Null, true))
            }
            Shape::UntypedEnum(values) => {
                let strings: Vec<String> = values
                    .iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect();
                let ints: Vec<i64> = values
                    .iter()
                    .filter_map(serde_json::Value::as_i64)
                    .collect();
                let non_null = values.iter().filter(|v| !v.is_null()).count();
                let kind = if !strings.is_empty() && strings.len() == non_null {
                    TypeKind::Enum(string_enum(&strings, schema))
                } else if !ints.is_empty() && ints.len() == non_null {
                    TypeKind::Enum(int_enum(&ints, schema))
                } else {
                    return Ok(self.plain(&slot, schema, pointer, TypeRef::Json, nullable));
                };
                let name = self.slot_name(&slot);
                let doc = self.type_doc(schema, &slot, pointer);
                self.add_def(&name, pointer, doc, schema.schema_data.deprecated, kind);
                Ok(Use {
                    ty: TypeRef::Named(name),
                    nullable,
                })
            }
            Shape::Object {
                properties,
                required,
                additional,
            } => {
                if properties.is_empty() {
                    let hint = self.hint_of(&slot);
                    let ty = self.map_type(additional, pointer, &hint, mode)?;
                    return Ok(self.plain(&slot, schema, pointer, ty, nullable));
                }
                let part = ObjectPart {
                    properties: Some(properties),
                    required,
                    additional,
                    pointer: pointer.to_owned(),
                };
                self.define_struct(&slot, schema, pointer, vec![part], mode)
                    .map(|u| u.nullable_if(nullable))
            }
            Shape::Array { items } => {
                let hint = format!("{}Item", self.hint_of(&slot));
                let item = match items {
                    Some(items) => {
                        self.node_use(Node::from(items), &child(pointer, "items"), &hint, mode)?
                    }
                    None => Use::of(TypeRef::Json),
                };
                let ty = TypeRef::Vec(Box::new(wrap_nullable(item)));
                Ok(self.plain(&slot, schema, pointer, ty, nullable))
            }
            Shape::Tuple(list) => {
                let hint = self.hint_of(&slot);
                let mut items = Vec::with_capacity(list.len());
                for (i, item) in list.iter().enumerate() {
                    let at = child(&child(pointer, "prefixItems"), &i.to_string());
                    let used = self.node_use(
                        Node::from(item),
                        &at,
                        &format!("{hint}Item{}", i + 1),
                        mode,
                    )?;
                    items.push(wrap_nullable(used));
                }
                Ok(self.plain(&slot, schema, pointer, TypeRef::Tuple(items), nullable))
            }
            Shape::AllOf { parts, own } => self
                .lower_all_of(schema, pointer, slot, mode, parts, own)
                .map(|u| u.nullable_if(nullable)),
            Shape::OneOf(list) | Shape::AnyOf(list) => self
                .lower_choice(schema, pointer, slot, mode, list)
                .map(|u| u.nullable_if(nullable)),
            Shape::Not => {
                self.note_untyped(
                    pointer,
                    "`not` cannot be expressed as a type; typed as serde_json::Value",
                );
                Ok(self.plain(&slot, schema, pointer, TypeRef::Json, nullable))
            }
            Shape::Any => Ok(self.plain(&slot, schema, pointer, TypeRef::Json, nullable)),
        }
    }

    /// The name a child type's name starts with.
    fn hint_of(&self, slot: &Slot) -> String {
        match slot {
            Slot::Component(name) | Slot::Inline(name) => name.clone(),
        }
    }

    fn string_type(&mut self, format: Option<&str>) -> TypeRef {
        match format {
            Some("date-time") => {
                self.needs.chrono = true;
                TypeRef::DateTime
            }
            Some("date") => {
                self.needs.chrono = true;
                TypeRef::Date
            }
            Some("uuid") => {
                self.needs.uuid = true;
                TypeRef::Uuid
            }
            Some("byte") => TypeRef::Base64,
            Some("binary") if self.files => TypeRef::File,
            _ => TypeRef::String,
        }
    }

    fn map_type(
        &mut self,
        additional: Option<&'a AdditionalProperties>,
        pointer: &str,
        hint: &str,
        mode: Mode,
    ) -> Result<TypeRef, Error> {
        let value = match additional {
            Some(AdditionalProperties::Schema(s)) => {
                let value = self.node_use(
                    Node::from(&**s),
                    &child(pointer, "additionalProperties"),
                    &format!("{hint}Value"),
                    mode,
                )?;
                wrap_nullable(value)
            }
            _ => TypeRef::Json,
        };
        Ok(TypeRef::Map(Box::new(value)))
    }

    fn define_struct(
        &mut self,
        slot: &Slot,
        schema: &'a Schema,
        pointer: &str,
        parts: Vec<ObjectPart<'a>>,
        mode: Mode,
    ) -> Result<Use, Error> {
        let name = self.slot_name(slot);
        let doc = self.type_doc(schema, slot, pointer);
        // Register the name before lowering fields so that self-references resolve.
        self.add_def(
            &name,
            pointer,
            doc.clone(),
            schema.schema_data.deprecated,
            TypeKind::Alias(TypeRef::Json),
        );
        let lowered = self.lower_struct(&name, parts, mode)?;
        self.add_def(
            &name,
            pointer,
            doc,
            schema.schema_data.deprecated,
            TypeKind::Struct(lowered),
        );
        Ok(Use::of(TypeRef::Named(name)))
    }

    fn lower_struct(
        &mut self,
        name: &str,
        parts: Vec<ObjectPart<'a>>,
        mode: Mode,
    ) -> Result<Struct, Error> {
        let mut merged: IndexMap<&'a str, MergedProperty<'a>> = IndexMap::new();
        let mut required: Vec<&str> = Vec::new();
        // Where each required name is listed, to find those no part defines.
        let mut undefined_at: Vec<(&str, String)> = Vec::new();
        let mut additional = None;
        for part in &parts {
            for (wire, prop) in part.properties.into_iter().flatten() {
                let pointer = child(&child(&part.pointer, "properties"), wire);
                let entry = MergedProperty {
                    node: Node::from(prop),
                    pointer,
                };
                // A later part refines an earlier one; the first position is kept.
                merged.insert(wire.as_str(), entry);
            }
            required.extend(part.required.iter().map(String::as_str));
            undefined_at.extend(
                part.required
                    .iter()
                    .map(|name| (name.as_str(), child(&part.pointer, "required"))),
            );
            if part.additional.is_some() {
                additional = part.additional.map(|a| (a, part.pointer.clone()));
            }
        }
        let mut field_names = Namespace::default();
        let mut fields = Vec::with_capacity(merged.len());
        let merged_names: std::collections::HashSet<&str> = merged.keys().copied().collect();
        for (wire, prop) in merged {
            let data = self.resolve_node(prop.node).map(|s| &s.schema_data);
            let read_only = data.is_some_and(|d| d.read_only);
            let write_only = data.is_some_and(|d| d.write_only);
            if mode == Mode::Request && read_only {
                continue;
            }
            let is_required = required.contains(&wire) && !(mode == Mode::Response && write_only);
            let hint = format!("{name}{}", names::type_name(wire));
            let used = self.node_use(prop.node, &prop.pointer, &hint, mode)?;
            let presence = match (is_required, used.nullable, used.ty == TypeRef::Json) {
                (true, false, _) | (true, true, true) => Presence::Required,
                (true, true, false) => Presence::RequiredNullable,
                (false, _, true) => Presence::OptionalJson,
                (false, true, false) => Presence::OptionalNullable,
                (false, false, false) => Presence::Optional,
            };
            let inline = match prop.node {
                Node::Inline(s) => Some(s),
                Node::Ref(_) => None,
            };
            let decode = match used.ty {
                TypeRef::I32 | TypeRef::I64 => Decode::LenientInteger,
                _ => Decode::Strict,
            };
            fields.push(Field {
                decode,
                name: field_names.claim(&names::value_name(wire)),
                wire: wire.to_owned(),
                doc: field_doc(wire, data, inline, mode),
                ty: used.ty,
                presence,
                boxed: false,
                deprecated: data.is_some_and(|d| d.deprecated),
                setter: None,
            });
        }
        // A required name no part defines (the description forgot it) is still a property the
        // server expects; without a field for it, a typed value could never carry it. A map of
        // additional properties carries it already.
        if additional.is_none() {
            for (wire, at) in undefined_at {
                if merged_names.contains(wire) || fields.iter().any(|f| f.wire == wire) {
                    continue;
                }
                let message = format!(
                    "`{wire}` is required but never defined; kept as an optional serde_json::Value field"
                );
                if !self
                    .notes
                    .iter()
                    .any(|n| n.pointer == at && n.message == message)
                {
                    self.note_untyped(&at, message);
                }
                fields.push(Field {
                    decode: Decode::Strict,
                    name: field_names.claim(&names::value_name(wire)),
                    wire: wire.to_owned(),
                    doc: format!(
                        "The `{wire}` field, which the API description requires but does not define."
                    ),
                    ty: TypeRef::Json,
                    presence: Presence::OptionalJson,
                    boxed: false,
                    deprecated: false,
                    setter: None,
                });
            }
        }
        let additional = match additional {
            Some((AdditionalProperties::Schema(s), pointer)) => {
                let hint = format!("{name}Value");
                let value = self.node_use(
                    Node::from(&**s),
                    &child(&pointer, "additionalProperties"),
                    &hint,
                    mode,
                )?;
                Some(wrap_nullable(value))
            }
            Some((AdditionalProperties::Any(true), _)) => Some(TypeRef::Json),
            Some((AdditionalProperties::Any(false), _)) | None => None,
        };
        Ok(Struct {
            fields,
            additional,
            construction: crate::ir::Construction::Literal { constructor: false },
        })
    }

    fn lower_all_of(
        &mut self,
        schema: &'a Schema,
        pointer: &str,
        slot: Slot,
        mode: Mode,
        parts: &'a [ReferenceOr<Schema>],
        own: Option<super::shape::OwnObject<'a>>,
    ) -> Result<Use, Error> {
        let hint = self.hint_of(&slot);
        // drf-spectacular wraps a single reference to add `nullable`, `readOnly` or a
        // description: that is the referenced type itself.
        let meaningful: Vec<(usize, &'a ReferenceOr<Schema>)> = parts
            .iter()
            .enumerate()
            .filter(|(_, p)| !self.is_trivial(Node::from(*p)))
            .collect();
        if own.is_none() && meaningful.len() == 1 {
            let (i, part) = meaningful[0];
            let at = child(&child(pointer, "allOf"), &i.to_string());
            let used = self.node_use(Node::from(part), &at, &hint, mode)?;
            return Ok(self.plain(&slot, schema, pointer, used.ty, used.nullable));
        }
        let mut object_parts = Vec::new();
        let mut complete = true;
        let mut gathered = std::collections::HashSet::new();
        for (i, part) in parts.iter().enumerate() {
            let at = child(&child(pointer, "allOf"), &i.to_string());
            complete &= self.gather_object_parts(
                Node::from(part),
                &at,
                &mut object_parts,
                &mut gathered,
                0,
            )?;
        }
        if let Some(own) = own {
            object_parts.push(ObjectPart {
                properties: Some(own.properties),
                required: own.required,
                additional: own.additional,
                pointer: pointer.to_owned(),
            });
        }
        if !complete {
            self.note_untyped(
                pointer,
                "allOf mixes objects with other kinds of schema; typed as serde_json::Value",
            );
            return Ok(self.plain(&slot, schema, pointer, TypeRef::Json, false));
        }
        let has_properties = object_parts
            .iter()
            .any(|p| p.properties.is_some_and(|p| !p.is_empty()));
        if !has_properties {
            let additional = object_parts.iter().rev().find_map(|p| p.additional);
            let ty = self.map_type(additional, pointer, &hint, mode)?;
            return Ok(self.plain(&slot, schema, pointer, ty, false));
        }
        self.define_struct(&slot, schema, pointer, object_parts, mode)
    }

    /// A part that adds nothing to a type (`{}`, or only a description).
    fn is_trivial(&self, node: Node<'a>) -> bool {
        match node {
            Node::Ref(_) => false,
            Node::Inline(s) => {
                matches!(&s.schema_kind, SchemaKind::Any(a) if *a == openapiv3::AnySchema::default())
            }
        }
    }

    /// Collects the object parts of an `allOf` member. Returns false when a member is not an
    /// object (so the parts cannot be merged into a struct).
    ///
    /// A component is gathered once (`gathered`): it adds the same properties however often
    /// `allOf`s name it, and walking it again for each mention would take exponential time on
    /// `A: allOf [B, B]`, `B: allOf [C, C]`, ... (or a schema that includes itself).
    fn gather_object_parts(
        &mut self,
        node: Node<'a>,
        at: &str,
        out: &mut Vec<ObjectPart<'a>>,
        gathered: &mut std::collections::HashSet<String>,
        depth: usize,
    ) -> Result<bool, Error> {
        if depth > 32 {
            return Ok(false);
        }
        let (schema, pointer) = match node {
            Node::Inline(s) => (s, at.to_owned()),
            Node::Ref(r) => {
                let resolved = self.index.resolve(r, at)?;
                if !gathered.insert(resolved.pointer.clone()) {
                    return Ok(true);
                }
                (resolved.schema, resolved.pointer)
            }
        };
        match (&schema.schema_kind, classify(schema)) {
            (
                _,
                Shape::Object {
                    properties,
                    required,
                    additional,
                },
            ) => {
                out.push(ObjectPart {
                    properties: Some(properties),
                    required,
                    additional,
                    pointer,
                });
                Ok(true)
            }
            (_, Shape::AllOf { parts, own }) => {
                let mut complete = true;
                for (i, part) in parts.iter().enumerate() {
                    let at = child(&child(&pointer, "allOf"), &i.to_string());
                    complete &=
                        self.gather_object_parts(Node::from(part), &at, out, gathered, depth + 1)?;
                }
                if let Some(own) = own {
                    out.push(ObjectPart {
                        properties: Some(own.properties),
                        required: own.required,
                        additional: own.additional,
                        pointer,
                    });
                }
                Ok(complete)
            }
            // Only `required`, a description, or nothing: it adds required names at most.
            (SchemaKind::Any(a), Shape::Any) => {
                out.push(ObjectPart {
                    properties: None,
                    required: &a.required,
                    additional: None,
                    pointer,
                });
                Ok(true)
            }
            // oneOf/anyOf inside allOf, or a scalar: not mergeable.
            _ => Ok(false),
        }
    }

    fn lower_choice(
        &mut self,
        schema: &'a Schema,
        pointer: &str,
        slot: Slot,
        mode: Mode,
        list: &'a [ReferenceOr<Schema>],
    ) -> Result<Use, Error> {
        let keyword = if matches!(classify(schema), Shape::OneOf(_)) {
            "oneOf"
        } else {
            "anyOf"
        };
        let hint = self.hint_of(&slot);
        let mut nullable = false;
        let mut blank = false;
        // A `{}` branch: any value, kept as JSON where no other branch reads it.
        let mut anything = false;
        let mut rest = Vec::new();
        for (i, item) in list.iter().enumerate() {
            let node = Node::from(item);
            let at = child(&child(pointer, keyword), &i.to_string());
            if self.is_null_schema(node) {
                nullable = true;
            } else if self.is_trivial(node)
                && self
                    .resolve_node(node)
                    .is_some_and(|s| s.schema_data.nullable)
            {
                nullable = true;
                self.note(
                    &at,
                    "`{nullable: true}` without a type is read as `null`, as the schema \
                     generators that write it mean (\"or null\"); by the letter of OpenAPI 3.0 it \
                     allows any value",
                );
            } else if list.len() > 1 && is_null_placeholder(node) {
                // Microsoft Graph's `anyOf: [{$ref: X}, {type: object, nullable: true}]`.
                nullable = true;
                self.note(
                    &at,
                    "`{type: object, nullable: true}` without properties beside another branch \
                     is read as `null` (\"or null\", as Microsoft Graph's documents mean it); by \
                     the letter it allows any object",
                );
            } else if self.is_never(node) {
                self.note(
                    &at,
                    "the branch `{not: {}}` allows no value and is left out",
                );
            } else if self.is_blank_schema(node) {
                blank = true;
            } else if self.is_trivial(node) {
                anything = true;
            } else {
                rest.push((i, node));
            }
        }
        let anything = anything && !rest.is_empty();
        if anything {
            self.note(
                pointer,
                format!(
                    "a `{{}}` branch of the `{keyword}` allows any value: a value no other \
                     branch reads is kept as JSON (`Other`)"
                ),
            );
        }
        if rest.is_empty() {
            let ty = if blank {
                TypeRef::String
            } else {
                TypeRef::Json
            };
            return Ok(self.plain(&slot, schema, pointer, ty, nullable));
        }
        if rest.len() == 1 && !anything {
            let (i, node) = rest[0];
            let at = child(&child(pointer, keyword), &i.to_string());
            let used = self.node_use(node, &at, &hint, mode)?;
            if blank {
                self.accept_blank(&used.ty, pointer);
            }
            return Ok(self.plain(&slot, schema, pointer, used.ty, used.nullable || nullable));
        }
        // A real union.
        let name = self.slot_name(&slot);
        let doc = self.type_doc(schema, &slot, pointer);
        self.add_def(
            &name,
            pointer,
            doc.clone(),
            schema.schema_data.deprecated,
            TypeKind::Alias(TypeRef::Json),
        );
        let mut variant_names = Namespace::default();
        let mut variants: Vec<UnionVariant> = Vec::new();
        let discriminator = schema.schema_data.discriminator.as_ref();
        for (i, node) in rest {
            let at = child(&child(pointer, keyword), &i.to_string());
            let variant_hint = format!("{name}{}", variant_hint(node, i));
            let used = self.node_use(node, &at, &variant_hint, mode)?;
            nullable |= used.nullable;
            if variants.iter().any(|v| v.ty == used.ty) {
                continue;
            }
            let mut tags = match (discriminator, node) {
                (Some(d), Node::Ref(reference)) => discriminator_tags(d, reference),
                _ => Vec::new(),
            };
            // Without a mapping the tag is the component's name, by the letter of the
            // specification; real APIs (Spotify's `type: track`) send the value the variant's
            // own schema fixes for the property instead. Both are accepted, and that value is
            // the one written.
            if let (Some(d), Node::Ref(_)) = (discriminator, node) {
                let mapped = tags.iter().any(|t| d.mapping.contains_key(t));
                if let Some((constant, _)) =
                    dispatch::constant(&self.types, &used.ty, &d.property_name)
                {
                    if !mapped && !tags.contains(&constant) {
                        tags.insert(0, constant);
                    }
                }
            }
            let wanted = self.variant_name(&used.ty);
            // An inline variant type is named after the union (`WrapperChoiceById`); inside
            // the union, the part after the union's name is enough (`ById`).
            let wanted = match wanted.strip_prefix(name.as_str()) {
                Some(rest) if rest.starts_with(|c: char| c.is_ascii_uppercase()) => rest.to_owned(),
                _ => wanted,
            };
            let schema = match node {
                Node::Ref(reference) => reference.to_owned(),
                Node::Inline(_) => at,
            };
            variants.push(UnionVariant {
                name: variant_names.claim(&wanted),
                ty: used.ty,
                tags,
                writes: Vec::new(),
                boxed: false,
                schema,
                properties: None,
            });
        }
        if blank && !variants.iter().any(|v| v.ty == TypeRef::String) {
            variants.push(UnionVariant::added(
                variant_names.claim("String"),
                TypeRef::String,
            ));
        }
        let tagged = discriminator.is_some() && variants.iter().all(|v| !v.tags.is_empty());
        let mut property = tagged
            .then(|| discriminator.map(|d| d.property_name.clone()))
            .flatten();
        if !tagged {
            for v in &mut variants {
                v.tags.clear();
            }
            // Variants told apart by a property with one allowed value each (`type: A` or
            // `const: A`) are tagged by it: generated enums accept unknown values, so trying
            // the variants in turn would decode every record as the first one.
            let tys: Vec<&TypeRef> = variants.iter().map(|v| &v.ty).collect();
            if let Some((wire, tags)) = dispatch::constant_property(&self.types, &tys, None) {
                for (v, tag) in variants.iter_mut().zip(tags) {
                    v.tags = vec![tag];
                }
                property = Some(wire);
            } else {
                variants.sort_by_key(|v| dispatch::specificity(&self.types, &v.ty));
            }
        }
        let by_properties =
            property.is_none() && dispatch::known_properties(&self.types, &mut variants);
        if anything && !variants.iter().any(|v| v.ty == TypeRef::Json) {
            variants.push(UnionVariant::added(
                variant_names.claim("Other"),
                TypeRef::Json,
            ));
        }
        let fallback = (anything && property.is_some())
            .then(|| variants.iter().find(|v| v.ty == TypeRef::Json))
            .flatten()
            .map(|v| v.name.clone());
        let arms = match &property {
            Some(property) => {
                let plan = dispatch::plan(&self.types, &mut variants, property);
                for line in plan.shared {
                    self.note(pointer, line);
                }
                plan.arms
            }
            None => Vec::new(),
        };
        let mut union = Union {
            variants,
            discriminator: property,
            arms,
            by_properties,
            fallback: None,
        };
        if let Some(fallback) = fallback {
            union.set_fallback(fallback);
        }
        self.add_def(
            &name,
            pointer,
            doc,
            schema.schema_data.deprecated,
            TypeKind::Union(union),
        );
        Ok(Use {
            ty: TypeRef::Named(name),
            nullable,
        })
    }

    /// drf-spectacular's `oneOf: [XEnum, BlankEnum]`: the enum gets a variant for `""`.
    fn accept_blank(&mut self, ty: &TypeRef, pointer: &str) {
        match ty {
            TypeRef::Named(name) if matches!(self.types.get(name).map(|t| &t.kind), Some(TypeKind::Enum(e)) if e.repr == EnumRepr::String) => {
                self.blank_enums.insert(name.clone());
            }
            TypeRef::String => {}
            _ => self.note(pointer, "a blank value beside a non-string type is not representable; \"\" will fail to decode"),
        }
    }

    /// Adds a `Blank` variant (`""`) to the string enums drf-style unions allow blank.
    pub(crate) fn add_blank_variants(&mut self) {
        for name in std::mem::take(&mut self.blank_enums) {
            let Some(TypeDef {
                kind: TypeKind::Enum(e),
                ..
            }) = self.types.get_mut(&name)
            else {
                continue;
            };
            if e.variants.iter().any(|v| v.wire.is_empty()) {
                continue;
            }
            let mut taken = Namespace::default();
            for v in &e.variants {
                taken.claim(&v.name);
            }
            taken.claim(&e.other);
            e.variants.push(EnumVariant {
                name: taken.claim("Blank"),
                wire: String::new(),
                doc: "The empty string: no value chosen.".to_owned(),
            });
        }
    }

    fn variant_name(&self, ty: &TypeRef) -> String {
        match ty {
            TypeRef::Named(name) => name.clone(),
            TypeRef::String => "String".into(),
            TypeRef::Bool => "Boolean".into(),
            TypeRef::I32 | TypeRef::I64 => "Integer".into(),
            TypeRef::F32 | TypeRef::F64 => "Number".into(),
            TypeRef::DateTime => "DateTime".into(),
            TypeRef::Date => "Date".into(),
            TypeRef::Uuid => "Uuid".into(),
            TypeRef::Base64 | TypeRef::Bytes => "Bytes".into(),
            TypeRef::File => "File".into(),
            TypeRef::Json => "Value".into(),
            TypeRef::Null => "Null".into(),
            TypeRef::Vec(inner) => format!("{}List", self.variant_name(inner)),
            TypeRef::Map(inner) => format!("{}Map", self.variant_name(inner)),
            TypeRef::Option(inner) => self.variant_name(inner),
            TypeRef::Tuple(_) => "Tuple".into(),
        }
    }
}

/// `Option<T>` for nullable items and values (a free-form value already holds null).
fn wrap_nullable(used: Use) -> TypeRef {
    if used.nullable && used.ty != TypeRef::Json {
        TypeRef::Option(Box::new(used.ty))
    } else {
        used.ty
    }
}

fn integer_type(format: Option<&str>) -> TypeRef {
    match format {
        Some("int32") => TypeRef::I32,
        _ => TypeRef::I64,
    }
}

fn int_enum(values: &[i64], schema: &Schema) -> Enum {
    let wires: Vec<String> = values.iter().map(i64::to_string).collect();
    enum_type(EnumRepr::Integer, &wires, schema)
}

pub(crate) fn string_enum(values: &[String], schema: &Schema) -> Enum {
    enum_type(EnumRepr::String, values, schema)
}

/// An enum of the given wire values. A value listed twice (`enum: [1, 2, 1]`, which real
/// documents have) is one variant, named and documented from its first listing.
fn enum_type(repr: EnumRepr, wires: &[String], schema: &Schema) -> Enum {
    let names = extension_names(schema, wires.len());
    let descriptions = extension_descriptions(schema, wires.len());
    let mut namespace = Namespace::default();
    let mut seen = std::collections::HashSet::new();
    let variants = wires
        .iter()
        .enumerate()
        .filter(|(_, wire)| seen.insert(wire.as_str()))
        .map(|(i, wire)| {
            let wanted = names
                .as_ref()
                .map(|n| names::type_name(&n[i]))
                .unwrap_or_else(|| names::type_name(wire));
            let doc = descriptions
                .as_ref()
                .map(|d| docs::sanitize(&d[i]))
                .filter(|d| !d.is_empty());
            EnumVariant {
                name: namespace.claim(&wanted),
                doc: doc.unwrap_or_else(|| code(wire)),
                wire: wire.clone(),
            }
        })
        .collect();
    Enum {
        repr,
        variants,
        other: namespace.claim("Unknown"),
    }
}

/// Variant names from `x-enum-varnames` / `x-enumNames`, when they match the values.
fn extension_names(schema: &Schema, len: usize) -> Option<Vec<String>> {
    string_list_extension(
        schema,
        &["x-enum-varnames", "x-enumNames", "x-enum-names"],
        len,
    )
}

/// Variant docs from `x-enum-descriptions`, when they match the values.
fn extension_descriptions(schema: &Schema, len: usize) -> Option<Vec<String>> {
    string_list_extension(schema, &["x-enum-descriptions", "x-enumDescriptions"], len)
}

fn string_list_extension(schema: &Schema, keys: &[&str], len: usize) -> Option<Vec<String>> {
    let list = keys
        .iter()
        .find_map(|k| schema.schema_data.extensions.get(*k))?
        .as_array()?;
    let names: Vec<String> = list
        .iter()
        .filter_map(|v| v.as_str().map(str::to_owned))
        .collect();
    (names.len() == len).then_some(names)
}

/// A name hint for an inline union variant.
/// `{type: object, nullable: true}` with nothing else: how some documents write "or null" as
/// a branch.
fn is_null_placeholder(node: Node<'_>) -> bool {
    let Node::Inline(schema) = node else {
        return false;
    };
    schema.schema_data.nullable
        && matches!(&schema.schema_kind, SchemaKind::Type(openapiv3::Type::Object(o))
            if o.properties.is_empty() && o.additional_properties.is_none() && o.required.is_empty()
                && o.min_properties.is_none() && o.max_properties.is_none())
}

fn variant_hint(node: Node<'_>, index: usize) -> String {
    match node {
        Node::Inline(s) => s
            .schema_data
            .title
            .as_deref()
            .map(names::type_name)
            .unwrap_or_else(|| format!("Variant{}", index + 1)),
        Node::Ref(_) => format!("Variant{}", index + 1),
    }
}

/// Discriminator values that select the component a reference points at.
fn discriminator_tags(d: &openapiv3::Discriminator, reference: &str) -> Vec<String> {
    let target = super::refs::component_name(reference, "schemas");
    let mut tags: Vec<String> = d
        .mapping
        .iter()
        .filter(|(_, to)| {
            *to == reference
                || super::refs::component_name(to, "schemas")
                    .as_deref()
                    .or(Some(to.as_str()))
                    == target.as_deref()
        })
        .map(|(tag, _)| tag.clone())
        .collect();
    if tags.is_empty() {
        if let Some(target) = target {
            tags.push(target);
        }
    }
    tags
}

/// Title and description, sanitised.
pub(crate) fn describe(data: &SchemaData) -> String {
    let description = data
        .description
        .as_deref()
        .map(docs::sanitize)
        .unwrap_or_default();
    let title = data
        .title
        .as_deref()
        .map(docs::sanitize)
        .unwrap_or_default();
    if description.is_empty() {
        title
    } else if title.is_empty() || description.starts_with(&title) {
        description
    } else {
        docs::paragraphs([title, description])
    }
}

/// A field's documentation: its description, then what the schema says about its values.
fn field_doc(wire: &str, data: Option<&SchemaData>, inline: Option<&Schema>, mode: Mode) -> String {
    let described = data.map(describe).unwrap_or_default();
    let mut facts: Vec<String> = Vec::new();
    if let Some(data) = data {
        if data.read_only && mode == Mode::Response {
            facts.push("Read-only: set by the server.".into());
        }
        if data.write_only {
            facts.push("Write-only: the server never returns it.".into());
        }
        if let Some(default) = &data.default {
            facts.push(format!("Default: {}.", code(&default.to_string())));
        }
    }
    if let Some(schema) = inline {
        facts.extend(constraints(schema));
    }
    let first = if described.is_empty() {
        format!("The {} field.", code(wire))
    } else {
        described
    };
    docs::paragraphs([first, facts.join(" ")])
}

/// Value constraints, as sentences.
fn constraints(schema: &Schema) -> Vec<String> {
    let mut out = Vec::new();
    match &schema.schema_kind {
        SchemaKind::Type(openapiv3::Type::String(s)) => {
            if let Some(n) = s.min_length {
                out.push(format!("At least {n} characters."));
            }
            if let Some(n) = s.max_length {
                out.push(format!("At most {n} characters."));
            }
            if let Some(p) = &s.pattern {
                out.push(format!("Pattern: {}.", code(p)));
            }
        }
        SchemaKind::Type(openapiv3::Type::Integer(i)) => {
            // Bounds that are only the type's own range say nothing.
            let (low, high) = match &i.format {
                openapiv3::VariantOrUnknownOrEmpty::Item(openapiv3::IntegerFormat::Int32) => {
                    (i64::from(i32::MIN), i64::from(i32::MAX))
                }
                _ => (i64::MIN, i64::MAX),
            };
            let low_range = [low, i64::MIN, i64::from(i32::MIN)];
            let high_range = [high, i64::MAX, i64::from(i32::MAX)];
            let minimum = i.minimum.filter(|m| !low_range.contains(m));
            let maximum = i.maximum.filter(|m| !high_range.contains(m));
            out.extend(bound("Minimum", minimum, i.exclusive_minimum));
            out.extend(bound("Maximum", maximum, i.exclusive_maximum));
        }
        SchemaKind::Type(openapiv3::Type::Number(n)) => {
            let extreme = |v: &f64| {
                v.abs() >= f64::MAX || v.abs() == f64::from(f32::MAX) || v.abs() >= 1.7e308
            };
            let minimum = n.minimum.filter(|m| !extreme(m));
            let maximum = n.maximum.filter(|m| !extreme(m));
            out.extend(bound("Minimum", minimum, n.exclusive_minimum));
            out.extend(bound("Maximum", maximum, n.exclusive_maximum));
        }
        SchemaKind::Type(openapiv3::Type::Array(a)) => {
            if let Some(n) = a.min_items {
                out.push(format!("At least {n} items."));
            }
            if let Some(n) = a.max_items {
                out.push(format!("At most {n} items."));
            }
        }
        _ => {}
    }
    out
}

/// `Minimum: 3 (exclusive).`
fn bound<T: std::fmt::Display>(label: &str, value: Option<T>, exclusive: bool) -> Option<String> {
    let value = value?;
    Some(format!(
        "{label}: {value}{}.",
        if exclusive { " (exclusive)" } else { "" }
    ))
}
