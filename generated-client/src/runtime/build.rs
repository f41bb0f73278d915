//! `BuildError`: what a model's builder says when a required field was not set.

use std::fmt;

/// A builder was asked to build a value without one of its required fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildError {
    /// The type being built.
    pub type_name: &'static str,
    /// The wire name of the field that was not set.
    pub field: &'static str,
}

impl BuildError {
    /// The error for `field` of `type_name`.
    pub fn missing(type_name: &'static str, field: &'static str) -> Self {
        BuildError { type_name, field }
    }
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: the required field `{}` was not set",
            self.type_name, self.field
        )
    }
}

impl std::error::Error for BuildError {}
