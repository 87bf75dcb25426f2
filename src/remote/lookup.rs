//! Lookup: what the archives offer of a URL, ranked by the cited date
//! (InternetArchiveBot's rule: the latest capture on or before the cited
//! day, else the earliest after it), then verified one by one until a
//! memento answers 200/203/206 and does not read as an error page.

use super::{memento, wayback, Answer, Http, Problem, RemoteError, RemoteOptions};
use crate::model::{RemoteCapture, RemoteCopy, Timestamp};
use url::Url;

/// Asks every configured archive for `url` near the cited date and offers
/// the closest good capture. Built once per run; cheap to share.
#[derive(Debug)]
pub struct PublicArchives {
    http: Http,
}

impl PublicArchives {
    /// The archives `opts` names.
    pub fn new(opts: RemoteOptions) -> Result<PublicArchives, RemoteError> {
        Ok(PublicArchives {
            http: Http::new(opts)?,
        })
    }

    /// The HTTP layer (shared with Save Page Now, `remote::spn`).
    pub fn http(&self) -> &Http {
        &self.http
    }

    /// What the archives hold of `url` near `cited` (`YYYY-MM-DD` or
    /// `YYYY-MM`, as citations state dates; `None`: the latest capture).
    /// Never fails: archives that could not answer are listed in
    /// [`RemoteCopy::problems`].
    pub async fn lookup(&self, url: &str, cited: Option<&str>) -> RemoteCopy {
        let span = cited.and_then(CitedSpan::parse);
        let opts = self.http.options();
        let mut asked = Vec::new();
        if opts.wayback_url.is_some() {
            asked.push(WAYBACK.to_string());
        }
        asked.extend(opts.memento_urls.iter().map(archive_name));
        let wayback = async {
            match &opts.wayback_url {
                Some(base) => Some(wayback::find(&self.http, base, url, span).await),
                None => None,
            }
        };
        let mementos = futures_util::future::join_all(
            opts.memento_urls
                .iter()
                .map(|gate| memento::find(&self.http, gate, url, span)),
        );
        let (wayback, mementos) = tokio::join!(wayback, mementos);
        let found: Vec<Found> = wayback.into_iter().chain(mementos).collect();
        let capture = choose_and_verify(&self.http, &asked, found, span, cited).await;
        RemoteCopy {
            capture: capture.0,
            asked,
            looked_up_at: Timestamp::now(),
            problems: capture.1,
            save: false,
        }
    }
}

/// The distance of a capture from a cited date, in words and whole days
/// (negative before it): "on the cited date", "2 days after the cited
/// date", "1 day before the cited date".
pub fn distance(captured_at: Timestamp, cited: &str) -> Option<(String, i64)> {
    let span = CitedSpan::parse(cited)?;
    let day = secs_i64(captured_at).div_euclid(DAY);
    let days = if day < span.first {
        day - span.first
    } else if day > span.last {
        day - span.last
    } else {
        0
    };
    let words = match days {
        0 => "on the cited date".to_string(),
        1 => "1 day after the cited date".to_string(),
        -1 => "1 day before the cited date".to_string(),
        d if d > 0 => format!("{d} days after the cited date"),
        d => format!("{} days before the cited date", -d),
    };
    Some((words, days))
}

/// Fills the capture's distance from the cited date.
pub fn with_distance(mut capture: RemoteCapture, cited: Option<&str>) -> RemoteCapture {
    match cited.and_then(|c| distance(capture.captured_at, c)) {
        Some((words, days)) => {
            capture.distance = Some(words);
            capture.distance_days = Some(days);
        }
        None => {
            capture.distance = None;
            capture.distance_days = None;
        }
    }
    capture
}

// Lookup: what the archives offer, ranked by the cited date, verified.

/// The Wayback Machine's name in [`RemoteCopy::asked`] and its captures.
pub(super) const WAYBACK: &str = "wayback";
/// The pace of the CDX API.
pub(super) const CDX_SERVICE: &str = "wayback-cdx";
/// The pace of Wayback playback (mementos and the `/web/` redirect).
pub(super) const WAYBACK_SERVICE: &str = "wayback";
/// Mementos fetched to verify them, per archive and lookup.
const MAX_VERIFICATIONS: usize = 3;
/// Redirects followed inside an archive while verifying a memento.
const MAX_ARCHIVE_REDIRECTS: usize = 3;
/// Seconds in a day.
pub(super) const DAY: i64 = 86_400;
/// A page with less visible text than this that holds a not-found phrase
/// is a not-found page (as `check` reads pages).
const SHORT_PAGE: usize = 1500;
/// Share of a title or heading a phrase must cover to be what it says.
const DOMINANT: f32 = 0.5;

/// A cited day or month: its first and last day, in days since the epoch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct CitedSpan {
    pub(super) first: i64,
    pub(super) last: i64,
}

impl CitedSpan {
    /// `YYYY-MM-DD` (one day) or `YYYY-MM` (the whole month).
    pub(super) fn parse(cited: &str) -> Option<CitedSpan> {
        fn num(s: &str, len: usize) -> Option<u32> {
            if s.len() == len && s.bytes().all(|b| b.is_ascii_digit()) {
                s.parse().ok()
            } else {
                None
            }
        }
        let parts: Vec<&str> = cited.trim().split('-').collect();
        let (y, m, d) = match parts.as_slice() {
            [y, m] => (num(y, 4)?, num(m, 2)?, None),
            [y, m, d] => (num(y, 4)?, num(m, 2)?, Some(num(d, 2)?)),
            _ => return None,
        };
        let y = i64::from(y);
        if !(1..=12).contains(&m) {
            return None;
        }
        let last_day = days_in_month(y, m);
        match d {
            Some(d) if (1..=last_day).contains(&d) => {
                let day = days_from_civil(y, m, d);
                Some(CitedSpan {
                    first: day,
                    last: day,
                })
            }
            Some(_) => None,
            None => Some(CitedSpan {
                first: days_from_civil(y, m, 1),
                last: days_from_civil(y, m, last_day),
            }),
        }
    }

    /// The last second of the span, in seconds since the epoch.
    fn end_secs(self) -> i64 {
        (self.last + 1) * DAY - 1
    }

    /// The last second of the span (the epoch for a span before it).
    pub(super) fn end(self) -> Timestamp {
        Timestamp(u64::try_from(self.end_secs()).unwrap_or(0))
    }

    /// The CDX window, `YYYYMMDD`: a year before the first day to a year
    /// after the last.
    pub(super) fn window(self) -> (String, String) {
        (
            yyyymmdd(shift_years(self.first, -1)),
            yyyymmdd(shift_years(self.last, 1)),
        )
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
/// `days_from_civil`).
pub(super) fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let (m, d) = (i64::from(m), i64::from(d));
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day since 1970-01-01.
pub(super) fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    // d is 1..=31 and m 1..=12 by construction.
    (y, m as u32, d as u32)
}

fn is_leap(y: i64) -> bool {
    y.rem_euclid(4) == 0 && (y.rem_euclid(100) != 0 || y.rem_euclid(400) == 0)
}

pub(super) fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(y) => 29,
        2 => 28,
        _ => 0,
    }
}

/// The same day `years` later (the 28th for a 29 February that has none).
fn shift_years(day: i64, years: i64) -> i64 {
    let (y, m, d) = civil_from_days(day);
    let y = y + years;
    days_from_civil(y, m, d.min(days_in_month(y, m)))
}

fn yyyymmdd(day: i64) -> String {
    let (y, m, d) = civil_from_days(day);
    format!("{y:04}{m:02}{d:02}")
}

fn secs_i64(t: Timestamp) -> i64 {
    i64::try_from(t.0).unwrap_or(i64::MAX)
}

/// An archive's name: its host, with the port when one is written.
fn archive_name(url: &Url) -> String {
    let host = url.host_str().unwrap_or("?");
    match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_string(),
    }
}

/// The pace (and capture name) for a request to `url`: `wayback` for the
/// Wayback Machine's host, else the archive's name.
pub(super) fn service_for(http: &Http, url: &Url) -> String {
    let same_host = http.options().wayback_url.as_ref().is_some_and(|w| {
        w.host_str() == url.host_str() && w.port_or_known_default() == url.port_or_known_default()
    });
    if same_host {
        WAYBACK_SERVICE.to_string()
    } else {
        archive_name(url)
    }
}

/// A 14-digit timestamp in a memento URL's path (`/20251118093000/…`,
/// `/web/20251118093000id_/…`).
pub(super) fn timestamp_in_path(url: &Url) -> Option<Timestamp> {
    url.path().split('/').find_map(|seg| {
        let digits = seg.bytes().take_while(u8::is_ascii_digit).count();
        (digits == 14)
            .then(|| wayback::parse_timestamp(&seg[..digits]))
            .flatten()
    })
}

/// What one archive offered for a lookup.
#[derive(Debug, Default)]
pub(super) struct Found {
    /// Its mementos, in no particular order.
    pub(super) candidates: Vec<Candidate>,
    /// Why it could not answer (wholly or in part), without its name.
    pub(super) problems: Vec<String>,
    /// Mementos already fetched to verify them.
    pub(super) verifications: usize,
}

/// A memento an archive offered, not yet verified.
#[derive(Debug, Clone)]
pub(super) struct Candidate {
    /// The capture's archive name.
    pub(super) archive: String,
    /// The memento's URL, as a reader opens it.
    pub(super) url: String,
    /// What verifying fetches (Wayback's raw `id_` form).
    pub(super) fetch: Url,
    /// The pace its requests take.
    pub(super) service: String,
    /// When it was captured, as far as known.
    pub(super) captured_at: Option<Timestamp>,
    /// For a Wayback memento: the Wayback base and the original URL, so
    /// redirects to another timestamp can be followed.
    pub(super) wayback: Option<(Url, String)>,
    /// Already verified (a memento fetched to learn its date).
    pub(super) verified: Option<Verified>,
}

/// A memento that answered 200/203/206 with a page that is not an error.
#[derive(Debug, Clone)]
pub(super) struct Verified {
    pub(super) url: String,
    pub(super) captured_at: Option<Timestamp>,
    pub(super) status: u16,
}

/// Ranks every archive's candidates by the cited date, verifies them in
/// that order (at most [`MAX_VERIFICATIONS`] per archive), and offers the
/// first that holds; also lists every archive's problems.
async fn choose_and_verify(
    http: &Http,
    asked: &[String],
    found: Vec<Found>,
    span: Option<CitedSpan>,
    cited: Option<&str>,
) -> (Option<RemoteCapture>, Vec<String>) {
    let name = |i: usize| asked.get(i).map_or("?", String::as_str);
    let mut problems = Vec::new();
    let mut used = Vec::with_capacity(found.len());
    let mut ranked = Vec::new();
    for (i, f) in found.into_iter().enumerate() {
        problems.extend(f.problems.iter().map(|p| format!("{}: {p}", name(i))));
        used.push(f.verifications);
        ranked.extend(
            f.candidates
                .into_iter()
                .filter(|c| c.captured_at.is_some())
                .map(|c| (i, c)),
        );
    }
    rank(&mut ranked, span);
    for (i, cand) in ranked {
        let verified = match cand.verified.clone() {
            Some(v) => v,
            None if used[i] >= MAX_VERIFICATIONS => continue,
            None => {
                used[i] += 1;
                match verify(http, &cand).await {
                    Ok(Some(v)) => v,
                    Ok(None) => continue,
                    Err(p) => {
                        problems.push(format!("{}: {p}", name(i)));
                        used[i] = MAX_VERIFICATIONS;
                        continue;
                    }
                }
            }
        };
        let Some(captured_at) = verified.captured_at.or(cand.captured_at) else {
            continue;
        };
        let capture = RemoteCapture {
            archive: cand.archive,
            url: verified.url,
            captured_at,
            http_status: verified.status,
            distance: None,
            distance_days: None,
            saved: false,
        };
        return (Some(with_distance(capture, cited)), problems);
    }
    (None, problems)
}

/// Orders candidates as InternetArchiveBot does: the latest at or before
/// the end of the cited day (or month) first, going back, then the
/// earliest after it, going forward; without a date, the latest first.
/// The same memento offered twice is kept once (the first archive's).
fn rank(cands: &mut Vec<(usize, Candidate)>, span: Option<CitedSpan>) {
    let end = span.map(CitedSpan::end_secs);
    cands.sort_by_key(|(_, c)| {
        let t = c.captured_at.map_or(i64::MIN + 1, secs_i64);
        match end {
            Some(e) if t > e => (1u8, t),
            _ => (0u8, -t),
        }
    });
    let mut seen = std::collections::HashSet::new();
    cands.retain(|(_, c)| seen.insert(c.url.clone()));
}

/// Fetches a memento: `Some` when the archive answers 200/203/206 with a
/// page that is not an error page (following up to
/// [`MAX_ARCHIVE_REDIRECTS`] redirects inside the archive to another
/// timestamp of the same capture), `None` when the capture is not one to
/// offer, a [`Problem`] when the archive did not answer.
pub(super) async fn verify(http: &Http, cand: &Candidate) -> Result<Option<Verified>, Problem> {
    let interval = http.options().lookup_interval;
    let mut fetch = cand.fetch.clone();
    let mut url = cand.url.clone();
    let mut captured_at = cand.captured_at;
    for hop in 0..=MAX_ARCHIVE_REDIRECTS {
        let answer = http
            .send(&cand.service, interval, |c| c.get(fetch.clone()))
            .await?;
        if (300..400).contains(&answer.status) {
            let next = answer.header("location").and_then(|l| fetch.join(l).ok());
            let Some(next) = next.filter(|n| same_origin(n, &fetch)) else {
                // The capture is a redirect out of the archive (or nowhere).
                return Ok(None);
            };
            if hop == MAX_ARCHIVE_REDIRECTS {
                return Ok(None);
            }
            match &cand.wayback {
                Some((base, original)) => {
                    let Some(web) = wayback::split_web_url(base, &next) else {
                        return Ok(None);
                    };
                    if !wayback::same_resource(&web.original, original) {
                        // Archived redirect to another page.
                        return Ok(None);
                    }
                    captured_at = Some(web.captured_at);
                    url = wayback::memento_url(base, &web.timestamp, &web.original);
                    fetch = match Url::parse(&wayback::raw_memento_url(
                        base,
                        &web.timestamp,
                        &web.original,
                    )) {
                        Ok(u) => u,
                        Err(_) => return Ok(None),
                    };
                }
                None => {
                    if let Some(t) = timestamp_in_path(&next) {
                        captured_at = Some(t);
                    }
                    url = next.to_string();
                    fetch = next;
                }
            }
            continue;
        }
        if !matches!(answer.status, 200 | 203 | 206) || reads_as_error(&answer) {
            return Ok(None);
        }
        if let Some(t) = answer
            .header("memento-datetime")
            .and_then(memento::parse_http_datetime)
        {
            captured_at = Some(t);
        }
        return Ok(Some(Verified {
            url,
            captured_at,
            status: answer.status,
        }));
    }
    Ok(None)
}

fn same_origin(a: &Url, b: &Url) -> bool {
    a.scheme() == b.scheme()
        && a.host_str() == b.host_str()
        && a.port_or_known_default() == b.port_or_known_default()
}

/// Whether an archived page is itself an error page: its title or a
/// heading is a not-found (or removed) notice, or a short page says
/// "not found", as `check` reads pages.
fn reads_as_error(answer: &Answer) -> bool {
    use crate::check::Says;
    let content_type = answer.header("content-type");
    let textual = content_type.is_none_or(|ct| {
        let ct = ct.to_ascii_lowercase();
        ct.contains("html") || ct.contains("xml") || ct.starts_with("text/")
    });
    if !textual {
        return false;
    }
    let page = crate::check::read_page(&answer.body, content_type);
    let short = page.text_chars(2 * SHORT_PAGE) < 2 * SHORT_PAGE;
    [Says::NotFound, Says::Removed].into_iter().any(|says| {
        page.title_hit(says).is_some_and(|h| h.coverage >= DOMINANT)
            || page
                .heading_hit(says)
                .is_some_and(|h| h.coverage >= DOMINANT && (h.first || short))
    }) || page.short_text_hit(Says::NotFound, SHORT_PAGE).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(t: &str) -> Timestamp {
        t.parse().unwrap()
    }

    #[test]
    fn lookups_can_be_spawned() {
        fn send<T: Send>(_: &T) {}
        let archives = PublicArchives::new(RemoteOptions::default()).unwrap();
        let lookup = archives.lookup("http://example.org/", Some("2025-11-18"));
        send(&lookup);
    }

    #[test]
    fn distances_from_a_cited_day() {
        let d = |t: &str| distance(at(t), "2025-11-18");
        assert_eq!(
            d("2025-11-18T00:00:00Z"),
            Some(("on the cited date".into(), 0))
        );
        assert_eq!(
            d("2025-11-18T23:59:59Z"),
            Some(("on the cited date".into(), 0))
        );
        assert_eq!(
            d("2025-11-19T00:00:00Z"),
            Some(("1 day after the cited date".into(), 1))
        );
        assert_eq!(
            d("2025-11-17T23:59:59Z"),
            Some(("1 day before the cited date".into(), -1))
        );
        assert_eq!(
            d("2025-11-15T12:00:00Z"),
            Some(("3 days before the cited date".into(), -3))
        );
        assert_eq!(
            d("2026-11-18T12:00:00Z"),
            Some(("365 days after the cited date".into(), 365))
        );
    }

    #[test]
    fn distances_from_a_cited_month_start_at_its_nearest_edge() {
        let d = |t: &str| distance(at(t), "2024-02");
        assert_eq!(d("2024-02-01T00:00:00Z").unwrap().1, 0);
        assert_eq!(d("2024-02-29T23:00:00Z").unwrap().0, "on the cited date");
        assert_eq!(
            d("2024-03-02T00:00:00Z"),
            Some(("2 days after the cited date".into(), 2))
        );
        assert_eq!(
            d("2024-01-31T10:00:00Z"),
            Some(("1 day before the cited date".into(), -1))
        );
    }

    #[test]
    fn unreadable_cited_dates_have_no_distance() {
        for bad in [
            "",
            "2025",
            "2025-13",
            "2025-00",
            "2025-02-29",
            "2025-11-31",
            "18 Nov 2025",
            "2025-11-18T10:00",
            "2025-1-18",
            "+025-11-18",
            "2025-11-18-01",
        ] {
            assert_eq!(distance(Timestamp(0), bad), None, "{bad}");
        }
        assert!(distance(Timestamp(0), " 2024-02-29 ").is_some());
    }

    #[test]
    fn civil_dates_round_trip() {
        for day in [-800_000, -1, 0, 1, 59, 10_956, 19_000, 20_410, 2_932_896] {
            let (y, m, d) = civil_from_days(day);
            assert_eq!(days_from_civil(y, m, d), day, "{y}-{m}-{d}");
        }
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        let span = CitedSpan::parse("2024-02-29").unwrap();
        assert_eq!(span.window(), ("20230228".into(), "20250228".into()));
        assert_eq!(span.end(), at("2024-02-29T23:59:59Z"));
        let month = CitedSpan::parse("2025-12").unwrap();
        assert_eq!(month.window(), ("20241201".into(), "20261231".into()));
        assert_eq!(month.end(), at("2025-12-31T23:59:59Z"));
    }

    fn cand(url: &str, t: &str) -> (usize, Candidate) {
        (
            0,
            Candidate {
                archive: WAYBACK.into(),
                url: url.into(),
                fetch: Url::parse("http://127.0.0.1/").unwrap(),
                service: WAYBACK_SERVICE.into(),
                captured_at: Some(at(t)),
                wayback: None,
                verified: None,
            },
        )
    }

    #[test]
    fn candidates_rank_before_the_date_going_back_then_after_going_forward() {
        let all = || {
            vec![
                cand("a", "2025-11-01T00:00:00Z"),
                cand("b", "2025-11-20T00:00:00Z"),
                cand("c", "2025-11-18T23:00:00Z"),
                cand("d", "2025-11-19T00:00:00Z"),
                cand("e", "2025-11-10T00:00:00Z"),
                cand("c", "2025-11-18T23:00:00Z"),
            ]
        };
        let order = |span: Option<CitedSpan>| {
            let mut v = all();
            rank(&mut v, span);
            v.into_iter()
                .map(|(_, c)| c.url)
                .collect::<Vec<_>>()
                .join("")
        };
        assert_eq!(order(CitedSpan::parse("2025-11-18")), "ceadb");
        assert_eq!(order(CitedSpan::parse("2025-10-01")), "aecdb");
        assert_eq!(order(CitedSpan::parse("2025-11")), "bdcea");
        assert_eq!(order(None), "bdcea");
    }

    #[test]
    fn error_pages_are_told_from_articles() {
        let answer = |ct: &str, body: &str| Answer {
            status: 200,
            headers: vec![("content-type".into(), ct.into())],
            body: body.as_bytes().to_vec(),
            url: Url::parse("http://127.0.0.1/").unwrap(),
        };
        let html = |title: &str, text: &str| {
            answer(
                "text/html",
                &format!("<html><head><title>{title}</title></head><body><h1>{title}</h1><p>{text}</p></body></html>"),
            )
        };
        assert!(reads_as_error(&html(
            "Page not found | Example News",
            "Try the search."
        )));
        assert!(reads_as_error(&html(
            "Example News",
            "Sorry, the page you requested could not be found."
        )));
        assert!(!reads_as_error(&html(
            "Missing hiker still not found after three days of searching the ridge",
            &"Rescuers resumed the search on Tuesday morning. ".repeat(80)
        )));
        assert!(!reads_as_error(&html(
            "Plan goes ahead",
            "The minister said the plan would go ahead."
        )));
        assert!(!reads_as_error(&answer(
            "application/pdf",
            "%PDF-1.4 page not found"
        )));
    }
}
