//! Calls PostHog with `posthog-api`: set POSTHOG_PERSONAL_API_KEY (and POSTHOG_HOST for the EU
//! cloud or a self-hosted instance), then `cargo run --example quickstart`.

use futures::TryStreamExt;
use posthog_api::models::PatchedSubscription;
use posthog_api::{Client, Error, Nullable};

#[tokio::main]
async fn main() -> Result<(), Error> {
    // Reads POSTHOG_PERSONAL_API_KEY, and POSTHOG_HOST (default: https://us.posthog.com).
    let client = Client::from_env()?;

    // Required parameters up front, optional ones on the builder, then `send`.
    let me = client.users().retrieve("@me").send().await?;
    println!("signed in as {}", me.email);

    // A project's calls take no project id: `client.project(..)` fixes it once.
    let project = client.project("@current");

    // `stream` follows the `next` links and yields every subscription on every page.
    let subscriptions: Vec<_> = project
        .subscriptions()
        .list()
        .limit(50)
        .stream()
        .try_collect()
        .await?;
    println!("{} subscriptions", subscriptions.len());

    // Errors say what went wrong, and can be matched.
    // Request bodies are built with `new` and a setter per field to send; a PATCH sends only
    // what was set (`Nullable::Null` clears a field).
    let pause = PatchedSubscription::new()
        .enabled(false)
        .title(Nullable::Null);
    match project
        .subscriptions()
        .partial_update(42)
        .body(pause)
        .send()
        .await
    {
        Ok(updated) => println!("paused {}", updated.id),
        Err(e) if e.is_not_found() => println!("no subscription 42"),
        Err(Error::Api(api)) => println!("PostHog said {}: {}", api.status, api.message()),
        Err(e) => return Err(e),
    }
    Ok(())
}
