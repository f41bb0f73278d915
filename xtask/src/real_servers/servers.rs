//! The servers of the suite: how each is installed (pinned, into
//! `target/tools/real-servers/<name>`), started on a loopback port, and where it serves its
//! own API description.

use super::postgres;
use super::process::{self, Running};
use crate::tools;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

/// One server of the suite.
#[derive(Debug, Clone, Copy)]
pub struct Server {
    /// Its name on the command line and in `xtask/real-servers/<name>/`.
    pub name: &'static str,
    /// What it is, for the report.
    pub about: &'static str,
    /// The crate generated from its document.
    pub crate_name: &'static str,
    /// Where it serves its API description.
    pub document: &'static str,
    /// Whether the test command runs it (the others run on demand).
    pub in_test_command: bool,
    /// How long it may take to start.
    pub start_within: Duration,
    /// The `Authorization` header its document and readiness check need, if any.
    pub authorization: Option<&'static str>,
}

/// Every server, in the order they run.
pub const SERVERS: &[Server] = &[
    Server {
        name: "drf",
        about: "a Django REST framework + drf-spectacular application shaped like PostHog's API (OpenAPI 3.1, SQLite)",
        crate_name: "tracker-api",
        document: "/api/schema/?format=json",
        in_test_command: true,
        start_within: Duration::from_secs(60),
        authorization: None,
    },
    Server {
        name: "kinto",
        about: "Kinto, a JSON storage server (Swagger 2.0, memory backend)",
        crate_name: "kinto-api",
        document: "/v1/__api__",
        in_test_command: true,
        start_within: Duration::from_secs(60),
        authorization: None,
    },
    Server {
        name: "prefect",
        about: "Prefect's server, a workflow orchestrator (FastAPI, OpenAPI 3.1, SQLite)",
        crate_name: "prefect-api",
        document: "/api/openapi.json",
        in_test_command: false,
        start_within: Duration::from_secs(180),
        // `admin:admin-password` (PREFECT_SERVER_API_AUTH_STRING below).
        authorization: Some("Basic YWRtaW46YWRtaW4tcGFzc3dvcmQ="),
    },
    Server {
        name: "unleash",
        about: "Unleash, a feature-flag server from npm (OpenAPI 3.0, PostgreSQL started by the suite)",
        crate_name: "unleash-api",
        document: "/docs/openapi.json",
        in_test_command: false,
        start_within: Duration::from_secs(120),
        authorization: None,
    },
];

/// A started server: its port, and the processes it runs as (stopped when dropped, in
/// order: the server before its database).
pub struct Started {
    pub port: u16,
    _processes: Vec<Running>,
}

impl From<Running> for Started {
    fn from(running: Running) -> Self {
        Started {
            port: running.port,
            _processes: vec![running],
        }
    }
}

/// The folder a server's tools are installed in.
pub fn install_dir(root: &Path, server: &Server) -> PathBuf {
    tools::tools_dir(root)
        .join("real-servers")
        .join(server.name)
}

/// The server's own files in the repository (its pinned manifest, its workflow).
pub fn source_dir(root: &Path, server: &Server) -> PathBuf {
    root.join("xtask/real-servers").join(server.name)
}

/// Installs the server, unless its pinned manifest has not changed since the last install.
pub fn install(root: &Path, server: &Server) -> Result<(), String> {
    match server.name {
        "drf" => python_venv(root, server, "django"),
        "kinto" => python_venv(root, server, "kinto"),
        "prefect" => python_venv(root, server, "prefect"),
        "unleash" => npm_package(root, server),
        other => Err(format!("no installer for `{other}`")),
    }
}

/// The headers its document and readiness check need.
pub fn headers(server: &Server) -> Vec<(&'static str, &'static str)> {
    server
        .authorization
        .map(|value| ("Authorization", value))
        .into_iter()
        .collect()
}

/// Starts a server made by `command(port)` on a free port, ready when its document answers.
fn start_on_free_port(
    command: impl Fn(u16) -> Command,
    server: &Server,
    log: &Path,
) -> Result<Running, String> {
    let headers = headers(server);
    let ready = process::Ready {
        path: server.document,
        headers: &headers,
        wait: server.start_within,
    };
    process::start_on_free_port(command, &ready, log)
}

/// Starts the server with its data in `data` (a fresh folder), its log in `log`.
pub fn start(root: &Path, server: &Server, data: &Path, log: &Path) -> Result<Started, String> {
    if server.name == "unleash" {
        return start_unleash(root, server, data, log);
    }
    start_one(root, server, data, log).map(Started::from)
}

fn start_one(root: &Path, server: &Server, data: &Path, log: &Path) -> Result<Running, String> {
    let venv = install_dir(root, server).join("venv");
    match server.name {
        "drf" => {
            let app = source_dir(root, server);
            let python = venv.join("bin/python");
            let db = data.join("tracker.sqlite3");
            let manage = |args: &[&str]| {
                let mut command = Command::new(&python);
                command
                    .arg("manage.py")
                    .args(args)
                    .current_dir(&app)
                    .env("TRACKER_DB", &db)
                    // The application's source is the repository's: no bytecode beside it.
                    .env("PYTHONDONTWRITEBYTECODE", "1");
                command
            };
            tools::run(
                &mut manage(&["migrate", "--run-syncdb", "-v0"]),
                "tracker: migrate",
            )?;
            tools::run(&mut manage(&["seed"]), "tracker: seed")?;
            start_on_free_port(
                |port| {
                    let mut command =
                        manage(&["runserver", &format!("127.0.0.1:{port}"), "--noreload"]);
                    command.env("PYTHONUNBUFFERED", "1");
                    command
                },
                server,
                log,
            )
        }
        "kinto" => {
            let config = source_dir(root, server).join("config.ini");
            start_on_free_port(
                |port| {
                    let mut command = Command::new(venv.join("bin/kinto"));
                    command
                        .args(["start", "--ini"])
                        .arg(&config)
                        .args(["--port", &port.to_string()])
                        .current_dir(data)
                        .env("PYTHONDONTWRITEBYTECODE", "1");
                    command
                },
                server,
                log,
            )
        }
        "prefect" => start_on_free_port(
            |port| {
                let mut command = Command::new(venv.join("bin/prefect"));
                command
                    .args(["server", "start", "--host", "127.0.0.1", "--port"])
                    .arg(port.to_string())
                    .current_dir(data)
                    .env("PREFECT_HOME", data)
                    .env("PREFECT_SERVER_API_AUTH_STRING", "admin:admin-password")
                    .env("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
                    .env("PREFECT_UI_ENABLED", "false")
                    .env("PREFECT_LOGGING_LEVEL", "WARNING")
                    .env("PYTHONDONTWRITEBYTECODE", "1");
                command
            },
            server,
            log,
        ),
        other => Err(format!("no way to start `{other}`")),
    }
}

/// Unleash on a PostgreSQL cluster of its own, made in `data/pg`.
fn start_unleash(root: &Path, server: &Server, data: &Path, log: &Path) -> Result<Started, String> {
    let database = postgres::start(data, &log.with_extension("postgres.log"))?;
    let dir = install_dir(root, server);
    let pgport = database.port.to_string();
    let unleash = start_on_free_port(
        |port| {
            let mut command = Command::new("node");
            command
                .arg(dir.join("server.js"))
                .current_dir(&dir)
                .env("PORT", port.to_string())
                .env("PGPORT", &pgport)
                .env("NODE_ENV", "production");
            command
        },
        server,
        log,
    )?;
    Ok(Started {
        port: unleash.port,
        _processes: vec![unleash, database],
    })
}

/// The server's pinned npm packages (`package.json` and `package-lock.json`), installed with
/// `npm ci` beside its `server.js`, unless the manifests have not changed.
fn npm_package(root: &Path, server: &Server) -> Result<(), String> {
    let dir = install_dir(root, server);
    let source = source_dir(root, server);
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let mut changed = false;
    for file in ["package.json", "package-lock.json"] {
        let wanted =
            std::fs::read(source.join(file)).map_err(|e| format!("{}: {e}", server.name))?;
        if std::fs::read(dir.join(file)).ok().as_deref() != Some(wanted.as_slice()) {
            std::fs::write(dir.join(file), wanted).map_err(|e| e.to_string())?;
            changed = true;
        }
    }
    std::fs::copy(source.join("server.js"), dir.join("server.js")).map_err(|e| e.to_string())?;
    if !changed && dir.join("node_modules").exists() {
        return Ok(());
    }
    eprintln!("installing {} (npm ci) into {}", server.name, dir.display());
    tools::run(
        Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
            .current_dir(&dir),
        &format!("npm ci ({}; is node with npm installed?)", server.name),
    )
}

/// A virtual environment with the server's pinned `requirements.txt` (every dependency
/// listed, so none is resolved at install time). `probe` is a module whose presence shows the
/// install finished.
fn python_venv(root: &Path, server: &Server, probe: &str) -> Result<(), String> {
    let dir = install_dir(root, server);
    let staged = dir.join("requirements.txt");
    let wanted = std::fs::read(source_dir(root, server).join("requirements.txt"))
        .map_err(|e| format!("{}: {e}", server.name))?;
    let python = dir.join("venv/bin/python");
    let installed = std::fs::read(&staged).ok().as_deref() == Some(wanted.as_slice())
        && Command::new(&python)
            .args(["-c", &format!("import {probe}")])
            .status()
            .is_ok_and(|s| s.success());
    if installed {
        return Ok(());
    }
    eprintln!("installing {} into {}", server.name, dir.display());
    let _ = std::fs::remove_dir_all(dir.join("venv"));
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    tools::run(
        Command::new("python3")
            .args(["-m", "venv"])
            .arg(dir.join("venv")),
        "python3 -m venv (is python3 installed?)",
    )?;
    tools::run(
        Command::new(dir.join("venv/bin/pip"))
            .args([
                "install",
                "--quiet",
                "--disable-pip-version-check",
                "--no-deps",
                "-r",
            ])
            .arg(source_dir(root, server).join("requirements.txt")),
        &format!("pip install ({})", server.name),
    )?;
    std::fs::write(&staged, wanted).map_err(|e| e.to_string())?;
    Ok(())
}
