//! Person masks: a grid of foreground coverage in [0, 1] (a matte, or a rendered
//! silhouette), with the few shape measurements the capture checks and the regressor need:
//! connected figures, bounding boxes, lean of the long axis, and runs along a row.

/// A foreground-coverage image, row-major, top row first.
#[derive(Debug, Clone, PartialEq)]
pub struct Mask {
    width: u32,
    height: u32,
    coverage: Vec<f32>,
}

/// A pixel rectangle, inclusive of `x0, y0` and exclusive of `x1, y1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PixelBox {
    /// Left column.
    pub x0: u32,
    /// Top row.
    pub y0: u32,
    /// One past the right column.
    pub x1: u32,
    /// One past the bottom row.
    pub y1: u32,
}

impl PixelBox {
    /// Width in pixels.
    pub fn width(&self) -> u32 {
        self.x1 - self.x0
    }
    /// Height in pixels.
    pub fn height(&self) -> u32 {
        self.y1 - self.y0
    }
}

/// One connected figure of a thresholded mask.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Figure {
    /// Foreground pixels in it.
    pub area: u32,
    /// Its bounding box.
    pub bounds: PixelBox,
}

impl Mask {
    /// A mask from coverage values (clamped to [0, 1]); `None` if the length does not match.
    pub fn from_coverage(width: u32, height: u32, coverage: Vec<f32>) -> Option<Mask> {
        if coverage.len() != width as usize * height as usize || width == 0 || height == 0 {
            return None;
        }
        let coverage = coverage.into_iter().map(|c| c.clamp(0.0, 1.0)).collect();
        Some(Mask {
            width,
            height,
            coverage,
        })
    }

    /// An empty (all background) mask.
    pub fn empty(width: u32, height: u32) -> Mask {
        Mask {
            width: width.max(1),
            height: height.max(1),
            coverage: vec![0.0; width.max(1) as usize * height.max(1) as usize],
        }
    }

    /// Width in pixels.
    pub fn width(&self) -> u32 {
        self.width
    }

    /// Height in pixels.
    pub fn height(&self) -> u32 {
        self.height
    }

    /// Coverage of pixel (x, y); 0 outside the image.
    pub fn get(&self, x: u32, y: u32) -> f32 {
        if x < self.width && y < self.height {
            self.coverage[(y * self.width + x) as usize]
        } else {
            0.0
        }
    }

    /// Sets the coverage of pixel (x, y) (ignored outside the image).
    pub fn set(&mut self, x: u32, y: u32, value: f32) {
        if x < self.width && y < self.height {
            self.coverage[(y * self.width + x) as usize] = value.clamp(0.0, 1.0);
        }
    }

    /// All coverage values, row-major.
    pub fn coverage(&self) -> &[f32] {
        &self.coverage
    }

    /// Whether pixel (x, y) is foreground (coverage at least one half).
    pub fn is_set(&self, x: u32, y: u32) -> bool {
        self.get(x, y) >= 0.5
    }

    /// Connected foreground figures (4-connected), largest first.
    pub fn figures(&self) -> Vec<Figure> {
        let (w, h) = (self.width as usize, self.height as usize);
        let mut seen = vec![false; w * h];
        let mut figures = Vec::new();
        let mut stack = Vec::new();
        for start in 0..w * h {
            if seen[start] || self.coverage[start] < 0.5 {
                continue;
            }
            seen[start] = true;
            stack.push(start);
            let mut area = 0u32;
            let (mut x0, mut y0, mut x1, mut y1) = (u32::MAX, u32::MAX, 0u32, 0u32);
            while let Some(i) = stack.pop() {
                let (x, y) = ((i % w) as u32, (i / w) as u32);
                area += 1;
                x0 = x0.min(x);
                y0 = y0.min(y);
                x1 = x1.max(x + 1);
                y1 = y1.max(y + 1);
                let mut visit = |j: usize| {
                    if !seen[j] && self.coverage[j] >= 0.5 {
                        seen[j] = true;
                        stack.push(j);
                    }
                };
                if x > 0 {
                    visit(i - 1);
                }
                if (x as usize) + 1 < w {
                    visit(i + 1);
                }
                if y > 0 {
                    visit(i - w);
                }
                if (y as usize) + 1 < h {
                    visit(i + w);
                }
            }
            figures.push(Figure {
                area,
                bounds: PixelBox { x0, y0, x1, y1 },
            });
        }
        figures.sort_by_key(|f| std::cmp::Reverse(f.area));
        figures
    }

    /// Keeps only the foreground inside `bounds` (e.g. the main figure's box).
    pub fn cropped_to(&self, bounds: PixelBox) -> Mask {
        let mut out = Mask::empty(bounds.width(), bounds.height());
        for y in bounds.y0..bounds.y1 {
            for x in bounds.x0..bounds.x1 {
                out.set(x - bounds.x0, y - bounds.y0, self.get(x, y));
            }
        }
        out
    }

    /// Lean of the foreground's long axis from vertical, in degrees (0 = upright), from the
    /// second moments of the thresholded pixels inside `bounds`.
    pub fn lean_degrees(&self, bounds: PixelBox) -> f32 {
        let (mut n, mut sx, mut sy) = (0.0f64, 0.0f64, 0.0f64);
        for y in bounds.y0..bounds.y1 {
            for x in bounds.x0..bounds.x1 {
                if self.is_set(x, y) {
                    n += 1.0;
                    sx += f64::from(x);
                    sy += f64::from(y);
                }
            }
        }
        if n < 2.0 {
            return 0.0;
        }
        let (mx, my) = (sx / n, sy / n);
        let (mut cxx, mut cyy, mut cxy) = (0.0f64, 0.0f64, 0.0f64);
        for y in bounds.y0..bounds.y1 {
            for x in bounds.x0..bounds.x1 {
                if self.is_set(x, y) {
                    let (dx, dy) = (f64::from(x) - mx, f64::from(y) - my);
                    cxx += dx * dx;
                    cyy += dy * dy;
                    cxy += dx * dy;
                }
            }
        }
        // Angle of the principal axis measured from the vertical (y) axis.
        let angle = 0.5 * (2.0 * cxy).atan2(cyy - cxx);
        angle.to_degrees().abs() as f32
    }

    /// The foreground runs of row `y` within columns `x0..x1`, as `(start, end)` pairs.
    pub fn row_runs(&self, y: u32, x0: u32, x1: u32) -> Vec<(u32, u32)> {
        let mut runs = Vec::new();
        let mut start = None;
        for x in x0..x1 {
            match (self.is_set(x, y), start) {
                (true, None) => start = Some(x),
                (false, Some(s)) => {
                    runs.push((s, x));
                    start = None;
                }
                _ => {}
            }
        }
        if let Some(s) = start {
            runs.push((s, x1));
        }
        runs
    }

    /// Resamples the region `bounds` into a `width` x `height` grid by area averaging, with
    /// `bounds` scaled uniformly by its height and centred horizontally on `centre_x`.
    /// Coverage that falls outside the grid is dropped.
    pub fn normalised(&self, bounds: PixelBox, centre_x: f32, width: u32, height: u32) -> Mask {
        let mut out = Mask::empty(width, height);
        let scale = height as f32 / bounds.height().max(1) as f32; // grid cells per pixel
        let mut weight = vec![0.0f32; width as usize * height as usize];
        let half = width as f32 / 2.0;
        for y in bounds.y0..bounds.y1 {
            let gy0 = (y - bounds.y0) as f32 * scale;
            for x in bounds.x0..bounds.x1 {
                let c = self.get(x, y);
                if c <= 0.0 {
                    continue;
                }
                let gx0 = (x as f32 - centre_x) * scale + half;
                splat(&mut weight, width, height, gx0, gy0, scale, c);
            }
        }
        for (i, w) in weight.into_iter().enumerate() {
            out.coverage[i] = w.clamp(0.0, 1.0);
        }
        out
    }
}

/// Adds a pixel of coverage `c` covering the square `[gx, gx+s) x [gy, gy+s)` in grid units
/// to the grid, split over the cells it overlaps.
fn splat(grid: &mut [f32], width: u32, height: u32, gx: f32, gy: f32, s: f32, c: f32) {
    let (cx0, cy0) = (gx.floor().max(0.0) as i64, gy.floor().max(0.0) as i64);
    let (cx1, cy1) = ((gx + s).ceil() as i64, (gy + s).ceil() as i64);
    for cy in cy0..cy1.min(i64::from(height)) {
        let oy = ((gy + s).min(cy as f32 + 1.0) - gy.max(cy as f32)).max(0.0);
        for cx in cx0..cx1.min(i64::from(width)) {
            let ox = ((gx + s).min(cx as f32 + 1.0) - gx.max(cx as f32)).max(0.0);
            grid[(cy * i64::from(width) + cx) as usize] += c * ox * oy;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rect(w: u32, h: u32, boxes: &[PixelBox]) -> Mask {
        let mut m = Mask::empty(w, h);
        for b in boxes {
            for y in b.y0..b.y1 {
                for x in b.x0..b.x1 {
                    m.set(x, y, 1.0);
                }
            }
        }
        m
    }

    #[test]
    fn separate_blobs_are_separate_figures_largest_first() {
        let small = PixelBox {
            x0: 1,
            y0: 1,
            x1: 3,
            y1: 3,
        };
        let big = PixelBox {
            x0: 10,
            y0: 2,
            x1: 15,
            y1: 12,
        };
        let figures = rect(20, 20, &[small, big]).figures();
        assert_eq!(figures.len(), 2);
        assert_eq!(figures[0].bounds, big);
        assert_eq!(figures[0].area, 50);
        assert_eq!(figures[1].area, 4);
    }

    #[test]
    fn an_upright_bar_does_not_lean_and_a_tilted_one_does() {
        let bar = PixelBox {
            x0: 45,
            y0: 10,
            x1: 55,
            y1: 90,
        };
        let m = rect(100, 100, &[bar]);
        let all = PixelBox {
            x0: 0,
            y0: 0,
            x1: 100,
            y1: 100,
        };
        assert!(m.lean_degrees(all) < 0.5);
        let mut tilted = Mask::empty(100, 100);
        for y in 10..90u32 {
            let cx = 50.0 + (y as f32 - 50.0) * 0.364; // tan 20°
            for x in (cx - 5.0) as u32..(cx + 5.0) as u32 {
                tilted.set(x, y, 1.0);
            }
        }
        let lean = tilted.lean_degrees(all);
        assert!((lean - 20.0).abs() < 1.5, "lean {lean}");
    }

    #[test]
    fn row_runs_find_arm_gaps() {
        let m = rect(
            30,
            3,
            &[
                PixelBox {
                    x0: 2,
                    y0: 1,
                    x1: 5,
                    y1: 2,
                },
                PixelBox {
                    x0: 8,
                    y0: 1,
                    x1: 20,
                    y1: 2,
                },
                PixelBox {
                    x0: 23,
                    y0: 1,
                    x1: 26,
                    y1: 2,
                },
            ],
        );
        assert_eq!(m.row_runs(1, 0, 30), vec![(2, 5), (8, 20), (23, 26)]);
        assert!(m.row_runs(0, 0, 30).is_empty());
    }

    #[test]
    fn normalising_keeps_area_proportional() {
        let body = PixelBox {
            x0: 40,
            y0: 20,
            x1: 60,
            y1: 220,
        };
        let m = rect(100, 240, &[body]);
        let n = m.normalised(body, 50.0, 32, 64);
        // 20 px wide of 200 px tall -> 6.4 cells of 64 rows, centred.
        let total: f32 = n.coverage().iter().sum();
        assert!((total - 6.4 * 64.0).abs() < 1.0, "total {total}");
        assert!(n.get(16, 30) > 0.99 && n.get(2, 30) == 0.0);
    }
}
