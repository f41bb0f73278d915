//! What every workflow of the real-server suite shares: its arguments, and a record of each
//! check as one JSON line on standard output (read by `cargo xtask real-servers`).
//!
//! A workflow is an ordinary program written against a generated client, as a user would
//! write it: `cargo run --example workflow -- BASE_URL tolerant|strict DEVIATIONS_FILE`.

use std::fmt::Display;
use std::future::Future;
use std::path::PathBuf;

/// The workflow's arguments and the checks made so far.
pub struct Run {
    /// The server's base URL.
    pub base_url: String,
    /// Whether the client decodes strictly (with the drafted overlay applied).
    pub strict: bool,
    /// Where the client records deviations.
    pub deviations: PathBuf,
    failed: usize,
}

impl Run {
    /// Reads `BASE_URL MODE DEVIATIONS_FILE` from the command line.
    pub fn from_args() -> Run {
        let mut args = std::env::args().skip(1);
        let base_url = args.next().expect("usage: workflow BASE_URL tolerant|strict DEVIATIONS_FILE");
        let strict = match args.next().as_deref() {
            Some("strict") => true,
            Some("tolerant") | None => false,
            Some(other) => panic!("the mode is `tolerant` or `strict`, not `{other}`"),
        };
        let deviations = PathBuf::from(args.next().unwrap_or_else(|| "deviations.jsonl".into()));
        Run { base_url, strict, deviations, failed: 0 }
    }

    /// Runs one check: passes when `check` gives `Ok`, fails with its message otherwise.
    /// Gives the check's value, for later checks to use.
    pub async fn check<T>(&mut self, name: &str, check: impl Future<Output = Result<T, String>>) -> Option<T> {
        let outcome = check.await;
        let line = match &outcome {
            Ok(_) => serde_json::json!({"check": name, "ok": true}),
            Err(detail) => {
                self.failed += 1;
                serde_json::json!({"check": name, "ok": false, "detail": detail})
            }
        };
        println!("{line}");
        outcome.ok()
    }

    /// Ends the run; the exit status is 0 when every check passed.
    pub fn finish(self) {
        std::process::exit(if self.failed == 0 { 0 } else { 1 });
    }
}

/// `Err(message)` when a condition does not hold.
pub fn ensure(condition: bool, message: impl Into<String>) -> Result<(), String> {
    if condition {
        Ok(())
    } else {
        Err(message.into())
    }
}

/// Errors as the messages the checks record (the client's `Display`, which is what a user
/// would read).
pub trait Described<T> {
    /// The value, or the error's message.
    fn described(self) -> Result<T, String>;
}

impl<T, E: Display> Described<T> for Result<T, E> {
    fn described(self) -> Result<T, String> {
        self.map_err(|e| e.to_string())
    }
}

/// A field that the drafted overlay may make optional (a document that promised a value the
/// server sometimes leaves null): read the same way whether it is `T` or `Option<T>`, so that
/// a workflow builds against the client as served and the client with the overlay.
pub trait Maybe<T> {
    /// The value, if there is one.
    fn maybe(&self) -> Option<&T>;
}

macro_rules! maybe {
    ($($t:ty),*) => {$(
        impl Maybe<$t> for $t {
            fn maybe(&self) -> Option<&$t> {
                Some(self)
            }
        }
        impl Maybe<$t> for Option<$t> {
            fn maybe(&self) -> Option<&$t> {
                self.as_ref()
            }
        }
    )*};
}

maybe!(i64, i32, f64, bool, String);
