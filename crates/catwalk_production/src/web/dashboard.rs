//! Login (the organisation's API token, kept in an `HttpOnly` cookie), the production
//! dashboard and the partner view.

use axum::Form;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use serde_json::Value as Json_;

use super::html::{bar, error_page, esc, page, when};
use crate::api::auth::{COOKIE, Org, Role, org_for_token};
use crate::api::idempotency::read;
use crate::api::reports::{Period, kpis_of, statement_of};
use crate::api::{AppState, designs, projects, work_orders};
use crate::params;

fn token_from(headers: &HeaderMap) -> Option<String> {
    let cookies = headers.get(header::COOKIE)?.to_str().ok()?;
    cookies.split(';').find_map(|c| {
        let (name, value) = c.trim().split_once('=')?;
        (name == COOKIE).then(|| value.to_string())
    })
}

async fn signed_in(state: &AppState, headers: &HeaderMap) -> Option<Org> {
    let token = token_from(headers)?;
    org_for_token(state, &token).await.ok().flatten()
}

/// `GET /`: to the dashboard.
pub async fn home() -> Redirect {
    Redirect::to("/dashboard")
}

/// `GET /login`.
pub async fn login_form() -> Response {
    page(
        "Sign in",
        "<h1>Catwalk production</h1><form method=\"post\" action=\"/login\"><label>Organisation token<br>\
         <input name=\"token\" type=\"password\" autocomplete=\"off\" required></label><br><button type=\"submit\">Sign in</button></form>",
    )
    .into_response()
}

/// The login form.
#[derive(Deserialize)]
pub struct LoginForm {
    token: String,
}

/// `POST /login`: checks the token and sets the session cookie.
pub async fn login(State(state): State<AppState>, Form(f): Form<LoginForm>) -> Response {
    match org_for_token(&state, f.token.trim()).await {
        Ok(Some(org)) => {
            let to = if org.role == Role::Partner {
                "/partner"
            } else {
                "/dashboard"
            };
            (
                StatusCode::SEE_OTHER,
                [
                    (
                        header::SET_COOKIE,
                        format!(
                            "{COOKIE}={}; HttpOnly; SameSite=Strict; Path=/",
                            f.token.trim()
                        ),
                    ),
                    (header::LOCATION, to.to_string()),
                ],
            )
                .into_response()
        }
        _ => error_page(
            StatusCode::UNAUTHORIZED,
            "That token is not valid. Ask the platform admin for your organisation's token.",
        ),
    }
}

fn work_order_rows(wos: &[Json_]) -> String {
    let mut out = String::new();
    for w in wos {
        let s = |k: &str| w[k].as_str().unwrap_or("").to_string();
        let mut stages = String::new();
        for st in w["stages"].as_array().into_iter().flatten() {
            let (g, t) = (
                st["good"].as_i64().unwrap_or(0),
                st["target"].as_i64().unwrap_or(0),
            );
            stages.push_str(&format!(
                "<div class=\"stage\" data-stage=\"{n}\">{n}: <span class=\"good\">{g}</span>/{t} <span class=\"muted\">({d} defects)</span>{b}</div>",
                n = esc(st["stage"].as_str().unwrap_or("")),
                d = st["defects"].as_i64().unwrap_or(0),
                b = bar(g, t)
            ));
        }
        let url = s("shop_floor_url");
        let path = url
            .find("/wo/")
            .map_or(url.as_str(), |i| &url[i..])
            .to_string();
        out.push_str(&format!(
            "<div class=\"card work-order\" data-id=\"{id}\"><div class=\"qr\"><a class=\"qr-link\" href=\"{url}\"><img alt=\"QR code of the shop-floor page\" width=\"120\" height=\"120\" src=\"{path}/qr.svg\"><br>open shop-floor page</a></div>\
             <b>{id}</b><br><span class=\"muted\">{kind}, {q} units, due {due}</span><br>Status: <b class=\"status\">{st}</b>{stages}</div>",
            id = esc(&s("id")),
            kind = esc(&s("kind")),
            q = w["quantity"].as_i64().unwrap_or(0),
            due = when(w["due_at"].as_i64().unwrap_or(0)),
            st = esc(&s("status")),
            url = esc(&url),
            path = esc(&path),
        ));
    }
    out
}

fn kpi_table(k: &Json_) -> String {
    let mut out = String::from(
        "<div class=\"scroll\"><table class=\"kpis\"><tr><th>Partner</th><th>Done</th><th>On time</th><th>Lead time</th><th>Defects</th><th>Pieces/day</th><th>Settled</th></tr>",
    );
    let pct = |v: &Json_| {
        v.as_f64()
            .map_or("–".to_string(), |x| format!("{:.0}%", x * 100.0))
    };
    for p in k["partners"].as_array().into_iter().flatten() {
        out.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{:.1}</td><td>₩{}</td></tr>",
            esc(p["partner_name"].as_str().unwrap_or("")),
            p["completed_work_orders"],
            pct(&p["on_time_rate"]),
            p["mean_lead_time_days"].as_f64().map_or("–".to_string(), |d| format!("{d:.1} d")),
            pct(&p["defect_rate"]),
            p["throughput_per_day"].as_f64().unwrap_or(0.0),
            p["settled_krw"]
        ));
    }
    out.push_str("</table></div>");
    out
}

/// `GET /dashboard`: the production company's dashboard.
pub async fn dashboard(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let Some(org) = signed_in(&state, &headers).await else {
        return Redirect::to("/login").into_response();
    };
    if org.role == Role::Partner {
        return Redirect::to("/partner").into_response();
    }
    if org.role != Role::ProductionCompany {
        return error_page(
            StatusCode::FORBIDDEN,
            "The dashboard is for production companies.",
        );
    }
    let url = state.public_url.clone();
    let name = org.name.clone();
    let result = read(&state, move |tx, now| {
        let rating = crate::api::orgs::company_rating(tx, &org.id)?;
        let mut body = format!(
            "<h1>{}</h1><p class=\"muted\">Rating {:.2}★ from {} product ratings (Bayesian, prior {} at {:.1}★)</p><nav><a href=\"/dashboard\">Dashboard</a></nav><h2>Projects</h2>",
            esc(&name),
            rating.score,
            rating.count,
            rating.prior.weight,
            rating.prior.mean
        );
        let ids = tx.query("SELECT id FROM projects WHERE company_id = ?1 ORDER BY created_at, id", params![&org.id])?;
        if ids.is_empty() {
            body.push_str("<p class=\"muted\">No projects yet.</p>");
        }
        for r in ids {
            let p = projects::summary(tx, &r.text(0), &org, &url)?;
            let mut campaign = String::new();
            if let Some(cid) = p["campaign_id"].as_str() {
                let c = crate::api::campaigns::load(tx, cid, now)?;
                campaign = format!("<p>Pre-order: <b class=\"campaign-status\">{}</b> — {} of {} units pledged{} · ₩{} at {}% off</p>",
                    c.status.as_str(), c.pledged_units, c.goal_units, bar(c.pledged_units, c.goal_units), c.unit_price.0, c.discount_pct);
            }
            let wos: Vec<Json_> = p["work_orders"].as_array().cloned().unwrap_or_default();
            body.push_str(&format!(
                "<div class=\"card project\"><h2>{g}</h2><p class=\"muted\">{id} · {q} units · due {due}</p>{campaign}{rows}</div>",
                g = esc(p["garment"].as_str().unwrap_or("")),
                id = esc(p["id"].as_str().unwrap_or("")),
                q = p["quantity"],
                due = when(p["due_at"].as_i64().unwrap_or(0)),
                rows = work_order_rows(&wos)
            ));
        }
        body.push_str("<h2>KPIs (all time)</h2>");
        body.push_str(&kpi_table(&kpis_of(tx, &org, &Period { from: None, to: None }, now)?));
        body.push_str("<h2>Designs by score</h2><table><tr><th>Design</th><th>Designer</th><th>Score</th></tr>");
        for d in designs::ranked(tx, None, None)?.iter().take(10) {
            body.push_str(&format!("<tr><td>{}</td><td>{}</td><td title=\"{}\">{:.3}</td></tr>",
                esc(d["garment"].as_str().unwrap_or("")), esc(d["designer"].as_str().unwrap_or("")),
                esc(d["score"]["explanation"].as_str().unwrap_or("")), d["score"]["score"].as_f64().unwrap_or(0.0)));
        }
        body.push_str("</table>");
        Ok(body)
    })
    .await;
    match result {
        Ok(body) => page("Dashboard", &body).into_response(),
        Err(e) => error_page(e.status, &e.message),
    }
}

/// `GET /partner`: a partner's work orders and what each worker has earned.
pub async fn partner(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let Some(org) = signed_in(&state, &headers).await else {
        return Redirect::to("/login").into_response();
    };
    if org.role != Role::Partner {
        return error_page(StatusCode::FORBIDDEN, "This view is for partners.");
    }
    let url = state.public_url.clone();
    let name = org.name.clone();
    let result = read(&state, move |tx, now| {
        let mut wos = Vec::new();
        for r in tx.query(
            "SELECT id FROM work_orders WHERE partner_id = ?1 ORDER BY sent_at, id",
            params![&org.id],
        )? {
            wos.push(work_orders::view(
                &url,
                &work_orders::facts(tx, &r.text(0))?,
            ));
        }
        let st = statement_of(
            tx,
            &org,
            &Period {
                from: None,
                to: None,
            },
            now,
        )?;
        let mut pay = String::from("<table><tr><th>Worker</th><th>Earned</th></tr>");
        for w in st["per_worker"].as_array().into_iter().flatten() {
            pay.push_str(&format!(
                "<tr><td>{}</td><td>₩{}</td></tr>",
                esc(w["worker"].as_str().unwrap_or("")),
                w["amount_krw"]
            ));
        }
        pay.push_str(&format!(
            "</table><p>Total: <b>₩{}</b></p>",
            st["total_krw"]
        ));
        Ok(format!(
            "<h1>{}</h1><h2>Work orders</h2>{}<h2>Settlement per worker</h2>{pay}",
            esc(&name),
            work_order_rows(&wos)
        ))
    })
    .await;
    match result {
        Ok(body) => page("Partner", &body).into_response(),
        Err(e) => error_page(e.status, &e.message),
    }
}
