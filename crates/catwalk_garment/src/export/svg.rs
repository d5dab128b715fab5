//! SVG export of a cut pattern, for people: every piece laid out left to right at 1:1
//! scale (user units are cm), y pointing down as SVG wants.
//!
//! Each piece is a `<g class="piece" id="piece-NAME">` holding
//! - `path.cut`: the cutting line, the sew line moved out by the seam allowance (polyline);
//! - `path.sew`: the sew line with its true curves (`L`, `Q`, `C`, `A` commands);
//! - `line.grain`: the grain line with arrowheads at both ends;
//! - `path.notch`: a short cut into the seam allowance at each end of each stitched edge;
//! - `text.label`: piece name, size, fabric, seam allowance and a grain note, one
//!   `tspan` per line, fitted inside the piece (see [`label`]).

use std::fmt::Write as _;

use glam::DVec2;

use super::ExportError;
use super::label;
use super::piece::{CutPiece, cut_pieces};
use crate::curve::Curve;
use crate::pattern::Pattern;

/// What to print on the sheet.
#[derive(Debug, Clone, PartialEq)]
pub struct SvgOptions {
    /// The garment's name, printed in the title.
    pub garment: String,
    /// The size printed on every piece (`"M"`, `"KS 38"`, or a person's name for made to
    /// measure).
    pub size: String,
    /// Space between pieces and around the sheet (cm).
    pub gap_cm: f64,
}

impl Default for SvgOptions {
    fn default() -> Self {
        Self {
            garment: "garment".into(),
            size: "custom".into(),
            gap_cm: 3.0,
        }
    }
}

/// Maps panel coordinates (cm, y up) to sheet coordinates (cm, y down).
#[derive(Debug, Clone, Copy)]
struct Placement {
    offset: DVec2,
    top: f64,
}

impl Placement {
    fn map(&self, p: DVec2) -> DVec2 {
        DVec2::new(p.x + self.offset.x, self.top - p.y + self.offset.y)
    }
}

/// Renders the whole pattern as one SVG document.
pub fn pattern_svg(pattern: &Pattern, options: &SvgOptions) -> Result<String, ExportError> {
    let pieces = cut_pieces(pattern)?;
    let gap = options.gap_cm.max(0.0);
    let mut body = String::new();
    let mut x = gap;
    let mut height: f64 = 0.0;
    for piece in &pieces {
        let (min, max) = piece.bounds();
        let place = Placement {
            offset: DVec2::new(x - min.x, gap),
            top: max.y,
        };
        write_piece(&mut body, piece, place, options);
        x += (max.x - min.x) + gap;
        height = height.max(max.y - min.y + 2.0 * gap + 4.0);
    }
    let width = x.max(gap * 2.0);
    let mut svg = String::new();
    let _ = writeln!(svg, r#"<?xml version="1.0" encoding="UTF-8"?>"#);
    let _ = writeln!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width:.4}cm" height="{height:.4}cm" viewBox="0 0 {width:.4} {height:.4}">"#
    );
    let _ = writeln!(
        svg,
        "<title>{} — size {}</title>",
        escape(&options.garment),
        escape(&options.size)
    );
    svg.push_str(concat!(
        "<style>\n",
        ".cut{fill:none;stroke:#000;stroke-width:0.05}\n",
        ".sew{fill:none;stroke:#555;stroke-width:0.03;stroke-dasharray:0.4 0.2}\n",
        ".grain{stroke:#0050b0;stroke-width:0.04;marker-start:url(#arrow);marker-end:url(#arrow)}\n",
        ".notch{stroke:#c00000;stroke-width:0.05}\n",
        ".label{font-family:sans-serif;fill:#000}\n",
        "</style>\n",
        "<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"6\" ",
        "markerHeight=\"6\" orient=\"auto-start-reverse\"><path d=\"M 0 0 L 10 5 L 0 10 z\" ",
        "fill=\"#0050b0\"/></marker></defs>\n",
    ));
    svg.push_str(&body);
    svg.push_str("</svg>\n");
    Ok(svg)
}

fn write_piece(out: &mut String, piece: &CutPiece, place: Placement, options: &SvgOptions) {
    let name = escape(&piece.name);
    let _ = writeln!(out, r#"<g class="piece" id="piece-{name}">"#);

    let mut d = String::new();
    for (i, p) in piece.cut_line.iter().enumerate() {
        let q = place.map(*p);
        let _ = write!(
            d,
            "{} {:.4} {:.4} ",
            if i == 0 { "M" } else { "L" },
            q.x,
            q.y
        );
    }
    d.push('Z');
    let _ = writeln!(out, r#"<path class="cut" d="{d}"/>"#);
    let _ = writeln!(
        out,
        r#"<path class="sew" d="{}"/>"#,
        sew_path(&piece.curves, place)
    );

    let (a, b) = (place.map(piece.grain.0), place.map(piece.grain.1));
    let _ = writeln!(
        out,
        r#"<line class="grain" x1="{:.4}" y1="{:.4}" x2="{:.4}" y2="{:.4}"/>"#,
        a.x, a.y, b.x, b.y
    );
    for notch in &piece.notches {
        let (p, q) = (place.map(notch.inner), place.map(notch.on_cut_line));
        let _ = writeln!(
            out,
            r#"<path class="notch" d="M {:.4} {:.4} L {:.4} {:.4}"/>"#,
            p.x, p.y, q.x, q.y
        );
    }

    let lines = label_lines(piece, options);
    let fit = label::fit_label(&piece.sew_line, &lines);
    let at = place.map(fit.centre);
    // y flips on the sheet, so a counter-clockwise angle in the panel is clockwise here.
    let _ = write!(
        out,
        r#"<text class="label" transform="translate({:.4} {:.4}) rotate({:.3})" font-size="{:.4}" text-anchor="middle" dominant-baseline="central">"#,
        at.x,
        at.y,
        -fit.angle.to_degrees(),
        fit.font_size
    );
    let first = -(lines.len() as f64 - 1.0) / 2.0 * label::LINE_HEIGHT_EM;
    for (i, line) in lines.iter().enumerate() {
        let _ = write!(
            out,
            r#"<tspan x="0" y="{:.4}em">{}</tspan>"#,
            first + i as f64 * label::LINE_HEIGHT_EM,
            escape(line)
        );
    }
    out.push_str("</text>\n");
    out.push_str("</g>\n");
}

/// The label's lines: piece name, size, fabric (if any), seam allowance and grain.
pub fn label_lines(piece: &CutPiece, options: &SvgOptions) -> Vec<String> {
    let mut lines = vec![piece.name.clone(), format!("size {}", options.size)];
    if let Some(fabric) = &piece.fabric {
        lines.push(fabric.clone());
    }
    lines.push(format!("seam allowance {:.1} cm", piece.seam_allowance_cm));
    lines.push("grain: along the arrow".to_string());
    lines
}

/// The sew line as SVG path data with one command per edge.
fn sew_path(curves: &[Curve], place: Placement) -> String {
    let mut d = String::new();
    if let Some(first) = curves.first() {
        let p = place.map(first.start());
        let _ = write!(d, "M {:.4} {:.4}", p.x, p.y);
    }
    for curve in curves {
        match *curve {
            Curve::Line { to, .. } => {
                let p = place.map(to);
                let _ = write!(d, " L {:.4} {:.4}", p.x, p.y);
            }
            Curve::Quadratic { control, to, .. } => {
                let (c, p) = (place.map(control), place.map(to));
                let _ = write!(d, " Q {:.4} {:.4} {:.4} {:.4}", c.x, c.y, p.x, p.y);
            }
            Curve::Cubic {
                control1,
                control2,
                to,
                ..
            } => {
                let (c1, c2, p) = (place.map(control1), place.map(control2), place.map(to));
                let _ = write!(
                    d,
                    " C {:.4} {:.4} {:.4} {:.4} {:.4} {:.4}",
                    c1.x, c1.y, c2.x, c2.y, p.x, p.y
                );
            }
            Curve::Arc { radius, sweep, .. } => {
                let p = place.map(curve.end());
                // Flipping y turns counter-clockwise into SVG's negative-angle direction.
                let large = u8::from(sweep.abs() > std::f64::consts::PI);
                let sweep_flag = u8::from(sweep < 0.0);
                let _ = write!(
                    d,
                    " A {radius:.4} {radius:.4} 0 {large} {sweep_flag} {:.4} {:.4}",
                    p.x, p.y
                );
            }
        }
    }
    d.push_str(" Z");
    d
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
