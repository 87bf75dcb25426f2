//! The command line: parses arguments and drives the library stages.

mod archive_cmds;

use crate::archive::Archive;
use crate::check::{unlinked_result, CheckOptions, Checker, DEFAULT_USER_AGENT};
use crate::extract::{expand_inputs, Extractor};
use crate::model::{CheckResult, CheckStatus, Document, Format};
use crate::outlets::OutletRegistry;
use crate::report::{
    HtmlWriter, JsonWriter, JunitWriter, MarkdownWriter, ReportWriter, TextWriter,
};
use clap::{Parser, Subcommand, ValueEnum};
use futures_util::StreamExt;
use std::collections::HashMap;
use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

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
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
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
    /// Every archived snapshot of a URL and its status history.
    Lookup(archive_cmds::LookupArgs),
    /// Print the archived copy of a URL: the readable text, or the raw bytes.
    Show(archive_cmds::ShowArgs),
    /// What went dead, soft-404 or came back, when, and which items cite it.
    History(archive_cmds::HistoryArgs),
    /// Re-read every WARC record, recompute digests, check the index against the files.
    VerifyArchive(archive_cmds::VerifyArgs),
    /// Render a report from the archive without fetching anything.
    Report(archive_cmds::ReportArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

#[derive(clap::Args, Debug)]
pub struct ExtractArgs {
    /// Files, directories, glob patterns (`'digests/**/*.md'`), or `-` for stdin.
    #[arg(value_name = "PATH", required_unless_present = "files_from")]
    pub paths: Vec<PathBuf>,

    /// Also read the paths to process from FILE, one per line (`-` for stdin).
    #[arg(long, value_name = "FILE")]
    pub files_from: Option<PathBuf>,

    /// Output format.
    #[arg(short, long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,

    /// Read every input as this format instead of detecting it from the
    /// extension and content.
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub input_format: Option<InputFormat>,

    /// Extra outlet list (TOML, same layout as data/outlets.toml) merged into the built-in one.
    #[arg(long, value_name = "FILE")]
    pub outlets: Vec<PathBuf>,

    /// Write the report to FILE instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutputFormat {
    Text,
    Json,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum CheckFormat {
    Text,
    Json,
    Markdown,
    Junit,
    Html,
}

#[derive(clap::Args, Debug, Clone)]
pub struct CheckArgs {
    /// Configuration file (default: ./citevault.toml when present). Options
    /// given on the command line win over the file.
    #[arg(short = 'c', long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Only fail for a citation that has failed in each of the last N checks
    /// recorded in the archive (this one included), so one bad night does
    /// not break the build.
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub fail_after: u32,

    /// Files, directories, glob patterns (`'digests/**/*.md'`), or `-` for stdin.
    #[arg(value_name = "PATH", required_unless_present = "files_from")]
    pub paths: Vec<PathBuf>,

    /// Also read the paths to check from FILE, one per line (`-` for stdin), e.g.
    /// the files a pull request changed.
    #[arg(long, value_name = "FILE")]
    pub files_from: Option<PathBuf>,

    /// Output format.
    #[arg(short, long, value_enum, default_value_t = CheckFormat::Text)]
    pub format: CheckFormat,

    /// Write the report to FILE instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Also write a JSON report to FILE (several outputs in one run).
    #[arg(long, value_name = "FILE")]
    pub output_json: Option<PathBuf>,

    /// Also write a Markdown report to FILE (e.g. "$GITHUB_STEP_SUMMARY").
    #[arg(long, value_name = "FILE")]
    pub output_markdown: Option<PathBuf>,

    /// Also write a JUnit XML report to FILE.
    #[arg(long, value_name = "FILE")]
    pub output_junit: Option<PathBuf>,

    /// Also write a self-contained HTML report to FILE.
    #[arg(long, value_name = "FILE")]
    pub output_html: Option<PathBuf>,

    /// Read every input as this format instead of detecting it.
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub input_format: Option<InputFormat>,

    /// Extra outlet list merged into the built-in one.
    #[arg(long, value_name = "FILE")]
    pub outlets: Vec<PathBuf>,

    /// Seconds allowed for a whole request (connect, headers, body), per attempt.
    #[arg(short, long, value_name = "SECS", default_value_t = 20)]
    pub timeout: u64,

    /// Requests in flight across all hosts.
    #[arg(long, value_name = "N", default_value_t = 64)]
    pub max_concurrency: usize,

    /// Requests in flight to one host.
    #[arg(long, value_name = "N", default_value_t = 2)]
    pub host_concurrency: usize,

    /// Minimum gap between request starts to one host (e.g. 500ms, 1s).
    #[arg(long, value_name = "DURATION", default_value = "500ms", value_parser = parse_duration)]
    pub host_request_interval: Duration,

    /// Retries after the first attempt on 5xx, 429, resets and timeouts.
    #[arg(long, value_name = "N", default_value_t = 3)]
    pub max_retries: u32,

    /// User-Agent header.
    #[arg(long, value_name = "UA", default_value = DEFAULT_USER_AGENT)]
    pub user_agent: String,

    /// Proxy for every request (else HTTP_PROXY, HTTPS_PROXY and NO_PROXY apply).
    #[arg(long, value_name = "URL")]
    pub proxy: Option<String>,

    /// Skip URLs matching this regular expression (repeatable).
    #[arg(long, value_name = "REGEX")]
    pub exclude: Vec<String>,

    /// Statuses that make the run fail with exit code 2.
    #[arg(
        long,
        value_name = "STATUSES",
        value_delimiter = ',',
        default_value = "dead,soft-404"
    )]
    pub fail_on: Vec<CheckStatus>,

    /// Check private, loopback and link-local addresses too (refused by default).
    #[arg(long)]
    pub allow_private: bool,

    /// Never show the progress bar.
    #[arg(long)]
    pub no_progress: bool,

    /// Show the progress bar even when stderr is not a terminal.
    #[arg(long, conflicts_with = "no_progress")]
    pub progress: bool,

    /// Archive directory: WARC snapshots and the index.
    #[arg(
        long,
        value_name = "DIR",
        env = "CITEVAULT_ARCHIVE",
        default_value = "archive"
    )]
    pub archive: PathBuf,

    /// Check without storing anything in the archive.
    #[arg(long)]
    pub no_archive: bool,

    /// Outlets defined in the config file.
    #[arg(skip)]
    pub inline_outlets: Vec<crate::outlets::Outlet>,

    /// Per-host policies from the config file.
    #[arg(skip)]
    pub hosts: Vec<(String, crate::config::HostPolicy)>,
}

fn parse_duration(s: &str) -> Result<Duration, String> {
    humantime::parse_duration(s.trim()).map_err(|e| format!("{e} (examples: 500ms, 2s, 1m)"))
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum InputFormat {
    Text,
    Markdown,
    Html,
}

impl From<InputFormat> for Format {
    fn from(f: InputFormat) -> Self {
        match f {
            InputFormat::Text => Format::Text,
            InputFormat::Markdown => Format::Markdown,
            InputFormat::Html => Format::Html,
        }
    }
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
    let result = match cli.command {
        Command::Extract(args) => extract(&args),
        Command::Check(mut args) => {
            let sub = matches
                .subcommand_matches("check")
                .cloned()
                .unwrap_or_default();
            match apply_config(&mut args, &sub) {
                Ok(()) => check(&args),
                Err(e) => {
                    eprintln!("citevault: {e}");
                    return EXIT_CONFIG;
                }
            }
        }
        Command::Lookup(args) => archive_cmds::lookup(&args),
        Command::Show(args) => archive_cmds::show(&args),
        Command::History(args) => archive_cmds::history(&args),
        Command::VerifyArchive(args) => archive_cmds::verify(&args),
        Command::Report(args) => archive_cmds::report(&args),
        Command::Completions { shell } => {
            let mut cmd = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(shell, &mut cmd, "citevault", &mut io::stdout());
            Ok(EXIT_OK)
        }
    };
    result.unwrap_or_else(|e| {
        eprintln!("citevault: {e}");
        EXIT_ERROR
    })
}

/// The inputs named on the command line: paths, glob patterns expanded
/// (sorted), and the lines of `--files-from`.
fn input_paths(paths: &[PathBuf], files_from: Option<&PathBuf>) -> Result<Vec<PathBuf>, String> {
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
            return Err(format!("pattern {s:?} matches no file"));
        }
        found.sort();
        out.extend(found);
    }
    Ok(out)
}

/// GitHub Actions workflow commands for failing citations: `::error` for
/// `--fail-on` statuses, `::warning` for other problems (on stderr, which the
/// runner reads like stdout, so reports on stdout stay clean).
fn github_annotations(docs: &[Document], fail_on: &[CheckStatus]) {
    for doc in docs {
        let cited = doc
            .items
            .iter()
            .flat_map(|i| i.citations.iter().map(move |c| (Some(i.title.as_str()), c)))
            .chain(doc.citations.iter().map(|c| (None, c)));
        for (item, c) in cited {
            let Some(r) = &c.check else { continue };
            let level = if fail_on.contains(&r.status) {
                "error"
            } else if matches!(
                r.status,
                CheckStatus::Blocked | CheckStatus::Error | CheckStatus::Timeout
            ) {
                "warning"
            } else {
                continue;
            };
            let clean = |s: &str| {
                s.replace('%', "%25")
                    .replace('\r', "%0D")
                    .replace('\n', "%0A")
            };
            let prop = |s: &str| clean(s).replace(':', "%3A").replace(',', "%2C");
            let title = format!("{} source: {}", r.status, item.unwrap_or("citation"));
            eprintln!(
                "::{level} file={},line={},title={}::{} {}",
                prop(&doc.source),
                c.line,
                prop(&title),
                clean(c.url.as_deref().unwrap_or("(no URL)")),
                clean(&r.reason)
            );
        }
    }
}

fn load_outlets(paths: &[PathBuf]) -> Result<OutletRegistry, String> {
    let mut outlets = OutletRegistry::builtin();
    for path in paths {
        outlets.extend_from_file(path).map_err(|e| e.to_string())?;
    }
    Ok(outlets)
}

fn open_output(path: Option<&PathBuf>) -> Result<Box<dyn Write>, String> {
    Ok(match path {
        Some(p) => Box::new(io::BufWriter::new(
            std::fs::File::create(p).map_err(|e| format!("cannot write {}: {e}", p.display()))?,
        )),
        None => Box::new(io::BufWriter::new(io::stdout().lock())),
    })
}

/// Fills options not given on the command line from the config file.
fn apply_config(
    args: &mut CheckArgs,
    m: &clap::ArgMatches,
) -> Result<(), crate::config::ConfigError> {
    use clap::parser::ValueSource;
    let Some((cfg, path)) = crate::config::Config::load(args.config.as_deref())? else {
        return Ok(());
    };
    let unset = |id: &str| {
        !matches!(
            m.value_source(id),
            Some(ValueSource::CommandLine | ValueSource::EnvVariable)
        )
    };
    let invalid = |message: String| crate::config::ConfigError::Invalid {
        path: path.display().to_string(),
        message,
    };
    macro_rules! take {
        ($field:ident, $id:literal) => {
            if unset($id) {
                if let Some(v) = cfg.$field.clone() {
                    args.$field = v;
                }
            }
        };
    }
    take!(timeout, "timeout");
    take!(max_concurrency, "max_concurrency");
    take!(host_concurrency, "host_concurrency");
    take!(max_retries, "max_retries");
    take!(user_agent, "user_agent");
    take!(allow_private, "allow_private");
    take!(archive, "archive");
    take!(no_archive, "no_archive");
    take!(fail_after, "fail_after");
    if unset("host_request_interval") {
        if let Some(v) = cfg.host_request_interval {
            args.host_request_interval = v;
        }
    }
    if unset("proxy") && cfg.proxy.is_some() {
        args.proxy = cfg.proxy.clone();
    }
    if unset("exclude") && !cfg.exclude.is_empty() {
        args.exclude = cfg.exclude.clone();
    }
    if unset("fail_on") {
        if let Some(list) = &cfg.fail_on {
            args.fail_on = list
                .iter()
                .map(|s| {
                    s.parse::<CheckStatus>()
                        .map_err(|e| invalid(format!("fail_on: {e}")))
                })
                .collect::<Result<_, _>>()?;
        }
    }
    let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
    args.outlets
        .extend(cfg.outlets.iter().map(|p| base.join(p)));
    args.inline_outlets = cfg.outlet.clone();
    args.hosts = cfg.hosts.clone().into_iter().collect();
    Ok(())
}

fn check(args: &CheckArgs) -> Result<i32, String> {
    let mut outlets = load_outlets(&args.outlets)?;
    for o in &args.inline_outlets {
        outlets.add(o.clone());
    }
    let extractor = Extractor::new()
        .outlets(outlets)
        .input_format(args.input_format.map(Format::from));
    let exclude = args
        .exclude
        .iter()
        .map(|r| regex::Regex::new(r).map_err(|e| format!("invalid --exclude {r:?}: {e}")))
        .collect::<Result<Vec<_>, _>>()?;
    let opts = CheckOptions {
        timeout: Duration::from_secs(args.timeout.max(1)),
        max_concurrency: args.max_concurrency.max(1),
        host_concurrency: args.host_concurrency.max(1),
        host_interval: args.host_request_interval,
        max_retries: args.max_retries,
        user_agent: args.user_agent.clone(),
        proxy: args.proxy.clone(),
        exclude,
        allow_private: args.allow_private,
        keep_exchanges: !args.no_archive,
        hosts: args.hosts.clone(),
        ..CheckOptions::default()
    };

    // Documents are kept: a URL's result fans out to every citation of it.
    let mut docs: Vec<Document> = Vec::new();
    let mut input_errors = Vec::new();
    let paths = input_paths(&args.paths, args.files_from.as_ref())?;
    for input in expand_inputs(&paths) {
        match input.and_then(|i| extractor.extract_input(&i)) {
            Ok(doc) => docs.push(doc),
            Err(e) => {
                eprintln!("citevault: {e}");
                input_errors.push((e.path().to_string(), e.problem()));
            }
        }
    }
    let mut urls: Vec<String> = docs
        .iter()
        .flat_map(|d| d.all_citations())
        .filter_map(|c| c.url.clone())
        .collect();
    urls.sort_unstable();
    urls.dedup();

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the async runtime: {e}"))?;
    let mut archive = if args.no_archive {
        None
    } else {
        Some(Archive::open(&args.archive).map_err(|e| e.to_string())?)
    };
    let conditionals = match &archive {
        Some(a) => a.conditionals(&urls).map_err(|e| e.to_string())?,
        None => HashMap::new(),
    };
    let mut archive_error = None;
    let results = runtime.block_on(async {
        let checker = Checker::new(opts).map_err(|e| e.to_string())?;
        let bar = progress_bar(urls.len() as u64, args);
        let mut counts: HashMap<CheckStatus, usize> = HashMap::new();
        // Each result beside the number of citations still to receive it.
        let mut results: HashMap<String, (CheckResult, usize)> = HashMap::with_capacity(urls.len());
        let mut stream =
            std::pin::pin!(checker.check_urls(urls, std::sync::Arc::new(conditionals)));
        while let Some(checked) = stream.next().await {
            if let (Some(a), None) = (archive.as_mut(), &archive_error) {
                if let Err(e) = a.store(&checked) {
                    // What is stored stays stored; checking goes on without the archive.
                    eprintln!("citevault: {e}; archiving stopped, checking continues");
                    archive_error = Some(e.to_string());
                }
            }
            let crate::check::Checked { url, result, .. } = checked;
            *counts.entry(result.status).or_default() += 1;
            bar.inc(1);
            bar.set_message(
                CheckStatus::ALL
                    .iter()
                    .filter_map(|s| counts.get(s).map(|n| format!("{n} {s}")))
                    .collect::<Vec<_>>()
                    .join(", "),
            );
            results.insert(url, (result, 0));
        }
        bar.finish_and_clear();
        Ok::<_, String>(results)
    })?;

    // Fan results out to every citation of their URL; the last citation of
    // a URL takes the result itself rather than a copy.
    if let (Some(a), None) = (archive.as_mut(), &archive_error) {
        if let Err(e) = a.record_citations(&docs).and_then(|()| a.commit()) {
            eprintln!("citevault: {e}");
            archive_error = Some(e.to_string());
        }
    }
    // --fail-after N: a failure counts only when the last N recorded checks
    // of the URL (this one included) all failed.
    let mut confirmed: Option<std::collections::HashSet<String>> = None;
    if args.fail_after > 1 {
        match (&archive, &archive_error) {
            (Some(a), None) => {
                let n = args.fail_after as usize;
                let mut set = std::collections::HashSet::new();
                for (url, (r, _)) in &results {
                    if !args.fail_on.contains(&r.status) {
                        continue;
                    }
                    let history = a.checks(url).map_err(|e| e.to_string())?;
                    let last: Vec<_> = history.iter().rev().take(n).collect();
                    let all_failed = last.len() == n
                        && last.iter().all(|c| {
                            c.status
                                .parse()
                                .is_ok_and(|s: CheckStatus| args.fail_on.contains(&s))
                        });
                    if all_failed {
                        set.insert(url.clone());
                    }
                }
                confirmed = Some(set);
            }
            _ => eprintln!(
                "citevault: --fail-after needs the archive; failing on this run's results alone"
            ),
        }
    }
    // Where each URL's latest archived copy is, for the reports.
    let mut copies: HashMap<String, crate::model::ArchivedCopy> = HashMap::new();
    if let (Some(a), None) = (&archive, &archive_error) {
        for url in results.keys() {
            if let Some(snap) = a.snapshot_near(url, None).map_err(|e| e.to_string())? {
                let quoted = format!("'{}'", url.replace('\'', "'\\''"));
                let snaps = a.snapshots(url).map_err(|e| e.to_string())?;
                let last_good = snaps
                    .iter()
                    .rev()
                    .find(|s| (200..300).contains(&s.http_status))
                    .map(|s| s.fetched_at);
                let history = a.checks(url).map_err(|e| e.to_string())?;
                let failed = |st: &str| {
                    st.parse()
                        .is_ok_and(|s: CheckStatus| args.fail_on.contains(&s))
                };
                let failing_since = history
                    .iter()
                    .rev()
                    .take_while(|c| failed(&c.status))
                    .last()
                    .map(|c| c.checked_at);
                copies.insert(
                    url.clone(),
                    crate::model::ArchivedCopy {
                        snapshot_at: snap.fetched_at,
                        http_status: snap.http_status,
                        sha256: snap.sha256,
                        show: format!(
                            "citevault show --archive '{}' {quoted}",
                            args.archive.display()
                        ),
                        last_good,
                        failing_since,
                    },
                );
            }
        }
    }
    drop(archive);
    let mut results = results;
    for c in docs.iter().flat_map(|d| d.all_citations()) {
        if let Some(entry) = c.url.as_deref().and_then(|u| results.get_mut(u)) {
            entry.1 += 1;
        }
    }
    let mut failing = 0;
    for doc in &mut docs {
        let citations = doc
            .items
            .iter_mut()
            .flat_map(|i| i.citations.iter_mut())
            .chain(doc.citations.iter_mut());
        for c in citations {
            let r = match &c.url {
                Some(u) => match results.get_mut(u) {
                    Some((r, left)) if *left > 1 => {
                        *left -= 1;
                        Some(r.clone())
                    }
                    Some(_) => results.remove(u).map(|(r, _)| r),
                    None => None,
                },
                None => Some(unlinked_result()),
            };
            let counts = match (&confirmed, &c.url) {
                (Some(set), Some(u)) => set.contains(u),
                _ => true,
            };
            if counts && r.as_ref().is_some_and(|r| args.fail_on.contains(&r.status)) {
                failing += 1;
            }
            c.check = r.map(Box::new);
            c.archive = c
                .url
                .as_ref()
                .and_then(|u| copies.get(u))
                .cloned()
                .map(Box::new);
        }
    }

    // Colour only for a terminal on stdout, and never with NO_COLOR set.
    let color = args.output.is_none()
        && io::stdout().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let writer = |format: CheckFormat, out: Box<dyn Write>| -> Box<dyn ReportWriter> {
        match format {
            CheckFormat::Text => Box::new(TextWriter::new(out).with_color(color)),
            CheckFormat::Json => Box::new(JsonWriter::new(out)),
            CheckFormat::Markdown => Box::new(MarkdownWriter::new(out)),
            CheckFormat::Junit => Box::new(JunitWriter::new(out, args.fail_on.clone())),
            CheckFormat::Html => Box::new(HtmlWriter::new(out)),
        }
    };
    let mut reports = vec![writer(args.format, open_output(args.output.as_ref())?)];
    let extra = [
        (CheckFormat::Json, &args.output_json),
        (CheckFormat::Markdown, &args.output_markdown),
        (CheckFormat::Junit, &args.output_junit),
        (CheckFormat::Html, &args.output_html),
    ];
    for (format, path) in extra {
        if let Some(p) = path {
            reports.push(writer(format, open_output(Some(p))?));
        }
    }
    if std::env::var("GITHUB_ACTIONS").is_ok_and(|v| v == "true") {
        github_annotations(&docs, &args.fail_on);
    }
    let io_err = |e: io::Error| format!("cannot write report: {e}");
    for report in &mut reports {
        for doc in &docs {
            report.document(doc).map_err(io_err)?;
        }
        for (source, problem) in &input_errors {
            report.error(source, problem).map_err(io_err)?;
        }
        report.finish().map_err(io_err)?;
    }
    Ok(if !input_errors.is_empty() || archive_error.is_some() {
        EXIT_ERROR
    } else if failing > 0 {
        EXIT_FAILING
    } else {
        EXIT_OK
    })
}

fn progress_bar(len: u64, args: &CheckArgs) -> indicatif::ProgressBar {
    let visible = !args.no_progress && (args.progress || io::stderr().is_terminal());
    if !visible {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::with_draw_target(
        Some(len),
        indicatif::ProgressDrawTarget::stderr(),
    );
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "{spinner} [{elapsed_precise}] {bar:30} {pos}/{len} URLs  {per_sec}  ETA {eta}  {msg}",
    ) {
        bar.set_style(style);
    }
    bar.enable_steady_tick(Duration::from_millis(200));
    bar
}

fn extract(args: &ExtractArgs) -> Result<i32, String> {
    let extractor = Extractor::new()
        .outlets(load_outlets(&args.outlets)?)
        .input_format(args.input_format.map(Format::from));
    let out = open_output(args.output.as_ref())?;
    let mut report: Box<dyn ReportWriter> = match args.format {
        OutputFormat::Text => Box::new(TextWriter::new(out)),
        OutputFormat::Json => Box::new(JsonWriter::new(out)),
    };
    let io_err = |e: io::Error| format!("cannot write report: {e}");
    let mut failed = false;
    let paths = input_paths(&args.paths, args.files_from.as_ref())?;
    for input in expand_inputs(&paths) {
        let result = input.and_then(|i| extractor.extract_input(&i));
        match result {
            Ok(doc) => report.document(&doc).map_err(io_err)?,
            Err(e) => {
                failed = true;
                eprintln!("citevault: {e}");
                report.error(e.path(), &e.problem()).map_err(io_err)?;
            }
        }
    }
    report.finish().map_err(io_err)?;
    Ok(if failed { EXIT_ERROR } else { EXIT_OK })
}
