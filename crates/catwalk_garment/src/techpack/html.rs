//! A printable HTML work order: header with the QR code, the cutting list, the bill of
//! materials (fabric and trims), the sewing operations, the colourways as swatches and the
//! measurement spec. Self-contained (inline CSS and SVG), no scripts.

use std::fmt::Write as _;

use qrcode::QrCode;
use qrcode::render::svg;

use super::{Colourway, MeasurementSpec, TechPack, TrimLine};

/// Why a work order page could not be rendered.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum HtmlError {
    /// The QR payload is too long for a QR code.
    #[error("the QR code cannot hold {len} bytes; use a shorter work-order URL")]
    QrTooLong {
        /// Payload length in bytes.
        len: usize,
    },
    /// A colourway's colour is not `#RRGGBB` (the JSON was edited by hand?).
    #[error("colourway \"{name}\" has colour \"{hex}\"; write it as #RRGGBB, e.g. #1F2A44")]
    BadColourway {
        /// The colourway.
        name: String,
        /// Its colour as written.
        hex: String,
    },
}

/// The QR code of the work order as an inline SVG element.
pub fn qr_svg(text: &str) -> Result<String, HtmlError> {
    let code =
        QrCode::new(text.as_bytes()).map_err(|_| HtmlError::QrTooLong { len: text.len() })?;
    let image = code
        .render::<svg::Color<'_>>()
        .min_dimensions(160, 160)
        .quiet_zone(true)
        .build();
    // Drop the XML prologue so the SVG can sit inside HTML.
    Ok(match image.find("<svg") {
        Some(i) => image[i..].to_string(),
        None => image,
    })
}

/// Renders the tech pack as one HTML page.
pub fn render(pack: &TechPack) -> Result<String, HtmlError> {
    let info = &pack.info;
    let mut h = String::new();
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <title>Work order {id} — {garment}</title>\n<style>\
         body{{font-family:sans-serif;margin:2em}}table{{border-collapse:collapse;margin:1em 0}}\
         td,th{{border:1px solid #999;padding:4px 8px;text-align:left}}\
         header{{display:flex;gap:2em;align-items:center}}</style></head><body>\n",
        id = esc(&info.work_order_id),
        garment = esc(&info.garment)
    );
    let _ = writeln!(
        h,
        "<header><div class=\"qr\">{}</div><div><h1>{}</h1>\
         <p>Work order <strong>{}</strong> · size <strong>{}</strong> · quantity <strong>{}</strong></p>\
         <p>Pattern SHA-256 <code>{}</code></p></div></header>",
        qr_svg(&pack.qr_text())?,
        esc(&info.garment),
        esc(&info.work_order_id),
        esc(&info.size),
        info.quantity,
        esc(&pack.pattern_sha256)
    );
    h.push_str(
        "<h2>Cutting list</h2>\n<table class=\"pieces\"><tr><th>Piece</th><th>Per garment</th>\
         <th>Fabric</th><th>Grain</th><th>Seam allowance (cm)</th><th>Cut size (cm)</th></tr>\n",
    );
    for p in &pack.pieces {
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>({:.2}, {:.2})</td><td>{:.1}</td>\
             <td>{:.1} × {:.1}</td></tr>",
            esc(&p.name),
            p.per_garment,
            esc(&p.fabric),
            p.grain[0],
            p.grain[1],
            p.seam_allowance_cm,
            p.cut_size_cm[0],
            p.cut_size_cm[1]
        );
    }
    h.push_str("</table>\n<h2>Bill of materials</h2>\n<table class=\"fabric\"><tr><th>Fabric</th><th>m² (waste included)</th></tr>\n");
    for (fabric, m2) in &pack.fabric_m2 {
        let _ = writeln!(h, "<tr><td>{}</td><td>{m2:.2}</td></tr>", esc(fabric));
    }
    h.push_str("</table>\n");
    trims_table(&mut h, &pack.trims, info.quantity);
    h.push_str("</table>\n<h2>Sewing operations</h2>\n<table class=\"operations\"><tr><th>Step</th><th>Sew</th><th>To</th><th>Length (cm)</th><th>Direction</th></tr>\n");
    for op in &pack.operations {
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{:.1}</td><td>{}</td></tr>",
            op.step,
            esc(&op.from),
            esc(&op.to),
            op.length_cm,
            esc(&op.direction)
        );
    }
    h.push_str("</table>\n");
    colourway_table(&mut h, &pack.colourways)?;
    if let Some(spec) = &pack.measurement_spec {
        measurement_table(&mut h, spec);
    }
    h.push_str("</body></html>\n");
    Ok(h)
}

/// Trim lines with quantities per garment and for the order.
fn trims_table(h: &mut String, trims: &[TrimLine], quantity: u32) {
    if trims.is_empty() {
        return;
    }
    let _ = writeln!(
        h,
        "<table class=\"trims\"><tr><th>Trim</th><th>Specification</th><th>Unit</th>\
         <th>Per garment</th><th>Order total (× {quantity})</th></tr>"
    );
    for t in trims {
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&t.name),
            esc(&t.specification),
            esc(&t.unit),
            quantity_text(t.per_garment),
            quantity_text(t.order_total)
        );
    }
    h.push_str("</table>\n");
}

/// Whole numbers without decimals, others with two.
fn quantity_text(v: f64) -> String {
    if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.2}")
    }
}

/// One row per colourway with a swatch in its colour.
fn colourway_table(h: &mut String, colourways: &[Colourway]) -> Result<(), HtmlError> {
    if colourways.is_empty() {
        return Ok(());
    }
    h.push_str("<h2>Colourways</h2>\n<table class=\"colourways\"><tr><th>Swatch</th><th>Name</th><th>Colour</th><th>Fabric</th><th>Pantone</th></tr>\n");
    for c in colourways {
        let colour = c.colour().ok_or_else(|| HtmlError::BadColourway {
            name: c.name.clone(),
            hex: c.hex.clone(),
        })?;
        let _ = writeln!(
            h,
            "<tr><td><span class=\"swatch\" style=\"display:inline-block;width:3em;height:1.5em;\
             border:1px solid #333;background:{colour}\"></span></td><td>{}</td><td>{colour}</td>\
             <td>{}</td><td>{}</td></tr>",
            esc(&c.name),
            esc(c.fabric.label()),
            if c.pantone.is_empty() {
                "—".to_string()
            } else {
                esc(&c.pantone)
            }
        );
    }
    h.push_str("</table>\n");
    Ok(())
}

/// The graded spec: one row per point of measure, one column per size (base size marked).
fn measurement_table(h: &mut String, spec: &MeasurementSpec) {
    h.push_str("<h2>Measurement spec (cm)</h2>\n<table class=\"measurements\"><tr><th>POM</th><th>How to measure</th><th>± Tol.</th>");
    for size in &spec.sizes {
        let mark = if *size == spec.base_size {
            " (base)"
        } else {
            ""
        };
        let _ = write!(h, "<th>{}{mark}</th>", esc(size));
    }
    h.push_str("</tr>\n");
    for point in &spec.points {
        let _ = write!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{:.1}</td>",
            esc(&point.code),
            esc(&point.how_to_measure),
            point.tolerance_cm
        );
        for size in &spec.sizes {
            match point.values.get(size) {
                Some(v) => {
                    let _ = write!(h, "<td>{v:.1}</td>");
                }
                None => h.push_str("<td>—</td>"),
            }
        }
        h.push_str("</tr>\n");
    }
    h.push_str("</table>\n");
    if let Some(chart) = &spec.chart {
        let _ = writeln!(
            h,
            "<p class=\"chart\">Sizes graded by <b>{}</b>. {}</p>",
            esc(&chart.name),
            esc(&chart.basis)
        );
    }
}

fn esc(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
