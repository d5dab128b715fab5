//! The pre-order campaign page a viewer's offer link opens: the discounted price, the
//! goal and how far along it is, the deadline, a pledge form, and the viewer's own
//! pledges with a cancel button while the campaign is live.

use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use catwalk_protocol::SizeLabel;
use serde::Deserialize;

use super::html::{bar, error_page, esc, page as frame, when};
use crate::api::AppState;
use crate::api::auth::{Org, Role};
use crate::api::campaigns::{load, pledge_list};
use crate::api::error::ApiError;
use crate::api::idempotency::{self, read};
use crate::api::pledges::{NewPledge, admit, withdraw};
use crate::domain::campaign::CampaignStatus;
use crate::domain::ids::new_id;
use crate::params;
use crate::store::Tx;

fn offer(tx: &mut Tx<'_, '_>, token: &str) -> Result<(String, String, String), ApiError> {
    let r = tx
        .query_opt(
            "SELECT o.campaign_id, o.viewer, p.garment FROM campaign_offers o JOIN campaigns c ON c.id = o.campaign_id
             JOIN projects p ON p.id = c.project_id WHERE o.token = ?1",
            params![token],
        )?
        .ok_or_else(|| ApiError::not_found("offer"))?;
    Ok((r.text(0), r.text(1), r.text(2)))
}

/// `GET /offers/{token}`.
pub async fn page(State(state): State<AppState>, Path(token): Path<String>) -> Response {
    let result = read(&state, move |tx, now| {
        let (cid, viewer, garment) = offer(tx, &token)?;
        let c = load(tx, &cid, now)?;
        let mut body = format!(
            "<h1>{g}</h1><p>Pre-order for <b>{v}</b>: <b>₩{price}</b> <s>₩{list}</s> ({d}% off)</p>\
             <p class=\"campaign-status\">Status: <b>{st}</b> · {p} of {goal} units · closes {dl}</p>{b}\
             <p class=\"muted\">All or nothing: if {goal} units are not pledged by the deadline, every pledge is released and nothing is charged.</p>",
            g = esc(&garment), v = esc(&viewer), price = c.unit_price.0, list = c.list_price.0, d = c.discount_pct,
            st = c.status.as_str(), p = c.pledged_units, goal = c.goal_units, dl = when(c.deadline), b = bar(c.pledged_units, c.goal_units)
        );
        if c.status == CampaignStatus::Live {
            let sizes: String = SizeLabel::ALL.iter().map(|s| format!("<option>{s}</option>")).collect();
            body.push_str(&format!(
                "<form method=\"post\" action=\"/offers/{t}/pledge\"><input type=\"hidden\" name=\"key\" value=\"{k}\">\
                 <label>Size <select name=\"size\">{sizes}</select></label> <label>Units <input name=\"quantity\" type=\"number\" min=\"1\" max=\"20\" value=\"1\"></label><br>\
                 <button type=\"submit\">Pledge</button></form>", t = esc(&token), k = new_id("web")));
        }
        body.push_str("<h2>Your pledges</h2>");
        for p in pledge_list(tx, &c, Some(&viewer))? {
            let id = p["id"].as_str().unwrap_or("");
            body.push_str(&format!("<div class=\"card pledge\">{} × {} · ₩{} · <b>{}</b>{}",
                p["quantity"], esc(p["size"].as_str().unwrap_or("")), p["amount_krw"], esc(p["status"].as_str().unwrap_or("")),
                p["shipment"].as_str().map_or(String::new(), |s| format!(" · shipment {}", esc(s)))));
            if p["status"] == "reserved" {
                body.push_str(&format!("<form method=\"post\" action=\"/offers/{t}/cancel\"><input type=\"hidden\" name=\"pledge\" value=\"{id}\">\
                    <input type=\"hidden\" name=\"key\" value=\"{k}\"><button type=\"submit\">Cancel</button></form>",
                    t = esc(&token), id = esc(id), k = new_id("web")));
            }
            body.push_str("</div>");
        }
        Ok(body)
    })
    .await;
    match result {
        Ok(body) => frame("Pre-order", &body).into_response(),
        Err(e) => error_page(e.status, &e.message),
    }
}

/// The pledge form.
#[derive(Deserialize)]
pub struct PledgeForm {
    key: String,
    size: String,
    quantity: String,
}

fn scope(token: &str) -> Org {
    Org {
        id: format!("offer:{token}"),
        name: String::new(),
        role: Role::PlatformAdmin,
        handle: None,
    }
}

/// `POST /offers/{token}/pledge`.
pub async fn pledge(
    State(state): State<AppState>,
    Path(token): Path<String>,
    Form(f): Form<PledgeForm>,
) -> Response {
    let Some(size) = SizeLabel::parse(&f.size) else {
        return error_page(StatusCode::BAD_REQUEST, "Choose a size from the list.");
    };
    let Ok(quantity) = f.quantity.trim().parse::<i64>() else {
        return error_page(StatusCode::BAD_REQUEST, "Units must be a whole number.");
    };
    let t = token.clone();
    let request = format!("POST /offers/{token}/pledge\n{}|{quantity}", f.size);
    let result = idempotency::run(&state, &scope(&token), f.key, request, move |tx, now| {
        let (cid, viewer, _) = offer(tx, &t)?;
        admit(
            tx,
            &cid,
            &NewPledge {
                viewer,
                size,
                quantity,
            },
            now,
        )?;
        Ok((StatusCode::SEE_OTHER, serde_json::json!({})))
    })
    .await;
    match result {
        Ok(_) => Redirect::to(&format!("/offers/{token}")).into_response(),
        Err(e) => error_page(e.status, &e.message),
    }
}

/// The cancel form.
#[derive(Deserialize)]
pub struct CancelForm {
    key: String,
    pledge: String,
}

/// `POST /offers/{token}/cancel`: cancels one of this viewer's pledges.
pub async fn cancel(
    State(state): State<AppState>,
    Path(token): Path<String>,
    Form(f): Form<CancelForm>,
) -> Response {
    let t = token.clone();
    let request = format!("POST /offers/{token}/cancel\n{}", f.pledge);
    let pledge = f.pledge.clone();
    let result = idempotency::run(&state, &scope(&token), f.key, request, move |tx, now| {
        let (_, viewer, _) = offer(tx, &t)?;
        withdraw(tx, &pledge, Some(&viewer), now)?;
        Ok((StatusCode::SEE_OTHER, serde_json::json!({})))
    })
    .await;
    match result {
        Ok(_) => Redirect::to(&format!("/offers/{token}")).into_response(),
        Err(e) => error_page(e.status, &e.message),
    }
}
