//! The guard's tests, written with `posthog-api`'s test kit only.

use posthog_api::mock::MockServer;
use posthog_api::models::{
    FrequencyEnum, PaginatedSubscriptionList, PatchedSubscription, Subscription, TargetTypeEnum,
    UserBasic,
};
use posthog_api::ErrorBody;
use posthog_subscription_guard::pause_external_subscriptions;

fn subscription(id: i64, target_value: &str) -> Subscription {
    let when = chrono::DateTime::parse_from_rfc3339("2024-01-01T09:00:00Z")
        .unwrap()
        .to_utc();
    let owner = UserBasic::builder()
        .id(1)
        .uuid(uuid::Uuid::nil())
        .email("owner@example.com")
        .hedgehog_config(None)
        .build()
        .unwrap();
    Subscription::builder()
        .id(id)
        .insight_short_id(None)
        .resource_name(None)
        .target_type(TargetTypeEnum::Email)
        .target_value(target_value)
        .frequency(FrequencyEnum::Weekly)
        .start_date(when)
        .created_at(when)
        .created_by(owner)
        .summary("sent every week")
        .next_delivery_date(None)
        .build()
        .unwrap()
}

fn page(results: Vec<Subscription>, next: Option<String>) -> PaginatedSubscriptionList {
    let mut list = PaginatedSubscriptionList::builder()
        .count(3)
        .results(results);
    if let Some(next) = next {
        list = list.next(next);
    }
    list.build().unwrap()
}

/// Reads both pages and pauses only the subscription that mails outside the company.
#[tokio::test]
async fn pauses_only_external_subscriptions_across_pages() {
    let server = MockServer::start().await;
    let mocks = server.mock();
    let _second = mocks
        .subscriptions()
        .list("7")
        .with_query("offset", "2")
        .respond(page(vec![subscription(3, "ops@partner.io")], None))
        .mount()
        .await;
    let next = format!("{}/api/projects/7/subscriptions/?offset=2", server.uri());
    let _first = mocks
        .subscriptions()
        .list("7")
        .respond(page(
            vec![
                subscription(1, "ann@example.com, bob@example.com"),
                subscription(2, "ann@example.com,eve@gmail.com"),
            ],
            Some(next),
        ))
        .mount()
        .await;
    let pause = mocks
        .subscriptions()
        .partial_update("7", 2)
        .respond(subscription(2, "ann@example.com,eve@gmail.com"))
        .expect(1)
        .mount()
        .await;
    let pause_other = mocks
        .subscriptions()
        .partial_update("7", 3)
        .respond(subscription(3, "ops@partner.io"))
        .mount()
        .await;

    let paused = pause_external_subscriptions(&server.client(), "7", "example.com")
        .await
        .unwrap();

    assert_eq!(paused, [2, 3]);
    assert_eq!(
        pause.bodies().await,
        [PatchedSubscription::new().enabled(false)]
    );
    assert_eq!(pause_other.calls().await, 1);
}

/// A refusal from PostHog reaches the caller as a typed error.
#[tokio::test]
async fn a_refused_update_is_reported() {
    let server = MockServer::start().await;
    let _list = server
        .mock()
        .subscriptions()
        .list("7")
        .respond(page(vec![subscription(5, "eve@gmail.com")], None))
        .mount()
        .await;
    let refusal = ErrorBody {
        kind: Some("authentication_error".into()),
        code: Some("permission_denied".into()),
        detail: Some("API key missing required scope 'subscription:write'".into()),
        ..ErrorBody::default()
    };
    let _update = server
        .mock()
        .subscriptions()
        .partial_update("7", 5)
        .fail(403, &refusal)
        .mount()
        .await;

    let error = pause_external_subscriptions(&server.client(), "7", "example.com")
        .await
        .unwrap_err();

    assert_eq!(error.status().map(|s| s.as_u16()), Some(403));
    let api = error.api().unwrap();
    assert_eq!(api.code(), Some("permission_denied"));
    assert!(
        api.message().contains("subscription:write"),
        "{}",
        api.message()
    );
}

/// A 429 is retried by the client; the guard never sees it.
#[tokio::test]
async fn rate_limiting_is_absorbed_by_the_client() {
    let server = MockServer::start().await;
    let mocks = server.mock();
    let limited = mocks
        .subscriptions()
        .list("7")
        .rate_limited(None)
        .times(1)
        .mount()
        .await;
    let _list = mocks
        .subscriptions()
        .list("7")
        .respond(page(vec![subscription(1, "ann@example.com")], None))
        .mount()
        .await;

    let paused = pause_external_subscriptions(&server.client(), "7", "example.com")
        .await
        .unwrap();

    assert!(paused.is_empty());
    assert_eq!(limited.calls().await, 1);
}
