//! The organizer's side: create a show, start it, advance it, end it.

use std::time::Duration;

use anyhow::bail;
use catwalk_protocol::{
    ClientMessage, ErrorCode, LookSpec, Role, ServerMessage, ShowAction, ShowId, ShowStatus,
    ShowTime, ViewerId,
};

use crate::client::ShowClient;

const REPLY: Duration = Duration::from_secs(30);

/// An organizer connection.
pub struct Organizer {
    client: ShowClient,
}

impl Organizer {
    /// Connects and authenticates with `token`.
    pub async fn connect(url: &str, token: Option<String>) -> anyhow::Result<Self> {
        let mut client = ShowClient::connect(url, None).await?;
        let me = ViewerId::parse("organizer")?;
        client.hello(&me, Role::Organizer, token).await?;
        Ok(Self { client })
    }

    /// Creates a show; returns its epoch. A server that cannot create shows (a baseline
    /// that makes them on first join) answers `unknown_type`, which is accepted.
    pub async fn create(
        &mut self,
        show: &ShowId,
        title: &str,
        lineup: Vec<LookSpec>,
        scheduled_start: ShowTime,
    ) -> anyhow::Result<Option<String>> {
        self.client
            .send(&ClientMessage::CreateShow {
                show: show.clone(),
                title: title.into(),
                lineup,
                scheduled_start,
            })
            .await?;
        self.client
            .recv_until(REPLY, |m| match m {
                ServerMessage::ShowCreated { epoch, .. } => Some(Ok(Some(epoch.clone()))),
                ServerMessage::Error {
                    code: ErrorCode::UnknownType,
                    ..
                } => Some(Ok(None)),
                ServerMessage::Error { code, message, .. } => Some(Err(anyhow::anyhow!(
                    "create_show refused: {code:?}: {message}"
                ))),
                _ => None,
            })
            .await?
    }

    /// Applies an action; returns the show's new status.
    pub async fn control(
        &mut self,
        show: &ShowId,
        action: ShowAction,
    ) -> anyhow::Result<ShowStatus> {
        self.client
            .send(&ClientMessage::Control {
                show: show.clone(),
                action,
            })
            .await?;
        let reply = self
            .client
            .recv_until(REPLY, |m| match m {
                ServerMessage::Controlled { status, .. } => Some(Ok(status.clone())),
                ServerMessage::Error { code, message, .. } => {
                    Some(Err(format!("{code:?}: {message}")))
                }
                _ => None,
            })
            .await?;
        match reply {
            Ok(status) => Ok(status),
            Err(e) => bail!("{action:?} refused: {e}"),
        }
    }

    /// The underlying client (to read the timeline).
    pub fn client(&mut self) -> &mut ShowClient {
        &mut self.client
    }
}
