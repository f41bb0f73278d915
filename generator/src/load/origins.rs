//! Where the parts of a converted document came from, so that errors and notes point into
//! the document the user wrote, not into the OpenAPI 3.0 form the loader made of it
//! (`#/definitions/Pet` in a Swagger 2.0 file, not `#/components/schemas/Pet`; a 3.1 `$ref`
//! with siblings at `.../$ref`, not at the `allOf` wrapper that replaced it).

use crate::error::Error;
use std::collections::HashMap;

/// Rules from a pointer prefix of the converted document to the prefix it came from, in
/// stages (one per conversion step), undone last stage first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Origins {
    stages: Vec<Stage>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Stage {
    moved: HashMap<String, String>,
    /// Whether the stage's moves nest (a keyword moved inside a schema that was itself moved
    /// by the same step), so that its rules are applied until none matches. A step whose
    /// rules map between two numberings of one list (2.0 parameters) must not chain, or an
    /// original index would be read as a converted one.
    nested: bool,
}

impl Origins {
    /// Starts the rules of one conversion step.
    pub(crate) fn stage(&mut self, nested: bool) {
        self.stages.push(Stage {
            moved: HashMap::new(),
            nested,
        });
    }

    /// Records that what is now at `converted` was written at `original`.
    pub(crate) fn record(&mut self, converted: impl Into<String>, original: impl Into<String>) {
        let (converted, original) = (converted.into(), original.into());
        if converted == original {
            return;
        }
        if self.stages.is_empty() {
            self.stage(false);
        }
        let stage = self.stages.last_mut().expect("a stage was just added");
        stage.moved.insert(converted, original);
    }

    /// The pointer in the user's document for a pointer into the converted one.
    pub fn original(&self, pointer: &str) -> String {
        let mut current = pointer.to_owned();
        for stage in self.stages.iter().rev() {
            // Nested moves are a few deep in real documents; the bound stops a cycle.
            let rounds = if stage.nested { 16 } else { 1 };
            for _ in 0..rounds {
                match stage.undo_one(&current) {
                    Some(earlier) => current = earlier,
                    None => break,
                }
            }
        }
        current
    }

    /// The same error, pointing into the user's document.
    pub(crate) fn locate(&self, mut error: Error) -> Error {
        error.pointer = self.original(&error.pointer);
        error
    }
}

impl Stage {
    /// Replaces the longest recorded prefix of `pointer` (whole segments) by its origin.
    fn undo_one(&self, pointer: &str) -> Option<String> {
        let mut prefix = pointer;
        loop {
            if let Some(original) = self.moved.get(prefix) {
                return Some(format!("{original}{}", &pointer[prefix.len()..]));
            }
            match prefix.rfind('/') {
                Some(i) if i > 0 => prefix = &prefix[..i],
                _ => return None,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_longest_recorded_prefix_wins() {
        let mut origins = Origins::default();
        origins.record("#/components/schemas", "#/definitions");
        origins.record(
            "#/paths/~1a/get/requestBody",
            "#/paths/~1a/get/parameters/1",
        );
        origins.record(
            "#/paths/~1a/get/requestBody/content/application~1json/schema",
            "#/paths/~1a/get/parameters/1/schema",
        );
        assert_eq!(
            origins.original("#/components/schemas/Pet/properties/id"),
            "#/definitions/Pet/properties/id"
        );
        assert_eq!(
            origins.original("#/paths/~1a/get/requestBody/content/application~1json/schema/items"),
            "#/paths/~1a/get/parameters/1/schema/items"
        );
        assert_eq!(
            origins.original("#/paths/~1a/get/requestBody/required"),
            "#/paths/~1a/get/parameters/1/required"
        );
        // Prefixes match whole segments only.
        assert_eq!(
            origins.original("#/components/schemasX"),
            "#/components/schemasX"
        );
        assert_eq!(origins.original("#/info"), "#/info");
        // Nested moves are undone one after the other.
        let mut nested = Origins::default();
        nested.stage(true);
        nested.record("#/a/allOf/1/p", "#/a/p");
        nested.record("#/a/allOf/1/p/allOf/0/$ref", "#/a/allOf/1/p/$ref");
        assert_eq!(nested.original("#/a/allOf/1/p/allOf/0/$ref"), "#/a/p/$ref");
        // Two numberings of one list: converted parameter 0 was written as parameter 1, and
        // the body that became the request body was parameter 0. One step undoes one rule.
        let mut renumbered = Origins::default();
        renumbered.stage(false);
        renumbered.record("#/op/parameters/0/schema", "#/op/parameters/1");
        renumbered.record(
            "#/op/requestBody/content/a/schema",
            "#/op/parameters/0/schema",
        );
        assert_eq!(
            renumbered.original("#/op/requestBody/content/a/schema/properties"),
            "#/op/parameters/0/schema/properties"
        );
    }
}
