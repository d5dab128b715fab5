//! Shared test set-up: the body model (tests fail, not skip, when it is missing).

use std::sync::OnceLock;

use catwalk_avatar::{BodyModel, Landmarks};

/// The model and its landmarks, loaded once per test binary.
pub fn model() -> &'static (BodyModel, Landmarks) {
    static MODEL: OnceLock<(BodyModel, Landmarks)> = OnceLock::new();
    MODEL.get_or_init(|| {
        let model = BodyModel::load_default()
            .unwrap_or_else(|e| panic!("{e} (the tests need the converted body model)"));
        let landmarks = Landmarks::new(&model).expect("landmarks");
        (model, landmarks)
    })
}
