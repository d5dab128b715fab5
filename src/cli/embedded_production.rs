//! The production backend embedded in `catwalk show`: started in-process on SQLite so the
//! show's ratings and purchase intents flow through the outbox into production, and its
//! ranking (Bayesian stars plus the share of engaged viewers who want to buy) can be read
//! when the show ends.

use std::path::Path;
use std::time::Duration;

use anyhow::Context;
use catwalk_protocol::LookSpec;
use serde_json::Value;
use tokio::net::TcpListener;
use tokio::sync::oneshot;

/// A running embedded backend.
pub struct EmbeddedProduction {
    /// Its base URL.
    pub url: String,
    /// The platform token the show server sends.
    pub token: String,
    stop: oneshot::Sender<()>,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl EmbeddedProduction {
    /// Starts a backend on a free local port with the SQLite database at `db`.
    pub async fn start(db: &Path, token: String) -> anyhow::Result<EmbeddedProduction> {
        if let Some(dir) = db.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("while creating {}", dir.display()))?;
        }
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .context("while binding the production backend")?;
        let url = format!("http://{}", listener.local_addr()?);
        let config = catwalk_production::Config {
            database_url: format!("sqlite://{}", db.display()),
            public_url: url.clone(),
            admin_token: Some(token.clone()),
        };
        let state = catwalk_production::build_state(
            &config,
            catwalk_production::Clock::system(),
            catwalk_production::Faults::default(),
        )
        .with_context(|| format!("while opening the production database {}", db.display()))?;
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(catwalk_production::serve(listener, state, async {
            let _ = stopped.await;
        }));
        Ok(EmbeddedProduction {
            url,
            token,
            stop,
            task,
        })
    }

    /// Production's view of one design, if it has one.
    async fn design(&self, client: &reqwest::Client, garment: &str) -> Option<Value> {
        let r = client
            .get(format!("{}/designs/{garment}", self.url))
            .bearer_auth(&self.token)
            .send()
            .await
            .ok()?;
        if r.status().is_success() {
            r.json().await.ok()
        } else {
            None
        }
    }

    /// The line-up's designs as production sees them, and the units wanted across them.
    async fn designs(&self, client: &reqwest::Client, lineup: &[LookSpec]) -> (Vec<Value>, u64) {
        let mut designs = Vec::new();
        for look in lineup {
            if let Some(d) = self.design(client, &look.garment).await {
                designs.push(d);
            }
        }
        let units = designs
            .iter()
            .filter_map(|d| d["score"]["intent_units"].as_u64())
            .sum();
        (designs, units)
    }

    /// Units production already counts for the line-up's designs (from earlier shows: the
    /// database persists between runs).
    pub async fn units_before(&self, lineup: &[LookSpec]) -> u64 {
        self.designs(&reqwest::Client::new(), lineup).await.1
    }

    /// Waits (up to `wait`) until production counts `units` units wanted across the line-up,
    /// then prints its ranking of the line-up's designs.
    pub async fn print_ranking(&self, lineup: &[LookSpec], units: u64, wait: Duration) {
        let client = reqwest::Client::new();
        let deadline = tokio::time::Instant::now() + wait;
        let designs = loop {
            let (designs, counted) = self.designs(&client, lineup).await;
            if counted >= units || tokio::time::Instant::now() >= deadline {
                if counted < units {
                    println!(
                        "(production has {counted} of {units} units so far; the outbox keeps delivering)"
                    );
                }
                break designs;
            }
            tokio::time::sleep(Duration::from_millis(250)).await;
        };
        let mut rows: Vec<(f64, String, String)> = designs
            .iter()
            .map(|d| {
                (
                    d["score"]["score"].as_f64().unwrap_or(0.0),
                    d["garment"].as_str().unwrap_or("").to_string(),
                    d["score"]["explanation"].as_str().unwrap_or("").to_string(),
                )
            })
            .collect();
        rows.sort_by(|a, b| b.0.total_cmp(&a.0));
        println!(
            "\nProduction's ranking at {} (what production companies see):",
            self.url
        );
        for (rank, (score, garment, why)) in rows.iter().take(5).enumerate() {
            println!("{:>2}. {garment:<24} score {score:.3}  {why}", rank + 1);
        }
    }

    /// Stops the backend.
    pub async fn stop(self) {
        let _ = self.stop.send(());
        let _ = self.task.await;
    }
}
