//! `cargo xtask draft-overlay --spec FILE --deviations FILE... [--out FILE]`: an Overlay 1.0
//! draft that makes an API description say what its server was seen to send, from the
//! deviations a generated client recorded (`ClientBuilder::record_deviations`). The drafting
//! is the generator's (`generator::overlay_draft`); this reads and writes the files.

use generator::overlay_draft::{draft_overlay, Observed};
use std::path::PathBuf;

/// The command's arguments.
#[derive(Debug)]
pub struct Args {
    pub spec: PathBuf,
    pub deviations: Vec<PathBuf>,
    pub out: Option<PathBuf>,
}

/// Parses the arguments, naming any bad one.
pub fn parse_args(args: &[String]) -> Result<Args, String> {
    let mut spec = None;
    let mut deviations = Vec::new();
    let mut out = None;
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        let mut value = |name: &str| {
            iter.next()
                .map(PathBuf::from)
                .ok_or_else(|| format!("draft-overlay: `{name}` needs a value"))
        };
        match arg.as_str() {
            "--spec" => spec = Some(value("--spec")?),
            "--deviations" => deviations.push(value("--deviations")?),
            "--out" => out = Some(value("--out")?),
            "--help" | "-h" => return Err(USAGE.to_owned()),
            other => {
                return Err(format!(
                    "draft-overlay: unknown argument `{other}`\n\n{USAGE}"
                ))
            }
        }
    }
    if deviations.is_empty() {
        return Err(format!(
            "draft-overlay: `--deviations FILE` is required\n\n{USAGE}"
        ));
    }
    Ok(Args {
        spec: spec.ok_or_else(|| format!("draft-overlay: `--spec FILE` is required\n\n{USAGE}"))?,
        deviations,
        out,
    })
}

pub const USAGE: &str =
    "usage: cargo xtask draft-overlay --spec FILE --deviations FILE... [--out FILE]";

/// Reads deviations files (JSON lines); a line that is not a deviation is an error naming it.
pub fn read_deviations(files: &[PathBuf]) -> Result<Vec<Observed>, String> {
    let mut out = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(file).map_err(|e| format!("{}: {e}", file.display()))?;
        for (i, line) in text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
        {
            let observed: Observed = serde_json::from_str(line).map_err(|e| {
                format!(
                    "{}:{}: not a recorded deviation: {e}",
                    file.display(),
                    i + 1
                )
            })?;
            out.push(observed);
        }
    }
    Ok(out)
}

/// Drafts the overlay of `args`: its text, with a summary for the terminal.
pub fn draft(args: &Args) -> Result<(String, String), String> {
    let text =
        std::fs::read_to_string(&args.spec).map_err(|e| format!("{}: {e}", args.spec.display()))?;
    let observed = read_deviations(&args.deviations)?;
    let label = args.spec.display().to_string();
    let draft = draft_overlay(&text, &label, &observed).map_err(|e| e.to_string())?;
    let summary = format!(
        "draft-overlay: {} actions from {} recorded deviations{}",
        draft.actions,
        observed.len(),
        if draft.skipped.is_empty() {
            String::new()
        } else {
            format!(
                "; {} not drafted (listed at the end of the draft)",
                draft.skipped.len()
            )
        }
    );
    Ok((draft.text, summary))
}

/// `cargo xtask draft-overlay ...`.
pub fn run(args: &[String]) -> Result<bool, String> {
    let args = parse_args(args)?;
    let (text, summary) = draft(&args)?;
    match &args.out {
        Some(out) => {
            crate::files::write_atomic(out, text.as_bytes())
                .map_err(|e| format!("{}: {e}", out.display()))?;
            eprintln!("{summary}; written to {}", out.display());
        }
        None => {
            print!("{text}");
            eprintln!("{summary}");
        }
    }
    Ok(true)
}
