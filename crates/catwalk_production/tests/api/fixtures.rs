//! Building blocks for the scenarios: organisations, intake events, signing keys, a real
//! tech pack from `catwalk_garment`, and a project whose contract both parties signed.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use catwalk_garment::BodyMeasurements;
use catwalk_garment::programs::{SkirtDesign, SkirtStyle, skirt};
use catwalk_garment::techpack::{TechPack, WorkOrderInfo};
use ed25519_dalek::{Signer, SigningKey};
use serde_json::{Value, json};

use crate::helpers::{ADMIN, DAY, T0, TestApp, key};

/// The garment reference of the design most scenarios produce.
pub const GARMENT: &str = "aline-skirt-0007";
/// Its designer as the show credits them.
pub const DESIGNER: &str = "Kim Jiwoo";

/// An organisation: id and token.
#[derive(Debug, Clone)]
pub struct OrgRef {
    pub id: String,
    pub token: String,
}

pub async fn org(app: &TestApp, name: &str, role: &str, handle: Option<&str>) -> OrgRef {
    let r = app
        .post("/orgs", ADMIN, &key(), json!({"name": name, "role": role, "handle": handle, "lat_e6": 37_571_000, "lon_e6": 127_009_000}))
        .await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    OrgRef {
        id: r.body["id"].as_str().expect("id").to_string(),
        token: r.body["token"].as_str().expect("token").to_string(),
    }
}

/// A purchase-intent event body.
pub fn intent(event: &str, viewer: &str, garment: &str, designer: &str, quantity: u32) -> Value {
    json!({"event_id": event, "show": "show-2027-spring", "viewer": viewer, "occurred_at": (T0 as u64) * 1000,
        "kind": "purchase_intent", "look": format!("look-{garment}"), "designer": designer, "garment": garment,
        "size": "M", "quantity": quantity})
}

/// A rating event body.
pub fn rating(
    event: &str,
    viewer: &str,
    garment: &str,
    designer: &str,
    stars: u8,
    at_ms: i64,
) -> Value {
    json!({"event_id": event, "show": "show-2027-spring", "viewer": viewer, "occurred_at": (at_ms as u64) * 1000,
        "kind": "rating", "look": format!("look-{garment}"), "designer": designer, "garment": garment, "stars": stars})
}

/// Posts an event the way the show server does.
pub async fn deliver(app: &TestApp, event: &Value) -> crate::helpers::Resp {
    let id = event["event_id"].as_str().expect("event id").to_string();
    app.post("/intake/events", ADMIN, &id, event.clone()).await
}

/// A deterministic signing key.
pub fn signing_key(seed: u8) -> SigningKey {
    SigningKey::from_bytes(&[seed; 32])
}

pub async fn register_key(app: &TestApp, o: &OrgRef, sk: &SigningKey) {
    let r = app
        .post(
            "/orgs/me/signing-key",
            &o.token,
            &key(),
            json!({"public_key": STANDARD.encode(sk.verifying_key().to_bytes())}),
        )
        .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
}

/// Signs a contract's exact document text.
pub async fn sign(
    app: &TestApp,
    o: &OrgRef,
    sk: &SigningKey,
    contract: &str,
) -> crate::helpers::Resp {
    let c = app.get(&format!("/contracts/{contract}"), &o.token).await;
    let doc = c.body["document"].as_str().expect("document").to_string();
    let sig = STANDARD.encode(sk.sign(doc.as_bytes()).to_bytes());
    app.post(
        &format!("/contracts/{contract}/signatures"),
        &o.token,
        &key(),
        json!({"signature": sig}),
    )
    .await
}

/// A real tech pack for an A-line skirt named `garment`, for `quantity` garments.
pub fn tech_pack(garment: &str, quantity: u32) -> Value {
    let mut pattern = skirt(
        &BodyMeasurements::average(),
        &SkirtDesign::new(SkirtStyle::ALine { flare_cm: 10.0 }),
    )
    .expect("the skirt drafts");
    for p in &mut pattern.panels {
        p.cutting.fabric = Some("cotton".into());
    }
    let info = WorkOrderInfo {
        work_order_id: "template".into(),
        garment: garment.into(),
        size: "M".into(),
        quantity,
        qr_payload: String::new(),
    };
    let pack = TechPack::new(&pattern, info, None).expect("the tech pack builds");
    serde_json::from_str(&pack.to_json()).expect("json")
}

/// A sewing factory profile.
pub fn factory_profile(moq: i64, price_level: i64) -> Value {
    json!({"kind": "sewing_factory", "garment_types": ["skirt", "dress"], "fabrics": ["cotton", "linen"],
        "capacity_per_day": 50, "lead_time_days": 5, "moq": moq, "district": "Changsin-dong",
        "lat_e6": 37_576_000, "lon_e6": 127_015_000, "price_level": price_level})
}

/// Everything up to a project with a signed contract.
pub struct World {
    pub company: OrgRef,
    pub designer: OrgRef,
    pub factory: OrgRef,
    pub big_factory: OrgRef,
    pub contract: String,
    pub project: String,
}

/// Intake → negotiation → signed contract → project, asserting each step.
pub async fn world(app: &TestApp, viewers: usize) -> World {
    let company = org(app, "Dongdaemun Made Co.", "production_company", None).await;
    let designer = org(app, "Kim Jiwoo Studio", "designer", Some(DESIGNER)).await;
    let factory = org(app, "Changsin Sewing", "partner", None).await;
    let big_factory = org(app, "Big Volume Factory", "partner", None).await;
    for (o, p) in [
        (&factory, factory_profile(2, 2)),
        (&big_factory, factory_profile(500, 1)),
    ] {
        let r = app.post("/partners/me/profile", &o.token, &key(), p).await;
        assert_eq!(r.status, 200, "{:?}", r.body);
    }
    for i in 0..viewers {
        let r = deliver(
            app,
            &intent(
                &format!("intent-{i}"),
                &format!("viewer-{i}"),
                GARMENT,
                DESIGNER,
                1,
            ),
        )
        .await;
        assert_eq!(r.status, 200, "{:?}", r.body);
    }
    let (ck, dk) = (signing_key(1), signing_key(2));
    register_key(app, &company, &ck).await;
    register_key(app, &designer, &dk).await;
    let n = app
        .post("/negotiations", &company.token, &key(), json!({"garment": GARMENT, "unit_price_krw": 10_000, "quantity": 100, "royalty_bp": 500, "terms": "net 30"}))
        .await;
    assert_eq!(n.status, 201, "{:?}", n.body);
    let nid = n.body["id"].as_str().expect("id").to_string();
    let c = app
        .post(
            &format!("/negotiations/{nid}/accept"),
            &designer.token,
            &key(),
            json!({}),
        )
        .await;
    assert_eq!(c.status, 201, "{:?}", c.body);
    let contract = c.body["id"].as_str().expect("contract").to_string();
    assert_eq!(sign(app, &company, &ck, &contract).await.status, 201);
    assert_eq!(sign(app, &designer, &dk, &contract).await.status, 201);
    let p = app
        .post("/projects", &company.token, &key(), json!({"contract_id": contract, "garment_type": "skirt", "due_at": T0 + 30 * DAY, "tech_pack": tech_pack(GARMENT, 100)}))
        .await;
    assert_eq!(p.status, 201, "{:?}", p.body);
    let project = p.body["id"].as_str().expect("project").to_string();
    World {
        company,
        designer,
        factory,
        big_factory,
        contract,
        project,
    }
}

/// Sends a work order for `quantity` units to the factory and has it accepted.
pub async fn accepted_work_order(app: &TestApp, w: &World, quantity: i64) -> Value {
    let r = app
        .post(&format!("/projects/{}/work-orders", w.project), &w.company.token, &key(),
            json!({"partner_id": w.factory.id, "quantity": quantity, "due_at": T0 + 10 * DAY,
                "unit_prices": {"cutting": 300, "sewing": 1200, "finishing": 250, "qc": 100, "packing": 50}}))
        .await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    let id = r.body["id"].as_str().expect("id").to_string();
    let a = app
        .post(
            &format!("/work-orders/{id}/accept"),
            &w.factory.token,
            &key(),
            json!({}),
        )
        .await;
    assert_eq!(a.status, 200, "{:?}", a.body);
    a.body
}
