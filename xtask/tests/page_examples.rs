//! Every example response of the older reference page decodes into `posthog-api`'s models and
//! encodes back to the same JSON.

use posthog_api::models;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;
use xtask::reference::parse_page;

/// Equal JSON, where numbers compare by value as doubles: the page's
/// `-9223372036854776000` is the int64 minimum after a JavaScript renderer rounded it, and
/// decodes (losslessly, as a double) to `i64::MIN`.
fn same_json(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x == y || x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same_json(x, y))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| same_json(v, w)))
        }
        _ => a == b,
    }
}

fn roundtrip<T: DeserializeOwned + Serialize>(example: &Value) -> Result<Value, String> {
    let text = example.to_string();
    let mut deserializer = serde_json::Deserializer::from_str(&text);
    let decoded: T = serde_path_to_error::deserialize(&mut deserializer)
        .map_err(|e| format!("decode failed at `{}`: {}", e.path(), e.inner()))?;
    let encoded = serde_json::to_string(&decoded).map_err(|e| e.to_string())?;
    serde_json::from_str(&encoded).map_err(|e| e.to_string())
}

/// The model the spec gives each operation's example status.
fn decode_as(operation: &str, example: &Value) -> Result<Value, String> {
    match operation {
        "PATCH /api/projects/{project_id}/property_definitions/{id}/" => {
            roundtrip::<models::EnterprisePropertyDefinition>(example)
        }
        "POST /api/projects/{project_id}/property_definitions/bulk_update_tags/" => {
            roundtrip::<models::BulkUpdateTagsResponse>(example)
        }
        "GET /api/projects/{project_id}/session_recordings/{recording_id}/sharing/" => {
            roundtrip::<models::SharingConfigurationOrList>(example)
        }
        "POST /api/projects/{project_id}/session_recordings/{recording_id}/sharing/passwords/"
        | "POST /api/projects/{project_id}/session_recordings/{recording_id}/sharing/refresh/" => {
            roundtrip::<models::SharingConfiguration>(example)
        }
        "GET /api/projects/{project_id}/subscriptions/" => {
            roundtrip::<models::PaginatedSubscriptionList>(example)
        }
        "POST /api/projects/{project_id}/subscriptions/"
        | "GET /api/projects/{project_id}/subscriptions/{id}/"
        | "PATCH /api/projects/{project_id}/subscriptions/{id}/" => {
            roundtrip::<models::Subscription>(example)
        }
        "GET /api/users/" => roundtrip::<models::PaginatedUserList>(example),
        "GET /api/users/{uuid}/" | "PATCH /api/users/{uuid}/" => roundtrip::<models::User>(example),
        other => Err(format!("no model chosen for {other}")),
    }
}

#[test]
fn every_example_response_round_trips() {
    let text = std::fs::read_to_string(xtask::workspace_root().join("spec/reference/core-12.txt"))
        .unwrap();
    let mut checked = 0;
    let mut failures = Vec::new();
    for op in parse_page(&text) {
        let Some(example) = &op.example else { continue };
        let label = format!("{} {}", op.method, op.path);
        match decode_as(&label, example) {
            Ok(encoded) if same_json(example, &encoded) => checked += 1,
            Ok(encoded) => failures.push(format!(
                "{label}: re-encoded differently:\n  page: {example}\n  ours: {encoded}"
            )),
            Err(e) => failures.push(format!("{label}: {e}")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(checked, 12, "every example of core-12.txt");
}

#[test]
fn unknown_enum_values_decode_and_are_kept() {
    let text = std::fs::read_to_string(xtask::workspace_root().join("spec/reference/core-12.txt"))
        .unwrap();
    let op = parse_page(&text)
        .into_iter()
        .find(|o| o.method == "GET" && o.path == "/api/projects/{project_id}/subscriptions/{id}/")
        .unwrap();
    let mut example = op.example.unwrap();
    example["target_type"] = "carrier_pigeon".into();
    example["byweekday"] = serde_json::json!(["monday", "someday"]);
    example["created_by"]["role_at_organization"] = "student".into();
    let subscription: models::Subscription = serde_json::from_value(example.clone()).unwrap();
    assert_eq!(
        subscription.target_type,
        models::TargetTypeEnum::Unknown("carrier_pigeon".into())
    );
    assert_eq!(subscription.target_type.as_str(), "carrier_pigeon");
    let reencoded = serde_json::to_value(&subscription).unwrap();
    assert_eq!(
        reencoded["byweekday"],
        serde_json::json!(["monday", "someday"])
    );
    assert_eq!(reencoded["created_by"]["role_at_organization"], "student");
}
