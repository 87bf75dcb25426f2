//! `lookup`, `show`, `history`, `verify-archive` and `report`: reading the archive.

use super::args::{ArchiveDir, CheckFormat, FailArgs, OutputFormat};
use super::output::{color_for, open_output, print_json, Failure};
use super::{verdict_code, EXIT_ERROR, EXIT_OK};
use crate::archive::{url_key, Archive, ResponseHead, Selection, Snapshot};
use crate::check::{decode_content, read_page};
use crate::model::{CheckStatus, Timestamp};
use crate::overrides::{Override, OverrideTarget};
use crate::report::{self, escape_controls, one_line, shell_quote, ReportOptions};
use std::io::{self, Write};
use std::path::PathBuf;

/// `citevault lookup`.
#[derive(clap::Args, Debug)]
pub struct LookupArgs {
    /// The URL, as cited (IRIs, any case of host, a trailing slash all match).
    pub url: String,
    /// Output format: `link` is an RFC 7089 TimeMap of the captures on a replay server.
    #[arg(short, long, value_enum, default_value_t = LookupFormat::Text)]
    pub format: LookupFormat,
    /// With `--format link`: the replay server's collection URL; a memento is
    /// BASE + 14-digit timestamp + `/` + URL (pywb's form).
    #[arg(
        long,
        value_name = "BASE",
        default_value = "http://localhost:8080/citevault/"
    )]
    pub replay_url: String,
    /// Ask the public archives (the Wayback Machine, --memento-url
    /// archives) for the capture closest to --date instead of reading the
    /// local archive.
    #[arg(long)]
    pub remote: bool,
    /// With --remote: the cited date (YYYY-MM-DD or YYYY-MM); the latest
    /// capture without it.
    #[arg(long, value_name = "DATE", requires = "remote", value_parser = super::remote_cmds::parse_cited_date)]
    pub date: Option<String>,
    #[command(flatten)]
    pub remote_args: super::args::RemoteArgs,
    #[command(flatten)]
    pub dir: ArchiveDir,
}

/// Output formats of `lookup`.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum LookupFormat {
    /// For people.
    Text,
    /// For programs.
    Json,
    /// An RFC 7089 TimeMap (application/link-format) for Memento clients.
    Link,
}

/// `citevault show`.
#[derive(clap::Args, Debug)]
pub struct ShowArgs {
    /// The URL, as cited.
    pub url: String,
    /// The snapshot closest to this time (RFC 3339, or a date YYYY-MM-DD); default: the latest.
    #[arg(long, value_name = "TIMESTAMP", conflicts_with = "last_good")]
    pub at: Option<String>,
    /// The last copy taken while the URL was alive (never an error page).
    #[arg(long)]
    pub last_good: bool,
    /// Print the payload exactly as the server sent it (its sha256 is the one `lookup` shows).
    #[arg(long, conflicts_with_all = ["text", "http"])]
    pub raw: bool,
    /// Print the whole stored HTTP response: status line, headers, payload.
    #[arg(long, conflicts_with = "text")]
    pub http: bool,
    /// Print the readable text, decoded to UTF-8 (the default).
    #[arg(long)]
    pub text: bool,
    #[command(flatten)]
    pub dir: ArchiveDir,
}

/// `citevault history`.
#[derive(clap::Args, Debug)]
pub struct HistoryArgs {
    /// Only changes at or after this time (RFC 3339, or a date YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// Output format.
    #[arg(short, long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
    #[command(flatten)]
    pub dir: ArchiveDir,
}

/// `citevault report`.
#[derive(clap::Args, Debug)]
pub struct ReportArgs {
    /// Only documents checked at or after this time (RFC 3339, or YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// Output format.
    #[arg(short, long, value_enum, default_value_t = CheckFormat::Text)]
    pub format: CheckFormat,
    /// Write the report to FILE instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub fail: FailArgs,
    #[command(flatten)]
    pub dir: ArchiveDir,
}

/// `citevault mark`.
#[derive(clap::Args, Debug)]
pub struct MarkArgs {
    /// The URL (with --prefix, the URL prefix) the mark is about.
    #[arg(required_unless_present = "list")]
    pub url: Option<String>,
    /// The status its citations are reported with (any but unlinked).
    #[arg(long, value_name = "STATUS", required_unless_present_any = ["list", "remove"])]
    pub status: Option<CheckStatus>,
    /// Why: every report shows it ("overridden: REASON").
    #[arg(long, value_name = "TEXT", required_unless_present_any = ["list", "remove"])]
    pub reason: Option<String>,
    /// The mark covers every URL that starts with URL.
    #[arg(long)]
    pub prefix: bool,
    /// Take back the mark of URL (the archive keeps when it was in force).
    #[arg(long, conflicts_with_all = ["status", "reason", "list"])]
    pub remove: bool,
    /// List the marks in force.
    #[arg(long, conflicts_with_all = ["url", "status", "reason", "prefix"])]
    pub list: bool,
    /// With --list: the marks taken back too.
    #[arg(long, requires = "list")]
    pub all: bool,
    /// Output format of --list.
    #[arg(short, long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
    #[command(flatten)]
    pub dir: ArchiveDir,
}

/// `citevault verify-archive`.
#[derive(clap::Args, Debug)]
pub struct VerifyArgs {
    /// Cut truncated tails and drop index rows that point at missing or damaged records
    /// (damaged bytes are kept; readable records and their rows are never dropped).
    #[arg(long)]
    pub repair: bool,
    /// Output format.
    #[arg(short, long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
    #[command(flatten)]
    pub dir: ArchiveDir,
}

pub(super) fn parse_time(s: &str) -> Result<Timestamp, String> {
    let s = s.trim();
    let full = if s.len() == 10 {
        format!("{s}T00:00:00Z")
    } else {
        s.to_string()
    };
    full.parse()
        .map_err(|e| format!("{e} (expected RFC 3339 like 2025-11-28T09:00:00Z, or 2025-11-28)"))
}

/// Lists a URL's snapshots and checks.
pub fn lookup(args: &LookupArgs) -> Result<i32, Failure> {
    if args.remote {
        if args.format == LookupFormat::Link {
            return Err(
                "--format link lists the local archive's captures; it cannot be used with --remote"
                    .to_string()
                    .into(),
            );
        }
        return super::remote_cmds::lookup_remote(
            &args.url,
            args.date.as_deref(),
            &args.remote_args,
            args.format == LookupFormat::Json,
        );
    }
    let archive = Archive::open_read_only(&args.dir.archive)?;
    let snapshots = archive.snapshots(&args.url)?;
    let checks = archive.checks(&args.url)?;
    if snapshots.is_empty() && checks.is_empty() {
        eprintln!(
            "citevault: {} is not in the archive {}",
            one_line(&args.url),
            one_line(&args.dir.archive.display().to_string())
        );
        return Ok(EXIT_ERROR);
    }
    if args.format == LookupFormat::Link {
        return timemap(args, &snapshots);
    }
    let probes = checks
        .iter()
        .map(|c| probe_evidence(&archive, c))
        .collect::<Result<Vec<_>, _>>()?;
    let show_probe = |p: &Snapshot| {
        format!(
            "citevault show --archive {} --at {} {}",
            shell_quote(&args.dir.archive.display().to_string()),
            p.fetched_at,
            shell_quote(&p.url)
        )
    };
    if args.format == LookupFormat::Json {
        let mut rows = Vec::with_capacity(checks.len());
        for (c, probe) in checks.iter().zip(&probes) {
            let mut row = serde_json::to_value(c).map_err(|e| e.to_string())?;
            if let Some((p, location)) = probe {
                row["probe"] = serde_json::json!({
                    "url": p.url, "fetched_at": p.fetched_at, "http_status": p.http_status,
                    "location": location, "sha256": p.sha256, "show": show_probe(p),
                });
            }
            if c.checker_status.is_some() {
                row["overridden"] = serde_json::to_value(&archive.check_result(c)?.overridden)
                    .map_err(|e| e.to_string())?;
            }
            rows.push(row);
        }
        print_json(&serde_json::json!({
            "url": args.url, "url_key": url_key(&args.url), "snapshots": snapshots, "checks": rows,
        }))?;
        return Ok(EXIT_OK);
    }
    let mut out = io::stdout().lock();
    writeln!(
        out,
        "{} ({} snapshots, {} checks)",
        one_line(&args.url),
        snapshots.len(),
        checks.len()
    )?;
    if !snapshots.is_empty() {
        writeln!(out, "  snapshots:")?;
    }
    for s in &snapshots {
        writeln!(
            out,
            "    {}  {}  {}  {:>8} B  {}  {}  [{}]",
            s.fetched_at,
            s.http_status,
            s.sha256,
            s.size,
            one_line(s.content_type.as_deref().unwrap_or("-")),
            s.title
                .as_deref()
                .map(|t| format!("{t:?}"))
                .unwrap_or_default(),
            one_line(&s.record_type)
        )?;
    }
    if !checks.is_empty() {
        writeln!(out, "  status history:")?;
    }
    for (c, probe) in checks.iter().zip(&probes) {
        let note = if c.counted {
            ""
        } else {
            "  (no verdict: not counted in the history)"
        };
        writeln!(
            out,
            "    {}  {:<9} {}{note}",
            c.checked_at,
            c.status,
            one_line(&c.reason)
        )?;
        if c.checker_status.is_some() {
            if let Some(label) = report::overridden_label(&archive.check_result(c)?) {
                writeln!(out, "          {}", one_line(&label))?;
            }
        }
        if let Some((p, location)) = probe {
            let answer = match location {
                Some(to) => format!("→ {}", one_line(to)),
                None => p.sha256.clone(),
            };
            writeln!(
                out,
                "          soft-404 probe: {}  HTTP {}  {answer}",
                one_line(&p.url),
                p.http_status,
            )?;
            writeln!(out, "            {}", one_line(&show_probe(p)))?;
        }
    }
    out.flush()?;
    Ok(EXIT_OK)
}

/// Prints the TimeMap of a URL's captures; a URL checked but never
/// captured (no answer) has no memento to list.
fn timemap(args: &LookupArgs, snapshots: &[Snapshot]) -> Result<i32, Failure> {
    let original = snapshots
        .first()
        .map_or(args.url.as_str(), |s| s.url.as_str());
    let Some(map) = crate::archive::export::timemap(original, snapshots, &args.replay_url) else {
        eprintln!(
            "citevault: {} was checked but never captured in {}",
            one_line(&args.url),
            one_line(&args.dir.archive.display().to_string())
        );
        return Ok(EXIT_ERROR);
    };
    let mut out = io::stdout().lock();
    out.write_all(map.as_bytes())?;
    out.flush()?;
    Ok(EXIT_OK)
}

/// The soft-404 probe a check rests on, and where it redirected when it
/// did: the evidence of the verdict, for `lookup`.
fn probe_evidence(
    archive: &Archive,
    check: &crate::archive::CheckRow,
) -> Result<Option<(Snapshot, Option<String>)>, Failure> {
    let Some(p) = archive.probe_of(check)? else {
        return Ok(None);
    };
    let location = if (300..400).contains(&p.http_status) {
        let block = archive.read_response(&p)?;
        ResponseHead::parse(&block).and_then(|h| h.header("location").map(str::to_string))
    } else {
        None
    };
    Ok(Some((p, location)))
}

/// The snapshot `show` prints: the last good one, or the one closest to
/// `--at` (the latest without it), following archived redirects to the
/// page they led to, as the check did.
fn snapshot_to_show(archive: &Archive, args: &ShowArgs) -> Result<Option<Snapshot>, Failure> {
    if args.last_good {
        return Ok(archive.last_good(&args.url)?);
    }
    let at = args.at.as_deref().map(parse_time).transpose()?;
    let mut url = args.url.clone();
    for _ in 0..10 {
        let Some(s) = archive.snapshot_near(&url, at)? else {
            return Ok(None);
        };
        if !(300..400).contains(&s.http_status) {
            return Ok(Some(s));
        }
        let block = archive.read_response(&s)?;
        let next = ResponseHead::parse(&block)
            .and_then(|h| h.header("location").map(str::to_string))
            .and_then(|loc| url::Url::parse(&s.url).ok()?.join(&loc).ok());
        match next {
            Some(n) => url = n.to_string(),
            None => return Ok(Some(s)),
        }
    }
    Ok(None)
}

/// Prints an archived copy.
pub fn show(args: &ShowArgs) -> Result<i32, Failure> {
    let archive = Archive::open_read_only(&args.dir.archive)?;
    let Some(snap) = snapshot_to_show(&archive, args)? else {
        let what = if args.last_good {
            "no copy taken while it was alive"
        } else {
            "no archived copy"
        };
        eprintln!(
            "citevault: {what} of {} in {}",
            one_line(&args.url),
            one_line(&args.dir.archive.display().to_string())
        );
        return Ok(EXIT_ERROR);
    };
    let mut out = io::stdout().lock();
    if args.raw {
        out.write_all(&archive.read_payload(&snap)?)?;
        out.flush()?;
        return Ok(EXIT_OK);
    }
    let block = archive.read_response(&snap)?;
    if args.http {
        out.write_all(&block)?;
        out.flush()?;
        return Ok(EXIT_OK);
    }
    let head = ResponseHead::parse(&block);
    let header = |name: &str| head.as_ref().and_then(|h| h.header(name));
    let payload = &block[head.as_ref().map_or(block.len(), |h| h.payload_at)..];
    let body = decode_content(payload.to_vec(), header("content-encoding"), 64 << 20);
    let page = read_page(&body, header("content-type"));
    // The page is the server's text: its controls are shown, not obeyed
    // (--raw and --http print the bytes as stored).
    writeln!(out, "URL:      {}", one_line(&snap.url))?;
    writeln!(
        out,
        "archived: {} (HTTP {}, {}, {} bytes)",
        snap.fetched_at, snap.http_status, snap.sha256, snap.size
    )?;
    if let Some(t) = &page.title {
        writeln!(out, "title:    {}", one_line(t))?;
    }
    writeln!(out)?;
    writeln!(out, "{}", escape_controls(&page.text, &['\n', '\t']))?;
    out.flush()?;
    Ok(EXIT_OK)
}

/// Lists status changes in the order they happened.
pub fn history(args: &HistoryArgs) -> Result<i32, Failure> {
    let archive = Archive::open_read_only(&args.dir.archive)?;
    let since = args.since.as_deref().map(parse_time).transpose()?;
    let changes = archive.transitions(since)?;
    if args.format == OutputFormat::Json {
        print_json(&serde_json::json!({ "changes": changes }))?;
        return Ok(EXIT_OK);
    }
    let mut out = io::stdout().lock();
    if changes.is_empty() {
        writeln!(
            out,
            "no status changes{}",
            since.map(|s| format!(" since {s}")).unwrap_or_default()
        )?;
    }
    for c in &changes {
        writeln!(
            out,
            "{}  {} → {}  {}",
            c.at,
            one_line(&c.from),
            c.to,
            one_line(&c.url)
        )?;
        writeln!(out, "      {}", one_line(&c.reason))?;
        for by in &c.cited_by {
            let document = one_line(&by.document);
            match &by.item {
                Some(t) => writeln!(
                    out,
                    "      cited by {document}:{}  {}",
                    by.line,
                    one_line(t)
                )?,
                None => writeln!(
                    out,
                    "      cited by {document}:{} (outside any item)",
                    by.line
                )?,
            }
        }
    }
    out.flush()?;
    Ok(EXIT_OK)
}

/// Re-reads the archive; repairs what can be repaired.
pub fn verify(args: &VerifyArgs) -> Result<i32, Failure> {
    let mut archive = if args.repair {
        Archive::open(&args.dir.archive)
    } else {
        Archive::open_read_only(&args.dir.archive)
    }?;
    let report = archive.verify(args.repair)?;
    if args.format == OutputFormat::Json {
        print_json(&report)?;
    } else {
        let mut out = io::stdout().lock();
        writeln!(
            out,
            "{} WARC files, {} records read",
            report.files, report.records
        )?;
        for b in &report.bad_digests {
            writeln!(out, "  digest mismatch: {b}")?;
        }
        for d in &report.damaged {
            writeln!(out, "  damaged record: {d}")?;
        }
        for t in &report.truncated {
            writeln!(
                out,
                "  truncated tail (a run was interrupted; --repair cuts it): {t}"
            )?;
        }
        for m in &report.missing {
            writeln!(out, "  index points at a missing record: {m}")?;
        }
        if report.unindexed > 0 {
            writeln!(out, "  {} records are not in the index", report.unindexed)?;
        }
        for r in &report.repaired {
            writeln!(out, "  repaired: {r}")?;
        }
        let verdict = if report.ok() {
            "archive OK"
        } else {
            "archive has problems"
        };
        writeln!(out, "{verdict}")?;
        out.flush()?;
    }
    Ok(
        if report.ok()
            || (args.repair && report.bad_digests.is_empty() && report.damaged.is_empty())
        {
            EXIT_OK
        } else {
            EXIT_ERROR
        },
    )
}

/// Renders a report from the archive index, fetching nothing: the last
/// run's documents (or those seen since `--since`), each as its run
/// reported it. `--fail-on`/`--fail-after` apply when given (on the command
/// line or in the config file); otherwise the run's own policy does.
pub fn report(args: &ReportArgs, fail_given: bool) -> Result<i32, Failure> {
    let archive = Archive::open_read_only(&args.dir.archive)?;
    let since = args.since.as_deref().map(parse_time).transpose()?;
    let options = ReportOptions {
        color: color_for(args.output.as_ref()),
        fail_on: args.fail.policy().fail_on,
        fail_on_findings: args.fail.policy().fail_on_findings,
        archive: Some(args.dir.archive.clone()),
    };
    let mut w = report::writer(
        args.format.into(),
        open_output(args.output.as_ref())?,
        &options,
    );
    let fail = args.fail.policy();
    let selection = since.map_or(Selection::LastRun, Selection::Since);
    let fail = fail_given.then_some(&fail);
    let outcome = crate::run::report(&archive, selection, fail, w.as_mut())?;
    if let Some(problem) = &outcome.environment_error {
        eprintln!("citevault: that run found {}", one_line(problem));
    }
    Ok(verdict_code(outcome.verdict()))
}

/// Records, takes back or lists marks: a person's verdict on a URL or URL
/// prefix the checker gets wrong, applied by every later `check` on the
/// archive. Marks live in the archive, so there must be one.
pub fn mark(args: &MarkArgs) -> Result<i32, Failure> {
    let dir = &args.dir.archive;
    if args.list {
        return list_marks(&Archive::open_read_only(dir)?, args);
    }
    let url = args.url.as_deref().unwrap_or_default();
    let target = OverrideTarget::new(url, args.prefix)
        .map_err(|e| format!("cannot mark {}: {e}", one_line(url)))?;
    let status = args.status.map(Override::check_status).transpose()?;
    let reason = args.reason.as_deref().unwrap_or_default().trim();
    if !args.remove && reason.is_empty() {
        return Err(Failure::Message(
            "a mark needs a reason (--reason): every report shows it".into(),
        ));
    }
    if !dir.join("index.sqlite").exists() {
        return Err(format!(
            "no archive at {} (no index.sqlite): marks are kept in the archive; \
             give --archive DIR, or run `citevault check` first",
            one_line(&dir.display().to_string())
        )
        .into());
    }
    let mut archive = Archive::open(dir)?;
    let mut out = io::stdout().lock();
    let what = |t: &OverrideTarget| match t {
        OverrideTarget::Url(u) => one_line(u).into_owned(),
        OverrideTarget::Prefix(p) => format!("every URL starting with {}", one_line(p)),
    };
    if args.remove {
        let Some(m) = archive.unmark(&target)? else {
            eprintln!(
                "citevault: no mark of {} is in force in {}",
                what(&target),
                one_line(&dir.display().to_string())
            );
            return Ok(EXIT_ERROR);
        };
        writeln!(
            out,
            "took back the mark of {} ({}, mark of {})",
            what(&m.target),
            m.status,
            m.made_at
        )?;
    } else {
        // clap requires --status without --remove.
        let status = status.unwrap_or(CheckStatus::Alive);
        let replaced = archive
            .marks(false)?
            .into_iter()
            .find(|m| m.target.same_as(&target))
            .map(|m| format!(" (replaces the mark of {}: {})", m.made_at, m.status))
            .unwrap_or_default();
        let m = archive.mark(&target, status, reason)?;
        writeln!(
            out,
            "marked {} {} (mark of {}): {}{replaced}",
            what(&m.target),
            m.status,
            m.made_at,
            one_line(&m.reason)
        )?;
    }
    out.flush()?;
    Ok(EXIT_OK)
}

fn list_marks(archive: &Archive, args: &MarkArgs) -> Result<i32, Failure> {
    let marks = archive.marks(args.all)?;
    if args.format == OutputFormat::Json {
        print_json(&serde_json::json!({ "marks": marks }))?;
        return Ok(EXIT_OK);
    }
    let mut out = io::stdout().lock();
    if marks.is_empty() {
        writeln!(out, "no marks in force")?;
    }
    for m in &marks {
        let prefix = if m.target.is_prefix() {
            " (prefix)"
        } else {
            ""
        };
        let removed = m
            .removed_at
            .map(|t| format!("  [taken back {t}]"))
            .unwrap_or_default();
        writeln!(
            out,
            "{}  {:<9} {}{prefix}  {}{removed}",
            m.made_at,
            m.status,
            one_line(m.target.as_str()),
            one_line(&m.reason)
        )?;
    }
    out.flush()?;
    Ok(EXIT_OK)
}
