//! The audience HUD: the show and connection state, the look on the runway (designer,
//! garment, fabric, price), a 1–5 star rating and purchase intent with size and quantity,
//! the live aggregates (histogram, mean, intents by size) and the presence count.
//!
//! Buttons or keys: 1–5 rate, S next size, +/- quantity, B "I'd buy it", R drops the
//! connection (the client reconnects and resumes), C and F1–F4 cameras, P screenshot.
//! What the HUD says is computed by plain functions ([`status_line`], [`look_card`],
//! [`aggregate_lines`]) so it can be tested without a window.

use bevy::prelude::*;
use catwalk_loadgen::viewer::local_micros;
use catwalk_protocol::{
    ClientMessage, IdempotencyKey, LookAggregate, LookId, Quantity, ShowStatus, SizeLabel, Stars,
};

use crate::collection::LookAsset;
use crate::net::{ConnState, NetCommand};
use crate::net_plugin::{Link, ShowClock};
use crate::rehearsal::Rehearsal;
use crate::runway::LookCache;
use crate::show_state::ShowState;

/// The viewer's choices in the HUD.
#[derive(Debug, Clone, Resource)]
pub struct Choices {
    /// Size for the next intent.
    pub size: SizeLabel,
    /// Units for the next intent.
    pub quantity: u32,
    /// Stars last given per look.
    pub rated: std::collections::BTreeMap<LookId, u8>,
    writes: u64,
    session: u64,
}

impl Default for Choices {
    fn default() -> Self {
        Choices {
            size: SizeLabel::M,
            quantity: 1,
            rated: Default::default(),
            writes: 0,
            session: local_micros(),
        }
    }
}

impl Choices {
    /// A fresh idempotency key for this viewer.
    pub fn next_key(&mut self) -> IdempotencyKey {
        self.writes += 1;
        IdempotencyKey::parse(format!("hud-{}-{}", self.session, self.writes))
            .unwrap_or_else(|_| unreachable!("digits and dashes make a valid key"))
    }
}

/// A HUD action, from a button or a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Component)]
pub enum HudAction {
    /// Rate the look on the runway.
    Rate(u8),
    /// Choose the next size.
    NextSize,
    /// One more unit.
    More,
    /// One fewer.
    Fewer,
    /// State purchase intent.
    Buy,
    /// Drop the connection (it reconnects and resumes).
    Drop,
}

/// Which text a node shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Component)]
pub enum HudText {
    /// Show, phase, connection, presence.
    Status,
    /// The look card.
    Look,
    /// Aggregates.
    Aggregates,
    /// The intent row's size and quantity.
    Intent,
    /// Keys help.
    Help,
}

/// A histogram bar for `stars`.
#[derive(Debug, Clone, Copy, Component)]
pub struct Bar(pub u8);

/// The HUD.
pub struct HudPlugin;

impl Plugin for HudPlugin {
    fn build(&self, app: &mut App) {
        app.init_resource::<Choices>()
            .add_systems(Startup, build_hud)
            .add_systems(
                Update,
                (keys_to_actions, buttons_to_actions, refresh).chain(),
            );
    }
}

/// The status line: show title, phase, look number, connection, presence.
pub fn status_line(state: &ShowState, now: u64, synced: bool) -> String {
    let phase = match &state.status {
        None if !state.clocks.is_empty() => "on stage".to_string(),
        None => "joining".to_string(),
        Some(ShowStatus::Scheduled { start_at }) => {
            let s = (start_at.micros() as i64 - now as i64).max(0) / 1_000_000;
            format!("starts in {s} s")
        }
        Some(ShowStatus::Live { .. }) => "LIVE".into(),
        Some(ShowStatus::Paused { .. }) => "PAUSED".into(),
        Some(ShowStatus::Ended { .. }) => "ended".into(),
    };
    let look = match state.look_at(now) {
        Some(i) => format!("  look {}/{}", i + 1, state.lineup.len()),
        None => String::new(),
    };
    let conn = match &state.connection {
        ConnState::Connecting => "connecting...".to_string(),
        ConnState::Connected if synced => "connected".into(),
        ConnState::Connected => "connected, syncing clock".into(),
        ConnState::Reconnecting { attempt, .. } => format!("reconnecting (try {attempt})"),
        ConnState::Failed(why) => format!("disconnected: {why}"),
    };
    format!(
        "{}  |  {phase}{look}  |  {} watching  |  {conn}",
        if state.title.is_empty() {
            "Catwalk"
        } else {
            &state.title
        },
        state.presence
    )
}

/// What is being got ready backstage, if anything: the look whose model and garment are
/// being prepared ahead of its turn (see [`crate::rehearsal`]).
pub fn backstage(state: &ShowState, rehearsal: &Rehearsal) -> Option<String> {
    let running = rehearsal.running()?;
    let index = state.lineup.iter().position(|l| l.garment == running)?;
    Some(format!("dressing look {}", index + 1))
}

/// The look card for the look on the runway.
pub fn look_card(state: &ShowState, asset: Option<&LookAsset>, now: u64) -> String {
    let Some(i) = state.look_at(now) else {
        return if matches!(state.status, Some(ShowStatus::Ended { .. })) {
            "The show has ended. Thank you for watching!".into()
        } else {
            "Waiting for the first look...".into()
        };
    };
    let Some(spec) = state.lineup.get(i) else {
        return String::new();
    };
    let mut card = format!("{}\nby {}", spec.title, spec.designer);
    if let Some(a) = asset {
        card.push_str(&format!(
            "\n{} | {} | {}\nworn by {} | KRW {}",
            kind_name(a),
            a.design.fabric.label(),
            a.design.colour.name(),
            a.model,
            thousands(a.price_krw)
        ));
    }
    card
}

fn kind_name(a: &LookAsset) -> &'static str {
    a.design.kind.name()
}

/// 128000 → "128,000".
pub fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Aggregate lines: mean and count, then units wanted and, three sizes to a line (so the
/// panel never breaks a size from its count), the units by size.
pub fn aggregate_lines(agg: Option<&LookAggregate>, your_stars: Option<u8>) -> String {
    let Some(a) = agg else {
        return "No ratings yet".into();
    };
    let mut s = format!("{:.2} stars from {} ratings", a.mean, a.ratings);
    if let Some(y) = your_stars {
        s.push_str(&format!(" (you: {y})"));
    }
    s.push_str(&format!("\n{} units wanted", a.units()));
    let sizes: Vec<String> = a
        .intents
        .iter()
        .map(|(size, n)| format!("{size} {n}"))
        .collect();
    for row in sizes.chunks(3) {
        s.push('\n');
        s.push_str(&row.join(" | "));
    }
    s
}

/// The message for a HUD write on the look on the runway.
pub fn write_for(action: HudAction, look: &LookId, choices: &mut Choices) -> Option<ClientMessage> {
    match action {
        HudAction::Rate(stars) => Some(ClientMessage::Rate {
            key: choices.next_key(),
            look: look.clone(),
            stars: Stars::new(i64::from(stars)).ok()?,
        }),
        HudAction::Buy => Some(ClientMessage::Intent {
            key: choices.next_key(),
            look: look.clone(),
            size: choices.size,
            quantity: Quantity::new(i64::from(choices.quantity)).ok()?,
        }),
        _ => None,
    }
}

/// Applies an action: writes go to the server, choices change locally.
pub fn act(action: HudAction, state: &ShowState, now: u64, choices: &mut Choices, link: &Link) {
    match action {
        HudAction::NextSize => {
            let all = SizeLabel::ALL;
            let i = all.iter().position(|s| *s == choices.size).unwrap_or(0);
            choices.size = all[(i + 1) % all.len()];
        }
        HudAction::More => choices.quantity = (choices.quantity + 1).min(20),
        HudAction::Fewer => choices.quantity = choices.quantity.saturating_sub(1).max(1),
        HudAction::Drop => {
            link.send(NetCommand::DropConnection);
        }
        HudAction::Rate(_) | HudAction::Buy => {
            let Some(look) = state
                .look_at(now)
                .and_then(|i| state.lineup.get(i))
                .map(|l| l.look.clone())
            else {
                return;
            };
            if let HudAction::Rate(s) = action {
                choices.rated.insert(look.clone(), s);
            }
            if let Some(msg) = write_for(action, &look, choices) {
                link.send(NetCommand::Write(msg));
            }
        }
    }
}

fn panel(commands: &mut Commands, node: Node) -> Entity {
    commands
        .spawn((node, BackgroundColor(Color::srgba(0.02, 0.02, 0.05, 0.72))))
        .id()
}

fn text(commands: &mut Commands, parent: Entity, kind: HudText, size: f32) {
    commands.spawn((
        Text::new(""),
        TextFont {
            font_size: FontSize::Px(size),
            ..default()
        },
        TextColor(Color::srgb(0.95, 0.95, 0.95)),
        kind,
        ChildOf(parent),
    ));
}

fn button(commands: &mut Commands, parent: Entity, label: &str, action: HudAction) {
    let b = commands
        .spawn((
            Button,
            action,
            Node {
                padding: UiRect::axes(Val::Px(10.0), Val::Px(6.0)),
                margin: UiRect::all(Val::Px(3.0)),
                ..default()
            },
            BackgroundColor(Color::srgb(0.25, 0.22, 0.32)),
            ChildOf(parent),
        ))
        .id();
    commands.spawn((
        Text::new(label),
        TextFont {
            font_size: FontSize::Px(16.0),
            ..default()
        },
        ChildOf(b),
    ));
}

/// A HUD root node.
#[derive(Component)]
pub struct HudRoot;

fn build_hud(mut commands: Commands) {
    let top = panel(
        &mut commands,
        Node {
            position_type: PositionType::Absolute,
            top: Val::Px(8.0),
            left: Val::Px(8.0),
            padding: UiRect::all(Val::Px(8.0)),
            ..default()
        },
    );
    commands.entity(top).insert(HudRoot);
    text(&mut commands, top, HudText::Status, 18.0);

    let card = panel(
        &mut commands,
        Node {
            position_type: PositionType::Absolute,
            bottom: Val::Px(8.0),
            left: Val::Px(8.0),
            padding: UiRect::all(Val::Px(10.0)),
            flex_direction: FlexDirection::Column,
            max_width: Val::Px(560.0),
            ..default()
        },
    );
    commands.entity(card).insert(HudRoot);
    text(&mut commands, card, HudText::Look, 18.0);
    let rate_row = commands.spawn((Node::default(), ChildOf(card))).id();
    for s in 1..=5u8 {
        button(
            &mut commands,
            rate_row,
            &format!("{s}*"),
            HudAction::Rate(s),
        );
    }
    let buy_row = commands
        .spawn((
            Node {
                align_items: AlignItems::Center,
                ..default()
            },
            ChildOf(card),
        ))
        .id();
    text(&mut commands, buy_row, HudText::Intent, 16.0);
    button(&mut commands, buy_row, "size", HudAction::NextSize);
    button(&mut commands, buy_row, "-", HudAction::Fewer);
    button(&mut commands, buy_row, "+", HudAction::More);
    button(&mut commands, buy_row, "I'd buy it", HudAction::Buy);
    text(&mut commands, card, HudText::Help, 12.0);

    let stats = panel(
        &mut commands,
        Node {
            position_type: PositionType::Absolute,
            bottom: Val::Px(8.0),
            right: Val::Px(8.0),
            width: Val::Px(300.0),
            padding: UiRect::all(Val::Px(10.0)),
            flex_direction: FlexDirection::Column,
            ..default()
        },
    );
    commands.entity(stats).insert(HudRoot);
    for stars in (1..=5u8).rev() {
        let row = commands
            .spawn((
                Node {
                    align_items: AlignItems::Center,
                    height: Val::Px(18.0),
                    ..default()
                },
                ChildOf(stats),
            ))
            .id();
        commands.spawn((
            Text::new(format!("{stars}* ")),
            TextFont {
                font_size: FontSize::Px(14.0),
                ..default()
            },
            ChildOf(row),
        ));
        commands.spawn((
            Bar(stars),
            Node {
                width: Val::Px(0.0),
                height: Val::Px(12.0),
                ..default()
            },
            BackgroundColor(Color::srgb(0.95, 0.75, 0.25)),
            ChildOf(row),
        ));
    }
    text(&mut commands, stats, HudText::Aggregates, 15.0);
}

fn keys_to_actions(
    keys: Option<Res<ButtonInput<KeyCode>>>,
    state: Res<ShowState>,
    clock: Res<ShowClock>,
    mut choices: ResMut<Choices>,
    link: Res<Link>,
) {
    let Some(keys) = keys else { return };
    let map = [
        (KeyCode::Digit1, HudAction::Rate(1)),
        (KeyCode::Digit2, HudAction::Rate(2)),
        (KeyCode::Digit3, HudAction::Rate(3)),
        (KeyCode::Digit4, HudAction::Rate(4)),
        (KeyCode::Digit5, HudAction::Rate(5)),
        (KeyCode::KeyS, HudAction::NextSize),
        (KeyCode::Equal, HudAction::More),
        (KeyCode::Minus, HudAction::Fewer),
        (KeyCode::KeyB, HudAction::Buy),
        (KeyCode::KeyR, HudAction::Drop),
    ];
    for (key, action) in map {
        if keys.just_pressed(key) {
            act(action, &state, clock.now_us, &mut choices, &link);
        }
    }
}

fn buttons_to_actions(
    buttons: Query<(&Interaction, &HudAction), Changed<Interaction>>,
    state: Res<ShowState>,
    clock: Res<ShowClock>,
    mut choices: ResMut<Choices>,
    link: Res<Link>,
) {
    for (interaction, action) in &buttons {
        if *interaction == Interaction::Pressed {
            act(*action, &state, clock.now_us, &mut choices, &link);
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn refresh(
    state: Res<ShowState>,
    clock: Res<ShowClock>,
    choices: Res<Choices>,
    cache: Res<LookCache>,
    rehearsal: Option<Res<Rehearsal>>,
    mut texts: Query<(&HudText, &mut Text)>,
    mut bars: Query<(&Bar, &mut Node)>,
) {
    let now = clock.now_us;
    let look = state.look_at(now).and_then(|i| state.lineup.get(i));
    let asset = look
        .and_then(|l| cache.0.get(&l.garment))
        .and_then(|r| r.as_ref().ok())
        .map(|a| a.as_ref());
    let agg = look.and_then(|l| state.aggregate(&l.look));
    let yours = look.and_then(|l| choices.rated.get(&l.look).copied());
    for (kind, mut text) in &mut texts {
        let value = match kind {
            HudText::Status => {
                let line = status_line(&state, now, clock.synced);
                match rehearsal.as_deref().and_then(|r| backstage(&state, r)) {
                    Some(note) => format!("{line}  |  {note}"),
                    None => line,
                }
            }
            HudText::Look => look_card(&state, asset, now),
            HudText::Aggregates => aggregate_lines(agg, yours),
            HudText::Intent => format!("{} x {}  ", choices.size, choices.quantity),
            // The organizer's own keys are on the organizer's panel.
            HudText::Help => {
                "keys: 1-5 rate | S size | +/- qty | B buy | C camera | P screenshot | R reconnect"
                    .to_string()
            }
        };
        if text.0 != value {
            text.0 = value;
        }
    }
    let max = agg.map_or(0, |a| a.histogram.iter().copied().max().unwrap_or(0));
    for (bar, mut node) in &mut bars {
        let n = agg.map_or(0, |a| a.histogram[usize::from(bar.0 - 1)]);
        node.width = Val::Px(if max == 0 {
            0.0
        } else {
            220.0 * n as f32 / max as f32
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_lines_read_well() {
        assert_eq!(thousands(128_000), "128,000");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000_000), "1,000,000");
        let look = LookId::parse("look-000").expect("id");
        let mut a = LookAggregate::empty(look);
        a.ratings = 3;
        a.mean = 4.333;
        a.intents.insert(SizeLabel::M, 2);
        a.intents.insert(SizeLabel::L, 1);
        let s = aggregate_lines(Some(&a), Some(5));
        assert!(s.contains("4.33 stars from 3 ratings (you: 5)"), "{s}");
        assert!(s.contains("3 units wanted\nM 2 | L 1"), "{s}");
        for size in [SizeLabel::XS, SizeLabel::S, SizeLabel::XL, SizeLabel::XXL] {
            a.intents.insert(size, 1);
        }
        let s = aggregate_lines(Some(&a), None);
        let rows: Vec<&str> = s.lines().skip(2).collect();
        assert_eq!(rows.len(), 2, "{s}");
        assert!(rows.iter().all(|r| r.matches(" | ").count() == 2), "{s}");
    }

    #[test]
    fn writes_carry_fresh_keys_and_valid_values() {
        let mut c = Choices::default();
        let look = LookId::parse("look-001").expect("id");
        let a = write_for(HudAction::Rate(4), &look, &mut c);
        let b = write_for(HudAction::Buy, &look, &mut c);
        match (a, b) {
            (
                Some(ClientMessage::Rate { key: k1, stars, .. }),
                Some(ClientMessage::Intent {
                    key: k2,
                    size,
                    quantity,
                    ..
                }),
            ) => {
                assert_ne!(k1, k2);
                assert_eq!(stars.get(), 4);
                assert_eq!((size, quantity.get()), (SizeLabel::M, 1));
            }
            other => panic!("unexpected {other:?}"),
        }
        assert!(write_for(HudAction::Rate(9), &look, &mut c).is_none());
    }
}
