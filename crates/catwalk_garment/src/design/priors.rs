//! What each style keyword means for a design: weighted votes on the design axes and on
//! the discrete choices (garment family, neckline, fabric, colour lightness).
//!
//! A keyword's vote on an axis is a target value in `[0, 1]` and a weight. The prior of an
//! axis is a normal distribution whose mean is the weighted mean of the votes and of a
//! neutral vote (0.5, weight 1), and whose spread narrows as votes add up:
//! `sd = 0.3 / sqrt(1 + Σ weights)`. Discrete choices get a baseline weight plus the
//! keywords' weights. The table, as written in [`keyword_votes`]:
//!
//! | keyword  | length          | silhouette      | other axes            | family           | fabric                    | colour   |
//! |----------|-----------------|-----------------|-----------------------|------------------|---------------------------|----------|
//! | evening  | 0.85 long (×2)  | 0.65 flared     | sleeveless            | dress ≫ skirt    | charmeuse, chiffon        | dark     |
//! | office   | 0.4 knee (×2)   | 0.1 pencil (×2) | slim, long sleeves    | skirt, trousers  | wool suiting ≫ twill      | dark     |
//! | casual   | 0.35            | 0.5             | relaxed               | top, trousers    | jersey, denim, twill      | —        |
//! | party    | 0.1 mini (×2)   | 0.6             | sleeveless            | dress, skirt     | charmeuse, jersey         | mid-dark |
//! | wedding  | 0.95 floor (×2) | 0.9 circle (×2) | scoop/V, short sleeve | dress ≫          | chiffon, charmeuse        | light    |
//! | minimal  | —               | 0.25 narrow     | crew/boat             | —                | wool, jersey              | —        |
//! | romantic | 0.65 midi       | 0.8 full        | scoop/V, short sleeve | dress, skirt     | chiffon                   | light    |
//! | sporty   | 0.2 short       | 0.45            | relaxed, short sleeve | top, trousers    | jersey ≫                  | —        |
//! | street   | 0.5             | 0.6 wide        | very relaxed          | trousers, top    | denim ≫ twill             | dark     |

use super::garment::{AXIS_COUNT, NecklineShape};
use super::vocabulary::{FabricPreset, GarmentKind, StyleKeyword};

/// Axis positions in [`super::DesignAxes::to_array`].
pub(crate) mod axis {
    pub const LENGTH: usize = 0;
    pub const SILHOUETTE: usize = 1;
    pub const FIT: usize = 2;
    pub const WAIST_DROP: usize = 3;
    pub const NECKLINE_DEPTH: usize = 4;
    pub const SLEEVE: usize = 5;
}

/// Spread of an axis prior with no votes but the neutral one.
pub const BASE_SD: f64 = 0.3;

/// One keyword's votes.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct KeywordVotes {
    /// `(axis index, target, weight)`.
    pub axes: Vec<(usize, f64, f64)>,
    /// Extra weight per garment family.
    pub kinds: Vec<(GarmentKind, f64)>,
    /// Extra weight per neckline.
    pub necklines: Vec<(NecklineShape, f64)>,
    /// Extra weight per fabric.
    pub fabrics: Vec<(FabricPreset, f64)>,
    /// Preferred colour lightness and its weight.
    pub lightness: Option<(f64, f64)>,
}

/// The votes of `keyword` (the table in this module's header).
pub fn keyword_votes(keyword: StyleKeyword) -> KeywordVotes {
    use FabricPreset as F;
    use GarmentKind as G;
    use NecklineShape as N;
    use axis::*;
    match keyword {
        StyleKeyword::Evening => KeywordVotes {
            axes: vec![
                (LENGTH, 0.85, 2.0),
                (SILHOUETTE, 0.65, 1.0),
                (SLEEVE, 0.0, 1.0),
            ],
            kinds: vec![(G::Dress, 4.0), (G::Skirt, 1.0)],
            necklines: vec![(N::V, 2.0), (N::Scoop, 1.0)],
            fabrics: vec![(F::SilkCharmeuse, 3.0), (F::SilkChiffon, 2.0)],
            lightness: Some((0.15, 2.0)),
        },
        StyleKeyword::Office => KeywordVotes {
            axes: vec![
                (LENGTH, 0.4, 2.0),
                (SILHOUETTE, 0.1, 2.0),
                (FIT, 0.25, 1.0),
                (WAIST_DROP, 0.0, 1.0),
                (SLEEVE, 0.9, 1.0),
            ],
            kinds: vec![(G::Skirt, 2.0), (G::Trousers, 2.0), (G::Top, 1.0)],
            necklines: vec![(N::Crew, 2.0), (N::Boat, 1.0)],
            fabrics: vec![(F::WoolSuiting, 4.0), (F::CottonTwill, 1.0)],
            lightness: Some((0.2, 1.0)),
        },
        StyleKeyword::Casual => KeywordVotes {
            axes: vec![(LENGTH, 0.35, 1.0), (SILHOUETTE, 0.5, 0.5), (FIT, 0.7, 1.0)],
            kinds: vec![(G::Top, 2.0), (G::Trousers, 2.0), (G::Skirt, 1.0)],
            necklines: vec![(N::Crew, 2.0), (N::Scoop, 1.0)],
            fabrics: vec![
                (F::CottonJersey, 2.0),
                (F::Denim, 2.0),
                (F::CottonTwill, 1.0),
            ],
            lightness: None,
        },
        StyleKeyword::Party => KeywordVotes {
            axes: vec![
                (LENGTH, 0.1, 2.0),
                (SILHOUETTE, 0.6, 1.0),
                (SLEEVE, 0.0, 1.0),
            ],
            kinds: vec![(G::Dress, 3.0), (G::Skirt, 2.0)],
            necklines: vec![(N::V, 2.0), (N::Scoop, 1.0)],
            fabrics: vec![(F::SilkCharmeuse, 2.0), (F::CottonJersey, 1.0)],
            lightness: Some((0.3, 1.0)),
        },
        StyleKeyword::Wedding => KeywordVotes {
            axes: vec![
                (LENGTH, 0.95, 2.0),
                (SILHOUETTE, 0.9, 2.0),
                (NECKLINE_DEPTH, 0.5, 1.0),
                (SLEEVE, 0.33, 0.5),
            ],
            kinds: vec![(G::Dress, 6.0)],
            necklines: vec![(N::Scoop, 2.0), (N::V, 1.0), (N::Boat, 1.0)],
            fabrics: vec![(F::SilkChiffon, 3.0), (F::SilkCharmeuse, 2.0)],
            lightness: Some((0.9, 2.0)),
        },
        StyleKeyword::Minimal => KeywordVotes {
            axes: vec![(SILHOUETTE, 0.25, 1.0), (WAIST_DROP, 0.0, 0.5)],
            kinds: vec![],
            necklines: vec![(N::Crew, 2.0), (N::Boat, 2.0)],
            fabrics: vec![(F::WoolSuiting, 1.0), (F::CottonJersey, 1.0)],
            lightness: None,
        },
        StyleKeyword::Romantic => KeywordVotes {
            axes: vec![
                (LENGTH, 0.65, 1.0),
                (SILHOUETTE, 0.8, 1.5),
                (SLEEVE, 0.33, 0.5),
            ],
            kinds: vec![(G::Dress, 2.0), (G::Skirt, 2.0)],
            necklines: vec![(N::Scoop, 2.0), (N::V, 1.0)],
            fabrics: vec![(F::SilkChiffon, 3.0)],
            lightness: Some((0.8, 1.0)),
        },
        StyleKeyword::Sporty => KeywordVotes {
            axes: vec![
                (LENGTH, 0.2, 1.5),
                (SILHOUETTE, 0.45, 0.5),
                (FIT, 0.75, 1.0),
                (SLEEVE, 0.33, 1.0),
            ],
            kinds: vec![(G::Top, 2.0), (G::Trousers, 2.0), (G::Skirt, 0.5)],
            necklines: vec![(N::Crew, 2.0)],
            fabrics: vec![(F::CottonJersey, 4.0)],
            lightness: None,
        },
        StyleKeyword::Street => KeywordVotes {
            axes: vec![(LENGTH, 0.5, 0.5), (SILHOUETTE, 0.6, 1.0), (FIT, 0.9, 2.0)],
            kinds: vec![(G::Trousers, 3.0), (G::Top, 2.0)],
            necklines: vec![(N::Crew, 2.0)],
            fabrics: vec![(F::Denim, 4.0), (F::CottonTwill, 1.0)],
            lightness: Some((0.25, 1.0)),
        },
    }
}

/// A normal prior on one axis (clamped to `[0, 1]` when sampled).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AxisPrior {
    /// Mean.
    pub mean: f64,
    /// Standard deviation.
    pub sd: f64,
}

/// The priors of all axes and discrete choices implied by a set of keywords.
#[derive(Debug, Clone, PartialEq)]
pub struct KeywordPriors {
    /// Per axis, in [`super::DesignAxes::to_array`] order.
    pub axes: [AxisPrior; AXIS_COUNT],
    /// Weight per [`GarmentKind::ALL`].
    pub kinds: [f64; 4],
    /// Weight per [`NecklineShape::ALL`].
    pub necklines: [f64; 4],
    /// Weight per [`FabricPreset::ALL`].
    pub fabrics: [f64; 6],
    /// Preferred lightness and total weight, if any keyword has one.
    pub lightness: Option<(f64, f64)>,
}

/// Combines the votes of `keywords` with the neutral vote (see the module header).
pub fn combine(keywords: &[StyleKeyword]) -> KeywordPriors {
    let mut sums = [(0.5, 1.0); AXIS_COUNT]; // (weighted sum, total weight)
    let mut kinds = [1.0; 4];
    let mut necklines = [1.0; 4];
    let mut fabrics = [0.5; 6];
    let (mut light_sum, mut light_weight) = (0.0, 0.0);
    for &k in keywords {
        let votes = keyword_votes(k);
        for (axis, target, weight) in votes.axes {
            sums[axis].0 += target * weight;
            sums[axis].1 += weight;
        }
        for (kind, w) in votes.kinds {
            kinds[kind.index()] += w;
        }
        for (n, w) in votes.necklines {
            if let Some(i) = NecklineShape::ALL.iter().position(|x| *x == n) {
                necklines[i] += w;
            }
        }
        for (f, w) in votes.fabrics {
            fabrics[f.index()] += w;
        }
        if let Some((l, w)) = votes.lightness {
            light_sum += l * w;
            light_weight += w;
        }
    }
    let axes = sums.map(|(sum, weight)| AxisPrior {
        mean: sum / weight,
        sd: BASE_SD / weight.sqrt(),
    });
    KeywordPriors {
        axes,
        kinds,
        necklines,
        fabrics,
        lightness: (light_weight > 0.0).then(|| (light_sum / light_weight, light_weight)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_keywords_is_neutral() {
        let p = combine(&[]);
        assert!(p.axes.iter().all(|a| a.mean == 0.5 && a.sd == BASE_SD));
        assert!(p.lightness.is_none());
    }

    #[test]
    fn evening_lengthens_and_office_narrows() {
        let evening = combine(&[StyleKeyword::Evening]);
        let office = combine(&[StyleKeyword::Office]);
        assert!(evening.axes[axis::LENGTH].mean > 0.7);
        assert!(office.axes[axis::SILHOUETTE].mean < 0.3);
        assert!(office.fabrics[FabricPreset::WoolSuiting.index()] > 4.0);
    }
}
