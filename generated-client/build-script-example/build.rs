//! Generates PostHog's client into `OUT_DIR` (see `src/lib.rs`).

fn main() {
    let path = openapi_rust_generator::build_script::Client::new("../../spec/posthog.yaml")
        .api_key_env("POSTHOG_PERSONAL_API_KEY")
        .base_url_env("POSTHOG_HOST")
        .generate()
        .unwrap_or_else(|e| panic!("generating the client: {e}"));
    println!("cargo:rustc-env=GENERATED_CLIENT={}", path.display());
}
