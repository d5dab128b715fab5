//! `cloth-bench`: milliseconds per 60 Hz frame of the cloth solver on the walking-skirt scene
//! (a garment-sized flared skirt on four capsule legs), at several mesh sizes, on the CPU or,
//! with `--gpu`, on the wgpu compute solver; `--garments N` steps N such skirts every frame,
//! each its own solver or, with `--batched`, all in one GPU batch, as a runway with N dressed
//! models does.
//!
//! Run in release: `cargo run --release -p catwalk_cloth --bin cloth-bench -- --help`.

use std::time::Instant;

use clap::Parser;

#[cfg(feature = "gpu")]
use catwalk_cloth::gpu::GpuCloth;
use catwalk_cloth::scenes::{
    ReferenceScene, SkirtDimensions, WalkingLegs, skirt_grid_for, skirt_on_walking_legs,
};
use catwalk_cloth::{FabricPreset, SolverSettings};

/// Measures ms per frame of the XPBD cloth solver on a skirt over walking capsule legs.
#[derive(Debug, Parser)]
#[command(version, about)]
struct Args {
    /// Target vertex counts (the skirt grid is sized to come close).
    #[arg(long, value_delimiter = ',', default_value = "1000,2000,8000,32000")]
    sizes: Vec<usize>,
    /// Frames measured per size, after the warm-up.
    #[arg(long, default_value_t = 120)]
    frames: usize,
    /// Frames simulated before measuring (the skirt settles onto the legs).
    #[arg(long, default_value_t = 30)]
    warmup: usize,
    /// Frame rate, Hz.
    #[arg(long, default_value_t = 60.0)]
    hz: f32,
    /// Skirts stepped every frame, each its own solver with its own legs (a runway of dressed
    /// models); each has the size asked for, so the frame holds garments × size vertices.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=64))]
    garments: u32,
    /// Substeps per frame.
    #[arg(long, default_value_t = 4)]
    substeps: u32,
    /// Iterations per substep.
    #[arg(long, default_value_t = 8)]
    iterations: u32,
    /// Run the wgpu compute solver instead of the CPU one (each frame is timed until the GPU
    /// has finished it; positions are read back once per frame, as a renderer without shared
    /// buffers would).
    #[cfg(feature = "gpu")]
    #[arg(long)]
    gpu: bool,
    /// With `--gpu`: step all garments as one batch (one set of buffers, the same dispatches
    /// for all) instead of one solver each.
    #[cfg(feature = "gpu")]
    #[arg(long, requires = "gpu")]
    batched: bool,
}

fn main() {
    let args = Args::parse();
    let dt = 1.0 / args.hz;
    #[cfg(feature = "gpu")]
    let gpu = if args.gpu {
        match catwalk_cloth::gpu::GpuContext::new_headless() {
            Ok(context) => Some(context),
            Err(err) => {
                eprintln!("cloth-bench: {err}");
                std::process::exit(1);
            }
        }
    } else {
        None
    };
    #[cfg(not(feature = "gpu"))]
    let gpu: Option<()> = None;
    let device = match &gpu {
        #[cfg(feature = "gpu")]
        Some(context) => format!("GPU {:?}", context.adapter_info),
        _ => format!("CPU, {} rayon threads", rayon::current_num_threads()),
    };
    #[cfg(feature = "gpu")]
    let layout = if args.batched {
        "one batch"
    } else {
        "a solver each"
    };
    #[cfg(not(feature = "gpu"))]
    let layout = "a solver each";
    println!(
        "cloth-bench: {} skirt(s) on 4 walking capsules each ({layout}), cotton twill, {} Hz, {} substeps x {} iterations, {device}",
        args.garments, args.hz, args.substeps, args.iterations,
    );
    println!(
        "| garments | vertices | triangles | distance colours | bend colours | mean ms | p50 ms | p95 ms | max ms | encode ms | pipelined ms |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|");
    for &target in &args.sizes {
        let mut scenes: Vec<ReferenceScene> =
            (0..args.garments).map(|_| skirt(target, &args)).collect();
        let mut times = Vec::with_capacity(args.frames);
        // GPU only: mean CPU time to record and submit a frame, and ms per frame when frames
        // are queued back to back with no read-back (a renderer sharing the buffers).
        let mut gpu_extra = (f64::NAN, f64::NAN);
        let finite = match &gpu {
            #[cfg(feature = "gpu")]
            Some(context) => {
                gpu_frames(context, &mut scenes, dt, &args, &mut times, &mut gpu_extra)
            }
            _ => {
                for frame in 0..args.warmup + args.frames {
                    let start = Instant::now();
                    for scene in &mut scenes {
                        if let Err(err) = scene.advance(dt) {
                            eprintln!("cloth-bench: step failed: {err}");
                            std::process::exit(1);
                        }
                    }
                    if frame >= args.warmup {
                        times.push(start.elapsed().as_secs_f64() * 1e3);
                    }
                }
                scenes.iter().all(|scene| scene.cloth.is_finite())
            }
        };
        if !finite {
            eprintln!("cloth-bench: the {target}-vertex skirt blew up");
            std::process::exit(1);
        }
        times.sort_by(f64::total_cmp);
        let pick =
            |q: f64| times[((times.len() as f64 * q).ceil() as usize).clamp(1, times.len()) - 1];
        let mean = times.iter().sum::<f64>() / times.len().max(1) as f64;
        let stats = scenes[0].cloth.stats();
        let garments = scenes.len();
        println!(
            "| {} | {} | {} | {} | {} | {:.2} | {:.2} | {:.2} | {:.2} | {} | {} |",
            garments,
            garments * stats.vertices,
            garments * stats.triangles,
            stats.distance_colours,
            stats.bend_colours,
            mean,
            pick(0.5),
            pick(0.95),
            times.last().copied().unwrap_or(0.0),
            optional_ms(gpu_extra.0),
            optional_ms(gpu_extra.1),
        );
    }
}

/// A figure in ms, or "-" where it was not measured.
fn optional_ms(ms: f64) -> String {
    if ms.is_nan() {
        "-".to_string()
    } else {
        format!("{ms:.2}")
    }
}

/// The skirt scene sized to about `target` vertices, with the benchmark's solver settings.
fn skirt(target: usize, args: &Args) -> ReferenceScene {
    let (around, down) = skirt_grid_for(target);
    let mut scene = match skirt_on_walking_legs(
        FabricPreset::CottonTwill,
        around,
        down,
        SkirtDimensions::default(),
        WalkingLegs::default(),
    ) {
        Ok(scene) => scene,
        Err(err) => {
            eprintln!("cloth-bench: could not build the {target}-vertex skirt: {err}");
            std::process::exit(1);
        }
    };
    let settings = SolverSettings {
        substeps: args.substeps,
        iterations: args.iterations,
        ..*scene.cloth.settings()
    };
    if let Err(err) = scene.cloth.set_settings(settings) {
        eprintln!("cloth-bench: {err}");
        std::process::exit(2);
    }
    scene
}

/// Steps the scenes on the GPU, timing each measured frame from the first submission until
/// every garment's positions are back on the CPU (all steps are queued before the first
/// read-back); then queues as many frames again back to back and waits once. Sets `extra` to
/// the mean time spent recording and submitting a frame and the back-to-back ms per frame;
/// returns whether the positions stayed finite.
#[cfg(feature = "gpu")]
fn gpu_frames(
    context: &catwalk_cloth::gpu::GpuContext,
    scenes: &mut [ReferenceScene],
    dt: f32,
    args: &Args,
    times: &mut Vec<f64>,
    extra: &mut (f64, f64),
) -> bool {
    let fail = |err: catwalk_cloth::gpu::GpuError| -> ! {
        eprintln!("cloth-bench: GPU step failed: {err}");
        std::process::exit(1);
    };
    let mut cloths: Vec<GpuCloth> = if args.batched {
        let members: Vec<_> = scenes.iter().map(|scene| &scene.cloth).collect();
        vec![
            GpuCloth::batch(&context.device, &context.queue, &members)
                .unwrap_or_else(|err| fail(err)),
        ]
    } else {
        scenes
            .iter()
            .map(|scene| {
                GpuCloth::new(&context.device, &context.queue, &scene.cloth)
                    .unwrap_or_else(|err| fail(err))
            })
            .collect()
    };
    let mut finite = true;
    let queue_frame = |scenes: &mut [ReferenceScene], cloths: &mut [GpuCloth]| {
        if let [batch] = cloths
            && batch.member_count() > 1
        {
            for (m, scene) in scenes.iter_mut().enumerate() {
                let time = batch.member_time(m).unwrap_or(0.0);
                if let Some(targets) = scene.drive(time + dt) {
                    batch
                        .set_member_attachment_targets(m, &targets)
                        .unwrap_or_else(|err| fail(err));
                }
            }
            let sets: Vec<_> = scenes.iter().map(|scene| &scene.colliders).collect();
            batch.step_batch(dt, &sets).unwrap_or_else(|err| fail(err));
            return;
        }
        for (scene, cloth) in scenes.iter_mut().zip(cloths) {
            if let Some(targets) = scene.drive(cloth.time() + dt) {
                cloth
                    .set_attachment_targets(&targets)
                    .unwrap_or_else(|err| fail(err));
            }
            cloth
                .step(dt, &scene.colliders)
                .unwrap_or_else(|err| fail(err));
        }
    };
    let mut encode = 0.0;
    for frame in 0..args.warmup + args.frames {
        let start = Instant::now();
        queue_frame(scenes, &mut cloths);
        if frame >= args.warmup {
            encode += start.elapsed().as_secs_f64() * 1e3;
        }
        for cloth in &mut cloths {
            let positions = cloth.read_positions().unwrap_or_else(|err| fail(err));
            finite &= positions.iter().all(|p| p.is_finite());
        }
        if frame >= args.warmup {
            times.push(start.elapsed().as_secs_f64() * 1e3);
        }
    }
    let start = Instant::now();
    for _ in 0..args.frames {
        queue_frame(scenes, &mut cloths);
    }
    for cloth in &cloths {
        cloth.wait().unwrap_or_else(|err| fail(err));
    }
    let frames = args.frames.max(1) as f64;
    *extra = (
        encode / frames,
        start.elapsed().as_secs_f64() * 1e3 / frames,
    );
    for cloth in &mut cloths {
        let positions = cloth.read_positions().unwrap_or_else(|err| fail(err));
        finite &= positions.iter().all(|p| p.is_finite());
    }
    finite
}
