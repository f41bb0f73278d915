//! Every descriptor a client opened is released soon after its last clone is dropped: pooled
//! connections, the connections of streamed calls (a stream holds a clone of the client, to
//! resume), and those of streams dropped before their end. In a binary of its own, so that the
//! process's descriptors are this test's.

#[path = "../../../generated-client/tests/descriptors/mod.rs"]
mod descriptors;

use descriptors::client_descriptors;
use fixture_wire::models::Thing;
use fixture_wire::Client;
use futures::StreamExt;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// How long the client may take to release everything after its last clone is dropped: its
/// connections' tasks see the pool gone and close them (about 0.4 s for a few hundred in a
/// debug build); a background connect that lost its race ends within the connect timeout the
/// test sets.
const RELEASE_BOUND: Duration = Duration::from_secs(10);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(2);

/// A server that answers `GET /things` with a JSON list (keeping the connection) and
/// `POST /completions` with an event stream of three items that stays open after them (so a
/// stream the client drops early holds a connection until the client lets it go).
async fn serve(listener: TcpListener) {
    loop {
        let Ok((mut socket, _)) = listener.accept().await else {
            return;
        };
        tokio::spawn(async move {
            let mut buffer = Vec::new();
            let mut chunk = [0u8; 4096];
            loop {
                let head_end = loop {
                    if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
                        break end + 4;
                    }
                    match socket.read(&mut chunk).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => buffer.extend_from_slice(&chunk[..n]),
                    }
                };
                let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
                let length: usize = head
                    .lines()
                    .find_map(|l| {
                        let (name, value) = l.split_once(':')?;
                        name.eq_ignore_ascii_case("content-length")
                            .then(|| value.trim().parse().ok())?
                    })
                    .unwrap_or(0);
                while buffer.len() < head_end + length {
                    match socket.read(&mut chunk).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => buffer.extend_from_slice(&chunk[..n]),
                    }
                }
                buffer.drain(..head_end + length);
                if head.starts_with("POST /completions") {
                    let events = "data: {\"name\":\"a\"}\n\ndata: {\"name\":\"b\"}\n\ndata: {\"name\":\"c\"}\n\n";
                    let response = format!(
                        "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n{:x}\r\n{events}\r\n",
                        events.len()
                    );
                    if socket.write_all(response.as_bytes()).await.is_err() {
                        return;
                    }
                    // The stream stays open: read until the client goes away.
                    while matches!(socket.read(&mut chunk).await, Ok(n) if n > 0) {}
                    return;
                }
                let body = "[{\"name\":\"x\"}]";
                let response = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
                    body.len()
                );
                if socket.write_all(response.as_bytes()).await.is_err() {
                    return;
                }
            }
        });
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_descriptor_is_released_after_the_last_clone_of_a_client_is_dropped() {
    if !descriptors::readable() {
        return; // The measurements below read Linux's /proc.
    }
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let server_port = listener.local_addr().unwrap().port();
    tokio::spawn(serve(listener));
    let before = client_descriptors(server_port);
    let client = Client::builder()
        .base_url(format!("http://127.0.0.1:{server_port}"))
        .api_key("key")
        .connect_timeout(CONNECT_TIMEOUT)
        .build()
        .unwrap();
    // Plain calls, many at once: pooled connections.
    let calls: Vec<_> = (0..200)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.things().list_things().send().await })
        })
        .collect();
    for call in futures::future::join_all(calls).await {
        assert_eq!(call.unwrap().unwrap().len(), 1);
    }
    // Streams: some read to their third item, kept past the client's drop, then dropped.
    let mut streams = Vec::new();
    for _ in 0..5 {
        let mut stream = client
            .completions()
            .stream_completion(Thing::new("prompt"))
            .send()
            .await
            .unwrap();
        for _ in 0..3 {
            stream.next().await.unwrap().unwrap();
        }
        streams.push(stream);
    }
    let during = client_descriptors(server_port).len();
    assert!(during > before.len(), "the calls opened connections");
    drop(client);
    drop(streams);
    let dropped = Instant::now();
    let mut left = client_descriptors(server_port);
    while left.len() > before.len() && dropped.elapsed() < RELEASE_BOUND {
        tokio::time::sleep(Duration::from_millis(50)).await;
        left = client_descriptors(server_port);
    }
    let took = dropped.elapsed();
    let extra: Vec<&String> = left.iter().filter(|d| !before.contains(d)).collect();
    assert!(
        left.len() <= before.len(),
        "{} descriptors before the client, {during} with its calls, {} {took:?} after its last \
         clone and its streams were dropped; not released: {extra:?}",
        before.len(),
        left.len()
    );
    eprintln!(
        "{} -> {during} -> {} descriptors, released {took:?} after the drop",
        before.len(),
        left.len()
    );
}
