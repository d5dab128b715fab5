//! Panel outlines resampled for meshing. Each edge is split into equal arc-length steps no
//! longer than the target; the two edges of a stitch always get the same number of steps,
//! so their vertices meet one to one along the seam.

use glam::DVec2;

use super::{MeshError, PanelSpan};
use crate::pattern::{Pattern, PatternError, StitchDirection};

/// A panel outline resampled for meshing.
#[derive(Debug, Clone, PartialEq)]
pub struct ResampledOutline {
    /// Outline points in loop order (each corner once).
    pub points: Vec<DVec2>,
    /// For each edge, indices into `points` from its start to its end inclusive.
    pub edge_vertices: Vec<Vec<u32>>,
}

/// How many segments each edge of each panel is split into: enough that no segment is
/// longer than `target` cm, and equal across every stitch.
pub fn edge_segment_counts(pattern: &Pattern, target: f64) -> Result<Vec<Vec<usize>>, MeshError> {
    let mut counts: Vec<Vec<usize>> = Vec::with_capacity(pattern.panels.len());
    for panel in &pattern.panels {
        let mut per_edge = Vec::with_capacity(panel.edges.len());
        for i in 0..panel.edges.len() {
            let length = panel.edge_length(i).map_err(|e| {
                PatternError::new(
                    format!("pattern.panels.{}.edges[{i}]", panel.name),
                    e.into(),
                )
            })?;
            per_edge.push(((length / target).ceil() as usize).max(1));
        }
        counts.push(per_edge);
    }
    // Stitches may chain (an edge sewn to two others), so repeat until nothing changes.
    let ends: Vec<[(usize, usize); 2]> = pattern
        .stitches
        .iter()
        .filter_map(|s| {
            Some([
                (pattern.panel_index(&s.a.panel)?, s.a.edge),
                (pattern.panel_index(&s.b.panel)?, s.b.edge),
            ])
        })
        .collect();
    loop {
        let mut changed = false;
        for [(pa, ea), (pb, eb)] in &ends {
            let n = counts[*pa][*ea].max(counts[*pb][*eb]);
            if counts[*pa][*ea] != n || counts[*pb][*eb] != n {
                counts[*pa][*ea] = n;
                counts[*pb][*eb] = n;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    Ok(counts)
}

/// Resamples one panel's outline with the given per-edge segment counts.
pub fn resample_outline(
    panel: &crate::Panel,
    counts: &[usize],
) -> Result<ResampledOutline, MeshError> {
    let mut points = Vec::new();
    let mut edge_vertices = Vec::with_capacity(panel.edges.len());
    for (i, &n) in counts.iter().enumerate() {
        let curve = panel.curve(i).map_err(|e| {
            PatternError::new(
                format!("pattern.panels.{}.edges[{i}]", panel.name),
                e.into(),
            )
        })?;
        let mut samples = curve.resample(n);
        samples.pop(); // the end is the next edge's start
        let first = points.len() as u32;
        points.extend(samples);
        edge_vertices.push((first..=first + n as u32).collect::<Vec<u32>>());
    }
    // The last edge ends where the first one starts.
    let total = points.len() as u32;
    if let Some(last) = edge_vertices.last_mut()
        && let Some(end) = last.last_mut()
    {
        *end %= total.max(1);
    }
    Ok(ResampledOutline {
        points,
        edge_vertices,
    })
}

/// Vertex pairs to sew, from every stitch, without duplicates (corners shared by two
/// stitches appear once).
pub fn seam_pairs(pattern: &Pattern, panels: &[PanelSpan]) -> Vec<[u32; 2]> {
    let mut pairs = Vec::new();
    for stitch in &pattern.stitches {
        let run = |panel: &str, edge: usize| {
            let p = pattern.panel_index(panel)?;
            panels.get(p)?.edge_vertices.get(edge)
        };
        let (Some(a), Some(b)) = (
            run(&stitch.a.panel, stitch.a.edge),
            run(&stitch.b.panel, stitch.b.edge),
        ) else {
            continue;
        };
        let n = a.len().min(b.len());
        for k in 0..n {
            let other = match stitch.direction {
                StitchDirection::Same => b[k],
                StitchDirection::Opposite => b[b.len() - 1 - k],
            };
            if a[k] != other {
                pairs.push([a[k].min(other), a[k].max(other)]);
            }
        }
    }
    pairs.sort_unstable();
    pairs.dedup();
    pairs
}
