//! What the wiremock tests share: the test key and a user as the API returns it.

use serde_json::{json, Value};

/// The personal API key the tests configure; it must never show up in output.
pub const KEY: &str = "phx_TEST_personal_api_key_123";

/// A `User` response body.
pub fn user() -> Value {
    json!({
        "date_joined": "2024-01-01T00:00:00Z", "uuid": "095be615-a8ad-4c33-8e9c-c7612fbf6c9f",
        "distinct_id": "d", "email": "ann@example.com", "pending_email": null, "is_email_verified": true,
        "has_password": true, "id": 1, "is_impersonated": false, "is_impersonated_until": null,
        "is_impersonated_read_only": null, "sensitive_session_expires_at": null, "team": null,
        "organization": null, "organizations": [], "is_2fa_enabled": false, "has_social_auth": false,
        "has_sso_enforcement": false, "scene_personalisation": [], "role_at_organization": "engineering"
    })
}
