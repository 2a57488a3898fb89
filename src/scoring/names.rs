//! Names as findings quote them: in typographic quotes, cut when long.

/// Longest name quoted in a message, in characters.
const QUOTE_CHARS: usize = 48;

/// Quote marks a name may already be wrapped in (a card titled “The usual, Camille?”).
const OPENING_QUOTES: [char; 6] = ['“', '"', '„', '«', '‘', '\''];
const CLOSING_QUOTES: [char; 5] = ['”', '"', '»', '’', '\''];

/// A name in typographic quotes, cut with an ellipsis when long; blank names get a stand-in.
/// A name that is already a quotation keeps one pair of quotes, not two.
pub fn quote(name: &str) -> String {
    let mut name = name.trim();
    if let Some(inner) = name
        .strip_prefix(OPENING_QUOTES)
        .and_then(|n| n.strip_suffix(CLOSING_QUOTES))
        .map(str::trim)
        .filter(|n| !n.is_empty())
    {
        name = inner;
    }
    if name.is_empty() {
        return "(untitled)".to_owned();
    }
    // Where the first QUOTE_CHARS characters end, if the name is longer: copied in one go
    // (findings quote thousands of titles on a big canvas, on every rescore).
    let cut = name.char_indices().nth(QUOTE_CHARS).map(|(at, _)| at);
    let shown = &name[..cut.unwrap_or(name.len())];
    let mut out = String::with_capacity(shown.len() + 9);
    out.push('“');
    out.push_str(shown);
    if cut.is_some() {
        out.push('…');
    }
    out.push('”');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quote_shortens_long_names() {
        assert_eq!(quote(" Search "), "“Search”");
        assert_eq!(quote(""), "(untitled)");
        let long = "x".repeat(100);
        assert_eq!(quote(&long).chars().count(), QUOTE_CHARS + 3);
        // Cut by characters, not bytes; no ellipsis at exactly the limit.
        let exact = "ł".repeat(QUOTE_CHARS);
        assert_eq!(quote(&exact), format!("“{exact}”"));
        let over = format!("{exact}ż");
        assert_eq!(quote(&over), format!("“{exact}…”"));
    }

    #[test]
    fn a_quoted_name_is_not_quoted_twice() {
        assert_eq!(quote("“The usual, Camille?”"), "“The usual, Camille?”");
        assert_eq!(quote("\"Hi there\""), "“Hi there”");
        assert_eq!(quote("«Bonjour»"), "“Bonjour”");
        assert_eq!(quote("“"), "““”", "a lone mark is the name itself");
        assert_eq!(quote("It's Bob's"), "“It's Bob's”");
    }
}
