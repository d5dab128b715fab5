//! Assembling the app: options, window or headless rendering, and the plugins each mode
//! needs.

use std::path::PathBuf;
use std::time::Duration;

use bevy::app::ScheduleRunnerPlugin;
use bevy::prelude::*;
use bevy::window::ExitCondition;
use bevy::winit::WinitPlugin;

use crate::designer::DesignerOptions;
use crate::net::NetConfig;
use crate::organizer::ProductionLink;

/// Who is using the client.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Resource)]
pub enum Mode {
    /// Watch, rate, say what you would buy.
    Audience,
    /// Run the show: start, advance, pause, end; watch results; send designs to production.
    Organizer,
    /// Preview a design on your own avatar; no show needed.
    Designer,
}

/// Where garments are simulated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Resource)]
pub enum ClothBackend {
    /// The GPU when the render device is a real GPU, the CPU on a software rasteriser.
    Auto,
    /// Always the render device (also on lavapipe).
    Gpu,
    /// Always the CPU solver.
    Cpu,
    /// No garments (avatars only).
    Off,
}

/// Everything the client is started with.
#[derive(Debug, Clone)]
pub struct ClientOptions {
    /// Audience, organizer or designer.
    pub mode: Mode,
    /// The show to join (audience and organizer modes).
    pub net: Option<NetConfig>,
    /// Render without a window, into an image (tests, CI screenshots).
    pub headless: bool,
    /// Window or image size, pixels.
    pub size: (u32, u32),
    /// Quit after this many frames.
    pub exit_after_frames: Option<u32>,
    /// Save a screenshot at this frame to this file.
    pub screenshot_at: Option<(u32, PathBuf)>,
    /// Folder for screenshots taken with the P key.
    pub screenshot_dir: PathBuf,
    /// Cloth backend.
    pub cloth: ClothBackend,
    /// Show this many dressed avatars walking at once, without a server (benchmark).
    pub bench_avatars: Option<usize>,
    /// Designer mode's avatar and design.
    pub designer: DesignerOptions,
    /// The production backend, for the organizer's "send to production".
    pub production: Option<ProductionLink>,
    /// The fraction of the window's size the scene is drawn at.
    pub render_scale: crate::render_scale::RenderScale,
    /// Log each render pass's GPU and CPU time every second.
    pub gpu_timings: bool,
    /// Install Bevy's log subscriber (off when the caller already has one).
    pub bevy_log: bool,
}

impl Default for ClientOptions {
    fn default() -> Self {
        ClientOptions {
            mode: Mode::Audience,
            net: None,
            headless: false,
            size: (1280, 720),
            exit_after_frames: None,
            screenshot_at: None,
            screenshot_dir: PathBuf::from("screenshots"),
            cloth: ClothBackend::Auto,
            bench_avatars: None,
            designer: DesignerOptions::default(),
            production: None,
            render_scale: crate::render_scale::RenderScale::Auto,
            gpu_timings: false,
            bevy_log: true,
        }
    }
}

/// The options as a resource, for systems that need them.
#[derive(Debug, Clone, Resource)]
pub struct Options(pub ClientOptions);

/// Builds the app for `options`.
pub fn build_app(options: ClientOptions) -> App {
    let mut app = App::new();
    let (w, h) = options.size;
    let mut defaults = DefaultPlugins.build();
    if !options.bevy_log {
        defaults = defaults.disable::<bevy::log::LogPlugin>();
    }
    if options.headless {
        app.add_plugins(
            defaults
                .set(WindowPlugin {
                    primary_window: None,
                    exit_condition: ExitCondition::DontExit,
                    ..default()
                })
                .disable::<WinitPlugin>(),
        )
        .add_plugins(ScheduleRunnerPlugin::run_loop(Duration::ZERO));
    } else {
        let title = match options.mode {
            Mode::Audience => "Catwalk — runway",
            Mode::Organizer => "Catwalk — organizer",
            Mode::Designer => "Catwalk — designer preview",
        };
        app.add_plugins(defaults.set(WindowPlugin {
            primary_window: Some(Window {
                title: title.into(),
                resolution: (w, h).into(),
                ..default()
            }),
            ..default()
        }));
    }
    if options.gpu_timings {
        app.add_plugins(crate::pass_timings::PassTimingsPlugin);
    }
    app.insert_resource(options.mode)
        .insert_resource(options.cloth)
        .insert_resource(Options(options.clone()))
        .add_plugins(bevy_rapier3d::prelude::RapierPhysicsPlugin::<()>::default())
        .add_plugins((
            crate::timing::TimingPlugin,
            crate::capture::CapturePlugin,
            crate::render_scale::RenderScalePlugin,
            crate::runway::RunwayPlugin,
            crate::avatars::AvatarPlugin,
            crate::cloth::ClothPlugin,
        ));
    match options.mode {
        Mode::Designer => {
            app.add_plugins(crate::designer::DesignerPlugin);
        }
        Mode::Audience | Mode::Organizer => {
            app.add_plugins((crate::net_plugin::NetPlugin, crate::hud::HudPlugin));
            if options.mode == Mode::Organizer {
                app.add_plugins(crate::organizer::OrganizerPlugin);
            }
        }
    }
    app
}

/// An app with the client's logic and no rendering (tests, bots): the network link, the
/// show state and clock, and the HUD's choices; drive it with `App::update`.
pub fn logic_app(net: NetConfig) -> App {
    let mut app = App::new();
    app.add_plugins(MinimalPlugins)
        .insert_resource(Mode::Audience)
        .insert_resource(Options(ClientOptions {
            net: Some(net),
            ..ClientOptions::default()
        }))
        .add_plugins(crate::net_plugin::NetPlugin)
        .init_resource::<crate::hud::Choices>();
    app.finish();
    app.cleanup();
    app
}
