//! A pattern-space triangle mesh: a regular grid over a parameter rectangle, mapped into the
//! pattern plane by the caller.

use glam::Vec2;

/// Rest positions in the pattern plane and triangles over them.
#[derive(Debug, Clone, PartialEq)]
pub struct PatternMesh {
    /// Rest positions, m.
    pub rest: Vec<Vec2>,
    /// Triangles.
    pub triangles: Vec<[u32; 3]>,
    /// Columns of the grid.
    pub columns: usize,
    /// Rows of the grid.
    pub rows: usize,
}

impl PatternMesh {
    /// A `columns × rows` grid of vertices; vertex `(i, j)` is `map(i / (columns-1),
    /// j / (rows-1))` and has index `j * columns + i`. Diagonals alternate per cell so the
    /// mesh has no preferred shear direction.
    pub fn grid(columns: usize, rows: usize, map: impl Fn(f32, f32) -> Vec2) -> PatternMesh {
        let columns = columns.max(2);
        let rows = rows.max(2);
        let mut rest = Vec::with_capacity(columns * rows);
        for j in 0..rows {
            for i in 0..columns {
                rest.push(map(
                    i as f32 / (columns - 1) as f32,
                    j as f32 / (rows - 1) as f32,
                ));
            }
        }
        let mut triangles = Vec::with_capacity(2 * (columns - 1) * (rows - 1));
        for j in 0..rows - 1 {
            for i in 0..columns - 1 {
                let v = |i: usize, j: usize| (j * columns + i) as u32;
                let (a, b, c, d) = (v(i, j), v(i + 1, j), v(i, j + 1), v(i + 1, j + 1));
                if (i + j) % 2 == 0 {
                    triangles.push([a, b, d]);
                    triangles.push([a, d, c]);
                } else {
                    triangles.push([a, b, c]);
                    triangles.push([b, d, c]);
                }
            }
        }
        PatternMesh {
            rest,
            triangles,
            columns,
            rows,
        }
    }

    /// Index of grid vertex `(i, j)`.
    pub fn index(&self, i: usize, j: usize) -> u32 {
        (j * self.columns + i) as u32
    }
}
