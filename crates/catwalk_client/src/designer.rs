//! The designer's preview: an avatar made from the designer's photos or measurements (or
//! one of the collection's models), wearing a chosen or generated design, draped and
//! walking in place on a turntable in the fitting room. Keys: G next generated design,
//! W walk / stand, F fit view (tight red, snug amber, ease green, loose blue), T turntable
//! on/off, C and F1–F4 cameras, P screenshot.

use std::path::PathBuf;
use std::sync::Arc;

use bevy::prelude::*;
use catwalk_avatar::measure::Landmarks;
use catwalk_avatar::photo::{PhotoPipeline, PipelinePaths};
use catwalk_avatar::{BodyModel, BodyParams, MeasurementTargets, fit_measurements};

use crate::choreography::{Phase, Placement};
use crate::cloth::{self, FitView};
use crate::collection::{self, LookAsset};
use crate::runway::{Model, Stage};

/// Where the designer's avatar comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum AvatarSource {
    /// Model `n` of the demo collection.
    Collection(usize),
    /// A measurement file (JSON, cm: `catwalk avatar --measurements` format).
    Measurements(PathBuf),
    /// A front and a side photo and the height in cm.
    Photos {
        /// Front photo.
        front: PathBuf,
        /// Side photo.
        side: PathBuf,
        /// Height, cm.
        height_cm: f32,
    },
}

/// The preview's avatar and first design.
#[derive(Debug, Clone)]
pub struct DesignerOptions {
    /// The avatar.
    pub avatar: AvatarSource,
    /// A garment reference (`gen-<seed>-<index>`); default: the collection's first design.
    pub garment: Option<String>,
    /// Show the fit view from the start.
    pub fit_view: bool,
    /// Stand still from the start instead of walking.
    pub stand: bool,
}

impl Default for DesignerOptions {
    fn default() -> Self {
        DesignerOptions {
            avatar: AvatarSource::Collection(0),
            garment: None,
            fit_view: false,
            stand: false,
        }
    }
}

/// The preview's state.
#[derive(Debug, Resource)]
pub struct Preview {
    /// The avatar's body.
    pub body: BodyParams,
    /// The current garment reference.
    pub garment: String,
    /// Walking (true) or standing.
    pub walking: bool,
    /// Turntable on.
    pub turntable: bool,
    /// Turntable angle, rad.
    pub yaw: f32,
    /// Seconds walked.
    pub walk_time: f32,
}

/// Builds the body the designer asked for.
pub fn body_for(source: &AvatarSource) -> anyhow::Result<BodyParams> {
    use anyhow::Context;
    Ok(match source {
        AvatarSource::Collection(i) => collection::model_body(*i).1,
        AvatarSource::Measurements(path) => {
            let model = BodyModel::load_default()?;
            let landmarks = Landmarks::new(&model)?;
            let targets = MeasurementTargets::read_json(path)?;
            info!("fitting a body to {}…", path.display());
            let report = fit_measurements(&model, &landmarks, &targets)?;
            info!(rms_cm = format!("{:.2}", report.rms_cm), "body fitted");
            report.params
        }
        AvatarSource::Photos {
            front,
            side,
            height_cm,
        } => {
            let model = BodyModel::load_default()?;
            let landmarks = Landmarks::new(&model)?;
            let read = |p: &PathBuf| {
                std::fs::read(p).with_context(|| format!("while reading {}", p.display()))
            };
            let pipeline = PhotoPipeline::load(&PipelinePaths::default())?;
            info!("estimating the body from the photos…");
            pipeline
                .estimate(&model, &landmarks, &read(front)?, &read(side)?, *height_cm)?
                .params
        }
    })
}

/// The designer's preview.
pub struct DesignerPlugin;

impl Plugin for DesignerPlugin {
    fn build(&self, app: &mut App) {
        app.add_systems(Startup, (setup, panel)).add_systems(
            Update,
            (keys, turntable, refresh_panel)
                .before(crate::avatars::animate)
                .after(crate::runway::direct_lineup),
        );
    }
}

fn setup(mut commands: Commands, options: Res<crate::app::Options>, mut fit: ResMut<FitView>) {
    let o = &options.0.designer;
    fit.0 = o.fit_view;
    let body = match body_for(&o.avatar) {
        Ok(b) => b,
        Err(e) => {
            error!(
                "could not make the avatar: {e:#}; showing the collection's first model instead"
            );
            collection::model_body(0).1
        }
    };
    let garment = o
        .garment
        .clone()
        .unwrap_or_else(|| format!("gen-{}-0", collection::DEMO_SEED));
    let preview = Preview {
        body,
        garment,
        walking: !o.stand,
        turntable: true,
        yaw: 0.0,
        walk_time: 0.0,
    };
    spawn_model(&mut commands, &preview);
    commands.insert_resource(preview);
}

fn spawn_model(commands: &mut Commands, preview: &Preview) {
    let asset = match collection::resolve(&preview.garment) {
        Ok(a) => a,
        Err(e) => {
            error!("{e}");
            return;
        }
    };
    info!(garment = %preview.garment, design = %asset.design.description, "previewing");
    let asset = LookAsset {
        model: "you".into(),
        body: preview.body.clone(),
        ..asset
    };
    commands.spawn((
        Model {
            index: 0,
            asset: Arc::new(asset),
        },
        Stage(standing(0.0, 0.0, 1.0)),
        Transform::IDENTITY,
        Visibility::Hidden,
    ));
}

fn standing(yaw: f32, walk_time: f32, walking: f32) -> Placement {
    Placement {
        phase: Phase::Pose,
        position: Vec3::ZERO,
        yaw,
        walk_time,
        walking,
        stride_period: 1.1,
    }
}

fn keys(
    mut commands: Commands,
    keys: Option<Res<ButtonInput<KeyCode>>>,
    mut preview: ResMut<Preview>,
    mut fit: ResMut<FitView>,
    models: Query<Entity, With<Model>>,
) {
    let Some(keys) = keys else { return };
    if keys.just_pressed(KeyCode::KeyF) {
        fit.0 = !fit.0;
    }
    if keys.just_pressed(KeyCode::KeyW) {
        preview.walking = !preview.walking;
    }
    if keys.just_pressed(KeyCode::KeyT) {
        preview.turntable = !preview.turntable;
    }
    if keys.just_pressed(KeyCode::KeyG) {
        let next = collection::parse_reference(&preview.garment)
            .map(|(seed, i)| format!("gen-{seed}-{}", (i + 1) % collection::MAX_LOOKS))
            .unwrap_or_else(|_| format!("gen-{}-0", collection::DEMO_SEED));
        preview.garment = next;
        for e in &models {
            commands.entity(e).despawn();
        }
        spawn_model(&mut commands, &preview);
    }
}

/// Turns the turntable and walks the avatar. The fitting room's clock never runs ahead of
/// what the cloth simulates in a frame (at most [`cloth::MAX_STEPS_PER_FRAME`] steps): on a
/// slow renderer the preview plays in slow motion rather than yanking the body out of a
/// garment that could not keep up (sleeves slid off the arms at a few frames a second).
fn turntable(time: Res<Time>, mut preview: ResMut<Preview>, mut models: Query<&mut Stage>) {
    let dt = time
        .delta_secs()
        .min(cloth::STEP * cloth::MAX_STEPS_PER_FRAME as f32);
    if preview.turntable {
        preview.yaw = (preview.yaw + dt * 0.5) % std::f32::consts::TAU;
    }
    if preview.walking {
        preview.walk_time += dt;
    }
    for mut s in &mut models {
        s.0 = standing(
            preview.yaw,
            preview.walk_time,
            if preview.walking { 1.0 } else { 0.0 },
        );
    }
}

/// Marks the designer's text.
#[derive(Component)]
struct DesignerText;

fn panel(mut commands: Commands) {
    let root = commands
        .spawn((
            Node {
                position_type: PositionType::Absolute,
                top: Val::Px(8.0),
                left: Val::Px(8.0),
                max_width: Val::Px(520.0),
                padding: UiRect::all(Val::Px(10.0)),
                ..default()
            },
            BackgroundColor(Color::srgba(0.02, 0.02, 0.05, 0.72)),
        ))
        .id();
    commands.spawn((
        Text::new(""),
        TextFont {
            font_size: FontSize::Px(16.0),
            ..default()
        },
        DesignerText,
        ChildOf(root),
    ));
}

fn refresh_panel(
    preview: Res<Preview>,
    fit: Res<FitView>,
    models: Query<(&Model, Option<&crate::avatars::Rigged>)>,
    mut texts: Query<&mut Text, With<DesignerText>>,
) {
    let mut s = String::from("DESIGNER PREVIEW\n");
    for (model, rigged) in &models {
        s.push_str(&format!(
            "{} ({})\n",
            model.asset.design.description, preview.garment
        ));
        match rigged {
            Some(r) => {
                let m = r.avatar.measurements;
                s.push_str(&format!(
                    "your avatar: height {:.0} cm, bust {:.0}, waist {:.0}, hip {:.0}\n",
                    m.height, m.bust, m.waist, m.hip
                ));
            }
            None => s.push_str("making your avatar and draping the garment...\n"),
        }
    }
    if fit.0 {
        s.push_str("fit view: red tight | amber snug | green ease | blue loose\n");
    }
    s.push_str("keys: G next design | W walk | F fit view | T turntable | C camera | P screenshot");
    for mut t in &mut texts {
        if t.0 != s {
            t.0 = s.clone();
        }
    }
}
