//! `citevault.toml`: every command-line option of `check` has a key, plus
//! per-host sections for outlets that need gentler treatment. The command
//! line wins over the file. An unknown key or a wrong type is an error that
//! names the file, the line and the key.

use crate::check::HostPolicy;
use crate::outlets::Outlet;
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
    /// `--allow-private`: also check private and loopback addresses.
    pub allow_private: Option<bool>,
    /// `--archive`: the archive folder, relative to the config file.
    pub archive: Option<PathBuf>,
    /// `--no-archive`: check without storing anything.
    pub no_archive: Option<bool>,
    /// Extra outlet list files, relative to the config file.
    #[serde(default)]
    pub outlets: Vec<PathBuf>,
    /// Outlets defined inline (`[[outlet]]`), e.g. aliases of your own.
    #[serde(default)]
    pub outlet: Vec<Outlet>,
    /// Per-host policies: `[hosts."people.com.cn"]` applies to that host and its subdomains.
    #[serde(default)]
    pub hosts: BTreeMap<String, HostPolicy>,
}

/// A duration written as text (`500ms`, `2s`), for config files.
pub(crate) fn de_duration_opt<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<Duration>, D::Error> {
    let s: Option<String> = Option::deserialize(d)?;
    s.map(|s| {
        humantime::parse_duration(s.trim()).map_err(|e| {
            serde::de::Error::custom(format!("invalid duration {s:?}: {e} (examples: 500ms, 2s)"))
        })
    })
    .transpose()
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
            None if Path::new(DEFAULT_FILE).is_file() => PathBuf::from(DEFAULT_FILE),
            None => return Ok(None),
        };
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(&path).map_err(|e| ConfigError::Read {
            path: shown.clone(),
            message: e.to_string(),
        })?;
        let config = Self::parse(&text, &shown)?;
        Ok(Some((config, path)))
    }

    /// Parses a config text; `name` is used in errors.
    pub fn parse(text: &str, name: &str) -> Result<Config, ConfigError> {
        let config: Config = toml::from_str(text).map_err(|e| ConfigError::Invalid {
            path: name.to_string(),
            message: e.to_string().trim_end().to_string(),
        })?;
        for (host, policy) in &config.hosts {
            if policy.concurrency == Some(0) {
                return Err(ConfigError::Invalid {
                    path: name.to_string(),
                    message: format!("hosts.\"{host}\".concurrency must be at least 1"),
                });
            }
        }
        Ok(config)
    }
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
}
