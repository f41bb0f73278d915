//! How `posthog-api` behaves on the wire, against wiremock on loopback: auth, retries,
//! timeouts, errors, pagination, concurrency. Backoff settings are tiny, so nothing sleeps long.

mod wire;

use wire::{user, KEY};

use futures::{StreamExt, TryStreamExt};
use posthog_api::models::{
    FrequencyEnum, PatchedSubscription, SubscriptionRequest, SubscriptionsListTargetType,
    TargetTypeEnum,
};
use posthog_api::{Client, Error, Nullable, RetryPolicy};
use serde_json::{json, Value};
use std::time::{Duration, Instant};
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

fn fast_retries(max_retries: u32) -> RetryPolicy {
    RetryPolicy {
        max_retries,
        initial_backoff: Duration::from_millis(1),
        max_backoff: Duration::from_millis(5),
        max_retry_after: Duration::from_millis(50),
    }
}

fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .api_key(KEY)
        .retry_policy(fast_retries(2))
        .build()
        .unwrap()
}

fn user_basic() -> Value {
    json!({"id": 1, "uuid": "095be615-a8ad-4c33-8e9c-c7612fbf6c9f", "email": "ann@example.com", "hedgehog_config": null})
}

fn subscription(id: i64) -> Value {
    json!({
        "id": id, "insight_short_id": null, "resource_name": null, "target_type": "email",
        "target_value": "ann@example.com", "frequency": "weekly", "start_date": "2024-01-01T00:00:00Z",
        "created_at": "2024-01-01T00:00:00Z", "created_by": user_basic(), "summary": "weekly",
        "next_delivery_date": null
    })
}

const SUBSCRIPTION_42: &str = "/api/projects/1/subscriptions/42/";

/// Mounts `first` for the first `times` requests, then `then`.
async fn first_then(
    server: &MockServer,
    verb: &str,
    route: &str,
    first: ResponseTemplate,
    times: u64,
    then: ResponseTemplate,
) {
    Mock::given(method(verb))
        .and(path(route))
        .respond_with(first)
        .up_to_n_times(times)
        .with_priority(1)
        .mount(server)
        .await;
    Mock::given(method(verb))
        .and(path(route))
        .respond_with(then)
        .with_priority(2)
        .mount(server)
        .await;
}

async fn requests_to(server: &MockServer, route: &str) -> usize {
    server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .filter(|r| r.url.path() == route)
        .count()
}

#[tokio::test]
async fn every_request_carries_the_bearer_key() {
    let server = MockServer::start().await;
    Mock::given(header("authorization", format!("Bearer {KEY}").as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(subscription(42)))
        .expect(3)
        .mount(&server)
        .await;
    let client = client(&server);
    client
        .subscriptions()
        .retrieve("1", 42)
        .send()
        .await
        .unwrap();
    client
        .subscriptions()
        .partial_update("1", 42)
        .body(PatchedSubscription::default())
        .send()
        .await
        .unwrap();
    let new = SubscriptionRequest::new(
        TargetTypeEnum::Email,
        "ann@example.com",
        FrequencyEnum::Weekly,
        chrono::Utc::now(),
    );
    client
        .subscriptions()
        .create("1", new)
        .send()
        .await
        .unwrap();
    server.verify().await;
}

#[tokio::test]
async fn the_key_is_never_shown() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({
            "type": "authentication_error", "code": "invalid_personal_api_key", "detail": "Invalid Personal API key."
        })))
        .mount(&server)
        .await;
    let client = client(&server);
    let error = client.users().retrieve("@me").send().await.unwrap_err();
    for text in [
        format!("{client:?}"),
        format!("{error}"),
        format!("{error:?}"),
        format!("{:?}", Client::builder().api_key(KEY)),
    ] {
        assert!(!text.contains(KEY), "the key leaked: {text}");
    }
    assert!(format!("{client:?}").contains("<redacted>"));
    // A connection failure's message does not carry the URL (which could carry a key).
    let offline = Client::builder()
        .base_url("http://127.0.0.1:9")
        .api_key(KEY)
        .max_retries(0)
        .build()
        .unwrap();
    let error = offline.users().retrieve("@me").send().await.unwrap_err();
    assert!(matches!(error, Error::Connection { .. }), "{error:?}");
    assert!(!format!("{error:?}").contains(KEY));
}

#[tokio::test]
async fn get_is_retried_after_a_server_error() {
    let server = MockServer::start().await;
    let ok = ResponseTemplate::new(200).set_body_json(subscription(42));
    first_then(
        &server,
        "GET",
        SUBSCRIPTION_42,
        ResponseTemplate::new(500),
        2,
        ok,
    )
    .await;
    let sub = client(&server)
        .subscriptions()
        .retrieve("1", 42)
        .send()
        .await
        .unwrap();
    assert_eq!(sub.id, 42);
    assert_eq!(requests_to(&server, SUBSCRIPTION_42).await, 3);
}

#[tokio::test]
async fn retries_stop_at_the_limit() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(502).set_body_string("Bad gateway"))
        .mount(&server)
        .await;
    let error = client(&server)
        .subscriptions()
        .retrieve("1", 42)
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(502));
    assert_eq!(
        requests_to(&server, SUBSCRIPTION_42).await,
        3,
        "one attempt and two retries"
    );
    let none = Client::builder()
        .base_url(server.uri())
        .api_key(KEY)
        .max_retries(0)
        .build()
        .unwrap();
    none.subscriptions()
        .retrieve("1", 42)
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        requests_to(&server, SUBSCRIPTION_42).await,
        4,
        "0 disables retries"
    );
}

#[tokio::test]
async fn post_is_not_retried_after_a_server_error() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(500))
        .mount(&server)
        .await;
    let error = client(&server)
        .subscriptions()
        .test_delivery_create("1", 42)
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(500));
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn patch_is_not_retried_after_a_timeout() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(2)))
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .api_key(KEY)
        .timeout(Duration::from_millis(100))
        .retry_policy(fast_retries(2))
        .build()
        .unwrap();
    let error = client
        .subscriptions()
        .partial_update("1", 42)
        .send()
        .await
        .unwrap_err();
    assert!(error.is_timeout(), "{error:?}");
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn rate_limits_are_retried_for_every_method() {
    let server = MockServer::start().await;
    let route = "/api/projects/1/subscriptions/42/test-delivery/";
    first_then(
        &server,
        "POST",
        route,
        ResponseTemplate::new(429),
        1,
        ResponseTemplate::new(202),
    )
    .await;
    client(&server)
        .subscriptions()
        .test_delivery_create("1", 42)
        .send()
        .await
        .unwrap();
    assert_eq!(requests_to(&server, route).await, 2);

    let server = MockServer::start().await;
    first_then(
        &server,
        "POST",
        route,
        ResponseTemplate::new(503),
        2,
        ResponseTemplate::new(202),
    )
    .await;
    client(&server)
        .subscriptions()
        .test_delivery_create("1", 42)
        .send()
        .await
        .unwrap();
    assert_eq!(requests_to(&server, route).await, 3);
}

#[tokio::test]
async fn retry_after_is_honoured_up_to_the_limit() {
    let server = MockServer::start().await;
    let limited = ResponseTemplate::new(429).insert_header("Retry-After", "1");
    first_then(
        &server,
        "GET",
        SUBSCRIPTION_42,
        limited,
        1,
        ResponseTemplate::new(200).set_body_json(subscription(42)),
    )
    .await;
    let policy = RetryPolicy {
        max_retry_after: Duration::from_secs(5),
        ..fast_retries(2)
    };
    let client = Client::builder()
        .base_url(server.uri())
        .api_key(KEY)
        .retry_policy(policy)
        .build()
        .unwrap();
    let started = Instant::now();
    client
        .subscriptions()
        .retrieve("1", 42)
        .send()
        .await
        .unwrap();
    assert!(
        started.elapsed() >= Duration::from_millis(950),
        "waited {:?} for Retry-After: 1",
        started.elapsed()
    );

    // An hour is longer than the configured maximum (50 ms here): not waited for. The error
    // comes at once, after one attempt, with the server's hint.
    let server = MockServer::start().await;
    let limited = ResponseTemplate::new(503).insert_header("Retry-After", "3600");
    first_then(
        &server,
        "GET",
        SUBSCRIPTION_42,
        limited,
        1,
        ResponseTemplate::new(200).set_body_json(subscription(42)),
    )
    .await;
    let started = Instant::now();
    let error = self::client(&server)
        .subscriptions()
        .retrieve("1", 42)
        .send()
        .await
        .unwrap_err();
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "took {:?}",
        started.elapsed()
    );
    assert_eq!(error.retry_after(), Some(Duration::from_secs(3600)));
    assert_eq!(requests_to(&server, SUBSCRIPTION_42).await, 1);
}

#[tokio::test]
async fn client_errors_are_not_retried_and_decode_posthogs_error_body() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(404).insert_header("x-request-id", "r-1").set_body_json(json!({
            "type": "invalid_request", "code": "not_found", "detail": "Not found.", "attr": null
        })))
        .mount(&server)
        .await;
    let error = client(&server)
        .subscriptions()
        .retrieve("1", 42)
        .send()
        .await
        .unwrap_err();
    assert!(error.is_not_found());
    assert!(!error.is_rate_limited());
    let Error::Api(api) = &error else {
        panic!("{error:?}")
    };
    let details = api.details.as_ref().unwrap();
    assert_eq!(details.kind.as_deref(), Some("invalid_request"));
    assert_eq!(details.code.as_deref(), Some("not_found"));
    assert_eq!(details.detail.as_deref(), Some("Not found."));
    assert_eq!(api.headers["x-request-id"], "r-1");
    assert_eq!(
        error.to_string(),
        "subscriptions_retrieve failed with 404 Not Found: Not found."
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn non_json_error_bodies_still_give_a_usable_error() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(403)
                .set_body_json(json!({"error": "Advanced permissions are required."})),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(418).set_body_string("<html>teapot</html>"))
        .mount(&server)
        .await;
    let client = client(&server);
    let error = client
        .session_recordings()
        .sharing_passwords_create("1", "r")
        .send()
        .await
        .unwrap_err();
    assert!(error.is_auth_error());
    assert_eq!(
        error.api().unwrap().message(),
        "Advanced permissions are required."
    );
    let error = client.users().retrieve("@me").send().await.unwrap_err();
    let api = error.api().unwrap();
    assert_eq!(api.status.as_u16(), 418);
    assert!(api.details.is_none());
    assert_eq!(api.body, "<html>teapot</html>");
    assert!(error.to_string().contains("teapot"), "{error}");
}

#[tokio::test]
async fn a_body_that_does_not_match_names_the_json_path() {
    let server = MockServer::start().await;
    let mut body = subscription(42);
    body["created_by"]["id"] = json!("not a number");
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .mount(&server)
        .await;
    // A tolerant client (the default) delivers it, with the deviation (`tests/deviations.rs`);
    // a strict one refuses it.
    let error = client(&server)
        .with_options(posthog_api::CallOptions::new().decoding(posthog_api::Decoding::Strict))
        .subscriptions()
        .retrieve("1", 42)
        .send()
        .await
        .unwrap_err();
    let Error::Decode(decode) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(decode.status.as_u16(), 200);
    assert_eq!(decode.path, "$.created_by.id");
    assert!(decode.excerpt().starts_with('{'));
    assert!(decode.body.contains("not a number"));
}

#[tokio::test]
async fn a_slow_server_trips_the_timeout() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(3)))
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .api_key(KEY)
        .timeout(Duration::from_millis(200))
        .max_retries(0)
        .build()
        .unwrap();
    let started = Instant::now();
    let error = client.users().retrieve("@me").send().await.unwrap_err();
    assert!(error.is_timeout(), "{error:?}");
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn gets_are_retried_after_a_timeout() {
    let server = MockServer::start().await;
    let slow = ResponseTemplate::new(200).set_delay(Duration::from_secs(3));
    first_then(
        &server,
        "GET",
        "/api/users/@me/",
        slow,
        1,
        ResponseTemplate::new(200).set_body_json(user()),
    )
    .await;
    let client = Client::builder()
        .base_url(server.uri())
        .api_key(KEY)
        .timeout(Duration::from_millis(200))
        .retry_policy(fast_retries(1))
        .build()
        .unwrap();
    let me = client.users().retrieve("@me").send().await.unwrap();
    assert_eq!(me.email, "ann@example.com");
}

#[tokio::test]
async fn paths_and_queries_are_encoded() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/projects/@current/subscriptions/"))
        .and(query_param("target_type", "slack"))
        .and(query_param("search", "a&b c"))
        .and(query_param("limit", "5"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"count": 0, "results": []})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(
            "/api/projects/1/session_recordings/a%2Fb%3Fc/sharing/",
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server);
    client
        .subscriptions()
        .list("@current")
        .target_type(SubscriptionsListTargetType::Slack)
        .search("a&b c")
        .limit(5)
        .send()
        .await
        .unwrap();
    client
        .session_recordings()
        .sharing_list("1", "a/b?c")
        .send()
        .await
        .unwrap();
    // Repeated keys for a list, as the server reads them.
    Mock::given(method("GET"))
        .and(path("/api/projects/1/property_definitions/seen_together/"))
        .respond_with(|request: &Request| {
            let names: Vec<String> = request
                .url
                .query_pairs()
                .filter(|(k, _)| k == "event_names")
                .map(|(_, v)| v.into_owned())
                .collect();
            ResponseTemplate::new(200).set_body_json(json!({"names": names.join("+")}))
        })
        .mount(&server)
        .await;
    let seen = client
        .property_definitions()
        .seen_together_retrieve("1", vec!["a".into(), "b".into()], "$browser")
        .send()
        .await;
    // The mock answers with a string where the spec promises booleans: that is a decode error.
    assert!(matches!(seen, Err(Error::Decode(_))), "{seen:?}");
    server.verify().await;
}

#[tokio::test]
async fn invalid_input_is_caught_before_sending() {
    let server = MockServer::start().await;
    let client = client(&server);
    let error = client
        .subscriptions()
        .retrieve("", 42)
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(&error, Error::InvalidInput { argument, .. } if argument == "project_id"),
        "{error:?}"
    );
    assert!(server.received_requests().await.unwrap().is_empty());
    let error = Client::new("not a url", KEY).unwrap_err();
    assert!(
        matches!(&error, Error::InvalidInput { argument, .. } if argument == "base_url"),
        "{error:?}"
    );
    let error = Client::new("https://us.posthog.com", "bad\nkey").unwrap_err();
    assert!(
        matches!(&error, Error::InvalidInput { argument, .. } if argument == "api_key"),
        "{error:?}"
    );
}

#[tokio::test]
async fn no_content_gives_unit_and_raw_responses_keep_status_and_headers() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(202).insert_header("x-request-id", "abc"))
        .mount(&server)
        .await;
    let client = client(&server);
    let () = client
        .property_definitions()
        .destroy("1", uuid::Uuid::nil())
        .send()
        .await
        .unwrap();
    let response = client
        .subscriptions()
        .test_delivery_create("1", 42)
        .send_with_response()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 202);
    assert_eq!(response.headers()["x-request-id"], "abc");
}

#[tokio::test]
async fn patch_sends_only_what_changes_and_null_clears() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .and(wiremock::matchers::body_json(
            json!({"title": null, "enabled": false, "until_date": "2025-01-01T00:00:00Z"}),
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(subscription(42)))
        .expect(1)
        .mount(&server)
        .await;
    let patch = PatchedSubscription::new()
        .title(Nullable::Null)
        .enabled(false)
        .until_date(
            "2025-01-01T00:00:00Z"
                .parse::<chrono::DateTime<chrono::Utc>>()
                .unwrap(),
        );
    client(&server)
        .subscriptions()
        .partial_update("1", 42)
        .body(patch)
        .send()
        .await
        .unwrap();
    server.verify().await;
}

/// Pages 1 to 3, each linking to the next with an absolute URL on another host (as PostHog
/// does behind proxies); the client follows them on its own host.
async fn three_pages(server: &MockServer) {
    let page = |offset: i64, next: Option<i64>| {
        let results: Vec<Value> = (offset..offset + 2).map(subscription).collect();
        let next = next.map(|n| {
            format!("http://api.example.org/api/projects/1/subscriptions/?limit=2&offset={n}")
        });
        json!({"count": 6, "next": next, "previous": null, "results": results})
    };
    for (offset, next) in [(0, Some(2)), (2, Some(4)), (4, None)] {
        let mut mock = Mock::given(method("GET"))
            .and(path("/api/projects/1/subscriptions/"))
            .and(query_param("limit", "2"));
        if offset > 0 {
            mock = mock.and(query_param("offset", offset.to_string().as_str()));
        }
        mock.respond_with(ResponseTemplate::new(200).set_body_json(page(offset, next)))
            .with_priority(if offset > 0 { 1 } else { 2 })
            .expect(1)
            .mount(server)
            .await;
    }
}

#[tokio::test]
async fn stream_yields_every_item_of_every_page_once() {
    let server = MockServer::start().await;
    three_pages(&server).await;
    let ids: Vec<i64> = client(&server)
        .subscriptions()
        .list("1")
        .limit(2)
        .stream()
        .map_ok(|s| s.id)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids, [0, 1, 2, 3, 4, 5]);
    server.verify().await;
}

#[tokio::test]
async fn stream_can_stop_after_some_pages() {
    let server = MockServer::start().await;
    let page = json!({"count": 6, "next": "/api/projects/1/subscriptions/?limit=2&offset=2", "results": [subscription(0), subscription(1)]});
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page))
        .expect(1)
        .mount(&server)
        .await;
    let ids: Vec<i64> = client(&server)
        .subscriptions()
        .list("1")
        .limit(2)
        .stream()
        .max_pages(1)
        .map_ok(|s| s.id)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids, [0, 1]);
}

#[tokio::test]
async fn a_repeating_next_link_ends_with_an_error() {
    let server = MockServer::start().await;
    let page = json!({"count": 99, "next": "https://us.posthog.com/api/projects/1/subscriptions/?offset=2", "results": [subscription(7)]});
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page))
        .mount(&server)
        .await;
    let items: Vec<Result<i64, Error>> = client(&server)
        .subscriptions()
        .list("1")
        .stream()
        .map_ok(|s| s.id)
        .collect()
        .await;
    assert!(
        items.len() <= 4,
        "the stream must not loop: {} items",
        items.len()
    );
    assert!(
        matches!(items.last(), Some(Err(Error::Pagination { .. }))),
        "{items:?}"
    );
    assert_eq!(items.iter().filter(|i| i.is_ok()).count(), items.len() - 1);
}

#[tokio::test]
async fn fifty_concurrent_calls_share_one_client() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(user()))
        .expect(50)
        .mount(&server)
        .await;
    let client = client(&server);
    let tasks: Vec<_> = (0..50)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.users().retrieve("@me").send().await })
        })
        .collect();
    for task in tasks {
        assert_eq!(task.await.unwrap().unwrap().id, 1);
    }
    server.verify().await;
}

#[test]
fn client_is_send_sync_and_clone() {
    fn assert_traits<T: Send + Sync + Clone + 'static>() {}
    assert_traits::<Client>();
}

#[tokio::test]
async fn from_env_reads_the_key_and_host() {
    // The only test that touches these variables.
    std::env::remove_var("POSTHOG_PERSONAL_API_KEY");
    let error = Client::from_env().unwrap_err();
    assert!(
        error.to_string().contains("POSTHOG_PERSONAL_API_KEY"),
        "{error}"
    );
    std::env::set_var("POSTHOG_PERSONAL_API_KEY", KEY);
    std::env::remove_var("POSTHOG_HOST");
    assert_eq!(
        Client::from_env().unwrap().base_url().as_str(),
        "https://us.posthog.com/"
    );
    std::env::set_var("POSTHOG_HOST", "eu.posthog.com");
    assert_eq!(
        Client::from_env().unwrap().base_url().as_str(),
        "https://eu.posthog.com/"
    );
    let server = MockServer::start().await;
    std::env::set_var("POSTHOG_HOST", server.uri());
    Mock::given(header("authorization", format!("Bearer {KEY}").as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(user()))
        .expect(1)
        .mount(&server)
        .await;
    Client::from_env()
        .unwrap()
        .users()
        .retrieve("@me")
        .send()
        .await
        .unwrap();
    std::env::remove_var("POSTHOG_PERSONAL_API_KEY");
    std::env::remove_var("POSTHOG_HOST");
}

/// The helpers that say what to do about an error, and PostHog's error body, decoded.
#[tokio::test]
async fn errors_say_whether_to_retry_and_carry_posthogs_error_body() {
    let body = json!({"type": "validation_error", "code": "invalid_input", "detail": "This field is required.", "attr": "target_value"});
    for (status, retried, retryable, quota) in [
        (402, false, false, true),
        (400, false, false, false),
        (504, true, true, false),
        (512, false, false, false),
        (429, true, true, false),
    ] {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(status).set_body_json(&body))
            .mount(&server)
            .await;
        let error = client(&server)
            .subscriptions()
            .retrieve("1", 42)
            .send()
            .await
            .unwrap_err();
        let attempts = server.received_requests().await.unwrap().len();
        assert_eq!(attempts, if retried { 3 } else { 1 }, "{status}");
        assert_eq!(error.is_retryable(), retryable, "{status}");
        assert_eq!(error.is_quota_exceeded(), quota, "{status}");
        let details = error.api().unwrap().details.as_ref().unwrap();
        assert_eq!(details.kind.as_deref(), Some("validation_error"));
        assert_eq!(details.code.as_deref(), Some("invalid_input"));
        assert_eq!(details.attr.as_deref(), Some("target_value"));
        // The field the error is about comes first.
        assert_eq!(
            error.api().unwrap().message(),
            "target_value: This field is required."
        );
    }
}

#[tokio::test]
async fn a_project_scope_fills_the_project_of_every_call() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/projects/7/subscriptions/42/"))
        .respond_with(ResponseTemplate::new(200).set_body_json(subscription(42)))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/projects/8/subscriptions/42/"))
        .respond_with(ResponseTemplate::new(200).set_body_json(subscription(42)))
        .expect(1)
        .mount(&server)
        .await;
    let project = client(&server).project("7");
    let found = project.subscriptions().retrieve(42).send().await.unwrap();
    assert_eq!(found.id, 42);
    // One request can still go to another project.
    project
        .subscriptions()
        .retrieve(42)
        .project_id("8")
        .send()
        .await
        .unwrap();
    server.verify().await;
}

/// A builder credential replaces the document's scheme on every call that takes credentials.
async fn authorization_sent_with(builder: posthog_api::ClientBuilder) -> String {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(user()))
        .mount(&server)
        .await;
    let client = builder.base_url(server.uri()).build().unwrap();
    client.users().retrieve("@me").send().await.unwrap();
    let requests = server.received_requests().await.unwrap();
    let values: Vec<_> = requests[0]
        .headers
        .get_all("authorization")
        .iter()
        .collect();
    assert_eq!(values.len(), 1, "one Authorization header: {values:?}");
    values[0].to_str().unwrap().to_owned()
}

#[tokio::test]
async fn builder_credentials_replace_the_documented_scheme() {
    let basic = Client::builder().api_key(KEY).basic_auth("ann", "pw");
    assert_eq!(authorization_sent_with(basic).await, "Basic YW5uOnB3");
    let token = Client::builder().header_auth("Authorization", "Token", "abc");
    assert_eq!(authorization_sent_with(token).await, "Token abc");
    let bearer = Client::builder().bearer_auth("other");
    assert_eq!(authorization_sent_with(bearer).await, "Bearer other");
    let plain = Client::builder().api_key(KEY);
    assert_eq!(
        authorization_sent_with(plain).await,
        format!("Bearer {KEY}")
    );
}

#[tokio::test]
async fn a_compressed_response_is_decompressed() {
    use std::io::Write;
    let mut gzip = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gzip.write_all(user().to_string().as_bytes()).unwrap();
    let compressed = gzip.finish().unwrap();
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/users/@me/"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("content-encoding", "gzip")
                .insert_header("content-type", "application/json")
                .set_body_bytes(compressed),
        )
        .mount(&server)
        .await;
    let me = client(&server)
        .users()
        .retrieve("@me")
        .send()
        .await
        .unwrap();
    assert_eq!(me.email, "ann@example.com");
    let requests = server.received_requests().await.unwrap();
    let accepted = requests[0].headers["accept-encoding"].to_str().unwrap();
    for encoding in ["gzip", "br", "deflate", "zstd"] {
        assert!(
            accepted.contains(encoding),
            "asks for {encoding}: {accepted}"
        );
    }
}

#[tokio::test]
async fn string_fields_take_str_where_they_may_be_null() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .and(path("/api/projects/7/subscriptions/42/"))
        .and(wiremock::matchers::body_json(json!({"title": "Weekly"})))
        .respond_with(ResponseTemplate::new(200).set_body_json(subscription(42)))
        .expect(1)
        .mount(&server)
        .await;
    // `title` is `Nullable<String>`: a `&str` is a value, as a required string argument is.
    let patch = PatchedSubscription::new().title("Weekly");
    client(&server)
        .project("7")
        .subscriptions()
        .partial_update(42)
        .body(patch)
        .send()
        .await
        .unwrap();
    server.verify().await;
}
