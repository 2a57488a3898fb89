//! No two modules import each other: the imports between the top-level modules of `src/`
//! (`model`, `io`, `scoring`, `scene`, …, `ui`, `app`) and between the files of
//! `src/ui/canvas/` form graphs without cycles, so each layer can be read (and tested)
//! knowing only the layers below it. ARCHITECTURE.md, "Layers", lists the order.
//!
//! The check reads the sources as text: every `crate::…` path (braced groups included) and
//! every `super::…` path resolved from the file's place in the tree. Comments and test code
//! (`tests.rs`, `tests/` folders, inline `#[cfg(test)] mod … { … }`) are left out: a
//! test may load a sample through `io` without making its module depend on `io`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// An import found: from which module to which, and where it was seen.
type Edges = BTreeMap<(String, String), String>;

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("a source folder")
        .map(|e| e.expect("an entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            if path.file_name().is_some_and(|n| n != "tests") {
                rust_files(&path, out);
            }
        } else if path.extension().is_some_and(|e| e == "rs")
            && path.file_name().is_some_and(|n| n != "tests.rs")
        {
            out.push(path);
        }
    }
}

/// The module path of a file: `src/a/b/c.rs` → `[a, b, c]`, `src/a/b/mod.rs` → `[a, b]`.
fn module_path(file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src()).expect("a file under src/");
    let mut parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    let last = parts.pop().unwrap_or_default();
    let stem = last.trim_end_matches(".rs");
    if stem != "mod" && stem != "lib" && stem != "main" {
        parts.push(stem.to_owned());
    }
    parts
}

/// The file's code without comments and without its inline test modules.
fn code_of(text: &str) -> String {
    let mut out = String::new();
    let mut lines = text.lines().peekable();
    // Inside an inline test module: how deep its braces are open.
    let mut in_test: Option<i32> = None;
    while let Some(line) = lines.next() {
        let trimmed = line.trim_start();
        if let Some(depth) = &mut in_test {
            *depth += braces(line);
            if *depth <= 0 {
                in_test = None;
            }
            continue;
        }
        if trimmed.starts_with("#[cfg(test)]")
            && lines
                .peek()
                .is_some_and(|next| next.trim_start().starts_with("mod ") && next.contains('{'))
        {
            in_test = Some(0);
            continue;
        }
        if trimmed.starts_with("//") {
            continue;
        }
        // A trailing comment starts at `//` after a space (`ws://` in a string is kept).
        let code = line.find(" //").map_or(line, |at| &line[..at]);
        out.push_str(code);
        out.push('\n');
    }
    out
}

/// Braces a line opens minus those it closes, outside strings and character literals.
fn braces(line: &str) -> i32 {
    let code = line.replace("'{'", "").replace("'}'", "");
    let (mut depth, mut in_str, mut escaped) = (0, false, false);
    for c in code.chars() {
        match (in_str, c) {
            (true, '\\') if !escaped => {
                escaped = true;
                continue;
            }
            (true, '"') if !escaped => in_str = false,
            (false, '"') => in_str = true,
            (false, '{') => depth += 1,
            (false, '}') => depth -= 1,
            _ => {}
        }
        escaped = false;
    }
    depth
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The paths that start at `at` in `code`, as lists of segments: `a::b::{c, d::e}` gives
/// `[a, b, c]` and `[a, b, d, e]` (enough of each to know which module it names).
fn paths_at(code: &str, at: usize) -> Vec<Vec<String>> {
    let rest = &code[at..];
    let mut segs = Vec::new();
    let mut i = 0;
    loop {
        let start = i;
        while rest[i..].starts_with(|c: char| is_ident(c)) {
            i += 1;
        }
        if i > start {
            segs.push(rest[start..i].to_owned());
        } else if rest[i..].starts_with('{') {
            // A group: split at the commas of its own level.
            let mut depth = 0;
            let mut end = i;
            for (k, c) in rest[i..].char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' => {
                        depth -= 1;
                        if depth == 0 {
                            end = i + k;
                            break;
                        }
                    }
                    _ => {}
                }
            }
            let inner = &rest[i + 1..end];
            let mut out = Vec::new();
            let (mut depth, mut from) = (0, 0);
            let mut items = Vec::new();
            for (k, c) in inner.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        items.push(&inner[from..k]);
                        from = k + 1;
                    }
                    _ => {}
                }
            }
            items.push(&inner[from..]);
            for item in items {
                let item = item.trim();
                if item.is_empty() {
                    continue;
                }
                let base = i + 1 + (item.as_ptr() as usize - inner.as_ptr() as usize);
                for tail in paths_at(rest, base) {
                    let mut p = segs.clone();
                    p.extend(tail);
                    out.push(p);
                }
            }
            return out;
        }
        if rest[i..].starts_with("::") {
            i += 2;
            while rest[i..].starts_with(char::is_whitespace) {
                i += 1;
            }
        } else {
            return vec![segs];
        }
    }
}

/// Every path the code names from the crate's root, resolved to absolute segments.
fn absolute_paths(module: &[String], code: &str) -> Vec<(Vec<String>, usize)> {
    let mut out = Vec::new();
    for (at, _) in code.match_indices("crate::") {
        if code[..at].ends_with(|c: char| is_ident(c) || c == '$') {
            continue;
        }
        for p in paths_at(code, at + "crate::".len()) {
            out.push((p, at));
        }
    }
    for (at, _) in code.match_indices("super::") {
        if code[..at].ends_with(|c: char| is_ident(c) || c == ':') {
            continue;
        }
        let mut base = module.to_vec();
        let mut i = at;
        while code[i..].starts_with("super::") {
            base.pop();
            i += "super::".len();
        }
        for p in paths_at(code, i) {
            let mut abs = base.clone();
            abs.extend(p);
            out.push((abs, at));
        }
    }
    // A file's own submodules named bare (`use state::CanvasState`, `paint::scene(…)`).
    for line in code.lines() {
        let decl = line
            .trim_start()
            .trim_start_matches("pub ")
            .trim_start_matches("pub(crate) ");
        let Some(name) = decl.strip_prefix("mod ").and_then(|d| d.strip_suffix(';')) else {
            continue;
        };
        let needle = format!("{name}::");
        for (at, _) in code.match_indices(&needle) {
            if code[..at].ends_with(|c: char| is_ident(c) || c == ':') {
                continue;
            }
            for p in paths_at(code, at) {
                let mut abs = module.to_vec();
                abs.extend(p);
                out.push((abs, at));
            }
        }
    }
    out
}

fn line_of(code: &str, at: usize) -> &str {
    let start = code[..at].rfind('\n').map_or(0, |i| i + 1);
    let end = code[at..].find('\n').map_or(code.len(), |i| at + i);
    code[start..end].trim()
}

/// The edges between the groups `group_of` puts modules in (`None`: not a node).
fn graph(group_of: fn(&[String]) -> Option<String>) -> Edges {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    let mut edges = Edges::new();
    for file in files {
        let module = module_path(&file);
        let text = std::fs::read_to_string(&file).expect("a source file");
        let code = code_of(&text);
        let Some(from) = group_of(&module) else {
            continue;
        };
        for (path, at) in absolute_paths(&module, &code) {
            if let Some(to) = group_of(&path).filter(|to| *to != from) {
                let rel = file.strip_prefix(src()).unwrap_or(&file).display();
                edges
                    .entry((from.clone(), to))
                    .or_insert_with(|| format!("src/{rel}: {}", line_of(&code, at)));
            }
        }
    }
    edges
}

/// The edges that lie on a cycle (both ends in one strongly connected component).
fn edges_on_cycles(edges: &Edges) -> Vec<String> {
    let nodes: BTreeSet<&String> = edges.keys().flat_map(|(a, b)| [a, b]).collect();
    let reach = |from: &String| {
        let mut seen = BTreeSet::from([from.clone()]);
        let mut todo = vec![from.clone()];
        while let Some(n) = todo.pop() {
            for (a, b) in edges.keys() {
                if *a == n && seen.insert(b.clone()) {
                    todo.push(b.clone());
                }
            }
        }
        seen
    };
    let reachable: BTreeMap<&String, BTreeSet<String>> =
        nodes.iter().map(|n| (*n, reach(n))).collect();
    edges
        .iter()
        .filter(|((a, b), _)| reachable[b].contains(a))
        .map(|((a, b), seen)| format!("{a} -> {b}   ({seen})"))
        .collect()
}

/// The modules in an order where each uses only those before it.
fn layers(edges: &Edges) -> Vec<String> {
    let mut nodes: BTreeSet<String> = edges
        .keys()
        .flat_map(|(a, b)| [a.clone(), b.clone()])
        .collect();
    let mut order = Vec::new();
    while !nodes.is_empty() {
        let ready: Vec<String> = nodes
            .iter()
            .filter(|n| !edges.keys().any(|(a, b)| a == *n && nodes.contains(b)))
            .cloned()
            .collect();
        if ready.is_empty() {
            break;
        }
        for n in &ready {
            nodes.remove(n);
        }
        order.push(ready.join(", "));
    }
    order
}

fn top_level(path: &[String]) -> Option<String> {
    let first = path.first()?;
    let top = src();
    (top.join(format!("{first}.rs")).is_file() || top.join(first).is_dir()).then(|| first.clone())
}

fn canvas_file(path: &[String]) -> Option<String> {
    let [ui, canvas, rest @ ..] = path else {
        return None;
    };
    if ui != "ui" || canvas != "canvas" {
        return None;
    }
    let dir = src().join("ui").join("canvas");
    match rest.first() {
        Some(f) if dir.join(format!("{f}.rs")).is_file() => Some(f.clone()),
        _ => Some("mod".to_owned()),
    }
}

#[test]
fn top_level_modules_import_one_way() {
    let edges = graph(top_level);
    // The reader must see the imports it claims to check, or it would pass on nothing.
    for (from, to) in [
        ("scoring", "model"),
        ("ui", "edit"),
        ("app", "ui"),
        ("live", "merge"),
    ] {
        assert!(
            edges.contains_key(&(from.to_owned(), to.to_owned())),
            "{from} -> {to} not found"
        );
    }
    let cycles = edges_on_cycles(&edges);
    assert!(
        cycles.is_empty(),
        "modules of src/ that import each other (move the shared item down a layer):\n{}\n\
         layers so far: {:?}",
        cycles.join("\n"),
        layers(&edges)
    );
    println!("layers, lowest first: {:#?}", layers(&edges));
}

#[test]
fn canvas_files_import_one_way() {
    let edges = graph(canvas_file);
    for (from, to) in [("paint", "state"), ("mod", "paint"), ("flow_tiles", "view")] {
        assert!(
            edges.contains_key(&(from.to_owned(), to.to_owned())),
            "{from} -> {to} not found"
        );
    }
    let cycles = edges_on_cycles(&edges);
    assert!(
        cycles.is_empty(),
        "files of src/ui/canvas/ that import each other:\n{}",
        cycles.join("\n")
    );
    println!("canvas layers, lowest first: {:#?}", layers(&edges));
}

/// Longest source file, in lines: a file a newcomer can read through (issue #16).
const MAX_LINES: usize = 700;

#[test]
fn no_source_file_is_over_700_lines() {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).expect("a source folder") {
            let path = entry.expect("an entry").path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let mut files = Vec::new();
    walk(&src(), &mut files);
    assert!(files.len() > 50, "the walk found the sources");
    let mut long: Vec<String> = files
        .iter()
        .filter_map(|f| {
            let lines = std::fs::read_to_string(f)
                .expect("a source file")
                .lines()
                .count();
            (lines > MAX_LINES).then(|| format!("{}: {lines} lines", f.display()))
        })
        .collect();
    long.sort();
    assert!(
        long.is_empty(),
        "files over {MAX_LINES} lines:\n{}",
        long.join("\n")
    );
}

/// Colours and fonts of the UI come from `ui/tokens.rs` (issue #16): a colour or font
/// written anywhere else in `src/ui/` or `src/app/` drifts from the rest. Allowed
/// outside: `Color32::PLACEHOLDER` and `TRANSPARENT` (no colour), and
/// `from_rgba_premultiplied`, which scales a colour already given. The font files are
/// embedded once, in `scene/text.rs`.
#[test]
fn colours_and_fonts_come_from_the_tokens() {
    const ALLOWED: [&str; 3] = ["PLACEHOLDER", "TRANSPARENT", "from_rgba_premultiplied"];
    let mut files = Vec::new();
    rust_files(&src().join("ui"), &mut files);
    rust_files(&src().join("app"), &mut files);
    assert!(
        files.iter().any(|f| f.ends_with("legible.rs")),
        "the walk found ui/"
    );
    let mut stray = Vec::new();
    for file in files.iter().filter(|f| !f.ends_with("tokens.rs")) {
        let code = code_of(&std::fs::read_to_string(file).expect("a source file"));
        for line in code.lines() {
            let colours = line.match_indices("Color32::").filter(|(at, m)| {
                let name: String = line[at + m.len()..]
                    .chars()
                    .take_while(|&c| is_ident(c))
                    .collect();
                !ALLOWED.contains(&name.as_str())
            });
            if colours.count() > 0 || line.contains("FontId::") {
                stray.push(format!("{}: {}", file.display(), line.trim()));
            }
        }
    }
    assert!(
        stray.is_empty(),
        "colours or fonts outside ui/tokens.rs:\n{}",
        stray.join("\n")
    );
    let mut all = Vec::new();
    rust_files(&src(), &mut all);
    let embeds: Vec<String> = all
        .iter()
        .filter(|f| {
            let text = std::fs::read_to_string(f).expect("a source file");
            text.contains("include_bytes!(\"") && text.contains(".ttf\")")
        })
        .map(|f| f.display().to_string())
        .collect();
    assert_eq!(embeds.len(), 1, "font files embedded in: {embeds:?}");
}
