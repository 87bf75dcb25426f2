//! `citevault.toml`: every command-line option of `check` has a key, plus
//! per-host sections for outlets that need gentler treatment. The command
//! line wins over the file. An unknown key or a wrong type is an error that
//! names the file, the line and the key.
//!
//! The file may come from a pull request, so it is not trusted to widen
//! what a run reaches or reads: `allow_private = true` and paths outside
//! the file's own folder are refused unless the command line gives them
//! (see `cli::args::Settings`), and no error message ever quotes the text
//! of the file (a secret read by mistake must not end up in a CI log).

use crate::check::HostPolicy;
use crate::model::CheckStatus;
use crate::outlets::Outlet;
use crate::overrides::{Override, OverrideTarget};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The file looked for in the current directory when `-c` is not given.
pub const DEFAULT_FILE: &str = "citevault.toml";

/// A parsed `citevault.toml`, so a project's CI settings live in the
/// repository rather than in long command lines. Every key is optional; a
/// key that is absent leaves the command-line default alone.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// `--timeout`: seconds allowed for one request attempt.
    pub timeout: Option<u64>,
    /// `--max-concurrency`: requests in flight across all hosts.
    pub max_concurrency: Option<usize>,
    /// `--host-concurrency`: requests in flight to one host.
    pub host_concurrency: Option<usize>,
    /// `--host-request-interval`, written as text (`"500ms"`, `"2s"`).
    #[serde(default, deserialize_with = "de_duration_opt")]
    pub host_request_interval: Option<Duration>,
    /// `--max-retries`: retries after the first attempt.
    pub max_retries: Option<u32>,
    /// Deadline for the whole run (`"5h"`, `"0"` for none).
    #[serde(default, deserialize_with = "de_duration_opt")]
    pub max_runtime: Option<Duration>,
    /// `--confirm-delay`: wait before a dead or soft-404 verdict is
    /// confirmed by a second fetch (`"3s"`, `"0"` for no confirmation).
    #[serde(default, deserialize_with = "de_duration_opt")]
    pub confirm_delay: Option<Duration>,
    /// `--requisites`: also archive the images, stylesheets and fonts of
    /// each alive cited page.
    pub requisites: Option<bool>,
    /// `--requisite-host`: hosts (and their subdomains) requisites may come
    /// from besides the page's own site and the built-in CDN list; used
    /// only when the command line gives none.
    #[serde(default)]
    pub requisite_hosts: Vec<String>,
    /// `--max-requisites`: requisite requests per page.
    pub max_requisites: Option<usize>,
    /// `--max-requisite-bytes`: bytes of requisites per page, in bytes or
    /// with a unit (`"5MiB"`).
    #[serde(default, deserialize_with = "de_size_opt")]
    pub max_requisite_bytes: Option<u64>,
    /// `--user-agent`, for sites that need a particular one.
    pub user_agent: Option<String>,
    /// `--proxy`: proxy URL for every request.
    pub proxy: Option<String>,
    /// `--exclude`: regular expressions of URLs to skip; used only when the
    /// command line gives none.
    #[serde(default)]
    pub exclude: Vec<String>,
    /// `--fail-on`: status words (`"dead"`, `"soft-404"`), checked when the
    /// file is applied.
    pub fail_on: Option<Vec<String>>,
    /// `--fail-after`: failing checks in a row before a citation fails the run.
    pub fail_after: Option<u32>,
    /// `--allow-private`: also check private and loopback addresses. Only
    /// `false` is accepted from a file unless the command line gives
    /// `--allow-private` too.
    pub allow_private: Option<bool>,
    /// `--archive`: the archive folder, relative to the config file (and
    /// inside its folder).
    pub archive: Option<PathBuf>,
    /// `--no-archive`: check without storing anything.
    pub no_archive: Option<bool>,
    /// `--operator`: who runs the archiving, written in each WARC file's
    /// `warcinfo` record (`"Jane Doe <jane@example.org>"`).
    pub operator: Option<String>,
    /// `--collection`: the collection the archive's records belong to
    /// (`isPartOf` in each `warcinfo` record).
    pub collection: Option<String>,
    /// `--verify`: verify every citation after checking it.
    pub verify: Option<bool>,
    /// `--date-tolerance`: days a URL's or page's date may lie from the
    /// cited date.
    pub date_tolerance: Option<i64>,
    /// `--no-remote`: do not ask the public archives about failing citations.
    pub no_remote: Option<bool>,
    /// `--save-remote`: submit alive sources to Save Page Now.
    pub save_remote: Option<bool>,
    /// `--wayback-url`: the Wayback Machine (CDX API, mementos, Save Page
    /// Now unless `spn_url` is given). From a file, its host must resolve
    /// to public addresses.
    pub wayback_url: Option<String>,
    /// `--memento-url`: Memento TimeGates asked besides the Wayback Machine.
    #[serde(default)]
    pub memento_url: Vec<String>,
    /// `--spn-url`: Save Page Now 2's base URL.
    pub spn_url: Option<String>,
    /// `--remote-interval`: least gap between two requests to one archive
    /// service (`"2.5s"`).
    #[serde(default, deserialize_with = "de_duration_opt")]
    pub remote_interval: Option<Duration>,
    /// `--save-interval`: least gap between two Save Page Now submissions.
    #[serde(default, deserialize_with = "de_duration_opt")]
    pub save_interval: Option<Duration>,
    /// `--remote-timeout`: seconds for one request to an archive.
    pub remote_timeout: Option<u64>,
    /// `--if-not-archived-within`: Save Page Now keeps a capture this recent
    /// (`"30d"`).
    #[serde(default, deserialize_with = "de_duration_opt")]
    pub if_not_archived_within: Option<Duration>,
    /// `--save-poll-interval`: gap between two questions about a capture
    /// in progress.
    #[serde(default, deserialize_with = "de_duration_opt")]
    pub save_poll_interval: Option<Duration>,
    /// `--remote-max-age`: how long an archive's answer is reused (`"30d"`).
    #[serde(default, deserialize_with = "de_duration_opt")]
    pub remote_max_age: Option<Duration>,
    /// Extra outlet list files, relative to the config file (and inside
    /// its folder).
    #[serde(default)]
    pub outlets: Vec<PathBuf>,
    /// `--max-document-size`: the largest input read, in bytes (`67108864`)
    /// or with a unit (`"64MiB"`, `"500k"`).
    #[serde(default, deserialize_with = "de_size_opt")]
    pub max_document_size: Option<u64>,
    /// Outlets defined inline (`[[outlet]]`), e.g. aliases of your own.
    #[serde(default)]
    pub outlet: Vec<Outlet>,
    /// Per-host policies: `[hosts."people.com.cn"]` applies to that host and its subdomains.
    #[serde(default)]
    pub hosts: BTreeMap<String, HostPolicy>,
    /// Overrides for false positives (`[[override]]`): the status to report
    /// for a URL or URL prefix the checker gets wrong, and why.
    #[serde(default, rename = "override")]
    pub overrides: Vec<OverrideEntry>,
}

/// One `[[override]]`: `url` (exact) or `prefix`, `status`, `reason`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(try_from = "RawOverride")]
pub struct OverrideEntry {
    /// The URL or prefix.
    pub target: OverrideTarget,
    /// The status to report (any but `unlinked`).
    pub status: CheckStatus,
    /// Why: every report shows it.
    pub reason: String,
}

/// An `[[override]]` as written, vetted into an [`OverrideEntry`].
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOverride {
    url: Option<String>,
    prefix: Option<String>,
    #[serde(deserialize_with = "de_override_status")]
    status: CheckStatus,
    reason: String,
}

impl TryFrom<RawOverride> for OverrideEntry {
    type Error = String;

    fn try_from(raw: RawOverride) -> Result<Self, String> {
        let target = match (&raw.url, &raw.prefix) {
            (Some(u), None) => OverrideTarget::new(u, false).map_err(|e| format!("url is {e}")),
            (None, Some(p)) => OverrideTarget::new(p, true).map_err(|e| format!("prefix is {e}")),
            _ => Err(
                "an override needs exactly one of url (one URL) or prefix (a URL prefix)".into(),
            ),
        }?;
        if raw.reason.trim().is_empty() {
            return Err("an override needs a reason: every report shows it".into());
        }
        Ok(OverrideEntry {
            target,
            status: raw.status,
            reason: raw.reason.trim().to_string(),
        })
    }
}

/// A status word an override may give (not `unlinked`).
fn de_override_status<'de, D: serde::Deserializer<'de>>(d: D) -> Result<CheckStatus, D::Error> {
    let s = String::deserialize(d)?;
    s.parse()
        .and_then(Override::check_status)
        .map_err(serde::de::Error::custom)
}

/// A duration written as text (`500ms`, `2s`), for config files.
pub(crate) fn de_duration_opt<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<Duration>, D::Error> {
    let s: Option<String> = Option::deserialize(d)?;
    s.map(|s| {
        humantime::parse_duration(s.trim())
            .map_err(|_| serde::de::Error::custom("invalid duration (examples: 500ms, 2s)"))
    })
    .transpose()
}

/// A size in bytes: an integer, or text with a unit (`"64MiB"`).
fn de_size_opt<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    struct Size;
    impl serde::de::Visitor<'_> for Size {
        type Value = u64;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a size: a number of bytes, or text such as \"64MiB\"")
        }
        fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<u64, E> {
            if v == 0 {
                return Err(E::custom("a size must be at least 1 byte"));
            }
            Ok(v)
        }
        fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<u64, E> {
            let v = u64::try_from(v).map_err(|_| E::custom("a size cannot be negative"))?;
            self.visit_u64(v)
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<u64, E> {
            crate::extract::parse_size(v).map_err(|e| E::custom(format!("invalid size: {e}")))
        }
    }
    d.deserialize_any(Size).map(Some)
}

/// The largest config file read (a config file is a few hundred bytes).
const MAX_CONFIG_SIZE: u64 = 1 << 20;

/// Describes a TOML error without quoting the text it is about: the line
/// and column, and what is wrong. `toml`'s own `Display` shows the
/// offending line, and serde's messages quote values
/// (`invalid type: string "…"`); a file read by mistake
/// (`outlets = ["/proc/self/environ"]`) would print its secrets.
pub(crate) fn toml_error_message(err: &toml::de::Error, text: &str) -> String {
    let kind = scrub(err.message().trim());
    let place = err.span().map(|span| {
        let (line, column) = line_column(text, span.start);
        format!("line {line}, column {column}")
    });
    let key = key_path(err).map(|k| format!("in `{k}`"));
    match (place, key) {
        (Some(p), Some(k)) => format!("{p}, {k}: {kind}"),
        (Some(p), None) => format!("{p}: {kind}"),
        (None, Some(k)) => format!("{k}: {kind}"),
        (None, None) => kind,
    }
}

/// The dotted path of the key an error is about (`hosts.a.com.interval`),
/// each part hidden unless [`showable`]. `toml` only shows it through
/// `Display`, and only when the error carries no source text.
fn key_path(err: &toml::de::Error) -> Option<String> {
    let mut bare = err.clone();
    bare.set_input(None);
    let shown = bare.to_string();
    let keys = shown
        .strip_prefix(err.message())?
        .trim()
        .strip_prefix("in `")?
        .strip_suffix('`')?;
    let parts: Vec<&str> = keys
        .split('.')
        .map(|k| if showable(k) { k } else { "…" })
        .collect();
    Some(parts.join("."))
}

/// 1-based line and column (in characters) of a byte offset.
pub(crate) fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text.as_bytes()[..offset];
    let line = memchr::memchr_iter(b'\n', before).count() + 1;
    let line_start = memchr::memrchr(b'\n', before).map_or(0, |i| i + 1);
    let column = text[line_start..offset].chars().count() + 1;
    (line, column)
}

/// Whether text quoted in an error message may be shown at all: a short
/// name (`max_retrys`, `people.com.cn`) or the punctuation a parser
/// expected (`=`, `"`). Values, long names and anything else are hidden.
pub(crate) fn showable(quoted: &str) -> bool {
    let name = (1..=32).contains(&quoted.len())
        && quoted.starts_with(|c: char| c.is_ascii_alphabetic())
        && quoted
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
    let punctuation =
        (1..=3).contains(&quoted.len()) && quoted.chars().all(|c| c.is_ascii_punctuation());
    name || punctuation
}

/// A piece of an error message.
enum Piece<'a> {
    /// The message's own words.
    Text(&'a str),
    /// Between backticks: a key name, a token, or a value.
    Ticked(&'a str),
    /// Between double quotes: always a value.
    Quoted,
    /// A quote that is never closed: the rest is not shown.
    Unclosed(char),
}

fn pieces(message: &str) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let mut rest = message;
    while let Some(i) = rest.find(['`', '"']) {
        out.push(Piece::Text(&rest[..i]));
        let tick = rest[i..].starts_with('`');
        let after = &rest[i + 1..];
        let close = if tick {
            after.find('`')
        } else {
            // serde writes strings with Rust escapes: `\"` does not close.
            let mut escaped = false;
            after.char_indices().find_map(|(j, c)| {
                let closes = !escaped && c == '"';
                escaped = !escaped && c == '\\';
                closes.then_some(j)
            })
        };
        let Some(j) = close else {
            out.push(Piece::Unclosed(if tick { '`' } else { '"' }));
            return out;
        };
        out.push(if tick {
            Piece::Ticked(&after[..j])
        } else {
            Piece::Quoted
        });
        rest = &after[j + 1..];
    }
    out.push(Piece::Text(rest));
    out
}

/// An error message with every piece of the input hidden. Strings in
/// double quotes are values: always hidden. Between backticks, what comes
/// after "expected" is the schema's names and the parser's tokens (shown);
/// before it, a name is shown only when it is a field of the schema
/// (`missing field `id``) or a near miss of one (`unknown field
/// `max_retrys``): anything else may be the text of a file read by mistake.
fn scrub(message: &str) -> String {
    let pieces = pieces(message);
    let expected_at = pieces
        .iter()
        .position(|p| matches!(p, Piece::Text(t) if t.contains("expected")))
        .unwrap_or(pieces.len());
    let known: Vec<&str> = pieces[expected_at..]
        .iter()
        .filter_map(|p| match p {
            Piece::Ticked(t) if showable(t) => Some(*t),
            _ => None,
        })
        .collect();
    let mut out = String::with_capacity(message.len());
    let mut before = "";
    for (i, piece) in pieces.iter().enumerate() {
        match piece {
            Piece::Text(t) => {
                out.push_str(t);
                before = t;
            }
            Piece::Ticked(t) => {
                let schema = i > expected_at || before.ends_with("missing field ");
                let near_miss = known.iter().any(|k| edit_distance(k, t) <= 2);
                let show = showable(t) && (schema || near_miss);
                out.push('`');
                out.push_str(if show { t } else { "…" });
                out.push('`');
            }
            Piece::Quoted => out.push_str("\"…\""),
            Piece::Unclosed(q) => {
                out.push(*q);
                out.push('…');
            }
        }
    }
    out
}

/// Levenshtein distance of two short strings, in characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let substitution = diagonal + usize::from(ca != cb);
            diagonal = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(diagonal + 1);
        }
    }
    row[b.len()]
}

/// Why a config file could not be used (exit code 3).
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read (missing, unreadable, not UTF-8).
    #[error("cannot read config file {path}: {message}")]
    Read {
        /// The config file as named to the user.
        path: String,
        /// The I/O error.
        message: String,
    },
    /// The file is not valid TOML, has an unknown key or a wrong value.
    #[error("invalid config file {path}: {message}")]
    Invalid {
        /// The config file as named to the user.
        path: String,
        /// What is wrong, with the line and key when known.
        message: String,
    },
}

impl Config {
    /// Loads `path`, or `./citevault.toml` when it exists; `Ok(None)` when
    /// no file is given and none is there.
    pub fn load(path: Option<&Path>) -> Result<Option<(Config, PathBuf)>, ConfigError> {
        let path = match path {
            Some(p) => p.to_path_buf(),
            // Anything there is read (and a FIFO or a folder refused), not
            // only regular files: a config that is silently skipped would
            // hide a mistake.
            None if Path::new(DEFAULT_FILE).exists() => PathBuf::from(DEFAULT_FILE),
            None => return Ok(None),
        };
        let shown = path.display().to_string();
        let text = read_text_file(&path, MAX_CONFIG_SIZE).map_err(|message| ConfigError::Read {
            path: shown.clone(),
            message,
        })?;
        let config = Self::parse(&text, &shown)?;
        Ok(Some((config, path)))
    }

    /// Parses a config text; `name` is used in errors, which give the line
    /// and column but never quote the text.
    pub fn parse(text: &str, name: &str) -> Result<Config, ConfigError> {
        let config: Config = toml::from_str(text).map_err(|e| ConfigError::Invalid {
            path: name.to_string(),
            message: toml_error_message(&e, text),
        })?;
        for (host, policy) in &config.hosts {
            if policy.concurrency == Some(0) {
                let host = if showable(host) { host.as_str() } else { "…" };
                return Err(ConfigError::Invalid {
                    path: name.to_string(),
                    message: format!("hosts.\"{host}\".concurrency must be at least 1"),
                });
            }
        }
        for (i, o) in config.overrides.iter().enumerate() {
            if let Some(j) = config.overrides[..i]
                .iter()
                .position(|e| e.target.same_as(&o.target))
            {
                return Err(ConfigError::Invalid {
                    path: name.to_string(),
                    message: format!(
                        "override[{i}] covers the same {} as override[{j}]: keep one",
                        if o.target.is_prefix() {
                            "prefix"
                        } else {
                            "url"
                        }
                    ),
                });
            }
        }
        Ok(config)
    }
}

/// Reads a small text file given by a config or the command line (a config
/// file, an outlet list): a regular file of at most `cap` bytes, as UTF-8.
/// The error says what is wrong, never what the file holds.
pub(crate) fn read_text_file(path: &Path, cap: u64) -> Result<String, String> {
    use crate::extract::{format_size, read_regular_file, ReadFileError};
    let bytes = read_regular_file(path, cap).map_err(|e| match e {
        ReadFileError::Io(e) => e.to_string(),
        ReadFileError::NotRegular(kind) => format!("not a regular file ({kind})"),
        ReadFileError::TooLarge => format!("larger than {}", format_size(cap)),
    })?;
    String::from_utf8(bytes).map_err(|e| {
        let (line, column) = line_column(
            // The valid prefix, to place the first bad byte.
            std::str::from_utf8(&e.as_bytes()[..e.utf8_error().valid_up_to()]).unwrap_or(""),
            usize::MAX,
        );
        format!("line {line}, column {column}: not UTF-8 text")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_config_parses() {
        let c = Config::parse(
            r#"
timeout = 30
host_request_interval = "1s"
exclude = ["twitter\\.com"]
fail_on = ["dead", "soft-404", "error"]

[hosts."people.com.cn"]
concurrency = 1
interval = "3s"
headers = { "Accept-Language" = "zh-CN" }
accept = [403]

[[outlet]]
id = "cpm"
name = "China Policy Monitor"
"#,
            "citevault.toml",
        )
        .unwrap();
        assert_eq!(c.timeout, Some(30));
        assert_eq!(c.host_request_interval, Some(Duration::from_secs(1)));
        let p = &c.hosts["people.com.cn"];
        assert_eq!(p.interval, Some(Duration::from_secs(3)));
        assert_eq!(p.accept, [403]);
        assert_eq!(c.outlet[0].id, "cpm");
    }

    #[test]
    fn errors_name_file_line_and_key() {
        let err = Config::parse("timeout = 5\nmax_retrys = 2\n", "ci/citevault.toml")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("ci/citevault.toml")
                && err.contains("line 2")
                && err.contains("max_retrys"),
            "{err}"
        );
        let err = Config::parse("timeout = \"soon\"\n", "c.toml")
            .unwrap_err()
            .to_string();
        assert!(err.contains("line 1") && err.contains("timeout"), "{err}");
        let err = Config::parse("[hosts.\"a.com\"]\nintervall = \"1s\"\n", "c.toml")
            .unwrap_err()
            .to_string();
        assert!(err.contains("line 2") && err.contains("intervall"), "{err}");
    }

    #[test]
    fn overrides_are_vetted_with_line_and_key() {
        let c = Config::parse(
            "[[override]]\nurl = \"https://A.example/x\"\nstatus = \"alive\"\nreason = \"paywall\"\n\n\
             [[override]]\nprefix = \"https://a.example/news/\"\nstatus = \"soft-404\"\nreason = \"gone\"\n",
            "citevault.toml",
        )
        .unwrap();
        assert_eq!(
            c.overrides[0].target,
            OverrideTarget::Url("https://a.example/x".into())
        );
        assert_eq!(c.overrides[1].status, CheckStatus::Soft404);
        let bad = [
            ("url = \"https://a.example/x\"\nstatus = \"gone\"\nreason = \"r\"\n", "line 4", "override.status"),
            ("url = \"https://a.example/x\"\nstatus = \"unlinked\"\nreason = \"r\"\n", "line 4", "unlinked"),
            ("url = \"https://a.example/x\"\nstatus = \"alive\"\nreson = \"r\"\n", "line 5", "reson"),
            ("url = \"https://a.example/x\"\nstatus = \"alive\"\n", "line", "reason"),
            ("url = \"https://a.example/x\"\nprefix = \"https://a.example/\"\nstatus = \"alive\"\nreason = \"r\"\n", "line", "exactly one"),
            ("url = \"secret-token\"\nstatus = \"alive\"\nreason = \"r\"\n", "line", "url is not a URL"),
            ("url = \"https://a.example/x\"\nstatus = \"alive\"\nreason = \" \"\n", "line", "needs a reason"),
        ];
        for (body, line, key) in bad {
            let err = Config::parse(
                &format!("timeout = 5\n[[override]]\n{body}"),
                "ci/citevault.toml",
            )
            .unwrap_err()
            .to_string();
            assert!(
                err.contains("ci/citevault.toml") && err.contains(line) && err.contains(key),
                "{body}: {err}"
            );
            assert!(!err.contains("secret-token"), "{err}");
        }
        let err = Config::parse(
            "[[override]]\nurl = \"https://a.example/x\"\nstatus = \"alive\"\nreason = \"a\"\n\
             [[override]]\nurl = \"https://a.example/x/\"\nstatus = \"dead\"\nreason = \"b\"\n",
            "c.toml",
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("override[1]") && err.contains("override[0]"),
            "{err}"
        );
    }

    #[test]
    fn error_messages_hide_the_files_text() {
        let cases = [
            (
                "invalid type: string \"hunter2 \\\" x\", expected u64",
                "invalid type: string \"…\", expected u64",
            ),
            (
                "unknown field `max_retrys`, expected one of `timeout`, `max_retries`",
                "unknown field `max_retrys`, expected one of `timeout`, `max_retries`",
            ),
            (
                "unknown field `ghp_abcdef`, expected one of `timeout`, `max_retries`",
                "unknown field `…`, expected one of `timeout`, `max_retries`",
            ),
            ("missing field `id`", "missing field `id`"),
            ("duplicate key: `secret`", "duplicate key: `…`"),
            (
                "invalid value: integer `1234`, expected u32",
                "invalid value: integer `…`, expected u32",
            ),
            (
                "key with no value, expected `=`",
                "key with no value, expected `=`",
            ),
            ("invalid string \"abc", "invalid string \"…"),
        ];
        for (message, want) in cases {
            assert_eq!(scrub(message), want);
        }
        assert_eq!(edit_distance("concurency", "concurrency"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(line_column("ab\ncдe", 6), (2, 3));
        assert_eq!(line_column("ab\ncдe", 5), (2, 2), "inside a character");
        assert_eq!(line_column("ab", 99), (1, 3));
    }
}
