//! Responses that are streams of items (OpenAPI 3.2 `itemSchema`): server-sent events
//! (`text/event-stream`) and JSON lines (`application/jsonl`, `application/x-ndjson`). Items
//! are decoded as they arrive, not after the whole body has been read.

use super::error::{DecodeError, Error};
use futures::stream::{self, Stream, StreamExt};
use reqwest::StatusCode;
use serde::de::DeserializeOwned;
use std::pin::Pin;
use std::task::{Context, Poll};

/// How the items of a streamed body are framed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[doc(hidden)]
pub enum Framing {
    /// Server-sent events: each event (its `event`, `data`, `id` and `retry` fields) is one
    /// item, decoded from the object `{"event": ..., "data": ..., "id": ..., "retry": ...}`
    /// (OpenAPI 3.2 `itemSchema`).
    EventStream,
    /// Server-sent events whose `data` is the item, as JSON (an OpenAPI 3.0 or 3.1
    /// `text/event-stream` schema; OpenAI's streams). Events without data are skipped, and
    /// `data: [DONE]` ends the stream.
    EventData,
    /// One JSON value per line.
    JsonLines,
}

impl Framing {
    fn is_events(self) -> bool {
        matches!(self, Framing::EventStream | Framing::EventData)
    }
}

/// How long to wait before reconnecting to an event stream whose server sent no `retry:`.
const DEFAULT_RECONNECT_DELAY: std::time::Duration = std::time::Duration::from_secs(1);

/// Sends a streamed call again, giving the new response's body: the client the call came
/// from, as a function, so that streams need not know the client.
pub(crate) type Resend = Box<
    dyn Fn(
            super::request::Request,
        ) -> Pin<Box<dyn std::future::Future<Output = Result<Chunks, Error>> + Send>>
        + Send
        + Sync,
>;

/// The call an event stream came from, to reconnect to it when the connection breaks.
pub(crate) struct Resume {
    pub(crate) resend: Resend,
    pub(crate) request: super::request::Request,
    /// How many times to reconnect at most.
    pub(crate) attempts: u32,
}

impl std::fmt::Debug for Resume {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Resume")
            .field("request", &self.request)
            .field("attempts", &self.attempts)
            .finish_non_exhaustive()
    }
}

/// The decoded items of a streamed response body, in order. Ends when the server closes the
/// body; a transport failure or an item that does not decode is yielded as an error.
///
/// An event stream whose connection breaks after an event with an `id` is resumed: the call
/// is sent again with `Last-Event-ID`, after the server's `retry:` delay (1 s if it gave
/// none), as many times as the client's retry policy allows retries.
pub struct ItemStream<T> {
    inner: Pin<Box<dyn Stream<Item = Result<T, Error>> + Send>>,
}

impl<T> std::fmt::Debug for ItemStream<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ItemStream").finish_non_exhaustive()
    }
}

impl<T> Stream for ItemStream<T> {
    type Item = Result<T, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
    }
}

/// A response body read as it arrives (a download): its chunks, in order. Ends when the server
/// closes the body; a transport failure, or a server silent for longer than the client's
/// stream idle timeout, is yielded as an error and ends it.
pub struct ByteStream {
    inner: Pin<Box<dyn Stream<Item = Result<bytes::Bytes, Error>> + Send>>,
    length: Option<u64>,
}

impl std::fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ByteStream")
            .field("length", &self.length)
            .finish_non_exhaustive()
    }
}

impl Stream for ByteStream {
    type Item = Result<bytes::Bytes, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
    }
}

impl ByteStream {
    pub(crate) fn new(
        response: reqwest::Response,
        operation: &'static str,
        idle_timeout: std::time::Duration,
    ) -> Self {
        let length = response.content_length();
        let chunks = response.bytes_stream();
        let inner = stream::unfold(Some(chunks), move |chunks| async move {
            let mut chunks = chunks?;
            match tokio::time::timeout(idle_timeout, chunks.next()).await {
                Err(_) => Some((
                    Err(Error::Stalled {
                        operation,
                        after: idle_timeout,
                    }),
                    None,
                )),
                Ok(Some(Ok(bytes))) => Some((Ok(bytes), Some(chunks))),
                Ok(Some(Err(e))) => Some((
                    Err(Error::Transport {
                        operation,
                        stage: super::Stage::Streaming,
                        source: e.without_url(),
                    }),
                    None,
                )),
                Ok(None) => None,
            }
        });
        ByteStream {
            inner: Box::pin(inner),
            length,
        }
    }

    /// The body's size, when the server said (`Content-Length`).
    pub fn content_length(&self) -> Option<u64> {
        self.length
    }

    /// Reads the rest of the body into memory.
    pub async fn collect(mut self) -> Result<Vec<u8>, Error> {
        let mut out = Vec::with_capacity(self.length.unwrap_or(0).min(1 << 20) as usize);
        while let Some(chunk) = self.next().await {
            out.extend_from_slice(&chunk?);
        }
        Ok(out)
    }
}

/// The reading state: bytes not yet framed, and the event being assembled.
struct Reader {
    framing: Framing,
    operation: &'static str,
    status: StatusCode,
    pending: Vec<u8>,
    event: Event,
    /// The id of the last event dispatched, for resuming (`Last-Event-ID`).
    last_id: Option<String>,
    /// The server's reconnection delay (`retry:`).
    reconnect_delay: Option<std::time::Duration>,
    done: bool,
}

/// A server-sent event being assembled from its field lines.
#[derive(Default)]
struct Event {
    name: Option<String>,
    data: Option<String>,
    id: Option<String>,
    retry: Option<u64>,
}

pub(crate) type Chunks = Pin<Box<dyn Stream<Item = reqwest::Result<bytes::Bytes>> + Send>>;

impl<T: DeserializeOwned + Send + 'static> ItemStream<T> {
    pub(crate) fn new(
        response: reqwest::Response,
        framing: Framing,
        operation: &'static str,
        idle_timeout: std::time::Duration,
        resume: Option<Resume>,
    ) -> Self {
        let status = response.status();
        let reader = Reader {
            framing,
            operation,
            status,
            pending: Vec::new(),
            event: Event::default(),
            last_id: None,
            reconnect_delay: None,
            done: false,
        };
        let chunks: Chunks = Box::pin(response.bytes_stream());
        let resume = resume.filter(|_| framing.is_events());
        let items = stream::unfold(
            (chunks, reader, std::collections::VecDeque::new(), resume),
            move |(mut chunks, mut reader, mut ready, mut resume)| async move {
                loop {
                    if let Some(item) = ready.pop_front() {
                        return Some((item, (chunks, reader, ready, resume)));
                    }
                    if reader.done {
                        return None;
                    }
                    // A server that stops sending without closing would hold the stream open
                    // for ever.
                    let broken = match tokio::time::timeout(idle_timeout, chunks.next()).await {
                        Err(_) => Error::Stalled {
                            operation: reader.operation,
                            after: idle_timeout,
                        },
                        Ok(Some(Ok(bytes))) => {
                            reader.push(&bytes, &mut ready);
                            continue;
                        }
                        Ok(Some(Err(e))) => Error::Transport {
                            operation: reader.operation,
                            stage: super::Stage::Streaming,
                            source: e.without_url(),
                        },
                        Ok(None) => {
                            reader.finish(&mut ready);
                            reader.done = true;
                            continue;
                        }
                    };
                    match reconnect(&mut reader, resume.as_mut()).await {
                        Some(Ok(next)) => chunks = next,
                        Some(Err(error)) => {
                            reader.done = true;
                            ready.push_back(Err(error));
                        }
                        None => {
                            reader.done = true;
                            ready.push_back(Err(broken));
                        }
                    }
                }
            },
        );
        ItemStream {
            inner: Box::pin(items),
        }
    }
}

/// Sends an event stream's call again after its connection broke, asking for the events after
/// the last one seen. `None` when it cannot be resumed (no event id yet, or no attempts
/// left); the error of the new call when that fails.
async fn reconnect(
    reader: &mut Reader,
    resume: Option<&mut Resume>,
) -> Option<Result<Chunks, Error>> {
    let resume = resume?;
    let last_id = reader.last_id.clone()?;
    if resume.attempts == 0 {
        return None;
    }
    resume.attempts -= 1;
    let delay = reader.reconnect_delay.unwrap_or(DEFAULT_RECONNECT_DELAY);
    tracing::debug!(?delay, last_event_id = %last_id, "reconnecting to the event stream");
    tokio::time::sleep(delay).await;
    let request = &mut resume.request;
    request
        .headers
        .retain(|(name, _)| !name.eq_ignore_ascii_case("last-event-id"));
    request.headers.push(("Last-Event-ID".to_owned(), last_id));
    // A partly received event is dropped; the server sends it again.
    reader.pending.clear();
    reader.event = Event::default();
    Some((resume.resend)(request.clone()).await)
}

impl Reader {
    fn push<T: DeserializeOwned>(
        &mut self,
        bytes: &[u8],
        out: &mut std::collections::VecDeque<Result<T, Error>>,
    ) {
        self.pending.extend_from_slice(bytes);
        while let Some(end) = self.pending.iter().position(|&b| b == b'\n' || b == b'\r') {
            // A `\r\n` pair is one line break; wait for the `\n` if the `\r` ends the chunk.
            if self.pending[end] == b'\r' && end + 1 == self.pending.len() {
                break;
            }
            let skip = if self.pending[end] == b'\r' && self.pending.get(end + 1) == Some(&b'\n') {
                2
            } else {
                1
            };
            let line: Vec<u8> = self.pending.drain(..end + skip).take(end).collect();
            self.line(&String::from_utf8_lossy(&line), out);
        }
    }

    fn finish<T: DeserializeOwned>(
        &mut self,
        out: &mut std::collections::VecDeque<Result<T, Error>>,
    ) {
        if !self.pending.is_empty() {
            let line = String::from_utf8_lossy(&std::mem::take(&mut self.pending)).into_owned();
            self.line(&line, out);
        }
        if self.framing.is_events() {
            self.line("", out);
        }
    }

    fn line<T: DeserializeOwned>(
        &mut self,
        line: &str,
        out: &mut std::collections::VecDeque<Result<T, Error>>,
    ) {
        // Nothing counts after the end (`data: [DONE]`).
        if self.done {
            return;
        }
        match self.framing {
            Framing::JsonLines => {
                if !line.trim().is_empty() {
                    out.push_back(self.decode(line.as_bytes()));
                }
            }
            Framing::EventStream | Framing::EventData => {
                if line.is_empty() {
                    let event = std::mem::take(&mut self.event);
                    if let Some(id) = &event.id {
                        self.last_id = Some(id.clone());
                    }
                    let Some(data) = event.data else { return };
                    if self.framing == Framing::EventData {
                        if data.trim() == "[DONE]" {
                            self.done = true;
                        } else {
                            out.push_back(self.decode(data.as_bytes()));
                        }
                        return;
                    }
                    let mut object = serde_json::Map::new();
                    object.insert(
                        "event".into(),
                        event.name.unwrap_or_else(|| "message".into()).into(),
                    );
                    object.insert("data".into(), data.into());
                    if let Some(id) = event.id {
                        object.insert("id".into(), id.into());
                    }
                    if let Some(retry) = event.retry {
                        object.insert("retry".into(), retry.into());
                    }
                    let text = serde_json::Value::Object(object).to_string();
                    out.push_back(self.decode(text.as_bytes()));
                    return;
                }
                if line.starts_with(':') {
                    return;
                }
                let (field, value) = match line.split_once(':') {
                    Some((field, value)) => (field, value.strip_prefix(' ').unwrap_or(value)),
                    None => (line, ""),
                };
                match field {
                    "event" => self.event.name = Some(value.to_owned()),
                    "data" => match &mut self.event.data {
                        Some(data) => {
                            data.push('\n');
                            data.push_str(value);
                        }
                        None => self.event.data = Some(value.to_owned()),
                    },
                    "id" if !value.contains('\0') => self.event.id = Some(value.to_owned()),
                    "retry" => {
                        if let Ok(ms) = value.parse() {
                            self.event.retry = Some(ms);
                            self.reconnect_delay = Some(std::time::Duration::from_millis(ms));
                        }
                    }
                    _ => {}
                }
            }
        }
    }

    fn decode<T: DeserializeOwned>(&self, text: &[u8]) -> Result<T, Error> {
        let mut deserializer = serde_json::Deserializer::from_slice(text);
        serde_path_to_error::deserialize(&mut deserializer).map_err(|e| {
            Error::Decode(Box::new(DecodeError {
                operation: self.operation,
                status: self.status,
                path: super::decode::dollar_path(&e.path().to_string()),
                message: e.inner().to_string(),
                body: String::from_utf8_lossy(text).into_owned(),
                deviations: Vec::new(),
            }))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::VecDeque;

    /// A stream whose server stops sending (without closing) ends with `Stalled` after the
    /// idle timeout, having yielded what came before; and its headers-only call is not cut by
    /// the overall timeout, however long the stream lasts.
    #[tokio::test]
    async fn a_stalled_stream_is_detected() {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            let (mut socket, _) = listener.accept().await.unwrap();
            let mut buffer = [0u8; 4096];
            let _ = socket.read(&mut buffer).await;
            let head = "HTTP/1.1 200 OK\r\nContent-Type: application/jsonl\r\nTransfer-Encoding: chunked\r\n\r\n";
            socket.write_all(head.as_bytes()).await.unwrap();
            for _ in 0..3 {
                // Items keep coming for longer than the overall timeout...
                socket.write_all(b"8\r\n{\"a\":1}\n\r\n").await.unwrap();
                tokio::time::sleep(std::time::Duration::from_millis(150)).await;
            }
            // ...then nothing, with the connection open.
            tokio::time::sleep(std::time::Duration::from_secs(30)).await;
        });
        let client = super::super::ClientCore::builder()
            .base_url(format!("http://{addr}"))
            .timeout(std::time::Duration::from_millis(300))
            .stream_idle_timeout(std::time::Duration::from_millis(400))
            .build()
            .unwrap();
        let mut request = super::super::Request::new(reqwest::Method::GET, "/events", "events");
        request.push_path("/events");
        request.stream_response();
        let started = std::time::Instant::now();
        let response = client.execute(request).await.unwrap();
        let mut items = response
            .items::<serde_json::Value>(Framing::JsonLines)
            .unwrap()
            .into_body();
        for _ in 0..3 {
            assert_eq!(
                items.next().await.unwrap().unwrap(),
                serde_json::json!({"a": 1})
            );
        }
        let error = items.next().await.unwrap().unwrap_err();
        assert!(matches!(error, Error::Stalled { .. }), "{error:?}");
        assert!(error.is_timeout());
        assert!(
            items.next().await.is_none(),
            "the stream ends after the stall"
        );
        let took = started.elapsed();
        assert!(
            took >= std::time::Duration::from_millis(700)
                && took < std::time::Duration::from_secs(5),
            "{took:?}"
        );
    }

    fn read<T: DeserializeOwned>(framing: Framing, chunks: &[&str]) -> Vec<Result<T, Error>> {
        let mut reader = Reader {
            framing,
            operation: "op",
            status: StatusCode::OK,
            pending: Vec::new(),
            event: Event::default(),
            last_id: None,
            reconnect_delay: None,
            done: false,
        };
        let mut out = VecDeque::new();
        for chunk in chunks {
            reader.push(chunk.as_bytes(), &mut out);
        }
        reader.finish(&mut out);
        out.into_iter().collect()
    }

    #[test]
    fn json_lines_split_across_chunks() {
        let items: Vec<Result<serde_json::Value, Error>> =
            read(Framing::JsonLines, &["{\"a\":", "1}\r", "\n\n{\"a\":2}"]);
        let values: Vec<_> = items.into_iter().map(Result::unwrap).collect();
        assert_eq!(
            values,
            [serde_json::json!({"a": 1}), serde_json::json!({"a": 2})]
        );
    }

    #[test]
    fn server_sent_events_become_objects() {
        let items: Vec<Result<serde_json::Value, Error>> = read(
            Framing::EventStream,
            &[
                ": comment\nevent: delta\ndata: {\"x\":",
                "1}\ndata: more\nid: 7\n\n",
                "data: last",
            ],
        );
        let values: Vec<_> = items.into_iter().map(Result::unwrap).collect();
        assert_eq!(
            values,
            [
                serde_json::json!({"event": "delta", "data": "{\"x\":1}\nmore", "id": "7"}),
                serde_json::json!({"event": "message", "data": "last"}),
            ]
        );
    }

    #[test]
    fn an_item_that_does_not_decode_names_its_path() {
        let items: Vec<Result<Vec<u32>, Error>> = read(Framing::JsonLines, &["[1, \"x\"]\n"]);
        match &items[0] {
            Err(Error::Decode(e)) => assert_eq!(e.path, "$[1]"),
            other => panic!("{other:?}"),
        }
    }
}
