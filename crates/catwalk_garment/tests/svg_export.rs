//! The SVG cut sheet read back: its path data is parsed into points (by a parser written
//! here, independent of the writer) and compared with the pattern's geometry.

mod common;

use catwalk_garment::export::{SvgOptions, pattern_svg};
use catwalk_garment::polygon::distance_to_outline;
use catwalk_garment::programs::{SkirtDesign, SkirtStyle, skirt};
use catwalk_garment::{BodyMeasurements, Curve, Pattern, read_file};
use glam::DVec2;

/// One drawing command with absolute coordinates.
#[derive(Debug, Clone, PartialEq)]
enum Cmd {
    M(DVec2),
    L(DVec2),
    Q(DVec2, DVec2),
    C(DVec2, DVec2, DVec2),
    /// radius, large-arc, sweep, end
    A(f64, bool, bool, DVec2),
    Z,
}

fn parse_path(d: &str) -> Vec<Cmd> {
    let tokens: Vec<&str> = d.split_whitespace().collect();
    let mut i = 0;
    let mut out = Vec::new();
    let num = |i: &mut usize| -> f64 {
        let v = tokens[*i].parse().expect("number in path data");
        *i += 1;
        v
    };
    while i < tokens.len() {
        let cmd = tokens[i];
        i += 1;
        let pt = |i: &mut usize| DVec2::new(num(i), num(i));
        out.push(match cmd {
            "M" => Cmd::M(pt(&mut i)),
            "L" => Cmd::L(pt(&mut i)),
            "Q" => Cmd::Q(pt(&mut i), pt(&mut i)),
            "C" => Cmd::C(pt(&mut i), pt(&mut i), pt(&mut i)),
            "A" => {
                let (rx, ry, _rot) = (num(&mut i), num(&mut i), num(&mut i));
                assert_eq!(rx, ry, "pattern arcs are circular");
                let (large, sweep) = (num(&mut i) == 1.0, num(&mut i) == 1.0);
                Cmd::A(rx, large, sweep, pt(&mut i))
            }
            "Z" | "z" => Cmd::Z,
            other => panic!("unexpected path command {other}"),
        });
    }
    out
}

/// The midpoint of an SVG arc, by the endpoint-to-centre conversion of SVG 1.1 (F.6.5).
fn svg_arc_midpoint(from: DVec2, r: f64, large: bool, sweep: bool, to: DVec2) -> DVec2 {
    let h = (from - to) / 2.0;
    let ratio = ((r * r - h.length_squared()) / h.length_squared()).max(0.0);
    let sign = if large != sweep { 1.0 } else { -1.0 };
    let c_rel = sign * ratio.sqrt() * DVec2::new(h.y, -h.x);
    let center = c_rel + (from + to) / 2.0;
    let u = (h - c_rel) / r;
    let v = (-h - c_rel) / r;
    let theta1 = u.y.atan2(u.x);
    let mut delta = u.angle_to(v);
    if !sweep && delta > 0.0 {
        delta -= std::f64::consts::TAU;
    } else if sweep && delta < 0.0 {
        delta += std::f64::consts::TAU;
    }
    let a = theta1 + delta / 2.0;
    center + r * DVec2::new(a.cos(), a.sin())
}

/// The text between `start` and the next `end` after each occurrence of `start`.
fn all_between<'a>(text: &'a str, start: &str, end: &str) -> Vec<&'a str> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find(start) {
        let after = &rest[i + start.len()..];
        let j = after.find(end).expect("closing delimiter");
        out.push(&after[..j]);
        rest = &after[j..];
    }
    out
}

fn attr(element: &str, name: &str) -> f64 {
    all_between(element, &format!("{name}=\""), "\"")[0]
        .parse()
        .expect("numeric attribute")
}

fn pieces(svg: &str) -> Vec<(String, String)> {
    all_between(svg, "<g class=\"piece\" id=\"piece-", "</g>")
        .into_iter()
        .map(|s| {
            let (name, rest) = s.split_once('"').expect("id");
            (name.to_string(), rest.to_string())
        })
        .collect()
}

fn sheets() -> Vec<Pattern> {
    let body = BodyMeasurements::average();
    vec![
        read_file(common::skirt_fixture()).expect("fixture valid"),
        skirt(
            &body,
            &SkirtDesign::new(SkirtStyle::Circle { fullness: 0.75 }),
        )
        .expect("fits"),
        skirt(
            &body,
            &SkirtDesign::new(SkirtStyle::Circle { fullness: 1.0 }),
        )
        .expect("fits"),
        skirt(
            &body,
            &SkirtDesign::new(SkirtStyle::Pencil { hem_taper_cm: 2.0 }),
        )
        .expect("fits"),
    ]
}

#[test]
fn sew_lines_read_back_as_the_panel_curves() {
    for pattern in sheets() {
        let svg = pattern_svg(&pattern, &SvgOptions::default()).expect("exports");
        let pieces = pieces(&svg);
        assert_eq!(pieces.len(), pattern.panels.len());
        for (name, piece) in pieces {
            let panel = pattern.panel(&name).expect("piece names a panel");
            let curves = panel.curves().expect("geometry");
            let d = all_between(&piece, "class=\"sew\" d=\"", "\"")[0];
            let cmds = parse_path(d);
            assert_eq!(cmds.len(), curves.len() + 2, "M, one command per edge, Z");
            let Cmd::M(start) = cmds[0] else {
                panic!("path starts with M")
            };
            // sheet = (x + ox, oy - y): recover the offsets from the first point.
            let origin = curves[0].start();
            let map = |p: DVec2| DVec2::new(p.x + start.x - origin.x, start.y + origin.y - p.y);
            let close = |a: DVec2, b: DVec2| assert!(a.distance(b) < 1e-3, "{name}: {a} vs {b}");
            let mut at = start;
            for (cmd, curve) in cmds[1..].iter().zip(&curves) {
                match (cmd, curve) {
                    (Cmd::L(p), Curve::Line { to, .. }) => close(*p, map(*to)),
                    (Cmd::Q(c, p), Curve::Quadratic { control, to, .. }) => {
                        close(*c, map(*control));
                        close(*p, map(*to));
                    }
                    (
                        Cmd::C(c1, c2, p),
                        Curve::Cubic {
                            control1,
                            control2,
                            to,
                            ..
                        },
                    ) => {
                        close(*c1, map(*control1));
                        close(*c2, map(*control2));
                        close(*p, map(*to));
                    }
                    (Cmd::A(r, large, sweep, p), Curve::Arc { radius, .. }) => {
                        assert!((r - radius).abs() < 1e-3);
                        close(*p, map(curve.end()));
                        let mid = svg_arc_midpoint(at, *r, *large, *sweep, *p);
                        close(mid, map(curve.point(0.5)));
                    }
                    other => panic!("{name}: command does not match edge: {other:?}"),
                }
                at = match cmd {
                    Cmd::L(p) | Cmd::Q(_, p) | Cmd::C(_, _, p) | Cmd::A(_, _, _, p) => *p,
                    _ => at,
                };
            }
            assert_eq!(cmds.last(), Some(&Cmd::Z));
        }
    }
}

#[test]
fn cut_line_is_the_seam_allowance_outside_the_sew_line() {
    for pattern in sheets() {
        let svg = pattern_svg(&pattern, &SvgOptions::default()).expect("exports");
        for (name, piece) in pieces(&svg) {
            let panel = pattern.panel(&name).expect("panel");
            let allowance = panel.cutting.seam_allowance_cm;
            let sew: Vec<DVec2> = parse_path(all_between(&piece, "class=\"sew\" d=\"", "\"")[0])
                .into_iter()
                .filter_map(|c| match c {
                    Cmd::M(p) => Some(p),
                    _ => None,
                })
                .collect();
            let cut: Vec<DVec2> = parse_path(all_between(&piece, "class=\"cut\" d=\"", "\"")[0])
                .into_iter()
                .filter_map(|c| match c {
                    Cmd::M(p) | Cmd::L(p) => Some(p),
                    _ => None,
                })
                .collect();
            assert!(cut.len() > 4);
            // Compare against the panel outline mapped like the sew line's first point.
            let origin = panel.curves().expect("geometry")[0].start();
            let outline: Vec<DVec2> = panel
                .outline(0.05)
                .expect("outline")
                .into_iter()
                .map(|p| DVec2::new(p.x + sew[0].x - origin.x, sew[0].y + origin.y - p.y))
                .collect();
            let mut distances: Vec<f64> = cut
                .iter()
                .map(|p| distance_to_outline(&outline, *p))
                .collect();
            distances.sort_by(f64::total_cmp);
            let median = distances[distances.len() / 2];
            assert!(
                distances[0] > allowance - 0.01,
                "{name}: cut line inside the allowance"
            );
            assert!((median - allowance).abs() < 0.01, "{name}: median {median}");
            assert!(*distances.last().expect("points") < 4.0 * allowance + 0.01);
        }
    }
}

#[test]
fn grain_notches_and_labels_are_on_every_piece() {
    let pattern = read_file(common::skirt_fixture()).expect("fixture");
    let options = SvgOptions {
        garment: "Two-panel skirt".into(),
        size: "M".into(),
        ..SvgOptions::default()
    };
    let svg = pattern_svg(&pattern, &options).expect("exports");
    assert!(svg.starts_with("<?xml"));
    assert!(svg.trim_end().ends_with("</svg>"));
    assert!(svg.contains("<title>Two-panel skirt — size M</title>"));
    for (name, piece) in pieces(&svg) {
        let panel = pattern.panel(&name).expect("panel");
        // Grain: vertical in the panel, so vertical on the sheet too.
        let line = all_between(&piece, "<line class=\"grain\"", "/>")[0];
        let (x1, y1, x2, y2) = (
            attr(line, "x1"),
            attr(line, "y1"),
            attr(line, "x2"),
            attr(line, "y2"),
        );
        assert!(
            (x1 - x2).abs() < 1e-6 && (y1 - y2).abs() > 10.0,
            "{name}: grain {line}"
        );
        // Two notches per stitched edge of this panel (every side edge here is stitched).
        let stitched = pattern
            .stitches
            .iter()
            .flat_map(|s| [&s.a, &s.b])
            .filter(|e| e.panel == name)
            .count();
        let notches: Vec<Vec<Cmd>> = all_between(&piece, "class=\"notch\" d=\"", "\"")
            .into_iter()
            .map(parse_path)
            .collect();
        assert_eq!(notches.len(), 2 * stitched, "{name}");
        for n in &notches {
            let (Cmd::M(a), Cmd::L(b)) = (&n[0], &n[1]) else {
                panic!("notch is one segment")
            };
            let depth = a.distance(*b);
            assert!((depth - 0.6_f64.min(panel.cutting.seam_allowance_cm)).abs() < 1e-3);
        }
        let label = all_between(&piece, "<text class=\"label\"", "</text>")[0];
        assert!(label.contains(&name) && label.contains("size M"), "{label}");
    }
    assert!(
        svg.contains("wool suiting"),
        "the front's fabric is printed"
    );
}

#[test]
fn text_is_escaped() {
    let pattern = read_file(common::skirt_fixture()).expect("fixture");
    let svg = pattern_svg(
        &pattern,
        &SvgOptions {
            size: "S&M <petite>".into(),
            ..SvgOptions::default()
        },
    )
    .expect("exports");
    assert!(svg.contains("S&amp;M &lt;petite&gt;"));
    assert!(!svg.contains("<petite>"));
}
