//! What a page says of itself: its title and publication date.
//!
//! The body is decoded the way the checker decodes it (the `charset` of the
//! `Content-Type` header, else the page's BOM, `<meta charset>` or
//! detection, so GBK and Big5 pages read right), then its metadata is read
//! with `scraper` selectors.
//!
//! # Publication date
//!
//! Sources, in order of trust; the first that gives a plausible date wins:
//!
//! 1. `<meta>`: `property="article:published_time"`, `og:published_time`,
//!    `name="pubdate"`, `name="publishdate"`, `itemprop="datePublished"`,
//!    `name="date"` (in that order, wherever they stand in the page);
//! 2. JSON-LD (`<script type="application/ld+json">`): `datePublished` of a
//!    top-level object, of the objects of a top-level array, of `@graph`
//!    or of `mainEntity`; an article-typed object (`NewsArticle`,
//!    `BlogPosting`…) is preferred to another (a `WebPage`). Scripts that
//!    are not valid JSON are ignored;
//! 3. `<time datetime>`: the first inside an `<article>` if there is one,
//!    else the first in the page;
//! 4. a date written in the text near the top of the main content (the
//!    checker's reading of the visible text, page chrome left out): within
//!    its first [`TEXT_WINDOW`] characters, the first `2025年11月18日`, or a
//!    numeric `2025-11-18` / `2025/11/18` / `2025.11.18` when a time of day
//!    follows it (`2025-11-18 08:00`) or a label such as `发布时间` precedes
//!    it. A bare numeric date in the text is too often something else.
//!
//! An ISO date-time keeps the date as the publisher wrote it, in the
//! page's own offset: `2025-11-18T23:30:00+08:00` is the 18th, not the
//! 18th at 15:30 UTC shifted anywhere. Only years 1990 to 2100 count
//! (`0001-01-01` placeholders and epoch zeros are not dates).
//!
//! # Title
//!
//! `<meta property="og:title">`, else `<title>`, whitespace collapsed, with
//! a trailing site name removed (see [`strip_site_suffix`]).

use crate::check::page::{page_text, read_page};
use crate::extract::fold_whitespace;
use crate::model::{Finding, FindingKind, Score, Severity};
use regex::Regex;
use scraper::{ElementRef, Html, Selector};
use serde_json::Value;
use std::collections::HashMap;
use std::sync::LazyLock;

/// Characters of the main content's visible text searched for a written
/// publication date: the byline of an article stands at its top.
pub const TEXT_WINDOW: usize = 2000;

/// What a page says of itself.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageFacts {
    /// The page's title (`og:title`, else `<title>`), whitespace collapsed
    /// and a trailing site name removed.
    pub title: Option<String>,
    /// The publication date, `YYYY-MM-DD`, as the publisher wrote it (in
    /// the page's own offset).
    pub published: Option<String>,
    /// Where the date was read: the `<meta>` key for a meta tag
    /// (`article:published_time`, `og:published_time`, `pubdate`,
    /// `publishdate`, `datePublished`, `date`), else `json-ld`, `time` or
    /// `text`.
    pub published_from: Option<&'static str>,
}

/// `<meta>` keys (from `property`, `name` or `itemprop`, compared
/// case-insensitively) that give the publication date, most trusted first,
/// with the word [`PageFacts::published_from`] reports for each.
const META_KEYS: [(&str, &str); 6] = [
    ("article:published_time", "article:published_time"),
    ("og:published_time", "og:published_time"),
    ("pubdate", "pubdate"),
    ("publishdate", "publishdate"),
    ("datepublished", "datePublished"),
    ("date", "date"),
];

fn selector(css: &str) -> Selector {
    // The selectors are constants of this module: a parse failure is a
    // bug here, caught by any test.
    Selector::parse(css).unwrap_or_else(|e| panic!("invalid selector {css:?}: {e:?}"))
}

static META: LazyLock<Selector> = LazyLock::new(|| selector("meta"));
static ITEMPROP_DATE: LazyLock<Selector> =
    LazyLock::new(|| selector("[itemprop=\"datePublished\" i]"));
static JSON_LD: LazyLock<Selector> =
    LazyLock::new(|| selector("script[type=\"application/ld+json\" i]"));
static ARTICLE_TIME: LazyLock<Selector> = LazyLock::new(|| selector("article time[datetime]"));
static TIME: LazyLock<Selector> = LazyLock::new(|| selector("time[datetime]"));
static HEAD_TITLE: LazyLock<Selector> = LazyLock::new(|| selector("head > title"));
static TITLE: LazyLock<Selector> = LazyLock::new(|| selector("title"));

/// Reads what a page says of itself: title and publication date.
///
/// `body` is the page as received (decoded of any content-encoding);
/// `content_type` the response's `Content-Type`, whose `charset` decides
/// the decoding when given. A body that is not HTML gives at most a date
/// written in its text.
pub fn page_facts(body: &[u8], content_type: Option<&str>) -> PageFacts {
    let text = page_text(body, content_type);
    let is_html = content_type.is_none_or(|ct| ct.contains("html") || ct.contains("xml"))
        && (text.contains('<') || content_type.is_some_and(|ct| ct.contains("html")));
    let mut facts = PageFacts::default();
    if is_html {
        let doc = Html::parse_document(&text);
        facts.title = page_title(&doc);
        if let Some((date, from)) = meta_date(&doc)
            .or_else(|| json_ld_date(&doc).map(|d| (d, "json-ld")))
            .or_else(|| time_date(&doc).map(|d| (d, "time")))
        {
            facts.published = Some(date);
            facts.published_from = Some(from);
            return facts;
        }
    }
    // The checker's reading of the visible text: main content only when
    // the page marks it, chrome (navigation, site headers with today's
    // date) left out.
    let visible = read_page(body, content_type).text;
    if let Some(date) = text_date(&visible) {
        facts.published = Some(date);
        facts.published_from = Some("text");
    }
    facts
}

/// The date from the most trusted `<meta>` key that gives a plausible one.
fn meta_date(doc: &Html) -> Option<(String, &'static str)> {
    let mut found: HashMap<&'static str, String> = HashMap::new();
    let mut note = |key: &str, value: Option<&str>| {
        let Some(&(_, word)) = META_KEYS.iter().find(|(k, _)| key.eq_ignore_ascii_case(k)) else {
            return;
        };
        if found.contains_key(word) {
            return;
        }
        if let Some(date) = value.and_then(parse_date) {
            found.insert(word, date);
        }
    };
    for meta in doc.select(&META) {
        let el = meta.value();
        let content = el.attr("content");
        for attr in ["property", "name", "itemprop"] {
            if let Some(key) = el.attr(attr) {
                note(key.trim(), content);
            }
        }
    }
    // `itemprop="datePublished"` on another element (`<span content>`,
    // `<time datetime>`) is microdata too.
    for el in doc.select(&ITEMPROP_DATE) {
        let value = el.attr("content").or_else(|| el.attr("datetime"));
        note("datePublished", value);
    }
    META_KEYS
        .iter()
        .find_map(|&(_, word)| found.remove(word).map(|d| (d, word)))
}

/// `datePublished` from the page's JSON-LD, an article's first.
fn json_ld_date(doc: &Html) -> Option<String> {
    let mut candidates: Vec<(bool, String)> = Vec::new();
    for script in doc.select(&JSON_LD) {
        let raw: String = script.text().collect();
        let raw = raw.trim();
        let raw = raw.strip_prefix("<!--").unwrap_or(raw);
        let raw = raw.strip_suffix("-->").unwrap_or(raw);
        let Ok(value) = serde_json::from_str::<Value>(raw.trim()) else {
            continue;
        };
        collect_json_ld(&value, 0, &mut candidates);
    }
    candidates
        .iter()
        .find(|(article, _)| *article)
        .or_else(|| candidates.first())
        .map(|(_, date)| date.clone())
}

/// Gathers `(is an article, date)` from JSON-LD objects: the value itself,
/// the items of an array, `@graph` and `mainEntity`, a few levels deep.
fn collect_json_ld(value: &Value, depth: usize, out: &mut Vec<(bool, String)>) {
    if depth > 4 {
        return;
    }
    match value {
        Value::Array(items) => {
            for item in items {
                collect_json_ld(item, depth + 1, out);
            }
        }
        Value::Object(map) => {
            let published = match map.get("datePublished") {
                Some(Value::String(s)) => parse_date(s),
                Some(Value::Array(items)) => {
                    items.iter().find_map(|v| v.as_str().and_then(parse_date))
                }
                _ => None,
            };
            if let Some(date) = published {
                out.push((is_article_type(map.get("@type")), date));
            }
            for key in ["@graph", "mainEntity"] {
                if let Some(inner) = map.get(key) {
                    collect_json_ld(inner, depth + 1, out);
                }
            }
        }
        _ => {}
    }
}

/// Whether a JSON-LD `@type` names an article (`NewsArticle`,
/// `ReportageNewsArticle`, `BlogPosting`, `Report`…).
fn is_article_type(kind: Option<&Value>) -> bool {
    let is = |s: &str| {
        let s = s.rsplit(['/', ':']).next().unwrap_or(s);
        s.ends_with("Article") || matches!(s, "BlogPosting" | "Report" | "LiveBlogPosting")
    };
    match kind {
        Some(Value::String(s)) => is(s),
        Some(Value::Array(items)) => items.iter().any(|v| v.as_str().is_some_and(is)),
        _ => false,
    }
}

/// `<time datetime>`: the first inside an `<article>`, else the first.
fn time_date(doc: &Html) -> Option<String> {
    let first = |sel: &Selector| {
        doc.select(sel)
            .next()
            .and_then(|t| t.attr("datetime"))
            .and_then(parse_date)
    };
    if doc.select(&ARTICLE_TIME).next().is_some() {
        return first(&ARTICLE_TIME);
    }
    first(&TIME)
}

/// A date written in the first [`TEXT_WINDOW`] characters of `visible`:
/// the earliest `2025年11月18日`, or numeric date backed by a time of day
/// after it or a label before it.
fn text_date(visible: &str) -> Option<String> {
    static CJK: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号號]")
            .unwrap_or_else(|e| panic!("{e}"))
    });
    static NUMERIC: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(\d{4})([-/.])(\d{1,2})([-/.])(\d{1,2})((?:T|\s+)\d{1,2}:\d{2})?")
            .unwrap_or_else(|e| panic!("{e}"))
    });
    let end = visible
        .char_indices()
        .nth(TEXT_WINDOW)
        .map_or(visible.len(), |(i, _)| i);
    let window = &visible[..end];
    let digit_before = |at: usize| {
        window[..at]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_ascii_digit())
    };
    let digit_after = |at: usize| {
        window[at..]
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_digit())
    };
    let cjk = CJK.captures_iter(window).find_map(|c| {
        let whole = c.get(0)?;
        if digit_before(whole.start()) {
            return None;
        }
        Some((whole.start(), ymd(&c[1], &c[2], &c[3])?))
    });
    let numeric = NUMERIC.captures_iter(window).find_map(|c| {
        let whole = c.get(0)?;
        let date_end = c.get(5)?.end();
        if c[2] != c[4] || digit_before(whole.start()) || digit_after(date_end) {
            return None;
        }
        let timed = c.get(6).is_some() && !digit_after(whole.end());
        if !timed && !labelled(&window[..whole.start()]) {
            return None;
        }
        Some((whole.start(), ymd(&c[1], &c[3], &c[5])?))
    });
    match (cjk, numeric) {
        (Some(a), Some(b)) => Some(if a.0 <= b.0 { a.1 } else { b.1 }),
        (a, b) => a.or(b).map(|(_, d)| d),
    }
}

/// Whether the text before a date ends with a publication label
/// (`发布时间：`, `日期:`, `Published`).
fn labelled(before: &str) -> bool {
    const LABELS: [&str; 10] = [
        "时间",
        "時間",
        "日期",
        "发布",
        "發布",
        "發佈",
        "发表",
        "發表",
        "published",
        "posted",
    ];
    let tail = before.trim_end_matches(|c: char| c.is_whitespace() || matches!(c, ':' | '：'));
    let start = tail.char_indices().rev().nth(9).map_or(0, |(i, _)| i);
    let tail = tail[start..].to_lowercase();
    LABELS.iter().any(|l| tail.ends_with(l))
}

/// The date a metadata value gives, `YYYY-MM-DD`, as written (the page's
/// own offset kept): ISO 8601 (`2025-11-18`, `2025-11-18T23:30:00+08:00`,
/// `20251118`), `2025/11/18`, `2025.11.18`, `2025年11月18日`, and
/// `18 Nov 2025` / `Nov 18, 2025` (RFC 2822 and English long dates). Only
/// years 1990 to 2100 and real days of the month.
fn parse_date(value: &str) -> Option<String> {
    let s = value.trim();
    // Year first: ISO and its relatives.
    let digits: String = s.chars().take_while(|c| c.is_ascii_digit()).collect();
    if digits.len() == 4 {
        let rest = &s[4..];
        let mut sep = rest.chars();
        let first = sep.next()?;
        if matches!(first, '-' | '/' | '.' | '年') {
            let rest = &rest[first.len_utf8()..];
            let month: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
            let rest = &rest[month.len()..];
            let second = rest.chars().next()?;
            let expected = if first == '年' { '月' } else { first };
            if second != expected || month.is_empty() || month.len() > 2 {
                return None;
            }
            let rest = &rest[second.len_utf8()..];
            let day: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
            if day.is_empty() || day.len() > 2 {
                return None;
            }
            return ymd(&digits, &month, &day);
        }
        return None;
    }
    if digits.len() == 8 && s[8..].chars().next().is_none_or(|c| !c.is_ascii_digit()) {
        return ymd(&digits[..4], &digits[4..6], &digits[6..8]);
    }
    english_date(s)
}

/// `Tue, 18 Nov 2025 08:00:00 +0800`, `18 November 2025`,
/// `November 18, 2025`.
fn english_date(s: &str) -> Option<String> {
    let words: Vec<&str> = s
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .collect();
    for (i, w) in words.iter().enumerate() {
        let Some(month) = month_number(w) else {
            continue;
        };
        let day_before = i.checked_sub(1).and_then(|j| words.get(j));
        let after = words.get(i + 1);
        let (day, year) = match (day_before, after, words.get(i + 2)) {
            (Some(d), Some(y), _) if is_number(d, 2) && is_number(y, 4) => (*d, *y),
            (_, Some(d), Some(y)) if is_number(d, 2) && is_number(y, 4) => (*d, *y),
            _ => return None,
        };
        return ymd(year, &month.to_string(), day);
    }
    None
}

fn is_number(s: &str, max_len: usize) -> bool {
    !s.is_empty() && s.len() <= max_len && s.bytes().all(|b| b.is_ascii_digit())
}

fn month_number(word: &str) -> Option<u32> {
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let w = word.trim_end_matches('.').to_ascii_lowercase();
    if w.len() < 3 || !w.is_ascii() {
        return None;
    }
    let pos = MONTHS.iter().position(|m| w.starts_with(m))?;
    let full = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ][pos];
    (w.len() == 3 || full.starts_with(&w) || (pos == 8 && w == "sept")).then_some(pos as u32 + 1)
}

/// `YYYY-MM-DD` when the parts make a real day of a plausible year.
fn ymd(year: &str, month: &str, day: &str) -> Option<String> {
    let y: i32 = year.parse().ok()?;
    let m: u32 = month.parse().ok()?;
    let d: u32 = day.parse().ok()?;
    if !(1990..=2100).contains(&y) || !(1..=12).contains(&m) || d == 0 {
        return None;
    }
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    (d <= days).then(|| format!("{y:04}-{m:02}-{d:02}"))
}

/// The page's title: `og:title`, else `<title>` (the document's, not an
/// SVG's), whitespace collapsed and a trailing site name removed.
fn page_title(doc: &Html) -> Option<String> {
    let og = doc.select(&META).find_map(|m| {
        let key = m.attr("property").or_else(|| m.attr("name"))?;
        key.trim()
            .eq_ignore_ascii_case("og:title")
            .then(|| m.attr("content"))
            .flatten()
            .map(fold_whitespace)
            .filter(|t| !t.is_empty())
    });
    let title = og.or_else(|| {
        let text = |t: ElementRef| fold_whitespace(&t.text().collect::<String>());
        doc.select(&HEAD_TITLE)
            .next()
            .or_else(|| doc.select(&TITLE).next())
            .map(text)
            .filter(|t| !t.is_empty())
    })?;
    Some(strip_site_suffix(&title).to_string())
}

/// Separators between a title and the site's name, as written.
const SEPARATORS: [&str; 11] = [
    " | ", " - ", " – ", " — ", " :: ", " · ", "｜", "|", "_", " -", "- ",
];

/// A title without the site name trailing it: `标题 - 大纪元`, `Title | DW`,
/// `标题_新闻_人民网` all become the title.
///
/// The rule: the title is cut at the last separator (` | `, ` - `, ` – `,
/// ` — `, ` :: `, ` · `, `｜`, `|`, `_`, a dash with a space on one side)
/// when what follows it is short — at most 4 words and 24
/// characters — and shorter than what precedes it, and what precedes it is
/// long enough to be a title on its own: at least 4 CJK characters or 12
/// characters in all. The cut is repeated with the same separator
/// (`_新闻_人民网` is two cuts), never with another, so a title's own dash
/// before a ` | Site` stays.
pub fn strip_site_suffix(title: &str) -> &str {
    let mut current = title.trim();
    let mut used: Option<&str> = None;
    loop {
        let candidates: &[&str] = match used {
            Some(sep) => &[sep][..],
            None => &SEPARATORS[..],
        };
        // The separator that occurs last in the title (ties: the longest).
        let cut = candidates
            .iter()
            .filter_map(|sep| current.rfind(sep).map(|i| (i, *sep)))
            .max_by_key(|&(i, sep)| (i + sep.len(), sep.len()));
        let Some((at, sep)) = cut else {
            return current;
        };
        let before = current[..at].trim_end();
        let after = current[at + sep.len()..].trim();
        if !is_site_name(after, before) {
            return current;
        }
        current = before;
        used = Some(sep);
    }
}

fn is_site_name(after: &str, before: &str) -> bool {
    let after_chars = after.chars().count();
    let before_chars = before.chars().count();
    let before_cjk = before.chars().filter(|&c| is_cjk(c)).count();
    !after.is_empty()
        && after_chars <= 24
        && after.split_whitespace().count() <= 4
        && after_chars < before_chars
        && (before_cjk >= 4 || before_chars >= 12)
}

/// Letters written without spaces between words (Han, kana, Hangul): each
/// is a unit of its own.
fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF     // Hiragana, Katakana
        | 0x3400..=0x4DBF   // CJK Extension A
        | 0x4E00..=0x9FFF   // CJK Unified Ideographs
        | 0xAC00..=0xD7AF   // Hangul syllables
        | 0xF900..=0xFAFF   // CJK Compatibility Ideographs
        | 0x20000..=0x3134F // CJK Extensions B–G
    )
}

/// The units of a title: each CJK character alone, each other run of
/// letters and digits a word, lowercased; punctuation and symbols dropped.
fn title_units(text: &str) -> Vec<String> {
    let mut units = Vec::new();
    let mut word = String::new();
    for c in text.chars() {
        if is_cjk(c) {
            if !word.is_empty() {
                units.push(std::mem::take(&mut word));
            }
            units.push(c.to_string());
        } else if c.is_alphanumeric() {
            word.extend(c.to_lowercase());
        } else if !word.is_empty() && c != '\'' && c != '’' {
            units.push(std::mem::take(&mut word));
        }
    }
    if !word.is_empty() {
        units.push(word);
    }
    units
}

/// The features compared: the character trigrams of each word (with its
/// edges marked, so one- and two-letter words count too), and the bigrams
/// of adjacent CJK characters (where two characters are roughly a word).
/// A lone CJK character counts as itself.
fn title_features(text: &str) -> HashMap<String, usize> {
    let units = title_units(text);
    let mut features: HashMap<String, usize> = HashMap::new();
    let mut add = |f: String| *features.entry(f).or_default() += 1;
    for (i, unit) in units.iter().enumerate() {
        let single_cjk = unit.chars().next().is_some_and(is_cjk);
        if single_cjk {
            let next_cjk = units
                .get(i + 1)
                .filter(|u| u.chars().next().is_some_and(is_cjk));
            let prev_cjk = i
                .checked_sub(1)
                .and_then(|j| units.get(j))
                .is_some_and(|u| u.chars().next().is_some_and(is_cjk));
            match next_cjk {
                Some(next) => add(format!("{unit}{next}")),
                None if !prev_cjk => add(unit.clone()),
                None => {}
            }
        } else {
            let chars: Vec<char> = std::iter::once('\u{2}')
                .chain(unit.chars())
                .chain(std::iter::once('\u{3}'))
                .collect();
            for trigram in chars.windows(3) {
                add(trigram.iter().collect());
            }
        }
    }
    features
}

/// How alike two titles are, from 0 (nothing in common) to 1 (the same
/// text once normalized): the Dice coefficient of their character n-grams.
///
/// Normalizing lowercases, drops punctuation and symbols, and splits the
/// text into units: each CJK character alone (Chinese and Japanese write
/// no spaces), each other run of letters and digits a word. Runs of CJK
/// characters give the bigrams of adjacent characters; other words give the
/// trigrams of their letters, edges marked, so a changed ending
/// (`announces`, `announced`) costs little while two unrelated English
/// titles, which share many letter pairs (`th`, `in`), stay near 0.
/// No language is assumed.
///
/// Across languages (an English item title, a Chinese page title) the
/// figure is low by nature, near 0, whatever the pages say: that is why
/// [`title_finding`] shows the figure and draws no verdict.
pub fn title_similarity(item_title: &str, page_title: &str) -> f64 {
    let a = title_features(item_title);
    let b = title_features(page_title);
    let total: usize = a.values().sum::<usize>() + b.values().sum::<usize>();
    if total == 0 {
        return if item_title.trim() == page_title.trim() {
            1.0
        } else {
            0.0
        };
    }
    let common: usize = a
        .iter()
        .map(|(f, n)| b.get(f).map_or(0, |m| (*n).min(*m)))
        .sum();
    (2 * common) as f64 / total as f64
}

/// The page's title beside the item's, for a person to judge: a
/// [`FindingKind::Title`] finding, [`Severity::Info`], with the page title
/// as `found` and [`title_similarity`] as `similarity`. It never says the
/// citation is wrong: titles are rewritten, translated and shortened.
pub fn title_finding(item_title: &str, page_title: &str) -> Finding {
    let mut finding = Finding::new(
        FindingKind::Title,
        Severity::Info,
        format!("page title: “{page_title}”"),
    );
    finding.source = Some("page".to_string());
    finding.found = Some(page_title.to_string());
    finding.similarity = Some(Score(title_similarity(item_title, page_title)));
    finding
}

/// The page's publication date against the date the citation states: a
/// `date-mismatch` finding (source `page`) when they are further apart
/// than `tolerance_days`, by [`date_finding`](crate::verify::dates::date_finding).
/// `None` when the page gives no date, or the dates agree.
pub fn page_date_finding(stated: &str, facts: &PageFacts, tolerance_days: i64) -> Option<Finding> {
    let found = facts.published.as_deref()?;
    crate::verify::dates::date_finding(stated, found, "page", tolerance_days)
}
