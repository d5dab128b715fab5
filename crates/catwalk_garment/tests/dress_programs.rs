//! Dresses: bodice and skirt join at a waist seam whose two sides have the same length,
//! the sewn waist is the body's waist plus ease within 1 mm, and the whole dress is placed,
//! validated and meshed like any other pattern.

use catwalk_garment::programs::{
    DressDesign, Neckline, SkirtDesign, SkirtStyle, SleeveStyle, TopDesign, dress,
};
use catwalk_garment::spec::read::infer_direction;
use catwalk_garment::{BodyMeasurements, GarmentMesh, MeshOptions};

fn designs() -> Vec<DressDesign> {
    let mut out = Vec::new();
    for style in [
        SkirtStyle::Pencil { hem_taper_cm: 2.0 },
        SkirtStyle::ALine { flare_cm: 15.0 },
        SkirtStyle::Circle { fullness: 0.75 },
    ] {
        for (neckline, sleeve) in [
            (Neckline::Crew, SleeveStyle::Sleeveless),
            (Neckline::V { depth_cm: 14.0 }, SleeveStyle::Short),
            (Neckline::Boat, SleeveStyle::Long),
        ] {
            out.push(DressDesign {
                bodice: TopDesign {
                    neckline,
                    sleeve,
                    ..TopDesign::default()
                },
                skirt: SkirtDesign {
                    waist_ease_cm: 3.0,
                    ..SkirtDesign::new(style)
                },
            });
        }
    }
    out
}

#[test]
fn waist_seam_matches_and_equals_waist_plus_ease() {
    let body = BodyMeasurements::average();
    for design in designs() {
        let pattern = dress(&body, &design).unwrap_or_else(|e| panic!("{design:?}: {e}"));
        let mut bodice_hem = 0.0;
        for side in ["front", "back"] {
            let top = pattern.panel(&format!("top_{side}")).expect("bodice");
            let skirt = pattern.panel(&format!("skirt_{side}")).expect("skirt");
            let hem = top.group_length("hem").expect("hem");
            let waist = skirt.group_length("waist").expect("waist");
            assert!((hem - waist).abs() < 0.01, "{design:?}: {hem} vs {waist}");
            bodice_hem += hem;
        }
        assert!(
            (bodice_hem - (body.waist() + 3.0)).abs() < 0.1,
            "{bodice_hem}"
        );
        let waist_seams = pattern
            .stitches
            .iter()
            .filter(|s| s.a.panel.starts_with("top_") && s.b.panel.starts_with("skirt_"))
            .count();
        assert_eq!(waist_seams, 2);
    }
}

#[test]
fn dress_panels_are_placed_the_way_they_are_sewn() {
    let body = BodyMeasurements::average();
    for design in designs() {
        let pattern = dress(&body, &design).expect("drafts");
        for stitch in &pattern.stitches {
            assert_eq!(
                infer_direction(&pattern, stitch),
                stitch.direction,
                "{stitch:?}"
            );
        }
        // The bodice hem and the skirt waist meet at the waist height.
        let front = pattern.panel("top_front").expect("bodice");
        let hem = front.curve(front.edge_groups["hem"][0]).expect("hem");
        assert!((front.place(hem.point(0.5)).y - body.waist_height()).abs() < 1e-9);
    }
}

#[test]
fn dress_meshes() {
    let body = BodyMeasurements::average();
    let design = designs().remove(4);
    let pattern = dress(&body, &design).expect("drafts");
    let mesh = GarmentMesh::from_pattern(&pattern, &MeshOptions::default()).expect("meshes");
    assert_eq!(mesh.panels.len(), pattern.panels.len());
    let stitched_vertices: usize = pattern
        .stitches
        .iter()
        .map(|s| {
            mesh.edge_vertices(pattern.panel_index(&s.a.panel).expect("panel"), s.a.edge)
                .expect("edge")
                .len()
        })
        .sum();
    assert!(mesh.seam_pairs.len() > stitched_vertices / 2);
}
