//! What the generator makes of documents as real servers serve them (issue 25): each fixture
//! reproduces symptoms a first program met, and each test states the behaviour the snapshot
//! shows, so that a change which brings a symptom back fails here with its name.

use generator::ir::Api;
use generator::{GeneratedFile, Settings};
use std::path::Path;

fn generate(fixture: &str) -> (Api, Vec<GeneratedFile>) {
    let relative = format!("spec/fixtures/{fixture}.yaml");
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let text = std::fs::read_to_string(root.join(&relative)).unwrap();
    let doc = generator::load(&relative, &text, &Default::default()).unwrap();
    let settings = Settings::new(format!("fixture-{fixture}"), relative);
    generator::generate_with_api(&doc, &settings).unwrap()
}

fn file<'f>(files: &'f [GeneratedFile], path: &str) -> &'f str {
    &files
        .iter()
        .find(|f| f.path == path)
        .unwrap_or_else(|| panic!("{path} is generated"))
        .contents
}

fn all(files: &[GeneratedFile]) -> String {
    files
        .iter()
        .filter(|f| !f.path.starts_with("src/runtime/"))
        .map(|f| f.contents.as_str())
        .collect()
}

fn methods(api: &Api) -> Vec<String> {
    api.groups
        .iter()
        .flat_map(|g| {
            g.operations
                .iter()
                .map(move |op| format!("{}.{}", g.accessor, op.method_name))
        })
        .collect()
}

#[test]
fn a_token_prefix_stated_in_the_description_is_sent() {
    let (_, files) = generate("drf_imperfect");
    let lib = file(&files, "src/lib.rs");
    assert!(lib.contains(r#"runtime::Auth::PrefixedHeader("Authorization", "Token")"#));
    assert!(lib.contains("sends the key as `Authorization: Token <api_key>`"));
}

#[test]
fn a_prefix_from_x_fern_header_is_sent() {
    let (_, files) = generate("fastapi_hints");
    assert!(file(&files, "src/lib.rs").contains(r#"Auth::PrefixedHeader("X-Api-Key", "Key")"#));
}

#[test]
fn no_security_scheme_means_no_credential_argument() {
    let (_, files) = generate("swagger2_bare");
    let lib = file(&files, "src/lib.rs");
    assert!(lib.contains("pub fn new(base_url: impl Into<String>) -> Result<Self, Error>"));
    assert!(lib.contains("auth: runtime::Auth::None"));
    assert!(lib.contains("names no authentication"));
    assert!(lib.contains(".basic_auth(user, password)"));
    // `security: []` in a document without schemes says nothing: a credential set on the
    // builder still goes with every call (Kinto's operations all say it).
    assert!(!all(&files).contains("without_auth"));
    // In a document with a scheme, it is an anonymous operation.
    let (_, files) = generate("drf_imperfect");
    assert!(file(&files, "src/apis/stats.rs").contains("request.without_auth();"));
}

#[test]
fn responses_without_a_schema_keep_their_body_and_are_counted() {
    let (api, files) = generate("swagger2_bare");
    let contents = file(&files, "src/apis/contents.rs");
    assert!(contents.contains("Output = Result<serde_json::Value, Error>"));
    let image = file(&files, "src/apis/files.rs");
    assert!(image.contains("Output = Result<Vec<u8>, Error>"));
    assert!(
        image.contains(r#""image/png""#),
        "Accept is what the operation produces"
    );
    assert_eq!(api.untyped.responses, 2);
    assert_eq!(api.untyped.params, 1, "the query parameter without a type");
}

#[test]
fn untyped_parameters_are_sent_under_their_name() {
    let (api, files) = generate("drf_imperfect");
    let projects = file(&files, "src/apis/projects.rs");
    assert!(projects.contains(r#"request.query_untyped("value", &self.value);"#));
    // A style the document states is honoured.
    assert!(projects.contains("\"filter\",\n                &self.filter,\n                crate::runtime::QueryStyle::DeepObject"));
    assert_eq!(api.untyped.params, 2);
    let (_, files) = generate("swagger2_bare");
    assert!(file(&files, "src/apis/kernels.rs").contains(r#"query_untyped("filter""#));
}

#[test]
fn a_path_that_may_end_empty_takes_an_empty_parameter() {
    let (_, files) = generate("swagger2_bare");
    let contents = file(&files, "src/apis/contents.rs");
    assert!(contents.contains(r#"push_last_path_param("path", &self.path)"#));
}

#[test]
fn trace_operations_and_header_parameters_the_client_sets_are_reported() {
    let (api, files) = generate("drf_imperfect");
    assert!(methods(&api).contains(&"debug.trace".to_owned()));
    assert!(file(&files, "src/apis/debug.rs").contains("Method::TRACE"));
    let note = api
        .notes
        .iter()
        .find(|n| n.message.contains("`Authorization`"))
        .expect("the Authorization header parameter is reported");
    assert!(
        note.message.contains("is not an argument"),
        "{}",
        note.message
    );
    assert!(file(&files, "src/apis/projects.rs").contains("is not an argument"));
}

#[test]
fn drf_prefixes_come_off_and_naming_hints_win() {
    let (api, _) = generate("drf_imperfect");
    let methods = methods(&api);
    assert!(methods.iter().all(|m| !m.contains(".api_")), "{methods:?}");
    for wanted in [
        "projects.tasks_list",
        "projects.tasks_create",
        "users.whoami",
    ] {
        assert!(
            methods.contains(&wanted.to_owned()),
            "{wanted} in {methods:?}"
        );
    }
}

#[test]
fn fastapi_suffixes_come_off_and_hints_name_groups_and_methods() {
    let (api, _) = generate("fastapi_hints");
    let methods = methods(&api);
    for wanted in [
        "flows.create_flow",
        "flows.read_flow",
        "flows.delete_flow",
        "flows.count",
        "runs.set_state",
        "admin_health.health_check",
    ] {
        assert!(
            methods.contains(&wanted.to_owned()),
            "{wanted} in {methods:?}"
        );
    }
}

#[test]
fn operations_without_ids_are_named_from_method_and_path() {
    let (api, _) = generate("swagger2_bare");
    let methods = methods(&api);
    for wanted in [
        "contents.get_content",
        "contents.delete_content",
        "kernels.list_kernels",
        "kernels.interrupt_kernel",
        "files.get_file",
    ] {
        assert!(
            methods.contains(&wanted.to_owned()),
            "{wanted} in {methods:?}"
        );
    }
}

#[test]
fn copies_of_a_shape_share_a_neutral_name() {
    let (_, files) = generate("drf_imperfect");
    let models = file(&files, "src/models.rs");
    assert!(models.contains("pub struct ProjectsTasksBody {"));
    assert!(models.contains("pub type ProjectsTasksCreateBody = ProjectsTasksBody;"));
    assert!(models.contains("pub type ProjectsTasksPartialUpdateBody = ProjectsTasksBody;"));
}

#[test]
fn no_model_is_named_like_a_standard_type() {
    let (_, files) = generate("drf_imperfect");
    let models = file(&files, "src/models.rs");
    for name in ["Vec", "HashMap", "U32", "Result"] {
        assert!(!models.contains(&format!("pub type {name} ")), "{name}");
        assert!(!models.contains(&format!("pub struct {name} ")), "{name}");
    }
    for name in ["VecModel", "HashMapModel", "U32Model", "ResultModel"] {
        assert!(models.contains(name), "{name}");
    }
    assert!(
        models.contains("/// The `HashMap` schema."),
        "docs name the schema as written"
    );
}

#[test]
fn docs_have_no_noise() {
    let (_, files) = generate("drf_imperfect");
    let text = all(&files);
    assert!(!text.contains("version `\"\"`"));
    assert!(!text.contains(": &str = \"\";"), "no empty server constant");
    assert!(
        !text.contains("9223372036854775807"),
        "no bounds equal to the type's range"
    );
    assert!(
        !text.contains("&lt;") && !text.contains("&quot;"),
        "entities decoded"
    );
    assert!(text.contains("Plain text, \"as typed\"."));
}

#[test]
fn a_swagger2_document_is_pointed_to_as_written() {
    let (_, files) = generate("swagger2_bare");
    let text = all(&files);
    assert!(
        !text.contains("#/components/"),
        "a 2.0 file has no components"
    );
}

#[test]
fn a_recurring_path_parameter_becomes_a_client_scope() {
    let (api, files) = generate("drf_imperfect");
    let scope = api.scope.as_ref().expect("project_id recurs");
    assert_eq!(scope.accessor, "project");
    let apis = file(&files, "src/apis/mod.rs");
    assert!(apis.contains("pub fn project(&self, project_id: impl Into<String>) -> ProjectScope"));
    let projects = file(&files, "src/apis/projects.rs");
    assert!(projects.contains("pub fn tasks_list(&self) -> TasksListRequest"));
    // A resource's own id is an argument, not a scope.
    let (api, _) = generate("fastapi_hints");
    assert!(api.scope.is_none());
}

#[test]
fn crates_in_signatures_are_re_exported() {
    let (_, files) = generate("fastapi_hints");
    let lib = file(&files, "src/lib.rs");
    for krate in ["uuid", "bytes", "serde_json"] {
        assert!(lib.contains(&format!("pub use {krate};")), "{krate}");
    }
}
