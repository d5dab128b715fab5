//! Screenshots and headless rendering.
//!
//! Headless, the camera renders into an image instead of a window. A [`ShotPlan`] takes
//! screenshots at chosen moments (a frame number, or a number of frames after every model
//! on stage is dressed), optionally with the models hidden, and writes each as a PNG with a
//! JSON sidecar naming where on the picture each model stands (its projected box) and the
//! colour of its garment, so tests can check what the picture shows. The P key saves a
//! screenshot into the screenshot folder. With `exit_after_frames` the app quits once that
//! many frames have run and every planned shot is written.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use bevy::camera::RenderTarget;
use bevy::prelude::*;
use bevy::render::render_resource::TextureFormat;
use bevy::render::view::screenshot::{Screenshot, ScreenshotCaptured};
use serde::Serialize;

use crate::app::{ClothBackend, Options};
use crate::avatars::Rigged;
use crate::cloth::Garment;
use crate::render_scale::{DisplayCamera, SceneScale};
use crate::runway::Model;

/// When a planned shot is taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShotWhen {
    /// At this frame.
    Frame(u32),
    /// This many frames after every model on stage has its avatar and garment.
    Dressed(u32),
}

/// A planned screenshot.
#[derive(Debug, Clone)]
pub struct Shot {
    /// When.
    pub when: ShotWhen,
    /// Where to write the PNG (the sidecar gets `.json` appended).
    pub path: PathBuf,
    /// Hide the models for this shot (to compare against the stage alone).
    pub hide_models: bool,
}

/// Shots still to take.
#[derive(Debug, Clone, Default, Resource)]
pub struct ShotPlan(pub Vec<Shot>);

/// Frames run so far, and shots in flight.
#[derive(Debug, Resource)]
pub struct CaptureState {
    /// When the app started.
    pub started: std::time::Instant,
    /// Frames run.
    pub frames: u32,
    /// First frame at which every model was dressed.
    pub dressed_at: Option<u32>,
    /// Shots requested but not yet written.
    pub in_flight: Arc<Mutex<u32>>,
    /// Shot being prepared with models hidden: (frames left, shot).
    hidden: Option<(u32, Shot)>,
}

impl Default for CaptureState {
    fn default() -> Self {
        CaptureState {
            started: std::time::Instant::now(),
            frames: 0,
            dressed_at: None,
            in_flight: Arc::default(),
            hidden: None,
        }
    }
}

/// The image the headless camera renders into.
#[derive(Debug, Clone, Resource)]
pub struct HeadlessTarget(pub Handle<Image>);

/// Where one model stands on a screenshot.
#[derive(Debug, Clone, Serialize)]
pub struct ModelBox {
    /// Look index.
    pub index: usize,
    /// Garment colour, sRGB.
    pub garment: Option<[u8; 3]>,
    /// Whether the garment is simulated on the GPU.
    pub gpu_cloth: bool,
    /// Projected bounding box: x0, y0, x1, y1 in pixels.
    pub rect: [f32; 4],
}

/// The sidecar written next to each screenshot.
#[derive(Debug, Clone, Serialize)]
pub struct ShotInfo {
    /// Frame number.
    pub frame: u32,
    /// Whether the models were hidden.
    pub models_hidden: bool,
    /// Models on the picture.
    pub models: Vec<ModelBox>,
    /// Rendering adapter.
    pub adapter: String,
    /// Fraction of the picture's width and height the 3D scene was drawn at.
    pub render_scale: f32,
}

/// Screenshots and the headless target.
pub struct CapturePlugin;

impl Plugin for CapturePlugin {
    fn build(&self, app: &mut App) {
        app.init_resource::<CaptureState>()
            .init_resource::<ShotPlan>()
            .add_systems(Startup, plan_from_options)
            .add_systems(PostStartup, headless_target)
            .add_systems(
                Update,
                (
                    ui_on_headless_camera,
                    count_frames,
                    planned_shots,
                    key_shot,
                    exit_when_done,
                )
                    .chain()
                    .after(crate::avatars::animate),
            );
    }
}

fn plan_from_options(options: Res<Options>, mut plan: ResMut<ShotPlan>) {
    if let Some((frame, path)) = &options.0.screenshot_at {
        plan.0.push(Shot {
            // A benchmark counts frames from the moment every model is dressed.
            when: if options.0.bench_avatars.is_some() {
                ShotWhen::Dressed(*frame)
            } else {
                ShotWhen::Frame(*frame)
            },
            path: path.clone(),
            hide_models: false,
        });
    }
}

/// Headless, the cameras render into an image of the window's size.
pub fn headless_target(
    mut commands: Commands,
    options: Res<Options>,
    mut images: ResMut<Assets<Image>>,
    cameras: Query<Entity, With<Camera3d>>,
) {
    if !options.0.headless {
        return;
    }
    let (w, h) = options.0.size;
    let mut image = Image::new_target_texture(w, h, TextureFormat::Rgba8UnormSrgb, None);
    image.texture_descriptor.usage |= bevy::render::render_resource::TextureUsages::COPY_SRC;
    let handle = images.add(image);
    for camera in &cameras {
        commands
            .entity(camera)
            .insert(RenderTarget::Image(handle.clone().into()));
    }
    commands.insert_resource(HeadlessTarget(handle));
}

/// Root UI nodes not yet drawn on a camera.
type UntargetedRoots = (With<Node>, Without<ChildOf>, Without<UiTargetCamera>);

/// Headless, every root UI node draws on the image the output camera renders into: the
/// display camera when the scene is scaled, else the runway camera.
fn ui_on_headless_camera(
    mut commands: Commands,
    target: Option<Res<HeadlessTarget>>,
    display: Query<Entity, With<DisplayCamera>>,
    cameras: Query<Entity, With<Camera3d>>,
    roots: Query<Entity, UntargetedRoots>,
) {
    let camera = display.iter().next().or_else(|| cameras.iter().next());
    let (Some(_), Some(camera)) = (target, camera) else {
        return;
    };
    for root in &roots {
        commands.entity(root).insert(UiTargetCamera(camera));
    }
}

fn count_frames(
    mut state: ResMut<CaptureState>,
    options: Res<Options>,
    backend: Res<ClothBackend>,
    models: Query<(Entity, Has<Rigged>)>,
    model_marks: Query<(), With<Model>>,
    garments: Query<&Garment>,
) {
    state.frames += 1;
    if state.dressed_at.is_none() {
        let on: Vec<Entity> = models
            .iter()
            .filter(|(e, _)| model_marks.contains(*e))
            .map(|(e, rigged)| if rigged { e } else { Entity::PLACEHOLDER })
            .collect();
        let all_rigged = !on.is_empty() && on.iter().all(|e| *e != Entity::PLACEHOLDER);
        // With garments off, a rigged model is as dressed as it gets.
        let dressed = *backend == ClothBackend::Off
            || on.iter().all(|e| garments.iter().any(|g| g.model == *e));
        // A benchmark waits for all of its avatars: models enter as their looks are ready.
        let all_on = on.len() >= options.0.bench_avatars.unwrap_or(0);
        if all_rigged && dressed && all_on {
            state.dressed_at = Some(state.frames);
            info!(
                frame = state.frames,
                models = on.len(),
                "every model is dressed"
            );
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn planned_shots(
    mut commands: Commands,
    mut plan: ResMut<ShotPlan>,
    mut state: ResMut<CaptureState>,
    target: Option<Res<HeadlessTarget>>,
    adapter: Option<Res<bevy::render::renderer::RenderAdapterInfo>>,
    cameras: Query<(&Camera, &GlobalTransform), With<Camera3d>>,
    scale: Res<SceneScale>,
    mut models: ModelQuery,
    garments: Query<&Garment>,
) {
    // A hidden-models shot waits a few frames for the hiding to reach the picture.
    let (shot, boxes) = match state.hidden.take() {
        Some((left, shot)) => {
            hide(&mut models);
            if left > 0 {
                state.hidden = Some((left - 1, shot));
                return;
            }
            (shot, Vec::new())
        }
        None => {
            let frames = state.frames;
            let dressed_at = state.dressed_at;
            let due = plan.0.iter().position(|s| match s.when {
                ShotWhen::Frame(f) => frames >= f,
                ShotWhen::Dressed(after) => dressed_at.is_some_and(|d| frames >= d + after),
            });
            let Some(i) = due else {
                return;
            };
            let shot = plan.0.remove(i);
            if shot.hide_models {
                hide(&mut models);
                state.hidden = Some((3, shot));
                return;
            }
            let boxes = model_boxes(&cameras, &models, &garments, scale.factor);
            (shot, boxes)
        }
    };
    take(
        &mut commands,
        &state,
        &target,
        &adapter,
        &scale,
        &shot,
        boxes,
    );
}

/// Where each visible rigged model stands on the picture, with its garment's colour.
fn model_boxes(
    cameras: &Query<(&Camera, &GlobalTransform), With<Camera3d>>,
    models: &ModelQuery,
    garments: &Query<&Garment>,
    factor: f32,
) -> Vec<ModelBox> {
    let colours: std::collections::HashMap<Entity, ([u8; 3], bool)> = garments
        .iter()
        .map(|g| {
            (
                g.model,
                (g.colour, matches!(g.solver, crate::cloth::Solver::Gpu)),
            )
        })
        .collect();
    match cameras.iter().next() {
        Some((camera, cam_t)) => models
            .iter()
            .filter(|(_, _, _, v, r)| r.is_some() && **v != Visibility::Hidden)
            .filter_map(|(e, m, t, _, _)| {
                Some(ModelBox {
                    index: m.index,
                    garment: colours.get(&e).map(|c| c.0),
                    gpu_cloth: colours.get(&e).is_some_and(|c| c.1),
                    // The scene may be drawn smaller than the picture (--render-scale).
                    rect: project_box(camera, cam_t, t)?.map(|v| v / factor),
                })
            })
            .collect(),
        None => Vec::new(),
    }
}

type ModelQuery<'w, 's> = Query<
    'w,
    's,
    (
        Entity,
        &'static Model,
        &'static GlobalTransform,
        &'static mut Visibility,
        Option<&'static Rigged>,
    ),
>;

fn hide(models: &mut ModelQuery<'_, '_>) {
    for (_, _, _, mut v, _) in models.iter_mut() {
        *v = Visibility::Hidden;
    }
}

/// The screen rectangle of a 0.8 × 1.9 × 0.6 m box around a model standing at `t`.
fn project_box(camera: &Camera, cam_t: &GlobalTransform, t: &GlobalTransform) -> Option<[f32; 4]> {
    let (mut x0, mut y0, mut x1, mut y1) = (f32::MAX, f32::MAX, f32::MIN, f32::MIN);
    for dx in [-0.4, 0.4] {
        for dy in [0.0, 1.9] {
            for dz in [-0.3, 0.3] {
                let p = t.transform_point(Vec3::new(dx, dy, dz));
                let v = camera.world_to_viewport(cam_t, p).ok()?;
                x0 = x0.min(v.x);
                y0 = y0.min(v.y);
                x1 = x1.max(v.x);
                y1 = y1.max(v.y);
            }
        }
    }
    Some([x0, y0, x1, y1])
}

fn take(
    commands: &mut Commands,
    state: &CaptureState,
    target: &Option<Res<HeadlessTarget>>,
    adapter: &Option<Res<bevy::render::renderer::RenderAdapterInfo>>,
    scale: &SceneScale,
    shot: &Shot,
    models: Vec<ModelBox>,
) {
    let info = ShotInfo {
        frame: state.frames,
        models_hidden: shot.hide_models,
        models,
        adapter: adapter.as_ref().map(|a| a.name.clone()).unwrap_or_default(),
        render_scale: scale.factor,
    };
    let screenshot = match target {
        Some(t) => Screenshot::image(t.0.clone()),
        None => Screenshot::primary_window(),
    };
    if let Ok(mut n) = state.in_flight.lock() {
        *n += 1;
    }
    let in_flight = state.in_flight.clone();
    let path = shot.path.clone();
    commands
        .spawn(screenshot)
        .observe(move |captured: On<ScreenshotCaptured>| {
            match save(&captured.image, &path, &info) {
                Ok(()) => info!(path = %path.display(), "screenshot saved"),
                Err(e) => error!(path = %path.display(), "could not save the screenshot: {e}"),
            }
            if let Ok(mut n) = in_flight.lock() {
                *n = n.saturating_sub(1);
            }
        });
}

/// Writes the PNG and its sidecar.
pub fn save(image: &Image, path: &Path, info: &ShotInfo) -> anyhow::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let rgb = image.clone().try_into_dynamic()?.to_rgb8();
    rgb.save(path)?;
    let mut sidecar = path.as_os_str().to_owned();
    sidecar.push(".json");
    std::fs::write(PathBuf::from(sidecar), serde_json::to_string_pretty(info)?)?;
    Ok(())
}

fn key_shot(
    keys: Option<Res<ButtonInput<KeyCode>>>,
    options: Res<Options>,
    mut plan: ResMut<ShotPlan>,
    state: Res<CaptureState>,
) {
    let Some(keys) = keys else { return };
    if keys.just_pressed(KeyCode::KeyP) {
        let stamp = catwalk_loadgen::viewer::local_micros() / 1000;
        plan.0.push(Shot {
            when: ShotWhen::Frame(state.frames),
            path: options
                .0
                .screenshot_dir
                .join(format!("catwalk-{stamp}.png")),
            hide_models: false,
        });
    }
}

fn exit_when_done(
    options: Res<Options>,
    plan: Res<ShotPlan>,
    state: Res<CaptureState>,
    mut exit: MessageWriter<AppExit>,
) {
    let Some(limit) = options.0.exit_after_frames else {
        return;
    };
    let in_flight = state.in_flight.lock().map(|n| *n).unwrap_or(0);
    // A benchmark counts frames from the moment every model is dressed.
    let counted = if options.0.bench_avatars.is_some() {
        state.dressed_at.map_or(0, |d| state.frames - d)
    } else {
        state.frames
    };
    if counted >= limit && in_flight == 0 && plan.0.is_empty() && state.hidden.is_none() {
        exit.write(AppExit::Success);
    }
    // A hard stop, so a shot that never becomes due cannot hang a run.
    if state.started.elapsed() > HARD_STOP {
        error!(
            "exiting after {} s with shots not taken or models not dressed",
            HARD_STOP.as_secs()
        );
        exit.write(AppExit::error());
    }
}

/// The longest a run with `exit_after_frames` may take.
pub const HARD_STOP: std::time::Duration = std::time::Duration::from_secs(900);
