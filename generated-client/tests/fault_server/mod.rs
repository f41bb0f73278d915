//! A local HTTP/1.1 server that misbehaves on purpose: each test scripts, per request, what
//! the server does (send bytes, wait, reset the connection, close it), and reads back what
//! the server received and how many connections it saw closed by the client.

#![allow(dead_code)]

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// One step of the server's answer to a request.
#[derive(Clone, Debug)]
pub enum Step {
    /// Write these bytes.
    Send(Vec<u8>),
    /// Wait.
    Sleep(Duration),
    /// Abort the connection with a TCP reset.
    Reset,
    /// Close the connection cleanly (FIN).
    Close,
}

/// A complete response with a `Content-Length`, kept alive for the next request.
pub fn respond(status: u16, headers: &[(&str, &str)], body: &[u8]) -> Vec<Step> {
    vec![Step::Send(
        head(status, headers, Some(body.len()))
            .into_iter()
            .chain(body.iter().copied())
            .collect(),
    )]
}

/// A JSON response.
pub fn json(status: u16, body: &serde_json::Value) -> Vec<Step> {
    respond(
        status,
        &[("Content-Type", "application/json")],
        body.to_string().as_bytes(),
    )
}

/// The status line and headers (with a `Content-Length` when given), ending the head.
pub fn head(status: u16, headers: &[(&str, &str)], length: Option<usize>) -> Vec<u8> {
    let mut text = format!("HTTP/1.1 {status} Fault\r\n");
    for (name, value) in headers {
        text.push_str(&format!("{name}: {value}\r\n"));
    }
    if let Some(length) = length {
        text.push_str(&format!("Content-Length: {length}\r\n"));
    }
    text.push_str("\r\n");
    text.into_bytes()
}

/// What the server saw.
#[derive(Default)]
pub struct Seen {
    /// The head of every request (request line and headers), in arrival order.
    pub requests: Mutex<Vec<String>>,
    /// Connections accepted.
    pub connections: AtomicUsize,
    /// Connections open now.
    pub open: AtomicUsize,
    /// The most connections open at once.
    pub most_open: AtomicUsize,
    /// Connections the client closed (end of stream while the server waited to read, or a
    /// failed write).
    pub closed_by_client: AtomicUsize,
}

impl Seen {
    /// How many requests arrived.
    pub fn count(&self) -> usize {
        self.requests.lock().unwrap().len()
    }
}

/// A running fault server.
pub struct FaultServer {
    pub addr: SocketAddr,
    pub seen: Arc<Seen>,
}

type Script = dyn Fn(usize, &str) -> Vec<Step> + Send + Sync;

impl FaultServer {
    /// Starts a server that answers request number `n` (0-based, over all connections) with
    /// `script(n, request_head)`.
    pub async fn start(script: impl Fn(usize, &str) -> Vec<Step> + Send + Sync + 'static) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let seen = Arc::new(Seen::default());
        let script: Arc<Script> = Arc::new(script);
        let state = Arc::clone(&seen);
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                state.connections.fetch_add(1, Ordering::SeqCst);
                let open = state.open.fetch_add(1, Ordering::SeqCst) + 1;
                state.most_open.fetch_max(open, Ordering::SeqCst);
                let (state, script) = (Arc::clone(&state), Arc::clone(&script));
                tokio::spawn(async move {
                    serve(stream, Arc::clone(&state), script).await;
                    state.open.fetch_sub(1, Ordering::SeqCst);
                });
            }
        });
        FaultServer { addr, seen }
    }

    /// The base URL to give the client.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }
}

async fn serve(mut stream: TcpStream, seen: Arc<Seen>, script: Arc<Script>) {
    let mut buffer = Vec::new();
    loop {
        let Some(head) = read_request(&mut stream, &mut buffer).await else {
            seen.closed_by_client.fetch_add(1, Ordering::SeqCst);
            return;
        };
        let n = {
            let mut requests = seen.requests.lock().unwrap();
            requests.push(head.clone());
            requests.len() - 1
        };
        for step in script(n, &head) {
            match step {
                Step::Send(bytes) => {
                    if stream.write_all(&bytes).await.is_err() {
                        seen.closed_by_client.fetch_add(1, Ordering::SeqCst);
                        return;
                    }
                }
                Step::Sleep(duration) => {
                    // Notice a client that gives up while the server waits.
                    let mut probe = [0u8; 1];
                    tokio::select! {
                        _ = tokio::time::sleep(duration) => {}
                        read = stream.read(&mut probe) => {
                            if matches!(read, Ok(0) | Err(_)) {
                                seen.closed_by_client.fetch_add(1, Ordering::SeqCst);
                                return;
                            }
                        }
                    }
                }
                Step::Reset => {
                    let _ = stream.set_zero_linger();
                    return;
                }
                Step::Close => {
                    let _ = stream.shutdown().await;
                    return;
                }
            }
        }
    }
}

/// Reads one request (head and `Content-Length` body); `None` when the client closed.
async fn read_request(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> Option<String> {
    let mut chunk = [0u8; 8192];
    let end = loop {
        if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break end + 4;
        }
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buffer[..end]).into_owned();
    let length = head
        .lines()
        .find_map(|l| {
            let (name, value) = l.split_once(':')?;
            name.eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse::<usize>().ok())?
        })
        .unwrap_or(0);
    while buffer.len() < end + length {
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..n]);
    }
    buffer.drain(..end + length);
    Some(head)
}
