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

/// Splits a decoded page into its items and the link to the next page.
type Split<T> = Arc<dyn Fn(RawResponse) -> Result<(Vec<T>, Option<String>), Error> + Send + Sync>;

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
            response.json::<P>().map(|r| split(r.into_body()))
        });
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
                if let Some(link) = next {
                    match request.follow(&link, run.state.client.base_url()) {
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
