//! Greedy graph colouring of constraints: no two constraints of one colour share a vertex,
//! so each colour can be solved in parallel (and on a GPU, one dispatch per colour) with the
//! same result as a serial Gauss-Seidel sweep over that colour.

use std::ops::Range;

/// Colours constraints given the vertices each one touches.
///
/// Returns a permutation `order` (constraint indices sorted by colour) and the range of
/// `order` each colour occupies. Colouring is deterministic: constraints are visited in
/// input order and take the lowest free colour.
pub fn color_constraints<const K: usize>(
    vertex_count: usize,
    constraints: &[[u32; K]],
) -> (Vec<usize>, Vec<Range<usize>>) {
    // Colours used at each vertex, as a growable bit set of 64-bit words.
    let mut used: Vec<Vec<u64>> = vec![Vec::new(); vertex_count];
    let mut colour_of = Vec::with_capacity(constraints.len());
    let mut colour_count = 0usize;
    for vertices in constraints {
        let mut colour = 0usize;
        loop {
            let (word, bit) = (colour / 64, colour % 64);
            let taken = vertices.iter().any(|&v| {
                used[v as usize]
                    .get(word)
                    .is_some_and(|w| w & (1u64 << bit) != 0)
            });
            if !taken {
                break;
            }
            colour += 1;
        }
        let (word, bit) = (colour / 64, colour % 64);
        for &v in vertices {
            let set = &mut used[v as usize];
            if set.len() <= word {
                set.resize(word + 1, 0);
            }
            set[word] |= 1u64 << bit;
        }
        colour_of.push(colour);
        colour_count = colour_count.max(colour + 1);
    }
    let mut counts = vec![0usize; colour_count];
    for &c in &colour_of {
        counts[c] += 1;
    }
    let mut ranges = Vec::with_capacity(colour_count);
    let mut start = 0;
    for &n in &counts {
        ranges.push(start..start + n);
        start += n;
    }
    let mut next: Vec<usize> = ranges.iter().map(|r| r.start).collect();
    let mut order = vec![0usize; constraints.len()];
    for (i, &c) in colour_of.iter().enumerate() {
        order[next[c]] = i;
        next[c] += 1;
    }
    (order, ranges)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_colour_holds_two_constraints_on_one_vertex() {
        // A 6x6 grid of vertices with horizontal, vertical and diagonal edges.
        let n = 6u32;
        let mut edges = Vec::new();
        for y in 0..n {
            for x in 0..n {
                let v = y * n + x;
                if x + 1 < n {
                    edges.push([v, v + 1]);
                }
                if y + 1 < n {
                    edges.push([v, v + n]);
                }
                if x + 1 < n && y + 1 < n {
                    edges.push([v, v + n + 1]);
                }
            }
        }
        let (order, ranges) = color_constraints((n * n) as usize, &edges);
        assert_eq!(order.len(), edges.len());
        let mut seen = vec![false; edges.len()];
        for range in &ranges {
            let mut touched = vec![false; (n * n) as usize];
            for &c in &order[range.clone()] {
                assert!(!seen[c], "constraint {c} coloured twice");
                seen[c] = true;
                for v in edges[c] {
                    assert!(!touched[v as usize], "vertex {v} twice in one colour");
                    touched[v as usize] = true;
                }
            }
        }
        assert!(seen.iter().all(|&s| s));
        // Max degree is 6, so greedy needs at most 11 colours; it should find far fewer.
        assert!(ranges.len() <= 11, "{} colours", ranges.len());
    }
}
