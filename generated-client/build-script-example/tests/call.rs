//! The client the build script generated calls a server and decodes its answer, as the
//! committed `posthog-api` does.

use build_script_example::{Client, Error};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn the_generated_client_calls_and_decodes() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/users/@me/"))
        .and(header("authorization", "Bearer k"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "uuid": "0190b5a8-3c3e-7000-8000-000000000001",
            "email": "ann@example.com",
            "first_name": "Ann",
        })))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::new(server.uri(), "k").unwrap();
    let user = client.users().retrieve("@me").send().await.unwrap();
    assert_eq!(user.email, "ann@example.com");
    // Error statuses come back as the runtime's errors, with the server's text.
    let missing = client.users().retrieve("nobody").send().await.unwrap_err();
    assert!(
        matches!(missing, Error::Api(ref e) if e.status == 404),
        "{missing:?}"
    );
}
