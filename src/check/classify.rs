//! Verdicts. The rule of thumb: only call a link `dead` when the site says
//! so (404, 410, the host no longer exists); a refusal is `blocked`, a
//! server or network failure is `error`, and a 200 that is really an error
//! page is `soft-404`.

use super::guard::DnsError;
use super::page::Page;
use super::{FetchFailure, Fetched};
use crate::model::CheckStatus;
use std::error::Error as _;

/// What a DNS failure means for the URL.
pub(crate) fn dns_failure(dns: &DnsError) -> FetchFailure {
    match dns {
        DnsError::NotFound { .. } => {
            FetchFailure::Failed(CheckStatus::Dead, dns.to_string(), false)
        }
        DnsError::Private { .. } => {
            FetchFailure::Failed(CheckStatus::Skipped, dns.to_string(), false)
        }
        DnsError::Unavailable { .. } => FetchFailure::Environment(dns.to_string()),
        DnsError::Failed { .. } => FetchFailure::Failed(CheckStatus::Error, dns.to_string(), true),
    }
}

/// A request that got no response.
pub(crate) fn request_error(e: &reqwest::Error) -> FetchFailure {
    if let Some(dns) = find_source::<DnsError>(e) {
        return dns_failure(dns);
    }
    if e.is_timeout() {
        return FetchFailure::Timeout;
    }
    let chain = error_chain(e);
    let lower = chain.to_lowercase();
    if let Some(local) = environment_problem(&lower) {
        return FetchFailure::Environment(format!("{local}: {chain}"));
    }
    // rustls reports as "invalid peer certificate: …", "received corrupt
    // message …", "peer sent fatal alert …", "handshake …".
    let tls = [
        "certificate",
        "tls",
        "handshake",
        "corrupt message",
        "fatal alert",
        "peer is incompatible",
    ]
    .iter()
    .any(|k| lower.contains(k));
    if tls {
        return FetchFailure::Failed(CheckStatus::Error, format!("TLS failure: {chain}"), false);
    }
    // One IPv6-only site on a machine without an IPv6 route: that host is
    // unreachable, the network is not down (DNS tells that apart).
    if lower.contains("refused")
        || lower.contains("network is unreachable")
        || lower.contains("no route to host")
    {
        return FetchFailure::Unreachable(format!("connection refused: {chain}"));
    }
    if lower.contains("reset") || lower.contains("closed") || lower.contains("broken pipe") {
        return FetchFailure::Failed(
            CheckStatus::Error,
            format!("connection reset: {chain}"),
            true,
        );
    }
    if e.is_connect() {
        return FetchFailure::Unreachable(format!("cannot connect: {chain}"));
    }
    FetchFailure::Failed(CheckStatus::Error, format!("request failed: {chain}"), true)
}

/// Failures of this machine, not of the source: never a citation's verdict.
fn environment_problem(lower_chain: &str) -> Option<&'static str> {
    if lower_chain.contains("too many open files") || lower_chain.contains("os error 24") {
        Some("local resource exhausted (open files)")
    } else if lower_chain.contains("cannot allocate memory") || lower_chain.contains("os error 12")
    {
        Some("local resource exhausted (memory)")
    } else {
        None
    }
}

/// The connection failed while the body was being read.
pub(crate) fn body_error(e: &reqwest::Error) -> FetchFailure {
    if e.is_timeout() {
        return FetchFailure::Timeout;
    }
    let chain = error_chain(e);
    if let Some(local) = environment_problem(&chain.to_lowercase()) {
        return FetchFailure::Environment(format!("{local}: {chain}"));
    }
    FetchFailure::Failed(
        CheckStatus::Error,
        format!(
            "connection dropped while reading the body: {}",
            error_chain(e)
        ),
        true,
    )
}

/// The verdict on a response that is not 2xx (a 2xx page is weighed by
/// `check::verdict`).
pub(crate) fn response(f: &Fetched, page: &Page) -> (CheckStatus, String) {
    let code = f.status;
    match code {
        304 => (CheckStatus::Alive, "304 Not Modified: unchanged".into()),
        404 => (CheckStatus::Dead, "404 Not Found".into()),
        410 => (CheckStatus::Dead, "410 Gone: the page was removed".into()),
        401 => (
            CheckStatus::Blocked,
            "401 Unauthorized: the site asks for a login".into(),
        ),
        403 => match page.challenge_phrase() {
            Some(p) => (
                CheckStatus::Blocked,
                format!("403 with a bot challenge page ({p:?})"),
            ),
            None => (
                CheckStatus::Blocked,
                "403 Forbidden: the site refused us".into(),
            ),
        },
        407 => (
            CheckStatus::Blocked,
            "407 Proxy Authentication Required".into(),
        ),
        451 => (
            CheckStatus::Blocked,
            "451 Unavailable For Legal Reasons".into(),
        ),
        429 => (
            CheckStatus::Blocked,
            "429 Too Many Requests after every retry: the site is rate-limiting us".into(),
        ),
        // Cloudflare and firewalls answer 503 with a challenge page.
        503 => match page.challenge_phrase() {
            Some(p) => (
                CheckStatus::Blocked,
                format!("503 with a bot challenge page ({p:?})"),
            ),
            None => (
                CheckStatus::Error,
                "HTTP 503: server error after retries".into(),
            ),
        },
        300..=399 => (
            CheckStatus::Error,
            format!("{code} redirect without a Location header"),
        ),
        400..=499 => (CheckStatus::Error, format!("HTTP {code} from the server")),
        _ => (
            CheckStatus::Error,
            format!("HTTP {code}: server error after retries"),
        ),
    }
}

fn find_source<T: std::error::Error + 'static>(e: &reqwest::Error) -> Option<&T> {
    let mut cur: Option<&(dyn std::error::Error + 'static)> = e.source();
    while let Some(err) = cur {
        if let Some(t) = err.downcast_ref::<T>() {
            return Some(t);
        }
        cur = err.source();
    }
    None
}

/// "outer: inner: innermost", without repeats.
fn error_chain(e: &reqwest::Error) -> String {
    let mut parts: Vec<String> = vec![e.to_string()];
    let mut cur = e.source();
    while let Some(err) = cur {
        let s = err.to_string();
        if !parts.iter().any(|p| p.contains(&s)) {
            parts.push(s);
        }
        cur = err.source();
    }
    parts.join(": ")
}
