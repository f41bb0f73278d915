//! A server started for the suite: its own process group on a loopback port, its output in a
//! log file, stopped (the whole group) when dropped.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running server.
pub struct Running {
    child: Child,
    pub port: u16,
}

impl Running {
    /// Starts `command` (which must listen on `port`) and waits until `ready_path` answers
    /// 200 (sent with `headers`), for at most `wait`. Its output goes to `log`.
    pub fn start(
        command: Command,
        port: u16,
        ready: &Ready<'_>,
        log: &Path,
    ) -> Result<Running, String> {
        let Ready {
            path: ready_path,
            headers,
            wait,
        } = *ready;
        Self::start_until(command, port, log, wait, || {
            matches!(get(port, ready_path, headers), Ok((200, _)))
        })
        .map_err(|e| format!("{ready_path}: {e}"))
    }

    /// Starts `command` (which must listen on `port`) and waits until `ready` says it is, for
    /// at most `wait`. Its output goes to `log`.
    pub fn start_until(
        mut command: Command,
        port: u16,
        log: &Path,
        wait: Duration,
        ready: impl Fn() -> bool,
    ) -> Result<Running, String> {
        let out = std::fs::File::create(log).map_err(|e| format!("{}: {e}", log.display()))?;
        let err = out.try_clone().map_err(|e| e.to_string())?;
        // Its own group, so that stopping it stops whatever it started (workers, a reloader).
        command
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err)
            .process_group(0);
        let child = command
            .spawn()
            .map_err(|e| format!("cannot start {:?}: {e}", command.get_program()))?;
        let mut running = Running { child, port };
        let started = Instant::now();
        loop {
            if let Ok(Some(status)) = running.child.try_wait() {
                return Err(format!(
                    "the server exited ({status}) before it was ready; its log ({}) ends:\n{}",
                    log.display(),
                    tail(log, 15)
                ));
            }
            if ready() {
                return Ok(running);
            }
            if started.elapsed() > wait {
                return Err(format!(
                    "the server was not ready within {wait:?}; its log ({}) ends:\n{}",
                    log.display(),
                    tail(log, 15)
                ));
            }
            std::thread::sleep(Duration::from_millis(250));
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let group = self.child.id() as i32;
        // SAFETY: kill(2) on our own child's process group; no memory is involved.
        unsafe {
            libc::kill(-group, libc::SIGTERM);
        }
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        // SAFETY: as above.
        unsafe {
            libc::kill(-group, libc::SIGKILL);
        }
        let _ = self.child.wait();
    }
}

/// When a server is ready: `path` answers 200 to a request with `headers`, within `wait`.
#[derive(Debug, Clone, Copy)]
pub struct Ready<'a> {
    pub path: &'a str,
    pub headers: &'a [(&'a str, &'a str)],
    pub wait: Duration,
}

/// A port that was free a moment ago. The server binds it itself, so another process may
/// take it in between: `start_on_free_port` retries with another one.
pub fn free_port() -> Result<u16, String> {
    let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    Ok(listener.local_addr().map_err(|e| e.to_string())?.port())
}

/// Starts a server made by `command(port)` on a free port, trying three ports before giving
/// up (a server that cannot bind its port exits, and another port is tried).
pub fn start_on_free_port(
    command: impl Fn(u16) -> Command,
    ready: &Ready<'_>,
    log: &Path,
) -> Result<Running, String> {
    let mut last = String::new();
    for attempt in 1..=3 {
        let port = free_port()?;
        match Running::start(command(port), port, ready, log) {
            Ok(running) => return Ok(running),
            Err(e) => {
                eprintln!("  start attempt {attempt} on port {port} failed");
                last = e;
            }
        }
    }
    Err(last)
}

/// `GET path` on the loopback port, as HTTP/1.0 (so that the body is not chunked): the
/// status and the body.
pub fn get(port: u16, path: &str, headers: &[(&str, &str)]) -> Result<(u16, Vec<u8>), String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).map_err(|e| e.to_string())?;
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .map_err(|e| e.to_string())?;
    let mut request =
        format!("GET {path} HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\nAccept: application/json\r\n");
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    stream
        .write_all(request.as_bytes())
        .map_err(|e| e.to_string())?;
    let mut response = Vec::new();
    stream
        .read_to_end(&mut response)
        .map_err(|e| e.to_string())?;
    let split = response
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or("the response has no end of headers")?;
    let head = String::from_utf8_lossy(&response[..split]);
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| {
            format!(
                "not an HTTP response: {}",
                head.lines().next().unwrap_or("")
            )
        })?;
    Ok((status, response[split + 4..].to_vec()))
}

/// The last `lines` lines of a file.
pub fn tail(path: &Path, lines: usize) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}
