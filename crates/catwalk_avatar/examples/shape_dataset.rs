//! Renders the shape regressor's training or held-out data from the body model.
//!
//! ```text
//! cargo run -p catwalk_avatar --example shape_dataset -- --split train --count 30000 --seed 1 --out var/shape/train
//! cargo run -p catwalk_avatar --example shape_dataset -- --split held-out --count 2000 --seed 2 --out var/shape/held_out
//! ```
//! Writes `front.npy`, `side.npy` (N x 1 x 96 x 64 coverage), `height.npy` (N, cm),
//! `params.npy` (N x P), `measurements.npy` (N x 10, cm) and `meta.json` for
//! tools/shape_regressor/train.py. Bodies outside BMI 17-40 or 140-205 cm are drawn again.
//! With `--matte` the silhouettes are MODNet mattes of shaded synthetic photos (slow: two
//! network runs per body) instead of rendered masks, so training sees what photos give.

use std::io::Write;
use std::path::PathBuf;

use catwalk_avatar::measure::MEASUREMENT_NAMES;
use catwalk_avatar::photo::dataset::{
    Augment, Rng, Shot, Split, bmi, random_params, render_sample, shot_views, stature,
};
use catwalk_avatar::photo::matte::default_modnet_path;
use catwalk_avatar::photo::regressor::{output_names, params_to_vector};
use catwalk_avatar::photo::silhouette::normalise;
use catwalk_avatar::photo::silhouette::{GRID_COLS, GRID_ROWS};
use catwalk_avatar::photo::synthetic::{Look, render_photo};
use catwalk_avatar::photo::{CheckLimits, MattingModel, OnnxRuntime, View, check_capture};
use catwalk_avatar::{BodyModel, Landmarks, measure};

struct Args {
    split: Split,
    count: usize,
    seed: u64,
    out: PathBuf,
    threads: usize,
    matte: bool,
}

fn parse() -> Result<Args, String> {
    let mut args = Args {
        split: Split::Train,
        count: 1000,
        seed: 1,
        out: PathBuf::from("var/shape/train"),
        threads: 2,
        matte: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--split" => {
                args.split = match value()?.as_str() {
                    "train" => Split::Train,
                    "held-out" => Split::HeldOut,
                    other => return Err(format!("--split is train or held-out, not {other}")),
                }
            }
            "--count" => args.count = value()?.parse().map_err(|e| format!("--count: {e}"))?,
            "--seed" => args.seed = value()?.parse().map_err(|e| format!("--seed: {e}"))?,
            "--out" => args.out = PathBuf::from(value()?),
            "--threads" => {
                args.threads = value()?.parse().map_err(|e| format!("--threads: {e}"))?
            }
            "--matte" => args.matte = true,
            "--help" | "-h" => {
                return Err("usage: shape_dataset [--split train|held-out] [--count N] [--seed S] [--out DIR] [--threads T] [--matte]".into());
            }
            other => return Err(format!("unknown argument {other}; see --help")),
        }
    }
    Ok(args)
}

struct Row {
    front: Vec<f32>,
    side: Vec<f32>,
    height: f32,
    params: Vec<f32>,
    measurements: Vec<f32>,
    bmi: f32,
}

/// A row whose silhouettes come from MODNet mattes of shaded synthetic photos (what the
/// pipeline sees) instead of rendered masks.
fn make_matte_row(
    model: &BodyModel,
    landmarks: &Landmarks,
    split: Split,
    rng: &mut Rng,
    matting: &MattingModel,
) -> Row {
    loop {
        let params = random_params(rng);
        let shot = Shot::random(rng, split);
        let Ok(rest) = model.build(&params) else {
            continue;
        };
        let height_m = stature(&rest) as f32;
        if !(17.0..=40.0).contains(&bmi(&rest, &model.triangles))
            || !(1.4..=2.05).contains(&height_m)
        {
            continue;
        }
        let Ok((m, _)) = measure(landmarks, &rest) else {
            continue;
        };
        let (views, camera) = shot_views(model, &rest, &shot);
        let mut grids = Vec::new();
        for (vertices, view) in views.iter().zip([View::Front, View::Side]) {
            let photo = render_photo(
                vertices,
                &model.triangles,
                &camera,
                720,
                1080,
                &Look::studio(height_m),
            );
            let Ok(matte) = matting.matte(&photo) else {
                break;
            };
            let Ok(figure) = check_capture(&matte, view, &CheckLimits::default()) else {
                break;
            };
            grids.push(normalise(&matte, &figure));
        }
        if grids.len() < 2 {
            continue;
        }
        return Row {
            front: grids[0].coverage().to_vec(),
            side: grids[1].coverage().to_vec(),
            height: height_m * 100.0,
            params: params_to_vector(&params),
            measurements: m.to_array().iter().map(|&v| v as f32).collect(),
            bmi: bmi(&rest, &model.triangles) as f32,
        };
    }
}

fn make_row(model: &BodyModel, landmarks: &Landmarks, split: Split, rng: &mut Rng) -> Row {
    loop {
        // Training: a third of the bodies in loose clothes, a third with matting errors;
        // the held-out set is clean (matting errors are measured through MODNet by the
        // photo_bench example).
        let augment = match split {
            Split::Train => Augment {
                clothing_px: if rng.unit() < 0.3 { 3 } else { 0 },
                matte_px: if rng.unit() < 0.3 { 1 } else { 0 },
            },
            Split::HeldOut => Augment {
                clothing_px: 0,
                matte_px: 0,
            },
        };
        let params = random_params(rng);
        let shot = Shot::random(rng, split);
        let Some(sample) = render_sample(model, &params, &shot, &augment, rng, 352, 512) else {
            continue;
        };
        if !(17.0..=40.0).contains(&sample.bmi) || !(140.0..=205.0).contains(&sample.height_cm) {
            continue;
        }
        let Ok((m, _)) = measure(landmarks, &sample.rest) else {
            continue;
        };
        return Row {
            front: sample.front.coverage().to_vec(),
            side: sample.side.coverage().to_vec(),
            height: sample.height_cm as f32,
            params: params_to_vector(&params),
            measurements: m.to_array().iter().map(|&v| v as f32).collect(),
            bmi: sample.bmi as f32,
        };
    }
}

fn npy_header(shape: &[usize]) -> Vec<u8> {
    let dims: Vec<String> = shape.iter().map(|d| d.to_string()).collect();
    let tuple = if dims.len() == 1 {
        format!("({},)", dims[0])
    } else {
        format!("({})", dims.join(", "))
    };
    let mut dict = format!("{{'descr': '<f4', 'fortran_order': False, 'shape': {tuple}, }}");
    while (10 + dict.len() + 1) % 64 != 0 {
        dict.push(' ');
    }
    dict.push('\n');
    let mut out = b"\x93NUMPY\x01\x00".to_vec();
    out.extend_from_slice(&(dict.len() as u16).to_le_bytes());
    out.extend_from_slice(dict.as_bytes());
    out
}

fn write_npy(
    path: &PathBuf,
    shape: &[usize],
    values: impl Iterator<Item = f32>,
) -> std::io::Result<()> {
    let mut file = std::io::BufWriter::new(std::fs::File::create(path)?);
    file.write_all(&npy_header(shape))?;
    for v in values {
        file.write_all(&v.to_le_bytes())?;
    }
    file.flush()
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = parse()?;
    let model = BodyModel::load_default()?;
    let landmarks = Landmarks::new(&model)?;
    std::fs::create_dir_all(&args.out)?;
    let started = std::time::Instant::now();
    let threads = args.threads.max(1);
    let per = args.count.div_ceil(threads);
    let rows: Vec<Row> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let (model, landmarks) = (&model, &landmarks);
                let n = per.min(args.count.saturating_sub(t * per));
                let seed = args.seed.wrapping_mul(1000).wrapping_add(t as u64);
                let matte = args.matte;
                scope.spawn(move || {
                    let mut rng = Rng::new(seed);
                    let matting = matte.then(|| {
                        OnnxRuntime::load_default()
                            .and_then(|rt| {
                                MattingModel::load(&rt, &default_modnet_path(), 512, 1, 1)
                            })
                            .unwrap_or_else(|e| panic!("{e}"))
                    });
                    (0..n)
                        .map(|i| {
                            if t == 0 && i % 500 == 0 {
                                eprintln!(
                                    "{:>6} / {} rows ({:.0} s)",
                                    i * threads,
                                    args.count,
                                    started.elapsed().as_secs_f32()
                                );
                            }
                            match &matting {
                                Some(m) => {
                                    make_matte_row(model, landmarks, args.split, &mut rng, m)
                                }
                                None => make_row(model, landmarks, args.split, &mut rng),
                            }
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    });
    let n = rows.len();
    let grid = [n, 1, GRID_ROWS as usize, GRID_COLS as usize];
    write_npy(
        &args.out.join("front.npy"),
        &grid,
        rows.iter().flat_map(|r| r.front.iter().copied()),
    )?;
    write_npy(
        &args.out.join("side.npy"),
        &grid,
        rows.iter().flat_map(|r| r.side.iter().copied()),
    )?;
    write_npy(
        &args.out.join("height.npy"),
        &[n],
        rows.iter().map(|r| r.height),
    )?;
    write_npy(&args.out.join("bmi.npy"), &[n], rows.iter().map(|r| r.bmi))?;
    let p = output_names().len();
    write_npy(
        &args.out.join("params.npy"),
        &[n, p],
        rows.iter().flat_map(|r| r.params.iter().copied()),
    )?;
    write_npy(
        &args.out.join("measurements.npy"),
        &[n, 10],
        rows.iter().flat_map(|r| r.measurements.iter().copied()),
    )?;
    let meta = serde_json::json!({
        "split": format!("{:?}", args.split),
        "count": n,
        "seed": args.seed,
        "grid": [GRID_ROWS, GRID_COLS],
        "render_size": [352, 512],
        "silhouettes": if args.matte { "modnet-matte of 720x1080 synthetic photos" } else { "rendered masks" },
        "parameter_names": output_names(),
        "measurement_names": MEASUREMENT_NAMES,
    });
    std::fs::write(
        args.out.join("meta.json"),
        serde_json::to_string_pretty(&meta)?,
    )?;
    eprintln!(
        "wrote {n} rows to {} in {:.1} s",
        args.out.display(),
        started.elapsed().as_secs_f32()
    );
    Ok(())
}
