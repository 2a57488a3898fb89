//! The real sync server for tests: `scripts/sync-server` on 127.0.0.1 at a free port,
//! with its rooms in a folder the test owns. Used by `live_sync.rs` and `ui_live.rs`.
#![allow(dead_code)]

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command as Process, Stdio};
use std::time::{Duration, Instant};

/// Generous: a loaded CI machine may be slow, and nothing here is timed.
pub const DEADLINE: Duration = Duration::from_secs(30);
/// The first start installs the server with npm.
pub const FIRST_START: Duration = Duration::from_secs(300);

pub struct Server {
    child: Child,
    pub port: u16,
    pub data: PathBuf,
}

impl Server {
    pub fn start(port: u16, data: &Path, within: Duration) -> Result<Server, String> {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/sync-server");
        let mut child = Process::new(&script)
            .args(["--port", &port.to_string(), "--data"])
            .arg(data)
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| format!("cannot run {}: {e}", script.display()))?;
        let deadline = Instant::now() + within;
        loop {
            if TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return Ok(Server {
                    child,
                    port,
                    data: data.to_owned(),
                });
            }
            if let Ok(Some(status)) = child.try_wait() {
                return Err(format!("scripts/sync-server exited ({status})"));
            }
            if Instant::now() >= deadline {
                let _ = child.kill();
                return Err(format!(
                    "scripts/sync-server did not listen within {within:?}"
                ));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Stops it as a user would (SIGTERM: pending writes are finished first).
    pub fn stop(mut self) {
        let pid = self.child.id() as libc::pid_t;
        // SAFETY: signalling a child process this test started.
        unsafe {
            libc::kill(pid, libc::SIGTERM);
        }
        let _ = self.child.wait();
    }

    pub fn restart(self) -> Server {
        let (port, data) = (self.port, self.data.clone());
        self.stop();
        Server::start(port, &data, DEADLINE).expect("the server starts again")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// The server, or `None` (with the reason printed) when it cannot run here and it is not
/// required.
pub fn server(data: &Path) -> Option<Server> {
    // One start at a time: the first one installs the server, and two installs at once in
    // one folder would trip over each other.
    static STARTING: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _one = STARTING
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    match Server::start(free_port(), data, FIRST_START) {
        Ok(s) => Some(s),
        Err(why) => {
            if std::env::var_os("STAGECRAFT_REQUIRE_SYNC_SERVER").is_some() {
                panic!("the sync server is required (STAGECRAFT_REQUIRE_SYNC_SERVER) but: {why}");
            }
            eprintln!(
                "SKIPPED live_sync: the sync server could not be started ({why}). It needs Node.js and npm \
                 (scripts/sync-server installs the rest); set STAGECRAFT_REQUIRE_SYNC_SERVER=1 to make this a failure."
            );
            None
        }
    }
}
