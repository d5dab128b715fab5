//! Fitting a piece's label inside the piece: the text block (name, size, fabric, seam
//! allowance) is placed at the centre of the largest rectangle of its shape that fits in
//! the sew line, turned along the piece when that lets it be larger, and scaled to fit.
//!
//! For one orientation the search is a pole-of-inaccessibility search in a stretched frame:
//! turning the outline into the label's frame and stretching it across the lines by the
//! label's aspect ratio turns "largest label of this shape" into "largest axis-aligned
//! square", whose half-size at a point is the point's Chebyshev (L∞) distance to the
//! outline. A coarse grid finds the best cell and finer grids refine it. The orientations
//! tried are along the sheet, across it, and along the piece's principal axis.
//!
//! Text size is estimated, not measured: [`CHAR_WIDTH_EM`] per character (an upper
//! bound for sans-serif lowercase and digits) and [`LINE_HEIGHT_EM`] per line.

use glam::DVec2;

use crate::polygon;

/// Estimated advance of one character, in ems.
pub const CHAR_WIDTH_EM: f64 = 0.62;
/// Line spacing, in ems.
pub const LINE_HEIGHT_EM: f64 = 1.25;
/// Labels are never set larger than this (cm).
pub const MAX_FONT_CM: f64 = 1.5;
/// Share of the largest fitting size actually used, leaving a margin to the sew line.
const FILL: f64 = 0.85;

/// Where and how large a label is set, in panel coordinates (cm, y up).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LabelPlacement {
    /// Centre of the text block.
    pub centre: DVec2,
    /// Direction of the text's lines, counter-clockwise from +x (radians).
    pub angle: f64,
    /// Font size (cm).
    pub font_size: f64,
}

/// The width and height (in ems) of a block of `lines`.
pub fn block_size_em(lines: &[String]) -> DVec2 {
    let longest = lines.iter().map(|l| l.chars().count()).max().unwrap_or(0);
    DVec2::new(
        longest.max(1) as f64 * CHAR_WIDTH_EM,
        lines.len().max(1) as f64 * LINE_HEIGHT_EM,
    )
}

/// The largest placement of a block of `lines` inside `outline` (closed polygon, cm).
pub fn fit_label(outline: &[DVec2], lines: &[String]) -> LabelPlacement {
    let block = block_size_em(lines);
    let mut best = LabelPlacement {
        centre: centroid(outline),
        angle: 0.0,
        font_size: 0.0,
    };
    for angle in orientations(outline) {
        let (centre, half) = largest_square(outline, angle, block.x / block.y);
        // `half` is the block's half-width in cm: font size = 2 · half / width in ems.
        let font_size = 2.0 * half / block.x * FILL;
        // Prefer reading along the sheet unless turning gains a quarter.
        let gain = if angle == 0.0 { 1.25 } else { 1.0 };
        if font_size * gain > best.font_size * if best.angle == 0.0 { 1.25 } else { 1.0 } {
            best = LabelPlacement {
                centre,
                angle,
                font_size,
            };
        }
    }
    best.font_size = best.font_size.min(MAX_FONT_CM);
    best
}

/// The corners of a placed block of `lines`, in panel coordinates.
pub fn label_corners(placement: &LabelPlacement, lines: &[String]) -> [DVec2; 4] {
    let half = block_size_em(lines) * placement.font_size / 2.0;
    let (u, v) = (
        DVec2::from_angle(placement.angle),
        DVec2::from_angle(placement.angle).perp(),
    );
    [(-1.0, -1.0), (1.0, -1.0), (1.0, 1.0), (-1.0, 1.0)]
        .map(|(a, b)| placement.centre + u * (a * half.x) + v * (b * half.y))
}

fn centroid(points: &[DVec2]) -> DVec2 {
    points.iter().copied().sum::<DVec2>() / points.len().max(1) as f64
}

/// Along the sheet, across it, and along the principal axis of the outline's points.
fn orientations(outline: &[DVec2]) -> Vec<f64> {
    let c = centroid(outline);
    let (mut xx, mut xy, mut yy) = (0.0, 0.0, 0.0);
    for p in outline {
        let d = *p - c;
        xx += d.x * d.x;
        xy += d.x * d.y;
        yy += d.y * d.y;
    }
    let principal = 0.5 * (2.0 * xy).atan2(xx - yy);
    let mut out = vec![0.0, std::f64::consts::FRAC_PI_2];
    let near = |a: f64, b: f64| {
        ((a - b).rem_euclid(std::f64::consts::PI)).min((b - a).rem_euclid(std::f64::consts::PI))
            < 0.1
    };
    if !out.iter().any(|&a| near(a, principal)) {
        // Keep text reading left to right: lines point into −90°..90°.
        let a = if principal.cos() < 0.0 {
            principal + std::f64::consts::PI
        } else {
            principal
        };
        out.push(a);
    }
    out
}

/// In the frame turned by `angle` and stretched across the lines by `aspect`, the centre
/// and half-size of the largest axis-aligned square inside the outline; the centre is
/// returned in panel coordinates and the half-size in cm along the lines.
fn largest_square(outline: &[DVec2], angle: f64, aspect: f64) -> (DVec2, f64) {
    let turn = DVec2::from_angle(-angle);
    let to_frame = |p: DVec2| {
        let q = turn.rotate(p);
        DVec2::new(q.x, q.y * aspect)
    };
    let from_frame = |q: DVec2| DVec2::from_angle(angle).rotate(DVec2::new(q.x, q.y / aspect));
    let frame: Vec<DVec2> = outline.iter().map(|&p| to_frame(p)).collect();
    let (min, max) = super::piece::bounds(&frame);
    let score = |q: DVec2| {
        if polygon::contains(&frame, q) {
            chebyshev_distance(&frame, q)
        } else {
            -1.0
        }
    };
    let mut best = (to_frame(centroid(outline)), 0.0f64);
    best.1 = score(best.0);
    let grid = 24;
    let mut cell = (max - min) / grid as f64;
    for i in 0..=grid {
        for j in 0..=grid {
            let q = min + DVec2::new(i as f64, j as f64) * cell;
            let s = score(q);
            if s > best.1 {
                best = (q, s);
            }
        }
    }
    for _ in 0..8 {
        cell /= 2.5;
        let around = best.0;
        for i in -3..=3 {
            for j in -3..=3 {
                let q = around + DVec2::new(i as f64, j as f64) * cell;
                let s = score(q);
                if s > best.1 {
                    best = (q, s);
                }
            }
        }
    }
    (from_frame(best.0), best.1.max(0.0))
}

/// Smallest L∞ distance from `p` to the closed outline.
fn chebyshev_distance(outline: &[DVec2], p: DVec2) -> f64 {
    let n = outline.len();
    (0..n)
        .map(|i| segment_chebyshev(p, outline[i], outline[(i + 1) % n]))
        .fold(f64::INFINITY, f64::min)
}

/// L∞ distance from `p` to the segment `a`–`b`: the minimum over t of
/// `max(|dx(t)|, |dy(t)|)`, a convex piecewise-linear function whose minimum lies at an
/// end or where `|dx| = |dy|`.
fn segment_chebyshev(p: DVec2, a: DVec2, b: DVec2) -> f64 {
    let (o, d) = (a - p, b - a);
    let at = |t: f64| {
        let q = o + d * t;
        q.x.abs().max(q.y.abs())
    };
    let mut best = at(0.0).min(at(1.0));
    for (num, den) in [(o.y - o.x, d.x - d.y), (-(o.x + o.y), d.x + d.y)] {
        if den.abs() > 1e-12 {
            let t = num / den;
            if (0.0..=1.0).contains(&t) {
                best = best.min(at(t));
            }
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rect(w: f64, h: f64) -> Vec<DVec2> {
        vec![
            DVec2::new(0.0, 0.0),
            DVec2::new(w, 0.0),
            DVec2::new(w, h),
            DVec2::new(0.0, h),
        ]
    }

    #[test]
    fn chebyshev_distance_to_a_square_is_half_its_side() {
        let d = chebyshev_distance(&rect(4.0, 4.0), DVec2::new(2.0, 2.0));
        assert!((d - 2.0).abs() < 1e-9);
        // Diagonal segment: the L∞ distance from the origin to x + y = 2 is 1.
        let d = segment_chebyshev(DVec2::ZERO, DVec2::new(2.0, 0.0), DVec2::new(0.0, 2.0));
        assert!((d - 1.0).abs() < 1e-9);
    }

    #[test]
    fn a_label_in_a_tall_narrow_strip_turns_to_run_along_it() {
        let lines = vec!["sleeve_front_left".to_string(), "size M".to_string()];
        let strip = rect(4.0, 60.0);
        let placed = fit_label(&strip, &lines);
        assert!((placed.angle.abs() - std::f64::consts::FRAC_PI_2).abs() < 1e-6);
        for corner in label_corners(&placed, &lines) {
            assert!(polygon::contains(&strip, corner), "{corner:?}");
        }
        assert!(placed.font_size > 1.0, "{}", placed.font_size);
    }
}
