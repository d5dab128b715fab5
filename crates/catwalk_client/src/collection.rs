//! The demo collection: generated designs on generated bodies, named by garment references
//! that every part of Catwalk can resolve without a shared database.
//!
//! A reference reads `gen-<seed>-<index>`: design `index` of the diverse set
//! [`catwalk_garment::design::generate`] draws for the demo brief with `seed`, worn by model
//! `index % MODELS.len()` of [`MODELS`] (Anny bodies of different builds). The show server
//! carries the reference in each look's `garment`; the client resolves it here into the
//! design, the body and a list price.

use catwalk_avatar::{BodyParams, Phenotype};
use catwalk_garment::design::{
    DesignBrief, DesignCandidate, FabricPreset, GarmentKind, Palette, generate,
};
use catwalk_garment::{GarmentMesh, MeshOptions};
use catwalk_protocol::{LookId, LookSpec};

/// The models of the demo collection: `(name, gender, weight, height, muscle, proportions)`
/// as Anny phenotype values (0 = male, 1 = female; 0.5 = average).
pub const MODELS: [(&str, f64, f64, f64, f64, f64); 6] = [
    ("Ara", 1.0, 0.45, 0.55, 0.5, 0.3),
    ("Bora", 1.0, 0.7, 0.4, 0.45, 0.5),
    ("Chae", 0.9, 0.35, 0.62, 0.55, 0.2),
    ("Dana", 1.0, 0.6, 0.6, 0.6, 0.6),
    ("Eun", 0.85, 0.5, 0.45, 0.4, 0.4),
    ("Gyeol", 1.0, 0.3, 0.5, 0.5, 0.5),
];

/// Designers credited in the demo line-up.
const DESIGNERS: [&str; 6] = [
    "Kim Seo-yeon",
    "Park Ji-ho",
    "Lee Min-jun",
    "Choi Yu-na",
    "Jung Ha-eun",
    "Han So-yul",
];

/// Seed of the demo collection the README's show uses.
pub const DEMO_SEED: u64 = 2026;

/// Most looks one reference set may hold.
pub const MAX_LOOKS: usize = 48;

/// Why a garment reference could not be resolved.
#[derive(Debug, thiserror::Error)]
pub enum CollectionError {
    /// Not of the form `gen-<seed>-<index>`.
    #[error(
        "garment reference {0:?} is not one Catwalk can draw: expected gen-<seed>-<index> (e.g. gen-2026-3)"
    )]
    Unknown(String),
    /// The index is past the collection's size.
    #[error(
        "garment reference {reference:?}: index {index} is past the {max} looks a collection holds"
    )]
    OutOfRange {
        /// The reference.
        reference: String,
        /// Its index.
        index: usize,
        /// The limit.
        max: usize,
    },
    /// The design generator refused the brief.
    #[error("the design generator failed: {0}")]
    Generate(String),
}

/// One resolved look: what is worn, by whom, and for how much.
#[derive(Debug, Clone)]
pub struct LookAsset {
    /// The garment reference it was resolved from.
    pub reference: String,
    /// The design.
    pub design: DesignCandidate,
    /// The model's name.
    pub model: String,
    /// The model's body.
    pub body: BodyParams,
    /// List price in KRW (see [`list_price_krw`]).
    pub price_krw: u64,
}

/// Parses `gen-<seed>-<index>`.
pub fn parse_reference(reference: &str) -> Result<(u64, usize), CollectionError> {
    let unknown = || CollectionError::Unknown(reference.to_string());
    let rest = reference.strip_prefix("gen-").ok_or_else(unknown)?;
    let (seed, index) = rest.split_once('-').ok_or_else(unknown)?;
    let seed: u64 = seed.parse().map_err(|_| unknown())?;
    let index: usize = index.parse().map_err(|_| unknown())?;
    if index >= MAX_LOOKS {
        return Err(CollectionError::OutOfRange {
            reference: reference.to_string(),
            index,
            max: MAX_LOOKS,
        });
    }
    Ok((seed, index))
}

/// The designs of collection `seed`: dresses, skirts, tops and trousers, in turn.
pub fn designs(seed: u64, n: usize) -> Result<Vec<DesignCandidate>, CollectionError> {
    let palette = Palette::named("jewel").map_err(|e| CollectionError::Generate(e.to_string()))?;
    let mut out = Vec::with_capacity(n);
    let kinds = [
        GarmentKind::Dress,
        GarmentKind::Skirt,
        GarmentKind::Top,
        GarmentKind::Trousers,
    ];
    let per_kind = n.div_ceil(kinds.len());
    let mut by_kind = Vec::new();
    for (k, kind) in kinds.iter().enumerate() {
        let mut brief = DesignBrief::new(palette.clone());
        brief.garment = Some(*kind);
        let drawn = generate(&brief, per_kind, seed.wrapping_add(k as u64 * 7919))
            .map_err(|e| CollectionError::Generate(e.to_string()))?;
        by_kind.push(drawn);
    }
    // Interleave the families so the runway alternates dress, skirt, top, trousers.
    for i in 0..per_kind {
        for list in &by_kind {
            if let Some(d) = list.get(i)
                && out.len() < n
            {
                out.push(d.clone());
            }
        }
    }
    Ok(out)
}

/// The body of model `index`.
pub fn model_body(index: usize) -> (String, BodyParams) {
    let (name, gender, weight, height, muscle, proportions) = MODELS[index % MODELS.len()];
    let mut params = BodyParams::average(gender);
    params.phenotype = Phenotype {
        weight,
        height,
        muscle,
        proportions,
        ..Phenotype::average(gender)
    };
    (name.to_string(), params)
}

/// Resolves a garment reference.
pub fn resolve(reference: &str) -> Result<LookAsset, CollectionError> {
    let (seed, index) = parse_reference(reference)?;
    let design = designs(seed, index + 1)?
        .pop()
        .ok_or_else(|| CollectionError::Generate("no design drawn".into()))?;
    let (model, body) = model_body(index);
    let price_krw = list_price_krw(&design);
    Ok(LookAsset {
        reference: reference.to_string(),
        design,
        model,
        body,
        price_krw,
    })
}

/// A list price for made-to-order production, in KRW, rounded to 1,000: fabric for the
/// pattern drafted on the average body (area × 1.6 for cutting waste × the fabric's price
/// per m²) plus making (per family) and a 2.2× retail margin. An estimate for the audience,
/// not a quote: production's contracts carry the negotiated price.
pub fn list_price_krw(design: &DesignCandidate) -> u64 {
    let area_m2 = design
        .pattern(&catwalk_garment::BodyMeasurements::average())
        .ok()
        .and_then(|p| {
            GarmentMesh::from_pattern(
                &p,
                &MeshOptions {
                    target_edge_cm: 4.0,
                    ..MeshOptions::default()
                },
            )
            .ok()
        })
        .map(|m| mesh_area_m2(&m))
        .unwrap_or(1.5);
    let fabric_per_m2 = match design.fabric {
        FabricPreset::SilkChiffon | FabricPreset::SilkCharmeuse => 28_000.0,
        FabricPreset::WoolSuiting => 24_000.0,
        FabricPreset::Denim => 12_000.0,
        FabricPreset::CottonJersey | FabricPreset::CottonTwill => 9_000.0,
    };
    let making = match design.kind {
        GarmentKind::Dress => 45_000.0,
        GarmentKind::Top => 22_000.0,
        GarmentKind::Skirt => 25_000.0,
        GarmentKind::Trousers => 35_000.0,
    };
    let price = (area_m2 * 1.6 * fabric_per_m2 + making) * 2.2;
    ((price / 1000.0).round() as u64) * 1000
}

fn mesh_area_m2(mesh: &GarmentMesh) -> f64 {
    mesh.triangles
        .iter()
        .map(|t| {
            let [a, b, c] = t.map(|i| mesh.rest_m[i as usize]);
            f64::from((b - a).perp_dot(c - a).abs() * 0.5)
        })
        .sum()
}

/// A line-up of `n` looks from collection `seed`, `duration_ms` each, titled with the
/// design's description and credited to a rotating designer.
pub fn lineup(seed: u64, n: usize, duration_ms: u64) -> Result<Vec<LookSpec>, CollectionError> {
    let n = n.min(MAX_LOOKS);
    let designs = designs(seed, n)?;
    Ok(designs
        .iter()
        .enumerate()
        .map(|(i, d)| LookSpec {
            look: LookId::parse(format!("look-{i:03}"))
                .unwrap_or_else(|_| unreachable!("digits make a valid id")),
            title: short_title(&d.description),
            designer: DESIGNERS[i % DESIGNERS.len()].to_string(),
            garment: format!("gen-{seed}-{i}"),
            duration_ms,
        })
        .collect())
}

/// The description cut to the protocol's text limit at a word boundary.
fn short_title(description: &str) -> String {
    let limit = 120;
    if description.len() <= limit {
        return description.to_string();
    }
    let mut cut = limit;
    while !description.is_char_boundary(cut) {
        cut -= 1;
    }
    let head = &description[..cut];
    let head = head.rsplit_once(' ').map_or(head, |(h, _)| h);
    format!("{}…", head.trim_end_matches([',', ' ']))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_parse_and_reject() {
        assert_eq!(parse_reference("gen-2026-3").ok(), Some((2026, 3)));
        for bad in ["", "gen-", "gen-x-1", "gen-1", "look-1", "gen-1-999"] {
            assert!(parse_reference(bad).is_err(), "{bad} accepted");
        }
        let err = parse_reference("dress-1")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains("gen-<seed>-<index>"), "{err}");
    }

    #[test]
    fn lineup_resolves_to_the_same_designs_on_different_bodies() {
        let lineup = lineup(DEMO_SEED, 6, 12_000).expect("lineup");
        assert_eq!(lineup.len(), 6);
        let mut kinds = Vec::new();
        let mut bodies = Vec::new();
        for spec in &lineup {
            spec.validate().expect("valid look");
            let asset = resolve(&spec.garment).expect("resolves");
            assert_eq!(short_title(&asset.design.description), spec.title);
            assert!(asset.price_krw >= 20_000, "{} KRW", asset.price_krw);
            kinds.push(asset.design.kind);
            bodies.push(asset.model.clone());
        }
        for kind in [
            GarmentKind::Dress,
            GarmentKind::Skirt,
            GarmentKind::Top,
            GarmentKind::Trousers,
        ] {
            assert!(kinds.contains(&kind), "{kind:?} missing from {kinds:?}");
        }
        bodies.dedup();
        assert!(bodies.len() >= 3, "{bodies:?}");
    }
}
