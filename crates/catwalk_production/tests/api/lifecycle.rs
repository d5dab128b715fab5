//! State machines through the API: counter-offers and turns, signatures (wrong key,
//! twice, before production), rejection, and work-order cancellation.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use ed25519_dalek::Signer;
use serde_json::json;

use crate::fixtures::{
    DESIGNER, GARMENT, deliver, intent, org, register_key, sign, signing_key, tech_pack,
};
use crate::helpers::{DAY, T0, TestApp, key};

async fn negotiation_contract_and_work_order_rules(app: TestApp) {
    deliver(&app, &intent("i-1", "viewer-1", GARMENT, DESIGNER, 1)).await;
    let company = org(&app, "Co.", "production_company", None).await;
    let designer = org(&app, "Studio", "designer", Some(DESIGNER)).await;
    let (ck, dk) = (signing_key(3), signing_key(4));
    let open = json!({"garment": GARMENT, "unit_price_krw": 10_000, "quantity": 100});
    // Without signing keys the terms cannot become a contract.
    let n = app
        .post("/negotiations", &company.token, &key(), open.clone())
        .await;
    let nid = n.body["id"].as_str().expect("id").to_string();
    let early = app
        .post(
            &format!("/negotiations/{nid}/accept"),
            &designer.token,
            &key(),
            json!({}),
        )
        .await;
    assert_eq!(early.status, 409);
    assert_eq!(early.body["code"], "no_signing_key");
    register_key(&app, &company, &ck).await;
    register_key(&app, &designer, &dk).await;

    // Turns: the company may not answer its own offer; the designer counters.
    let own = app
        .post(
            &format!("/negotiations/{nid}/accept"),
            &company.token,
            &key(),
            json!({}),
        )
        .await;
    assert_eq!(own.body["code"], "not_your_turn");
    let counter = app
        .post(
            &format!("/negotiations/{nid}/offers"),
            &designer.token,
            &key(),
            json!({"unit_price_krw": 12_000, "quantity": 100, "royalty_bp": 300}),
        )
        .await;
    assert_eq!(counter.status, 201, "{:?}", counter.body);
    assert_eq!(counter.body["status"]["awaiting"], company.id.as_str());
    assert_eq!(counter.body["offers"][0]["response"], "countered");
    let c = app
        .post(
            &format!("/negotiations/{nid}/accept"),
            &company.token,
            &key(),
            json!({}),
        )
        .await;
    assert_eq!(c.status, 201, "{:?}", c.body);
    let contract = c.body["id"].as_str().expect("contract").to_string();
    let doc: serde_json::Value =
        serde_json::from_str(c.body["document"].as_str().expect("doc")).expect("json");
    assert_eq!(doc["unit_price_krw"], 12_000);
    assert_eq!(doc["total_krw"], 1_200_000);
    assert_eq!(doc["royalty_bp"], 300);
    let after = app
        .post(
            &format!("/negotiations/{nid}/offers"),
            &designer.token,
            &key(),
            json!({"unit_price_krw": 1, "quantity": 1}),
        )
        .await;
    assert_eq!(after.status, 409);

    // Production needs both signatures; a signature by another key is refused.
    let project = json!({"contract_id": contract, "garment_type": "skirt", "due_at": T0 + 20 * DAY, "tech_pack": tech_pack(GARMENT, 100)});
    assert_eq!(
        app.post("/projects", &company.token, &key(), project.clone())
            .await
            .body["code"],
        "contract_not_signed"
    );
    let text = app
        .get(&format!("/contracts/{contract}"), &company.token)
        .await
        .body["document"]
        .as_str()
        .expect("doc")
        .to_string();
    let forged = STANDARD.encode(signing_key(99).sign(text.as_bytes()).to_bytes());
    let bad = app
        .post(
            &format!("/contracts/{contract}/signatures"),
            &company.token,
            &key(),
            json!({"signature": forged}),
        )
        .await;
    assert_eq!(bad.status, 422);
    assert_eq!(bad.body["code"], "bad_signature");
    assert_eq!(sign(&app, &company, &ck, &contract).await.status, 201);
    assert_eq!(
        sign(&app, &company, &ck, &contract).await.body["code"],
        "already_signed"
    );
    let partly = app
        .get(&format!("/contracts/{contract}/verify"), &company.token)
        .await;
    assert_eq!(partly.body["valid"], false);
    assert_eq!(partly.body["hash_matches"], true);
    assert_eq!(sign(&app, &designer, &dk, &contract).await.status, 201);
    assert_eq!(
        app.get(&format!("/contracts/{contract}/verify"), &designer.token)
            .await
            .body["valid"],
        true
    );
    let wrong_pack = json!({"contract_id": contract, "garment_type": "skirt", "due_at": T0 + 20 * DAY, "tech_pack": tech_pack("another-design", 100)});
    assert_eq!(
        app.post("/projects", &company.token, &key(), wrong_pack)
            .await
            .body["code"],
        "tech_pack_mismatch"
    );
    let p = app
        .post("/projects", &company.token, &key(), project.clone())
        .await;
    assert_eq!(p.status, 201, "{:?}", p.body);
    assert_eq!(
        app.post("/projects", &company.token, &key(), project)
            .await
            .body["code"],
        "project_exists"
    );
    let pid = p.body["id"].as_str().expect("id").to_string();

    // A pattern maker's work order: one stage; progress needs acceptance; cancelled is final.
    let maker = org(&app, "Pattern Lab", "partner", None).await;
    let profile = json!({"kind": "pattern_maker", "garment_types": ["skirt"], "fabrics": [], "capacity_per_day": 3,
        "lead_time_days": 2, "moq": 1, "district": "Sindang-dong", "price_level": 3});
    assert_eq!(
        app.post("/partners/me/profile", &maker.token, &key(), profile)
            .await
            .status,
        200
    );
    let rec = app
        .get(
            &format!("/projects/{pid}/recommendations?kind=pattern_maker"),
            &company.token,
        )
        .await;
    assert_eq!(
        rec.body["recommended"][0]["partner_id"],
        maker.id.as_str(),
        "{:?}",
        rec.body
    );
    let wo = app.post(&format!("/projects/{pid}/work-orders"), &company.token, &key(),
        json!({"partner_id": maker.id, "due_at": T0 + 3 * DAY, "unit_prices": {"pattern": 150_000}})).await;
    assert_eq!(wo.status, 201, "{:?}", wo.body);
    assert_eq!(wo.body["quantity"], 1);
    let id = wo.body["id"].as_str().expect("id").to_string();
    let report = json!({"stage": "pattern", "worker": "Mr. Lee", "good": 1});
    let unaccepted = app
        .post(
            &format!("/work-orders/{id}/progress"),
            &maker.token,
            &key(),
            report.clone(),
        )
        .await;
    assert_eq!(unaccepted.status, 409);
    assert!(
        unaccepted.body["message"]
            .as_str()
            .unwrap_or("")
            .contains("accept it first")
    );
    assert_eq!(
        app.post(
            &format!("/work-orders/{id}/accept"),
            &company.token,
            &key(),
            json!({})
        )
        .await
        .status,
        403
    );
    assert_eq!(
        app.post(
            &format!("/work-orders/{id}/accept"),
            &maker.token,
            &key(),
            json!({})
        )
        .await
        .status,
        200
    );
    assert_eq!(
        app.post(
            &format!("/work-orders/{id}/accept"),
            &maker.token,
            &key(),
            json!({})
        )
        .await
        .status,
        409
    );
    assert_eq!(
        app.post(
            &format!("/work-orders/{id}/cancel"),
            &company.token,
            &key(),
            json!({})
        )
        .await
        .status,
        200
    );
    let late = app
        .post(
            &format!("/work-orders/{id}/progress"),
            &maker.token,
            &key(),
            report,
        )
        .await;
    assert_eq!(late.status, 409);
    assert_eq!(
        app.get(&format!("/work-orders/{id}"), &maker.token)
            .await
            .body["status"],
        "cancelled"
    );

    // A rejected negotiation ends.
    let n2 = app
        .post("/negotiations", &company.token, &key(), open)
        .await;
    let n2 = n2.body["id"].as_str().expect("id").to_string();
    let r = app
        .post(
            &format!("/negotiations/{n2}/reject"),
            &designer.token,
            &key(),
            json!({}),
        )
        .await;
    assert_eq!(r.body["status"]["state"], "rejected");
    let again = app
        .post(
            &format!("/negotiations/{n2}/accept"),
            &designer.token,
            &key(),
            json!({}),
        )
        .await;
    assert_eq!(again.status, 409);
}

crate::on_both!(negotiation_contract_and_work_order_rules);
