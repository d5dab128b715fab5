//! The top family: every neckline and sleeve drafts a valid pattern, panels are placed so
//! that every stitch runs the way it says, the bust girth and sleeve caps measure what the
//! design asks, and bad parameters are refused.

use catwalk_garment::programs::{DesignError, Neckline, SleeveStyle, TopDesign, top};
use catwalk_garment::spec::read::infer_direction;
use catwalk_garment::{BodyMeasurements, GarmentMesh, MeshOptions, from_json_str, to_json_string};

fn designs() -> Vec<TopDesign> {
    let mut out = Vec::new();
    for neckline in [
        Neckline::Crew,
        Neckline::Scoop { depth_cm: 14.0 },
        Neckline::V { depth_cm: 20.0 },
        Neckline::Boat,
    ] {
        for sleeve in [
            SleeveStyle::Sleeveless,
            SleeveStyle::Short,
            SleeveStyle::ThreeQuarter,
            SleeveStyle::Long,
        ] {
            out.push(TopDesign {
                neckline,
                sleeve,
                ..TopDesign::default()
            });
        }
    }
    out
}

#[test]
fn every_variant_drafts_a_valid_pattern() {
    let body = BodyMeasurements::average();
    for design in designs() {
        let pattern = top(&body, &design).unwrap_or_else(|e| panic!("{design:?}: {e}"));
        let expected_panels = if design.sleeve == SleeveStyle::Sleeveless {
            2
        } else {
            6
        };
        assert_eq!(pattern.panels.len(), expected_panels);
        assert_eq!(pattern.stitches.len(), 4 + (expected_panels - 2) * 2);
    }
}

#[test]
fn placement_agrees_with_every_stitch_direction() {
    let body = BodyMeasurements::average();
    for design in designs() {
        let pattern = top(&body, &design).expect("drafts");
        for (i, stitch) in pattern.stitches.iter().enumerate() {
            assert_eq!(
                infer_direction(&pattern, stitch),
                stitch.direction,
                "{design:?}: stitch {i} {stitch:?} is placed the other way round"
            );
        }
    }
}

#[test]
fn bust_girth_is_bust_plus_ease() {
    let body = BodyMeasurements::average();
    let design = TopDesign {
        bust_ease_cm: 8.0,
        ..TopDesign::default()
    };
    let pattern = top(&body, &design).expect("drafts");
    let girth: f64 = pattern.panels[..2]
        .iter()
        .map(|p| {
            let right = p
                .curve(p.edge_groups["armhole_right"][0])
                .expect("armhole")
                .start();
            let left = p
                .curve(p.edge_groups["armhole_left"][0])
                .expect("armhole")
                .end();
            right.x - left.x
        })
        .sum();
    assert!((girth - (body.bust() + 8.0)).abs() < 0.1, "{girth}");
}

#[test]
fn sleeve_caps_match_their_armholes_within_a_millimetre() {
    let body = BodyMeasurements::average();
    let pattern = top(
        &body,
        &TopDesign {
            sleeve: SleeveStyle::Long,
            ..TopDesign::default()
        },
    )
    .expect("drafts");
    for stitch in &pattern.stitches {
        if !stitch.a.panel.starts_with("sleeve") || !stitch.b.panel.starts_with("top") {
            continue;
        }
        let len = |end: &catwalk_garment::StitchEnd| {
            pattern
                .panel(&end.panel)
                .expect("panel")
                .edge_length(end.edge)
                .expect("edge")
        };
        assert!((len(&stitch.a) - len(&stitch.b)).abs() < 0.1, "{stitch:?}");
    }
    let sleeve = pattern.panel("sleeve_front_right").expect("sleeve");
    let overarm = sleeve
        .edge_length(sleeve.edge_groups["overarm"][0])
        .expect("edge");
    assert!((overarm - body.arm_length()).abs() < 1e-9);
}

#[test]
fn necklines_reach_their_depth() {
    let body = BodyMeasurements::average();
    for (neckline, depth) in [
        (Neckline::Crew, 8.0),
        (Neckline::Scoop { depth_cm: 16.0 }, 16.0),
        (Neckline::V { depth_cm: 22.0 }, 22.0),
    ] {
        let design = TopDesign {
            neckline,
            ..TopDesign::default()
        };
        let pattern = top(&body, &design).expect("drafts");
        let front = &pattern.panels[0];
        let lowest = front.edge_groups["neckline"]
            .iter()
            .flat_map(|&e| front.curve(e).expect("edge").polyline_by_parameter(200))
            .map(|p| p.y)
            .fold(f64::MAX, f64::min);
        assert!(
            (design.length_cm - lowest - depth).abs() < 0.01,
            "{neckline:?}: lowest {lowest}"
        );
    }
}

#[test]
fn long_sleeved_top_meshes_cleanly_and_round_trips() {
    let body = BodyMeasurements::average();
    let design = TopDesign {
        neckline: Neckline::V { depth_cm: 15.0 },
        sleeve: SleeveStyle::Long,
        ..TopDesign::default()
    };
    let pattern = top(&body, &design).expect("drafts");
    assert_eq!(
        from_json_str(&to_json_string(&pattern)).expect("reads back"),
        pattern
    );
    let mesh = GarmentMesh::from_pattern(
        &pattern,
        &MeshOptions {
            target_edge_cm: 2.0,
            ..MeshOptions::default()
        },
    )
    .expect("meshes");
    eprintln!("long-sleeved top at 2 cm: {} vertices", mesh.vertex_count());
    for t in &mesh.triangles {
        let p = t.map(|i| mesh.vertex_point_cm[i as usize]);
        for k in 0..3 {
            let angle = (p[(k + 1) % 3] - p[k])
                .angle_to(p[(k + 2) % 3] - p[k])
                .abs();
            assert!(angle.to_degrees() > 15.0, "sliver triangle");
        }
    }
    // Seam pairs start close in 3D only where panels are placed close; all are finite.
    assert!(mesh.placed_m.iter().all(|p| p.is_finite()));
}

#[test]
fn bad_designs_are_refused() {
    let body = BodyMeasurements::average();
    let e = top(
        &body,
        &TopDesign {
            bust_ease_cm: 50.0,
            ..TopDesign::default()
        },
    )
    .expect_err("too much ease");
    assert_eq!(
        e.to_string(),
        "bust_ease must be between 4 and 30 cm; got 50 cm"
    );
    let e = top(
        &body,
        &TopDesign {
            neckline: Neckline::V { depth_cm: 40.0 },
            ..TopDesign::default()
        },
    )
    .expect_err("too deep");
    assert!(matches!(e, DesignError::Param(_)));
    let large = BodyMeasurements::new(catwalk_garment::body::MeasurementSheet {
        bust: 150.0,
        ..catwalk_garment::body::MeasurementSheet::AVERAGE
    })
    .expect("valid body");
    let e = top(
        &large,
        &TopDesign {
            length_cm: 35.0,
            ..TopDesign::default()
        },
    )
    .expect_err("ends in the armhole");
    assert!(e.to_string().contains("ends in the armhole"), "{e}");
}

#[test]
fn short_sleeves_draft_at_every_size_with_an_underarm_seam() {
    use catwalk_garment::grading::{SizeChart, SizeLabel};
    let chart = SizeChart::by_name("en13402-3-women").expect("built in");
    let design = TopDesign {
        sleeve: SleeveStyle::Short,
        ..TopDesign::default()
    };
    let mut underarms = Vec::new();
    for label in [
        SizeLabel::XS,
        SizeLabel::S,
        SizeLabel::M,
        SizeLabel::L,
        SizeLabel::XL,
    ] {
        let body = chart.body(label).expect("size in chart");
        let pattern = top(body, &design).unwrap_or_else(|e| panic!("{label:?}: {e}"));
        let sleeve = pattern.panel("sleeve_front_right").expect("sleeve");
        let edge = |group: &str| {
            sleeve
                .edge_length(sleeve.edge_groups[group][0])
                .expect("edge")
        };
        let underarm = edge("underarm");
        assert!(
            underarm >= 5.0 - 1e-6,
            "{label:?}: a {underarm:.1} cm underarm seam"
        );
        // The sleeve is at least the style's share of the arm.
        assert!(edge("overarm") >= 0.3 * body.arm_length() - 1e-6);
        underarms.push(underarm);
    }
    // On the small sizes the sleeve is the style's length and the underarm seam is longer.
    assert!(underarms[0] > 5.5, "{underarms:?}");
}
