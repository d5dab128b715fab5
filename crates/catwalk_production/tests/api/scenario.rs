//! The end-to-end scenario through the API: a design arrives with ratings and intent →
//! ranking → negotiation and signed contract → recommendation → work order → progress →
//! statement and KPIs → funded campaign → shipping → general sale → ratings that raise
//! the partner's score.

use serde_json::json;

use crate::fixtures::{DESIGNER, GARMENT, accepted_work_order, deliver, rating, world};
use crate::helpers::{ADMIN, DAY, T0, TestApp, key};

async fn factory_score(app: &TestApp, w: &crate::fixtures::World) -> f64 {
    let r = app
        .get(
            &format!(
                "/projects/{}/recommendations?kind=sewing_factory&quantity=4",
                w.project
            ),
            &w.company.token,
        )
        .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    let rec = r.body["recommended"].as_array().expect("list");
    let me = rec
        .iter()
        .find(|e| e["partner_id"] == w.factory.id.as_str())
        .expect("the factory is recommended");
    me["score"].as_f64().expect("score")
}

async fn end_to_end(app: TestApp) {
    // Ratings: the popular design gets many, an obscure one a single 5-star rating.
    for i in 0..6 {
        let r = deliver(
            &app,
            &rating(
                &format!("rating-{i}"),
                &format!("viewer-{i}"),
                GARMENT,
                DESIGNER,
                4,
                T0,
            ),
        )
        .await;
        assert_eq!(r.status, 200);
    }
    deliver(
        &app,
        &rating(
            "rating-lone",
            "fan-1",
            "obscure-top-0001",
            "Someone Else",
            5,
            T0,
        ),
    )
    .await;
    // A newer rating from viewer-0 replaces the old one; an older one arriving late does not.
    deliver(
        &app,
        &rating("rating-0b", "viewer-0", GARMENT, DESIGNER, 5, T0 + 1000),
    )
    .await;
    deliver(
        &app,
        &rating("rating-0c", "viewer-0", GARMENT, DESIGNER, 1, T0 - 1000),
    )
    .await;
    let w = world(&app, 8).await;

    let ranking = app.get("/designs", &w.company.token).await;
    assert_eq!(ranking.status, 200);
    let designs = ranking.body["designs"].as_array().expect("designs");
    assert_eq!(designs[0]["garment"], GARMENT, "{designs:?}");
    let s = &designs[0]["score"];
    assert_eq!(s["rating"]["count"], 6);
    assert!((s["rating"]["mean"].as_f64().unwrap_or(0.0) - 25.0 / 6.0).abs() < 1e-9);
    assert_eq!(s["rating"]["prior"]["weight"], 5.0);
    assert_eq!(s["intent_viewers"], 8);
    assert!(
        s["explanation"]
            .as_str()
            .unwrap_or("")
            .contains("8 of 8 engaged viewers")
    );

    let one = app
        .get(&format!("/designs/{GARMENT}"), &w.company.token)
        .await;
    assert_eq!(one.body["intent_units_by_size"]["M"], 8, "{:?}", one.body);
    // The contract verifies and cannot be signed twice.
    let v = app
        .get(
            &format!("/contracts/{}/verify", w.contract),
            &w.designer.token,
        )
        .await;
    assert_eq!(v.body["valid"], true, "{:?}", v.body);
    let c = app
        .get(&format!("/contracts/{}", w.contract), &w.company.token)
        .await;
    assert_eq!(c.body["status"], "signed");
    let doc: serde_json::Value =
        serde_json::from_str(c.body["document"].as_str().unwrap_or("{}")).expect("doc");
    assert_eq!(doc["total_krw"], 1_000_000);

    // Recommendation: the big factory is filtered out by its minimum order.
    let r = app
        .get(
            &format!(
                "/projects/{}/recommendations?kind=sewing_factory&quantity=4",
                w.project
            ),
            &w.company.token,
        )
        .await;
    let excluded = r.body["excluded"].as_array().expect("excluded");
    assert_eq!(excluded.len(), 1);
    assert_eq!(excluded[0]["partner_id"], w.big_factory.id.as_str());
    assert!(
        excluded[0]["excluded_because"][0]
            .as_str()
            .unwrap_or("")
            .contains("minimum order 500")
    );
    let parts = r.body["recommended"][0]["parts"].as_array().expect("parts");
    let sum: f64 = parts
        .iter()
        .map(|p| p["weight"].as_f64().unwrap_or(0.0) * p["value"].as_f64().unwrap_or(0.0))
        .sum();
    assert!((sum - r.body["recommended"][0]["score"].as_f64().unwrap_or(0.0)).abs() < 1e-9);
    let before = factory_score(&app, &w).await;

    // Work order and progress through every stage; sewing cannot run ahead of cutting.
    let wo = accepted_work_order(&app, &w, 4).await;
    let id = wo["id"].as_str().expect("id").to_string();
    assert!(
        wo["shop_floor_url"]
            .as_str()
            .unwrap_or("")
            .starts_with(&format!("{}/wo/wot_", app.base))
    );
    let over = app
        .post(
            &format!("/projects/{}/work-orders", w.project),
            &w.company.token,
            &key(),
            json!({"partner_id": w.factory.id, "quantity": 97, "due_at": T0 + 10 * DAY,
                "unit_prices": {"cutting": 1, "sewing": 1, "finishing": 1, "qc": 1, "packing": 1}}),
        )
        .await;
    assert_eq!(
        over.status, 409,
        "4 + 97 > the contracted 100: {:?}",
        over.body
    );
    let ahead = app
        .post(
            &format!("/work-orders/{id}/progress"),
            &w.factory.token,
            &key(),
            json!({"stage": "sewing", "worker": "Min-ji", "good": 1}),
        )
        .await;
    assert_eq!(ahead.status, 422, "{:?}", ahead.body);
    let steps = [
        ("cutting", "Seo-yeon", 5, 1),
        ("sewing", "Min-ji", 4, 1),
        ("finishing", "Min-ji", 4, 0),
        ("qc", "Hye-jin", 4, 0),
        ("packing", "Hye-jin", 4, 0),
    ];
    for (stage, worker, good, defects) in steps {
        app.clock.advance(DAY / 2);
        let r = app
            .post(
                &format!("/work-orders/{id}/progress"),
                &w.factory.token,
                &key(),
                json!({"stage": stage, "worker": worker, "good": good, "defects": defects}),
            )
            .await;
        assert_eq!(r.status, 201, "{stage}: {:?}", r.body);
    }
    let done = app
        .get(&format!("/work-orders/{id}"), &w.company.token)
        .await;
    assert_eq!(done.body["status"], "completed");

    // Settlement: good pieces × unit price, in whole won.
    let st = app.get("/statements", &w.company.token).await;
    let expected = 5 * 300 + 4 * 1200 + 4 * 250 + 4 * 100 + 4 * 50;
    assert_eq!(st.body["total_krw"], expected);
    let minji = st.body["per_worker"]
        .as_array()
        .expect("workers")
        .iter()
        .find(|x| x["worker"] == "Min-ji")
        .cloned()
        .expect("Min-ji");
    assert_eq!(minji["amount_krw"], 4 * 1200 + 4 * 250);
    let kpis = app.get("/kpis", &w.factory.token).await;
    let k = &kpis.body["partners"][0];
    assert_eq!(k["on_time_rate"], 1.0);
    assert_eq!(k["completed_work_orders"], 1);
    assert!((k["mean_lead_time_days"].as_f64().unwrap_or(0.0) - 2.5).abs() < 1e-9);
    assert!((k["defect_rate"].as_f64().unwrap_or(0.0) - 2.0 / 23.0).abs() < 1e-9);

    // Campaign: offered to the 8 intent holders, funded at the deadline.
    let c = app.post(&format!("/projects/{}/campaign", w.project), &w.company.token, &key(),
        json!({"goal_units": 5, "list_price_krw": 59_000, "discount_pct": 15, "deadline": app.clock.now_ms() + 7 * DAY})).await;
    assert_eq!(c.status, 201, "{:?}", c.body);
    assert_eq!(c.body["unit_price_krw"], 50_150);
    assert_eq!(c.body["eligible_viewers"], 8);
    let cid = c.body["id"].as_str().expect("id").to_string();
    let stranger = app
        .post(
            &format!("/campaigns/{cid}/pledges"),
            ADMIN,
            &key(),
            json!({"viewer": "never-watched", "size": "M", "quantity": 1}),
        )
        .await;
    assert_eq!(stranger.status, 409);
    let mut pledges = Vec::new();
    for i in 0..6 {
        let r = app
            .post(
                &format!("/campaigns/{cid}/pledges"),
                ADMIN,
                &key(),
                json!({"viewer": format!("viewer-{i}"), "size": "M", "quantity": 1}),
            )
            .await;
        assert_eq!(r.status, 201, "{:?}", r.body);
        pledges.push(r.body["id"].as_str().expect("id").to_string());
    }
    let cancelled = pledges.pop().expect("one");
    assert_eq!(
        app.post(
            &format!("/pledges/{cancelled}/cancel"),
            ADMIN,
            &key(),
            json!({})
        )
        .await
        .status,
        200
    );
    app.clock.advance(8 * DAY);
    let view = app
        .get(&format!("/campaigns/{cid}"), &w.company.token)
        .await;
    assert_eq!(view.body["status"], "funded");
    assert_eq!(view.body["pledged_units"], 5);
    assert_eq!(view.body["pledged_krw"], 5 * 50_150);
    let statuses: Vec<&str> = view.body["pledges"]
        .as_array()
        .expect("p")
        .iter()
        .filter_map(|p| p["status"].as_str())
        .collect();
    assert_eq!(statuses.iter().filter(|s| **s == "collected").count(), 5);
    assert_eq!(statuses.iter().filter(|s| **s == "cancelled").count(), 1);

    // The sale waits for shipping; ship every order to delivery.
    let early = app
        .post(
            &format!("/projects/{}/sale", w.project),
            &w.company.token,
            &key(),
            json!({"price_krw": 59_000}),
        )
        .await;
    assert_eq!(early.status, 409);
    for (i, p) in pledges.iter().enumerate() {
        let path = format!("/pledges/{p}/shipment");
        let r = app.post(&path, &w.company.token, &key(), json!({"state": "shipped", "carrier": "CJ Logistics", "tracking_no": format!("5567{i:04}")})).await;
        assert_eq!(r.status, 201, "{:?}", r.body);
        assert_eq!(
            app.post(
                &path,
                &w.company.token,
                &key(),
                json!({"state": "in_transit"})
            )
            .await
            .status,
            201
        );
        assert_eq!(
            app.post(
                &path,
                &w.company.token,
                &key(),
                json!({"state": "delivered"})
            )
            .await
            .status,
            201
        );
        assert_eq!(
            app.post(
                &path,
                &w.company.token,
                &key(),
                json!({"state": "in_transit"})
            )
            .await
            .status,
            409
        );
    }
    let sale = app
        .post(
            &format!("/projects/{}/sale", w.project),
            &w.company.token,
            &key(),
            json!({"price_krw": 59_000}),
        )
        .await;
    assert_eq!(sale.status, 200, "{:?}", sale.body);

    // Ratings feed the recommendation score.
    for i in 0..5 {
        let r = app
            .post(
                &format!("/projects/{}/product-ratings", w.project),
                ADMIN,
                &key(),
                json!({"viewer": format!("viewer-{i}"), "stars": 5}),
            )
            .await;
        assert_eq!(r.status, 201, "{:?}", r.body);
    }
    let not_buyer = app
        .post(
            &format!("/projects/{}/product-ratings", w.project),
            ADMIN,
            &key(),
            json!({"viewer": "viewer-7", "stars": 1}),
        )
        .await;
    assert_eq!(not_buyer.status, 409);
    let pr = app
        .post(
            &format!("/partners/{}/ratings", w.factory.id),
            &w.company.token,
            &key(),
            json!({"project_id": w.project, "stars": 5, "comment": "clean seams"}),
        )
        .await;
    assert_eq!(pr.status, 201, "{:?}", pr.body);
    assert_eq!(pr.body["record"]["rating"]["count"], 6);
    let company = app.get("/orgs/me", &w.company.token).await;
    assert_eq!(company.body["rating"]["count"], 5, "{:?}", company.body);
    assert!((company.body["rating"]["score"].as_f64().unwrap_or(0.0) - 40.0 / 10.0).abs() < 1e-9);
    let after = factory_score(&app, &w).await;
    assert!(after > before, "score {before} → {after}");
}

crate::on_both!(end_to_end);
