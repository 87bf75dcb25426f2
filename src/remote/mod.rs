//! Public web archives: copies of a cited source that others made.
//!
//! The local archive only holds what citevault fetched itself; a source
//! that vanished before anyone ran `check` may still have a capture in the
//! Wayback Machine or another archive. This module asks them, the way
//! InternetArchiveBot rescues dead citations on Wikipedia: the capture
//! closest to the citation's date, the latest one at or before it first,
//! else the earliest after it, among captures the archive recorded as
//! 200/203/206 and that are not themselves error pages.
//!
//! * [`wayback`]: the Wayback CDX API, falling back to the `/web/<ts>/<url>`
//!   redirect when CDX fails;
//! * [`memento`]: RFC 7089 TimeGates and link-format TimeMaps, for any
//!   Memento archive or aggregator;
//! * [`spn`]: Save Page Now 2, to capture live sources before they vanish.
//!
//! Every service has its own pace (the CDX API allows about 24 requests a
//! minute), timeouts and retries ([`Http`]). Endpoints come from
//! [`RemoteOptions`], so tests run against local servers speaking the
//! real formats. Endpoints the operator did not choose (a config file's)
//! are held to the private-address guard, like cited URLs.

mod lookup;
pub mod memento;
pub mod spn;
pub mod wayback;

use lookup::{
    civil_from_days, days_from_civil, days_in_month, service_for, timestamp_in_path, verify,
    Candidate, CitedSpan, Found, CDX_SERVICE, DAY, WAYBACK, WAYBACK_SERVICE,
};
pub use lookup::{distance, with_distance, PublicArchives};

use crate::check::guard::{is_public, Dns, GuardedResolver};
use crate::check::{NameLookup, SystemLookup, DEFAULT_CANARIES};

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::time::Instant;
use url::Url;

/// The Wayback Machine's base URL.
pub const DEFAULT_WAYBACK_URL: &str = "https://web.archive.org/";
/// The default gap between two requests to one service: the CDX API
/// allows about 24 requests a minute (EDGI's `wayback` client lowered its
/// default to that in 2026).
pub const DEFAULT_LOOKUP_INTERVAL: Duration = Duration::from_millis(2500);
/// The default gap between two Save Page Now submissions: the published
/// capture rate is a few a minute.
pub const DEFAULT_SAVE_INTERVAL: Duration = Duration::from_secs(12);
/// Largest answer read from an archive (a TimeMap of a busy URL is big).
pub const MAX_ANSWER_BYTES: usize = 8 << 20;

/// Where the public archives are and how politely to ask them.
#[derive(Debug, Clone)]
pub struct RemoteOptions {
    /// The Wayback Machine (CDX API at `cdx/search/cdx`, mementos at
    /// `web/`); `None` does not ask it.
    pub wayback_url: Option<Url>,
    /// Memento TimeGates, each a URL prefix the cited URL is appended to
    /// (`https://archive.ph/timegate/`); a MemGator aggregator's
    /// `…/timegate/` asks all the archives it knows.
    pub memento_urls: Vec<Url>,
    /// Save Page Now 2 (`save`, `save/status/<job>`).
    pub spn_url: Url,
    /// Least gap between two requests to one lookup service.
    pub lookup_interval: Duration,
    /// Least gap between two Save Page Now submissions.
    pub save_interval: Duration,
    /// Whole request, per attempt.
    pub timeout: Duration,
    /// Retries on 429, 5xx, resets and timeouts.
    pub max_retries: u32,
    /// Longest `Retry-After` honoured; a longer one ends the retries.
    pub max_retry_after: Duration,
    /// The `User-Agent` sent.
    pub user_agent: String,
    /// The endpoints are the operator's choice (command line, defaults):
    /// their hosts may be private. A config file's endpoints are not
    /// trusted: their names must resolve to public addresses. Hosts named
    /// only by an archive's answers (a memento elsewhere) must be public
    /// either way.
    pub trusted_endpoints: bool,
    /// How host names are resolved (the system resolver by default).
    pub lookup: Arc<dyn NameLookup>,
    /// No request starts after this instant.
    pub deadline: Option<Instant>,
}

impl Default for RemoteOptions {
    fn default() -> Self {
        RemoteOptions {
            wayback_url: Url::parse(DEFAULT_WAYBACK_URL).ok(),
            memento_urls: Vec::new(),
            spn_url: Url::parse(DEFAULT_WAYBACK_URL).expect("a valid constant URL"),
            lookup_interval: DEFAULT_LOOKUP_INTERVAL,
            save_interval: DEFAULT_SAVE_INTERVAL,
            timeout: Duration::from_secs(30),
            max_retries: 2,
            max_retry_after: Duration::from_secs(120),
            user_agent: crate::check::DEFAULT_USER_AGENT.to_string(),
            trusted_endpoints: true,
            lookup: Arc::new(SystemLookup),
            deadline: None,
        }
    }
}

/// Why the public archives cannot be asked at all.
#[derive(Debug, thiserror::Error)]
pub enum RemoteError {
    /// The HTTP client could not be built.
    #[error("cannot set up the HTTP client for public archives: {0}")]
    Client(String),
}

/// Why one request to an archive got no usable answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Problem {
    /// The network or DNS is unusable (no verdict on anything).
    #[error("network unavailable: {0}")]
    Network(String),
    /// The service refused us for now (429 after retries, a long
    /// `Retry-After`).
    #[error("rate-limited: {0}")]
    RateLimited(String),
    /// The service failed (5xx after retries, a reset, a timeout).
    #[error("{0}")]
    Failed(String),
    /// The answer could not be read (malformed JSON, link format...).
    #[error("malformed answer: {0}")]
    Malformed(String),
    /// The endpoint's address is refused (a config file's endpoint that
    /// resolves to a private address).
    #[error("{0}")]
    Refused(String),
    /// The run's deadline came first.
    #[error("not asked: the run reached its deadline")]
    Deadline,
}

/// An archive's answer, read whole (up to [`MAX_ANSWER_BYTES`]).
#[derive(Debug, Clone)]
pub struct Answer {
    /// The HTTP status.
    pub status: u16,
    /// Response headers, names lowercase.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
    /// The URL the answer came from.
    pub url: Url,
}

impl Answer {
    /// The first header named `name` (lowercase).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// The HTTP side of every archive client: one client, a pace per
/// service, retries with backoff, `Retry-After` honoured, and the
/// private-address guard for endpoints the operator did not choose.
#[derive(Debug)]
pub struct Http {
    client: reqwest::Client,
    opts: RemoteOptions,
    paces: Mutex<HashMap<String, Arc<tokio::sync::Mutex<Option<Instant>>>>>,
    /// The endpoints' hosts, when the operator chose them: they may be
    /// private (a local pywb, a test server). Any other host — a memento's,
    /// named by an archive's answer — must be public.
    trusted_hosts: Vec<String>,
    /// Set once the network or DNS proved unusable: every later request
    /// gets the same answer at once instead of waiting its turn to fail.
    network_down: Mutex<Option<Problem>>,
}

impl Http {
    /// A client for `opts`.
    pub fn new(opts: RemoteOptions) -> Result<Http, RemoteError> {
        let resolver = GuardedResolver {
            dns: Arc::new(Dns::new(
                opts.lookup.clone(),
                DEFAULT_CANARIES.iter().map(|s| s.to_string()).collect(),
            )),
            allow_private: false,
            exempt: trusted_hosts(&opts),
        };
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(opts.user_agent.clone())
            .timeout(opts.timeout)
            .connect_timeout(opts.timeout)
            .dns_resolver(Arc::new(resolver))
            .build()
            .map_err(|e| RemoteError::Client(e.to_string()))?;
        Ok(Http {
            client,
            trusted_hosts: trusted_hosts(&opts),
            opts,
            paces: Mutex::default(),
            network_down: Mutex::default(),
        })
    }

    /// The options in force.
    pub fn options(&self) -> &RemoteOptions {
        &self.opts
    }

    /// Sends the request `build` makes (again for each retry), after the
    /// pace of `service` (at least `interval` since its last request
    /// started). Redirects are not followed: a 3xx is an answer. Retries
    /// 429, 5xx, resets and timeouts up to `max_retries` times.
    pub async fn send(
        &self,
        service: &str,
        interval: Duration,
        build: impl Fn(&reqwest::Client) -> reqwest::RequestBuilder,
    ) -> Result<Answer, Problem> {
        let mut attempt = 0;
        loop {
            if let Some(down) = self.network_down() {
                return Err(down);
            }
            self.wait_turn(service, interval).await?;
            let request = build(&self.client)
                .build()
                .map_err(|e| Problem::Failed(format!("{service}: {e}")))?;
            self.vet(&request)?;
            let retry_after;
            match self.client.execute(request).await {
                Ok(response) => {
                    let status = response.status().as_u16();
                    let answer = read_answer(response).await;
                    match answer {
                        Ok(a) if status == 429 || (500..600).contains(&status) => {
                            retry_after = a
                                .header("retry-after")
                                .and_then(crate::check::parse_retry_after);
                            if attempt >= self.opts.max_retries {
                                return Err(too_many(service, &a));
                            }
                            if retry_after.is_some_and(|w| w > self.opts.max_retry_after) {
                                return Err(Problem::RateLimited(format!(
                                    "{service} answered {status} and asks to wait longer than {}s",
                                    self.opts.max_retry_after.as_secs()
                                )));
                            }
                        }
                        Ok(a) => return Ok(a),
                        Err(e) if attempt >= self.opts.max_retries => {
                            return Err(Problem::Failed(format!("{service}: {e}")))
                        }
                        Err(_) => retry_after = None,
                    }
                }
                Err(e) => {
                    let problem = classify(service, &e);
                    if let Problem::Network(_) = &problem {
                        *self.network_down.lock().unwrap_or_else(|p| p.into_inner()) =
                            Some(problem.clone());
                    }
                    if matches!(problem, Problem::Network(_) | Problem::Refused(_))
                        || attempt >= self.opts.max_retries
                    {
                        return Err(problem);
                    }
                    retry_after = None;
                }
            }
            attempt += 1;
            let wait = retry_after.unwrap_or_else(|| backoff(attempt));
            if self
                .opts
                .deadline
                .is_some_and(|d| Instant::now() + wait >= d)
            {
                return Err(Problem::Deadline);
            }
            tokio::time::sleep(wait).await;
        }
    }

    /// The problem that showed the network unusable, if one did.
    fn network_down(&self) -> Option<Problem> {
        self.network_down
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Waits until `service` may be asked again, and books the slot.
    async fn wait_turn(&self, service: &str, interval: Duration) -> Result<(), Problem> {
        let pace = {
            let mut paces = self.paces.lock().unwrap_or_else(|p| p.into_inner());
            paces.entry(service.to_string()).or_default().clone()
        };
        let mut next = pace.lock().await;
        let now = Instant::now();
        let start = next.map_or(now, |n| n.max(now));
        if self.opts.deadline.is_some_and(|d| start >= d) {
            return Err(Problem::Deadline);
        }
        tokio::time::sleep_until(start).await;
        *next = Some(start + interval);
        Ok(())
    }

    /// A literal private address is refused here unless it is an endpoint
    /// the operator gave (names are vetted by the resolver the same way).
    fn vet(&self, request: &reqwest::Request) -> Result<(), Problem> {
        let url = request.url();
        let ip = match url.host() {
            Some(url::Host::Ipv4(ip)) => std::net::IpAddr::V4(ip),
            Some(url::Host::Ipv6(ip)) => std::net::IpAddr::V6(ip),
            _ => return Ok(()),
        };
        let host = url.host_str().unwrap_or_default();
        if is_public(ip) || self.trusted_hosts.iter().any(|t| t == host) {
            return Ok(());
        }
        Err(Problem::Refused(if self.opts.trusted_endpoints {
            format!("{ip} is a private address, named by an archive's answer rather than given on the command line")
        } else {
            format!("{ip} is a private address: an archive endpoint from a config file must be public (give it on the command line instead)")
        }))
    }
}

/// The hosts of the endpoints in `opts` when the operator chose them.
fn trusted_hosts(opts: &RemoteOptions) -> Vec<String> {
    if !opts.trusted_endpoints {
        return Vec::new();
    }
    opts.wayback_url
        .iter()
        .chain(&opts.memento_urls)
        .chain(std::iter::once(&opts.spn_url))
        .filter_map(|u| u.host_str().map(str::to_ascii_lowercase))
        .collect()
}

async fn read_answer(mut response: reqwest::Response) -> Result<Answer, String> {
    let status = response.status().as_u16();
    let url = response.url().clone();
    let headers = response
        .headers()
        .iter()
        .map(|(n, v)| {
            (
                n.as_str().to_ascii_lowercase(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(|e| e.to_string())? {
        if body.len() + chunk.len() > MAX_ANSWER_BYTES {
            return Err(format!("answer larger than {MAX_ANSWER_BYTES} bytes"));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(Answer {
        status,
        headers,
        body,
        url,
    })
}

fn too_many(service: &str, a: &Answer) -> Problem {
    if a.status == 429 {
        Problem::RateLimited(format!("{service} answered 429 Too Many Requests"))
    } else {
        Problem::Failed(format!("{service} answered {}", a.status))
    }
}

fn classify(service: &str, e: &reqwest::Error) -> Problem {
    // reqwest's own layers ("error sending request for url (…)", "client
    // error (Connect)") repeat the URL and say nothing a user can act on:
    // the innermost causes do.
    let mut causes = Vec::new();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        causes.push(s.to_string());
        source = s.source();
    }
    let chain = causes.join(": ");
    let from = |needle: &str| chain.find(needle).map(|i| chain[i..].to_string());
    if let Some(tail) = from("network unavailable: ") {
        let tail = tail.trim_start_matches("network unavailable: ");
        Problem::Network(format!("{service}: {tail}"))
    } else if chain.contains("Network is unreachable") {
        Problem::Network(format!("{service}: {chain}"))
    } else if chain.contains("private addresses") {
        Problem::Refused(format!("{service}: {}", from("host ").unwrap_or(chain)))
    } else if e.is_timeout() {
        Problem::Failed(format!("{service}: no answer in time"))
    } else if chain.is_empty() {
        Problem::Failed(format!("{service}: {e}"))
    } else {
        Problem::Failed(format!("{service}: {chain}"))
    }
}

fn backoff(attempt: u32) -> Duration {
    let base = Duration::from_millis(500).saturating_mul(1 << attempt.min(8));
    base / 2 + Duration::from_millis(fastrand::u64(0..=base.as_millis() as u64 / 2))
}
