//! Compares MODNet's matte of a synthetic photo with the true rendered silhouette of the same
//! body and camera, in the regressor's normalised grid: per-level width differences show
//! whether matting shifts the outline, and the regressor's bust, waist and hip errors from
//! each show what that costs.
//!
//! ```text
//! cargo run -p catwalk_avatar --example matte_vs_render
//! ```

use catwalk_avatar::BodyModel;
use catwalk_avatar::photo::dataset::{Rng, Shot, Split, random_params, shot_views, stature};
use catwalk_avatar::photo::matte::default_modnet_path;
use catwalk_avatar::photo::silhouette::{from_binary, normalise};
use catwalk_avatar::photo::synthetic::{Look, render_photo};
use catwalk_avatar::photo::{MattingModel, OnnxRuntime};
use catwalk_avatar::render::render_silhouette;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let model = BodyModel::load_default()?;
    let runtime = OnnxRuntime::load_default()?;
    let matting = MattingModel::load(&runtime, &default_modnet_path(), 512, 2, 1)?;
    let regressor = catwalk_avatar::photo::ShapeRegressor::load(
        &runtime,
        &catwalk_avatar::photo::regressor::default_regressor_path(),
    )?;
    let landmarks = catwalk_avatar::Landmarks::new(&model)?;
    let mut rng = Rng::new(11);
    for _ in 0..6 {
        let params = random_params(&mut rng);
        let shot = Shot::random(&mut rng, Split::HeldOut);
        let rest = model.build(&params)?;
        let ([front, side], camera) = shot_views(&model, &rest, &shot);
        let mut grids = Vec::new();
        for (name, vertices) in [("front", &front), ("side", &side)] {
            let photo = render_photo(
                vertices,
                &model.triangles,
                &camera,
                720,
                1080,
                &Look::studio(stature(&rest) as f32),
            );
            let matte = matting.matte(&photo)?;
            let truth = render_silhouette(
                vertices,
                &model.triangles,
                &camera,
                matte.width() as usize,
                matte.height() as usize,
            );
            let truth = from_binary(truth.width, truth.height, &truth.pixels).ok_or("mask")?;
            let (fm, ft) = (matte.figures()[0], truth.figures()[0]);
            let (nm, nt) = (normalise(&matte, &fm), normalise(&truth, &ft));
            grids.push((nm.clone(), nt.clone()));
            let area = |m: &catwalk_avatar::photo::Mask| m.coverage().iter().sum::<f32>();
            let rows: Vec<String> = [20u32, 28, 36, 44, 52, 70]
                .iter()
                .map(|&r| {
                    let w = |m: &catwalk_avatar::photo::Mask| {
                        (0..m.width()).map(|x| m.get(x, r)).sum::<f32>()
                    };
                    format!("{r}:{:+.2}", w(&nm) - w(&nt))
                })
                .collect();
            println!(
                "{name}: matte bbox h {} vs true {} px; area ratio {:.3}; width diff (cells) {}",
                fm.bounds.height(),
                ft.bounds.height(),
                area(&nm) / area(&nt),
                rows.join(" ")
            );
        }
        let h = stature(&rest) as f32 * 100.0;
        let (truth_m, _) = catwalk_avatar::measure(&landmarks, &rest)?;
        for (label, f, sd) in [
            ("matte", &grids[0].0, &grids[1].0),
            ("render", &grids[0].1, &grids[1].1),
        ] {
            let p = regressor.predict(f, sd, h)?;
            let (_, _, m) =
                catwalk_avatar::photo::pipeline::body_from_prediction(&model, &landmarks, p, h)?;
            println!(
                "  {label}: bust {:+.1} waist {:+.1} hip {:+.1}",
                m.bust - truth_m.bust,
                m.waist - truth_m.waist,
                m.hip - truth_m.hip
            );
        }
    }
    Ok(())
}
