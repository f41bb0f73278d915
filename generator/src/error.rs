//! The generator's error: what went wrong and where, as a JSON pointer into the document.

use std::fmt;

/// A document the generator cannot turn into a client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// The file the pointer is in, when the document has several (or the caller named it).
    pub file: Option<String>,
    /// JSON pointer (`#/paths/~1users~1{uuid}/get`) of the offending node.
    pub pointer: String,
    /// What is wrong, in one line.
    pub message: String,
}

impl Error {
    /// An error at `pointer`. A message longer than [`Error::MAX_MESSAGE`] characters (a
    /// parser quoting a long value back, say) is cut.
    pub fn new(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        let mut message: String = message.into();
        if message.chars().count() > Self::MAX_MESSAGE {
            message = message.chars().take(Self::MAX_MESSAGE).collect::<String>() + "…";
        }
        Error {
            file: None,
            pointer: pointer.into(),
            message,
        }
    }

    /// The longest message an error carries, in characters.
    pub const MAX_MESSAGE: usize = 400;

    /// The same error, located in `file`.
    pub fn in_file(mut self, file: &str) -> Self {
        self.file = Some(file.to_owned());
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.file {
            Some(file) => write!(f, "{file}: {}: {}", self.pointer, self.message),
            None => write!(f, "{}: {}", self.pointer, self.message),
        }
    }
}

impl std::error::Error for Error {}

/// Escapes one JSON pointer segment (`~` -> `~0`, `/` -> `~1`).
pub fn escape_segment(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

/// Builds a JSON pointer from segments.
pub fn pointer<I, S>(segments: I) -> String
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    let mut out = String::from("#");
    for segment in segments {
        out.push('/');
        out.push_str(&escape_segment(segment.as_ref()));
    }
    out
}

/// Appends a segment to a pointer.
pub fn child(parent: &str, segment: &str) -> String {
    format!("{parent}/{}", escape_segment(segment))
}
