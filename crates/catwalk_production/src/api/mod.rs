//! The HTTP JSON API (axum) and the web pages, served from one router.
//!
//! - [`error`]: `{code, message}` errors.
//! - [`auth`]: organisations, roles and tokens.
//! - [`idempotency`]: Stripe-style idempotency keys on every POST.
//! - [`body`]: JSON bodies with path-precise errors.
//! - one module per area: [`orgs`], [`intake`](mod@crate::intake), [`designs`],
//!   [`negotiations`], [`contracts`], [`partners`], [`projects`], [`dispatch`],
//!   [`work_orders`], [`progress`], [`reports`], [`campaigns`], [`pledges`], [`fulfilment`].

pub mod auth;
pub mod body;
pub mod campaigns;
pub mod contracts;
pub mod designs;
pub mod dispatch;
pub mod error;
pub mod fulfilment;
pub mod idempotency;
pub mod negotiations;
pub mod orgs;
pub mod partners;
pub mod pledges;
pub mod progress;
pub mod projects;
pub mod reports;
pub mod work_orders;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::Router;
use axum::routing::{get, post};

use crate::clock::Clock;
use crate::store::Db;

/// Deliberate faults, for the restart tests: with `abort_after_intake_writes = Some(n)`,
/// the process aborts inside the transaction of the n-th intake event, after its rows are
/// written and before they are committed — exactly like a crash mid-request.
#[derive(Debug, Default)]
pub struct Faults {
    /// Abort inside the n-th intake transaction (1-based).
    pub abort_after_intake_writes: Option<u64>,
    seen: AtomicU64,
}

impl Faults {
    /// Faults that abort inside the n-th intake transaction.
    pub fn abort_in_intake(n: u64) -> Self {
        Self {
            abort_after_intake_writes: Some(n),
            seen: AtomicU64::new(0),
        }
    }

    /// Called inside each intake transaction after its writes.
    pub fn after_intake_writes(&self) {
        if let Some(n) = self.abort_after_intake_writes
            && self.seen.fetch_add(1, Ordering::SeqCst) + 1 == n
        {
            tracing::error!("fault injection: aborting inside intake transaction {n}");
            std::process::abort();
        }
    }
}

/// What every handler shares.
#[derive(Clone, Debug)]
pub struct AppState {
    /// The database.
    pub db: Db,
    /// The clock.
    pub clock: Clock,
    /// The absolute base URL that QR codes and links point to (no trailing slash).
    pub public_url: Arc<str>,
    /// Fault injection (none in normal operation).
    pub faults: Arc<Faults>,
}

/// The complete router: JSON API and web pages.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/health", get(|| async { "ok" }))
        .route("/orgs", post(orgs::create))
        .route("/orgs/me", get(orgs::me))
        .route("/orgs/me/signing-key", post(orgs::signing_key))
        .route("/intake/events", post(crate::intake::post_event))
        .route("/designs", get(designs::ranking))
        .route("/designs/{garment}", get(designs::one))
        .route("/designs/{garment}/shortlist", post(designs::shortlist))
        .route("/negotiations", post(negotiations::start))
        .route("/negotiations/{id}", get(negotiations::get_one))
        .route("/negotiations/{id}/offers", post(negotiations::counter))
        .route("/negotiations/{id}/accept", post(negotiations::accept))
        .route("/negotiations/{id}/reject", post(negotiations::reject))
        .route("/contracts/{id}", get(contracts::get_one))
        .route("/contracts/{id}/signatures", post(contracts::sign))
        .route("/contracts/{id}/verify", get(contracts::verify))
        .route("/partners", get(partners::list))
        .route("/partners/me/profile", post(partners::set_profile))
        .route("/partners/{id}", get(partners::get_one))
        .route("/partners/{id}/ratings", post(partners::rate))
        .route("/projects", post(projects::create).get(projects::list))
        .route("/projects/{id}", get(projects::get_one))
        .route("/projects/{id}/recommendations", get(projects::recommend))
        .route("/projects/{id}/work-orders", post(dispatch::create))
        .route("/projects/{id}/campaign", post(campaigns::create))
        .route("/projects/{id}/sale", post(fulfilment::open_sale))
        .route(
            "/projects/{id}/product-ratings",
            post(fulfilment::rate_product),
        )
        .route("/work-orders", get(work_orders::list))
        .route("/work-orders/{id}", get(work_orders::get_one))
        .route("/work-orders/{id}/accept", post(work_orders::accept))
        .route("/work-orders/{id}/cancel", post(work_orders::cancel))
        .route("/work-orders/{id}/progress", post(progress::progress))
        .route("/statements", get(reports::statement))
        .route("/kpis", get(reports::kpis))
        .route("/campaigns/{id}", get(campaigns::get_one))
        .route("/campaigns/{id}/pledges", post(pledges::pledge))
        .route("/pledges/{id}/cancel", post(pledges::cancel_pledge))
        .route("/pledges/{id}/shipment", post(fulfilment::ship))
        .merge(crate::web::routes())
        .with_state(state)
}
