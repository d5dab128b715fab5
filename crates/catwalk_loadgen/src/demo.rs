//! Line-ups for demo and load-test shows: looks with designers, garments and durations.

use catwalk_protocol::{LookId, LookSpec};

const DESIGNERS: [&str; 8] = [
    "Kim Seo-yeon",
    "Park Ji-ho",
    "Lee Min-jun",
    "Choi Yu-na",
    "Jung Ha-eun",
    "Kang Do-yun",
    "Yoon Ji-woo",
    "Han So-yul",
];

const GARMENTS: [(&str, &str); 8] = [
    ("a-line-skirt", "Silk chiffon A-line skirt"),
    ("pencil-skirt", "Wool suiting pencil skirt"),
    ("wrap-dress", "Cotton jersey wrap dress"),
    ("shirt-dress", "Cotton twill shirt dress"),
    ("wide-trousers", "Denim wide-leg trousers"),
    ("circle-skirt", "Silk charmeuse circle skirt"),
    ("boxy-top", "Cotton jersey boxy top"),
    ("sheath-dress", "Wool suiting sheath dress"),
];

/// `n` looks of `duration_ms` each, `look-000`, `look-001`, ….
pub fn lineup(n: usize, duration_ms: u64) -> Vec<LookSpec> {
    (0..n)
        .map(|i| {
            let (garment, title) = GARMENTS[i % GARMENTS.len()];
            LookSpec {
                look: LookId::parse(format!("look-{i:03}"))
                    .unwrap_or_else(|_| unreachable!("digits make a valid id")),
                title: title.to_string(),
                designer: DESIGNERS[(i * 3) % DESIGNERS.len()].to_string(),
                garment: format!("{garment}-{i:03}"),
                duration_ms,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lineup_is_valid() {
        let l = lineup(20, 30_000);
        assert_eq!(l.len(), 20);
        assert!(l.iter().all(|s| s.validate().is_ok()));
        assert_eq!(l[7].look.as_str(), "look-007");
    }
}
