//! Capture checks and bounded decoding of the photo pipeline, on synthetic photos of known
//! bodies (rendered by the tests) matted by MODNet through ONNX Runtime. Every rejection the
//! pipeline promises has a test here; the tests fail (not skip) when `tools/fetch-onnx.sh`
//! has not been run.

mod support;

use std::sync::OnceLock;

use catwalk_avatar::BodyParams;
use catwalk_avatar::photo::dataset::{Shot, shot_views, stature};
use catwalk_avatar::photo::matte::default_modnet_path;
use catwalk_avatar::photo::synthetic::{Look, render_photo};
use catwalk_avatar::photo::{
    CaptureError, CheckLimits, DecodeLimits, MattingModel, OnnxRuntime, View, check_capture,
    decode_photo,
};
use glam::{Quat, Vec3};
use image::RgbImage;

fn matting() -> &'static MattingModel {
    static MODEL: OnceLock<MattingModel> = OnceLock::new();
    MODEL.get_or_init(|| {
        let runtime = OnnxRuntime::load_default().unwrap_or_else(|e| panic!("{e}"));
        MattingModel::load(&runtime, &default_modnet_path(), 512, 2, 1)
            .unwrap_or_else(|e| panic!("{e}"))
    })
}

/// A standard shot: arms 25 degrees out, camera 2.8 m away at chest height.
fn shot(arms: f32) -> Shot {
    Shot {
        arms_degrees: arms,
        legs_degrees: 2.0,
        distance: 2.8,
        camera_height: 0.55,
        yaw_degrees: 0.0,
    }
}

/// Renders a photo of the average woman; `adjust` may change the front-view vertices and the
/// camera before rendering.
fn photo(
    arms: f32,
    adjust: impl Fn(&mut Vec<Vec3>, &mut catwalk_avatar::render::Camera),
) -> RgbImage {
    let (model, _) = support::model();
    let rest = model.build(&BodyParams::average(1.0)).expect("body");
    let ([mut front, _], mut camera) = shot_views(model, &rest, &shot(arms));
    adjust(&mut front, &mut camera);
    render_photo(
        &front,
        &model.triangles,
        &camera,
        600,
        900,
        &Look::studio(stature(&rest) as f32),
    )
}

fn check(image: &RgbImage, view: View) -> Result<(), CaptureError> {
    let matte = matting().matte(image).expect("matting runs");
    check_capture(&matte, view, &CheckLimits::default()).map(|_| ())
}

fn png(image: &RgbImage) -> Vec<u8> {
    let mut bytes = Vec::new();
    image
        .write_to(
            &mut std::io::Cursor::new(&mut bytes),
            image::ImageFormat::Png,
        )
        .expect("png");
    bytes
}

#[test]
fn a_good_front_photo_passes_every_check() {
    let image = photo(25.0, |_, _| {});
    assert_eq!(check(&image, View::Front), Ok(()));
    let decoded =
        decode_photo(&png(&image), View::Front, &DecodeLimits::default()).expect("decodes");
    assert_eq!(decoded.dimensions(), (600, 900));
}

#[test]
fn an_empty_room_has_no_person() {
    let image = RgbImage::from_pixel(600, 900, image::Rgb([206, 208, 212]));
    assert!(matches!(
        check(&image, View::Front),
        Err(CaptureError::NoPerson { .. })
    ));
}

#[test]
fn two_people_are_refused() {
    let (model, _) = support::model();
    let rest = model.build(&BodyParams::average(0.0)).expect("body");
    let ([front, _], mut camera) = shot_views(model, &rest, &shot(25.0));
    // Two copies of the body side by side, one mesh each.
    let mut both: Vec<Vec3> = front
        .iter()
        .map(|&v| v + Vec3::new(-0.55, 0.0, 0.0))
        .collect();
    both.extend(front.iter().map(|&v| v + Vec3::new(0.55, 0.0, 0.0)));
    let offset = front.len() as u32;
    let mut triangles = model.triangles.clone();
    triangles.extend(model.triangles.iter().map(|t| t.map(|i| i + offset)));
    camera.eye.z += 1.6;
    let image = render_photo(
        &both,
        &triangles,
        &camera,
        900,
        900,
        &Look::studio(stature(&rest) as f32),
    );
    let result = check(&image, View::Front);
    assert!(
        matches!(result, Err(CaptureError::MultiplePeople { count: 2, .. })),
        "{result:?}"
    );
}

#[test]
fn a_cut_off_head_is_refused() {
    let image = photo(25.0, |_, camera| {
        camera.target.y -= 0.45;
        camera.eye.y -= 0.45;
    });
    assert!(matches!(
        check(&image, View::Front),
        Err(CaptureError::HeadCutOff { .. })
    ));
}

#[test]
fn cut_off_feet_are_refused() {
    let image = photo(25.0, |_, camera| {
        camera.target.y += 0.45;
        camera.eye.y += 0.45;
    });
    assert!(matches!(
        check(&image, View::Front),
        Err(CaptureError::FeetCutOff { .. })
    ));
}

#[test]
fn arms_against_or_close_to_the_body_are_refused_in_the_front_view_only() {
    for arms in [0.0, 6.0] {
        let image = photo(arms, |_, _| {});
        assert_eq!(
            check(&image, View::Front),
            Err(CaptureError::ArmsAgainstBody),
            "arms at {arms} degrees"
        );
    }
    // Seen from the side, arms always overlap the body; that is not a fault.
    let (model, _) = support::model();
    let rest = model.build(&BodyParams::average(1.0)).expect("body");
    let ([_, side], camera) = shot_views(model, &rest, &shot(25.0));
    let image = render_photo(
        &side,
        &model.triangles,
        &camera,
        600,
        900,
        &Look::studio(stature(&rest) as f32),
    );
    assert_eq!(check(&image, View::Side), Ok(()));
}

#[test]
fn a_tilted_camera_is_refused() {
    let image = photo(25.0, |_, camera| {
        camera.up = Quat::from_rotation_z(25f32.to_radians()) * Vec3::Y;
    });
    let result = check(&image, View::Front);
    assert!(
        matches!(result, Err(CaptureError::CameraTilt { .. })),
        "{result:?}"
    );
}

#[test]
fn unreadable_truncated_small_and_bomb_files_are_refused_before_decoding() {
    let limits = DecodeLimits::default();
    let noise: Vec<u8> = (0..5000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let e = decode_photo(&noise, View::Front, &limits).expect_err("refused");
    assert_eq!(e.code(), "unreadable", "{e}");

    let full = png(&photo(25.0, |_, _| {}));
    let e = decode_photo(&full[..full.len() * 6 / 10], View::Side, &limits).expect_err("refused");
    assert_eq!(e.code(), "truncated", "{e}");
    assert!(e.to_string().contains("side photo"));

    let tiny = png(&RgbImage::new(200, 300));
    let e = decode_photo(&tiny, View::Front, &limits).expect_err("refused");
    assert_eq!(e.code(), "photo_too_small", "{e}");

    let e = decode_photo(&declare_size(&tiny, 60_000, 60_000), View::Front, &limits)
        .expect_err("refused");
    assert_eq!(e.code(), "too_large", "{e}");
    // Within the side limit but with more pixels than the decoder may allocate.
    let tight = DecodeLimits {
        max_alloc: 1024 * 1024,
        ..limits
    };
    let e =
        decode_photo(&declare_size(&tiny, 4000, 4000), View::Front, &tight).expect_err("refused");
    assert_eq!(e.code(), "too_large", "{e}");
}

/// Rewrites a PNG's header to declare `width` x `height` (fixing the chunk's CRC), as a
/// decompression bomb would.
fn declare_size(png: &[u8], width: u32, height: u32) -> Vec<u8> {
    let mut out = png.to_vec();
    out[16..20].copy_from_slice(&width.to_be_bytes());
    out[20..24].copy_from_slice(&height.to_be_bytes());
    let crc = crc32(&out[12..29]);
    out[29..33].copy_from_slice(&crc.to_be_bytes());
    out
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xffff_ffffu32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xedb8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

#[test]
fn the_arm_angle_is_read_from_the_matte() {
    use catwalk_avatar::photo::checks::arm_angle_degrees;
    let (model, _) = support::model();
    for (gender, weight) in [(0.0, 0.2), (1.0, 0.9)] {
        let mut params = BodyParams::average(gender);
        params.phenotype.weight = weight;
        let rest = model.build(&params).expect("body");
        for arms in [16.0f32, 30.0] {
            let ([front, _], camera) = shot_views(model, &rest, &shot(arms));
            let image = render_photo(
                &front,
                &model.triangles,
                &camera,
                600,
                900,
                &Look::studio(1.7),
            );
            let matte = matting().matte(&image).expect("matting runs");
            let angle = arm_angle_degrees(&matte, &matte.figures()[0]).expect("arms apart");
            assert!(
                (angle - arms).abs() < 2.5,
                "gender {gender} weight {weight}: {angle} vs {arms}"
            );
        }
    }
}
