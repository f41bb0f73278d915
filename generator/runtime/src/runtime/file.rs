//! `FilePart`: a file sent as one part of a `multipart/form-data` body (a property the API
//! description types `type: string, format: binary`).
//!
//! Models serialise through serde, which has no notion of a file. While a multipart body is
//! being encoded, each `FilePart` hands itself to the encoder and leaves a marker in the
//! serialised value where it stood; the encoder turns the marker back into a file part with
//! its name, file name and content type. Serialised anywhere else (a JSON body), a file is
//! its contents as text.

use bytes::Bytes;
use futures::stream::BoxStream;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::cell::RefCell;
use std::sync::Arc;

/// Opens a file part's contents again for each attempt of a call.
type Opener = Arc<dyn Fn() -> BoxStream<'static, std::io::Result<Bytes>> + Send + Sync>;

/// The contents of a file part: bytes in memory, or a stream opened anew for each attempt.
#[derive(Clone)]
pub(crate) enum Contents {
    Bytes(Bytes),
    Stream { open: Opener, length: Option<u64> },
}

/// A file for a `multipart/form-data` field: its contents, and the file name and content
/// type the part is sent with:
/// `FilePart::new(bytes).file_name("logo.png").content_type("image/png")`.
#[derive(Clone)]
pub struct FilePart {
    pub(crate) contents: Contents,
    pub(crate) file_name: Option<String>,
    pub(crate) content_type: Option<String>,
}

impl std::fmt::Debug for FilePart {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FilePart")
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .field("len", &self.len())
            .finish()
    }
}

impl PartialEq for FilePart {
    /// Files in memory are equal when their contents, names and types are; a streamed file
    /// equals only itself.
    fn eq(&self, other: &Self) -> bool {
        let contents = match (&self.contents, &other.contents) {
            (Contents::Bytes(a), Contents::Bytes(b)) => a == b,
            (Contents::Stream { open: a, .. }, Contents::Stream { open: b, .. }) => {
                Arc::ptr_eq(a, b)
            }
            _ => false,
        };
        contents && self.file_name == other.file_name && self.content_type == other.content_type
    }
}

impl FilePart {
    /// A file held in memory. It is sent as `application/octet-stream` under the field's name
    /// unless [`file_name`](Self::file_name) and [`content_type`](Self::content_type) say
    /// otherwise.
    pub fn new(contents: impl Into<Bytes>) -> Self {
        FilePart {
            contents: Contents::Bytes(contents.into()),
            file_name: None,
            content_type: None,
        }
    }

    /// A file read from a stream, for uploads too large to hold in memory. `open` is called
    /// for every attempt of the call (a retry sends the file again from its start); `length`,
    /// when known, is sent as the part's size.
    pub fn stream<S>(length: Option<u64>, open: impl Fn() -> S + Send + Sync + 'static) -> Self
    where
        S: futures::Stream<Item = std::io::Result<Bytes>> + Send + 'static,
    {
        let open: Opener = Arc::new(move || Box::pin(open()));
        FilePart {
            contents: Contents::Stream { open, length },
            file_name: None,
            content_type: None,
        }
    }

    /// The file name the part is sent with (`Content-Disposition: form-data; filename=...`).
    pub fn file_name(mut self, name: impl Into<String>) -> Self {
        self.file_name = Some(name.into());
        self
    }

    /// The content type the part is sent with (`image/png`).
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }

    /// The size in bytes, when known.
    pub fn len(&self) -> Option<u64> {
        match &self.contents {
            Contents::Bytes(bytes) => Some(bytes.len() as u64),
            Contents::Stream { length, .. } => *length,
        }
    }

    /// Whether the file is known to be empty.
    pub fn is_empty(&self) -> bool {
        self.len() == Some(0)
    }

    /// The contents, when they are held in memory.
    pub fn bytes(&self) -> Option<&Bytes> {
        match &self.contents {
            Contents::Bytes(bytes) => Some(bytes),
            Contents::Stream { .. } => None,
        }
    }
}

impl From<Vec<u8>> for FilePart {
    fn from(contents: Vec<u8>) -> Self {
        FilePart::new(contents)
    }
}

impl From<Bytes> for FilePart {
    fn from(contents: Bytes) -> Self {
        FilePart::new(contents)
    }
}

impl From<&'static [u8]> for FilePart {
    fn from(contents: &'static [u8]) -> Self {
        FilePart::new(contents)
    }
}

thread_local! {
    /// The files of the multipart body being encoded on this thread, if one is.
    static COLLECTED: RefCell<Option<Vec<FilePart>>> = const { RefCell::new(None) };
}

/// Marks where a collected file stood: a NUL, which no text field of a form carries, then
/// its index.
const MARKER: &str = "\u{0}file-part:";

/// Serialises `value` while collecting its files: the value with a marker for each file, and
/// the files in marker order.
pub(crate) fn collect_files<T>(
    value: &T,
) -> (Result<serde_json::Value, serde_json::Error>, Vec<FilePart>)
where
    T: Serialize + ?Sized,
{
    let outer = COLLECTED.with(|c| c.replace(Some(Vec::new())));
    let result = serde_json::to_value(value);
    let files = COLLECTED.with(|c| c.replace(outer)).unwrap_or_default();
    (result, files)
}

/// The index of the collected file a serialised string stands for, if it is a marker.
pub(crate) fn marker_index(text: &str) -> Option<usize> {
    text.strip_prefix(MARKER)?.parse().ok()
}

impl Serialize for FilePart {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let index = COLLECTED.with(|c| {
            c.borrow_mut().as_mut().map(|files| {
                files.push(self.clone());
                files.len() - 1
            })
        });
        match (index, &self.contents) {
            (Some(index), _) => serializer.serialize_str(&format!("{MARKER}{index}")),
            (None, Contents::Bytes(bytes)) => {
                serializer.serialize_str(&String::from_utf8_lossy(bytes))
            }
            (None, Contents::Stream { .. }) => Err(serde::ser::Error::custom(
                "a streamed file can only be sent in a multipart body",
            )),
        }
    }
}

impl<'de> Deserialize<'de> for FilePart {
    /// A file in a JSON document is its contents as text.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(|text| FilePart::new(text.into_bytes()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct Upload {
        caption: String,
        file: FilePart,
        more: Vec<FilePart>,
    }

    #[test]
    fn files_are_collected_in_order_and_leave_markers() {
        let upload = Upload {
            caption: "c".into(),
            file: FilePart::new(&b"one"[..]).file_name("a.txt"),
            more: vec![FilePart::new(&b"two"[..]), FilePart::new(&b"three"[..])],
        };
        let (value, files) = collect_files(&upload);
        let value = value.unwrap();
        assert_eq!(marker_index(value["file"].as_str().unwrap()), Some(0));
        assert_eq!(marker_index(value["more"][1].as_str().unwrap()), Some(2));
        assert_eq!(marker_index("file-part:0"), None);
        let contents: Vec<_> = files.iter().map(|f| f.bytes().unwrap().clone()).collect();
        assert_eq!(contents, ["one", "two", "three"]);
        assert_eq!(files[0].file_name.as_deref(), Some("a.txt"));
        // Outside a multipart body a file is its text, and nothing is collected.
        let json = serde_json::to_value(&upload).unwrap();
        assert_eq!(json["file"], "one");
    }

    #[test]
    fn a_streamed_file_is_not_json() {
        let file = FilePart::stream(Some(3), || futures::stream::iter([Ok(Bytes::from("abc"))]));
        assert_eq!(file.len(), Some(3));
        assert!(serde_json::to_value(&file).is_err());
        assert_eq!(file, file.clone());
    }
}
