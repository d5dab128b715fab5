//! Binary silhouette masks of a posed body, as a camera sees it (front or side view,
//! orthographic or pinhole). Used to make synthetic training data and test images for the
//! photo pipeline.
//!
//! ```no_run
//! # use catwalk_avatar::{BodyModel, Pose, pose_body, render::{Camera, render_silhouette}};
//! let model = BodyModel::load_default()?;
//! let rest = model.build(&catwalk_avatar::BodyParams::average(1.0))?;
//! let posed = pose_body(&model, &rest, &Pose::arms_out(&model.skeleton, 15.0));
//! let mask = render_silhouette(&posed.vertices, &model.triangles, &Camera::front(2.2), 256, 512);
//! std::fs::write("front.pgm", mask.to_pgm())?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use glam::{Mat4, Vec3};

/// How the camera projects.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Projection {
    /// Parallel projection; the image spans `height` metres vertically.
    Orthographic {
        /// Visible height (m).
        height: f32,
    },
    /// Pinhole projection with the given vertical field of view (degrees).
    Perspective {
        /// Vertical field of view (degrees).
        fov_y_degrees: f32,
    },
}

/// A camera looking at the body.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Camera {
    /// Camera position (m).
    pub eye: Vec3,
    /// Point the camera looks at.
    pub target: Vec3,
    /// Up direction.
    pub up: Vec3,
    /// Projection.
    pub projection: Projection,
}

impl Camera {
    /// Orthographic front view (camera on +Z looking at the body's front), `height` metres tall,
    /// centred at half that height.
    pub fn front(height: f32) -> Self {
        Self {
            eye: Vec3::new(0.0, height / 2.0, 5.0),
            target: Vec3::new(0.0, height / 2.0, 0.0),
            up: Vec3::Y,
            projection: Projection::Orthographic { height },
        }
    }

    /// Orthographic side view (camera on +X, the body's left side).
    pub fn side(height: f32) -> Self {
        Self {
            eye: Vec3::new(5.0, height / 2.0, 0.0),
            target: Vec3::new(0.0, height / 2.0, 0.0),
            up: Vec3::Y,
            projection: Projection::Orthographic { height },
        }
    }

    /// A pinhole camera at `eye` looking at `target` with a vertical field of view.
    pub fn pinhole(eye: Vec3, target: Vec3, fov_y_degrees: f32) -> Self {
        Self {
            eye,
            target,
            up: Vec3::Y,
            projection: Projection::Perspective { fov_y_degrees },
        }
    }

    /// Projects a world point to pixel coordinates (x right, y down) for an image size;
    /// `None` behind a pinhole camera.
    pub fn project(&self, p: Vec3, width: usize, height: usize) -> Option<(f32, f32)> {
        let view = Mat4::look_at_rh(self.eye, self.target, self.up);
        let q = view.transform_point3(p);
        let (w, h) = (width as f32, height as f32);
        let (nx, ny) = match self.projection {
            Projection::Orthographic { height: span } => {
                (q.x / span * 2.0 * h / w, q.y / span * 2.0)
            }
            Projection::Perspective { fov_y_degrees } => {
                if q.z >= -1e-4 {
                    return None;
                }
                let f = 1.0 / (fov_y_degrees.to_radians() / 2.0).tan();
                (f * q.x / -q.z * h / w, f * q.y / -q.z)
            }
        };
        Some(((nx + 1.0) * 0.5 * w, (1.0 - ny) * 0.5 * h))
    }
}

/// A binary image: 255 where the body is, 0 elsewhere, rows top to bottom.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mask {
    /// Width in pixels.
    pub width: usize,
    /// Height in pixels.
    pub height: usize,
    /// `width * height` bytes, row-major.
    pub pixels: Vec<u8>,
}

impl Mask {
    /// Whether pixel (x, y) is covered.
    pub fn get(&self, x: usize, y: usize) -> bool {
        self.pixels[y * self.width + x] != 0
    }

    /// Number of covered pixels.
    pub fn area(&self) -> usize {
        self.pixels.iter().filter(|&&p| p != 0).count()
    }

    /// The mask as a binary PGM (P5) image.
    pub fn to_pgm(&self) -> Vec<u8> {
        let mut out = format!("P5\n{} {}\n255\n", self.width, self.height).into_bytes();
        out.extend_from_slice(&self.pixels);
        out
    }
}

/// Renders the silhouette of a triangle mesh (pixel centres inside any projected triangle).
pub fn render_silhouette(
    vertices: &[Vec3],
    triangles: &[[u32; 3]],
    camera: &Camera,
    width: usize,
    height: usize,
) -> Mask {
    let mut pixels = vec![0u8; width * height];
    let projected: Vec<Option<(f32, f32)>> = vertices
        .iter()
        .map(|p| camera.project(*p, width, height))
        .collect();
    for t in triangles {
        let (Some(a), Some(b), Some(c)) = (
            projected[t[0] as usize],
            projected[t[1] as usize],
            projected[t[2] as usize],
        ) else {
            continue;
        };
        let area = (b.0 - a.0) * (c.1 - a.1) - (b.1 - a.1) * (c.0 - a.0);
        if area.abs() < 1e-12 {
            continue;
        }
        let x0 = a.0.min(b.0).min(c.0).floor().max(0.0) as usize;
        let x1 = (a.0.max(b.0).max(c.0).ceil().max(0.0) as usize).min(width);
        let y0 = a.1.min(b.1).min(c.1).floor().max(0.0) as usize;
        let y1 = (a.1.max(b.1).max(c.1).ceil().max(0.0) as usize).min(height);
        for y in y0..y1 {
            let py = y as f32 + 0.5;
            for x in x0..x1 {
                let px = x as f32 + 0.5;
                let e = |p: (f32, f32), q: (f32, f32)| {
                    (q.0 - p.0) * (py - p.1) - (q.1 - p.1) * (px - p.0)
                };
                let (e0, e1, e2) = (e(a, b), e(b, c), e(c, a));
                let inside = if area > 0.0 {
                    e0 >= 0.0 && e1 >= 0.0 && e2 >= 0.0
                } else {
                    e0 <= 0.0 && e1 <= 0.0 && e2 <= 0.0
                };
                if inside {
                    pixels[y * width + x] = 255;
                }
            }
        }
    }
    Mask {
        width,
        height,
        pixels,
    }
}
