//! Pictures of a simulation without a GPU or an engine: a tiny flat-shaded software
//! rasterizer with a z-buffer and an orthographic [`Camera`]. Examples and tools draw cloth
//! triangles and body capsules into a [`Canvas`] and save its RGB bytes as a PNG.

use glam::{Vec2, Vec3};

use crate::colliders::Capsule;

/// An orthographic camera: a world point at the image centre, the view direction and a
/// scale.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Camera {
    centre: Vec3,
    right: Vec3,
    up: Vec3,
    forward: Vec3,
    pixels_per_metre: f32,
}

impl Camera {
    /// Looking along `forward` with +y up on the image (`forward` must not be vertical),
    /// `centre` at the middle of the canvas, `pixels_per_metre` of scale.
    pub fn new(forward: Vec3, centre: Vec3, pixels_per_metre: f32) -> Self {
        let forward = forward.normalize_or(Vec3::NEG_Z);
        let right = forward.cross(Vec3::Y).normalize_or(Vec3::X);
        let up = right.cross(forward);
        Camera {
            centre,
            right,
            up,
            forward,
            pixels_per_metre,
        }
    }

    /// Pixel position (from the canvas centre, y down) and depth (larger is farther).
    fn project(&self, p: Vec3) -> (Vec2, f32) {
        let d = p - self.centre;
        (
            Vec2::new(d.dot(self.right), -d.dot(self.up)) * self.pixels_per_metre,
            d.dot(self.forward),
        )
    }
}

/// An RGB image with a depth buffer.
#[derive(Debug, Clone, PartialEq)]
pub struct Canvas {
    width: u32,
    height: u32,
    rgb: Vec<u8>,
    depth: Vec<f32>,
}

impl Canvas {
    /// A canvas filled with `background`.
    pub fn new(width: u32, height: u32, background: [u8; 3]) -> Self {
        let n = (width * height) as usize;
        Canvas {
            width,
            height,
            rgb: background.repeat(n),
            depth: vec![f32::INFINITY; n],
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

    /// The pixels, row by row, three bytes each.
    pub fn rgb(&self) -> &[u8] {
        &self.rgb
    }

    /// The colour at a pixel.
    pub fn pixel(&self, x: u32, y: u32) -> [u8; 3] {
        let i = 3 * (y * self.width + x) as usize;
        [self.rgb[i], self.rgb[i + 1], self.rgb[i + 2]]
    }

    /// Copies `other` in with its top-left corner at (`x0`, `y0`), clipped to this canvas.
    pub fn paste(&mut self, other: &Canvas, x0: u32, y0: u32) {
        for y in 0..other.height.min(self.height.saturating_sub(y0)) {
            for x in 0..other.width.min(self.width.saturating_sub(x0)) {
                let from = 3 * (y * other.width + x) as usize;
                let to = 3 * ((y + y0) * self.width + x + x0) as usize;
                self.rgb[to..to + 3].copy_from_slice(&other.rgb[from..from + 3]);
            }
        }
    }

    /// A triangle in `colour`, flat-shaded by its normal against a fixed light (both sides
    /// lit alike).
    pub fn triangle(&mut self, camera: &Camera, [a, b, c]: [Vec3; 3], colour: [u8; 3]) {
        let normal = (b - a).cross(c - a).normalize_or_zero();
        let light = Vec3::new(0.6, 0.5, 0.62).normalize();
        let shade = 0.35 + 0.65 * normal.dot(light).abs();
        let rgb = colour.map(|c| (c as f32 * shade).min(255.0) as u8);
        let centre = Vec2::new(self.width as f32, self.height as f32) * 0.5;
        let [(pa, da), (pb, db), (pc, dc)] = [a, b, c].map(|p| {
            let (q, d) = camera.project(p);
            (q + centre, d)
        });
        let area = (pb - pa).perp_dot(pc - pa);
        if area.abs() < 1e-6 {
            return;
        }
        let min = pa.min(pb).min(pc).floor().max(Vec2::ZERO);
        let max = pa
            .max(pb)
            .max(pc)
            .ceil()
            .min(Vec2::new(self.width as f32 - 1.0, self.height as f32 - 1.0));
        if min.x > max.x || min.y > max.y {
            return;
        }
        for y in min.y as u32..=max.y as u32 {
            for x in min.x as u32..=max.x as u32 {
                let q = Vec2::new(x as f32 + 0.5, y as f32 + 0.5);
                let wa = (pc - pb).perp_dot(q - pb) / area;
                let wb = (pa - pc).perp_dot(q - pc) / area;
                let wc = 1.0 - wa - wb;
                if wa < 0.0 || wb < 0.0 || wc < 0.0 {
                    continue;
                }
                self.plot(x, y, wa * da + wb * db + wc * dc, rgb);
            }
        }
    }

    /// A capsule, shaded darker toward its silhouette.
    pub fn capsule(&mut self, camera: &Camera, capsule: &Capsule, colour: [u8; 3]) {
        let centre = Vec2::new(self.width as f32, self.height as f32) * 0.5;
        let (a, da) = camera.project(capsule.a);
        let (b, db) = camera.project(capsule.b);
        let (a, b) = (a + centre, b + centre);
        let r = capsule.radius * camera.pixels_per_metre;
        let min = (a.min(b) - Vec2::splat(r)).max(Vec2::ZERO);
        let max = (a.max(b) + Vec2::splat(r))
            .min(Vec2::new(self.width as f32 - 1.0, self.height as f32 - 1.0));
        if min.x > max.x || min.y > max.y {
            return;
        }
        let ab = b - a;
        for y in min.y as u32..=max.y as u32 {
            for x in min.x as u32..=max.x as u32 {
                let q = Vec2::new(x as f32 + 0.5, y as f32 + 0.5);
                let t = ((q - a).dot(ab) / ab.length_squared().max(1e-6)).clamp(0.0, 1.0);
                let dist = q.distance(a + ab * t);
                if dist <= r {
                    let bulge = (1.0 - (dist / r).powi(2)).max(0.0).sqrt();
                    let shade = 0.45 + 0.55 * bulge;
                    let depth = da + (db - da) * t - capsule.radius * bulge;
                    self.plot(x, y, depth, colour.map(|c| (c as f32 * shade) as u8));
                }
            }
        }
    }

    fn plot(&mut self, x: u32, y: u32, depth: f32, rgb: [u8; 3]) {
        let i = (y * self.width + x) as usize;
        if depth < self.depth[i] {
            self.depth[i] = depth;
            self.rgb[3 * i..3 * i + 3].copy_from_slice(&rgb);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_nearer_triangle_wins() {
        let camera = Camera::new(Vec3::NEG_Z, Vec3::ZERO, 100.0);
        let mut canvas = Canvas::new(20, 20, [0, 0, 0]);
        let tri = |z: f32| {
            [
                Vec3::new(-0.05, -0.05, z),
                Vec3::new(0.05, -0.05, z),
                Vec3::new(0.0, 0.05, z),
            ]
        };
        // Looking along −z: z = 0.1 is nearer than z = −0.1.
        canvas.triangle(&camera, tri(0.1), [250, 0, 0]);
        canvas.triangle(&camera, tri(-0.1), [0, 250, 0]);
        let [r, g, _] = canvas.pixel(10, 10);
        assert!(
            r > 0 && g == 0,
            "the far triangle was drawn over the near one"
        );
    }
}
