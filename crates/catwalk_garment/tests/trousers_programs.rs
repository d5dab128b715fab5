//! Trousers: valid four-panel patterns from shorts to full length, waist and hip girths as
//! designed, seams of matching lengths, placement that agrees with every stitch, meshing,
//! and refusals that say why.

use catwalk_garment::programs::{DesignError, TrousersDesign, trousers};
use catwalk_garment::spec::read::infer_direction;
use catwalk_garment::{BodyMeasurements, GarmentMesh, MeshOptions, from_json_str, to_json_string};

fn designs() -> Vec<TrousersDesign> {
    vec![
        TrousersDesign::default(),
        TrousersDesign {
            length_cm: 40.0,
            hem_girth_cm: 60.0,
            ..TrousersDesign::default()
        },
        TrousersDesign {
            hem_girth_cm: 30.0,
            waist_drop_cm: 5.0,
            waist_ease_cm: 4.0,
            ..TrousersDesign::default()
        },
    ]
}

#[test]
fn girths_are_measurements_plus_ease() {
    let body = BodyMeasurements::average();
    for design in designs() {
        let pattern = trousers(&body, &design).unwrap_or_else(|e| panic!("{design:?}: {e}"));
        assert_eq!(pattern.panels.len(), 4);
        assert_eq!(pattern.stitches.len(), 8);
        let waist = pattern.group_length("waist").expect("waist");
        let expected = body.girth_below_waist(design.waist_drop_cm) + design.waist_ease_cm;
        assert!((waist - expected).abs() < 0.1, "{waist} vs {expected}");
        let hem = pattern.group_length("hem").expect("hem");
        assert!((hem - 2.0 * design.hem_girth_cm).abs() < 1e-9);
        let hips: f64 = pattern.panels.iter().map(|p| p.vertices[2].x.abs()).sum();
        assert!((hips - (body.hips() + design.hip_ease_cm)).abs() < 1e-9);
    }
}

#[test]
fn seams_match_and_are_placed_the_way_they_are_sewn() {
    let body = BodyMeasurements::average();
    for design in designs() {
        let pattern = trousers(&body, &design).expect("drafts");
        for stitch in &pattern.stitches {
            assert_eq!(
                infer_direction(&pattern, stitch),
                stitch.direction,
                "{stitch:?}"
            );
            let len = |end: &catwalk_garment::StitchEnd| {
                pattern
                    .panel(&end.panel)
                    .expect("panel")
                    .edge_length(end.edge)
                    .expect("edge")
            };
            let (a, b) = (len(&stitch.a), len(&stitch.b));
            // Front and back legs differ a little at the inseam and crotch; never by 10%.
            assert!(a.max(b) / a.min(b) < 1.1, "{stitch:?}: {a} vs {b}");
        }
    }
}

#[test]
fn trousers_mesh_and_round_trip() {
    let body = BodyMeasurements::average();
    let pattern = trousers(&body, &TrousersDesign::default()).expect("drafts");
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
    assert!(mesh.triangles.len() > 1000);
    for [a, b] in &mesh.seam_pairs {
        assert_ne!(
            mesh.vertex_panel[*a as usize],
            mesh.vertex_panel[*b as usize]
        );
    }
}

#[test]
fn refusals_say_why() {
    let body = BodyMeasurements::average();
    let e = trousers(
        &body,
        &TrousersDesign {
            length_cm: 120.0,
            ..TrousersDesign::default()
        },
    )
    .expect_err("too long");
    assert!(e.to_string().contains("would reach the floor"), "{e}");
    let e = trousers(
        &body,
        &TrousersDesign {
            length_cm: 26.0,
            ..TrousersDesign::default()
        },
    )
    .expect_err("too short");
    assert!(e.to_string().contains("does not cover the crotch"), "{e}");
    let e = trousers(
        &body,
        &TrousersDesign {
            hem_girth_cm: 10.0,
            ..TrousersDesign::default()
        },
    )
    .expect_err("out of range");
    assert!(matches!(e, DesignError::Param(_)));
    assert_eq!(
        e.to_string(),
        "hem_girth must be between 28 and 90 cm; got 10 cm"
    );
}
