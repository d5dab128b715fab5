//! Start-up and serving: open the database (running migrations), make sure the platform
//! admin token works, and serve the router until the shutdown future resolves.

use std::future::Future;
use std::sync::Arc;

use tokio::net::TcpListener;

use crate::api::idempotency::prune;
use crate::api::{AppState, Faults, orgs::bootstrap_admin, router};
use crate::clock::Clock;
use crate::store::{Db, StoreError};

/// What the backend needs to start.
#[derive(Debug, Clone)]
pub struct Config {
    /// `sqlite://PATH` or `postgres://…`.
    pub database_url: String,
    /// The absolute base URL links and QR codes point to, e.g. `http://10.0.0.5:8090`.
    pub public_url: String,
    /// The platform admin's token (also what the show server sends to the intake).
    pub admin_token: Option<String>,
}

/// Opens the database and builds the shared state.
pub fn build_state(config: &Config, clock: Clock, faults: Faults) -> Result<AppState, StoreError> {
    let db = Db::open(&config.database_url)?;
    if let Some(token) = &config.admin_token {
        bootstrap_admin(&db, token, clock.now_ms())?;
    }
    Ok(AppState {
        db,
        clock,
        public_url: Arc::from(config.public_url.trim_end_matches('/')),
        faults: Arc::new(faults),
    })
}

/// Serves `state` on `listener` until `shutdown` resolves; expired idempotency keys are
/// pruned hourly.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let (db, clock) = (state.db.clone(), state.clock.clone());
    let pruner = tokio::spawn(async move {
        let mut every = tokio::time::interval(std::time::Duration::from_secs(3600));
        loop {
            every.tick().await;
            let (db, now) = (db.clone(), clock.now_ms());
            match tokio::task::spawn_blocking(move || prune(&db, now)).await {
                Ok(Ok(n)) if n > 0 => tracing::info!(n, "pruned expired idempotency keys"),
                Ok(Err(e)) => tracing::warn!("pruning idempotency keys failed: {e}"),
                _ => {}
            }
        }
    });
    let served = axum::serve(listener, router(state))
        .with_graceful_shutdown(shutdown)
        .await;
    pruner.abort();
    served
}
