//! Grading: one design drafted for every size of a chart keeps its pieces and seams, its
//! waist grows by the chart's grade increment, and the tech pack's measurement spec covers
//! every size.

use catwalk_garment::body::MeasurementSheet;
use catwalk_garment::design::{DesignAxes, GarmentDesign, GarmentKind, NecklineShape};
use catwalk_garment::grading::{
    GIRTH_GRADE_CM, GradingError, SizeChart, SizeLabel, SizeRow, grade,
};
use catwalk_garment::programs::TrousersDesign;
use catwalk_garment::techpack::{MeasurementSpec, TechPack, WorkOrderInfo, html};
use catwalk_garment::{BodyMeasurements, GarmentMesh, MeshOptions};

fn axes(length: f64, silhouette: f64) -> DesignAxes {
    DesignAxes {
        length,
        silhouette,
        fit: 0.5,
        waist_drop: 0.3,
        neckline_depth: 0.5,
        sleeve: 1.0 / 3.0,
    }
}

fn chart() -> SizeChart {
    SizeChart::catwalk_base().expect("the built-in chart is valid")
}

#[test]
fn the_base_chart_is_the_average_body_graded_by_four_centimetres() {
    let chart = chart();
    let labels: Vec<_> = chart.rows().iter().map(|r| r.label).collect();
    assert_eq!(labels, SizeLabel::ALL);
    assert_eq!(chart.base, SizeLabel::M);
    assert_eq!(
        chart.body(SizeLabel::M).expect("M").sheet(),
        &MeasurementSheet::AVERAGE
    );
    let xs = chart.body(SizeLabel::XS).expect("XS");
    let xl = chart.body(SizeLabel::XL).expect("XL");
    assert_eq!(xl.waist() - xs.waist(), 4.0 * GIRTH_GRADE_CM);
    assert_eq!(xl.height(), xs.height(), "lengths are not graded");
    assert!(chart.basis.starts_with("Not a national standard"));
}

#[test]
fn every_size_has_the_same_pieces_and_seams() {
    let options = MeshOptions {
        target_edge_cm: 6.0,
        ..MeshOptions::default()
    };
    for kind in GarmentKind::ALL {
        for silhouette in [0.1, 0.5, 0.9] {
            let design = GarmentDesign::from_axes(kind, &axes(0.5, silhouette), NecklineShape::V);
            let sizes = grade(&design, &chart()).expect("grades");
            assert_eq!(sizes.len(), 5);
            let names = |i: usize| {
                sizes[i]
                    .pattern
                    .panels
                    .iter()
                    .map(|p| p.name.clone())
                    .collect::<Vec<_>>()
            };
            for (i, size) in sizes.iter().enumerate() {
                assert_eq!(names(i), names(0), "{kind:?} {}", size.label);
                assert_eq!(size.pattern.stitches.len(), sizes[0].pattern.stitches.len());
                size.pattern.validate().expect("valid");
            }
            // The extreme sizes mesh too.
            for i in [0, 4] {
                GarmentMesh::from_pattern(&sizes[i].pattern, &options)
                    .unwrap_or_else(|e| panic!("{kind:?} {}: {e}", sizes[i].label));
            }
        }
    }
}

#[test]
fn waist_grows_by_the_grade_increment_between_sizes() {
    for kind in [
        GarmentKind::Skirt,
        GarmentKind::Dress,
        GarmentKind::Trousers,
    ] {
        for silhouette in [0.1, 0.5, 0.9] {
            let design =
                GarmentDesign::from_axes(kind, &axes(0.6, silhouette), NecklineShape::Scoop);
            let sizes = grade(&design, &chart()).expect("grades");
            for pair in sizes.windows(2) {
                let girth = |i: usize| pair[i].pattern.group_length("waist").expect("waist");
                let step = girth(1) - girth(0);
                assert!(
                    (step - GIRTH_GRADE_CM).abs() < 0.1,
                    "{kind:?} {} → {}: waist grew {step} cm",
                    pair[0].label,
                    pair[1].label
                );
            }
        }
    }
}

#[test]
fn measurement_spec_covers_every_size() {
    let design = GarmentDesign::from_axes(GarmentKind::Dress, &axes(0.5, 0.5), NecklineShape::V);
    let sizes = grade(&design, &chart()).expect("grades");
    let spec = MeasurementSpec::from_graded(&sizes, "M");
    assert_eq!(spec.sizes, ["XS", "S", "M", "L", "XL"]);
    let codes: Vec<_> = spec.points.iter().map(|p| p.code.as_str()).collect();
    assert_eq!(codes, ["WAIST", "HEM", "NECK", "ARMH", "CUFF"]);
    for point in &spec.points {
        assert_eq!(point.values.len(), 5, "{}", point.code);
        assert!(point.tolerance_cm > 0.0);
    }
    let waist = &spec.points[0].values;
    assert!((waist["XL"] - waist["XS"] - 4.0 * GIRTH_GRADE_CM).abs() < 0.4);
    let m = &sizes[2];
    let info = WorkOrderInfo {
        work_order_id: "WO-GRADED-1".into(),
        garment: "graded dress".into(),
        size: "XS–XL".into(),
        quantity: 5,
        qr_payload: String::new(),
    };
    let pack = TechPack::new(&m.pattern, info, Some(*m.body.sheet()))
        .expect("builds")
        .with_measurement_spec(spec.clone());
    let back: TechPack = serde_json::from_str(&pack.to_json()).expect("reads back");
    assert_eq!(back.measurement_spec.as_ref(), Some(&spec));
    let page = html::render(&pack).expect("renders");
    assert!(page.contains("<table class=\"measurements\">"));
    assert!(page.contains("<th>M (base)</th>"));
    // A tech pack without a graded spec has no such table and JSON key.
    let plain = TechPack::new(&m.pattern, pack.info.clone(), None).expect("builds");
    assert!(!plain.to_json().contains("measurement_spec"));
    assert!(
        !html::render(&plain)
            .expect("renders")
            .contains("measurements")
    );
}

#[test]
fn a_size_the_design_cannot_fit_is_named() {
    // Wide-leg shorts: the hem is wider than a small size's leg at the crotch.
    let small = BodyMeasurements::new(MeasurementSheet {
        bust: 82.0,
        waist: 66.0,
        hips: 84.0,
        ..MeasurementSheet::AVERAGE
    })
    .expect("valid body");
    let chart = SizeChart::new(
        "test chart",
        "made up for this test",
        SizeLabel::M,
        vec![
            SizeRow {
                label: SizeLabel::S,
                body: small,
            },
            SizeRow {
                label: SizeLabel::M,
                body: BodyMeasurements::average(),
            },
        ],
    )
    .expect("valid chart");
    let shorts = GarmentDesign::Trousers(TrousersDesign {
        length_cm: 40.0,
        hem_girth_cm: 60.0,
        ..TrousersDesign::default()
    });
    let e = grade(&shorts, &chart).expect_err("too wide for size S");
    assert!(matches!(
        e,
        GradingError::SizeDoesNotFit {
            size: SizeLabel::S,
            ..
        }
    ));
    assert!(
        e.to_string()
            .starts_with("size S: a hem 60 cm round is wider than the leg at the crotch"),
        "{e}"
    );
}

#[test]
fn charts_must_list_sizes_in_order_with_their_base() {
    let row = |label| SizeRow {
        label,
        body: BodyMeasurements::average(),
    };
    let e = SizeChart::new(
        "x",
        "y",
        SizeLabel::M,
        vec![row(SizeLabel::L), row(SizeLabel::M)],
    )
    .expect_err("out of order");
    assert!(e.to_string().contains("smallest first"));
    let e = SizeChart::new("x", "y", SizeLabel::M, vec![row(SizeLabel::S)]).expect_err("no base");
    assert!(e.to_string().contains("base size M"));
    assert_eq!("xl".parse::<SizeLabel>(), Ok(SizeLabel::XL));
    assert!("XXXL".parse::<SizeLabel>().is_err());
}

#[test]
fn made_to_measure_drafts_for_one_person() {
    let person = BodyMeasurements::new(MeasurementSheet {
        waist: 71.0,
        hips: 97.0,
        bust: 88.0,
        ..MeasurementSheet::AVERAGE
    })
    .expect("valid body");
    let design = GarmentDesign::from_axes(GarmentKind::Skirt, &axes(0.4, 0.2), NecklineShape::Crew);
    let theirs = design.draft(&person).expect("drafts");
    let average = design.draft(&BodyMeasurements::average()).expect("drafts");
    let diff = average.group_length("waist").expect("waist")
        - theirs.group_length("waist").expect("waist");
    assert!(diff > 10.0, "{diff}");
}

#[test]
fn candidates_generated_for_a_chart_grade_in_every_size() {
    use catwalk_garment::design::{DesignBrief, Palette, StyleKeyword, generate};
    use catwalk_garment::grading::grade_with;
    let chart = chart();
    let mut brief = DesignBrief::new(Palette::named("pastel").expect("palette")).for_sizes(&chart);
    brief.keywords = vec![StyleKeyword::Romantic, StyleKeyword::Party];
    assert_eq!(brief.bodies.len(), 5);
    for c in generate(&brief, 4, 8).expect("generates") {
        let sizes = grade_with(&chart, |body| c.pattern(body))
            .unwrap_or_else(|e| panic!("{}: {e}", c.description));
        assert_eq!(sizes.len(), 5);
    }
}

#[test]
fn a_design_grades_across_the_en_13402_3_chart_chosen_by_name() {
    let chart = SizeChart::by_name("en13402-3-women").expect("built in");
    assert!(chart.basis.contains("EN 13402-3:2004"), "{}", chart.basis);
    // A dress with three-quarter sleeves.
    let sleeves = DesignAxes {
        sleeve: 2.0 / 3.0,
        ..axes(0.5, 0.5)
    };
    let design = GarmentDesign::from_axes(GarmentKind::Dress, &sleeves, NecklineShape::V);
    let sizes = grade(&design, &chart).expect("every size drafts");
    assert_eq!(sizes.len(), 5);
    // The bust girth of each size lies in its letter code's interval, and the sewn waist
    // grows with it from size to size.
    let spec = MeasurementSpec::from_chart(&sizes, &chart);
    let waist = &spec.points[0].values;
    for (size, pair) in sizes.iter().zip(sizes.windows(2).map(Some).chain([None])) {
        let (_, low, high) = catwalk_garment::grading::en13402::BUST_INTERVALS_CM
            .into_iter()
            .find(|(label, _, _)| *label == size.label)
            .expect("interval");
        assert!(size.body.bust() > low && size.body.bust() < high);
        if let Some([a, b]) = pair {
            assert!(
                waist[b.label.as_str()] > waist[a.label.as_str()] + 3.0,
                "waist {} -> {}",
                a.label,
                b.label
            );
        }
    }
    assert_eq!(spec.base_size, "M");
    let m = &sizes[2];
    let info = WorkOrderInfo {
        work_order_id: "WO-EN13402-1".into(),
        garment: "graded dress".into(),
        size: "XS–XL".into(),
        quantity: 5,
        qr_payload: String::new(),
    };
    let pack = TechPack::new(&m.pattern, info, Some(*m.body.sheet()))
        .expect("builds")
        .with_measurement_spec(spec);
    let page = html::render(&pack).expect("renders");
    assert!(
        page.contains("EN 13402-3:2004 women&#39;s letter codes")
            || page.contains("EN 13402-3:2004 women's letter codes")
    );
    let back: TechPack = serde_json::from_str(&pack.to_json()).expect("reads back");
    let source = back
        .measurement_spec
        .and_then(|s| s.chart)
        .expect("chart kept");
    assert_eq!(source.name, chart.name);
}

#[test]
fn an_unknown_chart_name_is_rejected() {
    assert!(matches!(
        SizeChart::by_name("us-misses"),
        Err(GradingError::UnknownChart(_))
    ));
}

#[test]
fn a_slit_pencil_skirt_lists_its_slit_in_every_size() {
    let design = GarmentDesign::from_axes(GarmentKind::Skirt, &axes(1.0, 0.1), NecklineShape::V);
    let sizes = grade(&design, &chart()).expect("grades");
    let spec = MeasurementSpec::from_graded(&sizes, "M");
    let slit = spec
        .points
        .iter()
        .find(|p| p.code == "SLIT")
        .expect("a maxi pencil skirt has walking slits");
    for size in &sizes {
        let GarmentDesign::Skirt(drafted) = design.for_body(&size.body) else {
            panic!("a skirt");
        };
        let want = drafted.slit_cm(&size.body);
        let got = slit.values[size.label.to_string().as_str()];
        assert!(
            want > 0.0 && (got - want).abs() < 0.1,
            "{}: {got} vs {want}",
            size.label
        );
    }
    // A flared skirt has none.
    let flared = GarmentDesign::from_axes(GarmentKind::Skirt, &axes(1.0, 0.5), NecklineShape::V);
    let spec = MeasurementSpec::from_graded(&grade(&flared, &chart()).expect("grades"), "M");
    assert!(spec.points.iter().all(|p| p.code != "SLIT"));
}
