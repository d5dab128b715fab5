//! Garments on the avatars: a design drafted for the avatar's own measurements, meshed,
//! sewn onto its capsule body and settled by catwalk_cloth (off the main thread, in
//! [`dress`]), then stepped every frame with the body's pose — on the GPU through Bevy's
//! own render device ([`catwalk_cloth::gpu::GpuCloth`]) when there is one, on the CPU
//! otherwise. The fabric preset sets the material (sheen, roughness, sheerness); the fit
//! view colours each vertex by [`FitMap`](catwalk_garment::drape::FitMap) class.

use std::time::Instant;

use bevy::asset::RenderAssetUsages;
use bevy::mesh::{Indices, PrimitiveTopology};
use bevy::prelude::*;
use bevy::render::renderer::{RenderAdapterInfo, RenderDevice, RenderQueue};
use catwalk_cloth::gpu::GpuCloth;
use catwalk_garment::design::{DesignCandidate, FabricPreset};
use catwalk_garment::drape::{Drape, DrapeError, DrapeSettings, SeamWeld};
use catwalk_garment::{GarmentMesh, MeshOptions};
use glam::Vec3 as GVec3;

use crate::app::ClothBackend;
use crate::avatars::CurrentPose;
use crate::choreography::Phase;
use crate::rig::RiggedAvatar;
use crate::runway::{Model, Stage};
use crate::timing::FrameTimes;
use catwalk_avatar::gltf::vertex_normals;

/// Simulation step, s.
pub const STEP: f32 = 1.0 / 60.0;
/// Most steps per frame: a slow frame slows the cloth instead of stalling further.
pub const MAX_STEPS_PER_FRAME: u32 = 2;
/// The garment is drawn this far outside the simulated surface, m, so the skin between
/// capsules does not show through.
pub const DRAW_OFFSET_M: f32 = 0.006;
/// Mesh resolution for the runway, cm.
pub const RUNWAY_EDGE_CM: f64 = 3.0;
/// Substeps and iterations once a garment is settled: the solver's own real-time default
/// (4 × 8). Sewing and settling use the drape's stricter 8 × 12; walking at 4 × 8 lets the
/// fabric stretch a little more where panels meet, which the eye does not catch at runway
/// distance, for a third of the cost.
pub const RUNWAY_SOLVER: (u32, u32) = (4, 8);

/// What to dress.
pub struct DressRequest<'a> {
    /// The design.
    pub design: &'a DesignCandidate,
    /// Who wears it.
    pub avatar: &'a RiggedAvatar,
}

/// Why a garment could not be dressed.
#[derive(Debug, thiserror::Error)]
pub enum DressError {
    /// The pattern could not be drafted for this body.
    #[error("the pattern could not be drafted for this body: {0}")]
    Draft(String),
    /// The pattern could not be meshed.
    #[error("the pattern could not be meshed: {0}")]
    Mesh(String),
    /// The drape failed.
    #[error(transparent)]
    Drape(#[from] DrapeError),
}

/// Drafts, meshes, sews and settles the garment on the avatar's capsule body.
pub fn dress(req: &DressRequest<'_>) -> Result<Drape, DressError> {
    let pattern = req
        .design
        .pattern(&req.avatar.sheet)
        .map_err(|e| DressError::Draft(e.to_string()))?;
    let mesh = GarmentMesh::from_pattern(
        &pattern,
        &MeshOptions {
            target_edge_cm: RUNWAY_EDGE_CM,
            ..MeshOptions::default()
        },
    )
    .map_err(|e| DressError::Mesh(e.to_string()))?;
    let mut drape = Drape::new(
        &pattern,
        &mesh,
        req.design.fabric,
        req.avatar.body.clone(),
        DrapeSettings::default(),
    )?;
    drape.settle()?;
    drape.set_iterations(RUNWAY_SOLVER.0, RUNWAY_SOLVER.1)?;
    Ok(drape)
}

/// A settled garment for a model (sent by the avatar plugin).
#[derive(Message)]
pub struct Dressed {
    /// The model entity.
    pub model: Entity,
    /// The garment.
    pub drape: Box<Drape>,
}

/// Where a garment is simulated.
pub enum Solver {
    /// On the CPU.
    Cpu,
    /// On the render device.
    Gpu(Box<GpuCloth>),
}

/// A garment on a model.
#[derive(Component)]
pub struct Garment {
    /// The drape (its CPU cloth is the state when `solver` is CPU).
    pub drape: Box<Drape>,
    /// The mesh drawn.
    pub mesh: Handle<Mesh>,
    /// Where it is stepped.
    pub solver: Solver,
    /// The model wearing it.
    pub model: Entity,
    /// The design's colour.
    pub colour: [u8; 3],
    /// Positions after the last step.
    pub positions: Vec<GVec3>,
    /// The vertices drawn as one across each seam.
    pub weld: SeamWeld,
}

/// Whether garments show the fit view (tight red, snug amber, ease green, loose blue).
#[derive(Resource, Default, Debug, Clone, Copy, PartialEq, Eq)]
pub struct FitView(pub bool);

/// Time not yet simulated, s.
#[derive(Resource, Default)]
struct Backlog(f32);

/// Dresses models and steps their garments.
pub struct ClothPlugin;

impl Plugin for ClothPlugin {
    fn build(&self, app: &mut App) {
        app.add_message::<Dressed>()
            .init_resource::<FitView>()
            .init_resource::<Backlog>()
            .add_systems(
                Update,
                (attach_garments, step_garments)
                    .chain()
                    .after(crate::avatars::animate),
            );
    }
}

/// Whether to use the GPU for this backend and adapter.
pub fn use_gpu(backend: ClothBackend, adapter: Option<&RenderAdapterInfo>) -> bool {
    match backend {
        ClothBackend::Gpu => adapter.is_some(),
        ClothBackend::Cpu | ClothBackend::Off => false,
        ClothBackend::Auto => adapter.is_some_and(|a| a.device_type != wgpu::DeviceType::Cpu),
    }
}

#[allow(clippy::too_many_arguments)]
fn attach_garments(
    mut commands: Commands,
    mut dressed: MessageReader<Dressed>,
    backend: Res<ClothBackend>,
    device: Option<Res<RenderDevice>>,
    queue: Option<Res<RenderQueue>>,
    adapter: Option<Res<RenderAdapterInfo>>,
    models: Query<&Model>,
    mut meshes: ResMut<Assets<Mesh>>,
    mut materials: ResMut<Assets<StandardMaterial>>,
) {
    for msg in dressed.read() {
        let Ok(model) = models.get(msg.model) else {
            continue;
        };
        let drape = msg.drape.clone();
        let design = &model.asset.design;
        let colour = [design.colour.r, design.colour.g, design.colour.b];
        let positions = drape.positions().to_vec();
        let weld = drape.seam_weld();
        let mesh = meshes.add(garment_mesh(&drape, &weld, &positions, colour, None));
        let solver = match (&device, &queue) {
            (Some(d), Some(q)) if use_gpu(*backend, adapter.as_deref()) => {
                match GpuCloth::new(d.wgpu_device(), &q.0, drape.cloth()) {
                    Ok(g) => Solver::Gpu(Box::new(g)),
                    Err(e) => {
                        warn!("GPU cloth unavailable, stepping on the CPU: {e}");
                        Solver::Cpu
                    }
                }
            }
            _ => Solver::Cpu,
        };
        info!(
            look = model.index,
            vertices = positions.len(),
            gpu = matches!(solver, Solver::Gpu(_)),
            "garment on"
        );
        commands.spawn((
            Garment {
                drape,
                mesh: mesh.clone(),
                solver,
                model: msg.model,
                colour,
                positions,
                weld,
            },
            Mesh3d(mesh),
            MeshMaterial3d(materials.add(fabric_material(design.fabric))),
            Transform::IDENTITY,
            ChildOf(msg.model),
        ));
    }
}

/// How each fabric looks (the colour comes from the vertex colours).
pub fn fabric_material(fabric: FabricPreset) -> StandardMaterial {
    let (roughness, reflectance, alpha) = match fabric {
        FabricPreset::SilkChiffon => (0.45, 0.5, 0.82),
        FabricPreset::SilkCharmeuse => (0.22, 0.7, 1.0),
        FabricPreset::CottonJersey => (0.85, 0.35, 1.0),
        FabricPreset::CottonTwill => (0.8, 0.4, 1.0),
        FabricPreset::Denim => (0.95, 0.3, 1.0),
        FabricPreset::WoolSuiting => (0.9, 0.35, 1.0),
    };
    StandardMaterial {
        base_color: Color::srgba(1.0, 1.0, 1.0, alpha),
        perceptual_roughness: roughness,
        reflectance,
        double_sided: true,
        cull_mode: None,
        alpha_mode: if alpha < 1.0 {
            AlphaMode::Blend
        } else {
            AlphaMode::Opaque
        },
        ..default()
    }
}

/// The garment mesh at `positions`, seams closed by `weld`, drawn [`DRAW_OFFSET_M`]
/// outside, coloured with the design colour or the fit classes.
pub fn garment_mesh(
    drape: &Drape,
    weld: &SeamWeld,
    positions: &[GVec3],
    colour: [u8; 3],
    fit: Option<&[[u8; 3]]>,
) -> Mesh {
    let mut mesh = Mesh::new(
        PrimitiveTopology::TriangleList,
        RenderAssetUsages::default(),
    );
    write_garment(&mut mesh, drape, weld, positions, colour, fit);
    mesh.insert_indices(Indices::U32(
        drape.triangles().iter().flatten().copied().collect(),
    ));
    mesh
}

fn write_garment(
    mesh: &mut Mesh,
    drape: &Drape,
    weld: &SeamWeld,
    positions: &[GVec3],
    colour: [u8; 3],
    fit: Option<&[[u8; 3]]>,
) {
    let mut normals = vertex_normals(positions, drape.triangles());
    weld.smooth_normals(&mut normals);
    let mut closed = positions.to_vec();
    weld.close(&mut closed);
    let drawn: Vec<[f32; 3]> = closed
        .iter()
        .zip(&normals)
        .map(|(p, n)| (*p + *n * DRAW_OFFSET_M).to_array())
        .collect();
    let srgb = |c: [u8; 3]| {
        let c = Color::srgb_u8(c[0], c[1], c[2]).to_linear();
        [c.red, c.green, c.blue, 1.0]
    };
    let colours: Vec<[f32; 4]> = match fit {
        Some(f) => f.iter().map(|c| srgb(*c)).collect(),
        None => vec![srgb(colour); positions.len()],
    };
    mesh.insert_attribute(Mesh::ATTRIBUTE_POSITION, drawn);
    mesh.insert_attribute(
        Mesh::ATTRIBUTE_NORMAL,
        normals.iter().map(|n| n.to_array()).collect::<Vec<_>>(),
    );
    mesh.insert_attribute(Mesh::ATTRIBUTE_COLOR, colours);
}

fn step_garments(
    time: Res<Time>,
    fit_view: Res<FitView>,
    mut backlog: ResMut<Backlog>,
    mut times: ResMut<FrameTimes>,
    mut garments: Query<&mut Garment>,
    models: Query<(&CurrentPose, &Stage)>,
    mut meshes: ResMut<Assets<Mesh>>,
) {
    let started = Instant::now();
    backlog.0 = (backlog.0 + time.delta_secs()).min(STEP * MAX_STEPS_PER_FRAME as f32);
    let steps = (backlog.0 / STEP).floor() as u32;
    backlog.0 -= steps as f32 * STEP;
    if steps == 0 {
        return;
    }
    for mut garment in &mut garments {
        let Ok((pose, stage)) = models.get(garment.model) else {
            continue;
        };
        if matches!(stage.0.phase, Phase::Waiting | Phase::Gone) {
            continue;
        }
        let g = &mut *garment;
        let stepped = match &mut g.solver {
            Solver::Cpu => (0..steps)
                .try_for_each(|_| g.drape.step(STEP, &pose.0).map_err(|e| e.to_string()))
                .map(|_| g.drape.positions().to_vec()),
            Solver::Gpu(gpu) => (|| {
                for _ in 0..steps {
                    let (targets, colliders) = g
                        .drape
                        .external_step(STEP, &pose.0)
                        .map_err(|e| e.to_string())?;
                    gpu.set_attachment_targets(targets)
                        .map_err(|e| e.to_string())?;
                    gpu.step(STEP, colliders).map_err(|e| e.to_string())?;
                }
                gpu.read_positions().map_err(|e| e.to_string())
            })(),
        };
        match stepped {
            Ok(p) => g.positions = p,
            Err(e) => {
                warn!("cloth step failed, the garment stops moving: {e}");
                continue;
            }
        }
        let fit =
            (fit_view.0 && matches!(g.solver, Solver::Cpu)).then(|| g.drape.fit_map().colours());
        if let Some(mut mesh) = meshes.get_mut(&g.mesh) {
            write_garment(
                &mut mesh,
                &g.drape,
                &g.weld,
                &g.positions,
                g.colour,
                fit.as_deref(),
            );
        }
    }
    times.cloth_ms += started.elapsed().as_secs_f32() * 1000.0;
    times.cloth_steps += steps;
}
