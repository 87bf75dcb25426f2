//! Is the source from the date the citation states?
//!
//! Many outlets write the publication date into their URLs (People's
//! Daily's `/2025/1114/`, RFA's `-11102023020930.html`). The patterns are
//! data, in the outlet list ([`Outlet::date_patterns`]); [`url_date`] reads
//! the date a URL carries, and [`date_finding`] compares a date found (in
//! the URL or on the page) with the cited one.
//!
//! Digests cite a story a day or two after it ran (the Epoch Times piece
//! of the 18th cited on the 20th), so a gap up to
//! [`DEFAULT_DATE_TOLERANCE_DAYS`] is not a finding.
//!
//! [`Outlet::date_patterns`]: crate::outlets::Outlet::date_patterns

use crate::model::{Finding, FindingKind, Severity, Timestamp};
use crate::outlets::OutletRegistry;
use regex::Captures;

/// How many days the date found may be from the cited date, either way,
/// before it is a `date-mismatch`: 2, as digests cite stories a day or two
/// after they ran.
pub const DEFAULT_DATE_TOLERANCE_DAYS: i64 = 2;

const SECONDS_PER_DAY: u64 = 86_400;

/// The publication date written in the URL, as `YYYY-MM-DD`, read with the
/// date patterns of the outlet its host belongs to. `None` when the URL
/// does not parse, its host is no known outlet's, no pattern matches, or
/// what matches is not a real date (`/2025/1340/`): the next match, then
/// the next pattern, is tried.
///
/// ```
/// use citevault::verify::dates::url_date;
/// use citevault::OutletRegistry;
///
/// let outlets = OutletRegistry::builtin();
/// let url = "https://www.rfa.org/cantonese/news/kr-hacker-11102023020930.html";
/// assert_eq!(url_date(url, &outlets).as_deref(), Some("2023-11-10"));
/// ```
pub fn url_date(url: &str, outlets: &OutletRegistry) -> Option<String> {
    let parsed = url::Url::parse(url).ok()?;
    let patterns = outlets.date_patterns_for_host(parsed.host_str()?);
    if patterns.is_empty() {
        return None;
    }
    let mut target = parsed.path().to_string();
    if let Some(query) = parsed.query() {
        target.push('?');
        target.push_str(query);
    }
    patterns
        .iter()
        .flat_map(|re| re.captures_iter(&target))
        .find_map(|caps| date_of(&caps))
}

/// The date one match of a date pattern gives, if it is a real one.
fn date_of(caps: &Captures<'_>) -> Option<String> {
    let year = match (caps.name("y"), caps.name("yy")) {
        (Some(y), _) => digits(y.as_str(), 4, 4)?,
        (None, Some(yy)) => 2000 + digits(yy.as_str(), 2, 2)?,
        (None, None) => return None,
    };
    let (month, day) = match caps.name("md") {
        Some(md) => {
            let md = md.as_str();
            digits(md, 4, 4)?;
            (digits(&md[..2], 2, 2)?, digits(&md[2..], 2, 2)?)
        }
        None => (
            digits(caps.name("m")?.as_str(), 1, 2)?,
            digits(caps.name("d")?.as_str(), 1, 2)?,
        ),
    };
    let date = format!("{year:04}-{month:02}-{day:02}");
    day_number(&date).map(|_| date)
}

/// A number written with `min..=max` ASCII digits and nothing else.
fn digits(text: &str, min: usize, max: usize) -> Option<u32> {
    if !(min..=max).contains(&text.len()) || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// Days since 1970-01-01 of a real `YYYY-MM-DD` date (1970 or later).
fn day_number(date: &str) -> Option<i64> {
    let date = date.trim();
    let b = date.as_bytes();
    let shaped = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shaped {
        return None;
    }
    let t: Timestamp = format!("{date}T00:00:00Z").parse().ok()?;
    i64::try_from(t.0 / SECONDS_PER_DAY).ok()
}

/// The first and last day (day numbers) a stated date covers: one day for
/// `YYYY-MM-DD`, the whole month for `YYYY-MM`.
fn stated_span(stated: &str) -> Option<(i64, i64)> {
    let stated = stated.trim();
    if stated.len() == 10 {
        let day = day_number(stated)?;
        return Some((day, day));
    }
    let (year, month) = stated.split_once('-')?;
    let year = digits(year, 4, 4)?;
    let month = digits(month, 2, 2)?;
    let first = day_number(&format!("{year:04}-{month:02}-01"))?;
    let (next_year, next_month) = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    let next = day_number(&format!("{next_year:04}-{next_month:02}-01"))?;
    Some((first, next - 1))
}

/// "1 day", "3 days".
fn days(n: i64) -> String {
    if n == 1 {
        "1 day".to_string()
    } else {
        format!("{n} days")
    }
}

/// Compares the date found (`YYYY-MM-DD`, from the URL or the page) with the
/// cited date (`YYYY-MM-DD`, or `YYYY-MM` for a whole month): `None` when
/// the found date is within `tolerance_days` of it (of the month's first or
/// last day for a month), or when either date is not a real date; else a
/// `date-mismatch` error whose `source` is `source` (`url`, `page`) and
/// whose `found` is the date found.
///
/// ```
/// use citevault::verify::dates::{date_finding, DEFAULT_DATE_TOLERANCE_DAYS};
///
/// let tol = DEFAULT_DATE_TOLERANCE_DAYS;
/// assert_eq!(date_finding("2025-11-20", "2025-11-18", "url", tol), None);
/// let f = date_finding("2025-11-20", "2025-11-17", "url", tol).unwrap();
/// assert_eq!(
///     f.reason,
///     "the URL says 2025-11-17, 3 days before the cited 2025-11-20 (tolerance 2 days)"
/// );
/// ```
pub fn date_finding(
    stated: &str,
    found: &str,
    source: &str,
    tolerance_days: i64,
) -> Option<Finding> {
    let found = found.trim();
    let day = day_number(found)?;
    let stated = stated.trim();
    let (first, last) = stated_span(stated)?;
    let (gap, side) = if day < first {
        (first - day, "before")
    } else if day > last {
        (day - last, "after")
    } else {
        return None;
    };
    let tolerance = tolerance_days.max(0);
    if gap <= tolerance {
        return None;
    }
    let who = if source.eq_ignore_ascii_case("url") {
        "the URL".to_string()
    } else {
        format!("the {source}")
    };
    let cited = if first == last {
        format!("the cited {stated}")
    } else {
        format!("the cited month {stated}")
    };
    let reason = format!(
        "{who} says {found}, {} {side} {cited} (tolerance {})",
        days(gap),
        days(tolerance)
    );
    let mut finding = Finding::new(FindingKind::DateMismatch, Severity::Error, reason);
    finding.source = Some(source.to_string());
    finding.found = Some(found.to_string());
    Some(finding)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(url: &str) -> Option<String> {
        url_date(url, &OutletRegistry::builtin())
    }

    #[test]
    fn outlet_patterns_from_the_issue() {
        for (url, want) in [
            (
                "https://www.epochtimes.com/gb/25/11/18/n14638607.htm",
                "2025-11-18",
            ),
            (
                "https://www.epochtimes.com/b5/25/11/14/n14636104.htm",
                "2025-11-14",
            ),
            (
                "https://world.people.com.cn/n1/2025/1114/c1002-40603281.html",
                "2025-11-14",
            ),
            (
                "https://news.cctv.com/2025/11/16/ARTIsmBlaEtjpVHxkQty08Gb251116.shtml",
                "2025-11-16",
            ),
            (
                "http://www.news.cn/20251119/c7f5d1c0fb1a43328dfff9fbe28737cf/c.html",
                "2025-11-19",
            ),
            (
                "http://www.xinhuanet.com/politics/2025-11/19/c_1129962345.htm",
                "2025-11-19",
            ),
            (
                "https://www.cna.com.tw/news/acn/202511180033.aspx",
                "2025-11-18",
            ),
            ("https://focustaiwan.tw/politics/202311040012", "2023-11-04"),
            (
                "https://www.rfa.org/cantonese/news/kr-hacker-11102023020930.html",
                "2023-11-10",
            ),
            (
                "https://www.zaobao.com.sg/news/world/story20231107-1448477",
                "2023-11-07",
            ),
            (
                "https://www.aboluowang.com/2023/1111/1976870.html",
                "2023-11-11",
            ),
            (
                "https://news.sina.com.cn/c/2025-11-18/doc-infxyz1234567.shtml",
                "2025-11-18",
            ),
            (
                "https://www.reuters.com/world/china/china-exports-fall-2023-11-07/",
                "2023-11-07",
            ),
            (
                "https://www.reuters.com/world/china/china-exports-fall-2023-11-07/?utm_source=x",
                "2023-11-07",
            ),
            (
                "https://www.bloomberg.com/news/articles/2023-11-07/china-s-exports",
                "2023-11-07",
            ),
            (
                "https://www.nytimes.com/2023/11/07/world/asia/china.html",
                "2023-11-07",
            ),
            (
                "https://cn.nytimes.com/china/20231107/china-exports/",
                "2023-11-07",
            ),
            (
                "https://www.caixin.com/2023-11-07/102124563.html",
                "2023-11-07",
            ),
        ] {
            assert_eq!(date(url).as_deref(), Some(want), "{url}");
        }
    }

    #[test]
    fn no_date_without_a_pattern_or_outlet() {
        for url in [
            "https://www.dw.com/zh/a-74793625",
            "https://mil.huanqiu.com/article/4PAF86Mj7GF",
            "https://cj.sina.com.cn/articles/view/1887344341/m707e96d503301owqi",
            "https://example.com/2025/11/16/story.html",
            "not a url",
            "https://www.cna.com.tw/news/acn/20251118003.aspx",
        ] {
            assert_eq!(date(url), None, "{url}");
        }
    }

    #[test]
    fn invalid_dates_in_urls_are_ignored() {
        assert_eq!(
            date("https://world.people.com.cn/n1/2025/1340/c1002-1.html"),
            None
        );
        assert_eq!(date("https://news.cctv.com/2025/02/30/ARTI.shtml"), None);
        assert_eq!(
            date("https://news.cctv.com/2024/02/29/ARTI.shtml").as_deref(),
            Some("2024-02-29")
        );
        assert_eq!(date("https://www.epochtimes.com/gb/25/00/18/n1.htm"), None);
        // An impossible match does not hide a later real one.
        assert_eq!(
            date("https://www.aboluowang.com/2023/1340/x/2023/1111/1.html").as_deref(),
            Some("2023-11-11")
        );
    }

    #[test]
    fn user_patterns_apply_to_their_hosts() {
        let mut reg = OutletRegistry::builtin();
        reg.extend_from_toml(
            "[[outlet]]\nid = \"nhk\"\nname = \"NHK\"\ndomains = [\"nhk.or.jp\"]\ndate_patterns = ['/k(?P<y>\\d{4})(?P<m>\\d{2})(?P<d>\\d{2})']\n",
            "mine.toml",
        )
        .unwrap();
        assert_eq!(
            url_date(
                "https://www3.nhk.or.jp/news/html/k20231107000123.html",
                &reg
            )
            .as_deref(),
            Some("2023-11-07")
        );
    }

    #[test]
    fn within_tolerance_is_no_finding() {
        let tol = DEFAULT_DATE_TOLERANCE_DAYS;
        assert_eq!(date_finding("2025-11-20", "2025-11-20", "url", tol), None);
        assert_eq!(date_finding("2025-11-15", "2025-11-14", "url", tol), None);
        assert_eq!(date_finding("2025-11-20", "2025-11-18", "url", tol), None);
        assert_eq!(date_finding("2025-11-18", "2025-11-20", "url", tol), None);
        // Across a month and a year end.
        assert_eq!(date_finding("2025-01-01", "2024-12-30", "url", tol), None);
    }

    #[test]
    fn tolerance_edges() {
        let f = date_finding("2025-11-20", "2025-11-17", "url", 2).unwrap();
        assert_eq!(f.kind, FindingKind::DateMismatch);
        assert_eq!(f.severity, Severity::Error);
        assert_eq!(f.source.as_deref(), Some("url"));
        assert_eq!(f.found.as_deref(), Some("2025-11-17"));
        assert_eq!(
            f.reason,
            "the URL says 2025-11-17, 3 days before the cited 2025-11-20 (tolerance 2 days)"
        );
        assert_eq!(date_finding("2025-11-20", "2025-11-17", "url", 3), None);
        let f = date_finding("2025-11-20", "2025-11-21", "page", 0).unwrap();
        assert_eq!(
            f.reason,
            "the page says 2025-11-21, 1 day after the cited 2025-11-20 (tolerance 0 days)"
        );
        assert_eq!(f.source.as_deref(), Some("page"));
        // A negative tolerance is none.
        assert_eq!(date_finding("2025-11-20", "2025-11-20", "url", -5), None);
        let f = date_finding("2024-03-01", "2024-02-27", "url", 1).unwrap();
        assert!(f.reason.contains("3 days before"), "{}", f.reason);
        assert!(f.reason.contains("(tolerance 1 day)"), "{}", f.reason);
    }

    #[test]
    fn month_only_dates_span_the_month() {
        let tol = DEFAULT_DATE_TOLERANCE_DAYS;
        assert_eq!(date_finding("2025-11", "2025-11-01", "url", tol), None);
        assert_eq!(date_finding("2025-11", "2025-11-30", "url", tol), None);
        assert_eq!(date_finding("2025-11", "2025-12-02", "url", tol), None);
        assert_eq!(date_finding("2025-11", "2025-10-30", "url", tol), None);
        let f = date_finding("2025-11", "2025-12-03", "url", tol).unwrap();
        assert_eq!(
            f.reason,
            "the URL says 2025-12-03, 3 days after the cited month 2025-11 (tolerance 2 days)"
        );
        let f = date_finding("2025-11", "2025-10-20", "url", tol).unwrap();
        assert!(f.reason.contains("12 days before"), "{}", f.reason);
        // February of a leap year, and December into the next year.
        assert_eq!(date_finding("2024-02", "2024-02-29", "url", 0), None);
        assert!(date_finding("2023-02", "2023-03-01", "url", 0).is_some());
        assert_eq!(date_finding("2025-12", "2025-12-31", "url", 0), None);
        assert!(date_finding("2025-12", "2026-01-01", "url", 0).is_some());
    }

    #[test]
    fn unreadable_dates_are_no_finding() {
        for (stated, found) in [
            ("2025-11-31", "2025-01-01"),
            ("2025-13", "2025-01-01"),
            ("November 2025", "2025-01-01"),
            ("2025-11-20", "2025-11-31"),
            ("2025-11-20", "2025/11/01"),
            ("2025-11-20", ""),
            ("", "2025-11-20"),
        ] {
            assert_eq!(
                date_finding(stated, found, "url", 0),
                None,
                "{stated} {found}"
            );
        }
    }
}
