//! Generates three designs from a designer's brief and writes, for each, the cut sheet
//! (SVG and DXF, size M) and the graded work order (tech pack JSON and HTML with the
//! XS–XL measurement spec, trims and two colourways: the design's colour and the next
//! colour of the brief's palette) into an output folder.
//!
//! Run: `cargo run -p catwalk_garment --example three_designs -- [OUT_DIR]`
//! (default `./out/designs`).

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use catwalk_garment::design::{DesignBrief, DesignCandidate, Palette, generate};
use catwalk_garment::export::{DxfOptions, SvgOptions, pattern_dxf, pattern_svg};
use catwalk_garment::grading::{SizeChart, grade_with};
use catwalk_garment::techpack::{MeasurementSpec, TechPack, WorkOrderInfo, colourways_for, html};

/// The seed of the generator: the same seed writes the same three designs.
const SEED: u64 = 2026;

fn main() -> anyhow::Result<()> {
    let arg = std::env::args().nth(1);
    if matches!(arg.as_deref(), Some("-h" | "--help")) {
        println!("usage: three_designs [OUT_DIR]   (default ./out/designs)");
        return Ok(());
    }
    let out = PathBuf::from(arg.unwrap_or_else(|| "out/designs".to_string()));
    let chart = SizeChart::catwalk_base().context("while building the size chart")?;
    let brief = DesignBrief::parse("any", &["evening", "romantic"], "jewel", "", "")
        .context("while reading the brief")?
        .for_sizes(&chart);
    std::fs::create_dir_all(&out).with_context(|| format!("while creating {}", out.display()))?;
    let designs = generate(&brief, 3, SEED).context("while generating designs")?;
    if designs.len() != 3 {
        bail!("the brief gave {} designs instead of 3", designs.len());
    }
    println!("size chart: {} — {}", chart.name, chart.basis);
    for (i, design) in designs.iter().enumerate() {
        let name = format!("design_{}_{}", i + 1, design.kind.name());
        let files = write_design(&out, &name, design, &chart, &brief.palette)?;
        println!("{name}: {}", design.description);
        for f in files {
            println!("  {}", f.display());
        }
    }
    Ok(())
}

/// Writes one design's files; returns their paths.
fn write_design(
    out: &Path,
    name: &str,
    design: &DesignCandidate,
    chart: &SizeChart,
    palette: &Palette,
) -> anyhow::Result<Vec<PathBuf>> {
    let sizes = grade_with(chart, |body| design.pattern(body))
        .with_context(|| format!("while grading {name}"))?;
    let base = sizes
        .iter()
        .find(|s| s.label == chart.base)
        .context("the chart's base size was not graded")?;
    let mut files = Vec::new();
    let mut write = |file: String, text: String| -> anyhow::Result<()> {
        let path = out.join(file);
        std::fs::write(&path, text).with_context(|| format!("while writing {}", path.display()))?;
        files.push(path);
        Ok(())
    };
    let size = chart.base.to_string();
    let svg = SvgOptions {
        garment: design.description.clone(),
        size: size.clone(),
        ..SvgOptions::default()
    };
    write(format!("{name}.svg"), pattern_svg(&base.pattern, &svg)?)?;
    let dxf = DxfOptions {
        garment: name.to_string(),
        size: size.clone(),
        ..DxfOptions::default()
    };
    write(format!("{name}.dxf"), pattern_dxf(&base.pattern, &dxf)?)?;
    let info = WorkOrderInfo {
        work_order_id: format!("WO-{SEED}-{name}"),
        garment: design.description.clone(),
        size,
        quantity: 1,
        qr_payload: String::new(),
    };
    let spec = MeasurementSpec::from_graded(&sizes, chart.base.as_str());
    // The alternative colourway: the first palette colour that is not the design's own.
    let alternative = palette
        .colours()
        .iter()
        .find(|c| **c != design.colour)
        .map(|c| (capitalised(c.name()), c.to_string()));
    let extra: Vec<(&str, &str)> = alternative
        .iter()
        .map(|(n, hex)| (n.as_str(), hex.as_str()))
        .collect();
    let colourways = colourways_for(design, &extra)
        .with_context(|| format!("while choosing colourways for {name}"))?;
    let pack = TechPack::new(&base.pattern, info, Some(*base.body.sheet()))?
        .with_measurement_spec(spec)
        .with_colourways(colourways);
    write(format!("{name}_tech_pack.json"), pack.to_json())?;
    write(format!("{name}_tech_pack.html"), html::render(&pack)?)?;
    Ok(files)
}

/// "emerald" → "Emerald", for colourway names.
fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
