//! Times the photo path and checks its accuracy end to end: for each of N random bodies
//! (BMI 17-40, 150-200 cm; not seen in training), a front and a side photo are rendered (shaded synthetic photos,
//! PNG-encoded), then the pipeline decodes, mattes with MODNet, checks, regresses, builds
//! the body, matches the height, measures and encodes the .glb. Prints the median and p90 time per stage and
//! per-measurement errors against the true body.
//!
//! ```text
//! cargo run -p catwalk_avatar --example photo_bench -- [N=20] [SEED=7]
//! ```

use std::time::{Duration, Instant};

use catwalk_avatar::measure::MEASUREMENT_NAMES;
use catwalk_avatar::photo::dataset::{Rng, Shot, Split, bmi, random_params, shot_views, stature};
use catwalk_avatar::photo::synthetic::{Look, render_photo};
use catwalk_avatar::photo::{PhotoPipeline, PipelinePaths};
use catwalk_avatar::{BodyModel, Landmarks, measure};

fn png(image: &image::RgbImage) -> Result<Vec<u8>, image::ImageError> {
    let mut bytes = Vec::new();
    image.write_to(
        &mut std::io::Cursor::new(&mut bytes),
        image::ImageFormat::Png,
    )?;
    Ok(bytes)
}

fn quantile(mut v: Vec<Duration>, q: f64) -> f64 {
    v.sort();
    v.get(((v.len().max(1) - 1) as f64 * q).round() as usize)
        .map_or(f64::NAN, |d| d.as_secs_f64() * 1000.0)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().map(|s| s.parse()).transpose()?.unwrap_or(20);
    let seed: u64 = args.next().map(|s| s.parse()).transpose()?.unwrap_or(7);
    let started = Instant::now();
    let model = BodyModel::load_default()?;
    let landmarks = Landmarks::new(&model)?;
    let pipeline = PhotoPipeline::load(&PipelinePaths::default())?;
    println!(
        "models loaded in {:.0} ms",
        started.elapsed().as_secs_f64() * 1000.0
    );
    let mut rng = Rng::new(seed);
    let mut totals = Vec::new();
    let mut stages: [Vec<Duration>; 6] = Default::default();
    let mut errors: Vec<Vec<f64>> = vec![Vec::new(); MEASUREMENT_NAMES.len()];
    let mut rejected = 0;
    while totals.len() < n {
        let params = random_params(&mut rng);
        let shot = Shot::random(&mut rng, Split::HeldOut);
        let rest = model.build(&params)?;
        let height_cm = stature(&rest) as f32 * 100.0;
        if !(150.0..=200.0).contains(&height_cm)
            || !(17.0..=40.0).contains(&bmi(&rest, &model.triangles))
        {
            continue;
        }
        let (truth, _) = measure(&landmarks, &rest)?;
        let ([front, side], camera) = shot_views(&model, &rest, &shot);
        let look = Look::studio(height_cm / 100.0);
        let front_png = png(&render_photo(
            &front,
            &model.triangles,
            &camera,
            720,
            1080,
            &look,
        ))?;
        let side_png = png(&render_photo(
            &side,
            &model.triangles,
            &camera,
            720,
            1080,
            &look,
        ))?;
        let t = Instant::now();
        let estimate = match pipeline.estimate(&model, &landmarks, &front_png, &side_png, height_cm)
        {
            Ok(e) => e,
            Err(e) => {
                eprintln!("rejected: {e}");
                rejected += 1;
                continue;
            }
        };
        let glb_started = Instant::now();
        let glb = catwalk_avatar::gltf::encode_glb(&model, &estimate.rest, "me")?;
        let glb_time = glb_started.elapsed();
        totals.push(t.elapsed());
        assert!(glb.len() > 1000);
        let s = estimate.times;
        for (slot, d) in stages.iter_mut().zip([
            s.decode,
            s.matte,
            s.silhouettes,
            s.regress,
            s.body,
            glb_time,
        ]) {
            slot.push(d);
        }
        for (k, (a, b)) in estimate
            .measurements
            .to_array()
            .iter()
            .zip(truth.to_array())
            .enumerate()
        {
            errors[k].push((a - b).abs());
        }
    }
    println!("{n} bodies, {rejected} rejected by the capture checks");
    println!("{:<22} {:>9} {:>9}", "stage", "p50 ms", "p90 ms");
    for (name, v) in [
        "decode (2 photos)",
        "matte (2, parallel)",
        "checks + silhouettes",
        "regressor",
        "body + height + measure",
        "glb encode",
    ]
    .iter()
    .zip(stages)
    {
        println!(
            "{name:<22} {:>9.1} {:>9.1}",
            quantile(v.clone(), 0.5),
            quantile(v, 0.9)
        );
    }
    println!(
        "{:<22} {:>9.1} {:>9.1}",
        "total (photos to .glb)",
        quantile(totals.clone(), 0.5),
        quantile(totals, 0.9)
    );
    println!("{:<16} {:>8} {:>8}", "measurement", "MAE cm", "max cm");
    for (name, e) in MEASUREMENT_NAMES.iter().zip(errors) {
        let mae = e.iter().sum::<f64>() / e.len().max(1) as f64;
        let max = e.iter().copied().fold(0.0, f64::max);
        println!("{name:<16} {mae:>8.2} {max:>8.2}");
    }
    Ok(())
}
