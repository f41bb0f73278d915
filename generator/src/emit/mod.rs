//! Emitting: the IR into token streams, one per file. No decisions here.
//!
//! The files to make are listed first ([`jobs`]); each is then emitted on its own
//! ([`run_job`]), so that `generate` can emit and format files on several threads and drop
//! each file's tokens as soon as it is formatted.

mod apis;
mod common;
mod construction;
mod manifest;
mod mock;
mod models;
mod root;

use crate::ir::Api;
use crate::settings::{Layout, RuntimeDependency, Settings};
use proc_macro2::TokenStream;

/// What a file holds before formatting.
pub enum Content {
    /// Rust code, to be formatted.
    Rust(TokenStream),
    /// Text that is written as is (a manifest, a copied runtime file).
    Text(String),
}

/// One file to make.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Job {
    /// `src/lib.rs`.
    Lib,
    /// `models.rs` (all types in one file).
    Models,
    /// `models/mod.rs` of a split `models/`.
    ModelsMod,
    /// One file of a split `models/`.
    ModelFile(usize),
    /// `apis/mod.rs`.
    ApisMod,
    /// One group's `apis/<group>.rs`.
    Group(usize),
    /// `mock.rs`, the test kit.
    Mock,
    /// `Cargo.toml` of a standalone crate.
    Manifest,
    /// A copied runtime file.
    Runtime(usize),
}

/// Every file of the output, with its path relative to the crate root.
pub fn jobs(api: &Api, settings: &Settings) -> Vec<(String, Job)> {
    let mut jobs = Vec::new();
    let models_dir = match settings.layout {
        Layout::ModelsOnly => "",
        Layout::Embedded | Layout::Standalone | Layout::BuildScript => "src/",
    };
    if settings.layout != Layout::ModelsOnly {
        jobs.push(("src/lib.rs".to_owned(), Job::Lib));
    }
    if api.model_modules.is_empty() || settings.layout == Layout::ModelsOnly {
        jobs.push((format!("{models_dir}models.rs"), Job::Models));
    } else {
        jobs.push((format!("{models_dir}models/mod.rs"), Job::ModelsMod));
        for (i, module) in api.model_modules.iter().enumerate() {
            jobs.push((
                format!("{models_dir}models/{}.rs", module.name),
                Job::ModelFile(i),
            ));
        }
    }
    if settings.layout == Layout::ModelsOnly {
        return jobs;
    }
    jobs.push(("src/apis/mod.rs".to_owned(), Job::ApisMod));
    for (i, group) in api.groups.iter().enumerate() {
        jobs.push((
            format!("src/apis/{}.rs", crate::names::unraw(&group.module)),
            Job::Group(i),
        ));
    }
    if settings.layout != Layout::BuildScript {
        jobs.push(("src/mock.rs".to_owned(), Job::Mock));
    }
    if settings.layout == Layout::Standalone {
        jobs.push(("Cargo.toml".to_owned(), Job::Manifest));
    }
    if settings.runtime == RuntimeDependency::Vendored {
        for (i, (name, _)) in openapi_rust_runtime::source::FILES.iter().enumerate() {
            jobs.push((format!("src/runtime/{name}"), Job::Runtime(i)));
        }
    }
    jobs
}

/// Emits one file.
pub fn run_job(api: &Api, settings: &Settings, job: Job) -> Content {
    match job {
        Job::Lib => Content::Rust(root::lib_rs(api, settings)),
        Job::Models => Content::Rust(models::models(api)),
        Job::ModelsMod => Content::Rust(models::models_mod(api)),
        Job::ModelFile(i) => Content::Rust(models::model_file(api, i)),
        Job::ApisMod => Content::Rust(apis::apis_mod(api)),
        Job::Group(i) => Content::Rust(apis::group_module(
            &api.groups[i],
            api.scope.as_ref(),
            api.has_deprecated,
            api.non_exhaustive,
        )),
        Job::Mock => Content::Rust(mock::mock_module(api)),
        Job::Manifest => Content::Text(manifest::cargo_toml(api, settings)),
        Job::Runtime(i) => Content::Text(openapi_rust_runtime::source::FILES[i].1.to_owned()),
    }
}

/// Every file, emitted one after another.
pub fn emit(api: &Api, settings: &Settings) -> Vec<(String, Content)> {
    jobs(api, settings)
        .into_iter()
        .map(|(path, job)| (path, run_job(api, settings, job)))
        .collect()
}
