//! Extending the client without forking it: middleware around every attempt, pacing by rate
//! budgets, per-call overrides, and proxies.

mod fault_server;
#[allow(dead_code)] // Not every test binary uses every helper.
mod wire;

use http::Extensions;
use posthog_api::reqwest::{Request, Response, StatusCode};
use posthog_api::reqwest_middleware::{self, Middleware, Next};
use posthog_api::{CallOptions, Client, Error, Quota, RateLimits, RetryPolicy};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn quick_retries() -> RetryPolicy {
    RetryPolicy {
        max_retries: 2,
        initial_backoff: Duration::from_millis(1),
        ..Default::default()
    }
}

/// Writes `<name> in` before passing the request on and `<name> out <status>` after.
struct Logger {
    name: &'static str,
    log: Arc<Mutex<Vec<String>>>,
}

#[async_trait::async_trait]
impl Middleware for Logger {
    async fn handle(
        &self,
        req: Request,
        extensions: &mut Extensions,
        next: Next<'_>,
    ) -> reqwest_middleware::Result<Response> {
        self.log.lock().unwrap().push(format!("{} in", self.name));
        let response = next.run(req, extensions).await?;
        self.log
            .lock()
            .unwrap()
            .push(format!("{} out {}", self.name, response.status().as_u16()));
        Ok(response)
    }
}

/// Counts requests and statuses, as a metrics layer would.
#[derive(Default)]
struct Metrics {
    requests: AtomicUsize,
    statuses: Mutex<Vec<u16>>,
}

/// The middleware that fills a shared [`Metrics`].
struct MetricsLayer(Arc<Metrics>);

#[async_trait::async_trait]
impl Middleware for MetricsLayer {
    async fn handle(
        &self,
        req: Request,
        extensions: &mut Extensions,
        next: Next<'_>,
    ) -> reqwest_middleware::Result<Response> {
        self.0.requests.fetch_add(1, Ordering::SeqCst);
        let response = next.run(req, extensions).await?;
        self.0
            .statuses
            .lock()
            .unwrap()
            .push(response.status().as_u16());
        Ok(response)
    }
}

/// Middleware runs in the order added (the first outermost), around every attempt: a call
/// retried twice passes through the chain three times.
#[tokio::test]
async fn middleware_runs_in_order_around_every_attempt() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(2)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let log = Arc::new(Mutex::new(Vec::new()));
    let metrics = Arc::new(Metrics::default());
    let client = Client::builder()
        .base_url(server.uri())
        .api_key(wire::KEY)
        .retry_policy(quick_retries())
        .middleware(Logger {
            name: "outer",
            log: Arc::clone(&log),
        })
        .middleware(Logger {
            name: "inner",
            log: Arc::clone(&log),
        })
        .middleware(MetricsLayer(Arc::clone(&metrics)))
        .build()
        .unwrap();
    client.users().destroy("@me").send().await.unwrap();
    let one = |status: u16| {
        vec![
            "outer in".to_owned(),
            "inner in".to_owned(),
            format!("inner out {status}"),
            format!("outer out {status}"),
        ]
    };
    let expected: Vec<String> = [one(503), one(503), one(204)].concat();
    assert_eq!(*log.lock().unwrap(), expected);
    assert_eq!(metrics.requests.load(Ordering::SeqCst), 3);
    assert_eq!(*metrics.statuses.lock().unwrap(), [503, 503, 204]);
}

/// Sends the current token, and on a 401 gets a new one and sends the request once more.
struct TokenRefresh {
    token: Mutex<String>,
    refreshes: AtomicUsize,
}

impl TokenRefresh {
    fn current(&self) -> String {
        self.token.lock().unwrap().clone()
    }

    /// Stands in for a call to an identity provider.
    fn refresh(&self) -> String {
        let n = self.refreshes.fetch_add(1, Ordering::SeqCst) + 1;
        let token = format!("fresh-{n}");
        *self.token.lock().unwrap() = token.clone();
        token
    }
}

fn with_token(mut req: Request, token: &str) -> Request {
    req.headers_mut().insert(
        http::header::AUTHORIZATION,
        format!("Bearer {token}").parse().unwrap(),
    );
    req
}

/// The middleware around a shared [`TokenRefresh`].
struct RefreshLayer(Arc<TokenRefresh>);

#[async_trait::async_trait]
impl Middleware for RefreshLayer {
    async fn handle(
        &self,
        req: Request,
        extensions: &mut Extensions,
        next: Next<'_>,
    ) -> reqwest_middleware::Result<Response> {
        let again = req.try_clone();
        let response = next
            .clone()
            .run(with_token(req, &self.0.current()), extensions)
            .await?;
        match again {
            Some(again) if response.status() == StatusCode::UNAUTHORIZED => {
                let token = self.0.refresh();
                next.run(with_token(again, &token), extensions).await
            }
            _ => Ok(response),
        }
    }
}

/// A token-refresh middleware turns an expired token's 401 into a new token and a
/// successful call; later calls use the new token.
#[tokio::test]
async fn a_token_refresh_middleware_retries_a_401_with_a_new_token() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/users/@me/"))
        .and(header("authorization", "Bearer fresh-1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(wire::user()))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(401)
                .set_body_json(serde_json::json!({"type": "authentication_error", "code": "authentication_failed", "detail": "expired"})),
        )
        .mount(&server)
        .await;
    let refresher = Arc::new(TokenRefresh {
        token: Mutex::new("expired".into()),
        refreshes: AtomicUsize::new(0),
    });
    let client = Client::builder()
        .base_url(server.uri())
        .middleware(RefreshLayer(Arc::clone(&refresher)))
        .build()
        .unwrap();
    let user = client.users().retrieve("@me").send().await.unwrap();
    assert_eq!(user.email, "ann@example.com");
    client.users().retrieve("@me").send().await.unwrap();
    assert_eq!(refresher.refreshes.load(Ordering::SeqCst), 1);
    let seen: Vec<String> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| r.headers["authorization"].to_str().unwrap().to_owned())
        .collect();
    assert_eq!(seen, ["Bearer expired", "Bearer fresh-1", "Bearer fresh-1"]);
}

/// Refuses every request, as a circuit breaker that is open would.
struct Refuse;

#[derive(Debug, thiserror::Error)]
#[error("the circuit is open")]
struct CircuitOpen;

#[async_trait::async_trait]
impl Middleware for Refuse {
    async fn handle(
        &self,
        _req: Request,
        _extensions: &mut Extensions,
        _next: Next<'_>,
    ) -> reqwest_middleware::Result<Response> {
        Err(reqwest_middleware::Error::middleware(CircuitOpen))
    }
}

/// A middleware's own error ends the call at once, as `Error::Middleware` with its source.
#[tokio::test]
async fn a_middleware_error_ends_the_call_without_retries() {
    let metrics = Arc::new(Metrics::default());
    let client = Client::builder()
        .base_url("http://127.0.0.1:9")
        .retry_policy(quick_retries())
        .middleware(MetricsLayer(Arc::clone(&metrics)))
        .middleware(Refuse)
        .build()
        .unwrap();
    let error = client.users().destroy("@me").send().await.unwrap_err();
    match &error {
        Error::Middleware { operation, source } => {
            assert_eq!(*operation, "users_destroy");
            assert_eq!(source.to_string(), "the circuit is open");
        }
        other => panic!("{other:?}"),
    }
    assert!(!error.is_retryable());
    assert_eq!(metrics.requests.load(Ordering::SeqCst), 1);
}

/// Answers every request itself with an empty 204, noting when (on Tokio's clock): a
/// stand-in server that costs no I/O, so that time can be paused.
struct Answer {
    started: tokio::time::Instant,
    times: Mutex<Vec<(String, Duration)>>,
}

/// The middleware around a shared [`Answer`].
struct AnswerLayer(Arc<Answer>);

#[async_trait::async_trait]
impl Middleware for AnswerLayer {
    async fn handle(
        &self,
        req: Request,
        _extensions: &mut Extensions,
        _next: Next<'_>,
    ) -> reqwest_middleware::Result<Response> {
        self.0
            .times
            .lock()
            .unwrap()
            .push((req.url().path().to_owned(), self.0.started.elapsed()));
        Ok(Response::from(
            http::Response::builder().status(204).body("").unwrap(),
        ))
    }
}

/// The most requests in any window of `per`.
fn busiest_window(times: &[Duration], per: Duration) -> usize {
    let mut best = 0;
    let mut start = 0;
    for end in 0..times.len() {
        while times[end] - times[start] >= per {
            start += 1;
        }
        best = best.max(end - start + 1);
    }
    best
}

/// 1,000 calls from 32 tasks sharing clones of one paced client: no minute holds more than
/// the budget, and the calls go as fast as the budget allows.
#[tokio::test(start_paused = true)]
async fn a_paced_client_keeps_many_tasks_within_the_budget() {
    let answer = Arc::new(Answer {
        started: tokio::time::Instant::now(),
        times: Mutex::new(Vec::new()),
    });
    let budget = 200;
    let client = Client::builder()
        .base_url("http://posthog.invalid")
        .api_key(wire::KEY)
        .rate_limits(
            RateLimits::documented::<Client>().class("default", [Quota::per_minute(budget)]),
        )
        .middleware(AnswerLayer(Arc::clone(&answer)))
        .build()
        .unwrap();
    let tasks: Vec<_> = (0..32)
        .map(|task| {
            let client = client.clone();
            tokio::spawn(async move {
                let calls = 1000 / 32 + usize::from(task < 1000 % 32);
                for _ in 0..calls {
                    client.users().destroy("@me").send().await.unwrap();
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }
    let mut times: Vec<Duration> = answer.times.lock().unwrap().iter().map(|t| t.1).collect();
    times.sort();
    assert_eq!(times.len(), 1000);
    let busiest = busiest_window(&times, Duration::from_secs(60));
    assert!(busiest <= budget as usize, "{busiest} calls in one minute");
    // A burst of a tenth, then the rest of the budget spread evenly: 980 calls at 180 a
    // minute after the first 20.
    let total = times.last().unwrap().as_secs_f64();
    let expected = 980.0 / 180.0 * 60.0;
    assert!(
        (total - expected).abs() < 2.0,
        "{total} s, expected {expected} s"
    );
}

/// The documented budgets are PostHog's; an override replaces one class and keeps the rest.
#[test]
fn documented_budgets_can_be_overridden() {
    let documented = RateLimits::documented::<Client>();
    assert_eq!(
        documented.quotas("default"),
        [Quota::per_minute(480), Quota::per_hour(4800)]
    );
    assert_eq!(
        documented.quotas("analytics"),
        [Quota::per_minute(240), Quota::per_hour(1200)]
    );
    let mine = documented.clone().class("default", [Quota::per_minute(60)]);
    assert_eq!(mine.quotas("default"), [Quota::per_minute(60)]);
    assert_eq!(mine.quotas("query"), documented.quotas("query"));
    let error = Client::builder()
        .base_url("http://posthog.invalid")
        .rate_limits(RateLimits::none().class("default", [Quota::per_minute(0)]))
        .build()
        .unwrap_err();
    assert!(error.to_string().contains("rate_limits"), "{error}");
}

/// One handle with a shorter timeout, no retries and an extra header; the client it came
/// from keeps its own settings.
#[tokio::test]
async fn per_call_overrides_leave_the_client_alone() {
    let server = MockServer::start().await;
    Mock::given(path("/api/users/slow/"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(wire::user())
                .set_delay(Duration::from_millis(600)),
        )
        .mount(&server)
        .await;
    Mock::given(path("/api/users/busy/"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    Mock::given(path("/api/users/@me/"))
        .respond_with(ResponseTemplate::new(200).set_body_json(wire::user()))
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .api_key(wire::KEY)
        .retry_policy(quick_retries())
        .default_header("X-Team", "growth")
        .build()
        .unwrap();
    let quick = client.with_options(
        CallOptions::new()
            .timeout(Duration::from_millis(150))
            .max_retries(0)
            .header("X-Request-Id", "req-1")
            .header("X-Team", "billing"),
    );
    // Timeout.
    let error = quick.users().retrieve("slow").send().await.unwrap_err();
    assert!(matches!(error, Error::Timeout { .. }), "{error:?}");
    client.users().retrieve("slow").send().await.unwrap();
    // Retries.
    let before = server.received_requests().await.unwrap().len();
    quick.users().retrieve("busy").send().await.unwrap_err();
    let after_quick = server.received_requests().await.unwrap().len();
    client.users().retrieve("busy").send().await.unwrap_err();
    let after_client = server.received_requests().await.unwrap().len();
    assert_eq!(after_quick - before, 1, "no retries through the handle");
    assert_eq!(
        after_client - after_quick,
        3,
        "the client still retries twice"
    );
    // Headers: the handle's replace the default of the same name; options stack.
    quick
        .with_options(CallOptions::new().header("X-Extra", "1"))
        .users()
        .retrieve("@me")
        .send()
        .await
        .unwrap();
    client.users().retrieve("@me").send().await.unwrap();
    let received = server.received_requests().await.unwrap();
    let handle = &received[received.len() - 2];
    let plain = &received[received.len() - 1];
    assert_eq!(handle.headers["x-request-id"], "req-1");
    assert_eq!(handle.headers["x-extra"], "1");
    assert_eq!(
        handle.headers.get_all("x-team").iter().collect::<Vec<_>>(),
        ["billing"]
    );
    assert!(plain.headers.get("x-request-id").is_none());
    assert_eq!(plain.headers["x-team"], "growth");
    // A bad header name is an error of the call, not a panic.
    let error = client
        .with_options(CallOptions::new().header("bad header", "x"))
        .users()
        .retrieve("@me")
        .send()
        .await
        .unwrap_err();
    assert!(matches!(error, Error::InvalidInput { .. }), "{error:?}");
}

/// An explicit proxy gets every request, in absolute form, with the credential; the API's
/// host is never looked up.
#[tokio::test]
async fn an_explicit_proxy_carries_the_requests() {
    let proxy = fault_server::FaultServer::start(|_, _| fault_server::respond(204, &[], b"")).await;
    let client = Client::builder()
        .base_url("http://posthog.invalid")
        .api_key(wire::KEY)
        .proxy(proxy.url())
        .build()
        .unwrap();
    client.users().destroy("@me").send().await.unwrap();
    let requests = proxy.seen.requests.lock().unwrap().clone();
    assert_eq!(requests.len(), 1);
    let head = requests[0].to_ascii_lowercase();
    assert!(
        head.starts_with("delete http://posthog.invalid/api/users/@me/ http/1.1"),
        "{head}"
    );
    assert!(
        head.contains(&format!(
            "authorization: bearer {}",
            wire::KEY.to_ascii_lowercase()
        )),
        "{head}"
    );
    // A malformed proxy URL is a settings error that does not quote the URL.
    let error = Client::builder()
        .base_url("http://posthog.invalid")
        .proxy("http://user:secret@[::1")
        .build()
        .unwrap_err();
    assert!(!error.to_string().contains("secret"), "{error}");
    // With a reqwest::Client of the caller's own, proxy settings belong on it.
    let error = Client::builder()
        .base_url("http://posthog.invalid")
        .http_client(posthog_api::reqwest::Client::new())
        .proxy(proxy.url())
        .build()
        .unwrap_err();
    assert!(error.to_string().contains("http_client"), "{error}");
}
