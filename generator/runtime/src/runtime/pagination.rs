//! `Paginator`: every item of a paged list, as a stream.

use super::client::ClientCore;
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
type Split<T> = Arc<dyn Fn(RawResponse) -> Result<Page<T>, Error> + Send + Sync>;

/// One page, taken apart.
pub(crate) struct Page<T> {
    items: Vec<T>,
    next: Option<Next>,
    /// How long the whole list is, when the page says.
    total: Option<Totals>,
}

impl<T> Page<T> {
    fn new(items: Vec<T>, next: Option<Next>) -> Self {
        Page {
            items,
            next,
            total: None,
        }
    }
}

/// How the next page is asked for.
pub(crate) enum Next {
    /// Follow this link (a `next` URL or a `Link` header's target).
    Link(String),
    /// Send the same request with this query parameter set to this token.
    Query(&'static str, String),
    /// Send the same request with this counter advanced (a query parameter, or a field of
    /// the JSON body), after a page of this many items.
    Count(&'static str, Counter, Place, usize),
}

/// Where a counter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Place {
    Query,
    /// A field of the JSON request body (Prefect's `POST /flows/paginate {"page": 2}`).
    Body,
}

/// What a counting query parameter counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[doc(hidden)]
pub enum Counter {
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
    client: ClientCore,
    next: Option<Result<Request, Error>>,
    split: Split<T>,
    max_pages: Option<usize>,
}

impl<T: Send + 'static> Paginator<T> {
    /// A paginator starting with `first`; `split` takes a page apart.
    #[doc(hidden)]
    pub fn new<P: DeserializeOwned + 'static>(
        client: ClientCore,
        first: Result<Request, Error>,
        split: fn(P) -> (Vec<T>, Option<String>),
    ) -> Self {
        let split: Split<T> = Arc::new(move |response: RawResponse| {
            response.json::<P>().map(|r| {
                let (items, next) = split(r.into_body());
                Page::new(items, next.map(Next::Link))
            })
        });
        Self::from_split(client, first, split)
    }

    /// A paginator for a list whose pages are linked by the `Link` header's `rel="next"`
    /// (RFC 8288), as GitHub's are; `split` takes a page's items (the body itself, or a field
    /// of it).
    #[doc(hidden)]
    pub fn with_link_header<P: DeserializeOwned + 'static>(
        client: ClientCore,
        first: Result<Request, Error>,
        split: fn(P) -> Vec<T>,
    ) -> Self {
        let split: Split<T> = Arc::new(move |response: RawResponse| {
            let next = next_link(&response.headers).map(Next::Link);
            response
                .json::<P>()
                .map(|r| Page::new(split(r.into_body()), next))
        });
        Self::from_split(client, first, split)
    }

    /// A paginator for a list whose pages carry a token for the next one, sent back as the
    /// query parameter `param`; `split` takes a page apart into its items and the token. An
    /// absent or empty token ends the list.
    #[doc(hidden)]
    pub fn with_cursor<P: DeserializeOwned + 'static>(
        client: ClientCore,
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
                Page::new(items, next)
            })
        });
        Self::from_split(client, first, split)
    }

    /// A paginator for a list counted by the query parameter `param` (a page number or an
    /// offset); `split` takes a page's items. See [`Paginator::counted`] for its end.
    #[doc(hidden)]
    pub fn with_counter<P: DeserializeOwned + 'static>(
        client: ClientCore,
        first: Result<Request, Error>,
        param: &'static str,
        counter: Counter,
        split: fn(P) -> Vec<T>,
    ) -> Self {
        Self::counted(client, first, param, counter, Place::Query, split)
    }

    /// [`Paginator::with_counter`] for a counter in the JSON request body.
    pub(crate) fn with_body_counter<P: DeserializeOwned + 'static>(
        client: ClientCore,
        first: Result<Request, Error>,
        field: &'static str,
        counter: Counter,
        split: fn(P) -> Vec<T>,
    ) -> Self {
        Self::counted(client, first, field, counter, Place::Body, split)
    }

    /// A paginator for a list counted by `param`; `split` takes a page's items. The list
    /// ends the way servers end such lists: with an empty page, a page shorter than the page
    /// size (or than the pages before it), once the items read reach the total a page gives
    /// (`count`, `total`, `total_count`, `totalCount`) or the page number its number of pages
    /// (`pages`), or with a `404` for the page after the last (Django REST framework's
    /// `Invalid page.`).
    fn counted<P: DeserializeOwned + 'static>(
        client: ClientCore,
        first: Result<Request, Error>,
        param: &'static str,
        counter: Counter,
        place: Place,
        split: fn(P) -> Vec<T>,
    ) -> Self {
        let split: Split<T> = Arc::new(move |response: RawResponse| {
            let total = list_total(&response.body);
            response.json::<P>().map(|r| {
                let items = split(r.into_body());
                let next =
                    (!items.is_empty()).then_some(Next::Count(param, counter, place, items.len()));
                Page { items, next, total }
            })
        });
        Self::from_split(client, first, split)
    }

    fn from_split(client: ClientCore, first: Result<Request, Error>, split: Split<T>) -> Self {
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
            /// The most items one page held.
            longest_page: usize,
            /// Whether the request in flight is a page the client counted to itself, rather
            /// than one the server linked to.
            counted: bool,
        }
        let run = Run {
            state,
            items: VecDeque::new(),
            pages: 0,
            seen: HashSet::new(),
            pending_error: None,
            longest_page: 0,
            counted: false,
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
                    // The page after the last, which some servers answer with 404 rather
                    // than an empty page: the list has ended.
                    Err(error) if run.pages > 0 && past_the_end(&error, run.counted) => {
                        return None
                    }
                    Err(error) => Err(error),
                };
                let Page { items, next, total } = match page {
                    Ok(page) => page,
                    Err(error) => return Some((Err(error), run)),
                };
                run.pages += 1;
                let count = items.len();
                run.items.extend(items);
                // A counted list also ends with a short page or at its total.
                let next = match next {
                    Some(Next::Count(param, counter, place, read)) => {
                        let page_size = page_size(&request).unwrap_or(run.longest_page);
                        let short = count < page_size;
                        run.longest_page = run.longest_page.max(count);
                        // Where in the whole list this page ends.
                        let current = counter_value(&request, param, place);
                        let page = current.unwrap_or(1);
                        let through = match counter {
                            Counter::Offset => current.unwrap_or(0) + count as u64,
                            Counter::Page => page * run.longest_page as u64,
                        };
                        let reached = total.is_some_and(|t| {
                            t.items.is_some_and(|items| through >= items)
                                || (counter == Counter::Page && t.pages.is_some_and(|p| page >= p))
                        });
                        (!short && !reached).then_some(Next::Count(param, counter, place, read))
                    }
                    other => other,
                };
                run.counted = matches!(next, Some(Next::Count(..)));
                if let Some(next) = next {
                    let next = match next {
                        Next::Link(link) => request.follow(&link, run.state.client.base_url()),
                        Next::Query(param, token) => Ok(request.with_query(param, token)),
                        Next::Count(param, counter, place, read) => {
                            let current = counter_value(&request, param, place);
                            let next = match counter {
                                Counter::Page => current.unwrap_or(1) + 1,
                                Counter::Offset => current.unwrap_or(0) + read as u64,
                            };
                            match place {
                                Place::Query => Ok(request.with_query(param, next.to_string())),
                                Place::Body => request.with_body_field(param, next),
                            }
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

/// Whether an error for a page after the first means the list has ended: a `404` for a page
/// the client counted to (a page number past the last), or a `400`/`404` whose message says
/// the page is invalid (Django REST framework's `Invalid page.`). A `404` for a page the
/// server linked to is an error: the list changed under the stream.
fn past_the_end(error: &Error, counted: bool) -> bool {
    let Some(api) = error.api() else {
        return false;
    };
    let invalid_page = api.message().to_ascii_lowercase().contains("invalid page");
    let not_found = api.status == reqwest::StatusCode::NOT_FOUND;
    (not_found && counted)
        || ((not_found || api.status == reqwest::StatusCode::BAD_REQUEST) && invalid_page)
}

/// The current value of a counter.
fn counter_value(request: &Request, param: &str, place: Place) -> Option<u64> {
    match place {
        Place::Query => request.query_value(param)?.parse().ok(),
        Place::Body => request.body_field(param)?.as_u64(),
    }
}

/// The page size a request asks for, from its query or JSON body (`limit`, `page_size`,
/// `per_page`, `pageSize`, `size`).
fn page_size(request: &Request) -> Option<usize> {
    [
        "limit",
        "page_size",
        "per_page",
        "pageSize",
        "perPage",
        "size",
    ]
    .iter()
    .find_map(|name| {
        let from_query = request.query_value(name).and_then(|v| v.parse().ok());
        from_query.or_else(|| Some(request.body_field(name)?.as_u64()? as usize))
    })
}

/// How long a whole list is, as one of its pages says.
#[derive(Debug, Clone, Copy, Default)]
struct Totals {
    /// Items: a top-level integer `count`, `total`, `total_count`, `totalCount` or
    /// `total_results`.
    items: Option<u64>,
    /// Pages: a top-level integer `pages`, `total_pages` or `totalPages`.
    pages: Option<u64>,
}

fn list_total(body: &[u8]) -> Option<Totals> {
    #[derive(serde::Deserialize)]
    struct Fields {
        count: Option<serde_json::Value>,
        total: Option<serde_json::Value>,
        total_count: Option<serde_json::Value>,
        #[serde(rename = "totalCount")]
        total_count_camel: Option<serde_json::Value>,
        total_results: Option<serde_json::Value>,
        pages: Option<serde_json::Value>,
        total_pages: Option<serde_json::Value>,
        #[serde(rename = "totalPages")]
        total_pages_camel: Option<serde_json::Value>,
    }
    let fields: Fields = serde_json::from_slice(body).ok()?;
    let first = |values: Vec<Option<serde_json::Value>>| {
        values.into_iter().flatten().find_map(|v| v.as_u64())
    };
    Some(Totals {
        items: first(vec![
            fields.count,
            fields.total,
            fields.total_count,
            fields.total_count_camel,
            fields.total_results,
        ]),
        pages: first(vec![
            fields.pages,
            fields.total_pages,
            fields.total_pages_camel,
        ]),
    })
}

/// The target of the first `rel="next"` link of the `Link` headers:
/// `<https://api.github.com/repos?page=2>; rel="next", <...>; rel="last"`. A link may have
/// several relation types (`rel="next last"`), quoted or not. Without one, a `Next-Page`
/// header's URL (Kinto's, and other Cornice servers').
pub(crate) fn next_link(headers: &reqwest::header::HeaderMap) -> Option<String> {
    rel_next(headers).or_else(|| {
        headers
            .get("next-page")
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
    })
}

fn rel_next(headers: &reqwest::header::HeaderMap) -> Option<String> {
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
    use wiremock::ResponseTemplate;

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
        // Kinto: the next page's URL on its own.
        let mut headers = HeaderMap::new();
        headers.insert(
            "Next-Page",
            HeaderValue::from_static("http://127.0.0.1:8888/v1/buckets?_limit=2&_token=abc"),
        );
        assert_eq!(
            next_link(&headers).as_deref(),
            Some("http://127.0.0.1:8888/v1/buckets?_limit=2&_token=abc")
        );
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
        let client = ClientCore::builder()
            .base_url(server.uri())
            .build()
            .unwrap();
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

    /// Serves `pages` of a list counted by `param` (the first when the request names none,
    /// then by value), answering any other page with `past_end`, and streams it.
    async fn stream_counted(
        param: &'static str,
        counter: Counter,
        pages: &[(&str, &str)],
        past_end: ResponseTemplate,
        limit: Option<u32>,
    ) -> (Vec<Result<i64, Error>>, usize) {
        use wiremock::matchers::{method, path, query_param};
        use wiremock::{Mock, MockServer};
        let server = MockServer::start().await;
        if let Some((first, later)) = pages.split_first() {
            for (value, body) in later {
                Mock::given(method("GET"))
                    .and(path("/rows"))
                    .and(query_param(param, *value))
                    .respond_with(ResponseTemplate::new(200).set_body_string(*body))
                    .mount(&server)
                    .await;
            }
            Mock::given(method("GET"))
                .and(path("/rows"))
                .and(wiremock::matchers::query_param_is_missing(param))
                .respond_with(ResponseTemplate::new(200).set_body_string(first.1))
                .mount(&server)
                .await;
        }
        Mock::given(method("GET"))
            .and(path("/rows"))
            .respond_with(past_end)
            .with_priority(10)
            .mount(&server)
            .await;
        let client = ClientCore::builder()
            .base_url(server.uri())
            .max_retries(0)
            .build()
            .unwrap();
        let mut request = Request::new(reqwest::Method::GET, "/rows", "rows_list");
        request.push_path("/rows");
        if let Some(limit) = limit {
            request.query("limit", &limit);
        }
        #[derive(serde::Deserialize)]
        #[serde(untagged)]
        enum Rows {
            Bare(Vec<i64>),
            Wrapped { results: Vec<i64> },
        }
        let items =
            Paginator::<i64>::with_counter(client, Ok(request), param, counter, |page: Rows| {
                match page {
                    Rows::Bare(items) | Rows::Wrapped { results: items } => items,
                }
            })
            .collect()
            .await;
        let requests = server.received_requests().await.unwrap().len();
        (items, requests)
    }

    fn ok(items: Vec<Result<i64, Error>>) -> Vec<i64> {
        items.into_iter().map(Result::unwrap).collect()
    }

    /// A page number counts up from the first page (1 when not asked for), an offset by the
    /// items read (from 0); an empty page ends the list.
    #[tokio::test]
    async fn a_counted_list_ends_with_an_empty_page() {
        let empty = || ResponseTemplate::new(200).set_body_string("[]");
        let (items, requests) = stream_counted(
            "page",
            Counter::Page,
            &[("1", "[1, 2]"), ("2", "[3, 4]")],
            empty(),
            None,
        )
        .await;
        assert_eq!((ok(items), requests), (vec![1, 2, 3, 4], 3));
        let (items, requests) = stream_counted(
            "offset",
            Counter::Offset,
            &[("0", "[1, 2]"), ("2", "[3, 4]")],
            empty(),
            None,
        )
        .await;
        assert_eq!((ok(items), requests), (vec![1, 2, 3, 4], 3));
    }

    /// A page shorter than the pages before it, or than the page size asked for, is the last.
    #[tokio::test]
    async fn a_counted_list_ends_with_a_short_page() {
        let never = || ResponseTemplate::new(500);
        let (items, requests) = stream_counted(
            "page",
            Counter::Page,
            &[("1", "[1, 2]"), ("2", "[3]")],
            never(),
            None,
        )
        .await;
        assert_eq!((ok(items), requests), (vec![1, 2, 3], 2));
        let (items, requests) =
            stream_counted("page", Counter::Page, &[("1", "[1, 2]")], never(), Some(3)).await;
        assert_eq!((ok(items), requests), (vec![1, 2], 1));
    }

    /// A page that gives the list's total ends it once that many items are read.
    #[tokio::test]
    async fn a_counted_list_ends_at_its_total() {
        let never = || ResponseTemplate::new(500);
        let pages = [
            ("1", r#"{"count": 4, "results": [1, 2]}"#),
            ("2", r#"{"count": 4, "results": [3, 4]}"#),
        ];
        let (items, requests) = stream_counted("page", Counter::Page, &pages, never(), None).await;
        assert_eq!((ok(items), requests), (vec![1, 2, 3, 4], 2));
    }

    /// Django REST framework answers the page after the last with `404 {"detail": "Invalid
    /// page."}`: the stream ends there, every item delivered, no error.
    #[tokio::test]
    async fn a_counted_list_ends_with_a_404_past_the_last_page() {
        let invalid = || {
            ResponseTemplate::new(404).set_body_json(serde_json::json!({"detail": "Invalid page."}))
        };
        let (items, requests) = stream_counted(
            "page",
            Counter::Page,
            &[("1", "[1, 2]"), ("2", "[3, 4]")],
            invalid(),
            None,
        )
        .await;
        assert_eq!((ok(items), requests), (vec![1, 2, 3, 4], 3));
        // A 404 for the first page is the caller's error, not an empty list.
        let (items, _) = stream_counted("page", Counter::Page, &[], invalid(), None).await;
        assert!(
            matches!(&items[..], [Err(e)] if e.is_not_found()),
            "{items:?}"
        );
    }

    /// Prefect's lists: `POST /flows/paginate {"page": 1, "limit": 2}` answering
    /// `{"results": [...], "page": 1, "pages": 2}`; the page number is the body's, and the
    /// list ends at its last page.
    #[tokio::test]
    async fn a_list_counted_in_the_request_body_ends_at_its_last_page() {
        use wiremock::matchers::{body_partial_json, method, path};
        use wiremock::{Mock, MockServer};
        let server = MockServer::start().await;
        let flows = |page: i64, results: [i64; 2]| {
            ResponseTemplate::new(200).set_body_json(
                serde_json::json!({"results": results, "count": 4, "page": page, "pages": 2}),
            )
        };
        Mock::given(method("POST"))
            .and(path("/flows/paginate"))
            .and(body_partial_json(
                serde_json::json!({"page": 2, "limit": 2, "sort": "NAME"}),
            ))
            .respond_with(flows(2, [3, 4]))
            .expect(1)
            .mount(&server)
            .await;
        // The first request names no page: the server's first.
        Mock::given(method("POST"))
            .and(path("/flows/paginate"))
            .and(body_partial_json(
                serde_json::json!({"limit": 2, "sort": "NAME"}),
            ))
            .respond_with(flows(1, [1, 2]))
            .with_priority(10)
            .expect(1)
            .mount(&server)
            .await;
        let client = ClientCore::builder()
            .base_url(server.uri())
            .build()
            .unwrap();
        let mut request = Request::new(reqwest::Method::POST, "/flows/paginate", "paginate");
        request.push_path("/flows/paginate");
        request.json(&serde_json::json!({"limit": 2, "sort": "NAME"}));
        #[derive(serde::Deserialize)]
        struct Flows {
            results: Vec<i64>,
        }
        let items: Vec<i64> = Paginator::<i64>::with_body_counter(
            client,
            request.finish(),
            "page",
            Counter::Page,
            |page: Flows| page.results,
        )
        .map(Result::unwrap)
        .collect()
        .await;
        assert_eq!(items, [1, 2, 3, 4]);
        server.verify().await;
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
        let client = ClientCore::builder()
            .base_url(server.uri())
            .build()
            .unwrap();
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
