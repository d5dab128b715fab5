//! Sewing patterns for Catwalk: the one description of a garment from which both the
//! simulated garment and the factory's cut pattern are made.
//!
//! A [`Pattern`] is a set of [`Panel`]s — closed loops of straight, circular-arc and Bézier
//! edges in cm, each placed around the body — joined by [`Stitch`]es. Patterns load from
//! and save to GarmentCode's JSON specification format, come out of parametric garment
//! programs driven by body measurements, mesh into a [`GarmentMesh`] for the cloth
//! simulator, and export to SVG for cutting.
//!
//! This crate does not depend on Bevy or on any renderer.
//!
//! # Layout
//! - [`curve`]: edge geometry (line, arc, quadratic and cubic Bézier): points, lengths,
//!   polylines, arc-length resampling, GarmentCode's edge-relative coordinates.
//! - [`polygon`]: closed polylines: area, containment, self-intersection, seam-allowance
//!   offset.
//! - [`panel`]: [`Panel`], [`Edge`], [`EdgeShape`], placement and cutting data.
//! - [`pattern`]: [`Pattern`], [`Stitch`] and validation with JSON-path errors.
//! - [`spec`]: GarmentCode JSON read and write.
//! - [`body`]: [`BodyMeasurements`] with documented ranges.
//! - [`programs`]: parametric garment programs: skirts (pencil, A-line, circle), tops
//!   (necklines, sleeves), dresses and trousers.
//! - [`mesh`]: constrained Delaunay meshing into a [`GarmentMesh`] with seams and a map
//!   back to the panels.
//! - [`export`]: cut-ready SVG and AAMA-style DXF.
//! - [`techpack`]: the factory's tech pack / work order (JSON and HTML with a QR code):
//!   cutting list, bill of materials (fabric and trims), sewing operations, colourways
//!   and the graded measurement spec.
//! - [`design`]: generative design — a designer's brief in, diverse valid candidate
//!   designs out.
//! - [`audience`]: learning from the audience — a preference model fitted to ratings and
//!   purchase intent (read from the show server's live look aggregates), and proposals
//!   expected to score higher.
//! - [`drape`]: a garment sewn onto and draped over a capsule body by the cloth solver
//!   ([`Drape`](drape::Drape)), a body from measurements, a walk cycle and the fit map.
//! - [`grading`]: the same design for every size of a [`SizeChart`](grading::SizeChart)
//!   (XS–XL) or for one person.

pub mod audience;
pub mod body;
pub mod curve;
pub mod design;
pub mod drape;
pub mod export;
pub mod grading;
pub mod mesh;
pub mod panel;
pub mod pattern;
pub mod polygon;
pub mod programs;
pub mod spec;
pub mod techpack;

pub use body::{BodyMeasurements, MeasurementError};
pub use curve::Curve;
pub use mesh::{GarmentMesh, MeshError, MeshOptions};
pub use panel::{CuttingInfo, Edge, EdgeGeometryError, EdgeShape, Panel};
pub use pattern::{Pattern, PatternError, Problem, Stitch, StitchDirection, StitchEnd};
pub use spec::{ReadError, from_json_str, read_file, to_json_string, write_file};
