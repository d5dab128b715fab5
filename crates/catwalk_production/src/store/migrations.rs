//! The schema, as an ordered list of migrations. Each runs once, in its own transaction
//! with the others, and is recorded in `schema_migrations`; a database written by a newer
//! build (with migrations this build does not know) is left alone.
//!
//! Ids are text (prefixed UUIDs), money is `BIGINT` KRW, times are `BIGINT` Unix
//! milliseconds, lists are JSON text. No engine-specific types.

use super::{StoreError, Tx};
use crate::params;

/// Every migration: its version and statements.
pub const MIGRATIONS: &[(i64, &[&str])] = &[(1, V1), (2, V2)];

/// Designs a show's organizer sent to production, with the show's numbers.
const V2: &[&str] = &["CREATE TABLE shortlist (garment TEXT PRIMARY KEY REFERENCES designs(garment),
        show_id TEXT NOT NULL, rank BIGINT NOT NULL, stats TEXT NOT NULL, shortlisted_at BIGINT NOT NULL)"];

const V1: &[&str] = &[
    "CREATE TABLE orgs (id TEXT PRIMARY KEY, name TEXT NOT NULL, role TEXT NOT NULL,
        handle TEXT, public_key TEXT, lat_e6 BIGINT, lon_e6 BIGINT, created_at BIGINT NOT NULL)",
    "CREATE UNIQUE INDEX orgs_handle ON orgs (role, handle)",
    "CREATE TABLE api_tokens (token_hash TEXT PRIMARY KEY, org_id TEXT NOT NULL REFERENCES orgs(id),
        created_at BIGINT NOT NULL)",
    "CREATE TABLE idempotency (org_id TEXT NOT NULL, idem_key TEXT NOT NULL,
        fingerprint TEXT NOT NULL, status BIGINT NOT NULL, body TEXT NOT NULL,
        created_at BIGINT NOT NULL, PRIMARY KEY (org_id, idem_key))",
    "CREATE TABLE intake_events (event_id TEXT PRIMARY KEY, kind TEXT NOT NULL,
        show_id TEXT NOT NULL, viewer TEXT NOT NULL, look TEXT NOT NULL, designer TEXT NOT NULL,
        garment TEXT NOT NULL, size TEXT, quantity BIGINT, stars BIGINT,
        occurred_at BIGINT NOT NULL, received_at BIGINT NOT NULL)",
    "CREATE TABLE designs (garment TEXT PRIMARY KEY, designer TEXT NOT NULL, look TEXT NOT NULL,
        first_seen BIGINT NOT NULL)",
    "CREATE TABLE design_ratings (look TEXT NOT NULL, viewer TEXT NOT NULL, garment TEXT NOT NULL,
        stars BIGINT NOT NULL, occurred_at BIGINT NOT NULL, event_id TEXT NOT NULL,
        PRIMARY KEY (look, viewer))",
    "CREATE INDEX design_ratings_garment ON design_ratings (garment)",
    "CREATE INDEX intake_events_garment ON intake_events (garment, kind)",
    "CREATE TABLE negotiations (id TEXT PRIMARY KEY, garment TEXT NOT NULL,
        company_id TEXT NOT NULL REFERENCES orgs(id), designer_id TEXT NOT NULL REFERENCES orgs(id),
        created_at BIGINT NOT NULL)",
    "CREATE TABLE offers (id TEXT PRIMARY KEY, negotiation_id TEXT NOT NULL REFERENCES negotiations(id),
        seq BIGINT NOT NULL, from_org TEXT NOT NULL, unit_price_krw BIGINT NOT NULL,
        quantity BIGINT NOT NULL, royalty_bp BIGINT NOT NULL, terms TEXT NOT NULL,
        response TEXT, responded_at BIGINT, created_at BIGINT NOT NULL,
        UNIQUE (negotiation_id, seq))",
    "CREATE TABLE contracts (id TEXT PRIMARY KEY, negotiation_id TEXT NOT NULL UNIQUE,
        company_id TEXT NOT NULL, designer_id TEXT NOT NULL, garment TEXT NOT NULL,
        document TEXT NOT NULL, content_hash TEXT NOT NULL, created_at BIGINT NOT NULL)",
    "CREATE TABLE contract_signatures (contract_id TEXT NOT NULL REFERENCES contracts(id),
        org_id TEXT NOT NULL, public_key TEXT NOT NULL, signature TEXT NOT NULL,
        signed_at BIGINT NOT NULL, PRIMARY KEY (contract_id, org_id))",
    "CREATE TABLE partner_profiles (org_id TEXT PRIMARY KEY REFERENCES orgs(id), kind TEXT NOT NULL,
        garment_types TEXT NOT NULL, fabrics TEXT NOT NULL, capacity_per_day BIGINT NOT NULL,
        lead_time_days BIGINT NOT NULL, moq BIGINT NOT NULL, district TEXT NOT NULL,
        lat_e6 BIGINT, lon_e6 BIGINT, price_level BIGINT NOT NULL, updated_at BIGINT NOT NULL)",
    "CREATE TABLE projects (id TEXT PRIMARY KEY, company_id TEXT NOT NULL REFERENCES orgs(id),
        contract_id TEXT NOT NULL UNIQUE REFERENCES contracts(id), garment TEXT NOT NULL,
        garment_type TEXT NOT NULL, main_fabric TEXT NOT NULL, quantity BIGINT NOT NULL,
        due_at BIGINT NOT NULL, tech_pack TEXT NOT NULL, tech_pack_sha256 TEXT NOT NULL,
        sale_price_krw BIGINT, sale_opened_at BIGINT, created_at BIGINT NOT NULL)",
    "CREATE TABLE work_orders (id TEXT PRIMARY KEY, project_id TEXT NOT NULL REFERENCES projects(id),
        company_id TEXT NOT NULL, partner_id TEXT NOT NULL REFERENCES orgs(id), kind TEXT NOT NULL,
        stages TEXT NOT NULL, quantity BIGINT NOT NULL, unit_prices TEXT NOT NULL,
        due_at BIGINT NOT NULL, qr_token TEXT NOT NULL UNIQUE, tech_pack TEXT NOT NULL,
        sent_at BIGINT NOT NULL, accepted_at BIGINT, cancelled_at BIGINT)",
    "CREATE INDEX work_orders_partner ON work_orders (partner_id)",
    "CREATE INDEX work_orders_project ON work_orders (project_id)",
    "CREATE TABLE progress_reports (id TEXT PRIMARY KEY, work_order_id TEXT NOT NULL REFERENCES work_orders(id),
        stage TEXT NOT NULL, worker TEXT NOT NULL, good_qty BIGINT NOT NULL, defect_qty BIGINT NOT NULL,
        unit_price_krw BIGINT NOT NULL, reported_at BIGINT NOT NULL)",
    "CREATE INDEX progress_work_order ON progress_reports (work_order_id)",
    "CREATE TABLE partner_ratings (partner_id TEXT NOT NULL, company_id TEXT NOT NULL,
        project_id TEXT NOT NULL, stars BIGINT NOT NULL, comment TEXT NOT NULL,
        rated_at BIGINT NOT NULL, PRIMARY KEY (partner_id, project_id))",
    "CREATE TABLE campaigns (id TEXT PRIMARY KEY, project_id TEXT NOT NULL UNIQUE REFERENCES projects(id),
        company_id TEXT NOT NULL, goal_units BIGINT NOT NULL, max_units BIGINT,
        list_price_krw BIGINT NOT NULL, discount_pct BIGINT NOT NULL, unit_price_krw BIGINT NOT NULL,
        deadline BIGINT NOT NULL, created_at BIGINT NOT NULL)",
    "CREATE TABLE campaign_offers (token TEXT PRIMARY KEY, campaign_id TEXT NOT NULL REFERENCES campaigns(id),
        viewer TEXT NOT NULL, intended_units BIGINT NOT NULL, UNIQUE (campaign_id, viewer))",
    "CREATE TABLE pledges (id TEXT PRIMARY KEY, campaign_id TEXT NOT NULL REFERENCES campaigns(id),
        viewer TEXT NOT NULL, size TEXT NOT NULL, quantity BIGINT NOT NULL, amount_krw BIGINT NOT NULL,
        pledged_at BIGINT NOT NULL, cancelled_at BIGINT)",
    "CREATE INDEX pledges_campaign ON pledges (campaign_id)",
    "CREATE TABLE shipment_events (pledge_id TEXT NOT NULL REFERENCES pledges(id), seq BIGINT NOT NULL,
        state TEXT NOT NULL, carrier TEXT, tracking_no TEXT, at BIGINT NOT NULL,
        PRIMARY KEY (pledge_id, seq))",
    "CREATE TABLE product_ratings (project_id TEXT NOT NULL REFERENCES projects(id), viewer TEXT NOT NULL,
        stars BIGINT NOT NULL, rated_at BIGINT NOT NULL, PRIMARY KEY (project_id, viewer))",
];

/// Applies every migration newer than the database's version.
pub fn apply(tx: &mut Tx<'_, '_>) -> Result<(), StoreError> {
    tx.exec(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, applied_at BIGINT NOT NULL)",
        &[],
    )?;
    let current = tx.query_i64(
        "SELECT CAST(COALESCE(MAX(version), 0) AS BIGINT) FROM schema_migrations",
        &[],
    )?;
    for (version, statements) in MIGRATIONS {
        if *version <= current {
            continue;
        }
        for sql in *statements {
            tx.exec(sql, &[])?;
        }
        tx.exec(
            "INSERT INTO schema_migrations (version, applied_at) VALUES (?1, ?2)",
            params![*version, crate::clock::system_now_ms()],
        )?;
    }
    Ok(())
}
