//! Garments on the avatars: a design drafted for the avatar's own measurements, meshed,
//! sewn onto its capsule body and settled by catwalk_cloth (off the main thread, in
//! [`dress`]), then stepped every frame with the body's pose — on the GPU through Bevy's
//! own render device, all garments in batches ([`crate::gpu_batch`]), when there is one, on
//! the CPU otherwise. The fabric preset sets the material (sheen, roughness, sheerness); the fit
//! view colours each vertex by [`FitMap`](catwalk_garment::drape::FitMap) class.

use std::time::Instant;

use bevy::asset::RenderAssetUsages;
use bevy::mesh::{Indices, PrimitiveTopology};
use bevy::prelude::*;
use bevy::render::renderer::{RenderAdapterInfo, RenderDevice, RenderQueue};
use catwalk_garment::design::{DesignCandidate, FabricPreset};
use catwalk_garment::drape::{BodyPose, Drape, DrapeError, DrapeSettings, SeamWeld};
use catwalk_garment::{GarmentMesh, MeshOptions};
use glam::Vec3 as GVec3;
use rayon::prelude::*;

use crate::app::ClothBackend;
use crate::avatars::CurrentPose;
use crate::choreography::Phase;
use crate::gpu_batch::{BatchGarment, GpuBatches};
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
    /// On the render device, in a [`GpuBatches`] batch.
    Gpu,
    /// Not stepped any more: a step failed (logged once).
    Stopped,
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
    /// Whether the mesh's vertex colours show the fit classes (else the design colour).
    pub fit_shown: bool,
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
            .init_resource::<GpuBatches>()
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
            (Some(_), Some(_)) if use_gpu(*backend, adapter.as_deref()) => Solver::Gpu,
            _ => Solver::Cpu,
        };
        info!(
            look = model.index,
            vertices = positions.len(),
            gpu = matches!(solver, Solver::Gpu),
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
                fit_shown: false,
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
    garment_frame(drape, weld, positions, colour, fit, true).write(&mut mesh);
    mesh.insert_indices(Indices::U32(
        drape.triangles().iter().flatten().copied().collect(),
    ));
    mesh
}

/// A garment mesh's vertex attributes for one frame.
struct GarmentFrame {
    drawn: Vec<[f32; 3]>,
    normals: Vec<[f32; 3]>,
    /// New vertex colours, when they change this frame.
    colours: Option<Vec<[f32; 4]>>,
}

impl GarmentFrame {
    /// Moves the attributes into `mesh` (colours only when there are new ones).
    fn write(self, mesh: &mut Mesh) {
        mesh.insert_attribute(Mesh::ATTRIBUTE_POSITION, self.drawn);
        mesh.insert_attribute(Mesh::ATTRIBUTE_NORMAL, self.normals);
        if let Some(colours) = self.colours {
            mesh.insert_attribute(Mesh::ATTRIBUTE_COLOR, colours);
        }
    }
}

/// The garment at `positions`: normals smoothed across the seams, seams closed, drawn
/// [`DRAW_OFFSET_M`] outside; vertex colours (the fit classes, or the design colour) only
/// when `recolour`.
fn garment_frame(
    drape: &Drape,
    weld: &SeamWeld,
    positions: &[GVec3],
    colour: [u8; 3],
    fit: Option<&[[u8; 3]]>,
    recolour: bool,
) -> GarmentFrame {
    let mut normals = vertex_normals(positions, drape.triangles());
    weld.smooth_normals(&mut normals);
    let mut closed = positions.to_vec();
    weld.close(&mut closed);
    let drawn = closed
        .iter()
        .zip(&normals)
        .map(|(p, n)| (*p + *n * DRAW_OFFSET_M).to_array())
        .collect();
    let srgb = |c: [u8; 3]| {
        let c = Color::srgb_u8(c[0], c[1], c[2]).to_linear();
        [c.red, c.green, c.blue, 1.0]
    };
    let colours = recolour.then(|| match fit {
        Some(f) => f.iter().map(|c| srgb(*c)).collect(),
        None => vec![srgb(colour); positions.len()],
    });
    GarmentFrame {
        drawn,
        normals: normals.iter().map(|n| n.to_array()).collect(),
        colours,
    }
}

/// Steps the garments: CPU garments on stage in parallel, one garment per thread (each
/// solver's own colour batches are too small to feed many cores); GPU garments as batches
/// ([`GpuBatches`]), all queued before the first read-back. A garment whose step fails stops
/// where it is, with one warning.
#[allow(clippy::too_many_arguments)]
fn step_garments(
    time: Res<Time>,
    fit_view: Res<FitView>,
    mut backlog: ResMut<Backlog>,
    mut times: ResMut<FrameTimes>,
    mut batches: ResMut<GpuBatches>,
    device: Option<Res<RenderDevice>>,
    queue: Option<Res<RenderQueue>>,
    mut garments: Query<(Entity, &mut Garment)>,
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
    let mut on_cpu: Vec<(Mut<Garment>, &CurrentPose)> = Vec::new();
    let mut on_gpu: Vec<(Entity, Mut<Garment>, &CurrentPose)> = Vec::new();
    for (entity, garment) in &mut garments {
        let Ok((pose, stage)) = models.get(garment.model) else {
            continue;
        };
        let moving = !matches!(stage.0.phase, Phase::Waiting | Phase::Gone);
        // Only garments on stage are stepped, on either solver. A GPU garment joins its
        // batch when its model walks on and leaves it when the model is off stage (and
        // starts from its dressed state if the model walks again).
        match garment.solver {
            Solver::Cpu if moving => on_cpu.push((garment, pose)),
            Solver::Gpu if moving => on_gpu.push((entity, garment, pose)),
            _ => {}
        }
    }
    // A stable member order: a batch is rebuilt only when garments join or leave it.
    on_gpu.sort_by_key(|(entity, _, _)| *entity);
    let results: Vec<Result<(), String>> = on_cpu
        .par_iter_mut()
        .map(|(garment, pose)| step_on_cpu(garment, &pose.0, steps))
        .collect();
    let mut stepped: Vec<Mut<Garment>> = Vec::with_capacity(on_cpu.len() + on_gpu.len());
    for ((mut garment, _), result) in on_cpu.into_iter().zip(results) {
        match result {
            Ok(()) => stepped.push(garment),
            Err(e) => {
                warn!("cloth step failed, the garment stops moving: {e}");
                garment.solver = Solver::Stopped;
            }
        }
    }
    if let (Some(device), Some(queue)) = (&device, &queue)
        && (!on_gpu.is_empty() || batches.garment_count() > 0)
    {
        stepped.extend(step_on_gpu(
            &mut batches,
            device.wgpu_device(),
            &queue.0,
            on_gpu,
            steps,
        ));
    }
    // Colours are written only while the fit view shows (they change with the strain) and
    // once when it is turned off. Twelve garments take well under a millisecond here, so
    // this stays on the main thread rather than wait for a rayon pool busy settling looks.
    let meshes_started = Instant::now();
    for mut garment in stepped {
        let g = &mut *garment;
        let fit =
            (fit_view.0 && matches!(g.solver, Solver::Cpu)).then(|| g.drape.fit_map().colours());
        let recolour = fit.is_some() || g.fit_shown;
        let frame = garment_frame(
            &g.drape,
            &g.weld,
            &g.positions,
            g.colour,
            fit.as_deref(),
            recolour,
        );
        g.fit_shown = fit.is_some();
        if let Some(mut mesh) = meshes.get_mut(&g.mesh) {
            frame.write(&mut mesh);
        }
    }
    times.mesh_ms += meshes_started.elapsed().as_secs_f32() * 1000.0;
    times.cloth_ms += started.elapsed().as_secs_f32() * 1000.0;
    times.cloth_steps += steps;
}

/// Steps a CPU garment `steps` times and copies its positions out.
fn step_on_cpu(g: &mut Garment, pose: &BodyPose, steps: u32) -> Result<(), String> {
    for _ in 0..steps {
        g.drape.step(STEP, pose).map_err(|e| e.to_string())?;
    }
    g.positions = g.drape.positions().to_vec();
    Ok(())
}

/// Brings the batches up to date with the GPU garments and steps them; returns the garments
/// with new positions. If a batch cannot be built its garments go on on the CPU (from their
/// state when dressed); if a step fails they stop.
fn step_on_gpu<'w>(
    batches: &mut GpuBatches,
    device: &wgpu::Device,
    queue: &wgpu::Queue,
    mut on_gpu: Vec<(Entity, Mut<'w, Garment>, &CurrentPose)>,
    steps: u32,
) -> Vec<Mut<'w, Garment>> {
    let members: Vec<(Entity, &catwalk_cloth::Cloth)> = on_gpu
        .iter()
        .map(|(entity, g, _)| (*entity, g.drape.cloth()))
        .collect();
    if let Err(e) = batches.sync(device, queue, &members) {
        warn!("GPU cloth batch unavailable, stepping these garments on the CPU: {e}");
        *batches = GpuBatches::default();
        for (_, mut garment, _) in on_gpu {
            garment.solver = Solver::Cpu;
        }
        return Vec::new();
    }
    let mut items: Vec<BatchGarment<'_>> = on_gpu
        .iter_mut()
        .map(|(entity, garment, pose)| BatchGarment {
            entity: *entity,
            drape: &mut garment.drape,
            pose: &pose.0,
        })
        .collect();
    let result = batches.step(steps, STEP, &mut items);
    drop(items);
    match result {
        Ok(mut positions) => on_gpu
            .into_iter()
            .filter_map(|(entity, mut garment, _)| {
                let at = positions.iter().position(|(e, _)| *e == entity)?;
                garment.positions = positions.swap_remove(at).1;
                Some(garment)
            })
            .collect(),
        Err(e) => {
            warn!("GPU cloth step failed, these garments stop moving: {e}");
            *batches = GpuBatches::default();
            for (_, mut garment, _) in on_gpu {
                garment.solver = Solver::Stopped;
            }
            Vec::new()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::collection::{DEMO_SEED, designs};
    use crate::rig::tests::avatar_of;

    /// The first demo design sewn onto collection model 0 (not yet simulated: its placed
    /// positions).
    fn sewn_garment() -> Option<(Drape, [u8; 3])> {
        let avatar = avatar_of(0)?;
        let design = designs(DEMO_SEED, 1).expect("designs").remove(0);
        let pattern = design.pattern(&avatar.sheet).expect("pattern");
        let mesh = GarmentMesh::from_pattern(
            &pattern,
            &MeshOptions {
                target_edge_cm: RUNWAY_EDGE_CM,
                ..MeshOptions::default()
            },
        )
        .expect("mesh");
        let drape = Drape::new(
            &pattern,
            &mesh,
            design.fabric,
            avatar.body.clone(),
            DrapeSettings::default(),
        )
        .expect("drape");
        let c = design.colour;
        Some((drape, [c.r, c.g, c.b]))
    }

    #[test]
    fn a_garment_frame_is_drawn_outside_the_cloth_and_recoloured_only_when_asked() {
        let Some((drape, colour)) = sewn_garment() else {
            return;
        };
        let weld = drape.seam_weld();
        let positions = drape.positions().to_vec();
        let n = positions.len();

        let plain = garment_frame(&drape, &weld, &positions, colour, None, false);
        assert_eq!((plain.drawn.len(), plain.normals.len()), (n, n));
        assert!(plain.colours.is_none(), "colours written without a change");
        // Each drawn vertex lies DRAW_OFFSET_M out along its (unit) normal from the cloth
        // with its seams closed.
        let mut closed = positions.clone();
        weld.close(&mut closed);
        for ((d, nrm), c) in plain.drawn.iter().zip(&plain.normals).zip(&closed) {
            let nrm = GVec3::from_array(*nrm);
            assert!((nrm.length() - 1.0).abs() < 1e-3, "normal {nrm}");
            let offset = GVec3::from_array(*d) - *c;
            assert!((offset - nrm * DRAW_OFFSET_M).length() < 1e-5, "{offset}");
        }

        let design = garment_frame(&drape, &weld, &positions, colour, None, true);
        let colours = design.colours.expect("colours asked for");
        assert_eq!(colours.len(), n);
        assert!(
            colours.windows(2).all(|w| w[0] == w[1]),
            "one design colour"
        );

        let fit = drape.fit_map().colours();
        let shown = garment_frame(&drape, &weld, &positions, colour, Some(&fit), true);
        let colours = shown.colours.expect("fit colours");
        for (shown, class) in colours.iter().zip(&fit) {
            let want = Color::srgb_u8(class[0], class[1], class[2]).to_linear();
            assert_eq!(shown, &[want.red, want.green, want.blue, 1.0]);
        }
    }
}
