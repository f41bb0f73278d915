//! How `posthog-api` behaves when the network and the server misbehave, against a local
//! server that does so on purpose (`fault_server`). For every fault: the typed error, the
//! number of attempts the retry rules promise (see `RetryPolicy`), and no credential in any
//! error message or log line. The README's "Under faults" table is this file in prose.

mod fault_server;
#[allow(dead_code)] // Not every test binary uses every helper.
mod wire;

use fault_server::{head, json, respond, FaultServer, Step};
use posthog_api::{Client, Error, RetryPolicy};
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use wire::KEY;

/// Everything the client logs during a test, at every level.
#[derive(Clone, Default)]
struct Logs(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Logs {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Logs {
    /// Captures this thread's log lines (tests run on a current-thread runtime).
    fn capture() -> (Self, tracing::subscriber::DefaultGuard) {
        let logs = Logs::default();
        let writer = logs.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_writer(move || writer.clone())
            .with_ansi(false)
            .finish();
        (logs, tracing::subscriber::set_default(subscriber))
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }

    /// How many retries the client logged.
    fn retries(&self) -> usize {
        self.text().matches("retrying").count()
    }
}

/// The credential appears in no error (message, debug output, sources) and no log line.
fn assert_no_secret(error: &Error, logs: &Logs) {
    let mut texts = vec![format!("{error}"), format!("{error:?}"), logs.text()];
    let mut source = std::error::Error::source(error);
    while let Some(inner) = source {
        texts.push(format!("{inner} {inner:?}"));
        source = inner.source();
    }
    for text in texts {
        assert!(!text.contains(KEY), "the key leaked: {text}");
    }
}

fn fast_retries(max_retries: u32) -> RetryPolicy {
    RetryPolicy {
        max_retries,
        initial_backoff: Duration::from_millis(1),
        max_backoff: Duration::from_millis(5),
        max_retry_after: Duration::from_secs(5),
    }
}

fn client(url: &str) -> Client {
    Client::builder()
        .base_url(url)
        .api_key(KEY)
        .retry_policy(fast_retries(2))
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap()
}

fn subscription(id: i64, summary: &str) -> Value {
    json!({
        "id": id, "insight_short_id": null, "resource_name": null, "target_type": "email",
        "target_value": "ann@example.com", "frequency": "weekly", "start_date": "2024-01-01T00:00:00Z",
        "created_at": "2024-01-01T00:00:00Z",
        "created_by": {"id": 1, "uuid": "095be615-a8ad-4c33-8e9c-c7612fbf6c9f", "email": "ann@example.com", "hedgehog_config": null},
        "summary": summary, "next_delivery_date": null
    })
}

async fn get(client: &Client) -> Result<posthog_api::models::Subscription, Error> {
    client.subscriptions().retrieve("1", 42).send().await
}

async fn post(client: &Client) -> Result<(), Error> {
    client
        .subscriptions()
        .test_delivery_create("1", 42)
        .send()
        .await
}

#[tokio::test]
async fn a_reset_before_the_headers_is_retried_for_get_but_not_for_post() {
    let (logs, _guard) = Logs::capture();
    let server = FaultServer::start(|_, _| vec![Step::Reset]).await;
    let client = client(&server.url());
    let error = get(&client).await.unwrap_err();
    assert!(matches!(error, Error::Transport { .. }), "{error:?}");
    // The message says at which stage, and why.
    let message = error.to_string();
    assert!(
        message.starts_with(
            "subscriptions_retrieve: the request failed before the response arrived: "
        ),
        "{message}"
    );
    assert!(message.len() > 80, "the cause is given: {message}");
    assert_eq!(
        server.seen.count(),
        3,
        "a GET is tried 1 + max_retries times"
    );
    assert_no_secret(&error, &logs);

    let error = post(&client).await.unwrap_err();
    assert!(matches!(error, Error::Transport { .. }), "{error:?}");
    assert_eq!(
        server.seen.count(),
        4,
        "a POST that may have arrived is sent once"
    );
    assert_no_secret(&error, &logs);
}

#[tokio::test]
async fn a_reset_mid_body_and_a_body_shorter_than_its_length_say_how_much_arrived() {
    let (logs, _guard) = Logs::capture();
    let body = subscription(42, "weekly").to_string();
    let cut = body.as_bytes()[..20].to_vec();
    for ending in [Step::Reset, Step::Close] {
        let (cut, last, length) = (cut.clone(), ending.clone(), body.len());
        let server = FaultServer::start(move |_, _| {
            vec![
                Step::Send(head(
                    200,
                    &[("Content-Type", "application/json")],
                    Some(length),
                )),
                Step::Send(cut.clone()),
                last.clone(),
            ]
        })
        .await;
        let error = get(&client(&server.url())).await.unwrap_err();
        assert!(
            matches!(
                error,
                Error::BodyCutShort { received: 20, expected: Some(n), .. } if n == length as u64
            ),
            "{ending:?}: {error:?}"
        );
        assert_eq!(
            error.to_string(),
            format!("subscriptions_retrieve: the response body ended after 20 of {length} bytes"),
        );
        assert!(error.is_retryable());
        assert_eq!(server.seen.count(), 3, "{ending:?}: retried as a GET");
        assert_no_secret(&error, &logs);
    }
}

#[tokio::test]
async fn a_stall_after_the_headers_ends_at_the_timeout() {
    let (logs, _guard) = Logs::capture();
    let server = FaultServer::start(|_, _| {
        vec![
            Step::Send(head(
                200,
                &[("Content-Type", "application/json")],
                Some(1000),
            )),
            Step::Send(b"{\"id\":".to_vec()),
            Step::Sleep(Duration::from_secs(30)),
        ]
    })
    .await;
    let client = Client::builder()
        .base_url(server.url())
        .api_key(KEY)
        .timeout(Duration::from_millis(300))
        .retry_policy(fast_retries(1))
        .build()
        .unwrap();
    let started = Instant::now();
    let error = get(&client).await.unwrap_err();
    let took = started.elapsed();
    assert!(error.is_timeout(), "{error:?}");
    assert!(matches!(error, Error::Timeout { .. }), "{error:?}");
    // Which limit, its value, and the attempts made.
    assert_eq!(
        error.to_string(),
        "subscriptions_retrieve: no answer within the 300ms timeout of each attempt (2 attempts)"
    );
    assert_eq!(
        server.seen.count(),
        2,
        "a GET is retried once after a timeout"
    );
    assert!(
        took >= Duration::from_millis(600) && took < Duration::from_secs(3),
        "two attempts of 300 ms took {took:?}"
    );
    assert_no_secret(&error, &logs);
}

#[tokio::test]
async fn a_json_label_on_html_is_a_decode_error_and_json_under_another_label_decodes() {
    let (logs, _guard) = Logs::capture();
    let server = FaultServer::start(|_, _| {
        respond(
            200,
            &[("Content-Type", "application/json")],
            b"<html>Bad gateway</html>",
        )
    })
    .await;
    let error = get(&client(&server.url())).await.unwrap_err();
    let Error::Decode(decode) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(decode.status.as_u16(), 200);
    assert!(decode.excerpt().contains("<html>"), "{decode}");
    assert_eq!(
        server.seen.count(),
        1,
        "a body that does not decode is not retried"
    );
    assert_no_secret(&error, &logs);

    // The reverse: the operation promises JSON and the body is JSON; a wrong label does not
    // stop it from decoding.
    let body = subscription(42, "weekly").to_string();
    let server = FaultServer::start(move |_, _| {
        respond(200, &[("Content-Type", "text/html")], body.as_bytes())
    })
    .await;
    let found = get(&client(&server.url())).await.unwrap();
    assert_eq!(found.id, 42);
}

#[tokio::test]
async fn a_50_mb_response_decodes_and_a_limit_stops_reading_early() {
    let big = "x".repeat(50 << 20);
    let body = Arc::new(subscription(42, &big).to_string());
    let served = Arc::clone(&body);
    let server = FaultServer::start(move |_, _| {
        respond(
            200,
            &[("Content-Type", "application/json")],
            served.as_bytes(),
        )
    })
    .await;
    let found = get(&client(&server.url())).await.unwrap();
    assert_eq!(found.summary.len(), 50 << 20);

    let limited = Client::builder()
        .base_url(server.url())
        .api_key(KEY)
        .max_response_size(10 << 20)
        .build()
        .unwrap();
    let error = get(&limited).await.unwrap_err();
    assert!(
        matches!(error, Error::TooLarge { limit, .. } if limit == 10 << 20),
        "{error:?}"
    );
    assert_eq!(server.seen.count(), 2, "a body too large is not retried");

    // Without a Content-Length the limit applies as the body arrives.
    let served = Arc::clone(&body);
    let server = FaultServer::start(move |_, _| {
        vec![
            Step::Send(head(200, &[("Content-Type", "application/json")], None)),
            Step::Send(served.as_bytes().to_vec()),
            Step::Close,
        ]
    })
    .await;
    let limited = Client::builder()
        .base_url(server.url())
        .api_key(KEY)
        .max_response_size(10 << 20)
        .build()
        .unwrap();
    let error = get(&limited).await.unwrap_err();
    assert!(matches!(error, Error::TooLarge { .. }), "{error:?}");
}

#[tokio::test]
async fn futures_dropped_mid_call_close_their_connections_and_free_their_slots() {
    let server = FaultServer::start(|n, _| {
        if n < 20 {
            vec![Step::Sleep(Duration::from_secs(30))]
        } else {
            json(200, &subscription(42, "weekly"))
        }
    })
    .await;
    let client = Client::builder()
        .base_url(server.url())
        .api_key(KEY)
        .max_concurrent_requests(20)
        .build()
        .unwrap();
    let calls: Vec<_> = (0..20)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move {
                let _ = tokio::time::timeout(Duration::from_millis(200), get(&client)).await;
            })
        })
        .collect();
    for call in calls {
        call.await.unwrap();
    }
    // Every dropped call's connection is closed, not left open in the pool.
    let deadline = Instant::now() + Duration::from_secs(5);
    while server
        .seen
        .closed_by_client
        .load(std::sync::atomic::Ordering::SeqCst)
        < 20
    {
        assert!(
            Instant::now() < deadline,
            "only {} of 20 connections were closed",
            server
                .seen
                .closed_by_client
                .load(std::sync::atomic::Ordering::SeqCst)
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // And their slots are free: with all 20 taken by dropped calls, this would wait for ever.
    let found = tokio::time::timeout(Duration::from_secs(5), get(&client))
        .await
        .expect("a slot is free")
        .unwrap();
    assert_eq!(found.id, 42);
}

/// Answers `429` with the given `Retry-After` first, then the subscription.
async fn rate_limited_once(retry_after: &'static str) -> FaultServer {
    FaultServer::start(move |n, _| {
        if n == 0 {
            respond(
                429,
                &[("Retry-After", retry_after)],
                b"{\"detail\": \"slow down\"}",
            )
        } else {
            json(200, &subscription(42, "weekly"))
        }
    })
    .await
}

#[tokio::test]
async fn retry_after_in_seconds_dates_past_absurd_and_garbage() {
    let (logs, _guard) = Logs::capture();
    // Seconds: waited for.
    let server = rate_limited_once("1").await;
    let started = Instant::now();
    get(&client(&server.url())).await.unwrap();
    assert!(
        started.elapsed() >= Duration::from_millis(950),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(server.seen.count(), 2);

    // An HTTP date two seconds ahead: waited for (to the second).
    let date = httpdate::fmt_http_date(std::time::SystemTime::now() + Duration::from_secs(2));
    let date: &'static str = Box::leak(date.into_boxed_str());
    let server = rate_limited_once(date).await;
    let started = Instant::now();
    get(&client(&server.url())).await.unwrap();
    assert!(
        started.elapsed() >= Duration::from_millis(900),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(server.seen.count(), 2);

    // A date in the past: retried at once.
    let server = rate_limited_once("Wed, 21 Oct 2015 07:28:00 GMT").await;
    let started = Instant::now();
    get(&client(&server.url())).await.unwrap();
    assert!(
        started.elapsed() < Duration::from_millis(500),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(server.seen.count(), 2);

    // Absurd: longer than the policy's limit, so not waited for; the caller gets the hint.
    let server = rate_limited_once("99999999999").await;
    let started = Instant::now();
    let error = get(&client(&server.url())).await.unwrap_err();
    assert!(started.elapsed() < Duration::from_millis(500));
    assert!(error.is_rate_limited());
    assert_eq!(
        error.retry_after(),
        Some(Duration::from_secs(99_999_999_999))
    );
    assert_eq!(server.seen.count(), 1);
    assert_no_secret(&error, &logs);

    // Garbage: ignored; the backoff applies and the retry succeeds.
    let server = rate_limited_once("soon-ish").await;
    get(&client(&server.url())).await.unwrap();
    assert_eq!(server.seen.count(), 2);
}

#[tokio::test]
async fn a_redirect_to_another_host_is_not_followed_and_the_key_stays_home() {
    let (logs, _guard) = Logs::capture();
    let elsewhere = FaultServer::start(|_, _| json(200, &subscription(42, "weekly"))).await;
    let target = format!(
        "{}/api/projects/1/subscriptions/42/?token=abc",
        elsewhere.url()
    );
    let home =
        FaultServer::start(move |_, _| respond(307, &[("Location", target.as_str())], b"")).await;
    let error = get(&client(&home.url())).await.unwrap_err();
    let Error::Redirect {
        status, location, ..
    } = &error
    else {
        panic!("{error:?}")
    };
    assert_eq!(status.as_u16(), 307);
    assert_eq!(
        location,
        &format!("{}/api/projects/1/subscriptions/42/", elsewhere.url())
    );
    assert_eq!(
        elsewhere.seen.count(),
        0,
        "nothing, and so no key, reached the other host"
    );
    assert_eq!(home.seen.count(), 1, "a redirect is not retried");
    assert_no_secret(&error, &logs);
}

#[tokio::test]
async fn a_redirect_on_the_same_host_is_followed_with_the_key_and_a_loop_ends() {
    let server = FaultServer::start(|_, head| {
        if head.starts_with("GET /api/projects/1/subscriptions/42/ ") {
            respond(302, &[("Location", "/moved/")], b"")
        } else {
            json(200, &subscription(42, "weekly"))
        }
    })
    .await;
    get(&client(&server.url())).await.unwrap();
    let requests = server.seen.requests.lock().unwrap().clone();
    assert_eq!(requests.len(), 2);
    assert!(requests[1].starts_with("GET /moved/ "), "{}", requests[1]);
    assert!(
        requests[1].to_ascii_lowercase().contains(&format!(
            "authorization: bearer {}",
            KEY.to_ascii_lowercase()
        )),
        "{}",
        requests[1]
    );

    let (logs, _guard) = Logs::capture();
    let looping = FaultServer::start(|_, _| respond(302, &[("Location", "/again/")], b"")).await;
    let error = get(&client(&looping.url())).await.unwrap_err();
    assert!(matches!(error, Error::Transport { .. }), "{error:?}");
    assert_eq!(
        looping.seen.count(),
        11,
        "the first request and 10 redirects, not retried"
    );
    assert_no_secret(&error, &logs);
}

#[tokio::test]
async fn a_refused_connection_is_retried_for_every_method() {
    let (logs, _guard) = Logs::capture();
    // A port nothing listens on: bind one, then close it.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let client = client(&format!("http://127.0.0.1:{port}"));
    let error = post(&client).await.unwrap_err();
    assert!(matches!(error, Error::Connection { .. }), "{error:?}");
    assert_eq!(logs.retries(), 2, "never sent, so a POST is retried too");
    assert_no_secret(&error, &logs);
}

/// A deadline bounds the whole call: a 1 s deadline against an endpoint that answers after
/// 3 s returns after 1 s, however long each attempt's timeout and however many retries are
/// left, and says so.
#[tokio::test]
async fn a_deadline_bounds_retries_and_waits_together() {
    let server = FaultServer::start(|_, _| {
        vec![
            Step::Sleep(Duration::from_secs(3)),
            Step::Send(head(200, &[("Content-Type", "application/json")], Some(2))),
            Step::Send(b"{}".to_vec()),
        ]
    })
    .await;
    let client = Client::builder()
        .base_url(server.url())
        .api_key(KEY)
        .timeout(Duration::from_secs(30))
        .retry_policy(fast_retries(5))
        .deadline(Duration::from_secs(1))
        .build()
        .unwrap();
    let started = Instant::now();
    let error = get(&client).await.unwrap_err();
    let took = started.elapsed();
    assert!(
        took >= Duration::from_secs(1) && took < Duration::from_millis(1200),
        "a 1 s deadline took {took:?}"
    );
    assert!(error.is_timeout(), "{error:?}");
    assert_eq!(
        error.to_string(),
        "subscriptions_retrieve: the call's 1s deadline passed after 1 attempt"
    );

    // Per call, and with the attempts' own timeout shorter: the deadline cuts the retries.
    let started = Instant::now();
    let error = client
        .with_options(
            posthog_api::CallOptions::new()
                .timeout(Duration::from_millis(400))
                .deadline(Duration::from_millis(1000)),
        )
        .subscriptions()
        .retrieve("1", 42)
        .send()
        .await
        .unwrap_err();
    let took = started.elapsed();
    assert!(took < Duration::from_millis(1200), "took {took:?}");
    let message = error.to_string();
    assert!(
        message
            .starts_with("subscriptions_retrieve: the call's 1s deadline passed after 3 attempts"),
        "{message}"
    );
}

/// A retry whose wait would end after the deadline is not made: the call fails at once with
/// the last attempt's error, rather than sleeping past its deadline.
#[tokio::test]
async fn a_retry_that_would_wait_past_the_deadline_is_not_made() {
    let server = FaultServer::start(|_, _| {
        vec![Step::Send(
            b"HTTP/1.1 503 Service Unavailable\r\nRetry-After: 5\r\nContent-Length: 0\r\n\r\n"
                .to_vec(),
        )]
    })
    .await;
    let client = Client::builder()
        .base_url(server.url())
        .api_key(KEY)
        .deadline(Duration::from_secs(2))
        .build()
        .unwrap();
    let started = Instant::now();
    let error = get(&client).await.unwrap_err();
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(server.seen.count(), 1);
    let message = error.to_string();
    assert!(
        message.starts_with("subscriptions_retrieve: the call's 2s deadline passed after 1 attempt; the last attempt: "),
        "{message}"
    );
    assert!(message.contains("503"), "{message}");
}
