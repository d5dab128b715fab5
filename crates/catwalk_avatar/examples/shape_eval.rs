//! Measures the shape regressor on a held-out synthetic set: for each body, the
//! regressor's parameters (from the two normalised silhouettes and the height) are built
//! into a body, its height matched, its girths moved onto the measurement head's (when the
//! model has one), and its tailoring measurements compared with the true body's. Prints
//! per-measurement MAE and p95 (cm) — of the whole path and, for comparison, of the
//! parameters alone — and the regressor's time per body.
//!
//! ```text
//! cargo run -p catwalk_avatar --example shape_eval -- var/shape/held_out [models/shape_regressor.onnx]
//! ```

use std::path::{Path, PathBuf};
use std::time::Instant;

use catwalk_avatar::measure::MEASUREMENT_NAMES;
use catwalk_avatar::photo::pipeline::{body_from_prediction, match_height};
use catwalk_avatar::photo::refine::REFINED_GIRTHS;
use catwalk_avatar::photo::regressor::default_regressor_path;
use catwalk_avatar::photo::silhouette::{GRID_COLS, GRID_ROWS};
use catwalk_avatar::photo::{Mask, OnnxRuntime, ShapeRegressor};
use catwalk_avatar::{BodyModel, Landmarks, measure};

/// Reads a little-endian f32 .npy file: (shape, values).
fn read_npy(path: &Path) -> Result<(Vec<usize>, Vec<f32>), Box<dyn std::error::Error>> {
    let bytes = std::fs::read(path)?;
    if bytes.len() < 10 || &bytes[..6] != b"\x93NUMPY" {
        return Err(format!("{} is not a .npy file", path.display()).into());
    }
    let header_len = u16::from_le_bytes([bytes[8], bytes[9]]) as usize;
    let header = std::str::from_utf8(&bytes[10..10 + header_len])?;
    if !header.contains("'<f4'") {
        return Err(format!("{} is not little-endian f32", path.display()).into());
    }
    let shape_text = header
        .split("'shape': (")
        .nth(1)
        .and_then(|s| s.split(')').next())
        .ok_or("no shape in the .npy header")?;
    let shape = shape_text
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| s.parse::<usize>())
        .collect::<Result<Vec<_>, _>>()?;
    let values = bytes[10 + header_len..]
        .chunks_exact(4)
        .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect();
    Ok((shape, values))
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[i]
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(
        args.next()
            .ok_or("usage: shape_eval DATA_DIR [MODEL.onnx]")?,
    );
    let model_path = args
        .next()
        .map(PathBuf::from)
        .unwrap_or_else(default_regressor_path);
    let runtime = OnnxRuntime::load_default()?;
    let regressor = ShapeRegressor::load(&runtime, &model_path)?;
    let body_model = BodyModel::load_default()?;
    let landmarks = Landmarks::new(&body_model)?;
    let (shape, front) = read_npy(&dir.join("front.npy"))?;
    let (_, side) = read_npy(&dir.join("side.npy"))?;
    let (_, height) = read_npy(&dir.join("height.npy"))?;
    let (_, truth) = read_npy(&dir.join("measurements.npy"))?;
    let n = shape[0];
    let cell = (GRID_ROWS * GRID_COLS) as usize;
    let mut errors: Vec<Vec<f64>> = vec![Vec::with_capacity(n); MEASUREMENT_NAMES.len()];
    let mut errors_params: Vec<Vec<f64>> = errors.clone();
    let mut body_time = std::time::Duration::ZERO;
    let mut unreached = 0usize;
    let mut regress_time = std::time::Duration::ZERO;
    let started = Instant::now();
    for i in 0..n {
        let grid = |v: &[f32]| {
            Mask::from_coverage(GRID_COLS, GRID_ROWS, v[i * cell..(i + 1) * cell].to_vec())
                .ok_or("bad grid")
        };
        let t = Instant::now();
        let prediction = regressor.predict(&grid(&front)?, &grid(&side)?, height[i])?;
        regress_time += t.elapsed();
        let (_, rest) = match_height(&body_model, prediction.params.clone(), f64::from(height[i]))?;
        let (m, _) = measure(&landmarks, &rest)?;
        for (k, value) in m.to_array().iter().enumerate() {
            errors_params[k].push((value - f64::from(truth[i * 10 + k])).abs());
        }
        let head = prediction.measurements;
        let t = Instant::now();
        let (_, _, m) = body_from_prediction(&body_model, &landmarks, prediction, height[i])?;
        if let Some(head) = head {
            let values = m.to_array();
            if REFINED_GIRTHS
                .iter()
                .any(|&(k, _)| (values[k] - head[k]).abs() > 0.5)
            {
                unreached += 1;
            }
        }
        body_time += t.elapsed();
        for (k, value) in m.to_array().iter().enumerate() {
            errors[k].push((value - f64::from(truth[i * 10 + k])).abs());
        }
        if i % 500 == 0 {
            eprintln!("{i} / {n} ({:.0} s)", started.elapsed().as_secs_f32());
        }
    }
    println!(
        "held-out set: {} ({n} bodies), model {}",
        dir.display(),
        model_path.display()
    );
    println!(
        "{:<16} {:>8} {:>8} {:>8}   {:>16}",
        "measurement", "MAE cm", "p95 cm", "max cm", "parameters only"
    );
    let mut summary = serde_json::Map::new();
    for ((name, e), ep) in MEASUREMENT_NAMES
        .iter()
        .zip(&mut errors)
        .zip(&mut errors_params)
    {
        e.sort_by(f64::total_cmp);
        let mae = e.iter().sum::<f64>() / e.len().max(1) as f64;
        let mae_params = ep.iter().sum::<f64>() / ep.len().max(1) as f64;
        let (p95, max) = (percentile(e, 0.95), e.last().copied().unwrap_or(f64::NAN));
        println!("{name:<16} {mae:>8.2} {p95:>8.2} {max:>8.2}   {mae_params:>16.2}");
        summary.insert(
            (*name).to_string(),
            serde_json::json!({"mae_cm": mae, "p95_cm": p95, "max_cm": max, "parameters_only_mae_cm": mae_params}),
        );
    }
    println!("bodies with a girth left > 0.5 cm from the head's prediction: {unreached} of {n}");
    println!(
        "body from the prediction (height match and girth refinement): {:.1} ms per body",
        body_time.as_secs_f64() * 1000.0 / n.max(1) as f64
    );
    println!(
        "regressor: {:.3} ms per body (1 thread)",
        regress_time.as_secs_f64() * 1000.0 / n.max(1) as f64
    );
    std::fs::write(
        dir.join("eval.json"),
        serde_json::to_string_pretty(&summary)?,
    )?;
    Ok(())
}
