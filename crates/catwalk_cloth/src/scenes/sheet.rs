//! Sheet scenes: hanging from two pinned corners, dropped on a sphere over the ground, two
//! layers dropped on a sphere, draped over a static body mesh, and hanging in wind. Sheets are grids cut with the warp along the pattern's x axis.

use glam::{Vec2, Vec3};

use super::{PatternMesh, ReferenceScene, SceneDriver};
use crate::builder::ClothBuilder;
use crate::colliders::{ColliderSet, Plane, Sphere};
use crate::error::ClothError;
use crate::fabric::FabricPreset;
use crate::sdf::SdfGrid;
use crate::settings::{SolverSettings, Wind};

/// A 0.5 m square sheet, `n × n` vertices, starting horizontal at 1 m and pinned along one
/// edge like a curtain on a rail: it swings down and hangs.
///
/// Pinning only the two corners of that edge would make the edge a taut string at exactly
/// its rest length, which no inextensible cloth can hold under load without stretching.
pub fn hanging_sheet(fabric: FabricPreset, n: usize) -> Result<ReferenceScene, ClothError> {
    let size = 0.5;
    let mesh = PatternMesh::grid(n, n, |u, v| Vec2::new(u * size, v * size));
    let placed = mesh
        .rest
        .iter()
        .map(|r| Vec3::new(r.x - 0.5 * size, 1.0, r.y))
        .collect();
    let pins: Vec<u32> = (0..mesh.columns).map(|i| mesh.index(i, 0)).collect();
    let cloth = ClothBuilder::new(mesh.rest, placed, mesh.triangles)
        .fabric(fabric)
        .pins(pins)
        .build()?;
    Ok(ReferenceScene {
        cloth,
        colliders: ColliderSet::new(),
        driver: SceneDriver::Static,
    })
}

/// Two 0.6 m square sheets of cotton jersey, `n × n` vertices each, one 2 cm above the other
/// at 0.8 m, dropped together on a 0.25 m sphere centred at 0.4 m; one cloth (the second
/// panel beside the first in the pattern plane, its vertices after the first's) with
/// self-collision at `self_collision` m (0 = off).
pub fn layered_sheets_on_sphere(
    n: usize,
    self_collision: f32,
) -> Result<ReferenceScene, ClothError> {
    let sheet = PatternMesh::grid(n, n, |u, v| Vec2::new(0.6 * u, 0.6 * v));
    let count = sheet.rest.len() as u32;
    let mut rest = sheet.rest.clone();
    rest.extend(sheet.rest.iter().map(|r| *r + Vec2::new(1.0, 0.0)));
    let mut placed = Vec::with_capacity(rest.len());
    for height in [0.8, 0.82] {
        placed.extend(
            sheet
                .rest
                .iter()
                .map(|r| Vec3::new(r.x - 0.3, height, r.y - 0.3)),
        );
    }
    let mut triangles = sheet.triangles.clone();
    triangles.extend(sheet.triangles.iter().map(|t| t.map(|i| i + count)));
    let cloth = ClothBuilder::new(rest, placed, triangles)
        .fabric(FabricPreset::CottonJersey)
        .self_collision(self_collision)
        .build()?;
    let mut colliders = ColliderSet::new();
    colliders.add_sphere(Sphere {
        center: Vec3::new(0.0, 0.4, 0.0),
        radius: 0.25,
    });
    Ok(ReferenceScene {
        cloth,
        colliders,
        driver: SceneDriver::Static,
    })
}

/// A 0.7 m square sheet, `n × n` vertices, dropped flat from 0.7 m onto a static "body": a
/// closed box mesh 0.4 m wide with its top at 0.5 m, collided through its signed-distance
/// grid (2 cm cells). The middle comes to rest on the top face, the sides hang past it.
pub fn sheet_on_body_mesh(fabric: FabricPreset, n: usize) -> Result<ReferenceScene, ClothError> {
    let corners: Vec<Vec3> = (0..8)
        .map(|i| {
            Vec3::new(
                if i & 1 == 0 { -0.2 } else { 0.2 },
                if i & 2 == 0 { 0.1 } else { 0.5 },
                if i & 4 == 0 { -0.2 } else { 0.2 },
            )
        })
        .collect();
    // Outward-facing: −z, +z, −y, +y, −x, +x.
    let faces = [
        [0, 2, 1],
        [1, 2, 3],
        [4, 5, 6],
        [5, 7, 6],
        [0, 1, 4],
        [1, 5, 4],
        [2, 6, 3],
        [3, 6, 7],
        [0, 4, 2],
        [2, 4, 6],
        [1, 3, 5],
        [3, 7, 5],
    ];
    let grid = SdfGrid::from_triangle_mesh(&corners, &faces, 0.02, 0.1)?;
    let size = 0.7;
    let mesh = PatternMesh::grid(n, n, |u, v| Vec2::new(u * size, v * size));
    let placed = mesh
        .rest
        .iter()
        .map(|r| Vec3::new(r.x - 0.5 * size, 0.7, r.y - 0.5 * size))
        .collect();
    let cloth = ClothBuilder::new(mesh.rest, placed, mesh.triangles)
        .fabric(fabric)
        .build()?;
    let mut colliders = ColliderSet::new();
    colliders.add_sdf(grid);
    Ok(ReferenceScene {
        cloth,
        colliders,
        driver: SceneDriver::Static,
    })
}

/// A 1 m square sheet, `n × n` vertices, dropped flat from 0.8 m onto a 0.25 m sphere whose
/// top is at 0.65 m, over a ground plane at 0; its corners reach the ground.
pub fn sheet_on_sphere(fabric: FabricPreset, n: usize) -> Result<ReferenceScene, ClothError> {
    let size = 1.0;
    let mesh = PatternMesh::grid(n, n, |u, v| Vec2::new(u * size, v * size));
    let placed = mesh
        .rest
        .iter()
        .map(|r| Vec3::new(r.x - 0.5 * size, 0.8, r.y - 0.5 * size))
        .collect();
    let cloth = ClothBuilder::new(mesh.rest, placed, mesh.triangles)
        .fabric(fabric)
        .build()?;
    let mut colliders = ColliderSet::new();
    colliders.add_sphere(Sphere {
        center: Vec3::new(0.0, 0.4, 0.0),
        radius: 0.25,
    });
    colliders.add_plane(Plane::ground(0.0));
    Ok(ReferenceScene {
        cloth,
        colliders,
        driver: SceneDriver::Static,
    })
}

/// A 0.6 m × 0.4 m banner, `columns × rows` vertices, hanging in the x-y plane from its top
/// edge, with `wind` blowing through it.
pub fn sheet_in_wind(
    fabric: FabricPreset,
    columns: usize,
    rows: usize,
    wind: Vec3,
) -> Result<ReferenceScene, ClothError> {
    let (width, height) = (0.6, 0.4);
    let mesh = PatternMesh::grid(columns, rows, |u, v| Vec2::new(u * width, v * height));
    let placed = mesh
        .rest
        .iter()
        .map(|r| Vec3::new(r.x - 0.5 * width, 1.5 - r.y, 0.0))
        .collect();
    let pins: Vec<u32> = (0..mesh.columns).map(|i| mesh.index(i, 0)).collect();
    let settings = SolverSettings {
        wind: Wind {
            velocity: wind,
            ..Wind::default()
        },
        ..SolverSettings::default()
    };
    let cloth = ClothBuilder::new(mesh.rest, placed, mesh.triangles)
        .fabric(fabric)
        .settings(settings)
        .pins(pins)
        .build()?;
    Ok(ReferenceScene {
        cloth,
        colliders: ColliderSet::new(),
        driver: SceneDriver::Static,
    })
}
