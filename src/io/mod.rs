//! Reading and writing canvas files: the JSON envelope, load → migrate → validate, atomic
//! save, and canvases embedded in exported PNGs.
//!
//! Every failure becomes a [`LoadError`] whose lines read `FILE:LINE:COL: what was expected`.

mod locate;
mod migrate;
pub mod picture;
pub mod png_chunk;
mod save;

pub use locate::{line_col, locate};
pub use migrate::{FORMAT_VERSION, migrate};
pub use save::*;

use crate::model::{Document, validate};
use serde_json::Value;
use std::fmt;
use std::path::Path;

/// Files larger than this are refused before parsing (128 MiB: about 150,000 realistic
/// cards, beyond the 100,000 the editor is measured at; see BENCHMARKS.md).
pub const MAX_FILE_BYTES: u64 = 128 * 1024 * 1024;

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
    use std::io::Read;
    let name = path.display().to_string();
    let cannot =
        |e: std::io::Error| LoadError::one(&name, 1, 1, format!("cannot read the file: {e}"));
    let file = std::fs::File::open(path).map_err(cannot)?;
    let size = file.metadata().map_err(cannot)?.len();
    if size > MAX_FILE_BYTES {
        return Err(too_large(&name, size));
    }
    // Read at most one byte past the limit: a file that grows after the size check (or a
    // device that reports no size) still cannot make us read more than the limit.
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    load_bytes(&name, &bytes)
}

fn too_large(name: &str, size: u64) -> LoadError {
    LoadError::one(
        name,
        1,
        1,
        format!(
            "the file is {size} bytes; canvases larger than {MAX_FILE_BYTES} bytes ({} MiB) are refused",
            MAX_FILE_BYTES >> 20
        ),
    )
}

/// From this size on, a file must look like a canvas before it is parsed (see
/// [`refuse_implausible_density`]).
const DENSITY_CHECK_BYTES: usize = 16 << 20;

/// A big file may hold at most one `,`, `[` or `{` per this many bytes. Canvases hold one
/// every 30 bytes pretty-printed, every 9 at the most compact (cards with only their four
/// required fields).
const MIN_BYTES_PER_VALUE: usize = 6;

/// Refuses a big file made of tiny JSON values (`[],[],…`, `1,1,…`): serde buffers unknown
/// fields whole before our own limits see them, at 32 bytes and more per value, so 120 MB
/// of `[],` took 2.5 GB. Past the check, parsing memory stays within a few times the file
/// size. One vectorised pass, a small share of a load (BENCHMARKS.md).
fn refuse_implausible_density(name: &str, text: &str) -> Result<(), LoadError> {
    if text.len() < DENSITY_CHECK_BYTES {
        return Ok(());
    }
    // Counted in byte-wide lanes, 255 bytes at a time so no lane overflows: the compiler
    // vectorises this to 32 bytes per step.
    let values: usize = text
        .as_bytes()
        .chunks(255)
        .map(|chunk| {
            let hits = chunk.iter().fold(0u8, |n, &b| {
                n + u8::from(b == b',') + u8::from(b == b'[') + u8::from(b == b'{')
            });
            usize::from(hits)
        })
        .sum();
    if values > text.len() / MIN_BYTES_PER_VALUE {
        return Err(LoadError::one(
            name,
            1,
            1,
            format!(
                "the file holds {values} lists, objects or list items in {} bytes, one every {:.1} bytes; \
                 canvases have one every 9 bytes or more, so this is not read as a canvas",
                text.len(),
                text.len() as f64 / values as f64
            ),
        ));
    }
    Ok(())
}

/// Parses a canvas from bytes; `name` is used in messages.
pub fn load_bytes(name: &str, bytes: &[u8]) -> Result<Loaded, LoadError> {
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_large(name, bytes.len() as u64));
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
    if let Some(svg) = svg_canvas_json(text) {
        let json = svg.map_err(|message| LoadError::one(name, 1, 1, message))?;
        return load_str(&format!("{name} (canvas inside the SVG)"), &json);
    }
    load_str(name, text)
}

/// The element an exported SVG carries its canvas in (see `export::svg::page_to_svg`).
const SVG_CANVAS_OPEN: &str = "<metadata id=\"stagecraft-canvas\">";

/// For an SVG file, the canvas JSON it carries (or why it has none); `None` for any other
/// text. The JSON was written with `&`, `<`, `>` and `"` escaped and nothing else changed.
fn svg_canvas_json(text: &str) -> Option<Result<String, String>> {
    let head = text.trim_start();
    if !(head.starts_with("<?xml") || head.starts_with("<svg")) {
        return None;
    }
    let Some(start) = text.find(SVG_CANVAS_OPEN) else {
        return Some(Err(
            "this SVG carries no canvas (Stagecraft's SVG exports keep one in <metadata id=\"stagecraft-canvas\">); export it again from Stagecraft, or open the JSON".to_owned(),
        ));
    };
    let body = &text[start + SVG_CANVAS_OPEN.len()..];
    let Some(end) = body.find("</metadata>") else {
        return Some(Err(
            "the canvas inside this SVG is cut short (no </metadata>)".to_owned(),
        ));
    };
    let json = body[..end]
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&");
    Some(Ok(json))
}

/// At most this many problems are listed for one file; past it, one line says how many more.
/// Each needs a scan of the text for its position, and a hostile file could have millions.
pub const MAX_DIAGNOSTICS: usize = 20;

/// Turns a `serde_json` error into a positioned message in the user's words.
fn serde_error(name: &str, text: &str, e: &serde_json::Error) -> LoadError {
    use serde_json::error::Category;
    let mut message = e.to_string();
    // serde_json appends " at line L column C"; the position is already in front.
    if let Some(cut) = message.rfind(" at line ") {
        message.truncate(cut);
    }
    let message = match e.classify() {
        Category::Eof => format!("the file ends too early: {message}"),
        Category::Syntax if message == "recursion limit exceeded" => {
            "the JSON nests more than 128 levels deep; a canvas never needs that".to_owned()
        }
        Category::Syntax if message == "number out of range" => {
            "this number is too large for the field it is in".to_owned()
        }
        Category::Syntax => format!("expected valid JSON: {message}"),
        _ if message.starts_with("duplicate ") => {
            // The derive reports a repeated known field, our `extra` a repeated unknown
            // one; find the repeated key itself, since serde's position may be past it.
            if let Some((offset, key)) = locate::first_duplicate_key(text) {
                let (line, column) = line_col(text, offset);
                return LoadError::one(
                    name,
                    line,
                    column,
                    format!("duplicate key {key:?}: each key may appear once in an object"),
                );
            }
            message
        }
        _ => message,
    };
    let (line, column) = char_column(text, e.line(), e.column());
    LoadError::one(name, line, column, message)
}

/// `serde_json` counts columns in bytes; editors and our other messages count characters.
fn char_column(text: &str, line: usize, byte_column: usize) -> (usize, usize) {
    let line = line.max(1);
    let Some(line_text) = text.split('\n').nth(line - 1) else {
        return (line, byte_column.max(1));
    };
    let mut end = byte_column.saturating_sub(1).min(line_text.len());
    while !line_text.is_char_boundary(end) {
        end -= 1;
    }
    (line, line_text[..end].chars().count() + 1)
}

/// Whether the envelope fields a typed parse kept in `extra` name the current format.
fn is_current(extra: &crate::model::Extra) -> bool {
    matches!(extra.get("format"), Some(Value::String(f)) if f == FORMAT_NAME)
        && extra.get("version").and_then(Value::as_u64) == Some(FORMAT_VERSION)
}

/// JSON pointers of the unknown fields inside nested objects (persona, intents, cues,
/// flags, top tasks, positions), which are dropped on load. Only called when the model
/// says some were dropped, so the extra parse costs nothing on ordinary files.
fn dropped_nested_pointers(value: &Value) -> Vec<String> {
    fn escape(key: &str) -> String {
        key.replace('~', "~0").replace('/', "~1")
    }
    fn known(kind: &str) -> &'static [&'static str] {
        crate::model::NESTED_FIELDS
            .iter()
            .find(|(k, _)| *k == kind)
            .map_or(&[], |(_, fields)| fields)
    }
    let mut out = Vec::new();
    let mut check = |pointer: String, kind: &str, v: Option<&Value>| {
        if let Some(obj) = v.and_then(Value::as_object) {
            let fields = known(kind);
            out.extend(
                obj.keys()
                    .filter(|k| !fields.contains(&k.as_str()))
                    .map(|k| format!("{pointer}/{}", escape(k))),
            );
        }
    };
    let list = |name: &str| {
        value
            .get(name)
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default()
    };
    for (i, theme) in list("themes").iter().enumerate() {
        check(format!("/themes/{i}/intent"), "intent", theme.get("intent"));
    }
    for (i, t) in list("touchpoints").iter().enumerate() {
        for kind in ["position", "flags", "top_task"] {
            check(format!("/touchpoints/{i}/{kind}"), kind, t.get(kind));
        }
        let cues = t.get("cues").and_then(Value::as_array);
        for (j, cue) in cues.into_iter().flatten().enumerate() {
            check(format!("/touchpoints/{i}/cues/{j}"), "cue", Some(cue));
        }
    }
    out
}

/// Parses a canvas from JSON text; `name` is used in messages.
///
/// The fast path, a file of the current version, is one typed parse plus [`validate`]:
/// the envelope fields land in the document's `extra` map and are checked there. Anything
/// else (syntax errors, other versions, not a canvas at all) takes the slow path, which
/// re-reads the text to say precisely what is wrong.
pub fn load_str(name: &str, text: &str) -> Result<Loaded, LoadError> {
    // A byte-order mark, as some Windows editors write, is not part of the JSON.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    refuse_implausible_density(name, text)?;
    let mut warnings = Vec::new();
    let mut dropped = Vec::new();
    crate::model::take_dropped_nested();
    crate::model::reset_unknown_budget();
    let parsed = serde_json::from_str::<Document>(text);
    let dropped_any = crate::model::take_dropped_nested();
    let (mut document, version) = match parsed {
        Ok(doc) if is_current(&doc.extra) => {
            if dropped_any && let Ok(value) = serde_json::from_str::<Value>(text) {
                dropped = dropped_nested_pointers(&value);
            }
            (doc, FORMAT_VERSION)
        }
        other => read_other(
            name,
            text,
            other.err().as_ref(),
            &mut warnings,
            &mut dropped,
        )?,
    };
    document.extra.remove("format");
    document.extra.remove("version");
    let at = |pointer: &str| locate(text, &migrate::pointer_in_version(pointer, version));
    let mut notes: Vec<(String, String)> = unknown_field_pointers(&document)
        .into_iter()
        .map(|p| (p, "is kept as it is".to_owned()))
        .collect();
    notes.extend(dropped.into_iter().map(|p| {
        (
            p,
            "is not understood by this build and is dropped on save".to_owned(),
        )
    }));
    let total = notes.len();
    for (pointer, what) in notes.into_iter().take(MAX_DIAGNOSTICS) {
        let (l, c) = at(&pointer);
        let field = pointer.rsplit('/').next().unwrap_or_default();
        warnings.push(format!(
            "{name}:{l}:{c}: unknown field \"{field}\" (from a newer Stagecraft?) {what}"
        ));
    }
    if total > MAX_DIAGNOSTICS {
        warnings.push(format!(
            "{name}: and {} more unknown fields",
            total - MAX_DIAGNOSTICS
        ));
    }
    let problems = validate(&document);
    if !problems.is_empty() {
        let total = problems.len();
        let mut diagnostics: Vec<Diagnostic> = problems
            .into_iter()
            .take(MAX_DIAGNOSTICS)
            .map(|p| {
                let (line, column) = at(&p.path);
                Diagnostic {
                    line,
                    column,
                    message: p.message,
                }
            })
            .collect();
        if total > MAX_DIAGNOSTICS {
            diagnostics.push(Diagnostic {
                line: 1,
                column: 1,
                message: format!("and {} more problems", total - MAX_DIAGNOSTICS),
            });
        }
        return Err(LoadError {
            file: name.to_owned(),
            diagnostics,
        });
    }
    Ok(Loaded { document, warnings })
}

/// The slow path of [`load_str`]: says why the typed parse failed, or reads an older
/// version through [`migrate`]. Returns the document and the version the file had.
fn read_other(
    name: &str,
    text: &str,
    typed_error: Option<&serde_json::Error>,
    warnings: &mut Vec<String>,
    dropped: &mut Vec<String>,
) -> Result<(Document, u64), LoadError> {
    use serde_json::error::Category;
    if let Some(e) = typed_error
        && e.classify() != Category::Data
    {
        return Err(serde_error(name, text, e));
    }
    // Only the envelope first, without building the body: a hostile file that fails the
    // typed parse must not then be read whole into a `Value` tree (gigabytes for a file of
    // millions of tiny arrays). The body is read as a `Value` only to migrate an old version.
    let not_canvas = "expected a Stagecraft canvas: a JSON object with \"format\": \"stagecraft\"";
    // Syntax first (nesting too deep...): it says more than "not a canvas".
    if let Err(e) = serde_json::from_str::<Skip>(text) {
        return Err(serde_error(name, text, &e));
    }
    if !text.trim_start().starts_with('{') {
        return Err(LoadError::one(name, 1, 1, not_canvas));
    }
    let probe: EnvelopeProbe = match serde_json::from_str(text) {
        Ok(p) => p,
        // Such as a repeated "version": the typed parse's error says where.
        Err(e) => return Err(serde_error(name, text, typed_error.unwrap_or(&e))),
    };
    let at = |pointer: &str| locate(text, pointer);
    match &probe.format {
        Some(Probe::Str(f)) if f == FORMAT_NAME => {}
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
    let version = match &probe.version {
        Some(Probe::Whole(v)) => *v,
        Some(_) => {
            let (l, c) = at("/version");
            return Err(LoadError::one(
                name,
                l,
                c,
                "expected \"version\" to be a whole number",
            ));
        }
        None => {
            return Err(LoadError::one(
                name,
                1,
                1,
                "expected a \"version\" field (the format version, 1)",
            ));
        }
    };
    if version > FORMAT_VERSION {
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
    }
    if version == FORMAT_VERSION {
        // The envelope is right, so the typed parse failed on the body: say where.
        return Err(match typed_error {
            Some(e) => serde_error(name, text, e),
            None => LoadError::one(name, 1, 1, not_canvas),
        });
    }
    let value: Value = serde_json::from_str(text).map_err(|e| serde_error(name, text, &e))?;
    // An older version: `Value` keeps only the last of two equal keys, so look for them
    // first (a rare, slow path; the current version's typed parse refuses them itself).
    if let Some((offset, key)) = locate::first_duplicate_key(text) {
        let (line, column) = line_col(text, offset);
        return Err(LoadError::one(
            name,
            line,
            column,
            format!("duplicate key {key:?}: each key may appear once in an object"),
        ));
    }
    let upgraded = migrate(value, version).map_err(|m| LoadError::one(name, 1, 1, m))?;
    warnings.push(format!(
        "{name}:1:1: upgraded from format version {version} to {FORMAT_VERSION}; saving writes version {FORMAT_VERSION}"
    ));
    *dropped = dropped_nested_pointers(&upgraded);
    let document = serde_json::from_value(upgraded).map_err(|e| match typed_error {
        // Version 1 differs from this one only in its `persona`, which the typed parse
        // kept as an unknown field: its error is the body's own, with its position.
        Some(typed) if version == 1 => serde_error(name, text, typed),
        _ => LoadError::one(
            name,
            1,
            1,
            format!("after upgrading from version {version}: {e}"),
        ),
    })?;
    Ok((document, version))
}

/// The envelope of a file, read without keeping anything else.
#[derive(serde::Deserialize)]
struct EnvelopeProbe {
    format: Option<Probe>,
    version: Option<Probe>,
}

/// An envelope field's value: a string, a whole number, or anything else (skipped).
enum Probe {
    Str(String),
    Whole(u64),
    Other,
}

impl<'de> serde::Deserialize<'de> for Probe {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ProbeVisitor { keep: true })
    }
}

/// Any JSON value, read and dropped without keeping anything, within `serde_json`'s nesting
/// limit (`IgnoredAny` skips without one, so a `[[[[…` file would pass it).
struct Skip;

impl<'de> serde::Deserialize<'de> for Skip {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ProbeVisitor { keep: false })
            .map(|_| Skip)
    }
}

/// Reads one JSON value for [`Probe`] (`keep`: a string or whole number is kept) or for
/// [`Skip`] (nothing is kept, not even a string); arrays and objects are skipped
/// element by element through [`Skip`].
struct ProbeVisitor {
    keep: bool,
}

impl<'de> serde::de::Visitor<'de> for ProbeVisitor {
    type Value = Probe;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_str<E>(self, v: &str) -> Result<Probe, E> {
        Ok(if self.keep {
            Probe::Str(v.to_owned())
        } else {
            Probe::Other
        })
    }
    fn visit_u64<E>(self, v: u64) -> Result<Probe, E> {
        Ok(if self.keep {
            Probe::Whole(v)
        } else {
            Probe::Other
        })
    }
    fn visit_i64<E>(self, _: i64) -> Result<Probe, E> {
        Ok(Probe::Other)
    }
    fn visit_f64<E>(self, _: f64) -> Result<Probe, E> {
        Ok(Probe::Other)
    }
    fn visit_bool<E>(self, _: bool) -> Result<Probe, E> {
        Ok(Probe::Other)
    }
    fn visit_unit<E>(self) -> Result<Probe, E> {
        Ok(Probe::Other)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Probe, A::Error> {
        while seq.next_element::<Skip>()?.is_some() {}
        Ok(Probe::Other)
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Probe, A::Error> {
        while map.next_entry::<serde::de::IgnoredAny, Skip>()?.is_some() {}
        Ok(Probe::Other)
    }
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
    for (i, p) in doc.personas.iter().enumerate() {
        push("personas", i, &p.extra);
    }
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
