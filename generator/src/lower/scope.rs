//! Path parameters most operations share (PostHog's `project_id`, a tenant, GitHub's `owner`
//! and `repo`): the client can fix them once, `client.project("@current").subscriptions()
//! .list()`, instead of them being passed to every call. The operations' own methods keep
//! taking them, and each request can still override them (`.project_id(..)`), so adding a
//! scope is an addition to the API.

use crate::ir::{covers, Group, Operation, ParamLocation, PathPart, Scope, ScopeParam, TypeRef};
use crate::names::{self, Namespace};

/// At least this many operations take the parameter, and at least this share of all of them.
const MIN_OPERATIONS: usize = 3;
const MIN_SHARE: f64 = 0.4;
/// In at least this share of them it names a parent of what the path reaches
/// (`/projects/{project_id}/subscriptions/`), not the resource itself (`/pets/{petId}`): a
/// resource's own id is an argument, not a scope.
const MIN_PARENT_SHARE: f64 = 0.75;
/// The scope starts at the outermost parameter: in at most this share of its operations
/// another path parameter comes before it (GitHub's `repo` always follows `owner`).
const MAX_INNER_SHARE: f64 = 0.25;
/// A parameter that follows the scope's last one in at least this share of its operations
/// joins the scope (`owner` then `repo`).
const MIN_JOIN_SHARE: f64 = 0.9;
/// In at least this share of its operations the parameter follows the same path
/// (`/api/projects/{project_id}`): an `{id}` that follows `/agents/`, `/conversations/` and
/// `/lists/` names a different item in each, and is no scope.
const MIN_SAME_ITEM_SHARE: f64 = 0.75;
/// A scope has at most this many parameters.
const MAX_PARAMS: usize = 3;

/// A path parameter, counted over the operations that take it.
struct Candidate {
    wire: String,
    arg: String,
    ty: TypeRef,
    operations: usize,
    /// Operations where more of the path follows it.
    as_parent: usize,
    /// Operations where another path parameter comes before it.
    inner: usize,
    /// Whether every operation gives it the same type.
    same_type: bool,
    /// How many operations reach it by each path (the path before it).
    reached_by: std::collections::BTreeMap<String, usize>,
}

impl Candidate {
    fn can_scope(&self) -> bool {
        self.same_type
            && matches!(
                self.ty,
                TypeRef::String | TypeRef::I64 | TypeRef::I32 | TypeRef::Uuid
            )
            && self.as_parent as f64 >= MIN_PARENT_SHARE * self.operations as f64
            && self.reached_by.values().max().copied().unwrap_or(0) as f64
                >= MIN_SAME_ITEM_SHARE * self.operations as f64
    }
}

/// The path parameters of an operation, in path order (Rust names).
fn path_order(op: &Operation) -> Vec<&str> {
    op.path_parts
        .iter()
        .filter_map(|part| match part {
            PathPart::Param(name) => Some(name.as_str()),
            PathPart::Literal(_) => None,
        })
        .collect()
}

/// The path before the parameter, other parameters written `{}`.
fn path_before(op: &Operation, arg: &str) -> String {
    let mut out = String::new();
    for part in &op.path_parts {
        match part {
            PathPart::Param(name) if name == arg => break,
            PathPart::Param(_) => out.push_str("{}"),
            PathPart::Literal(text) => out.push_str(text),
        }
    }
    out
}

/// Whether more of the path follows the parameter: a segment, not just a trailing slash.
fn is_parent(op: &Operation, arg: &str) -> bool {
    let Some(at) = op
        .path_parts
        .iter()
        .position(|part| matches!(part, PathPart::Param(name) if name == arg))
    else {
        return false;
    };
    op.path_parts[at + 1..].iter().any(|part| match part {
        PathPart::Param(_) => true,
        PathPart::Literal(text) => text.chars().any(|c| c != '/'),
    })
}

fn candidates<'a>(operations: impl Iterator<Item = &'a Operation>) -> Vec<Candidate> {
    let mut out: Vec<Candidate> = Vec::new();
    for op in operations {
        let order = path_order(op);
        for p in op
            .params
            .iter()
            .filter(|p| p.location == ParamLocation::Path)
        {
            let parent = is_parent(op, &p.name);
            let inner = order.first().is_some_and(|first| *first != p.name);
            let before = path_before(op, &p.name);
            match out.iter_mut().find(|c| c.wire == p.wire) {
                Some(c) => {
                    c.operations += 1;
                    c.as_parent += usize::from(parent);
                    c.inner += usize::from(inner);
                    c.same_type &= c.ty == p.ty;
                    *c.reached_by.entry(before).or_default() += 1;
                }
                None => out.push(Candidate {
                    wire: p.wire.clone(),
                    arg: p.name.clone(),
                    ty: p.ty.clone(),
                    operations: 1,
                    as_parent: usize::from(parent),
                    inner: usize::from(inner),
                    same_type: true,
                    reached_by: [(before, 1)].into(),
                }),
            }
        }
    }
    out
}

/// The scope's parameters: the outermost recurring parameter, then those that follow it
/// nearly everywhere it is used.
fn scope_params(groups: &[Group]) -> Option<Vec<ScopeParam>> {
    let operations = || groups.iter().flat_map(|g| &g.operations);
    let total = operations().count();
    let all = candidates(operations());
    let first = all
        .iter()
        .filter(|c| {
            c.can_scope()
                && c.operations >= MIN_OPERATIONS
                && c.operations as f64 >= MIN_SHARE * total as f64
                && c.inner as f64 <= MAX_INNER_SHARE * c.operations as f64
        })
        .max_by_key(|c| c.operations)?;
    let param = |c: &Candidate| ScopeParam {
        param: c.wire.clone(),
        arg: c.arg.clone(),
        ty: c.ty.clone(),
    };
    let mut params = vec![param(first)];
    while params.len() < MAX_PARAMS {
        let last = params.last()?.arg.clone();
        let scoped: Vec<&Operation> = operations().filter(|op| covers(&params, op)).collect();
        // The parameter right after the scope's last one, counted over the scope's operations.
        let mut next: Vec<(&str, usize)> = Vec::new();
        for op in &scoped {
            let order = path_order(op);
            let Some(at) = order.iter().position(|name| *name == last) else {
                continue;
            };
            if let Some(following) = order.get(at + 1) {
                match next.iter_mut().find(|(name, _)| name == following) {
                    Some((_, count)) => *count += 1,
                    None => next.push((following, 1)),
                }
            }
        }
        let Some((arg, count)) = next.into_iter().max_by_key(|(_, count)| *count) else {
            break;
        };
        let joined = all.iter().find(|c| c.arg == arg && c.can_scope());
        match joined {
            Some(c) if count as f64 >= MIN_JOIN_SHARE * scoped.len() as f64 => {
                params.push(param(c))
            }
            _ => break,
        }
    }
    Some(params)
}

/// The scope of the API, if path parameters recur enough. Claims the accessor on `Client`
/// and the type names, and names each group's scoped type.
pub fn detect(
    groups: &mut [Group],
    accessors: &mut Namespace,
    type_names: &mut Namespace,
) -> Option<Scope> {
    let params = scope_params(groups)?;
    let last = &params.last()?.arg;
    let base = ["_id", "_uuid", "_sid", "_key", "_slug", "_name"]
        .iter()
        .find_map(|suffix| names::unraw(last).strip_suffix(suffix))
        .filter(|base| !base.is_empty())
        .unwrap_or(names::unraw(last));
    // `client.site(..)` may already be the `site` group: then `client.for_site(..)`.
    let wanted = names::value_name(base);
    let accessor = if accessors.is_taken(&wanted) {
        accessors.claim(&names::value_name(&format!("for_{base}")))
    } else {
        accessors.claim(&wanted)
    };
    let type_name = type_names.claim(&format!("{}Scope", names::type_name(base)));
    for group in groups.iter_mut() {
        if group.operations.iter().any(|op| covers(&params, op)) {
            let wanted = format!("{}{}", names::type_name(base), group.type_name);
            group.scoped_type = Some(type_names.claim(&wanted));
        }
    }
    let noun = base.replace('_', " ");
    let wires: Vec<String> = params.iter().map(|p| crate::docs::code(&p.param)).collect();
    let accessor_text = names::unraw(&accessor);
    Some(Scope {
        doc: format!(
            "The API's calls for one {noun}: its groups' methods take no {} (each request can still set another with its own setter). Made with [`Client::{accessor_text}`](crate::Client::{accessor_text}).",
            wires.join(" or "),
        ),
        noun,
        params,
        accessor,
        type_name,
    })
}
