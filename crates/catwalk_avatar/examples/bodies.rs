//! Writes a small and a large female and male body to .glb, prints their measurements, and
//! fits each body's measurements back (the typed-measurements path), with timings.
//!
//! Run: `cargo run -p catwalk_avatar --example bodies -- [OUT_DIR]` (default `out/bodies`).

use std::path::Path;
use std::time::Instant;

use catwalk_avatar::fit::{Gender, MeasurementTargets};
use catwalk_avatar::measure::MEASUREMENT_NAMES;
use catwalk_avatar::{BodyModel, BodyParams, Landmarks, fit_measurements, measure};

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1e3
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "out/bodies".into());
    std::fs::create_dir_all(&out)?;
    let t = Instant::now();
    let model = BodyModel::load_default()?;
    let landmarks = Landmarks::new(&model)?;
    println!(
        "loaded {} vertices, {} triangles, {} bones in {:.0} ms",
        model.vertex_count(),
        model.triangles.len(),
        model.skeleton.len(),
        ms(t)
    );
    let bodies = [
        ("female-small", Gender::Female, 0.25, 0.2),
        ("female-large", Gender::Female, 0.6, 0.85),
        ("male-small", Gender::Male, 0.2, 0.2),
        ("male-large", Gender::Male, 0.65, 0.8),
    ];
    println!(
        "{:<14} {}",
        "body (cm)",
        MEASUREMENT_NAMES.map(|n| format!("{n:>8.8}")).join(" ")
    );
    for (name, gender, height, weight) in bodies {
        let mut params = BodyParams::average(if gender == Gender::Female { 1.0 } else { 0.0 });
        params.phenotype.height = height;
        params.phenotype.weight = weight;
        let t = Instant::now();
        let rest = model.build(&params)?;
        let built = ms(t);
        let t = Instant::now();
        let (m, _) = measure(&landmarks, &rest)?;
        let measured = ms(t);
        println!(
            "{name:<14} {}",
            m.to_array().map(|v| format!("{v:>8.1}")).join(" ")
        );
        let t = Instant::now();
        let report = fit_measurements(
            &model,
            &landmarks,
            &MeasurementTargets::from_measurements(gender, &m),
        )?;
        let fitted = ms(t);
        let worst = report
            .residuals_cm
            .iter()
            .flatten()
            .fold(0.0f64, |a, r| a.max(r.abs()));
        println!(
            "{:<14} build {built:.1} ms, measure {measured:.1} ms; fit back {fitted:.0} ms \
             ({} iterations, {} bodies), rms {:.3} cm, worst {worst:.3} cm",
            "", report.iterations, report.evaluations, report.rms_cm
        );
        catwalk_avatar::gltf::write_glb(
            &Path::new(&out).join(format!("{name}.glb")),
            &model,
            &rest,
            name,
        )?;
    }
    Ok(())
}
