//! Meshing quality: no degenerate or inverted triangles, edge lengths near the target,
//! the panels' area preserved, seams paired one to one, and the mesh's own waist girth
//! equal to the design's within 1 mm.

mod common;

use std::collections::HashMap;

use catwalk_garment::polygon::distance_to_segment;
use catwalk_garment::programs::{SkirtDesign, SkirtStyle, skirt};
use catwalk_garment::{BodyMeasurements, GarmentMesh, MeshError, MeshOptions, Pattern, read_file};

fn patterns() -> Vec<(String, Pattern)> {
    let body = BodyMeasurements::average();
    let mut out: Vec<(String, Pattern)> = [
        SkirtStyle::Pencil { hem_taper_cm: 3.0 },
        SkirtStyle::ALine { flare_cm: 12.0 },
        SkirtStyle::Circle { fullness: 0.5 },
        SkirtStyle::Circle { fullness: 1.0 },
    ]
    .into_iter()
    .map(|style| {
        (
            format!("{style:?}"),
            skirt(&body, &SkirtDesign::new(style)).expect("fits"),
        )
    })
    .collect();
    out.push((
        "fixture".into(),
        read_file(common::skirt_fixture()).expect("fixture valid"),
    ));
    out
}

struct Stats {
    min_angle_deg: f64,
    min_edge: f64,
    max_edge: f64,
    min_area: f64,
}

fn stats(mesh: &GarmentMesh) -> Stats {
    let mut s = Stats {
        min_angle_deg: 180.0,
        min_edge: f64::MAX,
        max_edge: 0.0,
        min_area: f64::MAX,
    };
    for t in &mesh.triangles {
        let p = t.map(|i| mesh.vertex_point_cm[i as usize]);
        let area = (p[1] - p[0]).perp_dot(p[2] - p[0]) / 2.0;
        s.min_area = s.min_area.min(area);
        for k in 0..3 {
            let (a, b, c) = (p[k], p[(k + 1) % 3], p[(k + 2) % 3]);
            let len = a.distance(b);
            s.min_edge = s.min_edge.min(len);
            s.max_edge = s.max_edge.max(len);
            let angle = (b - a).angle_to(c - a).abs().to_degrees();
            s.min_angle_deg = s.min_angle_deg.min(angle);
        }
    }
    s
}

#[test]
fn triangles_are_well_shaped_and_near_the_target_size() {
    for (name, pattern) in patterns() {
        for h in [1.0, 2.0] {
            let options = MeshOptions {
                target_edge_cm: h,
                ..MeshOptions::default()
            };
            let mesh = GarmentMesh::from_pattern(&pattern, &options).expect("meshes");
            let s = stats(&mesh);
            eprintln!(
                "{name} h={h}: {} verts {} tris, min angle {:.1}, edges {:.2}..{:.2}, min area {:.3}",
                mesh.vertex_count(),
                mesh.triangles.len(),
                s.min_angle_deg,
                s.min_edge,
                s.max_edge,
                s.min_area
            );
            // Measured when written: min angle 27-31 degrees, edges 0.6h-1.65h, min area 0.23h².
            assert!(
                s.min_area > 0.15 * h * h,
                "{name} h={h}: degenerate or inverted triangle"
            );
            assert!(
                s.min_angle_deg > 20.0,
                "{name} h={h}: angle {}",
                s.min_angle_deg
            );
            assert!(
                s.min_edge > 0.5 * h,
                "{name} h={h}: short edge {}",
                s.min_edge
            );
            assert!(
                s.max_edge < 1.75 * h,
                "{name} h={h}: long edge {}",
                s.max_edge
            );
        }
    }
}

#[test]
fn mesh_covers_each_panel_exactly() {
    for (name, pattern) in patterns() {
        let mesh = GarmentMesh::from_pattern(&pattern, &MeshOptions::default()).expect("meshes");
        for (p, span) in mesh.panels.iter().enumerate() {
            let area: f64 = mesh.triangles
                [span.triangles.start as usize..span.triangles.end as usize]
                .iter()
                .map(|t| {
                    let q = t.map(|i| mesh.vertex_point_cm[i as usize]);
                    (q[1] - q[0]).perp_dot(q[2] - q[0]) / 2.0
                })
                .sum();
            let exact = pattern.panels[p].area().expect("area");
            assert!(
                (area - exact).abs() < 0.005 * exact,
                "{name}/{}: {area} vs {exact}",
                span.name
            );
            // Each interior edge is shared by two triangles, each outline edge by one.
            let mut uses: HashMap<(u32, u32), u32> = HashMap::new();
            for t in &mesh.triangles[span.triangles.start as usize..span.triangles.end as usize] {
                for k in 0..3 {
                    let (a, b) = (t[k], t[(k + 1) % 3]);
                    *uses.entry((a.min(b), a.max(b))).or_default() += 1;
                }
            }
            assert!(uses.values().all(|&u| u <= 2), "{name}: non-manifold edge");
            let outline_edges = uses.values().filter(|&&u| u == 1).count();
            let outline_vertices: usize = span.edge_vertices.iter().map(|e| e.len() - 1).sum();
            assert_eq!(
                outline_edges, outline_vertices,
                "{name}: holes or stray triangles"
            );
        }
    }
}

#[test]
fn every_vertex_maps_back_to_its_panel_point() {
    for (name, pattern) in patterns() {
        let mesh = GarmentMesh::from_pattern(&pattern, &MeshOptions::default()).expect("meshes");
        for (p, span) in mesh.panels.iter().enumerate() {
            let panel = &pattern.panels[p];
            for v in span.vertices.clone() {
                assert_eq!(mesh.vertex_panel[v as usize], p as u32);
                let point = mesh.vertex_point_cm[v as usize];
                let rest = mesh.rest_m[v as usize].as_dvec2() * 100.0;
                assert!(rest.distance(point) < 1e-3);
                let placed = mesh.placed_m[v as usize].as_dvec3() * 100.0;
                assert!(placed.distance(panel.place(point)) < 1e-3, "{name}");
            }
            // Outline vertices lie on their edge's curve.
            for (e, run) in span.edge_vertices.iter().enumerate() {
                let curve = panel.curve(e).expect("edge");
                let dense = curve.polyline_by_parameter(4000);
                for &v in run {
                    let q = mesh.vertex_point_cm[v as usize];
                    let d = dense
                        .windows(2)
                        .map(|w| distance_to_segment(q, w[0], w[1]))
                        .fold(f64::MAX, f64::min);
                    assert!(d < 1e-3, "{name}: vertex {v} is {d} cm off edge {e}");
                }
            }
        }
    }
}

#[test]
fn seams_pair_vertices_one_to_one_at_matching_heights() {
    for (name, pattern) in patterns() {
        let mesh = GarmentMesh::from_pattern(&pattern, &MeshOptions::default()).expect("meshes");
        let mut expected = 0;
        for s in &pattern.stitches {
            let a = mesh
                .edge_vertices(pattern.panel_index(&s.a.panel).expect("panel"), s.a.edge)
                .expect("edge");
            let b = mesh
                .edge_vertices(pattern.panel_index(&s.b.panel).expect("panel"), s.b.edge)
                .expect("edge");
            assert_eq!(
                a.len(),
                b.len(),
                "{name}: stitched edges resampled differently"
            );
            expected += a.len();
        }
        // Corners shared by two stitches on the same side seam are counted once.
        assert!(mesh.seam_pairs.len() <= expected && mesh.seam_pairs.len() + 4 >= expected);
        for [a, b] in &mesh.seam_pairs {
            assert_ne!(
                mesh.vertex_panel[*a as usize],
                mesh.vertex_panel[*b as usize]
            );
            // Front and back are mirror images placed at the same height.
            let (pa, pb) = (mesh.placed_m[*a as usize], mesh.placed_m[*b as usize]);
            assert!(
                (pa.y - pb.y).abs() < 1e-4,
                "{name}: seam pair at {pa} and {pb}"
            );
            assert!(
                (pa.x - pb.x).abs() < 1e-4,
                "{name}: seam pair at {pa} and {pb}"
            );
        }
    }
}

#[test]
fn meshed_waist_girth_equals_design_within_a_millimetre() {
    let body = BodyMeasurements::average();
    for style in [
        SkirtStyle::Pencil { hem_taper_cm: 2.0 },
        SkirtStyle::Circle { fullness: 0.75 },
        SkirtStyle::Circle { fullness: 1.0 },
    ] {
        let design = SkirtDesign {
            waist_ease_cm: 3.0,
            ..SkirtDesign::new(style)
        };
        let pattern = skirt(&body, &design).expect("fits");
        let mesh = GarmentMesh::from_pattern(&pattern, &MeshOptions::default()).expect("meshes");
        let mut girth = 0.0;
        for (p, panel) in pattern.panels.iter().enumerate() {
            for &e in &panel.edge_groups["waist"] {
                let run = mesh.edge_vertices(p, e).expect("waist edge");
                girth += run
                    .windows(2)
                    .map(|w| mesh.rest_m[w[0] as usize].distance(mesh.rest_m[w[1] as usize]) as f64)
                    .sum::<f64>()
                    * 100.0;
            }
        }
        let expected = body.waist() + 3.0;
        assert!(
            (girth - expected).abs() < 0.1,
            "{style:?}: {girth} vs {expected}"
        );
    }
}

#[test]
fn warp_follows_the_grain_line() {
    let mut pattern = patterns().remove(0).1;
    pattern.panels[0].cutting.grain = glam::DVec2::new(1.0, 1.0).normalize();
    let mesh = GarmentMesh::from_pattern(&pattern, &MeshOptions::default()).expect("meshes");
    let span = &mesh.panels[0];
    for t in span.triangles.clone() {
        let w = mesh.triangle_warp[t as usize];
        assert!((w - glam::Vec2::new(1.0, 1.0).normalize()).length() < 1e-6);
    }
    let back = &mesh.panels[1];
    assert_eq!(
        mesh.triangle_warp[back.triangles.start as usize],
        glam::Vec2::Y
    );
}

#[test]
fn out_of_range_target_is_refused() {
    let pattern = patterns().remove(0).1;
    let e = GarmentMesh::from_pattern(
        &pattern,
        &MeshOptions {
            target_edge_cm: 0.01,
            ..MeshOptions::default()
        },
    )
    .expect_err("too fine");
    assert!(matches!(e, MeshError::Options(_)));
    assert_eq!(
        e.to_string(),
        "target_edge must be between 0.3 and 10 cm; got 0.01 cm"
    );
}
