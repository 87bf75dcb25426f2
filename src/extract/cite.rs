//! Reading "Outlet, Date" as citations state them.

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

/// A date found in text: byte range and ISO 8601 form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundDate {
    pub start: usize,
    pub end: usize,
    pub iso: String,
}

/// Finds the first well-formed date in `text`: `November 28, 2025`,
/// `Nov. 28 2025`, `28 November 2025`, `2025-11-28` (or `/`, `.`),
/// `2025年11月28日`, and `November 2025` (as `2025-11`).
///
/// Hand-written rather than regexes: it runs on every citation and on every
/// parenthesis in body text, and a scanner is several times cheaper.
pub fn find_date(text: &str) -> Option<FoundDate> {
    let bytes = text.as_bytes();
    if !bytes.iter().any(u8::is_ascii_digit) {
        return None;
    }
    // A date opens with a digit or a month's first letter.
    let may_open = |c: u8| {
        c.is_ascii_digit()
            || matches!(
                c.to_ascii_lowercase(),
                b'j' | b'f' | b'm' | b'a' | b's' | b'o' | b'n' | b'd'
            )
    };
    (0..bytes.len())
        .filter(|&i| may_open(bytes[i]))
        .filter(|&i| i == 0 || !bytes[i - 1].is_ascii_alphanumeric())
        .find_map(|i| date_at(text, i))
}

/// A date starting exactly at byte `i`.
fn date_at(text: &str, i: usize) -> Option<FoundDate> {
    let b = text.as_bytes();
    let found = |end: usize, y: u32, m: u32, d: Option<u32>| -> Option<FoundDate> {
        if !(1900..=2200).contains(&y) || !(1..=12).contains(&m) {
            return None;
        }
        let iso = match d {
            Some(d) if valid_day(y, m, d) => iso_date(y, m, Some(d)),
            Some(_) => return None,
            None => iso_date(y, m, None),
        };
        Some(FoundDate { start: i, end, iso })
    };
    if b[i].is_ascii_alphabetic() {
        // Month D[st], YYYY | Month YYYY
        let (m, p) = month_word(b, i)?;
        let p = spaces(b, p, 1)?;
        let (n, q) = digits(b, p, 1, 4)?;
        if q - p == 4 {
            return found(q, n, m, None);
        }
        if q - p > 2 {
            return None;
        }
        let q = ordinal_suffix(b, q);
        let q = if b.get(q) == Some(&b',') { q + 1 } else { q };
        let q = spaces(b, q, 1)?;
        let (y, r) = digits(b, q, 4, 4)?;
        return found(r, y, m, Some(n));
    }
    let (n, p) = digits(b, i, 1, 4)?;
    if p - i == 4 {
        // YYYY-MM-DD, YYYY/MM/DD, YYYY.MM.DD
        if let Some(&sep @ (b'-' | b'/' | b'.')) = b.get(p) {
            let (m, q) = digits(b, p + 1, 1, 2)?;
            if b.get(q) != Some(&sep) {
                return None;
            }
            let (d, r) = digits(b, q + 1, 1, 2)?;
            return found(r, n, m, Some(d));
        }
        // YYYY年M月D日
        let q = cjk(text, spaces(b, p, 0)?, "年")?;
        let (m, q) = digits(b, spaces(b, q, 0)?, 1, 2)?;
        let q = cjk(text, spaces(b, q, 0)?, "月")?;
        let (d, q) = digits(b, spaces(b, q, 0)?, 1, 2)?;
        let q = cjk(text, spaces(b, q, 0)?, "日")?;
        return found(q, n, m, Some(d));
    }
    if p - i > 2 {
        return None;
    }
    // D[st] Month[,] YYYY
    let q = spaces(b, ordinal_suffix(b, p), 1)?;
    let (m, q) = month_word(b, q)?;
    let q = if b.get(q) == Some(&b',') { q + 1 } else { q };
    let q = spaces(b, q, 1)?;
    let (y, r) = digits(b, q, 4, 4)?;
    found(r, y, m, Some(n))
}

/// A month name or abbreviation at `i` (a whole word, optional `.`).
fn month_word(b: &[u8], i: usize) -> Option<(u32, usize)> {
    let len = b
        .get(i..)?
        .iter()
        .take_while(|c| c.is_ascii_alphabetic())
        .count();
    if !(3..=9).contains(&len) {
        return None;
    }
    let m = month_number(&b[i..i + len])?;
    let end = i + len;
    Some((
        m,
        if b.get(end) == Some(&b'.') {
            end + 1
        } else {
            end
        },
    ))
}

/// `YYYY-MM-DD` (or `YYYY-MM`) for a year of four digits, written out
/// by hand: `format!` cost more than the rest of a date's parsing.
fn iso_date(y: u32, m: u32, d: Option<u32>) -> String {
    let digit = |n: u32| b'0' + (n % 10) as u8;
    let mut iso = [
        digit(y / 1000),
        digit(y / 100),
        digit(y / 10),
        digit(y),
        b'-',
        digit(m / 10),
        digit(m),
        b'-',
        0,
        0,
    ];
    let len = match d {
        Some(d) => {
            iso[8..].copy_from_slice(&[digit(d / 10), digit(d)]);
            10
        }
        None => 7,
    };
    // ASCII digits and dashes: always UTF-8.
    std::str::from_utf8(&iso[..len]).map_or_else(|_| String::new(), str::to_owned)
}

/// A run of `min..=max` ASCII digits at `i`, not followed by another digit.
fn digits(b: &[u8], i: usize, min: usize, max: usize) -> Option<(u32, usize)> {
    let len = b
        .get(i..)?
        .iter()
        .take_while(|c| c.is_ascii_digit())
        .count();
    if !(min..=max).contains(&len) {
        return None;
    }
    let n = b[i..i + len]
        .iter()
        .fold(0u32, |n, d| n * 10 + u32::from(d - b'0'));
    Some((n, i + len))
}

/// Skips spaces (ASCII and no-break), requiring at least `min`.
fn spaces(b: &[u8], mut i: usize, min: usize) -> Option<usize> {
    let start = i;
    loop {
        match b.get(i..) {
            Some([b' ' | b'\t', ..]) => i += 1,
            Some([0xC2, 0xA0, ..]) => i += 2,
            _ => break,
        }
    }
    (i - start >= min).then_some(i)
}

fn ordinal_suffix(b: &[u8], i: usize) -> usize {
    match b.get(i..i + 2) {
        Some(s)
            if ["st", "nd", "rd", "th"]
                .iter()
                .any(|x| s.eq_ignore_ascii_case(x.as_bytes())) =>
        {
            i + 2
        }
        _ => i,
    }
}

fn cjk(text: &str, i: usize, ch: &str) -> Option<usize> {
    text.get(i..)?.starts_with(ch).then_some(i + ch.len())
}

/// The month a name or abbreviation of 3 to 9 ASCII letters names.
fn month_number(name: &[u8]) -> Option<u32> {
    // The longest name, "september", has 9 letters.
    if name.len() > 9 {
        return None;
    }
    let packed = crate::bytes::packed_word(name);
    MONTH_WORDS
        .iter()
        .find(|(n, _)| *n == packed)
        .map(|&(_, v)| v)
}

/// [`MONTHS`] as packed words ([`crate::bytes::packed_word`]), for
/// [`month_number`]: comparing numbers, not strings.
const MONTH_WORDS: [(u128, u32); 24] = {
    let mut packed = [(0, 0); 24];
    let mut i = 0;
    while i < MONTHS.len() {
        let (name, month) = MONTHS[i];
        packed[i] = (crate::bytes::packed_word(name.as_bytes()), month);
        i += 1;
    }
    packed
};

fn valid_day(y: u32, m: u32, d: u32) -> bool {
    let leap = (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400);
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

/// The `)` or `）` closing a parenthesis whose inside starts at `from`,
/// if one starts before `limit` with no `(`, `（` or line break before it:
/// its offset and length.
fn closing_paren(bytes: &[u8], from: usize, limit: usize) -> Option<(usize, usize)> {
    let mut j = from;
    while j < limit {
        // `（` and `）` start with 0xEF, as do other full-width signs.
        let window = &bytes[j..limit];
        let ascii = memchr::memchr3(b')', b'(', b'\n', window);
        let wide = memchr::memchr(0xEF, &window[..ascii.unwrap_or(window.len())]);
        let k = j + wide.or(ascii)?;
        let rest = &bytes[k..];
        if rest[0] == b')' {
            return Some((k, 1));
        }
        if rest.starts_with("）".as_bytes()) {
            return Some((k, 3));
        }
        if rest[0] != 0xEF || rest.starts_with("（".as_bytes()) {
            return None;
        }
        j = k + 1;
    }
    None
}

/// Parenthesized spans `(…)` / `（…）` of 2 to 100 bytes with no nested
/// parenthesis or line break: byte ranges of the whole and of the inside.
fn parentheticals(text: &str) -> impl Iterator<Item = ((usize, usize), (usize, usize))> + '_ {
    let bytes = text.as_bytes();
    let mut pos = 0;
    std::iter::from_fn(move || {
        while pos < bytes.len() {
            let rel = memchr::memchr2(b'(', 0xEF, &bytes[pos..])?;
            let open = pos + rel;
            let open_len = match &bytes[open..] {
                [b'(', ..] => 1,
                rest if rest.starts_with("（".as_bytes()) => 3,
                _ => {
                    pos = open + 1;
                    continue;
                }
            };
            let inner_start = open + open_len;
            let limit = bytes.len().min(inner_start + 101);
            pos = inner_start;
            if let Some((j, close_len)) = closing_paren(bytes, inner_start, limit) {
                if j - inner_start >= 2 {
                    pos = j + close_len;
                    return Some(((open, j + close_len), (inner_start, j)));
                }
            }
        }
        None
    })
}

/// Finds "(Outlet, Date)" citations: a parenthesis holding a name and a date.
pub fn find_inline_citations(text: &str) -> Vec<InlineCitation> {
    // No test of the whole line first: finding the parentheses is one
    // `memchr2`, and each is tested on its own (a date needs a digit).
    parentheticals(text)
        .filter_map(|((start, end), (inner_start, inner_end))| {
            let inner = text.get(inner_start..inner_end)?;
            // Cheap shape test before date parsing: "Name, … <digit or 日>".
            let ends_like_date = inner
                .trim_end()
                .ends_with(|c: char| c.is_ascii_digit() || c == '日');
            if !ends_like_date || !inner.contains([',', '，']) {
                return None;
            }
            let attribution = parse_attribution(inner)?;
            let date = find_date(inner)?;
            // Need both a name before the date and the date to end the text:
            // "(Nikkei Asia, November 15, 2024)", not "(from May 2024 on)".
            let ends_with_date = trim_separators(&inner[date.end..]).is_empty();
            let has_separator = inner[..date.start].trim_end().ends_with([',', '，']);
            (attribution.outlet.is_some() && ends_with_date && has_separator).then_some(
                InlineCitation {
                    start,
                    end,
                    attribution,
                },
            )
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
        assert_eq!(iso("5th November 2025").as_deref(), Some("2025-11-05"));
        assert_eq!(iso("Sept. 3, 2025").as_deref(), Some("2025-09-03"));
        assert_eq!(iso("2025/1/9").as_deref(), Some("2025-01-09"));
        assert_eq!(iso("于 2025 年 1 月 9 日").as_deref(), Some("2025-01-09"));
        assert_eq!(iso("The Mayor 2025 plan"), None);
        assert_eq!(iso("US$490 billion in 12025"), None);
        let d = find_date("Epoch Times, November 28, 2025 extra").unwrap();
        assert_eq!((d.start, d.end), (13, 30));
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
