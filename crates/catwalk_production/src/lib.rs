//! Catwalk's made-to-order production backend: the designs people want at the show flow
//! into contracts, partner matching, work orders, a pre-order campaign, shipping and
//! ratings — steps 3 to 9 of the process in `MISSION.md`.
//!
//! One binary serves a JSON API (per-organisation tokens and roles, Stripe-style
//! idempotency keys on every POST) and server-rendered pages for phones (the production
//! dashboard, the shop-floor page a work order's QR code opens, the partner view and the
//! pre-order page). Data lives in SQLite by default, or PostgreSQL through the same code.
//!
//! # Layout
//! - [`domain`]: money, ids, state machines, ranking and recommendation — no I/O.
//! - [`store`]: the database abstraction, migrations, SQLite and PostgreSQL engines.
//! - [`intake`]: exactly-once intake of the show server's events.
//! - [`api`]: the HTTP JSON API, one module per area, plus auth, errors and idempotency.
//! - [`web`]: the HTML pages.
//! - [`clock`]: the system clock, or a settable one for tests.
//! - [`server`]: configuration, start-up and serving until shutdown.

//!
//! # API
//! Every request carries `Authorization: Bearer <organisation token>`; every POST carries
//! an `Idempotency-Key`. Errors are `{code, message}`. Money is integer KRW.
//!
//! | route | who | what |
//! |---|---|---|
//! | `POST /orgs`, `GET /orgs/me`, `POST /orgs/me/signing-key` | admin; any | organisations, tokens, ed25519 keys, ratings |
//! | `POST /intake/events` | admin (the show server) | exactly-once intake (`Idempotency-Key` = `event_id`) |
//! | `GET /designs`, `GET /designs/{garment}` | company, designer (own) | ranking with explanations |
//! | `POST /negotiations`, `GET /negotiations/{id}`, `POST …/offers`, `…/accept`, `…/reject` | company, designer | offers and counter-offers |
//! | `GET /contracts/{id}`, `POST …/signatures`, `GET …/verify` | the two parties | signed contract |
//! | `POST /partners/me/profile`, `GET /partners`, `GET /partners/{id}`, `POST …/ratings` | partner; company | capabilities, records, ratings |
//! | `POST /projects`, `GET /projects`, `GET /projects/{id}`, `GET …/recommendations?kind=` | company | projects and partner recommendation |
//! | `POST /projects/{id}/work-orders`, `GET /work-orders`, `GET /work-orders/{id}`, `POST …/accept`, `…/cancel`, `…/progress` | company; partner | work orders |
//! | `GET /statements?from&to`, `GET /kpis?from&to` | company, partner | settlement and KPIs |
//! | `POST /projects/{id}/campaign`, `GET /campaigns/{id}`, `POST …/pledges`, `POST /pledges/{id}/cancel` | company; admin for viewers | pre-order campaign |
//! | `POST /pledges/{id}/shipment`, `POST /projects/{id}/sale`, `POST /projects/{id}/product-ratings` | company; admin for buyers | shipping, sale, product ratings |
//!
//! Pages: `/login`, `/dashboard`, `/partner`, `/wo/{token}` (shop floor, from the QR
//! code), `/offers/{token}` (a viewer's pre-order page).

pub mod api;
pub mod clock;
pub mod domain;
pub mod intake;
pub mod server;
pub mod store;
pub mod web;

pub use api::{AppState, Faults, router};
pub use clock::Clock;
pub use server::{Config, build_state, serve};
pub use store::{Db, StoreError};
