//! Shortlisting: the platform sends a show's top designs to production; the ranking then
//! says which are shortlisted, from which show and at which rank. Only the platform may
//! shortlist, only designs production has heard of, and a repeated request replays.

use serde_json::json;

use crate::fixtures::{deliver, org, rating};
use crate::helpers::{ADMIN, T0, TestApp, key};

async fn top_designs_are_shortlisted_once(app: TestApp) {
    for (i, g) in ["gen-2026-0", "gen-2026-1"].iter().enumerate() {
        let r = deliver(&app, &rating(&format!("e{i}"), "v1", g, "Kim Jiwoo", 5, T0)).await;
        assert!(r.status == 200 || r.status == 201, "{:?}", r.body);
    }
    let body = json!({"show": "demo-1", "rank": 1, "mean_stars": 4.4, "ratings": 40, "units": 12});
    let k = key();
    let first = app
        .post("/designs/gen-2026-1/shortlist", ADMIN, &k, body.clone())
        .await;
    assert_eq!(first.status, 201, "{:?}", first.body);
    assert_eq!(first.body["shortlisted"]["rank"], 1);
    let again = app
        .post("/designs/gen-2026-1/shortlist", ADMIN, &k, body.clone())
        .await;
    assert_eq!(again.status, 201);
    assert!(again.replayed, "a repeated shortlist must replay");

    let designer = org(&app, "Kim Jiwoo Studio", "designer", Some("Kim Jiwoo")).await;
    let company = org(&app, "Seoul Makers", "production_company", None).await;
    let refused = app
        .post(
            "/designs/gen-2026-0/shortlist",
            &designer.token,
            &key(),
            body.clone(),
        )
        .await;
    assert_eq!(refused.status, 403);
    let unknown = app
        .post("/designs/gen-9-9/shortlist", ADMIN, &key(), body.clone())
        .await;
    assert_eq!(unknown.status, 404, "{:?}", unknown.body);
    let bad = app
        .post(
            "/designs/gen-2026-0/shortlist",
            ADMIN,
            &key(),
            json!({"show": "demo-1", "rank": 0, "mean_stars": 4.0, "ratings": 1, "units": 0}),
        )
        .await;
    assert_eq!(bad.status, 422, "{:?}", bad.body);

    let ranking = app.get("/designs", &company.token).await;
    let designs = ranking.body["designs"].as_array().expect("designs");
    let one = designs
        .iter()
        .find(|d| d["garment"] == "gen-2026-1")
        .expect("design");
    assert_eq!(one["shortlisted"]["show"], "demo-1");
    assert_eq!(one["shortlisted"]["stats"]["units"], 12);
    let zero = designs
        .iter()
        .find(|d| d["garment"] == "gen-2026-0")
        .expect("design");
    assert!(
        zero["shortlisted"].is_null(),
        "rejected shortlists must store nothing"
    );
}

crate::on_both!(top_designs_are_shortlisted_once);
