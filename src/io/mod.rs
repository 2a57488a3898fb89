//! Reading and writing canvas files: the JSON envelope, load → migrate → validate, atomic
//! save, and canvases embedded in exported PNGs.
//!
//! Every failure becomes a [`LoadError`] whose lines read `FILE:LINE:COL: what was expected`.

mod locate;
mod migrate;
pub mod png_chunk;

pub use locate::{line_col, locate};
pub use migrate::{FORMAT_VERSION, migrate};

use crate::model::{Document, validate};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::fmt;
use std::path::{Path, PathBuf};

/// Files larger than this are refused before parsing (64 MiB).
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// The value of the top-level `"format"` field.
pub const FORMAT_NAME: &str = "stagecraft";

/// One problem at one place in a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// Why a file could not be opened: one or more diagnostics, each with its position.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadError {
    /// The file as the user named it.
    pub file: String,
    pub diagnostics: Vec<Diagnostic>,
}

impl LoadError {
    fn one(file: &str, line: usize, column: usize, message: impl Into<String>) -> Self {
        Self {
            file: file.to_owned(),
            diagnostics: vec![Diagnostic {
                line,
                column,
                message: message.into(),
            }],
        }
    }
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.diagnostics.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{}:{}:{}: {}", self.file, d.line, d.column, d.message)?;
        }
        Ok(())
    }
}

impl std::error::Error for LoadError {}

/// A document that opened, and what the user should know about it.
#[derive(Clone, Debug, PartialEq)]
pub struct Loaded {
    pub document: Document,
    /// Non-fatal notes in `FILE:LINE:COL: message` form (unknown fields kept, migrations).
    pub warnings: Vec<String>,
}

/// Opens a canvas file: Stagecraft JSON, or a PNG exported by Stagecraft.
pub fn load_path(path: &Path) -> Result<Loaded, LoadError> {
    let name = path.display().to_string();
    let size = std::fs::metadata(path)
        .map_err(|e| LoadError::one(&name, 1, 1, format!("cannot read the file: {e}")))?
        .len();
    if size > MAX_FILE_BYTES {
        return Err(LoadError::one(
            &name,
            1,
            1,
            format!(
                "the file is {size} bytes; canvases larger than {MAX_FILE_BYTES} bytes (64 MiB) are refused"
            ),
        ));
    }
    let bytes = std::fs::read(path)
        .map_err(|e| LoadError::one(&name, 1, 1, format!("cannot read the file: {e}")))?;
    load_bytes(&name, &bytes)
}

/// Parses a canvas from bytes; `name` is used in messages.
pub fn load_bytes(name: &str, bytes: &[u8]) -> Result<Loaded, LoadError> {
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(LoadError::one(
            name,
            1,
            1,
            "the canvas is larger than 64 MiB and is refused",
        ));
    }
    if png_chunk::is_png(bytes) {
        let json = png_chunk::read_canvas_json(bytes)
            .map_err(|message| LoadError::one(name, 1, 1, message))?;
        return load_str(&format!("{name} (canvas inside the PNG)"), &json);
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let valid = e.valid_up_to();
        // The prefix up to `valid` is UTF-8 by definition of `valid_up_to`.
        let prefix = std::str::from_utf8(&bytes[..valid]).unwrap_or_default();
        let (line, col) = line_col(prefix, valid);
        LoadError::one(name, line, col, "expected UTF-8 text (a JSON file)")
    })?;
    load_str(name, text)
}

/// The fields read before anything else, to decide how to read the rest.
#[derive(Deserialize)]
struct Header {
    format: Option<Value>,
    version: Option<Value>,
}

fn serde_error(name: &str, e: &serde_json::Error) -> LoadError {
    let mut message = e.to_string();
    // serde_json appends " at line L column C"; the position is already in front.
    if let Some(cut) = message.rfind(" at line ") {
        message.truncate(cut);
    }
    let message = match e.classify() {
        serde_json::error::Category::Eof => format!("the file ends too early: {message}"),
        serde_json::error::Category::Syntax => format!("expected valid JSON: {message}"),
        _ => message,
    };
    LoadError::one(name, e.line().max(1), e.column().max(1), message)
}

/// Parses a canvas from JSON text; `name` is used in messages.
pub fn load_str(name: &str, text: &str) -> Result<Loaded, LoadError> {
    let header: Header = serde_json::from_str(text).map_err(|e| {
        if e.classify() == serde_json::error::Category::Data {
            LoadError::one(
                name,
                1,
                1,
                "expected a Stagecraft canvas: a JSON object with \"format\": \"stagecraft\"",
            )
        } else {
            serde_error(name, &e)
        }
    })?;
    let at = |pointer: &str| locate(text, pointer);
    match &header.format {
        Some(Value::String(f)) if f == FORMAT_NAME => {}
        Some(_) => {
            let (l, c) = at("/format");
            return Err(LoadError::one(
                name,
                l,
                c,
                "expected \"format\": \"stagecraft\"; this is not a Stagecraft canvas",
            ));
        }
        None => {
            return Err(LoadError::one(
                name,
                1,
                1,
                "expected a \"format\": \"stagecraft\" field; this is not a Stagecraft canvas",
            ));
        }
    }
    let version = match &header.version {
        Some(v) => v.as_u64().ok_or_else(|| {
            let (l, c) = at("/version");
            LoadError::one(name, l, c, "expected \"version\" to be a whole number")
        })?,
        None => {
            return Err(LoadError::one(
                name,
                1,
                1,
                "expected a \"version\" field (the format version, 1)",
            ));
        }
    };
    let mut warnings = Vec::new();
    let mut document: Document = if version == FORMAT_VERSION {
        serde_json::from_str(text).map_err(|e| serde_error(name, &e))?
    } else if version > FORMAT_VERSION {
        let (l, c) = at("/version");
        return Err(LoadError::one(
            name,
            l,
            c,
            format!(
                "this canvas uses format version {version}, written by a newer Stagecraft; \
                 this build reads versions up to {FORMAT_VERSION}. Update Stagecraft to open it"
            ),
        ));
    } else {
        let value: Value = serde_json::from_str(text).map_err(|e| serde_error(name, &e))?;
        let value = migrate(value, version).map_err(|m| LoadError::one(name, 1, 1, m))?;
        warnings.push(format!(
            "{name}:1:1: upgraded from format version {version} to {FORMAT_VERSION}; saving writes version {FORMAT_VERSION}"
        ));
        serde_json::from_value(value).map_err(|e| {
            LoadError::one(
                name,
                1,
                1,
                format!("after upgrading from version {version}: {e}"),
            )
        })?
    };
    document.extra.remove("format");
    document.extra.remove("version");
    for pointer in unknown_field_pointers(&document) {
        let (l, c) = at(&pointer);
        let field = pointer.rsplit('/').next().unwrap_or_default();
        warnings.push(format!(
            "{name}:{l}:{c}: unknown field \"{field}\" (from a newer Stagecraft?) is kept as it is"
        ));
    }
    let problems = validate(&document);
    if !problems.is_empty() {
        return Err(LoadError {
            file: name.to_owned(),
            diagnostics: problems
                .into_iter()
                .map(|p| {
                    let (line, column) = at(&p.path);
                    Diagnostic {
                        line,
                        column,
                        message: p.message,
                    }
                })
                .collect(),
        });
    }
    Ok(Loaded { document, warnings })
}

/// JSON pointers of every field kept in an `extra` map, in file order.
fn unknown_field_pointers(doc: &Document) -> Vec<String> {
    fn escape(key: &str) -> String {
        key.replace('~', "~0").replace('/', "~1")
    }
    let mut out: Vec<String> = doc
        .extra
        .keys()
        .map(|k| format!("/{}", escape(k)))
        .collect();
    let mut push = |collection: &str, i: usize, extra: &crate::model::Extra| {
        out.extend(
            extra
                .keys()
                .map(|k| format!("/{collection}/{i}/{}", escape(k))),
        );
    };
    for (i, s) in doc.stages.iter().enumerate() {
        push("stages", i, &s.extra);
    }
    for (i, l) in doc.lanes.iter().enumerate() {
        push("lanes", i, &l.extra);
    }
    for (i, t) in doc.themes.iter().enumerate() {
        push("themes", i, &t.extra);
    }
    for (i, t) in doc.touchpoints.iter().enumerate() {
        push("touchpoints", i, &t.extra);
    }
    for (i, f) in doc.flows.iter().enumerate() {
        push("flows", i, &f.extra);
    }
    out
}

#[derive(Serialize)]
struct Envelope<'a> {
    format: &'static str,
    version: u64,
    #[serde(flatten)]
    document: &'a Document,
}

/// The canonical file text of a document: pretty-printed, stable order, trailing newline.
/// The same document always gives the same bytes.
pub fn to_json(doc: &Document) -> String {
    let envelope = Envelope {
        format: FORMAT_NAME,
        version: FORMAT_VERSION,
        document: doc,
    };
    // Serialising plain data with string keys cannot fail.
    let mut text = serde_json::to_string_pretty(&envelope).unwrap_or_default();
    text.push('\n');
    text
}

/// Why a save failed; the document stays as it was in memory.
#[derive(Debug, thiserror::Error)]
#[error("could not save {path}: {source}")]
pub struct SaveError {
    pub path: PathBuf,
    #[source]
    pub source: std::io::Error,
}

/// Writes `bytes` to `path` atomically: a temporary file beside it, flushed to disk, then
/// renamed over the target. A failure leaves the old file untouched.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), SaveError> {
    use std::io::Write;
    let wrap = |source| SaveError {
        path: path.to_owned(),
        source,
    };
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_owned(),
        _ => PathBuf::from("."),
    };
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "canvas".into());
    let tmp = dir.join(format!(".{file_name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.map_err(wrap)
}

/// Saves a document as canonical JSON, atomically.
pub fn save_json(doc: &Document, path: &Path) -> Result<(), SaveError> {
    write_atomic(path, to_json(doc).as_bytes())
}
