//! Which components requests and responses reach, and which components look different in
//! the two (because they have read-only or write-only properties).

use super::shape::{classify, Shape};
use super::{Lowerer, Mode};
use crate::error::Error;
use openapiv3::{AdditionalProperties, ReferenceOr, Schema};
use std::collections::HashSet;

/// A schema position: a reference or an inline schema.
#[derive(Clone, Copy)]
pub(crate) enum Node<'a> {
    Ref(&'a str),
    Inline(&'a Schema),
}

impl<'a> From<&'a ReferenceOr<Schema>> for Node<'a> {
    fn from(r: &'a ReferenceOr<Schema>) -> Self {
        match r {
            ReferenceOr::Reference { reference } => Node::Ref(reference),
            ReferenceOr::Item(s) => Node::Inline(s),
        }
    }
}

impl<'a> From<&'a ReferenceOr<Box<Schema>>> for Node<'a> {
    fn from(r: &'a ReferenceOr<Box<Schema>>) -> Self {
        match r {
            ReferenceOr::Reference { reference } => Node::Ref(reference),
            ReferenceOr::Item(s) => Node::Inline(s),
        }
    }
}

/// The schemas directly inside a schema.
pub(crate) fn children(schema: &Schema) -> Vec<Node<'_>> {
    let mut out = Vec::new();
    match classify(schema) {
        Shape::Object {
            properties,
            additional,
            ..
        } => {
            out.extend(properties.values().map(Node::from));
            if let Some(AdditionalProperties::Schema(s)) = additional {
                out.push(Node::from(&**s));
            }
        }
        Shape::Array { items } => out.extend(items.map(Node::from)),
        Shape::AllOf { parts, own } => {
            out.extend(parts.iter().map(Node::from));
            if let Some(own) = own {
                out.extend(own.properties.values().map(Node::from));
                if let Some(AdditionalProperties::Schema(s)) = own.additional {
                    out.push(Node::from(&**s));
                }
            }
        }
        Shape::OneOf(list) | Shape::AnyOf(list) | Shape::Tuple(list) => {
            out.extend(list.iter().map(Node::from))
        }
        _ => {}
    }
    out
}

/// The properties directly declared by a schema (including those beside `allOf`).
fn own_properties(schema: &Schema) -> Vec<Node<'_>> {
    match classify(schema) {
        Shape::Object { properties, .. } => properties.values().map(Node::from).collect(),
        Shape::AllOf { own: Some(own), .. } => own.properties.values().map(Node::from).collect(),
        _ => Vec::new(),
    }
}

impl<'a> Lowerer<'a> {
    /// The mode a component's own name stands for: requests, if only requests use it.
    pub(crate) fn primary_mode(&self, component: &str) -> Mode {
        if self.request_reachable.contains(component)
            && !self.response_reachable.contains(component)
        {
            Mode::Request
        } else {
            Mode::Response
        }
    }

    /// Marks every component that request bodies, parameters and responses reach.
    pub(crate) fn compute_reachability(&mut self) -> Result<(), Error> {
        let doc = self.doc;
        let mut request: Vec<Node<'a>> = Vec::new();
        let mut response: Vec<Node<'a>> = Vec::new();
        let sites = self.operation_sites();
        for site in sites.iter().cloned() {
            let (item, op, at) = (site.item, site.op, site.pointer);
            let item_ptr = crate::error::pointer(["paths", site.path]);
            for param in &item.parameters {
                if let Ok(p) = super::refs::parameter(doc, param, &item_ptr) {
                    request.extend(param_schema(p));
                }
            }
            for param in &op.parameters {
                if let Ok(p) = super::refs::parameter(doc, param, &at) {
                    request.extend(param_schema(p));
                }
            }
            if let Some(body) = &op.request_body {
                if let Ok(body) = super::refs::request_body(doc, body, &at) {
                    request.extend(
                        body.content
                            .values()
                            .filter_map(|m| m.schema.as_ref())
                            .map(Node::from),
                    );
                }
            }
            let responses = op
                .responses
                .default
                .iter()
                .chain(op.responses.responses.values());
            for r in responses {
                if let Ok(Some(r)) = super::refs::response(doc, r, &at) {
                    response.extend(
                        r.content
                            .values()
                            .filter_map(|m| m.schema.as_ref())
                            .map(Node::from),
                    );
                }
            }
        }
        self.request_reachable = self.reach(request);
        self.response_reachable = self.reach(response);
        Ok(())
    }

    fn reach(&self, start: Vec<Node<'a>>) -> HashSet<String> {
        let mut components: HashSet<String> = HashSet::new();
        let mut nested: HashSet<String> = HashSet::new();
        let mut stack = start;
        while let Some(node) = stack.pop() {
            let schema = match node {
                Node::Inline(schema) => schema,
                Node::Ref(reference) => {
                    let Ok(resolved) = self.index.resolve(reference, "#") else {
                        continue;
                    };
                    let first_visit = match resolved.component {
                        Some(component) => components.insert(component.to_owned()),
                        None => nested.insert(resolved.pointer),
                    };
                    if !first_visit {
                        continue;
                    }
                    resolved.schema
                }
            };
            stack.extend(children(schema));
        }
        components
    }

    /// Whether a component has read-only or write-only properties anywhere inside it.
    pub(crate) fn component_differs(&mut self, component: &str) -> bool {
        if let Some(&known) = self.differs.get(component) {
            return known;
        }
        // Assume "no" while the component is being looked at, which ends cycles.
        self.differs.insert(component.to_owned(), false);
        let answer = match self.index.component(component) {
            Some(ReferenceOr::Item(schema)) => self.schema_differs(schema),
            Some(ReferenceOr::Reference { reference }) => {
                let reference = reference.clone();
                self.node_differs(Node::Ref(&reference))
            }
            None => false,
        };
        self.differs.insert(component.to_owned(), answer);
        answer
    }

    /// Whether an inline schema has read-only or write-only properties anywhere inside it.
    pub(crate) fn schema_differs(&mut self, schema: &Schema) -> bool {
        let own_flags = own_properties(schema).into_iter().any(|p| self.flags_of(p));
        own_flags || children(schema).into_iter().any(|n| self.node_differs(n))
    }

    fn node_differs(&mut self, node: Node<'_>) -> bool {
        match node {
            Node::Inline(schema) => self.schema_differs(schema),
            Node::Ref(reference) => match self.index.resolve(reference, "#") {
                Ok(resolved) => match resolved.component {
                    Some(component) => {
                        let component = component.to_owned();
                        self.component_differs(&component)
                    }
                    // A schema inside another (`#/components/schemas/A/allOf/0`): memoised by
                    // pointer like a component, which also ends cycles through such pointers.
                    None => {
                        if let Some(&known) = self.differs.get(&resolved.pointer) {
                            return known;
                        }
                        self.differs.insert(resolved.pointer.clone(), false);
                        let answer = self.schema_differs(resolved.schema);
                        self.differs.insert(resolved.pointer, answer);
                        answer
                    }
                },
                Err(_) => false,
            },
        }
    }

    /// Whether a property is read-only or write-only.
    fn flags_of(&self, node: Node<'_>) -> bool {
        let data = match node {
            Node::Inline(s) => &s.schema_data,
            Node::Ref(reference) => match self.index.resolve(reference, "#") {
                Ok(r) => &r.schema.schema_data,
                Err(_) => return false,
            },
        };
        data.read_only || data.write_only
    }
}

fn param_schema(p: &openapiv3::Parameter) -> Option<Node<'_>> {
    match &p.parameter_data_ref().format {
        openapiv3::ParameterSchemaOrContent::Schema(s) => Some(Node::from(s)),
        openapiv3::ParameterSchemaOrContent::Content(c) => c
            .values()
            .next()
            .and_then(|m| m.schema.as_ref())
            .map(Node::from),
    }
}
