//! Renders the runway headless (Mesa lavapipe in CI) with three dressed avatars on stage,
//! their garments simulated by the GPU cloth kernels on Bevy's own render device,
//! then the same stage with the models hidden, and checks what the pictures show: not an
//! empty or black frame, every model's box on the picture changes when the model is
//! hidden (there is a body there), and each box holds pixels of its garment's hue (the
//! garment is drawn on it).
//!
//! Needs a GPU adapter (lavapipe counts) and the body model; `tools/test.sh` sets
//! `CATWALK_REQUIRE_GPU=1` so that a missing one fails instead of skipping.

use std::path::Path;

use catwalk_client::capture::{Shot, ShotPlan, ShotWhen};
use catwalk_client::{ClientOptions, ClothBackend, build_app};
use image::RgbImage;
use serde_json::Value;

fn available() -> bool {
    let required = std::env::var_os("CATWALK_REQUIRE_GPU").is_some();
    let gpu = catwalk_cloth::gpu::GpuContext::new_headless();
    let body = catwalk_avatar::BodyModel::load_default();
    match (gpu, body) {
        (Ok(_), Ok(_)) => true,
        (g, b) => {
            let why = format!(
                "gpu: {:?}, body model: {:?}",
                g.err(),
                b.err().map(|e| e.to_string())
            );
            assert!(
                !required,
                "the render test needs a GPU adapter and the body model: {why}"
            );
            eprintln!("skipped: {why}");
            false
        }
    }
}

fn hue(p: [u8; 3]) -> Option<f32> {
    let [r, g, b] = p.map(|c| c as f32 / 255.0);
    let max = r.max(g).max(b);
    let min = r.min(g).min(b);
    let d = max - min;
    if max < 0.06 || d / max < 0.25 {
        return None;
    }
    let h = if max == r {
        ((g - b) / d).rem_euclid(6.0)
    } else if max == g {
        (b - r) / d + 2.0
    } else {
        (r - g) / d + 4.0
    };
    Some(h * 60.0)
}

fn hue_distance(a: f32, b: f32) -> f32 {
    let d = (a - b).abs() % 360.0;
    d.min(360.0 - d)
}

fn load(path: &Path) -> (RgbImage, Value) {
    let img = image::open(path).expect("screenshot").to_rgb8();
    let mut side = path.as_os_str().to_owned();
    side.push(".json");
    let info: Value =
        serde_json::from_str(&std::fs::read_to_string(side).expect("sidecar")).expect("json");
    (img, info)
}

#[test]
fn the_runway_shows_dressed_avatars_on_the_stage() {
    if !available() {
        return;
    }
    let dir = tempfile::tempdir().expect("dir");
    let shown = dir.path().join("runway.png");
    let hidden = dir.path().join("stage.png");
    let options = ClientOptions {
        headless: true,
        size: (640, 360),
        exit_after_frames: Some(40),
        cloth: ClothBackend::Gpu,
        bench_avatars: Some(3),
        ..ClientOptions::default()
    };
    let mut app = build_app(options);
    app.insert_resource(ShotPlan(vec![
        Shot {
            when: ShotWhen::Dressed(30),
            path: shown.clone(),
            hide_models: false,
        },
        Shot {
            when: ShotWhen::Dressed(32),
            path: hidden.clone(),
            hide_models: true,
        },
    ]));
    let exit = app.run();
    assert!(exit.is_success(), "the app failed: {exit:?}");

    let (img, info) = load(&shown);
    let (stage, stage_info) = load(&hidden);
    assert_eq!(stage_info["models_hidden"], true);
    // The picture has the asked size whatever size the scene was drawn at; on a software
    // rasteriser the scene is drawn at half size (--render-scale auto) and stretched.
    assert_eq!((img.width(), img.height()), (640, 360));
    let software = info["adapter"]
        .as_str()
        .is_some_and(|a| a.contains("llvmpipe") || a.contains("lavapipe"));
    let expected_scale = if software { 0.5 } else { 1.0 };
    assert_eq!(
        info["render_scale"].as_f64(),
        Some(expected_scale),
        "{info}"
    );
    let lum: f64 = img
        .pixels()
        .map(|p| p.0.iter().map(|&c| c as f64).sum::<f64>() / 3.0)
        .sum::<f64>()
        / (img.width() * img.height()) as f64;
    assert!(lum > 15.0, "the frame is black (mean {lum:.1})");

    let models = info["models"].as_array().expect("models");
    assert!(!models.is_empty(), "no model on the picture: {info}");
    let mut dressed = 0;
    for m in models {
        assert_eq!(m["gpu_cloth"], true, "asked for GPU cloth: {m}");
        let r: Vec<f32> = m["rect"]
            .as_array()
            .expect("rect")
            .iter()
            .map(|v| v.as_f64().expect("f") as f32)
            .collect();
        let (x0, y0) = (r[0].max(0.0) as u32, r[1].max(0.0) as u32);
        let (x1, y1) = (
            (r[2] as u32).min(img.width() - 1),
            (r[3] as u32).min(img.height() - 1),
        );
        if x1 <= x0 + 4 || y1 <= y0 + 4 {
            continue;
        }
        let (mut changed, mut garment, mut total) = (0u32, 0u32, 0u32);
        let target = m["garment"].as_array().map(|c| {
            let c: Vec<u8> = c.iter().map(|v| v.as_u64().expect("u8") as u8).collect();
            [c[0], c[1], c[2]]
        });
        for y in y0..=y1 {
            for x in x0..=x1 {
                let a = img.get_pixel(x, y).0;
                let b = stage.get_pixel(x, y).0;
                total += 1;
                let diff: i32 = a
                    .iter()
                    .zip(&b)
                    .map(|(p, q)| (*p as i32 - *q as i32).abs())
                    .sum();
                if diff > 40 {
                    changed += 1;
                }
                if let (Some(t), Some(h)) = (target.and_then(hue), hue(a))
                    && diff > 40
                    && hue_distance(t, h) < 25.0
                {
                    garment += 1;
                }
            }
        }
        let share = changed as f32 / total as f32;
        assert!(
            share > 0.08,
            "model {} box: only {:.1} % of pixels show a body",
            m["index"],
            share * 100.0
        );
        if garment as f32 / total as f32 > 0.02 {
            dressed += 1;
        }
    }
    assert!(dressed >= 1, "no garment colour found on any model: {info}");
}
