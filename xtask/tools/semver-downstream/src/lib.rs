//! A downstream crate written against `posthog-api` as `spec/posthog.yaml` makes it: the ways
//! users build requests, match enums, read responses and build test values. `cargo xtask
//! semver-oracle` compiles it against the crate each additive edit of `spec/semver/cases.yaml`
//! makes; it must still compile.

use futures::TryStreamExt;
use posthog_api::models::{
    FrequencyEnum, PatchedSubscription, Subscription, SubscriptionRequest,
    SubscriptionSummaryQuota, TargetTypeEnum, User,
};
use posthog_api::{Client, Error, Nullable};

/// A PATCH body that pauses a subscription and clears its title.
pub fn pause() -> PatchedSubscription {
    PatchedSubscription::new().enabled(false).title(Nullable::Null)
}

/// A new weekly email subscription.
pub fn weekly(start: chrono::DateTime<chrono::Utc>) -> SubscriptionRequest {
    SubscriptionRequest::new(
        TargetTypeEnum::Email,
        "ann@example.com",
        FrequencyEnum::Weekly,
        start,
    )
    .title("Weekly growth".to_owned())
    .insight(7)
}

/// How a subscription is delivered, in words.
pub fn channel(target: &TargetTypeEnum) -> String {
    match target {
        TargetTypeEnum::Email => "email".into(),
        TargetTypeEnum::Slack => "Slack".into(),
        TargetTypeEnum::Webhook => "a webhook".into(),
        TargetTypeEnum::Unknown(other) => format!("`{other}`"),
        _ => "something new".into(),
    }
}

/// A response read field by field.
pub fn describe(subscription: &Subscription) -> String {
    format!(
        "#{} {} by {}",
        subscription.id,
        subscription.title.as_option().map_or("(untitled)", String::as_str),
        channel(&subscription.target_type)
    )
}

/// The quota, as users print it.
pub fn quota(q: &SubscriptionSummaryQuota) -> String {
    match q.limit {
        Some(limit) => format!("{} of {limit}", q.active_count),
        None => format!("{} (no limit)", q.active_count),
    }
}

/// A test value of a response type, built as tests build them.
pub fn test_quota() -> Result<SubscriptionSummaryQuota, posthog_api::BuildError> {
    SubscriptionSummaryQuota::builder()
        .active_count(2)
        .limit(Some(10))
        .at_limit(false)
        .build()
}

/// Every subscription of the current project.
pub async fn all(client: &Client) -> Result<Vec<Subscription>, Error> {
    client
        .subscriptions()
        .list("@current")
        .limit(50)
        .stream()
        .try_collect()
        .await
}

/// The signed-in user's email.
pub async fn me(client: &Client) -> Result<String, Error> {
    let me: User = client.users().retrieve("@me").send().await?;
    Ok(me.email)
}
