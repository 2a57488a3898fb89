//! Personas: the people who live the journey (format version 2), and what a card says
//! about each of them.
//!
//! A canvas lists its personas; a card concerns all of them (its `personas` absent) or the
//! ones it lists, and leaves each the card's own `emotion` unless `emotions` overrides it
//! for that persona. A version-1 file's single `persona` becomes the one persona of the
//! list, and its cards, concerning all personas with no override, mean what they meant.

use super::{Color, Extra, PersonaId, Touchpoint};
use serde::{Deserialize, Serialize};

/// Longest picture, in characters of its `data:` URI (about 48 KB of image): a thumbnail
/// travels inside the canvas file, so it stays small.
pub const MAX_PICTURE_CHARS: usize = 65_536;
/// Most personas a canvas may hold (the curve lane shows each as a line).
pub const MAX_PERSONAS: usize = 100;
/// The `data:` URI prefixes a picture may have.
pub const PICTURE_PREFIXES: [&str; 2] = ["data:image/png;base64,", "data:image/jpeg;base64,"];

/// The colours given to new personas, in turn: distinct from each other and from the
/// emotion scale's red and green, readable on white and on paper.
pub const PERSONA_COLORS: [Color; 6] = [
    Color::rgb(0x2f, 0x6f, 0xde),
    Color::rgb(0xd9, 0x48, 0x0f),
    Color::rgb(0x86, 0x3e, 0xc9),
    Color::rgb(0x0b, 0x72, 0x85),
    Color::rgb(0xc2, 0x25, 0x5c),
    Color::rgb(0x5c, 0x6b, 0x1f),
];

/// Someone who lives the journey: the anxious first-timer, the regular.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Persona {
    pub id: PersonaId,
    pub name: String,
    /// What they come to do.
    #[serde(default)]
    pub goal: String,
    /// A few words about them.
    #[serde(default)]
    pub description: String,
    /// Their line on the emotion curve.
    pub color: Color,
    /// A small picture, as a `data:image/png;base64,…` (or JPEG) URI.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub picture: Option<String>,
    #[serde(flatten, deserialize_with = "super::serde_impl::extra")]
    pub extra: Extra,
}

impl Persona {
    /// A persona with a name and a colour, nothing else yet.
    pub fn new(id: PersonaId, name: impl Into<String>, color: Color) -> Self {
        Self {
            id,
            name: name.into(),
            goal: String::new(),
            description: String::new(),
            color,
            picture: None,
            extra: Extra::new(),
        }
    }

    /// The name to show: the name, or "(unnamed persona)".
    pub fn display_name(&self) -> &str {
        match self.name.trim() {
            "" => "(unnamed persona)",
            name => name,
        }
    }
}

/// Why a picture's `data:` URI is not acceptable, or `None`.
pub fn picture_problem(uri: &str) -> Option<String> {
    if uri.chars().count() > MAX_PICTURE_CHARS {
        return Some(format!(
            "the picture is {} characters long; at most {MAX_PICTURE_CHARS} are allowed (pick a smaller image)",
            uri.chars().count()
        ));
    }
    let Some(data) = PICTURE_PREFIXES.iter().find_map(|p| uri.strip_prefix(p)) else {
        return Some(
            "a picture must be a data URI starting with \"data:image/png;base64,\" or \"data:image/jpeg;base64,\""
                .to_owned(),
        );
    };
    if data.is_empty()
        || !data
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'='))
    {
        return Some("a picture's data must be base64 (A-Z, a-z, 0-9, +, / and =)".to_owned());
    }
    None
}

impl Touchpoint {
    /// Whether the card is part of this persona's journey.
    pub fn concerns(&self, persona: &PersonaId) -> bool {
        self.personas.as_ref().is_none_or(|l| l.contains(persona))
    }

    /// The emotion the card leaves this persona with: its override, or the card's own.
    pub fn emotion_for(&self, persona: &PersonaId) -> i8 {
        self.emotions.get(persona).copied().unwrap_or(self.emotion)
    }
}

/// A colour for a new persona: the first of [`PERSONA_COLORS`] no persona has yet.
pub fn next_persona_color(personas: &[Persona]) -> Color {
    PERSONA_COLORS
        .iter()
        .copied()
        .find(|c| personas.iter().all(|p| p.color != *c))
        .unwrap_or(PERSONA_COLORS[personas.len() % PERSONA_COLORS.len()])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pictures_must_be_small_base64_images() {
        assert_eq!(picture_problem("data:image/png;base64,iVBORw0KGgo="), None);
        assert_eq!(picture_problem("data:image/jpeg;base64,/9j/4AAQ"), None);
        assert!(picture_problem("data:image/gif;base64,R0lG").is_some());
        assert!(picture_problem("data:image/png;base64,<svg>").is_some());
        assert!(picture_problem("data:image/png;base64,").is_some());
        let big = format!("data:image/png;base64,{}", "A".repeat(MAX_PICTURE_CHARS));
        assert!(
            picture_problem(&big).is_some_and(|m| m.contains("at most")),
            "too large"
        );
    }

    #[test]
    fn a_card_concerns_all_personas_unless_it_lists_some() {
        let mut tp = Touchpoint::new("t".into(), "t", "s".into(), "l".into());
        tp.emotion = 1;
        let (a, b) = (PersonaId::from("a"), PersonaId::from("b"));
        assert!(tp.concerns(&a) && tp.concerns(&b));
        tp.personas = Some(vec![b.clone()]);
        assert!(!tp.concerns(&a) && tp.concerns(&b));
        tp.emotions.insert(b.clone(), -2);
        assert_eq!((tp.emotion_for(&a), tp.emotion_for(&b)), (1, -2));
    }

    #[test]
    fn new_personas_get_unused_colours() {
        let first = Persona::new("a".into(), "A", next_persona_color(&[]));
        assert_eq!(first.color, PERSONA_COLORS[0]);
        assert_eq!(next_persona_color(&[first]), PERSONA_COLORS[1]);
    }
}
