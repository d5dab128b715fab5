//! `cloth-bench`: milliseconds per 60 Hz frame of the cloth solver on the walking-skirt scene
//! (a garment-sized flared skirt on four capsule legs), at several mesh sizes, on the CPU or,
//! with `--gpu`, on the wgpu compute solver.
//!
//! Run in release: `cargo run --release -p catwalk_cloth --bin cloth-bench -- --help`.

use std::time::Instant;

use clap::Parser;

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
    println!(
        "cloth-bench: skirt on 4 walking capsules, cotton twill, {} Hz, {} substeps x {} iterations, {device}",
        args.hz, args.substeps, args.iterations,
    );
    println!(
        "| vertices | triangles | distance colours | bend colours | mean ms | p50 ms | p95 ms | max ms |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    for &target in &args.sizes {
        let mut scene = skirt(target, &args);
        let mut times = Vec::with_capacity(args.frames);
        let finite = match &gpu {
            #[cfg(feature = "gpu")]
            Some(context) => gpu_frames(context, &mut scene, dt, &args, &mut times),
            _ => {
                for frame in 0..args.warmup + args.frames {
                    let start = Instant::now();
                    if let Err(err) = scene.advance(dt) {
                        eprintln!("cloth-bench: step failed: {err}");
                        std::process::exit(1);
                    }
                    if frame >= args.warmup {
                        times.push(start.elapsed().as_secs_f64() * 1e3);
                    }
                }
                scene.cloth.is_finite()
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
        let stats = scene.cloth.stats();
        println!(
            "| {} | {} | {} | {} | {:.2} | {:.2} | {:.2} | {:.2} |",
            stats.vertices,
            stats.triangles,
            stats.distance_colours,
            stats.bend_colours,
            mean,
            pick(0.5),
            pick(0.95),
            times.last().copied().unwrap_or(0.0)
        );
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

/// Steps the scene on the GPU, timing each measured frame from submission until its positions
/// are back on the CPU; returns whether the final positions are finite.
#[cfg(feature = "gpu")]
fn gpu_frames(
    context: &catwalk_cloth::gpu::GpuContext,
    scene: &mut ReferenceScene,
    dt: f32,
    args: &Args,
    times: &mut Vec<f64>,
) -> bool {
    let fail = |err: catwalk_cloth::gpu::GpuError| -> ! {
        eprintln!("cloth-bench: GPU step failed: {err}");
        std::process::exit(1);
    };
    let mut cloth =
        catwalk_cloth::gpu::GpuCloth::new(&context.device, &context.queue, &scene.cloth)
            .unwrap_or_else(|err| fail(err));
    let mut positions = Vec::new();
    for frame in 0..args.warmup + args.frames {
        let start = Instant::now();
        if let Some(targets) = scene.drive(cloth.time() + dt) {
            cloth
                .set_attachment_targets(&targets)
                .unwrap_or_else(|err| fail(err));
        }
        cloth
            .step(dt, &scene.colliders)
            .unwrap_or_else(|err| fail(err));
        positions = cloth.read_positions().unwrap_or_else(|err| fail(err));
        if frame >= args.warmup {
            times.push(start.elapsed().as_secs_f64() * 1e3);
        }
    }
    positions.iter().all(|p| p.is_finite())
}
