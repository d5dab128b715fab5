//! Every garment program across its documented parameter ranges (minimum, middle, maximum)
//! on small, average and large bodies: it either drafts a valid, meshable pattern or
//! refuses with a parameter or fit error — never an invalid pattern, never a panic.

use catwalk_garment::body::MeasurementSheet;
use catwalk_garment::programs::{
    DesignError, Neckline, SkirtDesign, SkirtStyle, SleeveStyle, TopDesign, TrousersDesign, dress,
    skirt, top, trousers,
};
use catwalk_garment::programs::{DressDesign, ParamRange, skirt as skirt_mod, top as top_mod};
use catwalk_garment::spec::read::infer_direction;
use catwalk_garment::{BodyMeasurements, GarmentMesh, MeshOptions, Pattern};

fn bodies() -> Vec<BodyMeasurements> {
    let small = MeasurementSheet {
        height: 150.0,
        bust: 76.0,
        waist: 58.0,
        hips: 82.0,
        shoulder_width: 33.0,
        arm_length: 48.0,
        inseam: 68.0,
        waist_height: 92.0,
        hip_depth: 16.0,
        shoulder_height: None,
    };
    let large = MeasurementSheet {
        height: 190.0,
        bust: 140.0,
        waist: 130.0,
        hips: 145.0,
        shoulder_width: 48.0,
        arm_length: 64.0,
        inseam: 86.0,
        waist_height: 118.0,
        hip_depth: 24.0,
        shoulder_height: None,
    };
    [small, MeasurementSheet::AVERAGE, large]
        .into_iter()
        .map(|s| BodyMeasurements::new(s).expect("valid test body"))
        .collect()
}

fn grid(range: ParamRange) -> [f64; 3] {
    [range.min, (range.min + range.max) / 2.0, range.max]
}

/// Checks one outcome; returns whether a pattern was drafted.
fn check(label: &str, result: Result<Pattern, DesignError>) -> bool {
    match result {
        Ok(pattern) => {
            for s in &pattern.stitches {
                assert_eq!(infer_direction(&pattern, s), s.direction, "{label}: {s:?}");
            }
            let options = MeshOptions {
                target_edge_cm: 4.0,
                ..MeshOptions::default()
            };
            GarmentMesh::from_pattern(&pattern, &options)
                .unwrap_or_else(|e| panic!("{label}: drafted but does not mesh: {e}"));
            true
        }
        Err(DesignError::Invalid(e)) => {
            panic!("{label}: the program drafted an invalid pattern: {e}")
        }
        Err(_) => false,
    }
}

#[test]
fn skirts_across_their_ranges() {
    let mut drafted = 0;
    for body in bodies() {
        for length in grid(skirt_mod::LENGTH) {
            for ease in grid(skirt_mod::WAIST_EASE) {
                for drop in grid(skirt_mod::WAIST_DROP) {
                    let styles = grid(skirt_mod::HEM_TAPER)
                        .map(|t| SkirtStyle::Pencil { hem_taper_cm: t })
                        .into_iter()
                        .chain(grid(skirt_mod::FLARE).map(|f| SkirtStyle::ALine { flare_cm: f }))
                        .chain(
                            grid(skirt_mod::FULLNESS).map(|f| SkirtStyle::Circle { fullness: f }),
                        );
                    for style in styles {
                        let design = SkirtDesign {
                            style,
                            length_cm: length,
                            waist_ease_cm: ease,
                            hip_ease_cm: skirt_mod::HIP_EASE.max,
                            waist_drop_cm: drop,
                        };
                        drafted +=
                            usize::from(check(&format!("{design:?}"), skirt(&body, &design)));
                    }
                }
            }
        }
    }
    // A third of the grid is longer than some bodies are tall at the waist.
    assert!(drafted > 400, "only {drafted} skirts drafted");
}

#[test]
fn tops_and_dresses_across_their_ranges() {
    let mut drafted = 0;
    for body in bodies() {
        for length in grid(top_mod::LENGTH) {
            for ease in grid(top_mod::BUST_EASE) {
                for neckline in [
                    Neckline::Crew,
                    Neckline::Boat,
                    Neckline::Scoop {
                        depth_cm: top_mod::SCOOP_DEPTH.max,
                    },
                    Neckline::V {
                        depth_cm: top_mod::V_DEPTH.max,
                    },
                    Neckline::V {
                        depth_cm: top_mod::V_DEPTH.min,
                    },
                ] {
                    for sleeve in [
                        SleeveStyle::Sleeveless,
                        SleeveStyle::Short,
                        SleeveStyle::Long,
                    ] {
                        for sleeve_ease in [top_mod::SLEEVE_EASE.min, top_mod::SLEEVE_EASE.max] {
                            let design = TopDesign {
                                length_cm: length,
                                bust_ease_cm: ease,
                                neckline,
                                sleeve,
                                sleeve_ease_cm: sleeve_ease,
                            };
                            drafted +=
                                usize::from(check(&format!("{design:?}"), top(&body, &design)));
                            let dress_design = DressDesign {
                                bodice: design,
                                skirt: SkirtDesign::new(SkirtStyle::ALine { flare_cm: 10.0 }),
                            };
                            drafted += usize::from(check(
                                &format!("{dress_design:?}"),
                                dress(&body, &dress_design),
                            ));
                        }
                    }
                }
            }
        }
    }
    assert!(drafted > 300, "only {drafted} tops and dresses drafted");
}

#[test]
fn trousers_across_their_ranges() {
    use catwalk_garment::programs::trousers as t;
    let mut drafted = 0;
    for body in bodies() {
        for length in grid(t::LENGTH) {
            for hem in grid(t::HEM_GIRTH) {
                for drop in grid(t::WAIST_DROP) {
                    for hip_ease in [t::HIP_EASE.min, t::HIP_EASE.max] {
                        let design = TrousersDesign {
                            length_cm: length,
                            waist_ease_cm: t::WAIST_EASE.max,
                            hip_ease_cm: hip_ease,
                            hem_girth_cm: hem,
                            waist_drop_cm: drop,
                        };
                        drafted +=
                            usize::from(check(&format!("{design:?}"), trousers(&body, &design)));
                    }
                }
            }
        }
    }
    assert!(drafted > 40, "only {drafted} trousers drafted");
}
