//! The list of known outlets: names, abbreviations and domains, so citations
//! that name an outlet differently ("RFA", "Radio Free Asia") or only link to
//! it share one canonical `outlet_id`.

use serde::Deserialize;
use std::collections::HashMap;
use std::path::Path;

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
}

/// Known outlets, indexed by alias and domain.
#[derive(Debug, Clone)]
pub struct OutletRegistry {
    outlets: Vec<Outlet>,
    /// Normalized alias → outlet indexes, in priority order.
    by_alias: HashMap<String, Vec<usize>>,
    /// Lowercase domain → outlet index.
    by_domain: HashMap<String, usize>,
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
            by_alias: HashMap::new(),
            by_domain: HashMap::new(),
        };
        for o in outlets {
            reg.add(o);
        }
        reg
    }

    /// Adds an outlet, or extends the one with the same id (its aliases and
    /// domains are added, its name replaced).
    pub fn add(&mut self, outlet: Outlet) {
        let idx = match self.outlets.iter().position(|o| o.id == outlet.id) {
            Some(i) => {
                let existing = &mut self.outlets[i];
                existing.name = outlet.name.clone();
                existing.aliases.extend(outlet.aliases.iter().cloned());
                existing.domains.extend(outlet.domains.iter().cloned());
                i
            }
            None => {
                self.outlets.push(outlet.clone());
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
            self.by_domain
                .insert(d.trim().trim_start_matches('.').to_ascii_lowercase(), idx);
        }
    }

    /// Merges an outlet list from a TOML string (same format as the built-in).
    pub fn extend_from_toml(&mut self, text: &str, path: &str) -> Result<(), OutletsError> {
        let file: OutletFile = toml::from_str(text).map_err(|e| OutletsError::Parse {
            path: path.to_string(),
            message: crate::config::toml_error_message(&e, text),
        })?;
        for o in file.outlet {
            self.add(o);
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
        let host = host.trim_end_matches('.').to_ascii_lowercase();
        let mut rest = host.as_str();
        loop {
            if let Some(&i) = self.by_domain.get(rest) {
                return Some(&self.outlets[i]);
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

/// Case-, quote- and "The"-insensitive form of an outlet name.
fn normalize_name(name: &str) -> String {
    let lower = name.trim().replace(['’', '‘'], "'").to_lowercase();
    let lower = lower.strip_prefix("the ").unwrap_or(&lower);
    lower.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(reg: &OutletRegistry, name: Option<&str>, host: Option<&str>) -> Option<String> {
        reg.resolve(name, host).map(|o| o.id.clone())
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
}
