//! `doctor`: the checks a support engineer would ask a user to run, one
//! step at a time, each with a verdict and the reason: the proxy in use,
//! DNS, TCP (and the proxy's tunnel), TLS (the chain, and which trust
//! source vouched for it), `/api/v1/me`, and a few seconds of the stream.
//!
//! A failed step stops the ones that need it; they are reported as
//! skipped, so the first FAIL is the one to fix.

use std::net::SocketAddr;
use std::time::Duration;

use serde::Serialize;
use tokio::net::TcpStream;

use super::doctor_tls::handshake;
use super::proxy::{self, ProxyEnv, Route};
use super::{Network, TrustStore};
use crate::error::Error;
use crate::rest::{CONNECT_TIMEOUT, Client, ServerUrl, Token};
use crate::shell::StreamSettings;

/// One step's outcome.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Ok,
    Fail,
    /// Not run, because a step it needs failed.
    Skip,
}

/// One line of the report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Check {
    /// `proxy`, `dns`, `tcp`, `tls`, `me` or `stream`.
    pub step: &'static str,
    pub verdict: Verdict,
    /// What was found, or why it failed.
    pub detail: String,
}

/// What to check, and how long to listen to the stream.
pub struct Checkup {
    pub server: ServerUrl,
    pub network: Network,
    /// The token, or why there is none (`me` and `stream` fail saying so).
    pub token: Result<Token, String>,
    /// How long to listen to the stream (three seconds by default).
    pub listen: Duration,
    pub settings: StreamSettings,
}

/// Runs every step, telling `report` about each as soon as it is known.
pub async fn diagnose(checkup: Checkup, mut report: impl FnMut(&Check)) -> Vec<Check> {
    let mut checks = Vec::new();
    let mut note = |step: &'static str, verdict: Verdict, detail: String| {
        let check = Check {
            step,
            verdict,
            detail,
        };
        report(&check);
        checks.push(check);
    };
    let failed = connect_checks(&checkup, &mut note).await.err();
    let client = match (&failed, &checkup.token) {
        (Some(step), _) => Err(format!("not checked: the {step} step failed")),
        (None, Err(why)) => Err(why.clone()),
        (None, Ok(token)) => {
            Client::with_network(checkup.server.clone(), token.clone(), &checkup.network)
                .map_err(|e| e.to_string())
        }
    };
    let client = match client {
        Ok(client) => client,
        Err(why) => {
            let verdict = if failed.is_some() {
                Verdict::Skip
            } else {
                Verdict::Fail
            };
            note("me", verdict, why.clone());
            let why = match failed {
                Some(_) => why,
                None => "not checked: no identity".into(),
            };
            note("stream", Verdict::Skip, why);
            return checks;
        }
    };
    match client.me().await {
        Ok(me) => note(
            "me",
            Verdict::Ok,
            format!("{} <{}> ({})", me.name, me.email, me.role),
        ),
        Err(error) => {
            note("me", Verdict::Fail, error.to_string());
            note("stream", Verdict::Skip, "not checked: /me failed".into());
            return checks;
        }
    }
    let (verdict, detail) = super::doctor_stream::listen(client, &checkup).await;
    note("stream", verdict, detail);
    checks
}

/// proxy, dns, tcp and tls; `Err(step)` names the first that failed.
async fn connect_checks(
    checkup: &Checkup,
    note: &mut impl FnMut(&'static str, Verdict, String),
) -> Result<(), &'static str> {
    let url = checkup.server.url();
    let route = match proxy::route(url, checkup.network.proxy.as_deref(), &ProxyEnv::from_env()) {
        Ok(route) => route,
        Err(error) => {
            note("proxy", Verdict::Fail, error.to_string());
            return skip_from(note, &["dns", "tcp", "tls"], "proxy");
        }
    };
    note("proxy", Verdict::Ok, route.to_string());
    let host = url.host_str().unwrap_or_default().trim_matches(['[', ']']);
    let port = url.port_or_known_default().unwrap_or(443);
    let (dial_host, dial_port) = match &route {
        Route::Direct(_) => (host.to_owned(), port),
        Route::Proxy { proxy, .. } => (
            proxy.host_str().unwrap_or_default().to_owned(),
            proxy.port_or_known_default().unwrap_or(80),
        ),
    };
    let addrs = match tokio::net::lookup_host((dial_host.as_str(), dial_port)).await {
        Ok(addrs) => addrs.collect::<Vec<SocketAddr>>(),
        Err(error) => {
            note(
                "dns",
                Verdict::Fail,
                format!("cannot resolve {dial_host}: {error}"),
            );
            return skip_from(note, &["tcp", "tls"], "dns");
        }
    };
    let shown: Vec<String> = addrs.iter().map(|a| a.ip().to_string()).collect();
    let by_proxy = match route {
        Route::Proxy { .. } => " (the proxy resolves the server's name)",
        Route::Direct(_) => "",
    };
    note(
        "dns",
        Verdict::Ok,
        format!("{dial_host} → {}{by_proxy}", shown.join(", ")),
    );
    let socket = match dial(&addrs).await {
        Ok(socket) => socket,
        Err(error) => {
            note("tcp", Verdict::Fail, error);
            return skip_from(note, &["tls"], "tcp");
        }
    };
    let peer = socket
        .peer_addr()
        .map(|a| a.to_string())
        .unwrap_or_default();
    let socket = match &route {
        Route::Direct(_) => {
            note("tcp", Verdict::Ok, format!("connected to {peer}"));
            socket
        }
        Route::Proxy { proxy, .. } => {
            match super::doctor_tls::tunnel(socket, proxy, host, port).await {
                Ok(socket) => {
                    let detail =
                        format!("connected to the proxy at {peer}; it tunnels to {host}:{port}");
                    note("tcp", Verdict::Ok, detail);
                    socket
                }
                Err(error) => {
                    note(
                        "tcp",
                        Verdict::Fail,
                        format!("connected to the proxy at {peer}, but {error}"),
                    );
                    return skip_from(note, &["tls"], "tcp");
                }
            }
        }
    };
    if url.scheme() != "https" {
        note(
            "tls",
            Verdict::Ok,
            "not used: plain http on loopback".into(),
        );
        return Ok(());
    }
    let trust = match TrustStore::load(checkup.network.ca_file.as_deref()) {
        Ok(trust) => trust,
        Err(error) => {
            note("tls", Verdict::Fail, error.to_string());
            return Err("tls");
        }
    };
    match handshake(socket, host, &trust).await {
        Ok(detail) => {
            note("tls", Verdict::Ok, detail);
            Ok(())
        }
        Err(error) => {
            let error = match error {
                Error::UntrustedCertificate { certificate, .. } => Error::UntrustedCertificate {
                    server: checkup.server.to_string(),
                    certificate,
                },
                other => other,
            };
            note("tls", Verdict::Fail, error.to_string());
            Err("tls")
        }
    }
}

fn skip_from(
    note: &mut impl FnMut(&'static str, Verdict, String),
    steps: &[&'static str],
    failed: &'static str,
) -> Result<(), &'static str> {
    for step in steps {
        note(
            step,
            Verdict::Skip,
            format!("not checked: the {failed} step failed"),
        );
    }
    Err(failed)
}

async fn dial(addrs: &[SocketAddr]) -> Result<TcpStream, String> {
    let mut last = "no address to connect to".to_owned();
    for addr in addrs {
        match tokio::time::timeout(CONNECT_TIMEOUT, TcpStream::connect(addr)).await {
            Ok(Ok(socket)) => return Ok(socket),
            Ok(Err(error)) => last = format!("cannot connect to {addr}: {error}"),
            Err(_) => {
                last = format!(
                    "cannot connect to {addr}: no answer within {} s",
                    CONNECT_TIMEOUT.as_secs()
                )
            }
        }
    }
    Err(last)
}
