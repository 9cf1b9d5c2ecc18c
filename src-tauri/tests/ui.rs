//! The window through WebDriver (tauri-driver + WebKitWebDriver): the
//! inbox shows the server's rows, pages on scroll and opens a row's page,
//! the calendar puts personal deadlines on their days and opens them, the
//! preference grid has every server channel and the types the stream has
//! shown, and a toggle persists and changes what pops up; server text
//! carries no bidi controls (sign-in:
//! `sign_in.rs`). With `PMAP_SCREENSHOTS=1` each view is saved under
//! `docs/screenshots/`.

mod support;

use pmap_testkit::eventually;
use serde_json::{Value, json};
use support::app::{launcher_path, opened_urls};
use support::desktop::{Desktop, Keyring};
use support::notifications::Notifications;
use support::rig::popup_about;
use support::sim::{ANA, Sim};
use support::webdriver::{Driver, doc_screenshot};

async fn show(driver: &Driver, view: &str, ready_css: &str) {
    driver
        .js(&format!("location.hash = '{view}';"), json!([]))
        .await;
    driver
        .wait(
            view,
            &format!("return document.querySelector('{ready_css}') !== null;"),
        )
        .await;
}

fn thin(kind: &str, id: &str, title: &str, severity: &str) -> Value {
    json!({"type": kind, "company_id": "c-acme", "payload": {
        "finding_id": id, "title": title, "severity": severity, "assignee_ids": ["u-ana"],
        "schema_version": 1, "correlation_id": format!("ui-{id}"), "subject_type": "finding",
        "subject_id": id, "actor_type": "user", "actor_id": "u-lee",
        "timestamp": chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Nanos, true)}})
}

#[tokio::test(flavor = "multi_thread")]
async fn inbox_calendar_and_preferences_in_the_real_window() {
    let desktop = Desktop::start(Keyring::Missing);
    let sim = Sim::start().await;
    let mut notes = Notifications::watch(&desktop.bus).await;
    let path = launcher_path(&desktop);
    let env = [
        ("PMAP_SERVER", sim.url.as_str()),
        ("PMAP_TOKEN", ANA),
        ("PATH", path.as_str()),
    ];
    // A hostile title: U+202E would make its row read "Invoice exe.pdf".
    sim.inbox_row(
        "u-ana",
        "finding_assigned",
        "low",
        "Invoice \u{202E}fdp.exe",
    )
    .await;
    let driver = Driver::start(&desktop, &env, &["--open", "inbox"]).await;
    sim.wait_for_stream("u-ana").await;

    // Inbox: the server's first page, newest first, then the next on scroll.
    let first: Vec<Value> = sim.get("/api/v1/notifications?limit=25", ANA).await["items"]
        .as_array()
        .expect("items")
        .clone();
    let total = sim.get("/api/v1/notifications/summary", ANA).await["total"]
        .as_u64()
        .expect("total");
    driver
        .wait(
            "first page",
            "return document.querySelectorAll('#inbox-list li').length >= 25;",
        )
        .await;
    let shown = driver
        .js(
            "return [...document.querySelectorAll('#inbox-list li')].map(li => li.dataset.id);",
            json!([]),
        )
        .await;
    let want: Vec<Value> = first.iter().map(|r| r["id"].clone()).collect();
    assert_eq!(shown.as_array().expect("ids")[..25], want[..]);
    let titles = driver
        .js(
            "return [...document.querySelectorAll('#inbox-list .row-title')].map(e => e.textContent);",
            json!([]),
        )
        .await;
    let titles: Vec<&str> = titles
        .as_array()
        .expect("titles")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(
        titles.contains(&"Invoice fdp.exe"),
        "bidi controls are dropped: {titles:?}"
    );
    doc_screenshot(&driver, "inbox").await;
    driver
        .js(
            "document.getElementById('load-more').scrollIntoView();",
            json!([]),
        )
        .await;
    let expect = total.min(50);
    driver
        .wait(
            "second page",
            &format!("return document.querySelectorAll('#inbox-list li').length === {expect};"),
        )
        .await;
    // A row about a finding opens the finding's page on the server.
    let row = first
        .iter()
        .find(|r| r["data"]["finding_id"].is_string())
        .expect("the fixture has a row about a finding");
    driver
        .click(&format!(
            "#inbox-list li[data-id=\"{}\"] .row-main",
            row["id"].as_str().expect("id")
        ))
        .await;
    let finding = row["data"]["finding_id"].as_str().expect("finding id");
    launcher_opens(&desktop, &format!("{}/findings/{finding}", sim.url)).await;

    // Calendar: each personal deadline this month has a dot on its day.
    show(&driver, "calendar", "#month-grid .day").await;
    let now = chrono::Utc::now();
    let month_start = now.format("%Y-%m-01").to_string();
    let calendar = sim.get("/api/v1/calendar?mine=true", ANA).await;
    let this_month: Vec<String> = calendar["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|i| i["at"].as_str())
        .filter(|at| at[..7] == month_start[..7])
        .map(|at| at[..10].to_owned())
        .collect();
    assert!(
        !this_month.is_empty(),
        "the fixture has deadlines this month"
    );
    driver
        .wait(
            "agenda",
            "return document.querySelectorAll('#agenda li[data-id]').length > 0;",
        )
        .await;
    for day in &this_month {
        let dots = driver
            .js(
                &format!(
                    "return document.querySelectorAll('[data-day=\"{day}\"] .marker').length;"
                ),
                json!([]),
            )
            .await;
        assert!(dots.as_u64().unwrap_or(0) >= 1, "no marker on {day}");
    }
    // The legend names the kinds the personal view shows, and overdue.
    let legend = driver
        .js(
            "return [...document.querySelectorAll('#calendar-legend li')].map(li => li.textContent);",
            json!([]),
        )
        .await;
    assert_eq!(legend, json!(["SLA deadline", "Retest due", "Overdue"]));
    // Ana sees two companies: the filter narrows the agenda to one.
    let acme_on_server = calendar["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter(|i| i["company_id"] == "c-acme")
        .filter_map(|i| i["id"].as_str())
        .collect::<Vec<_>>();
    driver
        .js(
            "const s = document.getElementById('company-filter'); s.value = 'c-acme'; \
             s.dispatchEvent(new Event('change'));",
            json!([]),
        )
        .await;
    let filtered = driver
        .wait(
            "the agenda to show Acme's items only",
            "const ids = [...document.querySelectorAll('#agenda li[data-id]')].map(li => li.dataset.id); \
             const names = [...document.querySelectorAll('#agenda .chip')].map(c => c.textContent); \
             return names.includes('Globex') ? null : ids;",
        )
        .await;
    for id in filtered.as_array().expect("ids") {
        assert!(
            acme_on_server.contains(&id.as_str().unwrap_or_default()),
            "{id} is not one of Acme's deadlines"
        );
    }
    driver
        .js(
            "const s = document.getElementById('company-filter'); s.value = ''; \
             s.dispatchEvent(new Event('change'));",
            json!([]),
        )
        .await;
    doc_screenshot(&driver, "calendar").await;
    // A deadline opens its finding's page.
    let shown = driver
        .js(
            "return document.querySelector('#agenda li[data-id]').dataset.id;",
            json!([]),
        )
        .await;
    let item = calendar["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| i["id"] == shown)
        .unwrap_or_else(|| panic!("{shown} is not on the server's calendar"));
    driver
        .click(&format!(
            "#agenda li[data-id=\"{}\"] .row-main",
            item["id"].as_str().expect("id")
        ))
        .await;
    let entity = item["entity_id"].as_str().expect("entity id");
    launcher_opens(&desktop, &format!("{}/findings/{entity}", sim.url)).await;

    // Preferences: turning off pop-ups for assignments persists and mutes them.
    show(&driver, "preferences", "#pref-popup-finding_assigned").await;
    doc_screenshot(&driver, "preferences").await;
    // The pop-up cell has three states; the shipped one follows the server.
    let cell = driver
        .js(
            "return document.getElementById('pref-popup-finding_assigned').value;",
            json!([]),
        )
        .await;
    assert_eq!(cell, json!("server"));
    driver
        .js(
            "const s = document.getElementById('pref-popup-finding_assigned'); \
             s.value = 'off'; s.dispatchEvent(new Event('change'));",
            json!([]),
        )
        .await;
    driver
        .wait(
            "saved",
            "return document.getElementById('prefs-saved').textContent === 'Saved.';",
        )
        .await;
    let config: Value = serde_json::from_slice(
        &std::fs::read(desktop.path("config/pmap-companion/config.json")).expect("config written"),
    )
    .expect("config JSON");
    assert_eq!(config["prefs"]["popup"]["finding_assigned"], json!(false));
    driver.click("#pref-email-finding_assigned").await;
    driver
        .wait(
            "saved on server",
            "return document.getElementById('prefs-saved').textContent.includes('server');",
        )
        .await;
    let server = sim.get("/api/v1/notifications/preferences", ANA).await;
    assert_eq!(
        server["preferences"]["email.finding_assigned"],
        json!(false)
    );
    driver.click("#pref-webhook-finding_assigned").await;
    eventually("the webhook cell to reach the server", || async {
        let server = sim.get("/api/v1/notifications/preferences", ANA).await;
        (server["preferences"]["webhook.finding_assigned"] == json!(false)).then_some(())
    })
    .await;

    sim.control(
        "emit",
        thin("finding_assigned", "f-ui-1", "Muted assignment", "high"),
    )
    .await;
    // A type no catalog here knows: it pops nothing up, but the grid lists it.
    sim.control(
        "emit",
        thin(
            "compliance_check_failed",
            "f-ui-3",
            "New kind of event",
            "high",
        ),
    )
    .await;
    sim.control(
        "emit",
        thin("sla_breached", "f-ui-2", "Marker breach", "high"),
    )
    .await;
    let (_, earlier) = popup_about(&mut notes, "Marker breach").await;
    assert!(
        earlier
            .iter()
            .all(|s| !s.summary.contains("Muted assignment")),
        "the muted type still popped up: {earlier:#?}"
    );
    // Away and back, so the view is built again from the app's state.
    show(&driver, "status", "#status-list").await;
    show(&driver, "preferences", "#pref-popup-finding_assigned").await;
    let checked = driver
        .js(
            "return document.getElementById('pref-popup-finding_assigned').value;",
            json!([]),
        )
        .await;
    assert_eq!(
        checked,
        json!("off"),
        "the toggle survives a reload of the view"
    );
    let unknown = driver
        .js(
            "const row = document.querySelector('#pref-grid tr[data-type=\"compliance_check_failed\"]'); \
             return row && [row.querySelector('th').textContent, \
               row.querySelectorAll('input[type=checkbox], select').length];",
            json!([]),
        )
        .await;
    assert_eq!(
        unknown,
        json!(["Compliance check failed", 7]),
        "the type the stream showed is listed with its label and every channel"
    );

    show(&driver, "status", "#status-list").await;
    doc_screenshot(&driver, "status").await;
}

/// Waits until the app has asked the desktop to open `url`.
async fn launcher_opens(desktop: &Desktop, url: &str) {
    eventually(
        &format!("the launcher to be asked to open {url}"),
        || async { opened_urls(desktop).iter().any(|u| u == url).then_some(()) },
    )
    .await;
}
