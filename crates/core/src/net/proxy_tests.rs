use super::*;

fn env(pairs: &[(&str, &str)]) -> ProxyEnv {
    let pairs: Vec<(String, String)> = pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    ProxyEnv::from_lookup(|name| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    })
}

fn url(raw: &str) -> Url {
    Url::parse(raw).expect("url")
}

fn proxied(route: &Route) -> Option<String> {
    match route {
        Route::Proxy { proxy, .. } => Some(proxy.to_string()),
        Route::Direct(_) => None,
    }
}

#[test]
fn loopback_is_never_proxied_whatever_is_configured() {
    let everything = env(&[
        ("HTTP_PROXY", "http://proxy:3128"),
        ("HTTPS_PROXY", "http://proxy:3128"),
        ("ALL_PROXY", "http://proxy:3128"),
    ]);
    for server in [
        "http://127.0.0.1:8080",
        "https://127.0.0.1:8443",
        "http://localhost:1",
        "http://[::1]:9",
        "http://127.9.9.9:1",
    ] {
        let route = route(&url(server), Some("http://proxy:3128"), &everything).expect(server);
        assert_eq!(proxied(&route), None, "{server}: {route}");
    }
}

#[test]
fn the_variable_for_the_scheme_wins_over_all_proxy_and_config_over_both() {
    let server = url("https://pmap.example.com");
    type Vars<'a> = &'a [(&'a str, &'a str)];
    let cases: &[(Vars, Option<&str>, Option<&str>)] = &[
        (&[], None, None),
        (
            &[("ALL_PROXY", "http://all:1")],
            None,
            Some("http://all:1/"),
        ),
        (
            &[
                ("ALL_PROXY", "http://all:1"),
                ("HTTPS_PROXY", "http://tls:2"),
            ],
            None,
            Some("http://tls:2/"),
        ),
        (
            &[
                ("HTTPS_PROXY", "http://upper:2"),
                ("https_proxy", "http://lower:3"),
            ],
            None,
            Some("http://lower:3/"),
        ),
        // HTTP_PROXY is for http servers only.
        (&[("HTTP_PROXY", "http://plain:4")], None, None),
        (
            &[("HTTPS_PROXY", "http://tls:2")],
            Some("proxy.corp:3128"),
            Some("http://proxy.corp:3128/"),
        ),
    ];
    for (vars, configured, want) in cases {
        let got = route(&server, *configured, &env(vars)).expect("route");
        assert_eq!(proxied(&got).as_deref(), *want, "{vars:?} {configured:?}");
    }
}

#[test]
fn no_proxy_covers_hosts_domains_addresses_and_blocks() {
    let cases = [
        ("pmap.example.com", "example.com", true),
        ("pmap.example.com", ".example.com", true),
        ("pmap.example.com", "*.example.com", true),
        ("example.com", ".example.com", true),
        ("notexample.com", "example.com", false),
        ("pmap.example.com", "other.org, pmap.example.com:443", true),
        ("PMAP.Example.COM", "pmap.example.com", true),
        ("10.1.2.3", "10.0.0.0/8", true),
        ("11.1.2.3", "10.0.0.0/8", false),
        ("10.1.2.3", "10.1.2.3", true),
        ("[fd00::1]", "fd00::/8", true),
        ("anything.org", "*", true),
        ("anything.org", "", false),
    ];
    for (host, list, want) in cases {
        assert_eq!(
            no_proxy_match(list, host).is_some(),
            want,
            "{host} against {list:?}"
        );
    }
    let server = url("https://pmap.example.com");
    let vars = env(&[
        ("HTTPS_PROXY", "http://proxy:3128"),
        ("NO_PROXY", "example.com"),
    ]);
    let got = route(&server, Some("http://configured:1"), &vars).expect("route");
    assert_eq!(proxied(&got), None, "NO_PROXY applies to the config too");
}

#[test]
fn a_plain_http_server_is_never_sent_through_a_proxy() {
    let vars = env(&[("HTTP_PROXY", "http://proxy:3128")]);
    let error = route(&url("http://pmap.example.com"), None, &vars).expect_err("refused");
    assert!(matches!(error, Error::Proxy { .. }), "{error}");
    assert!(error.to_string().contains("in clear"), "{error}");
    assert!(route(&url("http://pmap.example.com"), None, &env(&[])).is_ok());
}

#[test]
fn only_http_and_https_proxies_are_used_and_passwords_are_not_shown() {
    let server = url("https://pmap.example.com");
    let error = route(&server, Some("socks5://proxy:1080"), &env(&[])).expect_err("socks");
    assert!(error.to_string().contains("SOCKS"), "{error}");
    let route = route(&server, Some("http://ana:s3cret@proxy:3128"), &env(&[])).expect("ok");
    let shown = route.to_string();
    assert!(!shown.contains("s3cret"), "{shown}");
    assert!(shown.contains("proxy:3128"), "{shown}");
}
