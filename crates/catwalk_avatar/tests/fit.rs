//! The inverse: measurements of known bodies are recovered by the fit; bad input is rejected
//! with a clear error; the photo path's girth refinement moves a body onto given girths.

mod support;

use catwalk_avatar::fit::{FitError, Gender, MeasurementTargets};
use catwalk_avatar::{BodyParams, fit_measurements, measure};

/// A small deterministic generator (xorshift) for random bodies.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> f64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
    fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.next()
    }
}

#[test]
fn fit_recovers_the_measurements_of_random_bodies() {
    let (model, lm) = support::model();
    let mut rng = Rng(0x5eed_cafe_f00d);
    for case in 0..4 {
        let gender = if case % 2 == 0 {
            Gender::Female
        } else {
            Gender::Male
        };
        let mut p = BodyParams::average(if gender == Gender::Female { 1.0 } else { 0.0 });
        p.phenotype.muscle = rng.range(0.2, 0.8);
        p.phenotype.weight = rng.range(0.15, 0.85);
        p.phenotype.height = rng.range(0.2, 0.8);
        p.phenotype.proportions = rng.range(0.2, 0.8);
        p.local
            .insert("measure-waist-circ".into(), rng.range(-0.4, 0.4));
        p.local
            .insert("measure-hips-circ".into(), rng.range(-0.4, 0.4));
        let rest = model.build(&p).expect("build");
        let truth = measure(lm, &rest).expect("measure").0;
        let targets = MeasurementTargets::from_measurements(gender, &truth);
        let report = fit_measurements(model, lm, &targets).expect("fit");
        for (i, r) in report.residuals_cm.iter().enumerate() {
            let r = r.expect("every measurement was given");
            assert!(
                r.abs() < 0.5,
                "case {case}: measurement {i} off by {r:.2} cm; {report:?}"
            );
        }
        // Height is governed by the height phenotype: it is recovered closely.
        assert!(
            (report.params.phenotype.height - p.phenotype.height).abs() < 0.1,
            "case {case}: height {} vs {}",
            report.params.phenotype.height,
            p.phenotype.height
        );
    }
}

#[test]
fn fit_with_only_some_measurements_matches_those() {
    let (model, lm) = support::model();
    let targets: MeasurementTargets = serde_json::from_str(
        r#"{ "gender": "female", "height": 165, "bust": 90, "waist": 72, "hip": 100 }"#,
    )
    .expect("json");
    let report = fit_measurements(model, lm, &targets).expect("fit");
    for (i, r) in report.residuals_cm.iter().enumerate() {
        match i {
            0 | 1 | 3 | 4 => assert!(r.expect("given").abs() < 0.5, "{report:?}"),
            _ => assert!(r.is_none()),
        }
    }
}

#[test]
fn impossible_measurements_are_rejected_with_a_clear_error() {
    let (model, lm) = support::model();
    let parse = |s: &str| -> MeasurementTargets { serde_json::from_str(s).expect("json") };
    let err = fit_measurements(model, lm, &parse(r#"{ "gender": "male", "height": 1.8 }"#))
        .expect_err("metres instead of cm");
    assert!(matches!(err, FitError::OutOfRange { .. }), "{err}");
    assert!(err.to_string().contains("height") && err.to_string().contains("centimetres"));
    let err = fit_measurements(
        model,
        lm,
        &parse(r#"{ "gender": "female", "height": 170, "bust": 80, "underbust": 95 }"#),
    )
    .expect_err("under-bust above bust");
    assert!(err.to_string().contains("under-bust"), "{err}");
    let err = fit_measurements(
        model,
        lm,
        &parse(r#"{ "gender": "female", "height": 170, "inseam": 100 }"#),
    )
    .expect_err("inseam too long");
    assert!(err.to_string().contains("inseam"), "{err}");
    assert!(
        serde_json::from_str::<MeasurementTargets>(
            r#"{ "gender": "female", "height": 170, "wasit": 70 }"#
        )
        .is_err(),
        "misspelt fields are refused"
    );
}

#[test]
fn girth_refinement_moves_a_body_onto_predicted_girths() {
    use catwalk_avatar::photo::refine_girths;
    let (model, landmarks) = support::model();
    // The true body and its measurements.
    let mut truth = BodyParams::average(1.0);
    truth.phenotype.weight = 0.7;
    truth.phenotype.height = 0.6;
    truth.local.insert("measure-bust-circ".into(), 0.35);
    truth.local.insert("measure-waist-circ".into(), -0.25);
    truth.local.insert("measure-thigh-circ".into(), 0.2);
    let body = model.build(&truth).expect("build");
    let (m, _) = measure(landmarks, &body).expect("measure");
    let target = m.to_array();
    // A guess with the girth changes wrong.
    let mut guess = truth.clone();
    guess.local.insert("measure-bust-circ".into(), -0.1);
    guess.local.insert("measure-waist-circ".into(), 0.2);
    guess.local.insert("measure-hips-circ".into(), 0.3);
    guess.local.insert("measure-thigh-circ".into(), -0.2);
    let guess_body = model.build(&guess).expect("build");
    let (guessed, _) = measure(landmarks, &guess_body).expect("measure");
    assert!((guessed.bust - m.bust).abs() > 1.0, "the guess starts off");
    let (params, _, refined, report) =
        refine_girths(model, landmarks, (guess, guess_body), &target, m.height).expect("refine");
    for (k, name) in [
        (1, "bust"),
        (3, "waist"),
        (4, "hip"),
        (8, "neck"),
        (9, "thigh"),
    ] {
        let error = (refined.to_array()[k] - target[k]).abs();
        assert!(error < 0.2, "{name} off by {error:.2} cm after refinement");
    }
    assert!(
        (refined.height - m.height).abs() < 0.2,
        "the height is kept"
    );
    assert!(
        (params.local["measure-bust-circ"] - 0.35).abs() < 0.05,
        "the bust change is recovered: {:?}",
        params.local
    );
    assert!(
        report.worst_residual_cm < 0.2 && report.evaluations <= 20,
        "{report:?}"
    );
}
