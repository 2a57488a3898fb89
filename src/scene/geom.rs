//! Plain geometry for the scene: points, rectangles and colours in canvas units.
//!
//! Canvas units are logical points at zoom 1. These types carry no egui dependency so that
//! export runs headless; the editor converts them to `egui::Pos2`/`Rect`/`Color32`.

use crate::model::Color;

/// A point in canvas units (x to the right, y down).
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub struct Point {
    pub x: f32,
    pub y: f32,
}

impl Point {
    pub const fn new(x: f32, y: f32) -> Self {
        Self { x, y }
    }

    /// This point moved by `(dx, dy)`.
    pub fn offset(self, dx: f32, dy: f32) -> Self {
        Self::new(self.x + dx, self.y + dy)
    }
}

/// An axis-aligned rectangle; `min` is the top-left corner, `max` the bottom-right.
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub struct Rect {
    pub min: Point,
    pub max: Point,
}

impl Rect {
    /// A rectangle that contains nothing; the neutral element of [`Rect::union`].
    pub const NOTHING: Rect = Rect {
        min: Point::new(f32::INFINITY, f32::INFINITY),
        max: Point::new(f32::NEG_INFINITY, f32::NEG_INFINITY),
    };

    pub const fn from_min_max(min: Point, max: Point) -> Self {
        Self { min, max }
    }

    pub fn from_min_size(min: Point, width: f32, height: f32) -> Self {
        Self {
            min,
            max: Point::new(min.x + width, min.y + height),
        }
    }

    pub fn from_center_size(center: Point, width: f32, height: f32) -> Self {
        Self::from_min_size(
            Point::new(center.x - width / 2.0, center.y - height / 2.0),
            width,
            height,
        )
    }

    pub fn width(&self) -> f32 {
        self.max.x - self.min.x
    }

    pub fn height(&self) -> f32 {
        self.max.y - self.min.y
    }

    pub fn center(&self) -> Point {
        Point::new(
            (self.min.x + self.max.x) / 2.0,
            (self.min.y + self.max.y) / 2.0,
        )
    }

    /// Whether `p` lies inside, borders included.
    pub fn contains(&self, p: Point) -> bool {
        p.x >= self.min.x && p.x <= self.max.x && p.y >= self.min.y && p.y <= self.max.y
    }

    /// Whether the two rectangles share some area (touching edges do not count).
    /// Whether `other` lies wholly inside (edges included).
    pub fn contains_rect(&self, other: Rect) -> bool {
        self.min.x <= other.min.x
            && self.min.y <= other.min.y
            && other.max.x <= self.max.x
            && other.max.y <= self.max.y
    }

    pub fn intersects(&self, other: Rect) -> bool {
        self.min.x < other.max.x
            && other.min.x < self.max.x
            && self.min.y < other.max.y
            && other.min.y < self.max.y
    }

    /// This rectangle grown by `margin` on every side (shrunk when negative).
    pub fn expand(&self, margin: f32) -> Rect {
        Rect {
            min: Point::new(self.min.x - margin, self.min.y - margin),
            max: Point::new(self.max.x + margin, self.max.y + margin),
        }
    }

    /// The smallest rectangle containing both.
    pub fn union(&self, other: Rect) -> Rect {
        Rect {
            min: Point::new(self.min.x.min(other.min.x), self.min.y.min(other.min.y)),
            max: Point::new(self.max.x.max(other.max.x), self.max.y.max(other.max.y)),
        }
    }

    /// This rectangle moved by `(dx, dy)`.
    pub fn translate(&self, dx: f32, dy: f32) -> Rect {
        Rect {
            min: self.min.offset(dx, dy),
            max: self.max.offset(dx, dy),
        }
    }

    /// Whether the rectangle has a positive area.
    pub fn is_positive(&self) -> bool {
        self.max.x > self.min.x && self.max.y > self.min.y
    }
}

/// An sRGB colour with straight (not premultiplied) alpha.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Rgba {
    pub r: u8,
    pub g: u8,
    pub b: u8,
    pub a: u8,
}

impl Rgba {
    pub const TRANSPARENT: Rgba = Rgba::new(0, 0, 0, 0);
    pub const WHITE: Rgba = Rgba::rgb(255, 255, 255);
    pub const BLACK: Rgba = Rgba::rgb(0, 0, 0);

    pub const fn new(r: u8, g: u8, b: u8, a: u8) -> Self {
        Self { r, g, b, a }
    }

    pub const fn rgb(r: u8, g: u8, b: u8) -> Self {
        Self::new(r, g, b, 255)
    }

    /// Parses `0xRRGGBB` written as an integer literal, for design tokens.
    pub const fn hex(rgb: u32) -> Self {
        Self::rgb((rgb >> 16) as u8, (rgb >> 8) as u8, rgb as u8)
    }

    /// The same colour with alpha multiplied by `factor` (0 to 1).
    pub fn faded(self, factor: f32) -> Self {
        let a = (f32::from(self.a) * factor.clamp(0.0, 1.0)).round() as u8;
        Self { a, ..self }
    }

    /// The colour mixed with `other`: `t = 0` gives `self`, `t = 1` gives `other`.
    pub fn mix(self, other: Rgba, t: f32) -> Self {
        let t = t.clamp(0.0, 1.0);
        let lerp = |a: u8, b: u8| (f32::from(a) + (f32::from(b) - f32::from(a)) * t).round() as u8;
        Self::new(
            lerp(self.r, other.r),
            lerp(self.g, other.g),
            lerp(self.b, other.b),
            lerp(self.a, other.a),
        )
    }

    /// Relative luminance (WCAG), 0 for black to 1 for white; used to pick readable text.
    pub fn luminance(self) -> f32 {
        let lin = |c: u8| {
            let c = f32::from(c) / 255.0;
            if c <= 0.039_28 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * lin(self.r) + 0.7152 * lin(self.g) + 0.0722 * lin(self.b)
    }

    /// `#rrggbb` (alpha is written separately where a format needs it).
    pub fn to_hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.r, self.g, self.b)
    }
}

impl From<Color> for Rgba {
    fn from(c: Color) -> Self {
        Rgba::rgb(c.r, c.g, c.b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rect_relations() {
        let a = Rect::from_min_size(Point::new(0.0, 0.0), 10.0, 10.0);
        let b = Rect::from_min_size(Point::new(10.0, 0.0), 10.0, 10.0);
        assert!(!a.intersects(b), "touching edges do not overlap");
        assert!(a.expand(0.5).intersects(b));
        assert_eq!(a.union(b).width(), 20.0);
        assert!(a.contains(Point::new(10.0, 10.0)));
        assert!(!a.contains(Point::new(10.1, 5.0)));
        assert_eq!(Rect::NOTHING.union(a), a);
    }

    #[test]
    fn colour_helpers() {
        assert_eq!(Rgba::hex(0x1f77b4), Rgba::rgb(0x1f, 0x77, 0xb4));
        assert_eq!(Rgba::hex(0x1f77b4).to_hex(), "#1f77b4");
        assert_eq!(Rgba::WHITE.faded(0.5).a, 128);
        assert_eq!(Rgba::BLACK.mix(Rgba::WHITE, 0.5), Rgba::rgb(128, 128, 128));
        assert!(Rgba::WHITE.luminance() > 0.99 && Rgba::BLACK.luminance() < 0.01);
    }
}
