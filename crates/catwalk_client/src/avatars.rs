//! Avatars: each [`Model`] gets an Anny body rigged onto capsule bones
//! ([`RiggedAvatar`]), built and dressed off the main thread, then shown as a skinned mesh
//! whose eleven joints are posed every frame by the walk cycle and the choreography.
//! Every bone also has a bevy_rapier3d kinematic body carrying its capsule colliders, placed
//! at the same world transform as the joint, so physics, the garment's colliders and the skin
//! follow the same transforms.
//!
//! The kinematic bodies are top-level entities, not the joints under the model: bevy_rapier3d
//! 0.36 writes a body back into its local transform after each step, and for a body whose
//! parent is rotated it scales the translation by the rotated parent scale (its
//! `rotation * scale * translation` multiplies component-wise), which tore the skinned mesh
//! apart as soon as a model turned. Without a parent the write-back returns exactly the pose
//! it was given.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;

use bevy::asset::RenderAssetUsages;
use bevy::camera::visibility::NoFrustumCulling;
use bevy::mesh::skinning::{SkinnedMesh, SkinnedMeshInverseBindposes};
use bevy::mesh::{Indices, PrimitiveTopology, VertexAttributeValues};
use bevy::prelude::*;
use bevy::tasks::{AsyncComputeTaskPool, Task, block_on, poll_once};
use bevy_rapier3d::prelude::{Collider, RigidBody};
use catwalk_avatar::BodyModel;
use catwalk_avatar::measure::Landmarks;
use catwalk_garment::design::{DesignCandidate, GarmentDesign, GarmentKind};
use catwalk_garment::drape::body::Shape;
use catwalk_garment::drape::hem::HemLoop;
use catwalk_garment::drape::walk::lower_arms;
use catwalk_garment::drape::{BodyPose, Drape, WalkCycle};
use glam::{Affine3A, Quat};

use crate::app::ClothBackend;
use crate::choreography::Phase;
use crate::cloth::{self, DressRequest};
use crate::collection::LookAsset;
use crate::rehearsal::{Rehearsal, rehearse};
use crate::rig::RiggedAvatar;
use crate::runway::{Model, Stage};
use crate::styling::{self, Styled};
use crate::timing::FrameTimes;

/// The body model and its landmarks, shared with worker threads.
pub type SharedModel = (Arc<BodyModel>, Arc<Landmarks>);

/// Models that still need preparing.
type Unprepared = (Without<Preparing>, Without<Rigged>, Without<Failed>);

/// Models that have their own work: being prepared, on stage, or failed.
pub type HasWork = Or<(With<Preparing>, With<Rigged>, With<Failed>)>;

/// The body model, loaded once, and rigs already built (by model name).
#[derive(Resource, Default)]
pub struct BodyLibrary {
    /// Anny, or why it could not be loaded.
    pub model: Option<Result<SharedModel, String>>,
    /// Rigs by model name.
    pub rigs: HashMap<String, Arc<RiggedAvatar>>,
}

impl BodyLibrary {
    /// The body model and its landmarks, loaded on first use.
    pub fn get(&mut self) -> Result<SharedModel, String> {
        self.model
            .get_or_insert_with(|| {
                let started = Instant::now();
                let model = BodyModel::load_default().map_err(|e| e.to_string())?;
                let landmarks = Landmarks::new(&model).map_err(|e| e.to_string())?;
                info!(
                    vertices = model.vertex_count(),
                    ms = started.elapsed().as_millis() as u64,
                    "body model loaded"
                );
                Ok((Arc::new(model), Arc::new(landmarks)))
            })
            .clone()
    }

    /// Starts preparing `asset` on a worker thread, reusing the rig of its model if one is
    /// already built; `dress` also drafts and settles the garment.
    pub fn start(
        &mut self,
        asset: Arc<LookAsset>,
        dress: bool,
    ) -> Result<Task<Result<Prepared, String>>, String> {
        let (body, landmarks) = self.get()?;
        let rig = self.rigs.get(&asset.model).cloned();
        Ok(AsyncComputeTaskPool::get()
            .spawn(async move { prepare(&body, &landmarks, &asset, rig, dress) }))
    }
}

/// Everything a model needs before it can walk on: the rig and the settled garment.
pub struct Prepared {
    /// The avatar.
    pub avatar: Arc<RiggedAvatar>,
    /// The settled garment, or why it could not be draped (`None`: garments are off).
    pub drape: Option<Result<Drape, String>>,
    /// The walk: shorter steps when a skirt's or a dress's hem is narrow.
    pub walk: WalkCycle,
}

/// Work for a model: running on a worker thread, or finished ahead of time (see
/// [`crate::rehearsal`]) and waiting to be installed.
#[derive(Component)]
pub enum Preparing {
    /// Being prepared.
    Running(Task<Result<Prepared, String>>),
    /// Prepared (taken when installed).
    Done(Option<Box<Result<Prepared, String>>>),
}

impl Preparing {
    /// The result, once there is one (given once).
    fn poll(&mut self) -> Option<Result<Prepared, String>> {
        match self {
            Preparing::Running(task) => block_on(poll_once(task)),
            Preparing::Done(result) => result.take().map(|r| *r),
        }
    }
}

/// A model whose avatar is on stage.
#[derive(Component)]
pub struct Rigged {
    /// The rig.
    pub avatar: Arc<RiggedAvatar>,
    /// Joint entities (children of the model, skinning the mesh), in capsule-bone order.
    pub joints: Vec<Entity>,
    /// Kinematic rapier bodies (top level, carrying the colliders), in capsule-bone order.
    pub bodies: Vec<Entity>,
    /// The gait.
    pub walk: WalkCycle,
}

/// The pose the model is in this frame (the garment steps towards it).
#[derive(Component, Clone)]
pub struct CurrentPose(pub BodyPose);

/// How far the arms come down from the A-pose the garments are sewn in, once the model is
/// on, degrees (from 45° below the horizontal to 70°).
pub const ARMS_DOWN_DEG: f32 = 25.0;
/// How long the arms take to come down, in cloth time, s.
pub const ARMS_DOWN_S: f32 = 1.5;
/// The shortest stride period, as a share of the choreography's, that a walk of short
/// steps (a narrow hem, see [`HemLoop`]) is sped up to.
pub const MIN_STRIDE_RATIO: f32 = 0.6;

/// The walk-cycle time the model's pose follows, and how far its arms have come down. The
/// model's place on the runway follows the show clock, but on a frame longer than the cloth
/// can follow (more than [`cloth::MAX_STEPS_PER_FRAME`] steps) the legs advance only as far
/// as the garment steps, so the two move together instead of the garment being left a
/// stride behind; at such frame rates the feet slide. The arms come down at the same
/// capped pace, so sleeves follow them.
#[derive(Component, Clone, Debug, Default)]
pub struct PoseClock {
    walk_time: f32,
    last_target: Option<f32>,
    arms: f32,
}

impl PoseClock {
    /// Moves towards the choreography's walk time `target`, at most `budget` seconds; a walk
    /// that starts again (the target going back) restarts the clock.
    pub fn advance(&mut self, target: f32, budget: f32) -> f32 {
        match self.last_target {
            Some(last) if target >= last => self.walk_time += (target - last).min(budget),
            _ => self.walk_time = target,
        }
        self.last_target = Some(target);
        self.walk_time
    }

    /// The walk-cycle time of the current pose, s.
    pub fn walk_time(&self) -> f32 {
        self.walk_time
    }

    /// Brings the arms `dt` seconds further down (at most [`ARMS_DOWN_S`] in all) and
    /// returns how far down they are, 0 (A-pose) to 1 ([`ARMS_DOWN_DEG`] lower).
    pub fn lower_arms(&mut self, dt: f32) -> f32 {
        self.arms = (self.arms + dt.max(0.0) / ARMS_DOWN_S).min(1.0);
        self.arms
    }

    /// How far down the arms are, 0 to 1.
    pub fn arms(&self) -> f32 {
        self.arms
    }
}

/// Marks a joint entity.
#[derive(Component)]
pub struct Joint(pub usize);

/// A bone's kinematic rapier body, owned by a model.
#[derive(Component)]
pub struct BoneBody {
    /// The model.
    pub owner: Entity,
    /// The capsule bone.
    pub bone: usize,
}

/// The entities [`spawn_avatar`] made.
#[derive(Debug, Clone)]
pub struct AvatarEntities {
    /// Joints, in capsule-bone order.
    pub joints: Vec<Entity>,
    /// Kinematic bodies, in capsule-bone order.
    pub bodies: Vec<Entity>,
}

/// Builds, rigs and dresses avatars, and animates them.
pub struct AvatarPlugin;

impl Plugin for AvatarPlugin {
    fn build(&self, app: &mut App) {
        app.init_resource::<BodyLibrary>()
            .init_resource::<Rehearsal>()
            .add_systems(
                Update,
                (
                    rehearse,
                    start_preparing,
                    finish_preparing,
                    animate,
                    despawn_orphan_bodies,
                )
                    .chain()
                    .after(crate::runway::direct_lineup),
            );
    }
}

/// Builds the rig and the settled garment for `asset` (runs on a worker thread).
pub fn prepare(
    model: &BodyModel,
    landmarks: &Landmarks,
    asset: &LookAsset,
    rig: Option<Arc<RiggedAvatar>>,
    dress: bool,
) -> Result<Prepared, String> {
    let started = Instant::now();
    let avatar = match rig {
        Some(r) => r,
        None => {
            Arc::new(RiggedAvatar::build(model, landmarks, &asset.body).map_err(|e| e.to_string())?)
        }
    };
    let rigged_ms = started.elapsed().as_millis() as u64;
    let drape = dress.then(|| {
        cloth::dress(&DressRequest {
            design: &asset.design,
            avatar: &avatar,
        })
        .map_err(|e| e.to_string())
    });
    info!(
        look = %asset.reference,
        model = %asset.model,
        rig_ms = rigged_ms,
        total_ms = started.elapsed().as_millis() as u64,
        dressed = matches!(drape, Some(Ok(_))),
        "look prepared"
    );
    if let Some(Err(e)) = &drape {
        warn!(look = %asset.reference, "the garment could not be draped: {e}");
    }
    let walk = match &drape {
        Some(Ok(drape)) => walk_in(&asset.design, &avatar, drape),
        _ => WalkCycle::default(),
    };
    Ok(Prepared {
        avatar,
        drape,
        walk,
    })
}

/// The walk of `avatar` in `design`: a skirt's or a dress's hem is one loop round both
/// legs, and a narrow one shortens the steps (see [`HemLoop`]); trousers' legs open with
/// the legs, and tops end above them. A skirt with walking slits is held only from the
/// slits' top.
fn walk_in(design: &DesignCandidate, avatar: &RiggedAvatar, drape: &Drape) -> WalkCycle {
    let walk = WalkCycle::default();
    if !matches!(design.kind, GarmentKind::Skirt | GarmentKind::Dress) {
        return walk;
    }
    // A pencil skirt's walking slits leave its sides open up to their top.
    let slit_cm = match design.design().for_body(&avatar.sheet) {
        GarmentDesign::Skirt(s) => s.slit_cm(&avatar.sheet),
        GarmentDesign::Dress(d) => d.skirt.slit_cm(&avatar.sheet),
        _ => 0.0,
    };
    HemLoop::above(drape.positions(), slit_cm as f32 / 100.0).map_or(walk, |hem| {
        debug!(
            girth_cm = hem.girth * 100.0,
            height_cm = hem.height * 100.0,
            slit_cm,
            "the lowest closed loop of the skirt"
        );
        walk.within_hem(&avatar.body, &hem)
    })
}

fn start_preparing(
    mut commands: Commands,
    mut library: ResMut<BodyLibrary>,
    mut rehearsal: ResMut<Rehearsal>,
    backend: Res<ClothBackend>,
    new: Query<(Entity, &Model), Unprepared>,
) {
    for (entity, model) in &new {
        if let Some(work) = rehearsal.take(&model.asset.reference) {
            commands.entity(entity).insert(work);
            continue;
        }
        match library.start(model.asset.clone(), *backend != ClothBackend::Off) {
            Ok(task) => {
                commands.entity(entity).insert(Preparing::Running(task));
            }
            Err(e) => {
                error!("no avatars: {e}");
                commands.entity(entity).insert(Failed(e));
            }
        }
    }
}

/// A model that could not be prepared.
#[derive(Component)]
pub struct Failed(pub String);

#[allow(clippy::too_many_arguments)]
fn finish_preparing(
    mut commands: Commands,
    mut library: ResMut<BodyLibrary>,
    mut meshes: ResMut<Assets<Mesh>>,
    mut materials: ResMut<Assets<StandardMaterial>>,
    mut bindposes: ResMut<Assets<SkinnedMeshInverseBindposes>>,
    mut preparing: Query<(Entity, &Model, &mut Preparing)>,
    mut dress: MessageWriter<cloth::Dressed>,
) {
    for (entity, model, mut task) in &mut preparing {
        let Some(result) = task.poll() else {
            continue;
        };
        commands.entity(entity).remove::<Preparing>();
        let prepared = match result {
            Ok(p) => p,
            Err(e) => {
                warn!(look = model.index, "could not prepare the avatar: {e}");
                commands.entity(entity).insert(Failed(e));
                continue;
            }
        };
        library
            .rigs
            .insert(model.asset.model.clone(), prepared.avatar.clone());
        let styled = styling::style(&prepared.avatar, &model.asset.design);
        let spawned = spawn_avatar(
            &mut commands,
            entity,
            &prepared.avatar,
            Some(styled),
            &mut meshes,
            &mut materials,
            &mut bindposes,
        );
        let walk = prepared.walk;
        if walk != WalkCycle::default() {
            info!(
                look = model.index,
                hip_swing_deg = walk.hip_amplitude.to_degrees(),
                legs_in_deg = walk.adduction.to_degrees(),
                "a narrow hem: the model walks with the legs nearer together and shorter steps"
            );
        }
        commands.entity(entity).insert((
            Rigged {
                avatar: prepared.avatar.clone(),
                joints: spawned.joints,
                bodies: spawned.bodies,
                walk,
            },
            CurrentPose(prepared.avatar.body.rest_pose()),
            PoseClock::default(),
        ));
        if let Some(Ok(drape)) = prepared.drape {
            dress.write(cloth::Dressed {
                model: entity,
                drape: Box::new(drape),
            });
        }
    }
}

/// Spawns the skinned mesh and the joints under `root`, and the bones' kinematic bodies with
/// their colliders at the top level; `styled` draws the styling pieces apart from the skin
/// (see [`styling::style`]), `None` leaves it all skin.
pub fn spawn_avatar(
    commands: &mut Commands,
    root: Entity,
    avatar: &RiggedAvatar,
    styled: Option<Styled>,
    meshes: &mut Assets<Mesh>,
    materials: &mut Assets<StandardMaterial>,
    bindposes: &mut Assets<SkinnedMeshInverseBindposes>,
) -> AvatarEntities {
    let bones = avatar.body.bones().len();
    let mut joints = Vec::with_capacity(bones);
    let mut bodies = Vec::with_capacity(bones);
    for b in 0..bones {
        let joint = commands
            .spawn((Joint(b), Transform::IDENTITY, ChildOf(root)))
            .id();
        let body = commands
            .spawn((
                BoneBody {
                    owner: root,
                    bone: b,
                },
                Transform::IDENTITY,
                RigidBody::KinematicPositionBased,
            ))
            .id();
        for s in avatar.body.shapes().iter().filter(|s| s.bone == b) {
            let (collider, at) = match s.shape {
                Shape::Capsule(c) => (Collider::capsule(c.a, c.b, c.radius), Vec3::ZERO),
                Shape::Sphere(sp) => (Collider::ball(sp.radius), sp.center),
            };
            commands.spawn((collider, Transform::from_translation(at), ChildOf(body)));
        }
        joints.push(joint);
        bodies.push(body);
    }
    let skin = materials.add(StandardMaterial {
        base_color: Color::srgb(0.86, 0.72, 0.62),
        perceptual_roughness: 0.55,
        ..default()
    });
    let inverse_bindposes = bindposes.add(SkinnedMeshInverseBindposes::from(vec![
        Mat4::IDENTITY;
        bones
    ]));
    let mut parts = Vec::with_capacity(2);
    match styled {
        None => parts.push((avatar_mesh(avatar), skin)),
        Some(styled) => {
            // The skin and the pieces share the cut mesh's vertices; the pieces are drawn
            // matte in their vertex colours.
            let mesh = |indices: Vec<u32>| {
                skinned_mesh(
                    &styled.positions,
                    &styled.normals,
                    styled.joints.clone(),
                    styled.weights.clone(),
                    indices,
                )
            };
            parts.push((mesh(styled.skin.clone()), skin));
            let mut layer = mesh(styled.pieces.clone());
            layer.insert_attribute(Mesh::ATTRIBUTE_COLOR, styled.colours);
            let matte = materials.add(StandardMaterial {
                base_color: Color::WHITE,
                perceptual_roughness: 0.85,
                ..default()
            });
            parts.push((layer, matte));
        }
    }
    for (mesh, material) in parts {
        commands.spawn((
            Mesh3d(meshes.add(mesh)),
            MeshMaterial3d(material),
            SkinnedMesh {
                inverse_bindposes: inverse_bindposes.clone(),
                joints: joints.clone(),
            },
            NoFrustumCulling,
            Transform::IDENTITY,
            ChildOf(root),
        ));
    }
    AvatarEntities { joints, bodies }
}

/// The avatar's skinned mesh: positions and normals in the rest pose, four capsule-bone
/// joints and weights per vertex.
pub fn avatar_mesh(avatar: &RiggedAvatar) -> Mesh {
    skinned_mesh(
        &avatar.vertices,
        &avatar.normals,
        avatar.joints.clone(),
        avatar.weights.clone(),
        avatar.triangles.iter().flatten().copied().collect(),
    )
}

/// A skinned triangle mesh from rest-pose positions and normals, capsule-bone joints and
/// weights per vertex, and triangle indices.
fn skinned_mesh(
    positions: &[Vec3],
    normals: &[Vec3],
    joints: Vec<[u16; 4]>,
    weights: Vec<[f32; 4]>,
    indices: Vec<u32>,
) -> Mesh {
    let mut mesh = Mesh::new(
        PrimitiveTopology::TriangleList,
        RenderAssetUsages::RENDER_WORLD,
    );
    mesh.insert_attribute(
        Mesh::ATTRIBUTE_POSITION,
        positions.iter().map(|v| v.to_array()).collect::<Vec<_>>(),
    );
    mesh.insert_attribute(
        Mesh::ATTRIBUTE_NORMAL,
        normals.iter().map(|v| v.to_array()).collect::<Vec<_>>(),
    );
    mesh.insert_attribute(
        Mesh::ATTRIBUTE_JOINT_INDEX,
        VertexAttributeValues::Uint16x4(joints),
    );
    mesh.insert_attribute(Mesh::ATTRIBUTE_JOINT_WEIGHT, weights);
    mesh.insert_indices(Indices::U32(indices));
    mesh
}

/// The pose at this point of the choreography: the walk cycle, eased towards the rest
/// pose as `walking` goes to 0, with the arms `arms` (0 to 1) of the way down from the
/// A-pose (see [`ARMS_DOWN_DEG`]).
pub fn blended_pose(
    rig: &Rigged,
    walk_time: f32,
    walking: f32,
    stride_period: f32,
    arms: f32,
) -> BodyPose {
    let body = &rig.avatar.body;
    // Shorter steps are taken faster, to keep up with the choreography's speed (down to
    // MIN_STRIDE_RATIO of the period, below which the feet slide rather than scurry).
    let walk = WalkCycle {
        stride_period: stride_period
            * rig
                .walk
                .step_ratio(&WalkCycle::default())
                .clamp(MIN_STRIDE_RATIO, 1.0),
        ..rig.walk
    };
    let walked = walk
        .pose(body, walk_time.max(0.0))
        .unwrap_or_else(|_| body.rest_pose());
    let mut pose = if walking >= 1.0 {
        walked
    } else {
        BodyPose {
            bones: walked
                .bones
                .iter()
                .map(|a| blend_affine(Affine3A::IDENTITY, *a, walking.max(0.0)))
                .collect(),
        }
    };
    let down = ARMS_DOWN_DEG.to_radians() * crate::choreography::smoothstep(arms);
    if down > 0.0 {
        // A body without named arm bones keeps the A-pose: the pose is left as it was.
        lower_arms(body, &mut pose, down).ok();
    }
    pose
}

fn blend_affine(a: Affine3A, b: Affine3A, t: f32) -> Affine3A {
    let (_, ra, ta) = a.to_scale_rotation_translation();
    let (_, rb, tb) = b.to_scale_rotation_translation();
    Affine3A::from_rotation_translation(Quat::slerp(ra, rb, t), ta.lerp(tb, t))
}

/// Places every rigged model, poses its joints and moves its kinematic bodies to the same
/// world transforms. The bodies' global transforms are written here too, so bevy_rapier
/// takes this frame's pose as their kinematic target rather than last frame's.
#[allow(clippy::type_complexity)]
pub fn animate(
    time: Res<Time>,
    mut times: ResMut<FrameTimes>,
    mut models: Query<(
        &Rigged,
        &Stage,
        &mut Transform,
        &mut Visibility,
        &mut CurrentPose,
        &mut PoseClock,
    )>,
    mut joints: Query<&mut Transform, (With<Joint>, Without<Rigged>, Without<BoneBody>)>,
    mut bodies: Query<
        (&mut Transform, &mut GlobalTransform),
        (With<BoneBody>, Without<Rigged>, Without<Joint>),
    >,
) {
    let started = Instant::now();
    let budget = cloth::STEP * cloth::MAX_STEPS_PER_FRAME as f32;
    for (rig, stage, mut transform, mut visibility, mut current, mut clock) in &mut models {
        let p = stage.0;
        *visibility = if matches!(p.phase, Phase::Waiting | Phase::Gone) {
            Visibility::Hidden
        } else {
            Visibility::Inherited
        };
        *transform =
            Transform::from_translation(p.position).with_rotation(Quat::from_rotation_y(p.yaw));
        let walk_time = clock.advance(p.walk_time, budget);
        let arms = if matches!(p.phase, Phase::Waiting | Phase::Gone) {
            clock.arms()
        } else {
            clock.lower_arms(time.delta_secs().min(budget))
        };
        let pose = blended_pose(rig, walk_time, p.walking, p.stride_period, arms);
        let model = transform.to_matrix();
        for ((joint, body), affine) in rig.joints.iter().zip(&rig.bodies).zip(&pose.bones) {
            let local = Mat4::from(*affine);
            if let Ok(mut t) = joints.get_mut(*joint) {
                *t = Transform::from_matrix(local);
            }
            if let Ok((mut t, mut g)) = bodies.get_mut(*body) {
                *t = Transform::from_matrix(model * local);
                *g = GlobalTransform::from(*t);
            }
        }
        current.0 = pose;
    }
    times.animation_ms += started.elapsed().as_secs_f32() * 1000.0;
}

/// Removes the kinematic bodies of models that are gone.
pub fn despawn_orphan_bodies(
    mut commands: Commands,
    bodies: Query<(Entity, &BoneBody)>,
    models: Query<(), With<Rigged>>,
) {
    for (entity, body) in &bodies {
        if models.get(body.owner).is_err() {
            commands.entity(entity).despawn();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::choreography::Placement;
    use bevy::ecs::system::RunSystemOnce;

    /// The rig's joints, and the rapier colliders on the bones' kinematic bodies, follow the
    /// walk while the model walks and turns, with rapier stepping in between at slow frame
    /// times: every joint's and every collider's world position is the root's transform times
    #[test]
    fn the_pose_clock_follows_the_walk_no_faster_than_the_cloth() {
        let mut c = PoseClock::default();
        assert_eq!(c.advance(1.0, 0.05), 1.0, "starts where the walk is");
        assert!(
            (c.advance(1.02, 0.05) - 1.02).abs() < 1e-6,
            "short frames: exact"
        );
        assert!(
            (c.advance(3.0, 0.05) - 1.07).abs() < 1e-6,
            "a long frame: one budget"
        );
        assert!(
            (c.advance(3.01, 0.05) - 1.08).abs() < 1e-6,
            "then at the walk's pace"
        );
        assert_eq!(c.advance(0.1, 0.05), 0.1, "a new walk restarts the clock");
    }

    #[test]
    fn the_arms_come_down_over_their_time_and_stay_down() {
        let mut c = PoseClock::default();
        assert_eq!(c.arms(), 0.0, "a model starts in the A-pose");
        let third = ARMS_DOWN_S / 3.0;
        assert!((c.lower_arms(third) - 1.0 / 3.0).abs() < 1e-6);
        assert!(
            (c.lower_arms(-1.0) - 1.0 / 3.0).abs() < 1e-6,
            "never back up"
        );
        assert_eq!(c.lower_arms(10.0), 1.0);
        assert_eq!(c.lower_arms(third), 1.0, "down stays down");
    }

    /// its bone's skinning transform applied to the rest shape (the same transforms the
    /// garment's colliders use).
    #[test]
    fn rapier_colliders_and_joints_follow_the_skeleton() {
        let Ok(model) = BodyModel::load_default() else {
            assert!(
                std::env::var_os("CATWALK_REQUIRE_ASSETS").is_none(),
                "the body model is required"
            );
            return;
        };
        let landmarks = Landmarks::new(&model).expect("landmarks");
        let (_, params) = crate::collection::model_body(2);
        let avatar = Arc::new(RiggedAvatar::build(&model, &landmarks, &params).expect("rig"));

        let mut app = App::new();
        app.add_plugins((MinimalPlugins, AssetPlugin::default(), TransformPlugin))
            .add_plugins(bevy_rapier3d::prelude::RapierPhysicsPlugin::<()>::default())
            // Slow frames, as under a software rasteriser.
            .insert_resource(bevy::time::TimeUpdateStrategy::ManualDuration(
                std::time::Duration::from_millis(400),
            ))
            .init_asset::<Mesh>()
            .init_asset::<StandardMaterial>()
            .init_asset::<SkinnedMeshInverseBindposes>()
            .init_resource::<FrameTimes>()
            .add_systems(Update, animate);
        let placement = Placement {
            phase: Phase::WalkOut,
            position: Vec3::new(0.3, 0.0, -1.5),
            yaw: 0.4,
            walk_time: 1.7,
            walking: 1.0,
            stride_period: 1.1,
        };
        let root = app
            .world_mut()
            .spawn((Transform::IDENTITY, Visibility::Hidden, Stage(placement)))
            .id();
        let a = avatar.clone();
        let spawned = app
            .world_mut()
            .run_system_once(
                move |mut commands: Commands,
                      mut meshes: ResMut<Assets<Mesh>>,
                      mut materials: ResMut<Assets<StandardMaterial>>,
                      mut bindposes: ResMut<Assets<SkinnedMeshInverseBindposes>>| {
                    spawn_avatar(
                        &mut commands,
                        root,
                        &a,
                        None,
                        &mut meshes,
                        &mut materials,
                        &mut bindposes,
                    )
                },
            )
            .expect("spawn");
        let rigged = Rigged {
            avatar: avatar.clone(),
            joints: spawned.joints.clone(),
            bodies: spawned.bodies.clone(),
            walk: WalkCycle::default(),
        };
        app.world_mut().entity_mut(root).insert((
            rigged,
            CurrentPose(avatar.body.rest_pose()),
            PoseClock::default(),
        ));
        // Walk up to the checked placement, turning and moving every frame.
        for k in (0..6).rev() {
            let mut p = placement;
            p.walk_time -= 0.3 * k as f32;
            p.position.z -= 0.2 * k as f32;
            p.yaw -= 0.15 * k as f32;
            app.world_mut().entity_mut(root).insert(Stage(p));
            app.update();
        }

        let world = app.world_mut();
        // 400 ms frames are longer than the cloth follows: the walk cycle advanced 33 ms a
        // frame after the first, and the pose is the walk at that time.
        let clock = world.get::<PoseClock>(root).expect("clock").walk_time();
        let budget = cloth::STEP * cloth::MAX_STEPS_PER_FRAME as f32;
        let first = placement.walk_time - 0.3 * 5.0;
        assert!(
            (clock - (first + 5.0 * budget)).abs() < 1e-4,
            "walk time {clock}"
        );
        let rig = world.get::<Rigged>(root).expect("rigged");
        let arms = world.get::<PoseClock>(root).expect("clock").arms();
        let expected_pose = blended_pose(rig, clock, 1.0, 1.1, arms);
        let root_t = Affine3A::from_rotation_translation(
            Quat::from_rotation_y(placement.yaw),
            placement.position,
        );
        let mut checked = 0;
        let mut moved = 0.0f32;
        for (b, (joint, body)) in spawned.joints.iter().zip(&spawned.bodies).enumerate() {
            assert!(
                world.get::<RigidBody>(*body).is_some(),
                "bone {b} has no kinematic body"
            );
            let skinning = world.get::<GlobalTransform>(*joint).expect("joint");
            let bone_rest = avatar.body.bones()[b].joint;
            let want = root_t.transform_point3(expected_pose.bones[b].transform_point3(bone_rest));
            let got = skinning.transform_point(bone_rest);
            assert!(
                got.distance(want) < 1e-3,
                "joint {b} skins at {got}, the bone says {want}"
            );
            let children: Vec<Entity> = world
                .get::<Children>(*body)
                .map(|c| c.iter().collect())
                .unwrap_or_default();
            let shapes: Vec<_> = avatar
                .body
                .shapes()
                .iter()
                .filter(|s| s.bone == b)
                .collect();
            assert_eq!(children.len(), shapes.len(), "bone {b}");
            for (child, shape) in children.iter().zip(shapes) {
                assert!(world.get::<Collider>(*child).is_some());
                let global = world.get::<GlobalTransform>(*child).expect("global");
                let (local, rest) = match shape.shape {
                    Shape::Capsule(c) => (c.a, c.a),
                    Shape::Sphere(s) => (Vec3::ZERO, s.center),
                };
                let got = global.transform_point(local);
                let want = root_t.transform_point3(expected_pose.bones[b].transform_point3(rest));
                assert!(
                    got.distance(want) < 1e-3,
                    "bone {b}: collider at {got}, bone says {want}"
                );
                if let Shape::Capsule(c) = shape.shape {
                    // The far end of a limb swings the most.
                    let far = root_t.transform_point3(expected_pose.bones[b].transform_point3(c.b));
                    let far_local = global.transform_point(c.b);
                    assert!(far_local.distance(far) < 1e-3, "bone {b}: far end off");
                    moved = moved.max(far.distance(root_t.transform_point3(c.b)));
                }
                checked += 1;
            }
        }
        assert!(checked >= 11, "{checked} colliders");
        assert!(
            moved > 0.05,
            "the walk did not move any collider ({moved} m)"
        );
    }
}
