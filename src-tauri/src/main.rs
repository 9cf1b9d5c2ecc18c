//! PMAP Companion tray app. The Tauri 2 shell lands with the tray-app issue;
//! until then this binary only reports that it is not built yet.

fn main() {
    eprintln!("pmap-companion: the tray app is not built yet; use `make demo` (pmap-cli watch)");
    std::process::exit(2);
}
