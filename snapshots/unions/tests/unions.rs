//! Each union form of `spec/fixtures/unions.yaml` on the wire: the variant every record
//! decodes to, and the JSON every variant built in Rust sends.

use fixture_unions::models::{
    AgentMessage, Contact, ConversationItem, CountryList, DomainList, Limits, MessageAssistant,
    MessageType, Settings, SettingsMetadata, ShieldListRequest,
};
use fixture_unions::{Client, Nullable};
use serde_json::{json, Value};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(server: &MockServer) -> Client {
    Client::builder().base_url(server.uri()).build().unwrap()
}

async fn serve(server: &MockServer, verb: &str, route: &str, status: u16, body: Value) {
    Mock::given(method(verb))
        .and(path(route))
        .respond_with(ResponseTemplate::new(status).set_body_json(body))
        .mount(server)
        .await;
}

/// The JSON body of the only request the server received.
async fn sent(server: &MockServer) -> Value {
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1);
    serde_json::from_slice(&requests[0].body).unwrap()
}

fn variant<T: std::fmt::Debug>(value: &T) -> String {
    let text = format!("{value:?}");
    text.split('(').next().unwrap().to_owned()
}

/// OpenAI's conversation items all say `type: message`; `role` tells them apart. Every
/// message used to decode as the first variant listed (a system message).
#[tokio::test]
async fn variants_sharing_a_tag_decode_by_the_next_constant() {
    let server = MockServer::start().await;
    serve(
        &server,
        "GET",
        "/conversations/c1/items",
        200,
        json!([
            {"type": "message", "role": "system", "content": "be brief"},
            {"type": "message", "role": "user", "content": "hi", "name": "ann"},
            {"type": "message", "role": "assistant", "content": "hello"},
            {"type": "function_call", "name": "lookup", "arguments": "{}"},
            // No role: only the assistant's message may leave it out.
            {"type": "message", "content": "hello again"},
            // A role the document does not list: a kind of item this client does not know.
            {"type": "message", "role": "developer", "content": "x"},
        ]),
    )
    .await;
    let items = client(&server)
        .conversations()
        .list_items("c1")
        .send()
        .await
        .unwrap();
    let kinds: Vec<String> = items.iter().map(variant).collect();
    assert_eq!(
        kinds,
        [
            "MessageSystem",
            "MessageUser",
            "MessageAssistant",
            "FunctionCall",
            "MessageAssistant",
            "Unknown"
        ]
    );
    match &items[1] {
        ConversationItem::MessageUser(user) => assert_eq!(user.name.as_deref(), Some("ann")),
        other => panic!("expected a user message, got {other:?}"),
    }
}

/// A variant whose type leaves the second constant optional still sends it: the server needs
/// `role` to tell an assistant's message from a user's.
#[tokio::test]
async fn a_variant_sends_the_constants_that_name_it() {
    let server = MockServer::start().await;
    serve(
        &server,
        "POST",
        "/conversations/c1/items",
        201,
        json!({"type": "message", "role": "assistant", "content": "hello"}),
    )
    .await;
    let item =
        ConversationItem::MessageAssistant(MessageAssistant::new(MessageType::Message, "hello"));
    let stored = client(&server)
        .conversations()
        .create_item("c1", item)
        .send()
        .await
        .unwrap();
    assert_eq!(variant(&stored), "MessageAssistant");
    assert_eq!(
        sent(&server).await,
        json!({"type": "message", "role": "assistant", "content": "hello"})
    );
}

/// `tool_return` is mapped to one variant and fixed by another: nothing but their required
/// properties tells them apart, so the one requiring more is tried first.
#[tokio::test]
async fn a_tag_two_variants_claim_is_decided_by_required_properties() {
    let server = MockServer::start().await;
    serve(
        &server,
        "GET",
        "/agents/a1/messages",
        200,
        json!([
            {"message_type": "tool_return", "tool_call_id": "t1", "status": "success", "tool_return": "42"},
            {"message_type": "tool_return", "tool_return": "43"},
            {"message_type": "assistant_message", "content": "done"},
        ]),
    )
    .await;
    let messages = client(&server)
        .agents()
        .list_agent_messages("a1")
        .send()
        .await
        .unwrap();
    let kinds: Vec<String> = messages.iter().map(variant).collect();
    assert_eq!(
        kinds,
        ["ToolReturnMessage", "LegacyToolReturn", "AssistantMessage"]
    );
    assert!(matches!(&messages[1], AgentMessage::LegacyToolReturn(m) if m.tool_return == "43"));
}

/// Variants that fix an optional `type` to their own value: the body always carries it (a
/// validating server refused it without), and a response reads each by it, or, where the
/// server leaves it out, by which variant's required properties the record has.
#[tokio::test]
async fn a_request_body_union_always_sends_its_tag() {
    let server = MockServer::start().await;
    serve(
        &server,
        "POST",
        "/shield_lists",
        201,
        json!({"id": "s1", "content": {"name": "eu", "countries": ["DE"]}}),
    )
    .await;
    let body = ShieldListRequest::CountryList(CountryList::new("eu", vec!["DE".into()]));
    let created = client(&server)
        .shield_lists()
        .create_shield_list(body)
        .send()
        .await
        .unwrap();
    assert_eq!(
        sent(&server).await,
        json!({"type": "country", "name": "eu", "countries": ["DE"]})
    );
    assert_eq!(variant(&created.content), "CountryList");

    let server = MockServer::start().await;
    serve(
        &server,
        "PUT",
        "/shield_lists/s1",
        200,
        json!({"id": "s1", "content": {"type": "domain", "name": "bad", "domains": ["x.test"]}}),
    )
    .await;
    let body = ShieldListRequest::DomainList(DomainList::new("bad", vec!["x.test".into()]));
    let replaced = client(&server)
        .shield_lists()
        .replace_shield_list("s1", body)
        .send()
        .await
        .unwrap();
    assert_eq!(
        sent(&server).await,
        json!({"type": "domain", "name": "bad", "domains": ["x.test"]})
    );
    assert_eq!(variant(&replaced.content), "DomainList");
}

/// `anyOf [X, {nullable: true}]` and `oneOf [X, {enum: [null]}]` are "X or null"; `anyOf [X,
/// {}]` is X or any other value; a `{not: {}}` branch allows nothing and is left out.
#[tokio::test]
async fn nullable_spellings_read_by_what_they_mean() {
    let server = MockServer::start().await;
    serve(
        &server,
        "GET",
        "/settings",
        200,
        json!({"limits": null, "fallback_limits": null, "metadata": "free text", "strict_limits": {"max": 1}}),
    )
    .await;
    let settings = client(&server)
        .settings()
        .get_settings()
        .send()
        .await
        .unwrap();
    assert_eq!(settings.limits, Nullable::Null);
    assert_eq!(settings.fallback_limits, Nullable::Null);
    assert_eq!(
        settings.metadata,
        Some(SettingsMetadata::Other(json!("free text")))
    );
    assert_eq!(settings.strict_limits.map(|l| l.max), Some(1));

    let server = MockServer::start().await;
    serve(
        &server,
        "PUT",
        "/settings",
        200,
        json!({"metadata": {"max": 2}}),
    )
    .await;
    let body = Settings::new()
        .limits(Nullable::Null)
        .fallback_limits(Nullable::Value(Limits::new(3)))
        .metadata(SettingsMetadata::Limits(Limits::new(4)));
    let stored = client(&server)
        .settings()
        .replace_settings(body)
        .send()
        .await
        .unwrap();
    assert_eq!(
        sent(&server).await,
        json!({"limits": null, "fallback_limits": {"max": 3}, "metadata": {"max": 4}})
    );
    assert_eq!(
        stored.metadata,
        Some(SettingsMetadata::Limits(Limits::new(2)))
    );
}

/// An untagged union whose variants require nothing: each value is read as the variant that
/// knows its properties (trying them in order read every contact as the first kind).
#[tokio::test]
async fn untagged_structs_are_told_apart_by_their_properties() {
    let server = MockServer::start().await;
    serve(
        &server,
        "GET",
        "/contacts",
        200,
        json!([
            {"name": "Ann", "email": "ann@example.com"},
            {"name": "Bob", "phone": "555"},
            {"phone": "556", "extension": "12"},
            {"name": "Cy"},
        ]),
    )
    .await;
    let contacts = client(&server)
        .contacts()
        .list_contacts()
        .send()
        .await
        .unwrap();
    let kinds: Vec<String> = contacts.iter().map(variant).collect();
    // Only a name: both kinds know it; the one with fewer properties fits it closest.
    assert_eq!(
        kinds,
        [
            "EmailContact",
            "PhoneContact",
            "PhoneContact",
            "EmailContact"
        ]
    );
    assert!(
        matches!(&contacts[2], Contact::PhoneContact(p) if p.extension.as_deref() == Some("12"))
    );
}
