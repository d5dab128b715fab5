//! Reading and writing GarmentCode specification files: a hand-written fixture loads with
//! the geometry it describes, and writing it back and reading again changes nothing.

mod common;

use catwalk_garment::{EdgeShape, StitchDirection, from_json_str, read_file, to_json_string};

#[test]
fn fixture_loads_with_its_geometry() {
    let pattern = read_file(common::skirt_fixture()).expect("the fixture is a valid pattern");
    let names: Vec<&str> = pattern.panels.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["skirt_front", "skirt_back"], "panel_order is kept");
    assert_eq!(pattern.stitches.len(), 4);

    let front = pattern.panel("skirt_front").expect("front panel");
    // Hem: a 60 cm chord on a 60 cm radius is a 60° arc.
    let hem = front.edge_length(0).expect("hem geometry");
    assert!(
        (hem - 60.0 * std::f64::consts::FRAC_PI_3).abs() < 1e-9,
        "hem {hem}"
    );
    // The hem bulges down, away from the panel (right of its direction).
    let hem_mid = front.curve(0).expect("hem").point(0.5);
    assert!(hem_mid.y < 0.0);
    assert_eq!(front.cutting.fabric.as_deref(), Some("wool suiting"));
    assert_eq!(front.cutting.seam_allowance_cm, 1.5);
    assert_eq!(front.edge_groups["waist"], vec![3]);
    assert_eq!(front.edges[0].label.as_deref(), Some("hem"));

    // The back's waist uses the old bare-point curvature form.
    let back = pattern.panel("skirt_back").expect("back panel");
    assert!(matches!(back.edges[3].shape, EdgeShape::Quadratic { .. }));

    // Panels face each other across the body, so every side seam runs opposite.
    assert!(
        pattern
            .stitches
            .iter()
            .all(|s| s.direction == StitchDirection::Opposite)
    );
    let area = front.area().expect("area");
    assert!(area > 2500.0 && area < 3500.0, "front area {area}");
}

#[test]
fn write_then_read_gives_the_same_pattern() {
    let text = std::fs::read_to_string(common::skirt_fixture()).expect("fixture readable");
    let first = from_json_str(&text).expect("fixture valid");
    let written = to_json_string(&first);
    let second = from_json_str(&written).expect("written pattern reads back");
    assert_eq!(first, second);
    // And writing is stable.
    assert_eq!(written, to_json_string(&second));
}

#[test]
fn written_file_keeps_garmentcode_keys() {
    let pattern = read_file(common::skirt_fixture()).expect("fixture valid");
    let value: serde_json::Value =
        serde_json::from_str(&to_json_string(&pattern)).expect("valid JSON");
    assert_eq!(value["properties"]["units_in_meter"], 100);
    assert_eq!(value["properties"]["curvature_coords"], "relative");
    assert!(value["parameters"].is_object());
    assert_eq!(
        value["pattern"]["panels"]["skirt_front"]["edges"][0]["curvature"]["type"],
        "circle"
    );
    assert_eq!(value["pattern"]["stitches"][0][1]["panel"], "skirt_back");
}

#[test]
fn millimetre_files_are_read_in_centimetres() {
    let text = std::fs::read_to_string(common::skirt_fixture()).expect("fixture readable");
    let mut value: serde_json::Value = serde_json::from_str(&text).expect("json");
    for panel in ["skirt_front", "skirt_back"] {
        let p = &mut value["pattern"]["panels"][panel];
        for v in p["vertices"].as_array_mut().expect("vertices") {
            for x in v.as_array_mut().expect("point") {
                *x = (x.as_f64().expect("number") * 10.0).into();
            }
        }
        p["edges"][0]["curvature"]["params"][0] = 600.0.into();
    }
    value["properties"]["units_in_meter"] = 1000.into();
    let mm = from_json_str(&value.to_string()).expect("mm pattern valid");
    let cm = read_file(common::skirt_fixture()).expect("fixture valid");
    let (a, b) = (
        mm.panel("skirt_front").expect("front"),
        cm.panel("skirt_front").expect("front"),
    );
    assert!((a.edge_length(0).expect("hem") - b.edge_length(0).expect("hem")).abs() < 1e-9);
    assert_eq!(a.vertices, b.vertices);
}

#[test]
fn file_round_trip_through_disk() {
    let pattern = read_file(common::skirt_fixture()).expect("fixture valid");
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("out_specification.json");
    catwalk_garment::write_file(&pattern, &path).expect("write");
    assert_eq!(read_file(&path).expect("read back"), pattern);
}
