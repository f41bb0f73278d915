//! Reading a document from disk: the root file, the files it refers to (relative to it) and
//! overlays, for every front end (the xtask, the installed command, build scripts).

use super::{Document, FileReader, LoadOptions};
use crate::error::Error;
use std::path::{Path, PathBuf};

/// Reads the files of a multi-file document from disk, relative to `base`; remembers every
/// file it read, so that a build script can ask Cargo to watch them.
pub struct DiskFiles {
    /// The directory relative paths are resolved against.
    pub base: PathBuf,
    read: std::sync::Mutex<Vec<PathBuf>>,
}

impl DiskFiles {
    /// A reader of files relative to `base`.
    pub fn new(base: impl Into<PathBuf>) -> Self {
        DiskFiles {
            base: base.into(),
            read: std::sync::Mutex::new(Vec::new()),
        }
    }

    /// Every file read so far, in the order first read.
    pub fn files_read(&self) -> Vec<PathBuf> {
        self.read.lock().map(|r| r.clone()).unwrap_or_default()
    }
}

impl FileReader for DiskFiles {
    fn read(&self, path: &str) -> Result<String, String> {
        let full = self.base.join(path);
        if let Ok(mut read) = self.read.lock() {
            if !read.contains(&full) {
                read.push(full.clone());
            }
        }
        std::fs::read_to_string(&full).map_err(|e| e.to_string())
    }
}

/// Loads the document at `label` (the path shown in messages, which is also the path other
/// files are resolved against, relative to `base`), applying `overlays` (paths relative to
/// `base`) in order. Errors name the file and the JSON pointer. Also gives the files the
/// document referred to.
pub fn load_from_disk(
    base: &Path,
    label: &str,
    overlays: &[String],
    lenient: bool,
) -> Result<(Document, Vec<PathBuf>), Error> {
    let text = std::fs::read_to_string(base.join(label))
        .map_err(|e| Error::new("#", format!("cannot read: {e}")).in_file(label))?;
    let mut overlay_texts = Vec::new();
    for overlay in overlays {
        let overlay_text = std::fs::read_to_string(base.join(overlay))
            .map_err(|e| Error::new("#", format!("cannot read overlay: {e}")).in_file(overlay))?;
        overlay_texts.push((overlay.clone(), overlay_text));
    }
    let files = DiskFiles::new(base);
    let options = LoadOptions {
        lenient,
        overlays: overlay_texts,
        files: Some(&files),
    };
    let doc = super::load(label, &text, &options)?;
    Ok((doc, files.files_read()))
}
