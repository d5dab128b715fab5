//! `--gpu-timings`: every five seconds the log gets each render pass's GPU time (timestamp
//! queries through Bevy's render diagnostics), most expensive first, so a slow frame can be
//! traced to the pass that costs it (the main opaque pass, shadows, clustering, UI).

use std::time::{Duration, Instant};

use bevy::diagnostic::DiagnosticsStore;
use bevy::prelude::*;

/// How often the pass times are logged.
const EVERY: Duration = Duration::from_secs(5);

/// Logs the GPU time of each render pass.
pub struct PassTimingsPlugin;

impl Plugin for PassTimingsPlugin {
    fn build(&self, app: &mut App) {
        app.add_plugins(bevy::render::diagnostic::RenderDiagnosticsPlugin)
            .add_systems(Last, log_pass_times);
    }
}

/// The passes' GPU times from diagnostic paths such as `render/ui/elapsed_gpu`, most
/// expensive first, and their sum: `("main_opaque_pass_3d 120.4 · ui 3.1", 123.5)`.
pub fn summarise<'a>(timings: impl IntoIterator<Item = (&'a str, f64)>) -> (String, f64) {
    let mut passes: Vec<(&str, f64)> = timings
        .into_iter()
        .filter_map(|(path, ms)| {
            let pass = path.strip_prefix("render/")?.strip_suffix("/elapsed_gpu")?;
            Some((pass, ms))
        })
        .collect();
    passes.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(b.0)));
    let total = passes.iter().map(|p| p.1).sum();
    let text = passes
        .iter()
        .map(|(pass, ms)| format!("{pass} {ms:.1}"))
        .collect::<Vec<_>>()
        .join(" · ");
    (text, total)
}

fn log_pass_times(store: Res<DiagnosticsStore>, mut last: Local<Option<Instant>>) {
    let now = Instant::now();
    if last.is_some_and(|t| now - t < EVERY) {
        return;
    }
    *last = Some(now);
    let (passes, total) = summarise(
        store
            .iter()
            .filter_map(|d| Some((d.path().as_str(), d.smoothed()?))),
    );
    if passes.is_empty() {
        return;
    }
    info!(
        gpu_ms = format!("{total:.1}"),
        passes, "GPU time per render pass (ms)"
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passes_are_sorted_by_cost_and_other_diagnostics_left_out() {
        let (text, total) = summarise([
            ("render/ui/elapsed_gpu", 3.0),
            ("render/main_opaque_pass_3d/elapsed_gpu", 120.0),
            ("render/main_opaque_pass_3d/elapsed_cpu", 0.1),
            ("render/ui/fragment_shader_invocations", 5000.0),
            ("fps", 7.0),
        ]);
        assert_eq!(text, "main_opaque_pass_3d 120.0 · ui 3.0");
        assert!((total - 123.0).abs() < 1e-9);
    }

    #[test]
    fn nothing_measured_gives_an_empty_line() {
        assert_eq!(summarise([("fps", 7.0)]), (String::new(), 0.0));
    }
}
