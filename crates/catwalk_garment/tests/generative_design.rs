//! Generative design: every candidate drafts and meshes, candidates are spread out,
//! keywords move the designs the way the vocabulary says, and a seed fixes the output.

use catwalk_garment::design::generate::farthest_points;
use catwalk_garment::design::{
    BriefError, DesignBrief, DesignCandidate, DesignRng, DesignSampler, FabricPreset, Fit,
    GarmentKind, Palette, StyleKeyword, generate,
};
use catwalk_garment::{BodyMeasurements, GarmentMesh, MeshOptions};

fn brief(garment: Option<GarmentKind>, keywords: &[StyleKeyword]) -> DesignBrief {
    let mut b = DesignBrief::new(Palette::named("jewel").expect("known palette"));
    b.garment = garment;
    b.keywords = keywords.to_vec();
    b
}

fn min_pairwise_distance(c: &[DesignCandidate]) -> f64 {
    let mut min = f64::INFINITY;
    for i in 0..c.len() {
        for j in i + 1..c.len() {
            min = min.min(c[i].distance(&c[j]));
        }
    }
    min
}

#[test]
fn every_candidate_drafts_and_meshes() {
    let body = BodyMeasurements::average();
    let options = MeshOptions {
        target_edge_cm: 5.0,
        ..MeshOptions::default()
    };
    for keywords in [
        vec![StyleKeyword::Evening],
        vec![StyleKeyword::Office, StyleKeyword::Minimal],
        vec![StyleKeyword::Street],
    ] {
        let candidates = generate(&brief(None, &keywords), 5, 11).expect("generates");
        assert_eq!(candidates.len(), 5);
        for c in &candidates {
            let pattern = c.pattern(&body).expect("drafts");
            pattern.validate().expect("valid");
            assert!(
                pattern
                    .panels
                    .iter()
                    .all(|p| p.cutting.fabric.as_deref() == Some(c.fabric.label()))
            );
            GarmentMesh::from_pattern(&pattern, &options)
                .unwrap_or_else(|e| panic!("{}: does not mesh: {e}", c.description));
            assert!(!c.description.is_empty());
        }
    }
}

#[test]
fn candidates_are_more_diverse_than_random_draws() {
    let mut selected = 0.0;
    let mut random = 0.0;
    for seed in 0..4 {
        let b = brief(None, &[StyleKeyword::Casual]);
        let chosen = generate(&b, 6, seed).expect("generates");
        let d = min_pairwise_distance(&chosen);
        assert!(d > 0.3, "seed {seed}: two candidates only {d:.3} apart");
        selected += d;
        let sampler = DesignSampler::new(&b);
        let mut rng = DesignRng::seeded(seed);
        random += min_pairwise_distance(&sampler.pool(6, &mut rng).expect("draws"));
    }
    assert!(
        selected > 1.5 * random,
        "farthest-point {selected:.3} vs random {random:.3}"
    );
}

#[test]
fn farthest_point_selection_skips_near_duplicates() {
    let b = brief(Some(GarmentKind::Skirt), &[]);
    let sampler = DesignSampler::new(&b);
    let mut rng = DesignRng::seeded(3);
    let one = sampler.draw_valid(&mut rng).expect("draws");
    let other = sampler.draw_valid(&mut rng).expect("draws");
    let pool = vec![one.clone(), one.clone(), one.clone(), other.clone()];
    let chosen = farthest_points(pool, 2);
    assert_eq!(chosen, vec![one, other]);
}

fn mean_axes(keywords: &[StyleKeyword], garment: GarmentKind) -> (f64, f64, f64, f64) {
    let sampler = DesignSampler::new(&brief(Some(garment), keywords));
    let mut rng = DesignRng::seeded(5);
    let pool = sampler.pool(60, &mut rng).expect("draws");
    let n = pool.len() as f64;
    let mean = |f: &dyn Fn(&DesignCandidate) -> f64| pool.iter().map(f).sum::<f64>() / n;
    (
        mean(&|c| c.axes.length),
        mean(&|c| c.axes.silhouette),
        mean(&|c| f64::from(u8::from(c.fabric == FabricPreset::WoolSuiting))),
        mean(&|c| c.colour.lightness()),
    )
}

#[test]
fn keywords_shift_the_design_parameters() {
    let (evening_len, evening_flare, _, evening_light) =
        mean_axes(&[StyleKeyword::Evening], GarmentKind::Skirt);
    let (office_len, office_flare, office_wool, _) =
        mean_axes(&[StyleKeyword::Office], GarmentKind::Skirt);
    let (neutral_len, neutral_flare, neutral_wool, neutral_light) =
        mean_axes(&[], GarmentKind::Skirt);
    let (wedding_len, _, _, wedding_light) =
        mean_axes(&[StyleKeyword::Wedding], GarmentKind::Dress);
    assert!(
        evening_len > neutral_len + 0.15,
        "{evening_len} vs {neutral_len}"
    );
    assert!(
        evening_flare > neutral_flare + 0.05,
        "{evening_flare} vs {neutral_flare}"
    );
    assert!(office_len < evening_len - 0.25);
    assert!(
        office_flare < neutral_flare - 0.2,
        "{office_flare} vs {neutral_flare}"
    );
    assert!(
        office_wool > neutral_wool + 0.3,
        "{office_wool} vs {neutral_wool}"
    );
    assert!(evening_light < neutral_light - 0.05);
    assert!(wedding_light > neutral_light + 0.1);
    assert!(wedding_len > 0.7);
}

#[test]
fn office_skirts_are_knee_length_pencils_in_wool() {
    let mut b = brief(Some(GarmentKind::Skirt), &[StyleKeyword::Office]);
    b.palette = "#1F2A44".parse().expect("one colour");
    b.fit = Some(Fit::Slim);
    let candidates = generate(&b, 3, 2).expect("generates");
    let pencils = candidates
        .iter()
        .filter(|c| c.description.contains("pencil"))
        .count();
    assert!(pencils >= 1, "{candidates:#?}");
    for c in &candidates {
        assert!(c.description.contains("navy"), "{}", c.description);
        assert!(
            c.description.contains("slim fit, for the office"),
            "{}",
            c.description
        );
        assert!(c.axes.fit <= 1.0 / 3.0);
    }
}

#[test]
fn fabric_and_garment_preferences_are_kept() {
    let mut b = brief(Some(GarmentKind::Trousers), &[StyleKeyword::Evening]);
    b.fabric = Some(FabricPreset::Denim);
    for c in generate(&b, 4, 9).expect("generates") {
        assert_eq!(c.kind, GarmentKind::Trousers);
        assert_eq!(c.fabric, FabricPreset::Denim);
        assert!(c.description.contains("trousers") || c.description.contains("shorts"));
    }
}

#[test]
fn same_seed_same_designs() {
    let b = brief(None, &[StyleKeyword::Party, StyleKeyword::Romantic]);
    let a = generate(&b, 4, 42).expect("generates");
    assert_eq!(a, generate(&b, 4, 42).expect("generates"));
    assert_ne!(a, generate(&b, 4, 43).expect("generates"));
}

#[test]
fn unknown_keyword_lists_the_vocabulary() {
    let e = DesignBrief::parse("skirt", &["office", "gala"], "neutrals", "", "")
        .expect_err("gala is not a keyword");
    assert!(matches!(e, BriefError::UnknownKeyword { .. }));
    assert_eq!(
        e.to_string(),
        "unknown style keyword \"gala\"; use one of: evening, office, casual, party, wedding, \
         minimal, romantic, sporty, street"
    );
    let b = DesignBrief::parse(
        "any",
        &["Evening"],
        "#802030,#111111",
        "slim",
        "silk_charmeuse",
    )
    .expect("parses");
    assert_eq!(b.garment, None);
    assert_eq!(b.fabric, Some(FabricPreset::SilkCharmeuse));
    assert_eq!(b.palette.colours().len(), 2);
}
