//! Set-in sleeves for the top family: each sleeve is a front and a back half, drafted with
//! the arm along +x from the shoulder point and the underarm seam below, and a cap whose
//! length is solved to equal the armhole it is sewn to. A sleeve is as long as its style's
//! share of the arm, but never shorter than its cap plus [`MIN_UNDERARM_CM`] of underarm
//! seam: on large sizes the cap of a short sleeve grows with the armhole, and a tailor then
//! lengthens the sleeve rather than drop it.

use glam::DVec2;

use super::DesignError;
use super::top::TopDesign;
use crate::body::BodyMeasurements;
use crate::curve::{Curve, absolute_to_relative};
use crate::panel::{Edge, EdgeShape, Panel};

/// The shortest underarm seam of a sleeve, below the cap (cm).
pub(crate) const MIN_UNDERARM_CM: f64 = 5.0;

/// Edge indices of a sleeve half.
pub(crate) struct SleeveEdges {
    pub cap: usize,
    pub underarm: usize,
    pub overarm: usize,
}

/// One half of a sleeve, drafted with the arm along +x from the shoulder point at the
/// origin and the underarm seam below (y < 0).
pub(crate) struct SleeveDraft {
    cap_height: f64,
    half_bicep: f64,
    half_opening: f64,
    length: f64,
}

impl SleeveDraft {
    pub(crate) fn new(
        body: &BodyMeasurements,
        design: &TopDesign,
        armhole: f64,
        fraction: f64,
    ) -> Result<Self, DesignError> {
        let bicep = 0.32 * body.bust() + design.sleeve_ease_cm;
        let wrist = 0.16 * body.bust() + design.sleeve_ease_cm;
        let opening = bicep + (wrist - bicep) * fraction;
        let half_bicep = bicep / 2.0;
        if armhole <= half_bicep * 1.02 {
            return Err(DesignError::DoesNotFit(format!(
                "a sleeve {bicep:.1} cm round does not fit an armhole {:.1} cm long; reduce \
                 sleeve_ease or raise bust_ease",
                2.0 * armhole
            )));
        }
        // Cap height: the height at which the cap curve's length equals the armhole's.
        let cap_len = |h: f64| Self::cap_curve(h, half_bicep).length();
        let (mut lo, mut hi) = (0.0, armhole);
        for _ in 0..60 {
            let mid = (lo + hi) / 2.0;
            if cap_len(mid) < armhole {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        let cap_height = (lo + hi) / 2.0;
        let length = (fraction * body.arm_length()).max(cap_height + MIN_UNDERARM_CM);
        Ok(Self {
            cap_height,
            half_bicep,
            half_opening: opening / 2.0,
            length,
        })
    }

    /// The cap from the shoulder point to the underarm, bulging away from the sleeve.
    fn cap_curve(height: f64, half_bicep: f64) -> Curve {
        Curve::Quadratic {
            from: DVec2::ZERO,
            control: DVec2::new(0.0, -half_bicep),
            to: DVec2::new(height, -half_bicep),
        }
    }

    pub(crate) fn edges(mirrored: bool) -> SleeveEdges {
        if mirrored {
            SleeveEdges {
                overarm: 0,
                underarm: 2,
                cap: 3,
            }
        } else {
            SleeveEdges {
                cap: 0,
                underarm: 1,
                overarm: 3,
            }
        }
    }

    /// The half-sleeve panel; `mirrored` flips it to run along -x (still counter-clockwise).
    pub(crate) fn panel(&self, name: &str, mirrored: bool) -> Panel {
        let shoulder = DVec2::ZERO;
        let underarm = DVec2::new(self.cap_height, -self.half_bicep);
        let cuff_under = DVec2::new(self.length, -self.half_opening);
        let cuff_over = DVec2::new(self.length, 0.0);
        let control = DVec2::new(0.0, -self.half_bicep);
        let flip = |p: DVec2| if mirrored { DVec2::new(-p.x, p.y) } else { p };
        let mut panel = if mirrored {
            // Order reversed so the mirrored outline stays counter-clockwise.
            let v = vec![
                flip(shoulder),
                flip(cuff_over),
                flip(cuff_under),
                flip(underarm),
            ];
            let cap = EdgeShape::Quadratic {
                control: absolute_to_relative(v[3], v[0], flip(control)),
            };
            Panel::new(
                name,
                v,
                vec![
                    Edge::line(0, 1),
                    Edge::line(1, 2),
                    Edge::line(2, 3),
                    Edge::curved(3, 0, cap),
                ],
            )
        } else {
            let v = vec![shoulder, underarm, cuff_under, cuff_over];
            let cap = EdgeShape::Quadratic {
                control: absolute_to_relative(v[0], v[1], control),
            };
            Panel::new(
                name,
                v,
                vec![
                    Edge::curved(0, 1, cap),
                    Edge::line(1, 2),
                    Edge::line(2, 3),
                    Edge::line(3, 0),
                ],
            )
        };
        let e = Self::edges(mirrored);
        let cuff = if mirrored { 1 } else { 2 };
        for (group, edge) in [
            ("cap", e.cap),
            ("underarm", e.underarm),
            ("overarm", e.overarm),
            ("cuff", cuff),
        ] {
            panel.edge_groups.insert(group.to_string(), vec![edge]);
        }
        panel.cutting.grain = DVec2::X;
        panel
    }
}
