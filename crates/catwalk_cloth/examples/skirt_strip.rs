//! Simulates a flared skirt on walking capsule legs for a few seconds and writes a PNG strip
//! of side views (no Bevy: the crate's flat-shaded software rasterizer, [`catwalk_cloth::preview`]). Shows how a caller drives
//! the cloth each frame: move the colliders and attachment targets, step, read positions.
//!
//! `cargo run --release -p catwalk_cloth --example skirt_strip -- [out.png] [fabric]`
//! where fabric is one of silk-chiffon, silk-charmeuse, cotton-jersey, cotton-twill, denim,
//! wool-suiting.

use std::error::Error;

use catwalk_cloth::FabricPreset;
use catwalk_cloth::glam::Vec3;
use catwalk_cloth::preview::{Camera, Canvas};
use catwalk_cloth::scenes::{SkirtDimensions, WalkingLegs, skirt_on_walking_legs};
use image::RgbImage;

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
    let background = [245, 242, 236];
    let mut strip = Canvas::new(PANEL * PANELS as u32, PANEL, background);
    // A side view (looking along −x, so the legs swing left-right), 1.3 m across.
    let camera = Camera::new(Vec3::NEG_X, Vec3::new(0.0, 0.62, 0.0), PANEL as f32 / 1.3);
    let frames_per_panel = (SECONDS_BETWEEN_PANELS / DT).round() as usize;
    for panel in 0..PANELS {
        for _ in 0..frames_per_panel {
            scene.advance(DT)?;
        }
        let capsules = legs.pose(scene.cloth.time()).capsules;
        let mut view = Canvas::new(PANEL, PANEL, background);
        for capsule in &capsules {
            view.capsule(&camera, capsule, [200, 200, 210]);
        }
        let p = scene.cloth.positions();
        for tri in scene.cloth.triangles() {
            view.triangle(&camera, tri.map(|i| p[i as usize]), [140, 56, 76]);
        }
        strip.paste(&view, panel as u32 * PANEL, 0);
        eprintln!(
            "panel {panel}: t = {:.1} s, p95 strain {:.3}",
            scene.cloth.time(),
            scene.cloth.strain_stats().p95
        );
    }
    RgbImage::from_raw(strip.width(), strip.height(), strip.rgb().to_vec())
        .ok_or("the canvas does not hold width × height pixels")?
        .save(&out)?;
    println!(
        "wrote {out} ({} x {} px, {fabric_name})",
        strip.width(),
        strip.height()
    );
    Ok(())
}
