//! Everything the window may call. The window runs in a process of its
//! own (see `window`), which forwards each call here by name with its
//! arguments as JSON; [`dispatch`] runs it against the shared state and
//! answers with the value or the error's message. Each command reads
//! through the signed-in session's REST client or hands an action to the
//! engine; the token never appears in an answer going back to JavaScript.

use std::collections::BTreeMap;
use std::future::Future;
use std::pin::Pin;

use companion_core::engine::LocalPrefs;
use companion_core::preferences::{self, PreferenceKey, ServerChannel};
use companion_core::rest::{CalendarQuery, Client, InboxQuery};
use companion_core::store::{OtherTokens, json_file};
use companion_core::zeroize::Zeroizing;
use companion_core::{EventType, UserAction};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use tauri::AppHandle;

use crate::autostart;
use crate::calendar_file;
use crate::error::{AppError, Result};
use crate::models::{CalendarView, Catalog, InboxPageView, PreferenceGrid};
use crate::signin::{self, SignedIn};
use crate::state::{AppState, lock};
use crate::status::Status;

include!("commands/names.rs");

/// A command's answer: its value, or the message JavaScript's promise is
/// rejected with.
pub type Answer = std::result::Result<Value, Value>;

/// Runs `command` with `args` (the JSON object the page passed, keys in
/// camelCase as Tauri's own commands take them).
pub fn dispatch(
    app: AppHandle,
    command: String,
    args: Value,
) -> Pin<Box<dyn Future<Output = Answer> + Send>> {
    Box::pin(async move {
        if !COMMANDS.contains(&command.as_str()) {
            return Err(Value::String(format!("no command named `{command}`")));
        }
        run(&app, &command, args).await
    })
}

async fn run(app: &AppHandle, command: &str, args: Value) -> Answer {
    match command {
        "status" => answer(Ok(status(app))),
        "inbox" => answer(inbox(app, parse(command, args)?).await),
        "mark_read" => {
            let Id { id } = parse(command, args)?;
            act(app, UserAction::MarkRead(id))
        }
        "mark_all_read" => act(app, UserAction::MarkAllRead),
        // The engine refuses any link off the server's origin.
        "open_link" => {
            let Url { url } = parse(command, args)?;
            act(app, UserAction::Open { url })
        }
        "calendar" => answer(calendar(app, parse(command, args)?).await),
        "catalog" => answer(Ok(Catalog::build())),
        "preference_grid" => answer(Ok(preference_grid(app).await)),
        "set_server_preference" => answer(set_server_preference(app, parse(command, args)?).await),
        "local_prefs" => answer(Ok(lock(&app.shared().config).prefs.clone())),
        "save_local_prefs" => {
            let Prefs { prefs } = parse(command, args)?;
            answer(save_local_prefs(app, prefs).await)
        }
        "autostart_enabled" => answer(Ok(autostart::enabled())),
        "set_autostart" => {
            let Enabled { enabled } = parse(command, args)?;
            answer(set_autostart(enabled))
        }
        "calendar_file" => answer(Ok(calendar_file::current(app))),
        "set_calendar_file" => {
            let Enabled { enabled } = parse(command, args)?;
            answer(calendar_file::set(app, enabled))
        }
        "pause" => {
            let Minutes { minutes } = parse(command, args)?;
            answer(pause_action(minutes).map(|action| app.act(action)))
        }
        "resume" => act(app, UserAction::Resume),
        "sign_in" => answer(sign_in(app, parse(command, args)?).await),
        "stored_servers" => answer(signin::stored_servers().await),
        "sign_out" => {
            signin::sign_out(app).await;
            Ok(Value::Null)
        }
        other => Err(Value::String(format!("`{other}` is listed but not run"))),
    }
}

/// The arguments of `command`. The message names what is wrong but never
/// quotes a value (the sign-in form's token is one).
fn parse<T: DeserializeOwned>(command: &str, args: Value) -> std::result::Result<T, Value> {
    let args = if args.is_null() {
        Value::Object(Default::default())
    } else {
        args
    };
    serde_json::from_value(args).map_err(|error| {
        let what = match error.classify() {
            serde_json::error::Category::Data => "missing or of the wrong type",
            _ => "not readable",
        };
        Value::String(format!("the arguments of `{command}` are {what}"))
    })
}

/// Hands `action` to the running engine; the page waits for nothing more.
fn act(app: &AppHandle, action: UserAction) -> Answer {
    app.act(action);
    Ok(Value::Null)
}

fn answer<T: Serialize>(result: Result<T>) -> Answer {
    match result {
        Ok(value) => serde_json::to_value(value).map_err(|e| Value::String(e.to_string())),
        Err(error) => Err(Value::String(error.to_string())),
    }
}

#[derive(Deserialize)]
struct Id {
    id: String,
}

#[derive(Deserialize)]
struct Url {
    url: String,
}

#[derive(Deserialize)]
struct Enabled {
    enabled: bool,
}

#[derive(Deserialize)]
struct Minutes {
    minutes: Option<i64>,
}

#[derive(Deserialize)]
struct Prefs {
    prefs: LocalPrefs,
}

fn client(app: &AppHandle) -> Result<Client> {
    lock(&app.shared().session)
        .as_ref()
        .map(|s| s.client.clone())
        .ok_or(AppError::NotSignedIn)
}

fn status(app: &AppHandle) -> Status {
    app.status()
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct InboxArgs {
    cursor: Option<String>,
    unread_only: bool,
    event_type: Option<String>,
    limit: Option<u32>,
}

async fn inbox(app: &AppHandle, args: InboxArgs) -> Result<InboxPageView> {
    let query = InboxQuery {
        limit: Some(args.limit.unwrap_or(25).clamp(1, 100)),
        cursor: args.cursor,
        read: args.unread_only.then_some(false),
        event_type: args.event_type.filter(|t| !t.is_empty()),
    };
    let client = client(app)?;
    let page = client.inbox(&query).await?;
    Ok(InboxPageView::new(page, &client.server().origin()))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CalendarArgs {
    from: Option<String>,
    to: Option<String>,
    mine: bool,
    company_id: Option<String>,
}

async fn calendar(app: &AppHandle, args: CalendarArgs) -> Result<CalendarView> {
    let query = CalendarQuery {
        from: args.from,
        to: args.to,
        company_id: args.company_id.filter(|c| !c.is_empty()),
        mine: args.mine,
    };
    let client = client(app)?;
    let calendar = client.calendar(&query).await?;
    Ok(CalendarView::new(calendar, &client.server().origin()))
}

/// The Preferences grid: every catalog type, then the other types the
/// server's matrix names or the stream has shown. Without the server's
/// matrix the local cells still show and `server_error` says why.
async fn preference_grid(app: &AppHandle) -> PreferenceGrid {
    let matrix = match client(app) {
        Ok(client) => client.preferences().await.map_err(AppError::from),
        Err(error) => Err(error),
    };
    let (matrix, server_error) = match matrix {
        Ok(prefs) => (prefs.preferences, None),
        Err(error) => (BTreeMap::new(), Some(error.to_string())),
    };
    let shared = app.shared();
    let local = lock(&shared.config).prefs.clone();
    let seen: Vec<EventType> = lock(&shared.seen_types).types().cloned().collect();
    PreferenceGrid::new(preferences::grid(&local, &matrix, &seen), server_error)
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ServerCell {
    channel: ServerChannel,
    event_type: String,
    on: bool,
}

/// Sets one server cell; the server may refuse a type it does not know.
async fn set_server_preference(app: &AppHandle, cell: ServerCell) -> Result<()> {
    let key = PreferenceKey::server(cell.channel, EventType::from_wire(&cell.event_type));
    client(app)?.set_preference(&key, cell.on).await?;
    Ok(())
}

/// Saves the local matrix (pop-up, sound, severities, quiet hours,
/// reminders) and hands it to the running engine.
async fn save_local_prefs(app: &AppHandle, prefs: LocalPrefs) -> Result<LocalPrefs> {
    {
        let shared = app.shared();
        let mut config = lock(&shared.config);
        config.prefs = prefs.clone();
        if let Some(paths) = shared.paths.as_ref().filter(|_| !shared.args.demo) {
            json_file::save(&paths.config_file, &*config)?;
        }
    }
    if let Some(controls) = app.controls() {
        controls.set_prefs(prefs.clone()).await;
    }
    Ok(prefs)
}

fn set_autostart(enabled: bool) -> Result<bool> {
    autostart::set(enabled).map_err(|e| AppError::Io(e.to_string()))?;
    Ok(autostart::enabled())
}

/// The longest pause the window may ask for: 7 days. Longer is a mistake,
/// and pausing until resumed is there for "for good".
const MAX_PAUSE_MINUTES: i64 = 7 * 24 * 60;

/// The engine action for a pause of `minutes` (1 to [`MAX_PAUSE_MINUTES`]),
/// or until resumed when `None`. A value out of range is refused with an
/// error for the caller; the app keeps running as it was.
fn pause_action(minutes: Option<i64>) -> Result<UserAction> {
    let Some(minutes) = minutes else {
        return Ok(UserAction::Pause { until: None });
    };
    u32::try_from(minutes)
        .ok()
        .filter(|m| (1..=MAX_PAUSE_MINUTES).contains(&i64::from(*m)))
        .map(|minutes| UserAction::PauseFor { minutes })
        .ok_or(AppError::PauseOutOfRange {
            minutes,
            max: MAX_PAUSE_MINUTES,
        })
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SignInArgs {
    server: String,
    token: String,
    others: Option<OtherTokens>,
    ca_file: Option<String>,
}

async fn sign_in(app: &AppHandle, args: SignInArgs) -> Result<SignedIn> {
    // The page handed over a plain String: wipe it when done.
    let token = Zeroizing::new(args.token);
    signin::sign_in(
        app,
        &args.server,
        &token,
        args.others,
        args.ca_file.as_deref(),
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every command the app dispatches has a generated permission
    /// (build.rs includes the same list) and is granted to the main window
    /// (the capability), and the window is granted nothing else but
    /// listening to events.
    #[test]
    fn the_commands_and_the_capability_name_the_same_commands() {
        let capability: serde_json::Value =
            serde_json::from_str(include_str!("../capabilities/default.json")).expect("JSON");
        assert_eq!(capability["windows"], serde_json::json!(["main"]));
        let mut granted: Vec<String> = capability["permissions"]
            .as_array()
            .expect("permissions")
            .iter()
            .map(|p| p.as_str().expect("a permission name").to_owned())
            .collect();
        let mut want: Vec<String> = COMMANDS
            .iter()
            .map(|c| format!("allow-{}", c.replace('_', "-")))
            .chain([
                "core:event:allow-listen".into(),
                "core:event:allow-unlisten".into(),
            ])
            .collect();
        granted.sort();
        want.sort();
        assert_eq!(granted, want);
    }

    #[test]
    fn pause_takes_one_minute_to_seven_days_or_until_resumed() {
        let refused = |m: i64| matches!(pause_action(Some(m)), Err(AppError::PauseOutOfRange { minutes, .. }) if minutes == m);
        for m in [
            i64::MIN,
            -1,
            0,
            MAX_PAUSE_MINUTES + 1,
            i64::from(u32::MAX),
            i64::MAX,
        ] {
            assert!(refused(m), "{m} minutes was accepted");
        }
        for m in [1, 60, MAX_PAUSE_MINUTES] {
            assert!(
                matches!(pause_action(Some(m)), Ok(UserAction::PauseFor { minutes }) if i64::from(minutes) == m),
                "{m} minutes was refused"
            );
        }
        assert!(matches!(
            pause_action(None),
            Ok(UserAction::Pause { until: None })
        ));
    }

    #[test]
    fn an_out_of_range_pause_reaches_javascript_as_a_message() {
        let error = pause_action(Some(0)).expect_err("zero minutes");
        let json = serde_json::to_string(&error).expect("serialises");
        assert!(json.contains("10080"), "{json}");
    }
}
