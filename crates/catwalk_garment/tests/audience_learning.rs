//! Learning from the audience: a simulated audience with a hidden taste rates the designs
//! it is shown; after a few rounds the model's proposals please it more than random valid
//! designs, and the model is surer near what it has seen than far from it.

use std::collections::BTreeMap;

use catwalk_garment::audience::{
    AudienceError, AudienceResponse, ModelPrior, PreferenceModel, ProposalOptions,
};
use catwalk_garment::design::{
    DesignAxes, DesignBrief, DesignCandidate, DesignRng, DesignSampler, FabricPreset, GarmentKind,
    NecklineShape, Palette, StyleKeyword,
};

/// The audience's hidden taste in `[0, 1]`: knee length, moderate flare, dark colours.
fn taste(c: &DesignCandidate) -> f64 {
    let a = c.axes;
    (0.95
        - 3.0 * (a.length - 0.4).powi(2)
        - 3.0 * (a.silhouette - 0.45).powi(2)
        - 0.5 * c.colour.lightness())
    .clamp(0.0, 1.0)
}

/// What 80 viewers do: half rate it (stars around 1 + 4 × taste, noisy), some want one.
fn show(c: &DesignCandidate, rng: &mut DesignRng) -> AudienceResponse {
    let t = taste(c);
    let mut r = AudienceResponse {
        viewers: 80,
        ..AudienceResponse::default()
    };
    let sizes = ["XS", "S", "M", "L", "XL"];
    for viewer in 0..r.viewers {
        if viewer % 2 == 0 {
            let stars = (1.0 + 4.0 * t + 1.0 * rng.normal()).round().clamp(1.0, 5.0);
            r.histogram[stars as usize - 1] += 1;
        }
        if rng.uniform() < 0.25 * t {
            *r.intents
                .entry(sizes[rng.below(5)].to_string())
                .or_default() += 1;
        }
    }
    r
}

fn brief() -> DesignBrief {
    let palette: Palette = "#111111,#1F2A44,#802030,#1B7F5B,#D8C3A5,#F5EEDC,#87CEEB,#F2C4CE"
        .parse()
        .expect("palette");
    let mut b = DesignBrief::new(palette);
    b.garment = Some(GarmentKind::Skirt);
    b
}

fn mean(xs: impl Iterator<Item = f64>) -> f64 {
    let v: Vec<f64> = xs.collect();
    v.iter().sum::<f64>() / v.len() as f64
}

#[test]
fn proposals_please_a_simulated_audience_more_than_random_designs() {
    let sampler = DesignSampler::new(&brief());
    let (mut proposed_total, mut random_total) = (0.0, 0.0);
    let seeds = 4;
    for seed in 0..seeds {
        let mut rng = DesignRng::seeded(1000 + seed);
        let mut shown: Vec<(DesignCandidate, AudienceResponse)> = sampler
            .pool(8, &mut rng)
            .expect("draws")
            .into_iter()
            .map(|c| {
                let r = show(&c, &mut rng);
                (c, r)
            })
            .collect();
        for round in 0..3 {
            let model = PreferenceModel::fit(&shown, ModelPrior::default()).expect("fits");
            let options = ProposalOptions {
                pool_size: 150,
                kappa: 1.0,
                seed: seed * 10 + round,
            };
            for p in model.propose(&sampler, 4, options).expect("proposes") {
                let r = show(&p.candidate, &mut rng);
                shown.push((p.candidate, r));
            }
        }
        let model = PreferenceModel::fit(&shown, ModelPrior::default()).expect("fits");
        let options = ProposalOptions {
            pool_size: 150,
            kappa: 0.0,
            seed: 99 + seed,
        };
        let proposals = model.propose(&sampler, 4, options).expect("proposes");
        assert_eq!(proposals.len(), 4);
        for p in &proposals {
            assert!(p.uncertainty > 0.0 && p.expected_score.is_finite());
            assert_eq!(p.acquisition, p.expected_score);
        }
        proposed_total += mean(proposals.iter().map(|p| taste(&p.candidate)));
        let random = sampler.pool(40, &mut rng).expect("draws");
        random_total += mean(random.iter().map(taste));
    }
    let (proposed, random) = (proposed_total / seeds as f64, random_total / seeds as f64);
    eprintln!("proposals' true taste {proposed:.3} vs random {random:.3}");
    assert!(
        proposed > random + 0.2,
        "proposals' true taste {proposed:.3} vs random {random:.3}"
    );
}

#[test]
fn uncertainty_is_lower_near_observed_designs() {
    let mut b = brief();
    b.keywords = vec![StyleKeyword::Office];
    b.fabric = Some(FabricPreset::WoolSuiting);
    let sampler = DesignSampler::new(&b);
    let mut rng = DesignRng::seeded(7);
    let shown: Vec<(DesignCandidate, AudienceResponse)> = sampler
        .pool(12, &mut rng)
        .expect("draws")
        .into_iter()
        .map(|c| {
            let r = show(&c, &mut rng);
            (c, r)
        })
        .collect();
    let model = PreferenceModel::fit(&shown, ModelPrior::default()).expect("fits");
    let near = mean(shown.iter().map(|(c, _)| model.predict(c).uncertainty));
    let far = DesignCandidate::new(
        GarmentKind::Skirt,
        DesignAxes {
            length: 1.0,
            silhouette: 1.0,
            fit: 1.0,
            waist_drop: 1.0,
            neckline_depth: 1.0,
            sleeve: 0.0,
        },
        NecklineShape::V,
        "#F5EEDC".parse().expect("colour"),
        FabricPreset::SilkChiffon,
        &[],
    );
    let far = model.predict(&far).uncertainty;
    assert!(far > 3.0 * near, "near {near:.4}, far {far:.4}");
}

#[test]
fn the_model_recovers_a_clear_preference() {
    // Shown the same skirt in black and in ivory many times, an audience that prefers dark
    // colours makes the model expect more of the black one.
    let sampler = DesignSampler::new(&brief());
    let mut rng = DesignRng::seeded(3);
    let shown: Vec<_> = sampler
        .pool(30, &mut rng)
        .expect("draws")
        .into_iter()
        .map(|c| {
            let r = show(&c, &mut rng);
            (c, r)
        })
        .collect();
    let model = PreferenceModel::fit(&shown, ModelPrior::default()).expect("fits");
    assert_eq!(model.observations(), 30);
    let with = |colour: &str| {
        let mut c = shown[0].0.clone();
        c.colour = colour.parse().expect("colour");
        model.predict(&c).expected
    };
    assert!(with("#111111") > with("#F5EEDC") + 0.05);
}

#[test]
fn fitting_nothing_says_what_to_do() {
    let e = PreferenceModel::fit(&[], ModelPrior::default()).expect_err("no data");
    assert_eq!(e, AudienceError::NoObservations);
    assert!(e.to_string().contains("show some designs"));
    let r = AudienceResponse {
        histogram: [0, 0, 1, 0, 0],
        intents: BTreeMap::new(),
        viewers: 1,
    };
    assert_eq!(r.mean_stars(), 3.0);
}
