//! Several cloths packed into one set of GPU records (a batch): vertices one member after
//! the other, every constraint's vertex indices shifted by its member's first vertex, and the
//! coloured constraint lists merged colour by colour, so colour k of every member runs in one
//! dispatch (constraints of different members never share a vertex). A batch of one is a
//! single cloth; a batch of twelve garments costs about as many dispatches as one.

use std::ops::Range;

use crate::cloth::Cloth;
use crate::gpu::buffers::Bytes;

/// Where one member's records lie in the batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct MemberRange {
    pub vertex_start: u32,
    pub vertex_count: u32,
    pub attachment_start: u32,
    pub attachment_count: u32,
}

/// The packed records of a batch (the WGSL layouts of common.wgsl).
#[derive(Debug, Default)]
pub(crate) struct Packed {
    pub members: Vec<MemberRange>,
    pub vertex_count: usize,
    pub pos: Vec<u8>,
    pub prev: Vec<u8>,
    pub vel: Vec<u8>,
    pub clearance: Vec<u8>,
    pub triangles: Vec<u8>,
    pub vertex_triangle_start: Vec<u8>,
    pub vertex_triangles: Vec<u8>,
    pub exclude_start: Vec<u8>,
    pub exclude: Vec<u8>,
    pub distances: Vec<u8>,
    pub distance_count: usize,
    pub distance_colours: Vec<Range<usize>>,
    pub hinges: Vec<u8>,
    pub hinge_count: usize,
    pub bend_colours: Vec<Range<usize>>,
    pub tethers: Vec<u8>,
    pub tether_count: usize,
    pub seams: Vec<u8>,
    pub seam_count: usize,
    /// Attached vertices (batch indices) and their compliance.
    pub attachment_vertex: Vec<u32>,
    pub attachment_compliance: Vec<f32>,
}

/// Packs `cloths` into one batch.
pub(crate) fn pack(cloths: &[&Cloth]) -> Packed {
    let mut p = Packed::default();
    let mut vertex_start = 0u32;
    let mut attachment_start = 0u32;
    for cloth in cloths {
        let n = cloth.pos.len() as u32;
        let at = &cloth.attachments;
        p.members.push(MemberRange {
            vertex_start,
            vertex_count: n,
            attachment_start,
            attachment_count: at.vertex.len() as u32,
        });
        p.attachment_vertex
            .extend(at.vertex.iter().map(|&v| v + vertex_start));
        p.attachment_compliance
            .extend(std::iter::repeat_n(at.compliance, at.vertex.len()));
        vertex_start += n;
        attachment_start += at.vertex.len() as u32;
    }
    p.vertex_count = vertex_start as usize;
    pack_vertices(&mut p, cloths);
    pack_triangles(&mut p, cloths);
    pack_exclusions(&mut p, cloths);
    let slots = pack_distances(&mut p, cloths);
    pack_seams(&mut p, cloths, &slots);
    pack_hinges(&mut p, cloths);
    pack_tethers(&mut p, cloths);
    p
}

fn pack_vertices(p: &mut Packed, cloths: &[&Cloth]) {
    let mut pos = Bytes::default();
    let mut prev = Bytes::default();
    let mut vel = Bytes::default();
    let mut clearance = Bytes::default();
    for cloth in cloths {
        for (i, &w) in cloth.inv_mass.iter().enumerate() {
            pos.vec4(cloth.pos[i], w);
            prev.vec4(cloth.prev[i], w);
            vel.vec4(cloth.vel[i], 0.0);
        }
        for &c in &cloth.scratch.clearance {
            clearance.f32(c);
        }
    }
    p.pos = pos.0;
    p.prev = prev.0;
    p.vel = vel.0;
    p.clearance = clearance.0;
}

/// The triangles as `vec4<u32>` records and, per vertex, the triangles around it in ascending
/// order as a compressed row list (start offsets, then the triangle indices).
fn pack_triangles(p: &mut Packed, cloths: &[&Cloth]) {
    let mut triangles = Bytes::default();
    let mut start = Bytes::default();
    let mut list = Bytes::default();
    let mut offset = 0u32;
    let mut first_triangle = 0u32;
    for (cloth, m) in cloths.iter().zip(&p.members) {
        let mut fans: Vec<Vec<u32>> = vec![Vec::new(); cloth.pos.len()];
        for (t, tri) in cloth.triangles.iter().enumerate() {
            for &v in tri {
                triangles.u32(v + m.vertex_start);
                fans[v as usize].push(first_triangle + t as u32);
            }
            triangles.u32(0);
        }
        for fan in &fans {
            start.u32(offset);
            for &t in fan {
                list.u32(t);
            }
            offset += fan.len() as u32;
        }
        first_triangle += cloth.triangles.len() as u32;
    }
    start.u32(offset);
    p.triangles = triangles.0;
    p.vertex_triangle_start = start.0;
    p.vertex_triangles = list.0;
}

/// Each vertex's excluded self-collision neighbours (CSR), shifted into batch indices.
fn pack_exclusions(p: &mut Packed, cloths: &[&Cloth]) {
    let mut start = Bytes::default();
    let mut list = Bytes::default();
    let mut offset = 0u32;
    for (cloth, m) in cloths.iter().zip(&p.members) {
        let (s, l) = cloth.self_collision.exclusions();
        // A cloth without self-collision may list no rows at all.
        for i in 0..cloth.pos.len() {
            let row = s.get(i).copied().unwrap_or(0);
            start.u32(offset + row);
        }
        for &v in l {
            list.u32(v + m.vertex_start);
        }
        offset += l.len() as u32;
    }
    start.u32(offset);
    p.exclude_start = start.0;
    p.exclude = list.0;
}

/// Merges the distance constraints colour by colour; returns, per member, the batch slot of
/// each of its constraints (seams name their constraint by slot).
fn pack_distances(p: &mut Packed, cloths: &[&Cloth]) -> Vec<Vec<u32>> {
    let mut slots: Vec<Vec<u32>> = cloths
        .iter()
        .map(|c| vec![0; c.distances.a.len()])
        .collect();
    let colours = cloths
        .iter()
        .map(|c| c.distances.colours.len())
        .max()
        .unwrap_or(0);
    let mut records = Bytes::default();
    let mut count = 0usize;
    for colour in 0..colours {
        let first = count;
        for (m, cloth) in cloths.iter().enumerate() {
            let d = &cloth.distances;
            let Some(range) = d.colours.get(colour) else {
                continue;
            };
            let shift = p.members[m].vertex_start;
            for k in range.clone() {
                records
                    .u32(d.a[k] + shift)
                    .u32(d.b[k] + shift)
                    .f32(d.rest[k])
                    .f32(d.compliance[k]);
                slots[m][k] = count as u32;
                count += 1;
            }
        }
        p.distance_colours.push(first..count);
    }
    p.distances = records.0;
    p.distance_count = count;
    slots
}

fn pack_seams(p: &mut Packed, cloths: &[&Cloth], slots: &[Vec<u32>]) {
    let mut seams = Bytes::default();
    for (m, cloth) in cloths.iter().enumerate() {
        let s = &cloth.seams;
        for (&slot, &initial) in s.slot.iter().zip(&s.initial) {
            seams.u32(slots[m][slot]).f32(initial).u32(m as u32).u32(0);
            p.seam_count += 1;
        }
    }
    p.seams = seams.0;
}

/// Merges the bending hinges colour by colour.
fn pack_hinges(p: &mut Packed, cloths: &[&Cloth]) {
    let colours = cloths
        .iter()
        .map(|c| c.bends.colours.len())
        .max()
        .unwrap_or(0);
    let mut hinges = Bytes::default();
    let mut count = 0usize;
    for colour in 0..colours {
        let first = count;
        for (m, cloth) in cloths.iter().enumerate() {
            let b = &cloth.bends;
            let Some(range) = b.colours.get(colour) else {
                continue;
            };
            let shift = p.members[m].vertex_start;
            for j in range.clone() {
                for &v in &b.v[j] {
                    hinges.u32(v + shift);
                }
                for &k in b.k[j].iter().chain(&b.wk[j]) {
                    hinges.f32(k);
                }
                hinges.f32(b.wkk[j]).f32(b.compliance[j]).f32(0.0).f32(0.0);
                count += 1;
            }
        }
        p.bend_colours.push(first..count);
    }
    p.hinges = hinges.0;
    p.hinge_count = count;
}

fn pack_tethers(p: &mut Packed, cloths: &[&Cloth]) {
    let mut tethers = Bytes::default();
    for (cloth, m) in cloths.iter().zip(&p.members) {
        let t = &cloth.tethers;
        for i in 0..t.vertex.len() {
            tethers
                .u32(t.vertex[i] + m.vertex_start)
                .u32(t.anchor[i] + m.vertex_start)
                .f32(t.max_len[i])
                .f32(0.0);
            p.tether_count += 1;
        }
    }
    p.tethers = tethers.0;
}
