//! Renders front and side silhouettes (PGM) of the average female and male bodies in the
//! model's rest A-pose (arms about 45° away from the body; `Pose::arms_out` changes that).
//!
//! Run: `cargo run -p catwalk_avatar --example silhouettes -- [OUT_DIR]` (default `out/silhouettes`).

use std::path::Path;

use catwalk_avatar::render::{Camera, render_silhouette};
use catwalk_avatar::{BodyModel, BodyParams, Pose, pose_body};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "out/silhouettes".into());
    std::fs::create_dir_all(&out)?;
    let model = BodyModel::load_default()?;
    let pose = Pose::arms_out(&model.skeleton, 0.0);
    for (name, gender) in [("female", 1.0), ("male", 0.0)] {
        let rest = model.build(&BodyParams::average(gender))?;
        let posed = pose_body(&model, &rest, &pose);
        for (view, camera) in [("front", Camera::front(2.1)), ("side", Camera::side(2.1))] {
            let mask = render_silhouette(&posed.vertices, &model.triangles, &camera, 256, 512);
            let path = Path::new(&out).join(format!("{name}-{view}.pgm"));
            std::fs::write(&path, mask.to_pgm())?;
            println!("{} ({} px covered)", path.display(), mask.area());
        }
    }
    Ok(())
}
