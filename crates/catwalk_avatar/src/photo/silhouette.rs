//! The shape regressor's view of a person: the figure cut out of a matte or a rendered mask,
//! scaled so the person spans the grid's height exactly and centred on the figure's
//! horizontal centre of mass, with coverage averaged into [`GRID_ROWS`] x [`GRID_COLS`]
//! cells. Training data and photos go through this same function, so the regressor sees
//! the same thing in both.

use super::mask::{Figure, Mask};

/// Rows of the regressor's silhouette grid (head at row 0, feet at the last row).
pub const GRID_ROWS: u32 = 96;
/// Columns of the grid; a cell is as wide as it is tall, so the grid spans 2/3 of the
/// person's height, enough for arms held 20 to 35 degrees from the body.
pub const GRID_COLS: u32 = 64;

/// The normalised silhouette of `figure` in `mask`.
pub fn normalise(mask: &Mask, figure: &Figure) -> Mask {
    let b = figure.bounds;
    let (mut total, mut moment) = (0.0f64, 0.0f64);
    for y in b.y0..b.y1 {
        for x in b.x0..b.x1 {
            let c = f64::from(mask.get(x, y));
            total += c;
            moment += c * (f64::from(x) + 0.5);
        }
    }
    let centre = if total > 0.0 {
        (moment / total) as f32
    } else {
        (b.x0 + b.x1) as f32 / 2.0
    };
    mask.normalised(b, centre, GRID_COLS, GRID_ROWS)
}

/// A binary silhouette (e.g. rendered) as a coverage mask.
pub fn from_binary(width: usize, height: usize, pixels: &[u8]) -> Option<Mask> {
    let coverage = pixels
        .iter()
        .map(|&p| if p != 0 { 1.0 } else { 0.0 })
        .collect();
    Mask::from_coverage(width as u32, height as u32, coverage)
}
