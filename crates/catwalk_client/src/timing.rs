//! The frame-time breakdown: cloth and animation are timed where they run; every five
//! seconds the log gets frames per second and milliseconds per frame for cloth (and, of
//! that, writing the garment meshes), animation and the rest (rendering, UI, everything else on the main thread). The totals from the
//! moment every model on stage is dressed (asset preparation and pipeline compilation left
//! out) are logged as a summary when the app exits, for the benchmarks.

use std::time::Instant;

use bevy::prelude::*;
use bevy::render::renderer::RenderAdapterInfo;

/// This frame's measured work, and the running window.
#[derive(Resource, Debug)]
pub struct FrameTimes {
    /// Cloth this frame, ms.
    pub cloth_ms: f32,
    /// Of the cloth, writing the garment meshes (normals, seams closed, attributes), ms.
    pub mesh_ms: f32,
    /// Cloth steps this frame.
    pub cloth_steps: u32,
    /// Animation this frame, ms.
    pub animation_ms: f32,
    window: Window,
    /// Totals since the end of warm-up.
    pub total: Window,
    started: Instant,
}

/// Sums over a span of frames.
#[derive(Debug, Clone, Copy)]
pub struct Window {
    /// Frames.
    pub frames: u32,
    /// Wall time, s.
    pub seconds: f32,
    /// Cloth, ms.
    pub cloth_ms: f32,
    /// Of the cloth, garment meshes written, ms.
    pub mesh_ms: f32,
    /// Animation, ms.
    pub animation_ms: f32,
    since: Option<Instant>,
}

impl Default for Window {
    fn default() -> Self {
        Window {
            frames: 0,
            seconds: 0.0,
            cloth_ms: 0.0,
            mesh_ms: 0.0,
            animation_ms: 0.0,
            since: None,
        }
    }
}

impl Window {
    /// Frames per second.
    pub fn fps(&self) -> f32 {
        self.frames as f32 / self.seconds.max(1e-6)
    }

    /// Mean ms per frame: (frame, cloth, animation, rest).
    pub fn per_frame(&self) -> (f32, f32, f32, f32) {
        let n = self.frames.max(1) as f32;
        let frame = self.seconds * 1000.0 / n;
        let cloth = self.cloth_ms / n;
        let anim = self.animation_ms / n;
        (frame, cloth, anim, (frame - cloth - anim).max(0.0))
    }

    /// Mean ms per frame spent writing garment meshes (part of the cloth).
    pub fn mesh_per_frame(&self) -> f32 {
        self.mesh_ms / self.frames.max(1) as f32
    }

    fn add(&mut self, now: Instant, cloth: f32, mesh: f32, anim: f32) {
        if let Some(since) = self.since {
            self.frames += 1;
            self.seconds = (now - since).as_secs_f32();
            self.cloth_ms += cloth;
            self.mesh_ms += mesh;
            self.animation_ms += anim;
        } else {
            self.since = Some(now);
        }
    }
}

impl Default for FrameTimes {
    fn default() -> Self {
        FrameTimes {
            cloth_ms: 0.0,
            mesh_ms: 0.0,
            cloth_steps: 0,
            animation_ms: 0.0,
            window: Window::default(),
            total: Window::default(),
            started: Instant::now(),
        }
    }
}

/// Logs the breakdown.
pub struct TimingPlugin;

impl Plugin for TimingPlugin {
    fn build(&self, app: &mut App) {
        app.init_resource::<FrameTimes>()
            .add_systems(Last, (close_frame, summary_on_exit).chain());
    }
}

fn close_frame(
    mut times: ResMut<FrameTimes>,
    capture: Option<Res<crate::capture::CaptureState>>,
    adapter: Option<Res<RenderAdapterInfo>>,
) {
    let now = Instant::now();
    let (cloth, mesh, anim) = (times.cloth_ms, times.mesh_ms, times.animation_ms);
    times.window.add(now, cloth, mesh, anim);
    if capture.is_some_and(|c| c.dressed_at.is_some()) {
        times.total.add(now, cloth, mesh, anim);
    }
    times.cloth_ms = 0.0;
    times.mesh_ms = 0.0;
    times.animation_ms = 0.0;
    times.cloth_steps = 0;
    if times.window.seconds >= 5.0 {
        let w = times.window;
        let (frame, cloth, anim, rest) = w.per_frame();
        info!(
            fps = format!("{:.1}", w.fps()),
            frame_ms = format!("{frame:.1}"),
            cloth_ms = format!("{cloth:.1}"),
            cloth_mesh_ms = format!("{:.2}", w.mesh_per_frame()),
            animation_ms = format!("{anim:.2}"),
            rest_ms = format!("{rest:.1}"),
            device = adapter.as_ref().map(|a| a.name.clone()).unwrap_or_default(),
            "frame time"
        );
        times.window = Window::default();
    }
}

fn summary_on_exit(
    mut exits: MessageReader<AppExit>,
    times: Res<FrameTimes>,
    models: Query<(), With<crate::avatars::Rigged>>,
    garments: Query<(), With<crate::cloth::Garment>>,
    adapter: Option<Res<RenderAdapterInfo>>,
    scale: Option<Res<crate::render_scale::SceneScale>>,
) {
    if exits.read().next().is_none() {
        return;
    }
    let t = times.total;
    if t.frames == 0 {
        return;
    }
    let (frame, cloth, anim, rest) = t.per_frame();
    info!(
        avatars = models.iter().count(),
        garments = garments.iter().count(),
        frames = t.frames,
        seconds = format!("{:.1}", t.seconds),
        fps = format!("{:.2}", t.fps()),
        frame_ms = format!("{frame:.1}"),
        cloth_ms = format!("{cloth:.1}"),
        cloth_mesh_ms = format!("{:.2}", t.mesh_per_frame()),
        animation_ms = format!("{anim:.2}"),
        rest_ms = format!("{rest:.1}"),
        device = adapter.as_ref().map(|a| a.name.clone()).unwrap_or_default(),
        render_scale = scale.map_or(1.0, |s| s.factor),
        uptime_s = format!("{:.0}", times.started.elapsed().as_secs_f32()),
        "frame-time summary since every model was dressed"
    );
}
