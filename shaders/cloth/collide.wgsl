// Collision kernels: spheres, capsules and planes interpolated across the frame and static
// signed-distance grids, vertices pushed out to the fabric thickness, contacts recorded for
// friction. `collide_near` runs
// every iteration on the vertices near a collider (the CPU broad phase's test, evaluated in
// place); `collide_all` runs once at the end of each substep and refreshes the clearance.
// They mirror `deepest_contact` in colliders.rs and `collide_vertex` in step.rs.

struct Surface {
    distance: f32,
    normal: vec3<f32>,
    motion: vec3<f32>,
}

// A unit vector perpendicular to the unit vector `n` (glam's `any_orthonormal_vector`).
fn any_orthonormal(n: vec3<f32>) -> vec3<f32> {
    let s = select(-1.0, 1.0, n.z >= 0.0);
    let a = -1.0 / (s + n.z);
    let b = n.x * n.y * a;
    return vec3<f32>(b, s + n.y * n.y * a, -n.y);
}

fn collider_surface(c: Collider, p: vec3<f32>) -> Surface {
    var s: Surface;
    let kind = u32(c.a0.w);
    if kind == 2u {
        s.normal = c.a1.xyz;
        s.distance = dot(c.a1.xyz, p) - c.b1.w;
        s.motion = vec3<f32>(0.0);
        return s;
    }
    let r = c.b0.w + (c.b1.w - c.b0.w) * pass_.t1;
    let a_from = lerp3(c.a0.xyz, c.a1.xyz, pass_.t0);
    let a_to = lerp3(c.a0.xyz, c.a1.xyz, pass_.t1);
    if kind == 0u {
        let d = p - a_to;
        let len = length(d);
        s.normal = select(vec3<f32>(0.0, 1.0, 0.0), d / len, len > 1e-9);
        s.distance = len - r;
        s.motion = a_to - a_from;
        return s;
    }
    let b_from = lerp3(c.b0.xyz, c.b1.xyz, pass_.t0);
    let b_to = lerp3(c.b0.xyz, c.b1.xyz, pass_.t1);
    let ab = b_to - a_to;
    let len2 = dot(ab, ab);
    var t = 0.0;
    if len2 >= 1e-12 {
        t = clamp(dot(p - a_to, ab) / len2, 0.0, 1.0);
    }
    let core = lerp3(a_to, b_to, t);
    let d = p - core;
    let len = length(d);
    if len > 1e-9 {
        s.normal = d / len;
    } else {
        s.normal = any_orthonormal(normalize(ab));
    }
    s.distance = len - r;
    s.motion = core - lerp3(a_from, b_from, t);
    return s;
}

// One sample of grid g (as `SdfGrid::value` in sdf.rs).
fn sdf_value(g: SdfGrid, x: u32, y: u32, z: u32) -> f32 {
    return sdf_values[g.offset + (z * g.dims.y + y) * g.dims.x + x];
}

fn lerp1(a: f32, b: f32, t: f32) -> f32 {
    return a + (b - a) * t;
}

// Trilinear interpolation inside the grid (as `SdfGrid::trilinear`).
fn sdf_trilinear(g: SdfGrid, p: vec3<f32>) -> f32 {
    let gp = (p - g.origin) / g.cell;
    let top = vec3<f32>(g.dims - vec3<u32>(2u));
    let base = clamp(floor(gp), vec3<f32>(0.0), top);
    let f = clamp(gp - base, vec3<f32>(0.0), vec3<f32>(1.0));
    let b = vec3<u32>(base);
    let x00 = lerp1(sdf_value(g, b.x, b.y, b.z), sdf_value(g, b.x + 1u, b.y, b.z), f.x);
    let x10 = lerp1(sdf_value(g, b.x, b.y + 1u, b.z), sdf_value(g, b.x + 1u, b.y + 1u, b.z), f.x);
    let x01 = lerp1(sdf_value(g, b.x, b.y, b.z + 1u), sdf_value(g, b.x + 1u, b.y, b.z + 1u), f.x);
    let x11 = lerp1(
        sdf_value(g, b.x, b.y + 1u, b.z + 1u),
        sdf_value(g, b.x + 1u, b.y + 1u, b.z + 1u),
        f.x,
    );
    return lerp1(lerp1(x00, x10, f.y), lerp1(x01, x11, f.y), f.z);
}

// Signed distance; outside the grid, the distance to its box is added (as `SdfGrid::distance`).
fn sdf_distance(g: SdfGrid, p: vec3<f32>) -> f32 {
    let far = g.origin + g.cell * vec3<f32>(g.dims - vec3<u32>(1u));
    let clamped = clamp(p, g.origin, far);
    return sdf_trilinear(g, clamped) + length(p - clamped);
}

// Distance and outward normal from central differences (as `SdfGrid::surface`); static.
fn sdf_surface(g: SdfGrid, p: vec3<f32>) -> Surface {
    let e = 0.5 * g.cell;
    let ex = vec3<f32>(e, 0.0, 0.0);
    let ey = vec3<f32>(0.0, e, 0.0);
    let ez = vec3<f32>(0.0, 0.0, e);
    let gradient = vec3<f32>(
        sdf_distance(g, p + ex) - sdf_distance(g, p - ex),
        sdf_distance(g, p + ey) - sdf_distance(g, p - ey),
        sdf_distance(g, p + ez) - sdf_distance(g, p - ez),
    );
    var s: Surface;
    // glam's `normalize_or(Vec3::Y)`: the fallback unless 1 / length is finite and positive.
    s.normal = vec3<f32>(0.0, 1.0, 0.0);
    let len = length(gradient);
    if len > 0.0 {
        let rcp = 1.0 / len;
        if rcp <= 3.4028235e38 {
            s.normal = gradient * rcp;
        }
    }
    s.distance = sdf_distance(g, p);
    s.motion = vec3<f32>(0.0);
    return s;
}

// Pushes vertex i out of the deepest collider, twice (out of one shape into a neighbouring
// one is resolved too), records the contact and returns the clearance.
fn collide_vertex(i: u32, m: Member) -> f32 {
    var p4 = pos[i];
    var p = p4.xyz;
    var result = 1e30;
    var contact = contacts[i];
    var touched = false;
    for (var round = 0u; round < 2u; round++) {
        var best: Surface;
        best.distance = 1e30;
        for (var j = 0u; j < m.collider_count; j++) {
            let s = collider_surface(colliders[m.collider_start + j], p);
            if j == 0u || s.distance < best.distance {
                best = s;
            }
        }
        for (var g = 0u; g < m.sdf_count; g++) {
            let s = sdf_surface(sdf_grids[m.sdf_start + g], p);
            if (m.collider_count == 0u && g == 0u) || s.distance < best.distance {
                best = s;
            }
        }
        result = best.distance;
        if best.distance >= m.thickness {
            break;
        }
        let depth = m.thickness - best.distance;
        p = p + best.normal * depth;
        result = m.thickness;
        contact.normal = best.normal;
        contact.push = contact.push + depth;
        contact.motion = best.motion;
        touched = true;
    }
    if touched {
        pos[i] = vec4<f32>(p, p4.w);
        contacts[i] = contact;
    }
    return result;
}

@compute @workgroup_size(WORKGROUP_SIZE)
fn collide_near(@builtin(global_invocation_id) id: vec3<u32>) {
    let i = id.x;
    if i >= params.vertex_count || pos[i].w <= 0.0 {
        return;
    }
    let m = members[member_of(i)];
    let speed = length(vel[i].xyz);
    if clearance[i] < m.thickness + 0.01 + 2.0 * speed * params.h {
        collide_vertex(i, m);
    }
}

@compute @workgroup_size(WORKGROUP_SIZE)
fn collide_all(@builtin(global_invocation_id) id: vec3<u32>) {
    let i = id.x;
    if i >= params.vertex_count || pos[i].w <= 0.0 {
        return;
    }
    clearance[i] = collide_vertex(i, members[member_of(i)]);
}
