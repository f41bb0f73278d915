//! Every pagination pattern the generator detects, streamed from a local server: each test
//! serves three pages the way the API in question links them and checks that the stream
//! yields every item once, in order, and stops where that API says the list ends.

use fixture_wire::Client;
use futures::TryStreamExt;
use serde_json::{json, Value};
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .api_key("key")
        .build()
        .unwrap()
}

fn things(names: &[&str]) -> Value {
    Value::Array(names.iter().map(|n| json!({ "name": n })).collect())
}

/// Serves `body` at `route` when the query parameter `param` is `value` (absent for `None`).
async fn page(
    server: &MockServer,
    route: &str,
    param: &str,
    value: Option<&str>,
    response: ResponseTemplate,
) {
    let mock = Mock::given(method("GET")).and(path(route));
    let mock = match value {
        Some(value) => mock.and(query_param(param, value)),
        None => mock.and(query_param_is_missing(param)),
    };
    mock.respond_with(response).expect(1).mount(server).await;
}

fn json_page(body: Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(body)
}

fn names(items: &[fixture_wire::models::Thing]) -> Vec<&str> {
    items.iter().map(|t| t.name.as_str()).collect()
}

/// GitHub: the body is the list; `Link: <...>; rel="next"` points at the next page.
#[tokio::test]
async fn link_header_on_a_bare_list() {
    let server = MockServer::start().await;
    let uri = server.uri();
    let linked = |body: Value, next: Option<&str>| {
        let mut response = json_page(body);
        if let Some(next) = next {
            response = response.insert_header(
                "link",
                format!("<{uri}/events?per_page=2&page={next}>; rel=\"next\", <{uri}/events?page=9>; rel=\"last\""),
            );
        }
        response
    };
    page(
        &server,
        "/events",
        "page",
        None,
        linked(things(&["a", "b"]), Some("2")),
    )
    .await;
    page(
        &server,
        "/events",
        "page",
        Some("2"),
        linked(things(&["c", "d"]), Some("3")),
    )
    .await;
    page(
        &server,
        "/events",
        "page",
        Some("3"),
        linked(things(&["e"]), None),
    )
    .await;
    let items: Vec<_> = client(&server)
        .events()
        .list_events()
        .per_page(2)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(names(&items), ["a", "b", "c", "d", "e"]);
}

/// GitHub's wrapped lists: `{total_count, repositories: [...]}`, linked by the header.
#[tokio::test]
async fn link_header_on_a_page_object() {
    let server = MockServer::start().await;
    let uri = server.uri();
    let linked = |items: &[&str], next: Option<&str>| {
        let mut response = json_page(json!({"total_count": 3, "repositories": things(items)}));
        if let Some(next) = next {
            response = response.insert_header(
                "link",
                format!("<{uri}/installation/repositories?page={next}>; rel=\"next\""),
            );
        }
        response
    };
    page(
        &server,
        "/installation/repositories",
        "page",
        None,
        linked(&["a"], Some("2")),
    )
    .await;
    page(
        &server,
        "/installation/repositories",
        "page",
        Some("2"),
        linked(&["b", "c"], None),
    )
    .await;
    let items: Vec<_> = client(&server)
        .installation()
        .list_installation_repositories()
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(names(&items), ["a", "b", "c"]);
}

/// Google: `nextPageToken` in the page, sent back as `pageToken`; no token ends the list.
#[tokio::test]
async fn cursor_token_field() {
    let server = MockServer::start().await;
    let logs = |items: &[&str], token: Option<&str>| {
        let mut body = json!({"entries": things(items)});
        if let Some(token) = token {
            body["nextPageToken"] = json!(token);
        }
        json_page(body)
    };
    page(
        &server,
        "/logs",
        "pageToken",
        None,
        logs(&["a", "b"], Some("t1")),
    )
    .await;
    page(
        &server,
        "/logs",
        "pageToken",
        Some("t1"),
        logs(&["c"], Some("t2")),
    )
    .await;
    page(
        &server,
        "/logs",
        "pageToken",
        Some("t2"),
        logs(&["d"], None),
    )
    .await;
    let items: Vec<_> = client(&server)
        .logs()
        .list_logs()
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(names(&items), ["a", "b", "c", "d"]);
}

/// Slack: `response_metadata.next_cursor`, sent back as `cursor`; an empty cursor ends it.
#[tokio::test]
async fn cursor_inside_an_object_of_the_page() {
    let server = MockServer::start().await;
    let conversations = |items: &[&str], cursor: &str| {
        json_page(json!({
            "ok": true,
            "channels": things(items),
            "response_metadata": {"next_cursor": cursor},
        }))
    };
    let route = "/conversations.list";
    page(
        &server,
        route,
        "cursor",
        None,
        conversations(&["a"], "dGVhbTpD"),
    )
    .await;
    page(
        &server,
        route,
        "cursor",
        Some("dGVhbTpD"),
        conversations(&["b", "c"], ""),
    )
    .await;
    let items: Vec<_> = client(&server)
        .conversations()
        .list_conversations()
        .limit(2)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(names(&items), ["a", "b", "c"]);
}

/// Stripe: `has_more`, and the next page `starting_after` the last item's id.
#[tokio::test]
async fn after_the_last_item() {
    let server = MockServer::start().await;
    let customers = |ids: &[&str], has_more: bool| {
        let data: Vec<Value> = ids.iter().map(|id| json!({"id": id})).collect();
        json_page(
            json!({"data": data, "has_more": has_more, "object": "list", "url": "/v1/customers"}),
        )
    };
    let route = "/v1/customers";
    page(
        &server,
        route,
        "starting_after",
        None,
        customers(&["cus_1", "cus_2"], true),
    )
    .await;
    page(
        &server,
        route,
        "starting_after",
        Some("cus_2"),
        customers(&["cus_3"], true),
    )
    .await;
    page(
        &server,
        route,
        "starting_after",
        Some("cus_3"),
        customers(&["cus_4"], false),
    )
    .await;
    let items: Vec<_> = client(&server)
        .customers()
        .list_customers()
        .stream()
        .try_collect()
        .await
        .unwrap();
    let ids: Vec<&str> = items.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["cus_1", "cus_2", "cus_3", "cus_4"]);
}

/// Page numbers from 1; an empty page ends the list.
#[tokio::test]
async fn page_numbers() {
    let server = MockServer::start().await;
    page(
        &server,
        "/rows",
        "page",
        None,
        json_page(things(&["a", "b"])),
    )
    .await;
    page(
        &server,
        "/rows",
        "page",
        Some("2"),
        json_page(things(&["c", "d"])),
    )
    .await;
    page(&server, "/rows", "page", Some("3"), json_page(things(&[]))).await;
    let items: Vec<_> = client(&server)
        .rows()
        .list_rows()
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(names(&items), ["a", "b", "c", "d"]);
}

/// Page numbers under a name detection does not know (`p`), named by `x-pagination`.
#[tokio::test]
async fn page_numbers_named_by_x_pagination() {
    let server = MockServer::start().await;
    page(&server, "/search", "p", None, json_page(things(&["a"]))).await;
    page(
        &server,
        "/search",
        "p",
        Some("2"),
        json_page(things(&["b"])),
    )
    .await;
    page(&server, "/search", "p", Some("3"), json_page(things(&[]))).await;
    let items: Vec<_> = client(&server)
        .search()
        .search()
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(names(&items), ["a", "b"]);
}

/// Offsets, by the number of items read; an empty page ends the list.
#[tokio::test]
async fn offsets() {
    let server = MockServer::start().await;
    let entries = |items: &[&str]| json_page(json!({"total": 20, "entries": things(items)}));
    page(
        &server,
        "/entries",
        "offset",
        Some("10"),
        entries(&["a", "b"]),
    )
    .await;
    page(
        &server,
        "/entries",
        "offset",
        Some("12"),
        entries(&["c", "d"]),
    )
    .await;
    page(&server, "/entries", "offset", Some("14"), entries(&[])).await;
    let items: Vec<_> = client(&server)
        .entries()
        .list_entries()
        .offset(10)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(names(&items), ["a", "b", "c", "d"]);
}
