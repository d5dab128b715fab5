//! Organisations are isolated: another organisation's projects, work orders, negotiations,
//! contracts, campaigns and statements are invisible (404) and unchangeable; roles limit
//! what each may do (403); no or a bad token is 401.

use serde_json::json;

use crate::fixtures::{GARMENT, accepted_work_order, factory_profile, org, world};
use crate::helpers::{ADMIN, DAY, T0, TestApp, key};

async fn other_organisations_data_is_refused(app: TestApp) {
    let w = world(&app, 3).await;
    let wo = accepted_work_order(&app, &w, 4).await;
    let wo_id = wo["id"].as_str().expect("id");
    let rival = org(&app, "Rival Co.", "production_company", None).await;
    let other_partner = org(&app, "Other Factory", "partner", None).await;
    assert_eq!(
        app.post(
            "/partners/me/profile",
            &other_partner.token,
            &key(),
            factory_profile(1, 3)
        )
        .await
        .status,
        200
    );

    for path in [
        format!("/projects/{}", w.project),
        format!("/work-orders/{wo_id}"),
        format!("/contracts/{}", w.contract),
        format!("/contracts/{}/verify", w.contract),
        format!(
            "/projects/{}/recommendations?kind=sewing_factory",
            w.project
        ),
    ] {
        let r = app.get(&path, &rival.token).await;
        assert_eq!(r.status, 404, "{path}: {:?}", r.body);
    }
    let r = app
        .get(&format!("/work-orders/{wo_id}"), &other_partner.token)
        .await;
    assert_eq!(r.status, 404);
    let listed = app.get("/projects", &rival.token).await;
    assert_eq!(listed.body["projects"].as_array().map(Vec::len), Some(0));
    let statement = app.get("/statements", &rival.token).await;
    assert_eq!(statement.body["total_krw"], 0);

    // Changes are refused and change nothing.
    let post = app.post(&format!("/projects/{}/work-orders", w.project), &rival.token, &key(),
        json!({"partner_id": w.factory.id, "due_at": T0 + 5 * DAY, "unit_prices": {"cutting": 1, "sewing": 1, "finishing": 1, "qc": 1, "packing": 1}})).await;
    assert_eq!(post.status, 404);
    let cancel = app
        .post(
            &format!("/work-orders/{wo_id}/cancel"),
            &rival.token,
            &key(),
            json!({}),
        )
        .await;
    assert_eq!(cancel.status, 404);
    let progress = app
        .post(
            &format!("/work-orders/{wo_id}/progress"),
            &other_partner.token,
            &key(),
            json!({"stage": "cutting", "worker": "x", "good": 1}),
        )
        .await;
    assert_eq!(progress.status, 404);
    let campaign = app.post(&format!("/projects/{}/campaign", w.project), &rival.token, &key(),
        json!({"goal_units": 1, "list_price_krw": 1000, "discount_pct": 0, "deadline": T0 + DAY})).await;
    assert_eq!(campaign.status, 404);
    let seen = app
        .get(&format!("/work-orders/{wo_id}"), &w.company.token)
        .await;
    assert_eq!(seen.body["status"], "accepted");
    assert_eq!(seen.body["stages"][0]["good"], 0);

    // Roles.
    let r = app
        .post(
            "/negotiations",
            &w.designer.token,
            &key(),
            json!({"garment": GARMENT, "unit_price_krw": 1, "quantity": 1}),
        )
        .await;
    assert_eq!(r.status, 403);
    assert_eq!(app.get("/designs", &w.factory.token).await.status, 403);
    assert_eq!(
        app.post(
            "/orgs",
            &w.company.token,
            &key(),
            json!({"name": "x", "role": "platform_admin"})
        )
        .await
        .status,
        403
    );
    assert_eq!(
        app.post("/intake/events", &w.company.token, "e1", json!({}))
            .await
            .status,
        403
    );
    // A designer sees only their own designs.
    let mine = app.get("/designs", &w.designer.token).await;
    assert!(
        mine.body["designs"]
            .as_array()
            .expect("list")
            .iter()
            .all(|d| d["designer"] == "Kim Jiwoo")
    );
    // Tokens.
    assert_eq!(app.get("/projects", "not-a-token").await.status, 401);
    let anonymous = app
        .client
        .get(format!("{}/projects", app.base))
        .send()
        .await
        .expect("request");
    assert_eq!(anonymous.status().as_u16(), 401);
    let _ = ADMIN;
}

crate::on_both!(other_organisations_data_is_refused);
