//! `catwalk client`: the runway client on its own — join a show as audience or organizer,
//! preview designs on your own avatar (designer mode), or benchmark a dozen dressed
//! avatars. Also the window `catwalk show` opens.

use std::path::PathBuf;

use anyhow::Context;
use catwalk_client::designer::{AvatarSource, DesignerOptions};
use catwalk_client::net::NetConfig;
use catwalk_client::organizer::ProductionLink;
use catwalk_client::render_scale::RenderScale;
use catwalk_client::{ClientOptions, ClothBackend, Mode};
use catwalk_protocol::{Role, ShowId, ViewerId};
use clap::{Args, ValueEnum};

use super::show::Joined;

/// Window and rendering options shared by `catwalk client` and `catwalk show`.
#[derive(Debug, Clone, Args)]
pub struct WindowArgs {
    /// Render without a window, into an image (for CI and screenshots).
    #[arg(long)]
    pub headless: bool,
    /// Window size, e.g. 1280x720.
    #[arg(long, default_value = "1280x720", value_parser = parse_size)]
    pub size: (u32, u32),
    /// Quit after this many frames.
    #[arg(long)]
    pub frames: Option<u32>,
    /// Save a screenshot to this PNG (at --screenshot-frame).
    #[arg(long)]
    pub screenshot: Option<PathBuf>,
    /// Frame of --screenshot.
    #[arg(long, default_value_t = 120)]
    pub screenshot_frame: u32,
    /// Folder for screenshots taken with the P key.
    #[arg(long, default_value = "screenshots")]
    pub screenshot_dir: PathBuf,
    /// Where garments are simulated.
    #[arg(long, value_enum, default_value_t = ClothArg::Auto)]
    pub cloth: ClothArg,
    /// Draw the 3D scene at this fraction of the window's width and height (0.25 to 1) and
    /// stretch it over the window; the HUD stays sharp. `auto`: 0.5 on a software
    /// rasteriser such as lavapipe, where every pixel costs the whole shader, 1 on a GPU.
    #[arg(long, default_value = "auto", value_parser = parse_render_scale)]
    pub render_scale: RenderScale,
    /// Log each render pass's GPU time every five seconds (timestamp queries).
    #[arg(long)]
    pub gpu_timings: bool,
}

fn parse_render_scale(s: &str) -> Result<RenderScale, String> {
    if s == "auto" {
        return Ok(RenderScale::Auto);
    }
    s.parse::<f32>()
        .ok()
        .filter(|f| (RenderScale::MIN..=1.0).contains(f))
        .map(RenderScale::Fixed)
        .ok_or_else(|| {
            format!(
                "render scale {s:?}: write auto or a fraction from {} to 1, e.g. 0.5",
                RenderScale::MIN
            )
        })
}

/// `--cloth`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ClothArg {
    /// The GPU on real GPUs, the CPU on software rasterisers.
    Auto,
    /// Always the render device.
    Gpu,
    /// Always the CPU.
    Cpu,
    /// No garments.
    Off,
}

/// `--mode`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ModeArg {
    /// Watch, rate and say what you would buy.
    Audience,
    /// Run the show.
    Organizer,
    /// Preview a design on your own avatar.
    Designer,
}

fn parse_size(s: &str) -> Result<(u32, u32), String> {
    let (w, h) = s
        .split_once('x')
        .ok_or_else(|| format!("size {s:?}: write WIDTHxHEIGHT, e.g. 1280x720"))?;
    let p = |v: &str| {
        v.trim()
            .parse::<u32>()
            .ok()
            .filter(|n| (64..=8192).contains(n))
            .ok_or_else(|| format!("size {s:?}: each side must be 64 to 8192 pixels"))
    };
    Ok((p(w)?, p(h)?))
}

/// Options of `catwalk client`.
#[derive(Debug, Args)]
pub struct ClientArgs {
    /// Audience, organizer or designer.
    #[arg(long, value_enum, default_value_t = ModeArg::Audience)]
    mode: ModeArg,
    /// Show server URL.
    #[arg(long, default_value = "ws://127.0.0.1:9000")]
    server: String,
    /// The show to join (audience and organizer).
    #[arg(long)]
    show: Option<String>,
    /// Your viewer id (default: a fresh one).
    #[arg(long)]
    viewer: Option<String>,
    /// Organizer token (`catwalk token`).
    #[arg(long, env = "CATWALK_ORGANIZER_TOKEN", hide_env_values = true)]
    token: Option<String>,
    /// Production backend URL, for "send the top designs to production".
    #[arg(long, env = "CATWALK_PRODUCTION_URL")]
    production_url: Option<String>,
    /// Production platform token.
    #[arg(long, env = "CATWALK_PRODUCTION_TOKEN", hide_env_values = true)]
    production_token: Option<String>,
    /// Benchmark: this many dressed avatars walking at once, no server needed.
    #[arg(long)]
    bench: Option<usize>,
    /// Designer: your measurements (JSON, cm; see `catwalk avatar --help`).
    #[arg(long, conflicts_with_all = ["front", "side"])]
    measurements: Option<PathBuf>,
    /// Designer: a front photo (with --side and --height).
    #[arg(long, requires_all = ["side", "height"])]
    front: Option<PathBuf>,
    /// Designer: a side photo.
    #[arg(long, requires = "front")]
    side: Option<PathBuf>,
    /// Designer: your height, cm.
    #[arg(long)]
    height: Option<f32>,
    /// Designer: the design to wear (`gen-<seed>-<index>`).
    #[arg(long)]
    garment: Option<String>,
    /// Designer: start in the fit view.
    #[arg(long)]
    fit_view: bool,
    /// Designer: start standing still instead of walking (to check lengths and drape at
    /// rest; W toggles).
    #[arg(long)]
    stand: bool,
    #[command(flatten)]
    window: WindowArgs,
}

fn base_options(window: &WindowArgs) -> ClientOptions {
    ClientOptions {
        headless: window.headless,
        size: window.size,
        exit_after_frames: window.frames,
        screenshot_at: window
            .screenshot
            .clone()
            .map(|p| (window.screenshot_frame, p)),
        screenshot_dir: window.screenshot_dir.clone(),
        cloth: match window.cloth {
            ClothArg::Auto => ClothBackend::Auto,
            ClothArg::Gpu => ClothBackend::Gpu,
            ClothArg::Cpu => ClothBackend::Cpu,
            ClothArg::Off => ClothBackend::Off,
        },
        render_scale: window.render_scale,
        gpu_timings: window.gpu_timings,
        bevy_log: false,
        ..ClientOptions::default()
    }
}

fn run_app(options: ClientOptions) -> anyhow::Result<()> {
    let exit = catwalk_client::build_app(options).run();
    if exit.is_error() {
        anyhow::bail!("the client stopped with an error (see the log above)");
    }
    Ok(())
}

/// Runs `catwalk client`.
pub fn run(args: ClientArgs) -> anyhow::Result<()> {
    let mut options = base_options(&args.window);
    options.production = match (&args.production_url, &args.production_token) {
        (Some(url), Some(token)) => Some(ProductionLink {
            url: url.clone(),
            token: token.clone(),
        }),
        _ => None,
    };
    options.mode = match args.mode {
        ModeArg::Audience => Mode::Audience,
        ModeArg::Organizer => Mode::Organizer,
        ModeArg::Designer => Mode::Designer,
    };
    if let Some(n) = args.bench {
        options.bench_avatars = Some(n.clamp(1, 48));
        options.mode = Mode::Audience;
        return run_app(options);
    }
    if options.mode == Mode::Designer {
        options.designer = DesignerOptions {
            avatar: match (&args.measurements, &args.front, &args.side, args.height) {
                (Some(m), ..) => AvatarSource::Measurements(m.clone()),
                (None, Some(f), Some(s), Some(h)) => AvatarSource::Photos {
                    front: f.clone(),
                    side: s.clone(),
                    height_cm: h,
                },
                _ => AvatarSource::Collection(0),
            },
            garment: args.garment.clone(),
            fit_view: args.fit_view,
            stand: args.stand,
        };
        return run_app(options);
    }
    let show = args
        .show
        .as_deref()
        .context("--show is required to join a show (or use --mode designer or --bench)")?;
    let viewer = args.viewer.clone().unwrap_or_else(|| {
        format!(
            "viewer-{}",
            catwalk_loadgen::viewer::local_micros() % 1_000_000_000
        )
    });
    options.net = Some(NetConfig {
        url: args.server.clone(),
        show: ShowId::parse(show).context("--show")?,
        viewer: ViewerId::parse(viewer).context("--viewer")?,
        role: if options.mode == Mode::Organizer {
            Role::Organizer
        } else {
            Role::Audience
        },
        token: args.token.clone(),
    });
    run_app(options)
}

/// The window of `catwalk show`: the organizer's view of the demo show, or an audience
/// member's.
pub fn run_window(window: &WindowArgs, joined: &Joined, audience: bool) -> anyhow::Result<()> {
    let mut options = base_options(window);
    options.mode = if audience {
        Mode::Audience
    } else {
        Mode::Organizer
    };
    options.net = Some(NetConfig {
        url: joined.url.clone(),
        show: joined.show.clone(),
        viewer: ViewerId::parse(if audience {
            "audience-window"
        } else {
            "organizer-window"
        })?,
        role: if audience {
            Role::Audience
        } else {
            Role::Organizer
        },
        token: (!audience).then(|| joined.token.clone()),
    });
    options.production = joined
        .production
        .as_ref()
        .map(|(url, token)| ProductionLink {
            url: url.clone(),
            token: token.clone(),
        });
    run_app(options)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn render_scale_takes_auto_or_a_fraction_in_range() {
        assert_eq!(parse_render_scale("auto"), Ok(RenderScale::Auto));
        assert_eq!(parse_render_scale("0.5"), Ok(RenderScale::Fixed(0.5)));
        assert_eq!(parse_render_scale("1"), Ok(RenderScale::Fixed(1.0)));
        for bad in ["0.1", "2", "half", ""] {
            let e = parse_render_scale(bad).expect_err(bad);
            assert!(e.contains("auto or a fraction"), "{bad}: {e}");
        }
    }

    #[test]
    fn sizes_need_two_sides_in_range() {
        assert_eq!(parse_size("1280x720"), Ok((1280, 720)));
        assert!(
            parse_size("1280")
                .expect_err("one side")
                .contains("WIDTHxHEIGHT")
        );
        assert!(
            parse_size("10x720")
                .expect_err("too small")
                .contains("64 to 8192")
        );
    }
}
