//! The subcommands of `catwalk`, one module each, and what they share: logging, the admin
//! key file, and the shutdown signal.

pub mod avatar;
#[cfg(feature = "client")]
pub mod client;
#[cfg(feature = "client")]
pub mod embedded_production;
pub mod keys;
pub mod loadgen;
pub mod serve;
#[cfg(feature = "client")]
pub mod show;
pub mod token;

use tracing_subscriber::EnvFilter;

/// Logs to stderr; `RUST_LOG` overrides the default (`info`, and `warn` for ONNX Runtime).
pub fn init_tracing() {
    // ONNX Runtime logs every session detail at info; its warnings are enough by default.
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| {
        EnvFilter::new("info,ort=warn,wgpu=warn,wgpu_hal=warn,wgpu_core=warn,naga=warn")
    });
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .init();
}

/// Resolves on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = term => {}
    }
    tracing::info!("shutdown requested");
}
