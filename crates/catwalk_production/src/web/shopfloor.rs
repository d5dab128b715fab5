//! The shop-floor work-order page a QR code opens on a phone. It is reached by the
//! unguessable token in its URL (no login on the shop floor), shows only that work
//! order, and has one form per stage to report finished and defective pieces. Each form
//! carries its own idempotency key, so a double tap or a resent form counts once.

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use catwalk_garment::techpack::TechPack;
use serde::Deserialize;

use super::html::{bar, error_page, esc, when};
use crate::api::AppState;
use crate::api::auth::{Org, Role};
use crate::api::idempotency::{self, read};
use crate::api::progress::{Report, record_report};
use crate::api::work_orders::facts_by_token;
use crate::domain::ids::new_id;
use crate::params;

/// `GET /wo/{token}`.
pub async fn page(
    State(state): State<AppState>,
    Path(token): Path<String>,
    Query(q): Query<Recorded>,
) -> Response {
    let banner = q.recorded.map_or(String::new(), |s| {
        format!("<p class=\"ok\" role=\"status\">Recorded: {}.</p>", esc(&s))
    });
    let result = read(&state, move |tx, _| {
        let f = facts_by_token(tx, &token)?;
        let r = tx
            .query_opt(
                "SELECT p.garment, o.name FROM projects p JOIN orgs o ON o.id = ?2 WHERE p.id = ?1",
                params![&f.project_id, &f.partner_id],
            )?
            .map(|r| (r.text(0), r.text(1)))
            .unwrap_or_default();
        let mut body = format!(
            "<h1>{g}</h1><p><b>{partner}</b> · work order <span class=\"wo-id\">{id}</span></p>\
             <p>{q} units · due {due} · status <b class=\"status\">{st}</b></p>\
             <p><a href=\"/wo/{t}/tech-pack\">Tech pack (pieces, BOM, sewing steps)</a></p>",
            g = esc(&r.0), partner = esc(&r.1), id = esc(&f.id), q = f.quantity, due = when(f.due_at),
            st = f.status.as_str(), t = esc(&token)
        );
        for (stage, (good, defects)) in f.stages.iter().zip(&f.totals) {
            let price = f.unit_prices.get(stage.as_str()).copied().unwrap_or(0);
            body.push_str(&format!(
                "<div class=\"card stage\" data-stage=\"{s}\"><h2>{s}</h2><p><span class=\"good\">{good}</span> / {q} good · {defects} defects · ₩{price} per piece</p>{b}",
                s = stage.as_str(), q = f.quantity, b = bar(*good, f.quantity)
            ));
            if f.status.allows(crate::domain::work_order::Action::Report) {
                body.push_str(&format!(
                    "<form method=\"post\" action=\"/wo/{t}/progress\"><input type=\"hidden\" name=\"stage\" value=\"{s}\">\
                     <input type=\"hidden\" name=\"key\" value=\"{k}\">\
                     <label>Worker <input name=\"worker\" required maxlength=\"100\"></label><br>\
                     <label>Good pieces <input name=\"good\" type=\"number\" min=\"0\" value=\"1\" inputmode=\"numeric\"></label>\
                     <label>Defects <input name=\"defects\" type=\"number\" min=\"0\" value=\"0\" inputmode=\"numeric\"></label><br>\
                     <button type=\"submit\" name=\"report\" value=\"{s}\">Report {s}</button></form>",
                    t = esc(&token), s = stage.as_str(), k = new_id("web")
                ));
            }
            body.push_str("</div>");
        }
        Ok((r.0, format!("{banner}{body}")))
    })
    .await;
    match result {
        Ok((title, body)) => super::html::page(&title, &body).into_response(),
        Err(e) => error_page(e.status, &e.message),
    }
}

/// The confirmation shown after a report.
#[derive(Deserialize)]
pub struct Recorded {
    recorded: Option<String>,
}

/// The progress form.
#[derive(Deserialize)]
pub struct ProgressForm {
    stage: String,
    key: String,
    worker: String,
    good: String,
    defects: String,
}

/// `POST /wo/{token}/progress`: records the report and returns to the page.
pub async fn report(
    State(state): State<AppState>,
    Path(token): Path<String>,
    Form(f): Form<ProgressForm>,
) -> Response {
    let number = |s: &str, what: &str| {
        let t = s.trim();
        if t.is_empty() {
            Ok(0)
        } else {
            t.parse::<i64>()
                .map_err(|_| format!("{what} must be a whole number"))
        }
    };
    let (good, defects) = match (
        number(&f.good, "Good pieces"),
        number(&f.defects, "Defects"),
    ) {
        (Ok(g), Ok(d)) => (g, d),
        (Err(m), _) | (_, Err(m)) => return error_page(StatusCode::BAD_REQUEST, &m),
    };
    let report = Report {
        stage: f.stage.clone(),
        worker: f.worker.clone(),
        good,
        defects,
    };
    let scope = Org {
        id: format!("shop-floor:{token}"),
        name: String::new(),
        role: Role::Partner,
        handle: None,
    };
    let request = format!(
        "POST /wo/{token}/progress\n{}|{}|{good}|{defects}",
        f.stage,
        f.worker.trim()
    );
    let t = token.clone();
    let result = idempotency::run(&state, &scope, f.key.clone(), request, move |tx, now| {
        let facts = facts_by_token(tx, &t)?;
        record_report(tx, &facts, &report, now)?;
        Ok((StatusCode::SEE_OTHER, serde_json::json!({})))
    })
    .await;
    match result {
        Ok(_) => Redirect::to(&format!(
            "/wo/{token}?recorded={}+{}+{good}+good+{defects}+defects",
            f.stage,
            f.worker
                .trim()
                .replace(|c: char| !c.is_ascii_alphanumeric(), "-")
        ))
        .into_response(),
        Err(e) => error_page(
            e.status,
            &format!("{} — go back and correct it.", e.message),
        ),
    }
}

/// `GET /wo/{token}/qr.svg`: the QR code of the page's absolute URL.
pub async fn qr(State(state): State<AppState>, Path(token): Path<String>) -> Response {
    let t = token.clone();
    if let Err(e) = read(&state, move |tx, _| facts_by_token(tx, &t)).await {
        return error_page(e.status, &e.message);
    }
    match catwalk_garment::techpack::html::qr_svg(&format!("{}/wo/{token}", state.public_url)) {
        Ok(svg) => ([(header::CONTENT_TYPE, "image/svg+xml")], svg).into_response(),
        Err(e) => error_page(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()),
    }
}

/// `GET /wo/{token}/tech-pack`: the printable tech pack of this work order.
pub async fn tech_pack(State(state): State<AppState>, Path(token): Path<String>) -> Response {
    let result = read(&state, move |tx, _| {
        Ok(tx
            .query_opt(
                "SELECT tech_pack FROM work_orders WHERE qr_token = ?1",
                params![&token],
            )?
            .map(|r| r.text(0)))
    })
    .await;
    let Ok(Some(text)) = result else {
        return error_page(StatusCode::NOT_FOUND, "No such work order.");
    };
    match serde_json::from_str::<TechPack>(&text)
        .map_err(|e| e.to_string())
        .and_then(|p| catwalk_garment::techpack::html::render(&p).map_err(|e| e.to_string()))
    {
        Ok(html) => Html(html).into_response(),
        Err(e) => error_page(StatusCode::INTERNAL_SERVER_ERROR, &e),
    }
}
