//! Prints the measurements and measuring levels of the average female and male bodies.
//!
//! Run: `cargo run -p catwalk_avatar --example levels`.

use catwalk_avatar::{BodyModel, BodyParams, Landmarks, measure};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let model = BodyModel::load_default()?;
    let landmarks = Landmarks::new(&model)?;
    for gender in [1.0, 0.0] {
        let rest = model.build(&BodyParams::average(gender))?;
        let (m, levels) = measure(&landmarks, &rest)?;
        println!("gender {gender}: {m:?}\n  levels (cm): {levels:?}");
    }
    Ok(())
}
