//! Making deviations visible: a `tracing` warning the first time each one is seen, and a
//! JSON-lines file for the maintainer (see
//! [`ClientBuilder::record_deviations`](crate::ClientBuilder::record_deviations)).

use super::decode::{Deviation, DeviationKind};
use std::collections::HashSet;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

/// Where a response came from, for the record.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Origin<'a> {
    pub(crate) operation: &'static str,
    pub(crate) method: &'a str,
    pub(crate) template: &'static str,
    pub(crate) status: u16,
    pub(crate) content_type: &'a str,
}

/// A JSON-lines file every clone of a client appends its deviations to, one line each:
/// `{"operation", "method", "path_template", "status", "content_type", "json_path", "kind",
/// "found", "note"}`. `cargo xtask draft-overlay` reads it.
#[derive(Debug)]
pub(crate) struct DeviationLog {
    path: PathBuf,
    file: Mutex<std::fs::File>,
}

impl DeviationLog {
    /// Opens `path` for appending, creating it (and its folder) if needed.
    pub(crate) fn open(path: &Path) -> std::io::Result<Self> {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent)?;
        }
        let file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)?;
        Ok(DeviationLog {
            path: path.to_owned(),
            file: Mutex::new(file),
        })
    }

    fn append(&self, origin: &Origin<'_>, deviations: &[Deviation]) {
        let mut text = String::new();
        for deviation in deviations {
            let mut line = serde_json::json!({
                "operation": origin.operation,
                "method": origin.method,
                "path_template": origin.template,
                "status": origin.status,
                "content_type": origin.content_type,
                "json_path": deviation.path,
                "kind": deviation.kind,
                "note": deviation.note,
            });
            if let Some(found) = &deviation.found {
                line["found"] = found.clone();
            }
            text.push_str(&line.to_string());
            text.push('\n');
        }
        // One write per response, so that lines of concurrent calls do not interleave.
        let written = match self.file.lock() {
            Ok(mut file) => file.write_all(text.as_bytes()),
            Err(poisoned) => poisoned.into_inner().write_all(text.as_bytes()),
        };
        if let Err(e) = written {
            tracing::warn!(path = %self.path.display(), error = %e, "could not record deviations");
        }
    }
}

/// Reports the deviations of one response: warns of those not seen before in this process
/// (by operation, JSON path and kind), and appends all of them to `log`.
pub(crate) fn report(origin: &Origin<'_>, deviations: &[Deviation], log: Option<&DeviationLog>) {
    if deviations.is_empty() {
        return;
    }
    /// Operation, JSON path and kind of each deviation warned of.
    type Seen = HashSet<(&'static str, String, DeviationKind)>;
    static SEEN: OnceLock<Mutex<Seen>> = OnceLock::new();
    let seen = SEEN.get_or_init(Default::default);
    for deviation in deviations {
        let first = match seen.lock() {
            Ok(mut seen) => seen.insert((origin.operation, deviation.path.clone(), deviation.kind)),
            Err(_) => true,
        };
        if first {
            tracing::warn!(
                operation = origin.operation,
                status = origin.status,
                json_path = %deviation.path,
                kind = ?deviation.kind,
                "the response differs from the API description: {}",
                deviation.note
            );
        }
    }
    if let Some(log) = log {
        log.append(origin, deviations);
    }
}
