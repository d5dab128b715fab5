//! Solver properties: stiffness independent of substeps and iterations (XPBD), determinism
//! across thread counts, seams that close, attachments that follow their targets, and
//! builder input checks.

use catwalk_cloth::glam::{Vec2, Vec3};
use catwalk_cloth::scenes::{
    PatternMesh, ReferenceScene, hanging_sheet, layered_sheets_on_sphere, sheet_on_body_mesh,
};
use catwalk_cloth::{
    ClothBuilder, ClothError, ColliderSet, EdgeKind, FabricParams, FabricPreset, SolverSettings,
};

/// A soft fabric: the hanging vertex sags about a centimetre.
fn soft_fabric() -> FabricParams {
    FabricParams {
        density: 0.3,
        warp_stiffness: 1.0,
        weft_stiffness: 1.0,
        shear_stiffness: 1.0,
        bending_stiffness: 1e-6,
        damping: 4.0,
        friction: 0.0,
        thickness: 0.0,
        woven: false,
    }
}

/// One triangle: two pinned corners 0.2 m apart and a free apex 0.1 m below their midpoint,
/// so both apex edges are bias (shear) edges of compliance 1 / k.
fn sag(substeps: u32, iterations: u32) -> f32 {
    let rest = vec![
        Vec2::new(0.0, 0.0),
        Vec2::new(0.2, 0.0),
        Vec2::new(0.1, 0.1),
    ];
    let placed = vec![
        Vec3::new(0.0, 1.0, 0.0),
        Vec3::new(0.2, 1.0, 0.0),
        Vec3::new(0.1, 0.9, 0.0),
    ];
    let settings = SolverSettings {
        substeps,
        iterations,
        chebyshev_rho: 0.0,
        ..SolverSettings::default()
    };
    let mut cloth = ClothBuilder::new(rest, placed, vec![[0, 1, 2]])
        .fabric(soft_fabric())
        .settings(settings)
        .pins([0, 1])
        .tethers(false, 0.0)
        .build()
        .expect("cloth");
    let colliders = ColliderSet::new();
    for _ in 0..240 {
        cloth.step(1.0 / 60.0, &colliders).expect("step");
    }
    0.9 - cloth.positions()[2].y
}

/// Static equilibrium of the apex: `2 k (l − L) (0.1 + δ) / l = m g`, solved by bisection.
fn analytic_sag() -> f32 {
    let fabric = soft_fabric();
    let k = fabric.shear_stiffness;
    let mass = fabric.density * (0.5 * 0.2 * 0.1) / 3.0;
    let rest = (0.1f32 * 0.1 + 0.1 * 0.1).sqrt();
    let residual = |d: f32| {
        let l = (0.1f32 * 0.1 + (0.1 + d) * (0.1 + d)).sqrt();
        2.0 * k * (l - rest) * (0.1 + d) / l - mass * 9.81
    };
    let (mut lo, mut hi) = (0.0f32, 0.1f32);
    for _ in 0..60 {
        let mid = 0.5 * (lo + hi);
        if residual(mid) > 0.0 {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    0.5 * (lo + hi)
}

#[test]
fn stiffness_is_independent_of_substeps_and_iterations() {
    let expected = analytic_sag();
    assert!(
        expected > 0.005,
        "the test needs a visible sag, got {expected}"
    );
    for (substeps, iterations) in [(1, 20), (4, 20), (16, 20), (4, 2), (4, 50)] {
        let got = sag(substeps, iterations);
        let error = (got - expected).abs() / expected;
        assert!(
            error < 0.02,
            "{substeps} substeps × {iterations} iterations: sag {got:.5} m, expected {expected:.5} m"
        );
    }
}

#[test]
fn results_are_identical_on_one_thread_and_many() {
    // 61 × 61 vertices: distance colours hold over 1,024 constraints, so they take the
    // parallel compute-and-apply path.
    let simulate = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("pool");
        pool.install(|| {
            let mut scene = hanging_sheet(FabricPreset::CottonTwill, 61).expect("scene");
            for _ in 0..10 {
                scene.advance(1.0 / 60.0).expect("step");
            }
            let stats = scene.cloth.stats();
            assert!(
                stats.distance_constraints / stats.distance_colours > 1024,
                "the scene must exercise the parallel path"
            );
            scene.cloth.positions().to_vec()
        })
    };
    assert_eq!(simulate(1), simulate(4));
}

#[test]
fn a_seam_pulls_two_separate_panels_together_and_holds_them() {
    // Two triangles placed 10 cm apart, sewn along one edge.
    let rest = vec![
        Vec2::new(0.0, 0.0),
        Vec2::new(0.1, 0.0),
        Vec2::new(0.0, 0.1),
        Vec2::new(0.2, 0.0),
        Vec2::new(0.3, 0.0),
        Vec2::new(0.2, 0.1),
    ];
    let placed: Vec<Vec3> = vec![
        Vec3::new(0.0, 0.0, 0.0),
        Vec3::new(0.1, 0.0, 0.0),
        Vec3::new(0.0, 0.1, 0.0),
        Vec3::new(0.2, 0.0, 0.0),
        Vec3::new(0.3, 0.0, 0.0),
        Vec3::new(0.2, 0.1, 0.0),
    ];
    let settings = SolverSettings {
        gravity: Vec3::ZERO,
        ..SolverSettings::default()
    };
    let mut cloth = ClothBuilder::new(rest, placed, vec![[0, 1, 2], [3, 4, 5]])
        .settings(settings)
        .seams([[1, 3]])
        .sew_time(0.5)
        .build()
        .expect("cloth");
    let colliders = ColliderSet::new();
    let gap = |c: &catwalk_cloth::Cloth| c.positions()[1].distance(c.positions()[3]);
    for _ in 0..15 {
        cloth.step(1.0 / 60.0, &colliders).expect("step");
    }
    let halfway = gap(&cloth);
    assert!(halfway > 0.02 && halfway < 0.09, "gap at 0.25 s: {halfway}");
    for _ in 0..45 {
        cloth.step(1.0 / 60.0, &colliders).expect("step");
    }
    assert!(gap(&cloth) < 1e-3, "gap after 1 s: {}", gap(&cloth));
    // Sewing did not distort the panels.
    for (&[a, b], &rest) in cloth.edges().iter().zip(cloth.edge_rest_lengths()) {
        let l = cloth.positions()[a as usize].distance(cloth.positions()[b as usize]);
        assert!((l / rest - 1.0).abs() < 0.01);
    }
}

#[test]
fn an_attached_vertex_follows_its_moving_target() {
    let mesh = PatternMesh::grid(5, 5, |u, v| Vec2::new(0.2 * u, 0.2 * v));
    let placed = mesh
        .rest
        .iter()
        .map(|r| Vec3::new(r.x, 1.0 - r.y, 0.0))
        .collect();
    let mut cloth = ClothBuilder::new(mesh.rest, placed, mesh.triangles)
        .attachments([0, 4])
        .build()
        .expect("cloth");
    let colliders = ColliderSet::new();
    for frame in 1..=60 {
        let shift = Vec3::new(0.5 * frame as f32 / 60.0, 0.0, 0.0);
        cloth
            .set_attachment_targets(&[
                Vec3::new(0.0, 1.0, 0.0) + shift,
                Vec3::new(0.2, 1.0, 0.0) + shift,
            ])
            .expect("targets");
        cloth.step(1.0 / 60.0, &colliders).expect("step");
    }
    let p = cloth.positions();
    assert!(p[0].distance(Vec3::new(0.5, 1.0, 0.0)) < 1e-3, "{}", p[0]);
    assert!(p[4].distance(Vec3::new(0.7, 1.0, 0.0)) < 1e-3, "{}", p[4]);
    assert!(
        cloth.set_attachment_targets(&[Vec3::ZERO]).is_err(),
        "a wrong target count must be rejected"
    );
}

#[test]
fn masses_come_from_the_pattern_area_and_edges_are_classified_by_grain() {
    // A 0.4 m × 0.2 m pattern placed crumpled in 3D: masses and rest lengths ignore placement.
    let mesh = PatternMesh::grid(5, 3, |u, v| Vec2::new(0.4 * u, 0.2 * v));
    let placed = mesh
        .rest
        .iter()
        .enumerate()
        .map(|(i, r)| Vec3::new(r.x * 0.5, (i % 3) as f32 * 0.07, r.y * 2.0))
        .collect();
    let cloth = ClothBuilder::new(mesh.rest, placed, mesh.triangles)
        .fabric(FabricPreset::Denim)
        .build()
        .expect("cloth");
    let total: f32 = cloth.masses().iter().sum();
    let expected = 0.4 * 0.2 * FabricPreset::Denim.params().density;
    assert!(
        (total - expected).abs() < 1e-6,
        "mass {total} vs {expected}"
    );
    let count = |kind| cloth.edge_kinds().iter().filter(|&&k| k == kind).count();
    // 5 × 3 grid: 4 × 3 warp edges, 5 × 2 weft edges, one diagonal per cell.
    assert_eq!(count(EdgeKind::Warp), 12);
    assert_eq!(count(EdgeKind::Weft), 10);
    assert_eq!(count(EdgeKind::Shear), 8);
    // Rotating the warp by 90° swaps warp and weft.
    let mesh = PatternMesh::grid(5, 3, |u, v| Vec2::new(0.4 * u, 0.2 * v));
    let placed = mesh.rest.iter().map(|r| r.extend(0.0)).collect();
    let cloth = ClothBuilder::new(mesh.rest, placed, mesh.triangles)
        .uniform_warp(Vec2::Y)
        .build()
        .expect("cloth");
    assert_eq!(
        cloth
            .edge_kinds()
            .iter()
            .filter(|&&k| k == EdgeKind::Warp)
            .count(),
        10
    );
}

#[test]
fn bad_input_is_rejected_with_a_message_saying_what_to_fix() {
    let rest = vec![Vec2::ZERO, Vec2::X, Vec2::Y];
    let placed = vec![Vec3::ZERO, Vec3::X, Vec3::Y];
    let err = ClothBuilder::new(rest.clone(), placed[..2].to_vec(), vec![[0, 1, 2]])
        .build()
        .expect_err("mismatch");
    assert!(matches!(
        err,
        ClothError::VertexCountMismatch { rest: 3, placed: 2 }
    ));
    let err = ClothBuilder::new(rest.clone(), placed.clone(), vec![[0, 1, 7]])
        .build()
        .expect_err("out of range");
    assert!(
        err.to_string().contains("triangle 0 refers to vertex 7"),
        "{err}"
    );
    let err = ClothBuilder::new(rest.clone(), placed.clone(), vec![[0, 1, 2]])
        .seams([[1, 1]])
        .build()
        .expect_err("self seam");
    assert!(matches!(err, ClothError::SelfSeam { .. }));
    let err = ClothBuilder::new(rest.clone(), placed.clone(), vec![[0, 1, 2]])
        .attachments([2, 2])
        .build()
        .expect_err("duplicate attachment");
    assert!(matches!(err, ClothError::DuplicateAttachment { vertex: 2 }));
    let err = ClothBuilder::new(rest.clone(), placed.clone(), vec![[0, 1, 2]])
        .settings(SolverSettings {
            substeps: 0,
            ..SolverSettings::default()
        })
        .build()
        .expect_err("zero substeps");
    assert!(err.to_string().contains("substeps"));
    let degenerate = vec![Vec2::ZERO, Vec2::X, Vec2::new(2.0, 0.0)];
    let err = ClothBuilder::new(degenerate, placed.clone(), vec![[0, 1, 2]])
        .build()
        .expect_err("zero area");
    assert!(matches!(
        err,
        ClothError::DegenerateTriangle { triangle: 0 }
    ));
    let mut cloth = ClothBuilder::new(rest, placed, vec![[0, 1, 2]])
        .build()
        .expect("cloth");
    let err = cloth
        .step(f32::NAN, &ColliderSet::new())
        .expect_err("NaN dt");
    assert!(matches!(err, ClothError::BadTimeStep(_)));
}

/// Two 0.6 m sheets, 2 cm apart, dropped on a sphere; returns how far the middle of the upper
/// sheet stays off the sphere's surface beyond the collision thickness (the smallest, m).
/// Where it lies on the lower sheet this is about the self-collision distance; where it
/// passed through, about zero.
fn layered_gap(self_collision: f32) -> f32 {
    let n = 25;
    let ReferenceScene {
        mut cloth,
        colliders,
        ..
    } = layered_sheets_on_sphere(n, self_collision).expect("scene");
    let count = n * n;
    let centre = Vec3::new(0.0, 0.4, 0.0);
    for _ in 0..60 {
        cloth.step(1.0 / 30.0, &colliders).expect("step");
    }
    assert!(cloth.is_finite());
    let p = cloth.positions();
    let thickness = FabricPreset::CottonJersey.params().thickness;
    let mut gap = f32::INFINITY;
    for j in 9..=15 {
        for i in 9..=15 {
            let upper = p[count + j * n + i];
            gap = gap.min(upper.distance(centre) - 0.25 - thickness);
        }
    }
    gap
}

#[test]
fn self_collision_keeps_a_second_layer_outside_the_first() {
    // About the rest edge length (0.6 m / 24): a vertex of one layer cannot sink between
    // the vertices of the other.
    let distance = 0.025;
    let with = layered_gap(distance);
    assert!(
        with > 0.5 * distance,
        "the upper layer's middle came within {with} m of the sphere"
    );
    // Control: without self-collision the layers pass into each other on the sphere.
    let without = layered_gap(0.0);
    eprintln!("gap with self-collision {with} m, without {without} m");
    assert!(without < 0.2 * distance, "control gap {without} m");
}

#[test]
fn a_sheet_drapes_over_a_static_body_mesh_through_its_distance_grid() {
    // A closed box mesh, 0.4 m wide, top at y = 0.5: the "body".
    let ReferenceScene {
        mut cloth,
        colliders,
        ..
    } = sheet_on_body_mesh(FabricPreset::SilkCharmeuse, 21).expect("scene");
    for frame in 0..60 {
        cloth.step(1.0 / 30.0, &colliders).expect("step");
        assert!(cloth.is_finite());
        let depth = cloth.max_penetration(&colliders);
        assert!(depth <= 0.002, "frame {frame}: {depth} m inside the body");
    }
    // The middle rests on the top face; the sides hang down past it.
    let p = cloth.positions();
    let middle = p[10 * 21 + 10];
    assert!((middle.y - 0.5).abs() < 0.01, "middle at {middle}");
    assert!(p[0].y < 0.4, "corner at {}", p[0]);
}

#[test]
fn two_garments_share_one_collider_set_and_see_the_same_motion() {
    use catwalk_cloth::Sphere;
    let make = || {
        let mesh = PatternMesh::grid(15, 15, |u, v| Vec2::new(0.4 * u, 0.4 * v));
        let placed = mesh
            .rest
            .iter()
            .map(|r| Vec3::new(r.x - 0.2, 0.5, r.y - 0.2))
            .collect();
        ClothBuilder::new(mesh.rest, placed, mesh.triangles)
            .build()
            .expect("cloth")
    };
    let (mut first, mut second) = (make(), make());
    let mut colliders = ColliderSet::new();
    let ball = colliders.add_sphere(Sphere {
        center: Vec3::new(0.0, 0.2, 0.0),
        radius: 0.1,
    });
    for frame in 1..=30 {
        // The ball rises fast through the sheets: interpolation across substeps matters.
        colliders.move_sphere(ball, Vec3::new(0.0, 0.2 + 0.02 * frame as f32, 0.0));
        first.step(1.0 / 60.0, &colliders).expect("step");
        second.step(1.0 / 60.0, &colliders).expect("step");
    }
    assert_eq!(first.positions(), second.positions());
    assert!(first.max_penetration(&colliders) <= 0.002);
}
