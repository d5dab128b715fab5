//! Stripe-style idempotency keys: the same key replays the stored response; the same key
//! with a different body is refused; concurrent retries do the work once.

use serde_json::json;

use crate::fixtures::{GARMENT, intent, org, world};
use crate::helpers::{ADMIN, TestApp, key};

async fn repeated_and_conflicting_keys(app: TestApp) {
    let w = world(&app, 2).await;
    let body = json!({"garment": GARMENT, "unit_price_krw": 9_000, "quantity": 50});
    let k = key();
    let first = app
        .post("/negotiations", &w.company.token, &k, body.clone())
        .await;
    assert_eq!(first.status, 201);
    assert!(!first.replayed);
    let again = app
        .post("/negotiations", &w.company.token, &k, body.clone())
        .await;
    assert_eq!(again.status, 201);
    assert!(again.replayed);
    assert_eq!(again.body, first.body);
    // Reordered keys are the same request.
    let reordered = r#"{"quantity":50,"unit_price_krw":9000,"garment":"aline-skirt-0007"}"#;
    let third = app
        .post_raw("/negotiations", &w.company.token, Some(&k), reordered)
        .await;
    assert_eq!(third.body["id"], first.body["id"]);
    let different = app
        .post(
            "/negotiations",
            &w.company.token,
            &k,
            json!({"garment": GARMENT, "unit_price_krw": 9_500, "quantity": 50}),
        )
        .await;
    assert_eq!(different.status, 422);
    assert_eq!(different.body["code"], "idempotency_key_reused");
    let missing = app
        .post_raw("/negotiations", &w.company.token, None, &body.to_string())
        .await;
    assert_eq!(missing.status, 400);
    assert_eq!(missing.body["code"], "idempotency_key_required");
    // Keys are scoped per organisation: another company's identical key is its own.
    let other = org(&app, "Other Co.", "production_company", None).await;
    let theirs = app
        .post("/negotiations", &other.token, &k, body.clone())
        .await;
    assert_eq!(theirs.status, 201);
    assert!(!theirs.replayed);
    assert_ne!(theirs.body["id"], first.body["id"]);
    // A refused request stores nothing: the same key works once the request is fixed.
    let k2 = key();
    let bad = app
        .post(
            "/negotiations",
            &w.company.token,
            &k2,
            json!({"garment": "no-such-design", "unit_price_krw": 1, "quantity": 1}),
        )
        .await;
    assert_eq!(bad.status, 404);
    let fixed = app
        .post(
            "/negotiations",
            &w.company.token,
            &k2,
            json!({"garment": GARMENT, "unit_price_krw": 1, "quantity": 1}),
        )
        .await;
    assert_eq!(fixed.status, 201, "{:?}", fixed.body);
}

crate::on_both!(repeated_and_conflicting_keys);

async fn concurrent_retries_do_the_work_once(app: TestApp) {
    let event = intent(
        "intent-race",
        "viewer-race",
        "race-dress-01",
        "Race Designer",
        3,
    );
    let mut tasks = Vec::new();
    for _ in 0..12 {
        let (client, base, event) = (app.client.clone(), app.base.clone(), event.clone());
        tasks.push(tokio::spawn(async move {
            let r = client
                .post(format!("{base}/intake/events"))
                .bearer_auth(ADMIN)
                .header("idempotency-key", "intent-race")
                .json(&event)
                .send()
                .await
                .expect("request");
            let replayed = r.headers().get("idempotent-replayed").is_some();
            (r.status().as_u16(), replayed)
        }));
    }
    let mut results = Vec::new();
    for t in tasks {
        results.push(t.await.expect("join"));
    }
    assert!(results.iter().all(|(s, _)| *s == 200), "{results:?}");
    assert_eq!(results.iter().filter(|(_, r)| !r).count(), 1, "{results:?}");
    let d = app.get("/designs/race-dress-01", ADMIN).await;
    assert_eq!(d.body["score"]["intent_units"], 3);
    // The same event id with a different body is a different request.
    let mut changed = event.clone();
    changed["quantity"] = json!(4);
    let r = app
        .post("/intake/events", ADMIN, "intent-race", changed)
        .await;
    assert_eq!(r.status, 422);
}

crate::on_both!(concurrent_retries_do_the_work_once);

async fn expired_keys_are_pruned(app: TestApp) {
    let company = org(&app, "Prune Co.", "production_company", None).await;
    let k = key();
    let sk = crate::fixtures::signing_key(9);
    let body = json!({"public_key": base64::Engine::encode(&base64::engine::general_purpose::STANDARD, sk.verifying_key().to_bytes())});
    assert_eq!(
        app.post("/orgs/me/signing-key", &company.token, &k, body.clone())
            .await
            .status,
        200
    );
    assert!(
        app.post("/orgs/me/signing-key", &company.token, &k, body.clone())
            .await
            .replayed
    );
    let later = app.clock.now_ms() + catwalk_production::api::idempotency::RETENTION_MS + 1;
    assert_eq!(
        app.prune(later).await,
        2,
        "the organisation's creation and the key registration"
    );
    let again = app
        .post("/orgs/me/signing-key", &company.token, &k, body)
        .await;
    assert!(!again.replayed, "a pruned key is forgotten");
}

crate::on_both!(expired_keys_are_pruned);
