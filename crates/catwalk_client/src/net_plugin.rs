//! The network plugin: starts the [`NetLink`](crate::net::NetLink) for the configured show,
//! folds what arrives into [`ShowState`] every frame, and keeps [`ShowClock`] on the
//! server's show time. Systems send writes and organizer actions with [`Link::send`].

use bevy::prelude::*;
use catwalk_loadgen::viewer::local_micros;

use crate::app::Options;
use crate::net::{NetCommand, NetEvent, NetLink};
use crate::show_state::ShowState;

/// The show clock as this frame sees it.
#[derive(Debug, Clone, Copy, Resource)]
pub struct ShowClock {
    /// Show time now, µs.
    pub now_us: u64,
    /// Whether it follows the server (false: the local clock, before the first pong or
    /// without a server).
    pub synced: bool,
}

impl Default for ShowClock {
    fn default() -> Self {
        ShowClock {
            now_us: local_micros(),
            synced: false,
        }
    }
}

/// The link to the show server, when there is one.
#[derive(Resource, Default)]
pub struct Link(pub Option<NetLink>);

impl Link {
    /// Sends a command; false without a link.
    pub fn send(&self, cmd: NetCommand) -> bool {
        self.0.as_ref().is_some_and(|l| l.send(cmd))
    }
}

/// Connects and pumps the link.
pub struct NetPlugin;

impl Plugin for NetPlugin {
    fn build(&self, app: &mut App) {
        app.init_resource::<ShowState>()
            .init_resource::<ShowClock>()
            .init_resource::<Link>()
            .add_systems(Startup, connect)
            .add_systems(First, (pump, tick_clock).chain());
    }
}

fn connect(options: Res<Options>, mut link: ResMut<Link>, mut state: ResMut<ShowState>) {
    let Some(config) = options.0.net.clone() else {
        return;
    };
    info!(url = %config.url, show = %config.show, role = ?config.role, "joining the show");
    match NetLink::start(config) {
        Ok(l) => link.0 = Some(l),
        Err(e) => {
            state.connection =
                crate::net::ConnState::Failed(format!("could not start the network thread: {e}"));
        }
    }
}

/// Folds every message that arrived into the show state.
pub fn pump(link: Res<Link>, mut state: ResMut<ShowState>) {
    let Some(l) = &link.0 else { return };
    for event in l.drain() {
        match event {
            NetEvent::State(s) => {
                info!(state = ?s, "connection");
                state.connection = s;
            }
            NetEvent::Message(m) => state.apply(&m),
        }
    }
}

/// Moves the show clock to now.
pub fn tick_clock(link: Res<Link>, mut clock: ResMut<ShowClock>) {
    match link.0.as_ref().and_then(NetLink::show_time) {
        Some(t) => {
            clock.now_us = t.max(clock.now_us);
            clock.synced = true;
        }
        None if !clock.synced => clock.now_us = local_micros(),
        None => {}
    }
}
