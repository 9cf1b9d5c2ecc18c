//! `inbox`: newest first, one page (or every page with `--all`).

use std::io::IsTerminal;
use std::process::ExitCode;

use anyhow::Result;
use chrono::{DateTime, Utc};
use companion_core::rest::{InboxPage, InboxQuery, InboxRow};

use crate::context::Context;
use crate::output::{self, Format};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only unread notifications.
    #[arg(long)]
    unread: bool,
    /// Only this event type (e.g. finding_assigned; the server's catalog may
    /// hold types this client does not know).
    #[arg(long = "type", value_name = "EVENT_TYPE")]
    event_type: Option<String>,
    /// Rows per page, 1–100.
    #[arg(long, default_value_t = 25, value_parser = clap::value_parser!(u32).range(1..=100))]
    limit: u32,
    /// Follow the cursor through every page.
    #[arg(long)]
    all: bool,
}

pub async fn run(server: Option<String>, format: Format, args: Args) -> Result<ExitCode> {
    let client = Context::load(server)?.client().await?;
    let mut query = InboxQuery {
        limit: Some(args.limit),
        cursor: None,
        read: args.unread.then_some(false),
        event_type: args.event_type,
    };
    let mut page = client.inbox(&query).await?;
    if args.all {
        let progress = std::io::stderr().is_terminal();
        while let Some(cursor) = page.next_cursor.take() {
            query.cursor = Some(cursor);
            let next = client.inbox(&query).await?;
            page.items.extend(next.items);
            page.next_cursor = next.next_cursor;
            if progress {
                eprint!("\rfetched {} notifications…", page.items.len());
            }
        }
        if progress {
            eprintln!();
        }
    }
    let origin = client.server().origin();
    match format {
        Format::Json => {
            output::json_line_with_urls(&page, page.items.iter().map(|row| Some(row.url(&origin))))
        }
        Format::Text => print_table(&page),
    }
    Ok(ExitCode::SUCCESS)
}

fn print_table(page: &InboxPage) {
    if page.items.is_empty() {
        output::line("No notifications.");
        return;
    }
    let now = Utc::now();
    let rows: Vec<Vec<String>> = page.items.iter().map(|row| cells(row, now)).collect();
    output::table(&["", "ID", "WHEN", "SEVERITY", "TYPE", "TITLE"], &rows);
    if page.next_cursor.is_some() {
        output::line("(more: use --all, or --limit up to 100)");
    }
}

fn cells(row: &InboxRow, now: DateTime<Utc>) -> Vec<String> {
    let when = DateTime::parse_from_rfc3339(&row.created_at)
        .map(|t| output::relative(t.with_timezone(&Utc), now))
        .unwrap_or_else(|_| row.created_at.clone());
    let severity = row
        .data
        .get("severity")
        .and_then(|s| s.as_str())
        .unwrap_or("-")
        .to_owned();
    vec![
        if row.read { " " } else { "●" }.to_owned(),
        row.id.clone(),
        when,
        severity,
        row.event_type.clone(),
        output::clip(&row.title, 70),
    ]
}
