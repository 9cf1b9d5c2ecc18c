//! Reading what libsecret's own `secret-tool` (apt package
//! `libsecret-tools`) says the keyring holds, so keyring tests check the
//! Secret Service itself rather than the app's word for it.

use std::process::Output;

/// The arguments that list every item the app stored.
pub const SEARCH_ALL: [&str; 4] = ["search", "--all", "service", "pmap-companion"];

/// The origins (the `username` attribute) of the items in the output of
/// `secret-tool search --all ...`, sorted. secret-tool prints attributes on
/// stdout or stderr depending on its version, so both are read.
pub fn stored_origins(output: &Output) -> Vec<String> {
    let text = [output.stdout.as_slice(), output.stderr.as_slice()].concat();
    let mut origins: Vec<String> = String::from_utf8_lossy(&text)
        .lines()
        .filter_map(|line| line.strip_prefix("attribute.username = "))
        .map(str::to_owned)
        .collect();
    origins.sort();
    origins
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::process::ExitStatusExt;

    #[test]
    fn origins_are_read_from_either_stream_and_sorted() {
        let output = |stdout: &str, stderr: &str| Output {
            status: std::process::ExitStatus::from_raw(0),
            stdout: stdout.as_bytes().to_vec(),
            stderr: stderr.as_bytes().to_vec(),
        };
        let item = |origin: &str| {
            format!(
                "[/1]\nlabel = PMAP\nsecret = x\nattribute.service = pmap-companion\n\
                 attribute.username = {origin}\n"
            )
        };
        let b = item("https://b.example");
        let a = item("https://a.example");
        assert_eq!(
            stored_origins(&output(&b, &a)),
            ["https://a.example", "https://b.example"]
        );
        assert_eq!(stored_origins(&output("", "")), Vec::<String>::new());
    }
}
