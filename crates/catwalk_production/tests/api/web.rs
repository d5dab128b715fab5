//! The web pages over plain HTTP (no browser): sign-in sets an HttpOnly cookie; the partner
//! view shows the work order and what each worker earned; a viewer pre-orders and cancels
//! on their offer page with plain form posts, a resent form counting once; a shop-floor
//! link with a wrong token shows nothing.

use serde_json::json;

use crate::fixtures::{accepted_work_order, world};
use crate::helpers::{ADMIN, DAY, TestApp, key};

async fn page(app: &TestApp, path: &str, cookie: Option<&str>) -> (u16, String) {
    let mut r = app.client.get(format!("{}{path}", app.base));
    if let Some(c) = cookie {
        r = r.header("cookie", format!("catwalk_token={c}"));
    }
    let r = r.send().await.expect("request");
    (r.status().as_u16(), r.text().await.expect("text"))
}

async fn form(app: &TestApp, path: &str, fields: &[(&str, &str)]) -> u16 {
    let no_redirect = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let body: String = fields
        .iter()
        .map(|(k, v)| format!("{k}={}", v.replace(' ', "+")))
        .collect::<Vec<_>>()
        .join("&");
    no_redirect
        .post(format!("{}{path}", app.base))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .expect("request")
        .status()
        .as_u16()
}

async fn pages_work_without_javascript(app: TestApp) {
    let w = world(&app, 3).await;
    let wo = accepted_work_order(&app, &w, 4).await;
    let url = wo["shop_floor_url"].as_str().expect("url");
    let floor = &url[url.find("/wo/").expect("path")..];

    // Sign-in.
    let login = form(&app, "/login", &[("token", &w.factory.token)]).await;
    assert_eq!(login, 303);
    let bad = form(&app, "/login", &[("token", "wrong")]).await;
    assert_eq!(bad, 401);
    let (s, _) = page(&app, "/dashboard", None).await;
    assert_eq!(s, 200, "redirected to the login form");

    // Shop floor: a form post, resent with the same key, counts once.
    let k = key();
    for _ in 0..2 {
        let s = form(
            &app,
            &format!("{floor}/progress"),
            &[
                ("stage", "cutting"),
                ("key", &k),
                ("worker", "Ji-ho Park"),
                ("good", "2"),
                ("defects", "0"),
            ],
        )
        .await;
        assert_eq!(s, 303);
    }
    let refused = form(
        &app,
        &format!("{floor}/progress"),
        &[
            ("stage", "packing"),
            ("key", &key()),
            ("worker", "Ji-ho"),
            ("good", "1"),
            ("defects", "0"),
        ],
    )
    .await;
    assert_eq!(refused, 422);
    let (s, html) = page(&app, floor, None).await;
    assert_eq!(s, 200);
    assert!(
        html.contains("<span class=\"good\">2</span> / 4 good"),
        "{html}"
    );
    let (s, _) = page(&app, "/wo/wot_not-a-real-token", None).await;
    assert_eq!(s, 404);
    let (s, svg) = page(&app, &format!("{floor}/qr.svg"), None).await;
    assert!(s == 200 && svg.contains("<svg"));
    let (s, pack) = page(&app, &format!("{floor}/tech-pack"), None).await;
    assert!(
        s == 200 && pack.contains("<svg"),
        "the printable tech pack carries the QR code"
    );

    // Partner view.
    let (s, html) = page(&app, "/partner", Some(&w.factory.token)).await;
    assert_eq!(s, 200);
    assert!(
        html.contains("Ji-ho Park") && html.contains("₩600"),
        "{html}"
    );
    let (s, _) = page(&app, "/partner", Some(&w.company.token)).await;
    assert_eq!(s, 403, "the partner view is for partners only");

    // The viewer's pre-order page.
    let c = app.post(&format!("/projects/{}/campaign", w.project), &w.company.token, &key(),
        json!({"goal_units": 2, "list_price_krw": 30_000, "discount_pct": 20, "deadline": app.clock.now_ms() + DAY})).await;
    let cid = c.body["id"].as_str().expect("id");
    let offers = app.get(&format!("/campaigns/{cid}"), ADMIN).await;
    let offer_url = offers.body["offers"][0]["offer_url"]
        .as_str()
        .expect("offer")
        .to_string();
    let offer = &offer_url[offer_url.find("/offers/").expect("path")..];
    let (s, html) = page(&app, offer, None).await;
    assert!(s == 200 && html.contains("₩24000"), "{html}");
    let k = key();
    for _ in 0..2 {
        assert_eq!(
            form(
                &app,
                &format!("{offer}/pledge"),
                &[("key", &k), ("size", "S"), ("quantity", "2")]
            )
            .await,
            303
        );
    }
    let view = app
        .get(&format!("/campaigns/{cid}"), &w.company.token)
        .await;
    assert_eq!(view.body["pledged_units"], 2);
    let pledge = view.body["pledges"][0]["id"]
        .as_str()
        .expect("pledge")
        .to_string();
    assert_eq!(
        form(
            &app,
            &format!("{offer}/cancel"),
            &[("key", &key()), ("pledge", &pledge)]
        )
        .await,
        303
    );
    let view = app
        .get(&format!("/campaigns/{cid}"), &w.company.token)
        .await;
    assert_eq!(view.body["pledged_units"], 0);
    assert_eq!(view.body["pledges"][0]["status"], "cancelled");
}

crate::on_both!(pages_work_without_javascript);
