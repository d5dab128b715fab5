// Constraint kernels, one dispatch per colour (constraints of a colour share no vertex, so the
// threads of a dispatch never write the same vertex): XPBD distance (stretch, shear) and
// isometric bending with compliance and multipliers, long-range tethers, soft attachments
// to moving targets, and the seam schedule. They mirror
// `distance_correction`, `bend_correction`, `TetherSet::solve` and `AttachmentSet::solve` in
// constraints.rs and `Cloth::update_seams` in step.rs.

@compute @workgroup_size(WORKGROUP_SIZE)
fn solve_distances(@builtin(global_invocation_id) id: vec3<u32>) {
    if id.x >= pass_.count {
        return;
    }
    let slot = pass_.offset + id.x;
    let c = distances[slot];
    let pa = pos[c.a];
    let pb = pos[c.b];
    let d = pa.xyz - pb.xyz;
    let len = length(d);
    let w = pa.w + pb.w;
    if len < 1e-9 || w <= 0.0 {
        return;
    }
    let alpha = c.compliance * params.inv_h2;
    let lambda = distance_lambda[slot];
    let dl = (-(len - c.rest) - alpha * lambda) / (w + alpha);
    distance_lambda[slot] = lambda + dl;
    let p = d * (dl / len);
    pos[c.a] = vec4<f32>(pa.xyz + pa.w * p, pa.w);
    pos[c.b] = vec4<f32>(pb.xyz - pb.w * p, pb.w);
}

@compute @workgroup_size(WORKGROUP_SIZE)
fn solve_bends(@builtin(global_invocation_id) id: vec3<u32>) {
    if id.x >= pass_.count {
        return;
    }
    let slot = pass_.offset + id.x;
    let h = hinges[slot];
    let p0 = pos[h.v.x];
    let p1 = pos[h.v.y];
    let p2 = pos[h.v.z];
    let p3 = pos[h.v.w];
    let c = h.k.x * p0.xyz + h.k.y * p1.xyz + h.k.z * p2.xyz + h.k.w * p3.xyz;
    let alpha = h.compliance * params.inv_h2;
    let denom = h.wkk + alpha;
    if denom <= 0.0 {
        return;
    }
    let lambda = hinge_lambda[slot].xyz;
    let dl = (-c - alpha * lambda) / denom;
    hinge_lambda[slot] = vec4<f32>(lambda + dl, 0.0);
    pos[h.v.x] = vec4<f32>(p0.xyz + h.wk.x * dl, p0.w);
    pos[h.v.y] = vec4<f32>(p1.xyz + h.wk.y * dl, p1.w);
    pos[h.v.z] = vec4<f32>(p2.xyz + h.wk.z * dl, p2.w);
    pos[h.v.w] = vec4<f32>(p3.xyz + h.wk.w * dl, p3.w);
}

// One tether per free vertex, anchored at a vertex that is never tethered itself, so all
// tethers run in one dispatch.
@compute @workgroup_size(WORKGROUP_SIZE)
fn solve_tethers(@builtin(global_invocation_id) id: vec3<u32>) {
    if id.x >= pass_.count {
        return;
    }
    let t = tethers[id.x];
    let pv = pos[t.vertex];
    let d = pv.xyz - pos[t.anchor].xyz;
    let len = length(d);
    if len > t.max_len {
        pos[t.vertex] = vec4<f32>(pv.xyz - d * ((len - t.max_len) / len), pv.w);
    }
}

// Seams close linearly over `sew_time`: each substep sets their rest length to the remaining
// fraction of the starting gap (as `Cloth::update_seams`, at the end of the substep).
@compute @workgroup_size(WORKGROUP_SIZE)
fn sew_seams(@builtin(global_invocation_id) id: vec3<u32>) {
    if id.x >= params.seam_count {
        return;
    }
    let seam = seams[id.x];
    let m = members[seam.member];
    let time = m.time + pass_.t1 * params.dt;
    var remaining = 0.0;
    if m.sew_time > 0.0 {
        remaining = max(1.0 - time / m.sew_time, 0.0);
    }
    distances[seam.slot].rest = seam.initial * remaining;
}

// Pulls each attached vertex toward its target at the end of the substep.
@compute @workgroup_size(WORKGROUP_SIZE)
fn solve_attachments(@builtin(global_invocation_id) id: vec3<u32>) {
    if id.x >= params.attachment_count {
        return;
    }
    let a = attachments[id.x];
    let p4 = pos[a.vertex];
    let w = p4.w;
    if w <= 0.0 {
        return;
    }
    let alpha = a.compliance * params.inv_h2;
    let target_point = lerp3(a.start, a.end, pass_.t1);
    let c = p4.xyz - target_point;
    let lambda = attachment_lambda[id.x].xyz;
    let dl = (-c - alpha * lambda) / (w + alpha);
    attachment_lambda[id.x] = vec4<f32>(lambda + dl, 0.0);
    pos[a.vertex] = vec4<f32>(p4.xyz + w * dl, w);
}
