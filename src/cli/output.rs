//! Where output goes: report files or standard output, errors that keep
//! their kind (a closed pipe ends quietly, as in ripgrep), and the progress
//! bar.

use crate::config::ConfigError;
use std::io::{self, Write};
use std::path::PathBuf;

/// Why a command stopped.
#[derive(Debug)]
pub enum Failure {
    /// Something the user can act on, already worded.
    Message(String),
    /// The configuration file is invalid (exit code 3).
    Config(ConfigError),
    /// Writing output failed; a closed pipe is not an error.
    Output(io::Error),
}

impl From<String> for Failure {
    fn from(s: String) -> Self {
        Failure::Message(s)
    }
}

impl From<io::Error> for Failure {
    fn from(e: io::Error) -> Self {
        Failure::Output(e)
    }
}

impl From<ConfigError> for Failure {
    fn from(e: ConfigError) -> Self {
        Failure::Config(e)
    }
}

impl From<crate::archive::ArchiveError> for Failure {
    fn from(e: crate::archive::ArchiveError) -> Self {
        Failure::Message(e.to_string())
    }
}

impl From<crate::run::RunError> for Failure {
    fn from(e: crate::run::RunError) -> Self {
        match e {
            crate::run::RunError::Output(e) => Failure::Output(e),
            other => Failure::Message(other.to_string()),
        }
    }
}

/// A report file, or standard output (locked, buffered).
pub fn open_output(path: Option<&PathBuf>) -> Result<Box<dyn Write>, Failure> {
    Ok(match path {
        Some(p) => Box::new(io::BufWriter::new(std::fs::File::create(p).map_err(
            |e| Failure::Message(format!("cannot write {}: {e}", p.display())),
        )?)),
        None => Box::new(io::BufWriter::new(stdout_unbuffered())),
    })
}

/// Standard output past std's own line buffering: reports are buffered by
/// the caller already, and std's `LineWriter` would search every block
/// written for its last newline and copy what follows it (1% of
/// `extract`'s instructions). A duplicate of the descriptor, written
/// directly; the locked `Stdout` if it cannot be had.
fn stdout_unbuffered() -> Box<dyn Write> {
    #[cfg(unix)]
    {
        use std::os::fd::AsFd;
        if let Ok(fd) = io::stdout().as_fd().try_clone_to_owned() {
            return Box::new(std::fs::File::from(fd));
        }
    }
    Box::new(io::stdout().lock())
}

/// Whether a report to `output` gets colour: only on a terminal on
/// stdout, and never with `NO_COLOR` set.
pub fn color_for(output: Option<&PathBuf>) -> bool {
    use std::io::IsTerminal;
    output.is_none()
        && io::stdout().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// Pretty JSON and a newline on standard output.
pub fn print_json(v: &impl serde::Serialize) -> Result<(), Failure> {
    let mut out = io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, v).map_err(io::Error::from)?;
    writeln!(out)?;
    out.flush()?;
    Ok(())
}

/// Standard error drawn on as a terminal whether or not it is one, for
/// `--progress` in CI logs.
#[derive(Debug)]
pub struct ForcedStderr;

impl indicatif::TermLike for ForcedStderr {
    fn width(&self) -> u16 {
        std::env::var("COLUMNS")
            .ok()
            .and_then(|c| c.parse().ok())
            .unwrap_or(100)
    }
    fn move_cursor_up(&self, n: usize) -> io::Result<()> {
        self.write_str(&format!("\x1b[{n}A"))
    }
    fn move_cursor_down(&self, n: usize) -> io::Result<()> {
        self.write_str(&format!("\x1b[{n}B"))
    }
    fn move_cursor_right(&self, n: usize) -> io::Result<()> {
        self.write_str(&format!("\x1b[{n}C"))
    }
    fn move_cursor_left(&self, n: usize) -> io::Result<()> {
        self.write_str(&format!("\x1b[{n}D"))
    }
    fn write_line(&self, s: &str) -> io::Result<()> {
        self.write_str(&format!("{s}\n"))
    }
    fn write_str(&self, s: &str) -> io::Result<()> {
        io::stderr().lock().write_all(s.as_bytes())
    }
    fn clear_line(&self) -> io::Result<()> {
        self.write_str("\r\x1b[2K")
    }
    fn flush(&self) -> io::Result<()> {
        io::stderr().flush()
    }
}
