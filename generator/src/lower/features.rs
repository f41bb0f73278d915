//! Cargo features per resource group, for very large APIs.
//!
//! A user of GitHub's API who only calls `repos` should not have to compile the other 32
//! groups. Each group gets a feature (all on by default); each model type is compiled when a
//! feature of any group whose operations use it, directly or through other types, is on.
//! Types that every group uses, or that no operation uses, are always compiled, as is
//! everything they refer to.

use super::types::{mentioned, referenced_names};
use crate::ir::{Api, Group};
use crate::settings::{Layout, Settings, TagFeatures};
use std::collections::{BTreeSet, HashMap, HashSet};

/// Feature names Cargo gives a meaning of its own, or that the manifest uses.
const RESERVED_FEATURES: &[&str] = &["default", "full", EXTRA_MODELS];

/// The feature of the model types that no operation uses.
const EXTRA_MODELS: &str = "extra_models";

/// Whether the crate gets one feature per group.
pub fn wanted(api: &Api, settings: &Settings) -> bool {
    if settings.layout != Layout::Standalone || api.groups.len() < 2 {
        return false;
    }
    match settings.tag_features {
        TagFeatures::Always => true,
        TagFeatures::Never => false,
        TagFeatures::Auto => {
            let operations: usize = api.groups.iter().map(|g| g.operations.len()).sum();
            operations > TagFeatures::AUTO_MIN_OPERATIONS
        }
    }
}

/// Names each group's feature and decides which features compile each type.
pub fn assign(api: &mut Api) {
    let mut taken: HashSet<String> = HashSet::new();
    for group in &mut api.groups {
        let module = crate::names::unraw(&group.module).to_owned();
        let mut name = if RESERVED_FEATURES.contains(&module.as_str()) {
            format!("{module}_api")
        } else {
            module
        };
        while taken.contains(&name) {
            name.push('_');
        }
        taken.insert(name.clone());
        group.doc = crate::docs::paragraphs([
            std::mem::take(&mut group.doc),
            format!("Compiled with the `{name}` cargo feature."),
        ]);
        group.feature = Some(name);
    }

    let index: HashMap<&str, usize> = api
        .types
        .iter()
        .enumerate()
        .map(|(i, t)| (t.name.as_str(), i))
        .collect();
    let edges: Vec<Vec<usize>> = api
        .types
        .iter()
        .map(|t| {
            let mut names = Vec::new();
            referenced_names(&t.kind, &mut names);
            names
                .iter()
                .filter_map(|n| index.get(n.as_str()).copied())
                .collect()
        })
        .collect();

    // Which groups reach each type.
    let mut users: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); api.types.len()];
    for (g, group) in api.groups.iter().enumerate() {
        let mut roots = Vec::new();
        group_roots(group, &mut roots);
        let mut stack: Vec<usize> = roots
            .iter()
            .filter_map(|n| index.get(n.as_str()).copied())
            .collect();
        while let Some(t) = stack.pop() {
            if users[t].insert(g) {
                stack.extend(&edges[t]);
            }
        }
    }

    // Types no operation uses (GitHub's webhook payloads, say) get a feature of their own,
    // and so does everything they refer to.
    let unused: Vec<usize> = (0..api.types.len())
        .filter(|&t| users[t].is_empty())
        .collect();
    let groups = api.groups.len();
    let mut extra_feature = None;
    if !unused.is_empty() {
        let mut name = String::from(EXTRA_MODELS);
        while taken.contains(&name) {
            name.push('_');
        }
        extra_feature = Some(name);
        let mut stack = unused;
        while let Some(t) = stack.pop() {
            if users[t].insert(groups) {
                stack.extend(&edges[t]);
            }
        }
    }

    // Types every group uses are always compiled, and so is what they refer to.
    let mut always = vec![false; api.types.len()];
    let mut stack: Vec<usize> = (0..api.types.len())
        .filter(|&t| (0..groups).all(|g| users[t].contains(&g)))
        .collect();
    while let Some(t) = stack.pop() {
        if !always[t] {
            always[t] = true;
            stack.extend(&edges[t]);
        }
    }

    let feature_of = |g: usize| match api.groups.get(g) {
        Some(group) => group.feature.clone(),
        None => extra_feature.clone(),
    };
    let features: Vec<Vec<String>> = (0..api.types.len())
        .map(|t| {
            if always[t] {
                Vec::new()
            } else {
                users[t].iter().filter_map(|&g| feature_of(g)).collect()
            }
        })
        .collect();
    for (def, features) in api.types.iter_mut().zip(features) {
        def.features = features;
    }
    api.extra_models_feature = extra_feature;
    api.doc = crate::docs::paragraphs([std::mem::take(&mut api.doc), features_doc(api)]);
}

/// The crate docs' section on features.
fn features_doc(api: &Api) -> String {
    let mut list: Vec<String> = api
        .groups
        .iter()
        .filter_map(|g| {
            let feature = g.feature.as_deref()?;
            let module = crate::names::unraw(&g.module);
            Some(format!("- `{feature}`: the operations of `apis::{module}`"))
        })
        .collect();
    if let Some(extra) = &api.extra_models_feature {
        list.push(format!("- `{extra}`: the model types no operation uses"));
    }
    format!(
        "# Cargo features\n\n\
         Each module of [`apis`] is compiled only with its cargo feature, and each model type \
         only with the features of the groups that use it. All of them are on by default, \
         through the `full` feature; to compile only what you call, depend on this crate with \
         `default-features = false` and list the features you need:\n\n{}",
        list.join("\n")
    )
}

/// The model types an operation of the group names in its parameters, body and response.
fn group_roots(group: &Group, out: &mut Vec<String>) {
    use crate::ir::Response;
    for op in &group.operations {
        for param in &op.params {
            mentioned(&param.ty, out);
        }
        if let Some(body) = &op.body {
            mentioned(&body.ty, out);
        }
        match &op.response {
            Response::Unit => {}
            Response::Body(body) => mentioned(&body.ty, out),
            Response::Outcomes { variants, .. } => {
                for body in variants.iter().filter_map(|v| v.body.as_ref()) {
                    mentioned(&body.ty, out);
                }
            }
        }
        if let Some(pagination) = &op.pagination {
            mentioned(&pagination.item, out);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::settings::{Layout, Settings, TagFeatures};

    fn plan(tag_features: TagFeatures, layout: Layout) -> crate::ir::Api {
        let text = include_str!("../../../spec/fixtures/tag_features.yaml");
        let doc = crate::parse_document(text).expect("the fixture parses");
        let settings = Settings {
            tag_features,
            ..Settings::new("t", "t").with_layout(layout)
        };
        crate::lower(&doc, &settings).expect("the fixture lowers")
    }

    fn features_of<'a>(api: &'a crate::ir::Api, name: &str) -> Vec<&'a str> {
        let t = api
            .types
            .iter()
            .find(|t| t.name == name)
            .expect("type exists");
        t.features.iter().map(String::as_str).collect()
    }

    #[test]
    fn each_type_follows_the_groups_that_use_it() {
        let api = plan(TagFeatures::Always, Layout::Standalone);
        let groups: Vec<_> = api.groups.iter().map(|g| g.feature.as_deref()).collect();
        // `default` would clash with Cargo's own feature.
        assert_eq!(groups, [Some("default_api"), Some("pets"), Some("stores")]);
        assert_eq!(api.extra_models_feature.as_deref(), Some("extra_models"));
        // Every group uses Meta, so it and Status (which Meta refers to) are always compiled.
        assert!(features_of(&api, "Meta").is_empty());
        assert!(features_of(&api, "Status").is_empty());
        assert_eq!(features_of(&api, "Store"), ["stores"]);
        // Pets reach Pet directly, stores through Store, the unused PetAdopted through its field.
        assert_eq!(features_of(&api, "Pet"), ["pets", "stores", "extra_models"]);
        assert_eq!(
            features_of(&api, "PetKind"),
            ["pets", "stores", "extra_models"]
        );
        assert_eq!(features_of(&api, "PetAdopted"), ["extra_models"]);
    }

    #[test]
    fn small_apis_and_embedded_crates_have_no_features() {
        for api in [
            plan(TagFeatures::Auto, Layout::Standalone),
            plan(TagFeatures::Always, Layout::Embedded),
            plan(TagFeatures::Never, Layout::Standalone),
        ] {
            assert!(api.groups.iter().all(|g| g.feature.is_none()));
            assert!(api.types.iter().all(|t| t.features.is_empty()));
        }
    }
}
