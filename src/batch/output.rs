//! Writing inside the output folder, and nowhere else.
//!
//! Every file is written to a temporary file beside its final name, flushed to disk, then renamed into
//! place, so a reader sees the old file or the new one, never half of one. Paths are opened one folder
//! at a time from the output root, refusing any symbolic link on the way (`O_NOFOLLOW`), so a link
//! planted inside the output folder cannot send a write elsewhere. Temporary files in flight are
//! registered, so that an interrupted run can remove them (`remove_in_flight`), and a later run sweeps
//! any that a killed run left behind. New files get the permissions the umask allows; a file written
//! over keeps its mode.
//!
//! This module never decides what to write: the driver hands it names and bytes.

use crate::diag::Diagnostic;
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

/// Temporary files are named `.bitext-<host>-<pid>-<n>.tmp`: a run can tell its own from another's,
/// and a dead process's from a live one's.
const TEMP_PREFIX: &str = ".bitext-";
const TEMP_SUFFIX: &str = ".tmp";

/// A temporary file of another machine (a shared volume) is swept once it is this old.
const FOREIGN_TEMP_AGE: Duration = Duration::from_secs(3600);

/// Absolute paths of the temporary files being written right now.
static IN_FLIGHT: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

static NEXT_TEMP: AtomicU64 = AtomicU64::new(0);

/// Remove every temporary file being written, and keep any more from being started: for a process
/// about to exit on a signal. The registry stays locked, so workers that try to start a file wait
/// until the process is gone.
pub fn remove_in_flight() {
    let guard = IN_FLIGHT.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    for path in guard.iter() {
        let _ = std::fs::remove_file(path);
    }
    std::mem::forget(guard);
}

fn register(path: &Path) {
    IN_FLIGHT.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).push(path.to_path_buf());
}

fn unregister(path: &Path) {
    let mut guard = IN_FLIGHT.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some(i) = guard.iter().position(|p| p == path) {
        guard.swap_remove(i);
    }
}

/// This machine's name, as temporary files carry it (letters, digits and dashes only).
fn host() -> String {
    let name = rustix::system::uname().nodename().to_string_lossy().into_owned();
    let clean: String = name.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }).collect();
    if clean.is_empty() {
        "host".to_string()
    } else {
        clean
    }
}

/// The folder outputs go into. Everything is written below it through `write` and `write_with`.
#[derive(Debug)]
pub struct OutputRoot {
    path: PathBuf,
    /// Where the root really is, for telling whether an input lies inside it.
    canonical: PathBuf,
    dir: rustix::fd::OwnedFd,
    host: String,
}

/// A problem with a path below the root, said in the user's terms.
fn problem(path: &Path, what: &str, err: impl std::fmt::Display) -> Diagnostic {
    Diagnostic::error(0, format!("cannot {what} {}: {err}", path.display()))
}

impl OutputRoot {
    /// Open the output folder, creating it (and its parents) when missing. The folder named may itself
    /// be reached through a symbolic link: the user chose it; nothing below it may be.
    pub fn open(path: &Path) -> Result<OutputRoot, Diagnostic> {
        match std::fs::metadata(path) {
            Ok(meta) if !meta.is_dir() => {
                return Err(Diagnostic::error(0, format!("output {} is a file, not a folder", path.display()))
                    .with_hint("give a folder with -o, or remove the file"));
            }
            Ok(_) => {}
            Err(_) => std::fs::create_dir_all(path).map_err(|e| problem(path, "create folder", e))?,
        }
        let flags = rustix::fs::OFlags::RDONLY | rustix::fs::OFlags::DIRECTORY | rustix::fs::OFlags::CLOEXEC;
        let dir = rustix::fs::open(path, flags, rustix::fs::Mode::empty())
            .map_err(|e| problem(path, "open folder", io::Error::from(e)))?;
        let canonical = std::fs::canonicalize(path).map_err(|e| problem(path, "open folder", e))?;
        Ok(OutputRoot { path: path.to_path_buf(), canonical, dir, host: host() })
    }

    /// The root as the user named it.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Where the root really is (links resolved): nothing below it is ever read as input.
    pub fn canonical(&self) -> &Path {
        &self.canonical
    }

    /// Open the folder `rel` below the root, one component at a time, creating what is missing and
    /// refusing symbolic links.
    fn folder(&self, rel: &Path) -> Result<rustix::fd::OwnedFd, Diagnostic> {
        use rustix::fs::{Mode, OFlags};
        let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC;
        let mut dir = rustix::io::dup(&self.dir).map_err(|e| problem(&self.path, "open folder", io::Error::from(e)))?;
        let mut walked = self.path.clone();
        for component in rel.components() {
            let Component::Normal(name) = component else {
                return Err(Diagnostic::error(0, format!("output path {} leaves the output folder", rel.display())));
            };
            walked.push(name);
            let next = match rustix::fs::openat(&dir, name, flags, Mode::empty()) {
                Err(rustix::io::Errno::NOENT) => {
                    match rustix::fs::mkdirat(&dir, name, Mode::from_raw_mode(0o777)) {
                        Ok(()) | Err(rustix::io::Errno::EXIST) => {}
                        Err(e) => return Err(problem(&walked, "create folder", io::Error::from(e))),
                    }
                    rustix::fs::openat(&dir, name, flags, Mode::empty())
                }
                other => other,
            };
            dir = next.map_err(|e| match e {
                rustix::io::Errno::LOOP | rustix::io::Errno::NOTDIR => {
                    Diagnostic::error(0, format!("{} is a symbolic link or a file, not a folder", walked.display()))
                        .with_hint("nothing is written through links inside the output folder; remove it")
                }
                e => problem(&walked, "open folder", io::Error::from(e)),
            })?;
        }
        Ok(dir)
    }

    /// Write `bytes` to `rel` below the root: complete or not at all.
    pub fn write(&self, rel: &Path, bytes: &[u8]) -> Result<(), Diagnostic> {
        self.write_with(rel, |file| file.write_all(bytes))
    }

    /// Write `rel` below the root with `fill`, which writes the whole content to the file it is given;
    /// the file replaces `rel` only when `fill` succeeds and the data is on disk.
    pub fn write_with<T>(&self, rel: &Path, fill: impl FnOnce(&mut File) -> io::Result<T>) -> Result<T, Diagnostic> {
        use rustix::fs::{AtFlags, Mode, OFlags};
        let shown = self.path.join(rel);
        let (parent, name) = match (rel.parent(), rel.file_name()) {
            (Some(parent), Some(name)) => (parent, name),
            _ => return Err(Diagnostic::error(0, format!("{} is not a file name", rel.display()))),
        };
        let dir = self.folder(parent)?;
        let flags = OFlags::RDWR | OFlags::CREATE | OFlags::EXCL | OFlags::NOFOLLOW | OFlags::CLOEXEC;
        let (temp_name, fd) = loop {
            let n = NEXT_TEMP.fetch_add(1, Ordering::Relaxed);
            let temp_name = format!("{TEMP_PREFIX}{}-{}-{n}{TEMP_SUFFIX}", self.host, std::process::id());
            let temp_path = self.path.join(parent).join(&temp_name);
            register(&temp_path);
            match rustix::fs::openat(&dir, temp_name.as_str(), flags, Mode::from_raw_mode(0o666)) {
                Ok(fd) => break (temp_name, fd),
                Err(rustix::io::Errno::EXIST) => unregister(&temp_path),
                Err(e) => {
                    unregister(&temp_path);
                    return Err(problem(&shown, "write", io::Error::from(e)));
                }
            }
        };
        let temp_path = self.path.join(parent).join(&temp_name);
        let finish = |file: &mut File| -> io::Result<T> {
            let value = fill(file)?;
            file.flush()?;
            // A file written over keeps its permissions; a new one has what the umask gave it.
            if let Ok(old) = rustix::fs::statat(&dir, name, AtFlags::SYMLINK_NOFOLLOW) {
                if rustix::fs::FileType::from_raw_mode(old.st_mode) == rustix::fs::FileType::RegularFile {
                    rustix::fs::fchmod(&*file, Mode::from_raw_mode(old.st_mode & 0o7777))?;
                }
            }
            file.sync_data()?;
            rustix::fs::renameat(&dir, temp_name.as_str(), &dir, name)?;
            Ok(value)
        };
        let mut file = File::from(fd);
        let result = finish(&mut file);
        drop(file);
        if result.is_err() {
            let _ = rustix::fs::unlinkat(&dir, temp_name.as_str(), AtFlags::empty());
        }
        unregister(&temp_path);
        result.map_err(|e| problem(&shown, "write", e))
    }

    /// [`OutputRoot::write_with`], also giving the size and SHA-256 (hex) of what was written, read back
    /// from the temporary file before it takes its name.
    pub fn write_recorded<T>(
        &self,
        rel: &Path,
        fill: impl FnOnce(&mut File) -> io::Result<T>,
    ) -> Result<(T, u64, String), Diagnostic> {
        use sha2::{Digest, Sha256};
        self.write_with(rel, |file| {
            let value = fill(file)?;
            file.flush()?;
            file.seek(SeekFrom::Start(0))?;
            let mut hasher = Sha256::new();
            let mut buffer = vec![0u8; 64 * 1024];
            let mut size = 0u64;
            loop {
                let n = file.read(&mut buffer)?;
                if n == 0 {
                    break;
                }
                hasher.update(&buffer[..n]);
                size += n as u64;
            }
            Ok((value, size, super::manifest::hex(&hasher.finalize())))
        })
    }

    /// The size of the regular file `rel` below the root, when there is one (a link is not followed).
    pub fn size_of(&self, rel: &Path) -> Option<u64> {
        std::fs::symlink_metadata(self.path.join(rel)).ok().filter(|m| m.file_type().is_file()).map(|m| m.len())
    }

    /// Remove the folders of `rel` below the root that are left empty, deepest first.
    pub fn remove_empty_folders(&self, rel: &Path) {
        let mut folder = rel.parent();
        while let Some(f) = folder.filter(|f| !f.as_os_str().is_empty()) {
            if std::fs::remove_dir(self.path.join(f)).is_err() {
                break;
            }
            folder = f.parent();
        }
    }

    /// Remove `rel` below the root when it is there (a stale output that would now be wrong). A link is
    /// removed, never followed.
    pub fn remove(&self, rel: &Path) {
        if let (Some(parent), Some(name)) = (rel.parent(), rel.file_name()) {
            let flags = rustix::fs::OFlags::RDONLY
                | rustix::fs::OFlags::DIRECTORY
                | rustix::fs::OFlags::NOFOLLOW
                | rustix::fs::OFlags::CLOEXEC;
            let mut dir = match rustix::io::dup(&self.dir) {
                Ok(dir) => dir,
                Err(_) => return,
            };
            for component in parent.components() {
                let Component::Normal(part) = component else { return };
                match rustix::fs::openat(&dir, part, flags, rustix::fs::Mode::empty()) {
                    Ok(next) => dir = next,
                    Err(_) => return,
                }
            }
            let _ = rustix::fs::unlinkat(&dir, name, rustix::fs::AtFlags::empty());
        }
    }

    /// Remove the temporary files that earlier runs left behind (killed before they could clean up):
    /// this machine's whose process is gone, and other machines' once they are an hour old. Returns how
    /// many were removed. Links are not followed.
    pub fn sweep_stale_temporaries(&self) -> usize {
        let mut removed = 0;
        for entry in walkdir::WalkDir::new(&self.path).follow_links(false).into_iter().flatten() {
            let name = entry.file_name().to_string_lossy();
            if !entry.file_type().is_file() || !name.starts_with(TEMP_PREFIX) || !name.ends_with(TEMP_SUFFIX) {
                continue;
            }
            if self.is_stale(&name, entry.path()) && std::fs::remove_file(entry.path()).is_ok() {
                removed += 1;
            }
        }
        removed
    }

    fn is_stale(&self, name: &str, path: &Path) -> bool {
        let inner = &name[TEMP_PREFIX.len()..name.len() - TEMP_SUFFIX.len()];
        let mut parts = inner.rsplitn(3, '-');
        let (_n, pid, host) = (parts.next(), parts.next(), parts.next());
        let pid: Option<i32> = pid.and_then(|p| p.parse().ok());
        match (host, pid) {
            (Some(host), Some(pid)) if host == self.host => !process_alive(pid),
            _ => std::fs::metadata(path)
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| SystemTime::now().duration_since(t).ok())
                .is_some_and(|age| age > FOREIGN_TEMP_AGE),
        }
    }
}

/// True when a process with this id exists on this machine.
fn process_alive(pid: i32) -> bool {
    if pid == std::process::id() as i32 {
        return true;
    }
    match rustix::process::Pid::from_raw(pid) {
        Some(pid) => !matches!(rustix::process::test_kill_process(pid), Err(rustix::io::Errno::SRCH)),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::{symlink, PermissionsExt};

    #[test]
    fn writes_are_whole_and_leave_no_temporary_files() {
        let dir = tempfile::tempdir().unwrap();
        let root = OutputRoot::open(&dir.path().join("out")).unwrap();
        root.write(Path::new("a/b/c.md"), b"hello").unwrap();
        root.write(Path::new("a/b/c.md"), b"again").unwrap();
        assert_eq!(std::fs::read(dir.path().join("out/a/b/c.md")).unwrap(), b"again");
        let names: Vec<_> =
            std::fs::read_dir(dir.path().join("out/a/b")).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, ["c.md"]);
        let failed = root.write_with(Path::new("a/d.md"), |_| -> io::Result<()> { Err(io::Error::other("no")) });
        assert!(failed.is_err());
        assert!(!dir.path().join("out/a/d.md").exists());
        assert_eq!(std::fs::read_dir(dir.path().join("out/a")).unwrap().count(), 1, "only the folder b");
    }

    #[test]
    fn no_write_follows_a_link_inside_the_output_folder() {
        let dir = tempfile::tempdir().unwrap();
        let elsewhere = dir.path().join("elsewhere");
        std::fs::create_dir_all(&elsewhere).unwrap();
        std::fs::create_dir_all(dir.path().join("out")).unwrap();
        symlink(&elsewhere, dir.path().join("out/a")).unwrap();
        let root = OutputRoot::open(&dir.path().join("out")).unwrap();
        let err = root.write(Path::new("a/b/t.md"), b"x").unwrap_err();
        assert!(err.message.contains("symbolic link"), "{}", err.message);
        assert_eq!(std::fs::read_dir(&elsewhere).unwrap().count(), 0);
        // A link in the place of the file itself is replaced, not written through.
        let target = elsewhere.join("target.md");
        std::fs::write(&target, b"keep").unwrap();
        symlink(&target, dir.path().join("out/t.md")).unwrap();
        root.write(Path::new("t.md"), b"new").unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"keep");
        assert_eq!(std::fs::read(dir.path().join("out/t.md")).unwrap(), b"new");
    }

    #[test]
    fn a_file_written_over_keeps_its_mode() {
        let dir = tempfile::tempdir().unwrap();
        let root = OutputRoot::open(dir.path()).unwrap();
        std::fs::write(dir.path().join("p.md"), b"old").unwrap();
        std::fs::set_permissions(dir.path().join("p.md"), std::fs::Permissions::from_mode(0o600)).unwrap();
        root.write(Path::new("p.md"), b"new").unwrap();
        let mode = std::fs::metadata(dir.path().join("p.md")).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }

    #[test]
    fn stale_temporaries_of_dead_runs_are_swept_and_live_ones_kept() {
        let dir = tempfile::tempdir().unwrap();
        let root = OutputRoot::open(dir.path()).unwrap();
        std::fs::create_dir_all(dir.path().join("sub")).unwrap();
        let host = host();
        let dead = format!("{TEMP_PREFIX}{host}-{}-0{TEMP_SUFFIX}", i32::MAX - 7);
        let live = format!("{TEMP_PREFIX}{host}-{}-0{TEMP_SUFFIX}", std::process::id());
        let foreign_new = format!("{TEMP_PREFIX}elsewhere-1-0{TEMP_SUFFIX}");
        for name in [&dead, &live, &foreign_new] {
            std::fs::write(dir.path().join("sub").join(name), b"partial").unwrap();
        }
        assert_eq!(root.sweep_stale_temporaries(), 1);
        assert!(!dir.path().join("sub").join(&dead).exists());
        assert!(dir.path().join("sub").join(&live).exists());
        assert!(dir.path().join("sub").join(&foreign_new).exists());
    }

    #[test]
    fn the_root_must_be_a_folder() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("f");
        std::fs::write(&file, b"x").unwrap();
        let err = OutputRoot::open(&file).unwrap_err();
        assert!(err.message.contains("is a file"), "{}", err.message);
    }
}
