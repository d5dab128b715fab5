//! One design of any garment family, and the normalised design axes the generator, the
//! preference model and the diversity measure work in.
//!
//! Every design is described by the same six axes in `[0, 1]` whatever its family, so
//! designs of different families can be compared. The mapping from axes to each program's
//! parameters is written out in [`GarmentDesign::from_axes`]; lengths are in cm from the
//! top edge (skirts, trousers) or the high shoulder point (tops) on the average body of
//! [`crate::body::MeasurementSheet::AVERAGE`], chosen so that the whole axis range drafts
//! there and on every size of [`crate::grading::SizeChart::catwalk_base`]. On other bodies
//! [`GarmentDesign::draft`] keeps them in proportion ([`super::proportion`]).

use serde::{Deserialize, Serialize};

use super::vocabulary::GarmentKind;
use crate::body::BodyMeasurements;
use crate::pattern::Pattern;
use crate::programs::{
    DesignError, DressDesign, Neckline, SkirtDesign, SkirtStyle, SleeveStyle, TopDesign,
    TrousersDesign, dress, skirt, top, trousers,
};

/// The design axes, each normalised to `[0, 1]`. Axes a family does not use are ignored by
/// that family's mapping (and kept at their sampled value, so they cost nothing).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct DesignAxes {
    /// 0 mini / cropped / shorts … 1 floor-length.
    pub length: f64,
    /// Hem width: skirts 0–0.3 pencil, 0.3–0.7 A-line, 0.7–1 circle; trousers tapered to
    /// wide-leg. Tops do not use it.
    pub silhouette: f64,
    /// Ease: 0 slim … 1 relaxed (see [`super::Fit::band`]).
    pub fit: f64,
    /// How far below the natural waist skirts and trousers sit.
    pub waist_drop: f64,
    /// Depth of a scoop or V neckline (tops and dresses).
    pub neckline_depth: f64,
    /// Sleeve length, quantised to 0 sleeveless, 1/3 short, 2/3 three-quarter, 1 long.
    pub sleeve: f64,
}

/// Number of axes in [`DesignAxes::to_array`].
pub const AXIS_COUNT: usize = 6;

impl DesignAxes {
    /// The axes in a fixed order: length, silhouette, fit, waist drop, neckline depth,
    /// sleeve.
    pub fn to_array(&self) -> [f64; AXIS_COUNT] {
        [
            self.length,
            self.silhouette,
            self.fit,
            self.waist_drop,
            self.neckline_depth,
            self.sleeve,
        ]
    }

    /// The inverse of [`DesignAxes::to_array`]; values are clamped to `[0, 1]`.
    pub fn from_array(a: [f64; AXIS_COUNT]) -> Self {
        let c = |v: f64| v.clamp(0.0, 1.0);
        Self {
            length: c(a[0]),
            silhouette: c(a[1]),
            fit: c(a[2]),
            waist_drop: c(a[3]),
            neckline_depth: c(a[4]),
            sleeve: (c(a[5]) * 3.0).round() / 3.0,
        }
    }
}

/// Neckline shapes without their depth (the depth is [`DesignAxes::neckline_depth`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum NecklineShape {
    /// Round, close to the neck.
    Crew,
    /// Wide and shallow.
    Boat,
    /// Lower round neckline.
    Scoop,
    /// V neckline.
    V,
}

impl NecklineShape {
    /// Every shape, in a fixed order.
    pub const ALL: [NecklineShape; 4] = [Self::Crew, Self::Boat, Self::Scoop, Self::V];

    /// Words used in descriptions.
    pub fn name(self) -> &'static str {
        match self {
            Self::Crew => "crew neck",
            Self::Boat => "boat neck",
            Self::Scoop => "scoop neck",
            Self::V => "V-neck",
        }
    }
}

/// A design of any family, ready for its garment program.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum GarmentDesign {
    /// A skirt.
    Skirt(SkirtDesign),
    /// A top.
    Top(TopDesign),
    /// A dress.
    Dress(DressDesign),
    /// Trousers or shorts.
    Trousers(TrousersDesign),
}

/// Skirt length (cm) at axis 0 and its span: 38 cm (mini) to 94 cm (ankle on the average
/// body, whose waist is 106 cm above the floor, even with the largest waist drop); knee
/// length is about axis 0.4.
const SKIRT_LENGTH_CM: (f64, f64) = (38.0, 56.0);
/// Top length from the high shoulder point (cm): 45 (cropped) to 75 (tunic).
const TOP_LENGTH_CM: (f64, f64) = (45.0, 30.0);
/// Trousers length (cm): 36 (shorts) to 98 (full length).
const TROUSERS_LENGTH_CM: (f64, f64) = (36.0, 62.0);
/// Trousers hem girth per leg (cm): 32 (tapered) to 58 (wide leg; wider hems do not fit
/// shorts on the smaller sizes, whose hem must stay narrower than the leg at the crotch).
const TROUSERS_HEM_CM: (f64, f64) = (32.0, 26.0);

fn lerp((start, span): (f64, f64), t: f64) -> f64 {
    start + span * t
}

impl GarmentDesign {
    /// The family.
    pub fn kind(&self) -> GarmentKind {
        match self {
            Self::Skirt(_) => GarmentKind::Skirt,
            Self::Top(_) => GarmentKind::Top,
            Self::Dress(_) => GarmentKind::Dress,
            Self::Trousers(_) => GarmentKind::Trousers,
        }
    }

    /// The program parameters for `kind` at `axes`:
    /// - skirt: length 38 + 56·length cm; silhouette below 0.3 is a pencil tapering
    ///   6·(0.3 − s)/0.3 cm, up to 0.7 an A-line flaring 2 + 30·(s − 0.3)/0.4 cm, above it a
    ///   circle of fullness 0.25 + 0.75·(s − 0.7)/0.3; waist ease 1 + 3·fit, hip ease
    ///   2 + 10·fit, waist drop 8·waist_drop cm;
    /// - top: length 45 + 30·length cm, bust ease 5 + 20·fit, sleeve ease 3 + 9·fit cm;
    ///   scoop and V depth 8 + 14·depth cm; sleeve from the quantised axis;
    /// - dress: the top's bodice on the skirt's skirt;
    /// - trousers: length 36 + 62·length, hem girth 32 + 26·silhouette, waist ease
    ///   1 + 3·fit, hip ease 3 + 12·fit, waist drop 6·waist_drop cm.
    pub fn from_axes(kind: GarmentKind, axes: &DesignAxes, neckline: NecklineShape) -> Self {
        let a = DesignAxes::from_array(axes.to_array());
        match kind {
            GarmentKind::Skirt => Self::Skirt(skirt_design(&a)),
            GarmentKind::Top => Self::Top(top_design(&a, neckline)),
            GarmentKind::Dress => Self::Dress(DressDesign {
                bodice: top_design(&a, neckline),
                skirt: skirt_design(&a),
            }),
            GarmentKind::Trousers => Self::Trousers(TrousersDesign {
                length_cm: lerp(TROUSERS_LENGTH_CM, a.length),
                waist_ease_cm: 1.0 + 3.0 * a.fit,
                hip_ease_cm: 3.0 + 12.0 * a.fit,
                hem_girth_cm: lerp(TROUSERS_HEM_CM, a.silhouette),
                waist_drop_cm: 6.0 * a.waist_drop,
            }),
        }
    }

    /// The design with its lengths kept in proportion on `body`: where its hems fall on
    /// the average body, they fall on `body` (see [`super::proportion`]).
    pub fn for_body(&self, body: &BodyMeasurements) -> Self {
        super::proportion::proportioned(self, body)
    }

    /// Drafts the design for `body` with its garment program, its lengths in proportion
    /// ([`GarmentDesign::for_body`]).
    pub fn draft(&self, body: &BodyMeasurements) -> Result<Pattern, DesignError> {
        match &self.for_body(body) {
            Self::Skirt(d) => skirt(body, d),
            Self::Top(d) => top(body, d),
            Self::Dress(d) => dress(body, d),
            Self::Trousers(d) => trousers(body, d),
        }
    }
}

fn skirt_design(a: &DesignAxes) -> SkirtDesign {
    let s = a.silhouette;
    let style = if s < 0.3 {
        SkirtStyle::Pencil {
            hem_taper_cm: 6.0 * (0.3 - s) / 0.3,
        }
    } else if s < 0.7 {
        SkirtStyle::ALine {
            flare_cm: 2.0 + 30.0 * (s - 0.3) / 0.4,
        }
    } else {
        SkirtStyle::Circle {
            fullness: 0.25 + 0.75 * (s - 0.7) / 0.3,
        }
    };
    SkirtDesign {
        style,
        length_cm: lerp(SKIRT_LENGTH_CM, a.length),
        waist_ease_cm: 1.0 + 3.0 * a.fit,
        hip_ease_cm: 2.0 + 10.0 * a.fit,
        waist_drop_cm: 8.0 * a.waist_drop,
    }
}

fn top_design(a: &DesignAxes, neckline: NecklineShape) -> TopDesign {
    let sleeve = match (a.sleeve * 3.0).round() as u8 {
        0 => SleeveStyle::Sleeveless,
        1 => SleeveStyle::Short,
        2 => SleeveStyle::ThreeQuarter,
        _ => SleeveStyle::Long,
    };
    TopDesign {
        length_cm: lerp(TOP_LENGTH_CM, a.length),
        bust_ease_cm: 5.0 + 20.0 * a.fit,
        neckline: match neckline {
            NecklineShape::Crew => Neckline::Crew,
            NecklineShape::Boat => Neckline::Boat,
            NecklineShape::Scoop => Neckline::Scoop {
                depth_cm: 8.0 + 14.0 * a.neckline_depth,
            },
            NecklineShape::V => Neckline::V {
                depth_cm: 8.0 + 14.0 * a.neckline_depth,
            },
        },
        sleeve,
        sleeve_ease_cm: 3.0 + 9.0 * a.fit,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn corners_of_the_axis_box_draft_on_the_average_body() {
        let body = BodyMeasurements::average();
        for kind in GarmentKind::ALL {
            for corner in 0..(1 << AXIS_COUNT) {
                let mut a = [0.0; AXIS_COUNT];
                for (i, v) in a.iter_mut().enumerate() {
                    *v = f64::from((corner >> i) & 1);
                }
                for neckline in NecklineShape::ALL {
                    let design =
                        GarmentDesign::from_axes(kind, &DesignAxes::from_array(a), neckline);
                    if let Err(e) = design.draft(&body) {
                        panic!("{kind:?} at {a:?} with {neckline:?}: {e}");
                    }
                }
            }
        }
    }
}
