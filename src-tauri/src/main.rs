//! The `pmap-companion` binary: everything lives in the library, which
//! builds and runs the tray app (see its crate doc for the layout).

fn main() -> std::process::ExitCode {
    pmap_companion_lib::run()
}
