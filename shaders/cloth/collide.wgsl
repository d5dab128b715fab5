// Collision kernels: spheres, capsules and planes interpolated across the frame, vertices
// pushed out to the fabric thickness, contacts recorded for friction. `collide_near` runs
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

// Pushes vertex i out of the deepest collider, twice (out of one shape into a neighbouring
// one is resolved too), records the contact and returns the clearance.
fn collide_vertex(i: u32) -> f32 {
    var p4 = pos[i];
    var p = p4.xyz;
    var result = 1e30;
    var contact = contacts[i];
    var touched = false;
    for (var round = 0u; round < 2u; round++) {
        var best: Surface;
        best.distance = 1e30;
        for (var j = 0u; j < params.collider_count; j++) {
            let s = collider_surface(colliders[j], p);
            if j == 0u || s.distance < best.distance {
                best = s;
            }
        }
        result = best.distance;
        if best.distance >= params.thickness {
            break;
        }
        let depth = params.thickness - best.distance;
        p = p + best.normal * depth;
        result = params.thickness;
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
    let speed = length(vel[i].xyz);
    if clearance[i] < params.thickness + 0.01 + 2.0 * speed * params.h {
        collide_vertex(i);
    }
}

@compute @workgroup_size(WORKGROUP_SIZE)
fn collide_all(@builtin(global_invocation_id) id: vec3<u32>) {
    let i = id.x;
    if i >= params.vertex_count || pos[i].w <= 0.0 {
        return;
    }
    clearance[i] = collide_vertex(i);
}
