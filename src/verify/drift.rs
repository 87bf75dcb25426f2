//! Does the page still say what it said when first archived?
//!
//! Reference-rot studies (Jones et al. 2016, "Scholarly context adrift")
//! find content drift more common than dead links: the URL still answers,
//! but with other words. This module compares the page's *main text*
//! (boilerplate removed) in the first archived snapshot with another
//! snapshot, three ways:
//!
//! 1. **raw bytes** (SHA-256 of the body): any change at all;
//! 2. **normalized-text hash** (SHA-256 of the main text's tokens,
//!    [`text_digest`]): lowercased, punctuation dropped, and numbers,
//!    dates and times left out ("Updated 10:32", "2024年5月1日", "3 hours
//!    ago"), so a page whose clock alone moved is not changed;
//! 3. **similarity**: Jaccard similarity of the two texts' sets of token
//!    3-shingles ([`SHINGLE`]). A token is a word for alphabetic scripts
//!    and one character for Chinese and Japanese script, which write no
//!    spaces: a shingle there is a character 3-gram, about one and a half
//!    words, so an edit of the same share of a story costs about the same
//!    in either language. Jaccard over shingles (Broder 1997) is chosen
//!    over simhash because it is exact for two documents (simhash is an
//!    approximation made for indexing billions), explainable ("62 % of the
//!    word runs are shared") and its figure maps onto how much of a story
//!    was replaced (see [`DRIFT_THRESHOLD`]).
//!
//! [`drift_finding`] turns that into `unchanged` (the text hash is the
//! same, whatever happened around it), `changed` (edits: similarity at or
//! above [`DRIFT_THRESHOLD`]) or `drifted` (below it).
//!
//! # Main text: a small heuristic, not a readability crate
//!
//! [`main_text`] is a documented heuristic over `scraper`'s DOM (already a
//! dependency) rather than a Readability port. The crates weighed:
//! `dom_smoothie` 0.19 (a maintained Mozilla Readability port, the best
//! of them, on the same `html5ever` 0.40) adds seven crates to the lock
//! file (`dom_smoothie`, `dom_query`, `gjson`, `nom`, `flagset`,
//! `html-escape`, `unicode-segmentation`) and a second DOM beside the
//! `scraper` one we already have; `readability` 0.3 and `boilerpipe` 0.6
//! pull in their own older `html5ever` (0.26, 0.25) and, for the first,
//! `reqwest` 0.11 by default; `llm_readability` a forked `html5ever` and
//! `tokio`. Drift needs less than a reader view: the *same* stable choice
//! of text in two snapshots of one page, not pretty output. A Readability
//! score can choose a different candidate when a sidebar grows, which
//! reads as drift; the rules here are few, deterministic, tested on the
//! corpus in `tests/verify_drift.rs`, and share the vocabulary of page
//! chrome with `extract` and `check` (`extract::is_chrome_token`).
//!
//! The heuristic:
//!
//! * drop `script`, `style`, `head`, `time`, `nav`, `aside`, `footer`,
//!   `form`, `button`, `iframe`, `header` outside an article (and the rest
//!   of `extract`'s chrome tags), `hidden`/`aria-hidden` elements, landmark
//!   roles of chrome (`navigation`, `banner`, `complementary`…);
//! * drop elements whose class or id names chrome: `extract`'s list
//!   (share bars, sidebars, comments, related, bylines, ads) and, for
//!   drift, any `-`/`_` part among menu, nav, footer, sidebar, related,
//!   recommend(ed), popular, trending, hot, rank, comment, share, ad(s),
//!   advert, sponsor(ed), promo, cookie, consent, newsletter, subscribe,
//!   timestamp, byline, and the pinyin classes of Chinese sites
//!   (`guanggao` 广告, `tuijian` 推荐, `xiangguan` 相关, `remen` 热门,
//!   `paihang` 排行), plus run-together `mostread`, `mostpopular`…;
//! * drop boxes (up to [`LABEL_BOX_CHARS`] characters of text) whose first
//!   text is a chrome label: "Most read", "Recommended", "Advertisement",
//!   "热门排行", "推荐阅读", "广告"… (boxes with no telling class);
//! * of what is left, take the element holding the most paragraph text
//!   (text of its `<p>` children, and bare text in it, as with `<br>`
//!   separated Chinese pages), widened to its nearest `<article>` /
//!   `<main>` when it has one, else joined by sibling blocks with at least
//!   30 % as much paragraph text (a story split by an inline ad); with
//!   the page's first `<h1>` in front when it lies outside (the headline);
//! * read its text, one line per block element, whitespace collapsed.
//!
//! A page nested so deep that building its DOM would be slow (html5ever's
//! tree builder is quadratic in depth) is read by `check`'s streaming
//! reader instead, whose visible text leaves out the same chrome.
//!
//! Bodies are expected without content-encoding (as `check` hands them
//! on, and as `show` reads them from the archive).

use crate::check::page::page_text;
use crate::extract::{is_block, is_chrome_token, CHROME_ROLES, CHROME_TAGS, VOID};
use crate::model::{Finding, FindingKind, Score, Severity, Sha256Digest, Timestamp};
use sha2::{Digest, Sha256};
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

/// Similarity below which the main text has *drifted* rather than been
/// edited: 0.38.
///
/// Jaccard similarity of shingle sets maps onto the share of a story
/// changed: replacing a share `r` of its sentences leaves about
/// `(1 − r) / (1 + r)` (a quarter replaced: 0.6; a third: 0.5; five
/// twelfths: 0.41; half: 0.33), deleting a share `r` leaves `1 − r`, a
/// typo fix costs a few shingles (0.95 and up); shingles across sentence
/// boundaries take a few hundredths more. The hand rule of the corpus:
/// a story of which at least half the sentences were replaced or deleted
/// (a rewrite, another story) has drifted, anything less (corrections,
/// an added paragraph, a sentence or five of twelve rewritten) is an
/// edit. 0.38 lies between five twelfths and half replaced.
///
/// On the drift corpus of `tests/verify_drift.rs` (44 variants, English
/// and Chinese, chrome changed in each): precision 1.00 (14/14) and
/// recall 0.88 (14/16) for `drifted`, 28/28 edits kept `changed`. The two
/// misses are stories cut by half with nothing new (Jaccard 0.46–0.47):
/// Jaccard forgives deletion more than replacement. The closest calls
/// are five twelfths replaced (0.40, 0.43: changed) and half replaced
/// (0.33, 0.36: drifted).
pub const DRIFT_THRESHOLD: f64 = 0.38;

/// Tokens per shingle: word 3-grams, or character 3-grams in Chinese.
pub const SHINGLE: usize = 3;

/// Boxes with at most this many characters of text may be dropped for a
/// chrome label alone ("Most read", "热门排行"): never a whole story.
pub const LABEL_BOX_CHARS: usize = 1500;

/// Bytes of decoded text read for the main text: beyond it a page is cut
/// (a story is a few kilobytes; a 20 MiB page is not worth a 200 MiB DOM).
const MAX_TEXT: usize = 4 << 20;

/// What comparing two snapshots of a page found.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Comparison {
    /// The bodies differ (their SHA-256 differ): any change at all, ads
    /// and clocks included.
    pub raw_changed: bool,
    /// The normalized main texts' hashes differ ([`text_digest`]): the
    /// words of the story changed, not just the page around it or a time.
    pub text_changed: bool,
    /// Jaccard similarity of the two main texts' shingle sets, 0 to 1
    /// (1 when both have the same shingles, or neither has any text).
    pub similarity: f64,
}

/// Compares the body of the first archived snapshot with another one of
/// the same URL (both without content-encoding). `content_type` is the
/// `Content-Type` they were served with (its charset is used when a body
/// decodes in it without error; otherwise, and without one, each body's
/// BOM, `<meta charset>` or detection decides, so a GBK snapshot compares
/// with its UTF-8 twin under either's header).
pub fn compare(first: &[u8], now: &[u8], content_type: Option<&str>) -> Comparison {
    let raw_changed = Sha256::digest(first) != Sha256::digest(now);
    if !raw_changed {
        return Comparison {
            raw_changed,
            text_changed: false,
            similarity: 1.0,
        };
    }
    let a = tokens(&main_text(first, content_type));
    let b = tokens(&main_text(now, content_type));
    Comparison {
        raw_changed,
        text_changed: digest_of(&a) != digest_of(&b),
        similarity: jaccard(&shingles(&a), &shingles(&b)),
    }
}

/// The finding for a comparison: `unchanged` (info), `changed` (warning)
/// or `drifted` (error), with the similarity and both snapshot times, from
/// the `archive`.
pub fn drift_finding(cmp: &Comparison, first_at: Timestamp, this_at: Timestamp) -> Finding {
    let (first, this) = if first_at.date() == this_at.date() {
        (first_at.to_string(), this_at.to_string())
    } else {
        (first_at.date(), this_at.date())
    };
    let pct = percent(cmp.similarity);
    let mut finding = if !cmp.text_changed {
        let reason = if cmp.raw_changed {
            format!(
                "main text as first archived on {first}; only the page around it \
                 (ads, times, links) changed by {this}"
            )
        } else {
            format!("main text as first archived on {first}; the page is identical on {this}")
        };
        Finding::new(FindingKind::Unchanged, Severity::Info, reason)
    } else if cmp.similarity >= DRIFT_THRESHOLD {
        Finding::new(
            FindingKind::Changed,
            Severity::Warning,
            format!("main text edited since first archived on {first}: {pct} % similar on {this}"),
        )
    } else {
        Finding::new(
            FindingKind::Drifted,
            Severity::Error,
            format!(
                "main text no longer what was first archived on {first}: only {pct} % \
                 similar on {this} (drift below {} %)",
                percent(DRIFT_THRESHOLD)
            ),
        )
    };
    finding.similarity = Some(Score(cmp.similarity));
    finding.first_snapshot = Some(first_at);
    finding.this_snapshot = Some(this_at);
    finding.source = Some("archive".to_string());
    finding
}

/// A share as a whole percentage, never rounded up to 100 nor down to 0.
fn percent(share: f64) -> String {
    let p = (share * 100.0).clamp(0.0, 100.0);
    let shown = if p > 99.0 && p < 100.0 {
        99.0
    } else if p > 0.0 && p < 1.0 {
        1.0
    } else {
        p.round()
    };
    format!("{shown:.0}")
}

/// The hash of a main text as [`compare`] sees it: SHA-256 of its tokens
/// (lowercase words and CJK characters, one space between), numbers,
/// dates and times left out. Two texts that differ only in case,
/// punctuation, whitespace or a clock have the same digest.
pub fn text_digest(main_text: &str) -> Sha256Digest {
    digest_of(&tokens(main_text))
}

fn digest_of(tokens: &[String]) -> Sha256Digest {
    let mut h = Sha256::new();
    for (i, t) in tokens.iter().enumerate() {
        if i > 0 {
            h.update(b" ");
        }
        h.update(t.as_bytes());
    }
    Sha256Digest(h.finalize().into())
}

// ---------------------------------------------------------------------------
// Tokens, normalization, shingles

/// Chinese, Japanese kana and related scripts: written without spaces, so
/// each character is a token. (Hangul is written with spaces: words.)
fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF      // hiragana, katakana
        | 0x3400..=0x4DBF    // CJK extension A
        | 0x4E00..=0x9FFF    // CJK unified ideographs
        | 0xF900..=0xFAFF    // compatibility ideographs
        | 0x20000..=0x2FA1F) // extensions B–F, compatibility supplement
}

/// Words that, after a number, only say how long ago or when: dropped
/// with it ("3 hours ago", "10:32 am").
const TIME_WORDS: [&str; 27] = [
    "ago", "am", "pm", "gmt", "utc", "bst", "est", "edt", "cet", "cst", "pst", "second", "seconds",
    "sec", "secs", "minute", "minutes", "min", "mins", "hour", "hours", "hr", "hrs", "day", "days",
    "week", "weeks",
];

/// CJK characters that, after a number, only write a date or a time
/// (2024年5月1日, 3小时前, 10点).
const CJK_TIME: &str = "年月日号號时時分秒点點前天周週小钟鐘旬";

/// The main text's tokens for hashing and shingling: lowercase words
/// (letters and digits) and single CJK characters, punctuation dropped;
/// tokens that are numbers (`10`, `2024`, `１０`, `3pm`, `1st`) are left
/// out, and so are the time words and CJK date characters that follow
/// one, so that timestamps do not count.
fn tokens(text: &str) -> Vec<String> {
    let mut raw: Vec<String> = Vec::new();
    let mut word = String::new();
    for c in text.chars() {
        if is_cjk(c) {
            if !word.is_empty() {
                raw.push(std::mem::take(&mut word));
            }
            raw.push(c.to_string());
        } else if c.is_alphanumeric() {
            word.extend(c.to_lowercase());
        } else if !word.is_empty() {
            raw.push(std::mem::take(&mut word));
        }
    }
    if !word.is_empty() {
        raw.push(word);
    }
    let mut out = Vec::with_capacity(raw.len());
    let mut after_number = false;
    for t in raw {
        if is_number(&t) {
            after_number = true;
            continue;
        }
        if after_number && is_time_word(&t) {
            continue;
        }
        after_number = false;
        out.push(t);
    }
    out
}

/// A number, or a number with an ordinal or clock suffix (`1st`, `3pm`).
fn is_number(t: &str) -> bool {
    let rest = t.trim_start_matches(|c: char| c.is_numeric());
    rest.len() < t.len() && matches!(rest, "" | "st" | "nd" | "rd" | "th" | "am" | "pm" | "h")
}

fn is_time_word(t: &str) -> bool {
    TIME_WORDS.contains(&t) || (t.chars().count() == 1 && t.chars().all(|c| CJK_TIME.contains(c)))
}

/// The set of hashed token [`SHINGLE`]-grams (the whole token list when
/// it is shorter).
fn shingles(tokens: &[String]) -> HashSet<u64> {
    let k = SHINGLE.min(tokens.len());
    if k == 0 {
        return HashSet::new();
    }
    tokens
        .windows(k)
        .map(|w| {
            // FNV-1a: stable across builds and platforms, unlike std's.
            let mut h: u64 = 0xcbf2_9ce4_8422_2325;
            for t in w {
                for b in t.bytes().chain(std::iter::once(0xff)) {
                    h ^= u64::from(b);
                    h = h.wrapping_mul(0x0100_0000_01b3);
                }
            }
            h
        })
        .collect()
}

fn jaccard(a: &HashSet<u64>, b: &HashSet<u64>) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    let shared = a.intersection(b).count();
    let union = a.len() + b.len() - shared;
    shared as f64 / union as f64
}

// ---------------------------------------------------------------------------
// Decoding

/// A body as text, as `check` reads pages ([`page_text`]: the `charset`
/// of the Content-Type, else BOM, `<meta charset>` or detection), except
/// that a declared charset the bytes do not decode in is not trusted (the
/// header of one snapshot given for both, a site that changed encodings):
/// the body's own BOM, meta or detection decide then.
fn decode<'a>(body: &'a [u8], content_type: Option<&str>) -> Cow<'a, str> {
    let text = page_text(body, content_type);
    if content_type.is_some() && text.contains('\u{FFFD}') {
        Cow::Owned(crate::extract::decode_text(body))
    } else {
        text
    }
}

/// Cuts `text` to at most `max` bytes, at a character boundary.
fn cut(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

// ---------------------------------------------------------------------------
// Main text

/// The page's main text: the story without its page chrome (navigation,
/// "most read" boxes, ads, cookie banners, footers, bylines and times),
/// one line per block, whitespace collapsed within lines. See the module
/// documentation for the heuristic. A body that is not HTML is its text,
/// whitespace collapsed; an empty or unreadable page gives `""`.
pub fn main_text(body: &[u8], content_type: Option<&str>) -> String {
    let text = decode(body, content_type);
    let text = cut(&text, MAX_TEXT);
    let is_html = content_type.is_none_or(|ct| {
        let ct = ct.to_ascii_lowercase();
        ct.contains("html") || ct.contains("xml")
    }) && text.contains('<');
    if !is_html {
        let mut out = Lines::default();
        for line in text.lines() {
            out.push(line);
            out.newline();
        }
        return out.finish();
    }
    if nesting_cost(text) > MAX_NESTING_COST {
        // html5ever's tree builder is quadratic in nesting depth (each
        // start tag scans the open elements): for tag soup nested
        // thousands deep, fall back to `check`'s streaming reader, whose
        // visible text leaves out the same chrome tags and classes.
        return crate::check::read_page(body, content_type).text;
    }
    let html = scraper::Html::parse_document(text);
    Dom::new(&html).main_text()
}

/// Above this [`nesting_cost`], a page is not parsed into a DOM.
const MAX_NESTING_COST: u64 = 20_000_000;

/// An upper estimate of the tree builder's work: the sum, over start
/// tags, of the number of elements open at it (end tags close one; void
/// and self-closing tags none). A page nested 20 deep with 5,000 tags
/// costs 100,000; `<div>` nested 20,000 deep costs 200 million.
fn nesting_cost(text: &str) -> u64 {
    let bytes = text.as_bytes();
    let (mut depth, mut cost) = (0u64, 0u64);
    let mut at = 0;
    while let Some(found) = memchr::memchr(b'<', &bytes[at..]) {
        let start = at + found + 1;
        at = start;
        match bytes.get(start) {
            Some(b'/') => depth = depth.saturating_sub(1),
            Some(c) if c.is_ascii_alphabetic() => {
                let name_end = bytes[start..]
                    .iter()
                    .position(|c| !c.is_ascii_alphanumeric())
                    .map_or(bytes.len(), |n| start + n);
                let name = &text[start..name_end];
                let self_closing = memchr::memchr(b'>', &bytes[name_end..])
                    .is_some_and(|gt| gt > 0 && bytes[name_end + gt - 1] == b'/');
                if !self_closing && !VOID.iter().any(|v| v.eq_ignore_ascii_case(name)) {
                    depth += 1;
                    cost = cost.saturating_add(depth);
                }
            }
            _ => {}
        }
    }
    cost
}

/// A label that, as the first text of a box, says the box is chrome.
fn is_chrome_label(text: &str) -> bool {
    const LABELS: [&str; 50] = [
        "most read",
        "most popular",
        "most viewed",
        "most shared",
        "most commented",
        "popular",
        "popular now",
        "trending",
        "trending now",
        "recommended",
        "recommended for you",
        "you may also like",
        "you might also like",
        "more stories",
        "more from",
        "read more",
        "related",
        "related stories",
        "related articles",
        "related news",
        "related coverage",
        "advertisement",
        "advertising",
        "sponsored",
        "sponsored content",
        "promoted",
        "newsletter",
        "sign up",
        "share",
        "share this",
        "share this article",
        "comments",
        "热门",
        "热门排行",
        "热门新闻",
        "热门文章",
        "热点",
        "排行",
        "排行榜",
        "点击排行",
        "阅读排行",
        "最多阅读",
        "推荐",
        "推荐阅读",
        "相关",
        "相关新闻",
        "相关阅读",
        "相关文章",
        "广告",
        "延伸阅读",
    ];
    let t = text
        .trim()
        .trim_end_matches([':', '：', '›', '»', '>'])
        .trim()
        .to_lowercase();
    if t.is_empty() || t.chars().count() > 30 {
        return false;
    }
    // "24小时点击排行", "本周热门": a CJK label ends with its word.
    LABELS.contains(&t.as_str())
        || [
            "排行",
            "排行榜",
            "热门",
            "推荐",
            "相关新闻",
            "相关阅读",
            "广告",
        ]
        .iter()
        .any(|l| t.ends_with(l) && t.chars().count() <= 10)
}

/// Class or id tokens of chrome, beyond `extract`'s
/// ([`is_chrome_token`]): any `-`/`_` part, or the token run together.
fn is_drift_chrome_token(token: &str) -> bool {
    const PARTS: [&str; 49] = [
        "nav",
        "navbar",
        "navigation",
        "menu",
        "footer",
        "sidebar",
        "related",
        "recommend",
        "recommended",
        "recommendations",
        "popular",
        "trending",
        "hot",
        "rank",
        "ranking",
        "comment",
        "comments",
        "share",
        "sharing",
        "social",
        "ad",
        "ads",
        "adv",
        "advert",
        "adverts",
        "advertisement",
        "sponsor",
        "sponsored",
        "promo",
        "promoted",
        "cookie",
        "cookies",
        "consent",
        "newsletter",
        "subscribe",
        "signup",
        "breadcrumb",
        "breadcrumbs",
        "timestamp",
        "byline",
        "topbar",
        "outbrain",
        "taboola",
        "guanggao",
        "tuijian",
        "xiangguan",
        "remen",
        "paihang",
        "dfp",
    ];
    const RUN_TOGETHER: [&str; 8] = [
        "mostread",
        "mostpopular",
        "mostviewed",
        "mostshared",
        "mostcommented",
        "youmayalsolike",
        "readmore",
        "readnext",
    ];
    if is_chrome_token(token) {
        return true;
    }
    let t = token.to_ascii_lowercase();
    let together: String = t.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
    t.split(['-', '_', ':', '.'])
        .any(|part| PARTS.contains(&part))
        || RUN_TOGETHER.iter().any(|r| together.contains(r))
}

/// Tags whose content is never main text (besides `extract`'s chrome
/// tags): scripts, styles, the head, times and the like.
const DROP_TAGS: [&str; 11] = [
    "script", "style", "head", "title", "time", "textarea", "object", "canvas", "video", "audio",
    "map",
];

/// Inline elements: text in them belongs to the block around them.
const INLINE: [&str; 20] = [
    "a", "span", "strong", "em", "b", "i", "u", "font", "sup", "sub", "small", "mark", "abbr",
    "cite", "q", "code", "s", "del", "ins", "big",
];

/// Elements whose bare text, or whose `<p>` children's text, is
/// paragraph text of a story container.
const CONTAINERS: [&str; 9] = [
    "div",
    "section",
    "article",
    "main",
    "td",
    "blockquote",
    "body",
    "center",
    "font",
];

/// The parsed page flattened in document order, with what the heuristic
/// computes per node.
struct Dom<'a> {
    /// Element name (`""` for text and other nodes).
    name: Vec<&'a str>,
    /// Text of text nodes.
    text: Vec<Option<&'a str>>,
    parent: Vec<Option<usize>>,
    /// Nodes in the subtree, itself included (a subtree is the range
    /// `i..i + size[i]` in document order).
    size: Vec<usize>,
    /// Dropped as chrome, itself or through an ancestor.
    dropped: Vec<bool>,
}

impl<'a> Dom<'a> {
    fn new(html: &'a scraper::Html) -> Self {
        let nodes: Vec<_> = html.tree.root().descendants().collect();
        let n = nodes.len();
        let index: HashMap<_, usize> = nodes.iter().enumerate().map(|(i, n)| (n.id(), i)).collect();
        let mut dom = Dom {
            name: vec![""; n],
            text: vec![None; n],
            parent: vec![None; n],
            size: vec![1; n],
            dropped: vec![false; n],
        };
        // Chrome by markup alone (tag, role, class, id, hidden), inherited.
        let mut markup = vec![false; n];
        let mut in_article = vec![false; n];
        for (i, node) in nodes.iter().enumerate() {
            let parent = node.parent().and_then(|p| index.get(&p.id()).copied());
            dom.parent[i] = parent;
            let (up_chrome, up_article) =
                parent.map_or((false, false), |p| (markup[p], in_article[p]));
            if let Some(t) = node.value().as_text() {
                dom.text[i] = Some(&**t);
                markup[i] = up_chrome;
                continue;
            }
            let Some(el) = node.value().as_element() else {
                markup[i] = up_chrome;
                continue;
            };
            let name = el.name();
            dom.name[i] = name;
            in_article[i] = up_article || matches!(name, "article" | "main");
            markup[i] = up_chrome || is_markup_chrome(el, up_article);
        }
        // Bottom up: text length and first text of each subtree, chrome
        // by markup left out.
        let mut text_len = vec![0usize; n];
        let mut first_text: Vec<Option<usize>> = vec![None; n];
        for i in (0..n).rev() {
            if let Some(p) = dom.parent[i] {
                dom.size[p] += dom.size[i];
            }
            if markup[i] {
                continue;
            }
            if let Some(t) = dom.text[i] {
                let trimmed = t.trim();
                if !trimmed.is_empty() {
                    text_len[i] += trimmed.chars().count();
                    first_text[i] = Some(i);
                }
            }
            if let Some(p) = dom.parent[i] {
                text_len[p] = text_len[p].saturating_add(text_len[i]);
                if first_text[i].is_some() {
                    first_text[p] = first_text[i];
                }
            }
        }
        // Top down: boxes whose first text is a chrome label.
        for i in 0..n {
            let up = dom.parent[i].is_some_and(|p| dom.dropped[p]);
            let name = dom.name[i];
            let labelled = !name.is_empty()
                && !matches!(name, "html" | "body" | "article" | "main")
                && text_len[i] <= LABEL_BOX_CHARS
                && first_text[i]
                    .and_then(|t| dom.text[t])
                    .is_some_and(is_chrome_label);
            dom.dropped[i] = up || markup[i] || labelled;
        }
        dom
    }

    /// The first ancestor (or itself) that is not an inline element.
    fn block_of(&self, mut i: usize) -> Option<usize> {
        for _ in 0..32 {
            if !INLINE.contains(&self.name[i]) {
                return Some(i);
            }
            i = self.parent[i]?;
        }
        None
    }

    fn main_text(&self) -> String {
        let n = self.name.len();
        // Paragraph text credited to its container.
        let mut credit = vec![0usize; n];
        for i in 0..n {
            let Some(t) = self.text[i] else { continue };
            if self.dropped[i] {
                continue;
            }
            let len = t.trim().chars().count();
            if len == 0 {
                continue;
            }
            let Some(block) = self.parent[i].and_then(|p| self.block_of(p)) else {
                continue;
            };
            let container = if self.name[block] == "p" {
                self.parent[block]
            } else if CONTAINERS.contains(&self.name[block]) {
                Some(block)
            } else {
                None
            };
            if let Some(c) = container {
                credit[c] += len;
            }
        }
        let top = (0..n)
            .filter(|&i| credit[i] > 0)
            .max_by(|&a, &b| credit[a].cmp(&credit[b]).then(b.cmp(&a)));
        let roots = match top {
            None => (0..n)
                .find(|&i| self.name[i] == "body")
                .into_iter()
                .collect(),
            Some(top) => self.roots(top, &credit),
        };
        let mut out = Lines::default();
        // The headline, when the story's container leaves it out.
        if let Some(h1) = (0..n).find(|&i| self.name[i] == "h1" && !self.dropped[i]) {
            if !roots.iter().any(|&r| r <= h1 && h1 < r + self.size[r]) {
                self.read(h1, &mut out);
            }
        }
        for r in roots {
            self.read(r, &mut out);
        }
        out.finish()
    }

    /// The story's container(s): `top`'s nearest `<article>`/`<main>`, or
    /// `top` with its sibling blocks of comparable paragraph text.
    fn roots(&self, top: usize, credit: &[usize]) -> Vec<usize> {
        let mut up = Some(top);
        while let Some(i) = up {
            if matches!(self.name[i], "article" | "main") {
                return vec![i];
            }
            up = self.parent[i];
        }
        let Some(parent) = self.parent[top] else {
            return vec![top];
        };
        let end = parent + self.size[parent];
        let mut roots = Vec::new();
        let mut i = parent + 1;
        while i < end {
            if i == top || (credit[i] * 10 >= credit[top] * 3 && !self.dropped[i]) {
                roots.push(i);
            }
            i += self.size[i];
        }
        roots
    }

    /// Appends the text of the subtree at `root`, chrome skipped, a line
    /// per block.
    fn read(&self, root: usize, out: &mut Lines) {
        let end = root + self.size[root];
        let mut closes: Vec<usize> = Vec::new();
        let mut i = root;
        while i < end {
            while closes.last() == Some(&i) {
                closes.pop();
                out.newline();
            }
            if self.dropped[i] {
                i += self.size[i];
                continue;
            }
            if let Some(t) = self.text[i] {
                out.push(t);
            } else if is_block(self.name[i]) || self.name[i] == "figcaption" {
                out.newline();
                closes.push(i + self.size[i]);
            }
            i += 1;
        }
        out.newline();
    }
}

/// Whether an element is chrome by its markup: tag, role, hidden, class
/// or id.
fn is_markup_chrome(el: &scraper::node::Element, in_article: bool) -> bool {
    let name = el.name();
    if DROP_TAGS.contains(&name)
        || CHROME_TAGS.contains(&name)
        || (name == "header" && !in_article)
        || el.attr("hidden").is_some()
        || el.attr("aria-hidden") == Some("true")
    {
        return true;
    }
    if matches!(name, "html" | "body" | "article" | "main") {
        return false;
    }
    let role = el.attr("role").unwrap_or("");
    if CHROME_ROLES.iter().any(|r| role.eq_ignore_ascii_case(r)) {
        return true;
    }
    el.attr("class")
        .unwrap_or("")
        .split_ascii_whitespace()
        .chain(el.attr("id").map(str::trim).filter(|id| !id.is_empty()))
        .any(is_drift_chrome_token)
}

/// Text gathered a line at a time, whitespace collapsed.
#[derive(Default)]
struct Lines {
    out: String,
    line: String,
    space: bool,
}

impl Lines {
    fn push(&mut self, text: &str) {
        for c in text.chars() {
            if c.is_whitespace() {
                self.space = !self.line.is_empty();
            } else {
                if self.space {
                    self.line.push(' ');
                    self.space = false;
                }
                self.line.push(c);
            }
        }
    }

    fn newline(&mut self) {
        self.space = false;
        if self.line.is_empty() {
            return;
        }
        if !self.out.is_empty() {
            self.out.push('\n');
        }
        self.out.push_str(&self.line);
        self.line.clear();
    }

    fn finish(mut self) -> String {
        self.newline();
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_not_tokens() {
        assert_eq!(
            tokens("Updated 10:32 am, 3 hours ago — May 1st, 2024"),
            ["updated", "may"]
        );
        assert_eq!(
            tokens("更新于2024年5月1日 10:32，3小时前"),
            ["更", "新", "于"]
        );
        assert_eq!(tokens("G7 leaders"), ["g7", "leaders"]);
    }

    #[test]
    fn chrome_tokens_and_labels() {
        for t in [
            "most-read",
            "ad-slot",
            "inline_ad",
            "hot_news",
            "guanggao",
            "mostPopular",
        ] {
            assert!(is_drift_chrome_token(t), "{t}");
        }
        for t in [
            "article-body",
            "content",
            "header-image",
            "shadow",
            "loading",
            "lead",
        ] {
            assert!(!is_drift_chrome_token(t), "{t}");
        }
        assert!(is_chrome_label("Most read"));
        assert!(is_chrome_label("24小时点击排行"));
        assert!(!is_chrome_label("The minister said the plan was popular"));
    }

    #[test]
    fn percentages_never_round_to_the_ends() {
        assert_eq!(percent(0.996), "99");
        assert_eq!(percent(0.004), "1");
        assert_eq!(percent(0.5), "50");
    }

    #[test]
    fn nesting_cost_grows_with_depth_not_length() {
        let flat = "<p>a</p><br><img src=x/>".repeat(10_000);
        assert_eq!(nesting_cost(&flat), 10_000);
        assert_eq!(nesting_cost(&"<div>".repeat(100)), 5050);
        assert_eq!(nesting_cost("<a"), 1);
        assert_eq!(nesting_cost("a < b <"), 0);
    }
}
