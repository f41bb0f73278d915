//! This process's open descriptors, read from Linux's `/proc`, for the tests that hold a
//! client to releasing what it opened (`tests/concurrency.rs` here, and fixture-wire's
//! `tests/descriptors.rs`, which mounts this file).

/// Whether the descriptors can be read here.
pub fn readable() -> bool {
    std::path::Path::new("/proc/self/fd").exists()
}

/// This process's open descriptors, leaving out the test server's ends of its connections
/// (sockets whose local port is `server_port`): those are the fixture's, not the client's.
/// A socket is written with its local port and TCP state, so that one left open says why: an
/// ESTABLISHED connection is held by something, a SYN_SENT one is a connect that has not
/// given up yet.
pub fn client_descriptors(server_port: u16) -> Vec<String> {
    let tcp = std::fs::read_to_string("/proc/net/tcp").unwrap_or_default();
    // (local port, TCP state) of a socket, by inode.
    let socket = |inode: &str| {
        tcp.lines().skip(1).find_map(|line| {
            let cols: Vec<&str> = line.split_whitespace().collect();
            (cols.get(9) == Some(&inode)).then(|| {
                let port =
                    u16::from_str_radix(cols[1].rsplit(':').next().unwrap_or("0"), 16).unwrap_or(0);
                (port, tcp_state(cols[3]))
            })
        })
    };
    std::fs::read_dir("/proc/self/fd")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let target = std::fs::read_link(entry.path()).ok()?;
            let target = target.to_string_lossy().into_owned();
            let inode = target
                .strip_prefix("socket:[")
                .and_then(|i| i.strip_suffix(']'));
            match inode.and_then(socket) {
                Some((port, _)) if port == server_port => None,
                Some((port, state)) => Some(format!("tcp socket on port {port}, {state}")),
                None => Some(target),
            }
        })
        .collect()
}

/// The name of a TCP state as `/proc/net/tcp` writes it (hex).
fn tcp_state(code: &str) -> &'static str {
    match code {
        "01" => "ESTABLISHED",
        "02" => "SYN_SENT",
        "03" => "SYN_RECV",
        "04" => "FIN_WAIT1",
        "05" => "FIN_WAIT2",
        "06" => "TIME_WAIT",
        "07" => "CLOSE",
        "08" => "CLOSE_WAIT",
        "09" => "LAST_ACK",
        "0A" => "LISTEN",
        "0B" => "CLOSING",
        _ => "unknown state",
    }
}
