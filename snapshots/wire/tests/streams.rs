//! Streamed responses on the wire: server-sent events (decoded item by item, resumed with
//! `Last-Event-ID` after the server's `retry:` delay when the connection breaks) and downloads
//! read chunk by chunk.

use fixture_wire::mock::MockServer;
use fixture_wire::models::Thing;
use fixture_wire::Client;
use futures::StreamExt;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// Reads one HTTP/1.1 request (head and `Content-Length` body); returns its head.
async fn read_request(socket: &mut TcpStream) -> String {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let n = socket.read(&mut chunk).await.unwrap();
        assert!(n > 0, "the client closed before sending a request");
        buffer.extend_from_slice(&chunk[..n]);
        if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buffer[..end]).into_owned();
            let length: usize = head
                .lines()
                .find_map(|l| {
                    let (name, value) = l.split_once(':')?;
                    name.eq_ignore_ascii_case("content-length")
                        .then(|| value.trim().parse().unwrap())
                })
                .unwrap_or(0);
            while buffer.len() < end + 4 + length {
                let n = socket.read(&mut chunk).await.unwrap();
                buffer.extend_from_slice(&chunk[..n]);
            }
            return head;
        }
    }
}

/// Writes `text` as one chunk of a chunked body.
async fn chunk(socket: &mut TcpStream, text: &str) {
    let framed = format!("{:x}\r\n{text}\r\n", text.len());
    socket.write_all(framed.as_bytes()).await.unwrap();
}

const EVENT_STREAM_HEAD: &str =
    "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n";

/// The first connection sends two events and breaks; the client reconnects after the
/// server's `retry:` delay with the last event's id, and reads on to `[DONE]`.
#[tokio::test]
async fn an_event_stream_resumes_after_a_broken_connection() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let heads = Arc::new(Mutex::new(Vec::new()));
    let seen = heads.clone();
    let broke_at = Arc::new(Mutex::new(None));
    let broke = broke_at.clone();
    tokio::spawn(async move {
        // First connection: a comment, two events (the second with a `retry:`), then a
        // connection reset in the middle of a third.
        let (mut socket, _) = listener.accept().await.unwrap();
        let head = read_request(&mut socket).await;
        seen.lock().unwrap().push(head);
        socket
            .write_all(EVENT_STREAM_HEAD.as_bytes())
            .await
            .unwrap();
        chunk(
            &mut socket,
            ": keep-alive\n\nid: 1\ndata: {\"name\":\"a\"}\n\n",
        )
        .await;
        chunk(
            &mut socket,
            "retry: 300\nid: 2\nevent: delta\ndata: {\"name\":\n",
        )
        .await;
        chunk(&mut socket, "data: \"b\"}\n\nid: 3\ndata: {\"na").await;
        socket.flush().await.unwrap();
        *broke.lock().unwrap() = Some(Instant::now());
        drop(socket);
        // Second connection: the rest, then the end marker.
        let (mut socket, _) = listener.accept().await.unwrap();
        let head = read_request(&mut socket).await;
        seen.lock().unwrap().push(head);
        socket
            .write_all(EVENT_STREAM_HEAD.as_bytes())
            .await
            .unwrap();
        chunk(
            &mut socket,
            "id: 3\ndata: {\"name\":\"c\"}\n\ndata: [DONE]\n\ndata: {\"name\":\"after the end\"}\n\n",
        )
        .await;
        socket.write_all(b"0\r\n\r\n").await.unwrap();
        tokio::time::sleep(Duration::from_secs(5)).await;
    });
    let client = Client::builder()
        .base_url(format!("http://{address}"))
        .api_key("key")
        .build()
        .unwrap();
    let stream = client
        .completions()
        .stream_completion(Thing::new("prompt"))
        .send()
        .await
        .unwrap();
    let items: Vec<Thing> = stream.map(Result::unwrap).collect().await;
    let names: Vec<&str> = items.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["a", "b", "c"], "each event once, none after [DONE]");
    let waited = broke_at.lock().unwrap().unwrap().elapsed();
    assert!(
        waited >= Duration::from_millis(300),
        "the client waits the server's retry: delay before reconnecting ({waited:?})"
    );
    let heads = heads.lock().unwrap();
    assert_eq!(heads.len(), 2);
    assert!(
        heads[0].contains("accept: text/event-stream"),
        "{}",
        heads[0]
    );
    assert!(!heads[0].to_ascii_lowercase().contains("last-event-id"));
    assert!(
        heads[1].to_ascii_lowercase().contains("last-event-id: 2"),
        "the reconnection asks for what follows the last complete event: {}",
        heads[1]
    );
}

/// Without an event id there is nothing to resume from: the broken connection is the
/// stream's last item, an error.
#[tokio::test]
async fn an_event_stream_without_ids_ends_with_the_error() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        read_request(&mut socket).await;
        socket
            .write_all(EVENT_STREAM_HEAD.as_bytes())
            .await
            .unwrap();
        chunk(&mut socket, "data: {\"name\":\"a\"}\n\ndata: {").await;
        drop(socket);
        // A reconnection would wait here for ever.
        let _second = listener.accept().await;
        tokio::time::sleep(Duration::from_secs(30)).await;
    });
    let client = Client::builder()
        .base_url(format!("http://{address}"))
        .api_key("key")
        .build()
        .unwrap();
    let mut stream = client
        .completions()
        .stream_completion(Thing::new("prompt"))
        .send()
        .await
        .unwrap();
    assert_eq!(stream.next().await.unwrap().unwrap().name, "a");
    let error = tokio::time::timeout(Duration::from_secs(5), stream.next())
        .await
        .expect("no reconnection")
        .unwrap()
        .unwrap_err();
    assert!(
        matches!(error, fixture_wire::Error::Transport { .. }),
        "{error:?}"
    );
    assert!(stream.next().await.is_none());
}

/// A download read as it arrives: every byte, in order, with the announced length.
#[tokio::test]
async fn a_download_is_read_chunk_by_chunk() {
    let server = MockServer::start().await;
    let contents: Vec<u8> = (0..300_000u32).map(|i| (i % 251) as u8).collect();
    let _mock = server
        .mock()
        .raw()
        .upload_raw()
        .respond_raw(200, "application/octet-stream", contents.clone())
        .mount()
        .await;
    let response = server
        .client()
        .raw()
        .upload_raw()
        .send_streamed()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let mut stream = response.into_body();
    assert_eq!(stream.content_length(), Some(300_000));
    let mut read = Vec::new();
    let mut chunks = 0;
    while let Some(chunk) = stream.next().await {
        read.extend_from_slice(&chunk.unwrap());
        chunks += 1;
    }
    assert_eq!(read, contents);
    assert!(chunks >= 1);
    // And in one go.
    let again = server
        .client()
        .raw()
        .upload_raw()
        .send_streamed()
        .await
        .unwrap()
        .into_body()
        .collect()
        .await
        .unwrap();
    assert_eq!(again.len(), 300_000);
}

/// Newline-delimited JSON, one item per line, decoded as the lines arrive.
#[tokio::test]
async fn json_lines_are_items() {
    let server = MockServer::start().await;
    let _mock = server
        .mock()
        .export()
        .things()
        .respond_raw(
            200,
            "application/x-ndjson",
            b"{\"name\":\"a\"}\n\n{\"name\":\"b\",\"size\":2}\r\n{\"name\":\"c\"}".to_vec(),
        )
        .mount()
        .await;
    let items: Vec<Thing> = server
        .client()
        .export()
        .things()
        .send()
        .await
        .unwrap()
        .map(Result::unwrap)
        .collect()
        .await;
    let names: Vec<&str> = items.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["a", "b", "c"]);
    assert_eq!(items[1].size, Some(2));
}
