//! Validation: what cannot be generated is reported before anything else runs, with the JSON
//! pointer of the offending node. Today that is every `$ref` that does not resolve, anywhere
//! in the document (including components nothing uses).

use crate::error::{child, pointer, Error};
use crate::load::Document;
use crate::lower::refs::{self, SchemaIndex};
use openapiv3::{AdditionalProperties, OpenAPI, ReferenceOr, Schema, SchemaKind, Type};

/// Checks a document. Returns the first problem in document order.
pub fn validate(document: &Document) -> Result<(), Error> {
    check_document(document).map_err(|e| document.origins.locate(e))
}

fn check_document(document: &Document) -> Result<(), Error> {
    let doc = &document.openapi;
    let index = SchemaIndex::new(doc);
    let check = Checker { doc, index: &index };
    if let Some(components) = &doc.components {
        for (name, schema) in &components.schemas {
            check.schema_ref(schema, &pointer(["components", "schemas", name]))?;
        }
        for (name, p) in &components.parameters {
            check.parameter(p, &pointer(["components", "parameters", name]))?;
        }
        for (name, r) in &components.responses {
            check.response(r, &pointer(["components", "responses", name]))?;
        }
        for (name, b) in &components.request_bodies {
            check.request_body(b, &pointer(["components", "requestBodies", name]))?;
        }
    }
    for (path, item) in doc.paths.paths.iter() {
        let at = pointer(["paths", path]);
        let ReferenceOr::Item(item) = item else {
            continue;
        };
        for (i, p) in item.parameters.iter().enumerate() {
            check.parameter(p, &child(&child(&at, "parameters"), &i.to_string()))?;
        }
    }
    for site in crate::lower::operation_sites(doc, &document.additional_operations) {
        let (op, op_at) = (site.op, site.pointer);
        for (i, p) in op.parameters.iter().enumerate() {
            check.parameter(p, &child(&child(&op_at, "parameters"), &i.to_string()))?;
        }
        if let Some(body) = &op.request_body {
            check.request_body(body, &child(&op_at, "requestBody"))?;
        }
        if let Some(default) = &op.responses.default {
            check.response(default, &child(&child(&op_at, "responses"), "default"))?;
        }
        for (status, r) in &op.responses.responses {
            check.response(r, &child(&child(&op_at, "responses"), &status.to_string()))?;
        }
    }
    Ok(())
}

struct Checker<'a> {
    doc: &'a OpenAPI,
    index: &'a SchemaIndex<'a>,
}

impl Checker<'_> {
    fn schema_ref(&self, schema: &ReferenceOr<Schema>, at: &str) -> Result<(), Error> {
        match schema {
            ReferenceOr::Reference { reference } => self
                .index
                .resolve(reference, &child(at, "$ref"))
                .map(|_| ()),
            ReferenceOr::Item(s) => self.schema(s, at),
        }
    }

    fn boxed_ref(&self, schema: &ReferenceOr<Box<Schema>>, at: &str) -> Result<(), Error> {
        match schema {
            ReferenceOr::Reference { reference } => self
                .index
                .resolve(reference, &child(at, "$ref"))
                .map(|_| ()),
            ReferenceOr::Item(s) => self.schema(s, at),
        }
    }

    fn schema(&self, schema: &Schema, at: &str) -> Result<(), Error> {
        let list = |name: &str, items: &[ReferenceOr<Schema>]| -> Result<(), Error> {
            for (i, item) in items.iter().enumerate() {
                self.schema_ref(item, &child(&child(at, name), &i.to_string()))?;
            }
            Ok(())
        };
        let properties =
            |props: &indexmap::IndexMap<String, ReferenceOr<Box<Schema>>>| -> Result<(), Error> {
                for (name, prop) in props {
                    self.boxed_ref(prop, &child(&child(at, "properties"), name))?;
                }
                Ok(())
            };
        let additional = |a: &Option<AdditionalProperties>| -> Result<(), Error> {
            match a {
                Some(AdditionalProperties::Schema(s)) => {
                    self.schema_ref(s, &child(at, "additionalProperties"))
                }
                _ => Ok(()),
            }
        };
        match &schema.schema_kind {
            SchemaKind::Type(Type::Object(o)) => {
                properties(&o.properties)?;
                additional(&o.additional_properties)
            }
            SchemaKind::Type(Type::Array(a)) => match &a.items {
                Some(items) => self.boxed_ref(items, &child(at, "items")),
                None => Ok(()),
            },
            SchemaKind::Type(_) => Ok(()),
            SchemaKind::OneOf { one_of } => list("oneOf", one_of),
            SchemaKind::AllOf { all_of } => list("allOf", all_of),
            SchemaKind::AnyOf { any_of } => list("anyOf", any_of),
            SchemaKind::Not { not } => self.schema_ref(not, &child(at, "not")),
            SchemaKind::Any(any) => {
                properties(&any.properties)?;
                additional(&any.additional_properties)?;
                if let Some(items) = &any.items {
                    self.boxed_ref(items, &child(at, "items"))?;
                }
                list("oneOf", &any.one_of)?;
                list("allOf", &any.all_of)?;
                list("anyOf", &any.any_of)?;
                match &any.not {
                    Some(not) => self.schema_ref(not, &child(at, "not")),
                    None => Ok(()),
                }
            }
        }
    }

    fn content(
        &self,
        content: &indexmap::IndexMap<String, openapiv3::MediaType>,
        at: &str,
    ) -> Result<(), Error> {
        for (media, m) in content {
            if let Some(schema) = &m.schema {
                self.schema_ref(
                    schema,
                    &child(&child(&child(at, "content"), media), "schema"),
                )?;
            }
        }
        Ok(())
    }

    fn parameter(&self, p: &ReferenceOr<openapiv3::Parameter>, at: &str) -> Result<(), Error> {
        let p = refs::parameter(self.doc, p, at)?;
        match &p.parameter_data_ref().format {
            openapiv3::ParameterSchemaOrContent::Schema(s) => {
                self.schema_ref(s, &child(at, "schema"))
            }
            openapiv3::ParameterSchemaOrContent::Content(c) => self.content(c, at),
        }
    }

    fn request_body(&self, b: &ReferenceOr<openapiv3::RequestBody>, at: &str) -> Result<(), Error> {
        let b = refs::request_body(self.doc, b, at)?;
        self.content(&b.content, at)
    }

    fn response(&self, r: &ReferenceOr<openapiv3::Response>, at: &str) -> Result<(), Error> {
        match refs::response(self.doc, r, at)? {
            Some(r) => self.content(&r.content, at),
            // A reference to something else where a response belongs: degraded when lowered.
            None => Ok(()),
        }
    }
}
