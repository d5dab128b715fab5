//! Dresses: a bodice from the top family cut off at the skirt's waistline and sewn to a
//! skirt from the skirt family. The bodice's hem is drafted to the skirt's top girth, so
//! the waist seam matches exactly.
//!
//! The bodice tapers in a straight line from the bust to the waist (no darts yet), so on
//! bodies with a large bust-to-waist difference it stands away from the body at the
//! front; the simulator shows it as drape.

use super::DesignError;
use super::skirt::{SkirtDesign, skirt};
use super::top::{BodiceHem, TopDesign, draft_top};
use crate::body::BodyMeasurements;
use crate::pattern::{Pattern, Stitch, StitchDirection, StitchEnd};

/// A dress design: a bodice (its `length_cm` is ignored; it ends at the skirt's top) and a
/// skirt.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DressDesign {
    /// The bodice: neckline, sleeves, bust ease.
    pub bodice: TopDesign,
    /// The skirt: style, length, waist ease and drop.
    pub skirt: SkirtDesign,
}

/// Drafts a dress for `body`. The pattern is validated before it is returned.
pub fn dress(body: &BodyMeasurements, design: &DressDesign) -> Result<Pattern, DesignError> {
    let lower = skirt(body, &design.skirt)?;
    let waist_height = body.waist_height() - design.skirt.waist_drop_cm;
    let hem = BodiceHem {
        height: waist_height,
        girth: design.skirt.top_girth(body),
    };
    let upper = draft_top(body, &design.bodice, Some(hem))?;
    let mut pattern = upper;
    pattern.panels.extend(lower.panels);
    pattern.stitches.extend(lower.stitches);
    for side in ["front", "back"] {
        let bodice = format!("top_{side}");
        let skirt = format!("skirt_{side}");
        let edge = |panel: &str, group: &str| {
            pattern
                .panel(panel)
                .and_then(|p| p.edge_groups.get(group))
                .and_then(|g| g.first().copied())
                .ok_or_else(|| {
                    DesignError::DoesNotFit(format!("panel \"{panel}\" has no {group} edge"))
                })
        };
        let (hem, waist) = (edge(&bodice, "hem")?, edge(&skirt, "waist")?);
        pattern.stitches.push(Stitch::new(
            StitchEnd::new(bodice, hem),
            StitchEnd::new(skirt, waist),
            StitchDirection::Opposite,
        ));
    }
    pattern.validate()?;
    Ok(pattern)
}
