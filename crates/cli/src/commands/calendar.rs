//! `calendar`: personal deadlines (SLA due, retest due) by default; the full
//! operations calendar of the user's companies with `--all-kinds`.

use std::process::ExitCode;

use anyhow::{Result, bail};
use chrono::{Local, Utc};
use companion_core::ics;
use companion_core::rest::{Calendar, CalendarQuery};

use crate::context::Context;
use crate::output::{self, FormatArg, terminal};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Start (RFC 3339 date or date-time; default: one month ago).
    #[arg(long)]
    from: Option<String>,
    /// End (default: two months ahead).
    #[arg(long)]
    to: Option<String>,
    /// Every kind of item in your companies, not just your deadlines.
    #[arg(long)]
    all_kinds: bool,
    /// Only this company (id).
    #[arg(long)]
    company: Option<String>,
}

pub async fn run(server: Option<String>, format: FormatArg, args: Args) -> Result<ExitCode> {
    if format == FormatArg::Ics && args.all_kinds {
        bail!("--format ics holds your personal deadlines only: drop --all-kinds");
    }
    let ctx = Context::load(server)?;
    let client = ctx.client().await?;
    let query = CalendarQuery {
        from: args.from,
        to: args.to,
        company_id: args.company,
        mine: !args.all_kinds,
    };
    let calendar = client.calendar(&query).await?;
    let origin = ctx.server.origin();
    match format {
        FormatArg::Json => output::json_line_with_urls(
            &calendar,
            calendar.items.iter().map(|item| item.url(&origin)),
        ),
        FormatArg::Text => print_table(&calendar),
        // The calendar reminds as the app does: the same lead times.
        FormatArg::Ics => output::raw(&ics::deadlines_ics(
            &calendar.items,
            &origin,
            &ctx.config.prefs.reminder_leads_mins,
            Utc::now(),
        )),
    }
    Ok(ExitCode::SUCCESS)
}

fn print_table(calendar: &Calendar) {
    if calendar.items.is_empty() {
        output::line(&format!(
            "Nothing due between {} and {}.",
            terminal::visible(&calendar.from),
            terminal::visible(&calendar.to)
        ));
        return;
    }
    let now = Utc::now();
    let rows: Vec<Vec<String>> = calendar
        .items
        .iter()
        .map(|item| {
            let local = item.at.with_timezone(&Local);
            let when = if item.all_day {
                local.format("%a %d %b").to_string()
            } else {
                local.format("%a %d %b %H:%M").to_string()
            };
            let overdue = item.at < now && item.kind.has_reminders();
            vec![
                when,
                if overdue {
                    format!("overdue {}", output::relative(item.at, now))
                } else {
                    output::relative(item.at, now)
                },
                item.kind.display_name().to_owned(),
                item.severity
                    .map(|s| s.as_str().to_owned())
                    .unwrap_or_else(|| "-".into()),
                item.company_name.clone().unwrap_or_default(),
                output::clip(&item.title, 60),
            ]
        })
        .collect();
    output::table(&["WHEN", "", "KIND", "SEVERITY", "COMPANY", "TITLE"], &rows);
}
