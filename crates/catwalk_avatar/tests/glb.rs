//! The exported .glb passes the Khronos glTF validator (`tools/gltf-validator`, set up by
//! `npm ci` there). The test fails, not skips, when node or the validator is missing.

mod support;

use std::path::PathBuf;
use std::process::Command;

use catwalk_avatar::BodyParams;
use catwalk_avatar::gltf::{encode_glb, write_glb};

fn validator_dir() -> PathBuf {
    // Read when the test runs, so a binary from a shared build cache looks in this checkout.
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")))
        .join("../../tools/gltf-validator")
}

#[test]
fn exported_glb_passes_the_khronos_validator() {
    let (model, _) = support::model();
    let dir = tempfile::tempdir().expect("tempdir");
    let mut files = Vec::new();
    for (name, gender, weight) in [("female", 1.0, 0.3), ("male", 0.0, 0.8)] {
        let mut p = BodyParams::average(gender);
        p.phenotype.weight = weight;
        let rest = model.build(&p).expect("build");
        let path = dir.path().join(format!("{name}.glb"));
        write_glb(&path, model, &rest, name).expect("write");
        files.push(path);
    }
    let script = validator_dir().join("validate.mjs");
    assert!(
        validator_dir().join("node_modules/gltf-validator").is_dir(),
        "the glTF validator is not installed: run `npm ci --prefix tools/gltf-validator`"
    );
    let out = Command::new("node")
        .arg(&script)
        .arg("--strict")
        .args(&files)
        .output()
        .expect("node must be installed to validate glTF files");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "validator failed:\n{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains("0 errors, 0 warnings"), "{text}");
}

#[test]
fn glb_has_a_valid_container_and_skin() {
    let (model, _) = support::model();
    let rest = model.build(&BodyParams::average(1.0)).expect("build");
    let bytes = encode_glb(model, &rest, "body").expect("encode");
    assert_eq!(&bytes[..4], b"glTF");
    let total = u32::from_le_bytes([bytes[8], bytes[9], bytes[10], bytes[11]]) as usize;
    assert_eq!(total, bytes.len());
    let json_len = u32::from_le_bytes([bytes[12], bytes[13], bytes[14], bytes[15]]) as usize;
    assert_eq!(json_len % 4, 0);
    let doc: serde_json::Value = serde_json::from_slice(&bytes[20..20 + json_len]).expect("json");
    assert_eq!(
        doc["skins"][0]["joints"].as_array().map(Vec::len),
        Some(model.skeleton.len())
    );
    let mut wrong = rest.clone();
    wrong.vertices.pop();
    assert!(encode_glb(model, &wrong, "body").is_err());
}
