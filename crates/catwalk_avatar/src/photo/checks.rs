//! Capture checks: a matte is accepted only if it shows one whole, upright person, and in
//! the front view with the arms away from the body. Each failure is a [`CaptureError`] with
//! advice; the pipeline rejects rather than guesses.

use super::error::{CaptureError, View};
use super::mask::{Figure, Mask};

/// Thresholds of the capture checks.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CheckLimits {
    /// A figure smaller than this share of the image is no person.
    pub min_person_share: f32,
    /// A second figure at least this share of the main figure's area counts as a person...
    pub second_person_area: f32,
    /// ...if it is also at least this share of the main figure's height.
    pub second_person_height: f32,
    /// Rows (as a share of the figure height) within this many pixels of the top or bottom
    /// edge mean the head or feet are cut off.
    pub edge_margin_px: u32,
    /// Most lean of the body axis from vertical, degrees.
    pub max_tilt_degrees: f32,
    /// Least figure height, pixels.
    pub min_person_px: u32,
    /// In the front view, the share of rows between armpit and hip levels that must show a
    /// gap between each arm and the body.
    pub min_arm_gap_rows: f32,
    /// In the front view, the least angle between the arms and the vertical, degrees: the
    /// regressor was trained on arms held 18 to 36 degrees away from the body.
    pub min_arm_degrees: f32,
}

impl Default for CheckLimits {
    fn default() -> Self {
        CheckLimits {
            min_person_share: 0.01,
            second_person_area: 0.25,
            second_person_height: 0.5,
            edge_margin_px: 2,
            max_tilt_degrees: 12.0,
            min_person_px: 240,
            min_arm_gap_rows: 0.35,
            min_arm_degrees: 12.0,
        }
    }
}

/// Runs every check on a matte of the `view` photo; returns the person's figure.
pub fn check_capture(
    matte: &Mask,
    view: View,
    limits: &CheckLimits,
) -> Result<Figure, CaptureError> {
    let figures = matte.figures();
    let image_area = matte.width() as f32 * matte.height() as f32;
    let Some(&person) = figures.first() else {
        return Err(CaptureError::NoPerson { view });
    };
    if (person.area as f32) < limits.min_person_share * image_area {
        return Err(CaptureError::NoPerson { view });
    }
    let people = figures
        .iter()
        .filter(|f| {
            f.area as f32 >= limits.second_person_area * person.area as f32
                && f.bounds.height() as f32
                    >= limits.second_person_height * person.bounds.height() as f32
        })
        .count();
    if people > 1 {
        return Err(CaptureError::MultiplePeople {
            view,
            count: people,
        });
    }
    if person.bounds.y0 < limits.edge_margin_px {
        return Err(CaptureError::HeadCutOff { view });
    }
    if person.bounds.y1 + limits.edge_margin_px > matte.height() {
        return Err(CaptureError::FeetCutOff { view });
    }
    if person.bounds.height() < limits.min_person_px {
        return Err(CaptureError::PersonTooSmall {
            view,
            pixels: person.bounds.height(),
            min_pixels: limits.min_person_px,
        });
    }
    let lean = matte.lean_degrees(person.bounds);
    if lean > limits.max_tilt_degrees {
        return Err(CaptureError::CameraTilt {
            view,
            degrees: lean,
            max_degrees: limits.max_tilt_degrees,
        });
    }
    if view == View::Front {
        let apart = arm_gap_share(matte, &person) >= limits.min_arm_gap_rows
            && arm_angle_degrees(matte, &person).is_some_and(|a| a >= limits.min_arm_degrees);
        if !apart {
            return Err(CaptureError::ArmsAgainstBody);
        }
    }
    Ok(person)
}

/// The rows from just below the armpits to the hips (32 % to 48 % of the figure height).
fn arm_band(person: &Figure) -> (u32, u32) {
    let b = person.bounds;
    let h = b.height() as f32;
    (b.y0 + (0.32 * h) as u32, b.y0 + (0.48 * h) as u32)
}

/// Foreground runs of a row at least 0.5 % of the figure height wide (specks are not runs).
fn runs(matte: &Mask, person: &Figure, y: u32) -> Vec<(u32, u32)> {
    let b = person.bounds;
    let min_run = ((0.005 * b.height() as f32) as u32).max(1);
    let mut runs = matte.row_runs(y, b.x0, b.x1);
    runs.retain(|(s, e)| e - s >= min_run);
    runs
}

/// The mean angle of the two arms from vertical (degrees), from straight lines fitted to the
/// centres of the outermost runs of the rows in the arm band that show both arms apart
/// from the body; `None` with fewer than five such rows.
pub fn arm_angle_degrees(matte: &Mask, person: &Figure) -> Option<f32> {
    let (r0, r1) = arm_band(person);
    let mut left = Vec::new();
    let mut right = Vec::new();
    for y in r0..r1 {
        let runs = runs(matte, person, y);
        if runs.len() >= 3 {
            let (first, last) = (runs[0], runs[runs.len() - 1]);
            left.push((y as f32, (first.0 + first.1) as f32 / 2.0));
            right.push((y as f32, (last.0 + last.1) as f32 / 2.0));
        }
    }
    if left.len() < 5 {
        return None;
    }
    let slope = |points: &[(f32, f32)]| {
        let n = points.len() as f32;
        let (my, mx) = points
            .iter()
            .fold((0.0, 0.0), |(a, b), &(y, x)| (a + y / n, b + x / n));
        let (mut sxy, mut syy) = (0.0f32, 0.0f32);
        for &(y, x) in points {
            sxy += (y - my) * (x - mx);
            syy += (y - my) * (y - my);
        }
        if syy > 0.0 { sxy / syy } else { 0.0 }
    };
    // Left arm (image left) moves left going down; right arm moves right.
    let angle = |s: f32| s.atan().to_degrees();
    Some((angle(-slope(&left)) + angle(slope(&right))) / 2.0)
}

/// Share of the rows from just below the armpits to the hips (32 % to 48 % of the figure
/// height from the top) where the row shows the torso with a gap on each side before an
/// arm: at least three foreground runs.
pub fn arm_gap_share(matte: &Mask, person: &Figure) -> f32 {
    let (r0, r1) = arm_band(person);
    if r1 <= r0 {
        return 0.0;
    }
    let with_gaps = (r0..r1)
        .filter(|&y| runs(matte, person, y).len() >= 3)
        .count();
    with_gaps as f32 / (r1 - r0) as f32
}
