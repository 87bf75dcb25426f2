//! What a run fetched, shared by all its host tasks, so a URL is fetched
//! once however it is reached: a redirect target that is cited on its own,
//! a home page that many dead links redirect to, a stylesheet that a
//! hundred pages use.
//!
//! Each URL has a cell that the first asker fills with the response (one
//! hop: status, headers, body as received); askers that come while it is
//! being fetched wait for it rather than asking the server too. Only
//! answers that are answers are kept: a 429 or 5xx (which the checker
//! retries), a failed fetch (a timeout, no network) and a `304` to a
//! conditional request are never shared, so the next asker fetches for
//! itself, as it would have without sharing, and no verdict changes.
//!
//! Memory is bounded: responses are kept up to a byte budget, the least
//! recently used forgotten first (a URL forgotten is fetched again if it is
//! reached again), and one larger than an eighth of the budget is never
//! kept. The archive already holds every body it was handed; this is only
//! what later chains of the run may still reach. What is reached again is
//! used again (a home page, a stylesheet) and so stays; most responses are
//! a cited page's own, never reached again, and merely pass through. The
//! budget counts what a response really costs the heap (capacities, the
//! bookkeeping of each entry), not only its bytes: a run of 100,000 small
//! pages once kept 90 MB under a 64 MiB budget.

use crate::model::Hop;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};
use tokio::sync::OnceCell;

/// Bytes of responses kept for reuse by default (see [`Fetches`]).
pub const DEFAULT_SHARED_BYTES: usize = 16 * 1024 * 1024;

/// The response cell of one URL.
pub(crate) type Cell = Arc<OnceCell<Arc<Hop>>>;

/// The run's fetched responses, by URL.
pub(crate) struct Fetches {
    inner: Mutex<Inner>,
    budget: usize,
}

#[derive(Default)]
struct Inner {
    cells: HashMap<String, Entry>,
    /// Use order: tick → URL, the oldest first.
    order: BTreeMap<u64, String>,
    tick: u64,
    /// Bytes of the filled cells.
    bytes: usize,
}

struct Entry {
    cell: Cell,
    /// Set once the cell is filled and counted.
    used: Option<(u64, usize)>,
}

impl Fetches {
    pub fn new(budget: usize) -> Self {
        Fetches {
            inner: Mutex::default(),
            budget,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The cell of `url`, made if there is none yet: fill it, or wait for
    /// whoever is filling it.
    pub fn cell(&self, url: &str) -> Cell {
        let mut inner = self.lock();
        inner.touch(url);
        inner
            .cells
            .entry(url.to_string())
            .or_insert_with(|| Entry {
                cell: Cell::default(),
                used: None,
            })
            .cell
            .clone()
    }

    /// The cell of `url` if someone has made one (its response may still be
    /// on the way).
    pub fn existing(&self, url: &str) -> Option<Cell> {
        let mut inner = self.lock();
        inner.touch(url);
        inner.cells.get(url).map(|e| e.cell.clone())
    }

    /// Whether `url`'s response is at hand (no request needed).
    pub fn has(&self, url: &str) -> bool {
        self.lock()
            .cells
            .get(url)
            .is_some_and(|e| e.cell.initialized())
    }

    /// Whether a response of `size` bytes may be kept at all.
    pub fn keeps(&self, hop: &Hop) -> bool {
        size_of(hop) <= self.budget / 8
    }

    /// Offers a response fetched outside a cell (a conditional request
    /// that got the full page): kept if no cell exists yet.
    pub fn offer(&self, hop: Arc<Hop>) {
        if !self.keeps(&hop) {
            return;
        }
        let url = hop.url.clone();
        {
            let mut inner = self.lock();
            if inner.cells.contains_key(&url) {
                return;
            }
            let cell = Cell::new(OnceCell::from(hop));
            inner.cells.insert(url.clone(), Entry { cell, used: None });
        }
        self.filled(&url);
    }

    /// Counts a cell just filled, and forgets the least recently used
    /// responses while over the budget.
    pub fn filled(&self, url: &str) {
        let mut inner = self.lock();
        let Some(size) = inner
            .cells
            .get(url)
            .and_then(|e| e.cell.get())
            .map(|h| size_of(h))
        else {
            return;
        };
        inner.tick += 1;
        let tick = inner.tick;
        let Some(entry) = inner.cells.get_mut(url) else {
            return;
        };
        if entry.used.is_some() {
            return;
        }
        entry.used = Some((tick, size));
        inner.order.insert(tick, url.to_string());
        inner.bytes += size;
        while inner.bytes > self.budget {
            let Some((_, oldest)) = inner.order.pop_first() else {
                break;
            };
            if let Some(Entry {
                used: Some((_, n)), ..
            }) = inner.cells.remove(&oldest)
            {
                inner.bytes -= n;
            }
        }
    }
}

impl Inner {
    /// Marks `url` as just used, so it is forgotten last.
    fn touch(&mut self, url: &str) {
        self.tick += 1;
        let tick = self.tick;
        let Some(Entry {
            used: Some((at, _)),
            ..
        }) = self.cells.get_mut(url)
        else {
            return;
        };
        let old = std::mem::replace(at, tick);
        if let Some(u) = self.order.remove(&old) {
            self.order.insert(tick, u);
        }
    }
}

/// Heap bytes a block of `n` costs beside its contents (allocator header
/// and rounding, about).
const PER_ALLOCATION: usize = 16;

/// What a kept response costs the heap: its body, headers and request as
/// allocated, the `Hop` and its cell, and the entry's URL, held three
/// times (the hop's own, the table's key, the use order's).
fn size_of(hop: &Hop) -> usize {
    let headers: usize = hop
        .headers
        .iter()
        .map(|(k, v)| k.capacity() + v.capacity() + 2 * PER_ALLOCATION)
        .sum::<usize>()
        + hop.headers.capacity() * std::mem::size_of::<(String, Vec<u8>)>();
    let url = hop.url.capacity() + PER_ALLOCATION;
    let fixed = std::mem::size_of::<Hop>()
        + std::mem::size_of::<OnceCell<Arc<Hop>>>()
        + 2 * std::mem::size_of::<Arc<()>>()
        + 4 * PER_ALLOCATION
        + std::mem::size_of::<(String, Entry)>()
        + std::mem::size_of::<(u64, String)>();
    hop.body.capacity()
        + headers
        + hop.request_head.capacity()
        + hop.status_line.capacity()
        + 3 * url
        + fixed
        + 5 * PER_ALLOCATION
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Timestamp;

    fn hop(url: &str, body: usize) -> Arc<Hop> {
        Arc::new(Hop {
            url: url.into(),
            fetched_at: Timestamp(0),
            request_head: Vec::new(),
            status: 200,
            status_line: "HTTP/1.1 200 OK".into(),
            headers: Vec::new(),
            body: vec![b'x'; body],
            truncated: false,
        })
    }

    #[test]
    fn least_recently_used_responses_go_first_over_the_budget() {
        // Room for eight responses like these.
        let one = size_of(&hop("a", 700));
        let f = Fetches::new(8 * one + 1);
        for u in ["a", "b", "c"] {
            f.offer(hop(u, 700));
        }
        assert!(f.has("a") && f.has("b") && f.has("c"));
        let _ = f.existing("a"); // used again: b is now the oldest
        for u in ["d", "e", "f", "g", "h", "i", "j", "k"] {
            f.offer(hop(u, 700));
        }
        assert!(!f.has("b"), "the least recently used is forgotten");
        assert!(f.has("k"));
        // Larger than an eighth of the budget: never kept.
        f.offer(hop("big", 2 * one));
        assert!(!f.has("big"));
    }
}
