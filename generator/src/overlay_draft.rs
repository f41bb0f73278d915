//! Drafting an overlay from deviations a client observed on the wire: the document is made to
//! say what the server sends.
//!
//! A generated client records every place a response differed from its API description (see
//! the runtime's `ClientBuilder::record_deviations`), with the operation's method and path
//! template, the status, and the JSON path in the body. Each is traced here through the
//! document as written (Swagger 2.0 or OpenAPI 3.x, following `$ref`s, `allOf`, `items` and
//! `additionalProperties`) to the schema that promised something else, and becomes an
//! Overlay 1.0 action on it:
//!
//! | observed | action |
//! |---|---|
//! | `null` | the schema becomes nullable (`nullable: true`; `type: [T, "null"]` in 3.1; `x-nullable` in 2.0; a `$ref` is wrapped) |
//! | a required property absent | it is no longer required |
//! | a value of another type | the type is widened to include it (`type: [T, U]` in 3.1, `anyOf` in 3.0, untyped in 2.0) |
//! | an enum value not listed | the value is added |
//! | JSON where text was documented | the response also documents `application/json` |
//! | an empty body where one was documented | the response documents none |
//!
//! Several deviations of one schema (the same nested object in many responses) make one
//! action, whose comment lists where it was seen. What cannot be traced or expressed is
//! listed at the end of the draft, with the reason.

use crate::error::Error;
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// One deviation as a client records it (a line of its deviations file).
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
pub struct Observed {
    /// The operation id the client knows the operation by.
    #[serde(default)]
    pub operation: String,
    /// The HTTP method.
    pub method: String,
    /// The path template, as the document writes it.
    pub path_template: String,
    /// The response status.
    pub status: u16,
    /// The response's media type.
    #[serde(default)]
    pub content_type: String,
    /// Where in the body: `$`, `$.results[*].avatar_url`, `$["odd name"]`.
    pub json_path: String,
    /// `null`, `missing`, `type`, `null_items`, `unreadable`, `unknown_value`, `content_type`.
    pub kind: String,
    /// The value that arrived, when it did.
    #[serde(default)]
    pub found: Option<Value>,
}

/// A drafted overlay.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    /// The overlay, as YAML with a comment per action.
    pub text: String,
    /// How many actions it has.
    pub actions: usize,
    /// Deviations no action could be drafted for, each with the reason.
    pub skipped: Vec<(String, String)>,
}

/// The versions an overlay spells nullability and types for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Dialect {
    Swagger2,
    OpenApi30,
    OpenApi31,
}

/// Drafts the overlay for `observed` against the document `text` (JSON or YAML, as written;
/// `name` names it in errors).
pub fn draft_overlay(text: &str, name: &str, observed: &[Observed]) -> Result<Draft, Error> {
    let (doc, _) = crate::load::text_to_value(text).map_err(|e| e.in_file(name))?;
    let dialect = if doc.get("swagger").is_some() {
        Dialect::Swagger2
    } else if doc
        .get("openapi")
        .and_then(Value::as_str)
        .is_some_and(|v| v.starts_with("3.0"))
    {
        Dialect::OpenApi30
    } else {
        Dialect::OpenApi31
    };
    let mut drafter = Drafter {
        doc: &doc,
        dialect,
        actions: BTreeMap::new(),
        skipped: Vec::new(),
    };
    for item in observed {
        drafter.add(item);
    }
    let title = doc
        .pointer("/info/title")
        .and_then(Value::as_str)
        .unwrap_or("the API");
    Ok(drafter.finish(title))
}

/// What an action does to its target.
#[derive(Debug, Clone, PartialEq)]
enum Change {
    /// Make the schema at the pointer nullable.
    Nullable,
    /// Take `property` out of the `required` list at the pointer.
    NotRequired(String),
    /// Widen the schema at the pointer to these JSON types too.
    Widen(Vec<&'static str>),
    /// Add these values to the enum at the pointer.
    EnumValues(Vec<Value>),
    /// Document `application/json` beside the text media type of the response at the pointer.
    JsonToo(String),
    /// The response at the pointer has no body.
    NoBody,
}

struct Drafter<'d> {
    doc: &'d Value,
    dialect: Dialect,
    /// By target pointer and change kind: the change and where it was observed.
    actions: BTreeMap<(String, u8), (Change, Vec<String>)>,
    skipped: Vec<(String, String)>,
}

impl<'d> Drafter<'d> {
    fn add(&mut self, item: &Observed) {
        let seen = format!(
            "{} {} {} at {}",
            item.method.to_ascii_uppercase(),
            item.path_template,
            item.status,
            item.json_path
        );
        match self.locate_and_change(item) {
            Ok((pointer, change)) => {
                let key = (pointer, change_order(&change));
                let entry = self
                    .actions
                    .entry(key)
                    .or_insert((change.clone(), Vec::new()));
                entry.0 = merged(&entry.0, &change);
                if !entry.1.contains(&seen) {
                    entry.1.push(seen);
                }
            }
            Err(why) => {
                let line = format!("{seen} ({})", item.kind);
                if !self.skipped.iter().any(|(l, _)| *l == line) {
                    self.skipped.push((line, why));
                }
            }
        }
    }

    fn locate_and_change(&self, item: &Observed) -> Result<(String, Change), String> {
        let response = self.response(item)?;
        if item.kind == "content_type" {
            return Ok((response, Change::JsonToo(item.content_type.clone())));
        }
        let segments = parse_path(&item.json_path)?;
        if item.kind == "missing" && segments.is_empty() {
            return Ok((response, Change::NoBody));
        }
        let root = self.response_schema(&response)?;
        match item.kind.as_str() {
            "missing" => {
                let (owner, property) = match segments.split_last() {
                    Some((Segment::Property(p), parent)) => (self.walk(&root, parent)?, p.clone()),
                    _ => return Err("an absent value that is not a property".into()),
                };
                let holder = self.required_holder(&owner, &property)?;
                Ok((holder, Change::NotRequired(property)))
            }
            "null" => Ok((self.walk(&root, &segments)?, Change::Nullable)),
            "null_items" => {
                let list = self.walk(&root, &segments)?;
                let items = self.items_of(&list)?;
                Ok((items, Change::Nullable))
            }
            "type" | "unreadable" => {
                let found = item
                    .found
                    .as_ref()
                    .ok_or("the record does not say what arrived")?;
                let target = self.walk(&root, &segments)?;
                Ok((target, Change::Widen(vec![json_type(found)])))
            }
            "unknown_value" => {
                let found = item
                    .found
                    .clone()
                    .ok_or("the record does not say which value arrived")?;
                let target = self.walk(&root, &segments)?;
                let node = self.resolve(&target)?;
                if self.node(&node)?.get("enum").is_none() {
                    return Err(
                        "the value is a union's tag, not an enum's; add a variant for it by hand"
                            .into(),
                    );
                }
                Ok((node, Change::EnumValues(vec![found])))
            }
            other => Err(format!("deviations of kind `{other}` are not drafted")),
        }
    }

    /// The pointer of the operation's response for the status (following a response `$ref`).
    fn response(&self, item: &Observed) -> Result<String, String> {
        let method = item.method.to_ascii_lowercase();
        let mut candidates = vec![item.path_template.clone()];
        // A Swagger 2.0 client's templates may include the document's `basePath`.
        if let Some(base) = self.doc.get("basePath").and_then(Value::as_str) {
            let base = base.trim_end_matches('/');
            if let Some(rest) = item.path_template.strip_prefix(base) {
                candidates.push(rest.to_owned());
            }
        }
        let operation = candidates
            .iter()
            .map(|path| format!("/paths/{}/{method}", escape(path)))
            .find(|pointer| self.doc.pointer(pointer).is_some())
            .ok_or_else(|| format!("the document has no `{method} {}`", item.path_template))?;
        let status = item.status.to_string();
        let range = format!("{}XX", item.status / 100);
        let responses = format!("{operation}/responses");
        let key = [status.as_str(), range.as_str(), "default"]
            .into_iter()
            .find(|k| self.doc.pointer(&format!("{responses}/{k}")).is_some())
            .ok_or_else(|| {
                format!(
                    "`{method} {}` documents no response {status}",
                    item.path_template
                )
            })?;
        self.resolve(&format!("{responses}/{key}"))
    }

    /// The pointer of a response's body schema.
    fn response_schema(&self, response: &str) -> Result<String, String> {
        if self.dialect == Dialect::Swagger2 {
            let pointer = format!("{response}/schema");
            return self
                .doc
                .pointer(&pointer)
                .map(|_| pointer)
                .ok_or_else(|| "the response has no schema".to_owned());
        }
        let content = self
            .node(response)?
            .get("content")
            .and_then(Value::as_object)
            .ok_or("the response documents no body")?;
        let media = content
            .keys()
            .find(|k| is_json(k))
            .or_else(|| content.keys().next())
            .ok_or("the response documents no media type")?;
        Ok(format!("{response}/content/{}/schema", escape(media)))
    }

    /// Follows the body path from the schema at `from`, to the schema that describes the value
    /// at its end (not following that schema's own `$ref`, so that the property's own node is
    /// changed rather than a shared component, unless the change is to the component).
    fn walk(&self, from: &str, segments: &[Segment]) -> Result<String, String> {
        let mut at = from.to_owned();
        for segment in segments {
            at = match segment {
                Segment::Items => self.items_of(&at)?,
                Segment::Property(name) => self.property_of(&at, name)?,
            };
        }
        Ok(at)
    }

    fn items_of(&self, pointer: &str) -> Result<String, String> {
        let resolved = self.resolve(pointer)?;
        if self.node(&resolved)?.get("items").is_some() {
            return Ok(format!("{resolved}/items"));
        }
        // A list behind `allOf`, `anyOf` or `oneOf`.
        for branch in self.branches(&resolved) {
            if let Ok(items) = self.items_of(&branch) {
                return Ok(items);
            }
        }
        Err(format!(
            "the schema at {} is not a list",
            self.json_path(&resolved)
        ))
    }

    fn property_of(&self, pointer: &str, name: &str) -> Result<String, String> {
        let resolved = self.resolve(pointer)?;
        let node = self.node(&resolved)?;
        if node
            .pointer(&format!("/properties/{}", escape(name)))
            .is_some()
        {
            return Ok(format!("{resolved}/properties/{}", escape(name)));
        }
        for branch in self.branches(&resolved) {
            if let Ok(found) = self.property_of(&branch, name) {
                return Ok(found);
            }
        }
        // A value of a map (`additionalProperties`): the path does not name the key.
        if node
            .get("additionalProperties")
            .is_some_and(Value::is_object)
        {
            let values = format!("{resolved}/additionalProperties");
            return self.property_of(&values, name).or(Ok(values));
        }
        Err(format!(
            "the schema at {} has no property `{name}`",
            self.json_path(&resolved)
        ))
    }

    /// The schema that lists `property` as required, from the object schema at `pointer`.
    fn required_holder(&self, pointer: &str, property: &str) -> Result<String, String> {
        let resolved = self.resolve(pointer)?;
        let lists = |p: &str| {
            self.doc
                .pointer(&format!("{p}/required"))
                .and_then(Value::as_array)
                .is_some_and(|r| r.iter().any(|v| v == property))
        };
        if lists(&resolved) {
            return Ok(format!("{resolved}/required"));
        }
        for branch in self.branches(&resolved) {
            if let Ok(found) = self.required_holder(&branch, property) {
                return Ok(found);
            }
        }
        Err(format!(
            "no schema from {} lists `{property}` as required",
            self.json_path(&resolved)
        ))
    }

    /// `allOf`, `anyOf` and `oneOf` branches of the schema at `pointer`.
    fn branches(&self, pointer: &str) -> Vec<String> {
        let Ok(node) = self.node(pointer) else {
            return Vec::new();
        };
        ["allOf", "anyOf", "oneOf"]
            .iter()
            .flat_map(|key| {
                let count = node.get(*key).and_then(Value::as_array).map_or(0, Vec::len);
                (0..count).map(move |i| format!("{pointer}/{key}/{i}"))
            })
            .collect()
    }

    /// Follows `$ref`s (within the document) from `pointer` to the schema they name.
    fn resolve(&self, pointer: &str) -> Result<String, String> {
        let mut at = pointer.to_owned();
        for _ in 0..32 {
            let node = self.node(&at)?;
            match node.get("$ref").and_then(Value::as_str) {
                Some(reference) => {
                    at = reference
                        .strip_prefix('#')
                        .filter(|_| reference.starts_with('#'))
                        .ok_or_else(|| {
                            format!("`{reference}` is in another file; draft its overlay there")
                        })?
                        .to_owned();
                }
                None => return Ok(at),
            }
        }
        Err(format!(
            "the $refs from {} go round in a circle",
            self.json_path(pointer)
        ))
    }

    /// A pointer into the document as a JSONPath.
    fn json_path(&self, pointer: &str) -> String {
        json_path_in(self.doc, pointer)
    }

    fn node(&self, pointer: &str) -> Result<&'d Value, String> {
        self.doc
            .pointer(pointer)
            .ok_or_else(|| format!("the document has nothing at {}", self.json_path(pointer)))
    }

    fn finish(self, title: &str) -> Draft {
        let mut text = String::new();
        let _ = writeln!(
            text,
            "# Drafted by `cargo xtask draft-overlay` from the deviations a client recorded.\n\
             # Each action makes the description say what the server was seen to send; review\n\
             # them before applying (`--overlay`, or `overlays:` in spec/codegen.yaml)."
        );
        let _ = writeln!(text, "overlay: 1.0.0");
        let _ = writeln!(text, "info:");
        let _ = writeln!(
            text,
            "  title: {}",
            yaml_string(&format!("What the server sends, beside {title}"))
        );
        let _ = writeln!(text, "  version: 1.0.0");
        let _ = writeln!(text, "actions:");
        let mut actions = 0;
        for ((pointer, _), (change, seen)) in &self.actions {
            for action in self.actions_for(pointer, change) {
                actions += 1;
                let _ = writeln!(text, "  # Observed: {}", seen.join("; "));
                let _ = writeln!(text, "  - target: {}", yaml_string(&action.target));
                let _ = writeln!(
                    text,
                    "    description: {}",
                    yaml_string(&action.description)
                );
                match action.body {
                    Body::Remove => {
                        let _ = writeln!(text, "    remove: true");
                    }
                    Body::Update(update) => {
                        let _ = writeln!(text, "    update: {update}");
                    }
                }
            }
        }
        if actions == 0 {
            let _ = writeln!(text, "  []");
        }
        if !self.skipped.is_empty() {
            let _ = writeln!(text, "# Not drafted (fix these by hand):");
            for (line, why) in &self.skipped {
                let _ = writeln!(text, "#   {line}: {why}");
            }
        }
        Draft {
            text,
            actions,
            skipped: self.skipped,
        }
    }

    /// The overlay actions of one change (a replacement is a removal and an update).
    fn actions_for(&self, pointer: &str, change: &Change) -> Vec<Action> {
        let node = self.doc.pointer(pointer).cloned().unwrap_or(Value::Null);
        let at = self.json_path(pointer);
        match change {
            Change::NoBody => {
                let body = if self.dialect == Dialect::Swagger2 {
                    "schema"
                } else {
                    "content"
                };
                vec![Action {
                    target: format!("{at}.{body}"),
                    description: "the server sends no body".into(),
                    body: Body::Remove,
                }]
            }
            Change::NotRequired(property) => vec![Action {
                target: format!("{at}[?@ == {}]", Value::String(property.clone())),
                description: format!("`{property}` is not always sent"),
                body: Body::Remove,
            }],
            // An update of a list appends to it.
            Change::EnumValues(values) => vec![Action {
                target: format!("{at}.enum"),
                description: "values the server sends that the enum did not list".into(),
                body: Body::Update(Value::Array(values.clone())),
            }],
            Change::JsonToo(received) => {
                let schema = node
                    .get("content")
                    .and_then(Value::as_object)
                    .and_then(|c| c.values().find_map(|m| m.get("schema")).cloned())
                    .unwrap_or_else(|| serde_json::json!({"type": "string"}));
                let mut content = Map::new();
                content.insert(
                    "application/json".into(),
                    serde_json::json!({ "schema": schema }),
                );
                let mut update = Map::new();
                update.insert("content".into(), Value::Object(content));
                vec![Action {
                    target: at,
                    description: format!("the server answers `{received}`"),
                    body: Body::Update(Value::Object(update)),
                }]
            }
            Change::Nullable => {
                self.replace_or_update(pointer, &node, "can be null", |node, dialect| {
                    nullable(node, dialect)
                })
            }
            Change::Widen(types) => {
                let what = format!("can also be {}", types.join(" or "));
                self.replace_or_update(pointer, &node, &what, |node, dialect| {
                    widened(node, types, dialect)
                })
            }
        }
    }

    /// An update that merges into the node when merging can express the change, else the node
    /// replaced (removed from its parent, then set again).
    fn replace_or_update(
        &self,
        pointer: &str,
        node: &Value,
        what: &str,
        change: impl Fn(&Value, Dialect) -> Edit,
    ) -> Vec<Action> {
        let at = self.json_path(pointer);
        match change(node, self.dialect) {
            Edit::Merge(update) => vec![Action {
                target: at,
                description: what.to_owned(),
                body: Body::Update(Value::Object(update)),
            }],
            Edit::Replace(new) => {
                let (parent, key) = pointer.rsplit_once('/').unwrap_or(("", pointer));
                let key = key.replace("~1", "/").replace("~0", "~");
                let mut update = Map::new();
                update.insert(key, new);
                vec![
                    Action {
                        target: at,
                        description: format!("{what}: replaced by the schema below"),
                        body: Body::Remove,
                    },
                    Action {
                        target: self.json_path(parent),
                        description: what.to_owned(),
                        body: Body::Update(Value::Object(update)),
                    },
                ]
            }
        }
    }
}

struct Action {
    target: String,
    description: String,
    body: Body,
}

enum Body {
    Update(Value),
    Remove,
}

/// How a schema node changes.
enum Edit {
    /// Merged into the node.
    Merge(Map<String, Value>),
    /// The node replaced.
    Replace(Value),
}

fn nullable(node: &Value, dialect: Dialect) -> Edit {
    let is_ref = node.get("$ref").is_some();
    match dialect {
        Dialect::Swagger2 if is_ref => {
            Edit::Replace(serde_json::json!({"allOf": [node], "x-nullable": true}))
        }
        Dialect::Swagger2 => Edit::Merge(single("x-nullable", Value::Bool(true))),
        Dialect::OpenApi30 if is_ref => {
            Edit::Replace(serde_json::json!({"allOf": [node], "nullable": true}))
        }
        Dialect::OpenApi30 => Edit::Merge(single("nullable", Value::Bool(true))),
        Dialect::OpenApi31 => match node.get("type") {
            Some(Value::String(t)) => Edit::Merge(single("type", serde_json::json!([t, "null"]))),
            Some(Value::Array(_)) => Edit::Merge(single("type", serde_json::json!(["null"]))),
            _ => Edit::Replace(serde_json::json!({"oneOf": [node, {"type": "null"}]})),
        },
    }
}

fn widened(node: &Value, types: &[&'static str], dialect: Dialect) -> Edit {
    let documented = node.get("type").and_then(Value::as_str);
    // An integer that arrives as a fraction is a number.
    if documented == Some("integer") && types == ["number"] {
        return Edit::Merge(single("type", Value::String("number".into())));
    }
    let extra: Vec<&str> = types.iter().copied().filter(|t| *t != "null").collect();
    let null = types.contains(&"null");
    match dialect {
        Dialect::OpenApi31 => match node.get("type") {
            Some(Value::String(t)) => {
                let mut all = vec![Value::String(t.clone())];
                all.extend(extra.iter().map(|t| Value::String((*t).into())));
                if null {
                    all.push(Value::String("null".into()));
                }
                Edit::Merge(single("type", Value::Array(all)))
            }
            _ => {
                let mut branches = vec![node.clone()];
                branches.extend(types.iter().map(|t| serde_json::json!({"type": t})));
                Edit::Replace(serde_json::json!({"anyOf": branches}))
            }
        },
        Dialect::OpenApi30 => {
            let mut branches = vec![node.clone()];
            branches.extend(extra.iter().map(|t| serde_json::json!({"type": t})));
            let mut replacement = serde_json::json!({"anyOf": branches});
            if null {
                replacement["nullable"] = Value::Bool(true);
            }
            Edit::Replace(replacement)
        }
        // Swagger 2.0 has no unions: the value becomes untyped.
        Dialect::Swagger2 => {
            let mut untyped = Map::new();
            if let Some(description) = node.get("description") {
                untyped.insert("description".into(), description.clone());
            }
            Edit::Replace(Value::Object(untyped))
        }
    }
}

fn single(key: &str, value: Value) -> Map<String, Value> {
    let mut map = Map::new();
    map.insert(key.to_owned(), value);
    map
}

/// One change from two of the same kind at one place (`null` and another type at one place
/// widen it to both).
fn merged(a: &Change, b: &Change) -> Change {
    match (a, b) {
        (Change::Nullable, Change::Widen(types)) | (Change::Widen(types), Change::Nullable) => {
            let mut all = types.clone();
            if !all.contains(&"null") {
                all.push("null");
            }
            Change::Widen(all)
        }
        (Change::Widen(x), Change::Widen(y)) => {
            let mut all = x.clone();
            for t in y {
                if !all.contains(t) {
                    all.push(t);
                }
            }
            Change::Widen(all)
        }
        (Change::EnumValues(x), Change::EnumValues(y)) => {
            let mut all = x.clone();
            for v in y {
                if !all.contains(v) {
                    all.push(v.clone());
                }
            }
            Change::EnumValues(all)
        }
        _ => a.clone(),
    }
}

/// Orders and tells apart changes at one pointer.
fn change_order(change: &Change) -> u8 {
    match change {
        Change::NotRequired(_) => 0,
        Change::Nullable | Change::Widen(_) => 1,
        Change::EnumValues(_) => 3,
        Change::JsonToo(_) => 4,
        Change::NoBody => 5,
    }
}

fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn is_json(media_type: &str) -> bool {
    let essence = media_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    essence == "application/json" || essence.ends_with("+json")
}

/// A segment of a recorded JSON path.
#[derive(Debug, Clone, PartialEq)]
enum Segment {
    Property(String),
    Items,
}

/// `$.results[*].created_by["odd name"]` as segments.
fn parse_path(path: &str) -> Result<Vec<Segment>, String> {
    let mut rest = path
        .strip_prefix('$')
        .ok_or_else(|| format!("`{path}` is not a JSON path from the body (`$...`)"))?;
    let mut out = Vec::new();
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("[*]") {
            out.push(Segment::Items);
            rest = after;
        } else if let Some(after) = rest.strip_prefix('[') {
            // A quoted name: JSON string syntax.
            let mut stream = serde_json::Deserializer::from_str(after).into_iter::<String>();
            let name = stream
                .next()
                .and_then(Result::ok)
                .ok_or_else(|| format!("`{path}` has a bracket that is not a quoted name"))?;
            let used = stream.byte_offset();
            rest = after[used..]
                .strip_prefix(']')
                .ok_or_else(|| format!("`{path}` has an unclosed bracket"))?;
            out.push(Segment::Property(name));
        } else if let Some(after) = rest.strip_prefix('.') {
            let end = after.find(['.', '[']).unwrap_or(after.len());
            out.push(Segment::Property(after[..end].to_owned()));
            rest = &after[end..];
        } else {
            return Err(format!("`{path}` is not a JSON path this client writes"));
        }
    }
    Ok(out)
}

/// A JSON pointer into `doc` as an RFC 9535 JSONPath: `$.components.schemas.User`, brackets
/// where a name is not plain, an index only where the document has a list (`responses['200']`
/// is a key).
fn json_path_in(doc: &Value, pointer: &str) -> String {
    let mut out = String::from("$");
    let mut node = Some(doc);
    for raw in pointer.split('/').skip(1) {
        let key = raw.replace("~1", "/").replace("~0", "~");
        let in_list = matches!(node, Some(Value::Array(_)));
        node = node.and_then(|n| match n {
            Value::Array(items) => key.parse::<usize>().ok().and_then(|i| items.get(i)),
            Value::Object(map) => map.get(&key),
            _ => None,
        });
        let plain = !key.is_empty()
            && key
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if in_list && key.parse::<usize>().is_ok() {
            let _ = write!(out, "[{key}]");
        } else if plain {
            let _ = write!(out, ".{key}");
        } else {
            let _ = write!(out, "[{}]", single_quoted(&key));
        }
    }
    out
}

fn single_quoted(text: &str) -> String {
    format!("'{}'", text.replace('\\', "\\\\").replace('\'', "\\'"))
}

/// A JSON pointer segment.
fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// A YAML scalar (JSON strings are YAML).
fn yaml_string(text: &str) -> String {
    Value::String(text.to_owned()).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn observed(
        method: &str,
        path: &str,
        json_path: &str,
        kind: &str,
        found: Option<Value>,
    ) -> Observed {
        Observed {
            operation: String::new(),
            method: method.into(),
            path_template: path.into(),
            status: 200,
            content_type: "application/json".into(),
            json_path: json_path.into(),
            kind: kind.into(),
            found,
        }
    }

    const DOC31: &str = r#"
openapi: 3.1.0
info: {title: T, version: '1'}
paths:
  /users/{id}/:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/User'}
  /users/:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  results: {type: array, items: {$ref: '#/components/schemas/User'}}
components:
  schemas:
    User:
      type: object
      required: [id, avatar_url, team]
      properties:
        id: {type: integer}
        avatar_url: {type: string, readOnly: true}
        role: {$ref: '#/components/schemas/Role'}
        team: {$ref: '#/components/schemas/Team'}
        content: {type: string}
    Role: {type: string, enum: [admin, member]}
    Team: {type: object, properties: {name: {type: string}}}
"#;

    #[test]
    fn deviations_become_actions_on_the_schema_that_promised_otherwise() {
        let draft = draft_overlay(
            DOC31,
            "doc.yaml",
            &[
                observed(
                    "GET",
                    "/users/{id}/",
                    "$.avatar_url",
                    "null",
                    Some(Value::Null),
                ),
                observed(
                    "GET",
                    "/users/",
                    "$.results[*].avatar_url",
                    "null",
                    Some(Value::Null),
                ),
                observed("GET", "/users/{id}/", "$.id", "missing", None),
                observed(
                    "GET",
                    "/users/{id}/",
                    "$.role",
                    "unknown_value",
                    Some("owner".into()),
                ),
                observed("GET", "/users/{id}/", "$.team", "null", Some(Value::Null)),
                observed(
                    "GET",
                    "/users/{id}/",
                    "$.content",
                    "unreadable",
                    Some(serde_json::json!({"a": 1})),
                ),
                observed("GET", "/nowhere", "$.x", "null", None),
            ],
        )
        .unwrap();
        let text = &draft.text;
        // Two observations of one property make one action, listing both.
        assert!(text.contains("# Observed: GET /users/{id}/ 200 at $.avatar_url; GET /users/ 200 at $.results[*].avatar_url"), "{text}");
        assert!(
            text.contains(r#"- target: "$.components.schemas.User.properties.avatar_url""#),
            "{text}"
        );
        assert!(
            text.contains(r#"update: {"type":["string","null"]}"#),
            "{text}"
        );
        assert!(
            text.contains(r#"- target: "$.components.schemas.User.required[?@ == \"id\"]""#),
            "{text}"
        );
        assert!(
            text.contains(r#"- target: "$.components.schemas.Role.enum""#),
            "{text}"
        );
        // A `$ref` property is replaced by a union with null.
        assert!(text.contains(r##"update: {"team":{"oneOf":[{"$ref":"#/components/schemas/Team"},{"type":"null"}]}}"##), "{text}");
        assert!(
            text.contains(r#"update: {"type":["string","object"]}"#),
            "{text}"
        );
        assert_eq!(draft.skipped.len(), 1, "{:?}", draft.skipped);
        assert!(
            draft.skipped[0].1.contains("has no `get /nowhere`"),
            "{:?}",
            draft.skipped
        );
    }

    /// The draft applies cleanly: every action matches, and the document then says what the
    /// server sent.
    #[test]
    fn the_draft_applies_to_its_document() {
        let draft = draft_overlay(
            DOC31,
            "doc.yaml",
            &[
                observed(
                    "GET",
                    "/users/{id}/",
                    "$.avatar_url",
                    "null",
                    Some(Value::Null),
                ),
                observed("GET", "/users/{id}/", "$.id", "missing", None),
                observed(
                    "GET",
                    "/users/{id}/",
                    "$.role",
                    "unknown_value",
                    Some("owner".into()),
                ),
                observed("GET", "/users/{id}/", "$.team", "null", Some(Value::Null)),
                observed(
                    "GET",
                    "/users/{id}/",
                    "$.content",
                    "null",
                    Some(Value::Null),
                ),
                observed(
                    "GET",
                    "/users/{id}/",
                    "$.content",
                    "unreadable",
                    Some(serde_json::json!([1])),
                ),
            ],
        )
        .unwrap();
        let options = crate::LoadOptions {
            overlays: vec![("draft.yaml".into(), draft.text.clone())],
            ..Default::default()
        };
        let doc = crate::load("doc.yaml", DOC31, &options).unwrap();
        let misses: Vec<_> = doc
            .notes
            .iter()
            .filter(|n| n.message.contains("matches nothing"))
            .collect();
        assert!(misses.is_empty(), "{misses:?}\n{}", draft.text);
        let schemas = &doc.openapi.components.as_ref().unwrap().schemas;
        let user = serde_json::to_value(&schemas["User"]).unwrap();
        assert_eq!(
            user["required"],
            serde_json::json!(["avatar_url", "team"]),
            "{user:#}"
        );
        assert_eq!(
            user["properties"]["avatar_url"]["nullable"], true,
            "{user:#}"
        );
        let role = serde_json::to_value(&schemas["Role"]).unwrap();
        assert_eq!(
            role["enum"],
            serde_json::json!(["admin", "member", "owner"])
        );
    }

    #[test]
    fn paths_are_parsed_as_clients_write_them() {
        assert_eq!(
            parse_path(r#"$.results[*]["odd name"].x"#).unwrap(),
            [
                Segment::Property("results".into()),
                Segment::Items,
                Segment::Property("odd name".into()),
                Segment::Property("x".into())
            ]
        );
        assert_eq!(
            json_path_in(
                &serde_json::json!({"paths": {"/users/{id}/": {"get": {"responses": {"200": {}}}}}}),
                "/paths/~1users~1{id}~1/get/responses/200"
            ),
            "$.paths['/users/{id}/'].get.responses['200']"
        );
    }
}
