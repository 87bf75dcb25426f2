//! The command line: turns arguments into options for the library and picks
//! writers. The work itself happens in [`crate::run`] and the stages.

mod archive_cmds;
mod args;
mod check;
mod export;
mod output;
mod remote_cmds;

use crate::extract::expand_inputs;
use crate::report::{self, ReportFormat, ReportOptions};
use crate::run::Verdict;
use args::{CheckArgs, ExtractArgs, OutputFormat, Settings};
use clap::{ArgMatches, Parser, Subcommand};
use output::{open_output, Failure};
use std::io;
use std::path::PathBuf;

/// Exit code: success.
pub const EXIT_OK: i32 = 0;
/// Exit code: a runtime, usage or input error (other inputs were still processed).
pub const EXIT_ERROR: i32 = 1;
/// Exit code: some citation has a `--fail-on` status.
pub const EXIT_FAILING: i32 = 2;
/// Exit code: the configuration file is invalid.
pub const EXIT_CONFIG: i32 = 3;

#[derive(Parser, Debug)]
#[command(
    name = "citevault",
    version,
    about = "Keeps the sources of published writing alive: finds every citation in news digests, tied to the item that makes it.",
    long_about = None
)]
struct Cli {
    /// Configuration file (default: ./citevault.toml when present). Options
    /// given on the command line or in the environment win over the file;
    /// paths in it are relative to it.
    #[arg(short = 'c', long, value_name = "FILE", global = true)]
    config: Option<PathBuf>,

    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Extract items and their citations from text, Markdown and HTML documents.
    ///
    /// PATH may be a file, a directory (searched recursively for .txt .md
    /// .markdown .html .htm) or `-` for standard input.
    Extract(ExtractArgs),
    /// Check every cited URL and report which sources are alive, dead,
    /// soft-404, blocked, erroring or timing out.
    ///
    /// Each unique URL is fetched once (GET, redirects followed and recorded),
    /// politely per host and in parallel across hosts.
    Check(Box<CheckArgs>),
    /// Check every cited URL and verify each citation: is the source the
    /// outlet named, from the date named, and does it still say what it
    /// said when first archived (`check --verify`; takes every option of
    /// `check`).
    Verify(Box<CheckArgs>),
    /// Every archived snapshot of a URL and its status history.
    Lookup(archive_cmds::LookupArgs),
    /// Print the archived copy of a URL: the readable text, the payload as
    /// sent, or the whole HTTP response.
    Show(archive_cmds::ShowArgs),
    /// What went dead, soft-404 or came back, when, and which items cite it.
    History(archive_cmds::HistoryArgs),
    /// Re-read every WARC record, recompute digests, check the index against the files.
    VerifyArchive(archive_cmds::VerifyArgs),
    /// Render a report from the archive without fetching anything: exactly
    /// what `check` reported for each document's last run.
    Report(archive_cmds::ReportArgs),
    /// Mark a URL (or URL prefix) the checker gets wrong with the status to
    /// report and why; later checks on the archive apply it, and every
    /// report shows it as overridden. `--list` lists the marks, `--remove`
    /// takes one back.
    Mark(archive_cmds::MarkArgs),
    /// Export the archive: a CDXJ index of every capture, or a WACZ package
    /// (WARC files, index, cited pages) that ReplayWeb.page and pywb open.
    Export(export::ExportArgs),
    /// Submit URLs to the Wayback Machine's Save Page Now (keys in
    /// CITEVAULT_IA_KEYS as ACCESS:SECRET) and record the captures.
    Save(remote_cmds::SaveArgs),
    /// Write a copy of a digest in which every citation carries its
    /// archived copy (Robust Links attributes in HTML, an "archived copy"
    /// link in Markdown and text).
    Robustify(remote_cmds::RobustifyArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

/// Runs the command line and returns the process exit code.
pub fn main() -> i32 {
    use clap::{CommandFactory, FromArgMatches};
    let parsed = Cli::command()
        .try_get_matches()
        .and_then(|m| Cli::from_arg_matches(&m).map(|cli| (cli, m)));
    let (cli, matches) = match parsed {
        Ok(x) => x,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { EXIT_ERROR } else { EXIT_OK };
        }
    };
    match dispatch(cli, &matches) {
        Ok(code) => code,
        Err(Failure::Output(e)) if e.kind() == io::ErrorKind::BrokenPipe => EXIT_OK,
        Err(Failure::Output(e)) => {
            eprintln!("citevault: cannot write output: {e}");
            EXIT_ERROR
        }
        Err(Failure::Config(e)) => {
            eprintln!("citevault: {}", report::one_line(&e.to_string()));
            EXIT_CONFIG
        }
        Err(Failure::Message(m)) => {
            eprintln!("citevault: {}", report::one_line(&m));
            EXIT_ERROR
        }
    }
}

fn dispatch(cli: Cli, matches: &ArgMatches) -> Result<i32, Failure> {
    let (name, sub) = matches
        .subcommand()
        .map(|(n, m)| (n.to_string(), m.clone()))
        .unwrap_or_default();
    let settings = Settings::load(cli.config.as_deref(), (&name, &sub))?;
    let settings = settings.as_ref();
    match cli.command {
        Command::Extract(mut args) => {
            if let Some(s) = settings {
                s.apply_inputs(&mut args.input);
            }
            extract(&args)
        }
        Command::Check(mut args) => {
            if let Some(s) = settings {
                s.apply_check(&mut args, &sub)?;
            }
            if args.offline {
                return Err("--offline is an option of `citevault verify`"
                    .to_string()
                    .into());
            }
            check::check(&args)
        }
        Command::Verify(mut args) => {
            if let Some(s) = settings {
                s.apply_check(&mut args, &sub)?;
            }
            args.verify = true;
            check::check(&args)
        }
        Command::Lookup(mut args) => {
            if let Some(s) = settings {
                s.apply_archive(&mut args.dir, &sub);
                s.apply_remote(&mut args.remote_args, &sub);
            }
            archive_cmds::lookup(&args)
        }
        Command::Show(mut args) => {
            if let Some(s) = settings {
                s.apply_archive(&mut args.dir, &sub);
            }
            archive_cmds::show(&args)
        }
        Command::History(mut args) => {
            if let Some(s) = settings {
                s.apply_archive(&mut args.dir, &sub);
            }
            archive_cmds::history(&args)
        }
        Command::VerifyArchive(mut args) => {
            if let Some(s) = settings {
                s.apply_archive(&mut args.dir, &sub);
            }
            archive_cmds::verify(&args)
        }
        Command::Report(mut args) => {
            let mut fail_given = args::given(&sub, "fail_on") || args::given(&sub, "fail_after");
            if let Some(s) = settings {
                s.apply_archive(&mut args.dir, &sub);
                fail_given |= s.apply_fail(&mut args.fail, &sub)?;
            }
            archive_cmds::report(&args, fail_given)
        }
        Command::Mark(mut args) => {
            if let Some(s) = settings {
                s.apply_archive(&mut args.dir, &sub);
            }
            archive_cmds::mark(&args)
        }
        Command::Export(mut args) => {
            if let Some(s) = settings {
                s.apply_archive(&mut args.dir, &sub);
            }
            export::export(&args)
        }
        Command::Save(mut args) => {
            if let Some(s) = settings {
                s.apply_archive(&mut args.dir, &sub);
                s.apply_remote(&mut args.remote, &sub);
            }
            remote_cmds::save(&args)
        }
        Command::Robustify(mut args) => {
            if let Some(s) = settings {
                s.apply_archive(&mut args.dir, &sub);
                s.apply_remote(&mut args.remote, &sub);
            }
            remote_cmds::robustify(&args)
        }
        Command::Completions { shell } => {
            let mut cmd = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(shell, &mut cmd, "citevault", &mut io::stdout());
            Ok(EXIT_OK)
        }
    }
}

/// The exit code of a run's verdict.
fn verdict_code(v: Verdict) -> i32 {
    match v {
        Verdict::Passed => EXIT_OK,
        Verdict::Failing => EXIT_FAILING,
        Verdict::Errors => EXIT_ERROR,
    }
}

/// The inputs named on the command line: paths, glob patterns expanded
/// (sorted), and the lines of `--files-from`.
fn input_paths(paths: &[PathBuf], files_from: Option<&PathBuf>) -> Result<Vec<PathBuf>, Failure> {
    let mut listed: Vec<PathBuf> = paths.to_vec();
    if let Some(list) = files_from {
        let text = if list.as_os_str() == "-" {
            io::read_to_string(io::stdin())
                .map_err(|e| format!("cannot read --files-from -: {e}"))?
        } else {
            std::fs::read_to_string(list)
                .map_err(|e| format!("cannot read --files-from {}: {e}", list.display()))?
        };
        listed.extend(
            text.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
                .map(PathBuf::from),
        );
    }
    let mut out = Vec::new();
    for p in listed {
        let s = p.to_string_lossy();
        let is_glob = s.contains(['*', '?', '[']) && !p.exists();
        if !is_glob {
            out.push(p);
            continue;
        }
        let matches = glob::glob(&s).map_err(|e| format!("invalid pattern {s:?}: {e}"))?;
        let mut found: Vec<PathBuf> = matches
            .filter_map(Result::ok)
            .filter(|m| m.is_file())
            .collect();
        if found.is_empty() {
            return Err(format!("pattern {s:?} matches no file").into());
        }
        found.sort();
        out.extend(found);
    }
    Ok(out)
}

fn extract(args: &ExtractArgs) -> Result<i32, Failure> {
    let extractor = args.input.extractor()?;
    let format = match args.format {
        OutputFormat::Text => ReportFormat::Text,
        OutputFormat::Json => ReportFormat::Json,
    };
    let out = open_output(args.output.as_ref())?;
    let mut report = report::writer(format, out, &ReportOptions::default());
    let mut failed = false;
    let paths = input_paths(&args.input.paths, args.input.files_from.as_ref())?;
    // Documents are read and extracted in parallel, and come back in input
    // order with errors in their place.
    for result in extractor.extract_all(expand_inputs(&paths)) {
        match result {
            Ok(doc) => report.document(&doc)?,
            Err(e) => {
                failed = true;
                eprintln!("citevault: {}", report::one_line(&e.to_string()));
                report.error(e.path(), &e.problem())?;
            }
        }
    }
    report.finish()?;
    Ok(if failed { EXIT_ERROR } else { EXIT_OK })
}
