//! Render scale: the 3D scene can be drawn into a smaller picture that is stretched over the
//! window, while the HUD stays sharp at full size. On a software rasteriser (lavapipe) every
//! pixel of the stage costs the whole PBR shader, lights and shadow lookups included, so
//! `--render-scale auto` draws the scene at half width and height there (a quarter of the
//! pixels) and at full size on a real GPU.
//!
//! When the scale is below one, the runway camera renders into an image; a second camera,
//! drawn after it, shows that image on a full-size UI node behind everything else and is
//! the camera every HUD panel draws on.

use bevy::camera::RenderTarget;
use bevy::prelude::*;
use bevy::render::render_resource::{Extent3d, TextureFormat};
use bevy::render::renderer::RenderAdapterInfo;
use bevy::ui::IsDefaultUiCamera;
use bevy::window::PrimaryWindow;

use crate::app::Options;
use crate::capture::HeadlessTarget;

/// `--render-scale`: the fraction of the window's width and height the scene is drawn at.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub enum RenderScale {
    /// Half size on a software rasteriser, full size on a GPU.
    #[default]
    Auto,
    /// This fraction (0.25 to 1).
    Fixed(f32),
}

impl RenderScale {
    /// The smallest scale accepted.
    pub const MIN: f32 = 0.25;
    /// The scale `Auto` picks on a software rasteriser.
    pub const SOFTWARE: f32 = 0.5;

    /// The scale to draw at, given whether rendering runs on a software rasteriser.
    pub fn resolve(self, software: bool) -> f32 {
        match self {
            RenderScale::Auto if software => Self::SOFTWARE,
            RenderScale::Auto => 1.0,
            RenderScale::Fixed(f) => f.clamp(Self::MIN, 1.0),
        }
    }
}

/// The scene's size for an output of `size` pixels at `factor`: never below 16 pixels a side.
pub fn scene_size(size: UVec2, factor: f32) -> UVec2 {
    let side = |v: u32| ((v as f32 * factor).round() as u32).max(16);
    UVec2::new(side(size.x), side(size.y))
}

/// How the scene is drawn: the factor in use and, below one, the image it is drawn into.
#[derive(Debug, Clone, Resource)]
pub struct SceneScale {
    /// Fraction of the output's width and height.
    pub factor: f32,
    /// The scene image, when scaled.
    pub image: Option<Handle<Image>>,
}

impl Default for SceneScale {
    fn default() -> Self {
        SceneScale {
            factor: 1.0,
            image: None,
        }
    }
}

/// Marks the camera that shows the scaled scene and draws the HUD.
#[derive(Debug, Component)]
pub struct DisplayCamera;

/// Runs the scene at the chosen scale.
pub struct RenderScalePlugin;

impl Plugin for RenderScalePlugin {
    fn build(&self, app: &mut App) {
        app.init_resource::<SceneScale>()
            .add_systems(
                PostStartup,
                scale_scene.after(crate::capture::headless_target),
            )
            .add_systems(Update, follow_window_size);
    }
}

#[allow(clippy::too_many_arguments)]
fn scale_scene(
    mut commands: Commands,
    options: Res<Options>,
    adapter: Option<Res<RenderAdapterInfo>>,
    headless: Option<Res<HeadlessTarget>>,
    windows: Query<&Window, With<PrimaryWindow>>,
    mut images: ResMut<Assets<Image>>,
    mut scale: ResMut<SceneScale>,
    cameras: Query<Entity, With<Camera3d>>,
) {
    let software = crate::runway::software_rendering(adapter.as_deref());
    let factor = options.0.render_scale.resolve(software);
    if factor >= 1.0 {
        return;
    }
    let Some(camera) = cameras.iter().next() else {
        return;
    };
    let (output, target) = match (&headless, windows.single()) {
        (Some(h), _) => (
            UVec2::new(options.0.size.0, options.0.size.1),
            RenderTarget::Image(h.0.clone().into()),
        ),
        (None, Ok(w)) => (w.physical_size(), RenderTarget::default()),
        (None, Err(_)) => return,
    };
    // Only a scene actually drawn smaller reports its factor (screenshot boxes divide by it).
    scale.factor = factor;
    let size = scene_size(output, factor);
    let image = images.add(Image::new_target_texture(
        size.x,
        size.y,
        TextureFormat::Rgba8UnormSrgb,
        None,
    ));
    info!(
        factor,
        scene = %format!("{}x{}", size.x, size.y),
        output = %format!("{}x{}", output.x, output.y),
        "drawing the scene at a reduced size (--render-scale)"
    );
    commands
        .entity(camera)
        .insert(RenderTarget::Image(image.clone().into()));
    let display = commands
        .spawn((
            Camera2d,
            Camera {
                order: 1,
                ..default()
            },
            Msaa::Off,
            target,
            IsDefaultUiCamera,
            DisplayCamera,
        ))
        .id();
    commands.spawn((
        Node {
            position_type: PositionType::Absolute,
            width: percent(100),
            height: percent(100),
            ..default()
        },
        ImageNode::new(image.clone()),
        GlobalZIndex(i32::MIN),
        UiTargetCamera(display),
    ));
    scale.image = Some(image);
}

/// Keeps the scene image at the chosen fraction of the window when the window is resized
/// or moves to a screen with another scale factor.
fn follow_window_size(
    scale: Res<SceneScale>,
    windows: Query<&Window, With<PrimaryWindow>>,
    mut images: ResMut<Assets<Image>>,
) {
    let (Some(handle), Ok(window)) = (&scale.image, windows.single()) else {
        return;
    };
    let size = scene_size(window.physical_size(), scale.factor);
    if images.get(handle).is_some_and(|image| image.size() != size)
        && let Some(mut image) = images.get_mut(handle)
    {
        image.resize(Extent3d {
            width: size.x,
            height: size.y,
            depth_or_array_layers: 1,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auto_halves_only_on_a_software_rasteriser() {
        assert_eq!(RenderScale::Auto.resolve(true), 0.5);
        assert_eq!(RenderScale::Auto.resolve(false), 1.0);
        assert_eq!(RenderScale::Fixed(0.7).resolve(false), 0.7);
        assert_eq!(RenderScale::Fixed(0.1).resolve(true), RenderScale::MIN);
        assert_eq!(RenderScale::Fixed(3.0).resolve(true), 1.0);
    }

    #[test]
    fn scene_size_scales_each_side_and_keeps_a_minimum() {
        assert_eq!(scene_size(UVec2::new(1280, 720), 0.5), UVec2::new(640, 360));
        assert_eq!(scene_size(UVec2::new(1281, 721), 0.5), UVec2::new(641, 361));
        assert_eq!(scene_size(UVec2::new(20, 20), 0.25), UVec2::new(16, 16));
    }
}
