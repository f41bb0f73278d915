//! Generator settings: data, loadable from YAML beside the spec.

use serde::Deserialize;

/// What to generate and how to name it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "snake_case")]
pub struct Settings {
    /// The Cargo package name of the generated crate (`posthog-api`).
    pub crate_name: String,
    /// The spec path shown in the header of every generated file (`spec/posthog.yaml`).
    pub spec_label: String,
    /// The environment variable `Client::from_env` reads the credential from.
    #[serde(default)]
    pub api_key_env: Option<String>,
    /// The environment variable `Client::from_env` reads the base URL from.
    #[serde(default)]
    pub base_url_env: Option<String>,
    /// What kind of output to produce.
    #[serde(default)]
    pub layout: Layout,
    /// The crate's version; by default `info.version` when it is valid semver, else `0.1.0`.
    #[serde(default)]
    pub crate_version: Option<String>,
    /// Whether a standalone crate gets one cargo feature per resource group.
    #[serde(default)]
    pub tag_features: TagFeatures,
    /// Plain exhaustive structs and enums, built with struct literals, instead of the default
    /// `#[non_exhaustive]` types with constructors, setters and builders. With plain types a
    /// new response field or enum value is a breaking change of the crate.
    #[serde(default)]
    pub exhaustive: bool,
    /// Whether a document with no operations may become a crate of models only. Off by default:
    /// no operations usually means the document was not read as intended (a multi-file tree
    /// read as one file, say), and a crate with no methods would hide that.
    #[serde(default)]
    pub allow_no_operations: bool,
    /// Where the client's runtime comes from.
    #[serde(default)]
    pub runtime: RuntimeDependency,
    /// The command the generated files' headers name (`openapi-rust generate`); by default
    /// the xtask's command for the layout.
    #[serde(default)]
    pub generated_by: Option<String>,
}

/// Where a generated crate gets its runtime (`openapi-rust-runtime`) from.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RuntimeDependency {
    /// From crates.io: `openapi-rust-runtime = "^VERSION"` of the runtime this generator was
    /// built with.
    #[default]
    Registry,
    /// A local checkout of the runtime crate (`--runtime-path DIR`), with the same version
    /// requirement: for developing the runtime, or before it is published.
    Path(String),
    /// The runtime's files copied into `src/runtime/` (`--vendor-runtime`): a crate that
    /// depends on no runtime crate, at the cost of compiling its own copy.
    Vendored,
}

/// Whether each resource group (tag) of a standalone crate sits behind its own cargo feature,
/// so that users of a very large API compile only the operations, and the models, they use.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TagFeatures {
    /// For large APIs only: more than [`TagFeatures::AUTO_MIN_OPERATIONS`] operations in at
    /// least two groups.
    #[default]
    Auto,
    /// Whenever there are at least two groups.
    Always,
    /// Never.
    Never,
}

impl TagFeatures {
    /// The number of operations above which [`TagFeatures::Auto`] turns features on.
    pub const AUTO_MIN_OPERATIONS: usize = 200;
}

/// What files the generator produces.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Layout {
    /// `src/lib.rs`, `src/models.rs`, `src/apis/*.rs`: a crate whose `Cargo.toml` and
    /// `src/runtime/` are maintained beside the generated files (`posthog-api`).
    #[default]
    Embedded,
    /// Everything, including `Cargo.toml` and the runtime: a crate that builds on its own.
    Standalone,
    /// Only `models.rs`, for mounting as a module of another crate (test fixtures).
    ModelsOnly,
    /// The code of a crate without its crate-level docs, attributes or test kit, for a build
    /// script to write into `OUT_DIR` as one file (see `build_script`).
    BuildScript,
}

impl Settings {
    /// Settings for a crate named `crate_name` made from the spec at `spec_label`.
    pub fn new(crate_name: impl Into<String>, spec_label: impl Into<String>) -> Self {
        Settings {
            crate_name: crate_name.into(),
            spec_label: spec_label.into(),
            api_key_env: None,
            base_url_env: None,
            layout: Layout::Embedded,
            crate_version: None,
            tag_features: TagFeatures::Auto,
            allow_no_operations: false,
            exhaustive: false,
            runtime: RuntimeDependency::Registry,
            generated_by: None,
        }
    }

    /// The same settings with another layout.
    pub fn with_layout(mut self, layout: Layout) -> Self {
        self.layout = layout;
        self
    }

    /// The environment variable for the credential (`POSTHOG_API_API_KEY` by default).
    pub fn api_key_env(&self) -> String {
        self.api_key_env
            .clone()
            .unwrap_or_else(|| format!("{}_API_KEY", self.env_prefix()))
    }

    /// The environment variable for the base URL (`POSTHOG_API_BASE_URL` by default).
    pub fn base_url_env(&self) -> String {
        self.base_url_env
            .clone()
            .unwrap_or_else(|| format!("{}_BASE_URL", self.env_prefix()))
    }

    /// The command the generated files' headers name.
    pub fn command(&self) -> &str {
        match (&self.generated_by, self.layout) {
            (Some(command), _) => command,
            (None, Layout::Standalone) => "cargo xtask generate",
            (None, Layout::Embedded | Layout::ModelsOnly) => "cargo xtask codegen",
            (None, Layout::BuildScript) => "openapi_rust_generator::build_script",
        }
    }

    fn env_prefix(&self) -> String {
        use heck::ToShoutySnakeCase;
        self.crate_name.to_shouty_snake_case()
    }
}
