//! Writing canvases: the canonical JSON text (the envelope first, then the document),
//! streamed through a buffer, and atomic saves (a temporary file, fsync, rename).

use super::*;
use crate::model::Document;
use serde::Serialize;
use std::path::{Path, PathBuf};

#[derive(Serialize)]
pub(super) struct Envelope<'a> {
    format: &'static str,
    version: u64,
    #[serde(flatten)]
    document: &'a Document,
}

/// The canonical file text of a document: pretty-printed, stable order, trailing newline.
/// The same document always gives the same bytes.
pub fn to_json(doc: &Document) -> String {
    // Sized up front from what realistic cards and flows take pretty-printed (about 850
    // and 150 bytes): growing a buffer of tens of megabytes by doubling copies it
    // several times over. Untouched capacity costs address space, not memory.
    let estimate = 4096 + doc.touchpoints.len() * 1024 + doc.flows.len() * 192;
    let mut out = Vec::with_capacity(estimate);
    // Writing plain data with string keys into memory cannot fail.
    let _ = write_json(doc, &mut out);
    // serde_json writes UTF-8 only; the fallback is never taken.
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Writes the canonical file text of a document (as [`to_json`]) to `out`, without
/// holding it whole in memory: a save of a 100,000-card canvas would otherwise hold an
/// 85 MB string beside the document.
pub fn write_json(doc: &Document, out: &mut impl std::io::Write) -> std::io::Result<()> {
    // The loader never leaves the envelope's own keys in `extra`; code that builds a
    // document by hand might, and writing them twice would make a file we refuse to read.
    let cleaned;
    let doc = if doc.extra.contains_key("format") || doc.extra.contains_key("version") {
        let mut copy = doc.clone();
        copy.extra.remove("format");
        copy.extra.remove("version");
        cleaned = copy;
        &cleaned
    } else {
        doc
    };
    let envelope = Envelope {
        format: FORMAT_NAME,
        version: FORMAT_VERSION,
        document: doc,
    };
    serde_json::to_writer_pretty(&mut *out, &envelope).map_err(std::io::Error::from)?;
    out.write_all(b"\n")
}

/// Why a save failed; the document stays as it was in memory. Shown as "could not save
/// PATH: REASON", the reason in words (no "(os error 2)").
#[derive(Debug)]
pub struct SaveError {
    pub path: PathBuf,
    pub source: std::io::Error,
}

impl SaveError {
    /// What went wrong, in words a user can act on.
    pub fn reason(&self) -> String {
        use std::io::ErrorKind;
        let what = match self.source.kind() {
            ErrorKind::NotFound => "the folder does not exist".to_owned(),
            ErrorKind::PermissionDenied if self.source.raw_os_error().is_some() => {
                "permission denied".to_owned()
            }
            ErrorKind::ReadOnlyFilesystem => "the disk is read-only".to_owned(),
            ErrorKind::StorageFull => "the disk is full".to_owned(),
            _ => self.source.to_string(),
        };
        // The OS's own text ends with its error number, which says nothing to a user.
        match what.rfind(" (os error ") {
            Some(i) if what.ends_with(')') => what[..i].to_owned(),
            _ => what,
        }
    }
}

impl std::fmt::Display for SaveError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "could not save {}: {}",
            self.path.display(),
            self.reason()
        )
    }
}

impl std::error::Error for SaveError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

/// Writes `bytes` to `path` atomically: a temporary file beside it, flushed to disk, then
/// renamed over the target. A failure leaves the old file untouched.
///
/// A target the user made read-only is refused rather than silently replaced (a rename
/// would succeed, since it needs only the folder to be writable). A symbolic link is
/// followed, so the file it points at is updated and the link stays a link.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), SaveError> {
    write_atomic_with(path, |out| std::io::Write::write_all(out, bytes))
}

/// [`write_atomic`], with the content written by `write` into a buffered writer on the
/// temporary file (so it need not be in memory whole).
pub fn write_atomic_with(
    path: &Path,
    write: impl FnOnce(&mut std::io::BufWriter<std::fs::File>) -> std::io::Result<()>,
) -> Result<(), SaveError> {
    use std::io::Write;
    use std::sync::atomic::{AtomicU64, Ordering};
    // Two saves in one process (an autosave and a save) must not share a temporary file.
    static NEXT_TMP: AtomicU64 = AtomicU64::new(0);
    let wrap = |source| SaveError {
        path: path.to_owned(),
        source,
    };
    let target = match std::fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => std::fs::canonicalize(path).map_err(wrap)?,
        _ => path.to_owned(),
    };
    let existing = std::fs::metadata(&target).ok();
    if let Some(meta) = &existing {
        if meta.permissions().readonly() {
            return Err(wrap(std::io::Error::new(
                std::io::ErrorKind::PermissionDenied,
                "the file is read-only",
            )));
        }
        if meta.is_dir() {
            return Err(wrap(std::io::Error::new(
                std::io::ErrorKind::IsADirectory,
                "a folder has this name",
            )));
        }
    }
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_owned(),
        _ => PathBuf::from("."),
    };
    let file_name = target
        .file_name()
        .map_or_else(|| "canvas".into(), |n| n.to_string_lossy().into_owned());
    let tmp = dir.join(format!(
        ".{file_name}.{}.{}.tmp",
        std::process::id(),
        NEXT_TMP.fetch_add(1, Ordering::Relaxed)
    ));
    let result = (|| {
        let f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)?;
        let mut buffered = std::io::BufWriter::with_capacity(1 << 16, f);
        write(&mut buffered)?;
        buffered.flush()?;
        let f = buffered
            .into_inner()
            .map_err(std::io::IntoInnerError::into_error)?;
        if let Some(meta) = &existing {
            // Keep the permissions the user gave the file (a shared, group-writable one).
            f.set_permissions(meta.permissions())?;
        }
        f.sync_all()?;
        drop(f);
        std::fs::rename(&tmp, &target)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    } else if let Ok(d) = std::fs::File::open(&dir) {
        // Make the rename itself durable; not every platform or file system allows it,
        // and the data is already safe either way, so a failure here is not an error.
        let _ = d.sync_all();
    }
    result.map_err(wrap)
}

/// Saves a document as canonical JSON, atomically.
pub fn save_json(doc: &Document, path: &Path) -> Result<(), SaveError> {
    write_atomic_with(path, |out| write_json(doc, out))
}

/// What a file on disk looked like when this editor last read or wrote it: enough to tell
/// that someone else saved it since (a colleague on a shared drive), without reading it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DiskStamp {
    pub modified: Option<std::time::SystemTime>,
    pub len: u64,
}

impl DiskStamp {
    /// The file's stamp now; `None` if it cannot be read (deleted, moved, no permission).
    pub fn read(path: &Path) -> Option<Self> {
        let meta = std::fs::metadata(path).ok()?;
        Some(Self {
            modified: meta.modified().ok(),
            len: meta.len(),
        })
    }
}
