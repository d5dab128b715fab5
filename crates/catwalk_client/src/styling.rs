//! What a model wears besides the look: a fitted black base layer painted on the avatar.
//!
//! A look is one garment, so without styling a skirt walked the runway over a bare torso and
//! a top over bare legs. Runway shows style a single piece with neutral basics; here the
//! basics are painted onto the avatar's skin as vertex colours (no cloth to simulate, no
//! cost per frame): a sleeveless bodysuit with a skirt or trousers, leggings with a top,
//! briefs under a dress, and black shoes for everyone. Full-length trousers also get the
//! leggings, so where a thin garment lets the body show through, what shows is a dark base
//! layer rather than skin.
//!
//! Each piece is a region of the rest-pose body: which bones carry a vertex (torso, legs)
//! and how high it is against the avatar's measured levels (waist, crotch, ankles).
//!
//! No Bevy here: [`style`] cuts the avatar's mesh along the pieces' edges into skin and
//! styling, and colours the styling's vertices, for the avatar plugin to draw the styling
//! with a matte material.

use catwalk_garment::design::{DesignCandidate, GarmentKind};
use catwalk_garment::drape::body::Shape;
use std::collections::HashMap;

use glam::Vec3;

use crate::rig::RiggedAvatar;

/// A styling piece.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Piece {
    /// A sleeveless bodysuit: the torso from the crotch to the base of the neck.
    Bodysuit,
    /// Leggings: the hips and legs from the waist to the ankles.
    Leggings,
    /// Briefs: the hips from just below the waist to the top of the thighs.
    Briefs,
    /// Shoes: the feet below the ankles.
    Shoes,
}

/// The base layer, linear RGB (a soft black).
pub const BASE_LAYER: [f32; 3] = [0.014, 0.014, 0.016];
/// Shoes, linear RGB (black with a hint of warmth).
pub const SHOES: [f32; 3] = [0.008, 0.006, 0.006];
/// Lengths from [`DesignCandidate::axes`] at or above which trousers are full length.
pub const FULL_LENGTH: f64 = 0.5;

/// How far below the crotch the bodysuit and briefs reach, m.
const CROTCH_MARGIN_M: f32 = 0.03;
/// How far below the waist the briefs stop, m.
const BRIEFS_BELOW_WAIST_M: f32 = 0.07;
/// How far above the lowest point of the shins' capsules the shoes reach, m.
const SHOE_ABOVE_ANKLE_M: f32 = 0.01;

/// The pieces worn with `design`.
pub fn pieces(design: &DesignCandidate) -> Vec<Piece> {
    let mut out = match design.kind {
        GarmentKind::Dress => vec![Piece::Briefs],
        GarmentKind::Skirt => vec![Piece::Bodysuit],
        GarmentKind::Top => vec![Piece::Leggings],
        GarmentKind::Trousers if design.axes.length >= FULL_LENGTH => {
            vec![Piece::Bodysuit, Piece::Leggings]
        }
        GarmentKind::Trousers => vec![Piece::Bodysuit],
    };
    out.push(Piece::Shoes);
    out
}

/// The levels the pieces are cut at on one body, m above the floor.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Levels {
    /// Natural waist.
    pub waist: f32,
    /// Crotch.
    pub crotch: f32,
    /// Top of the shoes.
    pub ankle: f32,
}

impl Levels {
    /// The levels of `avatar`: waist and crotch from its measurements, the ankles from the
    /// lowest end of its shin capsules.
    pub fn of(avatar: &RiggedAvatar) -> Self {
        let sheet = avatar.sheet.sheet();
        let body = &avatar.body;
        let lowest_shin = body
            .shapes()
            .iter()
            .filter(|s| body.bones()[s.bone].name.starts_with("shin"))
            .filter_map(|s| match s.shape {
                Shape::Capsule(c) => Some(c.a.y.min(c.b.y)),
                Shape::Sphere(_) => None,
            })
            .reduce(f32::min);
        let height = sheet.height as f32 / 100.0;
        Levels {
            waist: sheet.waist_height as f32 / 100.0,
            crotch: sheet.inseam as f32 / 100.0,
            ankle: lowest_shin.unwrap_or(0.04 * height) + SHOE_ABOVE_ANKLE_M,
        }
    }
}

/// How many metres of the inside measure one unit of skin-weight share counts for, so
/// weight and height limits can be compared in one field.
const SHARE_TO_M: f32 = 0.2;

/// The shares of a vertex's skin weight on the torso and on the legs.
struct Shares {
    torso: Vec<bool>,
    legs: Vec<bool>,
}

impl Shares {
    fn of(avatar: &RiggedAvatar) -> Self {
        let bones = avatar.body.bones();
        Shares {
            torso: bones
                .iter()
                .map(|b| b.name == "pelvis" || b.name == "chest")
                .collect(),
            legs: bones
                .iter()
                .map(|b| b.name.starts_with("thigh") || b.name.starts_with("shin"))
                .collect(),
        }
    }

    /// (torso, legs) of a vertex with joints `js` and weights `ws`.
    fn at(&self, js: &[u16; 4], ws: &[f32; 4]) -> (f32, f32) {
        let share = |of: &[bool]| -> f32 {
            js.iter()
                .zip(ws)
                .filter(|(j, _)| of[usize::from(**j)])
                .map(|(_, w)| w)
                .sum()
        };
        (share(&self.torso), share(&self.legs))
    }
}

/// How far inside `piece` a vertex is (m; negative outside): the least of its margins to
/// the piece's height limits and, scaled by [`SHARE_TO_M`], to the skin-weight limits (a
/// torso piece needs the torso to carry at least as much as the legs and the two half the
/// vertex; a leg piece the other way round). Pieces' edges are where this is 0.
fn inside(piece: Piece, (torso, legs): (f32, f32), v: Vec3, at: &Levels) -> f32 {
    let lower_body = SHARE_TO_M * (torso + legs - 0.5);
    let torso_part = lower_body.min(SHARE_TO_M * (torso - legs));
    let leg_part = lower_body.min(SHARE_TO_M * (legs - torso));
    match piece {
        Piece::Bodysuit => torso_part.min(v.y - (at.crotch - CROTCH_MARGIN_M)),
        Piece::Leggings => lower_body.min(at.waist - v.y).min(v.y - at.ankle),
        Piece::Briefs => lower_body
            .min(at.waist - BRIEFS_BELOW_WAIST_M - v.y)
            .min(v.y - (at.crotch - CROTCH_MARGIN_M)),
        Piece::Shoes => leg_part.min(at.ankle - v.y),
    }
}

/// The piece covering each vertex of `avatar`, if any (later pieces in `pieces` win where
/// two overlap).
pub fn coverage(avatar: &RiggedAvatar, pieces: &[Piece]) -> Vec<Option<Piece>> {
    let levels = Levels::of(avatar);
    let shares = Shares::of(avatar);
    avatar
        .vertices
        .iter()
        .zip(avatar.joints.iter().zip(&avatar.weights))
        .map(|(&v, (js, ws))| {
            let share = shares.at(js, ws);
            pieces
                .iter()
                .rev()
                .copied()
                .find(|&p| inside(p, share, v, &levels) >= 0.0)
        })
        .collect()
}

/// An avatar's mesh cut along the styling pieces' edges: the skin's triangles and the
/// pieces' share its vertices, which are the avatar's followed by those made on the cuts.
#[derive(Debug, Clone, PartialEq)]
pub struct Styled {
    /// Rest-pose positions, m.
    pub positions: Vec<Vec3>,
    /// Rest-pose normals.
    pub normals: Vec<Vec3>,
    /// Up to four capsule bones per vertex.
    pub joints: Vec<[u16; 4]>,
    /// Their weights (sum 1).
    pub weights: Vec<[f32; 4]>,
    /// The pieces' colour at every vertex, linear RGBA.
    pub colours: Vec<[f32; 4]>,
    /// Triangles of bare skin (vertex indices, three per triangle).
    pub skin: Vec<u32>,
    /// Triangles of the styling pieces.
    pub pieces: Vec<u32>,
}

/// `avatar` styled for `design`: its triangles cut where a piece's edge crosses them (at
/// the point where [`inside`] reaches 0 along each edge), so edges run straight across
/// the mesh instead of zigzagging along its triangles.
pub fn style(avatar: &RiggedAvatar, design: &DesignCandidate) -> Styled {
    let pieces = pieces(design);
    let levels = Levels::of(avatar);
    let shares = Shares::of(avatar);
    // The field: how far inside the nearest piece each vertex is, and which piece it is.
    let field: Vec<(f32, Piece)> = avatar
        .vertices
        .iter()
        .zip(avatar.joints.iter().zip(&avatar.weights))
        .map(|(&v, (js, ws))| {
            let share = shares.at(js, ws);
            pieces
                .iter()
                .rev()
                .map(|&p| (inside(p, share, v, &levels), p))
                .fold((f32::NEG_INFINITY, Piece::Shoes), |best, x| {
                    if x.0 > best.0 { x } else { best }
                })
        })
        .collect();
    let colour = |piece: Piece| {
        let [r, g, b] = if piece == Piece::Shoes {
            SHOES
        } else {
            BASE_LAYER
        };
        [r, g, b, 1.0]
    };
    let mut out = Styled {
        positions: avatar.vertices.clone(),
        normals: avatar.normals.clone(),
        joints: avatar.joints.clone(),
        weights: avatar.weights.clone(),
        colours: field.iter().map(|(_, p)| colour(*p)).collect(),
        skin: Vec::new(),
        pieces: Vec::new(),
    };
    let mut cuts: HashMap<(u32, u32), u32> = HashMap::new();
    let mut cut = |out: &mut Styled, i: u32, j: u32| -> u32 {
        let key = (i.min(j), i.max(j));
        if let Some(&k) = cuts.get(&key) {
            return k;
        }
        let (fi, fj) = (field[i as usize].0, field[j as usize].0);
        let t = (fi / (fi - fj)).clamp(0.0, 1.0);
        let (a, b) = (i as usize, j as usize);
        out.positions
            .push(out.positions[a].lerp(out.positions[b], t));
        out.normals.push(
            out.normals[a]
                .lerp(out.normals[b], t)
                .normalize_or(out.normals[a]),
        );
        let (joints, weights) = blend_weights(
            (&out.joints[a], &out.weights[a]),
            (&out.joints[b], &out.weights[b]),
            t,
        );
        out.joints.push(joints);
        out.weights.push(weights);
        let inner = if fi >= 0.0 { a } else { b };
        out.colours.push(out.colours[inner]);
        let k = out.positions.len() as u32 - 1;
        cuts.insert(key, k);
        k
    };
    for tri in &avatar.triangles {
        let covered = tri.map(|v| field[v as usize].0 >= 0.0);
        match covered.iter().filter(|c| **c).count() {
            3 => out.pieces.extend_from_slice(tri),
            0 => out.skin.extend_from_slice(tri),
            n => {
                // The corner alone on its side, then the other two in winding order.
                let lone = (0..3)
                    .find(|&k| covered[k] == (n == 1))
                    .expect("a corner on each side");
                let (i, j, k) = (tri[lone], tri[(lone + 1) % 3], tri[(lone + 2) % 3]);
                let (ij, ik) = (cut(&mut out, i, j), cut(&mut out, i, k));
                let (alone, rest) = if n == 1 {
                    (&mut out.pieces, &mut out.skin)
                } else {
                    (&mut out.skin, &mut out.pieces)
                };
                alone.extend_from_slice(&[i, ij, ik]);
                rest.extend_from_slice(&[ij, j, k, ij, k, ik]);
            }
        }
    }
    out
}

/// The skin weights of a point `t` of the way from vertex a to vertex b: each bone's
/// weight blended, the four largest kept and normalised.
fn blend_weights(
    (ja, wa): (&[u16; 4], &[f32; 4]),
    (jb, wb): (&[u16; 4], &[f32; 4]),
    t: f32,
) -> ([u16; 4], [f32; 4]) {
    let mut acc: Vec<(u16, f32)> = Vec::with_capacity(8);
    for (js, ws, share) in [(ja, wa, 1.0 - t), (jb, wb, t)] {
        for (&j, &w) in js.iter().zip(ws) {
            match acc.iter_mut().find(|(k, _)| *k == j) {
                Some(slot) => slot.1 += w * share,
                None => acc.push((j, w * share)),
            }
        }
    }
    acc.sort_by(|x, y| y.1.total_cmp(&x.1));
    acc.resize(4, (0, 0.0));
    let total: f32 = acc.iter().map(|(_, w)| w).sum::<f32>().max(1e-6);
    (
        [acc[0].0, acc[1].0, acc[2].0, acc[3].0],
        [
            acc[0].1 / total,
            acc[1].1 / total,
            acc[2].1 / total,
            acc[3].1 / total,
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::collection::{DEMO_SEED, designs};
    use crate::rig::tests::avatar_of;
    use std::collections::HashMap;

    /// One design of each kind: dress, skirt, top, trousers.
    fn one_of_each() -> Vec<DesignCandidate> {
        designs(DEMO_SEED, 4).expect("designs")
    }

    /// Vertices of `a` matching `select`, with what covers them.
    fn covered_where(
        a: &RiggedAvatar,
        design: &DesignCandidate,
        select: impl Fn(Vec3) -> bool,
    ) -> Vec<Option<Piece>> {
        let cover = coverage(a, &pieces(design));
        a.vertices
            .iter()
            .zip(cover)
            .filter(|(v, _)| select(**v))
            .map(|(_, c)| c)
            .collect()
    }

    #[test]
    fn each_kind_of_look_gets_the_basics_it_lacks() {
        let looks = one_of_each();
        let kinds: Vec<GarmentKind> = looks.iter().map(|d| d.kind).collect();
        assert_eq!(
            kinds,
            [
                GarmentKind::Dress,
                GarmentKind::Skirt,
                GarmentKind::Top,
                GarmentKind::Trousers
            ]
        );
        assert_eq!(pieces(&looks[0]), [Piece::Briefs, Piece::Shoes]);
        assert_eq!(pieces(&looks[1]), [Piece::Bodysuit, Piece::Shoes]);
        assert_eq!(pieces(&looks[2]), [Piece::Leggings, Piece::Shoes]);
        let mut trousers = looks[3].clone();
        trousers.axes.length = 0.9;
        assert_eq!(
            pieces(&trousers),
            [Piece::Bodysuit, Piece::Leggings, Piece::Shoes]
        );
        trousers.axes.length = 0.1;
        assert_eq!(pieces(&trousers), [Piece::Bodysuit, Piece::Shoes]);
    }

    #[test]
    fn a_top_is_worn_with_leggings_that_cover_the_legs_and_nothing_above_the_waist() {
        let Some(a) = avatar_of(1) else { return };
        let top = &one_of_each()[2];
        let at = Levels::of(&a);
        let legs = covered_where(&a, top, |v| {
            v.x.abs() < 0.2 && v.y > at.ankle + 0.05 && v.y < at.crotch - 0.05
        });
        assert!(legs.len() > 500, "{} leg vertices", legs.len());
        assert!(legs.iter().all(|c| *c == Some(Piece::Leggings)));
        let above = covered_where(&a, top, |v| v.y > at.waist + 0.01);
        assert!(
            above.iter().all(Option::is_none),
            "leggings above the waist"
        );
        // The hands hang beside the hips in the A-pose: they stay bare.
        let hands = covered_where(&a, top, |v| {
            v.x.abs() > 0.3 && v.y > at.crotch && v.y < at.waist
        });
        assert!(!hands.is_empty(), "no hands beside the hips");
        assert!(hands.iter().all(Option::is_none), "leggings on the hands");
    }

    #[test]
    fn a_skirt_is_worn_with_a_bodysuit_that_leaves_the_arms_head_and_legs_bare() {
        let Some(a) = avatar_of(3) else { return };
        let skirt = &one_of_each()[1];
        let at = Levels::of(&a);
        let height = a.sheet.sheet().height as f32 / 100.0;
        let chest = covered_where(&a, skirt, |v| {
            v.x.abs() < 0.08 && v.y > at.waist + 0.1 && v.y < at.waist + 0.2
        });
        assert!(chest.len() > 50, "{} chest vertices", chest.len());
        assert!(chest.iter().all(|c| *c == Some(Piece::Bodysuit)));
        let legs = covered_where(&a, skirt, |v| {
            v.y > at.ankle + 0.02 && v.y < at.crotch - 0.05
        });
        assert!(legs.iter().all(Option::is_none), "bodysuit on the legs");
        let head = covered_where(&a, skirt, |v| v.y > 0.88 * height);
        assert!(!head.is_empty() && head.iter().all(Option::is_none));
        let hands = covered_where(&a, skirt, |v| {
            v.x.abs() > 0.3 && v.y > at.crotch && v.y < at.waist
        });
        assert!(!hands.is_empty() && hands.iter().all(Option::is_none));
    }

    #[test]
    fn the_cut_mesh_covers_the_same_surface_without_gaps() {
        let Some(a) = avatar_of(2) else { return };
        let skirt = &one_of_each()[1];
        let styled = style(&a, skirt);
        let area = |positions: &[Vec3], indices: &[u32]| -> f32 {
            indices
                .chunks(3)
                .map(|t| {
                    let [p, q, r] = [0, 1, 2].map(|k| positions[t[k] as usize]);
                    0.5 * (q - p).cross(r - p).length()
                })
                .sum()
        };
        let whole: Vec<u32> = a.triangles.iter().flatten().copied().collect();
        let before = area(&a.vertices, &whole);
        let after = area(&styled.positions, &styled.skin) + area(&styled.positions, &styled.pieces);
        assert!(
            (after - before).abs() < 1e-4 * before,
            "{before} -> {after}"
        );
        // Every edge of the cut mesh is shared by two triangles, as in the closed body.
        let mut edges: HashMap<(u32, u32), i32> = HashMap::new();
        for t in styled.skin.chunks(3).chain(styled.pieces.chunks(3)) {
            for k in 0..3 {
                let (p, q) = (t[k], t[(k + 1) % 3]);
                *edges.entry((p.min(q), p.max(q))).or_default() += 1;
            }
        }
        let open_before = {
            let mut e: HashMap<(u32, u32), i32> = HashMap::new();
            for t in &a.triangles {
                for k in 0..3 {
                    let (p, q) = (t[k], t[(k + 1) % 3]);
                    *e.entry((p.min(q), p.max(q))).or_default() += 1;
                }
            }
            e.values().filter(|c| **c == 1).count()
        };
        let open_after = edges.values().filter(|c| **c == 1).count();
        assert_eq!(open_after, open_before, "the cuts opened the mesh");
        // The weights of the cut vertices still sum to 1.
        for w in &styled.weights[a.vertices.len()..] {
            assert!((w.iter().sum::<f32>() - 1.0).abs() < 1e-4);
        }
    }

    #[test]
    fn every_model_wears_shoes_and_a_dress_only_briefs_besides() {
        let Some(a) = avatar_of(0) else { return };
        let dress = &one_of_each()[0];
        let at = Levels::of(&a);
        assert!(at.ankle > 0.03 && at.ankle < at.crotch, "{at:?}");
        let soles = covered_where(&a, dress, |v| v.y < 0.02);
        assert!(!soles.is_empty());
        assert!(soles.iter().all(|c| *c == Some(Piece::Shoes)));
        let cover = coverage(&a, &pieces(dress));
        for (v, c) in a.vertices.iter().zip(&cover) {
            if *c == Some(Piece::Briefs) {
                assert!(v.y <= at.waist && v.y >= at.crotch - 0.05, "briefs at {v}");
            }
        }
        assert!(cover.contains(&Some(Piece::Briefs)));
        let styled = style(&a, dress);
        let n = styled.positions.len();
        assert!(n > a.vertices.len(), "no cuts");
        for attribute in [
            styled.normals.len(),
            styled.joints.len(),
            styled.weights.len(),
        ] {
            assert_eq!(attribute, n);
        }
        assert_eq!(styled.colours.len(), n);
        assert!(!styled.pieces.is_empty() && styled.skin.len() > styled.pieces.len());
        let mut shoes = styled
            .pieces
            .iter()
            .filter(|&&v| styled.positions[v as usize].y < 0.02);
        assert!(shoes.clone().count() > 0);
        assert!(shoes.all(|&v| styled.colours[v as usize][..3] == SHOES));
    }
}
