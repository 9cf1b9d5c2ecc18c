//! Hands back the pages only start-up needed (see "Idle memory" in
//! docs/tray-app.md): the relocation and symbol tables the dynamic linker
//! read through and code run once at start. They are clean, read-only
//! pages of files, so the kernel drops them from the process's memory with
//! nothing lost; any the process touches again are read back from the
//! file. The tray calls [`trim_start_up_pages`] after start and each time
//! its window process ends; `pmap-cli watch` after start.

use std::ops::Range;
use std::time::Duration;

/// How long after start to trim: long enough for start-up (the tray, the
/// session, the first fetches) to have run.
pub const TRIM_AFTER: Duration = Duration::from_secs(20);

/// Drops this process's resident pages of the read-only segments of its
/// program and libraries where nothing was modified (see the module doc),
/// and returns how many kilobytes were resident in them; also returns
/// malloc's free pages to the system.
///
/// The pages stay in the page cache: one the process touches again is mapped
/// back at once, with the same bytes. `MADV_DONTNEED` is only given to
/// ranges that are both a read-only `PT_LOAD` segment of an object the
/// dynamic linker has loaded, and a file mapping `/proc/self/smaps` shows
/// with no anonymous (copy-on-write) page. It is given while
/// `dl_iterate_phdr` holds the linker's lock, so no object is unloaded
/// (and its range reused) in between.
#[allow(unsafe_code)]
pub fn trim_start_up_pages() -> u64 {
    // SAFETY: `malloc_trim` only releases memory malloc holds unused.
    unsafe { libc::malloc_trim(0) };
    let Ok(smaps) = std::fs::read_to_string("/proc/self/smaps") else {
        return 0;
    };
    let mut trim = Trim {
        clean: reclaimable(&smaps),
        page: page_size(),
        trimmed_kib: 0,
    };
    // SAFETY: the callback only reads the headers the linker hands it and
    // the `Trim` passed as `data`, which outlives the call.
    unsafe { libc::dl_iterate_phdr(Some(each_object), (&raw mut trim).cast()) };
    trim.trimmed_kib
}

struct Trim {
    clean: Vec<Reclaimable>,
    page: usize,
    trimmed_kib: u64,
}

#[allow(unsafe_code)]
unsafe extern "C" fn each_object(
    info: *mut libc::dl_phdr_info,
    _size: libc::size_t,
    data: *mut libc::c_void,
) -> libc::c_int {
    // SAFETY: `dl_iterate_phdr` passes a valid `info` whose `dlpi_phdr`
    // points at `dlpi_phnum` headers, and `data` is the `Trim` given above.
    let (info, trim) = unsafe { (&*info, &mut *data.cast::<Trim>()) };
    if info.dlpi_phdr.is_null() {
        return 0;
    }
    // SAFETY: as above.
    let headers =
        unsafe { std::slice::from_raw_parts(info.dlpi_phdr, usize::from(info.dlpi_phnum)) };
    let base = info.dlpi_addr as usize;
    let page = trim.page;
    for header in headers {
        if header.p_type != libc::PT_LOAD || header.p_flags & libc::PF_W != 0 {
            continue;
        }
        let start = base + header.p_vaddr as usize;
        let segment = start..start + header.p_memsz as usize;
        for mapping in &trim.clean {
            let from = segment
                .start
                .max(mapping.range.start)
                .next_multiple_of(page);
            let to = segment.end.min(mapping.range.end) / page * page;
            if from >= to {
                continue;
            }
            // SAFETY: [from, to) is part of a loaded object's read-only
            // segment with no modified page, so dropping its pages loses
            // nothing: they are read back from the file when touched.
            let done =
                unsafe { libc::madvise(from as *mut libc::c_void, to - from, libc::MADV_DONTNEED) };
            if done == 0 {
                let share = (to - from) as u64 * mapping.rss_kib
                    / (mapping.range.end - mapping.range.start) as u64;
                trim.trimmed_kib += share;
            }
        }
    }
    0
}

/// The size mappings are aligned to (4 KiB on x86_64, up to 64 KiB on
/// aarch64).
#[allow(unsafe_code)]
fn page_size() -> usize {
    // SAFETY: sysconf only reads a system constant.
    let size = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
    usize::try_from(size)
        .ok()
        .filter(|s| *s > 0)
        .unwrap_or(4096)
}

/// A mapping [`trim_start_up_pages`] may hand back.
#[derive(Debug, PartialEq)]
struct Reclaimable {
    range: Range<usize>,
    rss_kib: u64,
}

/// The read-only (no `w`), file-backed mappings in `smaps` with resident
/// pages and no anonymous (copy-on-write, so modified) page among them.
fn reclaimable(smaps: &str) -> Vec<Reclaimable> {
    let mut found = Vec::new();
    let mut current: Option<(Range<usize>, bool, u64, u64)> = None;
    let mut finish = |current: Option<(Range<usize>, bool, u64, u64)>| {
        if let Some((range, file_read_only, rss_kib, anonymous_kib)) = current
            && file_read_only
            && rss_kib > 0
            && anonymous_kib == 0
        {
            found.push(Reclaimable { range, rss_kib });
        }
    };
    for line in smaps.lines() {
        if let Some(header) = mapping_header(line) {
            finish(current.take());
            current = Some((header.0, header.1, 0, 0));
            continue;
        }
        let Some((_, _, rss, anonymous)) = current.as_mut() else {
            continue;
        };
        let kib = |rest: &str| {
            rest.trim()
                .trim_end_matches("kB")
                .trim()
                .parse::<u64>()
                .ok()
        };
        if let Some(rest) = line.strip_prefix("Rss:") {
            *rss = kib(rest).unwrap_or(0);
        } else if let Some(rest) = line.strip_prefix("Anonymous:") {
            // Unreadable counts as modified: leave the mapping alone.
            *anonymous = kib(rest).unwrap_or(u64::MAX);
        }
    }
    finish(current.take());
    found
}

/// `start-end perms offset dev inode path`: the range, and whether it is a
/// read-only mapping of a file.
fn mapping_header(line: &str) -> Option<(Range<usize>, bool)> {
    let mut fields = line.split_whitespace();
    let (start, end) = fields.next()?.split_once('-')?;
    let start = usize::from_str_radix(start, 16).ok()?;
    let end = usize::from_str_radix(end, 16).ok()?;
    let perms = fields.next()?;
    let _offset = fields.next()?;
    let _device = fields.next()?;
    let inode = fields.next()?;
    let path = fields.next().unwrap_or("");
    let read_only = perms.len() == 4 && !perms.contains('w');
    Some((
        start..end,
        read_only && inode != "0" && path.starts_with('/'),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SMAPS: &str = "\
55d0c0000000-55d0c05cd000 r--p 00000000 fe:01 1234 /usr/bin/pmap-companion
Size:               5940 kB
Rss:                2576 kB
Anonymous:             0 kB
55d0c05cd000-55d0c15de000 r-xp 005cd000 fe:01 1234 /usr/bin/pmap-companion
Rss:               11528 kB
Anonymous:             0 kB
55d0c15de000-55d0c176b000 r--p 015de000 fe:01 1234 /usr/bin/pmap-companion
Rss:                1568 kB
Anonymous:          1568 kB
55d0c176b000-55d0c1770000 rw-p 0176b000 fe:01 1234 /usr/bin/pmap-companion
Rss:                  20 kB
Anonymous:            20 kB
7f0000000000-7f0000100000 r--p 00000000 fe:01 99 /usr/lib/libwebkit2gtk-4.1.so.0 (deleted)
Rss:                1024 kB
Anonymous:             0 kB
7f0000100000-7f0000200000 r--p 00000000 00:00 0
Rss:                1024 kB
Anonymous:             0 kB
7f0000200000-7f0000300000 r--p 00000000 00:00 0 [vvar]
Rss:                   8 kB
Anonymous:             0 kB
7f0000300000-7f0000400000 r--p 00000000 fe:01 98 /usr/share/fonts/unread.ttf
Rss:                   0 kB
Anonymous:             0 kB
";

    #[test]
    fn only_clean_read_only_file_mappings_are_handed_back() {
        let found = reclaimable(SMAPS);
        assert_eq!(
            found,
            [
                Reclaimable {
                    range: 0x55d0c0000000..0x55d0c05cd000,
                    rss_kib: 2576
                },
                Reclaimable {
                    range: 0x55d0c05cd000..0x55d0c15de000,
                    rss_kib: 11528
                },
                Reclaimable {
                    range: 0x7f0000000000..0x7f0000100000,
                    rss_kib: 1024
                },
            ],
            "not the relocated (anonymous) or writable segments, not anonymous \
             or special mappings, not one with nothing resident"
        );
    }

    #[test]
    fn a_mapping_whose_anonymous_count_is_unreadable_is_left_alone() {
        let smaps = "7f0000000000-7f0000100000 r-xp 00000000 fe:01 99 /usr/lib/x.so\n\
                     Rss: 1024 kB\nAnonymous: lots\n";
        assert_eq!(reclaimable(smaps), []);
    }

    /// On this machine: the pages of this test program's first read-only
    /// segment (relocation and symbol tables, constants) that loading it
    /// touched are resident before the trim and fewer after it, and the
    /// program goes on running and reading what it dropped.
    #[test]
    fn the_programs_start_up_pages_are_handed_back() {
        let exe = std::env::current_exe().expect("this program");
        let exe = exe.to_str().expect("a UTF-8 path").to_owned();
        let first_segment = || {
            let smaps = std::fs::read_to_string("/proc/self/smaps").expect("smaps");
            let mut lines = smaps.lines();
            lines
                .by_ref()
                .find(|l| l.ends_with(&exe) && l.contains(" r--p 00000000 "))
                .expect("this program's first segment");
            let rss = lines.find_map(|l| l.strip_prefix("Rss:")).expect("Rss");
            rss.trim()
                .trim_end_matches("kB")
                .trim()
                .parse::<u64>()
                .expect("kB")
        };
        let before = first_segment();
        assert!(before > 0, "resident after loading");
        let trimmed = trim_start_up_pages();
        let after = first_segment();
        assert!(after < before, "{before} kB before, {after} kB after");
        assert!(trimmed > 0, "trimmed {trimmed} kB");
        // Constants in that segment read back the same.
        assert_eq!(reclaimable(SMAPS).len(), 3);
    }
}
