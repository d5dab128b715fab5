//! A panel: one closed piece of fabric, its outline of edges, where it is placed around the
//! body, its named edge groups and its cutting data (fabric, grain line, seam allowance).

use std::collections::BTreeMap;

use glam::{DQuat, DVec2, DVec3};

use crate::curve::{Curve, arc_from_endpoints, relative_to_absolute};
use crate::polygon;

/// The default seam allowance (cm) when a pattern does not give one.
pub const DEFAULT_SEAM_ALLOWANCE_CM: f64 = 1.0;

/// How an edge bends between its two end vertices. Control points are in GarmentCode's
/// edge-relative coordinates (see [`crate::curve::relative_to_absolute`]), so a pattern
/// written back is the pattern that was read.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum EdgeShape {
    /// A straight line.
    Line,
    /// A circular arc of `radius` cm; `large_arc` picks the longer arc, `right` makes it bulge
    /// to the right of the edge's direction.
    Arc {
        /// Radius in cm; at least half the distance between the end vertices.
        radius: f64,
        /// Whether the arc is the longer of the two.
        large_arc: bool,
        /// Whether the arc bulges to the right of the direction start → end.
        right: bool,
    },
    /// A quadratic Bézier with one relative control point.
    Quadratic {
        /// Control point, edge-relative.
        control: DVec2,
    },
    /// A cubic Bézier with two relative control points.
    Cubic {
        /// First control point, edge-relative.
        control1: DVec2,
        /// Second control point, edge-relative.
        control2: DVec2,
    },
}

/// One edge of a panel: indices of its start and end vertex and its shape.
#[derive(Debug, Clone, PartialEq)]
pub struct Edge {
    /// Index of the start vertex in [`Panel::vertices`].
    pub start: usize,
    /// Index of the end vertex in [`Panel::vertices`].
    pub end: usize,
    /// How the edge bends.
    pub shape: EdgeShape,
    /// An optional label (GarmentCode writes one for some edges).
    pub label: Option<String>,
}

impl Edge {
    /// A straight edge.
    pub fn line(start: usize, end: usize) -> Self {
        Self {
            start,
            end,
            shape: EdgeShape::Line,
            label: None,
        }
    }

    /// An edge of the given shape.
    pub fn curved(start: usize, end: usize, shape: EdgeShape) -> Self {
        Self {
            start,
            end,
            shape,
            label: None,
        }
    }
}

/// Why an edge has no geometry.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum EdgeGeometryError {
    /// An endpoint index is past the vertex list.
    #[error("vertex {index} does not exist; the panel has {count} vertices")]
    NoSuchVertex {
        /// The index asked for.
        index: usize,
        /// How many vertices there are.
        count: usize,
    },
    /// An edge index is past the edge list.
    #[error("edge {index} does not exist; the panel has {count} edges")]
    NoSuchEdge {
        /// The index asked for.
        index: usize,
        /// How many edges there are.
        count: usize,
    },
    /// An arc whose radius is shorter than half its chord.
    #[error(
        "an arc of radius {radius} cm cannot join points {chord:.3} cm apart; \
         the radius must be at least half the distance ({:.3} cm)", chord / 2.0
    )]
    ArcTooSmall {
        /// The radius given.
        radius: f64,
        /// The distance between the end vertices.
        chord: f64,
    },
}

/// Cutting data the factory needs that GarmentCode does not carry.
#[derive(Debug, Clone, PartialEq)]
pub struct CuttingInfo {
    /// The fabric this panel is cut from (a preset name), if chosen.
    pub fabric: Option<String>,
    /// The grain line (warp direction) in panel coordinates, a unit vector.
    pub grain: DVec2,
    /// Seam allowance added around the outline when cutting, in cm.
    pub seam_allowance_cm: f64,
}

impl Default for CuttingInfo {
    fn default() -> Self {
        Self {
            fabric: None,
            grain: DVec2::Y,
            seam_allowance_cm: DEFAULT_SEAM_ALLOWANCE_CM,
        }
    }
}

/// A closed piece of fabric. Coordinates are in cm in the panel plane (x right, y up);
/// the panel is placed in 3D by rotating the plane `z = 0` and then translating it.
#[derive(Debug, Clone, PartialEq)]
pub struct Panel {
    /// Unique name within the pattern (GarmentCode's panel key).
    pub name: String,
    /// Outline vertices, cm.
    pub vertices: Vec<DVec2>,
    /// Edges in loop order; each starts where the previous one ends.
    pub edges: Vec<Edge>,
    /// Placement: translation in cm, applied after the rotation.
    pub translation: DVec3,
    /// Placement: rotation as Euler angles in degrees about the fixed x, then y, then z axes
    /// (GarmentCode's convention).
    pub rotation_deg: DVec3,
    /// Named groups of edge indices (`"waist"`, `"hem"`, `"side_left"`, …).
    pub edge_groups: BTreeMap<String, Vec<usize>>,
    /// Fabric, grain line and seam allowance.
    pub cutting: CuttingInfo,
    /// GarmentCode's optional body-part label, kept for round trips.
    pub label: Option<String>,
}

impl Panel {
    /// A panel with the given outline and no placement.
    pub fn new(name: impl Into<String>, vertices: Vec<DVec2>, edges: Vec<Edge>) -> Self {
        Self {
            name: name.into(),
            vertices,
            edges,
            translation: DVec3::ZERO,
            rotation_deg: DVec3::ZERO,
            edge_groups: BTreeMap::new(),
            cutting: CuttingInfo::default(),
            label: None,
        }
    }

    /// Edge `index` as absolute geometry.
    pub fn curve(&self, index: usize) -> Result<Curve, EdgeGeometryError> {
        let edge = self.edges.get(index).ok_or(EdgeGeometryError::NoSuchEdge {
            index,
            count: self.edges.len(),
        })?;
        self.edge_curve(edge)
    }

    /// The absolute geometry of `edge` (which need not belong to this panel's list).
    pub fn edge_curve(&self, edge: &Edge) -> Result<Curve, EdgeGeometryError> {
        let vertex = |i: usize| {
            self.vertices
                .get(i)
                .copied()
                .ok_or(EdgeGeometryError::NoSuchVertex {
                    index: i,
                    count: self.vertices.len(),
                })
        };
        let (from, to) = (vertex(edge.start)?, vertex(edge.end)?);
        Ok(match edge.shape {
            EdgeShape::Line => Curve::Line { from, to },
            EdgeShape::Arc {
                radius,
                large_arc,
                right,
            } => arc_from_endpoints(from, to, radius, large_arc, right).ok_or(
                EdgeGeometryError::ArcTooSmall {
                    radius,
                    chord: from.distance(to),
                },
            )?,
            EdgeShape::Quadratic { control } => Curve::Quadratic {
                from,
                control: relative_to_absolute(from, to, control),
                to,
            },
            EdgeShape::Cubic { control1, control2 } => Curve::Cubic {
                from,
                control1: relative_to_absolute(from, to, control1),
                control2: relative_to_absolute(from, to, control2),
                to,
            },
        })
    }

    /// Every edge as absolute geometry, in loop order.
    pub fn curves(&self) -> Result<Vec<Curve>, EdgeGeometryError> {
        self.edges.iter().map(|e| self.edge_curve(e)).collect()
    }

    /// Length of edge `index` in cm.
    pub fn edge_length(&self, index: usize) -> Result<f64, EdgeGeometryError> {
        Ok(self.curve(index)?.length())
    }

    /// Total length of the edges in group `group` (0 when there is no such group).
    pub fn group_length(&self, group: &str) -> Result<f64, EdgeGeometryError> {
        let mut total = 0.0;
        for &i in self
            .edge_groups
            .get(group)
            .map(Vec::as_slice)
            .unwrap_or(&[])
        {
            total += self.edge_length(i)?;
        }
        Ok(total)
    }

    /// The closed outline as a polyline with segments no longer than `max_segment` cm
    /// (the first point is not repeated at the end).
    pub fn outline(&self, max_segment: f64) -> Result<Vec<DVec2>, EdgeGeometryError> {
        let mut points = Vec::new();
        for curve in self.curves()? {
            let mut seg = curve.flatten(max_segment);
            seg.pop();
            points.extend(seg);
        }
        polygon::dedup_closed(&mut points);
        Ok(points)
    }

    /// The enclosed area in cm² (positive whatever the winding).
    pub fn area(&self) -> Result<f64, EdgeGeometryError> {
        Ok(polygon::signed_area(&self.outline(0.5)?).abs())
    }

    /// Whether the outline runs counter-clockwise (y up).
    pub fn is_counter_clockwise(&self) -> Result<bool, EdgeGeometryError> {
        Ok(polygon::signed_area(&self.outline(0.5)?) > 0.0)
    }

    /// The rotation part of the placement.
    pub fn rotation(&self) -> DQuat {
        let r = self.rotation_deg;
        DQuat::from_rotation_z(r.z.to_radians())
            * DQuat::from_rotation_y(r.y.to_radians())
            * DQuat::from_rotation_x(r.x.to_radians())
    }

    /// A panel-plane point (cm) placed around the body (cm).
    pub fn place(&self, point: DVec2) -> DVec3 {
        self.rotation() * point.extend(0.0) + self.translation
    }

    /// The panel reflected across its y axis (x ↦ −x). The outline keeps its winding: the
    /// edges are reversed, so old edge `i` becomes edge `n − 1 − i` (see
    /// [`Panel::mirrored_edge_index`]); edge groups are renumbered to match.
    pub fn mirrored(&self, name: impl Into<String>) -> Panel {
        let n = self.edges.len();
        let mirror_rel = |p: DVec2| DVec2::new(1.0 - p.x, p.y);
        let edges = self
            .edges
            .iter()
            .rev()
            .map(|e| Edge {
                start: e.end,
                end: e.start,
                shape: match e.shape {
                    EdgeShape::Line => EdgeShape::Line,
                    // Reflecting flips the bulge's side and reversing flips it back.
                    arc @ EdgeShape::Arc { .. } => arc,
                    EdgeShape::Quadratic { control } => EdgeShape::Quadratic {
                        control: mirror_rel(control),
                    },
                    EdgeShape::Cubic { control1, control2 } => EdgeShape::Cubic {
                        control1: mirror_rel(control2),
                        control2: mirror_rel(control1),
                    },
                },
                label: e.label.clone(),
            })
            .collect();
        let mut out = Panel::new(
            name,
            self.vertices
                .iter()
                .map(|v| DVec2::new(-v.x, v.y))
                .collect(),
            edges,
        );
        out.translation = self.translation;
        out.rotation_deg = self.rotation_deg;
        out.cutting = self.cutting.clone();
        out.cutting.grain.x = -out.cutting.grain.x;
        out.label = self.label.clone();
        out.edge_groups = self
            .edge_groups
            .iter()
            .map(|(k, v)| (k.clone(), v.iter().map(|&i| n - 1 - i).collect()))
            .collect();
        out
    }

    /// Where edge `index` of this panel ends up in [`Panel::mirrored`].
    pub fn mirrored_edge_index(&self, index: usize) -> usize {
        self.edges.len() - 1 - index
    }

    /// The index of the edge that starts at vertex `start` and ends at `end`, if any.
    pub fn find_edge(&self, start: usize, end: usize) -> Option<usize> {
        self.edges
            .iter()
            .position(|e| e.start == start && e.end == end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn square(size: f64) -> Panel {
        Panel::new(
            "sq",
            vec![
                DVec2::new(0.0, 0.0),
                DVec2::new(size, 0.0),
                DVec2::new(size, size),
                DVec2::new(0.0, size),
            ],
            vec![
                Edge::line(0, 1),
                Edge::line(1, 2),
                Edge::line(2, 3),
                Edge::line(3, 0),
            ],
        )
    }

    #[test]
    fn placement_rotates_then_translates() {
        let mut p = square(10.0);
        p.rotation_deg = DVec3::new(0.0, 180.0, 0.0);
        p.translation = DVec3::new(0.0, 50.0, -20.0);
        let q = p.place(DVec2::new(10.0, 0.0));
        assert!((q - DVec3::new(-10.0, 50.0, -20.0)).length() < 1e-9);
    }

    #[test]
    fn outward_arc_adds_area() {
        let mut p = square(10.0);
        // Bottom edge 0->1 runs +x; bulging right (down, outside the square) adds a half disc.
        p.edges[0].shape = EdgeShape::Arc {
            radius: 5.0,
            large_arc: false,
            right: true,
        };
        let expected = 100.0 + std::f64::consts::PI * 25.0 / 2.0;
        assert!((p.area().expect("geometry") - expected).abs() < 0.2);
    }

    #[test]
    fn mirrored_panel_is_the_reflection_with_the_same_winding() {
        let mut p = square(10.0);
        p.edges[0].shape = EdgeShape::Cubic {
            control1: DVec2::new(0.2, 0.3),
            control2: DVec2::new(0.9, -0.1),
        };
        p.edges[1].shape = EdgeShape::Quadratic {
            control: DVec2::new(0.3, -0.2),
        };
        p.edges[2].shape = EdgeShape::Arc {
            radius: 8.0,
            large_arc: false,
            right: true,
        };
        p.edge_groups.insert("hem".into(), vec![0]);
        let m = p.mirrored("m");
        assert_eq!(m.edge_groups["hem"], vec![3]);
        assert_eq!(
            p.is_counter_clockwise().expect("geometry"),
            m.is_counter_clockwise().expect("geometry")
        );
        for i in 0..4 {
            let (a, b) = (
                p.curve(i).expect("edge"),
                m.curve(p.mirrored_edge_index(i)).expect("edge"),
            );
            for k in 0..=10 {
                let t = k as f64 / 10.0;
                let q = a.point(t);
                let r = b.point(1.0 - t);
                assert!(
                    (DVec2::new(-q.x, q.y) - r).length() < 1e-9,
                    "edge {i} t {t}"
                );
            }
        }
        assert!((m.area().expect("area") - p.area().expect("area")).abs() < 1e-6);
    }

    #[test]
    fn missing_vertex_is_reported() {
        let mut p = square(10.0);
        p.edges[3].end = 9;
        assert_eq!(
            p.curve(3),
            Err(EdgeGeometryError::NoSuchVertex { index: 9, count: 4 })
        );
    }
}
