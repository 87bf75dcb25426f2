//! `citevault export`: the archive as a CDXJ index or a WACZ package.

use super::archive_cmds::parse_time;
use super::args::ArchiveDir;
use super::output::Failure;
use super::EXIT_OK;
use crate::archive::export::{write_wacz, FileNames, WaczInfo};
use crate::archive::Archive;
use crate::model::Timestamp;
use crate::report::one_line;
use clap::ValueEnum;
use std::fs::File;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Export formats.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportFormat {
    /// A CDXJ index of every response and revisit (pywb, OutbackCDX).
    Cdxj,
    /// A WACZ package: WARC files, index, cited pages, manifest (ReplayWeb.page, pywb).
    Wacz,
}

/// `citevault export`.
#[derive(clap::Args, Debug)]
pub struct ExportArgs {
    /// What to write.
    #[arg(short, long, value_enum)]
    pub format: ExportFormat,
    /// Write to FILE (replaced whole, never left half written); `-` or none: standard
    /// output (CDXJ only: a WACZ needs a file).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Only captures at or after this time (RFC 3339, or YYYY-MM-DD); the older records their
    /// revisits refer to come along, so every capture still replays.
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    #[command(flatten)]
    pub dir: ArchiveDir,
}

/// Writes the export.
pub fn export(args: &ExportArgs) -> Result<i32, Failure> {
    let since = args.since.as_deref().map(parse_time).transpose()?;
    let archive = Archive::open_read_only(&args.dir.archive)?;
    let captures = archive.captures(since)?;
    let output = args.output.as_ref().filter(|p| p.as_os_str() != "-");
    match args.format {
        ExportFormat::Cdxj => {
            let lines = archive.cdxj(&captures, FileNames::Relative)?;
            let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
            match output {
                Some(path) => write_atomically(path, |f| {
                    f.write_all(text.as_bytes()).map_err(Failure::from)
                })?,
                None => {
                    let mut out = io::stdout().lock();
                    out.write_all(text.as_bytes())?;
                    out.flush()?;
                }
            }
            eprintln!("citevault: exported {} captures", lines.len());
        }
        ExportFormat::Wacz => {
            let path = output.ok_or_else(|| {
                Failure::Message("--format wacz writes a file: give -o FILE.wacz".into())
            })?;
            if path.extension().is_none_or(|e| e != "wacz") {
                return Err(format!(
                    "{}: a WACZ file's name must end in .wacz",
                    one_line(&path.display().to_string())
                )
                .into());
            }
            let info = WaczInfo {
                title: format!("citevault archive {}", archive.dir().display()),
                created: Timestamp::now(),
            };
            let mut summary = None;
            write_atomically(path, |f| {
                let (_, s) = write_wacz(&archive, &captures, f, &info)?;
                summary = Some(s);
                Ok(())
            })?;
            if let Some(s) = summary {
                eprintln!(
                    "citevault: wrote {} ({} captures, {} cited pages, {} WARC files)",
                    one_line(&path.display().to_string()),
                    s.captures,
                    s.pages,
                    s.warc_files
                );
            }
        }
    }
    Ok(EXIT_OK)
}

/// Writes `path` through a temporary file in the same folder, synced and
/// then renamed over it: a reader never sees half a file, and a failure
/// leaves whatever was there before (the temporary file is removed).
fn write_atomically(
    path: &Path,
    write: impl FnOnce(&mut File) -> Result<(), Failure>,
) -> Result<(), Failure> {
    let shown = one_line(&path.display().to_string()).into_owned();
    let fail = |e: io::Error| Failure::Message(format!("cannot write {shown}: {e}"));
    let name = path
        .file_name()
        .ok_or_else(|| Failure::Message(format!("cannot write {shown}: not a file name")))?;
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let tmp = Staged(dir.join(format!(
        ".{}.{}.tmp",
        name.to_string_lossy(),
        std::process::id()
    )));
    let mut file = File::options()
        .write(true)
        .create_new(true)
        .open(&tmp.0)
        .map_err(fail)?;
    write(&mut file)?;
    file.sync_all().map_err(fail)?;
    drop(file);
    std::fs::rename(&tmp.0, path).map_err(fail)?;
    std::mem::forget(tmp);
    Ok(())
}

/// A temporary file removed when dropped (on any failure before the rename).
struct Staged(PathBuf);

impl Drop for Staged {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}
