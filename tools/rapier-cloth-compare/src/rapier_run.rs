//! The walking-skirt scene stepped by `rapier-cloth`: the same rest pattern, starting
//! placement, seam, waist attachment, fabric and capsule legs, with the legs and the pelvis as
//! kinematic Rapier bodies posed at every substep.

use std::collections::HashMap;
use std::time::Instant;

use catwalk_cloth::glam::{Quat as CQuat, Vec3 as CVec3};
use catwalk_cloth::scenes::{ReferenceScene, SceneDriver};
use rapier_cloth::rapier::prelude::{
    ColliderBuilder, PhysicsWorld, Pose, QueryFilter, RigidBodyBuilder, RigidBodyHandle,
};
use rapier_cloth::{
    AttachmentDesc, AttachmentPoint, Cloth, ClothMaterial, ClothMesh, RapierClothWorld,
    RapierScene, SceneSnapshot, Vec3, WorldId, core::mesh::Stitch,
};

use crate::{Args, Outcome};

/// rapier-cloth's stitches need a positive rest length; the seam is held this close, m.
const STITCH_REST: f32 = 1e-5;

fn v3(v: CVec3) -> Vec3 {
    Vec3::from_array(v.to_array())
}

fn back(v: Vec3) -> CVec3 {
    CVec3::from_array(v.to_array())
}

/// A Rapier pose from catwalk's translation and rotation.
fn pose(translation: CVec3, rotation: CQuat) -> Pose {
    Pose::from_parts(
        v3(translation),
        rapier_cloth::rapier::math::Rotation::from_array(rotation.to_array()),
    )
}

/// The pose of a Y-axis capsule body spanning `a`–`b`. Legs hang down, so the rotation is
/// measured from −Y (the arc from +Y to near −Y would spin about an ill-defined axis).
fn capsule_pose(a: CVec3, b: CVec3) -> Pose {
    let axis = (b - a).normalize_or(CVec3::NEG_Y);
    pose((a + b) * 0.5, CQuat::from_rotation_arc(CVec3::NEG_Y, axis))
}

/// rapier-cloth's dihedral-angle compliance (1/(N·m)) equivalent to a bending rigidity `k_b`
/// (N·m): the discrete-shell energy `k_b · 3|e|²/A · θ²` per hinge, `α = A / (6 k_b |e|²)`,
/// averaged over the mesh's hinges (rapier-cloth takes one value per cloth).
fn dihedral_compliance(rest: &[CVec3], triangles: &[[u32; 3]], k_b: f32) -> f32 {
    let mut area_of_edge: HashMap<[u32; 2], (f32, u32)> = HashMap::new();
    for t in triangles {
        let [a, b, c] = t.map(|i| rest[i as usize]);
        let area = 0.5 * (b - a).cross(c - a).length();
        for (i, j) in [(t[0], t[1]), (t[1], t[2]), (t[2], t[0])] {
            let entry = area_of_edge.entry([i.min(j), i.max(j)]).or_insert((0.0, 0));
            entry.0 += area;
            entry.1 += 1;
        }
    }
    let hinges: Vec<f32> = area_of_edge
        .iter()
        .filter(|(_, (_, faces))| *faces == 2)
        .map(|(&[i, j], &(area, _))| {
            let e2 = rest[i as usize].distance_squared(rest[j as usize]);
            area / (6.0 * k_b * e2)
        })
        .collect();
    hinges.iter().sum::<f32>() / hinges.len().max(1) as f32
}

/// Runs the scene; returns the timings and the final positions.
pub fn run(scene: &ReferenceScene, args: &Args) -> Result<Outcome, String> {
    let SceneDriver::Walk {
        legs,
        waist_offsets,
        ..
    } = &scene.driver
    else {
        return Err("the comparison needs the walking-skirt scene".into());
    };
    let source = &scene.cloth;
    let fabric = *source.fabric();
    let rest: Vec<CVec3> = source
        .rest_positions()
        .iter()
        .map(|p| p.extend(0.0))
        .collect();
    let mut mesh = ClothMesh::new(
        rest.iter().map(|&p| v3(p)).collect(),
        source.triangles().to_vec(),
    )
    .map_err(|err| format!("rapier-cloth rejected the mesh: {err:?}"))?;
    mesh.add_stitches(
        source
            .seam_pairs()
            .into_iter()
            .map(|vertices| Stitch {
                vertices,
                rest_length: STITCH_REST,
            })
            .collect(),
    )
    .map_err(|err| format!("rapier-cloth rejected the seam: {err:?}"))?;
    let material = ClothMaterial {
        surface_density: fabric.density,
        stretch_compliance: 0.5 * (fabric.warp_compliance() + fabric.weft_compliance()),
        bend_compliance: dihedral_compliance(&rest, source.triangles(), fabric.bending_stiffness),
        damping: fabric.damping,
        friction: fabric.friction,
        contact_radius: fabric.thickness,
        stitch_compliance: 0.0,
    };
    let mut cloth = Cloth::new(mesh, material)
        .map_err(|err| format!("rapier-cloth rejected the cloth: {err:?}"))?;
    let placed: Vec<Vec3> = source.positions().iter().map(|&p| v3(p)).collect();
    cloth
        .set_positions(&placed)
        .map_err(|err| format!("rapier-cloth rejected the placement: {err:?}"))?;

    let h = 1.0 / (args.hz * args.substeps as f32);
    let id = WorldId::new();
    let mut rigid = PhysicsWorld::new();
    rigid.integration_parameters.dt = h;
    rigid.gravity = v3(source.settings().gravity);
    let start_pose = legs.pose(0.0);
    let pelvis = rigid.bodies.insert(
        RigidBodyBuilder::kinematic_position_based()
            .pose(pose(start_pose.pelvis, start_pose.pelvis_rotation)),
    );
    let capsules: Vec<RigidBodyHandle> = start_pose
        .capsules
        .iter()
        .map(|c| {
            let body = rigid
                .bodies
                .insert(RigidBodyBuilder::kinematic_position_based().pose(capsule_pose(c.a, c.b)));
            rigid.colliders.insert_with_parent(
                ColliderBuilder::capsule_y(0.5 * c.a.distance(c.b), c.radius),
                body,
                &mut rigid.bodies,
            );
            body
        })
        .collect();
    // Rapier updates collider poses and its query structures when it steps.
    rigid.step();
    let mut world = RapierClothWorld::new(id);
    world.solver_settings.iterations = args.iterations as usize;
    world.collision_settings.motion_limit_ratio = args.rapier_motion_ratio;
    let handle = world.add_cloth(cloth);
    let points = source
        .attached_vertices()
        .iter()
        .zip(waist_offsets)
        .map(|(&particle, &offset)| AttachmentPoint {
            particle,
            local_anchor: v3(start_pose.pelvis_rotation.inverse() * offset),
        })
        .collect();
    world
        .attach(
            AttachmentDesc {
                cloth: handle,
                body: pelvis,
                points,
                compliance: 0.0,
                excluded_colliders: vec![],
            },
            &rigid.bodies,
            &rigid.colliders,
        )
        .map_err(|err| format!("rapier-cloth rejected the waist attachment: {err:?}"))?;

    let substeps = args.substeps as usize;
    let mut frame_ms = Vec::with_capacity(args.frames);
    let mut cloth_ms = Vec::with_capacity(args.frames);
    let mut step = 0u64;
    for frame in 0..args.warmup + args.frames {
        let start = Instant::now();
        let mut in_cloth = 0.0;
        for _ in 0..substeps {
            let before = SceneSnapshot::capture(id, step, &rigid.bodies, &rigid.colliders);
            let now = legs.pose((step + 1) as f32 * h);
            rigid.bodies[pelvis].set_next_kinematic_position(pose(now.pelvis, now.pelvis_rotation));
            for (&body, c) in capsules.iter().zip(&now.capsules) {
                rigid.bodies[body].set_next_kinematic_position(capsule_pose(c.a, c.b));
            }
            rigid.step();
            let query = rigid.broad_phase.as_query_pipeline(
                rigid.narrow_phase.query_dispatcher(),
                &rigid.bodies,
                &rigid.colliders,
                QueryFilter::default(),
            );
            let report = world
                .step_substep(h, &RapierScene::new(query, &before, h, rigid.gravity))
                .map_err(|err| {
                    format!("rapier-cloth step failed at frame {frame}, substep {step}: {err:?}")
                })?;
            in_cloth += report.total_time_seconds;
            step += 1;
        }
        if frame >= args.warmup {
            frame_ms.push(start.elapsed().as_secs_f64() * 1e3);
            cloth_ms.push(in_cloth * 1e3);
        }
    }
    let positions = world
        .cloth(handle)
        .map_err(|err| format!("{err:?}"))?
        .positions()
        .iter()
        .map(|&p| back(p))
        .collect();
    Ok(Outcome {
        frame_ms,
        cloth_ms: Some(cloth_ms),
        positions,
    })
}
