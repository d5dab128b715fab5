//! Malformed bodies: each gets a clear 4xx naming the problem, and nothing is stored.

use serde_json::json;

use crate::fixtures::{deliver, intent, org};
use crate::helpers::{ADMIN, TestApp, key};

async fn malformed_bodies_are_refused_and_nothing_is_stored(app: TestApp) {
    let company = org(&app, "Co.", "production_company", None).await;
    let cases: Vec<(&str, String, u16, &str)> = vec![
        ("/intake/events", "{not json".into(), 400, "malformed_json"),
        ("/intake/events", "[1,2]".into(), 400, "malformed_json"),
        ("/intake/events", json!({"event_id": "e-1"}).to_string(), 422, "invalid_body"),
        ("/intake/events", { let mut e = intent("e-2", "v", "g", "d", 1); e["quantity"] = json!(0); e.to_string() }, 422, "invalid_body"),
        ("/intake/events", { let mut e = intent("e-3", "v", "g", "d", 1); e["size"] = json!("XXXL"); e.to_string() }, 422, "invalid_body"),
        ("/intake/events", { let mut e = intent("e-4", "v", "g", "d", 1); e["kind"] = json!("teleport"); e.to_string() }, 422, "invalid_body"),
        ("/intake/events", json!({"event_id": "e-5", "show": "s", "viewer": "v", "occurred_at": 1, "kind": "rating",
            "look": "l", "designer": "d", "garment": "g", "stars": 9}).to_string(), 422, "invalid_body"),
    ];
    for (path, body, status, code) in cases {
        let id = serde_json::from_str::<serde_json::Value>(&body)
            .ok()
            .and_then(|v| v["event_id"].as_str().map(String::from))
            .unwrap_or_else(|| "e-x".into());
        let r = app.post_raw(path, ADMIN, Some(&id), &body).await;
        assert_eq!(r.status, status, "{body}: {:?}", r.body);
        assert_eq!(r.body["code"], code, "{body}");
        assert!(r.body["message"].as_str().is_some_and(|m| m.len() > 10));
    }
    // The key must match the event id.
    let r = app
        .post(
            "/intake/events",
            ADMIN,
            "other-key",
            intent("e-6", "v", "g", "d", 1),
        )
        .await;
    assert_eq!(r.body["code"], "key_mismatch");
    let d = app.get("/designs", ADMIN).await;
    assert_eq!(
        d.body["designs"].as_array().map(Vec::len),
        Some(0),
        "nothing was stored: {:?}",
        d.body
    );

    // Path-precise errors on nested fields.
    let r = app
        .post(
            "/negotiations",
            &company.token,
            &key(),
            json!({"garment": "g", "unit_price_krw": "lots", "quantity": 1}),
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(
        r.body["message"]
            .as_str()
            .unwrap_or("")
            .contains("unit_price_krw"),
        "{:?}",
        r.body
    );
    let r = app
        .post(
            "/negotiations",
            &company.token,
            &key(),
            json!({"garment": "g", "unit_price_krw": -5, "quantity": 1}),
        )
        .await;
    assert_eq!(r.status, 422);
    let r = app
        .post(
            "/negotiations",
            &company.token,
            &key(),
            json!({"garment": "g", "unit_price_krw": 5, "quantity": 1, "surprise": true}),
        )
        .await;
    assert_eq!(r.status, 422);
    let r = app.post("/projects", &company.token, &key(), json!({"contract_id": "c", "garment_type": "skirt", "due_at": 1, "tech_pack": {"info": 3}})).await;
    assert_eq!(r.status, 422);
    assert_eq!(r.body["code"], "invalid_tech_pack");
    let r = app
        .post(
            "/orgs/me/signing-key",
            &company.token,
            &key(),
            json!({"public_key": "c2hvcnQ="}),
        )
        .await;
    assert_eq!(r.status, 422);
    assert_eq!(r.body["code"], "bad_public_key");
    let r = app
        .post(
            "/negotiations/ng_x/accept",
            &company.token,
            &key(),
            json!({"unexpected": 1}),
        )
        .await;
    assert_eq!(r.status, 400);

    // A valid event is then accepted once.
    assert_eq!(
        deliver(&app, &intent("e-ok", "v", "g", "d", 2))
            .await
            .status,
        200
    );
    let d = app.get("/designs", ADMIN).await;
    assert_eq!(d.body["designs"][0]["score"]["intent_units"], 2);
}

crate::on_both!(malformed_bodies_are_refused_and_nothing_is_stored);
