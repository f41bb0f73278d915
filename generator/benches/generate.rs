//! `cargo bench -p openapi-rust-generator`: the generator on the PostHog spec and on a
//! mid-size API (the PostHog spec repeated 20 times under other names: about 460 operations
//! and 1,000 types), so regressions in any stage show up.

use criterion::{criterion_group, criterion_main, Criterion};
use openapi_rust_generator::{Layout, Settings};
use serde_json::Value;

fn posthog_text() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/posthog.yaml"))
        .expect("spec/posthog.yaml")
}

/// Renames every component and `$ref` with a suffix, so copies of a document do not collide.
fn suffixed(node: &Value, suffix: &str) -> Value {
    match node {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(key, value)| {
                    let value = match (key.as_str(), value) {
                        ("$ref", Value::String(r)) => Value::String(format!("{r}{suffix}")),
                        ("operationId", Value::String(id)) => {
                            Value::String(format!("{id}{suffix}"))
                        }
                        _ => suffixed(value, suffix),
                    };
                    (key.clone(), value)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(|v| suffixed(v, suffix)).collect()),
        other => other.clone(),
    }
}

/// The PostHog spec, `copies` times, as one JSON document.
fn mid_size_text(copies: usize) -> String {
    let base: Value = serde_yaml::from_str(&posthog_text()).expect("valid YAML");
    let mut doc = base.clone();
    let (paths, components) = (
        doc["paths"].as_object_mut().unwrap().clone(),
        base["components"].clone(),
    );
    let mut all_paths = serde_json::Map::new();
    let mut all_components = serde_json::Map::new();
    for copy in 0..copies {
        let suffix = format!("V{copy}");
        for (path, item) in &paths {
            all_paths.insert(format!("/v{copy}{path}"), suffixed(item, &suffix));
        }
        for (kind, entries) in components.as_object().unwrap() {
            let target = all_components
                .entry(kind.clone())
                .or_insert_with(|| Value::Object(Default::default()));
            for (name, value) in entries.as_object().unwrap() {
                let key = if kind == "securitySchemes" {
                    name.clone()
                } else {
                    format!("{name}{suffix}")
                };
                target
                    .as_object_mut()
                    .unwrap()
                    .insert(key, suffixed(value, &suffix));
            }
        }
    }
    doc["paths"] = Value::Object(all_paths);
    doc["components"] = Value::Object(all_components);
    serde_json::to_string(&doc).unwrap()
}

fn bench(c: &mut Criterion) {
    let settings = Settings::new("bench-client", "bench.json").with_layout(Layout::Embedded);
    for (name, text) in [
        ("posthog", posthog_text()),
        ("mid_size_20x", mid_size_text(20)),
    ] {
        let doc = openapi_rust_generator::parse_document(&text).expect("the bench spec parses");
        let api = openapi_rust_generator::lower(&doc, &settings).expect("the bench spec lowers");
        let mut group = c.benchmark_group(name);
        group.sample_size(10);
        group.bench_function("parse", |b| {
            b.iter(|| openapi_rust_generator::parse_document(&text).unwrap())
        });
        group.bench_function("lower", |b| {
            b.iter(|| openapi_rust_generator::lower(&doc, &settings).unwrap())
        });
        group.bench_function("emit_and_format", |b| {
            b.iter(|| {
                openapi_rust_generator::format(
                    openapi_rust_generator::emit(&api, &settings),
                    &settings,
                )
                .unwrap()
            })
        });
        group.bench_function("generate", |b| {
            b.iter(|| openapi_rust_generator::generate(&doc, &settings).unwrap())
        });
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
