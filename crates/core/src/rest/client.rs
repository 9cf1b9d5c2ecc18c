//! The REST client: one method per PROTOCOL.md endpoint, with timeouts, the
//! bearer header on every request, and JSON errors mapped onto [`Error`].

use std::time::Duration;

use reqwest::{Method, RequestBuilder, Response, StatusCode, header};
use serde::de::DeserializeOwned;

use super::models::*;
use super::server::{ServerUrl, Token};
use crate::error::{Error, Result};
use crate::net::{Network, ProxyEnv, Route, TrustStore, proxy, verifier};
use crate::preferences::PreferenceKey;

/// Every REST call, connection included, gives up after this long.
pub const REST_TIMEOUT: Duration = Duration::from_secs(15);
/// Establishing a TCP connection (to the server or the proxy).
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

const USER_AGENT: &str = concat!("pmap-companion/", env!("CARGO_PKG_VERSION"));

/// A signed-in connection to one server.
#[derive(Clone, Debug)]
pub struct Client {
    rest: reqwest::Client,
    stream: reqwest::Client,
    server: ServerUrl,
    token: Token,
    trust: TrustStore,
    route: Route,
}

impl Client {
    /// With the default network settings: the system trust store (or
    /// `SSL_CERT_FILE`), proxies from the environment.
    pub fn new(server: ServerUrl, token: Token) -> Result<Client> {
        Client::with_network(server, token, &Network::default())
    }

    /// With the user's network settings: a company CA file, a proxy.
    pub fn with_network(server: ServerUrl, token: Token, network: &Network) -> Result<Client> {
        let trust = TrustStore::load(network.ca_file.as_deref())?;
        let route = proxy::route(
            server.url(),
            network.proxy.as_deref(),
            &ProxyEnv::from_env(),
        )?;
        let tls = trust.client_config();
        let build = |timeout: Option<Duration>| {
            let mut builder = reqwest::Client::builder()
                .user_agent(USER_AGENT)
                .connect_timeout(CONNECT_TIMEOUT)
                .use_preconfigured_tls(tls.clone())
                // The route below is the only proxy: reqwest's own reading
                // of the environment would also proxy loopback.
                .no_proxy()
                // Redirects could carry the bearer header elsewhere.
                .redirect(reqwest::redirect::Policy::none());
            if let Route::Proxy { proxy, .. } = &route {
                let proxy = reqwest::Proxy::all(proxy.as_str()).map_err(|e| Error::Proxy {
                    proxy: crate::net::proxy::shown(proxy),
                    reason: e.to_string(),
                })?;
                builder = builder.proxy(proxy);
            }
            if let Some(timeout) = timeout {
                builder = builder.timeout(timeout);
            }
            builder.build().map_err(|e| Error::Network {
                server: server.to_string(),
                reason: e.to_string(),
            })
        };
        Ok(Client {
            rest: build(Some(REST_TIMEOUT))?,
            stream: build(None)?,
            server,
            token,
            trust,
            route,
        })
    }

    pub fn server(&self) -> &ServerUrl {
        &self.server
    }

    /// Whether a proxy carries this client's connections, and why.
    pub fn route(&self) -> &Route {
        &self.route
    }

    /// The certificates this client trusts, by source.
    pub fn trust(&self) -> &TrustStore {
        &self.trust
    }

    pub async fn me(&self) -> Result<Me> {
        self.get_json(&["api", "v1", "me"], &[]).await
    }

    pub async fn summary(&self) -> Result<Summary> {
        self.get_json(&["api", "v1", "notifications", "summary"], &[])
            .await
    }

    pub async fn inbox(&self, query: &InboxQuery) -> Result<InboxPage> {
        let mut params = Vec::new();
        if let Some(limit) = query.limit {
            params.push(("limit", limit.to_string()));
        }
        if let Some(cursor) = &query.cursor {
            params.push(("cursor", cursor.clone()));
        }
        if let Some(read) = query.read {
            params.push(("read", read.to_string()));
        }
        if let Some(event_type) = &query.event_type {
            params.push(("event_type", event_type.clone()));
        }
        self.get_json(&["api", "v1", "notifications"], &params)
            .await
    }

    pub async fn mark_read(&self, id: &str) -> Result<()> {
        let request = self.request(Method::POST, &["api", "v1", "notifications", id, "read"]);
        check(self.send(request).await?).await.map(drop)
    }

    pub async fn read_all(&self) -> Result<ReadAll> {
        let request = self.request(Method::POST, &["api", "v1", "notifications", "read-all"]);
        json(self.send(request).await?).await
    }

    pub async fn preferences(&self) -> Result<Preferences> {
        self.get_json(&["api", "v1", "notifications", "preferences"], &[])
            .await
    }

    pub async fn put_preferences(&self, prefs: &Preferences) -> Result<Preferences> {
        let request = self
            .request(Method::PUT, &["api", "v1", "notifications", "preferences"])
            .json(prefs);
        json(self.send(request).await?).await
    }

    /// Sets one key of the caller's server matrix. The API only replaces
    /// the whole matrix, so this reads it, changes the key and writes it
    /// back; the server answers 422 for a key it does not accept (an event
    /// type it does not know), and nothing is stored then.
    pub async fn set_preference(&self, key: &PreferenceKey, on: bool) -> Result<Preferences> {
        let mut prefs = self.preferences().await?;
        prefs.preferences.insert(key.to_string(), on);
        self.put_preferences(&prefs).await
    }

    pub async fn calendar(&self, query: &CalendarQuery) -> Result<Calendar> {
        let mut params = Vec::new();
        for (key, value) in [
            ("from", &query.from),
            ("to", &query.to),
            ("company_id", &query.company_id),
        ] {
            if let Some(value) = value {
                params.push((key, value.clone()));
            }
        }
        if query.mine {
            params.push(("mine", "true".to_owned()));
        }
        self.get_json(&["api", "v1", "calendar"], &params).await
    }

    /// Opens the event stream (header auth, never the query parameter).
    /// The caller inspects status and content type.
    pub(crate) async fn open_stream(&self) -> Result<Response> {
        self.send(self.stream_request()).await
    }

    fn stream_request(&self) -> RequestBuilder {
        self.stream
            .get(self.server.endpoint(&["api", "v1", "events"]))
            .header(header::AUTHORIZATION, self.token.bearer())
            .header(header::ACCEPT, "text/event-stream")
            .header(header::CACHE_CONTROL, "no-cache")
    }

    async fn get_json<T: DeserializeOwned>(
        &self,
        path: &[&str],
        params: &[(&str, String)],
    ) -> Result<T> {
        let request = self.request(Method::GET, path).query(params);
        json(self.send(request).await?).await
    }

    fn request(&self, method: Method, path: &[&str]) -> RequestBuilder {
        self.rest
            .request(method, self.server.endpoint(path))
            .header(header::AUTHORIZATION, self.token.bearer())
            .header(header::ACCEPT, "application/json")
    }

    async fn send(&self, request: RequestBuilder) -> Result<Response> {
        request
            .send()
            .await
            .map_err(|e| network_error(&self.server, e))
    }
}

/// A failed request as an [`Error`]: a refused certificate gets its own,
/// explained, error; anything else is a network failure.
fn network_error(server: &ServerUrl, error: reqwest::Error) -> Error {
    if let Some(certificate) = verifier::find_untrusted(&error) {
        return Error::UntrustedCertificate {
            server: server.to_string(),
            certificate,
        };
    }
    Error::Network {
        server: server.to_string(),
        // Without the URL: it is the server's, but keep messages short.
        reason: describe(&error.without_url()),
    }
}

fn describe(error: &reqwest::Error) -> String {
    use std::error::Error as _;
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// REST answers are pages of at most 100 rows; anything near this is a
/// broken or hostile server, and is refused rather than buffered.
const MAX_JSON_BODY: usize = 8 << 20;

async fn json<T: DeserializeOwned>(response: Response) -> Result<T> {
    let mut response = check(response).await?;
    let server = response.url().origin().ascii_serialization();
    let mut body = Vec::new();
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) if body.len() + chunk.len() > MAX_JSON_BODY => {
                return Err(Error::BadResponse(format!(
                    "the response is larger than {} MiB",
                    MAX_JSON_BODY >> 20
                )));
            }
            Ok(Some(chunk)) => body.extend_from_slice(&chunk),
            Ok(None) => break,
            // A body cut off mid-way is a network failure (transient), not bad JSON.
            Err(e) => {
                let reason = describe(&e.without_url());
                return Err(Error::Network { server, reason });
            }
        }
    }
    serde_json::from_slice(&body).map_err(|e| Error::BadResponse(e.to_string()))
}

/// Maps a non-success status and its JSON error body onto [`Error`].
async fn check(response: Response) -> Result<Response> {
    let status = response.status();
    if status.is_success() {
        return Ok(response);
    }
    let retry_after = retry_after(&response);
    // Error bodies are small; cap what we read from a misbehaving server.
    let body = read_capped(response, 16 * 1024).await;
    let api: ApiError = serde_json::from_slice(&body).unwrap_or_default();
    Err(match status {
        StatusCode::UNAUTHORIZED => Error::Unauthorized,
        StatusCode::FORBIDDEN => Error::Forbidden(api.message),
        StatusCode::NOT_FOUND => Error::NotFound(api.message),
        StatusCode::TOO_MANY_REQUESTS | StatusCode::SERVICE_UNAVAILABLE => Error::Unavailable {
            status: status.as_u16(),
            retry_after,
        },
        s if s.is_server_error() => Error::Unavailable {
            status: s.as_u16(),
            retry_after,
        },
        s => Error::Rejected {
            status: s.as_u16(),
            code: api.error,
            message: api.message,
        },
    })
}

/// `Retry-After` in seconds (the HTTP-date form is rare for APIs; ignored).
pub(crate) fn retry_after(response: &Response) -> Option<u64> {
    response
        .headers()
        .get(header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim()
        .parse()
        .ok()
}

async fn read_capped(mut response: Response, cap: usize) -> Vec<u8> {
    let mut body = Vec::new();
    while let Ok(Some(chunk)) = response.chunk().await {
        body.extend_from_slice(&chunk[..chunk.len().min(cap - body.len())]);
        if body.len() >= cap {
            break;
        }
    }
    body
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client() -> Client {
        let server = ServerUrl::parse("https://pmap.example.com").expect("server URL");
        Client::new(server, Token::new("s3cret-token").expect("token")).expect("client")
    }

    #[test]
    fn rest_and_stream_requests_carry_a_sensitive_bearer_that_debug_hides() {
        let client = client();
        let requests = [
            client.request(Method::GET, &["api", "v1", "me"]),
            client.stream_request(),
        ];
        for request in requests {
            let request = request.build().expect("request");
            let bearer = &request.headers()[header::AUTHORIZATION];
            assert_eq!(bearer, "Bearer s3cret-token");
            assert!(
                bearer.is_sensitive(),
                "{} {}",
                request.method(),
                request.url()
            );
            let shown = format!("{request:?}");
            assert!(!shown.contains("s3cret"), "{shown}");
        }
        let shown = format!("{client:?}");
        assert!(!shown.contains("s3cret"), "{shown}");
    }
}
