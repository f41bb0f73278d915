//! The spec states everything PostHog's reference pages state: every operation, parameter,
//! request field, status, scope and example-response field of both pages.

use serde_json::Value;
use xtask::reference::{parse_page, PageOperation};

fn root() -> std::path::PathBuf {
    xtask::workspace_root()
}

fn page(name: &str) -> Vec<PageOperation> {
    let text =
        std::fs::read_to_string(root().join("spec/reference").join(name)).expect("reference page");
    parse_page(&text)
}

/// The spec as plain JSON, so schemas can be walked the way a validator would.
fn spec() -> Value {
    let text = std::fs::read_to_string(root().join("spec/posthog.yaml")).unwrap();
    serde_yaml::from_str(&text).unwrap()
}

fn resolve<'a>(spec: &'a Value, node: &'a Value) -> &'a Value {
    let mut node = node;
    while let Some(reference) = node.get("$ref").and_then(Value::as_str) {
        node = spec
            .pointer(reference.trim_start_matches('#'))
            .unwrap_or_else(|| panic!("dangling {reference}"));
    }
    node
}

/// The operation object for a page operation, and the merged parameter list.
fn operation<'a>(spec: &'a Value, op: &PageOperation) -> (&'a Value, Vec<(String, String)>) {
    let item = spec["paths"]
        .get(&op.path)
        .unwrap_or_else(|| panic!("{} {} is not in the spec", op.method, op.path));
    let operation = item
        .get(op.method.to_lowercase())
        .unwrap_or_else(|| panic!("{} {} is not in the spec", op.method, op.path));
    let params = item["parameters"]
        .as_array()
        .into_iter()
        .flatten()
        .chain(operation["parameters"].as_array().into_iter().flatten())
        .map(|p| {
            let p = resolve(spec, p);
            (
                p["name"].as_str().unwrap().to_owned(),
                p["in"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    (operation, params)
}

/// Properties a schema accepts, and whether it accepts any other key.
fn properties(spec: &Value, schema: &Value) -> (Vec<(String, Value)>, bool) {
    let schema = resolve(spec, schema);
    let mut props: Vec<(String, Value)> = schema["properties"]
        .as_object()
        .map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
        .unwrap_or_default();
    let mut open = match schema.get("additionalProperties") {
        Some(Value::Bool(b)) => *b,
        Some(_) => true,
        None => {
            props.is_empty()
                && schema.get("allOf").is_none()
                && schema.get("oneOf").is_none()
                && schema.get("anyOf").is_none()
        }
    };
    for key in ["allOf", "oneOf", "anyOf"] {
        for part in schema[key].as_array().into_iter().flatten() {
            let part = resolve(spec, part);
            if part
                .get("type")
                .and_then(Value::as_str)
                .is_some_and(|t| t != "object")
            {
                continue;
            }
            let (more, more_open) = properties(spec, part);
            props.extend(more);
            open |= more_open;
        }
    }
    (props, open)
}

/// The schemas an array's items may match.
fn item_schemas(spec: &Value, schema: &Value) -> Vec<Value> {
    let schema = resolve(spec, schema);
    if let Some(items) = schema.get("items") {
        return vec![items.clone()];
    }
    ["allOf", "oneOf", "anyOf"]
        .iter()
        .flat_map(|k| schema[*k].as_array().cloned().unwrap_or_default())
        .flat_map(|part| item_schemas(spec, &part))
        .collect()
}

/// Every key of `value` the schema does not declare, as JSON paths.
fn undeclared(spec: &Value, schema: &Value, value: &Value, path: &str, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            let (props, open) = properties(spec, schema);
            for (key, child) in map {
                match props.iter().find(|(name, _)| name == key) {
                    Some((_, child_schema)) => {
                        undeclared(spec, child_schema, child, &format!("{path}.{key}"), out)
                    }
                    None if open => {}
                    None => out.push(format!("{path}.{key}")),
                }
            }
        }
        Value::Array(items) => {
            let schemas = item_schemas(spec, schema);
            for (i, item) in items.iter().enumerate() {
                let mut best: Option<Vec<String>> = None;
                for s in &schemas {
                    let mut missing = Vec::new();
                    undeclared(spec, s, item, &format!("{path}[{i}]"), &mut missing);
                    if best.as_ref().is_none_or(|b| missing.len() < b.len()) {
                        best = Some(missing);
                    }
                }
                out.extend(best.unwrap_or_else(|| vec![format!("{path}[{i}] (no item schema)")]));
            }
        }
        _ => {}
    }
}

fn check_page(name: &str, expected_operations: usize) -> Vec<PageOperation> {
    let spec = spec();
    let ops = page(name);
    assert_eq!(
        ops.len(),
        expected_operations,
        "{name}: operations found: {:#?}",
        ops.iter()
            .map(|o| format!("{} {}", o.method, o.path))
            .collect::<Vec<_>>()
    );
    let mut problems = Vec::new();
    for op in &ops {
        let label = format!("{name}: {} {}", op.method, op.path);
        let (operation, params) = operation(&spec, op);
        let has =
            |name: &str, location: &str| params.iter().any(|(n, l)| n == name && l == location);
        for p in &op.path_params {
            if !has(p, "path") {
                problems.push(format!("{label}: path parameter `{p}` missing"));
            }
        }
        for p in &op.query_params {
            if !has(p, "query") {
                problems.push(format!("{label}: query parameter `{p}` missing"));
            }
        }
        if !op.request_fields.is_empty() {
            match operation["requestBody"]["content"]["application/json"].get("schema") {
                None => problems.push(format!("{label}: no JSON request body")),
                Some(schema) => {
                    let (props, open) = properties(&spec, schema);
                    for field in &op.request_fields {
                        if !open && !props.iter().any(|(n, _)| n == field) {
                            problems.push(format!("{label}: request field `{field}` missing"));
                        }
                    }
                }
            }
        }
        for scope in &op.scopes {
            let listed =
                operation["security"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .any(|requirement| {
                        requirement["PersonalAPIKeyAuth"]
                            .as_array()
                            .is_some_and(|s| s.iter().any(|x| x == scope.as_str()))
                    });
            if !listed {
                problems.push(format!("{label}: scope `{scope}` missing"));
            }
        }
        if let Some(status) = op.status {
            let response = operation["responses"].get(status.to_string());
            match (response, &op.example) {
                (None, _) => problems.push(format!("{label}: status {status} missing")),
                (Some(response), Some(example)) => {
                    let response = resolve(&spec, response);
                    let schema = &response["content"]["application/json"]["schema"];
                    if schema.is_null() {
                        problems.push(format!(
                            "{label}: status {status} has an example but no schema"
                        ));
                    } else {
                        let mut missing = Vec::new();
                        undeclared(&spec, schema, example, "", &mut missing);
                        problems.extend(
                            missing
                                .into_iter()
                                .map(|m| format!("{label}: example field `{m}` missing")),
                        );
                    }
                }
                (Some(_), None) => {}
            }
        }
    }
    assert!(
        problems.is_empty(),
        "the spec misses what the page states:\n{}",
        problems.join("\n")
    );
    ops
}

#[test]
fn the_older_page_is_covered() {
    let ops = check_page("core-12.txt", 17);
    let examples = ops.iter().filter(|o| o.example.is_some()).count();
    assert_eq!(examples, 12, "example responses found in core-12.txt");
    let params: usize = ops
        .iter()
        .map(|o| o.path_params.len() + o.query_params.len() + o.request_fields.len())
        .sum();
    assert!(
        params > 100,
        "only {params} parameters and fields were read from core-12.txt"
    );
}

#[test]
fn the_newer_page_is_covered() {
    let ops = check_page("core-13.txt", 18);
    let fields: usize = ops.iter().map(|o| o.request_fields.len()).sum();
    assert!(
        fields > 80,
        "only {fields} request fields were read from core-13.txt"
    );
}

#[test]
fn both_pages_together_list_the_23_operations_of_the_spec() {
    let spec = spec();
    let mut on_pages: Vec<String> = page("core-12.txt")
        .into_iter()
        .chain(page("core-13.txt"))
        .map(|o| format!("{} {}", o.method.to_lowercase(), o.path))
        .collect();
    on_pages.sort();
    on_pages.dedup();
    let mut in_spec: Vec<String> = spec["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, item)| {
            item.as_object()
                .unwrap()
                .keys()
                .filter(|k| *k != "parameters")
                .map(move |m| format!("{m} {path}"))
        })
        .collect();
    in_spec.sort();
    assert_eq!(on_pages.len(), 23);
    assert_eq!(on_pages, in_spec);
}
