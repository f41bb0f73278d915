//! The `tracing` span around each request. This lives in its own test binary with a single
//! test and a process-wide subscriber: `tracing` caches per-callsite interest globally, so a
//! thread-local subscriber in a binary whose other tests run concurrently can miss the span.

mod wire;

use wire::{user, KEY};

use posthog_api::{Client, RetryPolicy};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[derive(Clone, Default)]
struct Buffer(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Buffer {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn a_tracing_span_describes_each_request_without_the_key() {
    let buffer = Buffer::default();
    let writer = buffer.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_max_level(tracing::Level::DEBUG)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .with_ansi(false)
        .finish();
    tracing::subscriber::set_global_default(subscriber).unwrap();

    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/users/@me/"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/users/@me/"))
        .respond_with(ResponseTemplate::new(200).set_body_json(user()))
        .with_priority(2)
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .api_key(KEY)
        .retry_policy(RetryPolicy {
            max_retries: 2,
            initial_backoff: Duration::from_millis(1),
            max_backoff: Duration::from_millis(5),
            max_retry_after: Duration::from_millis(50),
        })
        .build()
        .unwrap();
    client.users().retrieve("@me").send().await.unwrap();

    let log = String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap();
    assert!(log.contains("http_request"), "{log}");
    assert!(
        log.contains("path=\"/api/users/{uuid}/\"") || log.contains("path=/api/users/{uuid}/"),
        "{log}"
    );
    assert!(
        log.contains("operation=\"users_retrieve\"") || log.contains("operation=users_retrieve"),
        "{log}"
    );
    assert!(log.contains("status=200"), "{log}");
    assert!(log.contains("attempt=2"), "{log}");
    assert!(log.contains("elapsed_ms="), "{log}");
    assert!(!log.contains(KEY), "the key leaked into the log");
    assert!(
        !log.contains("ann@example.com"),
        "bodies are not logged unless asked for"
    );
}
