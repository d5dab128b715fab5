//! Partner recommendation for a job (step 5): hard filters first, then a weighted score
//! whose parts and weights are returned with every candidate, so a production company can
//! see why a partner is first.
//!
//! Hard filters: the partner does this kind of work, makes this garment type, works this
//! fabric (not asked of pattern makers), its minimum order is at most the job's quantity,
//! its lead time fits before the due date, and its free capacity until the due date covers
//! the job.
//!
//! Weighted score (weights in [`WEIGHTS`]): Bayesian-averaged rating (partner ratings from
//! production companies plus product ratings from buyers of products they worked on),
//! on-time rate (Laplace-smoothed, prior 1 of 2), quality (1 − defect rate smoothed with 1
//! defect in 20 units), lead-time slack, price level, distance.

use serde::{Deserialize, Serialize};

use super::rating::BayesianAverage;

/// What a partner does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PartnerKind {
    /// Drafts and grades production patterns.
    PatternMaker,
    /// Sews samples.
    SampleRoom,
    /// Cuts, sews, finishes and packs the production run.
    SewingFactory,
}

impl PartnerKind {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::PatternMaker => "pattern_maker",
            Self::SampleRoom => "sample_room",
            Self::SewingFactory => "sewing_factory",
        }
    }

    /// Parses the wire name.
    pub fn parse(s: &str) -> Option<Self> {
        [Self::PatternMaker, Self::SampleRoom, Self::SewingFactory]
            .into_iter()
            .find(|k| k.as_str() == s)
    }
}

/// A partner's capabilities, as the partner states them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartnerProfile {
    /// What the partner does.
    pub kind: PartnerKind,
    /// Garment types made (`"skirt"`, `"top"`, `"dress"`, `"trousers"`, …).
    pub garment_types: Vec<String>,
    /// Fabrics worked (`"cotton"`, `"denim"`, …).
    pub fabrics: Vec<String>,
    /// Units the partner can finish per day.
    pub capacity_per_day: i64,
    /// Days from order to delivery.
    pub lead_time_days: i64,
    /// Minimum order quantity in units.
    pub moq: i64,
    /// District or neighbourhood (e.g. `"Changsin-dong"`).
    pub district: String,
    /// Latitude in micro-degrees, if known.
    #[serde(default)]
    pub lat_e6: Option<i64>,
    /// Longitude in micro-degrees, if known.
    #[serde(default)]
    pub lon_e6: Option<i64>,
    /// Price level from 1 (cheapest) to 5.
    pub price_level: i64,
}

/// What a partner has done, from stored facts.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PartnerRecord {
    /// Rating, already Bayesian-averaged.
    pub rating: Option<BayesianAverage>,
    /// Completed work orders.
    pub completed: i64,
    /// Of those, finished by their due date.
    pub on_time: i64,
    /// Good units reported.
    pub good_units: i64,
    /// Defective units reported.
    pub defect_units: i64,
    /// Units in open (not completed, not cancelled) work orders.
    pub open_units: i64,
}

/// The job to staff.
#[derive(Debug, Clone, PartialEq)]
pub struct Job {
    /// Kind of partner needed.
    pub kind: PartnerKind,
    /// Garment type.
    pub garment_type: String,
    /// Main fabric (`"unspecified"` skips the fabric filter).
    pub fabric: String,
    /// Units.
    pub quantity: i64,
    /// Days until the due date.
    pub days_until_due: i64,
    /// The production company's location in micro-degrees, if known.
    pub origin_e6: Option<(i64, i64)>,
}

/// The soft-score weights, in order: rating, on-time, quality, lead time, price, distance.
pub const WEIGHTS: [(&str, f64); 6] = [
    ("rating", 0.35),
    ("on_time", 0.20),
    ("quality", 0.15),
    ("lead_time", 0.10),
    ("price", 0.10),
    ("distance", 0.10),
];

/// One part of a candidate's score.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScorePart {
    /// Which criterion.
    pub criterion: &'static str,
    /// Its weight.
    pub weight: f64,
    /// Its value, 0..=1.
    pub value: f64,
    /// Why it has that value.
    pub reason: String,
}

/// The outcome for one partner.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Assessment {
    /// The weighted score (0..=1), or `None` if a hard filter excluded the partner.
    pub score: Option<f64>,
    /// Hard filters that failed (empty when eligible).
    pub excluded_because: Vec<String>,
    /// The score's parts (empty when excluded).
    pub parts: Vec<ScorePart>,
}

fn has(list: &[String], item: &str) -> bool {
    list.iter().any(|x| x.eq_ignore_ascii_case(item))
}

/// Applies the hard filters and, if they pass, scores the partner.
pub fn assess(job: &Job, p: &PartnerProfile, r: &PartnerRecord) -> Assessment {
    let mut excluded = Vec::new();
    if p.kind != job.kind {
        excluded.push(format!(
            "is a {}, not a {}",
            p.kind.as_str(),
            job.kind.as_str()
        ));
    }
    if !has(&p.garment_types, &job.garment_type) {
        excluded.push(format!("does not make {}", job.garment_type));
    }
    // Pattern makers work on paper and CAD, not on the fabric.
    if job.kind != PartnerKind::PatternMaker
        && job.fabric != "unspecified"
        && !has(&p.fabrics, &job.fabric)
    {
        excluded.push(format!("does not work {}", job.fabric));
    }
    if p.moq > job.quantity {
        excluded.push(format!("minimum order {} > {} units", p.moq, job.quantity));
    }
    if p.lead_time_days > job.days_until_due {
        excluded.push(format!(
            "lead time {} days > {} days to the due date",
            p.lead_time_days, job.days_until_due
        ));
    }
    let free = p.capacity_per_day.saturating_mul(job.days_until_due.max(0)) - r.open_units;
    if free < job.quantity {
        excluded.push(format!(
            "free capacity {free} units before the due date < {} needed",
            job.quantity
        ));
    }
    if !excluded.is_empty() {
        return Assessment {
            score: None,
            excluded_because: excluded,
            parts: Vec::new(),
        };
    }
    let (rating, rating_reason) = match &r.rating {
        Some(b) => (
            b.unit(),
            format!(
                "{:.2}★ Bayesian from {} ratings (prior {} at {:.1}★)",
                b.score, b.count, b.prior.weight, b.prior.mean
            ),
        ),
        None => (0.5, "no ratings yet: the prior, 3.0★".to_string()),
    };
    let on_time = (r.on_time as f64 + 1.0) / (r.completed as f64 + 2.0);
    let units = (r.good_units + r.defect_units) as f64;
    let defect_rate = (r.defect_units as f64 + 1.0) / (units + 20.0);
    let slack = 1.0 - p.lead_time_days as f64 / job.days_until_due.max(1) as f64;
    let price = (5 - p.price_level.clamp(1, 5)) as f64 / 4.0;
    let (distance, distance_reason) = match (job.origin_e6, p.lat_e6.zip(p.lon_e6)) {
        (Some(a), Some(b)) => {
            let km = distance_km(a, b);
            (1.0 / (1.0 + km / 10.0), format!("{km:.1} km away"))
        }
        _ => (0.5, format!("in {}; distance unknown", p.district)),
    };
    let values = [
        (rating, rating_reason),
        (
            on_time,
            format!("{} of {} work orders on time", r.on_time, r.completed),
        ),
        (
            1.0 - defect_rate,
            format!(
                "{} defects in {} units (smoothed rate {:.1}%)",
                r.defect_units,
                units,
                defect_rate * 100.0
            ),
        ),
        (
            slack.clamp(0.0, 1.0),
            format!("{} of {} days", p.lead_time_days, job.days_until_due),
        ),
        (price, format!("price level {} of 5", p.price_level)),
        (distance, distance_reason),
    ];
    let parts: Vec<ScorePart> = WEIGHTS
        .iter()
        .zip(values)
        .map(|((criterion, weight), (value, reason))| ScorePart {
            criterion,
            weight: *weight,
            value,
            reason,
        })
        .collect();
    let score = parts.iter().map(|p| p.weight * p.value).sum();
    Assessment {
        score: Some(score),
        excluded_because: Vec::new(),
        parts,
    }
}

/// Great-circle distance in km between two points given in micro-degrees.
pub fn distance_km(a: (i64, i64), b: (i64, i64)) -> f64 {
    let rad = |v: i64| (v as f64 / 1e6).to_radians();
    let (la1, lo1, la2, lo2) = (rad(a.0), rad(a.1), rad(b.0), rad(b.1));
    let h = ((la2 - la1) / 2.0).sin().powi(2)
        + la1.cos() * la2.cos() * ((lo2 - lo1) / 2.0).sin().powi(2);
    2.0 * 6371.0 * h.sqrt().asin()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::rating::STAR_PRIOR;

    fn factory() -> PartnerProfile {
        PartnerProfile {
            kind: PartnerKind::SewingFactory,
            garment_types: vec!["skirt".into()],
            fabrics: vec!["cotton".into()],
            capacity_per_day: 20,
            lead_time_days: 5,
            moq: 30,
            district: "Changsin-dong".into(),
            lat_e6: None,
            lon_e6: None,
            price_level: 3,
        }
    }

    fn job(quantity: i64) -> Job {
        Job {
            kind: PartnerKind::SewingFactory,
            garment_type: "skirt".into(),
            fabric: "cotton".into(),
            quantity,
            days_until_due: 10,
            origin_e6: None,
        }
    }

    #[test]
    fn hard_filters_say_what_failed() {
        let a = assess(&job(10), &factory(), &PartnerRecord::default());
        assert_eq!(a.score, None);
        assert_eq!(a.excluded_because, vec!["minimum order 30 > 10 units"]);
        let busy = PartnerRecord {
            open_units: 190,
            ..Default::default()
        };
        let b = assess(&job(50), &factory(), &busy);
        assert!(b.excluded_because[0].starts_with("free capacity 10 units"));
    }

    #[test]
    fn better_record_scores_higher_and_parts_sum() {
        let good = PartnerRecord {
            rating: Some(BayesianAverage::new(STAR_PRIOR, 20, 95)),
            completed: 10,
            on_time: 10,
            good_units: 1000,
            defect_units: 5,
            open_units: 0,
        };
        let a = assess(&job(50), &factory(), &good);
        let b = assess(&job(50), &factory(), &PartnerRecord::default());
        let (sa, sb) = (a.score.unwrap_or(0.0), b.score.unwrap_or(0.0));
        assert!(sa > sb);
        let sum: f64 = a.parts.iter().map(|p| p.weight * p.value).sum();
        assert!((sum - sa).abs() < 1e-12);
        assert_eq!(a.parts.len(), 6);
    }

    #[test]
    fn pattern_makers_are_not_filtered_by_fabric() {
        let maker = PartnerProfile {
            kind: PartnerKind::PatternMaker,
            fabrics: vec![],
            moq: 1,
            ..factory()
        };
        let j = Job {
            kind: PartnerKind::PatternMaker,
            quantity: 1,
            ..job(1)
        };
        let a = assess(&j, &maker, &PartnerRecord::default());
        assert!(a.score.is_some(), "{:?}", a.excluded_because);
        let sample_room = PartnerProfile {
            kind: PartnerKind::SampleRoom,
            ..maker
        };
        let j = Job {
            kind: PartnerKind::SampleRoom,
            ..j
        };
        let b = assess(&j, &sample_room, &PartnerRecord::default());
        assert_eq!(b.excluded_because, vec!["does not work cotton"]);
    }

    #[test]
    fn distance_between_dongdaemun_and_seongsu() {
        let km = distance_km((37_571_000, 127_009_000), (37_544_000, 127_056_000));
        assert!((4.0..6.0).contains(&km), "{km}");
    }
}
