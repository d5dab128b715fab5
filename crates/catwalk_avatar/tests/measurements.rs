//! Parameters → measurements: sanity, monotonicity and an independent check of the girths.

mod support;

use catwalk_avatar::measure::section;
use catwalk_avatar::model::BodyRegion;
use catwalk_avatar::{BodyParams, measure};
use glam::Vec2;

fn measure_params(p: &BodyParams) -> catwalk_avatar::Measurements {
    let (model, lm) = support::model();
    let rest = model.build(p).expect("build");
    measure(lm, &rest).expect("measure").0
}

#[test]
fn average_bodies_have_human_measurements() {
    for gender in [0.0, 1.0] {
        let m = measure_params(&BodyParams::average(gender));
        assert!((150.0..195.0).contains(&m.height), "{m:?}");
        assert!(m.bust > m.underbust && m.underbust > m.waist * 0.9, "{m:?}");
        assert!(m.hip > m.waist, "{m:?}");
        assert!((0.4..0.52).contains(&(m.inseam / m.height)), "{m:?}");
        assert!((0.28..0.40).contains(&(m.arm_length / m.height)), "{m:?}");
        assert!((25.0..50.0).contains(&m.shoulder_width), "{m:?}");
        assert!(m.thigh < m.hip * 0.75 && m.neck < m.waist, "{m:?}");
    }
    let f = measure_params(&BodyParams::average(1.0));
    let male = measure_params(&BodyParams::average(0.0));
    assert!(male.height > f.height && male.shoulder_width > f.shoulder_width);
    assert!(
        f.hip - f.waist > male.hip - male.waist,
        "women have the larger hip-to-waist drop"
    );
}

#[test]
fn more_weight_gives_a_larger_waist_and_taller_gives_a_taller_body() {
    for gender in [0.0, 1.0] {
        let mut prev: Option<catwalk_avatar::Measurements> = None;
        for w in [0.1, 0.4, 0.7, 1.0] {
            let mut p = BodyParams::average(gender);
            p.phenotype.weight = w;
            let m = measure_params(&p);
            if let Some(prev) = prev {
                assert!(
                    m.waist > prev.waist + 1.0,
                    "waist {} -> {}",
                    prev.waist,
                    m.waist
                );
                assert!(m.hip > prev.hip, "hip {} -> {}", prev.hip, m.hip);
            }
            prev = Some(m);
        }
        let mut prev = 0.0;
        for h in [0.0, 0.3, 0.6, 1.0] {
            let mut p = BodyParams::average(gender);
            p.phenotype.height = h;
            let m = measure_params(&p);
            assert!(m.height > prev + 2.0, "height {prev} -> {}", m.height);
            prev = m.height;
        }
    }
}

#[test]
fn height_is_the_vertical_extent_with_feet_on_the_floor() {
    let (model, lm) = support::model();
    let rest = model.build(&BodyParams::average(1.0)).expect("build");
    let lo = rest
        .vertices
        .iter()
        .map(|p| p.y)
        .fold(f32::INFINITY, f32::min);
    let hi = rest
        .vertices
        .iter()
        .map(|p| p.y)
        .fold(f32::NEG_INFINITY, f32::max);
    assert!(lo.abs() < 1e-6, "feet on the floor");
    let m = measure(lm, &rest).expect("measure").0;
    assert!((m.height - f64::from(hi) * 100.0).abs() < 1e-3);
}

/// Independent girth: brute-force all pairwise triangle-edge crossings of torso triangles,
/// then the hull by gift wrapping (a different algorithm from the library's).
fn gift_wrap_perimeter(points: &[Vec2]) -> f32 {
    let start = points
        .iter()
        .copied()
        .min_by(|a, b| a.x.total_cmp(&b.x).then(a.y.total_cmp(&b.y)))
        .expect("points");
    let mut hull = vec![start];
    let mut current = start;
    loop {
        let mut next = points[0];
        for &p in points {
            if next == current {
                next = p;
                continue;
            }
            let c = (next - current).perp_dot(p - current);
            if c < 0.0 || (c == 0.0 && current.distance(p) > current.distance(next)) {
                next = p;
            }
        }
        if next == start || hull.len() > points.len() {
            break;
        }
        hull.push(next);
        current = next;
    }
    (0..hull.len())
        .map(|i| hull[i].distance(hull[(i + 1) % hull.len()]))
        .sum()
}

#[test]
fn waist_girth_matches_an_independent_computation() {
    let (model, lm) = support::model();
    let mut p = BodyParams::average(1.0);
    p.phenotype.weight = 0.7;
    let rest = model.build(&p).expect("build");
    let (m, levels) = measure(lm, &rest).expect("measure");
    let level = (levels.waist / 100.0) as f32;
    let mut pts = Vec::new();
    for t in &model.triangles {
        if !t
            .iter()
            .all(|&v| model.regions[v as usize] == BodyRegion::Torso)
        {
            continue;
        }
        for k in 0..3 {
            let a = rest.vertices[t[k] as usize];
            let b = rest.vertices[t[(k + 1) % 3] as usize];
            if (a.y - level) * (b.y - level) < 0.0 {
                let s = (level - a.y) / (b.y - a.y);
                let q = a.lerp(b, s);
                pts.push(Vec2::new(q.x, q.z));
            }
        }
    }
    let independent = f64::from(gift_wrap_perimeter(&pts)) * 100.0;
    assert!(
        (independent - m.waist).abs() < 0.05,
        "{independent} vs {}",
        m.waist
    );
    // And the library's own section at the same level agrees with its hull.
    let lib = section::girth(&rest.vertices, &lm.torso, level);
    assert!((f64::from(lib) * 100.0 - m.waist).abs() < 0.05);
}

#[test]
fn local_changes_move_their_measurement() {
    let base = measure_params(&BodyParams::average(1.0));
    let mut p = BodyParams::average(1.0);
    p.local.insert("measure-waist-circ".into(), 0.8);
    let m = measure_params(&p);
    assert!(m.waist > base.waist + 1.0, "{} -> {}", base.waist, m.waist);
    let mut p = BodyParams::average(1.0);
    p.local.insert("no-such-change".into(), 0.5);
    let (model, _) = support::model();
    let err = model.build(&p).expect_err("unknown local change");
    assert!(err.to_string().contains("measure-waist-circ"), "{err}");
}
