//! Invalid GarmentCode files are rejected with an error that names the JSON path and says
//! what is wrong.

mod common;

use catwalk_garment::{Problem, ReadError, from_json_str};
use serde_json::{Value, json};

fn fixture() -> Value {
    let text = std::fs::read_to_string(common::skirt_fixture()).expect("fixture readable");
    serde_json::from_str(&text).expect("fixture is JSON")
}

fn read(value: &Value) -> ReadError {
    from_json_str(&value.to_string()).expect_err("the pattern must be rejected")
}

#[test]
fn stitch_to_an_unknown_edge_names_the_stitch() {
    let mut v = fixture();
    v["pattern"]["stitches"][3][1]["edge"] = json!(7);
    let e = read(&v);
    assert_eq!(
        e.to_string(),
        "pattern.stitches[3][1].edge: panel \"skirt_front\" has no edge 7; \
         its edges are numbered 0 to 5"
    );
}

#[test]
fn stitch_to_an_unknown_panel_lists_the_panels() {
    let mut v = fixture();
    v["pattern"]["stitches"][0][0]["panel"] = json!("sleeve");
    let e = read(&v);
    assert_eq!(e.path(), "pattern.stitches[0][0].panel");
    let msg = e.to_string();
    assert!(msg.contains("no panel is named \"sleeve\""), "{msg}");
    assert!(msg.contains("\"skirt_front\""), "{msg}");
}

#[test]
fn stitched_edges_of_very_different_lengths_are_rejected() {
    let mut v = fixture();
    // The front waist (about 40 cm) against the back's short upper side curve (about 17 cm).
    v["pattern"]["stitches"][1][0]["edge"] = json!(3);
    let e = read(&v);
    assert_eq!(e.path(), "pattern.stitches[1]");
    assert!(matches!(
        e,
        ReadError::Invalid(ref p) if matches!(p.problem, Problem::StitchLengthMismatch { .. })
    ));
    assert!(e.to_string().contains("at most 2x"), "{e}");
}

#[test]
fn open_panel_is_rejected() {
    let mut v = fixture();
    v["pattern"]["panels"]["skirt_back"]["edges"][2]["endpoints"] = json!([1, 3]);
    let e = read(&v);
    assert_eq!(e.path(), "pattern.panels.skirt_back.edges[2].endpoints[0]");
    assert!(e.to_string().contains("outline is open"), "{e}");
}

#[test]
fn self_intersecting_panel_is_rejected() {
    let mut v = fixture();
    // Drag the front's right waist corner across the left side.
    v["pattern"]["panels"]["skirt_front"]["vertices"][3] = json!([-40.0, 30.0]);
    let e = read(&v);
    assert!(
        e.path().starts_with("pattern.panels.skirt_front.edges["),
        "{e}"
    );
    assert!(e.to_string().contains("crosses itself"), "{e}");
}

#[test]
fn wrong_type_names_the_path() {
    let mut v = fixture();
    v["pattern"]["stitches"][2][1]["edge"] = json!("five");
    let e = read(&v);
    assert!(matches!(e, ReadError::Json { .. }));
    assert_eq!(e.path(), "pattern.stitches[2][1].edge");
}

#[test]
fn missing_vertices_names_the_panel() {
    let mut v = fixture();
    v["pattern"]["panels"]["skirt_back"]
        .as_object_mut()
        .expect("panel")
        .remove("vertices");
    let e = read(&v);
    assert_eq!(e.path(), "pattern.panels.skirt_back");
    assert!(e.to_string().contains("vertices"), "{e}");
}

#[test]
fn edge_to_a_missing_vertex_is_rejected() {
    let mut v = fixture();
    v["pattern"]["panels"]["skirt_front"]["edges"][5]["endpoints"] = json!([5, 9]);
    let e = read(&v);
    assert_eq!(e.path(), "pattern.panels.skirt_front.edges[5].endpoints[1]");
    assert!(e.to_string().contains("vertex 9 does not exist"), "{e}");
}

#[test]
fn arc_with_too_small_radius_is_rejected() {
    let mut v = fixture();
    v["pattern"]["panels"]["skirt_front"]["edges"][0]["curvature"]["params"][0] = json!(10.0);
    let e = read(&v);
    assert_eq!(e.path(), "pattern.panels.skirt_front.edges[0].curvature");
    assert!(
        e.to_string().contains("radius must be at least half"),
        "{e}"
    );
}

#[test]
fn unknown_curvature_type_is_rejected() {
    let mut v = fixture();
    v["pattern"]["panels"]["skirt_front"]["edges"][3]["curvature"]["type"] = json!("spline");
    let e = read(&v);
    assert_eq!(
        e.path(),
        "pattern.panels.skirt_front.edges[3].curvature.type"
    );
    assert!(
        e.to_string().contains("unknown curvature type \"spline\""),
        "{e}"
    );
}

#[test]
fn stitch_with_three_ends_is_rejected() {
    let mut v = fixture();
    v["pattern"]["stitches"][0]
        .as_array_mut()
        .expect("stitch")
        .push(json!({"panel": "skirt_back", "edge": 0}));
    let e = read(&v);
    assert_eq!(e.path(), "pattern.stitches[0]");
    assert!(e.to_string().contains("exactly 2 edges"), "{e}");
}

#[test]
fn older_from_to_stitches_and_trailing_flags_load() {
    let mut v = fixture();
    let first = v["pattern"]["stitches"][0].clone();
    v["pattern"]["stitches"][0] = json!({"from": first[0], "to": first[1]});
    v["pattern"]["stitches"][1]
        .as_array_mut()
        .expect("stitch")
        .push(json!("right_wrong"));
    let pattern = from_json_str(&v.to_string()).expect("both stitch forms load");
    let reference = from_json_str(&fixture().to_string()).expect("fixture");
    assert_eq!(pattern.stitches, reference.stitches);
    // A wrong type inside the older form still names the path.
    v["pattern"]["stitches"][0]["to"]["edge"] = json!(-1);
    let e = read(&v);
    assert_eq!(e.path(), "pattern.stitches[0].to.edge");
}

#[test]
fn not_json_reports_line_and_column() {
    let e = from_json_str("{\"pattern\": {\"panels\": {}, ").expect_err("truncated");
    assert!(e.to_string().contains("line 1"), "{e}");
}
