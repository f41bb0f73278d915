//! What a call through the generated client costs on top of plain reqwest.
//!
//! Both send the same request (`GET /api/projects/1/subscriptions/42/` with a bearer token)
//! to the same loopback server and decode the same type (`models::Subscription`). Batches of
//! calls alternate between the two in one process, at each level of calls in flight, so that
//! drift in the machine's speed hits both alike; the ratio of their rates (client ÷ reqwest)
//! is reported per batch pair, and its median is the result. Run it with
//! `cargo xtask bench --client`, which prints the table; this binary prints one JSON line
//! per level:
//!
//! ```text
//! cargo bench -p posthog-api --bench call_overhead -- [--calls N] [--rounds R] [--in-flight 1,32,256]
//! ```

use futures::StreamExt as _;
use posthog_api::{models, Client};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

const KEY: &str = "phx_bench_key";

/// The client's default `User-Agent`, which plain reqwest sends too: the same request.
const USER_AGENT: &str = concat!("posthog-api/", env!("CARGO_PKG_VERSION"));

/// The response every request gets: a subscription, as the API returns it.
const BODY: &str = r#"{"id":42,"dashboard":null,"insight":7,"insight_short_id":"abc123","resource_name":"Weekly signups","target_type":"email","target_value":"ann@example.com,bob@example.com","frequency":"weekly","interval":1,"byweekday":["monday"],"bysetpos":null,"count":null,"start_date":"2024-01-01T09:00:00Z","until_date":null,"created_at":"2024-01-01T00:00:00Z","created_by":{"id":1,"uuid":"095be615-a8ad-4c33-8e9c-c7612fbf6c9f","distinct_id":"d1","first_name":"Ann","last_name":"Lee","email":"ann@example.com","is_email_verified":true,"hedgehog_config":null,"role_at_organization":"engineering"},"deleted":false,"title":"Signups","summary":"sent every week on Monday","next_delivery_date":"2024-01-08T09:00:00Z","integration_id":null,"invite_message":null}"#;

/// A loopback HTTP/1.1 server with keep-alive that answers every request with [`BODY`]: the
/// least work a server can do, so that the client side dominates what is measured.
async fn serve() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let response = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{BODY}",
        BODY.len()
    );
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let response = response.clone();
            tokio::spawn(async move {
                let _ = socket.set_nodelay(true);
                let mut buffer = Vec::with_capacity(4096);
                let mut chunk = [0u8; 4096];
                loop {
                    // Requests are GETs without a body: each ends at the blank line.
                    while let Some(end) = find_blank_line(&buffer) {
                        buffer.drain(..end + 4);
                        if socket.write_all(response.as_bytes()).await.is_err() {
                            return;
                        }
                    }
                    match socket.read(&mut chunk).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => buffer.extend_from_slice(&chunk[..n]),
                    }
                }
            });
        }
    });
    url
}

fn find_blank_line(buffer: &[u8]) -> Option<usize> {
    buffer.windows(4).position(|w| w == b"\r\n\r\n")
}

/// One batch of `calls` calls with `in_flight` at once; returns calls per second.
async fn batch<F, Fut>(calls: usize, in_flight: usize, call: F) -> f64
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = models::Subscription>,
{
    let started = Instant::now();
    let done = futures::stream::iter(0..calls)
        .map(|_| call())
        .buffer_unordered(in_flight)
        .fold(0usize, |n, s| async move {
            assert_eq!(s.id, 42);
            n + 1
        })
        .await;
    assert_eq!(done, calls);
    calls as f64 / started.elapsed().as_secs_f64()
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(|a, b| a.total_cmp(b));
    let n = values.len();
    if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    }
}

struct Args {
    calls: usize,
    rounds: usize,
    in_flight: Vec<usize>,
}

fn parse_args() -> Args {
    let mut args = Args {
        calls: 2000,
        rounds: 25,
        in_flight: vec![1, 32, 256],
    };
    let mut iter = std::env::args().skip(1);
    while let Some(arg) = iter.next() {
        let mut value = || iter.next().unwrap_or_else(|| panic!("{arg} needs a value"));
        match arg.as_str() {
            "--calls" => args.calls = value().parse().expect("--calls N"),
            "--rounds" => args.rounds = value().parse().expect("--rounds R"),
            "--in-flight" => {
                args.in_flight = value()
                    .split(',')
                    .map(|n| n.trim().parse().expect("--in-flight 1,32,256"))
                    .collect()
            }
            // `cargo bench` passes `--bench`; anything else is a mistake.
            "--bench" => {}
            other => panic!("unknown argument `{other}`"),
        }
    }
    args
}

fn main() {
    let args = parse_args();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let base = serve().await;
        // The same pool settings for both: unlimited idle connections, the client's default
        // connect timeout.
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(10))
            .build()
            .unwrap();
        let client = Client::builder()
            .base_url(&base)
            .api_key(KEY)
            .build()
            .unwrap();
        let url = format!("{base}/api/projects/1/subscriptions/42/");
        let plain = || {
            let http = http.clone();
            let url = url.clone();
            async move {
                http.get(&url)
                    .bearer_auth(KEY)
                    .header(reqwest::header::ACCEPT, "application/json")
                    .header(reqwest::header::USER_AGENT, USER_AGENT)
                    .timeout(Duration::from_secs(60))
                    .send()
                    .await
                    .unwrap()
                    .error_for_status()
                    .unwrap()
                    .json::<models::Subscription>()
                    .await
                    .unwrap()
            }
        };
        let generated = || {
            let client = client.clone();
            async move {
                client
                    .subscriptions()
                    .retrieve("1", 42)
                    .send()
                    .await
                    .unwrap()
            }
        };
        for &in_flight in &args.in_flight {
            // Warm both pools up to this level.
            batch(args.calls / 4, in_flight, plain).await;
            batch(args.calls / 4, in_flight, generated).await;
            let mut ratios = Vec::new();
            let mut plain_rates = Vec::new();
            let mut client_rates = Vec::new();
            for round in 0..args.rounds {
                // Alternate which goes first, so neither always follows the other.
                let (p, c) = if round % 2 == 0 {
                    let p = batch(args.calls, in_flight, plain).await;
                    (p, batch(args.calls, in_flight, generated).await)
                } else {
                    let c = batch(args.calls, in_flight, generated).await;
                    (batch(args.calls, in_flight, plain).await, c)
                };
                ratios.push(c / p);
                plain_rates.push(p);
                client_rates.push(c);
            }
            println!(
                "{{\"in_flight\":{in_flight},\"calls\":{},\"rounds\":{},\"reqwest_per_s\":{:.0},\"client_per_s\":{:.0},\"ratio\":{:.4},\"ratio_min\":{:.4},\"ratio_max\":{:.4}}}",
                args.calls,
                args.rounds,
                median(&mut plain_rates),
                median(&mut client_rates),
                median(&mut ratios.clone()),
                ratios.iter().copied().fold(f64::INFINITY, f64::min),
                ratios.iter().copied().fold(0.0, f64::max),
            );
        }
    });
}
