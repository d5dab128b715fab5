//! Trims of the bill of materials, derived from the pattern: everything besides the main
//! fabric that goes into one garment, with its quantity per garment and for the order.
//!
//! # Rules
//! - **Sewing thread**: [`THREAD_CONSUMPTION_FACTOR`] × the total stitched seam length (the
//!   sum of the sewing operations' lengths). The factor is the usual planning ratio for a
//!   301 lockstitch (needle plus bobbin thread, about 2.5 cm of thread per cm of seam at
//!   3–4 stitches per cm, as in thread makers' consumption tables); it excludes hemming
//!   and overlocking, which the factory adds from its own ratios.
//! - **Invisible zipper**: needed when the garment has a waist (skirts, trousers, dresses)
//!   and its main fabric is woven; a top (pulled on over the head through the neckline)
//!   and a garment in a knit (cotton jersey, which stretches over the hips) have none. It
//!   sits in the left side seam. The opening reaches from the waist to the hip line, i.e.
//!   the side-seam edge that meets the waist when the side seam is split at the hip
//!   (fitted skirts, trousers), else [`DEFAULT_OPENING_CM`] (circle skirts, which flare
//!   below the waist); a dress's opening also runs up the bodice side seam to
//!   [`BELOW_ARMHOLE_CM`] below the armhole. The zipper is the opening plus
//!   [`ZIPPER_EXTRA_CM`], rounded up to the next of [`STOCK_ZIPPER_CM`].
//! - **Hook and eye**: one set at the top of every zipper.
//! - **Waistband interfacing**: a garment whose waist edge is not sewn to another piece
//!   (skirts, trousers) is finished with a waistband cut double, fused over its full cut
//!   width of [`WAISTBAND_CUT_WIDTH_CM`] and over the waist girth plus
//!   [`WAISTBAND_UNDERLAP_CM`] underlap.
//! - **Hem tape**: a hem drafted as an arc (circle skirts) cannot be turned up flat, so it
//!   is bound with bias hem tape: the hem length plus [`HEM_TAPE_EXTRA`] for joins.
//! - **Buttons**: none; no garment program drafts a buttoned opening.
//! - **Labels**: one size label and one care label per garment.

use serde::{Deserialize, Serialize};

use crate::panel::EdgeShape;
use crate::pattern::Pattern;

/// Thread consumed per length of seam for a 301 lockstitch (see the module header).
pub const THREAD_CONSUMPTION_FACTOR: f64 = 2.5;
/// Zipper opening below the waist when the pattern has no hip point (cm).
pub const DEFAULT_OPENING_CM: f64 = 18.0;
/// A dress's zipper stops this far below the armhole (cm).
pub const BELOW_ARMHOLE_CM: f64 = 2.0;
/// Zipper tape beyond the opening, for the stop and the top (cm).
pub const ZIPPER_EXTRA_CM: f64 = 2.0;
/// Stock invisible-zipper lengths (cm, 7″–22″); longer openings take the longest.
pub const STOCK_ZIPPER_CM: [f64; 11] = [
    18.0, 20.0, 23.0, 25.0, 30.0, 35.0, 40.0, 45.0, 50.0, 55.0, 60.0,
];
/// Cut width of a waistband cut double: 2 × 4 cm finished plus 2 × 1 cm seam allowance.
pub const WAISTBAND_CUT_WIDTH_CM: f64 = 10.0;
/// Waistband underlap beyond the waist girth, where the hook and eye sit (cm).
pub const WAISTBAND_UNDERLAP_CM: f64 = 3.0;
/// Hem tape bought beyond the hem length, for joins (fraction).
pub const HEM_TAPE_EXTRA: f64 = 0.05;
/// Fabric names that are knits (pull-on, no closure needed).
const KNIT_FABRICS: [&str; 1] = ["cotton jersey"];

/// One trim line of the bill of materials.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrimLine {
    /// What it is (`"invisible zipper"`).
    pub name: String,
    /// How to buy or place it (`"23 cm, left side seam"`).
    pub specification: String,
    /// Unit of the quantities (`"pcs"`, `"m"`, `"m²"`, `"sets"`).
    pub unit: String,
    /// Quantity for one garment.
    pub per_garment: f64,
    /// Quantity for the whole order (`per_garment` × order quantity).
    pub order_total: f64,
}

impl TrimLine {
    fn new(name: &str, specification: String, unit: &str, per_garment: f64, qty: u32) -> Self {
        Self {
            name: name.to_string(),
            specification,
            unit: unit.to_string(),
            per_garment,
            order_total: per_garment * f64::from(qty),
        }
    }
}

/// The trims of `pattern` for an order of `quantity` garments, given the total stitched
/// seam length per garment (cm) and the main fabric's name (see the module header).
pub fn trims_for(
    pattern: &Pattern,
    seam_length_cm: f64,
    main_fabric: &str,
    quantity: u32,
) -> Vec<TrimLine> {
    let mut lines = Vec::new();
    let thread_m = THREAD_CONSUMPTION_FACTOR * seam_length_cm / 100.0;
    lines.push(TrimLine::new(
        "sewing thread",
        format!(
            "core-spun polyester Tex 27, matched to the fabric; lockstitch 301, \
             {THREAD_CONSUMPTION_FACTOR} × {seam_length_cm:.0} cm of seams"
        ),
        "m",
        thread_m,
        quantity,
    ));
    if let Some(zipper) = zipper_length_cm(pattern, main_fabric) {
        lines.push(TrimLine::new(
            "invisible zipper",
            format!("{zipper:.0} cm, left side seam, colour matched"),
            "pcs",
            1.0,
            quantity,
        ));
        lines.push(TrimLine::new(
            "hook and eye",
            "size 2, at the top of the zipper".to_string(),
            "sets",
            1.0,
            quantity,
        ));
    }
    let waist = open_waist_cm(pattern);
    if waist > 0.0 {
        let length = waist + WAISTBAND_UNDERLAP_CM;
        lines.push(TrimLine::new(
            "waistband interfacing",
            format!("woven fusible, {WAISTBAND_CUT_WIDTH_CM:.0} × {length:.1} cm"),
            "m²",
            WAISTBAND_CUT_WIDTH_CM * length / 10_000.0,
            quantity,
        ));
    }
    let arc_hem = arc_hem_cm(pattern);
    if arc_hem > 0.0 {
        lines.push(TrimLine::new(
            "hem tape",
            "bias hem tape 12 mm, colour matched".to_string(),
            "m",
            arc_hem * (1.0 + HEM_TAPE_EXTRA) / 100.0,
            quantity,
        ));
    }
    lines.push(TrimLine::new(
        "size label",
        "woven, at the left side seam (or centre back neck on tops)".to_string(),
        "pcs",
        1.0,
        quantity,
    ));
    lines.push(TrimLine::new(
        "care label",
        format!("printed satin, fibre content ({main_fabric}) and care symbols"),
        "pcs",
        1.0,
        quantity,
    ));
    lines
}

/// Length of the invisible zipper (cm), or `None` when the garment needs no closure.
pub fn zipper_length_cm(pattern: &Pattern, main_fabric: &str) -> Option<f64> {
    if KNIT_FABRICS.contains(&main_fabric) {
        return None;
    }
    let waisted = pattern
        .panels
        .iter()
        .find(|p| p.edge_groups.contains_key("waist"))?;
    let waist_vertices: Vec<usize> = waisted
        .edge_groups
        .get("waist")
        .into_iter()
        .flatten()
        .filter_map(|&e| waisted.edges.get(e))
        .flat_map(|e| [e.start, e.end])
        .collect();
    let mut opening = DEFAULT_OPENING_CM;
    for side in ["side_left", "outseam"] {
        let Some(edges) = waisted.edge_groups.get(side) else {
            continue;
        };
        if edges.len() < 2 {
            continue;
        }
        let upper = edges.iter().copied().find(|&e| {
            waisted.edges.get(e).is_some_and(|e| {
                waist_vertices.contains(&e.start) || waist_vertices.contains(&e.end)
            })
        });
        if let Some(len) = upper.and_then(|e| waisted.edge_length(e).ok()) {
            opening = len;
        }
        break;
    }
    // A dress: the opening continues up the bodice side seam.
    if let Some(bodice) = pattern
        .panels
        .iter()
        .find(|p| p.edge_groups.contains_key("armhole_left"))
    {
        let side = bodice.group_length("side_left").unwrap_or(0.0);
        opening += (side - BELOW_ARMHOLE_CM).max(0.0);
    }
    let needed = opening + ZIPPER_EXTRA_CM;
    Some(
        STOCK_ZIPPER_CM
            .iter()
            .copied()
            .find(|&l| l >= needed)
            .unwrap_or(STOCK_ZIPPER_CM[STOCK_ZIPPER_CM.len() - 1]),
    )
}

/// Total length of waist edges not sewn to another piece (cm).
fn open_waist_cm(pattern: &Pattern) -> f64 {
    open_edges(pattern, "waist")
        .filter_map(|(p, e)| p.edge_length(e).ok())
        .sum()
}

/// Total length of open hem edges drafted as arcs (cm).
fn arc_hem_cm(pattern: &Pattern) -> f64 {
    open_edges(pattern, "hem")
        .filter(|(p, e)| {
            p.edges
                .get(*e)
                .is_some_and(|edge| matches!(edge.shape, EdgeShape::Arc { .. }))
        })
        .filter_map(|(p, e)| p.edge_length(e).ok())
        .sum()
}

/// The edges of `group` over all panels that no stitch sews.
fn open_edges<'a>(
    pattern: &'a Pattern,
    group: &'a str,
) -> impl Iterator<Item = (&'a crate::panel::Panel, usize)> + 'a {
    pattern.panels.iter().flat_map(move |panel| {
        panel
            .edge_groups
            .get(group)
            .into_iter()
            .flatten()
            .copied()
            .filter(move |&edge| {
                !pattern.stitches.iter().any(|s| {
                    (s.a.panel == panel.name && s.a.edge == edge)
                        || (s.b.panel == panel.name && s.b.edge == edge)
                })
            })
            .map(move |edge| (panel, edge))
    })
}
