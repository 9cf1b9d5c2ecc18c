//! The files that integrate the packaged app with a desktop: the desktop
//! entry and the AppStream metainfo pass their validators, and they, the
//! Tauri bundle config and the app's own desktop id name the same things
//! (a drift here is a menu entry without an icon, a dock badge on no app,
//! or a software centre page for another version).

use std::path::{Path, PathBuf};
use std::process::Command;

use pmap_companion_lib::DESKTOP_ID;
use serde_json::Value;

/// The hicolor theme's standard sizes; the packages install each one.
const HICOLOR_SIZES: [u32; 8] = [16, 24, 32, 48, 64, 128, 256, 512];

fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn tauri_conf() -> Value {
    serde_json::from_str(&read(&manifest_dir().join("tauri.conf.json"))).expect("tauri.conf.json")
}

fn desktop_file() -> PathBuf {
    manifest_dir().join("packaging/pmap-companion.desktop")
}

fn metainfo_file() -> PathBuf {
    let id = tauri_conf()["identifier"]
        .as_str()
        .expect("identifier")
        .to_owned();
    manifest_dir().join(format!("packaging/{id}.metainfo.xml"))
}

/// Runs a validator, failing with its output (or how to install it).
fn validate(program: &str, args: &[&str], file: &Path, package: &str) {
    let output = Command::new(program)
        .args(args)
        .arg(file)
        .output()
        .unwrap_or_else(|e| panic!("run {program} (apt install {package}): {e}"));
    assert!(
        output.status.success(),
        "{program} rejects {}:\n{}{}",
        file.display(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// The value of `key` in the desktop entry's main group.
fn desktop_key(text: &str, key: &str) -> Option<String> {
    text.lines()
        .skip_while(|l| l.trim() != "[Desktop Entry]")
        .skip(1)
        .take_while(|l| !l.starts_with('['))
        .find_map(|l| l.strip_prefix(&format!("{key}=")))
        .map(str::to_owned)
}

/// The text of the first element `<tag ...>text</tag>` whose opening tag
/// starts with `open` (e.g. `<launchable type="desktop-id"`).
fn element(xml: &str, open: &str, tag: &str) -> Option<String> {
    let start = xml.find(open)?;
    let text = &xml[start..];
    let text = &text[text.find('>')? + 1..];
    Some(text[..text.find(&format!("</{tag}>"))?].trim().to_owned())
}

#[test]
fn the_desktop_entry_passes_desktop_file_validate() {
    validate(
        "desktop-file-validate",
        &[],
        &desktop_file(),
        "desktop-file-utils",
    );
}

#[test]
fn the_metainfo_passes_appstreamcli_validate() {
    validate(
        "appstreamcli",
        &["validate", "--no-net"],
        &metainfo_file(),
        "appstream",
    );
}

#[test]
fn the_identifier_is_reverse_dns_and_names_the_metainfo_component() {
    let conf = tauri_conf();
    let id = conf["identifier"].as_str().expect("identifier");
    let parts: Vec<&str> = id.split('.').collect();
    assert!(
        parts.len() >= 3 && parts.iter().all(|p| !p.is_empty()),
        "{id}"
    );
    assert!(!id.contains("example"), "a real identifier, not {id}");
    let metainfo = read(&metainfo_file());
    assert_eq!(element(&metainfo, "<id>", "id").as_deref(), Some(id));
}

#[test]
fn the_desktop_entry_is_the_one_the_app_names_and_starts_the_app() {
    let conf = tauri_conf();
    // Tauri installs the entry as `<productName>.desktop`.
    assert_eq!(conf["productName"], DESKTOP_ID);
    for format in ["deb", "rpm"] {
        assert_eq!(
            conf["bundle"]["linux"][format]["desktopTemplate"], "packaging/pmap-companion.desktop",
            "{format}"
        );
    }
    let entry = read(&desktop_file());
    assert!(
        !entry.contains("{{"),
        "the entry is used as is, not as a template"
    );
    for key in ["Exec", "Icon", "StartupWMClass"] {
        assert_eq!(
            desktop_key(&entry, key).as_deref(),
            Some(DESKTOP_ID),
            "{key}"
        );
    }
    let metainfo = read(&metainfo_file());
    assert_eq!(
        element(&metainfo, "<launchable type=\"desktop-id\"", "launchable"),
        Some(format!("{DESKTOP_ID}.desktop"))
    );
}

/// The tray loads libayatana-appindicator at run time, so no linker sees
/// it; the tauri CLI would add it for the `tray-icon` feature, but cannot
/// see features inherited from the workspace. The config names it.
#[test]
fn the_packages_depend_on_the_tray_library_the_app_loads_at_run_time() {
    let conf = tauri_conf();
    let linux = &conf["bundle"]["linux"];
    let depends = |format: &str| -> Vec<String> {
        linux[format]["depends"]
            .as_array()
            .unwrap_or_else(|| panic!("bundle.linux.{format}.depends"))
            .iter()
            .filter_map(|d| d.as_str().map(str::to_owned))
            .collect()
    };
    assert!(depends("deb").contains(&"libayatana-appindicator3-1".to_owned()));
    assert!(depends("rpm").contains(&"libayatana-appindicator3.so.1()(64bit)".to_owned()));
}

#[test]
fn the_metainfo_lists_this_version_as_its_newest_release() {
    let metainfo = read(&metainfo_file());
    let newest = metainfo
        .split("<release ")
        .nth(1)
        .and_then(|r| r.split("version=\"").nth(1))
        .and_then(|v| v.split('"').next())
        .expect("a <release version=...> element");
    assert_eq!(
        newest,
        env!("CARGO_PKG_VERSION"),
        "add a <release> for this version to {}",
        metainfo_file().display()
    );
}

#[test]
fn the_bundle_has_an_icon_at_every_hicolor_size() {
    let conf = tauri_conf();
    let mut sizes: Vec<u32> = conf["bundle"]["icon"]
        .as_array()
        .expect("bundle.icon")
        .iter()
        .map(|p| {
            let path = manifest_dir().join(p.as_str().expect("a path"));
            let file =
                std::fs::File::open(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let info = png::Decoder::new(std::io::BufReader::new(file))
                .read_info()
                .expect("a PNG")
                .info()
                .clone();
            assert_eq!(info.width, info.height, "{} is square", path.display());
            info.width
        })
        .collect();
    sizes.sort_unstable();
    sizes.dedup();
    assert_eq!(sizes, HICOLOR_SIZES);
}
