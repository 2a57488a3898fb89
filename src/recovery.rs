//! Autosave and crash recovery: recovery copies of unsaved documents, written off the UI
//! thread, found again on the next start.
//!
//! Each running editor owns one *session* in the recovery directory
//! (`dirs::data_dir()/stagecraft/recovery` by default): `<session>.json` holds the document
//! as canonical file JSON ([`crate::io::to_json`]), `<session>.meta.json` a small
//! [`RecoveryMeta`] record (title, original path, time). Both are written atomically
//! ([`crate::io::write_atomic`]), the document first, so a meta file always points at a
//! complete document. A normal save or a deliberate discard removes the session's files;
//! a crash or a kill leaves them, and [`RecoveryStore::list`] finds them on the next start.
//!
//! Writing happens on a background thread fed by a channel. When snapshots arrive faster
//! than the disk takes them, the writer keeps only the newest one, so the UI thread never
//! waits on the disk and never queues up work. [`Autosave`] decides *when* to snapshot
//! (every few seconds, only while dirty, only when the revision changed).
//!
//! Nothing here knows egui; the restore prompt is `ui::recovery`.

use crate::io::{self, LoadError};
use crate::model::Document;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, Sender};
use std::thread::JoinHandle;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// The `format` field of a meta record, so a stray JSON file is never taken for one.
const META_FORMAT: &str = "stagecraft-recovery";
const META_SUFFIX: &str = ".meta.json";
const DOC_SUFFIX: &str = ".json";

/// How often the editor writes a recovery copy while the document is dirty.
pub const DEFAULT_INTERVAL: Duration = Duration::from_secs(5);

/// What a recovery copy is, besides the document itself.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecoveryMeta {
    pub format: String,
    /// The session that wrote it (also the file name stem).
    pub session: String,
    /// The document's title when it was written.
    pub title: String,
    /// The file the document was opened from or last saved to, if any.
    pub original_path: Option<PathBuf>,
    /// When it was written, in milliseconds since the Unix epoch.
    pub saved_at_ms: u64,
    /// The writing process, to tell a crashed session from a second editor still running.
    pub pid: u32,
    pub touchpoints: usize,
}

/// One recoverable session, as [`RecoveryStore::list`] reports it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecoveryEntry {
    pub meta: RecoveryMeta,
    pub document_path: PathBuf,
}

impl RecoveryEntry {
    pub fn session(&self) -> &str {
        &self.meta.session
    }

    pub fn saved_at(&self) -> SystemTime {
        UNIX_EPOCH + Duration::from_millis(self.meta.saved_at_ms)
    }

    /// "2026-11-25 23:41 (3 min ago)" in local time, for the restore prompt.
    pub fn when_label(&self, now: SystemTime) -> String {
        let age = now
            .duration_since(self.saved_at())
            .unwrap_or(Duration::ZERO);
        format!(
            "{} ({})",
            format_local(self.meta.saved_at_ms / 1000),
            format_age(age)
        )
    }
}

/// A document brought back from a recovery copy.
#[derive(Clone, Debug, PartialEq)]
pub struct Restored {
    pub document: Document,
    pub meta: RecoveryMeta,
}

/// Why a recovery operation failed.
#[derive(Debug, thiserror::Error)]
pub enum RecoveryError {
    #[error("no recovery copy named {0}")]
    NotFound(String),
    #[error("the recovery copy could not be read: {0}")]
    Load(#[from] LoadError),
    #[error("the recovery folder {path} could not be used: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

enum Message {
    Snapshot(Box<Snapshot>),
    Remove {
        session: String,
    },
    /// Answered once every earlier message is on disk.
    Flush(Sender<()>),
}

struct Snapshot {
    session: String,
    /// Shared with the editor: see `Editor::shared_doc`.
    document: std::sync::Arc<Document>,
    title: String,
    original_path: Option<PathBuf>,
    saved_at_ms: u64,
}

/// The recovery folder, and this editor's session in it.
pub struct RecoveryStore {
    dir: PathBuf,
    session: String,
    sender: Option<Sender<Message>>,
    writer: Option<JoinHandle<()>>,
}

impl RecoveryStore {
    /// The platform's default folder: `dirs::data_dir()/stagecraft/recovery`.
    pub fn default_dir() -> Option<PathBuf> {
        dirs::data_dir().map(|d| d.join("stagecraft").join("recovery"))
    }

    /// A store in the default folder; `STAGECRAFT_RECOVERY_DIR` overrides it (tests, and
    /// users who want it elsewhere).
    pub fn open_default() -> Result<Self, RecoveryError> {
        let dir = std::env::var_os("STAGECRAFT_RECOVERY_DIR")
            .map(PathBuf::from)
            .or_else(Self::default_dir)
            .ok_or_else(|| RecoveryError::Io {
                path: PathBuf::from("(no data directory)"),
                source: std::io::Error::other("the platform has no data directory"),
            })?;
        Self::open(dir)
    }

    /// A store in `dir` (created if missing), with a fresh session and its writer thread.
    pub fn open(dir: impl Into<PathBuf>) -> Result<Self, RecoveryError> {
        let dir = dir.into();
        std::fs::create_dir_all(&dir).map_err(|source| RecoveryError::Io {
            path: dir.clone(),
            source,
        })?;
        let (sender, receiver) = mpsc::channel();
        let writer_dir = dir.clone();
        let writer = std::thread::Builder::new()
            .name("stagecraft-recovery".into())
            .spawn(move || writer_loop(&writer_dir, &receiver))
            .map_err(|source| RecoveryError::Io {
                path: dir.clone(),
                source,
            })?;
        Ok(Self {
            dir,
            session: new_session_id(),
            sender: Some(sender),
            writer: Some(writer),
        })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// This editor's session id (the stem of its recovery files).
    pub fn session(&self) -> &str {
        &self.session
    }

    /// Queues a recovery copy of `document`; returns at once. If several are queued before
    /// the writer gets to them, only the newest is written.
    pub fn snapshot(
        &self,
        document: impl Into<std::sync::Arc<Document>>,
        original_path: Option<&Path>,
    ) {
        let document = document.into();
        let snapshot = Snapshot {
            session: self.session.clone(),
            title: document.title.clone(),
            document,
            original_path: original_path.map(Path::to_owned),
            saved_at_ms: now_ms(),
        };
        self.send(Message::Snapshot(Box::new(snapshot)));
    }

    /// Removes this session's recovery copy: after a normal save, or when the user closes
    /// the document on purpose. Queued after any pending snapshot, so it wins.
    pub fn clear(&self) {
        self.send(Message::Remove {
            session: self.session.clone(),
        });
    }

    /// Blocks until every queued snapshot and removal is on disk.
    pub fn flush(&self) {
        let (ack, done) = mpsc::channel();
        self.send(Message::Flush(ack));
        // A dead writer (it cannot panic on user data, but be safe) answers nothing.
        let _ = done.recv();
    }

    fn send(&self, message: Message) {
        if let Some(sender) = &self.sender {
            // The writer only stops when the store is dropped.
            let _ = sender.send(message);
        }
    }

    /// Recovery copies left by other sessions (crashed or killed editors), newest first.
    /// Copies that belong to this session or to another editor still running are left out;
    /// unreadable meta files are skipped.
    pub fn list(&self) -> Vec<RecoveryEntry> {
        let Ok(read) = std::fs::read_dir(&self.dir) else {
            return Vec::new();
        };
        let mut entries: Vec<RecoveryEntry> = read
            .filter_map(Result::ok)
            .filter_map(|e| {
                let name = e.file_name().to_str()?.to_owned();
                let stem = name.strip_suffix(META_SUFFIX)?;
                if stem.starts_with('.') {
                    return None;
                }
                let meta = read_meta(&e.path())?;
                if meta.session != stem || meta.session == self.session {
                    return None;
                }
                if process_is_another_editor(meta.pid) {
                    return None;
                }
                let document_path = self.dir.join(format!("{stem}{DOC_SUFFIX}"));
                document_path.is_file().then_some(RecoveryEntry {
                    meta,
                    document_path,
                })
            })
            .collect();
        entries.sort_by(|a, b| {
            b.meta
                .saved_at_ms
                .cmp(&a.meta.saved_at_ms)
                .then_with(|| a.meta.session.cmp(&b.meta.session))
        });
        entries
    }

    /// Loads a recovery copy and adopts it: from now on this editor's snapshots overwrite
    /// that copy, so it stays safe until the restored document is saved or discarded.
    pub fn restore(&mut self, session: &str) -> Result<Restored, RecoveryError> {
        let meta_path = self.meta_path(session);
        let meta = read_meta(&meta_path)
            .filter(|m| m.session == session)
            .ok_or_else(|| RecoveryError::NotFound(session.to_owned()))?;
        let document_path = self.doc_path(session);
        // Read here rather than with `io::load_path`: a recovery copy is this program's own
        // output and may be larger than the cap on files from elsewhere (100,000 cards
        // write about 85 MB); it is still parsed and validated like any file.
        let text = std::fs::read_to_string(&document_path).map_err(|source| RecoveryError::Io {
            path: document_path.clone(),
            source,
        })?;
        let loaded = io::load_str(&document_path.display().to_string(), &text)?;
        // Our own session never wrote anything worth keeping if we are restoring at start;
        // remove it anyway so two copies of one document do not linger.
        if self.session != session {
            self.clear();
            self.session = session.to_owned();
        }
        Ok(Restored {
            document: loaded.document,
            meta,
        })
    }

    /// Deletes another session's recovery copy (the user chose "Discard").
    pub fn discard(&self, session: &str) -> Result<(), RecoveryError> {
        if !is_safe_session(session) {
            return Err(RecoveryError::NotFound(session.to_owned()));
        }
        remove_session(&self.dir, session).map_err(|source| RecoveryError::Io {
            path: self.dir.clone(),
            source,
        })
    }

    /// Closes the store after a clean shutdown: removes this session's copy and waits for
    /// the writer. (Dropping the store without this keeps the copy, as a crash would.)
    pub fn close_clean(mut self) {
        self.clear();
        self.shutdown();
    }

    fn shutdown(&mut self) {
        self.sender = None;
        if let Some(writer) = self.writer.take() {
            let _ = writer.join();
        }
    }

    fn meta_path(&self, session: &str) -> PathBuf {
        self.dir.join(format!("{session}{META_SUFFIX}"))
    }

    fn doc_path(&self, session: &str) -> PathBuf {
        self.dir.join(format!("{session}{DOC_SUFFIX}"))
    }
}

impl Drop for RecoveryStore {
    /// Finishes pending writes (so a copy queued just before quitting is not lost) but
    /// keeps the files: only [`RecoveryStore::clear`] and [`RecoveryStore::close_clean`]
    /// remove them.
    fn drop(&mut self) {
        self.shutdown();
    }
}

/// Decides when the editor takes a recovery snapshot: at most once per `interval`, only
/// while the document has unsaved changes, and only if its revision moved since the last
/// snapshot. Pure logic (the caller passes the clock) so it is tested without waiting.
#[derive(Clone, Debug)]
pub struct Autosave {
    interval: Duration,
    last_at: Option<Instant>,
    last_revision: Option<u64>,
}

impl Autosave {
    pub fn new(interval: Duration) -> Self {
        Self {
            interval,
            last_at: None,
            last_revision: None,
        }
    }

    /// True when a snapshot should be taken now; it is then recorded as taken.
    pub fn due(&mut self, now: Instant, dirty: bool, revision: u64) -> bool {
        if !dirty || self.last_revision == Some(revision) {
            return false;
        }
        if let Some(last) = self.last_at
            && now.duration_since(last) < self.interval
        {
            return false;
        }
        self.last_at = Some(now);
        self.last_revision = Some(revision);
        true
    }

    /// Whether the last snapshot was of this revision.
    pub fn is_current(&self, revision: u64) -> bool {
        self.last_revision == Some(revision)
    }

    /// Forget the last snapshot (after a save cleared it, the next change needs a new one).
    pub fn reset(&mut self) {
        self.last_revision = None;
    }

    /// How long until a pending snapshot is due, so the UI can ask for a repaint then.
    pub fn wait_hint(&self, now: Instant) -> Duration {
        self.last_at.map_or(Duration::ZERO, |last| {
            self.interval.saturating_sub(now.duration_since(last))
        })
    }
}

impl Default for Autosave {
    fn default() -> Self {
        Self::new(DEFAULT_INTERVAL)
    }
}

fn writer_loop(dir: &Path, receiver: &Receiver<Message>) {
    while let Ok(first) = receiver.recv() {
        // Take everything already queued, so stale snapshots are skipped.
        let mut batch = vec![first];
        batch.extend(receiver.try_iter());
        let superseded = |i: usize, session: &str| {
            batch[i + 1..].iter().any(|m| match m {
                Message::Snapshot(s) => s.session == session,
                Message::Remove { session: s } => s == session,
                Message::Flush(_) => false,
            })
        };
        let keep: Vec<bool> = batch
            .iter()
            .enumerate()
            .map(|(i, m)| match m {
                Message::Snapshot(s) => !superseded(i, &s.session),
                _ => true,
            })
            .collect();
        for (message, keep) in batch.into_iter().zip(keep) {
            if !keep {
                continue;
            }
            match message {
                Message::Snapshot(s) => {
                    // A failed write (disk full, folder gone) is retried by the next snapshot;
                    // there is no one to tell on this thread, and the document is still open.
                    let _ = write_snapshot(dir, &s);
                }
                Message::Remove { session } => {
                    let _ = remove_session(dir, &session);
                }
                Message::Flush(ack) => {
                    let _ = ack.send(());
                }
            }
        }
    }
}

fn write_snapshot(dir: &Path, s: &Snapshot) -> Result<(), io::SaveError> {
    let _ = std::fs::create_dir_all(dir);
    io::save_json(&s.document, &dir.join(format!("{}{DOC_SUFFIX}", s.session)))?;
    let meta = RecoveryMeta {
        format: META_FORMAT.to_owned(),
        session: s.session.clone(),
        title: s.title.clone(),
        original_path: s.original_path.clone(),
        saved_at_ms: s.saved_at_ms,
        pid: std::process::id(),
        touchpoints: s.document.touchpoints.len(),
    };
    let meta_json = serde_json::to_string_pretty(&meta).unwrap_or_default();
    io::write_atomic(
        &dir.join(format!("{}{META_SUFFIX}", s.session)),
        meta_json.as_bytes(),
    )
}

/// Removes the meta record first, so a half-removed session is never listed.
fn remove_session(dir: &Path, session: &str) -> std::io::Result<()> {
    for path in [
        dir.join(format!("{session}{META_SUFFIX}")),
        dir.join(format!("{session}{DOC_SUFFIX}")),
    ] {
        match std::fs::remove_file(&path) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// Meta records are small; anything larger than this is not one of ours.
const MAX_META_BYTES: u64 = 64 * 1024;

fn read_meta(path: &Path) -> Option<RecoveryMeta> {
    if std::fs::metadata(path).ok()?.len() > MAX_META_BYTES {
        return None;
    }
    let text = std::fs::read_to_string(path).ok()?;
    let meta: RecoveryMeta = serde_json::from_str(&text).ok()?;
    (meta.format == META_FORMAT && is_safe_session(&meta.session)).then_some(meta)
}

/// Session ids become file names: only the characters we generate are accepted, so a
/// crafted meta file cannot point outside the folder.
fn is_safe_session(session: &str) -> bool {
    !session.is_empty()
        && session.len() <= 64
        && session
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

fn new_session_id() -> String {
    use std::sync::atomic::{AtomicU32, Ordering};
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    format!(
        "{}-{}-{}",
        std::process::id(),
        nanos,
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

/// True if `pid` is a running process other than this one that runs the same program, i.e.
/// probably a second editor whose session is not ours to restore. Linux only (`/proc`);
/// elsewhere every other session is offered.
fn process_is_another_editor(pid: u32) -> bool {
    if pid == std::process::id() {
        return false;
    }
    let comm = |p: &str| std::fs::read_to_string(format!("/proc/{p}/comm")).ok();
    match (comm(&pid.to_string()), comm("self")) {
        (Some(theirs), Some(ours)) => theirs == ours,
        _ => false,
    }
}

/// "YYYY-MM-DD HH:MM UTC" from Unix seconds.
pub fn format_utc(unix_secs: u64) -> String {
    format!(
        "{} UTC",
        format_civil(i64::try_from(unix_secs).unwrap_or(0))
    )
}

/// "YYYY-MM-DD HH:MM" in the computer's local time, or [`format_utc`] where the local
/// offset is unknown.
pub fn format_local(unix_secs: u64) -> String {
    match local_offset_secs(unix_secs) {
        Some(offset) => format_with_offset(unix_secs, offset),
        None => format_utc(unix_secs),
    }
}

/// "YYYY-MM-DD HH:MM" at `offset` seconds from UTC.
pub fn format_with_offset(unix_secs: u64, offset: i64) -> String {
    format_civil(i64::try_from(unix_secs).unwrap_or(0) + offset)
}

/// The local time's offset from UTC at that moment, in seconds (summer time included).
#[cfg(unix)]
// `c_long` is `i64` here but `i32` on 32-bit targets: the conversion is needed there.
#[allow(clippy::useless_conversion)]
fn local_offset_secs(unix_secs: u64) -> Option<i64> {
    let t = libc::time_t::try_from(unix_secs).ok()?;
    // SAFETY: localtime_r only writes the `tm` it is given and reads `t`; a zeroed `tm`
    // is a valid value of that plain C struct.
    unsafe {
        let mut tm: libc::tm = std::mem::zeroed();
        if libc::localtime_r(&t, &mut tm).is_null() {
            return None;
        }
        Some(i64::from(tm.tm_gmtoff))
    }
}

#[cfg(not(unix))]
fn local_offset_secs(_unix_secs: u64) -> Option<i64> {
    None
}

/// "YYYY-MM-DD HH:MM" from seconds since 1970-01-01 00:00 (civil-from-days, Howard
/// Hinnant's algorithm), to avoid a date crate for one label.
fn format_civil(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    let secs = secs.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}",
        secs / 3600,
        (secs % 3600) / 60
    )
}

/// "just now", "5 min ago", "3 h ago", "2 days ago".
pub fn format_age(age: Duration) -> String {
    let s = age.as_secs();
    match s {
        0..60 => "just now".to_owned(),
        60..3600 => format!("{} min ago", s / 60),
        3600..86_400 => format!("{} h ago", s / 3600),
        _ => {
            let d = s / 86_400;
            format!("{d} day{} ago", if d == 1 { "" } else { "s" })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc_dates_are_civil() {
        assert_eq!(format_utc(0), "1970-01-01 00:00 UTC");
        // 2000-02-29 12:34 UTC
        assert_eq!(format_utc(951_827_640), "2000-02-29 12:34 UTC");
        // 2026-11-25 22:41 UTC
        assert_eq!(format_utc(1_795_646_460), "2026-11-25 22:41 UTC");
        // The same moment in Paris (UTC+1) and New York (UTC-5), across midnight.
        assert_eq!(format_with_offset(1_795_646_460, 3600), "2026-11-25 23:41");
        assert_eq!(format_with_offset(1_795_646_460, 7200), "2026-11-26 00:41");
        assert_eq!(
            format_with_offset(1_795_646_460, -5 * 3600),
            "2026-11-25 17:41"
        );
        assert!(!format_local(1_795_646_460).is_empty());
    }

    #[test]
    fn ages_read_naturally() {
        assert_eq!(format_age(Duration::from_secs(5)), "just now");
        assert_eq!(format_age(Duration::from_secs(125)), "2 min ago");
        assert_eq!(format_age(Duration::from_secs(7200)), "2 h ago");
        assert_eq!(format_age(Duration::from_secs(86_400)), "1 day ago");
        assert_eq!(format_age(Duration::from_secs(3 * 86_400)), "3 days ago");
    }

    #[test]
    fn autosave_waits_for_changes_and_interval() {
        let t0 = Instant::now();
        let mut a = Autosave::new(Duration::from_secs(5));
        assert!(
            !a.due(t0, false, 1),
            "clean documents are never snapshotted"
        );
        assert!(a.due(t0, true, 1));
        assert!(
            !a.due(t0 + Duration::from_secs(10), true, 1),
            "same revision"
        );
        assert!(!a.due(t0 + Duration::from_secs(2), true, 2), "too soon");
        assert_eq!(
            a.wait_hint(t0 + Duration::from_secs(2)),
            Duration::from_secs(3)
        );
        assert!(a.due(t0 + Duration::from_secs(6), true, 2));
        a.reset();
        assert!(a.due(t0 + Duration::from_secs(12), true, 2), "after a save");
    }

    #[test]
    fn crafted_session_names_are_refused() {
        assert!(is_safe_session("1234-5678-0"));
        assert!(!is_safe_session("../etc/passwd"));
        assert!(!is_safe_session(""));
        assert!(!is_safe_session("a/b"));
    }
}
