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
//! No Bevy here: [`style`] splits the avatar's triangles into skin and styling, and colours
//! the styling's vertices, for the avatar plugin to draw with a matte material.

use catwalk_garment::design::{DesignCandidate, GarmentKind};
use catwalk_garment::drape::body::Shape;
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

/// Which part of the body a vertex belongs to, from its skin weights.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    Torso,
    Legs,
    Other,
}

/// The piece covering each vertex of `avatar`, if any (later pieces in `pieces` win where
/// two overlap).
pub fn coverage(avatar: &RiggedAvatar, pieces: &[Piece]) -> Vec<Option<Piece>> {
    let levels = Levels::of(avatar);
    let bones = avatar.body.bones();
    let torso: Vec<bool> = bones
        .iter()
        .map(|b| b.name == "pelvis" || b.name == "chest")
        .collect();
    let legs: Vec<bool> = bones
        .iter()
        .map(|b| b.name.starts_with("thigh") || b.name.starts_with("shin"))
        .collect();
    avatar
        .vertices
        .iter()
        .zip(avatar.joints.iter().zip(&avatar.weights))
        .map(|(&v, (js, ws))| {
            let share = |of: &[bool]| -> f32 {
                js.iter()
                    .zip(ws)
                    .filter(|(j, _)| of[usize::from(**j)])
                    .map(|(_, w)| w)
                    .sum()
            };
            let (t, l) = (share(&torso), share(&legs));
            let part = if t + l < 0.5 {
                Part::Other
            } else if t >= l {
                Part::Torso
            } else {
                Part::Legs
            };
            pieces
                .iter()
                .rev()
                .copied()
                .find(|&p| covers(p, part, v, &levels))
        })
        .collect()
}

fn covers(piece: Piece, part: Part, v: Vec3, at: &Levels) -> bool {
    let lower_body = matches!(part, Part::Torso | Part::Legs);
    match piece {
        Piece::Bodysuit => part == Part::Torso && v.y >= at.crotch - CROTCH_MARGIN_M,
        Piece::Leggings => lower_body && v.y <= at.waist && v.y >= at.ankle,
        Piece::Briefs => {
            lower_body
                && v.y <= at.waist - BRIEFS_BELOW_WAIST_M
                && v.y >= at.crotch - CROTCH_MARGIN_M
        }
        Piece::Shoes => part == Part::Legs && v.y < at.ankle,
    }
}

/// An avatar's triangles split into bare skin and styling pieces.
#[derive(Debug, Clone, PartialEq)]
pub struct Styled {
    /// Triangles of bare skin (vertex indices, three per triangle).
    pub skin: Vec<u32>,
    /// Triangles of the styling pieces.
    pub pieces: Vec<u32>,
    /// The colour of every vertex for the styling's triangles, linear RGBA.
    pub colours: Vec<[f32; 4]>,
}

/// `avatar` styled for `design`: a triangle belongs to a piece when at least two of its
/// corners do, so the pieces' edges follow the mesh.
pub fn style(avatar: &RiggedAvatar, design: &DesignCandidate) -> Styled {
    let cover = coverage(avatar, &pieces(design));
    let mut styled = Styled {
        skin: Vec::new(),
        pieces: Vec::new(),
        colours: cover
            .iter()
            .map(|piece| {
                let [r, g, b] = match piece {
                    Some(Piece::Shoes) => SHOES,
                    _ => BASE_LAYER,
                };
                [r, g, b, 1.0]
            })
            .collect(),
    };
    for tri in &avatar.triangles {
        let covered = tri.iter().filter(|&&v| cover[v as usize].is_some()).count();
        let into = if covered >= 2 {
            &mut styled.pieces
        } else {
            &mut styled.skin
        };
        into.extend_from_slice(tri);
    }
    styled
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::collection::{DEMO_SEED, designs};
    use crate::rig::tests::avatar_of;

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
        assert_eq!(styled.colours.len(), a.vertices.len());
        assert_eq!(
            styled.skin.len() + styled.pieces.len(),
            3 * a.triangles.len(),
            "every triangle drawn once"
        );
        assert!(!styled.pieces.is_empty() && styled.skin.len() > styled.pieces.len());
        let mut shoes = styled
            .pieces
            .iter()
            .filter(|&&v| a.vertices[v as usize].y < 0.02);
        assert!(shoes.clone().count() > 0);
        assert!(shoes.all(|&v| styled.colours[v as usize][..3] == SHOES));
    }
}
