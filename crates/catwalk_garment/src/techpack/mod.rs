//! The tech pack / work order a factory follows: the pieces to cut (fabric, grain, seam
//! allowance, size of each piece), the bill of materials (fabric to buy and trims), the
//! sewing operations in order, the colourways, and a QR code that identifies the work
//! order on the shop floor.
//!
//! - [`TechPack`]: the content, serialisable to JSON (and read back).
//! - [`html`](mod@html): a printable HTML page with the QR code inline.
//! - [`measurement`]: the graded measurement spec (points of measure with tolerances in
//!   every size), attached with [`TechPack::with_measurement_spec`].
//! - [`trims`]: the trims of the bill of materials (thread, zipper, interfacing, labels…),
//!   derived from the pattern by documented rules.
//! - [`colourway`]: the style's colourways, attached with [`TechPack::with_colourways`].
//!
//! Every tech pack carries the SHA-256 of the pattern's GarmentCode JSON, so the piece
//! that is cut can be traced to the exact pattern that was shown and sold.

pub mod colourway;
pub mod html;
pub mod measurement;
pub mod trims;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

pub use colourway::{Colourway, ColourwayError, colourways_for};
pub use measurement::{ChartSource, MeasurementSpec, PointOfMeasure};
pub use trims::{THREAD_CONSUMPTION_FACTOR, TrimLine, trims_for};

use crate::body::MeasurementSheet;
use crate::export::ExportError;
use crate::export::piece::cut_pieces;
use crate::pattern::{Pattern, StitchDirection};
use crate::polygon;
use crate::spec::to_json_string;

/// Fabric bought is the cut area times this factor (markers waste roughly 10–20%).
pub const FABRIC_WASTE_FACTOR: f64 = 1.15;

/// Who the work order is for and what it is called.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorkOrderInfo {
    /// Work order identifier, printed and encoded in the QR code.
    pub work_order_id: String,
    /// The design's name.
    pub garment: String,
    /// Size label (`"M"`) or `"made to measure"`.
    pub size: String,
    /// How many garments to make.
    pub quantity: u32,
    /// Where the QR code points (a URL of the work order page); the id when empty.
    pub qr_payload: String,
}

/// One piece to cut.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PieceSpec {
    /// Piece (panel) name.
    pub name: String,
    /// Pieces per garment.
    pub per_garment: u32,
    /// Fabric name, or `"unspecified"`.
    pub fabric: String,
    /// Grain line direction in the piece's plane.
    pub grain: [f64; 2],
    /// Seam allowance (cm).
    pub seam_allowance_cm: f64,
    /// Width × height of the cut piece's bounding box (cm).
    pub cut_size_cm: [f64; 2],
    /// Area of the cut piece including seam allowance (cm²).
    pub cut_area_cm2: f64,
}

/// One seam to sew.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SewingOperation {
    /// Order of work, from 1.
    pub step: u32,
    /// First piece and the edge's name (its edge group) or number.
    pub from: String,
    /// Second piece and edge.
    pub to: String,
    /// Seam length (cm), the longer of the two edges.
    pub length_cm: f64,
    /// `"opposite"` or `"same"`: how the two edges run along each other.
    pub direction: String,
}

/// A complete tech pack.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TechPack {
    /// Identification.
    pub info: WorkOrderInfo,
    /// SHA-256 (hex) of the pattern's GarmentCode JSON.
    pub pattern_sha256: String,
    /// The body or size chart row the pattern was drafted for, if known.
    pub measurements: Option<MeasurementSheet>,
    /// Pieces to cut, in pattern order.
    pub pieces: Vec<PieceSpec>,
    /// Fabric to buy per fabric name (m², waste included, for the whole order).
    pub fabric_m2: BTreeMap<String, f64>,
    /// Sewing operations, in pattern stitch order.
    pub operations: Vec<SewingOperation>,
    /// The graded measurement spec, when the design was graded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub measurement_spec: Option<MeasurementSpec>,
    /// Trims for the whole order (see [`trims`]); empty in tech packs written before
    /// trims were listed.
    #[serde(default)]
    pub trims: Vec<TrimLine>,
    /// Colourways, main first; empty until [`TechPack::with_colourways`].
    #[serde(default)]
    pub colourways: Vec<Colourway>,
}

impl TechPack {
    /// Builds the tech pack for `pattern`.
    pub fn new(
        pattern: &Pattern,
        info: WorkOrderInfo,
        measurements: Option<MeasurementSheet>,
    ) -> Result<Self, ExportError> {
        let pieces = cut_pieces(pattern)?;
        let mut specs = Vec::with_capacity(pieces.len());
        let mut fabric_m2: BTreeMap<String, f64> = BTreeMap::new();
        for (piece, panel) in pieces.iter().zip(&pattern.panels) {
            let (min, max) = piece.bounds();
            let area = polygon::signed_area(&piece.cut_line).abs();
            let fabric = piece
                .fabric
                .clone()
                .unwrap_or_else(|| "unspecified".to_string());
            *fabric_m2.entry(fabric.clone()).or_default() +=
                area / 10_000.0 * FABRIC_WASTE_FACTOR * f64::from(info.quantity);
            specs.push(PieceSpec {
                name: piece.name.clone(),
                per_garment: 1,
                fabric,
                grain: panel.cutting.grain.to_array(),
                seam_allowance_cm: piece.seam_allowance_cm,
                cut_size_cm: (max - min).to_array(),
                cut_area_cm2: area,
            });
        }
        let edge_name = |panel: &str, edge: usize| {
            let group = pattern.panel(panel).and_then(|p| {
                p.edge_groups
                    .iter()
                    .find(|(_, edges)| edges.contains(&edge))
                    .map(|(name, _)| name.clone())
            });
            match group {
                Some(g) => format!("{panel} / {g} (edge {edge})"),
                None => format!("{panel} / edge {edge}"),
            }
        };
        let mut operations = Vec::with_capacity(pattern.stitches.len());
        for (i, s) in pattern.stitches.iter().enumerate() {
            let len = |panel: &str, edge: usize| {
                pattern
                    .panel(panel)
                    .and_then(|p| p.edge_length(edge).ok())
                    .unwrap_or(0.0)
            };
            operations.push(SewingOperation {
                step: i as u32 + 1,
                from: edge_name(&s.a.panel, s.a.edge),
                to: edge_name(&s.b.panel, s.b.edge),
                length_cm: len(&s.a.panel, s.a.edge).max(len(&s.b.panel, s.b.edge)),
                direction: match s.direction {
                    StitchDirection::Opposite => "opposite",
                    StitchDirection::Same => "same",
                }
                .to_string(),
            });
        }
        let seam_length_cm: f64 = operations.iter().map(|op| op.length_cm).sum();
        let trims = trims_for(pattern, seam_length_cm, &main_fabric(&specs), info.quantity);
        let digest = Sha256::digest(to_json_string(pattern).as_bytes());
        let pattern_sha256 = digest.iter().map(|b| format!("{b:02x}")).collect();
        Ok(Self {
            info,
            pattern_sha256,
            measurements,
            pieces: specs,
            fabric_m2,
            operations,
            measurement_spec: None,
            trims,
            colourways: Vec::new(),
        })
    }

    /// The tech pack with its colourways (main first) attached.
    pub fn with_colourways(mut self, colourways: Vec<Colourway>) -> Self {
        self.colourways = colourways;
        self
    }

    /// The tech pack with a graded measurement spec attached.
    pub fn with_measurement_spec(mut self, spec: MeasurementSpec) -> Self {
        self.measurement_spec = Some(spec);
        self
    }

    /// The tech pack as pretty JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// What the QR code encodes: the payload if given, else `catwalk:work-order:ID`.
    pub fn qr_text(&self) -> String {
        if self.info.qr_payload.is_empty() {
            format!("catwalk:work-order:{}", self.info.work_order_id)
        } else {
            self.info.qr_payload.clone()
        }
    }
}

/// The fabric with the largest cut area, or `"unspecified"`.
fn main_fabric(pieces: &[PieceSpec]) -> String {
    let mut area: BTreeMap<&str, f64> = BTreeMap::new();
    for p in pieces {
        *area.entry(p.fabric.as_str()).or_default() += p.cut_area_cm2;
    }
    area.into_iter()
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map_or_else(|| "unspecified".to_string(), |(f, _)| f.to_string())
}
