//! Starting and stopping Prism, the spec-validating mock server, for a test.
//!
//! Prism is installed by `cargo xtask test` into `target/tools/node` (pinned in
//! `xtask/tools/package-lock.json`). Under that command (`REQUIRE_PRISM=1`) a missing Prism
//! fails the test; under a plain `cargo test` on a machine without it, the test says so and
//! returns.

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running Prism, killed when dropped (also when the test panics).
pub struct Prism {
    child: Child,
    port: u16,
    log: PathBuf,
    _dir: tempfile::TempDir,
}

pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("generated-client is in the workspace")
        .to_path_buf()
}

fn prism_bin() -> Option<PathBuf> {
    let bin = std::env::var_os("PRISM_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("target/tools/node/node_modules/.bin/prism"));
    if bin.exists() {
        return Some(bin);
    }
    if std::env::var_os("REQUIRE_PRISM").is_some() {
        panic!(
            "Prism is not installed at {}; `cargo xtask test` installs it",
            bin.display()
        );
    }
    eprintln!(
        "SKIPPED: Prism is not installed at {} (run `cargo xtask test`, which installs it)",
        bin.display()
    );
    None
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

impl Prism {
    /// Starts `prism mock --errors` on `spec` with extra arguments; `None` if Prism is not
    /// installed and the test may skip.
    pub fn start(spec: &Path, extra: &[&str]) -> Option<Prism> {
        let bin = prism_bin()?;
        let dir = tempfile::tempdir().expect("a temporary folder");
        let log = dir.path().join("prism.log");
        let port = free_port();
        let file = std::fs::File::create(&log).expect("a log file");
        let child = Command::new(&bin)
            .args([
                "mock",
                "--host",
                "127.0.0.1",
                "--port",
                &port.to_string(),
                "--errors",
                "--verboseLevel",
                "warn",
            ])
            .args(extra)
            .arg(spec)
            .stdout(Stdio::from(file.try_clone().expect("log handle")))
            .stderr(Stdio::from(file))
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start Prism ({}): {e}", bin.display()));
        let mut prism = Prism {
            child,
            port,
            log,
            _dir: dir,
        };
        prism.wait_until_listening();
        Some(prism)
    }

    fn wait_until_listening(&mut self) {
        let address = SocketAddr::from(([127, 0, 0, 1], self.port));
        let started = Instant::now();
        loop {
            if TcpStream::connect_timeout(&address, Duration::from_millis(200)).is_ok() {
                return;
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("Prism exited ({status}) before listening:\n{}", self.log());
            }
            if started.elapsed() > Duration::from_secs(90) {
                panic!(
                    "Prism did not listen on port {} within 90 s:\n{}",
                    self.port,
                    self.log()
                );
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// The base URL to point a client at.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// What Prism has printed so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
