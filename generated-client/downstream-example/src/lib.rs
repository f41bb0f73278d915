//! An example of a crate that uses `posthog-api`: it pauses every email subscription of a
//! project that delivers to an address outside the company's domain.
//!
//! Its tests (`tests/guard.rs`) use only `posthog-api`'s test kit (feature `test-util`):
//! typed mocks built from Rust values, no hand-written JSON and no server code.

use futures::TryStreamExt as _;
use posthog_api::models::{PatchedSubscription, Subscription, TargetTypeEnum};
use posthog_api::{Client, Error};

/// Whether a subscription mails anyone outside `domain` (`example.com`).
pub fn delivers_outside(subscription: &Subscription, domain: &str) -> bool {
    subscription.target_type == TargetTypeEnum::Email
        && subscription
            .target_value
            .split(',')
            .map(str::trim)
            .filter(|address| !address.is_empty())
            .any(|address| {
                !address
                    .rsplit_once('@')
                    .is_some_and(|(_, host)| host.eq_ignore_ascii_case(domain))
            })
}

/// Pauses (sets `enabled: false` on) every active subscription of the project that mails
/// anyone outside `domain`, reading every page of the list; returns the ids paused.
pub async fn pause_external_subscriptions(
    client: &Client,
    project_id: &str,
    domain: &str,
) -> Result<Vec<i64>, Error> {
    let subscriptions: Vec<Subscription> = client
        .subscriptions()
        .list(project_id)
        .stream()
        .try_collect()
        .await?;
    let mut paused = Vec::new();
    for subscription in subscriptions {
        let active = subscription.enabled != Some(false) && subscription.deleted != Some(true);
        if active && delivers_outside(&subscription, domain) {
            client
                .subscriptions()
                .partial_update(project_id, subscription.id)
                .body(PatchedSubscription::new().enabled(false))
                .send()
                .await?;
            paused.push(subscription.id);
        }
    }
    Ok(paused)
}
