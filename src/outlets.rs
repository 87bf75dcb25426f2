//! The list of known outlets: names, abbreviations and domains, so citations
//! that name an outlet differently ("RFA", "Radio Free Asia") or only link to
//! it share one canonical `outlet_id`. It also holds what verification needs
//! to know of an outlet: the dates it writes in its URLs, its site search,
//! and whether it republishes other outlets' stories.

use regex::Regex;
use serde::Deserialize;
use std::collections::HashMap;
use std::path::Path;
use std::sync::OnceLock;

/// The outlet list shipped with citevault.
const BUILTIN: &str = include_str!("../data/outlets.toml");

/// One known outlet.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Outlet {
    /// Canonical id, reported as a citation's `outlet_id` (`rfa`).
    pub id: String,
    /// Display name; also matched as an alias.
    pub name: String,
    /// Other names citations use for the outlet (abbreviations, other
    /// languages), matched ignoring case and a leading "The".
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Hosts of the outlet's URLs; each also matches its subdomains.
    #[serde(default)]
    pub domains: Vec<String>,
    /// Regular expressions (Rust `regex` syntax) for the publication date
    /// the outlet writes in its URLs, matched against the URL's path (and
    /// `?query`, when there is one), e.g. `/(?P<y>\d{4})/(?P<md>\d{4})/`
    /// for People's Daily's `/2025/1114/`. Named groups: `y` (a 4-digit
    /// year) or `yy` (2 digits, read as 20yy); `m` and `d`, or `md` (4
    /// digits, MMDD). The first match that is a real date wins (see
    /// [`crate::verify::dates::url_date`]). Compiled once, when the outlet
    /// is added to a registry.
    #[serde(default)]
    pub date_patterns: Vec<String>,
    /// The outlet's site search, a URL template where `{query}` stands for
    /// the percent-encoded search words
    /// (`https://apnews.com/search?q={query}`); see [`Outlet::search_url_for`].
    #[serde(default)]
    pub search_url: Option<String>,
    /// The outlet's site republishes other outlets' stories (Yahoo, MSN,
    /// Google News): a story cited as another outlet's on this host is a
    /// syndicated copy, not a wrong outlet.
    #[serde(default)]
    pub syndicates: bool,
}

impl Outlet {
    /// Whether the host is one of the outlet's domains or a subdomain of one
    /// (`world.people.com.cn` for `people.com.cn`), ignoring case and a
    /// trailing dot.
    pub fn owns_host(&self, host: &str) -> bool {
        let host = host.trim_end_matches('.').to_ascii_lowercase();
        self.domains.iter().any(|d| {
            let d = normalize_domain(d);
            !d.is_empty()
                && (host == d
                    || host
                        .strip_suffix(d.as_str())
                        .is_some_and(|rest| rest.ends_with('.')))
        })
    }

    /// The outlet's site search for these words (percent-encoded into the
    /// [`search_url`](Outlet::search_url) template), or `None` when the
    /// outlet has no search template.
    pub fn search_url_for(&self, query: &str) -> Option<String> {
        let template = self.search_url.as_deref()?;
        let words = crate::extract::fold_whitespace(query);
        let encoded =
            percent_encoding::utf8_percent_encode(&words, percent_encoding::NON_ALPHANUMERIC)
                .to_string();
        Some(template.replace("{query}", &encoded))
    }

    /// Checks the outlet's date patterns and search template; the first
    /// problem found is an error (a pattern that is not a regular
    /// expression or lacks the year, month or day groups; a search template
    /// without `{query}` or that is not an http(s) URL). Never quotes the
    /// pattern itself.
    fn validate(&self) -> Result<(), String> {
        self.check_search_url()?;
        for (i, p) in self.date_patterns.iter().enumerate() {
            compile_date_pattern(p).map_err(|e| format!("date pattern {}: {e}", i + 1))?;
        }
        Ok(())
    }

    /// Checks the search template: an http(s) URL with `{query}` in it.
    fn check_search_url(&self) -> Result<(), String> {
        let Some(template) = &self.search_url else {
            return Ok(());
        };
        let probe = template.replace("{query}", "q");
        let web = url::Url::parse(&probe)
            .is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some());
        if template.contains("{query}") && web {
            Ok(())
        } else {
            Err("`search_url` must be an http(s) URL with `{query}` in it".to_string())
        }
    }
}

/// Compiles one date pattern and checks its groups.
fn compile_date_pattern(pattern: &str) -> Result<Regex, String> {
    let re = Regex::new(pattern).map_err(|e| {
        // The error's text quotes the pattern; keep only its last line
        // ("error: unclosed group").
        let text = e.to_string();
        let why = text
            .lines()
            .rev()
            .find_map(|l| l.trim().strip_prefix("error: "))
            .map_or_else(|| "too large".to_string(), str::to_string);
        format!("not a valid regular expression ({why})")
    })?;
    let has = |name: &str| re.capture_names().flatten().any(|n| n == name);
    if !has("y") && !has("yy") {
        return Err("no `y` or `yy` group for the year".to_string());
    }
    let month_day = has("md") || (has("m") && has("d"));
    if !month_day {
        return Err("no `m` and `d` groups (or `md`) for the month and day".to_string());
    }
    Ok(re)
}

/// A domain as the registry keys it: trimmed, lowercase, no leading dot.
fn normalize_domain(d: &str) -> String {
    d.trim().trim_start_matches('.').to_ascii_lowercase()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OutletFile {
    #[serde(default)]
    outlet: Vec<Outlet>,
}

/// The largest outlet list read (the built-in one is a few dozen KiB).
pub const MAX_OUTLET_FILE_SIZE: u64 = 16 << 20;

/// Error reading an outlet list. Neither variant ever quotes the file's
/// text: an outlet list named by a config file from a pull request could be
/// any file (`/proc/self/environ`), and errors end up in CI logs.
#[derive(Debug, thiserror::Error)]
pub enum OutletsError {
    /// The file could not be read: missing, unreadable, not a regular file,
    /// larger than [`MAX_OUTLET_FILE_SIZE`], not UTF-8.
    #[error("cannot read outlet list {path}: {message}")]
    Read {
        /// The list as named to the user.
        path: String,
        /// What is wrong.
        message: String,
    },
    /// The text is not a valid outlet list (bad TOML or an unknown key).
    #[error("invalid outlet list {path}: {message}")]
    Parse {
        /// The list as named to the user.
        path: String,
        /// What is wrong, with the line and column when known.
        message: String,
    },
    /// An outlet in the list is not usable: a date pattern that is not a
    /// regular expression or lacks its groups, a malformed search template.
    #[error("invalid outlet list {path}: outlet {outlet}: {message}")]
    Outlet {
        /// The list as named to the user.
        path: String,
        /// The outlet's id (in backticks), or its place in the list when
        /// the id is not a plain name.
        outlet: String,
        /// What is wrong.
        message: String,
    },
}

/// An outlet that cannot be added (see [`OutletRegistry::try_add`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("outlet {outlet}: {message}")]
pub struct InvalidOutlet {
    /// The outlet's id, in backticks (or `…` when it is not a plain name).
    pub outlet: String,
    /// What is wrong; never quotes the pattern.
    pub message: String,
}

/// The hasher of the registry's maps: every citation looks up its outlet's
/// name and each suffix of its host, and std's SipHash cost more than the
/// rest of the lookup. The keys are outlet names and domains from the
/// built-in list and the user's own file, not chosen by an attacker.
type Hasher = foldhash::fast::RandomState;

/// Known outlets, indexed by alias and domain.
#[derive(Debug, Clone)]
pub struct OutletRegistry {
    outlets: Vec<Outlet>,
    /// Normalized alias → outlet indexes, in priority order.
    by_alias: HashMap<String, Vec<usize>, Hasher>,
    /// Lowercase domain → outlet index.
    by_domain: HashMap<String, usize, Hasher>,
    /// Compiled `date_patterns`, by outlet index, compiled on first use:
    /// only verification reads them, and compiling the built-in list
    /// costs more than extracting a digest (and holds megabytes).
    date_regexes: Vec<OnceLock<Vec<Regex>>>,
}

impl Default for OutletRegistry {
    fn default() -> Self {
        Self::builtin()
    }
}

impl OutletRegistry {
    /// The shipped list.
    pub fn builtin() -> Self {
        let file: OutletFile = toml::from_str(BUILTIN).expect("built-in outlet list is valid TOML");
        Self::from_outlets(file.outlet)
    }

    /// An empty registry (no outlet is known).
    pub fn empty() -> Self {
        Self::from_outlets(Vec::new())
    }

    fn from_outlets(outlets: Vec<Outlet>) -> Self {
        let mut reg = OutletRegistry {
            outlets: Vec::new(),
            by_alias: HashMap::default(),
            by_domain: HashMap::default(),
            date_regexes: Vec::new(),
        };
        for o in outlets {
            // The built-in list's patterns are valid (a test compiles
            // them); they are compiled when first needed.
            reg.insert(o);
        }
        reg
    }

    /// Adds an outlet, or extends the one with the same id (its aliases,
    /// domains and date patterns are added, its name replaced, its search
    /// template replaced when it gives one, `syndicates` set when it sets
    /// it). A date pattern that does not compile, or a malformed search
    /// template, is left out; [`OutletRegistry::try_add`] rejects them
    /// instead.
    pub fn add(&mut self, mut outlet: Outlet) {
        outlet
            .date_patterns
            .retain(|p| compile_date_pattern(p).is_ok());
        if outlet.check_search_url().is_err() {
            outlet.search_url = None;
        }
        self.insert(outlet);
    }

    /// Adds an outlet as [`OutletRegistry::add`] does, unless one of its
    /// date patterns is not a regular expression with the year, month and
    /// day groups, or its search template is malformed: then nothing is
    /// added and the error names the outlet.
    pub fn try_add(&mut self, outlet: Outlet) -> Result<(), InvalidOutlet> {
        match outlet.validate() {
            Ok(()) => {
                self.insert(outlet);
                Ok(())
            }
            Err(message) => Err(InvalidOutlet {
                outlet: shown_id(&outlet.id),
                message,
            }),
        }
    }

    /// Adds or merges an outlet whose date patterns are known to compile.
    fn insert(&mut self, outlet: Outlet) {
        let idx = match self.outlets.iter().position(|o| o.id == outlet.id) {
            Some(i) => {
                let existing = &mut self.outlets[i];
                existing.name = outlet.name.clone();
                existing.aliases.extend(outlet.aliases.iter().cloned());
                existing.domains.extend(outlet.domains.iter().cloned());
                existing
                    .date_patterns
                    .extend(outlet.date_patterns.iter().cloned());
                if outlet.search_url.is_some() {
                    existing.search_url = outlet.search_url.clone();
                }
                existing.syndicates |= outlet.syndicates;
                // Compiled again, with the new patterns, when next needed.
                self.date_regexes[i] = OnceLock::new();
                i
            }
            None => {
                self.outlets.push(outlet.clone());
                self.date_regexes.push(OnceLock::new());
                self.outlets.len() - 1
            }
        };
        let names = std::iter::once(&outlet.name).chain(outlet.aliases.iter());
        for name in names {
            let entry = self.by_alias.entry(normalize_name(name)).or_default();
            if !entry.contains(&idx) {
                entry.push(idx);
            }
        }
        for d in &outlet.domains {
            self.by_domain.insert(normalize_domain(d), idx);
        }
    }

    /// Merges an outlet list from a TOML string (same format as the
    /// built-in). An outlet with a date pattern that does not compile (or
    /// lacks its groups) or a malformed search template is an error naming
    /// the file and the outlet; the outlets before it stay added.
    pub fn extend_from_toml(&mut self, text: &str, path: &str) -> Result<(), OutletsError> {
        let file: OutletFile = toml::from_str(text).map_err(|e| OutletsError::Parse {
            path: path.to_string(),
            message: crate::config::toml_error_message(&e, text),
        })?;
        for (i, o) in file.outlet.into_iter().enumerate() {
            self.try_add(o).map_err(|e| OutletsError::Outlet {
                path: path.to_string(),
                outlet: if e.outlet == "…" {
                    format!("number {} in the list", i + 1)
                } else {
                    e.outlet
                },
                message: e.message,
            })?;
        }
        Ok(())
    }

    /// Merges an outlet list file: a regular file of at most
    /// [`MAX_OUTLET_FILE_SIZE`].
    pub fn extend_from_file(&mut self, path: &Path) -> Result<(), OutletsError> {
        let shown = path.display().to_string();
        let text =
            crate::config::read_text_file(path, MAX_OUTLET_FILE_SIZE).map_err(|message| {
                OutletsError::Read {
                    path: shown.clone(),
                    message,
                }
            })?;
        self.extend_from_toml(&text, &shown)
    }

    /// Every known outlet, in the order first added (built-in list first).
    pub fn outlets(&self) -> &[Outlet] {
        &self.outlets
    }

    /// The outlet with this canonical id, e.g. to show the name behind a
    /// citation's `outlet_id`.
    pub fn get(&self, id: &str) -> Option<&Outlet> {
        self.outlets.iter().find(|o| o.id == id)
    }

    /// The outlet whose domain the host is (or is a subdomain of); the most
    /// specific domain wins (`tw.news.yahoo.com` before `yahoo.com`).
    pub fn by_host(&self, host: &str) -> Option<&Outlet> {
        self.host_index(host).map(|i| &self.outlets[i])
    }

    /// The compiled [`date_patterns`](Outlet::date_patterns) of the outlet
    /// the host belongs to (as [`OutletRegistry::by_host`] finds it), in
    /// the order listed; empty for an unknown host.
    pub fn date_patterns_for_host(&self, host: &str) -> &[Regex] {
        let Some(i) = self.host_index(host) else {
            return &[];
        };
        let (Some(outlet), Some(cell)) = (self.outlets.get(i), self.date_regexes.get(i)) else {
            return &[];
        };
        cell.get_or_init(|| {
            outlet
                .date_patterns
                .iter()
                .filter_map(|p| compile_date_pattern(p).ok())
                .collect()
        })
    }

    fn host_index(&self, host: &str) -> Option<usize> {
        let host = host.trim_end_matches('.');
        // Hosts from parsed URLs are lowercase already: no copy for them.
        let host = if host.bytes().any(|b| b.is_ascii_uppercase()) {
            std::borrow::Cow::Owned(host.to_ascii_lowercase())
        } else {
            std::borrow::Cow::Borrowed(host)
        };
        let mut rest: &str = &host;
        loop {
            if let Some(&i) = self.by_domain.get(rest) {
                return Some(i);
            }
            rest = rest.split_once('.')?.1;
        }
    }

    /// Resolves a citation's outlet from its stated name and URL host.
    pub fn resolve(&self, name: Option<&str>, host: Option<&str>) -> Option<&Outlet> {
        let by_host = host.and_then(|h| self.by_host(h));
        let candidates = name
            .map(|n| self.by_alias.get(&normalize_name(n)))
            .unwrap_or_default();
        match candidates {
            Some(idxs) if !idxs.is_empty() => {
                if let Some(h) = by_host {
                    if let Some(&i) = idxs.iter().find(|&&i| self.outlets[i].id == h.id) {
                        return Some(&self.outlets[i]);
                    }
                }
                Some(&self.outlets[idxs[0]])
            }
            _ => by_host,
        }
    }
}

/// An outlet id as an error may show it: in backticks when it is a plain
/// name, else `…` (an outlet file could be any file; errors never quote it).
fn shown_id(id: &str) -> String {
    if crate::config::showable(id) {
        format!("`{id}`")
    } else {
        "…".to_string()
    }
}

/// Case-, quote- and "The"-insensitive form of an outlet name.
/// One pass, one allocation: every citation's outlet is looked up by it.
fn normalize_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    if name.is_ascii() {
        // The same folding a byte at a time: in ASCII, these are the
        // characters `split_whitespace` splits at.
        let mut space = false;
        for b in name.bytes() {
            if matches!(b, b' ' | b'\t'..=b'\r') {
                space = !out.is_empty();
                continue;
            }
            if std::mem::take(&mut space) {
                out.push(' ');
            }
            out.push(char::from(b.to_ascii_lowercase()));
        }
    } else {
        for word in name.split_whitespace() {
            if !out.is_empty() {
                out.push(' ');
            }
            for c in word.chars() {
                match c {
                    '’' | '‘' => out.push('\''),
                    c if c.is_ascii() => out.push(c.to_ascii_lowercase()),
                    c => out.extend(c.to_lowercase()),
                }
            }
        }
    }
    if out.starts_with("the ") {
        out.drain(..4);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(reg: &OutletRegistry, name: Option<&str>, host: Option<&str>) -> Option<String> {
        reg.resolve(name, host).map(|o| o.id.clone())
    }

    #[test]
    fn ascii_names_fold_as_any_other() {
        // The folding written for any text, which the ASCII path repeats.
        let general = |name: &str| {
            let words: Vec<String> = name
                .split_whitespace()
                .map(|w| w.chars().flat_map(char::to_lowercase).collect())
                .collect();
            let out = words.join(" ");
            out.strip_prefix("the ").map_or(out.clone(), str::to_string)
        };
        for name in [
            "Epoch Times",
            "  The  New\tYork\u{b}Times ",
            "THE GUARDIAN",
            "the",
            "The ",
            "Theatre Weekly",
            "",
            "\r\n",
        ] {
            assert_eq!(normalize_name(name), general(name), "{name:?}");
        }
    }

    #[test]
    fn names_and_abbreviations() {
        let reg = OutletRegistry::builtin();
        assert_eq!(id(&reg, Some("RFA"), None).as_deref(), Some("rfa"));
        assert_eq!(
            id(&reg, Some("Radio Free Asia"), None).as_deref(),
            Some("rfa")
        );
        assert_eq!(
            id(&reg, Some("People’s Daily"), None).as_deref(),
            Some("peoples-daily")
        );
        assert_eq!(
            id(&reg, Some("the epoch times"), None).as_deref(),
            Some("epoch-times")
        );
        assert_eq!(
            id(&reg, Some("Huanqiu Times"), None).as_deref(),
            Some("global-times")
        );
        assert_eq!(id(&reg, Some("Unknown Gazette"), None), None);
    }

    #[test]
    fn cna_is_taiwan_unless_the_link_says_otherwise() {
        let reg = OutletRegistry::builtin();
        assert_eq!(id(&reg, Some("CNA"), None).as_deref(), Some("cna-taiwan"));
        assert_eq!(
            id(&reg, Some("CNA"), Some("www.cna.com.tw")).as_deref(),
            Some("cna-taiwan")
        );
        assert_eq!(
            id(&reg, Some("CNA"), Some("www.channelnewsasia.com")).as_deref(),
            Some("channel-newsasia")
        );
    }

    #[test]
    fn hosts_match_most_specific_domain() {
        let reg = OutletRegistry::builtin();
        assert_eq!(
            id(&reg, None, Some("tw.news.yahoo.com")).as_deref(),
            Some("yahoo-taiwan")
        );
        assert_eq!(
            id(&reg, None, Some("news.yahoo.com")).as_deref(),
            Some("yahoo")
        );
        assert_eq!(
            id(&reg, None, Some("mil.huanqiu.com")).as_deref(),
            Some("global-times")
        );
        assert_eq!(id(&reg, None, Some("notdw.com")), None);
    }

    #[test]
    fn user_lists_extend_the_builtin() {
        let mut reg = OutletRegistry::builtin();
        reg.extend_from_toml(
            "[[outlet]]\nid = \"rfa\"\nname = \"Radio Free Asia\"\naliases = [\"RFA Mandarin\"]\n\n[[outlet]]\nid = \"nhk\"\nname = \"NHK\"\ndomains = [\"nhk.or.jp\"]\n",
            "mine.toml",
        )
        .unwrap();
        assert_eq!(id(&reg, Some("RFA Mandarin"), None).as_deref(), Some("rfa"));
        assert_eq!(id(&reg, Some("RFA"), None).as_deref(), Some("rfa"));
        assert_eq!(
            id(&reg, None, Some("www3.nhk.or.jp")).as_deref(),
            Some("nhk")
        );
        let err = reg
            .extend_from_toml("[[outlet]]\nidd = 1\n", "bad.toml")
            .unwrap_err();
        assert!(err.to_string().contains("bad.toml"), "{err}");
    }

    #[test]
    fn parse_errors_never_quote_the_file() {
        let mut reg = OutletRegistry::builtin();
        for (text, line, column) in [
            // Environment variables, as /proc/self/environ holds them.
            ("HOME=/root\0GITHUB_TOKEN=ghp_s3cr3tT0ken\0", 1, 24),
            (
                "[[outlet]]\nid = \"x\"\nname = [\"ghp_s3cr3tT0ken\"]\n",
                3,
                8,
            ),
            (
                "[[outlet]]\nid = \"x\"\nname = \"n\"\naliases = \"ghp_s3cr3tT0ken\"\n",
                4,
                11,
            ),
            ("\n\n  ghp_s3cr3tT0ken: yes\n", 3, 20),
        ] {
            let err = reg
                .extend_from_toml(text, "env.toml")
                .unwrap_err()
                .to_string();
            assert!(!err.contains("s3cr3t"), "{err}");
            assert!(!err.contains("HOME"), "{err}");
            assert!(err.contains("env.toml"), "{err}");
            assert!(
                err.contains(&format!("line {line}, column {column}")),
                "{err}"
            );
        }
    }

    #[test]
    fn builtin_patterns_and_templates_are_valid() {
        let file: OutletFile = toml::from_str(BUILTIN).unwrap();
        let mut reg = OutletRegistry::empty();
        for o in file.outlet {
            let id = o.id.clone();
            reg.try_add(o).unwrap_or_else(|e| panic!("{id}: {e}"));
        }
        let builtin = OutletRegistry::builtin();
        for o in builtin.outlets() {
            let host = o.domains.first().map(String::as_str).unwrap_or("");
            if builtin.by_host(host).map(|b| &b.id) == Some(&o.id) {
                assert_eq!(
                    builtin.date_patterns_for_host(host).len(),
                    o.date_patterns.len(),
                    "{}",
                    o.id
                );
            }
        }
        assert!(builtin.get("yahoo").unwrap().syndicates);
        assert!(builtin.get("msn").unwrap().syndicates);
        assert!(!builtin.get("reuters").unwrap().syndicates);
        assert!(builtin.date_patterns_for_host("unknown.example").is_empty());
    }

    #[test]
    fn invalid_date_patterns_name_the_file_and_outlet() {
        let mut reg = OutletRegistry::builtin();
        for (pattern, why) in [
            (
                "'/(?P<y>\\d{4}/(?P<md>\\d{4})/'",
                "not a valid regular expression",
            ),
            ("'/(?P<m>\\d{2})/(?P<d>\\d{2})/'", "no `y` or `yy` group"),
            ("'/(?P<y>\\d{4})/(?P<m>\\d{2})/'", "no `m` and `d` groups"),
        ] {
            let text = format!(
                "[[outlet]]\nid = \"nhk\"\nname = \"NHK\"\ndomains = [\"nhk.or.jp\"]\ndate_patterns = ['/(?P<y>\\d{{4}})/(?P<md>\\d{{4}})/', {pattern}]\n"
            );
            let err = reg.extend_from_toml(&text, "mine.toml").unwrap_err();
            let shown = err.to_string();
            assert!(matches!(err, OutletsError::Outlet { .. }), "{shown}");
            assert!(shown.contains("mine.toml"), "{shown}");
            assert!(shown.contains("outlet `nhk`"), "{shown}");
            assert!(shown.contains("date pattern 2"), "{shown}");
            assert!(shown.contains(why), "{shown}");
            // The pattern itself is never quoted.
            assert!(!shown.contains("\\d"), "{shown}");
            // Nothing of the rejected outlet was added.
            assert!(reg.get("nhk").is_none());
        }
        // An id that is not a plain name is not shown either.
        let err = reg
            .extend_from_toml(
                "[[outlet]]\nid = \"a\"\nname = \"A\"\n\n[[outlet]]\nid = \"ghp_s3cr3t token\"\nname = \"B\"\ndate_patterns = ['(']\n",
                "env.toml",
            )
            .unwrap_err()
            .to_string();
        assert!(!err.contains("s3cr3t"), "{err}");
        assert!(err.contains("outlet number 2 in the list"), "{err}");
        assert!(err.contains("env.toml"), "{err}");
    }

    #[test]
    fn search_templates_are_checked_and_filled() {
        let mut reg = OutletRegistry::empty();
        for bad in [
            "https://x.example/search",
            "ftp://x.example/?q={query}",
            "{query}",
        ] {
            let text = format!("[[outlet]]\nid = \"x\"\nname = \"X\"\nsearch_url = \"{bad}\"\n");
            let err = reg
                .extend_from_toml(&text, "s.toml")
                .unwrap_err()
                .to_string();
            assert!(err.contains("`search_url`"), "{err}");
            assert!(err.contains("outlet `x`"), "{err}");
        }
        // `add` (inline outlets) leaves a bad template out rather than failing.
        reg.add(Outlet {
            id: "x".into(),
            name: "X".into(),
            aliases: vec![],
            domains: vec!["x.example".into()],
            date_patterns: vec!["(".into(), "/(?P<y>\\d{4})(?P<md>\\d{4})/".into()],
            search_url: Some("nonsense".into()),
            syndicates: false,
        });
        let x = reg.get("x").unwrap();
        assert_eq!(x.search_url, None);
        assert_eq!(x.date_patterns.len(), 1);
        assert_eq!(reg.date_patterns_for_host("www.x.example").len(), 1);

        let ap = OutletRegistry::builtin().get("ap").unwrap().clone();
        assert_eq!(
            ap.search_url_for("  China  export curbs & rare earths ")
                .as_deref(),
            Some("https://apnews.com/search?q=China%20export%20curbs%20%26%20rare%20earths")
        );
        assert_eq!(
            OutletRegistry::builtin()
                .get("dw")
                .unwrap()
                .search_url_for("x"),
            None
        );
    }

    #[test]
    fn extending_an_outlet_adds_patterns_and_flags() {
        let mut reg = OutletRegistry::builtin();
        reg.extend_from_toml(
            "[[outlet]]\nid = \"dw\"\nname = \"Deutsche Welle\"\ndate_patterns = ['/(?P<y>\\d{4})(?P<m>\\d{2})(?P<d>\\d{2})-']\nsearch_url = \"https://www.dw.com/search/?searchTerm={query}\"\nsyndicates = true\n",
            "mine.toml",
        )
        .unwrap();
        let dw = reg.get("dw").unwrap();
        assert_eq!(dw.date_patterns.len(), 1);
        assert!(dw.syndicates);
        assert!(dw.search_url.is_some());
        assert_eq!(reg.date_patterns_for_host("www.dw.com").len(), 1);
    }

    #[test]
    fn hosts_belong_to_domains_and_subdomains() {
        let reg = OutletRegistry::builtin();
        let people = reg.get("peoples-daily").unwrap();
        assert!(people.owns_host("world.people.com.cn"));
        assert!(people.owns_host("People.com.cn."));
        assert!(!people.owns_host("notpeople.com.cn"));
        assert!(!people.owns_host("com.cn"));
    }
}
