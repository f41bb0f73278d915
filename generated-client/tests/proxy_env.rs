//! A proxy from the environment (`HTTP_PROXY`) carries the requests, and `no_proxy()` turns
//! it off. In a binary of its own: it sets process-wide environment variables.

mod fault_server;
#[allow(dead_code)] // Not every test binary uses every helper.
mod wire;

use posthog_api::Client;

#[tokio::test]
async fn the_environment_proxy_is_used_unless_turned_off() {
    let proxy = fault_server::FaultServer::start(|_, _| fault_server::respond(204, &[], b"")).await;
    for name in ["HTTP_PROXY", "http_proxy"] {
        std::env::set_var(name, proxy.url());
    }
    for name in ["NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy"] {
        std::env::remove_var(name);
    }
    let client = Client::builder()
        .base_url("http://posthog.invalid")
        .api_key(wire::KEY)
        .build()
        .unwrap();
    client.users().destroy("@me").send().await.unwrap();
    let requests = proxy.seen.requests.lock().unwrap().clone();
    assert_eq!(requests.len(), 1);
    assert!(
        requests[0]
            .to_ascii_lowercase()
            .starts_with("delete http://posthog.invalid/api/users/@me/ http/1.1"),
        "{}",
        requests[0]
    );
    // Without the proxy, the made-up host cannot be reached at all.
    let direct = Client::builder()
        .base_url("http://posthog.invalid")
        .api_key(wire::KEY)
        .max_retries(0)
        .no_proxy()
        .build()
        .unwrap();
    let error = direct.users().destroy("@me").send().await.unwrap_err();
    assert!(
        matches!(error, posthog_api::Error::Connection { .. }),
        "{error:?}"
    );
    assert_eq!(proxy.seen.requests.lock().unwrap().len(), 1);
}
