//! The bridge from the show server's live look aggregate to the audience model.

use catwalk_garment::audience::{AudienceError, AudienceResponse};
use catwalk_protocol::{LookAggregate, LookId, SizeLabel};

fn aggregate() -> LookAggregate {
    let mut agg = LookAggregate::empty(LookId::parse("look-7").expect("id"));
    agg.histogram = [1, 0, 2, 3, 4];
    agg.ratings = 10;
    agg.mean = (1.0 + 3.0 * 2.0 + 4.0 * 3.0 + 5.0 * 4.0) / 10.0;
    agg.intents.insert(SizeLabel::M, 3);
    agg.intents.insert(SizeLabel::XL, 1);
    agg.intent_count = 2;
    agg
}

#[test]
fn live_aggregate_becomes_the_audience_response() {
    let response = AudienceResponse::from_look_aggregate(&aggregate(), 40).expect("consistent");
    assert_eq!(response.histogram, [1, 0, 2, 3, 4]);
    assert_eq!(response.ratings(), 10);
    assert!((response.mean_stars() - 3.9).abs() < 1e-12);
    assert_eq!(response.intents.get("M"), Some(&3));
    assert_eq!(response.intents.get("XL"), Some(&1));
    assert_eq!(response.units(), 4);
    assert_eq!(response.viewers, 40);
    assert!((response.intent_rate() - 0.1).abs() < 1e-12);
    // score = 0.7 × ((3.9·10 + 3·5)/15 − 1)/4 + 0.3 × min(1, 0.1/0.2)
    let expected = 0.7 * ((54.0 / 15.0) - 1.0) / 4.0 + 0.3 * 0.5;
    assert!((response.score() - expected).abs() < 1e-12);
    let via_try: AudienceResponse = (&aggregate(), 40).try_into().expect("consistent");
    assert_eq!(via_try, response);
}

#[test]
fn empty_aggregate_is_a_neutral_response() {
    let agg = LookAggregate::empty(LookId::parse("look-1").expect("id"));
    let response = AudienceResponse::from_look_aggregate(&agg, 0).expect("consistent");
    assert_eq!(response, AudienceResponse::default());
}

#[test]
fn inconsistent_aggregate_is_refused() {
    let mut agg = aggregate();
    agg.ratings = 11;
    let e = AudienceResponse::from_look_aggregate(&agg, 40).expect_err("ratings disagree");
    assert!(matches!(e, AudienceError::InconsistentAggregate { ref look, .. } if look == "look-7"));
    assert!(e.to_string().contains("fresh snapshot"), "{e}");
    let mut agg = aggregate();
    agg.mean = 4.5;
    assert!(AudienceResponse::from_look_aggregate(&agg, 40).is_err());
}
