//! Ten thousand calls at once on one client: no deadlock, no file descriptor left open, memory
//! bounded. In a binary of its own, so that its measurements are its own.

mod descriptors;
mod fault_server;
#[allow(dead_code)] // Not every test binary uses every helper.
mod wire;

use descriptors::client_descriptors;
use fault_server::{json, FaultServer};
use posthog_api::Client;
use std::time::Duration;

/// Peak resident memory of this process so far, in MiB.
fn peak_memory_mib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        })
        .map_or(0, |kb| kb / 1024)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_thousand_concurrent_calls_on_one_client() {
    if !descriptors::readable() {
        return; // The measurements below read Linux's /proc.
    }
    let body = serde_json::json!({
        "id": 42, "insight_short_id": null, "resource_name": null, "target_type": "email",
        "target_value": "ann@example.com", "frequency": "weekly", "start_date": "2024-01-01T00:00:00Z",
        "created_at": "2024-01-01T00:00:00Z",
        "created_by": {"id": 1, "uuid": "095be615-a8ad-4c33-8e9c-c7612fbf6c9f", "email": "ann@example.com", "hedgehog_config": null},
        "summary": "weekly", "next_delivery_date": null
    });
    let server = FaultServer::start(move |_, _| json(200, &body)).await;
    let server_port = server.addr.port();
    let before = client_descriptors(server_port).len();
    // A call waiting for a connection races a new connect against an idle connection coming
    // back; the connect that loses goes on in the background (to pool its connection) and
    // holds its socket until it completes. With the server's accept queue overrun, as 10,000
    // calls on two threads can do, its SYN is retransmitted for up to the connect timeout:
    // the test's timeout keeps that linger below the 20 s it waits.
    let client = Client::builder()
        .base_url(server.url())
        .api_key(wire::KEY)
        .connect_timeout(Duration::from_secs(2))
        .build()
        .unwrap();
    let calls: Vec<_> = (0..10_000)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.subscriptions().retrieve("1", 42).send().await })
        })
        .collect();
    let all = tokio::time::timeout(Duration::from_secs(120), futures::future::join_all(calls))
        .await
        .expect("10,000 calls finish (no deadlock)");
    let failures: Vec<String> = all
        .into_iter()
        .filter_map(|r| r.unwrap().err().map(|e| e.to_string()))
        .take(3)
        .collect();
    assert!(failures.is_empty(), "{failures:?}");
    // At most the default limit (512) of calls in flight, each on a connection; at most as
    // many idle ones kept in the pool; and at most one connection being opened per waiting
    // call (hyper races a new connection against an idle one, and pools or closes the loser).
    // The server sees a connection the client closed as open until it reads the close, which
    // on a loaded machine lags: 3 x 512 bounds what it can see, 720 is typical when quiet.
    let connections = server
        .seen
        .connections
        .load(std::sync::atomic::Ordering::SeqCst);
    let most_open = server
        .seen
        .most_open
        .load(std::sync::atomic::Ordering::SeqCst);
    eprintln!("{connections} connections in all, at most {most_open} open at once");
    assert!(most_open <= 3 * 512, "{most_open} connections open at once");
    drop(client);
    // The pool's connections close with the client, and the server's ends when it notices;
    // on a busy machine that takes a moment.
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    let mut left = client_descriptors(server_port);
    while left.len() > before + 8 && std::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(100)).await;
        left = client_descriptors(server_port);
    }
    let after = left.len();
    // Each left socket says its TCP state: an ESTABLISHED one is a connection something
    // still holds, a SYN_SENT one a connect that lost its race and has not given up yet.
    assert!(
        after <= before + 8,
        "{before} descriptors before, {after} 20 s after the client was dropped: {left:?}"
    );
    let peak = peak_memory_mib();
    assert!(peak < 1024, "peak memory {peak} MiB");
    eprintln!("10,000 calls: {connections} connections, at most {most_open} at once, {before} -> {after} descriptors, peak {peak} MiB");
}
