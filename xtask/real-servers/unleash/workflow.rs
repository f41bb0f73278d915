//! An ordinary workflow against Unleash (a feature-flag server from npm, OpenAPI 3.0 generated
//! from its own code, PostgreSQL), through the client generated from the document the running
//! server serves at `/docs/openapi.json`: feature flags, their strategies, environments and
//! tags, the search list, and the error paths. Unleash takes its API token bare in
//! `Authorization`, as its document's `apiKey` scheme says.

mod support;

use futures::TryStreamExt;
use support::{ensure, Described, Run};
use unleash_api::models::{
    CreateFeatureSchema, CreateFeatureStrategySchema, HealthCheckSchemaHealth, PatchSchema,
    PatchSchemaOp, TagSchema, UpdateFeatureSchema,
};
use unleash_api::{Client, Decoding, Error};

/// The tokens the suite's server is started with (`server.js`).
const ADMIN: &str = "*:*.real-server-suite-admin-token";
const CLIENT: &str = "default:development.real-server-suite-client-token";
const PROJECT: &str = "default";

fn client(run: &Run, token: &str) -> Client {
    Client::builder()
        .base_url(&run.base_url)
        .api_key(token)
        .decoding(if run.strict { Decoding::Strict } else { Decoding::Tolerant })
        .record_deviations(&run.deviations)
        .build()
        .expect("a client")
}

fn api_error<T: std::fmt::Debug>(result: Result<T, Error>) -> Result<Box<unleash_api::ApiError>, String> {
    match result {
        Err(Error::Api(api)) => Ok(api),
        Err(other) => Err(format!("expected an error status, got: {other}")),
        Ok(value) => Err(format!("expected an error status, got a success: {value:?}")),
    }
}

#[tokio::main]
async fn main() {
    let mut run = Run::from_args();
    let admin = client(&run, ADMIN);
    let sdk = client(&run, CLIENT);
    let stranger = client(&run, "*:*.not-a-token");

    run.check("health", async {
        let health = admin.operational().get_health().send().await.described()?;
        ensure(health.health == HealthCheckSchemaHealth::Good, format!("{:?}", health.health))
    })
    .await;

    run.check("create a feature flag", async {
        let body = CreateFeatureSchema::new("checkout-v2").description("The new checkout".to_owned());
        let created = admin.features().create_feature(PROJECT, body).send().await.described()?;
        ensure(created.name == "checkout-v2", created.name)
    })
    .await;

    run.check("read the feature flag", async {
        let read = admin.features().get_feature(PROJECT, "checkout-v2").send().await.described()?;
        ensure(
            read.description.as_option().map(String::as_str) == Some("The new checkout"),
            format!("{:?}", read.description),
        )
    })
    .await;

    run.check("update the feature flag (PUT)", async {
        let body = UpdateFeatureSchema::new().description("The new checkout, for everyone".to_owned());
        let updated = admin.features().update_feature(PROJECT, "checkout-v2", body).send().await.described()?;
        ensure(format!("{:?}", updated.description).contains("everyone"), format!("{:?}", updated.description))
    })
    .await;

    run.check("patch the feature flag (JSON patch)", async {
        let mut patch = PatchSchema::new("/description", PatchSchemaOp::Replace);
        patch.value = Some(serde_json::json!("Patched"));
        let patched = admin.features().patch_feature(PROJECT, "checkout-v2", vec![patch]).send().await.described()?;
        ensure(patched.description.as_option().map(String::as_str) == Some("Patched"), format!("{:?}", patched.description))
    })
    .await;

    run.check("create four more feature flags", async {
        for name in ["search-ranking", "dark-mode", "new-onboarding", "beta-reports"] {
            admin.features().create_feature(PROJECT, CreateFeatureSchema::new(name)).send().await.described()?;
        }
        Ok(())
    })
    .await;

    run.check("list the project's feature flags", async {
        let listed = admin.features().get_features(PROJECT).send().await.described()?;
        ensure(listed.features.len() == 5, format!("{} flags", listed.features.len()))
    })
    .await;

    run.check("search feature flags, two at a time", async {
        let page = admin
            .search()
            .features()
            .project(format!("IS:{PROJECT}"))
            .limit("2")
            .send()
            .await
            .described()?;
        ensure(page.features.len() == 2 && page.total == Some(5.0), format!("{} of {:?}", page.features.len(), page.total))
    })
    .await;

    run.check("stream every feature flag (an offset the document types as a string)", async {
        let all: Vec<_> = admin
            .search()
            .features()
            .project(format!("IS:{PROJECT}"))
            .limit("2")
            .stream()
            .try_collect()
            .await
            .described()?;
        ensure(all.len() == 5, format!("{} flags", all.len()))
    })
    .await;

    run.check("add a rollout strategy in development", async {
        let mut parameters = std::collections::BTreeMap::new();
        parameters.insert("rollout".to_owned(), "50".to_owned());
        parameters.insert("stickiness".to_owned(), "default".to_owned());
        parameters.insert("groupId".to_owned(), "checkout-v2".to_owned());
        let body = CreateFeatureStrategySchema::new("flexibleRollout").parameters(parameters.into_iter().collect());
        let strategy = admin
            .features()
            .add_feature_strategy(PROJECT, "checkout-v2", "development", body)
            .send()
            .await
            .described()?;
        ensure(strategy.name == "flexibleRollout", strategy.name)
    })
    .await;

    run.check("turn the flag on in development", async {
        admin
            .features()
            .toggle_feature_environment_on(PROJECT, "checkout-v2", "development")
            .send()
            .await
            .described()?;
        let environment = admin
            .features()
            .get_feature_environment(PROJECT, "checkout-v2", "development")
            .send()
            .await
            .described()?;
        ensure(environment.enabled, "enabled")
    })
    .await;

    run.check("tag the feature flag", async {
        let tag = admin
            .features()
            .add_tag("checkout-v2", TagSchema::new("payments", "simple"))
            .send()
            .await
            .described()?;
        ensure(tag.value == "payments", tag.value)
    })
    .await;

    run.check("a 400 says what is wrong", async {
        let result = admin.features().create_feature(PROJECT, CreateFeatureSchema::new("not a valid name")).send().await;
        let api = api_error(result)?;
        ensure(api.status.as_u16() == 400, format!("status {}", api.status))?;
        ensure(api.message().contains("valid"), api.message())
    })
    .await;

    run.check("a 401 for a token that is not valid", async {
        let api = api_error(stranger.features().get_features(PROJECT).send().await)?;
        ensure(api.status.as_u16() == 401, format!("status {}", api.status))
    })
    .await;

    run.check("a 403 for a client token on the admin API", async {
        let api = api_error(sdk.features().get_features(PROJECT).send().await)?;
        ensure(api.status.as_u16() == 403, format!("status {}", api.status))?;
        ensure(!api.message().is_empty(), "a message")
    })
    .await;

    run.check("a 404 names what was not found", async {
        let error = admin.features().get_feature(PROJECT, "no-such-flag").send().await.err().ok_or("found")?;
        ensure(error.is_not_found(), error.to_string())?;
        ensure(error.to_string().contains("no-such-flag"), error.to_string())
    })
    .await;

    run.check("the raw response, undecoded (send_raw)", async {
        let raw = admin.features().get_feature(PROJECT, "dark-mode").send_raw().await.described()?;
        let json: serde_json::Value = serde_json::from_slice(raw.body()).described()?;
        ensure(json["name"] == "dark-mode", json.to_string())
    })
    .await;

    run.check("archive a feature flag, then it is not found", async {
        admin.features().archive_feature(PROJECT, "beta-reports").send().await.described()?;
        let gone = admin.features().get_feature(PROJECT, "beta-reports").send().await;
        ensure(gone.err().is_some_and(|e| e.is_not_found()), "the flag is archived")
    })
    .await;

    run.finish();
}
