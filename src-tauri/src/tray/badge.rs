//! The unread count drawn onto the tray icon at runtime: a red pill with a
//! white rim in the top-right corner, `1`–`99`, then `99+`; nothing at 0.
//! Digits come from a bundled 3×5 pixel font scaled up, so rendering needs
//! no font files and is exact at tray sizes.

/// 3×5 glyphs, one row per `u8` (bits 2..0 = left..right).
const GLYPHS: [(char, [u8; 5]); 11] = [
    ('0', [0b111, 0b101, 0b101, 0b101, 0b111]),
    ('1', [0b010, 0b110, 0b010, 0b010, 0b111]),
    ('2', [0b111, 0b001, 0b111, 0b100, 0b111]),
    ('3', [0b111, 0b001, 0b111, 0b001, 0b111]),
    ('4', [0b101, 0b101, 0b111, 0b001, 0b001]),
    ('5', [0b111, 0b100, 0b111, 0b001, 0b111]),
    ('6', [0b111, 0b100, 0b111, 0b101, 0b111]),
    ('7', [0b111, 0b001, 0b001, 0b001, 0b001]),
    ('8', [0b111, 0b101, 0b111, 0b101, 0b111]),
    ('9', [0b111, 0b101, 0b111, 0b001, 0b111]),
    ('+', [0b000, 0b010, 0b111, 0b010, 0b000]),
];

/// The pill's fill, also what tests look for.
pub const BADGE_RED: [u8; 3] = [0xd1, 0x24, 0x2f];
const WHITE: [u8; 3] = [0xff, 0xff, 0xff];

/// The text for a count: `None` at 0 (no badge).
pub fn label(count: u64) -> Option<String> {
    match count {
        0 => None,
        1..=99 => Some(count.to_string()),
        _ => Some("99+".to_owned()),
    }
}

/// Draws the badge for `count` onto a square RGBA image of side `size`.
pub fn draw(rgba: &mut [u8], size: u32, count: u64) {
    let Some(text) = label(count) else { return };
    let size = size as f32;
    let scale = (size / 21.0).floor().max(1.0);
    let (glyph_w, glyph_h, gap) = (3.0 * scale, 5.0 * scale, scale);
    let chars = text.chars().count() as f32;
    let text_w = chars * glyph_w + (chars - 1.0) * gap;
    let height = glyph_h + 2.0 * scale + 2.0;
    let radius = height / 2.0;
    let width = (text_w + 2.0 * scale + 2.0).max(height);
    let (right, top) = (size - 1.0, 1.0);
    let (left, cy) = (right - width, top + radius);
    let segment = (left + radius, right - radius);
    let mut canvas = Canvas { rgba, size };
    canvas.pill(segment, cy, radius + scale.min(2.0), WHITE);
    canvas.pill(segment, cy, radius, BADGE_RED);
    let mut x = left + (width - text_w) / 2.0;
    let y = cy - glyph_h / 2.0;
    for c in text.chars() {
        if let Some((_, rows)) = GLYPHS.iter().find(|(g, _)| *g == c) {
            canvas.glyph(rows, x.round(), y.round(), scale);
        }
        x += glyph_w + gap;
    }
}

struct Canvas<'a> {
    rgba: &'a mut [u8],
    size: f32,
}

impl Canvas<'_> {
    /// A horizontal capsule around the segment `xs` at height `cy`,
    /// anti-aliased by distance.
    fn pill(&mut self, xs: (f32, f32), cy: f32, radius: f32, color: [u8; 3]) {
        let n = self.size as usize;
        for py in 0..n {
            for px in 0..n {
                let (x, y) = (px as f32 + 0.5, py as f32 + 0.5);
                let dx = x - x.clamp(xs.0, xs.1);
                let distance = (dx * dx + (y - cy).powi(2)).sqrt();
                let coverage = (radius - distance + 0.5).clamp(0.0, 1.0);
                if coverage > 0.0 {
                    self.blend(px, py, color, coverage);
                }
            }
        }
    }

    fn glyph(&mut self, rows: &[u8; 5], x0: f32, y0: f32, scale: f32) {
        let s = scale as usize;
        for (row, bits) in rows.iter().enumerate() {
            for col in 0..3 {
                if bits & (0b100 >> col) == 0 {
                    continue;
                }
                for dy in 0..s {
                    for dx in 0..s {
                        let px = x0 as usize + col * s + dx;
                        let py = y0 as usize + row * s + dy;
                        self.blend(px, py, WHITE, 1.0);
                    }
                }
            }
        }
    }

    fn blend(&mut self, px: usize, py: usize, color: [u8; 3], coverage: f32) {
        let n = self.size as usize;
        if px >= n || py >= n {
            return;
        }
        let i = (py * n + px) * 4;
        let Some(pixel) = self.rgba.get_mut(i..i + 4) else {
            return;
        };
        for (channel, value) in pixel.iter_mut().take(3).zip(color) {
            *channel = (f32::from(value) * coverage + f32::from(*channel) * (1.0 - coverage)) as u8;
        }
        pixel[3] = (255.0 * coverage + f32::from(pixel[3]) * (1.0 - coverage)) as u8;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blank(size: u32) -> Vec<u8> {
        vec![0; (size * size * 4) as usize]
    }

    fn red_pixels(rgba: &[u8]) -> usize {
        rgba.chunks(4)
            .filter(|p| p[..3] == BADGE_RED && p[3] == 255)
            .count()
    }

    #[test]
    fn labels_cap_at_99_plus_and_hide_at_zero() {
        let cases = [
            (0, None),
            (1, Some("1")),
            (99, Some("99")),
            (100, Some("99+")),
        ];
        for (count, want) in cases {
            assert_eq!(label(count).as_deref(), want, "{count}");
        }
    }

    #[test]
    fn zero_leaves_the_icon_untouched_and_wider_counts_paint_more() {
        let mut none = blank(64);
        draw(&mut none, 64, 0);
        assert_eq!(red_pixels(&none), 0);
        let mut counts = Vec::new();
        for count in [7, 42, 1000] {
            let mut icon = blank(64);
            draw(&mut icon, 64, count);
            counts.push(red_pixels(&icon));
        }
        assert!(counts[0] > 100, "{counts:?}");
        assert!(counts[0] < counts[1] && counts[1] < counts[2], "{counts:?}");
    }

    #[test]
    fn badge_sits_in_the_top_right_corner() {
        let mut icon = blank(64);
        draw(&mut icon, 64, 5);
        let at = |x: usize, y: usize| &icon[(y * 64 + x) * 4..(y * 64 + x) * 4 + 4];
        assert_eq!(at(2, 60)[3], 0, "bottom-left stays transparent");
        assert!(at(54, 6)[3] > 0, "top-right is painted");
    }
}
