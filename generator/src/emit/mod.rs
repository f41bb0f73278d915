//! Emitting: the IR into token streams, one per file. No decisions here.

mod apis;
mod common;
mod manifest;
mod models;
mod root;

use crate::ir::Api;
use crate::settings::{Layout, Settings};
use proc_macro2::TokenStream;

/// What a file holds before formatting.
pub enum Content {
    /// Rust code, to be formatted.
    Rust(TokenStream),
    /// Text that is written as is (a manifest, a copied runtime file).
    Text(String),
}

/// Every file of the output, with its path relative to the crate root.
pub fn emit(api: &Api, settings: &Settings) -> Vec<(String, Content)> {
    let mut files = Vec::new();
    if settings.layout == Layout::ModelsOnly {
        files.push(("models.rs".to_owned(), Content::Rust(models::models(api))));
        return files;
    }
    files.push((
        "src/lib.rs".to_owned(),
        Content::Rust(root::lib_rs(api, settings)),
    ));
    files.push((
        "src/models.rs".to_owned(),
        Content::Rust(models::models(api)),
    ));
    files.push((
        "src/apis/mod.rs".to_owned(),
        Content::Rust(apis::apis_mod(api)),
    ));
    for group in &api.groups {
        let path = format!("src/apis/{}.rs", crate::names::unraw(&group.module));
        files.push((
            path,
            Content::Rust(apis::group_module(group, api.has_deprecated)),
        ));
    }
    if settings.layout == Layout::Standalone {
        files.push((
            "Cargo.toml".to_owned(),
            Content::Text(manifest::cargo_toml(api, settings)),
        ));
        for (path, text) in crate::runtime_source::FILES {
            files.push((path.to_string(), Content::Text(text.to_string())));
        }
    }
    files
}
