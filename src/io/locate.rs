//! Finds where a JSON pointer's value starts in a JSON text, as a 1-based line and column.
//!
//! The loader parses with serde (fast, and syntax errors come with positions already);
//! only when a document breaks a model rule does it need the position of one value, so this
//! small scanner walks the text once on that error path and never on a good file.

/// Line and column (both 1-based; the column counts characters) of the value at `pointer`
/// (`/touchpoints/3/stage`), or of the deepest enclosing value that exists.
pub fn locate(text: &str, pointer: &str) -> (usize, usize) {
    let tokens: Vec<String> = pointer
        .split('/')
        .skip(1)
        .map(|t| t.replace("~1", "/").replace("~0", "~"))
        .collect();
    let mut scanner = Scanner {
        bytes: text.as_bytes(),
        pos: 0,
    };
    scanner.skip_ws();
    let offset = scanner.find(&tokens).unwrap_or(scanner.pos);
    line_col(text, offset)
}

/// 1-based line and character column of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before[line_start..].chars().count() + 1;
    (line, col)
}

/// The byte offset and text of the first key that repeats an earlier key of the same
/// object, anywhere in `text`; `None` when there is none (or the text is not JSON).
///
/// serde refuses repeated known fields, and the model's `extra` maps refuse repeated
/// unknown ones, but neither knows where the repeat is; this walks the text once, without
/// recursion, on that error path only.
pub fn first_duplicate_key(text: &str) -> Option<(usize, String)> {
    use std::collections::HashSet;
    let mut scanner = Scanner {
        bytes: text.as_bytes(),
        pos: 0,
    };
    // One entry per open container: the keys seen so far, or `None` for an array.
    let mut open: Vec<Option<HashSet<String>>> = Vec::new();
    let mut expect_key = false;
    loop {
        scanner.skip_ws();
        let here = scanner.pos;
        match scanner.peek()? {
            b'{' => {
                open.push(Some(HashSet::new()));
                scanner.pos += 1;
                expect_key = true;
            }
            b'[' => {
                open.push(None);
                scanner.pos += 1;
                expect_key = false;
            }
            b'}' | b']' => {
                open.pop()?;
                scanner.pos += 1;
                expect_key = false;
            }
            b',' => {
                scanner.pos += 1;
                expect_key = matches!(open.last(), Some(Some(_)));
            }
            b':' => {
                scanner.pos += 1;
                expect_key = false;
            }
            b'"' => {
                let s = scanner.string()?;
                if expect_key
                    && let Some(Some(keys)) = open.last_mut()
                    && !keys.insert(s.clone())
                {
                    return Some((here, s));
                }
                expect_key = false;
            }
            _ => {
                // A number, true, false or null.
                while !matches!(
                    scanner.peek(),
                    None | Some(b',' | b'}' | b']' | b':' | b' ' | b'\n' | b'\r' | b'\t')
                ) {
                    scanner.pos += 1;
                }
                if scanner.pos == here {
                    return None;
                }
            }
        }
    }
}

struct Scanner<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Scanner<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\n' | b'\r' | b'\t')) {
            self.pos += 1;
        }
    }

    /// Walks to the value named by `path` from the value at `self.pos`; returns its offset.
    /// On a missing key or index, stops at the enclosing value (`None` with `pos` left there).
    fn find(&mut self, path: &[String]) -> Option<usize> {
        let start = self.pos;
        let Some((first, rest)) = path.split_first() else {
            return Some(start);
        };
        match self.peek()? {
            b'{' => {
                self.pos += 1;
                loop {
                    self.skip_ws();
                    if self.peek()? == b'}' {
                        break;
                    }
                    let key = self.string()?;
                    self.skip_ws();
                    if self.peek()? != b':' {
                        break;
                    }
                    self.pos += 1;
                    self.skip_ws();
                    if &key == first {
                        return self.find(rest).or(Some(self.pos));
                    }
                    self.skip_value()?;
                    self.skip_ws();
                    if self.peek()? == b',' {
                        self.pos += 1;
                    }
                }
            }
            b'[' => {
                let wanted: usize = first.parse().ok()?;
                self.pos += 1;
                let mut index = 0;
                loop {
                    self.skip_ws();
                    if self.peek()? == b']' {
                        break;
                    }
                    if index == wanted {
                        return self.find(rest).or(Some(self.pos));
                    }
                    self.skip_value()?;
                    self.skip_ws();
                    if self.peek()? == b',' {
                        self.pos += 1;
                    }
                    index += 1;
                }
            }
            _ => {}
        }
        self.pos = start;
        None
    }

    fn string(&mut self) -> Option<String> {
        if self.peek()? != b'"' {
            return None;
        }
        let start = self.pos;
        self.pos += 1;
        loop {
            match self.peek()? {
                b'\\' => self.pos += 2,
                b'"' => {
                    self.pos += 1;
                    break;
                }
                _ => self.pos += 1,
            }
        }
        let raw = std::str::from_utf8(self.bytes.get(start..self.pos)?).ok()?;
        serde_json::from_str(raw).ok()
    }

    fn skip_value(&mut self) -> Option<()> {
        // Iterative, so a hostile nesting depth cannot overflow the stack.
        let mut depth = 0usize;
        loop {
            self.skip_ws();
            match self.peek()? {
                b'"' => {
                    self.string()?;
                }
                b'{' | b'[' => {
                    depth += 1;
                    self.pos += 1;
                    continue;
                }
                b'}' | b']' => {
                    depth = depth.checked_sub(1)?;
                    self.pos += 1;
                }
                b',' | b':' if depth > 0 => {
                    self.pos += 1;
                    continue;
                }
                _ => {
                    while !matches!(
                        self.peek(),
                        None | Some(b',' | b'}' | b']' | b' ' | b'\n' | b'\r' | b'\t')
                    ) {
                        self.pos += 1;
                    }
                }
            }
            if depth == 0 {
                return Some(());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "{\n  \"a\": [1, {\"b\": \"x\"}],\n  \"c\": {\"d/e\": true}\n}";

    #[test]
    fn finds_nested_values() {
        assert_eq!(locate(TEXT, ""), (1, 1));
        assert_eq!(locate(TEXT, "/a"), (2, 8));
        assert_eq!(locate(TEXT, "/a/1/b"), (2, 18));
        assert_eq!(locate(TEXT, "/c/d~1e"), (3, 16));
    }

    #[test]
    fn falls_back_to_the_enclosing_value() {
        assert_eq!(locate(TEXT, "/a/7"), (2, 8));
        assert_eq!(locate(TEXT, "/zzz"), (1, 1));
    }

    #[test]
    fn finds_the_first_repeated_key_at_any_depth() {
        let text = "{\"a\": [{\"b\": 1, \"c\": {\"b\": 2}}, {\"b\": 3, \"b\": 4}], \"a\": 0}";
        assert_eq!(first_duplicate_key(text), Some((41, "b".to_owned())));
        assert_eq!(first_duplicate_key("{\"a\": 1, \"b\": {\"a\": 2}}"), None);
        assert_eq!(
            first_duplicate_key("{\"a\": 1, \"a\": 2"),
            Some((9, "a".to_owned()))
        );
    }

    #[test]
    fn counts_columns_in_characters() {
        assert_eq!(line_col("\"żółw\": 1", 9), (1, 7));
    }
}
