//! Reading an API description for any command: the root file, the files it refers to, and
//! overlays, with every note the generator makes printed rather than kept quiet.

use generator::ir::{Note, NoteKind};
use generator::Document;
use std::collections::BTreeMap;
use std::path::Path;

/// Loads the document at `spec` (shown as `label`, which is also the path other files are
/// resolved against, relative to `base`), applying `overlays` in order. Errors name the file
/// and the JSON pointer.
pub fn load(
    base: &Path,
    label: &str,
    overlays: &[String],
    lenient: bool,
) -> Result<Document, String> {
    generator::load_from_disk(base, label, overlays, lenient)
        .map(|(doc, _)| doc)
        .map_err(|e| e.to_string())
}

/// How many notes of one kind of message are printed one by one before they are grouped.
const UNGROUPED: usize = 5;

/// Prints every note as a warning (`label: pointer: message`). Notes that say the same thing
/// in many places are grouped with a count and their first place, unless `verbose`.
pub fn print_notes(label: &str, notes: &[Note], verbose: bool) {
    let mut groups: BTreeMap<String, Vec<&Note>> = BTreeMap::new();
    let mut order: Vec<String> = Vec::new();
    for note in notes {
        let key = message_shape(&note.message);
        if !groups.contains_key(&key) {
            order.push(key.clone());
        }
        groups.entry(key).or_default().push(note);
    }
    for key in order {
        let group = &groups[&key];
        if verbose || group.len() <= UNGROUPED {
            for note in group {
                eprintln!("warning: {label}: {}: {}", note.pointer, note.message);
            }
        } else {
            let first = group[0];
            eprintln!(
                "warning: {label}: {} places: {} (first: {}: {}; `--verbose` lists every one)",
                group.len(),
                key,
                first.pointer,
                first.message
            );
        }
    }
}

/// A message without the names in it (`` `Pet` `` becomes `` `…` ``), so that notes saying the
/// same thing about different items group together.
fn message_shape(message: &str) -> String {
    let mut out = String::new();
    let mut in_code = false;
    for c in message.chars() {
        if c == '`' {
            in_code = !in_code;
            if in_code {
                out.push_str("`…`");
            }
        } else if !in_code {
            out.push(c);
        }
    }
    out
}

/// Counts of notes by kind: (repairs, untyped fallbacks, left out, other approximations).
pub fn note_counts(notes: &[Note]) -> (usize, usize, usize, usize) {
    let count = |kind| notes.iter().filter(|n| n.kind == kind).count();
    (
        count(NoteKind::Repair),
        count(NoteKind::Untyped),
        count(NoteKind::Dropped),
        count(NoteKind::Approximate),
    )
}

/// The one-line summary a generating command ends with: what was generated, what is untyped
/// in its public signatures (by kind), and what the generator repaired, left out or
/// approximated.
pub fn summary(name: &str, api: &generator::ir::Api) -> String {
    let operations: usize = api.groups.iter().map(|g| g.operations.len()).sum();
    let (repairs, _, dropped, approximate) = note_counts(&api.notes);
    format!(
        "{name}: {operations} operations, {} models, {}, {repairs} repairs, {dropped} left out, {approximate} other approximations",
        api.types.len(),
        api.untyped.describe()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_group_by_shape() {
        assert_eq!(
            message_shape("`A` is defined in terms of itself; typed as serde_json::Value"),
            "`…` is defined in terms of itself; typed as serde_json::Value"
        );
    }
}
