//! Request and response bodies of every encoding, on the wire: what the generated client of
//! `spec/fixtures/operations.yaml` sends and how it reads what comes back.

use fixture_wire::mock::MockServer;
use fixture_wire::models::{self, PatchThingContentType, Thing, UploadPhotoBody};
use fixture_wire::FilePart;

fn header(request: &wiremock::Request, name: &str) -> String {
    request
        .headers
        .get(name)
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default()
}

/// The parts of a multipart body: (headers, contents) per part, in order.
fn multipart_parts(request: &wiremock::Request) -> Vec<(String, Vec<u8>)> {
    let content_type = header(request, "content-type");
    let boundary = content_type
        .split("boundary=")
        .nth(1)
        .expect("a multipart body names its boundary");
    let delimiter = format!("--{boundary}");
    let body = &request.body;
    let mut parts = Vec::new();
    let mut rest: &[u8] = body;
    while let Some(start) = find(rest, delimiter.as_bytes()) {
        rest = &rest[start + delimiter.len()..];
        if rest.starts_with(b"--") {
            break;
        }
        let end = find(rest, delimiter.as_bytes()).expect("a part ends at the next delimiter");
        let part = &rest[2..end - 2]; // the CRLF after the delimiter and before the next
        let split = find(part, b"\r\n\r\n").expect("part headers end with a blank line");
        let head = String::from_utf8_lossy(&part[..split]).into_owned();
        parts.push((head, part[split + 4..].to_vec()));
        rest = &rest[end..];
    }
    parts
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[tokio::test]
async fn multipart_sends_files_as_file_parts_and_fields_as_text() {
    let server = MockServer::start().await;
    let mock = server
        .mock()
        .things()
        .upload_photo("7")
        .respond_empty()
        .mount()
        .await;
    let png = vec![0x89, b'P', b'N', b'G', 0, 0xff];
    let body = UploadPhotoBody::new(
        FilePart::new(png.clone())
            .file_name("cat.png")
            .content_type("image/png"),
    )
    .thumbnails(vec![
        FilePart::new(&b"small"[..]),
        FilePart::new(&b"tiny"[..]),
    ])
    .caption("a cat");
    server
        .client()
        .things()
        .upload_photo("7", body)
        .send()
        .await
        .unwrap();
    let requests = mock.requests().await;
    assert!(header(&requests[0], "content-type").starts_with("multipart/form-data; boundary="));
    let parts = multipart_parts(&requests[0]);
    let heads: Vec<&str> = parts.iter().map(|(h, _)| h.as_str()).collect();
    // Text fields first, files last (as S3's form uploads require).
    assert_eq!(
        heads,
        [
            "Content-Disposition: form-data; name=\"caption\"",
            "Content-Disposition: form-data; name=\"photo\"; filename=\"cat.png\"\r\nContent-Type: image/png",
            "Content-Disposition: form-data; name=\"thumbnails\"; filename=\"thumbnails\"\r\nContent-Type: application/octet-stream",
            "Content-Disposition: form-data; name=\"thumbnails\"; filename=\"thumbnails\"\r\nContent-Type: application/octet-stream",
        ]
    );
    assert_eq!(parts[0].1, b"a cat");
    assert_eq!(parts[1].1, png, "the file's bytes, unchanged");
    assert_eq!(parts[2].1, b"small");
    assert_eq!(parts[3].1, b"tiny");
}

/// A streamed file is opened again for every attempt: a retried upload sends it whole.
#[tokio::test]
async fn a_streamed_file_is_sent_again_on_retry() {
    let server = MockServer::start().await;
    let path = "/things/7/photo";
    wiremock::Mock::given(wiremock::matchers::path(path))
        .respond_with(wiremock::ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(server.wiremock())
        .await;
    wiremock::Mock::given(wiremock::matchers::path(path))
        .respond_with(wiremock::ResponseTemplate::new(204))
        .mount(server.wiremock())
        .await;
    let opened = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = opened.clone();
    let file = FilePart::stream(Some(6), move || {
        counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        futures::stream::iter([
            Ok(bytes::Bytes::from_static(b"abc")),
            Ok(bytes::Bytes::from_static(b"def")),
        ])
    })
    .file_name("big.bin");
    server
        .client()
        .things()
        .upload_photo("7", UploadPhotoBody::new(file))
        .send()
        .await
        .unwrap();
    assert_eq!(opened.load(std::sync::atomic::Ordering::SeqCst), 2);
    let requests = server.received_requests().await;
    assert_eq!(requests.len(), 2);
    for request in &requests {
        let parts = multipart_parts(request);
        assert_eq!(parts[0].1, b"abcdef");
    }
}

#[tokio::test]
async fn json_form_text_and_binary_bodies() {
    let server = MockServer::start().await;
    let client = server.client();

    // JSON.
    let put = server
        .mock()
        .assets()
        .put_anything()
        .respond_empty()
        .mount()
        .await;
    client
        .assets()
        .put_anything(Thing::new("a"))
        .send()
        .await
        .unwrap();
    let sent = &put.requests().await[0];
    assert_eq!(header(sent, "content-type"), "application/json");
    assert_eq!(put.bodies().await, [Thing::new("a")]);

    // A form.
    let form = server
        .mock()
        .things()
        .replace_thing("9")
        .respond(Thing::new("n"))
        .mount()
        .await;
    client
        .things()
        .replace_thing("9")
        .body(
            models::ReplaceThingBody::new("n")
                .tags(vec!["x".into(), "y z".into()])
                .dimensions(models::ReplaceThingBodyDimensions::default().width(3)),
        )
        .send()
        .await
        .unwrap();
    let sent = &form.requests().await[0];
    assert_eq!(
        header(sent, "content-type"),
        "application/x-www-form-urlencoded"
    );
    // Fields come in the struct's order or by name, as serde_json's `preserve_order` feature
    // is on or off in the build; repeated keys keep their order either way.
    let mut pairs: Vec<(String, String)> = url::form_urlencoded::parse(&sent.body)
        .into_owned()
        .collect();
    pairs.sort_by(|a, b| a.0.cmp(&b.0));
    let expected = [
        ("dimensions[width]", "3"),
        ("name", "n"),
        ("tags", "x"),
        ("tags", "y z"),
    ];
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    assert_eq!(pairs, expected);

    // Bytes under `*/*`: the bytes themselves, with a concrete type.
    let asset = server
        .mock()
        .assets()
        .upload_asset()
        .respond_empty()
        .mount()
        .await;
    client
        .assets()
        .upload_asset(vec![0, 1, 2, 255])
        .send()
        .await
        .unwrap();
    let sent = &asset.requests().await[0];
    assert_eq!(header(sent, "content-type"), "application/octet-stream");
    assert_eq!(sent.body, [0, 1, 2, 255]);

    // Bytes under `image/*`.
    let image = server
        .mock()
        .images()
        .upload_image()
        .respond_empty()
        .mount()
        .await;
    client
        .images()
        .upload_image(b"GIF89a".to_vec())
        .send()
        .await
        .unwrap();
    let sent = &image.requests().await[0];
    assert_eq!(header(sent, "content-type"), "application/octet-stream");
    assert_eq!(sent.body, b"GIF89a");

    // Bytes both ways.
    let raw = server
        .mock()
        .raw()
        .upload_raw()
        .respond_raw(200, "application/octet-stream", vec![9u8, 8, 7])
        .mount()
        .await;
    let echoed = client
        .raw()
        .upload_raw()
        .body(vec![1, 2, 3])
        .send()
        .await
        .unwrap();
    assert_eq!(echoed, [9, 8, 7]);
    let sent = &raw.requests().await[0];
    assert_eq!(header(sent, "accept"), "application/octet-stream");
    assert_eq!(sent.body, [1, 2, 3]);
}

/// The caller picks among the media types an operation accepts; the first JSON one is the
/// default.
#[tokio::test]
async fn the_caller_chooses_the_content_type() {
    let server = MockServer::start().await;
    let client = server.client();
    let mock = server
        .mock()
        .patches()
        .patch_thing("1")
        .respond_empty()
        .mount()
        .await;
    let thing = Thing::new("a").size(2);
    client
        .patches()
        .patch_thing("1", thing.clone())
        .send()
        .await
        .unwrap();
    client
        .patches()
        .patch_thing("1", thing.clone())
        .content_type(PatchThingContentType::JsonPatchJson)
        .send()
        .await
        .unwrap();
    client
        .patches()
        .patch_thing("1", thing.clone())
        .content_type(PatchThingContentType::XWwwFormUrlencoded)
        .send()
        .await
        .unwrap();
    let sent: Vec<(String, String)> = mock
        .requests()
        .await
        .iter()
        .map(|r| {
            (
                header(r, "content-type"),
                String::from_utf8_lossy(&r.body).into_owned(),
            )
        })
        .collect();
    assert_eq!(
        sent,
        [
            (
                "application/merge-patch+json".into(),
                r#"{"name":"a","size":2}"#.into()
            ),
            (
                "application/json-patch+json".into(),
                r#"{"name":"a","size":2}"#.into()
            ),
            (
                "application/x-www-form-urlencoded".into(),
                "name=a&size=2".into()
            ),
        ]
    );
}

/// Text both ways: sent as `text/plain`, read as a string.
#[tokio::test]
async fn text_bodies() {
    let server = MockServer::start().await;
    let put = server
        .mock()
        .things()
        .put_notes("3")
        .respond_empty()
        .mount()
        .await;
    let _get = server
        .mock()
        .things()
        .get_notes("3")
        .respond_raw(
            200,
            "text/plain; charset=utf-8",
            "line one\nliné two".as_bytes().to_vec(),
        )
        .mount()
        .await;
    let client = server.client();
    client
        .things()
        .put_notes("3")
        .body("hello\nworld")
        .send()
        .await
        .unwrap();
    let sent = &put.requests().await[0];
    assert_eq!(header(sent, "content-type"), "text/plain");
    assert_eq!(sent.body, b"hello\nworld");
    let notes = client.things().get_notes("3").send().await.unwrap();
    assert_eq!(notes, "line one\nliné two");
}

/// A binary body may be a stream (a large upload), opened again for a retry, and names its
/// own content type where the operation accepts a range (`image/*`).
#[tokio::test]
async fn a_binary_upload_streams_with_its_own_content_type() {
    let server = MockServer::start().await;
    wiremock::Mock::given(wiremock::matchers::path("/images"))
        .respond_with(wiremock::ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(server.wiremock())
        .await;
    wiremock::Mock::given(wiremock::matchers::path("/images"))
        .respond_with(wiremock::ResponseTemplate::new(204))
        .mount(server.wiremock())
        .await;
    let file = FilePart::stream(Some(9), || {
        futures::stream::iter([
            Ok(bytes::Bytes::from_static(b"GIF89a")),
            Ok(bytes::Bytes::from_static(b"...")),
        ])
    })
    .content_type("image/gif");
    server
        .client()
        .images()
        .upload_image(file)
        .send()
        .await
        .unwrap();
    let requests = server.received_requests().await;
    assert_eq!(requests.len(), 2, "retried once after the 503");
    for sent in &requests {
        assert_eq!(header(sent, "content-type"), "image/gif");
        assert_eq!(header(sent, "content-length"), "9");
        assert_eq!(sent.body, b"GIF89a...");
    }
}
