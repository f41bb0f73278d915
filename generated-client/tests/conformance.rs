//! Every operation, called through `posthog-api`, against Prism started from
//! `spec/posthog.yaml` with `--errors`: Prism rejects any request the spec does not accept, and
//! invents responses the client must decode. The judge is independent of our own code.

mod prism;

use chrono::{TimeZone, Utc};
use posthog_api::models::*;
use posthog_api::{Client, Error, Nullable};
use prism::{workspace_root, Prism};
use serde_json::json;
use std::collections::BTreeMap;
use std::path::Path;

/// The 23 operations, by operation id.
const OPERATIONS: [&str; 23] = [
    "property_definitions_partial_update",
    "property_definitions_destroy",
    "property_definitions_bulk_update_tags_create",
    "property_definitions_seen_together_retrieve",
    "session_recordings_sharing_list",
    "session_recordings_sharing_passwords_create",
    "session_recordings_sharing_passwords_destroy",
    "session_recordings_sharing_refresh_create",
    "subscriptions_list",
    "subscriptions_create",
    "subscriptions_retrieve",
    "subscriptions_partial_update",
    "subscriptions_destroy",
    "subscriptions_test_delivery_create",
    "subscriptions_summary_quota_retrieve",
    "users_list",
    "users_retrieve",
    "users_partial_update",
    "users_destroy",
    "users_credentials_review_complete_create",
    "users_github_login_retrieve",
    "users_hedgehog_config_retrieve",
    "users_hedgehog_config_partial_update",
];

const KEY: &str = "phx_conformance_test_key";
const PROJECT: &str = "@current";
const RECORDING: &str = "0190a8c2-7d5b-7b2a-9c1e-2f6b1f0e8d11";

fn spec_path() -> std::path::PathBuf {
    workspace_root().join("spec/posthog.yaml")
}

/// The clients a run calls with. `subscriptions_destroy` documents no success status, only
/// `405`, and with no success status Prism answers the lowest error status it finds (`401`),
/// so that call asks Prism for the documented `405` unless the run asks for a status itself.
struct Clients {
    client: Client,
    destroy: Client,
}

fn clients(prism: &Prism, key: Option<&str>, prefer: Option<u16>) -> Clients {
    let build = |prefer: Option<u16>| {
        let mut builder = Client::builder()
            .base_url(prism.url())
            .max_retries(0)
            .decoding(posthog_api::Decoding::Strict);
        if let Some(key) = key {
            builder = builder.api_key(key);
        }
        if let Some(code) = prefer {
            builder = builder.default_header("Prefer", format!("code={code}"));
        }
        builder.build().unwrap()
    };
    Clients {
        client: build(prefer),
        destroy: build(prefer.or(Some(405))),
    }
}

fn settings() -> SharingConfigurationSettings {
    SharingConfigurationSettings::new()
        .whitelabel(true)
        .no_header(false)
}

/// Calls one operation with realistic arguments, optional parameters and nested bodies
/// included. `Ok` means the request was accepted and the response decoded.
async fn call(clients: &Clients, operation: &str) -> Result<(), Error> {
    let client = &clients.client;
    let when = Utc.with_ymd_and_hms(2025, 3, 1, 9, 0, 0).unwrap();
    match operation {
        "property_definitions_partial_update" => {
            let body = PatchedEnterprisePropertyDefinition::new()
                .description("The browser the event came from".to_owned())
                .tags(vec![json!("web"), json!("core")])
                .property_type(PropertyTypeEnum::String)
                .verified(true)
                .hidden(Nullable::Null);
            let id = uuid::Uuid::parse_str("497f6eca-6276-4993-bfeb-53cbbbba6f08").unwrap();
            client
                .property_definitions()
                .partial_update(PROJECT, id)
                .body(body)
                .send()
                .await
                .map(drop)
        }
        "property_definitions_destroy" => {
            client
                .property_definitions()
                .destroy(
                    PROJECT,
                    uuid::Uuid::from_u128(0x0190a8c2_7d5b_7b2a_9c1e_2f6b1f0e8d12),
                )
                .send()
                .await
        }
        "property_definitions_bulk_update_tags_create" => {
            let body = BulkUpdateTagsRequest::new(
                vec![1, 2, 3],
                BulkUpdateTagsActionEnum::Add,
                vec!["marketing".into(), "q3".into()],
            );
            client
                .property_definitions()
                .bulk_update_tags_create(PROJECT, body)
                .send()
                .await
                .map(drop)
        }
        "property_definitions_seen_together_retrieve" => client
            .property_definitions()
            .seen_together_retrieve(
                PROJECT,
                vec!["$pageview".into(), "$autocapture".into()],
                "$browser",
            )
            .send()
            .await
            .map(drop),
        "session_recordings_sharing_list" => client
            .session_recordings()
            .sharing_list(PROJECT, RECORDING)
            .send()
            .await
            .map(drop),
        "session_recordings_sharing_passwords_create" => {
            let body = SharePasswordCreate::new()
                .enabled(true)
                .settings(settings())
                .password_required(true)
                .raw_password("correct horse battery staple")
                .note("for the board meeting");
            client
                .session_recordings()
                .sharing_passwords_create(PROJECT, RECORDING)
                .body(body)
                .send()
                .await
                .map(drop)
        }
        "session_recordings_sharing_passwords_destroy" => {
            client
                .session_recordings()
                .sharing_passwords_destroy(PROJECT, RECORDING, "17")
                .send()
                .await
        }
        "session_recordings_sharing_refresh_create" => {
            let body = SharingConfigurationRequest::new()
                .enabled(true)
                .settings(settings())
                .password_required(false);
            client
                .session_recordings()
                .sharing_refresh_create(PROJECT, RECORDING)
                .body(body)
                .send()
                .await
                .map(drop)
        }
        "subscriptions_list" => client
            .subscriptions()
            .list(PROJECT)
            .created_by(uuid::Uuid::parse_str("095be615-a8ad-4c33-8e9c-c7612fbf6c9f").unwrap())
            .dashboard(5)
            .insight(7)
            .limit(20)
            .offset(40)
            .ordering("-next_delivery_date")
            .resource_type(SubscriptionsListResourceType::Insight)
            .search("weekly")
            .target_type(SubscriptionsListTargetType::Slack)
            .send()
            .await
            .map(drop),
        "subscriptions_create" => {
            let body = SubscriptionRequest::new(
                TargetTypeEnum::Email,
                "ann@example.com, bo@example.com",
                FrequencyEnum::Weekly,
                when,
            )
            .insight(7)
            .dashboard_export_insights(vec![7, 8])
            .interval(2)
            .byweekday(vec![ByweekdayEnum::Monday, ByweekdayEnum::Thursday])
            .bysetpos(Nullable::Null)
            .until_date(when + chrono::Duration::days(90))
            .title("Weekly growth".to_owned())
            .invite_message("Here is the weekly report".to_owned())
            .summary_enabled(false);
            client
                .subscriptions()
                .create(PROJECT, body)
                .send()
                .await
                .map(drop)
        }
        "subscriptions_retrieve" => client
            .subscriptions()
            .retrieve(PROJECT, 42)
            .send()
            .await
            .map(drop),
        "subscriptions_partial_update" => {
            let body = PatchedSubscription::new()
                .title(Nullable::Null)
                .until_date(when)
                .byweekday(vec![ByweekdayEnum::Friday])
                .enabled(false)
                .frequency(FrequencyEnum::Monthly);
            client
                .subscriptions()
                .partial_update(PROJECT, 42)
                .body(body)
                .send()
                .await
                .map(drop)
        }
        // The spec documents only 405 for this operation: Prism must answer it, and the client
        // must turn it into a typed error.
        "subscriptions_destroy" => match clients
            .destroy
            .subscriptions()
            .destroy(PROJECT, 42)
            .send()
            .await
        {
            Err(Error::Api(api)) if api.status.as_u16() == 405 => Ok(()),
            other => other,
        },
        "subscriptions_test_delivery_create" => {
            client
                .subscriptions()
                .test_delivery_create(PROJECT, 42)
                .send()
                .await
        }
        "subscriptions_summary_quota_retrieve" => client
            .subscriptions()
            .summary_quota_retrieve(PROJECT)
            .send()
            .await
            .map(drop),
        "users_list" => client
            .users()
            .list()
            .email("ann@example.com")
            .is_staff(false)
            .limit(10)
            .offset(0)
            .send()
            .await
            .map(drop),
        "users_retrieve" => client.users().retrieve("@me").send().await.map(drop),
        "users_partial_update" => {
            let mut notifications = BTreeMap::new();
            notifications.insert("plugin_disabled".to_owned(), json!(false));
            let body = PatchedUser::new()
                .first_name("Ann")
                .last_name("Lee")
                .notification_settings(notifications)
                .anonymize_data(false)
                .theme_mode(ThemeModeEnum::Dark)
                .toolbar_mode(Nullable::Null)
                .role_at_organization(RoleAtOrganizationEnum::Engineering)
                .events_column_config(json!({"active": ["event", "person"]}))
                .hedgehog_config(json!({"color": "green"}))
                .shortcut_position(ShortcutPositionEnum::Above)
                .hide_mcp_hints(true);
            client
                .users()
                .partial_update("@me")
                .body(body)
                .send()
                .await
                .map(drop)
        }
        "users_destroy" => client.users().destroy("@me").send().await,
        "users_credentials_review_complete_create" => {
            client
                .users()
                .credentials_review_complete_create("@me")
                .send()
                .await
        }
        "users_github_login_retrieve" => client
            .users()
            .github_login_retrieve("@me")
            .send()
            .await
            .map(drop),
        "users_hedgehog_config_retrieve" => client
            .users()
            .hedgehog_config_retrieve("@me")
            .send()
            .await
            .map(drop),
        "users_hedgehog_config_partial_update" => {
            let mut config = HedgehogConfig::new();
            config.insert("color".into(), json!("blue"));
            config.insert("accessories".into(), json!(["beret", "glasses"]));
            client
                .users()
                .hedgehog_config_partial_update("@me")
                .body(config)
                .send()
                .await
                .map(drop)
        }
        other => panic!("no call written for {other}"),
    }
}

/// Explains a failed call, with what Prism said about it.
fn explain(operation: &str, error: &Error, prism: &Prism, extra: &str) -> String {
    let detail = match error {
        Error::Api(api) => format!("Prism answered {}: {}", api.status, api.body),
        Error::Decode(decode) => format!(
            "the response did not decode at `{}`: {}\n  body: {}",
            decode.path, decode.message, decode.body
        ),
        // The whole chain of causes: a transport error's own message says little.
        other => {
            let mut text = other.to_string();
            let mut source = std::error::Error::source(other);
            while let Some(cause) = source {
                text.push_str(&format!(": {cause}"));
                source = cause.source();
            }
            text
        }
    };
    let log: String = prism
        .log()
        .lines()
        .rev()
        .take(15)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect::<Vec<_>>()
        .join("\n    ");
    format!("{operation}{extra}: {detail}\n  Prism's log ends:\n    {log}")
}

#[tokio::test]
async fn static_responses_every_operation_is_accepted_and_decodes() {
    let Some(prism) = Prism::start(&spec_path(), &[]) else {
        return;
    };
    let clients = clients(&prism, Some(KEY), None);
    let mut failures = Vec::new();
    for operation in OPERATIONS {
        if let Err(error) = call(&clients, operation).await {
            failures.push(explain(operation, &error, &prism, ""));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of 23 operations failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Prism re-seeds its generator for every request, so one seed gives one response per
/// operation: each of the 30 rounds runs its own Prism with its own seed (`20261123-<round>`),
/// which is what a failure prints to reproduce it.
const SEED_BASE: &str = "20261123";
const ROUNDS: usize = 30;
/// Prism instances started at once.
const BATCH: usize = 5;

#[tokio::test]
async fn random_responses_every_operation_decodes_them() {
    let mut failures = Vec::new();
    let mut decoded: BTreeMap<&str, usize> = BTreeMap::new();
    for batch in (1..=ROUNDS).collect::<Vec<_>>().chunks(BATCH) {
        let starts: Vec<_> = batch
            .iter()
            .map(|round| {
                let seed = format!("{SEED_BASE}-{round}");
                tokio::task::spawn_blocking(move || {
                    let args = [
                        "--dynamic",
                        "--seed",
                        seed.as_str(),
                        "--json-schema-faker-fillProperties",
                        "true",
                    ];
                    (Prism::start(&spec_path(), &args), seed)
                })
            })
            .collect();
        for start in starts {
            let (prism, seed) = start.await.expect("Prism start task");
            let Some(prism) = prism else { return };
            let clients = clients(&prism, Some(KEY), None);
            for operation in OPERATIONS {
                match call(&clients, operation).await {
                    Ok(()) => *decoded.entry(operation).or_default() += 1,
                    Err(error) => failures.push(explain(
                        operation,
                        &error,
                        &prism,
                        &format!(" (--seed {seed})"),
                    )),
                }
            }
        }
    }
    let table: Vec<String> = OPERATIONS
        .iter()
        .map(|o| format!("{o}: {}/{ROUNDS}", decoded.get(o).copied().unwrap_or(0)))
        .collect();
    eprintln!(
        "random responses decoded (seeds {SEED_BASE}-1 to -{ROUNDS}):\n  {}",
        table.join("\n  ")
    );
    assert!(
        failures.is_empty(),
        "{} random responses failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert_eq!(decoded.values().sum::<usize>(), 23 * ROUNDS);
}

/// The error statuses the spec documents for each operation.
fn documented_errors() -> BTreeMap<String, Vec<u16>> {
    let spec: serde_json::Value =
        serde_yaml::from_str(&std::fs::read_to_string(spec_path()).unwrap()).unwrap();
    let mut out = BTreeMap::new();
    for item in spec["paths"].as_object().unwrap().values() {
        for (method, op) in item.as_object().unwrap() {
            if method == "parameters" {
                continue;
            }
            let statuses = op["responses"]
                .as_object()
                .unwrap()
                .keys()
                .filter_map(|k| k.parse::<u16>().ok())
                .filter(|s| *s >= 400)
                .collect();
            out.insert(op["operationId"].as_str().unwrap().to_owned(), statuses);
        }
    }
    out
}

#[tokio::test]
async fn documented_error_statuses_become_typed_errors() {
    let Some(prism) = Prism::start(&spec_path(), &[]) else {
        return;
    };
    let errors = documented_errors();
    let mut failures = Vec::new();
    let mut checked = 0;
    for operation in OPERATIONS {
        for &status in &errors[operation] {
            checked += 1;
            match call(&clients(&prism, Some(KEY), Some(status)), operation).await {
                Err(Error::Api(api)) if api.status.as_u16() == status => {
                    let message = api.message();
                    if message.is_empty() || (api.details.is_none() && !api.body.contains("error"))
                    {
                        failures.push(format!(
                            "{operation} {status}: the error body was not decoded: {}",
                            api.body
                        ));
                    }
                }
                Ok(()) if status == 405 && operation == "subscriptions_destroy" => {}
                Ok(()) => failures.push(format!("{operation} {status}: succeeded")),
                Err(other) => failures.push(explain(
                    operation,
                    &other,
                    &prism,
                    &format!(" (Prefer: code={status})"),
                )),
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(checked > 80, "only {checked} error statuses checked");
}

#[tokio::test]
async fn a_request_without_the_key_is_a_typed_401() {
    let Some(prism) = Prism::start(&spec_path(), &[]) else {
        return;
    };
    let anonymous = clients(&prism, None, None);
    let mut failures = Vec::new();
    for operation in OPERATIONS {
        match call(&anonymous, operation).await {
            Err(error) if error.status().map(|s| s.as_u16()) == Some(401) => {
                assert!(error.is_auth_error())
            }
            other => failures.push(format!("{operation}: expected a 401, got {other:?}")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The harness itself: a spec whose response type disagrees with the models, or whose
/// request rules disagree with what the client sends, makes the checks above fail.
#[tokio::test]
async fn a_mismatched_spec_is_caught() {
    let text = std::fs::read_to_string(spec_path()).unwrap();
    let subscription_id = "    Subscription:\n      type: object\n      description: A scheduled delivery of an insight or a dashboard.\n      properties:\n        id:\n          type: integer\n";
    assert!(text.contains(subscription_id));
    let changed = text
        .replace(subscription_id, &subscription_id.replace("          type: integer\n", "          type: string\n          enum: [not-a-number]\n"))
        .replace("        - name: search\n          in: query\n          description: A search term.\n          schema:\n            type: string\n",
                 "        - name: search\n          in: query\n          description: A search term.\n          schema:\n            type: string\n            maxLength: 2\n");
    assert_ne!(changed, text);
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("mismatched.yaml");
    std::fs::write(&spec, changed).unwrap();
    let Some(prism) = Prism::start(Path::new(&spec), &[]) else {
        return;
    };
    let clients = clients(&prism, Some(KEY), None);
    // The response: Prism serves `id: "not-a-number"`, which the models reject.
    let error = call(&clients, "subscriptions_retrieve").await.unwrap_err();
    assert!(
        matches!(&error, Error::Decode(decode) if decode.path == "$.id"),
        "{error:?}"
    );
    // The request: the client sends `search=weekly`, which this spec forbids; Prism refuses it
    // with a documented client-error status and says why.
    let error = call(&clients, "subscriptions_list").await.unwrap_err();
    let api = error.api().unwrap_or_else(|| panic!("{error:?}"));
    assert_eq!(api.status.as_u16(), 400, "{error:?}");
    let violations = api.headers["sl-violations"].to_str().unwrap();
    assert!(
        violations.contains("search") && violations.contains("maxLength"),
        "{violations}"
    );
}

/// Operations with several success statuses decode each into its own outcome.
#[tokio::test]
async fn every_documented_success_status_decodes() {
    use posthog_api::apis::session_recordings::SharingPasswordsCreateResponse as Outcome;
    let Some(prism) = Prism::start(&spec_path(), &[]) else {
        return;
    };
    for status in [200, 201] {
        let client = clients(&prism, Some(KEY), Some(status)).client;
        let outcome = client
            .session_recordings()
            .sharing_passwords_create(PROJECT, RECORDING)
            .send_with_response()
            .await;
        let outcome = outcome
            .unwrap_or_else(|e| panic!("{}", explain("sharing_passwords_create", &e, &prism, "")));
        assert_eq!(outcome.status().as_u16(), status);
        match (status, outcome.into_body()) {
            (200, Outcome::Ok(config)) => assert!(config
                .share_passwords
                .iter()
                .all(|p| !p.created_by_email.is_empty())),
            (201, Outcome::Created(created)) => assert!(!created.password.is_empty()),
            (status, other) => panic!("status {status} decoded as {other:?}"),
        }
    }
}

/// A port taken between its choice and Prism's bind (by another test's server, or any
/// process) makes Prism exit with EADDRINUSE: the harness starts it again on another port
/// rather than letting the test talk to whatever holds the first one.
#[tokio::test]
async fn prism_starts_again_when_its_port_is_taken() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let taken_port = taken.local_addr().unwrap().port();
    let mut ports = vec![taken_port];
    let Some(prism) = Prism::start_on_ports(&spec_path(), &[], move || {
        ports.pop().unwrap_or_else(|| {
            std::net::TcpListener::bind("127.0.0.1:0")
                .unwrap()
                .local_addr()
                .unwrap()
                .port()
        })
    }) else {
        return;
    };
    assert_ne!(prism.port(), taken_port);
    assert!(prism.log().contains("listening on"), "{}", prism.log());
    drop(taken);
}
