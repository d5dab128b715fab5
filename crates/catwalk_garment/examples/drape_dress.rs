//! Drapes a garment (a dress unless told otherwise) on a capsule body built from the
//! average measurements, walks the body a few steps and writes two pictures: the garment in
//! its fabric colour, and the fit view (tight red, snug amber, ease green, loose blue), each
//! as front and side views: the panels as placed before sewing, the settled garment, then
//! moments of the walk. No Bevy: the cloth crate's software rasterizer
//! ([`catwalk_cloth::preview`]).
//!
//! `cargo run -p catwalk_garment --example drape_dress -- [out-folder] [dress|top|long-sleeve-top|skirt|trousers]`
//! (default `out/`, `dress`). Environment: `EDGE_CM` (mesh edge length, default 2),
//! `FIT_CHECK=1` (the offline fit-check solver settings instead of the real-time ones),
//! `DEBUG_SEAMS=1` (print the widest-open stitched vertex pairs before and after settling).

use std::error::Error;
use std::path::PathBuf;

use catwalk_cloth::FabricPreset;
use catwalk_cloth::glam::Vec3;
use catwalk_cloth::preview::{Camera, Canvas};
use catwalk_garment::drape::{CapsuleBody, Drape, DrapeSettings, WalkCycle};
use catwalk_garment::programs::{
    DressDesign, Neckline, SkirtDesign, SkirtStyle, SleeveStyle, TopDesign, TrousersDesign, dress,
    skirt, top, trousers,
};
use catwalk_garment::{BodyMeasurements, GarmentMesh, MeshOptions};
use image::RgbImage;

const VIEW: u32 = 320;
const DT: f32 = 1.0 / 60.0;
/// Seconds of walking between pictures, and how many pictures.
const SECONDS_BETWEEN: f32 = 0.45;
const MOMENTS: usize = 4;
const BACKGROUND: [u8; 3] = [245, 242, 236];
const GARMENT: [u8; 3] = [150, 50, 80];
const SKIN: [u8; 3] = [214, 196, 180];

fn main() -> Result<(), Box<dyn Error>> {
    let mut args = std::env::args().skip(1);
    let folder = PathBuf::from(args.next().unwrap_or_else(|| "out".to_owned()));
    let garment = args.next().unwrap_or_else(|| "dress".to_owned());
    std::fs::create_dir_all(&folder)?;

    let measurements = BodyMeasurements::average();
    let (pattern, fabric) = match garment.as_str() {
        "dress" => (
            dress(
                &measurements,
                &DressDesign {
                    bodice: TopDesign {
                        neckline: Neckline::V { depth_cm: 14.0 },
                        sleeve: SleeveStyle::Short,
                        ..TopDesign::default()
                    },
                    skirt: SkirtDesign::new(SkirtStyle::ALine { flare_cm: 14.0 }),
                },
            )?,
            FabricPreset::SilkCharmeuse,
        ),
        "top" => (
            top(&measurements, &TopDesign::default())?,
            FabricPreset::CottonJersey,
        ),
        "long-sleeve-top" => (
            top(
                &measurements,
                &TopDesign {
                    sleeve: SleeveStyle::Long,
                    ..TopDesign::default()
                },
            )?,
            FabricPreset::CottonJersey,
        ),
        "skirt" => (
            skirt(
                &measurements,
                &SkirtDesign::new(SkirtStyle::Circle { fullness: 0.75 }),
            )?,
            FabricPreset::CottonTwill,
        ),
        "trousers" => (
            trousers(&measurements, &TrousersDesign::default())?,
            FabricPreset::CottonTwill,
        ),
        other => {
            return Err(format!(
                "unknown garment {other}; use dress, top, long-sleeve-top, skirt or trousers"
            )
            .into());
        }
    };
    let mesh = GarmentMesh::from_pattern(
        &pattern,
        &MeshOptions {
            target_edge_cm: std::env::var("EDGE_CM")
                .ok()
                .and_then(|v| v.parse().ok())
                .unwrap_or(2.0),
            ..MeshOptions::default()
        },
    )?;
    let body = CapsuleBody::from_measurements(&measurements);
    let settings = if std::env::var_os("FIT_CHECK").is_some() {
        DrapeSettings::fit_check()
    } else {
        DrapeSettings::default()
    };
    let mut drape = Drape::new(&pattern, &mesh, fabric, body, settings)?;
    let front = Camera::new(Vec3::NEG_Z, Vec3::new(0.0, 1.0, 0.0), VIEW as f32 / 2.0);
    let side = Camera::new(Vec3::NEG_X, Vec3::new(0.0, 1.0, 0.0), VIEW as f32 / 2.0);
    let width = VIEW * 2 * (MOMENTS as u32 + 1);
    let mut garment_strip = Canvas::new(width, VIEW, BACKGROUND);
    let mut fit_strip = Canvas::new(width, VIEW, BACKGROUND);
    // First the panels as the pattern places them, before sewing.
    for (k, camera) in [front, side].iter().enumerate() {
        garment_strip.paste(&draw(&drape, camera, |_| GARMENT), k as u32 * VIEW, 0);
        fit_strip.paste(&draw(&drape, camera, |_| GARMENT), k as u32 * VIEW, 0);
    }
    if std::env::var_os("DEBUG_SEAMS").is_some() {
        debug_seams(&drape, &mesh);
    }
    let settled = drape.settle()?;
    if std::env::var_os("DEBUG_SEAMS").is_some() {
        debug_seams(&drape, &mesh);
    }
    println!(
        "{garment} in {}: {} vertices, settled at {:.1} s: largest seam gap {:.1} mm, \
         deepest penetration {:.1} mm, warp/weft strain p95 {:.2} % max {:.2} %",
        fabric.label(),
        mesh.vertex_count(),
        settled.time,
        settled.max_seam_gap_m * 1000.0,
        settled.max_penetration_m * 1000.0,
        settled.stretch.p95 * 100.0,
        settled.stretch.max * 100.0,
    );

    let walk = WalkCycle::default();
    let start = drape.time();
    let frames = (SECONDS_BETWEEN / DT).round() as usize;
    for moment in 0..MOMENTS {
        if moment > 0 {
            for _ in 0..frames {
                let t = drape.time() + DT - start;
                let pose = walk.pose(drape.body(), t)?;
                drape.step(DT, &pose)?;
            }
        }
        let fit = drape.fit_map().colours();
        for (k, camera) in [front, side].iter().enumerate() {
            let x0 = (2 * moment + 2 + k) as u32 * VIEW;
            garment_strip.paste(&draw(&drape, camera, |_| GARMENT), x0, 0);
            fit_strip.paste(&draw(&drape, camera, |v| fit[v]), x0, 0);
        }
        let r = drape.report();
        println!(
            "t = {:.2} s walking: seam gap {:.1} mm, penetration {:.1} mm, strain p95 {:.2} %",
            r.time - start,
            r.max_seam_gap_m * 1000.0,
            r.max_penetration_m * 1000.0,
            r.stretch.p95 * 100.0
        );
    }
    for (name, canvas) in [("drape", &garment_strip), ("fit", &fit_strip)] {
        let path = folder.join(format!("{garment}-{name}.png"));
        RgbImage::from_raw(canvas.width(), canvas.height(), canvas.rgb().to_vec())
            .ok_or("the canvas does not hold width × height pixels")?
            .save(&path)?;
        println!("wrote {}", path.display());
    }
    Ok(())
}

/// The body and the garment from one camera; each triangle takes its first vertex's colour.
fn debug_seams(drape: &Drape, mesh: &GarmentMesh) {
    {
        let pos = drape.positions();
        let mut gaps: Vec<(f32, u32, u32)> = mesh
            .seam_pairs
            .iter()
            .map(|&[a, b]| (pos[a as usize].distance(pos[b as usize]), a, b))
            .collect();
        gaps.sort_by(|x, y| y.0.total_cmp(&x.0));
        for (d, a, b) in gaps.iter().take(8) {
            let pa = mesh.vertex_panel[*a as usize] as usize;
            let pb = mesh.vertex_panel[*b as usize] as usize;
            println!(
                "gap {:.1} cm {} {:?} -- {} {:?} at {:?} and {:?}",
                d * 100.0,
                mesh.panels[pa].name,
                mesh.vertex_point_cm[*a as usize],
                mesh.panels[pb].name,
                mesh.vertex_point_cm[*b as usize],
                pos[*a as usize],
                pos[*b as usize]
            );
        }
    }
}

fn draw(drape: &Drape, camera: &Camera, colour: impl Fn(usize) -> [u8; 3]) -> Canvas {
    let mut canvas = Canvas::new(VIEW, VIEW, BACKGROUND);
    let shapes = drape.body_shapes();
    for capsule in &shapes.capsules {
        canvas.capsule(camera, capsule, SKIN);
    }
    for sphere in &shapes.spheres {
        let capsule = catwalk_cloth::Capsule {
            a: sphere.center,
            b: sphere.center,
            radius: sphere.radius,
        };
        canvas.capsule(camera, &capsule, SKIN);
    }
    let p = drape.positions();
    for tri in drape.triangles() {
        canvas.triangle(camera, tri.map(|i| p[i as usize]), colour(tri[0] as usize));
    }
    canvas
}
