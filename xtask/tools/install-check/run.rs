//! CI's check of the installed command (`.ci/run`): the client `openapi-rust generate` made
//! from the directory's xkcd document (Swagger 2.0, no operation ids) builds and calls an
//! operation, through its own test kit, with no repository code.

use xkcd_com::mock::MockServer;
use xkcd_com::models::Comic;

#[tokio::main]
async fn main() {
    let server = MockServer::start().await;
    let comic: Comic = serde_json::from_value(serde_json::json!({
        "num": 614.0, "title": "Woodpecker", "safe_title": "Woodpecker"
    }))
    .expect("a comic");
    let _mock = server
        .mock()
        .info()
        .get_comic_info(614.0)
        .respond(comic)
        .expect(1)
        .mount()
        .await;
    let got = server
        .client()
        .info()
        .get_comic_info(614.0)
        .send()
        .await
        .expect("the call");
    assert_eq!(got.title.as_deref(), Some("Woodpecker"));
    let real = xkcd_com::Client::builder()
        .build()
        .expect("a client of the real server");
    println!(
        "installed command's client: called {} and decoded comic {:?}; default server {}",
        server.uri(),
        got.num,
        real.base_url()
    );
}
