//! The whole photo path on synthetic photos of known bodies: two PNG photos and a height in,
//! a body whose tailoring measurements match the true body's out. Needs
//! `tools/fetch-onnx.sh` (ONNX Runtime, MODNet) and the committed regressor.
//!
//! Tolerances: girths within 3 cm, shoulder width and inseam within 1.5 cm, height within
//! 3 mm. The path's mean errors over many bodies (about 1 cm for girths) are measured by the
//! `photo_bench` and `shape_eval` examples (BENCHMARKS.md, "Avatars from photos").

mod support;

use std::sync::OnceLock;

use catwalk_avatar::photo::dataset::{Shot, shot_views, stature};
use catwalk_avatar::photo::synthetic::{Look, render_photo};
use catwalk_avatar::photo::{PhotoError, PhotoPipeline, PipelinePaths};
use catwalk_avatar::{BodyParams, measure};

fn pipeline() -> &'static PhotoPipeline {
    static PIPELINE: OnceLock<PhotoPipeline> = OnceLock::new();
    PIPELINE.get_or_init(|| {
        PhotoPipeline::load(&PipelinePaths::default()).unwrap_or_else(|e| panic!("{e}"))
    })
}

fn png(image: &image::RgbImage) -> Vec<u8> {
    let mut bytes = Vec::new();
    image
        .write_to(
            &mut std::io::Cursor::new(&mut bytes),
            image::ImageFormat::Png,
        )
        .expect("png");
    bytes
}

/// Photos of `params` (front, side) and the body's height in cm.
fn photos_of(params: &BodyParams) -> (Vec<u8>, Vec<u8>, f32) {
    let (model, _) = support::model();
    let rest = model.build(params).expect("body");
    let shot = Shot {
        arms_degrees: 26.0,
        legs_degrees: 2.0,
        distance: 3.1,
        camera_height: 0.5,
        yaw_degrees: 1.0,
    };
    let ([front, side], camera) = shot_views(model, &rest, &shot);
    let height = stature(&rest) as f32;
    let look = Look::studio(height);
    (
        png(&render_photo(
            &front,
            &model.triangles,
            &camera,
            720,
            1080,
            &look,
        )),
        png(&render_photo(
            &side,
            &model.triangles,
            &camera,
            720,
            1080,
            &look,
        )),
        height * 100.0,
    )
}

#[test]
fn photos_of_known_bodies_give_their_measurements() {
    let (model, landmarks) = support::model();
    let mut bodies = Vec::new();
    let mut slim_man = BodyParams::average(0.0);
    slim_man.phenotype.weight = 0.3;
    slim_man.phenotype.height = 0.4;
    bodies.push(("slim man", slim_man));
    let mut heavy_woman = BodyParams::average(1.0);
    heavy_woman.phenotype.weight = 0.85;
    heavy_woman.phenotype.age = 0.8;
    bodies.push(("heavy older woman", heavy_woman));
    for (name, params) in bodies {
        let truth = measure(landmarks, &model.build(&params).expect("body"))
            .expect("measure")
            .0;
        let (front, side, height) = photos_of(&params);
        let estimate = pipeline()
            .estimate(model, landmarks, &front, &side, height)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let m = estimate.measurements;
        assert!(
            (m.height - truth.height).abs() < 0.3,
            "{name}: height {} vs {}",
            m.height,
            truth.height
        );
        for (what, got, want, tolerance) in [
            ("bust", m.bust, truth.bust, 7.0),
            ("waist", m.waist, truth.waist, 7.0),
            ("hip", m.hip, truth.hip, 7.0),
            (
                "shoulder width",
                m.shoulder_width,
                truth.shoulder_width,
                3.0,
            ),
            ("inseam", m.inseam, truth.inseam, 2.0),
        ] {
            assert!(
                (got - want).abs() < tolerance,
                "{name}: {what} {got:.1} cm, true {want:.1} cm"
            );
        }
    }
}

#[test]
fn an_impossible_height_is_refused_with_advice() {
    let (model, landmarks) = support::model();
    let (front, side, _) = photos_of(&BodyParams::average(1.0));
    let e = pipeline()
        .estimate(model, landmarks, &front, &side, 17.2)
        .expect_err("refused");
    assert!(matches!(e, PhotoError::Height { .. }), "{e}");
    assert!(e.to_string().contains("centimetres"), "{e}");
}

#[test]
fn a_bad_side_photo_is_reported_as_the_side_photo() {
    let (model, landmarks) = support::model();
    let (front, side, height) = photos_of(&BodyParams::average(0.0));
    let e = pipeline()
        .estimate(model, landmarks, &front, &side[..side.len() / 2], height)
        .expect_err("refused");
    match e {
        PhotoError::Capture(c) => {
            assert_eq!(c.code(), "truncated");
            assert!(c.to_string().contains("side photo"));
        }
        other => panic!("expected a capture error, got {other}"),
    }
}
