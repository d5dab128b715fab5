//! A panel prepared for cutting: everything the SVG and DXF writers draw, computed once in
//! panel coordinates (cm, y up) so the two formats cannot disagree.

use std::collections::BTreeSet;

use glam::DVec2;

use super::ExportError;
use crate::curve::Curve;
use crate::panel::Panel;
use crate::pattern::{Pattern, PatternError};
use crate::polygon;

/// Notches are cut this far into the seam allowance (cm), or the whole allowance if less.
pub const NOTCH_DEPTH_CM: f64 = 0.6;
/// The sew line is flattened to segments of at most this length (cm) where a format
/// cannot draw curves.
pub const FLATTEN_CM: f64 = 0.25;

/// A notch: a short cut from the cutting line into the seam allowance.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Notch {
    /// Where the notch meets the sew line (the stitch end).
    pub on_sew_line: DVec2,
    /// Where the notch starts, on the cutting line.
    pub on_cut_line: DVec2,
    /// Where the cut ends, inside the seam allowance.
    pub inner: DVec2,
}

/// One piece ready to cut.
#[derive(Debug, Clone, PartialEq)]
pub struct CutPiece {
    /// The panel's name.
    pub name: String,
    /// The sew line's edges.
    pub curves: Vec<Curve>,
    /// The sew line flattened (closed, first point not repeated).
    pub sew_line: Vec<DVec2>,
    /// The cutting line: the sew line moved out by the seam allowance.
    pub cut_line: Vec<DVec2>,
    /// Grain line from one end to the other, through the piece's centre.
    pub grain: (DVec2, DVec2),
    /// Notches at both ends of every stitched edge.
    pub notches: Vec<Notch>,
    /// Seam allowance (cm).
    pub seam_allowance_cm: f64,
    /// Fabric name, if chosen.
    pub fabric: Option<String>,
}

impl CutPiece {
    /// Prepares `panel` of `pattern` for cutting.
    pub fn new(pattern: &Pattern, panel: &Panel) -> Result<Self, ExportError> {
        let geometry = |e: crate::EdgeGeometryError| {
            ExportError::Pattern(PatternError::new(
                format!("pattern.panels.{}", panel.name),
                e.into(),
            ))
        };
        let curves = panel.curves().map_err(geometry)?;
        let sew_line = panel.outline(FLATTEN_CM).map_err(geometry)?;
        let allowance = panel.cutting.seam_allowance_cm;
        let cut_line = polygon::offset_outward(&sew_line, allowance);

        let (min, max) = bounds(&sew_line);
        let center = (min + max) / 2.0;
        let grain_dir = panel.cutting.grain.normalize_or(DVec2::Y);
        let extent = (max - min).abs().dot(grain_dir.abs());
        let grain = (
            center - grain_dir * extent * 0.3,
            center + grain_dir * extent * 0.3,
        );

        let ccw = polygon::signed_area(&sew_line) > 0.0;
        let depth = NOTCH_DEPTH_CM.min(allowance);
        let mut notched = BTreeSet::new();
        let mut notches = Vec::new();
        for stitch in &pattern.stitches {
            for end in [&stitch.a, &stitch.b] {
                if end.panel != panel.name || !notched.insert(end.edge) {
                    continue;
                }
                let Some(curve) = curves.get(end.edge) else {
                    continue;
                };
                for (t, toward) in [(0.0, 1e-3), (1.0, 1.0 - 1e-3)] {
                    let at = curve.point(t);
                    let along = if t == 0.0 {
                        curve.point(toward) - at
                    } else {
                        at - curve.point(toward)
                    }
                    .normalize_or_zero();
                    let outward = if ccw {
                        DVec2::new(along.y, -along.x)
                    } else {
                        along.perp()
                    };
                    notches.push(Notch {
                        on_sew_line: at,
                        on_cut_line: at + outward * allowance,
                        inner: at + outward * (allowance - depth),
                    });
                }
            }
        }
        Ok(Self {
            name: panel.name.clone(),
            curves,
            sew_line,
            cut_line,
            grain,
            notches,
            seam_allowance_cm: allowance,
            fabric: panel.cutting.fabric.clone(),
        })
    }

    /// Bounding box of the cutting line.
    pub fn bounds(&self) -> (DVec2, DVec2) {
        bounds(&self.cut_line)
    }
}

/// Every panel of a validated pattern, prepared for cutting.
pub fn cut_pieces(pattern: &Pattern) -> Result<Vec<CutPiece>, ExportError> {
    pattern.validate()?;
    pattern
        .panels
        .iter()
        .map(|p| CutPiece::new(pattern, p))
        .collect()
}

/// Axis-aligned bounds of a point set.
pub fn bounds(points: &[DVec2]) -> (DVec2, DVec2) {
    points.iter().fold(
        (DVec2::splat(f64::MAX), DVec2::splat(f64::MIN)),
        |(lo, hi), p| (lo.min(*p), hi.max(*p)),
    )
}
