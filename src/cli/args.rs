//! The arguments of every subcommand, and how `citevault.toml` fills the
//! ones not given: each option is declared once here, with its key in
//! [`crate::config::Config`] of the same name.

use crate::check::{CheckOptions, DEFAULT_USER_AGENT};
use crate::config::{Config, ConfigError};
use crate::extract::Extractor;
use crate::model::Format;
use crate::outlets::OutletRegistry;
use crate::overrides::{Override, OverrideBy};
use crate::report::ReportFormat;
use clap::parser::ValueSource;
use clap::{ArgMatches, ValueEnum};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Output formats of `extract`, `lookup`, `history`, `verify-archive`.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutputFormat {
    /// For people.
    Text,
    /// For programs.
    Json,
}

/// Report formats of `check` and `report`.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum CheckFormat {
    /// For a terminal.
    Text,
    /// For programs.
    Json,
    /// For CI summaries and pull requests.
    Markdown,
    /// For CI test views.
    Junit,
    /// A self-contained page.
    Html,
}

impl From<CheckFormat> for ReportFormat {
    fn from(f: CheckFormat) -> Self {
        match f {
            CheckFormat::Text => ReportFormat::Text,
            CheckFormat::Json => ReportFormat::Json,
            CheckFormat::Markdown => ReportFormat::Markdown,
            CheckFormat::Junit => ReportFormat::Junit,
            CheckFormat::Html => ReportFormat::Html,
        }
    }
}

/// Input formats, to override detection.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum InputFormat {
    /// Plain text.
    Text,
    /// Markdown.
    Markdown,
    /// HTML.
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

/// `--archive`, shared by every command that uses the archive.
#[derive(clap::Args, Debug, Clone)]
pub struct ArchiveDir {
    /// Archive directory: WARC snapshots and the index.
    #[arg(
        long,
        value_name = "DIR",
        env = "CITEVAULT_ARCHIVE",
        default_value = "archive"
    )]
    pub archive: PathBuf,
}

/// Which inputs to read and how.
#[derive(clap::Args, Debug, Clone)]
pub struct InputArgs {
    /// Files, directories, glob patterns (`'digests/**/*.md'`), or `-` for stdin.
    #[arg(value_name = "PATH", required_unless_present = "files_from")]
    pub paths: Vec<PathBuf>,

    /// Also read the paths from FILE, one per line (`-` for stdin), e.g.
    /// the files a pull request changed.
    #[arg(long, value_name = "FILE")]
    pub files_from: Option<PathBuf>,

    /// Read every input as this format instead of detecting it from the
    /// extension and content.
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub input_format: Option<InputFormat>,

    /// Extra outlet list (TOML, same layout as data/outlets.toml) merged into the built-in one.
    #[arg(long, value_name = "FILE")]
    pub outlets: Vec<PathBuf>,

    /// Refuse a document larger than SIZE (bytes, or with a unit: 500k,
    /// 64MiB, 1GB) [default: 64MiB]. At most SIZE + 1 bytes of an input
    /// are ever read.
    #[arg(long, value_name = "SIZE", value_parser = crate::extract::parse_size)]
    pub max_document_size: Option<u64>,

    /// Outlets defined in the config file.
    #[arg(skip)]
    pub inline_outlets: Vec<crate::outlets::Outlet>,
}

/// When a run fails, shared by `check` and `report`.
#[derive(clap::Args, Debug, Clone)]
pub struct FailArgs {
    /// Statuses (dead, soft-404, blocked, error, timeout, unlinked, skipped,
    /// alive) and findings of verification (outlet-mismatch, syndicated,
    /// date-mismatch, changed, drifted, …) that make the run fail with exit
    /// code 2.
    #[arg(
        long,
        value_name = "STATUSES",
        value_delimiter = ',',
        default_value = "dead,soft-404"
    )]
    pub fail_on: Vec<crate::run::FailOn>,

    /// Only fail for a citation that has failed in each of the last N checks
    /// recorded in the archive (this one included), so one bad night does
    /// not break the build.
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub fail_after: u32,
}

impl FailArgs {
    /// The policy these arguments give.
    pub fn policy(&self) -> crate::run::FailPolicy {
        crate::run::FailPolicy::from_words(&self.fail_on, self.fail_after)
    }
}

/// Where the public web archives are and how politely to ask them: shared
/// by `check`, `lookup --remote`, `save` and `robustify`.
#[derive(clap::Args, Debug, Clone)]
pub struct RemoteArgs {
    /// The Wayback Machine: its CDX API (`cdx/search/cdx`), mementos
    /// (`web/`) and, unless --spn-url is given, Save Page Now.
    #[arg(long, value_name = "URL", default_value = crate::remote::DEFAULT_WAYBACK_URL)]
    pub wayback_url: String,

    /// A Memento TimeGate asked besides the Wayback Machine, as a prefix the
    /// cited URL is appended to (`https://archive.ph/timegate/`, a MemGator
    /// aggregator's `…/timegate/`); repeatable.
    #[arg(long, value_name = "URL")]
    pub memento_url: Vec<String>,

    /// Save Page Now 2's base URL (`save`, `save/status/JOB`) [default: --wayback-url].
    #[arg(long, value_name = "URL")]
    pub spn_url: Option<String>,

    /// Least gap between two requests to one archive service (the CDX API
    /// allows about 24 a minute).
    #[arg(long, value_name = "DURATION", default_value = "2500ms", value_parser = parse_duration)]
    pub remote_interval: Duration,

    /// Least gap between two Save Page Now submissions.
    #[arg(long, value_name = "DURATION", default_value = "12s", value_parser = parse_duration)]
    pub save_interval: Duration,

    /// Seconds allowed for one request to an archive.
    #[arg(long, value_name = "SECS", default_value_t = 30)]
    pub remote_timeout: u64,

    /// Save Page Now does not capture a URL it captured within this long
    /// (e.g. 30d, 12h; 0: always capture): its latest capture is the answer.
    #[arg(long, value_name = "DURATION", default_value = "30d", value_parser = parse_duration)]
    pub if_not_archived_within: Duration,

    /// Gap between two questions to Save Page Now about a capture in progress.
    #[arg(long, value_name = "DURATION", default_value = "6s", value_parser = parse_duration)]
    pub save_poll_interval: Duration,

    /// Reuse an archive's answer stored in the archive for this long
    /// before asking again (e.g. 30d, 12h).
    #[arg(long, value_name = "DURATION", default_value = "30d", value_parser = parse_duration)]
    pub remote_max_age: Duration,

    /// An endpoint came from the config file: its name must resolve to
    /// public addresses.
    #[arg(skip)]
    pub endpoints_from_file: bool,
}

impl RemoteArgs {
    /// How Save Page Now is asked.
    pub fn save_options(&self) -> crate::remote::spn::SaveOptions {
        crate::remote::spn::SaveOptions {
            if_not_archived_within: self.if_not_archived_within,
            poll_interval: self.save_poll_interval,
            ..Default::default()
        }
    }

    /// The one place remote options are built from the arguments.
    pub fn remote_options(&self, user_agent: &str) -> Result<crate::remote::RemoteOptions, String> {
        let endpoint = |key: &str, raw: &str| -> Result<url::Url, String> {
            let mut text = raw.trim().to_string();
            if !text.ends_with('/') {
                text.push('/');
            }
            let u = url::Url::parse(&text).map_err(|e| format!("invalid --{key} {raw:?}: {e}"))?;
            if !matches!(u.scheme(), "http" | "https") {
                return Err(format!("invalid --{key} {raw:?}: not an http(s) URL"));
            }
            Ok(u)
        };
        let wayback = endpoint("wayback-url", &self.wayback_url)?;
        let spn = match &self.spn_url {
            Some(s) => endpoint("spn-url", s)?,
            None => wayback.clone(),
        };
        let memento = self
            .memento_url
            .iter()
            .map(|m| {
                url::Url::parse(m.trim())
                    .map_err(|e| format!("invalid --memento-url {m:?}: {e}"))
                    .and_then(|u| match u.scheme() {
                        "http" | "https" => Ok(u),
                        _ => Err(format!("invalid --memento-url {m:?}: not an http(s) URL")),
                    })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(crate::remote::RemoteOptions {
            wayback_url: Some(wayback),
            memento_urls: memento,
            spn_url: spn,
            lookup_interval: self.remote_interval,
            save_interval: self.save_interval,
            timeout: Duration::from_secs(self.remote_timeout.max(1)),
            user_agent: user_agent.to_string(),
            trusted_endpoints: !self.endpoints_from_file,
            ..crate::remote::RemoteOptions::default()
        })
    }
}

/// `citevault extract`.
#[derive(clap::Args, Debug)]
pub struct ExtractArgs {
    #[command(flatten)]
    pub input: InputArgs,

    /// Output format.
    #[arg(short, long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,

    /// Write the report to FILE instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// `citevault check`.
#[derive(clap::Args, Debug, Clone)]
pub struct CheckArgs {
    #[command(flatten)]
    pub input: InputArgs,

    #[command(flatten)]
    pub fail: FailArgs,

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

    /// Deadline for the whole run (e.g. 5h, 30m; 0 for none): once reached,
    /// no request starts, waits are cut, the URLs left say why, and the
    /// report is written.
    #[arg(long, value_name = "DURATION", default_value = "5h", value_parser = parse_duration)]
    pub max_runtime: Duration,

    /// A dead or soft-404 verdict is confirmed by fetching the URL again at
    /// least this long after it (once its host's other URLs are done);
    /// 0 for no confirmation.
    #[arg(long, value_name = "DURATION", default_value = "3s", value_parser = parse_duration)]
    pub confirm_delay: Duration,

    /// Also archive the images, stylesheets and fonts of each alive cited
    /// page (same site or a CDN; needs the archive).
    #[arg(long)]
    pub requisites: bool,

    /// A host (and its subdomains) requisites may come from besides the
    /// page's own site and the built-in CDN list (repeatable).
    #[arg(long = "requisite-host", value_name = "HOST")]
    pub requisite_hosts: Vec<String>,

    /// Requisite requests per page.
    #[arg(long, value_name = "N", default_value_t = crate::check::DEFAULT_MAX_REQUISITES)]
    pub max_requisites: usize,

    /// Bytes of requisites per page (e.g. 5MiB, 500k).
    #[arg(long, value_name = "SIZE", default_value = "5MiB", value_parser = crate::extract::parse_size)]
    pub max_requisite_bytes: u64,

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

    /// Check private, loopback and link-local addresses too (refused by default).
    #[arg(long)]
    pub allow_private: bool,

    /// Never show the progress bar.
    #[arg(long)]
    pub no_progress: bool,

    /// Show the progress bar even when stderr is not a terminal.
    #[arg(long, conflicts_with = "no_progress")]
    pub progress: bool,

    #[command(flatten)]
    pub dir: ArchiveDir,

    /// Check without storing anything in the archive.
    #[arg(long)]
    pub no_archive: bool,

    /// Who runs the archiving (a name, an address): written in the
    /// `warcinfo` record that opens each WARC file.
    #[arg(long, value_name = "TEXT")]
    pub operator: Option<String>,

    /// The collection the archived records belong to (`isPartOf` in each
    /// `warcinfo` record).
    #[arg(long, value_name = "NAME", default_value = "citevault")]
    pub collection: String,

    /// Verify every citation after checking it: the outlet named against
    /// the URL's host, the cited date against the URL's and the page's,
    /// the page's title, and drift from its first archived snapshot.
    #[arg(long)]
    pub verify: bool,

    /// Days a date in the URL or on the page may lie from the cited date
    /// before it is a date-mismatch.
    #[arg(long, value_name = "DAYS", default_value_t = 2)]
    pub date_tolerance: i64,

    /// With `verify`: fetch nothing; verify against what the archive holds
    /// (each URL's last recorded check and its snapshot).
    #[arg(long)]
    pub offline: bool,

    /// Do not ask the public archives (Wayback Machine, Memento archives)
    /// for a copy of each failing citation near its cited date.
    #[arg(long, env = "CITEVAULT_NO_REMOTE", value_parser = clap::builder::FalseyValueParser::new())]
    pub no_remote: bool,

    /// Submit alive sources without a recent public capture to Save Page
    /// Now (keys in CITEVAULT_IA_KEYS as ACCESS:SECRET).
    #[arg(long, conflicts_with = "no_remote")]
    pub save_remote: bool,

    #[command(flatten)]
    pub remote: RemoteArgs,

    /// Per-host policies from the config file.
    #[arg(skip)]
    pub hosts: Vec<(String, crate::check::HostPolicy)>,

    /// Overrides (`[[override]]`) from the config file.
    #[arg(skip)]
    pub overrides: Vec<Override>,
}

fn parse_duration(s: &str) -> Result<Duration, String> {
    humantime::parse_duration(s.trim()).map_err(|e| format!("{e} (examples: 500ms, 2s, 1m)"))
}

impl CheckArgs {
    /// The one place check options are built from the arguments.
    pub fn check_options(&self) -> Result<CheckOptions, String> {
        let exclude = self
            .exclude
            .iter()
            .map(|r| regex::Regex::new(r).map_err(|e| format!("invalid --exclude {r:?}: {e}")))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(CheckOptions {
            timeout: Duration::from_secs(self.timeout.max(1)),
            max_concurrency: self.max_concurrency.max(1),
            host_concurrency: self.host_concurrency.max(1),
            host_interval: self.host_request_interval,
            max_retries: self.max_retries,
            user_agent: self.user_agent.clone(),
            proxy: self.proxy.clone(),
            exclude,
            allow_private: self.allow_private,
            hosts: self.hosts.clone(),
            max_runtime: (!self.max_runtime.is_zero()).then_some(self.max_runtime),
            confirm_after: (!self.confirm_delay.is_zero()).then_some(self.confirm_delay),
            requisites: self.requisites,
            requisite_hosts: self.requisite_hosts.clone(),
            max_requisites: self.max_requisites,
            max_requisite_bytes: self.max_requisite_bytes,
            ..CheckOptions::default()
        })
    }
}

impl CheckArgs {
    /// What the `warcinfo` records of this run's WARC files say.
    pub fn warc_info(&self) -> crate::archive::WarcInfo {
        crate::archive::WarcInfo {
            is_part_of: self.collection.clone(),
            operator: self.operator.clone(),
            // The run's user agent.
            user_agent: None,
        }
    }
}

impl InputArgs {
    /// The extractor these arguments describe: built-in outlets, outlet
    /// files, inline outlets, forced input format.
    pub fn extractor(&self) -> Result<Extractor, String> {
        let mut outlets = OutletRegistry::builtin();
        for path in &self.outlets {
            outlets.extend_from_file(path).map_err(|e| e.to_string())?;
        }
        for o in &self.inline_outlets {
            outlets.try_add(o.clone()).map_err(|e| {
                format!(
                    "invalid [[outlet]] in the config file: outlet {}: {}",
                    e.outlet, e.message
                )
            })?;
        }
        Ok(Extractor::new()
            .outlets(outlets)
            .input_format(self.input_format.map(Format::from))
            .max_document_size(
                self.max_document_size
                    .unwrap_or(crate::extract::DEFAULT_MAX_DOCUMENT_SIZE),
            ))
    }
}

/// Sets each named argument from the config key of the same name, unless
/// the command line or the environment gave it.
macro_rules! take_from_file {
    ($m:expr, $cfg:expr, $args:expr, $field:ident) => {
        if unset($m, stringify!($field)) {
            if let Some(v) = $cfg.$field.clone() {
                $args.$field = v;
            }
        }
    };
}

/// The config file, once loaded, and the folder its paths are relative to.
///
/// The file may come from an untrusted pull request, so it cannot widen
/// what a run reaches or reads: `allow_private = true` and every path that
/// leads outside the file's folder (absolute, `..` out of it, a symlink out
/// of it) are refused with exit code 3, unless the command line gives the
/// same thing (`--allow-private`, `--archive`, the same `--outlets` file).
pub struct Settings {
    config: Config,
    base: PathBuf,
    path: String,
}

/// The subcommands that use each guarded key of the file.
const USE_ARCHIVE: [&str; 10] = [
    "check",
    "verify",
    "save",
    "robustify",
    "lookup",
    "show",
    "history",
    "verify-archive",
    "report",
    "mark",
];
const USE_OUTLETS: [&str; 3] = ["extract", "check", "verify"];
const USE_ALLOW_PRIVATE: [&str; 2] = ["check", "verify"];

impl Settings {
    /// Loads `path`, or `./citevault.toml` when present, and vets it
    /// against the subcommand and its arguments as parsed: a key the
    /// command line overrides is not refused.
    pub fn load(
        path: Option<&Path>,
        command: (&str, &ArgMatches),
    ) -> Result<Option<Settings>, ConfigError> {
        let Some(settings) = Self::read(path)? else {
            return Ok(None);
        };
        settings.vet(Some(command))?;
        Ok(Some(settings))
    }

    /// Loads the file without vetting it.
    fn read(path: Option<&Path>) -> Result<Option<Settings>, ConfigError> {
        Ok(Config::load(path)?.map(|(config, path)| Settings {
            base: path.parent().map(Path::to_path_buf).unwrap_or_default(),
            path: path.display().to_string(),
            config,
        }))
    }

    fn invalid(&self, message: String) -> ConfigError {
        ConfigError::Invalid {
            path: self.path.clone(),
            message,
        }
    }

    /// Refuses what the file may not widen, for the subcommand `command`
    /// with its arguments; `None` (the command line is unknown) refuses
    /// every path outside the folder.
    fn vet(&self, command: Option<(&str, &ArgMatches)>) -> Result<(), ConfigError> {
        let cfg = &self.config;
        let uses = |users: &[&str], id: &str| match command {
            Some((name, m)) => users.contains(&name) && unset(m, id),
            None => true,
        };
        if cfg.allow_private == Some(true)
            && command.is_some()
            && uses(&USE_ALLOW_PRIVATE, "allow_private")
        {
            return Err(self.invalid(
                "allow_private = true is refused: a config file cannot allow checking \
                 private, loopback and link-local addresses; give --allow-private on the \
                 command line"
                    .to_string(),
            ));
        }
        // A proxy is exempt from the private-address guard (the operator
        // chose it), so only the operator may name one: not a file that a
        // pull request can change.
        if cfg.proxy.is_some() && command.is_some() && uses(&USE_ALLOW_PRIVATE, "proxy") {
            return Err(self.invalid(
                "proxy is refused: a config file cannot choose where requests go; give \
                 --proxy on the command line or set HTTP_PROXY / HTTPS_PROXY"
                    .to_string(),
            ));
        }
        if let (Some(archive), true) = (&cfg.archive, uses(&USE_ARCHIVE, "archive")) {
            self.inside("archive", archive, "give --archive on the command line")?;
        }
        if command.is_none_or(|(name, _)| USE_OUTLETS.contains(&name)) {
            let given: Vec<PathBuf> = command
                .and_then(|(_, m)| m.try_get_many::<PathBuf>("outlets").ok().flatten())
                .map(|paths| paths.filter_map(|p| p.canonicalize().ok()).collect())
                .unwrap_or_default();
            for (i, p) in cfg.outlets.iter().enumerate() {
                if self.given_on_command_line(p, &given) {
                    continue;
                }
                self.inside(
                    &format!("outlets[{i}]"),
                    p,
                    "give the file with --outlets on the command line",
                )?;
            }
        }
        Ok(())
    }

    /// Whether the file's path `p` names a file the command line gives too.
    fn given_on_command_line(&self, p: &Path, given: &[PathBuf]) -> bool {
        self.base
            .join(p)
            .canonicalize()
            .is_ok_and(|c| given.contains(&c))
    }

    /// `base.join(p)` when it stays inside the config file's folder, else
    /// an error naming the key (never the path: it is the file's text).
    fn inside(&self, key: &str, p: &Path, instead: &str) -> Result<PathBuf, ConfigError> {
        let why = match resolve_inside(&self.base, p) {
            Ok(()) => return Ok(self.base.join(p)),
            Err(Escape::Absolute) => "an absolute path",
            Err(Escape::Outside) => "a path that leads outside it (through `..` or a symlink)",
            Err(Escape::Unresolvable) => "a path that cannot be resolved",
        };
        Err(self.invalid(format!(
            "{key} is refused: a path in a config file must stay inside the config \
             file's folder, and this is {why}; {instead}"
        )))
    }

    /// `archive`, relative to the config file.
    pub fn apply_archive(&self, dir: &mut ArchiveDir, m: &ArgMatches) {
        if unset(m, "archive") {
            if let Some(a) = &self.config.archive {
                // Vetted when loaded; a path that escapes is never used.
                if let Ok(p) = self.inside("archive", a, "") {
                    dir.archive = p;
                }
            }
        }
    }

    /// `outlets` (relative to the config file, inside its folder, and not
    /// repeated when the command line gives the same file), `[[outlet]]`
    /// and `max_document_size`.
    pub fn apply_inputs(&self, input: &mut InputArgs) {
        let given: Vec<PathBuf> = input
            .outlets
            .iter()
            .filter_map(|p| p.canonicalize().ok())
            .collect();
        let from_file: Vec<PathBuf> = self
            .config
            .outlets
            .iter()
            .filter(|p| !self.given_on_command_line(p, &given))
            // Vetted when loaded; a path that escapes is never used.
            .filter_map(|p| self.inside("outlets", p, "").ok())
            .collect();
        input.outlets.extend(from_file);
        input.inline_outlets = self.config.outlet.clone();
        if input.max_document_size.is_none() {
            input.max_document_size = self.config.max_document_size;
        }
    }

    /// The `[[override]]` entries, each naming this file as what made it.
    pub fn overrides(&self) -> Vec<Override> {
        self.config
            .overrides
            .iter()
            .map(|e| Override {
                target: e.target.clone(),
                status: e.status,
                reason: e.reason.clone(),
                by: OverrideBy::File(self.path.clone()),
            })
            .collect()
    }

    /// `fail_on`, `fail_after`; says whether the file set either.
    pub fn apply_fail(&self, fail: &mut FailArgs, m: &ArgMatches) -> Result<bool, ConfigError> {
        let mut set = false;
        if unset(m, "fail_after") {
            if let Some(n) = self.config.fail_after {
                fail.fail_after = n;
                set = true;
            }
        }
        if let (true, Some(list)) = (unset(m, "fail_on"), &self.config.fail_on) {
            set = true;
            fail.fail_on = list
                .iter()
                .map(|s| {
                    s.parse::<crate::run::FailOn>()
                        .map_err(|e| self.invalid(format!("fail_on: {e}")))
                })
                .collect::<Result<_, _>>()?;
        }
        Ok(set)
    }

    /// The public archives' keys (`wayback_url`, `memento_url`, `spn_url`,
    /// `remote_interval`, `save_interval`, `remote_timeout`,
    /// `remote_max_age`). Endpoints from the file are not trusted: their
    /// names must resolve to public addresses.
    pub fn apply_remote(&self, args: &mut RemoteArgs, m: &ArgMatches) {
        let cfg = &self.config;
        take_from_file!(m, cfg, args, remote_interval);
        take_from_file!(m, cfg, args, save_interval);
        take_from_file!(m, cfg, args, remote_timeout);
        take_from_file!(m, cfg, args, remote_max_age);
        take_from_file!(m, cfg, args, if_not_archived_within);
        take_from_file!(m, cfg, args, save_poll_interval);
        if unset(m, "wayback_url") {
            if let Some(v) = &cfg.wayback_url {
                args.wayback_url = v.clone();
                args.endpoints_from_file = true;
            }
        }
        if unset(m, "spn_url") && cfg.spn_url.is_some() {
            args.spn_url = cfg.spn_url.clone();
            args.endpoints_from_file = true;
        }
        if unset(m, "memento_url") && !cfg.memento_url.is_empty() {
            args.memento_url = cfg.memento_url.clone();
            args.endpoints_from_file = true;
        }
    }

    /// Every key of `check`.
    pub fn apply_check(&self, args: &mut CheckArgs, m: &ArgMatches) -> Result<(), ConfigError> {
        self.vet(Some(("check", m)))?;
        let cfg = &self.config;
        take_from_file!(m, cfg, args, timeout);
        take_from_file!(m, cfg, args, max_concurrency);
        take_from_file!(m, cfg, args, host_concurrency);
        take_from_file!(m, cfg, args, host_request_interval);
        take_from_file!(m, cfg, args, max_runtime);
        take_from_file!(m, cfg, args, confirm_delay);
        take_from_file!(m, cfg, args, max_retries);
        take_from_file!(m, cfg, args, user_agent);
        take_from_file!(m, cfg, args, allow_private);
        take_from_file!(m, cfg, args, no_archive);
        take_from_file!(m, cfg, args, collection);
        if unset(m, "operator") && cfg.operator.is_some() {
            args.operator = cfg.operator.clone();
        }
        take_from_file!(m, cfg, args, no_remote);
        take_from_file!(m, cfg, args, verify);
        take_from_file!(m, cfg, args, date_tolerance);
        take_from_file!(m, cfg, args, save_remote);
        self.apply_remote(&mut args.remote, m);
        take_from_file!(m, cfg, args, requisites);
        take_from_file!(m, cfg, args, max_requisites);
        take_from_file!(m, cfg, args, max_requisite_bytes);
        if unset(m, "requisite_hosts") && !cfg.requisite_hosts.is_empty() {
            args.requisite_hosts = cfg.requisite_hosts.clone();
        }
        if unset(m, "proxy") && cfg.proxy.is_some() {
            args.proxy = cfg.proxy.clone();
        }
        if unset(m, "exclude") && !cfg.exclude.is_empty() {
            args.exclude = cfg.exclude.clone();
        }
        args.hosts = cfg.hosts.clone().into_iter().collect();
        args.overrides = self.overrides();
        self.apply_archive(&mut args.dir, m);
        self.apply_inputs(&mut args.input);
        self.apply_fail(&mut args.fail, m).map(drop)
    }
}

/// Whether an option was given on the command line or in the environment.
pub fn given(m: &ArgMatches, id: &str) -> bool {
    !unset(m, id)
}

/// Why a path of the config file is refused.
#[derive(Debug, PartialEq, Eq)]
enum Escape {
    /// Absolute (or with a drive prefix).
    Absolute,
    /// Leads outside the folder, through `..` or a symlink.
    Outside,
    /// A component cannot be resolved (a dangling symlink, no permission).
    Unresolvable,
}

/// Whether `rel`, taken relative to the folder `base`, stays inside it once
/// symlinks are resolved. The part of the path that does not exist yet (an
/// archive folder not created yet) is taken as written.
fn resolve_inside(base: &Path, rel: &Path) -> Result<(), Escape> {
    use std::path::Component;
    let base = if base.as_os_str().is_empty() {
        Path::new(".")
    } else {
        base
    };
    let root = base.canonicalize().map_err(|_| Escape::Unresolvable)?;
    let mut at = root.clone();
    let mut exists = true;
    for component in rel.components() {
        match component {
            Component::Prefix(_) | Component::RootDir => return Err(Escape::Absolute),
            Component::CurDir => {}
            Component::ParentDir => {
                // What exists of `at` is resolved, so its parent is the
                // real one; back out of the part not created yet, what
                // follows is resolved again (`new/../link/x`).
                at.pop();
                exists = exists || std::fs::symlink_metadata(&at).is_ok();
            }
            Component::Normal(name) => {
                let next = at.join(name);
                if !exists {
                    at = next;
                    continue;
                }
                match std::fs::symlink_metadata(&next) {
                    Ok(_) => at = next.canonicalize().map_err(|_| Escape::Unresolvable)?,
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                        exists = false;
                        at = next;
                    }
                    Err(_) => return Err(Escape::Unresolvable),
                }
            }
        }
    }
    if at.starts_with(&root) {
        Ok(())
    } else {
        Err(Escape::Outside)
    }
}

/// Whether an option was left to its default (not given on the command
/// line nor in the environment): only then does the config file fill it.
fn unset(m: &ArgMatches, id: &str) -> bool {
    !matches!(
        m.try_get_raw(id).ok().and(m.value_source(id)),
        Some(ValueSource::CommandLine | ValueSource::EnvVariable)
    )
}
