//! `PMAP_TOKEN`, for headless runs and tests, moved out of the environment
//! the moment the process starts. A variable left there is inherited by
//! every program the app starts (xdg-open, the browser, WebKit's helpers)
//! and shown by `ps e` and `/proc/<pid>/environ`; moved into memory, it
//! reaches only the configured server.

use std::ffi::CStr;
use std::sync::OnceLock;

use secrecy::zeroize::{Zeroize, Zeroizing};

use crate::rest::Token;

/// The environment variable that carries a token for headless use.
pub const TOKEN_ENV: &str = "PMAP_TOKEN";
const TOKEN_ENV_C: &CStr = c"PMAP_TOKEN";

static TAKEN: OnceLock<Option<Token>> = OnceLock::new();

/// Moves `PMAP_TOKEN` from the environment into memory: its value is
/// overwritten where the process's initial environment keeps it, then the
/// variable is removed, so no child inherits it. Each binary calls this
/// first thing in `main`, while the process has one thread.
#[allow(unsafe_code)]
pub fn take_token_from_env() {
    let Some(value) = std::env::var_os(TOKEN_ENV) else {
        let _ = TAKEN.set(None);
        return;
    };
    // SAFETY: `main` calls this before it starts any thread or library that
    // could read or change the environment concurrently. `getenv` points at
    // the value's NUL-terminated bytes, which stay valid and writable until
    // the variable is removed, right after they are overwritten.
    unsafe {
        let current = libc::getenv(TOKEN_ENV_C.as_ptr());
        if !current.is_null() {
            std::ptr::write_bytes(current, 0, libc::strlen(current));
        }
        std::env::remove_var(TOKEN_ENV);
    }
    let mut bytes = value.into_encoded_bytes();
    let token = std::str::from_utf8(&bytes).ok().and_then(Token::new);
    bytes.zeroize();
    let _ = TAKEN.set(token);
}

/// The token the environment carried. A process that never called
/// [`take_token_from_env`] (a library user, a unit test) reads the variable
/// and leaves it in place.
pub(crate) fn env_token() -> Option<Token> {
    match TAKEN.get() {
        Some(taken) => taken.clone(),
        None => std::env::var(TOKEN_ENV)
            .ok()
            .map(Zeroizing::new)
            .and_then(|raw| Token::new(&raw)),
    }
}
