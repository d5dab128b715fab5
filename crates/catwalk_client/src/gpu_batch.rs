//! The GPU garments of the runway, stepped as batches ([`GpuCloth::batch`]): every garment
//! on stage with the same solver settings is a member of one batch, so twelve dressed models
//! cost the GPU about as many dispatches as one. When a model walks on or off, its batch is
//! rebuilt from the garments' cloths and the garments already walking are carried over on the
//! GPU ([`GpuCloth::carry_over`]), so they go on where they were.

use bevy::prelude::*;
use catwalk_cloth::gpu::{GpuCloth, GpuError};
use catwalk_cloth::{Cloth, ColliderSet};
use catwalk_garment::drape::{BodyPose, Drape};
use glam::Vec3 as GVec3;

/// Solver settings that must match within a batch: substeps, iterations, Chebyshev factor.
type SettingsKey = (u32, u32, u32);

fn settings_key(cloth: &Cloth) -> SettingsKey {
    let s = cloth.settings();
    (s.substeps, s.iterations, s.chebyshev_rho.to_bits())
}

/// One batch and the garments in it, in member order.
struct Batch {
    key: SettingsKey,
    cloth: GpuCloth,
    members: Vec<Entity>,
}

/// The runway's GPU batches.
#[derive(Resource, Default)]
pub struct GpuBatches {
    batches: Vec<Batch>,
}

/// A GPU garment as the batches see it in one frame.
pub struct BatchGarment<'a> {
    /// The garment's entity.
    pub entity: Entity,
    /// Its drape (the cloth as built, the body colliders and attachment targets).
    pub drape: &'a mut Drape,
    /// The wearer's pose this frame.
    pub pose: &'a BodyPose,
}

impl GpuBatches {
    /// Garments in batches.
    pub fn garment_count(&self) -> usize {
        self.batches.iter().map(|b| b.members.len()).sum()
    }

    /// Makes the batches hold exactly `garments`: a batch whose garments changed is rebuilt,
    /// its remaining garments carried over from the old one. Garments keep their order.
    pub fn sync(
        &mut self,
        device: &wgpu::Device,
        queue: &wgpu::Queue,
        garments: &[(Entity, &Cloth)],
    ) -> Result<(), GpuError> {
        let mut keys: Vec<SettingsKey> = garments.iter().map(|(_, c)| settings_key(c)).collect();
        keys.sort_unstable();
        keys.dedup();
        let mut old = std::mem::take(&mut self.batches);
        for key in keys {
            let wanted: Vec<(Entity, &Cloth)> = garments
                .iter()
                .filter(|(_, c)| settings_key(c) == key)
                .copied()
                .collect();
            let entities: Vec<Entity> = wanted.iter().map(|(e, _)| *e).collect();
            let previous = old
                .iter()
                .position(|b| b.key == key)
                .map(|i| old.swap_remove(i));
            let previous = match previous {
                Some(batch) if batch.members == entities => {
                    self.batches.push(batch);
                    continue;
                }
                other => other,
            };
            let cloths: Vec<&Cloth> = wanted.iter().map(|(_, c)| *c).collect();
            // The old batch's pipelines are reused: a rebuild only makes buffers.
            let mut cloth = match &previous {
                Some(batch) => batch.cloth.batch_like(&cloths)?,
                None => GpuCloth::batch(device, queue, &cloths)?,
            };
            let mut carried = 0;
            if let Some(batch) = &previous {
                for (member, entity) in entities.iter().enumerate() {
                    if let Some(from) = batch.members.iter().position(|e| e == entity) {
                        cloth.carry_over(member, &batch.cloth, from)?;
                        carried += 1;
                    }
                }
            }
            info!(
                garments = entities.len(),
                carried_over = carried,
                vertices = cloth.vertex_count(),
                "GPU cloth batch rebuilt"
            );
            self.batches.push(Batch {
                key,
                cloth,
                members: entities,
            });
        }
        Ok(())
    }

    /// Queues `steps` steps of every batch, each garment against its own body, and asks for
    /// the positions after them without waiting. Returns the positions that have arrived
    /// since the last call, per garment: those asked for a frame earlier, so the main thread
    /// never waits for the GPU (a garment just added to a batch shows its last positions
    /// for that frame).
    pub fn step(
        &mut self,
        steps: u32,
        dt: f32,
        garments: &mut [BatchGarment<'_>],
    ) -> Result<Vec<(Entity, Vec<GVec3>)>, String> {
        let mut out = Vec::with_capacity(garments.len());
        let mut unpicked: Vec<Option<&mut BatchGarment<'_>>> =
            garments.iter_mut().map(Some).collect();
        for batch in &mut self.batches {
            if let Some(positions) = batch
                .cloth
                .take_member_positions()
                .map_err(|e| e.to_string())?
            {
                out.extend(batch.members.iter().copied().zip(positions));
            }
            // The batch's garments, in member order.
            let mut members: Vec<&mut BatchGarment<'_>> = Vec::with_capacity(batch.members.len());
            for entity in &batch.members {
                let garment = unpicked
                    .iter_mut()
                    .find(|g| g.as_ref().is_some_and(|g| g.entity == *entity))
                    .and_then(Option::take)
                    .ok_or_else(|| "a batch member is missing from this frame".to_string())?;
                members.push(garment);
            }
            for _ in 0..steps {
                let mut sets: Vec<&ColliderSet> = Vec::with_capacity(members.len());
                for (m, g) in members.iter_mut().enumerate() {
                    let (targets, colliders) = g
                        .drape
                        .external_step(dt, g.pose)
                        .map_err(|e| e.to_string())?;
                    batch
                        .cloth
                        .set_member_attachment_targets(m, targets)
                        .map_err(|e| e.to_string())?;
                    sets.push(colliders);
                }
                batch
                    .cloth
                    .step_batch(dt, &sets)
                    .map_err(|e| e.to_string())?;
            }
            batch.cloth.request_positions();
        }
        Ok(out)
    }
}
