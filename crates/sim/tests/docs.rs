//! The project's protocol document and the server agree: every endpoint
//! row in `docs/protocol.md` answers something other than 404.

mod common;

use std::time::Duration;

use common::start_control;
use serde_json::json;

const DOC: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../docs/protocol.md"
));

/// `(method, path)` for every `| METHOD | /path |` table row.
fn documented_endpoints() -> Vec<(String, String)> {
    DOC.lines()
        .filter_map(|line| {
            let mut cells = line.split('|').map(str::trim).filter(|c| !c.is_empty());
            let method = cells.next()?;
            let path = cells.next()?;
            let is_method = matches!(method, "GET" | "POST" | "PUT" | "DELETE" | "PATCH");
            (is_method && path.starts_with('/')).then(|| (method.to_string(), path.to_string()))
        })
        .collect()
}

#[tokio::test]
async fn every_documented_path_exists() {
    let endpoints = documented_endpoints();
    assert!(
        endpoints.len() >= 19,
        "the endpoint tables parse: {endpoints:?}"
    );
    let sim = start_control(Duration::from_secs(20), 256).await;
    let (_, page) = sim
        .get_json("demo-ana", "/api/v1/notifications?limit=1")
        .await;
    let row_id = page["items"][0]["id"]
        .as_str()
        .expect("ana has rows")
        .to_string();
    for (method, path) in endpoints {
        let url = format!("{}{}", sim.url, path.replace("{id}", &row_id));
        let method = reqwest::Method::from_bytes(method.as_bytes()).expect("HTTP method");
        let mut request = sim
            .http
            .request(method.clone(), url)
            .bearer_auth("demo-ana");
        if method != reqwest::Method::GET {
            request = request.json(&json!({}));
        }
        let response = request.send().await.expect("answered");
        let status = response.status();
        assert_ne!(status, 404, "{method} {path} is documented but missing");
        assert_ne!(
            status, 405,
            "{method} {path} is documented with another method"
        );
    }
}
