//! Silhouette rendering: front and side masks of a posed body have the body's proportions.

mod support;

use catwalk_avatar::render::{Camera, render_silhouette};
use catwalk_avatar::{BodyParams, Pose, pose_body};

fn rows_and_cols(mask: &catwalk_avatar::render::Mask) -> (usize, usize, usize, usize) {
    let (mut top, mut bottom, mut left, mut right) = (usize::MAX, 0, usize::MAX, 0);
    for y in 0..mask.height {
        for x in 0..mask.width {
            if mask.get(x, y) {
                top = top.min(y);
                bottom = bottom.max(y);
                left = left.min(x);
                right = right.max(x);
            }
        }
    }
    (top, bottom, left, right)
}

#[test]
fn front_and_side_silhouettes_have_the_bodys_extent() {
    let (model, lm) = support::model();
    let rest = model.build(&BodyParams::average(1.0)).expect("build");
    let m = catwalk_avatar::measure(lm, &rest).expect("measure").0;
    let posed = pose_body(model, &rest, &Pose::arms_out(&model.skeleton, 20.0));
    let (w, h) = (200, 400);
    let span = 2.0f32; // metres shown vertically: 200 px per metre
    let front = render_silhouette(
        &posed.vertices,
        &model.triangles,
        &Camera::front(span),
        w,
        h,
    );
    let side = render_silhouette(&posed.vertices, &model.triangles, &Camera::side(span), w, h);
    for mask in [&front, &side] {
        let (top, bottom, _, _) = rows_and_cols(mask);
        let pixels_tall = (bottom - top + 1) as f64;
        let expected = m.height / 100.0 * (h as f64 / f64::from(span));
        assert!(
            (pixels_tall - expected).abs() <= 3.0,
            "{pixels_tall} px vs {expected}"
        );
        // The camera shows y in [0, span]: the feet (y = 0) touch the bottom row.
        assert!(bottom >= h - 2, "feet at row {bottom} of {h}");
    }
    // Seen from the front the body (arms out) is wider than seen from the side.
    let (_, _, fl, fr) = rows_and_cols(&front);
    let (_, _, sl, sr) = rows_and_cols(&side);
    assert!(
        fr - fl > sr - sl + 20,
        "front {} px vs side {} px",
        fr - fl,
        sr - sl
    );
    // Raising the arms changes the front silhouette.
    let rest_pose = pose_body(model, &rest, &Pose::rest(&model.skeleton));
    let front_rest = render_silhouette(
        &rest_pose.vertices,
        &model.triangles,
        &Camera::front(span),
        w,
        h,
    );
    assert_ne!(front.pixels, front_rest.pixels);
    assert!(front.area() > 1000);
}
