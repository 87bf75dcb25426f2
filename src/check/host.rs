//! Per-host politeness: at most N requests in flight to one host, request
//! starts at least `interval` apart, a host-wide pause when the server asks
//! for one (`Retry-After`), and giving up on a host that keeps failing.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Mutex;
use std::time::Duration;
use tokio::sync::Semaphore;
use tokio::time::Instant;

/// How one host is treated (`[hosts."name"]` in `citevault.toml`); unset fields follow the global options.
#[derive(Debug, Clone, Default, serde::Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct HostPolicy {
    /// Requests in flight to this host.
    pub concurrency: Option<usize>,
    #[serde(default, deserialize_with = "crate::config::de_duration_opt")]
    /// Minimum gap between request starts.
    pub interval: Option<Duration>,
    /// Seconds per request attempt.
    pub timeout: Option<u64>,
    /// User-Agent header for this host.
    pub user_agent: Option<String>,
    /// Extra request headers.
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    /// Status codes that count as `alive` on this host (a site that answers
    /// 403 to every robot but serves the page, say).
    #[serde(default)]
    pub accept: Vec<u16>,
}

/// The politeness state of one host during a run.
pub(crate) struct HostGate {
    interval: Duration,
    /// Earliest time the next request may start.
    next_start: Mutex<Instant>,
    pub in_flight: Semaphore,
    /// Consecutive timeouts / unreachable results on this host.
    failures: AtomicU32,
    give_up_after: u32,
}

impl HostGate {
    pub fn new(concurrency: usize, interval: Duration, give_up_after: u32) -> Self {
        HostGate {
            interval,
            next_start: Mutex::new(Instant::now()),
            in_flight: Semaphore::new(concurrency.max(1)),
            failures: AtomicU32::new(0),
            give_up_after,
        }
    }

    /// Waits for this request's start slot; slots are handed out in order,
    /// `interval` apart.
    pub async fn wait_turn(&self) {
        let start = {
            let mut next = self.next_start.lock().unwrap_or_else(|e| e.into_inner());
            let start = (*next).max(Instant::now());
            *next = start + self.interval;
            start
        };
        tokio::time::sleep_until(start).await;
    }

    /// The server asked us to wait: no request to this host before `until`.
    pub fn pause_until(&self, until: Instant) {
        let mut next = self.next_start.lock().unwrap_or_else(|e| e.into_inner());
        *next = (*next).max(until);
    }

    /// Records whether the host answered; returns true once it has failed
    /// `give_up_after` times in a row.
    pub fn record(&self, answered: bool) -> bool {
        if answered {
            self.failures.store(0, Ordering::Relaxed);
            false
        } else {
            self.failures.fetch_add(1, Ordering::Relaxed) + 1 >= self.give_up_after
        }
    }

    /// Whether the host has been given up on.
    pub fn given_up(&self) -> bool {
        self.give_up_after > 0 && self.failures.load(Ordering::Relaxed) >= self.give_up_after
    }
}
