//! A design's lengths kept in proportion on every body.
//!
//! A design's lengths are set on the average body ([`MeasurementSheet::AVERAGE`]): there a
//! full-length trouser ends 8 cm above the floor and a knee-length skirt at the knee.
//! Drafted as fixed lengths, the same design ended at mid-calf on a 183 cm body and did not
//! draft at all on a short one (full-length trousers "would reach the floor"). Made to
//! measure, a design keeps where its hem falls on the body instead:
//! - a skirt's hem stays at the same fraction of the waist height above the floor;
//! - trousers keep their rise from the body and the part below the crotch in proportion
//!   to the inseam, so the hem stays at the same fraction of the inseam above the floor;
//! - a top's length from the high shoulder point scales with the height;
//! - a dress is its bodice and its skirt, each kept as above.
//!
//! Where a body is so far from the average that the proportional length falls outside what
//! the program can draft on it (a fitted skirt must cover the hips, shorts the crotch, and
//! nothing may reach the floor), the length is brought to the nearest length it can draft.
//! Sleeves already follow the arm length and widths follow the girths in the programs.

use crate::body::{BodyMeasurements, MeasurementSheet};
use crate::programs::top::LENGTH as TOP_LENGTH;
use crate::programs::trousers::length_bounds as trousers_length_bounds;
use crate::programs::{SkirtDesign, TopDesign, TrousersDesign};

use super::GarmentDesign;

const AVERAGE: MeasurementSheet = MeasurementSheet::AVERAGE;

/// `design` with its lengths in proportion on `body` (see the module docs).
pub fn proportioned(design: &GarmentDesign, body: &BodyMeasurements) -> GarmentDesign {
    match design {
        GarmentDesign::Skirt(s) => GarmentDesign::Skirt(skirt(s, body)),
        GarmentDesign::Top(t) => GarmentDesign::Top(top(t, body)),
        GarmentDesign::Dress(d) => {
            let mut d = *d;
            d.bodice = top(&d.bodice, body);
            d.skirt = skirt(&d.skirt, body);
            GarmentDesign::Dress(d)
        }
        GarmentDesign::Trousers(t) => GarmentDesign::Trousers(trousers(t, body)),
    }
}

fn skirt(design: &SkirtDesign, body: &BodyMeasurements) -> SkirtDesign {
    let drop = design.waist_drop_cm;
    let hem_on_average = AVERAGE.waist_height - drop - design.length_cm;
    let hem = hem_on_average * body.waist_height() / AVERAGE.waist_height;
    let (min, max) = design.length_bounds(body);
    SkirtDesign {
        length_cm: within(body.waist_height() - drop - hem, min, max),
        ..*design
    }
}

fn trousers(design: &TrousersDesign, body: &BodyMeasurements) -> TrousersDesign {
    let drop = design.waist_drop_cm;
    let rise = |waist_height: f64, inseam: f64| waist_height - drop - inseam;
    let leg_on_average = design.length_cm - rise(AVERAGE.waist_height, AVERAGE.inseam);
    let leg = leg_on_average * body.inseam() / AVERAGE.inseam;
    let (min, max) = trousers_length_bounds(body, design);
    TrousersDesign {
        length_cm: within(rise(body.waist_height(), body.inseam()) + leg, min, max),
        ..*design
    }
}

fn top(design: &TopDesign, body: &BodyMeasurements) -> TopDesign {
    TopDesign {
        length_cm: within(
            design.length_cm * body.height() / AVERAGE.height,
            TOP_LENGTH.min,
            TOP_LENGTH.max,
        ),
        ..*design
    }
}

/// `value` brought into `[min, max]`; `max` wins when the bounds cross (the program then
/// says why the design does not fit).
fn within(value: f64, min: f64, max: f64) -> f64 {
    value.max(min).min(max)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::design::{DesignAxes, GarmentKind, NecklineShape};

    fn axes(length: f64) -> DesignAxes {
        DesignAxes {
            length,
            silhouette: 0.5,
            fit: 0.5,
            waist_drop: 0.0,
            neckline_depth: 0.5,
            sleeve: 0.0,
        }
    }

    fn body(height: f64, waist_height: f64, inseam: f64) -> BodyMeasurements {
        BodyMeasurements::new(MeasurementSheet {
            height,
            waist_height,
            inseam,
            ..AVERAGE
        })
        .expect("valid body")
    }

    fn tall() -> BodyMeasurements {
        body(183.0, 114.0, 85.0)
    }

    fn short() -> BodyMeasurements {
        body(156.0, 95.0, 69.0)
    }

    fn design(kind: GarmentKind, length: f64) -> GarmentDesign {
        GarmentDesign::from_axes(kind, &axes(length), NecklineShape::Crew)
    }

    fn lengths(d: &GarmentDesign) -> Vec<f64> {
        match d {
            GarmentDesign::Skirt(s) => vec![s.length_cm],
            GarmentDesign::Top(t) => vec![t.length_cm],
            GarmentDesign::Dress(d) => vec![d.bodice.length_cm, d.skirt.length_cm],
            GarmentDesign::Trousers(t) => vec![t.length_cm],
        }
    }

    #[test]
    fn the_average_body_gets_the_design_as_it_is() {
        let average = BodyMeasurements::average();
        for kind in GarmentKind::ALL {
            for length in [0.0, 0.4, 1.0] {
                let d = design(kind, length);
                let p = proportioned(&d, &average);
                for (a, b) in lengths(&p).into_iter().zip(lengths(&d)) {
                    assert!((a - b).abs() < 1e-9, "{kind:?} at {length}: {a} vs {b}");
                }
            }
        }
    }

    #[test]
    fn full_length_trousers_end_at_the_same_fraction_of_every_inseam() {
        let d = design(GarmentKind::Trousers, 1.0);
        let GarmentDesign::Trousers(t) = d else {
            unreachable!()
        };
        let average_hem = (AVERAGE.waist_height - t.length_cm) / AVERAGE.inseam;
        for b in [tall(), short()] {
            let GarmentDesign::Trousers(p) = proportioned(&d, &b) else {
                unreachable!()
            };
            let hem = (b.waist_height() - p.length_cm) / b.inseam();
            assert!((hem - average_hem).abs() < 1e-9, "{hem} vs {average_hem}");
            assert!(d.draft(&b).is_ok(), "drafts on {:?}", b.sheet());
        }
        // Fixed at the average's 98 cm, the tall body's hem was 16 cm above the floor.
        let GarmentDesign::Trousers(p) = proportioned(&d, &tall()) else {
            unreachable!()
        };
        assert!(114.0 - p.length_cm < 9.0, "{}", p.length_cm);
    }

    #[test]
    fn a_knee_length_skirt_ends_at_the_same_fraction_of_every_waist_height() {
        let d = design(GarmentKind::Skirt, 0.4);
        let GarmentDesign::Skirt(s) = d else {
            unreachable!()
        };
        let average_hem = (AVERAGE.waist_height - s.length_cm) / AVERAGE.waist_height;
        for b in [tall(), short()] {
            let GarmentDesign::Skirt(p) = proportioned(&d, &b) else {
                unreachable!()
            };
            let hem = (b.waist_height() - p.length_cm) / b.waist_height();
            assert!((hem - average_hem).abs() < 1e-9, "{hem} vs {average_hem}");
        }
    }

    #[test]
    fn a_dress_keeps_both_its_bodice_and_its_skirt_in_proportion() {
        let d = design(GarmentKind::Dress, 1.0);
        let GarmentDesign::Dress(on_tall) = proportioned(&d, &tall()) else {
            unreachable!()
        };
        let GarmentDesign::Dress(as_designed) = d else {
            unreachable!()
        };
        assert!(on_tall.skirt.length_cm > as_designed.skirt.length_cm);
        assert!(on_tall.bodice.length_cm > as_designed.bodice.length_cm);
        assert!(d.draft(&short()).is_ok());
    }

    #[test]
    fn lengths_stay_within_what_the_body_can_wear() {
        // A very long rise and short legs: shorts still cover the crotch.
        let b = body(150.0, 100.0, 62.0);
        let shorts = design(GarmentKind::Trousers, 0.0);
        let GarmentDesign::Trousers(p) = proportioned(&shorts, &b) else {
            unreachable!()
        };
        let (min, _) = trousers_length_bounds(&b, &p);
        assert!(p.length_cm >= min);
        assert!(shorts.draft(&b).is_ok());
    }
}
