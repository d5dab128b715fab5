//! The top family: a front and a back torso panel with a choice of neckline (crew, scoop,
//! V, boat) and sleeve (none, short, three-quarter, long), each sleeve made of a front and
//! a back half whose cap is drafted to the armhole's length.
//!
//! Drafting estimates (documented here because the body sheet does not carry them): the
//! shoulder slopes [`SHOULDER_DROP_CM`]; the neck is `bust / 20 + 2.5` cm wide each side of
//! centre ([`neck_half_width_cm`]); the armhole is `bust / 8 + 9` cm deep; the bicep is
//! `0.32 × bust` and the wrist `0.16 × bust` around. The high point of the shoulder stands
//! at the body's shoulder height ([`BodyMeasurements::shoulder_height`]: measured, or
//! `0.818 × height`).
//! Sleeves are placed for arms held [`ARM_ANGLE_DEG`] below horizontal (an A-pose).

use std::f64::consts::PI;

use glam::{DVec2, DVec3};

use super::DesignError;
use super::params::ParamRange;
use super::sleeve::SleeveDraft;
use crate::body::BodyMeasurements;
use crate::curve::absolute_to_relative;
use crate::panel::{Edge, EdgeShape, Panel};
use crate::pattern::{Pattern, Stitch, StitchDirection, StitchEnd};

/// Length from the high point of the shoulder to the hem (cm).
pub const LENGTH: ParamRange = ParamRange::new("length", 35.0, 100.0, "cm");
/// Ease added to the bust girth (cm).
pub const BUST_EASE: ParamRange = ParamRange::new("bust_ease", 4.0, 30.0, "cm");
/// Ease added to the bicep girth of a sleeve (cm).
pub const SLEEVE_EASE: ParamRange = ParamRange::new("sleeve_ease", 2.0, 15.0, "cm");
/// Front depth of a scoop neckline below the neck point (cm).
pub const SCOOP_DEPTH: ParamRange = ParamRange::new("scoop_depth", 8.0, 25.0, "cm");
/// Front depth of a V neckline below the neck point (cm).
pub const V_DEPTH: ParamRange = ParamRange::new("v_depth", 8.0, 30.0, "cm");

/// How far the shoulder point sits below the neck point (cm).
pub const SHOULDER_DROP_CM: f64 = 4.5;
/// The arm angle below horizontal the sleeves are placed for (degrees).
pub const ARM_ANGLE_DEG: f64 = 45.0;
/// Ease added to the hips when the top reaches below the hip line (cm).
const HIP_EASE_CM: f64 = 4.0;
/// Gap between the body and the placed panels (cm).
const PLACEMENT_GAP_CM: f64 = 5.0;
/// A crew neckline's front depth (cm).
const CREW_DEPTH_CM: f64 = 8.0;
/// Every back neckline's depth (cm).
const BACK_NECK_DEPTH_CM: f64 = 2.0;
/// A boat neckline is this much wider each side (cm) and this deep in front.
const BOAT_WIDEN_CM: f64 = 4.0;
const BOAT_DEPTH_CM: f64 = 3.0;

/// How far the neck point of a top's shoulder seam is from centre (cm), for a bust girth
/// (cm).
pub fn neck_half_width_cm(bust: f64) -> f64 {
    bust / 20.0 + 2.5
}

/// Neckline shapes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Neckline {
    /// A round neckline close to the neck.
    Crew,
    /// A lower, wider round neckline.
    Scoop {
        /// See [`SCOOP_DEPTH`].
        depth_cm: f64,
    },
    /// Two straight lines meeting at centre front.
    V {
        /// See [`V_DEPTH`].
        depth_cm: f64,
    },
    /// A wide, shallow neckline.
    Boat,
}

/// Sleeve lengths, as a fraction of the arm length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SleeveStyle {
    /// No sleeves: the armholes are left open.
    Sleeveless,
    /// 30% of the arm.
    Short,
    /// 70% of the arm.
    ThreeQuarter,
    /// The whole arm.
    Long,
}

impl SleeveStyle {
    fn fraction(self) -> Option<f64> {
        match self {
            Self::Sleeveless => None,
            Self::Short => Some(0.3),
            Self::ThreeQuarter => Some(0.7),
            Self::Long => Some(1.0),
        }
    }
}

/// A top design. Ranges are the `pub const`s of this module.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TopDesign {
    /// See [`LENGTH`].
    pub length_cm: f64,
    /// See [`BUST_EASE`].
    pub bust_ease_cm: f64,
    /// Neckline.
    pub neckline: Neckline,
    /// Sleeves.
    pub sleeve: SleeveStyle,
    /// See [`SLEEVE_EASE`].
    pub sleeve_ease_cm: f64,
}

impl Default for TopDesign {
    fn default() -> Self {
        Self {
            length_cm: 65.0,
            bust_ease_cm: 10.0,
            neckline: Neckline::Crew,
            sleeve: SleeveStyle::Short,
            sleeve_ease_cm: 6.0,
        }
    }
}

/// Derived torso dimensions for one body and design.
struct Torso {
    length: f64,
    half_bust: f64,
    half_hem: f64,
    shoulder_x: f64,
    neck_x: f64,
    armhole_y: f64,
    hps_height: f64,
}

impl TopDesign {
    fn torso(&self, body: &BodyMeasurements, hem: Option<BodiceHem>) -> Result<Torso, DesignError> {
        let hps_height = body.shoulder_height();
        if hem.is_none() {
            LENGTH.check(self.length_cm)?;
        }
        BUST_EASE.check(self.bust_ease_cm)?;
        SLEEVE_EASE.check(self.sleeve_ease_cm)?;
        let front_depth = match self.neckline {
            Neckline::Crew => CREW_DEPTH_CM,
            Neckline::Boat => BOAT_DEPTH_CM,
            Neckline::Scoop { depth_cm } => SCOOP_DEPTH.check(depth_cm)?,
            Neckline::V { depth_cm } => V_DEPTH.check(depth_cm)?,
        };
        let length = hem.map_or(self.length_cm, |h| hps_height - h.height);
        let armhole_depth = body.bust() / 8.0 + 9.0;
        let armhole_y = length - SHOULDER_DROP_CM - armhole_depth;
        if armhole_y < 5.0 {
            return Err(DesignError::DoesNotFit(format!(
                "length {length} cm ends in the armhole: on this body a top must be at least \
                 {:.1} cm long",
                SHOULDER_DROP_CM + armhole_depth + 5.0
            )));
        }
        if front_depth > armhole_y + SHOULDER_DROP_CM + armhole_depth * 0.5 {
            return Err(DesignError::DoesNotFit(format!(
                "a neckline {front_depth} cm deep does not fit a top {length} cm long"
            )));
        }
        let hip_line = body.waist_height() - body.hip_depth();
        let hem_height = hps_height - length;
        let half_bust = (body.bust() + self.bust_ease_cm) / 4.0;
        let half_hem = match hem {
            Some(h) => h.girth / 4.0,
            None if hem_height < hip_line => half_bust.max((body.hips() + HIP_EASE_CM) / 4.0),
            None => half_bust,
        };
        let mut neck_x = neck_half_width_cm(body.bust());
        if self.neckline == Neckline::Boat {
            neck_x += BOAT_WIDEN_CM;
        }
        let shoulder_x = body.shoulder_width() / 2.0;
        if neck_x + 3.0 > shoulder_x {
            return Err(DesignError::DoesNotFit(format!(
                "the neckline ({:.1} cm each side) leaves no shoulder on shoulders {} cm wide",
                neck_x,
                body.shoulder_width()
            )));
        }
        Ok(Torso {
            length,
            half_bust,
            half_hem,
            shoulder_x,
            neck_x,
            armhole_y,
            hps_height,
        })
    }
}

/// Edge indices of a drafted torso panel.
struct TorsoEdges {
    side_right: usize,
    armhole_right: usize,
    shoulder_right: usize,
    shoulder_left: usize,
    armhole_left: usize,
    side_left: usize,
}

/// Where a bodice ends when it is sewn to a skirt: the height above the floor and the
/// girth of its hem (cm).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct BodiceHem {
    /// Height of the hem above the floor.
    pub height: f64,
    /// Girth of the hem when sewn.
    pub girth: f64,
}

/// Drafts a top for `body`. The pattern is validated before it is returned.
pub fn top(body: &BodyMeasurements, design: &TopDesign) -> Result<Pattern, DesignError> {
    draft_top(body, design, None)
}

/// Drafts a top; with `hem`, a bodice that ends at that height with that hem girth
/// (the design's length is ignored).
pub(crate) fn draft_top(
    body: &BodyMeasurements,
    design: &TopDesign,
    hem: Option<BodiceHem>,
) -> Result<Pattern, DesignError> {
    let torso = design.torso(body, hem)?;
    let front_depth = match design.neckline {
        Neckline::Crew => CREW_DEPTH_CM,
        Neckline::Boat => BOAT_DEPTH_CM,
        Neckline::Scoop { depth_cm } | Neckline::V { depth_cm } => depth_cm,
    };
    let (mut front, edges) = torso_panel("top_front", &torso, design.neckline, front_depth);
    let (mut back, back_edges) =
        torso_panel("top_back", &torso, Neckline::Crew, BACK_NECK_DEPTH_CM);
    let z = body.bust() / (2.0 * PI) + PLACEMENT_GAP_CM;
    front.translation = DVec3::new(0.0, torso.hps_height - torso.length, z);
    back.translation = DVec3::new(0.0, torso.hps_height - torso.length, -z);
    back.rotation_deg = DVec3::new(0.0, 180.0, 0.0);

    let mut pattern = Pattern::new();
    let mut sew = |a: &str, ea: usize, b: &str, eb: usize| {
        pattern.stitches.push(Stitch::new(
            StitchEnd::new(a, ea),
            StitchEnd::new(b, eb),
            StitchDirection::Opposite,
        ));
    };
    // The back is turned around: its local left is the body's right.
    sew(
        "top_front",
        edges.side_right,
        "top_back",
        back_edges.side_left,
    );
    sew(
        "top_back",
        back_edges.side_right,
        "top_front",
        edges.side_left,
    );
    sew(
        "top_front",
        edges.shoulder_right,
        "top_back",
        back_edges.shoulder_left,
    );
    sew(
        "top_back",
        back_edges.shoulder_right,
        "top_front",
        edges.shoulder_left,
    );

    let mut panels = vec![front, back];
    if let Some(fraction) = design.sleeve.fraction() {
        let armhole = panels[0]
            .edge_length(edges.armhole_right)
            .map_err(|e| DesignError::DoesNotFit(e.to_string()))?;
        let sleeve = SleeveDraft::new(body, design, armhole, fraction)?;
        let shoulder_y = torso.hps_height - SHOULDER_DROP_CM;
        let arm_z = body.bust() * 0.32 / (2.0 * PI) + PLACEMENT_GAP_CM;
        for (side, sign) in [("right", 1.0), ("left", -1.0)] {
            let at = |z: f64| DVec3::new(sign * (torso.shoulder_x + 1.0), shoulder_y, z);
            let turn = -sign * ARM_ANGLE_DEG;
            // The right front and left back halves use the drafted outline (arm along +x);
            // the other two use its mirror image (arm along -x).
            let (front_mirrored, back_mirrored) = (sign < 0.0, sign > 0.0);
            let mut f = sleeve.panel(&format!("sleeve_front_{side}"), front_mirrored);
            f.translation = at(arm_z);
            f.rotation_deg = DVec3::new(0.0, 0.0, turn);
            let mut b = sleeve.panel(&format!("sleeve_back_{side}"), back_mirrored);
            b.translation = at(-arm_z);
            b.rotation_deg = DVec3::new(0.0, 180.0, turn);
            let e = |mirrored: bool| SleeveDraft::edges(mirrored);
            let (torso_front_armhole, torso_back_armhole) = if sign > 0.0 {
                (edges.armhole_right, back_edges.armhole_left)
            } else {
                (edges.armhole_left, back_edges.armhole_right)
            };
            sew(
                &f.name,
                e(front_mirrored).cap,
                "top_front",
                torso_front_armhole,
            );
            sew(
                &b.name,
                e(back_mirrored).cap,
                "top_back",
                torso_back_armhole,
            );
            sew(
                &f.name,
                e(front_mirrored).overarm,
                &b.name,
                e(back_mirrored).overarm,
            );
            sew(
                &f.name,
                e(front_mirrored).underarm,
                &b.name,
                e(back_mirrored).underarm,
            );
            panels.push(f);
            panels.push(b);
        }
    }
    pattern.panels = panels;
    pattern.validate()?;
    Ok(pattern)
}

/// A torso panel: hem, right side, right armhole, right shoulder, neckline (one or two
/// edges), left shoulder, left armhole, left side; counter-clockwise.
fn torso_panel(name: &str, t: &Torso, neckline: Neckline, depth: f64) -> (Panel, TorsoEdges) {
    let top = t.length;
    let shoulder_y = top - SHOULDER_DROP_CM;
    let mut v = vec![
        DVec2::new(-t.half_hem, 0.0),
        DVec2::new(t.half_hem, 0.0),
        DVec2::new(t.half_bust, t.armhole_y),
        DVec2::new(t.shoulder_x, shoulder_y),
        DVec2::new(t.neck_x, top),
    ];
    let armhole = |from: DVec2, to: DVec2, rightward: bool| {
        // Leave the underarm level and inward, arrive at the shoulder going straight up.
        let (under, shoulder) = if rightward { (from, to) } else { (to, from) };
        let c_under = DVec2::new(under.x + (shoulder.x - under.x) * 0.6, under.y);
        let c_shoulder = DVec2::new(shoulder.x, under.y + (shoulder.y - under.y) * 0.5);
        let (c1, c2) = if rightward {
            (c_under, c_shoulder)
        } else {
            (c_shoulder, c_under)
        };
        EdgeShape::Cubic {
            control1: absolute_to_relative(from, to, c1),
            control2: absolute_to_relative(from, to, c2),
        }
    };
    let mut edges = vec![
        Edge::line(0, 1),
        Edge::line(1, 2),
        Edge::curved(2, 3, armhole(v[2], v[3], true)),
        Edge::line(3, 4),
    ];
    let neck_left = DVec2::new(-t.neck_x, top);
    match neckline {
        Neckline::V { .. } => {
            v.push(DVec2::new(0.0, top - depth));
            v.push(neck_left);
            edges.push(Edge::line(4, 5));
            edges.push(Edge::line(5, 6));
        }
        Neckline::Crew | Neckline::Scoop { .. } | Neckline::Boat => {
            let spread = if matches!(neckline, Neckline::Scoop { .. }) {
                0.9
            } else {
                0.55
            };
            let (from, to) = (v[4], neck_left);
            // Both controls at 4/3 of the depth put the curve's lowest point at the depth.
            let low = top - depth * 4.0 / 3.0;
            v.push(neck_left);
            edges.push(Edge::curved(
                4,
                5,
                EdgeShape::Cubic {
                    control1: absolute_to_relative(from, to, DVec2::new(t.neck_x * spread, low)),
                    control2: absolute_to_relative(from, to, DVec2::new(-t.neck_x * spread, low)),
                },
            ));
        }
    }
    let n = v.len();
    v.push(DVec2::new(-t.shoulder_x, shoulder_y));
    v.push(DVec2::new(-t.half_bust, t.armhole_y));
    let (ls, la) = (n, n + 1);
    edges.push(Edge::line(n - 1, ls));
    edges.push(Edge::curved(ls, la, armhole(v[ls], v[la], false)));
    edges.push(Edge::line(la, 0));
    let e = edges.len();
    let mut panel = Panel::new(name, v, edges);
    let neck: Vec<usize> = (4..e - 3).collect();
    for (group, list) in [
        ("hem", vec![0]),
        ("side_right", vec![1]),
        ("armhole_right", vec![2]),
        ("shoulder_right", vec![3]),
        ("neckline", neck),
        ("shoulder_left", vec![e - 3]),
        ("armhole_left", vec![e - 2]),
        ("side_left", vec![e - 1]),
    ] {
        panel.edge_groups.insert(group.to_string(), list);
    }
    (
        panel,
        TorsoEdges {
            side_right: 1,
            armhole_right: 2,
            shoulder_right: 3,
            shoulder_left: e - 3,
            armhole_left: e - 2,
            side_left: e - 1,
        },
    )
}
