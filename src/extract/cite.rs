//! Reading "Outlet, Date" as citations state them.

use regex::Regex;
use std::sync::LazyLock;

const MONTHS: [(&str, u32); 24] = [
    ("january", 1),
    ("february", 2),
    ("march", 3),
    ("april", 4),
    ("may", 5),
    ("june", 6),
    ("july", 7),
    ("august", 8),
    ("september", 9),
    ("october", 10),
    ("november", 11),
    ("december", 12),
    ("jan", 1),
    ("feb", 2),
    ("mar", 3),
    ("apr", 4),
    ("jun", 6),
    ("jul", 7),
    ("aug", 8),
    ("sep", 9),
    ("sept", 9),
    ("oct", 10),
    ("nov", 11),
    ("dec", 12),
];

const MONTH_RE: &str = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?";

/// Date forms, each with named groups y, m (number or name), d.
static DATE_RES: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    [
        format!(r"(?i)\b(?P<m>{MONTH_RE})\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}})\b"),
        format!(r"(?i)\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m>{MONTH_RE}),?\s+(?P<y>\d{{4}})\b"),
        r"\b(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})\b".to_string(),
        r"(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日".to_string(),
        format!(r"(?i)\b(?P<m>{MONTH_RE})\s+(?P<y>\d{{4}})\b"),
    ]
    .iter()
    .map(|p| Regex::new(p).expect("date patterns are valid"))
    .collect()
});

/// A date found in text: byte range and ISO 8601 form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundDate {
    pub start: usize,
    pub end: usize,
    pub iso: String,
}

/// Finds the first well-formed date in `text` (the earliest start wins).
pub fn find_date(text: &str) -> Option<FoundDate> {
    if !text.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    DATE_RES
        .iter()
        .filter_map(|re| {
            re.captures_iter(text).find_map(|caps| {
                let whole = caps.get(0)?;
                let y: i32 = caps.name("y")?.as_str().parse().ok()?;
                let m = month_number(caps.name("m")?.as_str())?;
                let iso = match caps.name("d") {
                    Some(d) => {
                        let d: u32 = d.as_str().parse().ok()?;
                        valid_day(y, m, d).then(|| format!("{y:04}-{m:02}-{d:02}"))?
                    }
                    None => format!("{y:04}-{m:02}"),
                };
                (1900..=2200).contains(&y).then_some(FoundDate {
                    start: whole.start(),
                    end: whole.end(),
                    iso,
                })
            })
        })
        .min_by_key(|d| (d.start, usize::MAX - d.end))
}

fn month_number(m: &str) -> Option<u32> {
    if let Ok(n) = m.parse::<u32>() {
        return (1..=12).contains(&n).then_some(n);
    }
    let name = m.trim_end_matches('.').to_ascii_lowercase();
    MONTHS.iter().find(|(n, _)| *n == name).map(|&(_, v)| v)
}

fn valid_day(y: i32, m: u32, d: u32) -> bool {
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    (1..=days).contains(&d)
}

/// What a citation text ("Epoch Times, November 28, 2025") says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Attribution {
    pub outlet: Option<String>,
    pub date: Option<String>,
}

/// Separators between an outlet and its date.
/// Parentheses are only dropped when unbalanced, so "Central News Agency
/// (Taiwan)" keeps its own and "Outlet (Date)" loses the date's.
fn trim_separators(s: &str) -> &str {
    let sep = |c: char| {
        c.is_whitespace() || matches!(c, ',' | ';' | ':' | '-' | '–' | '—' | '|' | '，' | '/')
    };
    let mut s = s.trim_matches(sep);
    loop {
        let before = s;
        if let Some(rest) = s.strip_suffix(['(', '（']) {
            s = rest.trim_matches(sep);
        }
        if let Some(rest) = s.strip_prefix([')', '）']) {
            s = rest.trim_matches(sep);
        }
        if s.ends_with(')') && s.matches('(').count() < s.matches(')').count() {
            s = s[..s.len() - 1].trim_matches(sep);
        }
        if s == before {
            return s;
        }
    }
}

/// Parses "Outlet, Date", "Outlet (Date)", "Date, Outlet", "Outlet" alone.
/// `None` when the text does not read as an attribution (too long, a sentence).
pub fn parse_attribution(text: &str) -> Option<Attribution> {
    let text = text.trim();
    if text.is_empty() || text.chars().count() > 120 {
        return None;
    }
    match find_date(text) {
        Some(d) => {
            let before = trim_separators(&text[..d.start]);
            let after = trim_separators(&text[d.end..]);
            let outlet = match (before.is_empty(), after.is_empty()) {
                (false, true) => Some(before),
                (true, false) => Some(after),
                (true, true) => None,
                // "Outlet, Date, p. 3": outlet comes first.
                (false, false) => Some(before),
            };
            let outlet = outlet.filter(|o| looks_like_outlet(o)).map(str::to_string);
            Some(Attribution {
                outlet,
                date: Some(d.iso),
            })
        }
        None => looks_like_outlet(text).then(|| Attribution {
            outlet: Some(trim_separators(text).to_string()),
            date: None,
        }),
    }
}

/// An outlet name is short and starts like a name, not like a sentence.
pub fn looks_like_outlet(s: &str) -> bool {
    let s = trim_separators(s);
    let Some(first) = s.chars().next() else {
        return false;
    };
    let words = s.split_whitespace().count();
    let starts_like_name = first.is_uppercase()
        || first.is_ascii_digit()
        || (!first.is_lowercase() && first.is_alphabetic());
    starts_like_name && words <= 8 && s.chars().count() <= 80 && !s.ends_with('.')
}

/// An inline "(Outlet, Date)" citation inside running text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InlineCitation {
    pub start: usize,
    pub end: usize,
    pub attribution: Attribution,
}

static INLINE_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[(（]([^()（）\n]{2,100}?)[)）]").expect("valid inline pattern"));

/// Finds "(Outlet, Date)" citations: a parenthesis holding a name and a date.
pub fn find_inline_citations(text: &str) -> Vec<InlineCitation> {
    if !text.contains('(') && !text.contains('（') {
        return Vec::new();
    }
    INLINE_RE
        .captures_iter(text)
        .filter_map(|caps| {
            let whole = caps.get(0)?;
            let inner = caps.get(1)?.as_str();
            let attribution = parse_attribution(inner)?;
            let date = find_date(inner)?;
            // Need both a name before the date and the date to end the text:
            // "(Nikkei Asia, November 15, 2024)", not "(from May 2024 on)".
            let ends_with_date = trim_separators(&inner[date.end..]).is_empty();
            let has_separator = inner[..date.start].trim_end().ends_with([',', '，']);
            (attribution.outlet.is_some() && ends_with_date && has_separator).then(|| {
                InlineCitation {
                    start: whole.start(),
                    end: whole.end(),
                    attribution,
                }
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iso(text: &str) -> Option<String> {
        find_date(text).map(|d| d.iso)
    }

    #[test]
    fn dates_in_common_forms() {
        assert_eq!(iso("November 28, 2025").as_deref(), Some("2025-11-28"));
        assert_eq!(iso("Nov. 8, 2025").as_deref(), Some("2025-11-08"));
        assert_eq!(iso("8 November 2025").as_deref(), Some("2025-11-08"));
        assert_eq!(iso("2025-11-28").as_deref(), Some("2025-11-28"));
        assert_eq!(iso("2025年11月28日").as_deref(), Some("2025-11-28"));
        assert_eq!(iso("November 2025").as_deref(), Some("2025-11"));
        assert_eq!(iso("February 30, 2025"), None);
        assert_eq!(iso("no date here"), None);
    }

    #[test]
    fn attributions() {
        let a = parse_attribution("Epoch Times, November 28, 2025").unwrap();
        assert_eq!(a.outlet.as_deref(), Some("Epoch Times"));
        assert_eq!(a.date.as_deref(), Some("2025-11-28"));
        let a = parse_attribution("Central News Agency (Taiwan), November 18, 2025").unwrap();
        assert_eq!(a.outlet.as_deref(), Some("Central News Agency (Taiwan)"));
        let a = parse_attribution("Nikkei Asia (Nov 15, 2024)").unwrap();
        assert_eq!(a.outlet.as_deref(), Some("Nikkei Asia"));
        let a = parse_attribution("Reuters").unwrap();
        assert_eq!(a.outlet.as_deref(), Some("Reuters"));
        assert_eq!(a.date, None);
        assert!(parse_attribution("this is a sentence that goes on.").is_none());
    }

    #[test]
    fn inline_citations() {
        let text = "Prices rose (Nikkei Asia, November 15, 2024) and fell (from May 2024 on).";
        let found = find_inline_citations(text);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].attribution.outlet.as_deref(), Some("Nikkei Asia"));
        assert_eq!(found[0].attribution.date.as_deref(), Some("2024-11-15"));
        assert!(find_inline_citations("(see below, November 15, 2024)").is_empty());
    }
}
