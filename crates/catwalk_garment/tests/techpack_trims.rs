//! The tech pack's bill of materials trims and colourways: thread from the stitched seams,
//! a zipper only where the garment needs a closure, interfacing and hem tape where the
//! pattern calls for them, colourways as swatches, and old JSON still reads.

use catwalk_garment::design::{
    Colour, DesignAxes, DesignCandidate, FabricPreset, GarmentKind, NecklineShape,
};
use catwalk_garment::programs::{
    DressDesign, SkirtDesign, SkirtStyle, TopDesign, TrousersDesign, dress, skirt, top, trousers,
};
use catwalk_garment::techpack::html::{HtmlError, render};
use catwalk_garment::techpack::trims::{HEM_TAPE_EXTRA, STOCK_ZIPPER_CM, WAISTBAND_CUT_WIDTH_CM};
use catwalk_garment::techpack::{
    Colourway, ColourwayError, THREAD_CONSUMPTION_FACTOR, TechPack, TrimLine, WorkOrderInfo,
    colourways_for,
};
use catwalk_garment::{BodyMeasurements, Pattern};

const QUANTITY: u32 = 4;

fn in_fabric(mut pattern: Pattern, fabric: &str) -> Pattern {
    for panel in &mut pattern.panels {
        panel.cutting.fabric = Some(fabric.to_string());
    }
    pattern
}

fn pack(pattern: &Pattern) -> TechPack {
    let info = WorkOrderInfo {
        work_order_id: "WO-TRIMS-1".into(),
        garment: "test garment".into(),
        size: "M".into(),
        quantity: QUANTITY,
        qr_payload: String::new(),
    };
    TechPack::new(pattern, info, None).expect("builds")
}

fn trim<'a>(pack: &'a TechPack, name: &str) -> Option<&'a TrimLine> {
    pack.trims.iter().find(|t| t.name == name)
}

fn body() -> BodyMeasurements {
    BodyMeasurements::average()
}

fn pencil_skirt(fabric: &str) -> Pattern {
    let design = SkirtDesign::new(SkirtStyle::Pencil { hem_taper_cm: 2.0 });
    in_fabric(skirt(&body(), &design).expect("drafts"), fabric)
}

/// The zipper's length in cm, read from its specification ("23 cm, left side seam…").
fn zipper_cm(pack: &TechPack) -> Option<f64> {
    let line = trim(pack, "invisible zipper")?;
    line.specification
        .split(" cm")
        .next()
        .and_then(|n| n.parse().ok())
}

#[test]
fn thread_is_the_lockstitch_factor_times_the_stitched_seams() {
    let pattern = pencil_skirt("wool suiting");
    let pack = pack(&pattern);
    // Seam length straight from the pattern: the longer edge of every stitch.
    let len = |end: &catwalk_garment::StitchEnd| {
        pattern
            .panel(&end.panel)
            .expect("panel")
            .edge_length(end.edge)
            .expect("edge")
    };
    let seams_cm: f64 = pattern
        .stitches
        .iter()
        .map(|s| len(&s.a).max(len(&s.b)))
        .sum();
    assert!(seams_cm > 100.0, "two side seams of a skirt: {seams_cm}");
    let thread = trim(&pack, "sewing thread").expect("thread is always listed");
    assert_eq!(thread.unit, "m");
    assert_eq!(THREAD_CONSUMPTION_FACTOR, 2.5);
    assert!((thread.per_garment - 2.5 * seams_cm / 100.0).abs() < 1e-9);
    assert!((thread.order_total - thread.per_garment * f64::from(QUANTITY)).abs() < 1e-9);
}

#[test]
fn woven_skirt_gets_a_zipper_past_the_hip_a_hook_and_a_fused_waistband() {
    let pattern = pencil_skirt("wool suiting");
    let pack = pack(&pattern);
    let zipper = zipper_cm(&pack).expect("a woven skirt needs a zipper");
    assert!(STOCK_ZIPPER_CM.contains(&zipper));
    let hip_depth = body().hip_depth();
    assert!(
        zipper >= hip_depth + 2.0,
        "{zipper} cm vs hip depth {hip_depth}"
    );
    assert!(
        zipper <= hip_depth + 2.0 + 6.0,
        "{zipper} cm is more than one stock step long"
    );
    let zip_line = trim(&pack, "invisible zipper").expect("listed");
    assert_eq!((zip_line.per_garment, zip_line.order_total), (1.0, 4.0));
    assert_eq!(
        trim(&pack, "hook and eye").expect("listed").order_total,
        4.0
    );
    let waist = pattern.group_length("waist").expect("waist");
    let interfacing = trim(&pack, "waistband interfacing").expect("open waist is faced");
    assert_eq!(interfacing.unit, "m²");
    let expected = WAISTBAND_CUT_WIDTH_CM * (waist + 3.0) / 10_000.0;
    assert!((interfacing.per_garment - expected).abs() < 1e-9);
    assert!(
        trim(&pack, "hem tape").is_none(),
        "a straight hem is turned up"
    );
    assert!(trim(&pack, "size label").is_some() && trim(&pack, "care label").is_some());
    assert!(
        trim(&pack, "care label")
            .expect("listed")
            .specification
            .contains("wool suiting")
    );
}

#[test]
fn pull_on_jersey_top_has_no_zipper_and_jersey_skirt_neither() {
    let top = in_fabric(
        top(&body(), &TopDesign::default()).expect("drafts"),
        "cotton jersey",
    );
    let pack_top = pack(&top);
    for name in ["invisible zipper", "hook and eye", "waistband interfacing"] {
        assert!(trim(&pack_top, name).is_none(), "{name} on a jersey top");
    }
    assert!(trim(&pack_top, "sewing thread").is_some());
    assert!(trim(&pack_top, "size label").is_some());
    // A knit stretches over the hips: no closure even with a waist.
    assert!(zipper_cm(&pack(&pencil_skirt("cotton jersey"))).is_none());
}

#[test]
fn woven_trousers_get_a_side_zipper() {
    let pattern = in_fabric(
        trousers(&body(), &TrousersDesign::default()).expect("drafts"),
        "denim",
    );
    let zipper = zipper_cm(&pack(&pattern)).expect("woven trousers need a zipper");
    assert!((18.0..=30.0).contains(&zipper), "{zipper}");
}

#[test]
fn dress_zipper_runs_up_the_bodice_and_its_waist_is_not_faced() {
    let skirt_design = SkirtDesign::new(SkirtStyle::ALine { flare_cm: 10.0 });
    let skirt_only = in_fabric(
        skirt(&body(), &skirt_design).expect("drafts"),
        "silk charmeuse",
    );
    let dress = in_fabric(
        dress(
            &body(),
            &DressDesign {
                bodice: TopDesign::default(),
                skirt: skirt_design,
            },
        )
        .expect("drafts"),
        "silk charmeuse",
    );
    let dress_pack = pack(&dress);
    let skirt_zip = zipper_cm(&pack(&skirt_only)).expect("skirt zip");
    let dress_zip = zipper_cm(&dress_pack).expect("dress zip");
    let bodice_side = dress
        .panel("top_front")
        .expect("bodice")
        .group_length("side_left")
        .expect("side");
    assert!(
        dress_zip >= skirt_zip + bodice_side - 2.0 - 6.0,
        "{dress_zip} vs {skirt_zip}"
    );
    assert!(dress_zip > skirt_zip);
    assert!(trim(&dress_pack, "waistband interfacing").is_none());
}

#[test]
fn circle_skirt_hem_is_taped_and_zip_uses_the_default_opening() {
    let design = SkirtDesign::new(SkirtStyle::Circle { fullness: 1.0 });
    let pattern = in_fabric(skirt(&body(), &design).expect("drafts"), "cotton twill");
    let pack = pack(&pattern);
    let hem = pattern.group_length("hem").expect("hem");
    let tape = trim(&pack, "hem tape").expect("a curved hem is taped");
    assert!((tape.per_garment - hem * (1.0 + HEM_TAPE_EXTRA) / 100.0).abs() < 1e-9);
    assert_eq!(zipper_cm(&pack), Some(20.0), "18 cm opening + 2 cm");
}

fn candidate() -> DesignCandidate {
    DesignCandidate::new(
        GarmentKind::Skirt,
        DesignAxes {
            length: 0.4,
            silhouette: 0.1,
            fit: 0.2,
            waist_drop: 0.0,
            neckline_depth: 0.5,
            sleeve: 0.0,
        },
        NecklineShape::Crew,
        Colour::rgb(0x1F, 0x2A, 0x44),
        FabricPreset::WoolSuiting,
        &[],
    )
}

#[test]
fn colourways_start_with_the_design_colour_and_render_as_swatches() {
    let design = candidate();
    let colourways = colourways_for(&design, &[("Emerald", "#1b7f5b"), ("Burgundy", "802030")])
        .expect("valid colours");
    assert_eq!(colourways.len(), 3);
    assert_eq!(colourways[0].name, "Main — navy");
    assert_eq!(colourways[0].hex, "#1F2A44");
    assert_eq!(colourways[1].hex, "#1B7F5B");
    assert_eq!(colourways[2].hex, "#802030");
    assert!(
        colourways
            .iter()
            .all(|c| c.fabric == FabricPreset::WoolSuiting)
    );
    assert!(colourways.iter().all(|c| c.pantone.is_empty()));
    let pattern = design.pattern(&body()).expect("drafts");
    let pack = pack(&pattern).with_colourways(colourways.clone());
    let html = render(&pack).expect("renders");
    assert_eq!(html.matches("class=\"swatch\"").count(), 3);
    for c in &colourways {
        assert!(html.contains(&format!("background:{}", c.hex)), "{}", c.hex);
    }
    let json = pack.to_json();
    assert!(json.contains("\"colourways\"") && json.contains("#1B7F5B"));
    let back: TechPack = serde_json::from_str(&json).expect("reads back");
    assert_eq!(back, pack);
}

#[test]
fn invalid_hex_colourway_is_refused() {
    let e = colourways_for(&candidate(), &[("Sunset", "#FF88")]).expect_err("short hex");
    assert_eq!(
        e,
        ColourwayError::BadHex {
            name: "Sunset".into(),
            given: "#FF88".into()
        }
    );
    assert!(e.to_string().contains("#RRGGBB"), "{e}");
    assert!(Colourway::new("Moss", "#GG7F5B", FabricPreset::Denim).is_err());
    assert!(matches!(
        Colourway::new(" ", "#1B7F5B", FabricPreset::Denim),
        Err(ColourwayError::EmptyName { .. })
    ));
    // A hand-edited JSON colour never reaches the page's CSS.
    let mut bad = Colourway::new("Moss", "#6B703A", FabricPreset::Denim).expect("valid");
    bad.hex = "red;background-image:url(x)".into();
    let pack = pack(&pencil_skirt("denim")).with_colourways(vec![bad]);
    assert!(matches!(render(&pack), Err(HtmlError::BadColourway { .. })));
}

#[test]
fn bill_of_materials_lists_every_trim_with_order_totals() {
    let pack = pack(&pencil_skirt("wool suiting"));
    let html = render(&pack).expect("renders");
    let bom = html.find("<h2>Bill of materials</h2>").expect("section");
    let start = bom
        + html[bom..]
            .find("<table class=\"trims\">")
            .expect("trims table");
    let end = start + html[start..].find("</table>").expect("end");
    let table = &html[start..end];
    assert_eq!(table.matches("<tr><td>").count(), pack.trims.len());
    assert!(table.contains("Order total (× 4)"));
    assert!(table.contains("<td>invisible zipper</td>"));
    let thread = trim(&pack, "sewing thread").expect("thread");
    assert!(table.contains(&format!("<td>{:.2}</td>", thread.order_total)));
}

#[test]
fn tech_pack_json_without_trims_or_colourways_still_reads() {
    let pack = pack(&pencil_skirt("wool suiting"));
    let mut value: serde_json::Value = serde_json::from_str(&pack.to_json()).expect("JSON");
    let object = value.as_object_mut().expect("object");
    object.remove("trims");
    object.remove("colourways");
    let old: TechPack = serde_json::from_value(value).expect("old JSON reads");
    assert!(old.trims.is_empty() && old.colourways.is_empty());
    assert_eq!(old.pieces, pack.pieces);
}
