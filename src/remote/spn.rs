//! Save Page Now 2: submit a live URL to the Wayback Machine and poll until it is captured.
//!
//! The protocol is the one the Internet Archive documents for its SPN2
//! API: `POST {spn_url}save` with the form `url=…&if_not_archived_within=…`
//! and the header `Authorization: LOW <access>:<secret>`, which answers a
//! `job_id`; then `GET {spn_url}save/status/<job_id>` until the job is
//! `success` (with the capture's 14-digit timestamp) or `error`. SPN2
//! reports most errors with HTTP 200 and a JSON body
//! `{"status":"error","status_ext":"error:…","message":"…"}`, on the
//! submission as well as on the status poll; a [`Saver`] turns them into
//! a [`SaveOutcome`]:
//!
//! * `error:too-many-daily-captures`: the account's daily quota is used
//!   up, nothing more is submitted in this run ([`SaveOutcome::Stopped`]);
//! * `error:user-session-limit`: too many of our captures are in flight;
//!   wait a few poll intervals and submit again, a few times;
//! * `error:too-many-requests`: back off exponentially from the save
//!   interval and submit again, then stop for the run;
//! * any other `error:…` (`blocked-url`, `not-found`, `no-access`...):
//!   this URL cannot be saved ([`SaveOutcome::Failed`]).
//!
//! Submissions go through [`Http`] as the service `spn`, paced by
//! [`RemoteOptions::save_interval`](super::RemoteOptions::save_interval);
//! status polls as `spn-status`.

use super::{Answer, Http, Problem};
use crate::model::{RemoteCapture, Timestamp};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use reqwest::header::{HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_TYPE};
use std::fmt;
use std::sync::Mutex;
use std::time::Duration;
use tokio::time::Instant;

/// The environment variable holding the Internet Archive keys, as
/// `ACCESS:SECRET` (the S3-like keys of <https://archive.org/account/s3.php>).
pub const IA_KEYS_VAR: &str = "CITEVAULT_IA_KEYS";

/// Resubmissions after `error:user-session-limit`, at most.
const MAX_SESSION_RESUBMITS: u32 = 3;
/// Poll intervals waited before resubmitting after `error:user-session-limit`.
const SESSION_WAIT_POLLS: u32 = 5;
/// Longest wait before resubmitting after `error:user-session-limit`.
const MAX_SESSION_WAIT: Duration = Duration::from_secs(60);
/// Resubmissions after `error:too-many-requests`, at most.
const MAX_REFUSAL_RETRIES: u32 = 3;
/// Longest backoff after `error:too-many-requests`.
const MAX_BACKOFF: Duration = Duration::from_secs(300);
/// Least gap between two status polls of the whole run (capped by the
/// poll interval when that is shorter).
const STATUS_PACE: Duration = Duration::from_secs(1);
/// Longest piece of a server message quoted in a reason.
const MAX_MESSAGE_CHARS: usize = 300;

/// Characters escaped in a job id put in a URL path.
const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.');

/// Internet Archive API keys for Save Page Now. `Debug` never shows the
/// secret.
#[derive(Clone, PartialEq, Eq)]
pub struct IaKeys {
    access: String,
    secret: String,
}

impl IaKeys {
    /// Reads `ACCESS:SECRET`, the format of [`IA_KEYS_VAR`]. The error
    /// names the variable and never quotes the value.
    pub fn parse(value: &str) -> Result<IaKeys, String> {
        let bad = |why: &str| {
            format!(
                "{IA_KEYS_VAR} must be ACCESS:SECRET, your archive.org API keys (https://archive.org/account/s3.php): {why}"
            )
        };
        let value = value.trim();
        let (access, secret) = value
            .split_once(':')
            .ok_or_else(|| bad("there is no ':' between the two keys"))?;
        if access.is_empty() {
            return Err(bad("the access key is empty"));
        }
        if secret.is_empty() {
            return Err(bad("the secret key is empty"));
        }
        if !value.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(bad(
                "the keys contain spaces or characters other than ASCII",
            ));
        }
        Ok(IaKeys {
            access: access.to_string(),
            secret: secret.to_string(),
        })
    }

    /// The keys in [`IA_KEYS_VAR`]; `Ok(None)` when it is unset or empty.
    pub fn from_env() -> Result<Option<IaKeys>, String> {
        match std::env::var(IA_KEYS_VAR) {
            Ok(v) if v.trim().is_empty() => Ok(None),
            Ok(v) => IaKeys::parse(&v).map(Some),
            Err(std::env::VarError::NotPresent) => Ok(None),
            Err(std::env::VarError::NotUnicode(_)) => Err(format!(
                "{IA_KEYS_VAR} must be ACCESS:SECRET, your archive.org API keys: it is not valid text"
            )),
        }
    }

    /// The access key (public; the secret is not exposed).
    pub fn access(&self) -> &str {
        &self.access
    }

    fn authorization(&self) -> Option<HeaderValue> {
        let mut v = HeaderValue::from_str(&format!("LOW {}:{}", self.access, self.secret)).ok()?;
        v.set_sensitive(true);
        Some(v)
    }
}

impl fmt::Debug for IaKeys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IaKeys")
            .field("access", &self.access)
            .field("secret", &"<redacted>")
            .finish()
    }
}

/// How Save Page Now is asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SaveOptions {
    /// Capture only when the archive's latest capture is older than this
    /// (SPN2's `if_not_archived_within`, sent as `30d`, `5h`, `20m` or
    /// seconds); a recent capture is then reported as saved. Zero always
    /// captures (the field is not sent).
    pub if_not_archived_within: Duration,
    /// Gap between two status polls of one job.
    pub poll_interval: Duration,
    /// Longest wait for one job to finish, from its submission.
    pub max_wait: Duration,
}

impl Default for SaveOptions {
    fn default() -> Self {
        SaveOptions {
            if_not_archived_within: Duration::from_secs(30 * 86_400),
            poll_interval: Duration::from_secs(6),
            max_wait: Duration::from_secs(180),
        }
    }
}

/// What became of one submission.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SaveOutcome {
    /// Captured: now, or recently enough (within `if_not_archived_within`)
    /// that SPN2 answered with that capture. `saved` is set.
    Saved(RemoteCapture),
    /// This URL could not be saved (the site blocks archiving, the page
    /// was not found, the job did not finish in time...).
    Failed {
        /// Why, for a person (callers say it is Save Page Now's).
        reason: String,
    },
    /// Not attempted, or abandoned, for a reason that holds for the rest
    /// of the run: the daily quota is used up, the service keeps refusing
    /// us, the keys were refused, the run's deadline came, the network is
    /// unavailable.
    Stopped {
        /// Why, for a person (callers say it is Save Page Now's).
        reason: String,
    },
}

/// Submits URLs to Save Page Now 2 for one run. Usable from `&self` by
/// concurrent tasks: once the service says to stop (daily quota, bad
/// keys, persistent refusals), no further submission is made.
#[derive(Debug)]
pub struct Saver<'a> {
    http: &'a Http,
    keys: IaKeys,
    opts: SaveOptions,
    stop: Mutex<Option<String>>,
}

/// One submission and its polls, short of the retry policy.
enum Step {
    Outcome(SaveOutcome),
    /// SPN2's `status_ext` and message.
    SpnError(String, String),
}

/// An SPN2 answer, read.
enum Reply {
    Job(String),
    Pending,
    Success {
        timestamp: String,
        original_url: Option<String>,
    },
    Error(String, String),
}

impl<'a> Saver<'a> {
    /// A saver sending through `http` (a run's [`super::PublicArchives::http`],
    /// so paces are shared) with `keys`.
    pub fn new(http: &'a Http, keys: IaKeys, opts: SaveOptions) -> Saver<'a> {
        Saver {
            http,
            keys,
            opts,
            stop: Mutex::new(None),
        }
    }

    /// Why submissions stopped for this run, if they did.
    pub fn stopped(&self) -> Option<String> {
        self.stop.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Asks Save Page Now to capture `url` and waits for the capture.
    /// Never fails: see [`SaveOutcome`].
    pub async fn save(&self, url: &str) -> SaveOutcome {
        let mut session_waits = 0;
        let mut refusals = 0;
        loop {
            if let Some(reason) = self.stopped() {
                return SaveOutcome::Stopped { reason };
            }
            let (ext, message) = match self.attempt(url).await {
                Step::Outcome(o) => return o,
                Step::SpnError(ext, message) => (ext, message),
            };
            match ext.as_str() {
                "error:too-many-daily-captures" => {
                    return self.stop_run(format!(
                        "the daily capture quota is used up ({ext}){}; nothing more is saved in this run",
                        quoted(&message)
                    ))
                }
                "error:user-session-limit" => {
                    if session_waits >= MAX_SESSION_RESUBMITS {
                        return SaveOutcome::Failed {
                            reason: format!(
                                "too many captures in flight ({ext}) after {} resubmissions{}",
                                MAX_SESSION_RESUBMITS,
                                quoted(&message)
                            ),
                        };
                    }
                    session_waits += 1;
                    let wait = self
                        .opts
                        .poll_interval
                        .saturating_mul(SESSION_WAIT_POLLS)
                        .min(MAX_SESSION_WAIT);
                    if let Err(o) = self.pause(wait).await {
                        return o;
                    }
                }
                "error:too-many-requests" => {
                    if refusals >= MAX_REFUSAL_RETRIES {
                        return self.stop_run(format!(
                            "rate-limited ({ext}) after {} retries{}; nothing more is saved in this run",
                            MAX_REFUSAL_RETRIES,
                            quoted(&message)
                        ));
                    }
                    let wait = self
                        .http
                        .options()
                        .save_interval
                        .saturating_mul(1 << refusals)
                        .min(MAX_BACKOFF);
                    refusals += 1;
                    if let Err(o) = self.pause(wait).await {
                        return o;
                    }
                }
                _ => {
                    return SaveOutcome::Failed {
                        reason: format!("{ext}{}{}", explain(&ext), quoted(&message)),
                    }
                }
            }
        }
    }

    /// Submits `url` once and polls its job to the end.
    async fn attempt(&self, url: &str) -> Step {
        let Some(auth) = self.keys.authorization() else {
            return Step::Outcome(self.stop_run(format!(
                "the keys cannot be sent in a header; check {IA_KEYS_VAR}"
            )));
        };
        // The serializer is not `Send`: it must not live across an await.
        let body = {
            let mut form = url::form_urlencoded::Serializer::new(String::new());
            form.append_pair("url", url);
            if !self.opts.if_not_archived_within.is_zero() {
                form.append_pair(
                    "if_not_archived_within",
                    &timedelta(self.opts.if_not_archived_within),
                );
            }
            form.finish()
        };
        let endpoint = self.endpoint("save");
        let interval = self.http.options().save_interval;
        let sent = self
            .http
            .send("spn", interval, |c| {
                c.post(&endpoint)
                    .header(ACCEPT, "application/json")
                    .header(AUTHORIZATION, auth.clone())
                    .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .body(body.clone())
            })
            .await;
        let submitted = Instant::now();
        let job = match self.read(sent) {
            Err(o) => return Step::Outcome(o),
            Ok(Reply::Job(job)) => job,
            Ok(Reply::Success {
                timestamp,
                original_url,
            }) => return Step::Outcome(self.saved(&timestamp, original_url.as_deref(), url)),
            Ok(Reply::Error(ext, message)) => return Step::SpnError(ext, message),
            Ok(Reply::Pending) => return Step::Outcome(malformed("no job id")),
        };
        let status_url = self.endpoint(&format!(
            "save/status/{}",
            utf8_percent_encode(&job, PATH_SEGMENT)
        ));
        let pace = self.opts.poll_interval.min(STATUS_PACE);
        loop {
            if let Err(o) = self.pause(self.opts.poll_interval).await {
                return Step::Outcome(o);
            }
            let sent = self
                .http
                .send("spn-status", pace, |c| {
                    c.get(&status_url)
                        .header(ACCEPT, "application/json")
                        .header(AUTHORIZATION, auth.clone())
                })
                .await;
            match self.read(sent) {
                Err(o) => return Step::Outcome(o),
                Ok(Reply::Pending) => {
                    if submitted.elapsed() >= self.opts.max_wait {
                        return Step::Outcome(SaveOutcome::Failed {
                            reason: format!(
                                "the job was still pending after {}",
                                humantime::format_duration(Duration::from_secs(
                                    submitted.elapsed().as_secs()
                                ))
                            ),
                        });
                    }
                }
                Ok(Reply::Success {
                    timestamp,
                    original_url,
                }) => return Step::Outcome(self.saved(&timestamp, original_url.as_deref(), url)),
                Ok(Reply::Error(ext, message)) => return Step::SpnError(ext, message),
                Ok(Reply::Job(_)) => return Step::Outcome(malformed("no job status")),
            }
        }
    }

    /// Reads one answer; `Err` is the outcome when it settles the URL.
    fn read(&self, sent: Result<Answer, Problem>) -> Result<Reply, SaveOutcome> {
        let answer = match sent {
            Ok(a) => a,
            Err(Problem::Deadline) => {
                return Err(SaveOutcome::Stopped {
                    reason: "not asked: the run reached its deadline".into(),
                })
            }
            Err(Problem::RateLimited(why)) => {
                return Err(self.stop_run(format!(
                    "rate-limited ({why}); nothing more is saved in this run"
                )))
            }
            Err(Problem::Refused(why)) => return Err(self.stop_run(why)),
            Err(Problem::Network(why)) => {
                return Err(SaveOutcome::Stopped {
                    reason: format!("network unavailable: {why}"),
                })
            }
            Err(p @ (Problem::Failed(_) | Problem::Malformed(_))) => {
                return Err(SaveOutcome::Failed {
                    reason: p.to_string(),
                })
            }
        };
        if answer.status == 401 || answer.status == 403 {
            return Err(self.stop_run(format!(
                "the keys were refused (HTTP {}): check {IA_KEYS_VAR}; nothing more is saved in this run",
                answer.status
            )));
        }
        let json = serde_json::from_slice::<serde_json::Value>(&answer.body).ok();
        let reply = json.as_ref().and_then(reply);
        match reply {
            // SPN2 may also put its error object on a 4xx or 5xx.
            Some(r @ Reply::Error(..)) => Ok(r),
            Some(r) if (200..300).contains(&answer.status) => Ok(r),
            _ if !(200..300).contains(&answer.status) => Err(SaveOutcome::Failed {
                reason: format!("the service answered HTTP {}", answer.status),
            }),
            _ => {
                let message = json
                    .as_ref()
                    .and_then(|v| v.get("message"))
                    .and_then(|m| m.as_str())
                    .unwrap_or("");
                let why = if json.is_some() {
                    "unexpected JSON"
                } else {
                    "not JSON"
                };
                Err(SaveOutcome::Failed {
                    reason: format!(
                        "malformed answer from Save Page Now ({why}){}",
                        quoted(message)
                    ),
                })
            }
        }
    }

    /// The capture a successful job made (or found).
    fn saved(&self, timestamp: &str, original_url: Option<&str>, url: &str) -> SaveOutcome {
        let Some(captured_at) = parse_timestamp(timestamp) else {
            return malformed("invalid timestamp");
        };
        let original = original_url.filter(|u| !u.trim().is_empty()).unwrap_or(url);
        SaveOutcome::Saved(RemoteCapture {
            archive: "wayback".into(),
            url: self.endpoint(&format!("web/{timestamp}/{original}")),
            captured_at,
            http_status: 200,
            distance: None,
            distance_days: None,
            saved: true,
        })
    }

    /// `path` under the SPN2 base URL.
    fn endpoint(&self, path: &str) -> String {
        let base = self.http.options().spn_url.as_str();
        if base.ends_with('/') {
            format!("{base}{path}")
        } else {
            format!("{base}/{path}")
        }
    }

    /// Stops submissions for the run (the first reason is kept).
    fn stop_run(&self, reason: String) -> SaveOutcome {
        let mut stop = self.stop.lock().unwrap_or_else(|p| p.into_inner());
        let reason = stop.get_or_insert(reason).clone();
        SaveOutcome::Stopped { reason }
    }

    /// Sleeps `wait`, unless the run's deadline comes first.
    async fn pause(&self, wait: Duration) -> Result<(), SaveOutcome> {
        if self
            .http
            .options()
            .deadline
            .is_some_and(|d| Instant::now() + wait >= d)
        {
            return Err(SaveOutcome::Stopped {
                reason: "abandoned: the run reached its deadline".into(),
            });
        }
        tokio::time::sleep(wait).await;
        Ok(())
    }
}

/// Reads SPN2's JSON (a submission's or a status poll's answer).
fn reply(v: &serde_json::Value) -> Option<Reply> {
    let obj = v.as_object()?;
    let text = |k: &str| obj.get(k).and_then(|v| v.as_str()).map(str::trim);
    let status = text("status").unwrap_or("");
    let ext = text("status_ext").unwrap_or("");
    if status == "error" || ext.starts_with("error:") {
        let ext = if ext.is_empty() { "error:unknown" } else { ext };
        let message = text("message").unwrap_or("");
        return Some(Reply::Error(ext.to_string(), message.to_string()));
    }
    match status {
        "pending" => return Some(Reply::Pending),
        "success" => {
            return Some(Reply::Success {
                timestamp: text("timestamp")?.to_string(),
                original_url: text("original_url").map(str::to_string),
            })
        }
        "" => {}
        _ => return None,
    }
    if let Some(job) = text("job_id").filter(|j| !j.is_empty()) {
        return Some(Reply::Job(job.to_string()));
    }
    // An answer with the capture itself and no job to poll.
    Some(Reply::Success {
        timestamp: text("timestamp")?.to_string(),
        original_url: text("original_url")
            .or_else(|| text("url"))
            .map(str::to_string),
    })
}

fn malformed(why: &str) -> SaveOutcome {
    SaveOutcome::Failed {
        reason: format!("malformed answer from Save Page Now ({why})"),
    }
}

/// A few words on the common SPN2 errors.
fn explain(ext: &str) -> &'static str {
    match ext {
        "error:blocked-url" => " (the site asks not to be archived)",
        "error:no-access" => " (the page cannot be accessed, e.g. it needs a login)",
        "error:not-found" => " (the page was not found)",
        "error:invalid-url-syntax" => " (the URL is not valid)",
        "error:invalid-host-resolution" => " (the host name does not resolve)",
        _ => "",
    }
}

/// `: <message>`, cleaned and shortened, or nothing.
fn quoted(message: &str) -> String {
    let clean: String = message
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(MAX_MESSAGE_CHARS)
        .collect();
    let clean = clean.trim();
    if clean.is_empty() {
        String::new()
    } else {
        format!(": {clean}")
    }
}

/// SPN2's timedelta: `30d`, `5h`, `20m`, or seconds.
fn timedelta(d: Duration) -> String {
    let s = d.as_secs().max(1);
    if s.is_multiple_of(86_400) {
        format!("{}d", s / 86_400)
    } else if s.is_multiple_of(3_600) {
        format!("{}h", s / 3_600)
    } else if s.is_multiple_of(60) {
        format!("{}m", s / 60)
    } else {
        s.to_string()
    }
}

/// A Wayback timestamp, `YYYYMMDDhhmmss` (UTC).
fn parse_timestamp(ts: &str) -> Option<Timestamp> {
    if ts.len() != 14 || !ts.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let rfc3339 = format!(
        "{}-{}-{}T{}:{}:{}Z",
        &ts[0..4],
        &ts[4..6],
        &ts[6..8],
        &ts[8..10],
        &ts[10..12],
        &ts[12..14]
    );
    let t = humantime::parse_rfc3339(&rfc3339).ok()?;
    let secs = t.duration_since(std::time::UNIX_EPOCH).ok()?;
    Some(Timestamp(secs.as_secs()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_parse_and_never_show_the_secret() {
        let k = IaKeys::parse(" abcACCESS:s3cr3tXYZ \n").unwrap();
        assert_eq!(k.access(), "abcACCESS");
        let dbg = format!("{k:?}");
        assert!(dbg.contains("abcACCESS"), "{dbg}");
        assert!(!dbg.contains("s3cr3tXYZ"), "{dbg}");
        assert!(dbg.contains("redacted"), "{dbg}");
        for bad in [
            "",
            "s3cr3tXYZ",
            ":s3cr3tXYZ",
            "abc:",
            "abc:s3cr3t XYZ",
            "abc:s3cr3té",
        ] {
            let e = IaKeys::parse(bad).unwrap_err();
            assert!(e.contains(IA_KEYS_VAR), "{e}");
            assert!(!e.contains("s3cr3t"), "{e}");
        }
        assert!(k.authorization().unwrap().is_sensitive());
    }

    #[test]
    fn timedeltas_and_timestamps() {
        assert_eq!(timedelta(Duration::from_secs(30 * 86_400)), "30d");
        assert_eq!(timedelta(Duration::from_secs(5 * 3_600)), "5h");
        assert_eq!(timedelta(Duration::from_secs(20 * 60)), "20m");
        assert_eq!(timedelta(Duration::from_secs(120)), "2m");
        assert_eq!(timedelta(Duration::from_secs(90)), "90");
        assert_eq!(
            parse_timestamp("20251118093000"),
            Some(Timestamp(1_763_458_200))
        );
        assert_eq!(parse_timestamp("20251318093000"), None);
        assert_eq!(parse_timestamp("2025111809300"), None);
        assert_eq!(parse_timestamp("2025111809300x"), None);
    }
}
