//! Seams closed for drawing. Panels are simulated with their own vertices and the seams
//! only pull the two sides together, so a drawn garment would show a hairline slit along
//! every seam: the sides stay a fraction of a millimetre apart, and each side's normal
//! leans towards its own panel, so a garment drawn slightly outside its simulated surface
//! opens the slit further. [`SeamWeld`] groups the vertices sewn together (a union-find
//! over the seam pairs; an underarm point joins three panels) and gives every member of a
//! group the group's mean position and normal.

use catwalk_cloth::glam::Vec3;

/// The groups of vertices sewn together.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SeamWeld {
    /// Each group's vertices (two or more), lowest index first.
    groups: Vec<Vec<u32>>,
}

impl SeamWeld {
    /// Groups `vertex_count` vertices by the seam `pairs` joining them. Pairs naming a
    /// vertex at or beyond `vertex_count` are ignored.
    pub fn new(vertex_count: usize, pairs: &[[u32; 2]]) -> SeamWeld {
        let mut parent: Vec<u32> = (0..vertex_count as u32).collect();
        for &[a, b] in pairs {
            if a as usize >= vertex_count || b as usize >= vertex_count {
                continue;
            }
            let (ra, rb) = (root(&mut parent, a), root(&mut parent, b));
            if ra != rb {
                parent[ra.max(rb) as usize] = ra.min(rb);
            }
        }
        let mut by_root: Vec<Vec<u32>> = vec![Vec::new(); vertex_count];
        for v in 0..vertex_count as u32 {
            let r = root(&mut parent, v);
            by_root[r as usize].push(v);
        }
        SeamWeld {
            groups: by_root.into_iter().filter(|g| g.len() > 1).collect(),
        }
    }

    /// The groups of vertices sewn together, each lowest index first.
    pub fn groups(&self) -> &[Vec<u32>] {
        &self.groups
    }

    /// Moves every vertex of a group to the group's mean position.
    pub fn close(&self, positions: &mut [Vec3]) {
        for group in &self.groups {
            let mean = mean(group, positions);
            for &v in group {
                positions[v as usize] = mean;
            }
        }
    }

    /// Gives every vertex of a group the group's mean direction, unit length (unit normals
    /// in, unit normals out; a group whose normals cancel keeps its own).
    pub fn smooth_normals(&self, normals: &mut [Vec3]) {
        for group in &self.groups {
            let Some(n) = mean(group, normals).try_normalize() else {
                continue;
            };
            for &v in group {
                normals[v as usize] = n;
            }
        }
    }
}

fn mean(group: &[u32], values: &[Vec3]) -> Vec3 {
    group.iter().map(|&v| values[v as usize]).sum::<Vec3>() / group.len() as f32
}

/// The root of `v`'s set, halving the path on the way.
fn root(parent: &mut [u32], mut v: u32) -> u32 {
    while parent[v as usize] != v {
        let up = parent[parent[v as usize] as usize];
        parent[v as usize] = up;
        v = up;
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_that_share_a_vertex_form_one_group() {
        // 1–4 and 4–7 meet at 4 (three panels at an underarm point); 2–5 is a plain seam.
        let weld = SeamWeld::new(9, &[[1, 4], [4, 7], [2, 5], [3, 99]]);
        assert_eq!(weld.groups(), &[vec![1, 4, 7], vec![2, 5]]);
    }

    #[test]
    fn a_group_closes_on_its_mean_and_others_stay_put() {
        let weld = SeamWeld::new(4, &[[0, 2], [2, 3]]);
        let mut p = vec![
            Vec3::new(0.0, 0.0, 0.0),
            Vec3::new(5.0, 5.0, 5.0),
            Vec3::new(0.003, 0.0, 0.0),
            Vec3::new(0.0, 0.003, 0.0),
        ];
        weld.close(&mut p);
        let mean = Vec3::new(0.001, 0.001, 0.0);
        for v in [0, 2, 3] {
            assert!(p[v].distance(mean) < 1e-7, "{v}: {}", p[v]);
        }
        assert_eq!(p[1], Vec3::splat(5.0));
    }

    #[test]
    fn normals_across_a_seam_become_one_unit_normal() {
        // A side seam: the front panel's edge normal leans forward, the back panel's back.
        let weld = SeamWeld::new(2, &[[0, 1]]);
        let mut n = vec![
            Vec3::new(1.0, 0.0, 1.0).normalize(),
            Vec3::new(1.0, 0.0, -1.0).normalize(),
        ];
        weld.smooth_normals(&mut n);
        assert!(n[0].distance(Vec3::X) < 1e-6 && n[1] == n[0], "{n:?}");
        // Normals that cancel leave the vertices as they were.
        let mut opposed = vec![Vec3::Y, -Vec3::Y];
        weld.smooth_normals(&mut opposed);
        assert_eq!(opposed, [Vec3::Y, -Vec3::Y]);
    }
}
