//! Multi-file documents: `$ref`s to other files (`./schemas/User.yaml`,
//! `paths/users.yaml#/get`) are followed and brought into one document.
//!
//! A schema from another file becomes a component schema (named after the pointer's last
//! segment, or the file's name), so it is generated once and may refer to itself; anything else
//! (a path item, a parameter, a response) is copied in where it is referred to. References inside
//! a copied part are read relative to the file it came from. A chain of references that comes
//! back to where it started is an error, as is a reference to a URL: remote files are not
//! fetched.

use super::text;
use super::walk::{self, Kind};
use super::{FileReader, Version};
use crate::error::{escape_segment, Error};
use serde_json::{Map, Value};
use std::collections::{HashMap, HashSet};

/// Marks a reference already rewritten to point into the root document, while the walk that
/// rewrites references is still going: a part copied in from another file is walked again as
/// part of its new parent, and its rewritten references must not be read a second time as
/// relative to that parent's file. Removed when bundling ends.
const DONE: char = '\u{0}';

/// Whether a reference names another file (rather than a place in this one).
fn is_external(reference: &str) -> bool {
    !reference.is_empty() && !reference.starts_with('#') && !reference.starts_with(DONE)
}

/// Whether the document has any reference to another file.
pub fn has_external_refs(doc: &mut Value) -> bool {
    let mut found = false;
    walk::each_ref_mut(doc, &mut String::from("#"), &mut |reference, _| {
        found |= is_external(reference);
    });
    found
}

/// A quick look at the text for `$ref`s to other files, without parsing it: a `$ref` key (not
/// the end of a path like OData's `/owners/$ref`) whose value does not start with `#`.
pub fn text_may_have_external_refs(text: &str) -> bool {
    let mut from = 0;
    while let Some(found) = text[from..].find("$ref") {
        let at = from + found;
        from = at + 4;
        let before = text[..at].chars().next_back();
        if !matches!(
            before,
            None | Some('"' | '\'' | ' ' | '\t' | '\n' | '{' | ',')
        ) {
            continue;
        }
        let rest = &text[at + 4..];
        let rest = rest
            .strip_prefix('"')
            .or_else(|| rest.strip_prefix('\''))
            .unwrap_or(rest)
            .trim_start_matches([' ', '\t']);
        let Some(value) = rest.strip_prefix(':') else {
            continue;
        };
        let value = value.trim_start_matches([' ', '\t', '"', '\'', '\r', '\n']);
        if !value.starts_with('#') {
            return true;
        }
    }
    false
}

/// Brings every file the root refers to (directly or not) into the root document.
pub fn bundle(
    root: &mut Value,
    root_name: &str,
    version: Version,
    files: Option<&dyn FileReader>,
) -> Result<(), Error> {
    if !has_external_refs(root) {
        return Ok(());
    }
    let Some(files) = files else {
        let mut first = None;
        walk::each_ref_mut(root, &mut String::from("#"), &mut |reference, at| {
            if first.is_none() && is_external(reference) {
                first = Some((reference.clone(), format!("{at}/$ref")));
            }
        });
        let (reference, at) = first.expect("an external reference was found");
        return Err(Error::new(
            at,
            format!("$ref `{reference}` points at another file, but the document was given as text; load it from its file so its references can be followed"),
        )
        .in_file(root_name));
    };
    let container = match version {
        Version::Swagger2 => vec!["definitions"],
        _ => vec!["components", "schemas"],
    };
    let taken = root
        .pointer(&format!("/{}", container.join("/")))
        .and_then(Value::as_object)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    let mut bundler = Bundler {
        files,
        version,
        root_name: root_name.to_owned(),
        container_pointer: format!("#/{}", container.join("/")),
        loaded: HashMap::new(),
        schemas: HashMap::new(),
        taken,
        new_schemas: Vec::new(),
        inlining: Vec::new(),
    };
    // A component schema that is wholly a reference to another file takes that file's content
    // under its own name.
    if let Some(Value::Object(schemas)) = root.pointer_mut(&format!("/{}", container.join("/"))) {
        for (name, schema) in schemas.iter() {
            if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
                if is_external(reference) {
                    let at = format!("{}/{}", bundler.container_pointer, escape_segment(name));
                    let (file, pointer) = bundler.target(root_name, reference, &at)?;
                    if file != bundler.root_name {
                        bundler.schemas.insert(
                            (file, pointer),
                            format!("{}/{}", bundler.container_pointer, escape_segment(name)),
                        );
                    }
                }
            }
        }
    }
    let mut replaced = Vec::new();
    if let Some(Value::Object(schemas)) = root.pointer(&format!("/{}", container.join("/"))) {
        for (name, schema) in schemas {
            if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
                if is_external(reference) {
                    let at = format!("{}/{}", bundler.container_pointer, escape_segment(name));
                    let (file, pointer) = bundler.target(root_name, reference, &at)?;
                    let origin = bundler.root_name.clone();
                    let mut content =
                        bundler.follow_schema_chain(&file, &pointer, (&origin, &at))?;
                    bundler.process(&mut content.0, Kind::Schema, &content.1, &content.2)?;
                    replaced.push((name.clone(), content.0));
                }
            }
        }
    }
    if let Some(Value::Object(schemas)) = root.pointer_mut(&format!("/{}", container.join("/"))) {
        for (name, content) in replaced {
            schemas.insert(name, content);
        }
    }
    let name = bundler.root_name.clone();
    bundler.process(root, Kind::Document, &name, "#")?;
    for (_, schema) in &mut bundler.new_schemas {
        unmark(schema);
    }
    unmark(root);
    // Add the schemas brought in from other files.
    let mut at: &mut Value = root;
    for key in &container {
        let Value::Object(map) = at else {
            return Err(Error::new("#", "the document is not an object").in_file(root_name));
        };
        at = map
            .entry(key.to_string())
            .or_insert_with(|| Value::Object(Map::new()));
    }
    if let Value::Object(map) = at {
        for (name, schema) in std::mem::take(&mut bundler.new_schemas) {
            map.insert(name, schema);
        }
    }
    Ok(())
}

struct Bundler<'f> {
    files: &'f dyn FileReader,
    version: Version,
    root_name: String,
    /// `#/components/schemas` (or `#/definitions` for Swagger 2.0).
    container_pointer: String,
    /// Files read so far, by normalised path.
    loaded: HashMap<String, Value>,
    /// (file, pointer) of each schema brought in -> the local reference that now names it.
    schemas: HashMap<(String, String), String>,
    /// Component names in use.
    taken: HashSet<String>,
    new_schemas: Vec<(String, Value)>,
    /// The non-schema parts being copied in, outermost first (for cycle errors).
    inlining: Vec<(String, String)>,
}

impl Bundler<'_> {
    /// The file and pointer a reference names, seen from `file`.
    fn target(&self, file: &str, reference: &str, at: &str) -> Result<(String, String), Error> {
        let (path, fragment) = reference.split_once('#').unwrap_or((reference, ""));
        if path.contains("://") || path.starts_with("//") {
            return Err(Error::new(
                format!("{at}/$ref"),
                format!("$ref `{}` is a remote reference; remote files are not fetched. Download it and refer to it by a relative path, or bundle the document first (for example `npx @redocly/cli bundle`)", text::excerpt(reference)),
            )
            .in_file(file));
        }
        let target = if path.is_empty() {
            file.to_owned()
        } else {
            let dir = file.rfind('/').map_or("", |i| &file[..=i]);
            super::ids::normalize_dots(&format!("{dir}{}", walk::percent_decode(path)))
        };
        let pointer = walk::percent_decode(fragment);
        Ok((
            target,
            if pointer.is_empty() {
                String::new()
            } else {
                pointer
            },
        ))
    }

    /// The value at `pointer` in `file`, reading the file if needed.
    fn fetch(&mut self, file: &str, pointer: &str, from: (&str, &str)) -> Result<Value, Error> {
        if !self.loaded.contains_key(file) {
            let text = self.files.read(file).map_err(|why| {
                Error::new(
                    format!("{}/$ref", from.1),
                    format!("$ref points at `{file}`, which cannot be read: {why}"),
                )
                .in_file(from.0)
            })?;
            let (mut value, _) = text::to_value(&text).map_err(|e| e.in_file(file))?;
            if matches!(self.version, Version::OpenApi31 | Version::OpenApi32) {
                super::ids::resolve_schema_ids(&mut value).map_err(|e| e.in_file(file))?;
            }
            self.loaded.insert(file.to_owned(), value);
        }
        let document = &self.loaded[file];
        let found = if pointer.is_empty() {
            Some(document)
        } else {
            document.pointer(pointer)
        };
        found.cloned().ok_or_else(|| {
            Error::new(
                format!("{}/$ref", from.1),
                format!("$ref points at `{file}#{pointer}`, which is not there"),
            )
            .in_file(from.0)
        })
    }

    /// Follows a schema that is only a reference to another file until real content, erroring
    /// on a cycle. Returns the content and the file and pointer it came from.
    fn follow_schema_chain(
        &mut self,
        file: &str,
        pointer: &str,
        from: (&str, &str),
    ) -> Result<(Value, String, String), Error> {
        let mut seen = vec![(file.to_owned(), pointer.to_owned())];
        let mut from = (from.0.to_owned(), from.1.to_owned());
        let mut current = (file.to_owned(), pointer.to_owned());
        loop {
            let content = self.fetch(&current.0, &current.1, (&from.0, &from.1))?;
            let next = content
                .get("$ref")
                .and_then(Value::as_str)
                .map(str::to_owned);
            let Some(next) = next
                .filter(|r| is_external(r) && content.as_object().is_some_and(|m| m.len() == 1))
            else {
                return Ok((content, current.0, display_pointer(&current.1)));
            };
            let target = self.target(&current.0, &next, &display_pointer(&current.1))?;
            if seen.contains(&target) {
                seen.push(target);
                return Err(cycle_error(&seen, &from));
            }
            seen.push(target.clone());
            from = (current.0.clone(), display_pointer(&current.1));
            current = target;
        }
    }

    /// Rewrites every reference in `value` (of `kind`, from `file`, at `at`) so it points into
    /// the root document.
    fn process(
        &mut self,
        value: &mut Value,
        kind: Kind,
        file: &str,
        at: &str,
    ) -> Result<(), Error> {
        let file = file.to_owned();
        walk::visit(value, kind, at, &mut |node, kind, at| {
            self.node(node, kind, &file, at)
        })
    }

    fn node(&mut self, node: &mut Value, kind: Kind, file: &str, at: &str) -> Result<(), Error> {
        let Some(reference) = node.get("$ref").and_then(Value::as_str).map(str::to_owned) else {
            return Ok(());
        };
        if reference.starts_with(DONE) || (file == self.root_name && !is_external(&reference)) {
            return Ok(());
        }
        let (target_file, pointer) = self.target(file, &reference, at)?;
        if target_file == self.root_name {
            node["$ref"] = Value::String(format!("{DONE}#{pointer}"));
            return Ok(());
        }
        if kind == Kind::Schema {
            let local = self.schema(&target_file, &pointer, (file, at))?;
            node["$ref"] = Value::String(format!("{DONE}{local}"));
            return Ok(());
        }
        // Any other part is copied in, its own references read from its file.
        let key = (target_file.clone(), pointer.clone());
        if self.inlining.contains(&key) {
            let mut chain = self.inlining.clone();
            chain.push(key);
            return Err(cycle_error(&chain, &(file.to_owned(), at.to_owned())));
        }
        let mut content = self.fetch(&target_file, &pointer, (file, at))?;
        self.inlining.push(key);
        let result = self.process(&mut content, kind, &target_file, &display_pointer(&pointer));
        self.inlining.pop();
        result?;
        // Fields beside the `$ref` (3.1's summary and description) override the target's.
        if let (Value::Object(content), Value::Object(own)) = (&mut content, &*node) {
            for (k, v) in own {
                if k != "$ref" {
                    content.insert(k.clone(), v.clone());
                }
            }
        }
        *node = content;
        Ok(())
    }

    /// The local reference of a schema from another file, bringing it in the first time.
    fn schema(&mut self, file: &str, pointer: &str, from: (&str, &str)) -> Result<String, Error> {
        let key = (file.to_owned(), pointer.to_owned());
        if let Some(local) = self.schemas.get(&key) {
            return Ok(local.clone());
        }
        let wanted = schema_name(file, pointer);
        let mut unique = wanted.clone();
        let mut n = 2;
        while self.taken.contains(&unique) {
            unique = format!("{wanted}{n}");
            n += 1;
        }
        self.taken.insert(unique.clone());
        let local = format!("{}/{}", self.container_pointer, escape_segment(&unique));
        self.schemas.insert(key, local.clone());
        let (mut content, content_file, content_at) =
            self.follow_schema_chain(file, pointer, from)?;
        self.process(&mut content, Kind::Schema, &content_file, &content_at)?;
        self.new_schemas.push((unique, content));
        Ok(local)
    }
}

/// Removes the [`DONE`] marks.
fn unmark(value: &mut Value) {
    walk::each_ref_mut(value, &mut String::from("#"), &mut |reference, _| {
        if let Some(rest) = reference.strip_prefix(DONE) {
            *reference = rest.to_owned();
        }
    });
}

/// `#/a/b` for a pointer (`/a/b`), `#` for the whole file.
fn display_pointer(pointer: &str) -> String {
    format!("#{pointer}")
}

/// A name for a schema brought in from another file: the pointer's last segment, or the
/// file's name without its extension.
fn schema_name(file: &str, pointer: &str) -> String {
    let from_pointer = pointer
        .rsplit('/')
        .next()
        .filter(|s| !s.is_empty())
        .map(|s| s.replace("~1", "/").replace("~0", "~"));
    let name = from_pointer.unwrap_or_else(|| {
        let base = file.rsplit('/').next().unwrap_or(file);
        base.split('.').next().unwrap_or(base).to_owned()
    });
    if name.is_empty() {
        "External".to_owned()
    } else {
        name
    }
}

fn cycle_error(chain: &[(String, String)], from: &(String, String)) -> Error {
    let steps: Vec<String> = chain
        .iter()
        .map(|(file, pointer)| format!("{file}#{pointer}"))
        .collect();
    Error::new(
        format!("{}/$ref", from.1),
        format!("$ref cycle through files: {}", steps.join(" -> ")),
    )
    .in_file(&from.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::collections::BTreeMap;

    struct Files(BTreeMap<&'static str, &'static str>);

    impl FileReader for Files {
        fn read(&self, path: &str) -> Result<String, String> {
            self.0
                .get(path)
                .map(|t| t.to_string())
                .ok_or_else(|| "No such file or directory".to_owned())
        }
    }

    fn run(root: Value, files: &[(&'static str, &'static str)]) -> Result<Value, Error> {
        let mut root = root;
        let files = Files(files.iter().copied().collect());
        bundle(
            &mut root,
            "api/openapi.yaml",
            Version::OpenApi30,
            Some(&files),
        )?;
        Ok(root)
    }

    #[test]
    fn schemas_become_components_and_paths_are_copied_in() {
        let doc = run(
            json!({
                "openapi": "3.0.3",
                "paths": {"/users": {"$ref": "paths/users.yaml"}},
                "components": {"schemas": {"Error": {"$ref": "schemas/Error.yaml"}}}
            }),
            &[
                ("api/paths/users.yaml", "get:\n  responses:\n    '200':\n      description: ok\n      content:\n        application/json:\n          schema: {$ref: '../schemas/User.yaml'}\n    default: {$ref: '#/components/responses/Problem'}\ncomponents:\n  responses:\n    Problem:\n      description: p\n      content: {application/json: {schema: {$ref: '../schemas/Error.yaml'}}}\n"),
                ("api/schemas/User.yaml", "type: object\nproperties:\n  friend: {$ref: './User.yaml'}\n  pet: {$ref: 'Pet.yaml#/Pet'}\n"),
                ("api/schemas/Pet.yaml", "Pet: {type: string}\n"),
                ("api/schemas/Error.yaml", "type: object\nproperties:\n  message: {type: string}\n"),
            ],
        )
        .unwrap();
        let get = &doc["paths"]["/users"]["get"];
        assert_eq!(
            get["responses"]["200"]["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/User"
        );
        assert_eq!(
            get["responses"]["default"]["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/Error"
        );
        let schemas = &doc["components"]["schemas"];
        assert_eq!(
            schemas["User"]["properties"]["friend"]["$ref"],
            "#/components/schemas/User"
        );
        assert_eq!(
            schemas["User"]["properties"]["pet"]["$ref"],
            "#/components/schemas/Pet"
        );
        assert_eq!(schemas["Pet"], json!({"type": "string"}));
        assert_eq!(schemas["Error"]["properties"]["message"]["type"], "string");
    }

    #[test]
    fn bad_references_name_file_and_pointer() {
        let err = run(
            json!({"openapi": "3.0.3", "paths": {"/a": {"$ref": "missing.yaml"}}}),
            &[],
        )
        .unwrap_err();
        assert_eq!(err.file.as_deref(), Some("api/openapi.yaml"));
        assert_eq!(err.pointer, "#/paths/~1a/$ref");
        assert!(err.message.contains("api/missing.yaml"), "{err}");

        let err = run(
            json!({"openapi": "3.0.3", "paths": {"/a": {"$ref": "a.yaml"}}}),
            &[
                ("api/a.yaml", "$ref: b.yaml\n"),
                ("api/b.yaml", "$ref: a.yaml\n"),
            ],
        )
        .unwrap_err();
        assert!(
            err.message
                .starts_with("$ref cycle through files: api/a.yaml# -> api/b.yaml# -> api/a.yaml#"),
            "{err}"
        );

        let err = run(
            json!({"openapi": "3.0.3", "components": {"schemas": {"A": {"type": "object", "properties": {"b": {"$ref": "https://example.com/b.json"}}}}}}),
            &[],
        )
        .unwrap_err();
        assert!(err.message.contains("remote reference"), "{err}");
        assert_eq!(err.pointer, "#/components/schemas/A/properties/b/$ref");
    }

    #[test]
    fn external_refs_are_spotted_in_text() {
        assert!(text_may_have_external_refs("a:\n  $ref: './b.yaml'\n"));
        assert!(text_may_have_external_refs("{\"$ref\": \"b.json#/x\"}"));
        assert!(!text_may_have_external_refs(
            "{\"$ref\": \"#/components/schemas/A\"}"
        ));
    }
}
