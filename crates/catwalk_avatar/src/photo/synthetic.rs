//! Synthetic photos of a body for tests and benchmarks: the posed mesh rendered with a
//! depth buffer and simple shading (skin, a fitted top and leggings as flat colours by
//! height band) over a wall and a floor. No real person's photo is needed to test the
//! pipeline end to end, and the true body behind every picture is known.

use glam::{Mat4, Vec3};
use image::{Rgb, RgbImage};

use crate::render::Camera;

/// Colours and lighting of a synthetic photo.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Look {
    /// Skin colour.
    pub skin: [u8; 3],
    /// Colour of the fitted top (between `top_band` heights).
    pub top: [u8; 3],
    /// Colour of the leggings (between `legs_band` heights).
    pub legs: [u8; 3],
    /// Heights (m) of the top's hem and neckline.
    pub top_band: (f32, f32),
    /// Heights (m) of the leggings' hem and waistband.
    pub legs_band: (f32, f32),
    /// Wall colour.
    pub wall: [u8; 3],
    /// Floor colour.
    pub floor: [u8; 3],
}

impl Look {
    /// Plain studio colours for a person `height` metres tall.
    pub fn studio(height: f32) -> Look {
        Look {
            skin: [214, 168, 136],
            top: [52, 72, 140],
            legs: [38, 38, 48],
            top_band: (0.52 * height, 0.80 * height),
            legs_band: (0.06 * height, 0.53 * height),
            wall: [206, 208, 212],
            floor: [150, 140, 128],
        }
    }

    fn albedo(&self, y: f32) -> [u8; 3] {
        if y >= self.top_band.0 && y <= self.top_band.1 {
            self.top
        } else if y >= self.legs_band.0 && y < self.legs_band.1 {
            self.legs
        } else {
            self.skin
        }
    }
}

/// Renders `vertices`/`triangles` through `camera` into a `width` x `height` photo.
pub fn render_photo(
    vertices: &[Vec3],
    triangles: &[[u32; 3]],
    camera: &Camera,
    width: u32,
    height: u32,
    look: &Look,
) -> RgbImage {
    let (w, h) = (width as usize, height as usize);
    let floor_row = camera
        .project(Vec3::new(0.0, 0.0, -0.6), w, h)
        .map_or(h as f32 * 0.9, |(_, y)| y);
    let mut image = RgbImage::from_fn(width, height, |_, y| {
        if (y as f32) < floor_row {
            Rgb(look.wall)
        } else {
            Rgb(look.floor)
        }
    });
    let view = Mat4::look_at_rh(camera.eye, camera.target, camera.up);
    let light = (camera.eye - camera.target).normalize_or(Vec3::Z) + Vec3::new(0.3, 0.6, 0.0);
    let light = light.normalize_or(Vec3::Y);
    let projected: Vec<Option<(f32, f32, f32)>> = vertices
        .iter()
        .map(|&p| {
            let depth = -view.transform_point3(p).z;
            camera.project(p, w, h).map(|(x, y)| (x, y, depth))
        })
        .collect();
    let mut zbuf = vec![f32::INFINITY; w * h];
    for t in triangles {
        let [Some(a), Some(b), Some(c)] = t.map(|i| projected[i as usize]) else {
            continue;
        };
        let [pa, pb, pc] = t.map(|i| vertices[i as usize]);
        let normal = (pb - pa).cross(pc - pa).normalize_or_zero();
        let shade = 0.35 + 0.65 * normal.dot(light).abs();
        let albedo = look.albedo((pa.y + pb.y + pc.y) / 3.0);
        let colour = Rgb(albedo.map(|c| (f32::from(c) * shade).min(255.0) as u8));
        let area = edge(a, b, c.0, c.1);
        if area.abs() < 1e-9 {
            continue;
        }
        let x0 = a.0.min(b.0).min(c.0).floor().max(0.0) as usize;
        let x1 = (a.0.max(b.0).max(c.0).ceil().max(0.0) as usize).min(w);
        let y0 = a.1.min(b.1).min(c.1).floor().max(0.0) as usize;
        let y1 = (a.1.max(b.1).max(c.1).ceil().max(0.0) as usize).min(h);
        for y in y0..y1 {
            for x in x0..x1 {
                let (px, py) = (x as f32 + 0.5, y as f32 + 0.5);
                let (wa, wb, wc) = (
                    edge(b, c, px, py) / area,
                    edge(c, a, px, py) / area,
                    edge(a, b, px, py) / area,
                );
                if wa < 0.0 || wb < 0.0 || wc < 0.0 {
                    continue;
                }
                let z = wa * a.2 + wb * b.2 + wc * c.2;
                let i = y * w + x;
                if z < zbuf[i] {
                    zbuf[i] = z;
                    image.put_pixel(x as u32, y as u32, colour);
                }
            }
        }
    }
    image
}

/// Twice the signed area of (a, b, p).
fn edge(a: (f32, f32, f32), b: (f32, f32, f32), px: f32, py: f32) -> f32 {
    (b.0 - a.0) * (py - a.1) - (b.1 - a.1) * (px - a.0)
}
