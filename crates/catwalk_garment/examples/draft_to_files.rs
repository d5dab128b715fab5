//! Drafts a garment for the average body and writes everything the pipeline makes from it
//! into a folder: the GarmentCode pattern, the cut sheet (SVG and DXF), the work order
//! (JSON and HTML) and a mesh summary.
//!
//! Run: `cargo run -p catwalk_garment --example draft_to_files -- OUT_DIR [skirt|top|dress|trousers]`

use std::path::PathBuf;

use anyhow::{Context, bail};
use catwalk_garment::export::{DxfOptions, SvgOptions, pattern_dxf, pattern_svg};
use catwalk_garment::programs::{
    DressDesign, SkirtDesign, SkirtStyle, TopDesign, TrousersDesign, dress, skirt, top, trousers,
};
use catwalk_garment::techpack::{TechPack, WorkOrderInfo, html};
use catwalk_garment::{BodyMeasurements, GarmentMesh, MeshOptions, write_file};

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let out = PathBuf::from(
        args.next()
            .context("usage: draft_to_files OUT_DIR [garment]")?,
    );
    let kind = args.next().unwrap_or_else(|| "dress".to_string());
    let body = BodyMeasurements::average();
    let pattern = match kind.as_str() {
        "skirt" => skirt(
            &body,
            &SkirtDesign::new(SkirtStyle::Circle { fullness: 0.75 }),
        )?,
        "top" => top(&body, &TopDesign::default())?,
        "dress" => dress(
            &body,
            &DressDesign {
                bodice: TopDesign::default(),
                skirt: SkirtDesign::new(SkirtStyle::ALine { flare_cm: 12.0 }),
            },
        )?,
        "trousers" => trousers(&body, &TrousersDesign::default())?,
        other => bail!("unknown garment {other:?}; choose skirt, top, dress or trousers"),
    };
    std::fs::create_dir_all(&out).with_context(|| format!("while creating {}", out.display()))?;
    let write = |name: &str, text: String| {
        let path = out.join(name);
        std::fs::write(&path, text).with_context(|| format!("while writing {}", path.display()))
    };
    write_file(&pattern, out.join(format!("{kind}_specification.json")))
        .context("while writing the pattern")?;
    let svg = SvgOptions {
        garment: kind.clone(),
        size: "average".into(),
        ..SvgOptions::default()
    };
    write(&format!("{kind}.svg"), pattern_svg(&pattern, &svg)?)?;
    let dxf = DxfOptions {
        garment: kind.clone(),
        size: "average".into(),
        ..DxfOptions::default()
    };
    write(&format!("{kind}.dxf"), pattern_dxf(&pattern, &dxf)?)?;
    let info = WorkOrderInfo {
        work_order_id: format!("WO-{kind}-0001"),
        garment: kind.clone(),
        size: "average".into(),
        quantity: 1,
        qr_payload: String::new(),
    };
    let pack = TechPack::new(&pattern, info, Some(*body.sheet()))?;
    write(&format!("{kind}_work_order.json"), pack.to_json())?;
    write(&format!("{kind}_work_order.html"), html::render(&pack)?)?;
    let mesh = GarmentMesh::from_pattern(&pattern, &MeshOptions::default())?;
    println!(
        "{kind}: {} panels, {} stitches, mesh {} vertices / {} triangles / {} seam pairs -> {}",
        pattern.panels.len(),
        pattern.stitches.len(),
        mesh.vertex_count(),
        mesh.triangles.len(),
        mesh.seam_pairs.len(),
        out.display()
    );
    Ok(())
}
