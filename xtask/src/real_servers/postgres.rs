//! A throwaway PostgreSQL cluster for a server of the suite that needs one (Unleash): made
//! with the machine's PostgreSQL (Debian's `postgresql` package), on a loopback port, with
//! trust authentication for the user `unleash` and a database of the same name.
//!
//! PostgreSQL refuses to run as root; as root, the cluster is made and run as the `postgres`
//! user the package creates.

use super::process::{free_port, Running};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// The user and database the cluster is made with.
const USER: &str = "unleash";

/// Makes a cluster in `data/pg` and starts it; its log goes to `log`.
pub fn start(data: &Path, log: &Path) -> Result<Running, String> {
    let dir = data.join("pg");
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    // SAFETY: geteuid(2) reads the process's effective user id; it cannot fail.
    let as_root = unsafe { libc::geteuid() } == 0;
    if as_root {
        crate::tools::run(
            Command::new("chown").args(["-R", "postgres"]).arg(data),
            "chown (the cluster's folder, for the postgres user)",
        )?;
    }
    let cluster = dir.join("cluster");
    crate::tools::run(
        as_postgres(as_root, &bin("initdb")?)
            .arg("-D")
            .arg(&cluster)
            .args(["-U", USER, "--auth=trust", "--no-sync"]),
        "initdb",
    )?;
    let mut last = String::new();
    for _ in 0..3 {
        let port = free_port()?;
        let mut command = as_postgres(as_root, &bin("postgres")?);
        command
            .arg("-D")
            .arg(&cluster)
            .args([
                "-p",
                &port.to_string(),
                "-c",
                "listen_addresses=127.0.0.1",
                "-c",
                "fsync=off",
                "-k",
            ])
            .arg(&dir);
        match Running::start_until(command, port, log, Duration::from_secs(30), || {
            TcpStream::connect(("127.0.0.1", port)).is_ok()
        }) {
            Ok(running) => {
                wait_for_createdb(port)?;
                return Ok(running);
            }
            Err(e) => last = e,
        }
    }
    Err(last)
}

/// Creates the database once the cluster accepts connections.
fn wait_for_createdb(port: u16) -> Result<(), String> {
    let started = Instant::now();
    loop {
        let status = Command::new(bin("createdb")?)
            .args(["-h", "127.0.0.1", "-p", &port.to_string(), "-U", USER, USER])
            .output()
            .map_err(|e| format!("createdb: {e}"))?;
        if status.status.success() {
            return Ok(());
        }
        if started.elapsed() > Duration::from_secs(30) {
            return Err(format!(
                "createdb failed: {}",
                String::from_utf8_lossy(&status.stderr)
            ));
        }
        std::thread::sleep(Duration::from_millis(250));
    }
}

/// A PostgreSQL program: from Debian's `/usr/lib/postgresql/<version>/bin` (the newest), else
/// the `PATH`.
fn bin(name: &str) -> Result<PathBuf, String> {
    let mut versions: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path().join("bin").join(name))
        .filter(|p| p.exists())
        .collect();
    versions.sort();
    if let Some(found) = versions.pop() {
        return Ok(found);
    }
    let on_path = Command::new("which")
        .arg(name)
        .output()
        .ok()
        .filter(|o| o.status.success());
    match on_path {
        Some(out) => Ok(PathBuf::from(String::from_utf8_lossy(&out.stdout).trim())),
        None => Err(format!(
            "PostgreSQL's `{name}` is not installed (Debian: apt-get install postgresql); the Unleash server needs it"
        )),
    }
}

/// `program`, run as the `postgres` user when we are root.
fn as_postgres(as_root: bool, program: &Path) -> Command {
    if as_root {
        let mut command = Command::new("runuser");
        command.args(["-u", "postgres", "--"]).arg(program);
        command
    } else {
        Command::new(program)
    }
}
