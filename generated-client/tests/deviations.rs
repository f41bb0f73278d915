//! Bodies that differ from the API description: a tolerant client (the default) delivers
//! them with each deviation recorded, a strict one refuses them listing every deviation. One
//! test per kind of deviation, against wiremock on loopback.

mod wire;

use posthog_api::models::RoleAtOrganizationEnum;
use posthog_api::{Client, Decoding, DeviationKind, Error};
use serde_json::{json, Value};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const ME: &str = "/api/users/@me/";

async fn serve(body: Value) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(ME))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .mount(&server)
        .await;
    server
}

fn client(server: &MockServer, decoding: Decoding) -> Client {
    Client::builder()
        .base_url(server.uri())
        .api_key(wire::KEY)
        .decoding(decoding)
        .build()
        .unwrap()
}

/// The user with one change, sent to a tolerant client: what it delivered, and the one
/// deviation it recorded (path, kind).
async fn tolerant(
    change: impl FnOnce(&mut Value),
) -> (posthog_api::models::User, String, DeviationKind) {
    let mut body = wire::user();
    change(&mut body);
    let server = serve(body).await;
    let response = client(&server, Decoding::Tolerant)
        .users()
        .retrieve("@me")
        .send_with_response()
        .await
        .expect("a tolerant client delivers the body");
    let deviations = response.deviations().to_vec();
    assert_eq!(deviations.len(), 1, "{deviations:#?}");
    let deviation = deviations.into_iter().next().unwrap();
    (response.into_body(), deviation.path, deviation.kind)
}

/// The same body sent to a strict client: the error, which lists the deviation.
async fn strict(change: impl FnOnce(&mut Value)) -> posthog_api::DecodeError {
    let mut body = wire::user();
    change(&mut body);
    let server = serve(body).await;
    match client(&server, Decoding::Strict)
        .users()
        .retrieve("@me")
        .send()
        .await
    {
        Err(Error::Decode(error)) => *error,
        other => panic!("a strict client refuses the body: {other:?}"),
    }
}

#[tokio::test]
async fn a_matching_body_has_no_deviations() {
    let server = serve(wire::user()).await;
    let response = client(&server, Decoding::Strict)
        .users()
        .retrieve("@me")
        .send_with_response()
        .await
        .unwrap();
    assert!(response.deviations().is_empty());
}

#[tokio::test]
async fn null_for_a_required_value_is_its_zero_value() {
    let (user, at, kind) = tolerant(|b| b["email"] = Value::Null).await;
    assert_eq!(
        (user.email.as_str(), at.as_str(), kind),
        ("", "$.email", DeviationKind::Null)
    );
    assert_eq!(user.id, 1, "the rest of the body is delivered");
    let error = strict(|b| b["email"] = Value::Null).await;
    assert_eq!(error.deviations.len(), 1);
    assert_eq!(error.path, "$.email");
    assert!(
        error
            .to_string()
            .contains("null where `String` was promised"),
        "{error}"
    );
}

#[tokio::test]
async fn null_for_an_optional_value_that_is_not_nullable_is_none() {
    let (user, at, kind) = tolerant(|b| b["first_name"] = Value::Null).await;
    assert_eq!(
        (user.first_name, at.as_str(), kind),
        (None, "$.first_name", DeviationKind::Null)
    );
    assert_eq!(
        strict(|b| b["first_name"] = Value::Null)
            .await
            .deviations
            .len(),
        1
    );
}

#[tokio::test]
async fn an_absent_required_property_is_its_zero_value() {
    let (user, at, kind) = tolerant(|b| {
        b.as_object_mut().unwrap().remove("has_password");
    })
    .await;
    assert_eq!(
        (user.has_password, at.as_str(), kind),
        (false, "$.has_password", DeviationKind::Missing)
    );
    // A nullable one is `None`.
    let (user, at, _) = tolerant(|b| {
        b.as_object_mut().unwrap().remove("pending_email");
    })
    .await;
    assert_eq!((user.pending_email, at.as_str()), (None, "$.pending_email"));
    let error = strict(|b| {
        b.as_object_mut().unwrap().remove("has_password");
    })
    .await;
    assert_eq!(error.deviations[0].kind, DeviationKind::Missing);
}

#[tokio::test]
async fn a_value_of_another_json_type_is_read_without_loss() {
    let (user, at, kind) = tolerant(|b| b["id"] = json!("7")).await;
    assert_eq!(
        (user.id, at.as_str(), kind),
        (7, "$.id", DeviationKind::Type)
    );
    let (user, at, kind) = tolerant(|b| b["email"] = json!(42)).await;
    assert_eq!(
        (user.email.as_str(), at.as_str(), kind),
        ("42", "$.email", DeviationKind::Type)
    );
}

#[tokio::test]
async fn an_unreadable_value_is_its_zero_value_and_kept_in_the_deviation() {
    let mut body = wire::user();
    body["uuid"] = json!("not-a-uuid");
    let server = serve(body).await;
    let response = client(&server, Decoding::Tolerant)
        .users()
        .retrieve("@me")
        .send_with_response()
        .await
        .unwrap();
    let deviation = &response.deviations()[0];
    assert_eq!(deviation.kind, DeviationKind::Unreadable);
    assert_eq!(deviation.found, Some(json!("not-a-uuid")));
    assert!(response.body().uuid.is_nil());
}

#[tokio::test]
async fn an_unknown_enum_value_is_kept_and_recorded() {
    let (user, at, kind) = tolerant(|b| b["role_at_organization"] = json!("wizard")).await;
    assert_eq!(
        (user.role_at_organization, at.as_str(), kind),
        (
            Some(RoleAtOrganizationEnum::Unknown("wizard".into())),
            "$.role_at_organization",
            DeviationKind::UnknownValue
        )
    );
}

#[tokio::test]
async fn null_items_are_left_out_of_a_list() {
    let organization = json!({"id": "00000000-0000-0000-0000-000000000001", "name": "Acme",
        "slug": "acme", "logo_media_id": null, "membership_level": 1, "members_can_use_personal_api_keys": true});
    let (user, at, kind) = tolerant(|b| b["organizations"] = json!([organization, null])).await;
    assert_eq!(
        (user.organizations.len(), at.as_str(), kind),
        (1, "$.organizations", DeviationKind::NullItems)
    );
}

#[tokio::test]
async fn deviations_inside_nested_objects_name_their_path() {
    let organization = json!({"id": "00000000-0000-0000-0000-000000000001", "name": null,
        "slug": "acme", "logo_media_id": null, "membership_level": 1, "members_can_use_personal_api_keys": true});
    let (user, at, kind) = tolerant(|b| b["organizations"] = json!([organization])).await;
    assert_eq!(
        (at.as_str(), kind),
        ("$.organizations[*].name", DeviationKind::Null)
    );
    assert_eq!(user.organizations[0].name, "");
}

/// A body with none of the object's required properties is some other object (an error sent
/// with a success status): not delivered, even by a tolerant client.
#[tokio::test]
async fn another_object_is_not_delivered() {
    let server = serve(json!({"detail": "Authentication credentials were not provided."})).await;
    let error = client(&server, Decoding::Tolerant)
        .users()
        .retrieve("@me")
        .send()
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Decode(_)), "{error:?}");
}

/// Every deviation goes to the file of `record_deviations`, one JSON object per line with
/// what `cargo xtask draft-overlay` needs to find the schema.
#[tokio::test]
async fn deviations_are_recorded_to_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("deviations.jsonl");
    let mut body = wire::user();
    body["email"] = Value::Null;
    body["id"] = json!("7");
    let server = serve(body).await;
    let client = Client::builder()
        .base_url(server.uri())
        .api_key(wire::KEY)
        .record_deviations(&file)
        .build()
        .unwrap();
    client.users().retrieve("@me").send().await.unwrap();
    let text = std::fs::read_to_string(&file).unwrap();
    let lines: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert_eq!(lines[0]["operation"], "users_retrieve");
    assert_eq!(lines[0]["method"], "GET");
    assert_eq!(lines[0]["path_template"], "/api/users/{uuid}/");
    assert_eq!(lines[0]["status"], 200);
    assert_eq!(lines[0]["content_type"], "application/json");
    let paths: Vec<&str> = lines
        .iter()
        .map(|l| l["json_path"].as_str().unwrap())
        .collect();
    assert!(
        paths.contains(&"$.email") && paths.contains(&"$.id"),
        "{paths:?}"
    );
    assert!(!text.contains(wire::KEY));
}
