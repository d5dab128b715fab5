//! Trousers (and shorts): four panels, a front and a back for each leg, joined by the
//! outseams, inseams and the front and back crotch seams.
//!
//! Drafted from the waist, hips, hip depth, waist height and inseam. The crotch depth is
//! `waist_height − inseam` plus [`CROTCH_EASE_CM`]; the front crotch extension is `hips / 16`
//! and the back's `hips / 10`; the back is [`BACK_EXTRA_CM`] wider than the front at the
//! waist, hips and hem, so the sewn girths are exactly the measurements plus ease.

use std::f64::consts::PI;

use glam::{DVec2, DVec3};

use super::DesignError;
use super::params::ParamRange;
use crate::body::BodyMeasurements;
use crate::curve::absolute_to_relative;
use crate::panel::{Edge, EdgeShape, Panel};
use crate::pattern::{Pattern, Stitch, StitchDirection, StitchEnd};

/// Length from the top of the waistband line to the hem (cm).
pub const LENGTH: ParamRange = ParamRange::new("length", 25.0, 125.0, "cm");
/// Ease added to the waist girth (cm).
pub const WAIST_EASE: ParamRange = ParamRange::new("waist_ease", 0.0, 6.0, "cm");
/// Ease added to the hip girth (cm).
pub const HIP_EASE: ParamRange = ParamRange::new("hip_ease", 2.0, 16.0, "cm");
/// Girth of one leg opening at the hem (cm).
pub const HEM_GIRTH: ParamRange = ParamRange::new("hem_girth", 28.0, 90.0, "cm");
/// How far below the natural waist the trousers sit (cm).
pub const WAIST_DROP: ParamRange = ParamRange::new("waist_drop", 0.0, 8.0, "cm");

/// Ease added to the crotch depth (cm).
pub const CROTCH_EASE_CM: f64 = 2.0;
/// How much wider each back panel is than the front at waist, hips and hem (cm).
pub const BACK_EXTRA_CM: f64 = 1.0;
/// The hem of trousers stays at least this far above the floor (cm).
pub const FLOOR_CLEARANCE_CM: f64 = 1.0;
/// Trousers (and shorts) reach at least this far below the crotch seam (cm).
pub const BELOW_CROTCH_CM: f64 = 5.0;
const PLACEMENT_GAP_CM: f64 = 6.0;

/// A trousers design. Ranges are the `pub const`s of this module.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TrousersDesign {
    /// See [`LENGTH`].
    pub length_cm: f64,
    /// See [`WAIST_EASE`].
    pub waist_ease_cm: f64,
    /// See [`HIP_EASE`].
    pub hip_ease_cm: f64,
    /// See [`HEM_GIRTH`].
    pub hem_girth_cm: f64,
    /// See [`WAIST_DROP`].
    pub waist_drop_cm: f64,
}

impl Default for TrousersDesign {
    fn default() -> Self {
        Self {
            length_cm: 100.0,
            waist_ease_cm: 2.0,
            hip_ease_cm: 6.0,
            hem_girth_cm: 44.0,
            waist_drop_cm: 0.0,
        }
    }
}

/// Drafted dimensions of one panel.
struct LegDraft {
    length: f64,
    hip_y: f64,
    crotch_y: f64,
    waist_width: f64,
    hip_width: f64,
    extension: f64,
    hem_width: f64,
}

/// Edge indices of a drafted (right-hand, unmirrored) leg panel.
const HEM: usize = 0;
const OUTSEAM_LOWER: usize = 1;
const OUTSEAM_UPPER: usize = 2;
const WAIST: usize = 3;
const CROTCH: usize = 4;
const INSEAM: usize = 5;
/// Edges per leg panel.
const EDGE_COUNT: usize = 6;

/// Where a drafted edge ends up on the mirrored panel (see [`Panel::mirrored`]).
fn mirrored(edge: usize) -> usize {
    EDGE_COUNT - 1 - edge
}

/// From the top edge down to the crotch seam on `body` (cm).
fn crotch_depth(body: &BodyMeasurements, design: &TrousersDesign) -> f64 {
    body.waist_height() - body.inseam() + CROTCH_EASE_CM - design.waist_drop_cm
}

/// The shortest and the longest `design`'s trousers can be on `body` (cm): at least
/// [`BELOW_CROTCH_CM`] below the crotch seam, the hem at least [`FLOOR_CLEARANCE_CM`] above
/// the floor.
pub fn length_bounds(body: &BodyMeasurements, design: &TrousersDesign) -> (f64, f64) {
    (
        crotch_depth(body, design) + BELOW_CROTCH_CM,
        body.waist_height() - design.waist_drop_cm - FLOOR_CLEARANCE_CM,
    )
}

/// Drafts trousers for `body`. The pattern is validated before it is returned.
pub fn trousers(body: &BodyMeasurements, design: &TrousersDesign) -> Result<Pattern, DesignError> {
    LENGTH.check(design.length_cm)?;
    WAIST_EASE.check(design.waist_ease_cm)?;
    HIP_EASE.check(design.hip_ease_cm)?;
    HEM_GIRTH.check(design.hem_girth_cm)?;
    WAIST_DROP.check(design.waist_drop_cm)?;
    let top_height = body.waist_height() - design.waist_drop_cm;
    let crotch_depth = crotch_depth(body, design);
    let length = design.length_cm;
    let (min_length, max_length) = length_bounds(body, design);
    if length > max_length {
        return Err(DesignError::DoesNotFit(format!(
            "length {length} cm would reach the floor: on this body trousers can be at most \
             {max_length:.1} cm long"
        )));
    }
    if length < min_length {
        return Err(DesignError::DoesNotFit(format!(
            "length {length} cm does not cover the crotch: on this body trousers must be at \
             least {min_length:.1} cm long"
        )));
    }
    let waist_quarter = (body.girth_below_waist(design.waist_drop_cm) + design.waist_ease_cm) / 4.0;
    let hip_quarter = (body.hips() + design.hip_ease_cm) / 4.0;
    let hem_half = design.hem_girth_cm / 2.0;
    let hip_y = length - (body.hip_depth() - design.waist_drop_cm).max(1.0);
    let crotch_y = length - crotch_depth;
    let hip_y = hip_y.max(crotch_y + 2.0);
    let draft = |extra: f64, extension: f64| LegDraft {
        length,
        hip_y,
        crotch_y,
        waist_width: waist_quarter + extra,
        hip_width: hip_quarter + extra,
        extension,
        hem_width: hem_half + extra,
    };
    let front = draft(-BACK_EXTRA_CM / 2.0, body.hips() / 16.0);
    let back = draft(BACK_EXTRA_CM / 2.0, body.hips() / 10.0);
    if front.hem_width > front.hip_width + front.extension {
        return Err(DesignError::DoesNotFit(format!(
            "a hem {} cm round is wider than the leg at the crotch on this body",
            design.hem_girth_cm
        )));
    }

    let front_right = leg_panel("front_right", &front);
    let back_left = leg_panel("back_left", &back);
    let front_left = front_right.mirrored("front_left");
    let back_right = back_left.mirrored("back_right");
    debug_assert_eq!(front_right.mirrored_edge_index(HEM), mirrored(HEM));

    let bottom = top_height - length;
    let z = body.hips() / (2.0 * PI) + PLACEMENT_GAP_CM;
    let mut panels = Vec::new();
    for (mut panel, sign, z, turned) in [
        (front_right, 1.0, z, false),
        (front_left, -1.0, z, false),
        (back_right, 1.0, -z, true),
        (back_left, -1.0, -z, true),
    ] {
        // Legs sit apart by their crotch extensions so the panels do not overlap.
        let extension = if turned {
            back.extension
        } else {
            front.extension
        };
        panel.translation = DVec3::new(sign * extension, bottom, z);
        if turned {
            panel.rotation_deg = DVec3::new(0.0, 180.0, 0.0);
        }
        // The pre-drape curves leg panels round their leg (`drape::predrape`).
        panel.label = Some(crate::drape::LEG_LABEL.to_string());
        panels.push(panel);
    }

    let mut pattern = Pattern::new();
    let mut sew = |a: &str, ea: usize, b: &str, eb: usize| {
        pattern.stitches.push(Stitch::new(
            StitchEnd::new(a, ea),
            StitchEnd::new(b, eb),
            StitchDirection::Opposite,
        ));
    };
    // "front_right" and "back_left" are drafted; the other two are their mirror images.
    for (front, back, front_mirrored) in [
        ("front_right", "back_right", false),
        ("front_left", "back_left", true),
    ] {
        let f = |i| if front_mirrored { mirrored(i) } else { i };
        let b = |i| if front_mirrored { i } else { mirrored(i) };
        sew(front, f(OUTSEAM_LOWER), back, b(OUTSEAM_LOWER));
        sew(front, f(OUTSEAM_UPPER), back, b(OUTSEAM_UPPER));
        sew(front, f(INSEAM), back, b(INSEAM));
    }
    sew("front_right", CROTCH, "front_left", mirrored(CROTCH));
    sew("back_left", CROTCH, "back_right", mirrored(CROTCH));
    pattern.panels = panels;
    pattern.validate()?;
    Ok(pattern)
}

/// A leg panel drafted for the right leg seen from outside: hem, outseam (hem to hips,
/// hips to waist), waist, crotch curve, inseam; the centre line at x = 0.
fn leg_panel(name: &str, d: &LegDraft) -> Panel {
    let leg_center = (d.hip_width - d.extension) / 2.0;
    let v = vec![
        DVec2::new(leg_center - d.hem_width / 2.0, 0.0),
        DVec2::new(leg_center + d.hem_width / 2.0, 0.0),
        DVec2::new(d.hip_width, d.hip_y),
        DVec2::new(d.waist_width, d.length),
        DVec2::new(0.0, d.length),
        DVec2::new(-d.extension, d.crotch_y),
    ];
    let hip_curve = {
        let (from, to) = (v[2], v[3]);
        let control = DVec2::new(from.x, from.y + (to.y - from.y) * 0.55);
        EdgeShape::Quadratic {
            control: absolute_to_relative(from, to, control),
        }
    };
    let crotch_curve = {
        // Straight down the centre line, then round to the crotch point.
        let (from, to) = (v[4], v[5]);
        let c1 = DVec2::new(0.0, d.crotch_y + (d.length - d.crotch_y) * 0.25);
        let c2 = DVec2::new(-d.extension * 0.4, d.crotch_y);
        EdgeShape::Cubic {
            control1: absolute_to_relative(from, to, c1),
            control2: absolute_to_relative(from, to, c2),
        }
    };
    let edges = vec![
        Edge::line(0, 1),
        Edge::line(1, 2),
        Edge::curved(2, 3, hip_curve),
        Edge::line(3, 4),
        Edge::curved(4, 5, crotch_curve),
        Edge::line(5, 0),
    ];
    let mut panel = Panel::new(name, v, edges);
    for (group, list) in [
        ("hem", vec![HEM]),
        ("outseam", vec![OUTSEAM_LOWER, OUTSEAM_UPPER]),
        ("waist", vec![WAIST]),
        ("crotch", vec![CROTCH]),
        ("inseam", vec![INSEAM]),
    ] {
        panel.edge_groups.insert(group.to_string(), list);
    }
    panel
}
