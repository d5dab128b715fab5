//! A generated candidate design: the garment, its colour and fabric, the axes it was
//! sampled at, and a one-line description a person can read.

use serde::{Deserialize, Serialize};

use super::colour::Colour;
use super::garment::{AXIS_COUNT, DesignAxes, GarmentDesign, NecklineShape};
use super::vocabulary::{FabricPreset, Fit, GarmentKind, StyleKeyword};
use crate::body::BodyMeasurements;
use crate::pattern::Pattern;
use crate::programs::{DesignError, SkirtStyle, TrousersDesign};

/// Length of [`DesignCandidate::features`].
pub const FEATURE_COUNT: usize = AXIS_COUNT + 1 + 4;

/// Weight of the family one-hot in [`DesignCandidate::features`]: two designs of different
/// families are this far apart on those features alone (times √2).
const KIND_FEATURE_WEIGHT: f64 = 0.5;

/// One candidate design.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DesignCandidate {
    /// Family.
    pub kind: GarmentKind,
    /// Where in the normalised design space it was sampled.
    pub axes: DesignAxes,
    /// Neckline (tops and dresses).
    pub neckline: NecklineShape,
    /// Colour.
    pub colour: Colour,
    /// Fabric preset.
    pub fabric: FabricPreset,
    /// One line for people ("Knee-length pencil skirt in navy wool suiting, slim fit, for
    /// the office").
    pub description: String,
}

impl DesignCandidate {
    /// A candidate with its description written from the parameters and `keywords`.
    pub fn new(
        kind: GarmentKind,
        axes: DesignAxes,
        neckline: NecklineShape,
        colour: Colour,
        fabric: FabricPreset,
        keywords: &[StyleKeyword],
    ) -> Self {
        let axes = DesignAxes::from_array(axes.to_array());
        let mut c = Self {
            kind,
            axes,
            neckline,
            colour,
            fabric,
            description: String::new(),
        };
        c.description = describe(&c, keywords);
        c
    }

    /// The garment program's parameters.
    pub fn design(&self) -> GarmentDesign {
        GarmentDesign::from_axes(self.kind, &self.axes, self.neckline)
    }

    /// Drafts the pattern for `body`, every panel cut from this candidate's fabric.
    pub fn pattern(&self, body: &BodyMeasurements) -> Result<Pattern, DesignError> {
        let mut pattern = self.design().draft(body)?;
        for panel in &mut pattern.panels {
            panel.cutting.fabric = Some(self.fabric.label().to_string());
        }
        Ok(pattern)
    }

    /// The point in normalised design space used for diversity: the six axes, the colour's
    /// lightness and a weighted one-hot of the family.
    pub fn features(&self) -> [f64; FEATURE_COUNT] {
        let mut f = [0.0; FEATURE_COUNT];
        f[..AXIS_COUNT].copy_from_slice(&self.axes.to_array());
        f[AXIS_COUNT] = self.colour.lightness();
        f[AXIS_COUNT + 1 + self.kind.index()] = KIND_FEATURE_WEIGHT;
        f
    }

    /// Euclidean distance between two candidates' [`features`](Self::features), plus 0.25
    /// when their fabrics differ.
    pub fn distance(&self, other: &Self) -> f64 {
        let a = self.features();
        let b = other.features();
        let d2: f64 = a.iter().zip(&b).map(|(x, y)| (x - y).powi(2)).sum();
        let fabric = if self.fabric == other.fabric {
            0.0
        } else {
            0.25
        };
        (d2 + fabric * fabric).sqrt()
    }
}

/// Words for a skirt or dress length axis value.
fn skirt_length_word(t: f64) -> &'static str {
    match t {
        t if t < 0.15 => "mini",
        t if t < 0.32 => "above-knee",
        t if t < 0.5 => "knee-length",
        t if t < 0.75 => "midi",
        _ => "maxi",
    }
}

fn description_head(c: &DesignCandidate) -> String {
    let design = c.design();
    match design {
        GarmentDesign::Skirt(s) => format!(
            "{} {} skirt",
            skirt_length_word(c.axes.length),
            skirt_style_word(s.style)
        ),
        GarmentDesign::Dress(d) => format!(
            "{} {}dress",
            skirt_length_word(c.axes.length),
            with_neckline_and_sleeves(skirt_style_word(d.skirt.style), c)
        ),
        GarmentDesign::Top(_) => {
            let length = match c.axes.length {
                t if t < 0.3 => "cropped",
                t if t < 0.7 => "hip-length",
                _ => "long",
            };
            format!("{length} {}top", with_neckline_and_sleeves("", c))
        }
        GarmentDesign::Trousers(t) => trousers_words(&t, c.axes.length),
    }
}

fn skirt_style_word(style: SkirtStyle) -> &'static str {
    match style {
        SkirtStyle::Pencil { .. } => "pencil",
        SkirtStyle::ALine { .. } => "A-line",
        SkirtStyle::Circle { fullness } if fullness >= 0.9 => "full circle",
        SkirtStyle::Circle { .. } => "circle",
    }
}

/// The words before the garment noun: `"sleeveless A-line "` or `"A-line "` (sleeves are
/// named after the noun, by [`neck_and_sleeve_suffix`]).
fn with_neckline_and_sleeves(style: &str, c: &DesignCandidate) -> String {
    let style = if style.is_empty() {
        String::new()
    } else {
        format!("{style} ")
    };
    match sleeve_words(c.axes.sleeve) {
        None => format!("sleeveless {style}"),
        Some(_) => style,
    }
}

/// " with a V-neck" or " with a V-neck and short sleeves".
fn neck_and_sleeve_suffix(c: &DesignCandidate) -> String {
    match sleeve_words(c.axes.sleeve) {
        None => format!(" with a {}", c.neckline.name()),
        Some(sleeves) => format!(" with a {} and {sleeves}", c.neckline.name()),
    }
}

fn sleeve_words(sleeve: f64) -> Option<&'static str> {
    match (sleeve * 3.0).round() as u8 {
        0 => None,
        1 => Some("short sleeves"),
        2 => Some("three-quarter sleeves"),
        _ => Some("long sleeves"),
    }
}

fn trousers_words(t: &TrousersDesign, length: f64) -> String {
    let leg = match t.hem_girth_cm {
        g if g < 40.0 => "tapered",
        g if g < 50.0 => "straight",
        _ => "wide-leg",
    };
    match length {
        l if l < 0.2 => format!("{leg} shorts"),
        l if l < 0.5 => format!("{leg} knee-length trousers"),
        l if l < 0.8 => format!("{leg} cropped trousers"),
        _ => format!("full-length {leg} trousers"),
    }
}

/// "Knee-length pencil skirt in navy wool suiting, slim fit, for the office".
fn describe(c: &DesignCandidate, keywords: &[StyleKeyword]) -> String {
    let mut head = description_head(c);
    if matches!(c.kind, GarmentKind::Dress | GarmentKind::Top) {
        head.push_str(&neck_and_sleeve_suffix(c));
    }
    let mut line = format!(
        "{} in {} {}, {} fit",
        capitalise(&head),
        c.colour.name(),
        c.fabric.label(),
        Fit::from_axis(c.axes.fit).name()
    );
    let occasion = keywords
        .iter()
        .find(|k| k.is_occasion())
        .or(keywords.first());
    if let Some(k) = occasion {
        line.push_str(", ");
        line.push_str(k.phrase());
    }
    line
}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dresses_name_neckline_and_sleeves() {
        let mut axes = DesignAxes {
            length: 0.9,
            silhouette: 0.5,
            fit: 0.5,
            waist_drop: 0.0,
            neckline_depth: 0.5,
            sleeve: 0.0,
        };
        let dress = |axes| {
            DesignCandidate::new(
                GarmentKind::Dress,
                axes,
                NecklineShape::V,
                Colour::rgb(0x80, 0x20, 0x30),
                FabricPreset::SilkCharmeuse,
                &[StyleKeyword::Evening],
            )
            .description
        };
        assert_eq!(
            dress(axes),
            "Maxi sleeveless A-line dress with a V-neck in burgundy silk charmeuse, regular \
             fit, for the evening"
        );
        axes.sleeve = 1.0 / 3.0;
        assert!(dress(axes).starts_with("Maxi A-line dress with a V-neck and short sleeves in"));
    }

    #[test]
    fn office_skirt_reads_like_a_catalogue_line() {
        let axes = DesignAxes {
            length: 0.4,
            silhouette: 0.1,
            fit: 0.2,
            waist_drop: 0.0,
            neckline_depth: 0.5,
            sleeve: 1.0,
        };
        let c = DesignCandidate::new(
            GarmentKind::Skirt,
            axes,
            NecklineShape::Crew,
            Colour::rgb(0x1F, 0x2A, 0x44),
            FabricPreset::WoolSuiting,
            &[StyleKeyword::Minimal, StyleKeyword::Office],
        );
        assert_eq!(
            c.description,
            "Knee-length pencil skirt in navy wool suiting, slim fit, for the office"
        );
    }
}
