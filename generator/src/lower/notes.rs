//! Putting every note (repairs, fallbacks to `serde_json::Value`, approximations) into the
//! documentation of the item it concerns, so that a user reading the generated docs sees what
//! was not typed exactly, where it was not.
//!
//! A note goes to the type or operation whose source pointer is the longest prefix of the
//! note's pointer; notes that concern no generated item (a component nothing uses, the
//! document as a whole) are listed in the crate's documentation.

use crate::docs::{self, code};
use crate::ir::{Api, Note, NoteKind};
use std::collections::HashMap;

/// `1 note`, `2 notes`.
fn counted(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// How many notes the crate documentation lists one by one.
const CRATE_DOC_LIMIT: usize = 50;

/// Appends each note to its item's docs, and a summary (with the notes no item took) to the
/// crate docs.
pub fn attach(api: &mut Api) {
    if api.notes.is_empty() && api.untyped.total() == 0 {
        return;
    }
    enum Target {
        Type(usize),
        Operation(usize, usize),
    }
    let mut by_source: HashMap<&str, Target> = HashMap::new();
    for (i, t) in api.types.iter().enumerate() {
        by_source
            .entry(t.source.as_str())
            .or_insert(Target::Type(i));
    }
    for (g, group) in api.groups.iter().enumerate() {
        for (o, op) in group.operations.iter().enumerate() {
            by_source
                .entry(op.source.as_str())
                .or_insert(Target::Operation(g, o));
        }
    }
    let mut per_type: HashMap<usize, Vec<String>> = HashMap::new();
    let mut per_op: HashMap<(usize, usize), Vec<String>> = HashMap::new();
    let mut unattached: Vec<&Note> = Vec::new();
    for note in &api.notes {
        let mut prefix = note.pointer.as_str();
        let found = loop {
            if let Some(target) = by_source.get(prefix) {
                break Some(target);
            }
            match prefix.rfind('/') {
                Some(i) if i > 1 => prefix = &prefix[..i],
                _ => break None,
            }
        };
        let relative = note.pointer[prefix.len()..].trim_start_matches('/');
        let line = if relative.is_empty() {
            format!("- {}", docs::sanitize(&note.message))
        } else {
            format!("- {}: {}", code(relative), docs::sanitize(&note.message))
        };
        match found {
            Some(Target::Type(i)) => per_type.entry(*i).or_default().push(line),
            Some(Target::Operation(g, o)) => per_op.entry((*g, *o)).or_default().push(line),
            None => unattached.push(note),
        }
    }
    for (i, lines) in per_type {
        let doc = &mut api.types[i].doc;
        *doc = with_section(doc, &lines);
    }
    for ((g, o), lines) in per_op {
        let doc = &mut api.groups[g].operations[o].doc;
        *doc = with_section(doc, &lines);
    }
    let count = |kind| api.notes.iter().filter(|n| n.kind == kind).count();
    let untyped = api.untyped;
    let untyped_text = if untyped.total() == 0 {
        "No field, parameter or body is typed as `serde_json::Value` or an untyped map.".to_owned()
    } else {
        format!(
            "{} typed as `serde_json::Value` or an untyped map, where the description gives no type (or one the client cannot express): {}.",
            counted(untyped.total(), "place is", "places are"),
            untyped.describe().split_once(" (").map_or(String::new(), |(_, rest)| rest.trim_end_matches(')').to_owned()),
        )
    };
    let mut summary = format!("# Generator notes\n\n{untyped_text}");
    if !api.notes.is_empty() {
        let kinds: Vec<String> = [
            (
                NoteKind::Repair,
                "repair of a rule-breaking part",
                "repairs of rule-breaking parts",
            ),
            (
                NoteKind::Untyped,
                "part typed as `serde_json::Value` where a type was given",
                "parts typed as `serde_json::Value` where a type was given",
            ),
            (
                NoteKind::Dropped,
                "operation or parameter left out",
                "operations or parameters left out",
            ),
            (
                NoteKind::Approximate,
                "other approximation",
                "other approximations",
            ),
        ]
        .into_iter()
        .filter(|(kind, _, _)| count(*kind) > 0)
        .map(|(kind, one, many)| counted(count(kind), one, many))
        .collect();
        summary.push_str(&format!(
            " The generator made {} about the API description: {}. Each is in the documentation of the item it concerns.",
            counted(api.notes.len(), "note", "notes"),
            kinds.join(", "),
        ));
    }
    if !unattached.is_empty() {
        summary.push_str(" These concern no generated item:\n");
        for note in unattached.iter().take(CRATE_DOC_LIMIT) {
            summary.push_str(&format!(
                "\n- {}: {}",
                code(&note.pointer),
                docs::sanitize(&note.message)
            ));
        }
        if unattached.len() > CRATE_DOC_LIMIT {
            summary.push_str(&format!(
                "\n- and {} more",
                unattached.len() - CRATE_DOC_LIMIT
            ));
        }
    }
    api.doc = docs::paragraphs([api.doc.clone(), summary]);
}

fn with_section(doc: &str, lines: &[String]) -> String {
    docs::paragraphs([
        doc.to_owned(),
        format!("Generator notes:\n\n{}", lines.join("\n")),
    ])
}
