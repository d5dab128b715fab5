//! Reading and writing GarmentCode's JSON pattern specification
//! (`*_specification.json`), so existing GarmentCode patterns load unchanged.
//!
//! The file is `{"pattern": {"panels": {name: panel}, "stitches": [[end, end], …],
//! "panel_order": [name, …]}, "properties": {"units_in_meter": 100, …}, …}` where a panel is
//! `{"vertices": [[x, y], …], "edges": [{"endpoints": [i, j], "curvature": …}, …],
//! "translation": [x, y, z], "rotation": [rx, ry, rz]}` (cm and Euler degrees) and a
//! stitch end is `{"panel": name, "edge": index}`. Older files that write a stitch as
//! `{"from": end, "to": end}` load too; non-object extras in a stitch list are ignored.
//!
//! Curvature is `{"type": "quadratic", "params": [[x, y]]}`,
//! `{"type": "cubic", "params": [[x1, y1], [x2, y2]]}` (control points in edge-relative
//! coordinates) or `{"type": "circle", "params": [radius, large_arc, right]}`; the older
//! form `"curvature": [x, y]` (a quadratic control point) is read too.
//!
//! Catwalk adds what GarmentCode does not carry under keys GarmentCode ignores: a panel's
//! `"catwalk": {"fabric", "grain", "seam_allowance", "edge_groups"}` and a stitch's
//! `"direction": "opposite" | "same"` on its first end. Without a direction, it is inferred
//! from where the panels are placed.
//!
//! - [`read`](mod@read): text → [`Pattern`](crate::Pattern), with errors that name the JSON path.
//! - [`write`](mod@write): [`Pattern`](crate::Pattern) → text.

mod raw;
pub mod read;
pub mod write;

pub use read::{ReadError, from_json_str, read_file};
pub use write::{to_json_string, to_json_value, write_file};
