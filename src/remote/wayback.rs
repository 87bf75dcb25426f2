//! The Wayback Machine: the CDX API, and the `/web/<timestamp>/<url>` redirect as a fallback.
//!
//! The CDX API lists the captures of a URL with their status codes
//! (`output=json`: a header row naming the columns, then one row of
//! strings per capture). When it fails (it is the busiest and most
//! rate-limited of the services), the playback redirect still names the
//! capture closest to a time: `/web/<ts>/<url>` answers a redirect to
//! `/web/<capture ts>/<url>`, or 404 when there is none.

use super::{
    civil_from_days, days_from_civil, days_in_month, service_for, Candidate, CitedSpan, Found,
    Http, Problem, CDX_SERVICE, DAY, WAYBACK, WAYBACK_SERVICE,
};
use crate::model::Timestamp;
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use url::Url;

/// Characters percent-encoded in a query value (all but RFC 3986's
/// unreserved ones).
const QUERY_VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Rows asked for when no date is cited: the latest ones (a negative
/// `limit` counts from the end).
const LATEST_ROWS: i32 = 50;

/// One capture the CDX API listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CdxCapture {
    /// The 14-digit timestamp (`YYYYMMDDhhmmss`, UTC), padded when the
    /// row gave fewer digits.
    pub timestamp: String,
    /// When it was captured.
    pub captured_at: Timestamp,
    /// The URL as captured (`original`), when the answer has that column.
    pub original: Option<String>,
    /// The recorded status, when the answer has that column and it is a
    /// number (revisits say `-`).
    pub status: Option<u16>,
}

/// The parts of a Wayback playback URL `<base>web/<ts><modifier>/<original>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebPath {
    /// The timestamp's digits, as written.
    pub timestamp: String,
    /// What follows the digits (`id_`, `if_`…), empty for none.
    pub modifier: String,
    /// The archived URL.
    pub original: String,
    /// The timestamp as a time.
    pub captured_at: Timestamp,
}

/// Base URL as a prefix ending in `/`.
fn prefix(base: &Url) -> String {
    let s = base.as_str();
    if s.ends_with('/') {
        s.to_string()
    } else {
        format!("{s}/")
    }
}

/// The CDX query for `url`'s 200/203/206 captures, one per distinct
/// payload: within `window` (`YYYYMMDD` from, to), or the latest
/// `LATEST_ROWS` (50) without one.
pub fn cdx_query(
    base: &Url,
    url: &str,
    window: Option<(&str, &str)>,
) -> Result<Url, url::ParseError> {
    let mut q = format!(
        "{}cdx/search/cdx?url={}&output=json",
        prefix(base),
        utf8_percent_encode(url, QUERY_VALUE)
    );
    if let Some((from, to)) = window {
        q.push_str(&format!("&from={from}&to={to}"));
    }
    q.push_str("&filter=statuscode:20[036]&collapse=digest");
    if window.is_none() {
        q.push_str(&format!("&limit=-{LATEST_ROWS}"));
    }
    Url::parse(&q)
}

/// Reads a CDX API answer (`output=json`): columns are found by the
/// header row's names (`timestamp` is required); rows whose recorded
/// status is not 200/203/206 are left out. An empty answer or `[]` lists
/// nothing; anything else that is not such a table is an error.
pub fn parse_cdx(body: &[u8]) -> Result<Vec<CdxCapture>, String> {
    let text = std::str::from_utf8(body).map_err(|_| "the CDX answer is not UTF-8".to_string())?;
    if text.trim().is_empty() {
        return Ok(Vec::new());
    }
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| format!("the CDX answer is not JSON: {e}"))?;
    let rows = value
        .as_array()
        .ok_or_else(|| "the CDX answer is not a JSON array".to_string())?;
    let Some((head, rows)) = rows.split_first() else {
        return Ok(Vec::new());
    };
    let names =
        strings(head).ok_or_else(|| "the CDX header row is not a list of names".to_string())?;
    let column = |name: &str| names.iter().position(|n| *n == name);
    let ts_col = column("timestamp")
        .ok_or_else(|| "the CDX header row has no timestamp column".to_string())?;
    let original_col = column("original");
    let status_col = column("statuscode");
    let mut out = Vec::with_capacity(rows.len());
    for (i, row) in rows.iter().enumerate() {
        let cells = strings(row)
            .filter(|c| c.len() == names.len())
            .ok_or_else(|| format!("CDX row {} does not match the header row", i + 1))?;
        let timestamp = cells[ts_col];
        let captured_at = parse_timestamp(timestamp)
            .ok_or_else(|| format!("CDX row {} has a bad timestamp {timestamp:?}", i + 1))?;
        let status = status_col.and_then(|c| cells[c].parse::<u16>().ok());
        if status_col.is_some() && !matches!(status, Some(200 | 203 | 206)) {
            continue;
        }
        out.push(CdxCapture {
            timestamp: pad_timestamp(timestamp),
            captured_at,
            original: original_col
                .map(|c| cells[c].to_string())
                .filter(|o| !o.is_empty()),
            status,
        });
    }
    Ok(out)
}

fn strings(v: &serde_json::Value) -> Option<Vec<&str>> {
    v.as_array()?
        .iter()
        .map(serde_json::Value::as_str)
        .collect()
}

/// A Wayback timestamp padded to 14 digits (`2025` → `20250101000000`).
fn pad_timestamp(ts: &str) -> String {
    const PAD: &str = "00000101000000";
    match PAD.get(ts.len()..) {
        Some(rest) => format!("{ts}{rest}"),
        None => ts.to_string(),
    }
}

/// A Wayback timestamp (`YYYYMMDDhhmmss`, UTC; 4 to 14 digits, the rest
/// taken as the start of the period) as a time; `None` when it is not one.
pub fn parse_timestamp(ts: &str) -> Option<Timestamp> {
    if !(4..=14).contains(&ts.len()) || !ts.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let ts = pad_timestamp(ts);
    let n = |r: std::ops::Range<usize>| ts.get(r)?.parse::<u32>().ok();
    let (y, m, d) = (n(0..4)?, n(4..6)?, n(6..8)?);
    let (h, mi, s) = (n(8..10)?, n(10..12)?, n(12..14)?);
    let y = i64::from(y);
    if !(1..=12).contains(&m) || d < 1 || d > days_in_month(y, m) || h > 23 || mi > 59 || s > 60 {
        return None;
    }
    let secs = days_from_civil(y, m, d) * DAY + i64::from(h * 3600 + mi * 60 + s.min(59));
    u64::try_from(secs).ok().map(Timestamp)
}

/// A time as a 14-digit Wayback timestamp.
pub fn timestamp14(t: Timestamp) -> String {
    let secs = i64::try_from(t.0).unwrap_or(i64::MAX / 2);
    let (y, m, d) = civil_from_days(secs.div_euclid(DAY));
    let s = secs.rem_euclid(DAY);
    format!(
        "{y:04}{m:02}{d:02}{:02}{:02}{:02}",
        s / 3600,
        s % 3600 / 60,
        s % 60
    )
}

/// The memento's playback URL: `<base>web/<ts>/<original>`.
pub fn memento_url(base: &Url, timestamp: &str, original: &str) -> String {
    format!("{}web/{timestamp}/{original}", prefix(base))
}

/// The memento as archived, without the Wayback banner or rewriting:
/// `<base>web/<ts>id_/<original>`.
pub fn raw_memento_url(base: &Url, timestamp: &str, original: &str) -> String {
    format!("{}web/{timestamp}id_/{original}", prefix(base))
}

/// Reads a playback URL of the Wayback Machine at `base`; `None` for any
/// other URL.
pub fn split_web_url(base: &Url, url: &Url) -> Option<WebPath> {
    let web = format!("{}web/", prefix(base));
    let mut url = url.clone();
    url.set_fragment(None);
    let rest = url.as_str().strip_prefix(&web)?;
    let (segment, original) = rest.split_once('/')?;
    let digits = segment.bytes().take_while(u8::is_ascii_digit).count();
    let timestamp = &segment[..digits];
    let captured_at = parse_timestamp(timestamp)?;
    if original.is_empty() {
        return None;
    }
    Some(WebPath {
        timestamp: timestamp.to_string(),
        modifier: segment[digits..].to_string(),
        original: original.to_string(),
        captured_at,
    })
}

/// Whether two archived URLs name the same resource, as the Wayback
/// Machine canonicalizes them (scheme, `www.`, a trailing `/` and case of
/// the host aside).
pub fn same_resource(a: &str, b: &str) -> bool {
    fn key(u: &str) -> String {
        let u = u.trim();
        let rest = u.split_once("://").map_or(u, |(scheme, rest)| {
            if scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https") {
                rest
            } else {
                u
            }
        });
        let (host, path) = rest.find('/').map_or((rest, ""), |i| rest.split_at(i));
        let host = host.to_ascii_lowercase();
        let host = host.strip_prefix("www.").unwrap_or(&host);
        let host = host
            .strip_suffix(":80")
            .or_else(|| host.strip_suffix(":443"))
            .unwrap_or(host);
        format!("{host}{}", path.trim_end_matches('/'))
    }
    key(a) == key(b)
}

/// Asks the Wayback Machine at `base` for `url`'s captures near `span`:
/// the CDX API, else the playback redirect.
pub(super) async fn find(http: &Http, base: &Url, url: &str, span: Option<CitedSpan>) -> Found {
    let mut found = Found::default();
    let cdx = match ask_cdx(http, base, url, span).await {
        Ok(rows) => {
            found.candidates = rows
                .into_iter()
                .filter_map(|row| {
                    let original = row.original.unwrap_or_else(|| url.to_string());
                    candidate(http, base, &row.timestamp, &original, row.captured_at)
                })
                .collect();
            return found;
        }
        Err(p) => p,
    };
    if matches!(
        cdx,
        Problem::Refused(_) | Problem::Network(_) | Problem::Deadline
    ) {
        // The fallback would meet the same fate.
        found.problems.push(cdx.to_string());
        return found;
    }
    match fallback(http, base, url, span).await {
        Ok(candidate) => found.candidates.extend(candidate),
        Err(p) => found
            .problems
            .push(format!("{cdx}; the /web/ redirect: {p}")),
    }
    found
}

async fn ask_cdx(
    http: &Http,
    base: &Url,
    url: &str,
    span: Option<CitedSpan>,
) -> Result<Vec<CdxCapture>, Problem> {
    let window = span.map(CitedSpan::window);
    let query = cdx_query(
        base,
        url,
        window.as_ref().map(|(f, t)| (f.as_str(), t.as_str())),
    )
    .map_err(|e| Problem::Failed(format!("{CDX_SERVICE}: cannot form the query: {e}")))?;
    let interval = http.options().lookup_interval;
    let answer = http
        .send(CDX_SERVICE, interval, |c| c.get(query.clone()))
        .await?;
    if answer.status != 200 {
        return Err(Problem::Failed(format!(
            "{CDX_SERVICE} answered {}",
            answer.status
        )));
    }
    parse_cdx(&answer.body).map_err(|e| Problem::Malformed(format!("{CDX_SERVICE}: {e}")))
}

/// The capture the playback redirect names for the end of the cited day
/// (or now): `Ok(None)` when the Wayback Machine has none.
async fn fallback(
    http: &Http,
    base: &Url,
    url: &str,
    span: Option<CitedSpan>,
) -> Result<Option<Candidate>, Problem> {
    let at = span.map_or_else(Timestamp::now, CitedSpan::end);
    let target = Url::parse(&memento_url(base, &timestamp14(at), url))
        .map_err(|e| Problem::Failed(format!("{WAYBACK_SERVICE}: cannot form the URL: {e}")))?;
    let interval = http.options().lookup_interval;
    let answer = http
        .send(WAYBACK_SERVICE, interval, |c| c.get(target.clone()))
        .await?;
    let named = match answer.status {
        300..=399 => {
            let location = answer
                .header("location")
                .and_then(|l| target.join(l).ok())
                .ok_or_else(|| {
                    Problem::Malformed(format!(
                        "{WAYBACK_SERVICE} answered {} without a Location",
                        answer.status
                    ))
                })?;
            split_web_url(base, &location).ok_or_else(|| {
                Problem::Malformed(format!(
                    "{WAYBACK_SERVICE} redirected to {location}, not a capture"
                ))
            })?
        }
        200 => {
            let mut web = split_web_url(base, &target).ok_or_else(|| {
                Problem::Malformed(format!("{WAYBACK_SERVICE}: {target} is not a capture"))
            })?;
            if let Some(t) = answer
                .header("memento-datetime")
                .and_then(super::memento::parse_http_datetime)
            {
                web.timestamp = timestamp14(t);
                web.captured_at = t;
            }
            web
        }
        404 => return Ok(None),
        status => {
            return Err(Problem::Failed(format!(
                "{WAYBACK_SERVICE} answered {status}"
            )))
        }
    };
    Ok(candidate(
        http,
        base,
        &pad_timestamp(&named.timestamp),
        &named.original,
        named.captured_at,
    ))
}

fn candidate(
    http: &Http,
    base: &Url,
    timestamp: &str,
    original: &str,
    captured_at: Timestamp,
) -> Option<Candidate> {
    let fetch = Url::parse(&raw_memento_url(base, timestamp, original)).ok()?;
    Some(Candidate {
        archive: WAYBACK.to_string(),
        url: memento_url(base, timestamp, original),
        service: service_for(http, &fetch),
        fetch,
        captured_at: Some(captured_at),
        wayback: Some((base.clone(), original.to_string())),
        verified: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn timestamps_are_read_padded_and_written() {
        assert_eq!(
            parse_timestamp("20251118093000"),
            Some(ts("2025-11-18T09:30:00Z"))
        );
        assert_eq!(parse_timestamp("2025"), Some(ts("2025-01-01T00:00:00Z")));
        assert_eq!(parse_timestamp("202511"), Some(ts("2025-11-01T00:00:00Z")));
        assert_eq!(
            parse_timestamp("20240229"),
            Some(ts("2024-02-29T00:00:00Z"))
        );
        for bad in [
            "",
            "202",
            "20251318",
            "20230229",
            "2025111825",
            "2025-11-18",
            "202511180930001",
        ] {
            assert_eq!(parse_timestamp(bad), None, "{bad}");
        }
        assert_eq!(timestamp14(ts("2025-11-18T23:59:59Z")), "20251118235959");
        assert_eq!(timestamp14(Timestamp(0)), "19700101000000");
        assert_eq!(pad_timestamp("2025"), "20250101000000");
    }

    #[test]
    fn cdx_columns_are_found_by_name() {
        let body = br#"[["timestamp","statuscode","original","urlkey"],
            ["20251118093000","200","http://example.org/a","org,example)/a"],
            ["2025111712","-","http://example.org/a","org,example)/a"],
            ["20251116","206","http://example.org/a","org,example)/a"]]"#;
        let rows = parse_cdx(body).unwrap();
        assert_eq!(rows.len(), 2, "the revisit row is left out: {rows:?}");
        assert_eq!(rows[0].timestamp, "20251118093000");
        assert_eq!(rows[0].status, Some(200));
        assert_eq!(rows[0].original.as_deref(), Some("http://example.org/a"));
        assert_eq!(rows[1].timestamp, "20251116000000");
        assert_eq!(rows[1].captured_at, ts("2025-11-16T00:00:00Z"));
        assert_eq!(parse_cdx(b"[]").unwrap(), vec![]);
        assert_eq!(parse_cdx(b" \n").unwrap(), vec![]);
        assert_eq!(parse_cdx(br#"[["timestamp"]]"#).unwrap(), vec![]);
    }

    #[test]
    fn malformed_cdx_answers_are_errors() {
        for bad in [
            &b"<html>Service unavailable</html>"[..],
            b"{\"a\":1}",
            b"[[\"original\"],[\"http://x/\"]]",
            b"[[\"timestamp\",\"original\"],[\"2025\"]]",
            b"[[\"timestamp\"],[20251118]]",
            b"[[\"timestamp\"],[\"yesterday\"]]",
            b"[1,2]",
            b"\xff\xfe",
        ] {
            assert!(parse_cdx(bad).is_err(), "{}", String::from_utf8_lossy(bad));
        }
    }

    #[test]
    fn cdx_queries_encode_the_url_and_window() {
        let base = Url::parse("http://127.0.0.1:9/wb").unwrap();
        let q = cdx_query(
            &base,
            "https://example.org/a b?x=1&y=2#f",
            Some(("20241118", "20261118")),
        )
        .unwrap();
        assert_eq!(
            q.as_str(),
            "http://127.0.0.1:9/wb/cdx/search/cdx?url=https%3A%2F%2Fexample.org%2Fa%20b%3Fx%3D1%26y%3D2%23f&output=json&from=20241118&to=20261118&filter=statuscode:20[036]&collapse=digest"
        );
        let latest = cdx_query(&base, "http://example.org/", None).unwrap();
        assert!(latest.as_str().ends_with("&collapse=digest&limit=-50"));
        assert!(!latest.as_str().contains("from="));
    }

    #[test]
    fn playback_urls_are_split() {
        let base = Url::parse("https://web.archive.org/").unwrap();
        let u =
            Url::parse("https://web.archive.org/web/20251117080000id_/http://example.org/a?b=1")
                .unwrap();
        let web = split_web_url(&base, &u).unwrap();
        assert_eq!(web.timestamp, "20251117080000");
        assert_eq!(web.modifier, "id_");
        assert_eq!(web.original, "http://example.org/a?b=1");
        assert_eq!(web.captured_at, ts("2025-11-17T08:00:00Z"));
        let other = Url::parse("https://example.org/web/20251117080000/http://x/").unwrap();
        assert_eq!(split_web_url(&base, &other), None);
        let no_ts = Url::parse("https://web.archive.org/web/*/http://x/").unwrap();
        assert_eq!(split_web_url(&base, &no_ts), None);
        assert_eq!(
            memento_url(&base, "20251117080000", "http://example.org/a"),
            "https://web.archive.org/web/20251117080000/http://example.org/a"
        );
        assert!(same_resource(
            "http://www.Example.org/a/",
            "https://example.org/a"
        ));
        assert!(same_resource(
            "http://example.org:80/a",
            "http://example.org/a"
        ));
        assert!(!same_resource(
            "http://example.org/",
            "http://example.org/a"
        ));
    }
}
