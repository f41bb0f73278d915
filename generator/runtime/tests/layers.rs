//! The runtime's modules import each other in one direction only: there is an order to read
//! them in (the one `src/runtime/mod.rs` gives), from the facts of an API and the wire
//! pieces up to the client, and from the client to what is built on it (pagination, the
//! test kit). A module that imports one of its importers fails here, naming the circle.

use std::collections::{BTreeMap, BTreeSet};

#[test]
fn the_modules_import_each_other_in_one_direction() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/runtime");
    let mut imports: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        if name == "mod" {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        // The module's own code: its tests may reach anywhere.
        let code = text.split("#[cfg(test)]").next().unwrap_or_default();
        let mut uses = BTreeSet::new();
        for line in code.lines().filter(|l| !l.trim_start().starts_with("//")) {
            for (at, _) in line.match_indices("super::") {
                let rest = &line[at + "super::".len()..];
                let module: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                    .collect();
                if !module.is_empty() && module != name && rest[module.len()..].starts_with("::") {
                    uses.insert(module);
                }
            }
        }
        imports.insert(name, uses);
    }
    assert!(
        imports.contains_key("client") && imports.len() > 10,
        "{imports:?}"
    );
    // Depth-first search for a path back to where it started.
    fn circle(
        from: &str,
        imports: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|m| m == from) {
            let mut found = path[at..].to_vec();
            found.push(from.to_owned());
            return Some(found);
        }
        path.push(from.to_owned());
        for next in imports.get(from).into_iter().flatten() {
            if let Some(found) = circle(next, imports, path) {
                return Some(found);
            }
        }
        path.pop();
        None
    }
    for module in imports.keys() {
        if let Some(found) = circle(module, &imports, &mut Vec::new()) {
            panic!(
                "the runtime's modules import in a circle: {}",
                found.join(" -> ")
            );
        }
    }
}
