//! Integration tests of the production backend through its HTTP API, on SQLite and (when
//! `CATWALK_TEST_PG_URL` is set) PostgreSQL; plus a restart test against the real binary
//! and a headless-Chromium test of the web pages.

mod access;
mod browser;
mod campaign;
mod fixtures;
mod helpers;
mod idempotency;
mod lifecycle;
mod malformed;
mod restart;
mod scenario;
mod shortlist;
mod web;
