//! Small JSON files written atomically (temp file in the same directory,
//! fsync, rename) and read forgivingly (a corrupt file is moved aside with a
//! warning and defaults are used, so a bad write never bricks the app).

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::{Error, Result};

/// Reads `path`, or returns `T::default()` when it is missing or corrupt.
/// A corrupt file is renamed to `<name>.corrupt-<unix seconds>`.
pub fn load_or_default<T: DeserializeOwned + Default>(path: &Path) -> Result<T> {
    let bytes = match fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(T::default()),
        Err(e) => return Err(Error::io("read", path)(e)),
    };
    match serde_json::from_slice(&bytes) {
        Ok(value) => Ok(value),
        Err(parse_error) => {
            let aside = corrupt_name(path);
            fs::rename(path, &aside).map_err(Error::io("move aside", path))?;
            tracing::warn!(path = %path.display(), moved_to = %aside.display(), error = %parse_error,
                "corrupt file moved aside; using defaults");
            Ok(T::default())
        }
    }
}

/// Writes `value` as pretty JSON, atomically, readable by the owner only.
pub fn save<T: Serialize>(path: &Path, value: &T) -> Result<()> {
    let json = serde_json::to_vec_pretty(value).map_err(|e| Error::Encode {
        path: path.to_path_buf(),
        reason: e.to_string(),
    })?;
    write_atomically(path, &json)
}

/// Writes `bytes` to `path` atomically (a reader sees the old file or the
/// new one, never half of either), readable by the owner only.
pub fn write_atomically(path: &Path, json: &[u8]) -> Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir).map_err(Error::io("create", dir))?;
    let mut file =
        tempfile::NamedTempFile::new_in(dir).map_err(Error::io("create a temp file in", dir))?;
    file.write_all(json).map_err(Error::io("write", path))?;
    file.as_file().sync_all().map_err(Error::io("sync", path))?;
    file.persist(path)
        .map_err(|e| Error::io("replace", path)(e.error))?;
    Ok(())
}

fn corrupt_name(path: &Path) -> PathBuf {
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default();
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".corrupt-{stamp}"));
    path.with_file_name(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Default, PartialEq, Serialize, serde::Deserialize)]
    struct Sample {
        n: u32,
    }

    #[test]
    fn round_trips_and_missing_means_default() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("nested/sample.json");
        assert_eq!(
            load_or_default::<Sample>(&path).expect("load"),
            Sample::default()
        );
        save(&path, &Sample { n: 7 }).expect("save");
        assert_eq!(
            load_or_default::<Sample>(&path).expect("load"),
            Sample { n: 7 }
        );
    }

    #[test]
    fn corrupt_file_is_moved_aside_and_defaults_are_used() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("sample.json");
        fs::write(&path, b"{ not json").expect("write");
        assert_eq!(
            load_or_default::<Sample>(&path).expect("load"),
            Sample::default()
        );
        assert!(!path.exists());
        let moved: Vec<_> = fs::read_dir(dir.path()).expect("list").collect();
        assert_eq!(moved.len(), 1);
        let name = moved[0].as_ref().expect("entry").file_name();
        assert!(name.to_string_lossy().starts_with("sample.json.corrupt-"));
    }

    #[test]
    fn a_value_that_cannot_be_encoded_is_a_local_error_and_keeps_the_old_file() {
        use std::collections::HashMap;
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("sample.json");
        save(&path, &Sample { n: 3 }).expect("save");
        // JSON object keys must be strings; a tuple key cannot be encoded.
        let unencodable: HashMap<(u8, u8), u8> = HashMap::from([((1, 2), 3)]);
        let error = save(&path, &unencodable).expect_err("cannot encode");
        assert!(
            matches!(&error, Error::Encode { path: p, .. } if *p == path),
            "{error:?}"
        );
        assert!(!error.to_string().contains("server"), "{error}");
        assert_eq!(
            load_or_default::<Sample>(&path).expect("load"),
            Sample { n: 3 }
        );
    }

    #[test]
    fn saved_files_are_private_to_the_owner() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("sample.json");
        save(&path, &Sample { n: 1 }).expect("save");
        let mode = fs::metadata(&path).expect("stat").permissions().mode();
        assert_eq!(mode & 0o077, 0, "mode {mode:o}");
    }
}
