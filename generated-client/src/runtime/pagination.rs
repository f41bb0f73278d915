//! `Paginator`: every item of a paged list, as a stream.

use super::client::Client;
use super::error::Error;
use super::request::Request;
use super::response::RawResponse;
use futures::stream::{BoxStream, Stream, StreamExt};
use serde::de::DeserializeOwned;
use std::collections::{HashSet, VecDeque};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

/// Splits a decoded page into its items and the way to the next page.
type Split<T> = Arc<dyn Fn(RawResponse) -> Result<(Vec<T>, Option<Next>), Error> + Send + Sync>;

/// How the next page is asked for.
pub(crate) enum Next {
    /// Follow this link (a `next` URL or a `Link` header's target).
    Link(String),
    /// Send the same request with this query parameter set to this token.
    Query(&'static str, String),
    /// Send the same request with this counting query parameter advanced.
    Count(&'static str, Counter, usize),
}

/// What a counting query parameter counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Counter {
    /// Pages, from 1: the next page is one more.
    Page,
    /// Items, from 0: the next page starts after the items read.
    Offset,
}

/// Every item of a paged list, fetched page by page as the stream is polled.
///
/// It follows each page's `next` link (on the client's own host, so the credential never
/// goes elsewhere) until a page has none. If a link repeats one already followed, the stream
/// yields [`Error::Pagination`] and ends instead of looping. Any other error is yielded once
/// and ends the stream.
#[must_use = "streams do nothing unless polled"]
pub struct Paginator<T> {
    state: Option<State<T>>,
    stream: Option<BoxStream<'static, Result<T, Error>>>,
}

struct State<T> {
    client: Client,
    next: Option<Result<Request, Error>>,
    split: Split<T>,
    max_pages: Option<usize>,
}

impl<T: Send + 'static> Paginator<T> {
    /// A paginator starting with `first`; `split` takes a page apart.
    pub(crate) fn new<P: DeserializeOwned + 'static>(
        client: Client,
        first: Result<Request, Error>,
        split: fn(P) -> (Vec<T>, Option<String>),
    ) -> Self {
        let split: Split<T> = Arc::new(move |response: RawResponse| {
            response.json::<P>().map(|r| {
                let (items, next) = split(r.into_body());
                (items, next.map(Next::Link))
            })
        });
        Self::from_split(client, first, split)
    }

    /// A paginator for a list whose pages are linked by the `Link` header's `rel="next"`
    /// (RFC 8288), as GitHub's are; `split` takes a page's items (the body itself, or a field
    /// of it).
    pub(crate) fn with_link_header<P: DeserializeOwned + 'static>(
        client: Client,
        first: Result<Request, Error>,
        split: fn(P) -> Vec<T>,
    ) -> Self {
        let split: Split<T> = Arc::new(move |response: RawResponse| {
            let next = next_link(&response.headers).map(Next::Link);
            response.json::<P>().map(|r| (split(r.into_body()), next))
        });
        Self::from_split(client, first, split)
    }

    /// A paginator for a list whose pages carry a token for the next one, sent back as the
    /// query parameter `param`; `split` takes a page apart into its items and the token. An
    /// absent or empty token ends the list.
    pub(crate) fn with_cursor<P: DeserializeOwned + 'static>(
        client: Client,
        first: Result<Request, Error>,
        param: &'static str,
        split: fn(P) -> (Vec<T>, Option<String>),
    ) -> Self {
        let split: Split<T> = Arc::new(move |response: RawResponse| {
            response.json::<P>().map(|r| {
                let (items, token) = split(r.into_body());
                let next = token
                    .filter(|t| !t.is_empty())
                    .map(|t| Next::Query(param, t));
                (items, next)
            })
        });
        Self::from_split(client, first, split)
    }

    /// A paginator for a list counted by the query parameter `param` (a page number or an
    /// offset); `split` takes a page's items. An empty page ends the list.
    pub(crate) fn with_counter<P: DeserializeOwned + 'static>(
        client: Client,
        first: Result<Request, Error>,
        param: &'static str,
        counter: Counter,
        split: fn(P) -> Vec<T>,
    ) -> Self {
        let split: Split<T> = Arc::new(move |response: RawResponse| {
            response.json::<P>().map(|r| {
                let items = split(r.into_body());
                let next = (!items.is_empty()).then_some(Next::Count(param, counter, items.len()));
                (items, next)
            })
        });
        Self::from_split(client, first, split)
    }

    fn from_split(client: Client, first: Result<Request, Error>, split: Split<T>) -> Self {
        Paginator {
            state: Some(State {
                client,
                next: Some(first),
                split,
                max_pages: None,
            }),
            stream: None,
        }
    }

    /// Stops after `pages` pages, even if there are more.
    pub fn max_pages(mut self, pages: usize) -> Self {
        if let Some(state) = &mut self.state {
            state.max_pages = Some(pages);
        }
        self
    }

    fn start(state: State<T>) -> BoxStream<'static, Result<T, Error>> {
        struct Run<T> {
            state: State<T>,
            items: VecDeque<T>,
            pages: usize,
            seen: HashSet<String>,
            pending_error: Option<Error>,
        }
        let run = Run {
            state,
            items: VecDeque::new(),
            pages: 0,
            seen: HashSet::new(),
            pending_error: None,
        };
        futures::stream::unfold(run, |mut run| async move {
            loop {
                if let Some(item) = run.items.pop_front() {
                    return Some((Ok(item), run));
                }
                if let Some(error) = run.pending_error.take() {
                    run.state.next = None;
                    return Some((Err(error), run));
                }
                if run.state.max_pages.is_some_and(|max| run.pages >= max) {
                    return None;
                }
                let request = match run.state.next.take()? {
                    Ok(request) => request,
                    Err(error) => return Some((Err(error), run)),
                };
                run.seen.insert(request.key());
                let page = match run.state.client.execute(request.clone()).await {
                    Ok(response) => (run.state.split)(response),
                    Err(error) => Err(error),
                };
                let (items, next) = match page {
                    Ok(page) => page,
                    Err(error) => return Some((Err(error), run)),
                };
                run.pages += 1;
                run.items.extend(items);
                if let Some(next) = next {
                    let next = match next {
                        Next::Link(link) => request.follow(&link, run.state.client.base_url()),
                        Next::Query(param, token) => Ok(request.with_query(param, token)),
                        Next::Count(param, counter, read) => {
                            let current = request
                                .query_value(param)
                                .and_then(|v| v.parse::<u64>().ok());
                            let next = match counter {
                                Counter::Page => current.unwrap_or(1) + 1,
                                Counter::Offset => current.unwrap_or(0) + read as u64,
                            };
                            Ok(request.with_query(param, next.to_string()))
                        }
                    };
                    match next {
                        Ok(next) if run.seen.contains(&next.key()) => {
                            run.pending_error = Some(Error::Pagination {
                                operation: request.operation,
                                message: format!(
                                    "the next-page link `{}` repeats a page already read",
                                    next.key()
                                ),
                            });
                        }
                        Ok(next) => run.state.next = Some(Ok(next)),
                        Err(error) => run.pending_error = Some(error),
                    }
                }
            }
        })
        .boxed()
    }
}

/// The target of the first `rel="next"` link of the `Link` headers:
/// `<https://api.github.com/repos?page=2>; rel="next", <...>; rel="last"`. A link may have
/// several relation types (`rel="next last"`), quoted or not.
pub(crate) fn next_link(headers: &reqwest::header::HeaderMap) -> Option<String> {
    headers
        .get_all(reqwest::header::LINK)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .find_map(|link| {
            let (target, params) = link.trim().strip_prefix('<')?.split_once('>')?;
            let is_next = params.split(';').any(|param| {
                let Some((name, value)) = param.split_once('=') else {
                    return false;
                };
                name.trim().eq_ignore_ascii_case("rel")
                    && value
                        .trim()
                        .trim_matches('"')
                        .split_ascii_whitespace()
                        .any(|rel| rel.eq_ignore_ascii_case("next"))
            });
            is_next.then(|| target.trim().to_owned())
        })
}

impl<T: Send + 'static> Stream for Paginator<T> {
    type Item = Result<T, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if self.stream.is_none() {
            let state = self
                .state
                .take()
                .expect("a paginator holds its state until first polled");
            self.stream = Some(Self::start(state));
        }
        self.stream
            .as_mut()
            .expect("just set")
            .as_mut()
            .poll_next(cx)
    }
}

impl<T> std::fmt::Debug for Paginator<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Paginator")
            .field("started", &self.stream.is_some())
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::{HeaderMap, HeaderValue, LINK};

    fn link(values: &[&str]) -> Option<String> {
        let mut headers = HeaderMap::new();
        for value in values {
            headers.append(LINK, HeaderValue::from_str(value).unwrap());
        }
        next_link(&headers)
    }

    #[test]
    fn the_next_link_is_found_in_any_form() {
        let github = r#"<https://api.github.com/user/repos?page=3&per_page=100>; rel="next", <https://api.github.com/user/repos?page=50&per_page=100>; rel="last""#;
        assert_eq!(
            link(&[github]).as_deref(),
            Some("https://api.github.com/user/repos?page=3&per_page=100")
        );
        assert_eq!(
            link(&["</b?page=2>; rel=next"]).as_deref(),
            Some("/b?page=2")
        );
        assert_eq!(
            link(&[r#"</p2>; title="x"; rel="next last""#]).as_deref(),
            Some("/p2")
        );
        assert_eq!(
            link(&[r#"</p0>; rel="prev""#, r#"</p2>; REL="Next""#]).as_deref(),
            Some("/p2")
        );
        assert_eq!(link(&[r#"</p9>; rel="last""#]), None);
        assert_eq!(link(&[]), None);
        assert_eq!(link(&["garbage"]), None);
    }

    #[derive(serde::Deserialize)]
    struct TokenPage {
        items: Vec<i64>,
        #[serde(rename = "nextPageToken")]
        next_page_token: Option<String>,
    }

    /// A page token is sent back as the query parameter until a page has none (or an empty
    /// one); the other parameters stay.
    #[tokio::test]
    async fn a_list_with_page_tokens_streams_every_item() {
        use wiremock::matchers::{method, path, query_param};
        use wiremock::{Mock, MockServer, ResponseTemplate};
        let server = MockServer::start().await;
        for (token, body) in [
            (
                "t2",
                serde_json::json!({"items": [3], "nextPageToken": "t3"}),
            ),
            ("t3", serde_json::json!({"items": [4], "nextPageToken": ""})),
        ] {
            Mock::given(method("GET"))
                .and(path("/logs"))
                .and(query_param("pageToken", token))
                .and(query_param("filter", "x"))
                .respond_with(ResponseTemplate::new(200).set_body_json(body))
                .mount(&server)
                .await;
        }
        Mock::given(method("GET"))
            .and(path("/logs"))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(serde_json::json!({"items": [1, 2], "nextPageToken": "t2"})),
            )
            .with_priority(10)
            .mount(&server)
            .await;
        let client = Client::builder().base_url(server.uri()).build().unwrap();
        let mut request = Request::new(reqwest::Method::GET, "/logs", "logs_list");
        request.push_path("/logs");
        request.query("filter", "x");
        let items: Vec<i64> =
            Paginator::<i64>::with_cursor(client, Ok(request), "pageToken", |page: TokenPage| {
                (page.items, page.next_page_token)
            })
            .map(Result::unwrap)
            .collect()
            .await;
        assert_eq!(items, [1, 2, 3, 4]);
    }

    /// A page number counts up from the first page (1 when not asked for), an offset by the
    /// items read (from 0); an empty page ends the list.
    #[tokio::test]
    async fn lists_counted_by_page_number_or_offset_stream_every_item() {
        use wiremock::matchers::{method, path, query_param};
        use wiremock::{Mock, MockServer, ResponseTemplate};
        for (param, counter, later) in [
            ("page", Counter::Page, [("2", "[3]"), ("3", "[]")]),
            ("offset", Counter::Offset, [("2", "[3]"), ("3", "[]")]),
        ] {
            let server = MockServer::start().await;
            for (value, body) in later {
                Mock::given(method("GET"))
                    .and(path("/rows"))
                    .and(query_param(param, value))
                    .respond_with(ResponseTemplate::new(200).set_body_string(body))
                    .expect(1)
                    .mount(&server)
                    .await;
            }
            // The first page: the request does not name one.
            Mock::given(method("GET"))
                .and(path("/rows"))
                .respond_with(ResponseTemplate::new(200).set_body_string("[1, 2]"))
                .with_priority(10)
                .expect(1)
                .mount(&server)
                .await;
            let client = Client::builder().base_url(server.uri()).build().unwrap();
            let mut request = Request::new(reqwest::Method::GET, "/rows", "rows_list");
            request.push_path("/rows");
            let items: Vec<i64> = Paginator::<i64>::with_counter(
                client,
                Ok(request),
                param,
                counter,
                |page: Vec<i64>| page,
            )
            .map(Result::unwrap)
            .collect()
            .await;
            assert_eq!(items, [1, 2, 3], "{param}");
            server.verify().await;
        }
    }

    /// Pages linked by `Link` headers are followed to the end, every item once.
    #[tokio::test]
    async fn a_list_linked_by_link_headers_streams_every_item() {
        use wiremock::matchers::{method, path, query_param};
        use wiremock::{Mock, MockServer, ResponseTemplate};
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path("/items"))
            .and(query_param("page", "2"))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(serde_json::json!([3]))
                    .insert_header("Link", r#"</items?page=1>; rel="first""#),
            )
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path("/items"))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(serde_json::json!([1, 2]))
                    .insert_header(
                        "Link",
                        format!(r#"<{}/items?page=2>; rel="next""#, server.uri()).as_str(),
                    ),
            )
            .with_priority(10)
            .mount(&server)
            .await;
        let client = Client::builder().base_url(server.uri()).build().unwrap();
        let mut request = Request::new(reqwest::Method::GET, "/items", "items_list");
        request.push_path("/items");
        let items: Vec<i64> =
            Paginator::<i64>::with_link_header(client, Ok(request), |page: Vec<i64>| page)
                .map(Result::unwrap)
                .collect()
                .await;
        assert_eq!(items, [1, 2, 3]);
    }
}
