//! `posthog-api` is releasable: its version covers the API changes since the last release, and
//! its `rust-version` is no older than any of its dependencies need.

#[test]
fn the_version_covers_the_changes_since_the_last_release() {
    let summary = xtask::release::check(&xtask::workspace_root()).unwrap_or_else(|e| panic!("{e}"));
    eprintln!("{summary}");
}

#[test]
fn an_unbumped_breaking_change_is_refused() {
    // A scratch copy of what the check reads, with an operation removed from the spec.
    let root = xtask::workspace_root();
    let scratch = tempfile::tempdir().unwrap();
    for file in [
        "spec/codegen.yaml",
        "spec/released/release.yaml",
        "spec/released/posthog.yaml",
        "generated-client/Cargo.toml",
    ] {
        let to = scratch.path().join(file);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(root.join(file), to).unwrap();
    }
    let spec = std::fs::read_to_string(root.join("spec/released/posthog.yaml")).unwrap();
    let mut doc: serde_yaml::Value = serde_yaml::from_str(&spec).unwrap();
    doc["paths"]
        .as_mapping_mut()
        .unwrap()
        .remove("/api/users/{uuid}/github_login/");
    std::fs::write(
        scratch.path().join("spec/posthog.yaml"),
        serde_yaml::to_string(&doc).unwrap(),
    )
    .unwrap();
    let err = xtask::release::check(scratch.path()).unwrap_err();
    assert!(err.contains("needs a major release"), "{err}");
    assert!(err.contains("at least 0.2.0"), "{err}");
}

#[test]
fn rust_version_is_at_least_every_dependency_s() {
    // The dependencies this machine builds: metadata for every platform would need crates
    // (Android's, say) that an offline machine has not downloaded.
    let rustc = std::process::Command::new("rustc")
        .arg("-vV")
        .output()
        .unwrap();
    let host = String::from_utf8_lossy(&rustc.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("host: ").map(str::to_owned))
        .unwrap();
    let output = std::process::Command::new(env!("CARGO"))
        .args(["metadata", "--format-version", "1", "--offline"])
        .args(["--filter-platform", &host])
        .current_dir(xtask::workspace_root())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let meta: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let packages = meta["packages"].as_array().unwrap();
    let by_id = |id: &str| packages.iter().find(|p| p["id"] == id).unwrap();
    let version = |text: &str| -> Vec<u64> {
        let mut parts: Vec<u64> = text.split('.').map(|p| p.parse().unwrap()).collect();
        parts.resize(3, 0);
        parts
    };
    let root = packages
        .iter()
        .find(|p| p["name"] == "posthog-api")
        .unwrap();
    let ours = version(
        root["rust_version"]
            .as_str()
            .expect("posthog-api sets rust-version"),
    );
    let nodes = meta["resolve"]["nodes"].as_array().unwrap();
    let mut stack = vec![root["id"].as_str().unwrap().to_owned()];
    let mut seen = std::collections::HashSet::new();
    let mut newer = Vec::new();
    while let Some(id) = stack.pop() {
        if !seen.insert(id.clone()) {
            continue;
        }
        let package = by_id(&id);
        if let Some(needed) = package["rust_version"].as_str() {
            if version(needed) > ours {
                newer.push(format!("{} needs {needed}", package["name"]));
            }
        }
        let node = nodes.iter().find(|n| n["id"] == id.as_str()).unwrap();
        for dep in node["deps"].as_array().unwrap() {
            let normal = dep["dep_kinds"]
                .as_array()
                .unwrap()
                .iter()
                .any(|k| k["kind"].is_null() || k["kind"] == "build");
            if normal {
                stack.push(dep["pkg"].as_str().unwrap().to_owned());
            }
        }
    }
    assert!(
        newer.is_empty(),
        "posthog-api's rust-version is older than: {newer:?}"
    );
}
