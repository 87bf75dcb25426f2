//! `lookup`, `show`, `history` and `verify-archive`: reading the archive.

use super::{EXIT_ERROR, EXIT_OK};
use crate::archive::{url_key, Archive, Snapshot};
use crate::check::{decode_content, read_page};
use crate::model::Timestamp;
use clap::ValueEnum;
use std::io::Write;
use std::path::PathBuf;

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListFormat {
    Text,
    Json,
}

#[derive(clap::Args, Debug)]
pub struct ArchiveDir {
    /// Archive directory.
    #[arg(
        long,
        value_name = "DIR",
        env = "CITEVAULT_ARCHIVE",
        default_value = "archive"
    )]
    pub archive: PathBuf,
}

#[derive(clap::Args, Debug)]
pub struct LookupArgs {
    /// The URL, as cited (IRIs, any case of host, a trailing slash all match).
    pub url: String,
    #[arg(short, long, value_enum, default_value_t = ListFormat::Text)]
    pub format: ListFormat,
    #[command(flatten)]
    pub dir: ArchiveDir,
}

#[derive(clap::Args, Debug)]
pub struct ShowArgs {
    pub url: String,
    /// The snapshot closest to this time (RFC 3339, or a date YYYY-MM-DD); default: the latest.
    #[arg(long, value_name = "TIMESTAMP")]
    pub at: Option<String>,
    /// Print the stored HTTP response byte for byte.
    #[arg(long, conflicts_with = "text")]
    pub raw: bool,
    /// Print the readable text, decoded to UTF-8 (the default).
    #[arg(long)]
    pub text: bool,
    #[command(flatten)]
    pub dir: ArchiveDir,
}

#[derive(clap::Args, Debug)]
pub struct HistoryArgs {
    /// Only changes at or after this time (RFC 3339, or a date YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    #[arg(short, long, value_enum, default_value_t = ListFormat::Text)]
    pub format: ListFormat,
    #[command(flatten)]
    pub dir: ArchiveDir,
}

#[derive(clap::Args, Debug)]
pub struct ReportArgs {
    /// Only documents checked at or after this time (RFC 3339, or YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    #[arg(short, long, value_enum, default_value_t = super::CheckFormat::Text)]
    pub format: super::CheckFormat,
    /// Write the report to FILE instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Statuses that make the exit code 2.
    #[arg(
        long,
        value_name = "STATUSES",
        value_delimiter = ',',
        default_value = "dead,soft-404"
    )]
    pub fail_on: Vec<crate::model::CheckStatus>,
    #[command(flatten)]
    pub dir: ArchiveDir,
}

#[derive(clap::Args, Debug)]
pub struct VerifyArgs {
    /// Cut truncated tails and drop index rows that point at missing records.
    #[arg(long)]
    pub repair: bool,
    #[arg(short, long, value_enum, default_value_t = ListFormat::Text)]
    pub format: ListFormat,
    #[command(flatten)]
    pub dir: ArchiveDir,
}

fn parse_time(s: &str) -> Result<Timestamp, String> {
    let s = s.trim();
    let full = if s.len() == 10 {
        format!("{s}T00:00:00Z")
    } else {
        s.to_string()
    };
    full.parse()
        .map_err(|e| format!("{e} (expected RFC 3339 like 2025-11-28T09:00:00Z, or 2025-11-28)"))
}

fn print_json(v: &impl serde::Serialize) -> Result<(), String> {
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, v).map_err(|e| e.to_string())?;
    writeln!(out).map_err(|e| e.to_string())
}

pub fn lookup(args: &LookupArgs) -> Result<i32, String> {
    let archive = Archive::open_read_only(&args.dir.archive).map_err(|e| e.to_string())?;
    let snapshots = archive.snapshots(&args.url).map_err(|e| e.to_string())?;
    let checks = archive.checks(&args.url).map_err(|e| e.to_string())?;
    if args.format == ListFormat::Json {
        print_json(&serde_json::json!({
            "url": args.url, "url_key": url_key(&args.url), "snapshots": snapshots, "checks": checks,
        }))?;
    } else {
        println!(
            "{} ({} snapshots, {} checks)",
            args.url,
            snapshots.len(),
            checks.len()
        );
        if !snapshots.is_empty() {
            println!("  snapshots:");
        }
        for s in &snapshots {
            println!(
                "    {}  {}  {}  {:>8} B  {}  {}  [{}]",
                s.fetched_at,
                s.http_status,
                s.sha256,
                s.size,
                s.content_type.as_deref().unwrap_or("-"),
                s.title
                    .as_deref()
                    .map(|t| format!("{t:?}"))
                    .unwrap_or_default(),
                s.record_type
            );
        }
        if !checks.is_empty() {
            println!("  status history:");
        }
        for c in &checks {
            println!("    {}  {:<9} {}", c.checked_at, c.status, c.reason);
        }
    }
    Ok(if snapshots.is_empty() && checks.is_empty() {
        eprintln!(
            "citevault: {} is not in the archive {}",
            args.url,
            args.dir.archive.display()
        );
        EXIT_ERROR
    } else {
        EXIT_OK
    })
}

/// Splits a stored HTTP response into its header lines and payload.
fn split_response(block: &[u8]) -> (Vec<(String, String)>, &[u8]) {
    let end = memchr::memmem::find(block, b"\r\n\r\n").map_or(block.len(), |p| p + 4);
    let head = String::from_utf8_lossy(&block[..end]);
    let headers = head
        .lines()
        .skip(1)
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    (headers, &block[end..])
}

pub fn show(args: &ShowArgs) -> Result<i32, String> {
    let archive = Archive::open_read_only(&args.dir.archive).map_err(|e| e.to_string())?;
    let at = args.at.as_deref().map(parse_time).transpose()?;
    let mut url = args.url.clone();
    let mut snap: Option<Snapshot> = None;
    // Follow archived redirects to the page they led to.
    for _ in 0..10 {
        let s = archive.snapshot_near(&url, at).map_err(|e| e.to_string())?;
        let Some(s) = s else { break };
        if args.raw || !(300..400).contains(&s.http_status) {
            snap = Some(s);
            break;
        }
        let block = archive.read_response(&s).map_err(|e| e.to_string())?;
        let (headers, _) = split_response(&block);
        let next = headers
            .iter()
            .find(|(k, _)| k == "location")
            .and_then(|(_, loc)| url::Url::parse(&s.url).ok()?.join(loc).ok());
        snap = Some(s);
        match next {
            Some(n) => url = n.to_string(),
            None => break,
        }
        snap = None;
    }
    let Some(snap) = snap else {
        eprintln!(
            "citevault: no archived copy of {} in {}",
            args.url,
            args.dir.archive.display()
        );
        return Ok(EXIT_ERROR);
    };
    let block = archive.read_response(&snap).map_err(|e| e.to_string())?;
    let mut out = std::io::stdout().lock();
    if args.raw {
        out.write_all(&block).map_err(|e| e.to_string())?;
        return Ok(EXIT_OK);
    }
    let (headers, payload) = split_response(&block);
    let header = |name: &str| {
        headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    let body = decode_content(payload.to_vec(), header("content-encoding"), 64 << 20);
    let page = read_page(&body, header("content-type"));
    let w = |out: &mut std::io::StdoutLock<'_>, s: String| {
        writeln!(out, "{s}").map_err(|e| e.to_string())
    };
    w(&mut out, format!("URL:      {}", snap.url))?;
    w(
        &mut out,
        format!(
            "archived: {} (HTTP {}, {}, {} bytes)",
            snap.fetched_at, snap.http_status, snap.sha256, snap.size
        ),
    )?;
    if let Some(t) = &page.title {
        w(&mut out, format!("title:    {t}"))?;
    }
    w(&mut out, String::new())?;
    w(&mut out, page.text)?;
    Ok(EXIT_OK)
}

pub fn history(args: &HistoryArgs) -> Result<i32, String> {
    let archive = Archive::open_read_only(&args.dir.archive).map_err(|e| e.to_string())?;
    let since = args.since.as_deref().map(parse_time).transpose()?;
    let changes = archive.transitions(since).map_err(|e| e.to_string())?;
    if args.format == ListFormat::Json {
        print_json(&serde_json::json!({ "changes": changes }))?;
        return Ok(EXIT_OK);
    }
    if changes.is_empty() {
        println!(
            "no status changes{}",
            since.map(|s| format!(" since {s}")).unwrap_or_default()
        );
    }
    for c in &changes {
        println!("{}  {} → {}  {}", c.at, c.from, c.to, c.url);
        println!("      {}", c.reason);
        for (doc, title, line) in &c.cited_by {
            match title {
                Some(t) => println!("      cited by {doc}:{line}  {t}"),
                None => println!("      cited by {doc} (outside any item)"),
            }
        }
    }
    Ok(EXIT_OK)
}

pub fn verify(args: &VerifyArgs) -> Result<i32, String> {
    let mut archive = if args.repair {
        Archive::open(&args.dir.archive)
    } else {
        Archive::open_read_only(&args.dir.archive)
    }
    .map_err(|e| e.to_string())?;
    let report = archive.verify(args.repair).map_err(|e| e.to_string())?;
    if args.format == ListFormat::Json {
        print_json(&report)?;
    } else {
        println!(
            "{} WARC files, {} records read",
            report.files, report.records
        );
        for b in &report.bad_digests {
            println!("  digest mismatch: {b}");
        }
        for t in &report.truncated {
            println!("  truncated tail (a run was interrupted; --repair cuts it): {t}");
        }
        for m in &report.missing {
            println!("  index points at a missing record: {m}");
        }
        if report.unindexed > 0 {
            println!("  {} records are not in the index", report.unindexed);
        }
        for r in &report.repaired {
            println!("  repaired: {r}");
        }
        println!(
            "{}",
            if report.ok() {
                "archive OK"
            } else {
                "archive has problems"
            }
        );
    }
    Ok(
        if report.ok() || (args.repair && report.bad_digests.is_empty()) {
            EXIT_OK
        } else {
            EXIT_ERROR
        },
    )
}

/// Renders a report from the archive index, fetching nothing: the documents
/// of the last runs with each URL's latest recorded check.
pub fn report(args: &ReportArgs) -> Result<i32, String> {
    use super::CheckFormat;
    use crate::report::{
        HtmlWriter, JsonWriter, JunitWriter, MarkdownWriter, ReportWriter, TextWriter,
    };
    let archive = Archive::open_read_only(&args.dir.archive).map_err(|e| e.to_string())?;
    let since = args.since.as_deref().map(parse_time).transpose()?;
    let docs = archive.documents(since).map_err(|e| e.to_string())?;
    let out = super::open_output(args.output.as_ref())?;
    let mut w: Box<dyn ReportWriter> = match args.format {
        CheckFormat::Text => Box::new(TextWriter::new(out)),
        CheckFormat::Json => Box::new(JsonWriter::new(out)),
        CheckFormat::Markdown => Box::new(MarkdownWriter::new(out)),
        CheckFormat::Junit => Box::new(JunitWriter::new(out, args.fail_on.clone())),
        CheckFormat::Html => Box::new(HtmlWriter::new(out)),
    };
    let io_err = |e: std::io::Error| format!("cannot write report: {e}");
    for doc in &docs {
        w.document(doc).map_err(io_err)?;
    }
    w.finish().map_err(io_err)?;
    let failing = docs.iter().flat_map(|d| d.all_citations()).any(|c| {
        c.check
            .as_ref()
            .is_some_and(|r| args.fail_on.contains(&r.status))
    });
    Ok(if failing {
        super::EXIT_FAILING
    } else {
        EXIT_OK
    })
}
