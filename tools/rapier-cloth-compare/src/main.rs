//! `rapier-cloth-compare`: milliseconds per 60 Hz frame of catwalk_cloth and of the
//! `rapier-cloth` crate (crates.io) on the same garment-sized mesh: the walking-skirt reference
//! scene (a flared skirt sewn closed at the back, its waist attached to the pelvis, on four
//! capsule legs walking in place), same substeps, iterations, fabric and colliders.
//!
//! Both solvers get the skirt's pattern-plane rest shape and the same starting placement, the
//! seam as zero-length constraints (rapier-cloth's stitches need a positive rest length: 10 µm),
//! and the legs and pelvis at their exact pose at every substep (rapier-cloth through kinematic
//! Rapier bodies, stepped with Rapier as its own benchmark does). After the run both meshes are
//! measured the same way: edge strain against the pattern and depth inside the legs.

mod rapier_run;

use std::time::Instant;

use clap::Parser;

use catwalk_cloth::glam::Vec3;
use catwalk_cloth::scenes::{
    ReferenceScene, SkirtDimensions, WalkingLegs, skirt_grid_for, skirt_on_walking_legs,
};
use catwalk_cloth::{EdgeKind, FabricPreset, SolverSettings};

/// Times catwalk_cloth and rapier-cloth on the same skirt on walking capsule legs.
#[derive(Debug, Parser)]
#[command(version, about)]
pub struct Args {
    /// Target vertex count (the skirt grid is sized to come close).
    #[arg(long, default_value_t = 2000)]
    vertices: usize,
    /// Frames measured, after the warm-up.
    #[arg(long, default_value_t = 300)]
    frames: usize,
    /// Frames simulated before measuring.
    #[arg(long, default_value_t = 30)]
    warmup: usize,
    /// Frame rate, Hz.
    #[arg(long, default_value_t = 60.0)]
    hz: f32,
    /// Substeps per frame.
    #[arg(long, default_value_t = 4)]
    substeps: u32,
    /// Solver iterations per substep.
    #[arg(long, default_value_t = 8)]
    iterations: u32,
    /// rayon thread counts to run catwalk_cloth with (rapier-cloth's XPBD solver is
    /// single-threaded).
    #[arg(long, value_delimiter = ',', default_value = "1,2")]
    threads: Vec<usize>,
    /// rapier-cloth's kinematic motion budget per substep, as a multiple of the particle radius
    /// (its default, 0.5, refuses the walking legs at 4 substeps and names the substeps it
    /// would need).
    #[arg(long, default_value_t = 0.5)]
    rapier_motion_ratio: f32,
}

/// Timings and end-of-run quality of one solver.
pub struct Outcome {
    /// Milliseconds per frame, measured frames only.
    pub frame_ms: Vec<f64>,
    /// Milliseconds per frame spent in the cloth solver alone, when it differs from the frame.
    pub cloth_ms: Option<Vec<f64>>,
    /// Final vertex positions.
    pub positions: Vec<Vec3>,
}

fn main() {
    let args = Args::parse();
    let scene = skirt(&args);
    let stats = scene.cloth.stats();
    println!(
        "rapier-cloth-compare: skirt of {} vertices / {} triangles on 4 walking capsules, cotton twill, \
         {} Hz, {} substeps x {} iterations, {} + {} frames",
        stats.vertices,
        stats.triangles,
        args.hz,
        args.substeps,
        args.iterations,
        args.warmup,
        args.frames
    );
    println!(
        "| solver | threads | mean ms | p50 ms | p95 ms | max ms | p95 strain | max strain | max depth in legs mm |"
    );
    println!("|---|---|---|---|---|---|---|---|---|");
    let mut catwalk_means = Vec::new();
    for &threads in &args.threads {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap_or_else(|err| fail(&format!("could not start {threads} threads: {err}")));
        let outcome = pool.install(|| catwalk_run(scene.clone(), &args));
        catwalk_means.push((threads, mean(&outcome.frame_ms)));
        report(
            "catwalk_cloth",
            &threads.to_string(),
            &outcome,
            &scene,
            &args,
        );
    }
    let outcome = rapier_run::run(&scene, &args).unwrap_or_else(|err| fail(&err));
    report("rapier-cloth 0.3.0", "1", &outcome, &scene, &args);
    if let Some(cloth_ms) = &outcome.cloth_ms {
        println!(
            "rapier-cloth alone (its step_substep, Rapier's own step excluded): mean {:.2} ms per frame",
            mean(cloth_ms)
        );
    }
    let rapier_mean = mean(&outcome.frame_ms);
    for (threads, catwalk_mean) in catwalk_means {
        println!(
            "ratio rapier-cloth / catwalk_cloth ({threads} thread{}): {:.2}",
            if threads == 1 { "" } else { "s" },
            rapier_mean / catwalk_mean
        );
    }
}

/// The benchmark skirt with the requested solver settings (as `cloth-bench` builds it).
fn skirt(args: &Args) -> ReferenceScene {
    let (around, down) = skirt_grid_for(args.vertices);
    let mut scene = skirt_on_walking_legs(
        FabricPreset::CottonTwill,
        around,
        down,
        SkirtDimensions::default(),
        WalkingLegs::default(),
    )
    .unwrap_or_else(|err| fail(&format!("could not build the skirt: {err}")));
    let settings = SolverSettings {
        substeps: args.substeps,
        iterations: args.iterations,
        ..*scene.cloth.settings()
    };
    scene
        .cloth
        .set_settings(settings)
        .unwrap_or_else(|err| fail(&err.to_string()));
    scene
}

/// Steps the scene with catwalk_cloth on the current rayon pool.
fn catwalk_run(mut scene: ReferenceScene, args: &Args) -> Outcome {
    let dt = 1.0 / args.hz;
    let mut frame_ms = Vec::with_capacity(args.frames);
    for frame in 0..args.warmup + args.frames {
        let start = Instant::now();
        scene
            .advance(dt)
            .unwrap_or_else(|err| fail(&format!("catwalk_cloth step failed: {err}")));
        if frame >= args.warmup {
            frame_ms.push(start.elapsed().as_secs_f64() * 1e3);
        }
    }
    Outcome {
        frame_ms,
        cloth_ms: None,
        positions: scene.cloth.positions().to_vec(),
    }
}

/// Prints one table row: timings, then strain over warp/weft edges and depth inside the legs at
/// the end of the run, both measured the same way for either solver.
fn report(solver: &str, threads: &str, outcome: &Outcome, scene: &ReferenceScene, args: &Args) {
    if outcome.positions.iter().any(|p| !p.is_finite()) {
        fail(&format!("{solver} blew up (non-finite positions)"));
    }
    let mut scene = scene.clone();
    let end = (args.warmup + args.frames) as f32 / args.hz;
    let _ = scene.drive(end);
    let cloth = &scene.cloth;
    let mut strains: Vec<f32> = cloth
        .edges()
        .iter()
        .zip(cloth.edge_rest_lengths())
        .zip(cloth.edge_kinds())
        .filter(|&(_, &kind)| kind != EdgeKind::Shear)
        .map(|((&[a, b], &rest), _)| {
            let (a, b) = (outcome.positions[a as usize], outcome.positions[b as usize]);
            (a.distance(b) / rest - 1.0).abs()
        })
        .collect();
    strains.sort_by(f32::total_cmp);
    let p95 = strains[((strains.len() as f32 * 0.95).ceil() as usize).clamp(1, strains.len()) - 1];
    let depth = outcome
        .positions
        .iter()
        .map(|&p| scene.colliders.current().penetration(p))
        .fold(0.0, f32::max);
    let mut times = outcome.frame_ms.clone();
    times.sort_by(f64::total_cmp);
    let pick = |q: f64| times[((times.len() as f64 * q).ceil() as usize).clamp(1, times.len()) - 1];
    println!(
        "| {solver} | {threads} | {:.2} | {:.2} | {:.2} | {:.2} | {:.2} % | {:.2} % | {:.2} |",
        mean(&times),
        pick(0.5),
        pick(0.95),
        times.last().copied().unwrap_or(0.0),
        p95 * 100.0,
        strains.last().copied().unwrap_or(0.0) * 100.0,
        depth * 1e3
    );
}

fn mean(values: &[f64]) -> f64 {
    values.iter().sum::<f64>() / values.len().max(1) as f64
}

fn fail(message: &str) -> ! {
    eprintln!("rapier-cloth-compare: {message}");
    std::process::exit(1);
}
