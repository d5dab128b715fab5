//! The skirt family: pencil, A-line and circle skirts, each as a front and a back panel
//! joined by two side seams, drafted from the waist, hips, hip depth and waist height.
//!
//! Panels are drafted flat with the hem at y = 0 and the waist on top, then placed in front
//! of and behind the body with the waistline at the body's waist height (minus any drop).
//! Every panel has the edge groups `waist`, `hem`, `side_left` and `side_right`, so the sewn
//! waist girth is `pattern.group_length("waist")`.
//!
//! A pencil skirt whose hem falls below the knee cannot be walked in: its hem is one narrow
//! loop round both legs. Such a skirt gets a walking slit in each side seam, from the hem to
//! [`SLIT_ABOVE_KNEE_CM`] above the knee ([`SkirtDesign::slit_cm`]); the open part of each
//! side is the edge group `slit_left` or `slit_right`, and only the rest is sewn.

use std::f64::consts::PI;

use glam::{DVec2, DVec3};

use super::DesignError;
use super::params::ParamRange;
use crate::body::BodyMeasurements;
use crate::curve::absolute_to_relative;
use crate::panel::{Edge, EdgeShape, Panel};
use crate::pattern::{Pattern, Stitch, StitchDirection, StitchEnd};

/// Skirt length, from the skirt's top edge to the hem (cm).
pub const LENGTH: ParamRange = ParamRange::new("length", 30.0, 120.0, "cm");
/// Ease added to the body girth at the skirt's top edge (cm).
pub const WAIST_EASE: ParamRange = ParamRange::new("waist_ease", 0.0, 6.0, "cm");
/// Ease added to the hip girth (cm); pencil and A-line only.
pub const HIP_EASE: ParamRange = ParamRange::new("hip_ease", 2.0, 12.0, "cm");
/// How far below the natural waist the skirt sits (cm); 0 is a natural waist.
pub const WAIST_DROP: ParamRange = ParamRange::new("waist_drop", 0.0, 10.0, "cm");
/// Pencil: how much narrower the hem is than the hips, per side seam (cm).
pub const HEM_TAPER: ParamRange = ParamRange::new("hem_taper", 0.0, 8.0, "cm");
/// A-line: how much wider the hem is than the hips, per side seam (cm).
pub const FLARE: ParamRange = ParamRange::new("flare", 2.0, 40.0, "cm");
/// Circle: the fraction of a full circle the whole skirt spans at the hem (GarmentCode's
/// "suns"): 0.25 is a quarter circle, 1 a full circle.
pub const FULLNESS: ParamRange = ParamRange::new("fullness", 0.25, 1.0, "");

/// The hem of a skirt stays at least this far above the floor (cm).
pub const FLOOR_CLEARANCE_CM: f64 = 2.0;
/// A pencil or A-line skirt must reach at least this far below the hip line (cm).
pub const BELOW_HIPS_CM: f64 = 5.0;
/// A pencil skirt's walking slits open up to this far above the knee (cm).
pub const SLIT_ABOVE_KNEE_CM: f64 = 5.0;
/// The shortest walking slit (cm): a pencil hem only just below the knee still gets this.
pub const MIN_SLIT_CM: f64 = 10.0;
/// The knee's height from the floor as a share of the inseam (anthropometric tables put
/// the knee at about 28.5 % of the height and the crotch at about 46 %).
pub const KNEE_TO_INSEAM: f64 = 0.62;
/// Panels are placed this far outside the hip circle before draping (cm).
const PLACEMENT_GAP_CM: f64 = 6.0;

/// The shape of a skirt and the parameter that only that shape has.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum SkirtStyle {
    /// Fitted over the hips, straight or slightly narrower to the hem.
    Pencil {
        /// See [`HEM_TAPER`].
        hem_taper_cm: f64,
    },
    /// Fitted at the waist and hips, widening in a straight line to the hem.
    ALine {
        /// See [`FLARE`].
        flare_cm: f64,
    },
    /// Cut as rings: waist and hem are circular arcs.
    Circle {
        /// See [`FULLNESS`].
        fullness: f64,
    },
}

/// A skirt design. Ranges are the `pub const`s of this module.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SkirtDesign {
    /// Shape.
    pub style: SkirtStyle,
    /// See [`LENGTH`].
    pub length_cm: f64,
    /// See [`WAIST_EASE`].
    pub waist_ease_cm: f64,
    /// See [`HIP_EASE`].
    pub hip_ease_cm: f64,
    /// See [`WAIST_DROP`].
    pub waist_drop_cm: f64,
}

impl SkirtDesign {
    /// A knee-length design of the given style with usual ease.
    pub fn new(style: SkirtStyle) -> Self {
        Self {
            style,
            length_cm: 60.0,
            waist_ease_cm: 2.0,
            hip_ease_cm: 4.0,
            waist_drop_cm: 0.0,
        }
    }

    /// The girth of the skirt's top edge when sewn: body girth at the drop plus ease.
    pub fn top_girth(&self, body: &BodyMeasurements) -> f64 {
        body.girth_below_waist(self.waist_drop_cm) + self.waist_ease_cm
    }

    /// The shortest and the longest this skirt can be on `body` (cm): its hem at least
    /// [`FLOOR_CLEARANCE_CM`] above the floor and, unless it is a circle, at least
    /// [`BELOW_HIPS_CM`] below the hip line.
    pub fn length_bounds(&self, body: &BodyMeasurements) -> (f64, f64) {
        let max = body.waist_height() - self.waist_drop_cm - FLOOR_CLEARANCE_CM;
        let min = match self.style {
            SkirtStyle::Circle { .. } => LENGTH.min,
            _ => body.hip_depth() - self.waist_drop_cm + BELOW_HIPS_CM,
        };
        (min, max)
    }

    /// How far up from the hem the side seams stay open (cm): for a pencil skirt whose hem
    /// falls below the knee, up to [`SLIT_ABOVE_KNEE_CM`] above the knee (at least
    /// [`MIN_SLIT_CM`], and always [`BELOW_HIPS_CM`] short of the hip line); 0 otherwise.
    pub fn slit_cm(&self, body: &BodyMeasurements) -> f64 {
        if !matches!(self.style, SkirtStyle::Pencil { .. }) {
            return 0.0;
        }
        let top = body.waist_height() - self.waist_drop_cm;
        let hem = top - self.length_cm;
        let knee = KNEE_TO_INSEAM * body.inseam();
        if hem >= knee {
            return 0.0;
        }
        let hip_line = self.length_cm - (body.hip_depth() - self.waist_drop_cm).max(0.0);
        (knee + SLIT_ABOVE_KNEE_CM - hem)
            .max(MIN_SLIT_CM)
            .min(hip_line - BELOW_HIPS_CM)
            .max(0.0)
    }

    fn check(&self, body: &BodyMeasurements) -> Result<(), DesignError> {
        LENGTH.check(self.length_cm)?;
        WAIST_EASE.check(self.waist_ease_cm)?;
        HIP_EASE.check(self.hip_ease_cm)?;
        WAIST_DROP.check(self.waist_drop_cm)?;
        match self.style {
            SkirtStyle::Pencil { hem_taper_cm } => {
                HEM_TAPER.check(hem_taper_cm)?;
            }
            SkirtStyle::ALine { flare_cm } => {
                FLARE.check(flare_cm)?;
            }
            SkirtStyle::Circle { fullness } => {
                FULLNESS.check(fullness)?;
            }
        }
        let (min_length, max_length) = self.length_bounds(body);
        if self.length_cm > max_length {
            return Err(DesignError::DoesNotFit(format!(
                "length {} cm would reach the floor: with waist_height {} cm and waist_drop \
                 {} cm the skirt can be at most {max_length:.1} cm long",
                self.length_cm,
                body.waist_height(),
                self.waist_drop_cm
            )));
        }
        if self.length_cm < min_length {
            return Err(DesignError::DoesNotFit(format!(
                "length {} cm ends above the hips: a fitted skirt must reach {BELOW_HIPS_CM} cm \
                 below the hip line, so at least {min_length:.1} cm on this body",
                self.length_cm
            )));
        }
        Ok(())
    }
}

/// Drafts a skirt for `body`. The pattern is validated before it is returned.
pub fn skirt(body: &BodyMeasurements, design: &SkirtDesign) -> Result<Pattern, DesignError> {
    design.check(body)?;
    let (mut front, sides) = match design.style {
        SkirtStyle::Circle { fullness } => circle_panel(body, design, fullness),
        SkirtStyle::Pencil { hem_taper_cm } => {
            fitted_panel(body, design, -hem_taper_cm, design.slit_cm(body))
        }
        SkirtStyle::ALine { flare_cm } => fitted_panel(body, design, flare_cm, 0.0),
    };
    let mut back = front.clone();
    front.name = "skirt_front".into();
    back.name = "skirt_back".into();

    let top_y = body.waist_height() - design.waist_drop_cm;
    let top_local_y = design.length_cm;
    let z = body.hips() / (2.0 * PI) + PLACEMENT_GAP_CM;
    front.translation = DVec3::new(0.0, top_y - top_local_y, z);
    back.translation = DVec3::new(0.0, top_y - top_local_y, -z);
    back.rotation_deg = DVec3::new(0.0, 180.0, 0.0);

    // The back is turned around: its local left side lies on the body's right, next to
    // the front's right side. Both outlines run counter-clockwise, so seams run opposite.
    let mut pattern = Pattern::new();
    for (right, left) in sides.right.iter().zip(&sides.left_reversed) {
        pattern.stitches.push(Stitch::new(
            StitchEnd::new("skirt_front", *right),
            StitchEnd::new("skirt_back", *left),
            StitchDirection::Opposite,
        ));
        pattern.stitches.push(Stitch::new(
            StitchEnd::new("skirt_back", *right),
            StitchEnd::new("skirt_front", *left),
            StitchDirection::Opposite,
        ));
    }
    pattern.panels = vec![front, back];
    pattern.validate()?;
    Ok(pattern)
}

/// Side-seam edges of a drafted panel: right side from hem up, left side matched to them
/// (the left edge that meets `right[i]` when the panels are sewn).
struct SideEdges {
    right: Vec<usize>,
    left_reversed: Vec<usize>,
}

/// A pencil or A-line panel: hem, right side (hem to hips, hips to waist), waist, left side.
/// `hem_offset` widens (positive) or narrows (negative) the hem per side; a `slit` (cm)
/// splits each side's lower edge at that height above the hem, and only the part above it
/// is sewn.
fn fitted_panel(
    body: &BodyMeasurements,
    design: &SkirtDesign,
    hem_offset: f64,
    slit: f64,
) -> (Panel, SideEdges) {
    let length = design.length_cm;
    let top_half = design.top_girth(body) / 4.0;
    let hip_half = (body.hips() + design.hip_ease_cm) / 4.0;
    let hem_half = hip_half + hem_offset;
    let hip_y = length - (body.hip_depth() - design.waist_drop_cm).max(0.0);
    let (hem_r, hip_r) = (DVec2::new(hem_half, 0.0), DVec2::new(hip_half, hip_y));
    let (hem_l, hip_l) = (DVec2::new(-hem_half, 0.0), DVec2::new(-hip_half, hip_y));
    let slit = (slit > 0.0 && slit < hip_y).then(|| slit / hip_y);
    // Counter-clockwise from the hem's left corner: hem, right side (the slit's top when
    // there is one), right hip, waist, left hip, left side.
    let mut vertices = vec![hem_l, hem_r];
    if let Some(t) = slit {
        vertices.push(hem_r.lerp(hip_r, t));
    }
    let hip_right = vertices.len();
    vertices.extend([
        hip_r,
        DVec2::new(top_half, length),
        DVec2::new(-top_half, length),
        hip_l,
    ]);
    if let Some(t) = slit {
        vertices.push(hem_l.lerp(hip_l, t));
    }
    let n = vertices.len();
    // The hip curve: a quadratic whose control point sits level with the hip corner's
    // tangent, so the side is smooth through the hip line and rounds in to the waist.
    let curve = |from: usize, to: usize, rising: bool| {
        let (from_p, to_p) = (vertices[from], vertices[to]);
        let control = if rising {
            DVec2::new(from_p.x, from_p.y + (to_p.y - from_p.y) * 0.55)
        } else {
            DVec2::new(to_p.x, to_p.y + (from_p.y - to_p.y) * 0.55)
        };
        Edge::curved(
            from,
            to,
            EdgeShape::Quadratic {
                control: absolute_to_relative(from_p, to_p, control),
            },
        )
    };
    let (top_right, top_left, hip_left) = (hip_right + 1, hip_right + 2, hip_right + 3);
    let mut edges: Vec<Edge> = (0..hip_right).map(|i| Edge::line(i, i + 1)).collect();
    edges.push(curve(hip_right, top_right, true));
    edges.push(Edge::line(top_right, top_left));
    edges.push(curve(top_left, hip_left, false));
    edges.extend((hip_left..n).map(|i| Edge::line(i, (i + 1) % n)));
    // Edge indices: 0 hem; then the right side up to the waist, the waist, the left side.
    let waist = hip_right + 1;
    let right: Vec<usize> = (1..waist).collect();
    let left: Vec<usize> = (waist + 1..edges.len()).collect();
    let open = usize::from(slit.is_some());
    let mut panel = Panel::new("skirt", vertices, edges);
    let (sewn_right, slit_right) = (right[open..].to_vec(), right[..open].to_vec());
    let (sewn_left, slit_left) = (
        left[..left.len() - open].to_vec(),
        left[left.len() - open..].to_vec(),
    );
    let mut groups: Vec<(&str, &[usize])> = vec![
        ("hem", &[0]),
        ("side_right", &sewn_right),
        ("waist", std::slice::from_ref(&waist)),
        ("side_left", &sewn_left),
    ];
    if open > 0 {
        groups.push(("slit_right", &slit_right));
        groups.push(("slit_left", &slit_left));
    }
    group(&mut panel, &groups);
    let mut left_reversed = sewn_left;
    left_reversed.reverse();
    (
        panel,
        SideEdges {
            right: sewn_right,
            left_reversed,
        },
    )
}

/// A circle-skirt panel: an annulus sector spanning half the skirt's fullness.
fn circle_panel(
    body: &BodyMeasurements,
    design: &SkirtDesign,
    fullness: f64,
) -> (Panel, SideEdges) {
    let length = design.length_cm;
    let angle = fullness * PI; // per panel; two panels make the whole skirt
    let waist_radius = design.top_girth(body) / (2.0 * PI * fullness);
    let hem_radius = waist_radius + length;
    let center = DVec2::new(0.0, waist_radius + length);
    let at = |radius: f64, a: f64| center + radius * DVec2::new(a.cos(), a.sin());
    let (left, right) = (-PI / 2.0 - angle / 2.0, -PI / 2.0 + angle / 2.0);
    let vertices = vec![
        at(hem_radius, left),
        at(hem_radius, right),
        at(waist_radius, right),
        at(waist_radius, left),
    ];
    let large_arc = angle > PI;
    let edges = vec![
        Edge::curved(
            0,
            1,
            EdgeShape::Arc {
                radius: hem_radius,
                large_arc,
                right: true,
            },
        ),
        Edge::line(1, 2),
        Edge::curved(
            2,
            3,
            EdgeShape::Arc {
                radius: waist_radius,
                large_arc,
                right: false,
            },
        ),
        Edge::line(3, 0),
    ];
    let mut panel = Panel::new("skirt", vertices, edges);
    group(
        &mut panel,
        &[
            ("hem", &[0]),
            ("side_right", &[1]),
            ("waist", &[2]),
            ("side_left", &[3]),
        ],
    );
    (
        panel,
        SideEdges {
            right: vec![1],
            left_reversed: vec![3],
        },
    )
}

fn group(panel: &mut Panel, groups: &[(&str, &[usize])]) {
    for (name, edges) in groups {
        panel
            .edge_groups
            .insert((*name).to_string(), edges.to_vec());
    }
}
