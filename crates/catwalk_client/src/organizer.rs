//! The organizer's desk: build and schedule a new show from generated designs (N: six
//! looks, 20 s each, starting in 30 s; the desk joins it), run the show (Space starts a
//! scheduled show or advances to the next look, H holds and resumes, E ends it), watch the
//! live ranking of every look, and send the top three designs to production (T): each is
//! shortlisted on the production backend with its rank and the show's numbers, where
//! production companies pick it up.

use std::sync::{Arc, Mutex};

use bevy::prelude::*;
use catwalk_protocol::{ClientMessage, LookAggregate, ShowAction, ShowId, ShowStatus, ShowTime};
use serde_json::json;

use crate::app::Options;
use crate::net::NetCommand;
use crate::net_plugin::Link;
use crate::show_state::ShowState;

/// The production backend the organizer sends designs to.
#[derive(Debug, Clone)]
pub struct ProductionLink {
    /// Base URL, e.g. `http://127.0.0.1:9100`.
    pub url: String,
    /// A platform token.
    pub token: String,
}

/// One row of the live ranking.
#[derive(Debug, Clone, PartialEq)]
pub struct Ranked {
    /// Line-up index.
    pub index: usize,
    /// Garment reference.
    pub garment: String,
    /// Title.
    pub title: String,
    /// Designer.
    pub designer: String,
    /// Bayesian mean stars (prior: 5 votes at 3.0).
    pub score: f64,
    /// Ratings.
    pub ratings: u64,
    /// Units wanted.
    pub units: u64,
}

/// Prior votes of the Bayesian mean.
pub const PRIOR_VOTES: f64 = 5.0;
/// Prior mean.
pub const PRIOR_MEAN: f64 = 3.0;

/// Every look ranked: rated looks first, by Bayesian mean stars, then units wanted; looks
/// without ratings (not shown yet) after them in running order.
pub fn ranking(state: &ShowState) -> Vec<Ranked> {
    let mut rows: Vec<Ranked> = state
        .lineup
        .iter()
        .enumerate()
        .map(|(index, l)| {
            let empty = LookAggregate::empty(l.look.clone());
            let a = state.aggregate(&l.look).unwrap_or(&empty);
            let sum = a.mean * a.ratings as f64;
            Ranked {
                index,
                garment: l.garment.clone(),
                title: l.title.clone(),
                designer: l.designer.clone(),
                score: (sum + PRIOR_VOTES * PRIOR_MEAN) / (a.ratings as f64 + PRIOR_VOTES),
                ratings: a.ratings,
                units: a.units(),
            }
        })
        .collect();
    rows.sort_by(|a, b| {
        (b.ratings > 0)
            .cmp(&(a.ratings > 0))
            .then(b.score.total_cmp(&a.score))
            .then(b.units.cmp(&a.units))
            .then(a.index.cmp(&b.index))
    });
    rows
}

/// One line of the organizer's ranking; a look without ratings shows no score.
pub fn ranking_line(place: usize, r: &Ranked) -> String {
    let score = if r.ratings == 0 {
        "  - ".to_string()
    } else {
        format!("{:.2}", r.score)
    };
    format!(
        "{place:>2}. {score}  {:>3} ratings {:>3} units  {}",
        r.ratings, r.units, r.garment
    )
}

/// What the last "send to production" did, for the panel.
#[derive(Resource, Default, Clone)]
pub struct SendReport(pub Arc<Mutex<String>>);

/// Marks the organizer's text.
#[derive(Component)]
pub struct OrganizerText;

/// The organizer's desk.
pub struct OrganizerPlugin;

impl Plugin for OrganizerPlugin {
    fn build(&self, app: &mut App) {
        app.init_resource::<SendReport>()
            .add_systems(Startup, build_panel)
            .add_systems(Update, (controls, refresh_panel));
    }
}

fn build_panel(mut commands: Commands) {
    let panel = commands
        .spawn((
            Node {
                position_type: PositionType::Absolute,
                top: Val::Px(56.0),
                right: Val::Px(8.0),
                width: Val::Px(420.0),
                padding: UiRect::all(Val::Px(10.0)),
                ..default()
            },
            BackgroundColor(Color::srgba(0.05, 0.02, 0.02, 0.78)),
            crate::hud::HudRoot,
        ))
        .id();
    commands.spawn((
        Text::new(""),
        TextFont {
            font_size: FontSize::Px(14.0),
            ..default()
        },
        OrganizerText,
        ChildOf(panel),
    ));
}

/// The control a key means in the current phase.
pub fn control_for(key: KeyCode, status: Option<&ShowStatus>) -> Option<ShowAction> {
    match (key, status) {
        (KeyCode::Space, Some(ShowStatus::Scheduled { .. })) => Some(ShowAction::Start),
        (KeyCode::Space, Some(ShowStatus::Live { .. })) => Some(ShowAction::Advance),
        (KeyCode::KeyH, Some(ShowStatus::Live { .. })) => Some(ShowAction::Pause),
        (KeyCode::KeyH, Some(ShowStatus::Paused { .. })) => Some(ShowAction::Resume),
        (
            KeyCode::KeyE,
            Some(
                ShowStatus::Live { .. } | ShowStatus::Paused { .. } | ShowStatus::Scheduled { .. },
            ),
        ) => Some(ShowAction::End),
        _ => None,
    }
}

fn controls(
    keys: Option<Res<ButtonInput<KeyCode>>>,
    state: Res<ShowState>,
    link: Res<Link>,
    options: Res<Options>,
    report: Res<SendReport>,
) {
    let Some(keys) = keys else { return };
    for key in [KeyCode::Space, KeyCode::KeyH, KeyCode::KeyE] {
        if keys.just_pressed(key)
            && let Some(action) = control_for(key, state.status.as_ref())
        {
            info!(?action, "organizer");
            link.send(NetCommand::Control(action));
        }
    }
    if keys.just_pressed(KeyCode::KeyT) {
        send_top(&state, options.0.production.clone(), report.0.clone(), 3);
    }
    if keys.just_pressed(KeyCode::KeyN) {
        let now = catwalk_loadgen::viewer::local_micros();
        match new_show(now) {
            Ok((show, msg)) => {
                info!(%show, "scheduling a new show");
                link.send(NetCommand::Send(msg));
                link.send(NetCommand::Join(show.clone()));
                if let Ok(mut r) = report.0.lock() {
                    *r = format!("scheduled {show}: starts in 30 s (Space starts it now)");
                }
            }
            Err(e) => warn!("could not build a show: {e}"),
        }
    }
}

/// A new show of six generated looks, 20 s each, starting 30 s after `now_us`: its id and
/// the `create_show` message.
pub fn new_show(now_us: u64) -> anyhow::Result<(ShowId, ClientMessage)> {
    let seed = now_us / 1_000_000;
    let show = ShowId::parse(format!("show-{seed}"))?;
    let lineup = crate::collection::lineup(seed, 6, 20_000)?;
    Ok((
        show.clone(),
        ClientMessage::CreateShow {
            show,
            title: format!("Catwalk collection {seed}"),
            lineup,
            scheduled_start: ShowTime(now_us).plus_millis(30_000),
        },
    ))
}

/// Shortlists the top `n` designs on the production backend (in the background).
pub fn send_top(
    state: &ShowState,
    link: Option<ProductionLink>,
    report: Arc<Mutex<String>>,
    n: usize,
) {
    let Some(link) = link else {
        if let Ok(mut r) = report.lock() {
            *r = "no production backend configured (--production-url)".into();
        }
        return;
    };
    let show = state
        .show
        .as_ref()
        .map(|s| s.to_string())
        .unwrap_or_default();
    let top: Vec<Ranked> = ranking(state)
        .into_iter()
        .filter(|r| r.ratings > 0)
        .take(n)
        .collect();
    if top.is_empty() {
        if let Ok(mut r) = report.lock() {
            *r = "no look has ratings yet: nothing to send to production".into();
        }
        return;
    }
    std::thread::spawn(move || {
        let text = match shortlist(&link, &show, &top) {
            Ok(()) => format!(
                "sent to production: {}",
                top.iter()
                    .map(|r| r.garment.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Err(e) => format!("could not send to production: {e:#}"),
        };
        info!("{text}");
        if let Ok(mut r) = report.lock() {
            *r = text;
        }
    });
}

/// `POST /designs/{garment}/shortlist` for each design, rank 1 first.
pub fn shortlist(link: &ProductionLink, show: &str, top: &[Ranked]) -> anyhow::Result<()> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    rt.block_on(async {
        let client = reqwest::Client::new();
        for (rank, r) in top.iter().enumerate() {
            let url = format!(
                "{}/designs/{}/shortlist",
                link.url.trim_end_matches('/'),
                r.garment
            );
            let resp = client
                .post(&url)
                .bearer_auth(&link.token)
                .header("Idempotency-Key", format!("shortlist-{show}-{}", r.garment))
                .json(&json!({
                    "show": show,
                    "rank": rank + 1,
                    "mean_stars": r.score,
                    "ratings": r.ratings,
                    "units": r.units,
                }))
                .send()
                .await?;
            if !resp.status().is_success() {
                let status = resp.status();
                let body = resp.text().await.unwrap_or_default();
                anyhow::bail!("{url}: {status} {body}");
            }
        }
        Ok(())
    })
}

fn refresh_panel(
    state: Res<ShowState>,
    report: Res<SendReport>,
    mut texts: Query<&mut Text, With<OrganizerText>>,
) {
    let mut s = String::from(
        "ORGANIZER   N new show | Space start/next\nH hold/resume | E end | T send top 3\n",
    );
    for (i, r) in ranking(&state).iter().enumerate().take(10) {
        s.push_str(&ranking_line(i + 1, r));
        s.push('\n');
    }
    if let Ok(r) = report.0.lock()
        && !r.is_empty()
    {
        s.push_str(&r);
    }
    for mut t in &mut texts {
        if t.0 != s {
            t.0 = s.clone();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use catwalk_protocol::{LookSpec, ServerMessage, ShowSnapshot, SizeLabel};

    /// A scheduled show of `n` generated looks, and its line-up.
    fn scheduled_show(n: usize) -> (ShowState, Vec<LookSpec>) {
        let mut s = ShowState::default();
        let lineup = crate::collection::lineup(3, n, 10_000).expect("lineup");
        s.apply(&ServerMessage::Snapshot {
            snapshot: ShowSnapshot {
                show: ShowId::parse("s").expect("id"),
                title: "t".into(),
                epoch: "e".into(),
                offset: 0,
                lineup: lineup.clone(),
                scheduled_start: ShowTime(0),
                status: ShowStatus::Scheduled {
                    start_at: ShowTime(0),
                },
            },
            resume_failed: false,
        });
        (s, lineup)
    }

    /// The server's aggregates for `looks`.
    fn rate(s: &mut ShowState, looks: Vec<LookAggregate>) {
        s.apply(&ServerMessage::Aggregates {
            show: ShowId::parse("s").expect("id"),
            version: 1,
            looks,
        });
    }

    #[test]
    fn ranking_prefers_many_good_ratings_over_one_perfect() {
        let (mut s, lineup) = scheduled_show(3);
        let mut one_perfect = LookAggregate::empty(lineup[0].look.clone());
        one_perfect.ratings = 1;
        one_perfect.mean = 5.0;
        let mut many_good = LookAggregate::empty(lineup[1].look.clone());
        many_good.ratings = 40;
        many_good.mean = 4.4;
        many_good.intents.insert(SizeLabel::M, 3);
        rate(&mut s, vec![one_perfect, many_good]);
        let r = ranking(&s);
        assert_eq!(r[0].index, 1);
        assert_eq!(r[0].units, 3);
        assert_eq!(r[2].index, 2, "an unrated look ranks last");
        assert!(ranking_line(3, &r[2]).starts_with(" 3.   -     0 ratings"));
        assert!(ranking_line(1, &r[0]).starts_with(" 1. 4.24   40 ratings"));
    }

    #[test]
    fn an_unrated_look_ranks_below_a_poorly_rated_one() {
        let (mut s, lineup) = scheduled_show(3);
        let mut poor = LookAggregate::empty(lineup[2].look.clone());
        poor.ratings = 50;
        poor.mean = 1.5;
        rate(&mut s, vec![poor]);
        let order: Vec<usize> = ranking(&s).iter().map(|r| r.index).collect();
        assert_eq!(order, vec![2, 0, 1], "rated first, then running order");
    }

    #[test]
    fn a_new_show_is_a_valid_schedule_of_generated_looks() {
        let (show, msg) = new_show(1_800_000_000_000_000).expect("show");
        assert_eq!(show.as_str(), "show-1800000000");
        match msg {
            ClientMessage::CreateShow {
                lineup,
                scheduled_start,
                ..
            } => {
                assert_eq!(lineup.len(), 6);
                assert!(lineup.iter().all(|l| l.validate().is_ok()));
                assert!(
                    lineup
                        .iter()
                        .all(|l| crate::collection::resolve(&l.garment).is_ok())
                );
                assert_eq!(scheduled_start, ShowTime(1_800_000_030_000_000));
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn keys_mean_what_the_phase_allows() {
        let live = ShowStatus::Live {
            index: 0,
            started_at: ShowTime(0),
            ends_at: ShowTime(1),
        };
        assert_eq!(
            control_for(KeyCode::Space, Some(&live)),
            Some(ShowAction::Advance)
        );
        assert_eq!(
            control_for(KeyCode::KeyH, Some(&live)),
            Some(ShowAction::Pause)
        );
        let ended = ShowStatus::Ended { at: ShowTime(2) };
        assert_eq!(control_for(KeyCode::Space, Some(&ended)), None);
        assert_eq!(control_for(KeyCode::KeyE, Some(&ended)), None);
    }
}
