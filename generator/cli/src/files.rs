//! Writing generated files: only when their bytes differ, each atomically.

use std::fs;
use std::io::Write;
use std::path::Path;

/// Writes `contents` to `path` through a temporary file and a rename, so a reader never sees
/// half a file.
pub fn write_atomic(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir)?;
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    let temp = dir.join(format!(".{name}.tmp{}", std::process::id()));
    {
        let mut file = fs::File::create(&temp)?;
        file.write_all(contents)?;
        file.sync_all()?;
    }
    fs::rename(&temp, path).inspect_err(|_| {
        let _ = fs::remove_file(&temp);
    })
}

/// Writes generated files under `out`, only those whose bytes differ; gives how many it wrote.
pub fn write_files(out: &Path, files: &[generator::GeneratedFile]) -> Result<usize, String> {
    let mut written = 0;
    for file in files {
        let path = out.join(&file.path);
        if fs::read(&path).ok().as_deref() == Some(file.contents.as_bytes()) {
            continue;
        }
        write_atomic(&path, file.contents.as_bytes())
            .map_err(|e| format!("{}: cannot write: {e}", path.display()))?;
        written += 1;
    }
    Ok(written)
}
