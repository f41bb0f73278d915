//! Starting and stopping Prism, the spec-validating mock server, for a test.
//!
//! Prism is installed by `cargo xtask test` into `target/tools/node` (pinned in
//! `xtask/tools/package-lock.json`). Under that command (`REQUIRE_PRISM=1`) a missing Prism
//! fails the test; under a plain `cargo test` on a machine without it, the test says so and
//! returns.

use std::collections::BTreeSet;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
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

/// A loopback port no other test of this process was given: the port is free when chosen and
/// released for Prism to bind, so two tests starting Prism at once must not be handed the same
/// one (the second would talk to the first's Prism, and lose it when that test ends).
fn free_port() -> u16 {
    static HANDED_OUT: Mutex<BTreeSet<u16>> = Mutex::new(BTreeSet::new());
    loop {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .expect("a free loopback port");
        if HANDED_OUT
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(port)
        {
            return port;
        }
    }
}

/// How often Prism is started on a fresh port when the one chosen was taken before it bound.
const START_ATTEMPTS: usize = 3;

/// Why a start did not give a listening Prism.
enum StartError {
    /// Another process bound the port between its choice and Prism's bind.
    PortTaken(String),
    /// Anything else: the test fails with it.
    Failed(String),
}

impl Prism {
    /// Starts `prism mock --errors` on `spec` with extra arguments; `None` if Prism is not
    /// installed and the test may skip.
    pub fn start(spec: &Path, extra: &[&str]) -> Option<Prism> {
        Prism::start_on_ports(spec, extra, free_port)
    }

    /// [`Prism::start`] on the ports `next_port` gives, one per attempt.
    pub fn start_on_ports(
        spec: &Path,
        extra: &[&str],
        mut next_port: impl FnMut() -> u16,
    ) -> Option<Prism> {
        let bin = prism_bin()?;
        for attempt in 1..=START_ATTEMPTS {
            match Prism::start_on(&bin, spec, extra, next_port()) {
                Ok(prism) => return Some(prism),
                Err(StartError::PortTaken(log)) if attempt < START_ATTEMPTS => {
                    eprintln!(
                        "Prism's port was taken before it could bind it (attempt {attempt} of \
                         {START_ATTEMPTS}); starting it again on another port:\n{log}"
                    );
                }
                Err(StartError::PortTaken(log) | StartError::Failed(log)) => panic!("{log}"),
            }
        }
        unreachable!("the last attempt returns or panics")
    }

    fn start_on(bin: &Path, spec: &Path, extra: &[&str], port: u16) -> Result<Prism, StartError> {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let log = dir.path().join("prism.log");
        let file = std::fs::File::create(&log).expect("a log file");
        // `info` makes Prism say when it listens, so the test knows the listener on the port
        // is its own Prism (and the log lists each request it answered).
        let child = Command::new(bin)
            .args([
                "mock",
                "--host",
                "127.0.0.1",
                "--port",
                &port.to_string(),
                "--errors",
                "--verboseLevel",
                "info",
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
        prism.wait_until_listening()?;
        Ok(prism)
    }

    /// Waits for Prism to say it listens on its port, and for the port to accept connections.
    fn wait_until_listening(&mut self) -> Result<(), StartError> {
        let address = SocketAddr::from(([127, 0, 0, 1], self.port));
        let listening = format!("listening on http://127.0.0.1:{}", self.port);
        let started = Instant::now();
        loop {
            if self.log().contains(&listening)
                && TcpStream::connect_timeout(&address, Duration::from_millis(200)).is_ok()
            {
                return Ok(());
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                let log = self.log();
                let message = format!(
                    "Prism exited ({status}) before listening on port {}:\n{log}",
                    self.port
                );
                return Err(if log.contains("EADDRINUSE") {
                    StartError::PortTaken(message)
                } else {
                    StartError::Failed(message)
                });
            }
            if started.elapsed() > Duration::from_secs(90) {
                return Err(StartError::Failed(format!(
                    "Prism did not listen on port {} within 90 s:\n{}",
                    self.port,
                    self.log()
                )));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// The port Prism listens on.
    pub fn port(&self) -> u16 {
        self.port
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
