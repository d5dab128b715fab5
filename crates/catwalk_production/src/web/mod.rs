//! Server-rendered web pages, usable on a phone and without JavaScript: every button is a
//! plain form post.
//!
//! - [`html`]: escaping and the page frame.
//! - [`dashboard`]: login, the production dashboard (projects, work orders, progress,
//!   KPIs) and the partner view.
//! - [`shopfloor`]: the work-order page a QR code opens, with progress buttons.
//! - [`offers`]: the pre-order campaign page a viewer's offer link opens.

pub mod dashboard;
pub mod html;
pub mod offers;
pub mod shopfloor;

use axum::Router;
use axum::routing::{get, post};

use crate::api::AppState;

/// The web routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(dashboard::home))
        .route("/login", get(dashboard::login_form).post(dashboard::login))
        .route("/dashboard", get(dashboard::dashboard))
        .route("/partner", get(dashboard::partner))
        .route("/wo/{token}", get(shopfloor::page))
        .route("/wo/{token}/progress", post(shopfloor::report))
        .route("/wo/{token}/qr.svg", get(shopfloor::qr))
        .route("/wo/{token}/tech-pack", get(shopfloor::tech_pack))
        .route("/offers/{token}", get(offers::page))
        .route("/offers/{token}/pledge", post(offers::pledge))
        .route("/offers/{token}/cancel", post(offers::cancel))
}
