//! Method names a person would choose for operations, decided for all the operations of the
//! API at once (a prefix can only be recognised as shared by looking at all of them).
//!
//! In order:
//!
//! 1. A naming hint of the document wins as it is: `x-fern-sdk-method-name`,
//!    `x-speakeasy-name-override`, DocuSign's `x-ds-methodname`.
//! 2. An `operationId` in snake case, without FastAPI's `_{path}_{method}` suffix
//!    (`read_flow_flows__id__get` is `read_flow`), then without a prefix every operation
//!    shares that comes from their paths' common leading segments (drf-spectacular's `api_`),
//!    then without a prefix the group's operations share that ends with the group's name
//!    (`api_projects_list` in group `projects` is `list`), or just the group's name.
//! 3. Without an `operationId`, a name from the method and the path: `list_checkpoints`,
//!    `get_checkpoint`, `create_checkpoint`, `delete_checkpoint`, `interrupt_kernel`.
//!
//! Collisions are settled afterwards, by the group's namespace.

use crate::names;

/// What naming needs to know about an operation.
#[derive(Debug, Clone)]
pub(super) struct Route<'a> {
    /// The group (tag) it belongs to.
    pub group: &'a str,
    /// Its `operationId`, if any.
    pub id: Option<&'a str>,
    /// The HTTP method, lower case.
    pub method: &'a str,
    /// The path template.
    pub path: &'a str,
    /// A naming extension's method name, if any.
    pub hint: Option<&'a str>,
}

/// The extensions that name an operation's method, most specific first.
pub(super) const METHOD_NAME_HINTS: &[&str] = &[
    "x-fern-sdk-method-name",
    "x-speakeasy-name-override",
    "x-ds-methodname",
];

/// The extensions that name an operation's group: a string, or (Fern) a list of nested group
/// names, joined.
pub(super) const GROUP_NAME_HINTS: &[&str] =
    &["x-fern-sdk-group-name", "x-speakeasy-group", "x-ds-service"];

/// The group name an operation's extensions give, if any.
pub(super) fn group_hint(
    extensions: &indexmap::IndexMap<String, serde_json::Value>,
) -> Option<String> {
    GROUP_NAME_HINTS
        .iter()
        .find_map(|key| match extensions.get(*key)? {
            serde_json::Value::String(name) if !name.trim().is_empty() => {
                Some(name.replace('.', "_"))
            }
            serde_json::Value::Array(parts) => {
                let parts: Vec<&str> = parts.iter().filter_map(|p| p.as_str()).collect();
                (!parts.is_empty()).then(|| parts.join("_"))
            }
            _ => None,
        })
}

/// The method name an operation's extensions give, if any.
pub(super) fn method_hint(
    extensions: &indexmap::IndexMap<String, serde_json::Value>,
) -> Option<&str> {
    METHOD_NAME_HINTS
        .iter()
        .find_map(|key| extensions.get(*key)?.as_str())
        .filter(|name| !name.trim().is_empty())
}

/// Where a name came from: prefixes are only taken off names made from `operationId`s.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Origin {
    Hint,
    Id,
    Route,
}

/// The names an operation gives the client, before collisions are settled.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct OperationNames {
    /// The method's name (`list`, `whoami`).
    pub method: String,
    /// The stem of its inline types' names, in snake case: the name without the prefix every
    /// operation shares, but with its group's (`projects_tasks_create` gives
    /// `ProjectsTasksCreateBody`; types are crate-wide, methods are per group).
    pub types: String,
}

/// The names of each route, in order.
pub(super) fn operation_names(routes: &[Route<'_>]) -> Vec<OperationNames> {
    let mut qualified: Vec<Option<Vec<String>>> = vec![None; routes.len()];
    let mut names: Vec<(Vec<String>, Origin)> = routes
        .iter()
        .enumerate()
        .map(|(i, r)| match (r.hint, r.id) {
            (Some(hint), _) => (words(hint), Origin::Hint),
            (None, Some(id)) => (
                words(without_fastapi_suffix(id, r.path, r.method)),
                Origin::Id,
            ),
            (None, None) => {
                let alone = routes.iter().filter(|other| other.path == r.path).count() == 1;
                let name = route_name(r.method, r.path, alone);
                qualified[i] = Some(name.qualified);
                (name.plain, Origin::Route)
            }
        })
        .collect();
    let prefix = api_prefix(routes, &names);
    strip_prefix_of(&prefix, &mut names);
    // Types are named before the group's prefix comes off; a hinted operation's types take
    // their name from its id, if it has one.
    let mut type_stems: Vec<Vec<String>> = names.iter().map(|(w, _)| w.clone()).collect();
    for (i, route) in routes.iter().enumerate() {
        if let (Origin::Hint, Some(id)) = (names[i].1, route.id) {
            let stem = words(without_fastapi_suffix(id, route.path, route.method));
            let mut from_id = vec![(stem, Origin::Id)];
            strip_prefix_of(&prefix, &mut from_id);
            type_stems[i] = std::mem::take(&mut from_id[0].0);
        }
    }
    strip_group_prefixes(routes, &mut names);
    // Names made from paths that collide within a group say which item they hang under.
    let plain: Vec<Vec<String>> = names.iter().map(|(w, _)| w.clone()).collect();
    for (i, name) in names.iter_mut().enumerate() {
        let collides = (0..routes.len())
            .any(|j| j != i && routes[j].group == routes[i].group && plain[j] == plain[i]);
        if let (true, Some(qualified)) = (collides, &qualified[i]) {
            name.0 = qualified.clone();
        }
    }
    // A path-made name is a type's stem too; where it recurs across groups (`list_messages`
    // of users and of groups), the group comes first.
    for i in 0..routes.len() {
        if names[i].1 != Origin::Route {
            continue;
        }
        let recurs = (0..routes.len()).any(|j| j != i && names[j].0 == names[i].0);
        type_stems[i] = if recurs {
            words(routes[i].group)
                .into_iter()
                .chain(names[i].0.clone())
                .collect()
        } else {
            names[i].0.clone()
        };
    }
    names
        .into_iter()
        .zip(type_stems)
        .map(|((words, _), stem)| OperationNames {
            method: names::escape_keyword(names::value_name(&words.join("_"))),
            types: stem.join("_"),
        })
        .collect()
}

/// The method name of each route, in order (before collisions are settled).
#[cfg(test)]
fn method_names(routes: &[Route<'_>]) -> Vec<String> {
    operation_names(routes)
        .into_iter()
        .map(|n| n.method)
        .collect()
}

fn words(text: &str) -> Vec<String> {
    names::value_name(text)
        .trim_start_matches("r#")
        .split('_')
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

/// FastAPI's default operation id is the function's name, then the path with every non-word
/// character as `_`, then `_` and the method: the name is what is left.
fn without_fastapi_suffix<'i>(id: &'i str, path: &str, method: &str) -> &'i str {
    let route: String = path
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let suffix = format!("{route}_{}", method.to_ascii_lowercase());
    match id.strip_suffix(&suffix) {
        Some(name) if !name.trim_matches('_').is_empty() => name,
        _ => id,
    }
}

/// The longest list of words every name starts with.
fn common_prefix<'n>(mut names: impl Iterator<Item = &'n Vec<String>>) -> Vec<String> {
    let Some(first) = names.next() else {
        return Vec::new();
    };
    let mut prefix = first.clone();
    for name in names {
        let same = prefix.iter().zip(name).take_while(|(a, b)| a == b).count();
        prefix.truncate(same);
    }
    prefix
}

/// Whether `prefix` can come off every name in `names` and leave a name.
fn removable(prefix: &[String], names: &[&Vec<String>]) -> bool {
    !prefix.is_empty()
        && names.iter().all(|n| {
            n.len() > prefix.len() && !n[prefix.len()].starts_with(|c: char| c.is_ascii_digit())
        })
}

/// A prefix every id-named operation shares, made of the words their paths all begin with
/// (`/api/...` gives drf-spectacular's `api_...` ids); empty when there is none.
fn api_prefix(routes: &[Route<'_>], names: &[(Vec<String>, Origin)]) -> Vec<String> {
    let from_ids: Vec<&Vec<String>> = names
        .iter()
        .filter(|(_, origin)| *origin == Origin::Id)
        .map(|(n, _)| n)
        .collect();
    if from_ids.len() < 2 {
        return Vec::new();
    }
    let prefix = common_prefix(from_ids.iter().copied());
    // The words the paths all begin with.
    let path_words: Vec<Vec<String>> = routes
        .iter()
        .map(|r| {
            r.path
                .split('/')
                .filter(|s| !s.is_empty())
                .take_while(|s| !s.starts_with('{'))
                .flat_map(words)
                .collect()
        })
        .collect();
    let leading = common_prefix(path_words.iter());
    let keep = prefix
        .iter()
        .zip(&leading)
        .take_while(|(a, b)| a == b)
        .count();
    let prefix = prefix[..keep].to_vec();
    if removable(&prefix, &from_ids) {
        prefix
    } else {
        Vec::new()
    }
}

/// Takes `prefix` off every id-named operation.
fn strip_prefix_of(prefix: &[String], names: &mut [(Vec<String>, Origin)]) {
    for (name, origin) in names.iter_mut() {
        if *origin == Origin::Id && name.starts_with(prefix) && name.len() > prefix.len() {
            name.drain(..prefix.len());
        }
    }
}

/// Each group's prefix: the one its id-named operations share when it ends with the group's
/// name (`projects_` or `api_projects_` in `projects`), else the group's name on its own.
fn strip_group_prefixes(routes: &[Route<'_>], names: &mut [(Vec<String>, Origin)]) {
    let mut groups: Vec<&str> = routes.iter().map(|r| r.group).collect();
    groups.sort_unstable();
    groups.dedup();
    for group in groups {
        let members: Vec<usize> = (0..routes.len())
            .filter(|&i| routes[i].group == group && names[i].1 == Origin::Id)
            .collect();
        let group_words = words(group);
        let ids: Vec<&Vec<String>> = members.iter().map(|&i| &names[i].0).collect();
        let shared = if ids.len() >= 2 {
            common_prefix(ids.iter().copied())
        } else {
            Vec::new()
        };
        let shared = (!group_words.is_empty() && shared.ends_with(&group_words))
            .then_some(shared)
            .filter(|p| removable(p, &ids));
        for i in members {
            let name = &mut names[i].0;
            match &shared {
                Some(prefix) => {
                    name.drain(..prefix.len());
                }
                None if name.starts_with(&group_words) && removable(&group_words, &[&*name]) => {
                    name.drain(..group_words.len());
                }
                None => {}
            }
        }
    }
}

/// A segment of a path template.
#[derive(PartialEq)]
enum Segment {
    Literal(String),
    /// A parameter, with the item it names when its name says (`comic` for `{comicId}`).
    Param(Option<String>),
    /// The caller's own item (`/users/~`, `/users/@me`, `/users/me`).
    Current,
}

/// Segments that name the caller's own item rather than a resource.
const CURRENT: &[&str] = &["~", "@me", "me", "self", "@current", "current"];

/// A path segment without what names a file's format rather than a resource: an extension
/// (`.json`, `.xml`) and the version numbers before it (`info.0.json` is `info`).
fn without_suffixes(segment: &str) -> &str {
    const EXTENSIONS: &[&str] = &[
        ".json", ".xml", ".yaml", ".yml", ".txt", ".csv", ".html", ".htm", ".atom", ".rss",
    ];
    let lower = segment.to_ascii_lowercase();
    let mut end = EXTENSIONS
        .iter()
        .find(|ext| lower.ends_with(*ext) && lower.len() > ext.len())
        .map_or(segment.len(), |ext| segment.len() - ext.len());
    if end == segment.len() {
        return segment;
    }
    // Then `.0`, `.2.1`: a version of the file's format.
    while let Some(dot) = segment[..end].rfind('.') {
        let tail = &segment[dot + 1..end];
        if dot == 0 || tail.is_empty() || !tail.bytes().all(|b| b.is_ascii_digit()) {
            break;
        }
        end = dot;
    }
    &segment[..end]
}

/// The item a path parameter names, when its name is the item's and `Id` (`comicId`,
/// `comic_id`): `comic`.
fn named_item(param: &str) -> Option<String> {
    let parts = words(param);
    match parts.as_slice() {
        [item @ .., last] if last == "id" && !item.is_empty() => Some(item.join("_")),
        _ => None,
    }
}

/// A name made from an operation's method and path, plain and (for when two plain names
/// collide within a group) qualified by the item the resource hangs under
/// (`list_statuses` and `list_conversation_statuses`).
#[derive(Debug, Clone, PartialEq)]
struct RouteName {
    plain: Vec<String>,
    qualified: Vec<String>,
}

/// The verb a method means for a resource: `GET /things` lists, `POST /things` creates (a
/// POST to something singular keeps its method's name),
/// `GET /things/{id}` gets, `PUT` replaces, `PATCH` updates, `DELETE` deletes.
fn verb(method: &str, item: bool, plural: bool) -> String {
    match (method, item, plural) {
        ("get", false, true) => "list",
        ("get", _, _) => "get",
        // A POST to something singular may do anything (render `/markdown`, set metadata).
        ("post", false, true) => "create",
        ("put", _, _) => "replace",
        ("patch", _, _) => "update",
        ("delete", _, _) => "delete",
        (other, _, _) => other,
    }
    .to_owned()
}

/// A name from the method and path: the last resource in the path, singular for one item,
/// with the verb its method means (see [`verb`]); a singular word after an item, when it is
/// the only operation on its path, is an action on the item (`POST /kernels/{id}/interrupt`
/// is `interrupt_kernel`), else a part of it (`GET /messages/{id}/metadata` is
/// `get_message_metadata`); the caller's own item is `current` (`GET /users/~` is
/// `get_current_user`).
fn route_name(method: &str, path: &str, only_operation_on_path: bool) -> RouteName {
    let segments: Vec<Segment> = path
        .split(['?', '#'])
        .next()
        .unwrap_or("")
        .split('/')
        .filter(|s| !s.is_empty())
        .map(|s| {
            if s.starts_with('{') {
                Segment::Param(named_item(s.trim_matches(['{', '}'])))
            } else if CURRENT.contains(&s.to_ascii_lowercase().as_str()) {
                Segment::Current
            } else {
                Segment::Literal(words(without_suffixes(s)).join("_"))
            }
        })
        .filter(|s| !matches!(s, Segment::Literal(l) if l.is_empty()))
        .collect();
    let method = method.to_ascii_lowercase();
    let last_literal = segments
        .iter()
        .rposition(|s| matches!(s, Segment::Literal(_)));
    let Some(at) = last_literal else {
        let root = vec![method, "root".to_owned()];
        return RouteName {
            plain: root.clone(),
            qualified: root,
        };
    };
    let Segment::Literal(resource) = &segments[at] else {
        unreachable!("found a literal")
    };
    let item = at + 1 < segments.len();
    let current = segments.get(at + 1) == Some(&Segment::Current);
    let after_item = at > 0 && matches!(segments[at - 1], Segment::Param(_) | Segment::Current);
    // The item the resource hangs under (`conversation` in `/conversations/{id}/statuses`),
    // or that its parameter names when no resource comes before it (`comic` in
    // `/{comicId}/info.0.json`).
    let parent = segments[..at]
        .iter()
        .rev()
        .find_map(|s| match s {
            Segment::Literal(l) => Some(singular(l)),
            _ => None,
        })
        .or_else(|| match &segments[..at] {
            [.., Segment::Param(Some(item))] => Some(item.clone()),
            _ => None,
        })
        .filter(|_| after_item);
    let plural = is_plural(resource);
    let one = singular(resource);
    let verb = verb(&method, item, plural);
    let (plain, qualified) = if current {
        let name = format!("{verb}_current_{one}");
        (name.clone(), name)
    } else if let (false, false, Some(parent)) = (item, plural, &parent) {
        if method == "post" && only_operation_on_path {
            let name = format!("{resource}_{parent}");
            (name.clone(), name)
        } else {
            let name = format!("{verb}_{parent}_{resource}");
            (name.clone(), name)
        }
    } else {
        let noun = if item || (method == "post" && plural) {
            one
        } else {
            resource.clone()
        };
        let qualified = match &parent {
            Some(parent) => format!("{verb}_{parent}_{noun}"),
            None => format!("{verb}_{noun}"),
        };
        (format!("{verb}_{noun}"), qualified)
    };
    RouteName {
        plain: words(&plain),
        qualified: words(&qualified),
    }
}

fn is_plural(word: &str) -> bool {
    word.ends_with('s') && !word.ends_with("ss") && !word.ends_with("us") && !word.ends_with("is")
}

/// The singular of an English plural, by the common rules (`entries`, `boxes`, `users`).
fn singular(word: &str) -> String {
    if !is_plural(word) {
        return word.to_owned();
    }
    if let Some(stem) = word.strip_suffix("ies") {
        return format!("{stem}y");
    }
    for ending in ["ches", "shes", "xes", "zzes", "sses"] {
        if word.ends_with(ending) {
            return word[..word.len() - 2].to_owned();
        }
    }
    word[..word.len() - 1].to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn route<'a>(group: &'a str, id: Option<&'a str>, method: &'a str, path: &'a str) -> Route<'a> {
        Route {
            group,
            id,
            method,
            path,
            hint: None,
        }
    }

    #[test]
    fn drf_spectacular_ids_lose_the_path_prefix_and_the_group() {
        let routes = [
            route(
                "projects",
                Some("api_projects_list"),
                "get",
                "/api/projects/",
            ),
            route(
                "projects",
                Some("api_projects_create"),
                "post",
                "/api/projects/",
            ),
            route(
                "projects",
                Some("api_projects_dashboards_list"),
                "get",
                "/api/projects/{id}/dashboards/",
            ),
            route(
                "users",
                Some("api_current_user_whoami_retrieve"),
                "get",
                "/api/current_user/whoami/",
            ),
        ];
        assert_eq!(
            method_names(&routes),
            [
                "list",
                "create",
                "dashboards_list",
                "current_user_whoami_retrieve"
            ]
        );
    }

    #[test]
    fn fastapi_ids_lose_their_path_and_method() {
        let routes = [
            route(
                "flows",
                Some("read_flow_flows__id__get"),
                "get",
                "/flows/{id}",
            ),
            route("flows", Some("create_flow_flows__post"), "post", "/flows/"),
            route(
                "flows",
                Some("read_flows_flows_filter_post"),
                "post",
                "/flows/filter",
            ),
        ];
        assert_eq!(
            method_names(&routes),
            ["read_flow", "create_flow", "read_flows"]
        );
    }

    #[test]
    fn verbs_are_not_taken_for_prefixes() {
        let routes = [
            route("users", Some("get_user"), "get", "/users/{id}"),
            route("users", Some("get_users"), "get", "/users"),
        ];
        assert_eq!(method_names(&routes), ["get_user", "get_users"]);
    }

    #[test]
    fn hints_win() {
        let mut whoami = route(
            "users",
            Some("api_current_user_whoami_retrieve"),
            "get",
            "/api/x",
        );
        whoami.hint = Some("whoami");
        assert_eq!(method_names(&[whoami]), ["whoami"]);
    }

    #[test]
    fn routes_without_ids_are_named_as_a_person_would() {
        let name = |method, path| route_name(method, path, true).plain.join("_");
        assert_eq!(
            name("get", "/api/contents/{path}/checkpoints"),
            "list_checkpoints"
        );
        assert_eq!(
            name("post", "/api/contents/{path}/checkpoints"),
            "create_checkpoint"
        );
        assert_eq!(
            name("get", "/api/contents/{path}/checkpoints/{id}"),
            "get_checkpoint"
        );
        assert_eq!(
            name("delete", "/api/contents/{path}/checkpoints/{id}"),
            "delete_checkpoint"
        );
        assert_eq!(
            name("post", "/api/kernels/{kernel_id}/interrupt"),
            "interrupt_kernel"
        );
        assert_eq!(name("patch", "/api/sessions/{session}"), "update_session");
        assert_eq!(name("get", "/api/status"), "get_status");
        assert_eq!(name("get", "/"), "get_root");
        assert_eq!(name("get", "/api/entries"), "list_entries");
        assert_eq!(singular("entries"), "entry");
        assert_eq!(singular("boxes"), "box");
    }

    #[test]
    fn file_formats_are_not_resources_and_an_id_parameter_names_its_item() {
        let name = |method, path| route_name(method, path, true).plain.join("_");
        // xkcd's two operations.
        assert_eq!(name("get", "/info.0.json"), "get_info");
        assert_eq!(name("get", "/{comicId}/info.0.json"), "get_comic_info");
        assert_eq!(name("get", "/users.json"), "list_users");
        assert_eq!(name("get", "/v2.1/report.2.xml"), "get_report");
        assert_eq!(name("get", "/{id}/stats"), "list_stats");
        assert_eq!(without_suffixes("openapi.json"), "openapi");
        assert_eq!(without_suffixes("v1.2"), "v1.2");
        assert_eq!(without_suffixes(".json"), ".json");
        assert_eq!(named_item("comic_id").as_deref(), Some("comic"));
        assert_eq!(named_item("id"), None);
        assert_eq!(named_item("owner"), None);
    }

    #[test]
    fn path_made_names_that_collide_say_which_item_they_hang_under() {
        let routes = [
            route("conversations", None, "get", "/conversations/statuses"),
            route("conversations", None, "get", "/conversations/{id}/statuses"),
            route("conversations", None, "post", "/conversations/schedules"),
            route(
                "conversations",
                None,
                "post",
                "/conversations/{id}/schedules",
            ),
            route("users", None, "get", "/users/~"),
            route("users", None, "patch", "/users/~"),
            route("messages", None, "get", "/messages/{id}/metadata"),
            route("messages", None, "post", "/messages/{id}/metadata"),
            route("kernels", None, "post", "/kernels/{id}/interrupt"),
        ];
        assert_eq!(
            method_names(&routes),
            [
                "list_statuses",
                "list_conversation_statuses",
                "create_schedule",
                "create_conversation_schedule",
                "get_current_user",
                "update_current_user",
                "get_message_metadata",
                "post_message_metadata",
                "interrupt_kernel",
            ]
        );
    }
}
