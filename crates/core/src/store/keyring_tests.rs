//! The token store's rules on fake secret stores: a missing entry, a
//! refusing keyring, and one that never answers (under tokio's paused
//! clock, so the 10 s patience passes without anyone waiting for it).

use std::collections::HashMap;
use std::sync::Mutex;

use super::*;

fn server() -> ServerUrl {
    ServerUrl::parse("https://pmap.example.com").expect("server URL")
}

fn token(secret: &str) -> Token {
    Token::new(secret).expect("token")
}

/// An unlocked keyring in memory.
#[derive(Default)]
struct Memory(Mutex<HashMap<String, String>>);

impl Secrets for Memory {
    fn get(&self, account: &str) -> keyring::Result<Zeroizing<String>> {
        let secrets = self.0.lock().expect("lock");
        secrets
            .get(account)
            .cloned()
            .map(Zeroizing::new)
            .ok_or(keyring::Error::NoEntry)
    }

    fn set(&self, account: &str, secret: &str) -> keyring::Result<()> {
        let mut secrets = self.0.lock().expect("lock");
        secrets.insert(account.to_owned(), secret.to_owned());
        Ok(())
    }

    fn delete(&self, account: &str) -> keyring::Result<()> {
        let mut secrets = self.0.lock().expect("lock");
        secrets
            .remove(account)
            .map(drop)
            .ok_or(keyring::Error::NoEntry)
    }

    fn accounts(&self) -> keyring::Result<Vec<String>> {
        Ok(self.0.lock().expect("lock").keys().cloned().collect())
    }
}

/// A locked keyring waiting on an unlock prompt no one will answer.
struct NeverAnswers;

impl NeverAnswers {
    fn wait() -> ! {
        loop {
            std::thread::park();
        }
    }
}

impl Secrets for NeverAnswers {
    fn get(&self, _: &str) -> keyring::Result<Zeroizing<String>> {
        Self::wait()
    }
    fn set(&self, _: &str, _: &str) -> keyring::Result<()> {
        Self::wait()
    }
    fn delete(&self, _: &str) -> keyring::Result<()> {
        Self::wait()
    }
    fn accounts(&self) -> keyring::Result<Vec<String>> {
        Self::wait()
    }
}

/// A keyring that refuses every call: no Secret Service on the bus.
struct Refuses;

impl Secrets for Refuses {
    fn get(&self, _: &str) -> keyring::Result<Zeroizing<String>> {
        Err(keyring::Error::NoStorageAccess("no secret service".into()))
    }
    fn set(&self, _: &str, _: &str) -> keyring::Result<()> {
        Err(keyring::Error::NoStorageAccess("no secret service".into()))
    }
    fn delete(&self, _: &str) -> keyring::Result<()> {
        Err(keyring::Error::NoStorageAccess("no secret service".into()))
    }
    fn accounts(&self) -> keyring::Result<Vec<String>> {
        Err(keyring::Error::NoStorageAccess("no secret service".into()))
    }
}

#[tokio::test]
async fn a_token_round_trips_under_the_server_origin() {
    let memory = Arc::new(Memory::default());
    let store = TokenStore::new(memory.clone(), KEYRING_PATIENCE);
    store.save(&server(), &token("s3cret")).await.expect("save");
    assert_eq!(
        *memory.get("https://pmap.example.com").expect("entry"),
        "s3cret"
    );
    let loaded = store.load(&server()).await.expect("load");
    assert_eq!(loaded.expose(), "s3cret");
    assert!(store.delete(&server()).await.expect("delete"));
}

#[tokio::test]
async fn delete_all_removes_the_token_of_every_server() {
    let memory = Arc::new(Memory::default());
    let store = TokenStore::new(memory.clone(), KEYRING_PATIENCE);
    let other = ServerUrl::parse("https://other.example:8443/").expect("server URL");
    store.save(&other, &token("two")).await.expect("save");
    store.save(&server(), &token("one")).await.expect("save");
    let both = vec![
        "https://other.example:8443".to_owned(),
        "https://pmap.example.com".to_owned(),
    ];
    assert_eq!(store.accounts().await.expect("accounts"), both);
    assert_eq!(store.delete_all().await.expect("delete all"), both);
    assert_eq!(
        store.accounts().await.expect("accounts"),
        Vec::<String>::new()
    );
    assert!(store.delete_all().await.expect("again").is_empty());
}

/// `None`: the sign-in needs the user's choice first.
type Forget = Option<Vec<String>>;

#[test]
fn signing_in_beside_another_servers_token_needs_a_choice() {
    let here = server().origin();
    let other = "https://other.example".to_owned();
    let both = vec![here.clone(), other.clone()];
    let cases: Vec<(Vec<String>, Option<OtherTokens>, Forget)> = vec![
        (vec![], None, Some(vec![])),
        (vec![here.clone()], None, Some(vec![])),
        (both.clone(), None, None),
        (vec![other.clone()], None, None),
        (both.clone(), Some(OtherTokens::Keep), Some(vec![])),
        (
            both.clone(),
            Some(OtherTokens::Forget),
            Some(vec![other.clone()]),
        ),
    ];
    for (stored, choice, want) in cases {
        match (others_to_forget(&stored, &server(), choice), want) {
            (Ok(got), Some(want)) => assert_eq!(got, want, "{stored:?} {choice:?}"),
            (Err(Error::OtherTokensStored(named)), None) => {
                assert_eq!(named, vec![other.clone()], "{stored:?}");
            }
            (got, want) => panic!("{stored:?} {choice:?}: got {got:?}, want {want:?}"),
        }
    }
}

#[tokio::test]
async fn no_entry_means_no_token_and_nothing_to_delete() {
    let store = TokenStore::new(Arc::new(Memory::default()), KEYRING_PATIENCE);
    let loaded = store.load(&server()).await;
    assert!(matches!(loaded, Err(Error::NoToken)), "{loaded:?}");
    let deleted = store.delete(&server()).await;
    assert!(matches!(deleted, Ok(false)), "{deleted:?}");
}

#[tokio::test]
async fn a_refusing_keyring_is_an_error_not_a_missing_token() {
    let store = TokenStore::new(Arc::new(Refuses), KEYRING_PATIENCE);
    let loaded = store.load(&server()).await;
    assert!(matches!(loaded, Err(Error::Keyring(_))), "{loaded:?}");
    let deleted = store.delete(&server()).await;
    assert!(matches!(deleted, Err(Error::Keyring(_))), "{deleted:?}");
    let saved = store.save(&server(), &token("t")).await;
    let message = saved.expect_err("refused").to_string();
    assert!(message.contains("locked or not running"), "{message}");
}

/// `within`'s patience (30 s) is longer than the keyring's (10 s); both run
/// on the paused clock, so whichever is shorter fires first, on any machine.
#[tokio::test(start_paused = true)]
async fn a_keyring_that_never_answers_is_given_up_after_ten_seconds() {
    let store = TokenStore::new(Arc::new(NeverAnswers), KEYRING_PATIENCE);
    let started = tokio::time::Instant::now();
    let calls = [
        (
            "load",
            pmap_testkit::within("load", store.load(&server()))
                .await
                .map(drop),
        ),
        (
            "save",
            pmap_testkit::within("save", store.save(&server(), &token("t"))).await,
        ),
        (
            "delete",
            pmap_testkit::within("delete", store.delete(&server()))
                .await
                .map(drop),
        ),
    ];
    for (call, result) in calls {
        let error = result.expect_err(call);
        assert!(
            matches!(error, Error::KeyringTimeout(_)),
            "{call}: {error:?}"
        );
        assert_eq!(
            error.to_string(),
            "the keyring did not answer within 10 s: is it locked?",
            "{call}"
        );
    }
    assert!(started.elapsed() >= KEYRING_PATIENCE * 3);
}
