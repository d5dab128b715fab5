//! One frame of the solver: small substeps, each predicting with gravity, damping and wind,
//! running the coloured XPBD iterations, resolving collisions with friction, and deriving
//! velocities from the positions.

use glam::Vec3;
use rayon::prelude::*;

use crate::cloth::Cloth;
use crate::colliders::{
    ColliderPose, ColliderSet, SurfacePoint, deepest_contact, deepest_contact_among,
};
use crate::error::ClothError;

/// Per-vertex loops run as one task below this many vertices.
const VERTEX_CHUNK: usize = 2048;

impl Cloth {
    /// Advances the cloth by `dt` seconds. Move colliders and attachment targets to their
    /// end-of-frame poses first; both are interpolated across the substeps.
    pub fn step(&mut self, dt: f32, colliders: &ColliderSet) -> Result<(), ClothError> {
        if !(dt.is_finite() && dt > 0.0) {
            return Err(ClothError::BadTimeStep(dt));
        }
        // Blend from where the colliders were when this cloth last stepped; on the first
        // step, or after shapes were added or removed, start from the current pose.
        let target = colliders.current();
        if !self.scratch.pose_start.same_shapes(target) || self.time == 0.0 {
            self.scratch.pose_start.clone_from(target);
        }
        // Run the whole frame on a rayon worker: the many small parallel loops inside are
        // then cheap to start, where each one called from outside the pool would pay a
        // cross-thread hand-off.
        rayon::scope(|_| self.frame(dt, target));
        self.scratch.pose_start.clone_from(target);
        self.attachments.from.clone_from(&self.attachments.to);
        self.time += dt;
        Ok(())
    }

    fn frame(&mut self, dt: f32, target: &ColliderPose) {
        let substeps = self.settings.substeps;
        let h = dt / substeps as f32;
        let collide = !target.is_empty();
        for s in 0..substeps {
            let t0 = s as f32 / substeps as f32;
            let t1 = (s + 1) as f32 / substeps as f32;
            let scratch = &mut self.scratch;
            scratch.pose_from.blend(&scratch.pose_start, target, t0);
            scratch.pose_to.blend(&scratch.pose_start, target, t1);
            self.update_seams(self.time + t1 * dt);
            self.substep(h, t1, collide);
        }
    }

    fn update_seams(&mut self, time: f32) {
        let seams = &self.seams;
        let remaining = if seams.sew_time > 0.0 {
            (1.0 - time / seams.sew_time).max(0.0)
        } else {
            0.0
        };
        for (&slot, &d0) in seams.slot.iter().zip(&seams.initial) {
            self.distances.rest[slot] = d0 * remaining;
        }
    }

    fn substep(&mut self, h: f32, t_end: f32, collide: bool) {
        let inv_h2 = 1.0 / (h * h);
        self.accumulate_wind();
        self.predict(h);

        if self.self_collision.enabled() {
            // Pairs found once per substep, with some slack for the motion during it.
            let query = 1.5 * self.self_collision.distance;
            self.self_collision
                .find_close(&self.pos, &self.inv_mass, query);
        }
        self.distances.lambda.fill(0.0);
        self.bends.lambda.fill(Vec3::ZERO);
        self.attachments.lambda.fill(Vec3::ZERO);
        if collide {
            self.scratch.contacts.fill(Contact::NONE);
            self.find_near_vertices(h);
        }
        let rho = self.settings.chebyshev_rho;
        let mut omega = 1.0f32;
        if rho > 0.0 {
            self.scratch.older.clone_from(&self.pos);
            self.scratch.before.clone_from(&self.pos);
        }
        for k in 0..self.settings.iterations {
            let scratch = &mut self.scratch.corrections;
            self.attachments
                .solve(&mut self.pos, &self.inv_mass, t_end, inv_h2);
            self.tethers.solve(&mut self.pos);
            self.bends.solve(&mut self.pos, inv_h2, scratch);
            self.distances
                .solve(&mut self.pos, &self.inv_mass, inv_h2, scratch);
            if rho > 0.0 {
                omega = chebyshev_weight(k, rho, omega);
                if k >= 1 {
                    self.extrapolate(omega);
                }
                std::mem::swap(&mut self.scratch.older, &mut self.scratch.before);
                self.scratch.before.copy_from_slice(&self.pos);
            }
            self.self_collision.solve(&mut self.pos, &self.inv_mass);
            if collide {
                self.collide_near();
            }
        }
        if collide {
            // A full pass at the end: no vertex ends the substep inside a collider, even one
            // that moved farther than the broad phase's margin.
            self.collide_all();
        }
        self.update_velocities(h, collide);
    }

    /// Velocities from the positions; vertices in contact lose tangential speed relative to
    /// the collider by Coulomb friction, up to `μ` times the normal speed the substep removed
    /// (friction acts on velocities, so it never undoes constraint corrections).
    fn update_velocities(&mut self, h: f32, collide: bool) {
        let inv_h = 1.0 / h;
        let mu = self.fabric.friction;
        let contacts = &self.scratch.contacts;
        self.vel
            .par_iter_mut()
            .zip(self.pos.par_iter())
            .zip(self.prev.par_iter())
            .zip(contacts.par_iter())
            .with_min_len(VERTEX_CHUNK)
            .for_each(|(((v, &p), &q), contact)| {
                // `v` still holds the predicted velocity here.
                let predicted = *v;
                *v = (p - q) * inv_h;
                if collide && contact.push > 0.0 {
                    let n = contact.normal;
                    let surface_velocity = contact.motion * inv_h;
                    let normal_change = (*v - predicted).dot(n).max(0.0);
                    let relative = *v - surface_velocity;
                    let normal_speed = relative.dot(n);
                    let tangential = relative - n * normal_speed;
                    let speed = tangential.length();
                    if speed > 1e-9 {
                        let keep = (1.0 - mu * normal_change / speed).max(0.0);
                        *v = surface_velocity + n * normal_speed + tangential * keep;
                    }
                }
            });
    }

    /// Chebyshev step `x ← ω (x − x_{k−1}) + x_{k−1}` for free vertices not in contact
    /// (extrapolating contacts makes them jitter, Wang 2015 §5).
    fn extrapolate(&mut self, omega: f32) {
        self.pos
            .par_iter_mut()
            .zip(self.scratch.older.par_iter())
            .zip(self.inv_mass.par_iter())
            .zip(self.scratch.contacts.par_iter())
            .with_min_len(VERTEX_CHUNK)
            .for_each(|(((p, &older), &w), contact)| {
                if w > 0.0 && contact.push == 0.0 {
                    *p = omega * (*p - older) + older;
                }
            });
    }

    /// Wind forces per triangle, gathered per vertex into `scratch.force`.
    fn accumulate_wind(&mut self) {
        let force = &mut self.scratch.force;
        force.fill(Vec3::ZERO);
        let wind = self.settings.wind;
        let coefficient = 0.5 * wind.air_density * wind.drag_coefficient;
        if wind.velocity == Vec3::ZERO || coefficient == 0.0 {
            return;
        }
        for tri in &self.triangles {
            let [a, b, c] = tri.map(|i| i as usize);
            let cross = (self.pos[b] - self.pos[a]).cross(self.pos[c] - self.pos[a]);
            let twice_area = cross.length();
            if twice_area < 1e-12 {
                continue;
            }
            let normal = cross / twice_area;
            let v_rel = wind.velocity - (self.vel[a] + self.vel[b] + self.vel[c]) / 3.0;
            let vn = v_rel.dot(normal);
            let f = normal * (coefficient * 0.5 * twice_area * vn * vn.abs() / 3.0);
            force[a] += f;
            force[b] += f;
            force[c] += f;
        }
    }

    /// Explicit prediction: velocities from gravity, wind and damping, then positions.
    fn predict(&mut self, h: f32) {
        let gravity = self.settings.gravity;
        let max_speed = self.settings.max_speed;
        let decay = (-self.fabric.damping * h).exp();
        self.pos
            .par_iter_mut()
            .zip(self.prev.par_iter_mut())
            .zip(self.vel.par_iter_mut())
            .zip(self.inv_mass.par_iter())
            .zip(self.scratch.force.par_iter())
            .with_min_len(VERTEX_CHUNK)
            .for_each(|((((p, q), v), &w), &f)| {
                *q = *p;
                if w <= 0.0 {
                    *v = Vec3::ZERO;
                    return;
                }
                // Damp the old velocity only, so damping never weakens gravity at rest.
                let mut nv = *v * decay + h * (gravity + w * f);
                let speed = nv.length();
                if speed > max_speed {
                    nv *= max_speed / speed;
                }
                *v = nv;
                *p += h * nv;
            });
    }

    /// Broad phase, once per substep: the free vertices that may touch a collider during this
    /// substep — those whose clearance at the end of the previous substep (measured by the
    /// full pass) was within the thickness plus 1 cm plus twice their motion over a substep —
    /// and for each, the capsules within that margin (plus the capsule's own motion over the
    /// substep and [`SHORTLIST_SLACK_M`]) of its predicted position. Cheap, but relies on
    /// colliders moving less than about 1 cm per substep; the full pass at the end of each
    /// substep still checks every collider.
    fn find_near_vertices(&mut self, h: f32) {
        let thickness = self.fabric.thickness;
        let scratch = &mut self.scratch;
        let (from, to) = (&scratch.pose_from, &scratch.pose_to);
        let count = to.capsules.len().min(from.capsules.len());
        scratch.capsule_motion.clear();
        scratch.capsule_motion.extend(
            from.capsules
                .iter()
                .zip(&to.capsules)
                .map(|(a, b)| a.a.distance(b.a).max(a.b.distance(b.b))),
        );
        scratch.near.clear();
        scratch.near_offsets.clear();
        scratch.near_capsules.clear();
        scratch.near_offsets.push(0);
        for (i, ((&clearance, &v), &w)) in scratch
            .clearance
            .iter()
            .zip(&self.vel)
            .zip(&self.inv_mass)
            .enumerate()
        {
            let margin = thickness + 0.01 + 2.0 * v.length() * h;
            if w > 0.0 && clearance < margin {
                scratch.near.push(i as u32);
                let p = self.pos[i];
                for (k, c) in to.capsules.iter().take(count).enumerate() {
                    let reach = c.radius + margin + scratch.capsule_motion[k] + SHORTLIST_SLACK_M;
                    let t = c.closest_parameter(p);
                    if (p - c.a.lerp(c.b, t)).length_squared() < reach * reach {
                        scratch.near_capsules.push(k as u32);
                    }
                }
                scratch
                    .near_offsets
                    .push(scratch.near_capsules.len() as u32);
            }
        }
    }

    /// Narrow phase in every iteration, over the broad phase's vertices and capsules only.
    fn collide_near(&mut self) {
        let thickness = self.fabric.thickness;
        let scratch = &mut self.scratch;
        let (from, to) = (&scratch.pose_from, &scratch.pose_to);
        for (k, &i) in scratch.near.iter().enumerate() {
            let i = i as usize;
            let list = &scratch.near_capsules
                [scratch.near_offsets[k] as usize..scratch.near_offsets[k + 1] as usize];
            collide_vertex(&mut self.pos[i], &mut scratch.contacts[i], thickness, |p| {
                deepest_contact_among(from, to, p, list.iter().copied())
            });
        }
    }

    /// Pushes vertices out to `thickness` from every collider and records the contacts.
    fn collide_all(&mut self) {
        let thickness = self.fabric.thickness;
        let (from, to) = (&self.scratch.pose_from, &self.scratch.pose_to);
        self.pos
            .par_iter_mut()
            .zip(self.scratch.contacts.par_iter_mut())
            .zip(self.scratch.clearance.par_iter_mut())
            .zip(self.inv_mass.par_iter())
            .with_min_len(VERTEX_CHUNK)
            .for_each(|(((p, contact), clearance), &w)| {
                if w > 0.0 {
                    *clearance =
                        collide_vertex(p, contact, thickness, |p| deepest_contact(from, to, p));
                }
            });
    }
}

/// The Chebyshev weight for iteration `k` given the previous one (Wang 2015, eq. 12):
/// 1, then `2 / (2 − ρ²)`, then `4 / (4 − ρ² ω)`.
fn chebyshev_weight(k: u32, rho: f32, previous: f32) -> f32 {
    match k {
        0 => 1.0,
        1 => 2.0 / (2.0 - rho * rho),
        _ => 4.0 / (4.0 - rho * rho * previous),
    }
}

/// A vertex's contact during one substep.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Contact {
    /// Outward normal of the last contact.
    pub normal: Vec3,
    /// Total distance the vertex was pushed out during the substep, m.
    pub push: f32,
    /// Displacement of the touched surface point over the substep, m.
    pub motion: Vec3,
}

impl Contact {
    /// No contact.
    pub const NONE: Contact = Contact {
        normal: Vec3::ZERO,
        push: 0.0,
        motion: Vec3::ZERO,
    };
}

/// Extra distance (m) a capsule may be from a vertex's predicted position and still be on
/// its shortlist: the constraint corrections of one substep's iterations move a vertex a few
/// millimetres at most.
const SHORTLIST_SLACK_M: f32 = 0.02;

/// Resolves one vertex against the deepest contact, twice so a vertex pushed out of one
/// shape into a neighbouring one (thigh into shin) is resolved too.
fn collide_vertex(
    p: &mut Vec3,
    contact: &mut Contact,
    thickness: f32,
    deepest: impl Fn(Vec3) -> Option<(SurfacePoint, Vec3)>,
) -> f32 {
    let mut clearance = f32::INFINITY;
    for _ in 0..2 {
        let Some((surface, motion)) = deepest(*p) else {
            return clearance;
        };
        clearance = surface.distance;
        if surface.distance >= thickness {
            return clearance;
        }
        let depth = thickness - surface.distance;
        *p += surface.normal * depth;
        clearance = thickness;
        contact.normal = surface.normal;
        contact.push += depth;
        contact.motion = motion;
    }
    clearance
}
