//! Campaign edge cases: a failed campaign releases every pledge; concurrent pledges at the
//! cap never oversell; nothing can be pledged or cancelled after the deadline.

use serde_json::json;

use crate::fixtures::{accepted_work_order, world};
use crate::helpers::{ADMIN, DAY, TestApp, key};

async fn campaign(
    app: &TestApp,
    w: &crate::fixtures::World,
    goal: i64,
    max: Option<i64>,
) -> String {
    accepted_work_order(app, w, 4).await;
    let c = app
        .post(&format!("/projects/{}/campaign", w.project), &w.company.token, &key(),
            json!({"goal_units": goal, "max_units": max, "list_price_krw": 40_000, "discount_pct": 10, "deadline": app.clock.now_ms() + 3 * DAY}))
        .await;
    assert_eq!(c.status, 201, "{:?}", c.body);
    c.body["id"].as_str().expect("id").to_string()
}

async fn failed_campaign_releases_every_pledge(app: TestApp) {
    let w = world(&app, 5).await;
    let cid = campaign(&app, &w, 10, None).await;
    let mut ids = Vec::new();
    for i in 0..3 {
        let r = app
            .post(
                &format!("/campaigns/{cid}/pledges"),
                ADMIN,
                &key(),
                json!({"viewer": format!("viewer-{i}"), "size": "S", "quantity": 2}),
            )
            .await;
        assert_eq!(r.status, 201, "{:?}", r.body);
        ids.push(r.body["id"].as_str().expect("id").to_string());
    }
    let live = app
        .get(&format!("/campaigns/{cid}"), &w.company.token)
        .await;
    assert_eq!(live.body["status"], "live");
    assert_eq!(live.body["pledged_units"], 6);
    assert_eq!(live.body["pledged_krw"], 6 * 36_000);
    app.clock.advance(3 * DAY);
    let view = app
        .get(&format!("/campaigns/{cid}"), &w.company.token)
        .await;
    assert_eq!(view.body["status"], "failed");
    for p in view.body["pledges"].as_array().expect("pledges") {
        assert_eq!(p["status"], "released");
    }
    let late = app
        .post(
            &format!("/campaigns/{cid}/pledges"),
            ADMIN,
            &key(),
            json!({"viewer": "viewer-4", "size": "S", "quantity": 1}),
        )
        .await;
    assert_eq!(late.status, 409);
    assert_eq!(late.body["code"], "pledge_refused");
    let cancel = app
        .post(
            &format!("/pledges/{}/cancel", ids[0]),
            ADMIN,
            &key(),
            json!({}),
        )
        .await;
    assert_eq!(cancel.status, 409);
    let ship = app
        .post(
            &format!("/pledges/{}/shipment", ids[0]),
            &w.company.token,
            &key(),
            json!({"state": "shipped", "carrier": "x", "tracking_no": "1"}),
        )
        .await;
    assert_eq!(ship.status, 409);
    assert_eq!(ship.body["code"], "not_an_order");
}

crate::on_both!(failed_campaign_releases_every_pledge);

async fn concurrent_pledges_at_the_cap(app: TestApp) {
    let w = world(&app, 24).await;
    let cid = campaign(&app, &w, 10, Some(10)).await;
    // 8 units are taken; 24 viewers race for the last 2.
    for i in 0..8 {
        let r = app
            .post(
                &format!("/campaigns/{cid}/pledges"),
                ADMIN,
                &key(),
                json!({"viewer": format!("viewer-{i}"), "size": "L", "quantity": 1}),
            )
            .await;
        assert_eq!(r.status, 201);
    }
    let mut tasks = Vec::new();
    for i in 0..24 {
        let (client, base, cid) = (app.client.clone(), app.base.clone(), cid.clone());
        tasks.push(tokio::spawn(async move {
            client
                .post(format!("{base}/campaigns/{cid}/pledges"))
                .bearer_auth(ADMIN)
                .header("idempotency-key", uuid::Uuid::new_v4().to_string())
                .json(&json!({"viewer": format!("viewer-{i}"), "size": "L", "quantity": 1}))
                .send()
                .await
                .expect("request")
                .status()
                .as_u16()
        }));
    }
    let mut codes = Vec::new();
    for t in tasks {
        codes.push(t.await.expect("join"));
    }
    assert_eq!(codes.iter().filter(|c| **c == 201).count(), 2, "{codes:?}");
    assert_eq!(codes.iter().filter(|c| **c == 409).count(), 22, "{codes:?}");
    let view = app
        .get(&format!("/campaigns/{cid}"), &w.company.token)
        .await;
    assert_eq!(view.body["pledged_units"], 10);
    app.clock.advance(3 * DAY);
    let view = app
        .get(&format!("/campaigns/{cid}"), &w.company.token)
        .await;
    assert_eq!(view.body["status"], "funded");
}

crate::on_both!(concurrent_pledges_at_the_cap);
