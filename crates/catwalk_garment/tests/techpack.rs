//! The tech pack / work order: JSON that reads back, a fingerprint of the exact pattern,
//! a cutting list and sewing operations that follow the pattern, and a printable HTML page
//! with a QR code.

use catwalk_garment::body::MeasurementSheet;
use catwalk_garment::programs::{DressDesign, SkirtDesign, SkirtStyle, TopDesign, dress};
use catwalk_garment::techpack::html::{HtmlError, qr_svg, render};
use catwalk_garment::techpack::{FABRIC_WASTE_FACTOR, TechPack, WorkOrderInfo};
use catwalk_garment::{BodyMeasurements, Pattern};

fn pattern() -> Pattern {
    dress(
        &BodyMeasurements::average(),
        &DressDesign {
            bodice: TopDesign::default(),
            skirt: SkirtDesign::new(SkirtStyle::ALine { flare_cm: 10.0 }),
        },
    )
    .expect("drafts")
}

fn info() -> WorkOrderInfo {
    WorkOrderInfo {
        work_order_id: "WO-2026-0042".into(),
        garment: "Dongdaemun <A-line> dress".into(),
        size: "M".into(),
        quantity: 3,
        qr_payload: String::new(),
    }
}

#[test]
fn tech_pack_follows_the_pattern_and_round_trips_as_json() {
    let mut pattern = pattern();
    pattern.panels[0].cutting.fabric = Some("cotton jersey".into());
    let pack = TechPack::new(&pattern, info(), Some(MeasurementSheet::AVERAGE)).expect("builds");
    assert_eq!(pack.pieces.len(), pattern.panels.len());
    assert_eq!(pack.operations.len(), pattern.stitches.len());
    assert_eq!(pack.operations[0].step, 1);
    assert!(pack.operations.iter().all(|op| op.length_cm > 1.0));
    // Fabric bought covers the cut area of every piece for every garment, plus waste.
    let total_cut: f64 = pack.pieces.iter().map(|p| p.cut_area_cm2).sum::<f64>() / 10_000.0;
    let bought: f64 = pack.fabric_m2.values().sum();
    assert!((bought - total_cut * 3.0 * FABRIC_WASTE_FACTOR).abs() < 1e-9);
    assert!(pack.fabric_m2.contains_key("cotton jersey"));
    assert!(pack.fabric_m2.contains_key("unspecified"));
    // Pieces are larger than their panels by the seam allowance.
    let front = &pack.pieces[0];
    let panel_area = pattern.panels[0].area().expect("area");
    assert!(front.cut_area_cm2 > panel_area);
    let back: TechPack = serde_json::from_str(&pack.to_json()).expect("JSON reads back");
    assert_eq!(back, pack);
}

#[test]
fn fingerprint_identifies_the_exact_pattern() {
    let pattern = pattern();
    let a = TechPack::new(&pattern, info(), None).expect("builds");
    let b = TechPack::new(&pattern, info(), None).expect("builds");
    assert_eq!(a.pattern_sha256, b.pattern_sha256);
    assert_eq!(a.pattern_sha256.len(), 64);
    let mut changed = pattern.clone();
    changed.panels[0].vertices[0].x -= 0.1;
    let c = TechPack::new(&changed, info(), None).expect("builds");
    assert_ne!(a.pattern_sha256, c.pattern_sha256);
}

#[test]
fn html_work_order_has_qr_cutting_list_and_operations() {
    let pattern = pattern();
    let pack = TechPack::new(&pattern, info(), None).expect("builds");
    assert_eq!(pack.qr_text(), "catwalk:work-order:WO-2026-0042");
    let html = render(&pack).expect("renders");
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("Dongdaemun &lt;A-line&gt; dress"));
    assert!(!html.contains("<A-line>"));
    assert!(
        !html.contains("<?xml"),
        "the QR SVG is inlined without its prologue"
    );
    assert_eq!(html.matches("<svg").count(), 1);
    let section = |class: &str| {
        let start = html
            .find(&format!("<table class=\"{class}\">"))
            .expect("table");
        let end = start + html[start..].find("</table>").expect("end");
        html[start..end].matches("<tr><td>").count()
    };
    assert_eq!(section("pieces"), pattern.panels.len());
    assert_eq!(section("operations"), pattern.stitches.len());
    assert!(html.contains(&pack.pattern_sha256));
}

#[test]
fn overlong_qr_payload_is_refused() {
    let long = "x".repeat(5000);
    assert_eq!(qr_svg(&long), Err(HtmlError::QrTooLong { len: 5000 }));
    assert!(
        qr_svg("https://catwalk.example/wo/42")
            .expect("fits")
            .starts_with("<svg")
    );
}
