//! HTML building blocks: escaping, the page frame (phone-first: one column, large touch
//! targets, no JavaScript), and small widgets.

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

/// Escapes text for HTML element content and attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:0;padding:12px;max-width:960px;margin:auto;line-height:1.4}
h1{font-size:1.4em}h2{font-size:1.15em;margin-top:1.4em}table{border-collapse:collapse;width:100%}
td,th{border-bottom:1px solid #ddd;padding:6px;text-align:left;vertical-align:top}
.bar{background:#eee;border-radius:4px;height:14px;min-width:80px}.bar>span{display:block;height:14px;background:#2a7;border-radius:4px}
button,input,select{font-size:1.1em;padding:10px;margin:4px 0;min-height:44px}button{background:#1f2a44;color:#fff;border:0;border-radius:6px}
.card{border:1px solid #ccc;border-radius:8px;padding:10px;margin:10px 0}.err{background:#fdd;padding:10px;border-radius:6px}
.ok{background:#dfd;padding:10px;border-radius:6px}.qr svg{width:120px;height:120px}.muted{color:#666;font-size:.9em}
nav a{margin-right:12px}.scroll{overflow-x:auto}.work-order .qr{float:right;margin-left:8px;text-align:center;font-size:.85em}
.work-order .stage{clear:none;margin:4px 0}";

/// A complete page.
pub fn page(title: &str, body: &str) -> Html<String> {
    Html(format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
         <title>{t} · Catwalk production</title><style>{STYLE}</style></head><body>{body}</body></html>",
        t = esc(title)
    ))
}

/// An error page with a status.
pub fn error_page(status: StatusCode, message: &str) -> Response {
    (
        status,
        page(
            "Problem",
            &format!("<h1>Problem</h1><p class=\"err\">{}</p>", esc(message)),
        ),
    )
        .into_response()
}

/// A progress bar for `done` of `target`.
pub fn bar(done: i64, target: i64) -> String {
    let pct = if target > 0 {
        (done * 100 / target).clamp(0, 100)
    } else {
        0
    };
    format!(
        "<div class=\"bar\" title=\"{done} / {target}\"><span style=\"width:{pct}%\"></span></div>"
    )
}

/// Formats Unix ms as `YYYY-MM-DD HH:MM` UTC.
pub fn when(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Civil-from-days (proleptic Gregorian), after Howard Hinnant's algorithm.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02} UTC",
        rem / 3600,
        rem % 3600 / 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(
            esc("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
    }

    #[test]
    fn formats_dates() {
        assert_eq!(when(0), "1970-01-01 00:00 UTC");
        assert_eq!(when(1_763_683_200_000), "2025-11-21 00:00 UTC");
    }
}
