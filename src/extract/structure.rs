//! From lines to items and citations: the citation rules shared by all input
//! formats.
//!
//! Markdown and HTML say where headings and lists are; plain text does not, so
//! for it (and for markup without headings) headlines are inferred: a short
//! line that does not read as a sentence, after a blank line, followed by a
//! body paragraph; or an ALL-CAPS line followed by body text.

use super::cite::{find_inline_citations, parse_attribution, Attribution};
use super::lines::{fold_whitespace, trim, Line, LineKind, Link, LinkKind};
use super::urls::{has_scheme_separator, WebUrl};
use crate::bytes::{packed_first_word, packed_word};
use crate::model::{Citation, CitedVia, Document, Format, Item};
use crate::outlets::OutletRegistry;
use regex::Regex;
use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap};
use std::sync::LazyLock;

static CHROME_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)^\s*(?:
            skip\ to\ (?:main\ )?content | leave\ a\ (?:comment|reply) | \d+\ comments? | no\ comments
          | filed\ under\b.* | posted\ in\b.* | tagged\b.* | category\ archives?\b.* | categories:.*
          | related\ categories:.* | tags?:.* | share(?:\ this(?:\ article)?)?:? | tweet | print | email
          | subscribe | want\ these\ sent\ to\ your\ inbox\?? | read\ more | advertisement
          | related\ (?:articles?|posts?|stories) | (?:previous|next)\ (?:post|article)\b.*
          | back\ to\ top | menu | search
        )\s*$",
    )
    .expect("valid chrome pattern")
});

/// `Source:` / `Sources:` / `来源：` at the start of a line, returning where
/// the text after the colon starts.
#[cfg(test)]
fn source_prefix(text: &str) -> Option<usize> {
    source_value(text.trim_start()).map(|value| text.len() - value.len())
}

/// `Source:` / `Sources:` / `来源：` opening a line whose leading whitespace
/// is trimmed: the text after the colon. Hand-written: it runs on every
/// line.
fn source_value(rest: &str) -> Option<&str> {
    const WORDS: [&str; 5] = ["source(s)", "sources", "source", "quelle", "fuente"];
    const CJK: [&str; 6] = ["资料来源", "資料來源", "来源", "來源", "出处", "出處"];
    // The first byte of every word above (来 來 出 资 資 start with E4–E8).
    if !matches!(
        rest.as_bytes().first(),
        Some(b's' | b'S' | b'q' | b'Q' | b'f' | b'F' | 0xE4..=0xE8)
    ) {
        return None;
    }
    let word = WORDS
        .iter()
        .find(|w| {
            rest.get(..w.len())
                .is_some_and(|head| head.eq_ignore_ascii_case(w))
        })
        .map(|w| w.len())
        .or_else(|| CJK.iter().find(|w| rest.starts_with(*w)).map(|w| w.len()))?;
    let after = &rest[word..];
    let after = after.trim_start();
    let after = after
        .strip_prefix(':')
        .or_else(|| after.strip_prefix('：'))?;
    Some(after.trim_start())
}

/// The words [`CHROME_RE`]'s phrases open with, as packed words
/// ([`crate::bytes::packed_word`]), each
/// in its [`chrome_slot`] (0 in the others): looking one up is one
/// comparison, for a test run on most lines.
const CHROME_FIRST_WORDS: [u128; 64] = {
    const WORDS: [&[u8]; 24] = [
        b"skip",
        b"leave",
        b"no",
        b"filed",
        b"posted",
        b"tagged",
        b"category",
        b"categories",
        b"related",
        b"tag",
        b"tags",
        b"share",
        b"tweet",
        b"print",
        b"email",
        b"subscribe",
        b"want",
        b"read",
        b"advertisement",
        b"previous",
        b"next",
        b"back",
        b"menu",
        b"search",
    ];
    let mut table = [0; 64];
    let mut i = 0;
    while i < WORDS.len() {
        let word = packed_word(WORDS[i]);
        let slot = chrome_slot(word);
        // Two words in one slot would not compile: pick another multiplier.
        assert!(table[slot] == 0, "chrome words share a slot");
        table[slot] = word;
        i += 1;
    }
    table
};

/// A packed word's slot in [`CHROME_FIRST_WORDS`]: a multiplicative
/// hash whose multiplier was chosen to give each chrome word its own slot.
const fn chrome_slot(word: u128) -> usize {
    const MULTIPLIER: u64 = 0xa195_80aa_b1f2_bbe7;
    let folded = (word as u64) ^ ((word >> 64) as u64);
    (folded.wrapping_mul(MULTIPLIER) >> 58) as usize
}

/// Whether `text` may be page chrome: its first word opens one of
/// [`CHROME_RE`]'s phrases. Rules out nearly every line before the
/// pattern runs (it runs on every line, several times).
fn may_be_chrome(t: &str) -> bool {
    let b = t.as_bytes();
    match b.first() {
        // `12 comments`
        Some(c) if c.is_ascii_digit() => {
            let rest = t.trim_start_matches(|c: char| c.is_ascii_digit());
            rest.get(..8)
                .is_some_and(|w| w.eq_ignore_ascii_case(" comment"))
        }
        Some(c) if c.is_ascii_alphabetic() => {
            let end = b
                .iter()
                .position(|c| !c.is_ascii_alphabetic())
                .unwrap_or(b.len());
            // The longest first word, "advertisement", has 13 letters.
            end <= 13 && {
                let word = packed_first_word(b, end);
                CHROME_FIRST_WORDS[chrome_slot(word)] == word
            }
        }
        // Beyond ASCII, only a digit (`\d` is any decimal digit) or a letter
        // that folds to an ASCII `s` can open a phrase; the pattern decides.
        Some(_) => t.chars().next().is_some_and(|c| c.is_numeric() || c == 'ſ'),
        None => false,
    }
}

/// A heading that titles a list of sources, not an item.
fn is_sources_heading(text: &str) -> bool {
    const NAMES: [&str; 14] = [
        "source",
        "sources",
        "references",
        "notes",
        "footnotes",
        "endnotes",
        "citations",
        "来源",
        "來源",
        "参考资料",
        "參考資料",
        "资料来源",
        "資料來源",
        "注释",
    ];
    let t = text.trim().trim_end_matches([':', '：']).trim();
    NAMES.iter().any(|n| n.eq_ignore_ascii_case(t))
}

/// Whether a text line is page chrome rather than content (lines are
/// asked through [`Facts::of`], which has trimmed their start already).
#[cfg(test)]
fn is_chrome_text(text: &str) -> bool {
    is_chrome_opening(text.trim_start())
}

/// [`is_chrome_text`] of a line without leading whitespace. The first word
/// is tested first ([`may_be_chrome`]), so the end of the line is trimmed
/// only for the few lines it lets through.
fn is_chrome_opening(opening: &str) -> bool {
    if !may_be_chrome(opening) {
        return false;
    }
    let t = opening.trim_end();
    t.len() < 200 && CHROME_RE.is_match(t)
}

/// What the rules ask of a line several times over (is it chrome, is it a
/// source line), worked out once per line: a plain-text digest's lines are
/// looked at by the headline, brief and citation rules in turn.
#[derive(Debug, Clone, Copy, Default)]
struct Facts {
    /// Page chrome ([`is_chrome_text`]).
    chrome: bool,
    /// On a `Source:` line, where the text after the colon starts
    /// ([`source_value`]). Four bytes, not eight: a large digest has one
    /// `Facts` per line, and a line of 4 GiB is no source line.
    source_at: Option<u32>,
}

impl Facts {
    fn of(text: &str) -> Facts {
        // Most lines open with a letter or digit: nothing to trim.
        let opening = match text.as_bytes().first() {
            Some(b) if b.is_ascii_alphanumeric() => text,
            _ => text.trim_start(),
        };
        if opening.is_empty() {
            return Facts::default();
        }
        Facts {
            chrome: is_chrome_opening(opening),
            source_at: source_value(opening)
                .and_then(|value| u32::try_from(text.len() - value.len()).ok()),
        }
    }

    /// On a `Source:` line, where the text after the colon starts.
    fn source(self) -> Option<usize> {
        self.source_at.map(|at| at as usize)
    }
}

/// Share buttons and similar links that are never citations.
pub fn is_chrome_url(url: &WebUrl) -> bool {
    let host = url.host_str().trim_start_matches("www.");
    let path = url.path();
    match host {
        "facebook.com" | "m.facebook.com" => {
            path.starts_with("/sharer") || path.starts_with("/share")
        }
        "twitter.com" | "x.com" => path.starts_with("/intent") || path.starts_with("/share"),
        "linkedin.com" => path.starts_with("/shareArticle") || path.starts_with("/sharing"),
        "reddit.com" => path.starts_with("/submit"),
        "pinterest.com" => path.starts_with("/pin/create"),
        "api.whatsapp.com" | "wa.me" => true,
        "t.me" | "telegram.me" => path.starts_with("/share"),
        "service.weibo.com" => path.starts_with("/share"),
        "getpocket.com" => path.starts_with("/save") || path.starts_with("/edit"),
        _ => false,
    }
}

/// Where a found citation goes once the document is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Dest {
    Item(usize),
    Document,
    /// A footnote definition: goes to the items that mark it.
    Endnote,
}

struct ItemDraft {
    title: String,
    line: u32,
    marks: BTreeSet<u32>,
}

struct Builder {
    items: Vec<ItemDraft>,
    current: Option<usize>,
    found: Vec<(Dest, Citation)>,
    /// A citation (index into `found`) whose URL may be on the next line.
    pending: Option<usize>,
    in_source_list: bool,
}

/// Builds the document from its lines.
pub fn build(
    source: String,
    format: Format,
    lines: &[Line],
    outlets: &OutletRegistry,
    markup_title: Option<String>,
) -> Document {
    let facts: Vec<Facts> = lines.iter().map(|l| Facts::of(&l.text)).collect();
    let (headline, skip) = find_headlines(lines, &facts, format);
    // Room for every citation at once: a large digest's would otherwise be
    // copied over and over as the list grows. Each link is at most one
    // (endnotes are copied later), each `Source:` line without one is one.
    let citations = lines.iter().map(|l| l.links.len()).sum::<usize>()
        + facts.iter().filter(|f| f.source_at.is_some()).count();
    let mut b = Builder {
        items: Vec::with_capacity(headline.iter().filter(|&&h| h).count()),
        current: None,
        found: Vec::with_capacity(citations),
        pending: None,
        in_source_list: false,
    };
    let mut first_content: Option<usize> = None;
    let mut title = None;
    for (i, line) in lines.iter().enumerate() {
        if skip[i] || line.is_blank() {
            continue;
        }
        if line.kind == LineKind::Heading && is_sources_heading(&line.text) {
            // "### Sources" opens the current item's source list.
            b.pending = None;
            b.in_source_list = true;
            first_content.get_or_insert(i);
            continue;
        }
        if headline[i] {
            b.pending = None;
            b.in_source_list = false;
            b.items.push(ItemDraft {
                title: fold_whitespace(&line.text),
                line: line.number,
                marks: BTreeSet::new(),
            });
            b.current = Some(b.items.len() - 1);
            // `## [Headline](source)`: the headline's own link cites its source.
            b.body(line);
        } else if line.kind == LineKind::Heading {
            // A heading with no body of its own (a page or section title).
            if title.is_none() && b.items.is_empty() {
                title = Some(fold_whitespace(&line.text));
            }
            b.pending = None;
            b.in_source_list = false;
            continue;
        } else {
            b.line(line, facts[i]);
        }
        first_content.get_or_insert(i);
    }

    // A lone headline opening a document that cites nothing is the document's
    // title, not an item (a "Links for January 9" page whose links are gone).
    if b.items.len() == 1 && b.found.is_empty() && first_content.is_some_and(|i| headline[i]) {
        let only = b.items.remove(0);
        title.get_or_insert(only.title);
    }
    // Else the markup's title, else a title-like line opening the document
    // before any item ("China Watch — Week of November 24").
    let title = title.or(markup_title).or_else(|| {
        let (opening, f) = lines
            .iter()
            .zip(&facts)
            .find(|(l, f)| !l.is_blank() && !f.chrome)?;
        let before_items = b.items.first().is_none_or(|i| opening.number < i.line);
        let plain = opening.kind == LineKind::Text && opening.links.is_empty();
        (plain && before_items && headline_shape(trim(&opening.text), *f))
            .then(|| fold_whitespace(&opening.text))
    });
    b.finish(source, format, title, outlets)
}

impl Builder {
    fn dest(&self) -> Dest {
        self.current.map_or(Dest::Document, Dest::Item)
    }

    fn push(&mut self, dest: Dest, citation: Citation) -> usize {
        self.found.push((dest, citation));
        self.found.len() - 1
    }

    fn line(&mut self, line: &Line, facts: Facts) {
        if facts.chrome && line.links.iter().all(|l| l.kind != LinkKind::Bare) {
            return;
        }
        if let Some(p) = self.pending.take() {
            if let Some(link) = sole_link(line) {
                let c = &mut self.found[p].1;
                c.url = Some(cited_url(&link.url, &mut c.warnings));
                c.line = link.line;
                return;
            }
        }
        if let LineKind::FootnoteDef(n) = line.kind {
            self.in_source_list = false;
            self.entry(line, 0, Some(n), CitedVia::Footnote, Dest::Endnote);
            return;
        }
        if let Some(rest) = facts.source() {
            if line.text[rest..].trim().is_empty() && !line.links.iter().any(|l| l.span.0 >= rest) {
                self.in_source_list = true;
            } else {
                self.in_source_list = false;
                self.source_line(line, rest);
            }
            return;
        }
        if self.in_source_list {
            if let Some((n, rest)) = ordinal(line) {
                self.entry(line, rest, Some(n), CitedVia::SourceList, self.dest());
                return;
            }
            let unnumbered_entry = matches!(line.kind, LineKind::ListItem(None))
                || sole_link(line).is_some()
                || parse_attribution(&line.text).is_some_and(|a| a.date.is_some());
            if unnumbered_entry {
                self.entry(line, 0, None, CitedVia::SourceList, self.dest());
                return;
            }
            self.in_source_list = false;
        }
        self.body(line);
    }

    /// `Source: …` with text after the colon: one citation per `;`-separated part.
    fn source_line(&mut self, line: &Line, rest: usize) {
        let dest = self.dest();
        let mut parts = Vec::new();
        let mut start = rest;
        for (i, sep) in line.text[rest..].match_indices([';', '；']) {
            parts.push((start, rest + i));
            start = rest + i + sep.len();
        }
        parts.push((start, line.text.len()));
        let single = parts.len() == 1;
        for (s, e) in parts {
            let links: Vec<&Link> = line
                .links
                .iter()
                .filter(|l| l.span.1 > s && l.span.0 < e.max(s + 1))
                .collect();
            let plain = line.text_outside_links(s, e);
            if links.is_empty() {
                let Some(a) = parse_attribution(&plain) else {
                    continue;
                };
                let idx = self.push(
                    dest,
                    citation(None, a, None, line.number, CitedVia::SourceLine),
                );
                if single {
                    self.pending = Some(idx);
                }
            } else {
                for link in links {
                    let a = attribution_for(link, &plain);
                    let c = citation(Some(link), a, None, link.line, CitedVia::SourceLine);
                    self.push(dest, c);
                }
            }
        }
    }

    /// An entry of a source list or a footnote definition.
    fn entry(&mut self, line: &Line, rest: usize, marker: Option<u32>, via: CitedVia, dest: Dest) {
        let links: Vec<&Link> = line.links.iter().filter(|l| l.span.0 >= rest).collect();
        let plain = line.text_outside_links(rest, line.text.len());
        if links.is_empty() {
            let a = parse_attribution(&plain).unwrap_or_default();
            let idx = self.push(dest, citation(None, a, marker, line.number, via));
            self.pending = Some(idx);
        } else {
            for link in links {
                let a = attribution_for(link, &plain);
                self.push(dest, citation(Some(link), a, marker, link.line, via));
            }
        }
    }

    /// Body text: links, bare URLs, inline "(Outlet, Date)" and footnote marks.
    fn body(&mut self, line: &Line) {
        let dest = self.dest();
        if let Some(cur) = self.current {
            let marks = &mut self.items[cur].marks;
            marks.extend(line.marks.iter().copied());
            for (n, start, end) in written_marks(&line.text) {
                let in_link = line
                    .links
                    .iter()
                    .any(|l| l.span.0 <= start && end <= l.span.1);
                if !in_link {
                    marks.insert(n);
                }
            }
        }
        let inline = find_inline_citations(&line.text);
        let mut inline = inline.into_iter().peekable();
        for link in &line.links {
            // Inline citations before this link keep document order.
            while let Some(ic) = inline.next_if(|ic| ic.start < link.span.0) {
                self.inline(line, dest, ic.start, ic.end, ic.attribution);
            }
            if is_chrome_url(&link.url) {
                continue;
            }
            let (via, a, marker) = match link.kind {
                LinkKind::Bare => (CitedVia::BareUrl, Attribution::default(), None),
                LinkKind::Autolink => (CitedVia::Link, Attribution::default(), None),
                LinkKind::Anchor => {
                    let a = parse_attribution(&link.text)
                        .filter(|a| a.outlet.is_some() && a.date.is_some())
                        .unwrap_or_default();
                    let marker = link
                        .text
                        .trim()
                        .trim_matches(['[', ']', '{', '}'])
                        .parse()
                        .ok();
                    (CitedVia::Link, a, marker)
                }
            };
            self.push(dest, citation(Some(link), a, marker, link.line, via));
        }
        for ic in inline {
            self.inline(line, dest, ic.start, ic.end, ic.attribution);
        }
    }

    fn inline(&mut self, line: &Line, dest: Dest, start: usize, end: usize, a: Attribution) {
        // "([Nikkei Asia, Nov 15, 2024](url))" is a link, not an unlinked citation.
        let overlaps = line
            .links
            .iter()
            .any(|l| l.span.0 < end && start < l.span.1);
        if !overlaps {
            self.push(dest, citation(None, a, None, line.number, CitedVia::Inline));
        }
    }

    fn finish(
        self,
        source: String,
        format: Format,
        title: Option<String>,
        outlets: &OutletRegistry,
    ) -> Document {
        let Builder {
            mut items, found, ..
        } = self;
        // Sized exactly: a digest can have many thousands of items.
        let mut per_item = vec![0usize; items.len()];
        for (dest, _) in &found {
            if let Dest::Item(i) = dest {
                per_item[*i] += 1;
            }
        }
        let mut doc_items: Vec<Item> = items
            .iter_mut()
            .zip(per_item)
            .map(|(d, n)| Item {
                // A headline is stored and printed: no password in it.
                title: without_credentials(std::mem::take(&mut d.title)),
                line: d.line,
                citations: Vec::with_capacity(n),
            })
            .collect();
        let mut outlet_ids = outlet_ids(&found, outlets).into_iter();
        let mut doc_citations = Vec::new();
        for (dest, mut c) in found {
            c.outlet_id = outlet_ids.next().flatten();
            match dest {
                Dest::Item(i) => doc_items[i].citations.push(c),
                Dest::Document => doc_citations.push(c),
                Dest::Endnote => {
                    let marker = c.marker;
                    let citing: Vec<usize> = items
                        .iter()
                        .enumerate()
                        .filter(|(_, d)| marker.is_some_and(|m| d.marks.contains(&m)))
                        .map(|(i, _)| i)
                        .collect();
                    match citing.split_last() {
                        None => doc_citations.push(c),
                        Some((&last, rest)) => {
                            for &i in rest {
                                doc_items[i].citations.push(c.clone());
                            }
                            doc_items[last].citations.push(c);
                        }
                    }
                }
            }
        }
        for item in &mut doc_items {
            item.citations.shrink_to_fit();
        }
        Document {
            source,
            format,
            title: title.map(without_credentials),
            items: doc_items,
            citations: doc_citations,
        }
    }
}

/// The `outlet_id` of each citation found. Each stated outlet and host is
/// resolved once: a digest cites the same few outlets over and over.
fn outlet_ids(found: &[(Dest, Citation)], outlets: &OutletRegistry) -> Vec<Option<String>> {
    type Key<'c> = (Option<&'c str>, Option<&'c str>);
    let mut resolved: HashMap<Key<'_>, Option<&str>, foldhash::fast::FixedState> =
        HashMap::default();
    found
        .iter()
        .map(|(_, c)| {
            let name = c.outlet.as_deref();
            let host = c.url.as_deref().and_then(serialized_host);
            let id = *resolved
                .entry((name, host))
                .or_insert_with(|| outlets.resolve(name, host).map(|o| o.id.as_str()));
            id.map(str::to_owned)
        })
        .collect()
}

use super::urls::strip_credentials_in_text;

/// `text` without the credentials of any URL written in it, reusing it
/// when there are none (as for nearly every headline).
fn without_credentials(text: String) -> String {
    match strip_credentials_in_text(&text) {
        Cow::Owned(stripped) => Some(stripped),
        Cow::Borrowed(_) => None,
    }
    .unwrap_or(text)
}

/// The host of a URL as `url::Url` writes it (`https://host:port/…`, no
/// credentials: [`cited_url`] removed them), without parsing it again:
/// what [`url::Url::host_str`] returns for it.
fn serialized_host(url: &str) -> Option<&str> {
    let b = url.as_bytes();
    // The scheme has no `:` of its own: the first one opens `://`.
    let colon = memchr::memchr(b':', b)?;
    let start = colon + 3;
    if b.get(colon + 1..start)? != b"//" {
        return None;
    }
    let end = b[start..]
        .iter()
        .position(|c| matches!(c, b'/' | b'?' | b'#'))
        .map_or(b.len(), |i| start + i);
    let authority = &b[start..end];
    let host_len = if authority.first() == Some(&b'[') {
        // An IPv6 address keeps its brackets.
        memchr::memchr(b']', authority)? + 1
    } else {
        memchr::memrchr(b':', authority).unwrap_or(authority.len())
    };
    (host_len > 0).then(|| &url[start..start + host_len])
}

fn citation(
    link: Option<&Link>,
    a: Attribution,
    marker: Option<u32>,
    line: u32,
    via: CitedVia,
) -> Citation {
    let mut warnings = Vec::new();
    let url = link.map(|l| cited_url(&l.url, &mut warnings));
    Citation {
        url,
        outlet: a.outlet,
        outlet_id: None,
        date: a.date,
        marker,
        line,
        via,
        check: None,
        archive: None,
        remote: None,
        findings: Vec::new(),
        warnings,
    }
}

/// A citation's URL as stored: without credentials (a [`WebUrl`] keeps
/// none), which are never checked, stored or printed; a warning says they
/// were removed.
fn cited_url(url: &WebUrl, warnings: &mut Vec<String>) -> String {
    let warning = super::urls::CREDENTIALS_REMOVED;
    if url.had_credentials() && !warnings.iter().any(|w| w == warning) {
        warnings.push(warning.to_string());
    }
    url.as_str().to_owned()
}

/// Outlet and date for a link in a source entry. The entry's own text
/// ("People's Daily, November 14, 2025 [link](…)") wins; the anchor text fills
/// in what it lacks ("Source: [Epoch Times](…), November 28, 2025").
fn attribution_for(link: &Link, plain: &str) -> Attribution {
    const GENERIC: [&str; 12] = [
        "link",
        "here",
        "read more",
        "source",
        "original",
        "full story",
        "article",
        "more",
        "read",
        "web",
        "url",
        "click here",
    ];
    let around = parse_attribution(plain).unwrap_or_default();
    let generic = GENERIC.contains(&link.text.trim().to_lowercase().as_str());
    let anchor = (link.kind == LinkKind::Anchor && !generic)
        .then(|| parse_attribution(&link.text))
        .flatten()
        .unwrap_or_default();
    Attribution {
        outlet: around.outlet.or(anchor.outlet),
        date: around.date.or(anchor.date),
    }
}

/// The single link a line consists of (the URL line under a `Source:` line).
/// Angle brackets around it and sentence punctuation after it do not count:
/// `https://hongkongfp.com/2025/11/19/story/.` is a URL line alone, the `.`
/// ending the sentence (`urls::find_urls` leaves it out of the URL).
fn sole_link<'l>(line: &'l Line<'_>) -> Option<&'l Link> {
    const AROUND: [char; 11] = ['<', '>', '.', ',', ';', ':', '!', '?', '。', '，', '；'];
    match line.links.as_slice() {
        [only] => {
            let before = line.text.get(..only.span.0)?;
            let after = line.text.get(only.span.1..)?;
            // Nothing around it, as on most URL lines: no trimming.
            let alone = (before.is_empty()
                || before.trim().trim_matches(['<', '>']).trim().is_empty())
                && (after.is_empty() || after.trim().trim_matches(AROUND).trim().is_empty());
            alone.then_some(only)
        }
        _ => None,
    }
}

/// The number of a numbered entry and where its text starts.
fn ordinal(line: &Line) -> Option<(u32, usize)> {
    if let LineKind::ListItem(Some(n)) = line.kind {
        return Some((n, 0));
    }
    written_ordinal(&line.text)
}

/// A number opening a line as entries are numbered in text — `1.`, `2)`,
/// `[3]`, `{4}`, one to three digits — and where the text after it starts.
fn written_ordinal(text: &str) -> Option<(u32, usize)> {
    let t = text.trim_start();
    let b = t.as_bytes();
    let (open, close) = match b.first()? {
        b'[' => (1, Some(b']')),
        b'{' => (1, Some(b'}')),
        _ => (0, None),
    };
    let len = b[open..].iter().take_while(|c| c.is_ascii_digit()).count();
    let after = open + len;
    let closed = match close {
        Some(c) => b.get(after) == Some(&c),
        None => matches!(b.get(after), Some(b'.' | b')')),
    };
    if !(1..=3).contains(&len) || !closed {
        return None;
    }
    let n = t[open..after].parse().ok()?;
    let rest = t[after + 1..].trim_start();
    Some((n, text.len() - rest.len()))
}

/// Footnote marks written in running text, `[3]` or `{12}` (one to three
/// digits): the number and the byte range of its digits.
fn written_marks(text: &str) -> impl Iterator<Item = (u32, usize, usize)> + '_ {
    let b = text.as_bytes();
    memchr::memchr2_iter(b'{', b'[', b).filter_map(move |open| {
        let close = if b[open] == b'{' { b'}' } else { b']' };
        let start = open + 1;
        let len = b[start..].iter().take_while(|c| c.is_ascii_digit()).count();
        let end = start + len;
        if !(1..=3).contains(&len) || b.get(end) != Some(&close) {
            return None;
        }
        Some((text[start..end].parse().ok()?, start, end))
    })
}

/// Marks which lines are item headlines, and which lines to skip (photo
/// captions between a headline and its body).
fn find_headlines(lines: &[Line], facts: &[Facts], format: Format) -> (Vec<bool>, Vec<bool>) {
    let mut headline = vec![false; lines.len()];
    let mut skip = vec![false; lines.len()];
    let has_headings = format != Format::Text && lines.iter().any(|l| l.kind == LineKind::Heading);
    let next_content = |from: usize| (from..lines.len()).find(|&j| !lines[j].is_blank());
    if has_headings {
        for (i, line) in lines.iter().enumerate() {
            if line.kind != LineKind::Heading
                || line.text.trim().is_empty()
                || is_sources_heading(&line.text)
            {
                continue;
            }
            // A heading directly followed by another heading titles a section.
            headline[i] = next_content(i + 1).is_some_and(|j| lines[j].kind != LineKind::Heading);
        }
        mark_source_blocks(lines, facts, &mut headline, &skip);
        return (headline, skip);
    }
    for (i, line) in lines.iter().enumerate() {
        if skip[i] || !matches!(line.kind, LineKind::Text | LineKind::Heading) {
            continue;
        }
        let t = trim(&line.text);
        if !line.links.is_empty() || !headline_shape(t, facts[i]) {
            continue;
        }
        let caps = is_all_caps(t);
        let after_blank = i == 0 || lines[i - 1].is_blank();
        if !(after_blank || caps) {
            continue;
        }
        let Some(j) = next_content(i + 1) else {
            continue;
        };
        if is_body(&lines[j], facts[j]) {
            headline[i] = true;
        } else if looks_like_caption(&lines[j].text)
            && next_content(j + 1).is_some_and(|k| is_body(&lines[k], facts[k]))
        {
            headline[i] = true;
            skip[j] = true;
        }
    }
    mark_source_blocks(lines, facts, &mut headline, &skip);
    (headline, skip)
}

/// A run of content lines closed by a source: from `lines[content[start]]`
/// up to the source line at `content[closer]`.
#[derive(Debug, Clone, Copy)]
struct Block {
    start: usize,
    closer: usize,
}

/// Briefs: digests of one-line items, "Headline" / one short sentence /
/// "Source: Outlet, Date" and its URL. The sentence is too short to read as
/// a body paragraph, so the rules of [`find_headlines`] find no headline and
/// every source would land on the item before. But a source that closes a
/// block of lines is strong evidence of where an item ends, and the line
/// that opens the block is its headline.
///
/// Only adds headlines to blocks that have none: a block holding an
/// inferred headline is left alone. A heading that opens a block keeps it,
/// unless the block next to it is a headline-less brief as well: then the
/// heading titles the briefs under it (`# China Brief`), it is not one.
fn mark_source_blocks(lines: &[Line], facts: &[Facts], headline: &mut [bool], skip: &[bool]) {
    let content: Vec<usize> = (0..lines.len())
        .filter(|&i| {
            let l = &lines[i];
            let chrome = l.links.is_empty() && facts[i].chrome;
            !(skip[i] || l.is_blank() || chrome)
        })
        .collect();
    let mut blocks = Vec::new();
    let mut start = 0;
    let mut k = 0;
    while k < content.len() {
        match source_end(lines, facts, &content, k) {
            Some(end) => {
                blocks.push(Block { start, closer: k });
                start = end + 1;
                k = end + 1;
            }
            None => k += 1,
        }
    }
    if blocks.is_empty() {
        return;
    }
    // What each block says: its brief headline, if it is one, and the
    // heading it opens with.
    let briefs: Vec<(Option<usize>, Option<usize>)> = blocks
        .iter()
        .map(|b| {
            let lead = &content[b.start..b.closer];
            if lead
                .iter()
                .any(|&i| headline[i] && lines[i].kind != LineKind::Heading)
            {
                return (None, None);
            }
            let heading = lead
                .iter()
                .rposition(|&i| lines[i].kind == LineKind::Heading);
            let after = heading.map_or(lead, |h| &lead[h + 1..]);
            (
                brief_headline(lines, facts, after),
                heading.map(|h| lead[h]),
            )
        })
        .collect();
    // Whether the block before was a brief: then a heading over the next
    // one names a section of briefs, even one holding a single brief.
    let mut after_brief = false;
    for (n, &(brief, heading)) in briefs.iter().enumerate() {
        let Some(brief) = brief else {
            after_brief = false;
            continue;
        };
        match heading {
            Some(h) if headline[h] => {
                let next_is_brief = briefs
                    .get(n + 1)
                    .is_some_and(|&(b, h)| b.is_some() && h.is_none());
                if next_is_brief || after_brief {
                    headline[h] = false;
                    headline[brief] = true;
                }
            }
            _ => headline[brief] = true,
        }
        after_brief = headline[brief];
    }
}

/// The headline of a brief, given the lines of its block before the source:
/// the line that opens it. Title lines may stand before it (the digest's
/// own title above the first brief, a section name): of the headline-like
/// lines the block opens with, the one the sentence follows.
fn brief_headline(lines: &[Line], facts: &[Facts], lead: &[usize]) -> Option<usize> {
    let headline_like =
        |i: usize| lines[i].links.is_empty() && headline_shape(trim(&lines[i].text), facts[i]);
    let candidate = |i: usize| lines[i].kind == LineKind::Text && headline_like(i);
    // `<li><b>Headline</b><br>sentence<br>Source: …</li>`: a brief that is
    // one list item, its lines after the first continuing it.
    if let [first, rest @ ..] = lead {
        let l = &lines[*first];
        let one_item = !rest.is_empty() && rest.iter().all(|&i| lines[i].kind == LineKind::Text);
        if l.kind == LineKind::ListItem(None) && one_item && headline_like(*first) {
            return Some(*first);
        }
    }
    let run = lead.iter().take_while(|&&i| candidate(i)).count();
    match run {
        0 => None,
        // No sentence (or one that does not end like one): the opening line.
        _ if run == lead.len() => Some(lead[0]),
        _ => Some(lead[run - 1]),
    }
}

/// When `content[k]` is a source (a `Source:` line with its citation, or a
/// list of sources under `Sources:`), where it ends in `content`: at its URL
/// line if the URL stands alone under it, at the last entry of a list.
fn source_end(lines: &[Line], facts: &[Facts], content: &[usize], k: usize) -> Option<usize> {
    let line = &lines[content[k]];
    let header = if line.kind == LineKind::Heading {
        if !is_sources_heading(&line.text) {
            return None;
        }
        true
    } else {
        let rest = facts[content[k]].source()?;
        let cited = !line.text[rest..].trim().is_empty();
        let linked = line.links.iter().any(|l| l.span.0 >= rest);
        if cited && !linked {
            // `Source: Outlet, Date` with the URL on the next line.
            let url_below = content
                .get(k + 1)
                .is_some_and(|&j| sole_link(&lines[j]).is_some());
            return Some(if url_below { k + 1 } else { k });
        }
        !cited && !linked
    };
    if !header {
        return Some(k);
    }
    // A list of sources: numbered or bulleted entries, URL lines, "Outlet, Date".
    let mut end = k;
    for (j, &i) in content.iter().enumerate().skip(k + 1) {
        let l = &lines[i];
        let entry = ordinal(l).is_some()
            || matches!(l.kind, LineKind::ListItem(None))
            || sole_link(l).is_some()
            || (facts[i].source_at.is_none()
                && parse_attribution(&l.text).is_some_and(|a| a.date.is_some()));
        if !entry {
            break;
        }
        end = j;
    }
    Some(end)
}

/// Short, not a sentence, not a list entry, not a source line, not chrome.
#[cfg(test)]
fn looks_like_headline(t: &str) -> bool {
    headline_shape(t, Facts::of(t))
}

/// [`looks_like_headline`] for a line whose [`Facts`] are known. Cheap
/// tests first: this runs on most lines of a plain-text document.
fn headline_shape(t: &str, facts: Facts) -> bool {
    if t.len() > 180 * 4 || t.len() < 3 || facts.chrome || facts.source_at.is_some() {
        return false;
    }
    // "...AS CHINESE HACKERS TARGET": a headline continuing the one before.
    let Some(first) = t.trim_start_matches(['.', '…']).chars().next() else {
        return false;
    };
    let first_ok = first.is_uppercase()
        || first.is_ascii_digit()
        || matches!(first, '“' | '"' | '‘' | '\'' | '«' | '「')
        || (first.is_alphabetic() && !first.is_lowercase());
    if !first_ok {
        return false;
    }
    // 12 to 180 bytes are 3 to 180 characters: only count outside that.
    if !(12..=180).contains(&t.len()) && !(3..=180).contains(&char_count_to(t, 180)) {
        return false;
    }
    let ellipsis = t.ends_with("...") || t.ends_with('…');
    let sentence_end = t.ends_with(['.', ',', ';', ':', '，', '。', '：', '；']);
    if (sentence_end && !ellipsis && !is_all_caps(t)) || has_scheme_separator(t) {
        return false;
    }
    let two_words = t.split_whitespace().nth(1).is_some();
    if !two_words && t.chars().filter(|c| is_cjk(*c)).nth(3).is_none() {
        return false;
    }
    let numbered = first.is_ascii_digit() || t.starts_with(['[', '{']);
    !(numbered && written_ordinal(t).is_some())
}

/// The number of characters in `t`, without decoding ASCII.
fn char_count(t: &str) -> usize {
    if t.is_ascii() {
        t.len()
    } else {
        t.chars().count()
    }
}

/// [`char_count`], or any number above `n` once it is known to be: a long
/// paragraph's first 4n/3 bytes nearly always hold more than n characters,
/// and the rest is not counted.
fn char_count_to(t: &str, n: usize) -> usize {
    // More than `n` ASCII bytes first: more than `n` characters.
    if t.as_bytes().get(..=n).is_some_and(<[u8]>::is_ascii) {
        return n + 1;
    }
    let mut head = (n + n / 3 + 1).min(t.len());
    while !t.is_char_boundary(head) {
        head -= 1;
    }
    let in_head = char_count(&t[..head]);
    if in_head > n || head == t.len() {
        return in_head;
    }
    in_head + char_count(&t[head..])
}

/// At least 8 capitals and at most one lowercase letter per ten capitals.
/// Stops as soon as the lowercase letters seen rule it out, which is early
/// on every line of prose.
fn is_all_caps(t: &str) -> bool {
    let (mut upper, mut lower) = (0usize, 0usize);
    // Every character left could still be a capital: at most this many more.
    let hopeless = |upper: usize, lower: usize, left: usize| lower * 10 > upper + left;
    let bytes = t.as_bytes();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        // ASCII is tested as bytes, even in a line that is not all ASCII.
        let (is_upper, is_lower, len) = if b.is_ascii() {
            (b.is_ascii_uppercase(), b.is_ascii_lowercase(), 1)
        } else {
            match t.get(i..).and_then(|rest| rest.chars().next()) {
                Some(c) => (c.is_uppercase(), c.is_lowercase(), c.len_utf8()),
                None => return false,
            }
        };
        upper += usize::from(is_upper);
        lower += usize::from(is_lower);
        i += len;
        if hopeless(upper, lower, t.len() - i) {
            return false;
        }
    }
    upper >= 8 && lower * 10 <= upper && t.split_whitespace().nth(1).is_some()
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF)
}

/// A body paragraph: prose that reads as sentences.
fn is_body(line: &Line, facts: Facts) -> bool {
    if !matches!(line.kind, LineKind::Text) || facts.source_at.is_some() || facts.chrome {
        return false;
    }
    let t = trim(&line.text);
    if sole_link(line).is_some() {
        return false;
    }
    if t.len() > 180 * 4 {
        return true;
    }
    let chars = char_count(t);
    if chars > 180 {
        return true;
    }
    let ends_sentence = t.ends_with([
        '.', '!', '?', ':', '"', '”', '’', ')', '。', '！', '？', '…',
    ]);
    // Short prose in Chinese or Japanese: 20 characters are a sentence.
    ends_sentence && (chars >= 40 || t.chars().filter(|c| is_cjk(*c)).nth(19).is_some())
}

/// A photo caption or credit line.
fn looks_like_caption(t: &str) -> bool {
    let lower = t.to_lowercase();
    const WORDS: [&str; 10] = [
        "photo",
        "credit",
        "screenshot",
        "image",
        "©",
        "copyright",
        "courtesy",
        "illustration",
        "getty",
        "file picture",
    ];
    t.chars().count() <= 400 && WORDS.iter().any(|w| lower.contains(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headline_shapes() {
        assert!(looks_like_headline(
            "Dutch Chipmaker Nexperia Urges China Unit to Resume Operations"
        ));
        assert!(looks_like_headline(
            "PRC HACKS TELECOM DATA OF SENIOR U.S. OFFICIALS, CAMPAIGN STAFF..."
        ));
        assert!(!looks_like_headline("Background:"));
        assert!(!looks_like_headline("November 14, 17, and 19:"));
        assert!(!looks_like_headline("Skip to content"));
        assert!(!looks_like_headline("Leave a comment"));
        assert!(!looks_like_headline("1. Epoch Times, November 14, 2025"));
        assert!(!looks_like_headline(
            "Source: Epoch Times, November 28, 2025"
        ));
        assert!(!looks_like_headline(
            "lowercase start is a sentence fragment"
        ));
        assert!(!looks_like_headline("This is a sentence that ends."));
    }

    #[test]
    fn url_line_alone_despite_trailing_punctuation() {
        let lines = super::super::text::read(
            "https://hongkongfp.com/2025/11/19/story/.\n<https://a.example/x>\nhttps://a.example/y;\nhttps://a.example/z see\nhttps://a.example/1. https://a.example/2",
        );
        let alone: Vec<bool> = lines.iter().map(|l| sole_link(l).is_some()).collect();
        assert_eq!(alone, [true, true, true, false, false]);
        let url = sole_link(&lines[0]).map(|l| l.url.as_str());
        assert_eq!(url, Some("https://hongkongfp.com/2025/11/19/story/"));
    }

    #[test]
    fn chrome_lines() {
        for t in [
            "Skip to content",
            "Leave a comment",
            "1 Comment",
            "2 Comments",
            "Filed under Technology",
            "Category Archives: Technology",
            "Subscribe",
        ] {
            assert!(is_chrome_text(t), "{t}");
        }
        assert!(!is_chrome_text(
            "Filing season opens for Chinese exporters as tariffs bite"
        ));
    }

    #[test]
    fn share_links_are_chrome() {
        let u = |s: &str| crate::extract::urls::parse_web_url(s).unwrap();
        assert!(is_chrome_url(&u(
            "https://www.facebook.com/sharer/sharer.php?u=x"
        )));
        assert!(is_chrome_url(&u("https://twitter.com/intent/tweet?url=x")));
        assert!(!is_chrome_url(&u("https://twitter.com/someone/status/1")));
    }

    /// Lines to hold the hand-written scanners against the patterns they
    /// replaced: sources, numbered entries, marks, chrome, with spacing,
    /// case, full-width colons, non-ASCII digits and near misses.
    fn scanner_lines() -> Vec<String> {
        let heads = [
            "Source",
            "SOURCES",
            "source(s)",
            "Quelle",
            "fuente",
            "来源",
            "來源",
            "出处",
            "资料来源",
            "資料來源",
            "Sourcing",
            "Resource",
            "Sources ",
            " \u{3000}source",
            "1.",
            "2)",
            "[3]",
            "{45}",
            "1234.",
            "١.",
            "[12",
            "{7]",
            "12 comments",
            "1 Comment",
            "Filed under",
            "Tags:",
            "tagged",
            "Taggedness",
            "ſhare",
            "Share this article",
            "• Share",
            "no comments",
            "Related stories",
            "Menu",
            "Search",
            "Read more",
            "Word [1] and {2} and [1234] and [x]",
            "Advertisement",
            "SUBSCRIBE",
            "Previous post",
            "Next article about trade",
            "Back to top",
            "Email",
            "Print",
            "Tweet",
            "Leave a comment",
            "Skip to main content",
            "Posted in China",
            "Category archives",
            "Categories",
            "Want these sent to your inbox?",
            "Related posts",
            "Emailed",
            "Menus",
            "Backing",
            "Nobody",
            "",
        ];
        let tails = [
            "",
            ":",
            " :",
            "：",
            ": x",
            "：　RFA",
            " text",
            ":\tEpoch Times, Nov 1",
        ];
        heads
            .iter()
            .flat_map(|h| tails.iter().map(move |t| format!("{h}{t}")))
            .collect()
    }

    #[test]
    fn hand_written_scanners_agree_with_the_patterns() {
        let source = Regex::new(
            r"^\s*(?i:sources?|source\(s\)|quelle|fuente|来源|來源|出处|出處|资料来源|資料來源)\s*[:：]\s*",
        )
        .unwrap();
        let ordinal = Regex::new(r"^\s*(?:(\d{1,3})[.)]|\[(\d{1,3})\]|\{(\d{1,3})\})\s*").unwrap();
        let mark = Regex::new(r"\{(\d{1,3})\}|\[(\d{1,3})\]").unwrap();
        for line in scanner_lines() {
            let l = line.as_str();
            assert_eq!(source_prefix(l), source.find(l).map(|m| m.end()), "{l:?}");
            let by_pattern = ordinal.captures(l).and_then(|c| {
                let n = c.get(1).or(c.get(2)).or(c.get(3))?;
                Some((n.as_str().parse().ok()?, c.get(0)?.end()))
            });
            assert_eq!(written_ordinal(l), by_pattern, "{l:?}");
            let marks: Vec<_> = mark
                .captures_iter(l)
                .filter_map(|c| {
                    let m = c.get(1).or(c.get(2))?;
                    Some((m.as_str().parse().ok()?, m.start(), m.end()))
                })
                .collect();
            assert_eq!(written_marks(l).collect::<Vec<_>>(), marks, "{l:?}");
            let chrome = !l.trim().is_empty() && l.trim().len() < 200;
            assert_eq!(
                is_chrome_text(l),
                chrome && CHROME_RE.is_match(l.trim()),
                "{l:?}"
            );
            assert_eq!(Facts::of(l).chrome, is_chrome_text(l), "{l:?}");
        }
    }

    #[test]
    fn all_caps_stops_early_but_counts_the_same() {
        for (t, caps) in [
            ("CHINA WARNS TAIWAN OVER ARMS SALE", true),
            ("CHINA WARNS TAIWAN OVER ARMS SALe", true),
            ("China warns Taiwan over arms sale", false),
            ("ABCDEFGH", false),
            ("ABC DEFGH", true),
            ("中国 CHINA WARNS TAIWAN", true),
            ("ÉTATS-UNIS ET CHINE", true),
        ] {
            assert_eq!(is_all_caps(t), caps, "{t}");
        }
        // The same answer as counting every character.
        let counted = |t: &str| {
            let upper = t.chars().filter(|c| c.is_uppercase()).count();
            let lower = t.chars().filter(|c| c.is_lowercase()).count();
            upper >= 8 && lower * 10 <= upper && t.split_whitespace().nth(1).is_some()
        };
        for t in [
            "XI’S CHINA WARNS TAIWAN",
            "Xi’s CHINA WARNS TAIWAN AGAIN",
            "ÉTATS-UNIS ET LA CHINE: ΔΙΆΛΟΓΟΣ",
            "ÉTATS-UNIS et la Chine",
            "“CHINA WARNS TAIWAN”",
            "中国警告台湾 CHINA",
            "ǅUNGLA WARNS TAIWAN ABOUT",
        ] {
            assert_eq!(is_all_caps(t), counted(t), "{t}");
        }
    }

    #[test]
    fn serialized_host_is_what_url_says() {
        for raw in [
            "https://www.example.com/a/b?c#d",
            "http://example.com",
            "https://example.com:8443/x",
            "http://[::1]:8080/x",
            "http://[2001:db8::1]/",
            "https://xn--fiqs8s.example/路径",
            "ftp://files.example.org/pub/",
            "https://127.0.0.1/?q=a:b",
            "https://example.com#frag:1",
        ] {
            let url = url::Url::parse(raw).unwrap();
            assert_eq!(serialized_host(url.as_str()), url.host_str(), "{raw}");
        }
    }

    #[test]
    fn titles_fold_whitespace_with_or_without_the_shortcut() {
        for t in [
            "China Weighs New Export Curbs",
            " China  Weighs\tNew Export Curbs ",
            "China\u{3000}Weighs 中国 出口",
            "China\u{a0}Weighs",
            "China’s \u{2003}Curbs",
            "\u{3000}China’s Curbs",
            "China’s Curbs\u{85}",
            "China’s  Curbs",
            "China’s Curbs",
            "",
            "  ",
        ] {
            let want = t.split_whitespace().collect::<Vec<_>>().join(" ");
            assert_eq!(fold_whitespace(t), want, "{t:?}");
        }
    }

    #[test]
    fn counting_characters_stops_only_above_the_limit() {
        let mut rng = fastrand::Rng::with_seed(5);
        let pieces = ["a", " ", "é", "中", "\u{1F600}", "’"];
        for _ in 0..2_000 {
            // ASCII alone (the first two pieces) half of the time.
            let kinds = if rng.bool() { 2 } else { pieces.len() };
            let t: String = (0..rng.usize(0..400))
                .map(|_| pieces[rng.usize(..kinds)])
                .collect();
            let n = rng.usize(0..200);
            let (all, counted) = (char_count(&t), char_count_to(&t, n));
            assert_eq!(all > n, counted > n, "{t:?} {n}");
            if all <= n {
                assert_eq!(counted, all, "{t:?} {n}");
            }
        }
    }

    #[test]
    fn blank_lines_are_whitespace_alone() {
        for (t, blank) in [
            ("", true),
            (" \t", true),
            ("\u{3000}\u{a0}", true),
            ("\u{b}x", false),
            ("x", false),
            (" x", false),
            ("中", false),
        ] {
            let mut line = Line::new(1, LineKind::Text);
            line.text = std::borrow::Cow::Borrowed(t);
            assert_eq!(line.is_blank(), blank, "{t:?}");
        }
    }
}
