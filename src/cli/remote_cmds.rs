//! The public archives from the command line: `lookup --remote`, `save`
//! and `robustify`. The asking is in [`crate::remote`]; this turns
//! arguments into options and prints.

use super::args::{ArchiveDir, InputFormat, OutputFormat, RemoteArgs};
use super::output::Failure;
use super::{EXIT_ERROR, EXIT_OK};
use crate::archive::{Archive, RemoteAnswer, RemoteKind};
use crate::model::{Format, RemoteCopy, Timestamp};
use crate::remote::spn::{IaKeys, Saver};
use crate::remote::PublicArchives;
use crate::report::one_line;
use std::collections::HashMap;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// The environment variable holding Save Page Now keys.
pub const IA_KEYS_VARIABLE: &str = "CITEVAULT_IA_KEYS";

/// Save Page Now keys from `CITEVAULT_IA_KEYS`, or an error saying how to
/// set them.
pub fn ia_keys() -> Result<IaKeys, Failure> {
    let value = std::env::var(IA_KEYS_VARIABLE).map_err(|_| {
        format!(
            "Save Page Now needs the Internet Archive's S3-like keys: set \
             {IA_KEYS_VARIABLE}=ACCESS:SECRET (https://archive.org/account/s3.php)"
        )
    })?;
    Ok(IaKeys::parse(&value)?)
}

fn runtime() -> Result<tokio::runtime::Runtime, Failure> {
    Ok(tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the async runtime: {e}"))?)
}

/// A cited date as `--date` takes it: `YYYY-MM-DD` or `YYYY-MM`.
pub fn parse_cited_date(s: &str) -> Result<String, String> {
    let s = s.trim();
    let ok = crate::remote::distance(Timestamp(0), s).is_some();
    if ok {
        Ok(s.to_string())
    } else {
        Err(format!(
            "invalid date {s:?}: expected YYYY-MM-DD or YYYY-MM"
        ))
    }
}

/// `citevault lookup URL --remote [--date D]`: asks the public archives
/// now (nothing is read from or written to the local archive).
pub fn lookup_remote(
    url: &str,
    date: Option<&str>,
    remote: &RemoteArgs,
    json: bool,
) -> Result<i32, Failure> {
    let options = remote.remote_options(crate::check::DEFAULT_USER_AGENT)?;
    let archives = PublicArchives::new(options).map_err(|e| e.to_string())?;
    let copy = runtime()?.block_on(archives.lookup(url, date));
    let mut out = io::stdout().lock();
    if json {
        let mut value = serde_json::to_value(&copy).map_err(|e| e.to_string())?;
        value["url"] = url.into();
        value["cited_date"] = date.into();
        serde_json::to_writer_pretty(&mut out, &value).map_err(io::Error::from)?;
        writeln!(out)?;
    } else {
        let cited = date.map_or(String::new(), |d| format!("  (cited {d})"));
        writeln!(out, "{}{cited}", one_line(url))?;
        writeln!(out, "  {}", crate::report::remote_description(&copy))?;
        if copy.capture.is_some() {
            writeln!(out, "  asked: {}", one_line(&copy.asked.join(", ")))?;
        }
        for p in copy
            .problems
            .iter()
            .skip(usize::from(copy.capture.is_none()))
        {
            writeln!(out, "  {}", one_line(p))?;
        }
    }
    Ok(if copy.capture.is_some() {
        EXIT_OK
    } else {
        EXIT_ERROR
    })
}

/// `citevault save`.
#[derive(clap::Args, Debug)]
pub struct SaveArgs {
    /// The URLs to submit to Save Page Now.
    #[arg(value_name = "URL", required = true)]
    pub urls: Vec<String>,
    /// Output format.
    #[arg(short, long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
    /// Record nothing in the archive.
    #[arg(long)]
    pub no_archive: bool,
    #[command(flatten)]
    pub remote: RemoteArgs,
    #[command(flatten)]
    pub dir: ArchiveDir,
}

/// Submits each URL to Save Page Now, records the captures in the archive
/// and prints them. Exit 0 when every URL was saved.
pub fn save(args: &SaveArgs) -> Result<i32, Failure> {
    let keys = ia_keys()?;
    let options = args
        .remote
        .remote_options(crate::check::DEFAULT_USER_AGENT)?;
    let archives = PublicArchives::new(options).map_err(|e| e.to_string())?;
    let save_options = args.remote.save_options();
    let mut archive = if args.no_archive {
        None
    } else {
        Some(Archive::open(&args.dir.archive)?)
    };
    let saver = Saver::new(archives.http(), keys, save_options);
    let runtime = runtime()?;
    let mut all_saved = true;
    let mut rows = Vec::new();
    let mut out = io::stdout().lock();
    for url in &args.urls {
        let copy = crate::run::saved_copy(runtime.block_on(saver.save(url)));
        all_saved &= copy.capture.is_some();
        if let Some(a) = archive.as_mut() {
            let answer = RemoteAnswer {
                kind: RemoteKind::Save,
                cited_date: None,
                copy: copy.clone(),
            };
            a.store_remote(url, &answer)?;
            a.commit()?;
        }
        match args.format {
            OutputFormat::Json => {
                let mut value = serde_json::to_value(&copy).map_err(|e| e.to_string())?;
                value["url"] = url.as_str().into();
                rows.push(value);
            }
            OutputFormat::Text => {
                writeln!(
                    out,
                    "{}\n  {}",
                    one_line(url),
                    crate::report::remote_description(&copy)
                )?;
            }
        }
    }
    if args.format == OutputFormat::Json {
        serde_json::to_writer_pretty(&mut out, &rows).map_err(io::Error::from)?;
        writeln!(out)?;
    }
    Ok(if all_saved { EXIT_OK } else { EXIT_ERROR })
}

/// `citevault robustify`.
#[derive(clap::Args, Debug)]
pub struct RobustifyArgs {
    /// The digest (HTML, Markdown or text; UTF-8).
    #[arg(value_name = "PATH")]
    pub path: PathBuf,
    /// Where to write the robust copy (`-` for standard output).
    #[arg(short, long, value_name = "FILE", required_unless_present = "in_place")]
    pub output: Option<PathBuf>,
    /// Rewrite PATH itself (atomically: a new file renamed over it).
    #[arg(long, conflicts_with = "output")]
    pub in_place: bool,
    /// Read PATH as this format instead of detecting it.
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub input_format: Option<InputFormat>,
    /// Ask no archive: use only the answers stored in the local archive.
    #[arg(long)]
    pub offline: bool,
    /// Neither read nor store answers in the local archive.
    #[arg(long, conflicts_with = "offline")]
    pub no_archive: bool,
    #[command(flatten)]
    pub remote: RemoteArgs,
    #[command(flatten)]
    pub dir: ArchiveDir,
}

/// Writes a copy of the digest whose every citation carries its public
/// archived copy (the capture closest to its cited date).
pub fn robustify(args: &RobustifyArgs) -> Result<i32, Failure> {
    let name = args.path.display().to_string();
    let bytes = std::fs::read(&args.path).map_err(|e| format!("cannot read {name}: {e}"))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        format!(
            "{name} is not valid UTF-8 (malformed bytes at offset {}); robustify rewrites UTF-8 documents only",
            e.utf8_error().valid_up_to()
        )
    })?;
    let format = args
        .input_format
        .map(Format::from)
        .unwrap_or_else(|| crate::extract::detect_format(Some(&args.path), &text));
    let doc = crate::Extractor::new().extract_str(&name, format, &text);
    let mut wanted: Vec<(String, Option<String>)> = Vec::new();
    for c in doc.all_citations() {
        if let Some(url) = &c.url {
            if !wanted.iter().any(|(u, _)| u == url) {
                wanted.push((url.clone(), c.date.clone()));
            }
        }
    }
    let mut archive = match (args.no_archive, args.offline) {
        (true, _) => None,
        (false, true) => Some(Archive::open_read_only(&args.dir.archive)?),
        (false, false) => Some(Archive::open(&args.dir.archive)?),
    };
    let copies = robust_copies(args, &wanted, archive.as_mut())?;
    let links: HashMap<String, crate::robustify::RobustLink> = copies
        .iter()
        .filter_map(|(url, copy)| {
            let capture = copy.capture.as_ref()?;
            Some((
                url.clone(),
                crate::robustify::RobustLink {
                    version_url: capture.url.clone(),
                    version_date: capture.captured_at,
                },
            ))
        })
        .collect();
    let (robust, given) = crate::robustify::robustify(&text, format, &links);
    match (&args.output, args.in_place) {
        (Some(p), _) if p.as_os_str() == "-" => io::stdout().lock().write_all(robust.as_bytes())?,
        (Some(p), _) => write_atomically(p, robust.as_bytes())?,
        (None, _) => write_atomically(&args.path, robust.as_bytes())?,
    }
    let unknown = copies
        .iter()
        .filter(|(_, c)| !c.problems.is_empty() && c.capture.is_none())
        .count();
    eprintln!(
        "citevault: {name}: {given} links given an archived copy; {} of {} cited URLs have none",
        wanted.len() - links.len(),
        wanted.len(),
    );
    if let Some(problem) = copies.iter().find_map(|(_, c)| c.problems.first()) {
        eprintln!(
            "citevault: {unknown} cited URLs could not be looked up ({}); run robustify again later",
            one_line(problem)
        );
    }
    Ok(if unknown > 0 { EXIT_ERROR } else { EXIT_OK })
}

/// The public copy of each wanted URL: from the local archive's answers
/// while fresh, else (unless offline) from the archives, stored back.
fn robust_copies(
    args: &RobustifyArgs,
    wanted: &[(String, Option<String>)],
    mut archive: Option<&mut Archive>,
) -> Result<Vec<(String, RemoteCopy)>, Failure> {
    let fresh_since = Timestamp(
        Timestamp::now()
            .0
            .saturating_sub(args.remote.remote_max_age.as_secs()),
    );
    let mut found = Vec::new();
    let mut to_ask = Vec::new();
    for (url, date) in wanted {
        let cached = match archive.as_deref_mut() {
            // Offline, any stored answer is better than none.
            Some(a) if args.offline => {
                a.cached_remote(url, RemoteKind::Lookup, date.as_deref(), Timestamp(0))?
            }
            Some(a) => a.cached_remote(url, RemoteKind::Lookup, date.as_deref(), fresh_since)?,
            None => None,
        };
        match cached {
            Some(copy) => found.push((url.clone(), copy)),
            None if args.offline => {}
            None => to_ask.push((url.clone(), date.clone())),
        }
    }
    if to_ask.is_empty() {
        return Ok(found);
    }
    let options = args
        .remote
        .remote_options(crate::check::DEFAULT_USER_AGENT)?;
    let archives = PublicArchives::new(options).map_err(|e| e.to_string())?;
    let runtime = runtime()?;
    for (url, date) in to_ask {
        let copy = runtime.block_on(archives.lookup(&url, date.as_deref()));
        if let Some(a) = archive.as_deref_mut() {
            let answer = RemoteAnswer {
                kind: RemoteKind::Lookup,
                cited_date: date,
                copy: copy.clone(),
            };
            a.store_remote(&url, &answer)?;
            a.commit()?;
        }
        found.push((url, copy));
    }
    Ok(found)
}

/// Writes `bytes` to `path` through a temporary file in the same folder,
/// synced and renamed over it: a reader never sees half a file, and a
/// failure leaves what was there.
fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), Failure> {
    let name = path.display().to_string();
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let file_name = path
        .file_name()
        .ok_or_else(|| format!("cannot write {name}: not a file name"))?;
    let tmp = dir.join(format!(
        ".{}.citevault-{}.tmp",
        file_name.to_string_lossy(),
        std::process::id()
    ));
    let result = (|| -> io::Result<()> {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(format!("cannot write {name}: {e}").into());
    }
    Ok(())
}
