//! The runway: stage, audience area, lights and camera rigs, and the director that plays
//! the line-up in sync with the show clock — a [`Model`] entity per look on stage, placed
//! by [`choreography::place`] from the show time since the look took the runway.
//!
//! Camera rigs (key C cycles, or F1–F4): front of the runway, side, orbit, follow the
//! model.

use std::collections::BTreeMap;
use std::sync::Arc;

use bevy::light::{CascadeShadowConfigBuilder, ShadowFilteringMethod};
use bevy::prelude::*;
use bevy::render::renderer::RenderAdapterInfo;
use catwalk_loadgen::viewer::local_micros;

use crate::app::{Mode, Options};
use crate::choreography::{self, Phase, Placement, RunwayLayout};
use crate::collection::{self, LookAsset};
use crate::net_plugin::ShowClock;
use crate::show_state::{LookClock, ShowState};

/// A look's model on stage.
#[derive(Debug, Clone, Component)]
pub struct Model {
    /// Index of the look in the line-up (designer mode: 0).
    pub index: usize,
    /// Who wears what.
    pub asset: Arc<LookAsset>,
}

/// Where the model is now (set by the director or the designer's turntable).
#[derive(Debug, Clone, Copy, Component)]
pub struct Stage(pub Placement);

/// The camera rigs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Component)]
pub enum CameraRig {
    /// At the end of the runway, facing the models.
    Front,
    /// Beside the runway.
    Side,
    /// Circling the stage.
    Orbit,
    /// Following the model on the runway.
    Follow,
}

impl CameraRig {
    fn next(self) -> Self {
        match self {
            CameraRig::Front => CameraRig::Side,
            CameraRig::Side => CameraRig::Orbit,
            CameraRig::Orbit => CameraRig::Follow,
            CameraRig::Follow => CameraRig::Front,
        }
    }
}

/// The floor plan in use.
#[derive(Debug, Clone, Copy, Resource, Default)]
pub struct Layout(pub RunwayLayout);

/// Resolved looks by garment reference (a failed one keeps its error for the HUD).
#[derive(Debug, Default, Resource)]
pub struct LookCache(pub BTreeMap<String, Result<Arc<LookAsset>, String>>);

impl LookCache {
    /// The look `reference` resolves to, resolved once.
    pub fn resolve(&mut self, reference: &str) -> &mut Result<Arc<LookAsset>, String> {
        self.0.entry(reference.to_string()).or_insert_with(|| {
            collection::resolve(reference)
                .map(Arc::new)
                .map_err(|e| e.to_string())
        })
    }
}

/// Stage, lights, cameras and the director.
pub struct RunwayPlugin;

impl Plugin for RunwayPlugin {
    fn build(&self, app: &mut App) {
        app.init_resource::<Layout>()
            .init_resource::<LookCache>()
            .init_resource::<ShowState>()
            .init_resource::<ShowClock>()
            .add_systems(Startup, (build_stage, spawn_camera, bench_lineup))
            .add_systems(
                Update,
                (bench_loop, direct_lineup, switch_camera, move_camera).chain(),
            );
    }
}

fn build_stage(
    mut commands: Commands,
    adapter: Option<Res<RenderAdapterInfo>>,
    layout: Res<Layout>,
    mode: Res<Mode>,
    mut meshes: ResMut<Assets<Mesh>>,
    mut materials: ResMut<Assets<StandardMaterial>>,
) {
    let l = layout.0;
    let software = software_rendering(adapter.as_deref());
    let mat = |materials: &mut Assets<StandardMaterial>, c: Color, rough: f32| {
        materials.add(StandardMaterial {
            base_color: c,
            perceptual_roughness: rough,
            ..default()
        })
    };
    commands.insert_resource(GlobalAmbientLight {
        color: Color::srgb(0.9, 0.9, 1.0),
        brightness: 220.0,
        ..default()
    });
    // Hall floor, just below the catwalk's top (y = 0).
    commands.spawn((
        Mesh3d(meshes.add(Plane3d::default().mesh().size(40.0, 40.0))),
        MeshMaterial3d(mat(&mut materials, Color::srgb(0.08, 0.08, 0.1), 0.9)),
        Transform::from_xyz(0.0, -0.45, 0.0),
    ));
    if *mode == Mode::Designer {
        // A round fitting-room platform instead of the runway.
        commands.spawn((
            Mesh3d(meshes.add(Cylinder::new(0.8, 0.45))),
            MeshMaterial3d(mat(&mut materials, Color::srgb(0.85, 0.84, 0.82), 0.4)),
            Transform::from_xyz(0.0, -0.225, 0.0),
        ));
    } else {
        // The catwalk: a glossy raised strip with a light edge.
        commands.spawn((
            Mesh3d(meshes.add(Cuboid::new(l.width, 0.45, l.length))),
            MeshMaterial3d(mat(&mut materials, Color::srgb(0.92, 0.92, 0.94), 0.15)),
            Transform::from_xyz(0.0, -0.225, 0.0),
        ));
        let edge = materials.add(StandardMaterial {
            base_color: Color::srgb(1.0, 0.85, 0.6),
            emissive: LinearRgba::rgb(4.0, 3.0, 1.8),
            ..default()
        });
        for side in [-1.0, 1.0] {
            commands.spawn((
                Mesh3d(meshes.add(Cuboid::new(0.04, 0.02, l.length))),
                MeshMaterial3d(edge.clone()),
                Transform::from_xyz(side * (l.width / 2.0 - 0.02), 0.01, 0.0),
            ));
        }
        // Backdrop with the entrance.
        let wall = mat(&mut materials, Color::srgb(0.12, 0.1, 0.16), 0.8);
        for side in [-1.0, 1.0] {
            commands.spawn((
                Mesh3d(meshes.add(Cuboid::new(5.0, 4.5, 0.2))),
                MeshMaterial3d(wall.clone()),
                Transform::from_xyz(side * 3.6, 1.8, l.backstage() - 0.1),
            ));
        }
        commands.spawn((
            Mesh3d(meshes.add(Cuboid::new(2.2, 1.1, 0.2))),
            MeshMaterial3d(wall.clone()),
            Transform::from_xyz(0.0, 3.5, l.backstage() - 0.1),
        ));
        let sign = materials.add(StandardMaterial {
            base_color: Color::srgb(0.9, 0.3, 0.5),
            emissive: LinearRgba::rgb(6.0, 1.5, 3.0),
            ..default()
        });
        commands.spawn((
            Mesh3d(meshes.add(Cuboid::new(2.0, 0.12, 0.05))),
            MeshMaterial3d(sign),
            Transform::from_xyz(0.0, 2.85, l.backstage() + 0.02),
        ));
        // Audience: rows of seats with seated figures along both sides.
        let seat = mat(&mut materials, Color::srgb(0.35, 0.05, 0.1), 0.7);
        let seat_mesh = meshes.add(Cuboid::new(0.5, 0.45, 0.5));
        let person = meshes.add(Capsule3d::new(0.18, 0.45));
        let head = meshes.add(Sphere::new(0.11));
        let clothes: Vec<Handle<StandardMaterial>> = [
            Color::srgb(0.2, 0.22, 0.3),
            Color::srgb(0.5, 0.45, 0.4),
            Color::srgb(0.1, 0.1, 0.1),
            Color::srgb(0.55, 0.2, 0.25),
        ]
        .into_iter()
        .map(|c| mat(&mut materials, c, 0.8))
        .collect();
        let skin = mat(&mut materials, Color::srgb(0.8, 0.65, 0.55), 0.6);
        let mut k = 0usize;
        for side in [-1.0f32, 1.0] {
            for row in 0..2 {
                let x = side * (l.width / 2.0 + 0.9 + row as f32 * 0.8);
                let floor = -0.45 + row as f32 * 0.2;
                let mut z = l.backstage() + 1.5;
                while z < l.length / 2.0 {
                    commands.spawn((
                        Mesh3d(seat_mesh.clone()),
                        MeshMaterial3d(seat.clone()),
                        Transform::from_xyz(x, floor + 0.225, z),
                    ));
                    commands.spawn((
                        Mesh3d(person.clone()),
                        MeshMaterial3d(clothes[k % clothes.len()].clone()),
                        Transform::from_xyz(x, floor + 0.8, z),
                    ));
                    commands.spawn((
                        Mesh3d(head.clone()),
                        MeshMaterial3d(skin.clone()),
                        Transform::from_xyz(x, floor + 1.25, z),
                    ));
                    k += 1;
                    z += 0.75;
                }
            }
        }
        // Spotlights down the catwalk.
        for i in 0..4 {
            let z = l.backstage() + 1.0 + i as f32 * (l.length - 1.5) / 3.0;
            commands.spawn((
                SpotLight {
                    intensity: 900_000.0,
                    range: 14.0,
                    color: Color::srgb(1.0, 0.96, 0.9),
                    shadow_maps_enabled: i == 3 && !software,
                    outer_angle: 0.55,
                    inner_angle: 0.3,
                    ..default()
                },
                Transform::from_xyz(0.0, 6.0, z + 1.5).looking_at(Vec3::new(0.0, 0.8, z), Vec3::Y),
            ));
        }
    }
    commands.spawn((
        DirectionalLight {
            illuminance: 4_000.0,
            shadow_maps_enabled: true,
            ..default()
        },
        CascadeShadowConfigBuilder {
            num_cascades: if software { 1 } else { 3 },
            maximum_distance: 25.0,
            ..default()
        }
        .build(),
        Transform::from_xyz(3.0, 8.0, 6.0).looking_at(Vec3::ZERO, Vec3::Y),
    ));
    commands.spawn((
        PointLight {
            intensity: 600_000.0,
            range: 20.0,
            ..default()
        },
        Transform::from_xyz(-3.0, 3.0, l.length / 2.0 + 2.0),
    ));
}

/// Whether rendering runs on a software rasteriser (lavapipe, llvmpipe): then multisampling
/// is off, only one light casts shadows, in one cascade, with a 2×2 hardware filter.
pub fn software_rendering(adapter: Option<&RenderAdapterInfo>) -> bool {
    adapter.is_some_and(|a| a.device_type == wgpu::DeviceType::Cpu)
}

fn spawn_camera(mut commands: Commands, adapter: Option<Res<RenderAdapterInfo>>) {
    let software = software_rendering(adapter.as_deref());
    commands.spawn((
        Camera3d::default(),
        if software { Msaa::Off } else { Msaa::Sample4 },
        // One hardware-filtered lookup per shadow sample instead of a Gaussian kernel: on
        // lavapipe this saves a quarter of the frame (BENCHMARKS.md).
        if software {
            ShadowFilteringMethod::Hardware2x2
        } else {
            ShadowFilteringMethod::Gaussian
        },
        bevy::camera::ShadowLodOrigin,
        CameraRig::Front,
        Transform::from_xyz(0.0, 1.6, 8.0).looking_at(Vec3::new(0.0, 1.0, 0.0), Vec3::Y),
    ));
}

fn switch_camera(keys: Option<Res<ButtonInput<KeyCode>>>, mut rigs: Query<&mut CameraRig>) {
    let Some(keys) = keys else { return };
    for mut rig in &mut rigs {
        if keys.just_pressed(KeyCode::KeyC) {
            *rig = rig.next();
        }
        for (key, r) in [
            (KeyCode::F1, CameraRig::Front),
            (KeyCode::F2, CameraRig::Side),
            (KeyCode::F3, CameraRig::Orbit),
            (KeyCode::F4, CameraRig::Follow),
        ] {
            if keys.just_pressed(key) {
                *rig = r;
            }
        }
    }
}

/// Where each rig puts the camera and what it looks at.
pub fn camera_pose(
    rig: CameraRig,
    mode: Mode,
    layout: &RunwayLayout,
    t: f32,
    model: Option<Vec3>,
) -> (Vec3, Vec3) {
    if mode == Mode::Designer {
        let target = Vec3::new(0.0, 1.0, 0.0);
        return match rig {
            CameraRig::Front | CameraRig::Follow => (Vec3::new(0.0, 1.2, 3.4), target),
            CameraRig::Side => (Vec3::new(3.4, 1.2, 0.0), target),
            CameraRig::Orbit => {
                let a = t * 0.3;
                (Vec3::new(3.4 * a.sin(), 1.4, 3.4 * a.cos()), target)
            }
        };
    }
    let centre = Vec3::new(0.0, 1.0, 0.0);
    match rig {
        CameraRig::Front => (
            Vec3::new(0.0, 1.7, layout.length / 2.0 + 4.5),
            Vec3::new(0.0, 0.9, layout.length * 0.1),
        ),
        CameraRig::Side => (Vec3::new(5.5, 1.8, 1.0), Vec3::new(0.0, 0.9, 0.0)),
        CameraRig::Orbit => {
            let a = t * 0.15;
            (Vec3::new(9.0 * a.sin(), 3.5, 9.0 * a.cos()), centre)
        }
        CameraRig::Follow => {
            let m = model.unwrap_or(Vec3::new(0.0, 0.0, layout.front()));
            (m + Vec3::new(1.2, 1.6, 3.0), m + Vec3::new(0.0, 1.1, 0.0))
        }
    }
}

fn move_camera(
    time: Res<Time>,
    mode: Res<Mode>,
    layout: Res<Layout>,
    models: Query<(&Model, &Stage)>,
    mut cameras: Query<(&CameraRig, &mut Transform)>,
) {
    // Follow the newest model that is walking out or posing.
    let followed = models
        .iter()
        .filter(|(_, s)| matches!(s.0.phase, Phase::WalkOut | Phase::Pose | Phase::Turn))
        .max_by_key(|(m, _)| m.index)
        .map(|(_, s)| s.0.position);
    for (rig, mut transform) in &mut cameras {
        let (eye, target) = camera_pose(*rig, *mode, &layout.0, time.elapsed_secs(), followed);
        *transform = Transform::from_translation(eye).looking_at(target, Vec3::Y);
    }
}

/// Keeps a [`Model`] entity for every look on stage (and the next one, so it is ready
/// when it enters) and places it from the show clock.
pub fn direct_lineup(
    mut commands: Commands,
    mode: Res<Mode>,
    state: Res<ShowState>,
    clock: Res<ShowClock>,
    layout: Res<Layout>,
    mut cache: ResMut<LookCache>,
    mut models: Query<(Entity, &Model, &mut Stage)>,
) {
    if *mode == Mode::Designer {
        return;
    }
    let now = clock.now_us;
    let mut wanted: BTreeMap<usize, Placement> = BTreeMap::new();
    for (&index, look_clock) in &state.clocks {
        let Some(spec) = state.lineup.get(index) else {
            continue;
        };
        let duration = spec.duration_ms as f32 / 1000.0;
        let elapsed = look_clock.elapsed_s(now);
        if elapsed <= choreography::on_stage_for(duration) {
            wanted.insert(index, choreography::place(&layout.0, elapsed, duration));
        }
    }
    // The next look is prepared before it enters.
    if let Some(current) = state.current_index()
        && current + 1 < state.lineup.len()
    {
        let layout = layout.0;
        wanted
            .entry(current + 1)
            .or_insert_with(|| choreography::place(&layout, -1.0, 10.0));
    }
    for (entity, model, mut stage) in &mut models {
        match wanted.remove(&model.index) {
            Some(p) => stage.0 = p,
            None => commands.entity(entity).despawn(),
        }
    }
    for (index, placement) in wanted {
        match cache.resolve(&state.lineup[index].garment) {
            Ok(asset) => {
                commands.spawn((
                    Model {
                        index,
                        asset: asset.clone(),
                    },
                    Stage(placement),
                    Transform::from_translation(placement.position),
                    Visibility::Hidden,
                ));
            }
            Err(e) => {
                // Logged once: the cache keeps the error.
                if !e.is_empty() {
                    warn!(look = index, "cannot show look: {e}");
                    *e = String::new();
                }
            }
        }
    }
}

/// Benchmark: a synthetic line-up with every look on stage at once, spread along the
/// walk, looping.
fn bench_lineup(options: Res<Options>, mut state: ResMut<ShowState>) {
    let Some(n) = options.0.bench_avatars else {
        return;
    };
    let duration_ms = 30_000;
    match collection::lineup(collection::DEMO_SEED, n, duration_ms) {
        Ok(lineup) => {
            state.title = format!("Benchmark: {n} avatars");
            state.lineup = lineup;
            let cycle = choreography::on_stage_for(duration_ms as f32 / 1000.0);
            let now = local_micros();
            for i in 0..n {
                let offset = cycle * i as f32 / n as f32;
                state.clocks.insert(
                    i,
                    LookClock {
                        start: now.saturating_sub((offset * 1e6) as u64),
                        frozen_elapsed: None,
                    },
                );
            }
            state.connection = crate::net::ConnState::Connected;
        }
        Err(e) => error!("benchmark line-up: {e}"),
    }
}

fn bench_loop(options: Res<Options>, clock: Res<ShowClock>, mut state: ResMut<ShowState>) {
    if options.0.bench_avatars.is_none() {
        return;
    }
    let cycle_us = (choreography::on_stage_for(30.0) * 1e6) as u64;
    for c in state.clocks.values_mut() {
        if clock.now_us > c.start + cycle_us - 50_000 {
            c.start += cycle_us;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use catwalk_protocol::{ShowStatus, ShowTime};

    fn app_at(now_us: u64, state: ShowState) -> App {
        let mut app = App::new();
        app.add_plugins(MinimalPlugins)
            .insert_resource(Mode::Audience)
            .init_resource::<Layout>()
            .init_resource::<LookCache>()
            .insert_resource(state)
            .insert_resource(ShowClock {
                now_us,
                synced: true,
            })
            .add_systems(Update, direct_lineup);
        app
    }

    fn on_stage(app: &mut App) -> Vec<(usize, Phase)> {
        let mut q = app.world_mut().query::<(&Model, &Stage)>();
        let mut v: Vec<(usize, Phase)> = q
            .iter(app.world())
            .map(|(m, s)| (m.index, s.0.phase))
            .collect();
        v.sort_by_key(|(i, _)| *i);
        v
    }

    /// The director keeps a model for the look on the runway, the one still walking back
    /// and the next one (prepared, waiting), and lets a look go once it is off stage.
    #[test]
    fn the_director_follows_the_show_clock() {
        let mut state = ShowState::default();
        state.lineup = collection::lineup(5, 3, 10_000).expect("lineup");
        let s = 1_000_000_000u64;
        state.clocks.insert(
            0,
            LookClock {
                start: s,
                frozen_elapsed: None,
            },
        );
        state.clocks.insert(
            1,
            LookClock {
                start: s + 10_000_000,
                frozen_elapsed: None,
            },
        );
        state.status = Some(ShowStatus::Live {
            index: 1,
            started_at: ShowTime(s + 10_000_000),
            ends_at: ShowTime(s + 20_000_000),
        });
        // 1 s into look 1: look 0 walks back, look 1 walks out, look 2 waits.
        let mut app = app_at(s + 11_000_000, state.clone());
        app.update();
        assert_eq!(
            on_stage(&mut app),
            [
                (0, Phase::WalkBack),
                (1, Phase::WalkOut),
                (2, Phase::Waiting)
            ]
        );
        // Long after look 0's walk back it is gone; look 1 is posing.
        let mut app = app_at(s + 16_000_000, state);
        app.update();
        let now = on_stage(&mut app);
        assert_eq!(now.first().map(|m| m.0), Some(1), "{now:?}");
        assert_eq!(now[0].1, Phase::Pose);
    }
}
