//! The skirt family: every style drafts a valid pattern whose sewn waist equals the body's
//! girth plus ease within 1 mm, and out-of-range or ill-fitting designs are refused with a
//! message naming the parameter.

use catwalk_garment::body::MeasurementSheet;
use catwalk_garment::programs::{DesignError, SkirtDesign, SkirtStyle, skirt};
use catwalk_garment::{BodyMeasurements, from_json_str, to_json_string};

fn styles() -> [SkirtStyle; 5] {
    [
        SkirtStyle::Pencil { hem_taper_cm: 3.0 },
        SkirtStyle::ALine { flare_cm: 12.0 },
        SkirtStyle::Circle { fullness: 0.25 },
        SkirtStyle::Circle { fullness: 0.75 },
        SkirtStyle::Circle { fullness: 1.0 },
    ]
}

fn bodies() -> Vec<BodyMeasurements> {
    let small = MeasurementSheet {
        height: 155.0,
        bust: 80.0,
        waist: 62.0,
        hips: 86.0,
        waist_height: 95.0,
        hip_depth: 17.0,
        inseam: 70.0,
        ..MeasurementSheet::AVERAGE
    };
    let large = MeasurementSheet {
        waist: 118.0,
        hips: 112.0, // waist larger than hips
        ..MeasurementSheet::AVERAGE
    };
    [small, MeasurementSheet::AVERAGE, large]
        .into_iter()
        .map(|s| BodyMeasurements::new(s).expect("valid test body"))
        .collect()
}

#[test]
fn sewn_waist_equals_body_waist_plus_ease_within_a_millimetre() {
    for body in bodies() {
        for style in styles() {
            for (ease, drop) in [(0.0, 0.0), (2.5, 0.0), (4.0, 6.0)] {
                let design = SkirtDesign {
                    waist_ease_cm: ease,
                    waist_drop_cm: drop,
                    ..SkirtDesign::new(style)
                };
                let pattern = skirt(&body, &design).expect("design fits");
                let sewn = pattern.group_length("waist").expect("waist geometry");
                let expected = body.girth_below_waist(drop) + ease;
                assert!(
                    (sewn - expected).abs() < 0.1,
                    "{style:?} ease {ease} drop {drop}: sewn {sewn} cm, expected {expected} cm"
                );
            }
        }
    }
}

#[test]
fn fitted_skirts_are_hip_girth_plus_ease_at_the_hip_line() {
    let body = BodyMeasurements::average();
    for style in [
        SkirtStyle::Pencil { hem_taper_cm: 0.0 },
        SkirtStyle::ALine { flare_cm: 10.0 },
    ] {
        let design = SkirtDesign::new(style);
        let pattern = skirt(&body, &design).expect("fits");
        let hip_y = design.length_cm - body.hip_depth();
        let width: f64 = pattern
            .panels
            .iter()
            .map(|p| {
                let at_hips = p.vertices.iter().filter(|v| (v.y - hip_y).abs() < 1e-9);
                let xs: Vec<f64> = at_hips.map(|v| v.x).collect();
                assert_eq!(xs.len(), 2, "{style:?}: hip corners");
                (xs[0] - xs[1]).abs()
            })
            .sum();
        assert!((width - (body.hips() + design.hip_ease_cm)).abs() < 1e-9);
    }
}

#[test]
fn hem_widens_with_flare() {
    let body = BodyMeasurements::average();
    let hem = |style| {
        skirt(&body, &SkirtDesign::new(style))
            .expect("fits")
            .group_length("hem")
            .expect("hem")
    };
    let pencil = hem(SkirtStyle::Pencil { hem_taper_cm: 2.0 });
    let a_line = hem(SkirtStyle::ALine { flare_cm: 10.0 });
    let circle = hem(SkirtStyle::Circle { fullness: 1.0 });
    assert!(pencil < body.hips() && pencil < a_line && a_line < circle);
    // A full circle skirt's hem is the circle of radius waist radius + length.
    let design = SkirtDesign::new(SkirtStyle::Circle { fullness: 1.0 });
    let r = design.top_girth(&body) / (2.0 * std::f64::consts::PI) + design.length_cm;
    assert!((circle - 2.0 * std::f64::consts::PI * r).abs() < 1e-6);
}

#[test]
fn side_seams_match_in_length() {
    let body = BodyMeasurements::average();
    for style in styles() {
        let pattern = skirt(&body, &SkirtDesign::new(style)).expect("fits");
        for s in &pattern.stitches {
            let len = |end: &catwalk_garment::StitchEnd| {
                pattern
                    .panel(&end.panel)
                    .expect("panel")
                    .edge_length(end.edge)
                    .expect("edge")
            };
            assert!((len(&s.a) - len(&s.b)).abs() < 1e-9, "{style:?}");
        }
    }
}

#[test]
fn placed_waist_sits_at_waist_height() {
    let body = BodyMeasurements::average();
    let design = SkirtDesign {
        waist_drop_cm: 4.0,
        ..SkirtDesign::new(SkirtStyle::Pencil { hem_taper_cm: 1.0 })
    };
    let pattern = skirt(&body, &design).expect("fits");
    for panel in &pattern.panels {
        let waist = panel.curve(panel.edge_groups["waist"][0]).expect("waist");
        let y = panel.place(waist.point(0.5)).y;
        assert!((y - (body.waist_height() - 4.0)).abs() < 1e-9);
    }
    let front_z = pattern.panels[0].place(glam::DVec2::ZERO).z;
    let back_z = pattern.panels[1].place(glam::DVec2::ZERO).z;
    assert!(front_z > body.hips() / 7.0 && back_z < -body.hips() / 7.0);
}

#[test]
fn drafted_skirt_round_trips_through_garmentcode_json() {
    let body = BodyMeasurements::average();
    for style in styles() {
        let pattern = skirt(&body, &SkirtDesign::new(style)).expect("fits");
        let back = from_json_str(&to_json_string(&pattern)).expect("reads back");
        assert_eq!(back, pattern);
    }
}

#[test]
fn out_of_range_parameters_are_refused_with_their_range() {
    let body = BodyMeasurements::average();
    let cases = [
        (
            SkirtDesign {
                length_cm: 200.0,
                ..SkirtDesign::new(SkirtStyle::Pencil { hem_taper_cm: 0.0 })
            },
            "length must be between 30 and 120 cm; got 200 cm",
        ),
        (
            SkirtDesign::new(SkirtStyle::Circle { fullness: 1.5 }),
            "fullness must be between 0.25 and 1; got 1.5",
        ),
        (
            SkirtDesign::new(SkirtStyle::ALine { flare_cm: -3.0 }),
            "flare must be between 2 and 40 cm; got -3 cm",
        ),
        (
            SkirtDesign {
                waist_ease_cm: f64::NAN,
                ..SkirtDesign::new(SkirtStyle::Pencil { hem_taper_cm: 0.0 })
            },
            "waist_ease must be between 0 and 6 cm; got NaN cm",
        ),
    ];
    for (design, message) in cases {
        let e = skirt(&body, &design).expect_err("out of range");
        assert!(matches!(e, DesignError::Param(_)));
        assert_eq!(e.to_string(), message);
    }
}

#[test]
fn skirts_that_do_not_fit_the_body_say_why() {
    let body = BodyMeasurements::average();
    let too_long = SkirtDesign {
        length_cm: 110.0,
        ..SkirtDesign::new(SkirtStyle::ALine { flare_cm: 10.0 })
    };
    let e = skirt(&body, &too_long).expect_err("reaches the floor");
    assert!(e.to_string().contains("would reach the floor"), "{e}");
    let long_hips = BodyMeasurements::new(MeasurementSheet {
        hip_depth: 28.0,
        ..MeasurementSheet::AVERAGE
    })
    .expect("valid body");
    let too_short = SkirtDesign {
        length_cm: 30.0,
        ..SkirtDesign::new(SkirtStyle::Pencil { hem_taper_cm: 0.0 })
    };
    let e = skirt(&long_hips, &too_short).expect_err("ends above the hips");
    assert!(e.to_string().contains("ends above the hips"), "{e}");
    // A circle skirt may be short.
    assert!(
        skirt(
            &body,
            &SkirtDesign {
                length_cm: 30.0,
                ..SkirtDesign::new(SkirtStyle::Circle { fullness: 0.5 })
            }
        )
        .is_ok()
    );
}

#[test]
fn a_pencil_skirt_below_the_knee_has_walking_slits_up_to_above_the_knee() {
    use catwalk_garment::programs::skirt::{KNEE_TO_INSEAM, MIN_SLIT_CM, SLIT_ABOVE_KNEE_CM};
    let body = BodyMeasurements::average();
    let pencil = |length_cm| SkirtDesign {
        length_cm,
        ..SkirtDesign::new(SkirtStyle::Pencil { hem_taper_cm: 3.0 })
    };
    let knee = KNEE_TO_INSEAM * body.inseam();
    let maxi = pencil(body.waist_height() - 10.0);
    let slit = maxi.slit_cm(&body);
    let hem = body.waist_height() - maxi.length_cm;
    assert!(
        (hem + slit - (knee + SLIT_ABOVE_KNEE_CM)).abs() < 1e-9,
        "slit {slit}"
    );
    let pattern = skirt(&body, &maxi).expect("fits");
    for panel in &pattern.panels {
        for side in ["slit_left", "slit_right"] {
            let open = panel.group_length(side).expect("a slit");
            assert!((open - slit).abs() < 0.5, "{side} {open} cm, want {slit}");
            // The slit's edge is sewn to nothing.
            let edge = panel.edge_groups[side][0];
            assert!(!pattern.stitches.iter().any(|s| {
                (s.a.panel == panel.name && s.a.edge == edge)
                    || (s.b.panel == panel.name && s.b.edge == edge)
            }));
        }
    }
    // Just below the knee: the shortest slit. Above the knee, or flared: none.
    let just_below = pencil(body.waist_height() - knee + 2.0);
    assert_eq!(just_below.slit_cm(&body), MIN_SLIT_CM);
    let above = pencil(body.waist_height() - knee - 5.0);
    assert_eq!(above.slit_cm(&body), 0.0);
    let short = skirt(&body, &above).expect("fits");
    assert!(
        short
            .panels
            .iter()
            .all(|p| !p.edge_groups.contains_key("slit_left"))
    );
    let a_line = SkirtDesign {
        length_cm: maxi.length_cm,
        ..SkirtDesign::new(SkirtStyle::ALine { flare_cm: 10.0 })
    };
    assert_eq!(a_line.slit_cm(&body), 0.0);
}
