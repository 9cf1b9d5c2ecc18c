//! Whether a proxy carries the connection to the server: decided once per
//! client, by a pure function of the server URL, the configured proxy and
//! the standard variables, so the rules are testable and `doctor` can say
//! which one applied.
//!
//! The rules, in order:
//! 1. Loopback servers are reached directly, always.
//! 2. A host `NO_PROXY` / `no_proxy` names is reached directly.
//! 3. The config's `proxy`, else `HTTPS_PROXY` (for https) or `HTTP_PROXY`
//!    (for http), else `ALL_PROXY`; lower-case spellings are read first.
//! 4. Only `http://` and `https://` proxies are used (a bare `host:port`
//!    means `http://`).
//! 5. Through a proxy only https servers are reached, in a CONNECT tunnel,
//!    so the proxy never sees the token. A plain-http server behind a proxy
//!    is refused rather than sent the token in clear (the server URL rules
//!    allow plain http only on loopback, which rule 1 already keeps direct).

use std::fmt;
use std::net::IpAddr;

use reqwest::Url;

use crate::error::{Error, Result};

/// The variables read, most specific first.
const HTTPS_VARS: [&str; 4] = ["https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"];
const HTTP_VARS: [&str; 4] = ["http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"];
const NO_PROXY_VARS: [&str; 2] = ["no_proxy", "NO_PROXY"];

/// How the client reaches the server.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    /// Straight to the server; the text says why.
    Direct(String),
    /// Through `proxy`, in a CONNECT tunnel.
    Proxy { proxy: Url, source: ProxySource },
}

/// Where the proxy setting came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProxySource {
    Config,
    Environment(&'static str),
}

impl fmt::Display for Route {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Route::Direct(why) => write!(f, "direct ({why})"),
            Route::Proxy { proxy, source } => {
                let from = match source {
                    ProxySource::Config => "proxy in the config".to_owned(),
                    ProxySource::Environment(name) => name.to_string(),
                };
                write!(f, "{} (from {from}, CONNECT tunnel)", shown(proxy))
            }
        }
    }
}

/// A snapshot of the proxy variables (tests build their own).
#[derive(Clone, Debug, Default)]
pub struct ProxyEnv {
    vars: Vec<(&'static str, String)>,
}

impl ProxyEnv {
    pub fn from_env() -> ProxyEnv {
        ProxyEnv::from_lookup(|name| std::env::var(name).ok())
    }

    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> ProxyEnv {
        let names = HTTPS_VARS.iter().chain(&HTTP_VARS).chain(&NO_PROXY_VARS);
        let mut vars: Vec<(&'static str, String)> = Vec::new();
        for name in names {
            if vars.iter().any(|(n, _)| n == name) {
                continue;
            }
            if let Some(value) = lookup(name).filter(|v| !v.trim().is_empty()) {
                vars.push((name, value.trim().to_owned()));
            }
        }
        ProxyEnv { vars }
    }

    fn first(&self, names: &[&'static str]) -> Option<(&'static str, &str)> {
        names.iter().find_map(|name| {
            self.vars
                .iter()
                .find(|(n, _)| n == name)
                .map(|(n, v)| (*n, v.as_str()))
        })
    }
}

/// Decides the route to `server` (see the module docs for the rules).
pub fn route(server: &Url, configured: Option<&str>, env: &ProxyEnv) -> Result<Route> {
    let host = server.host_str().unwrap_or_default();
    if is_loopback(server) {
        return Ok(Route::Direct("loopback is never proxied".into()));
    }
    if let Some((name, list)) = env.first(&NO_PROXY_VARS)
        && let Some(entry) = no_proxy_match(list, host)
    {
        return Ok(Route::Direct(format!("{name} lists {entry}")));
    }
    let vars: &[&'static str] = if server.scheme() == "https" {
        &HTTPS_VARS
    } else {
        &HTTP_VARS
    };
    let (raw, source) = match configured.map(str::trim).filter(|p| !p.is_empty()) {
        Some(raw) => (raw, ProxySource::Config),
        None => match env.first(vars) {
            Some((name, raw)) => (raw, ProxySource::Environment(name)),
            None => return Ok(Route::Direct("no proxy is configured".into())),
        },
    };
    let proxy = parse_proxy(raw)?;
    if server.scheme() != "https" {
        return Err(Error::Proxy {
            proxy: shown(&proxy),
            reason: format!(
                "{} would carry the token in clear to {}: only https servers are \
                 reached through a proxy",
                shown(&proxy),
                server.origin().ascii_serialization()
            ),
        });
    }
    Ok(Route::Proxy { proxy, source })
}

fn parse_proxy(raw: &str) -> Result<Url> {
    let with_scheme = if raw.contains("://") {
        raw.to_owned()
    } else {
        format!("http://{raw}")
    };
    let refuse = |reason: &str| Error::Proxy {
        proxy: Url::parse(&with_scheme)
            .map(|u| shown(&u))
            .unwrap_or_else(|_| "(unreadable)".into()),
        reason: reason.to_owned(),
    };
    let url = Url::parse(&with_scheme).map_err(|e| refuse(&e.to_string()))?;
    match url.scheme() {
        "http" | "https" if url.host_str().is_some() => Ok(url),
        "http" | "https" => Err(refuse("the proxy URL has no host")),
        _ => Err(refuse(
            "only http:// and https:// proxies are supported (not SOCKS)",
        )),
    }
}

/// The proxy without its password, for messages and logs.
pub fn shown(proxy: &Url) -> String {
    let mut shown = proxy.clone();
    if shown.password().is_some() {
        let _ = shown.set_password(Some("***"));
    }
    shown.as_str().trim_end_matches('/').to_owned()
}

/// The `NO_PROXY` entry that covers `host`, if any: `*`, an exact host, a
/// domain suffix (`example.com` and `.example.com` both cover
/// `pmap.example.com`), an IP address, or a CIDR block.
fn no_proxy_match<'a>(list: &'a str, host: &str) -> Option<&'a str> {
    let host = host.trim_matches(['[', ']']).to_ascii_lowercase();
    let ip: Option<IpAddr> = host.parse().ok();
    list.split(',').map(str::trim).find(|entry| {
        if entry.is_empty() {
            return false;
        }
        if *entry == "*" {
            return true;
        }
        if let Some(block) = cidr(entry) {
            return ip.is_some_and(|ip| block.contains(ip));
        }
        if let Ok(exact) = entry.trim_matches(['[', ']']).parse::<IpAddr>() {
            return ip == Some(exact);
        }
        let domain = entry.trim_start_matches('*').trim_start_matches('.');
        let domain = domain
            .split(':')
            .next()
            .unwrap_or(domain)
            .to_ascii_lowercase();
        !domain.is_empty() && (host == domain || host.ends_with(&format!(".{domain}")))
    })
}

struct Cidr {
    network: IpAddr,
    bits: u32,
}

fn cidr(entry: &str) -> Option<Cidr> {
    let (address, bits) = entry.split_once('/')?;
    let network: IpAddr = address.parse().ok()?;
    let bits: u32 = bits.parse().ok()?;
    let max = if network.is_ipv4() { 32 } else { 128 };
    (bits <= max).then_some(Cidr { network, bits })
}

impl Cidr {
    fn contains(&self, ip: IpAddr) -> bool {
        let prefix = |a: u128, b: u128, width: u32| {
            let shift = width - self.bits;
            shift >= width || (a >> shift) == (b >> shift)
        };
        match (self.network, ip) {
            (IpAddr::V4(n), IpAddr::V4(i)) => prefix(u32::from(n).into(), u32::from(i).into(), 32),
            (IpAddr::V6(n), IpAddr::V6(i)) => prefix(n.into(), i.into(), 128),
            _ => false,
        }
    }
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

#[cfg(test)]
#[path = "proxy_tests.rs"]
mod tests;
