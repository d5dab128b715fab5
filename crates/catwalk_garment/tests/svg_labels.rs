//! Every piece's label in the SVG sheet lies inside the piece: for the pieces of every
//! garment program (skirt styles, tops with every sleeve and neckline, dresses, trousers,
//! shorts) on small, average and large bodies, the label's box — computed from the SVG's
//! own transform, font size and lines with the documented character-width estimate — has
//! all four corners inside the piece's sew line and no sew-line edge crossing it.

use catwalk_garment::body::MeasurementSheet;
use catwalk_garment::export::label::{CHAR_WIDTH_EM, LINE_HEIGHT_EM};
use catwalk_garment::export::piece::cut_pieces;
use catwalk_garment::export::{SvgOptions, pattern_svg};
use catwalk_garment::polygon::{contains, segments_intersect};
use catwalk_garment::programs::{
    DressDesign, Neckline, SkirtDesign, SkirtStyle, SleeveStyle, TopDesign, TrousersDesign, dress,
    skirt, top, trousers,
};
use catwalk_garment::{BodyMeasurements, Pattern};
use glam::DVec2;

fn bodies() -> Vec<BodyMeasurements> {
    let small = MeasurementSheet {
        height: 150.0,
        bust: 76.0,
        waist: 58.0,
        hips: 82.0,
        shoulder_width: 33.0,
        arm_length: 48.0,
        inseam: 68.0,
        waist_height: 92.0,
        hip_depth: 16.0,
        shoulder_height: None,
    };
    let large = MeasurementSheet {
        height: 190.0,
        bust: 130.0,
        waist: 115.0,
        hips: 135.0,
        shoulder_width: 46.0,
        arm_length: 64.0,
        inseam: 86.0,
        waist_height: 118.0,
        hip_depth: 24.0,
        shoulder_height: None,
    };
    [small, MeasurementSheet::AVERAGE, large]
        .into_iter()
        .map(|s| BodyMeasurements::new(s).expect("valid test body"))
        .collect()
}

fn patterns(body: &BodyMeasurements) -> Vec<(String, Pattern)> {
    let mut out = Vec::new();
    for style in [
        SkirtStyle::Pencil { hem_taper_cm: 3.0 },
        SkirtStyle::ALine { flare_cm: 12.0 },
        SkirtStyle::Circle { fullness: 1.0 },
    ] {
        let design = SkirtDesign::new(style);
        out.push((
            format!("skirt {style:?}"),
            skirt(body, &design).expect("skirt"),
        ));
    }
    for sleeve in [
        SleeveStyle::Sleeveless,
        SleeveStyle::Short,
        SleeveStyle::ThreeQuarter,
        SleeveStyle::Long,
    ] {
        for neckline in [
            Neckline::Crew,
            Neckline::V { depth_cm: 14.0 },
            Neckline::Boat,
        ] {
            let design = TopDesign {
                sleeve,
                neckline,
                ..TopDesign::default()
            };
            // Short sleeves do not fit every body (their cap is longer); skip those.
            if let Ok(p) = top(body, &design) {
                out.push((format!("top {sleeve:?} {neckline:?}"), p));
            }
        }
    }
    let dress_design = DressDesign {
        bodice: TopDesign {
            sleeve: SleeveStyle::Long,
            ..TopDesign::default()
        },
        skirt: SkirtDesign::new(SkirtStyle::ALine { flare_cm: 8.0 }),
    };
    out.push(("dress".into(), dress(body, &dress_design).expect("dress")));
    let long = TrousersDesign {
        length_cm: (body.waist_height() - 12.0).min(100.0),
        ..TrousersDesign::default()
    };
    out.push(("trousers".into(), trousers(body, &long).expect("trousers")));
    let shorts = TrousersDesign {
        length_cm: 45.0,
        ..TrousersDesign::default()
    };
    out.push(("shorts".into(), trousers(body, &shorts).expect("shorts")));
    out
}

/// The text between `start` and the next `end`, for every occurrence.
fn all_between<'a>(text: &'a str, start: &str, end: &str) -> Vec<&'a str> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find(start) {
        let after = &rest[i + start.len()..];
        let j = after.find(end).expect("closed");
        out.push(&after[..j]);
        rest = &after[j..];
    }
    out
}

fn numbers(text: &str) -> Vec<f64> {
    text.split(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-'))
        .filter_map(|s| s.parse().ok())
        .collect()
}

#[test]
fn every_label_lies_inside_its_piece_for_every_program() {
    let mut checked = 0;
    for body in bodies() {
        for (what, pattern) in patterns(&body) {
            let options = SvgOptions {
                garment: what.clone(),
                size: "M".into(),
                ..SvgOptions::default()
            };
            let svg = pattern_svg(&pattern, &options).expect("svg");
            let groups = all_between(&svg, "<g class=\"piece\"", "</g>");
            let pieces = cut_pieces(&pattern).expect("pieces");
            assert_eq!(groups.len(), pieces.len());
            for (group, piece) in groups.iter().zip(&pieces) {
                // Where the piece went on the sheet: the cut path's first point is the cut
                // line's first point mapped by (x, y) -> (x + ox, k - y).
                let cut = all_between(group, "<path class=\"cut\" d=\"", "\"")[0];
                let first = numbers(cut);
                let ox = first[0] - piece.cut_line[0].x;
                let k = first[1] + piece.cut_line[0].y;
                let sheet = |p: DVec2| DVec2::new(p.x + ox, k - p.y);
                let outline: Vec<DVec2> = piece.sew_line.iter().map(|&p| sheet(p)).collect();

                let text = all_between(group, "<text class=\"label\"", "</text>")[0];
                let head = numbers(&text[..text.find('>').expect("tag")]);
                let (x, y, angle, size) = (head[0], head[1], head[2], head[3]);
                let lines: Vec<&str> = all_between(text, "<tspan", "</tspan>")
                    .into_iter()
                    .map(|t| &t[t.find('>').expect("tspan tag") + 1..])
                    .collect();
                assert!(lines[0].contains(&piece.name), "{what}: {lines:?}");
                let longest = lines.iter().map(|l| l.chars().count()).max().unwrap_or(0);
                let half = DVec2::new(
                    longest as f64 * CHAR_WIDTH_EM,
                    lines.len() as f64 * LINE_HEIGHT_EM,
                ) * size
                    / 2.0;
                let (u, v) = {
                    let d = DVec2::from_angle(angle.to_radians());
                    (d, d.perp())
                };
                let c = DVec2::new(x, y);
                let corners: Vec<DVec2> = [(-1.0, -1.0), (1.0, -1.0), (1.0, 1.0), (-1.0, 1.0)]
                    .iter()
                    .map(|&(a, b)| c + u * (a * half.x) + v * (b * half.y))
                    .collect();
                for corner in &corners {
                    assert!(
                        contains(&outline, *corner),
                        "{what}: label corner {corner:?} of \"{}\" is outside the piece",
                        piece.name
                    );
                }
                let n = outline.len();
                for i in 0..4 {
                    for j in 0..n {
                        assert!(
                            !segments_intersect(
                                corners[i],
                                corners[(i + 1) % 4],
                                outline[j],
                                outline[(j + 1) % n]
                            ),
                            "{what}: the sew line crosses the label of \"{}\"",
                            piece.name
                        );
                    }
                }
                assert!(
                    size > 0.3,
                    "{what}: label of \"{}\" set at {size} cm",
                    piece.name
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 150, "only {checked} pieces checked");
}
