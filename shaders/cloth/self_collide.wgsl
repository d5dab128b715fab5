// Particle self-collision kernels, mirroring self_collision.rs: once per substep every vertex
// is inserted into a hashed grid of cells `self_cell` wide (the widest member's query
// distance; `hash_insert`), then lists the close, non-neighbouring vertices of its own
// member, the MAX_CLOSE smallest indices in ascending order (`find_close`); each iteration
// every vertex sums its pushes against the positions as they were (`self_collide_push`), then
// all move together (`self_collide_apply`).

fn cell_of(p: vec3<f32>) -> vec3<i32> {
    return vec3<i32>(floor(p / params.self_cell));
}

// The hash bucket of a cell (as `bucket` in self_collision.rs; i32 products wrap).
fn bucket_of(c: vec3<i32>) -> u32 {
    let h = (c.x * 92837111) ^ (c.y * 689287499) ^ (c.z * 283923481);
    return u32(abs(h)) % params.bucket_count;
}

// Whether b is one of a's excluded rest-mesh neighbours (binary search).
fn excluded(a: u32, b: u32) -> bool {
    var lo = exclude_start[a];
    var hi = exclude_start[a + 1u];
    while lo < hi {
        let mid = (lo + hi) / 2u;
        let v = exclude[mid];
        if v == b {
            return true;
        }
        if v < b {
            lo = mid + 1u;
        } else {
            hi = mid;
        }
    }
    return false;
}

@compute @workgroup_size(WORKGROUP_SIZE)
fn hash_insert(@builtin(global_invocation_id) id: vec3<u32>) {
    let i = id.x;
    if i >= params.vertex_count {
        return;
    }
    let b = bucket_of(cell_of(pos[i].xyz));
    cell_next[i] = atomicExchange(&cell_head[b], i + 1u);
}

@compute @workgroup_size(WORKGROUP_SIZE)
fn find_close(@builtin(global_invocation_id) id: vec3<u32>) {
    let a = id.x;
    if a >= params.vertex_count {
        return;
    }
    let pa4 = pos[a];
    let pa = pa4.xyz;
    let cell = cell_of(pa);
    let m = members[member_of(a)];
    let query2 = m.self_query * m.self_query;
    let base = a * MAX_CLOSE;
    var count = 0u;
    if m.self_distance <= 0.0 {
        close_count[a] = 0u;
        return;
    }
    let first = m.vertex_start;
    let end = m.vertex_start + m.vertex_count;
    for (var dz = -1; dz <= 1; dz++) {
        for (var dy = -1; dy <= 1; dy++) {
            for (var dx = -1; dx <= 1; dx++) {
                var node = atomicLoad(&cell_head[bucket_of(cell + vec3<i32>(dx, dy, dz))]);
                while node != 0u {
                    let other = node - 1u;
                    node = cell_next[other];
                    let po = pos[other];
                    let d = pa - po.xyz;
                    // Hash collisions are filtered by the distance test; other members'
                    // vertices are not this cloth's.
                    if other == a || other < first || other >= end
                        || (pa4.w <= 0.0 && po.w <= 0.0) || dot(d, d) > query2
                        || excluded(a, other) {
                        continue;
                    }
                    // Insert in ascending order, no duplicates, keeping the smallest.
                    var at = 0u;
                    while at < count && close[base + at] < other {
                        at++;
                    }
                    if (at < count && close[base + at] == other) || at == MAX_CLOSE {
                        continue;
                    }
                    count = min(count + 1u, MAX_CLOSE);
                    for (var k = count - 1u; k > at; k--) {
                        close[base + k] = close[base + k - 1u];
                    }
                    close[base + at] = other;
                }
            }
        }
    }
    close_count[a] = count;
}

@compute @workgroup_size(WORKGROUP_SIZE)
fn self_collide_push(@builtin(global_invocation_id) id: vec3<u32>) {
    let a = id.x;
    if a >= params.vertex_count {
        return;
    }
    let pa4 = pos[a];
    let wa = pa4.w;
    var delta = vec3<f32>(0.0);
    let self_distance = members[member_of(a)].self_distance;
    if wa > 0.0 {
        let base = a * MAX_CLOSE;
        for (var k = 0u; k < close_count[a]; k++) {
            let pb = pos[close[base + k]];
            let w = wa + pb.w;
            let d = pa4.xyz - pb.xyz;
            let len = length(d);
            if len >= self_distance || len < 1e-9 {
                continue;
            }
            delta = delta + d * (wa * (self_distance - len) / (len * w));
        }
    }
    self_delta[a] = vec4<f32>(delta, 0.0);
}

@compute @workgroup_size(WORKGROUP_SIZE)
fn self_collide_apply(@builtin(global_invocation_id) id: vec3<u32>) {
    let i = id.x;
    if i >= params.vertex_count {
        return;
    }
    let p = pos[i];
    pos[i] = vec4<f32>(p.xyz + self_delta[i].xyz, p.w);
}
