//! The REST client against small real servers that misbehave.

mod common;

use common::{canned, response};
use companion_core::Error;
use companion_core::rest::{Client, ServerUrl, Token};

fn client(url: &str) -> Client {
    Client::new(
        ServerUrl::parse(url).expect("url"),
        Token::new("t").expect("token"),
    )
    .expect("client")
}

#[tokio::test]
async fn an_oversized_json_answer_is_refused_not_buffered() {
    let body = format!(
        "{{\"total\":1,\"unread\":1,\"pad\":\"{}\"}}",
        "x".repeat(9 << 20)
    );
    let (url, _) = canned(move |_| {
        Some(response(
            "200 OK",
            "content-type: application/json\r\n",
            &body,
        ))
    })
    .await;
    let error = client(&url).summary().await.expect_err("refused");
    assert!(
        matches!(&error, Error::BadResponse(m) if m.contains("larger than")),
        "{error}"
    );
}

#[tokio::test]
async fn garbage_json_is_a_bad_response_and_json_errors_are_mapped() {
    let (url, _) = canned(|_| {
        Some(response(
            "200 OK",
            "content-type: application/json\r\n",
            "{\"total\":",
        ))
    })
    .await;
    assert!(matches!(
        client(&url).summary().await,
        Err(Error::BadResponse(_))
    ));

    let body = r#"{"error":"invalid","message":"unknown event type \"nope\""}"#;
    let (url, _) = canned(move |_| {
        Some(response(
            "422 Unprocessable Entity",
            "content-type: application/json\r\n",
            body,
        ))
    })
    .await;
    let error = client(&url).preferences().await.expect_err("422");
    assert!(
        matches!(&error, Error::Rejected { status: 422, code, .. } if code == "invalid"),
        "{error:?}"
    );
    assert!(error.to_string().contains("unknown event type"), "{error}");
}

#[tokio::test]
async fn a_redirect_is_not_followed_so_the_token_stays_on_the_server() {
    let (elsewhere, hits) = canned(|_| {
        Some(response(
            "200 OK",
            "content-type: application/json\r\n",
            "{\"total\":0,\"unread\":0}",
        ))
    })
    .await;
    let location = format!("location: {elsewhere}/api/v1/notifications/summary\r\n");
    let (url, _) = canned(move |_| Some(response("302 Found", &location, ""))).await;
    let error = client(&url)
        .summary()
        .await
        .expect_err("a redirect is an error here");
    assert!(
        matches!(error, Error::Rejected { status: 302, .. }),
        "{error:?}"
    );
    assert_eq!(
        hits.load(std::sync::atomic::Ordering::SeqCst),
        0,
        "the other host never heard from us"
    );
}
