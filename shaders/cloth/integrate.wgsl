// Per-vertex kernels of a substep: wind forces, prediction (gravity, damping, speed limit),
// the Chebyshev extrapolation after each iteration, and the velocity update with Coulomb
// friction. They mirror `Cloth::accumulate_wind`, `Cloth::predict`, `Cloth::extrapolate` and
// `Cloth::update_velocities` in step.rs.

// Wind drag on the triangles around each vertex, gathered in ascending triangle order so the
// sum is rounded exactly as the CPU's scatter over the triangles.
@compute @workgroup_size(WORKGROUP_SIZE)
fn accumulate_wind(@builtin(global_invocation_id) id: vec3<u32>) {
    let i = id.x;
    if i >= params.vertex_count {
        return;
    }
    var f = vec3<f32>(0.0);
    for (var e = vertex_triangle_start[i]; e < vertex_triangle_start[i + 1u]; e++) {
        let t = triangles[vertex_triangles[e]];
        let pa = pos[t.x].xyz;
        let c = cross(pos[t.y].xyz - pa, pos[t.z].xyz - pa);
        let twice_area = length(c);
        if twice_area < 1e-12 {
            continue;
        }
        let normal = c / twice_area;
        let v_rel = params.wind - (vel[t.x].xyz + vel[t.y].xyz + vel[t.z].xyz) / 3.0;
        let vn = dot(v_rel, normal);
        f = f + normal * (params.wind_coefficient * 0.5 * twice_area * vn * abs(vn) / 3.0);
    }
    force[i] = vec4<f32>(f, 0.0);
}

@compute @workgroup_size(WORKGROUP_SIZE)
fn predict(@builtin(global_invocation_id) id: vec3<u32>) {
    let i = id.x;
    if i >= params.vertex_count {
        return;
    }
    let p4 = pos[i];
    let w = p4.w;
    prev[i] = p4;
    var p = p4.xyz;
    if w > 0.0 {
        // Damp the old velocity only, so damping never weakens gravity at rest.
        var nv = vel[i].xyz * members[member_of(i)].decay + params.h * (params.gravity + w * force[i].xyz);
        let speed = length(nv);
        if speed > params.max_speed {
            nv = nv * (params.max_speed / speed);
        }
        vel[i] = vec4<f32>(nv, 0.0);
        p = p + params.h * nv;
    } else {
        vel[i] = vec4<f32>(0.0);
    }
    let out = vec4<f32>(p, w);
    pos[i] = out;
    older[i] = out;
    before[i] = out;
}

// x <- omega (x - x_{k-1}) + x_{k-1} for free vertices not in contact, then shifts the history.
@compute @workgroup_size(WORKGROUP_SIZE)
fn chebyshev(@builtin(global_invocation_id) id: vec3<u32>) {
    let i = id.x;
    if i >= params.vertex_count {
        return;
    }
    var p4 = pos[i];
    if pass_.extrapolate != 0u && p4.w > 0.0 && contacts[i].push == 0.0 {
        let o = older[i].xyz;
        p4 = vec4<f32>(pass_.omega * (p4.xyz - o) + o, p4.w);
        pos[i] = p4;
    }
    older[i] = before[i];
    before[i] = p4;
}

@compute @workgroup_size(WORKGROUP_SIZE)
fn update_velocities(@builtin(global_invocation_id) id: vec3<u32>) {
    let i = id.x;
    if i >= params.vertex_count {
        return;
    }
    let predicted = vel[i].xyz;
    var v = (pos[i].xyz - prev[i].xyz) * params.inv_h;
    let contact = contacts[i];
    let m = members[member_of(i)];
    if m.collider_count + m.sdf_count > 0u && contact.push > 0.0 {
        let n = contact.normal;
        let surface_velocity = contact.motion * params.inv_h;
        let normal_change = max(dot(v - predicted, n), 0.0);
        let relative = v - surface_velocity;
        let normal_speed = dot(relative, n);
        let tangential = relative - n * normal_speed;
        let speed = length(tangential);
        if speed > 1e-9 {
            let keep = max(1.0 - m.friction * normal_change / speed, 0.0);
            v = surface_velocity + n * normal_speed + tangential * keep;
        }
    }
    vel[i] = vec4<f32>(v, 0.0);
}
