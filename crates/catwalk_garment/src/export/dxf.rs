//! DXF export of a cut pattern for factory CAD and cutters, following the AAMA/ASTM D6673
//! layer convention: one `BLOCK` per piece, inserted side by side, in millimetres, y up.
//!
//! Layers used: 1 piece boundary (the cutting line, with the piece's annotation text:
//! `Piece Name:`, `Size:`, `Quantity:`, `Material:`), 4 notches (`POINT`s on the boundary),
//! 7 grain line, 14 sew line. Curves are written as polylines (R12 `POLYLINE`/`VERTEX`).

use std::fmt::Write as _;

use glam::DVec2;

use super::ExportError;
use super::piece::{CutPiece, cut_pieces};
use crate::pattern::Pattern;

/// AAMA layer of the piece boundary (cutting line) and piece annotation.
pub const LAYER_BOUNDARY: u32 = 1;
/// AAMA layer of notches.
pub const LAYER_NOTCH: u32 = 4;
/// AAMA layer of the grain line.
pub const LAYER_GRAIN: u32 = 7;
/// AAMA layer of sew lines.
pub const LAYER_SEW: u32 = 14;

/// Millimetres per pattern unit (cm).
const MM_PER_CM: f64 = 10.0;

/// What to annotate each piece with.
#[derive(Debug, Clone, PartialEq)]
pub struct DxfOptions {
    /// The product (garment) name.
    pub garment: String,
    /// The size written on every piece.
    pub size: String,
    /// How many of each piece to cut.
    pub quantity: u32,
    /// Space between inserted pieces (cm).
    pub gap_cm: f64,
}

impl Default for DxfOptions {
    fn default() -> Self {
        Self {
            garment: "garment".into(),
            size: "custom".into(),
            quantity: 1,
            gap_cm: 3.0,
        }
    }
}

/// Renders the pattern as an AAMA-style DXF (R12, ASCII).
pub fn pattern_dxf(pattern: &Pattern, options: &DxfOptions) -> Result<String, ExportError> {
    let pieces = cut_pieces(pattern)?;
    let mut w = Dxf::default();
    w.section("HEADER");
    w.pair(9, "$ACADVER");
    w.pair(1, "AC1009");
    w.pair(9, "$MEASUREMENT");
    w.pair(70, "1");
    w.pair(9, "$INSUNITS");
    w.pair(70, "4");
    w.end_section();

    w.section("TABLES");
    w.pair(0, "TABLE");
    w.pair(2, "LAYER");
    w.pair(70, "4");
    for layer in [LAYER_BOUNDARY, LAYER_NOTCH, LAYER_GRAIN, LAYER_SEW] {
        w.pair(0, "LAYER");
        w.pair(2, &layer.to_string());
        w.pair(70, "0");
        w.pair(62, "7");
        w.pair(6, "CONTINUOUS");
    }
    w.pair(0, "ENDTAB");
    w.end_section();

    w.section("BLOCKS");
    for piece in &pieces {
        write_block(&mut w, piece, options);
    }
    w.end_section();

    w.section("ENTITIES");
    let mut y = 0.0;
    for (i, line) in [
        "ANSI/AAMA VERSION: 1.0.0".to_string(),
        format!("PRODUCT: {}", clean(&options.garment)),
        "UNITS: METRIC".to_string(),
    ]
    .iter()
    .enumerate()
    {
        y -= 10.0 * (i as f64 + 1.0);
        w.text(LAYER_BOUNDARY, DVec2::new(0.0, y), line);
    }
    let mut x = 0.0;
    for piece in &pieces {
        let (min, max) = piece.bounds();
        w.pair(0, "INSERT");
        w.pair(8, "0");
        w.pair(2, &block_name(&piece.name));
        w.num(10, (x - min.x) * MM_PER_CM);
        w.num(20, -min.y * MM_PER_CM);
        w.num(30, 0.0);
        x += (max.x - min.x) + options.gap_cm.max(0.0);
    }
    w.end_section();
    w.pair(0, "EOF");
    Ok(w.out)
}

fn write_block(w: &mut Dxf, piece: &CutPiece, options: &DxfOptions) {
    let name = block_name(&piece.name);
    w.pair(0, "BLOCK");
    w.pair(8, "0");
    w.pair(2, &name);
    w.pair(70, "0");
    w.num(10, 0.0);
    w.num(20, 0.0);
    w.num(30, 0.0);
    w.pair(3, &name);

    w.polyline(LAYER_BOUNDARY, &piece.cut_line, true);
    w.polyline(LAYER_SEW, &piece.sew_line, true);
    w.pair(0, "LINE");
    w.pair(8, &LAYER_GRAIN.to_string());
    w.num(10, piece.grain.0.x * MM_PER_CM);
    w.num(20, piece.grain.0.y * MM_PER_CM);
    w.num(30, 0.0);
    w.num(11, piece.grain.1.x * MM_PER_CM);
    w.num(21, piece.grain.1.y * MM_PER_CM);
    w.num(31, 0.0);
    for notch in &piece.notches {
        w.pair(0, "POINT");
        w.pair(8, &LAYER_NOTCH.to_string());
        w.num(10, notch.on_cut_line.x * MM_PER_CM);
        w.num(20, notch.on_cut_line.y * MM_PER_CM);
        w.num(30, 0.0);
    }
    let (min, max) = super::piece::bounds(&piece.sew_line);
    let mut at = DVec2::new((min.x + max.x) / 2.0, (min.y + max.y) / 2.0);
    let mut lines = vec![
        format!("Piece Name: {}", clean(&piece.name)),
        format!("Size: {}", clean(&options.size)),
        format!("Quantity: {}", options.quantity),
    ];
    if let Some(fabric) = &piece.fabric {
        lines.push(format!("Material: {}", clean(fabric)));
    }
    lines.push(format!(
        "Annotation: seam allowance {:.1} cm",
        piece.seam_allowance_cm
    ));
    for line in lines {
        w.text(LAYER_BOUNDARY, at, &line);
        at.y -= 1.5;
    }
    w.pair(0, "ENDBLK");
    w.pair(8, "0");
}

/// Block names may not contain spaces or DXF-reserved characters.
fn block_name(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// Text values are single lines.
fn clean(text: &str) -> String {
    text.replace(['\r', '\n'], " ")
}

/// A DXF writer: group codes and values, one per line.
#[derive(Default)]
struct Dxf {
    out: String,
}

impl Dxf {
    fn pair(&mut self, code: u32, value: &str) {
        let _ = write!(self.out, "{code}\n{value}\n");
    }

    fn num(&mut self, code: u32, value: f64) {
        let _ = write!(self.out, "{code}\n{value:.3}\n");
    }

    fn section(&mut self, name: &str) {
        self.pair(0, "SECTION");
        self.pair(2, name);
    }

    fn end_section(&mut self) {
        self.pair(0, "ENDSEC");
    }

    /// A polyline in cm, written in mm.
    fn polyline(&mut self, layer: u32, points: &[DVec2], closed: bool) {
        let layer = layer.to_string();
        self.pair(0, "POLYLINE");
        self.pair(8, &layer);
        self.pair(66, "1");
        self.pair(70, if closed { "1" } else { "0" });
        self.num(10, 0.0);
        self.num(20, 0.0);
        self.num(30, 0.0);
        for p in points {
            self.pair(0, "VERTEX");
            self.pair(8, &layer);
            self.num(10, p.x * MM_PER_CM);
            self.num(20, p.y * MM_PER_CM);
            self.num(30, 0.0);
        }
        self.pair(0, "SEQEND");
        self.pair(8, &layer);
    }

    /// Text at a point in cm (0.5 cm high).
    fn text(&mut self, layer: u32, at: DVec2, text: &str) {
        self.pair(0, "TEXT");
        self.pair(8, &layer.to_string());
        self.num(10, at.x * MM_PER_CM);
        self.num(20, at.y * MM_PER_CM);
        self.num(30, 0.0);
        self.num(40, 5.0);
        self.pair(1, text);
    }
}
