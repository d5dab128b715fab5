//! Simulates a flared skirt on walking capsule legs for a few seconds and writes a PNG strip
//! of side views (no Bevy: a tiny flat-shaded software rasterizer). Shows how a caller drives
//! the cloth each frame: move the colliders and attachment targets, step, read positions.
//!
//! `cargo run --release -p catwalk_cloth --example skirt_strip -- [out.png] [fabric]`
//! where fabric is one of silk-chiffon, silk-charmeuse, cotton-jersey, cotton-twill, denim,
//! wool-suiting.

use std::error::Error;

use catwalk_cloth::glam::{Vec2, Vec3};
use catwalk_cloth::scenes::{SkirtDimensions, WalkingLegs, skirt_on_walking_legs};
use catwalk_cloth::{Capsule, FabricPreset};
use image::{Rgb, RgbImage};

const PANEL: u32 = 240;
const PANELS: usize = 8;
const SECONDS_BETWEEN_PANELS: f32 = 0.4;
const DT: f32 = 1.0 / 60.0;

fn main() -> Result<(), Box<dyn Error>> {
    let mut args = std::env::args().skip(1);
    let out = args.next().unwrap_or_else(|| "skirt-strip.png".to_owned());
    let fabric_name = args.next().unwrap_or_else(|| "cotton-twill".to_owned());
    let fabric = FabricPreset::ALL
        .into_iter()
        .find(|f| f.name() == fabric_name)
        .ok_or_else(|| format!("unknown fabric {fabric_name}; try cotton-twill or silk-chiffon"))?;

    let legs = WalkingLegs::default();
    let mut scene = skirt_on_walking_legs(fabric, 60, 22, SkirtDimensions::default(), legs)?;
    let mut strip = RgbImage::from_pixel(PANEL * PANELS as u32, PANEL, Rgb([245, 242, 236]));
    let frames_per_panel = (SECONDS_BETWEEN_PANELS / DT).round() as usize;
    for panel in 0..PANELS {
        for _ in 0..frames_per_panel {
            scene.advance(DT)?;
        }
        let capsules = legs.pose(scene.cloth.time()).capsules;
        let mut view = View::new(panel as u32 * PANEL);
        for capsule in &capsules {
            view.capsule(&mut strip, capsule);
        }
        let p = scene.cloth.positions();
        for tri in scene.cloth.triangles() {
            let [a, b, c] = tri.map(|i| p[i as usize]);
            view.triangle(&mut strip, a, b, c, Vec3::new(0.55, 0.22, 0.30));
        }
        eprintln!(
            "panel {panel}: t = {:.1} s, p95 strain {:.3}",
            scene.cloth.time(),
            scene.cloth.strain_stats().p95
        );
    }
    strip.save(&out)?;
    println!(
        "wrote {out} ({} x {} px, {fabric_name})",
        strip.width(),
        strip.height()
    );
    Ok(())
}

/// A side view (looking along −x, so the legs swing left-right) of one panel with a z-buffer.
struct View {
    x0: u32,
    depth: Vec<f32>,
}

impl View {
    fn new(x0: u32) -> Self {
        View {
            x0,
            depth: vec![f32::INFINITY; (PANEL * PANEL) as usize],
        }
    }

    /// World (z forward, y up) to panel pixels; depth is x (toward the camera = larger x).
    fn project(&self, p: Vec3) -> (Vec2, f32) {
        let scale = PANEL as f32 / 1.3;
        let px = PANEL as f32 * 0.5 + p.z * scale;
        let py = PANEL as f32 - (p.y - 0.0) * scale * 0.95 - 8.0;
        (Vec2::new(px, py), -p.x)
    }

    fn triangle(&mut self, img: &mut RgbImage, a: Vec3, b: Vec3, c: Vec3, colour: Vec3) {
        let normal = (b - a).cross(c - a).normalize_or_zero();
        let light = Vec3::new(0.6, 0.5, 0.62).normalize();
        let shade = 0.35 + 0.65 * normal.dot(light).abs();
        let rgb = (colour * shade * 255.0).min(Vec3::splat(255.0));
        let [(pa, da), (pb, db), (pc, dc)] = [a, b, c].map(|p| self.project(p));
        let area = (pb - pa).perp_dot(pc - pa);
        if area.abs() < 1e-6 {
            return;
        }
        let min = pa.min(pb).min(pc).floor().max(Vec2::ZERO);
        let max = pa
            .max(pb)
            .max(pc)
            .ceil()
            .min(Vec2::splat(PANEL as f32 - 1.0));
        for y in min.y as u32..=max.y as u32 {
            for x in min.x as u32..=max.x as u32 {
                let q = Vec2::new(x as f32 + 0.5, y as f32 + 0.5);
                let wa = (pc - pb).perp_dot(q - pb) / area;
                let wb = (pa - pc).perp_dot(q - pc) / area;
                let wc = 1.0 - wa - wb;
                if wa < 0.0 || wb < 0.0 || wc < 0.0 {
                    continue;
                }
                let d = wa * da + wb * db + wc * dc;
                self.plot(img, x, y, d, [rgb.x as u8, rgb.y as u8, rgb.z as u8]);
            }
        }
    }

    fn capsule(&mut self, img: &mut RgbImage, capsule: &Capsule) {
        let (a, da) = self.project(capsule.a);
        let (b, db) = self.project(capsule.b);
        let r = capsule.radius * PANEL as f32 / 1.3;
        let min = a.min(b) - Vec2::splat(r);
        let max = a.max(b) + Vec2::splat(r);
        for y in min.y.max(0.0) as u32..=max.y.min(PANEL as f32 - 1.0) as u32 {
            for x in min.x.max(0.0) as u32..=max.x.min(PANEL as f32 - 1.0) as u32 {
                let q = Vec2::new(x as f32 + 0.5, y as f32 + 0.5);
                let ab = b - a;
                let t = ((q - a).dot(ab) / ab.length_squared().max(1e-6)).clamp(0.0, 1.0);
                let dist = q.distance(a + ab * t);
                if dist <= r {
                    let shade = (1.0 - 0.5 * dist / r) * 200.0;
                    let depth = da + (db - da) * t - capsule.radius;
                    self.plot(
                        img,
                        x,
                        y,
                        depth,
                        [shade as u8, shade as u8, (shade * 1.05) as u8],
                    );
                }
            }
        }
    }

    fn plot(&mut self, img: &mut RgbImage, x: u32, y: u32, depth: f32, rgb: [u8; 3]) {
        let i = (y * PANEL + x) as usize;
        if depth < self.depth[i] {
            self.depth[i] = depth;
            img.put_pixel(self.x0 + x, y, Rgb(rgb));
        }
    }
}
