//! The web pages in headless Chromium, driven over WebDriver (chromedriver): sign in, load
//! the dashboard, follow a work order's QR link to the shop-floor page, report progress
//! with its form, and see the dashboard change. Screenshots (PNG) are kept in
//! `$CARGO_TARGET_DIR/artefacts/production-browser/` (or `$CATWALK_ARTEFACTS`).
//!
//! Needs Debian's `chromium` and `chromium-driver` (tools/install-chromium.sh). Skipped
//! when chromedriver is missing, unless `CATWALK_REQUIRE_BROWSER=1`.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Value, json};

use crate::fixtures::{GARMENT, accepted_work_order, world};
use crate::helpers::{Engine, spawn_app};

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

struct Driver {
    http: reqwest::Client,
    base: String,
    session: String,
}

impl Driver {
    async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> Result<Value, String> {
        let url = format!("{}/session/{}{path}", self.base, self.session);
        let mut req = self.http.request(method, &url);
        if let Some(b) = body {
            req = req.json(&b);
        }
        let r = req.send().await.map_err(|e| e.to_string())?;
        let status = r.status();
        let v: Value = r.json().await.map_err(|e| e.to_string())?;
        if !status.is_success() {
            return Err(format!("{path}: {status} {v}"));
        }
        Ok(v["value"].clone())
    }

    async fn go(&self, url: &str) -> Result<(), String> {
        self.call(reqwest::Method::POST, "/url", Some(json!({"url": url})))
            .await
            .map(|_| ())
    }

    async fn find(&self, css: &str) -> Result<String, String> {
        let v = self
            .call(
                reqwest::Method::POST,
                "/element",
                Some(json!({"using": "css selector", "value": css})),
            )
            .await?;
        match v[ELEMENT].as_str() {
            Some(e) => Ok(e.to_string()),
            None => {
                let page = self
                    .call(reqwest::Method::GET, "/source", None)
                    .await
                    .unwrap_or_default();
                Err(format!(
                    "no element {css} ({v}) in {}",
                    page.as_str()
                        .unwrap_or("")
                        .chars()
                        .take(600)
                        .collect::<String>()
                ))
            }
        }
    }

    async fn text(&self, css: &str) -> Result<String, String> {
        let e = self.find(css).await?;
        let v = self
            .call(reqwest::Method::GET, &format!("/element/{e}/text"), None)
            .await?;
        Ok(v.as_str().unwrap_or("").to_string())
    }

    async fn type_into(&self, css: &str, text: &str) -> Result<(), String> {
        let e = self.find(css).await?;
        self.call(
            reqwest::Method::POST,
            &format!("/element/{e}/clear"),
            Some(json!({})),
        )
        .await?;
        self.call(
            reqwest::Method::POST,
            &format!("/element/{e}/value"),
            Some(json!({"text": text})),
        )
        .await?;
        Ok(())
    }

    async fn click(&self, css: &str) -> Result<(), String> {
        let e = self.find(css).await?;
        self.call(
            reqwest::Method::POST,
            &format!("/element/{e}/click"),
            Some(json!({})),
        )
        .await
        .map(|_| ())
    }

    /// Clicks a button that submits a form and waits until the page it was on is gone, so
    /// the next lookup reads the new page rather than an element of the old one.
    async fn submit(&self, css: &str) -> Result<(), String> {
        let old = self.find("html").await?;
        self.click(css).await?;
        for _ in 0..200 {
            match self
                .call(reqwest::Method::GET, &format!("/element/{old}/name"), None)
                .await
            {
                Err(e) if e.contains("stale element") => return Ok(()),
                Err(e) => return Err(e),
                Ok(_) => tokio::time::sleep(Duration::from_millis(50)).await,
            }
        }
        Err(format!(
            "clicking {css} did not load a new page within 10 s"
        ))
    }

    async fn screenshot(&self, dir: &Path, name: &str) -> Result<(), String> {
        let v = self.call(reqwest::Method::GET, "/screenshot", None).await?;
        let png = STANDARD
            .decode(v.as_str().unwrap_or(""))
            .map_err(|e| e.to_string())?;
        if !png.starts_with(b"\x89PNG") {
            return Err("the screenshot is not a PNG".into());
        }
        std::fs::write(dir.join(name), png).map_err(|e| e.to_string())
    }
}

fn artefacts() -> PathBuf {
    let dir = std::env::var("CATWALK_ARTEFACTS")
        .map(PathBuf::from)
        .unwrap_or_else(|_| {
            PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
                .join("..")
                .join("artefacts")
        });
    let dir = dir.join("production-browser");
    std::fs::create_dir_all(&dir).expect("artefact dir");
    dir
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn dashboard_qr_link_progress_in_headless_chromium() {
    let driver_bin =
        std::env::var("CATWALK_CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into());
    if !Path::new(&driver_bin).exists() {
        assert!(
            std::env::var("CATWALK_REQUIRE_BROWSER").as_deref() != Ok("1"),
            "CATWALK_REQUIRE_BROWSER=1 but {driver_bin} is missing; run tools/install-chromium.sh"
        );
        eprintln!("skipping: {driver_bin} is missing");
        return;
    }
    let chromium = std::env::var("CATWALK_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let app = spawn_app(Engine::Sqlite).await.expect("app");
    let w = world(&app, 3).await;
    let wo = accepted_work_order(&app, &w, 4).await;

    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("port")
        .port();
    let _chromedriver = tokio::process::Command::new(&driver_bin)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("chromedriver starts");
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(60))
        .build()
        .expect("client");
    let base = format!("http://127.0.0.1:{port}");
    let mut ready = false;
    for _ in 0..100 {
        if let Ok(r) = http.get(format!("{base}/status")).send().await
            && let Ok(v) = r.json::<Value>().await
            && v["value"]["ready"] == true
        {
            ready = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(ready, "chromedriver did not become ready");
    // Element lookups wait up to 10 s: a click that submits a form returns before the next
    // page has loaded, and a lookup straight after it could otherwise miss.
    let caps = json!({"capabilities": {"alwaysMatch": {"browserName": "chrome", "timeouts": {"implicit": 10_000}, "goog:chromeOptions": {
        "binary": chromium, "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=412,1400"]}}}});
    let s: Value = http
        .post(format!("{base}/session"))
        .json(&caps)
        .send()
        .await
        .expect("session")
        .json()
        .await
        .expect("json");
    let session = s["value"]["sessionId"]
        .as_str()
        .expect("a session")
        .to_string();
    let d = Driver {
        http: http.clone(),
        base: base.clone(),
        session,
    };

    let dir = artefacts();
    let result = async {
        d.go(&format!("{}/login", app.base)).await?;
        d.type_into("input[name=token]", &w.company.token).await?;
        d.submit("button[type=submit]").await?;
        let title = d.text(".project h2").await?;
        if title != GARMENT {
            return Err(format!("dashboard shows {title:?}"));
        }
        let before = d.text(".stage[data-stage=cutting] .good").await?;
        d.screenshot(&dir, "1-dashboard.png").await?;
        let link = d.find("a.qr-link").await?;
        let href = d
            .call(
                reqwest::Method::GET,
                &format!("/element/{link}/property/href"),
                None,
            )
            .await?;
        let href = href.as_str().unwrap_or("").to_string();
        if href != wo["shop_floor_url"].as_str().unwrap_or("-") {
            return Err(format!("QR link {href} is not the work order's page"));
        }
        d.go(&href).await?;
        d.screenshot(&dir, "2-shop-floor.png").await?;
        d.type_into(".stage[data-stage=cutting] input[name=worker]", "Seo-yeon")
            .await?;
        d.type_into(".stage[data-stage=cutting] input[name=good]", "3")
            .await?;
        d.submit(".stage[data-stage=cutting] button").await?;
        let on_floor = d.text(".stage[data-stage=cutting] .good").await?;
        let banner = d.text(".ok").await?;
        if !banner.contains("cutting") || !banner.contains("3 good") {
            return Err(format!("no confirmation: {banner:?}"));
        }
        d.screenshot(&dir, "3-progress-reported.png").await?;
        d.go(&format!("{}/dashboard", app.base)).await?;
        let after = d.text(".stage[data-stage=cutting] .good").await?;
        let status = d.text(".work-order .status").await?;
        d.screenshot(&dir, "4-dashboard-after.png").await?;
        Ok::<_, String>((before, on_floor, after, status))
    }
    .await;
    let _ = d.call(reqwest::Method::DELETE, "", None).await;
    let (before, on_floor, after, status) = result.expect("the browser flow works");
    assert_eq!(before, "0");
    assert_eq!(on_floor, "3");
    assert_eq!(after, "3");
    assert_eq!(status, "in_progress");
    for f in [
        "1-dashboard.png",
        "2-shop-floor.png",
        "3-progress-reported.png",
        "4-dashboard-after.png",
    ] {
        assert!(
            dir.join(f)
                .metadata()
                .map(|m| m.len() > 1000)
                .unwrap_or(false),
            "{f} was saved"
        );
    }
    // The report reached the settlement: 3 cut pieces × ₩300.
    let st = app.get("/statements", &w.factory.token).await;
    assert_eq!(st.body["total_krw"], 900);
    assert_eq!(st.body["lines"][0]["worker"], "Seo-yeon");
}
