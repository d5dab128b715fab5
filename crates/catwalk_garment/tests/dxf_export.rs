//! The AAMA-style DXF read back group code by group code: one block per piece whose layer-1
//! boundary is the cutting line in millimetres, with the sew line, grain line, notches and
//! piece annotation on their layers.

mod common;

use catwalk_garment::export::dxf::{LAYER_BOUNDARY, LAYER_GRAIN, LAYER_NOTCH, LAYER_SEW};
use catwalk_garment::export::piece::cut_pieces;
use catwalk_garment::export::{DxfOptions, pattern_dxf};
use catwalk_garment::programs::{
    DressDesign, SkirtDesign, SkirtStyle, SleeveStyle, TopDesign, TrousersDesign, dress, skirt,
    trousers,
};
use catwalk_garment::{BodyMeasurements, read_file};
use glam::DVec2;

/// (group code, value) pairs.
fn pairs(dxf: &str) -> Vec<(u32, String)> {
    let lines: Vec<&str> = dxf.lines().collect();
    assert_eq!(lines.len() % 2, 0, "codes and values come in pairs");
    lines
        .chunks(2)
        .map(|c| (c[0].trim().parse().expect("group code"), c[1].to_string()))
        .collect()
}

/// An entity: its type and its group codes.
#[derive(Debug)]
struct Entity {
    kind: String,
    codes: Vec<(u32, String)>,
}

impl Entity {
    fn get(&self, code: u32) -> Option<&str> {
        self.codes
            .iter()
            .find(|(c, _)| *c == code)
            .map(|(_, v)| v.as_str())
    }
    fn num(&self, code: u32) -> f64 {
        self.get(code)
            .expect("code present")
            .parse()
            .expect("number")
    }
    fn layer(&self) -> u32 {
        self.get(8).expect("layer").parse().unwrap_or(0)
    }
}

fn entities(pairs: &[(u32, String)]) -> Vec<Entity> {
    let mut out: Vec<Entity> = Vec::new();
    for (code, value) in pairs {
        if *code == 0 {
            out.push(Entity {
                kind: value.clone(),
                codes: Vec::new(),
            });
        } else if let Some(e) = out.last_mut() {
            e.codes.push((*code, value.clone()));
        }
    }
    out
}

/// Blocks by name, each with its entities; polylines have their vertices collected.
/// A block item: entity type, layer, polyline vertices (empty for others), the entity.
type BlockItem<'a> = (String, u32, Vec<DVec2>, &'a Entity);

fn blocks(all: &[Entity]) -> Vec<(String, Vec<BlockItem<'_>>)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < all.len() {
        if all[i].kind == "BLOCK" {
            let name = all[i].get(2).expect("block name").to_string();
            let mut items = Vec::new();
            i += 1;
            while all[i].kind != "ENDBLK" {
                let e = &all[i];
                if e.kind == "POLYLINE" {
                    let mut pts = Vec::new();
                    i += 1;
                    while all[i].kind == "VERTEX" {
                        pts.push(DVec2::new(all[i].num(10), all[i].num(20)));
                        i += 1;
                    }
                    assert_eq!(all[i].kind, "SEQEND");
                    items.push(("POLYLINE".to_string(), e.layer(), pts, e));
                } else {
                    items.push((e.kind.clone(), e.layer(), Vec::new(), e));
                }
                i += 1;
            }
            out.push((name, items));
        }
        i += 1;
    }
    out
}

#[test]
fn blocks_read_back_as_the_cut_pieces_in_millimetres() {
    let body = BodyMeasurements::average();
    for pattern in [
        read_file(common::skirt_fixture()).expect("fixture"),
        skirt(
            &body,
            &SkirtDesign::new(SkirtStyle::Circle { fullness: 0.75 }),
        )
        .expect("fits"),
    ] {
        let options = DxfOptions {
            size: "M".into(),
            quantity: 2,
            ..DxfOptions::default()
        };
        let dxf = pattern_dxf(&pattern, &options).expect("exports");
        let pairs = pairs(&dxf);
        assert_eq!(pairs.last().map(|p| p.1.as_str()), Some("EOF"));
        let sections = pairs
            .iter()
            .filter(|p| p.0 == 0 && p.1 == "SECTION")
            .count();
        let ends = pairs.iter().filter(|p| p.0 == 0 && p.1 == "ENDSEC").count();
        assert_eq!((sections, ends), (4, 4));
        let all = entities(&pairs);
        let pieces = cut_pieces(&pattern).expect("pieces");
        let blocks = blocks(&all);
        assert_eq!(blocks.len(), pieces.len());
        for ((name, items), piece) in blocks.iter().zip(&pieces) {
            assert_eq!(name, &piece.name);
            let poly = |layer: u32| {
                items
                    .iter()
                    .find(|(k, l, _, _)| k == "POLYLINE" && *l == layer)
                    .map(|(_, _, pts, _)| pts.clone())
                    .expect("polyline on layer")
            };
            for (layer, expected) in [
                (LAYER_BOUNDARY, &piece.cut_line),
                (LAYER_SEW, &piece.sew_line),
            ] {
                let got = poly(layer);
                assert_eq!(got.len(), expected.len(), "{name} layer {layer}");
                for (g, e) in got.iter().zip(expected.iter()) {
                    assert!(
                        g.distance(*e * 10.0) < 0.002,
                        "{name}: {g} vs {}",
                        *e * 10.0
                    );
                }
            }
            let grain: Vec<_> = items
                .iter()
                .filter(|(k, l, _, _)| k == "LINE" && *l == LAYER_GRAIN)
                .collect();
            assert_eq!(grain.len(), 1);
            let g = grain[0].3;
            let dir = DVec2::new(g.num(11) - g.num(10), g.num(21) - g.num(20)).normalize();
            assert!(dir.dot(DVec2::Y).abs() > 0.9999, "{name}: grain {dir}");
            let notches: Vec<DVec2> = items
                .iter()
                .filter(|(k, l, _, _)| k == "POINT" && *l == LAYER_NOTCH)
                .map(|(_, _, _, e)| DVec2::new(e.num(10), e.num(20)))
                .collect();
            assert_eq!(notches.len(), piece.notches.len());
            assert!(!notches.is_empty());
            let texts: Vec<&str> = items
                .iter()
                .filter(|(k, l, _, _)| k == "TEXT" && *l == LAYER_BOUNDARY)
                .filter_map(|(_, _, _, e)| e.get(1))
                .collect();
            assert!(
                texts.contains(&format!("Piece Name: {name}").as_str()),
                "{texts:?}"
            );
            assert!(texts.contains(&"Size: M"));
            assert!(texts.contains(&"Quantity: 2"));
        }
        let inserts = all.iter().filter(|e| e.kind == "INSERT").count();
        assert_eq!(inserts, pieces.len());
        assert!(dxf.contains("\nUNITS: METRIC\n"));
    }
}

/// The interpreter of `var/venv`, where `tools/setup.sh` installs ezdxf.
fn venv_python() -> std::path::PathBuf {
    common::workspace_dir().join("var/venv/bin/python")
}

/// An independent reader: ezdxf (`tools/dxf-check/check.py`, installed into `var/venv` by
/// `tools/setup.sh`) recovers and audits each file without an error or a fix, and finds one
/// block per piece with a closed layer-1 cutting line of the piece's size in millimetres,
/// one grain line, the notches, and one insert per piece. Fails, not skips, without ezdxf.
#[test]
fn ezdxf_audits_the_dxf_clean_and_reads_every_piece() {
    let body = BodyMeasurements::average();
    let patterns = [
        (
            "dress",
            dress(
                &body,
                &DressDesign {
                    bodice: TopDesign {
                        sleeve: SleeveStyle::Long,
                        ..TopDesign::default()
                    },
                    skirt: SkirtDesign::new(SkirtStyle::ALine { flare_cm: 12.0 }),
                },
            )
            .expect("dress fits"),
        ),
        (
            "trousers",
            trousers(&body, &TrousersDesign::default()).expect("trousers fit"),
        ),
        (
            "circle-skirt",
            skirt(
                &body,
                &SkirtDesign::new(SkirtStyle::Circle { fullness: 0.75 }),
            )
            .expect("skirt fits"),
        ),
    ];
    let dir = tempfile::tempdir().expect("tempdir");
    let mut files = Vec::new();
    for (name, pattern) in &patterns {
        let path = dir.path().join(format!("{name}.dxf"));
        let options = DxfOptions {
            garment: name.to_string(),
            size: "M".into(),
            ..DxfOptions::default()
        };
        std::fs::write(&path, pattern_dxf(pattern, &options).expect("exports")).expect("write");
        files.push(path);
    }
    let python = venv_python();
    assert!(
        python.exists(),
        "{} is missing: run `bash tools/setup.sh` (it installs ezdxf there)",
        python.display()
    );
    let script = common::workspace_dir().join("tools/dxf-check/check.py");
    let out = std::process::Command::new(&python)
        .arg(&script)
        .args(&files)
        .output()
        .expect("runs the checker");
    assert!(
        out.status.success(),
        "ezdxf could not read the files (is it installed? `bash tools/setup.sh`):\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let reports: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json report");
    for ((name, pattern), report) in patterns.iter().zip(reports.as_array().expect("list")) {
        assert_eq!(report["errors"], serde_json::json!([]), "{name}: {report}");
        assert_eq!(report["fixes"], serde_json::json!([]), "{name}: {report}");
        assert_eq!(report["dxfversion"], "AC1009", "{name}");
        assert_eq!(report["insunits"], 4, "{name}: millimetres");
        let pieces = cut_pieces(pattern).expect("pieces");
        let blocks = report["blocks"].as_object().expect("blocks");
        assert_eq!(blocks.len(), pieces.len(), "{name}");
        let inserts: Vec<&str> = report["inserts"]
            .as_array()
            .expect("inserts")
            .iter()
            .filter_map(|v| v.as_str())
            .collect();
        for piece in &pieces {
            let block = &blocks[&piece.name];
            assert_eq!(block["cut_lines"], 1, "{name}/{}", piece.name);
            assert_eq!(block["cut_closed"], true, "{name}/{}", piece.name);
            assert_eq!(
                block["entities"]["LINE@7"], 1,
                "{name}/{}: grain",
                piece.name
            );
            assert_eq!(
                block["entities"]["POINT@4"].as_u64(),
                Some(piece.notches.len() as u64),
                "{name}/{}: notches",
                piece.name
            );
            let (lo, hi) = piece.cut_line.iter().fold(
                (DVec2::splat(f64::INFINITY), DVec2::splat(f64::NEG_INFINITY)),
                |(lo, hi), p| (lo.min(*p), hi.max(*p)),
            );
            let bbox: Vec<f64> = block["cut_bbox_mm"]
                .as_array()
                .expect("bbox")
                .iter()
                .filter_map(|v| v.as_f64())
                .collect();
            let size_mm = (hi - lo) * 10.0;
            assert!(
                (bbox[2] - bbox[0] - size_mm.x).abs() < 0.01
                    && (bbox[3] - bbox[1] - size_mm.y).abs() < 0.01,
                "{name}/{}: ezdxf sees {bbox:?}, the piece is {size_mm} mm",
                piece.name
            );
            assert_eq!(
                inserts.iter().filter(|i| **i == piece.name).count(),
                1,
                "{name}/{}: one insert",
                piece.name
            );
        }
    }
}
