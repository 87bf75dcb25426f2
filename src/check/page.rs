//! Reading a fetched body as a page: charset, title, headings, and whether
//! it reads as an error page or a bot challenge.
//!
//! A body is read in one streaming pass and costs about its own size once
//! more, whatever its markup: a UTF-8 body is borrowed, not copied; the text
//! is fed to html5ever's tokenizer in pieces; and what is kept is the
//! visible text (never longer than the body), the title, and the first few
//! headings. No record per line or per element is built (a 20 MiB page of
//! `<p>x</p>` used to become 2.6 million line records and peak at 600 MB),
//! and open elements are tracked to a bounded depth.
//!
//! What counts as visible, where lines break and what is a heading is the
//! reading `extract` does for HTML digests; the tests check that the two
//! agree.

use super::phrases::{saying, Says};
use crate::extract::decode_text;
use crate::extract::urls::parse_http_like;
use crate::extract::{
    attr, has_main_content, is_block, is_chrome_token, tokenize, CHROME_ROLES, CHROME_TAGS, VOID,
};
use encoding_rs::Encoding;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{Tag, TagKind, Token, TokenSink, TokenSinkResult};
use html5ever::LocalName;
use std::borrow::Cow;
use std::cell::RefCell;
use url::Url;

/// Headings kept in [`Page::headings`] (phrases are looked for in all).
const MAX_HEADINGS: usize = 64;
/// Characters kept of each heading in [`Page::headings`].
const MAX_HEADING_CHARS: usize = 1024;
/// Open elements tracked; deeper ones (only in broken or hostile markup) are
/// read as text of their parent. Chromium's parser caps its tree there too.
const MAX_DEPTH: usize = 512;
/// Bytes of text handed to the tokenizer at a time.
const PIECE: usize = 64 * 1024;

/// What a body says, as far as classification needs.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Page {
    pub title: Option<String>,
    /// The first headings of the page (h1–h6): at most 64, each cut at
    /// 1,024 characters. Error phrases are looked for in every heading.
    pub headings: Vec<String>,
    /// Visible text, whitespace collapsed.
    pub text: String,
    /// Where `<meta http-equiv="refresh">` sends the reader, as written.
    pub meta_refresh: Option<String>,
    /// Where an inline script sends the reader (`location.href = "…"`,
    /// `location.replace("…")`), as written.
    pub script_redirect: Option<String>,
    /// A Next.js page whose own data says it is the 404 or error page.
    pub next_error: bool,
    /// What marks the page as a dated article, if anything does:
    /// `og:type` article, `article:published_time`, JSON-LD `NewsArticle`…
    pub article_meta: Option<&'static str>,
    /// Per kind of phrase, the first heading (in document order) holding
    /// one: the phrase and how much of the heading it is.
    heading_hits: Vec<Hit>,
    /// Per kind of phrase, the first short line that is mostly one.
    notice_hits: Vec<Hit>,
}

/// A phrase found in a place, and how much of that place it is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hit {
    /// What the phrase says.
    pub says: Says,
    /// The phrase.
    pub phrase: &'static str,
    /// Share (0–1) of the place's letters and digits the phrases of this
    /// kind cover, in the best segment of it (titles say "Page not found |
    /// Site": the segment is what counts).
    pub coverage: f32,
    /// Found in the page's first heading.
    pub first: bool,
}

/// Inline scripts whose content is evidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Script {
    NextData,
    JsonLd,
    Inline,
}

/// Bytes of one script kept for reading.
const MAX_SCRIPT: usize = 256 * 1024;

/// Decodes a body: the `charset` of the Content-Type header, else the
/// document's own BOM / `<meta charset>` / detection (GBK, Big5, Shift_JIS…).
pub fn read_page(body: &[u8], content_type: Option<&str>) -> Page {
    let text = page_text(body, content_type);
    let is_html = content_type.is_none_or(|ct| ct.contains("html") || ct.contains("xml"))
        && (text.contains('<') || content_type.is_some_and(|ct| ct.contains("html")));
    if !is_html {
        let mut page = Page::default();
        push_collapsed(&mut page.text, &mut false, &text);
        return page;
    }
    read_html(&text, PIECE)
}

/// A body as text: the `charset` of the Content-Type header, else the
/// document's own BOM / `<meta charset>` / detection.
pub(crate) fn page_text<'a>(body: &'a [u8], content_type: Option<&str>) -> Cow<'a, str> {
    let declared = content_type
        .and_then(|ct| {
            ct.split(';').find_map(|p| {
                p.trim()
                    .strip_prefix("charset=")
                    .or_else(|| p.trim().strip_prefix("CHARSET="))
            })
        })
        .and_then(|label| Encoding::for_label(label.trim_matches('"').as_bytes()));
    match declared {
        Some(enc) => enc.decode_with_bom_removal(body).0,
        None => decode(body),
    }
}

/// [`decode_text`], without copying a UTF-8 body (most pages are): with no
/// BOM, valid UTF-8 reads as itself there too.
fn decode(body: &[u8]) -> Cow<'_, str> {
    if Encoding::for_bom(body).is_none() {
        if let Ok(text) = std::str::from_utf8(body) {
            return Cow::Borrowed(text);
        }
    }
    Cow::Owned(decode_text(body))
}

/// Appends `piece` to `out` with whitespace collapsed to single spaces and
/// none at either end; `pending` carries a space across pieces.
fn push_collapsed(out: &mut String, pending: &mut bool, piece: &str) {
    for c in piece.chars() {
        if c.is_whitespace() {
            *pending = !out.is_empty();
        } else {
            if *pending {
                out.push(' ');
                *pending = false;
            }
            out.push(c);
        }
    }
}

/// Reads an HTML page, handing the tokenizer `piece` bytes at a time.
fn read_html(text: &str, piece: usize) -> Page {
    let sink = Sink(RefCell::new(Reader::new(has_main_content(text))));
    let mut reader = tokenize(sink, text, piece).0.into_inner();
    reader.flush();
    reader.page.title = Some(reader.title).filter(|t| !t.is_empty());
    reader.page
}

struct Sink(RefCell<Reader>);

impl TokenSink for Sink {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let mut r = self.0.borrow_mut();
        match token {
            Token::TagToken(tag) => match tag.kind {
                TagKind::StartTag => r.start(&tag),
                TagKind::EndTag => {
                    r.end(&tag.name);
                    TokenSinkResult::Continue
                }
            },
            Token::CharacterTokens(t) => {
                r.chars(&t);
                TokenSinkResult::Continue
            }
            _ => TokenSinkResult::Continue,
        }
    }
}

#[derive(Clone, Copy, Default)]
struct Flags {
    chrome: bool,
    main: bool,
    hidden: bool,
    heading: bool,
    list: bool,
}

struct Open {
    name: LocalName,
    flags: Flags,
}

#[derive(Default)]
struct Depths {
    chrome: usize,
    main: usize,
    hidden: usize,
    heading: usize,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Text,
    Heading,
    /// A list item or footnote: never a heading.
    Item,
}

/// The line being read. Its text is written straight into the page's text.
struct Line {
    kind: Kind,
    /// Where its text starts in the page's text, once it has any.
    start: Option<usize>,
    /// Whether it holds a link to a source (so it counts even when empty).
    link: bool,
}

struct Reader {
    has_main: bool,
    stack: Vec<Open>,
    depth: Depths,
    line: Option<Line>,
    space_pending: bool,
    /// An open `<a>`, with its URL when it points to a source.
    link: Option<Option<Url>>,
    base: Option<Url>,
    title: String,
    title_space: bool,
    in_title: bool,
    /// An inline script being read, with what it is.
    script: Option<(Script, String)>,
    page: Page,
}

impl Reader {
    fn new(has_main: bool) -> Self {
        Reader {
            has_main,
            stack: Vec::new(),
            depth: Depths::default(),
            line: None,
            space_pending: false,
            link: None,
            base: None,
            title: String::new(),
            title_space: false,
            in_title: false,
            script: None,
            page: Page::default(),
        }
    }

    fn visible(&self) -> bool {
        self.depth.chrome == 0 && self.depth.hidden == 0 && (!self.has_main || self.depth.main > 0)
    }

    fn start(&mut self, tag: &Tag) -> TokenSinkResult<()> {
        let name: &str = &tag.name;
        match name {
            "base" => self.base = attr(tag, "href").and_then(parse_http_like),
            "link" if self.base.is_none() => {
                let canonical =
                    attr(tag, "rel").is_some_and(|r| r.eq_ignore_ascii_case("canonical"));
                if canonical {
                    self.base = attr(tag, "href").and_then(parse_http_like);
                }
            }
            "meta" => self.meta(tag),
            "script" => {
                let kind = match (attr(tag, "id"), attr(tag, "type"), attr(tag, "src")) {
                    (Some("__NEXT_DATA__"), _, _) => Some(Script::NextData),
                    (_, Some(t), _) if t.eq_ignore_ascii_case("application/ld+json") => {
                        Some(Script::JsonLd)
                    }
                    (_, _, None) => Some(Script::Inline),
                    _ => None,
                };
                self.script = kind.map(|k| (k, String::new()));
            }
            _ => {}
        }
        if is_block(name) {
            self.flush();
        }
        // Implicitly closed elements.
        if matches!(name, "li" | "p" | "dt" | "dd") {
            if let Some(pos) = self.stack.iter().rposition(|o| o.name == tag.name) {
                let list_between = self.stack[pos..].iter().any(|o| o.flags.list);
                if !list_between || name != "li" {
                    self.pop_to(pos);
                }
            }
        }
        let role = attr(tag, "role").unwrap_or("");
        let classes = attr(tag, "class").unwrap_or("");
        let id = attr(tag, "id").unwrap_or("");
        let in_article = self.depth.main > 0;
        let chrome = CHROME_TAGS.contains(&name)
            || (name == "header" && !in_article)
            || CHROME_ROLES.iter().any(|r| role.eq_ignore_ascii_case(r))
            || attr(tag, "hidden").is_some()
            || attr(tag, "aria-hidden") == Some("true")
            || classes.split_ascii_whitespace().any(is_chrome_token)
            || (!id.is_empty() && is_chrome_token(id));
        let flags = Flags {
            chrome,
            main: matches!(name, "main" | "article") || role.eq_ignore_ascii_case("main"),
            hidden: matches!(name, "script" | "style" | "head" | "title" | "textarea"),
            heading: matches!(name, "h1" | "h2" | "h3" | "h4" | "h5" | "h6"),
            list: matches!(name, "ul" | "ol"),
        };
        let raw = match name {
            "script" => Some(RawKind::ScriptData),
            "style" | "xmp" | "iframe" | "noembed" | "noframes" | "noscript" => {
                Some(RawKind::Rawtext)
            }
            "title" | "textarea" => Some(RawKind::Rcdata),
            _ => None,
        };
        if name == "title" {
            self.in_title = true;
        }
        if VOID.contains(&name) || tag.self_closing && raw.is_none() {
            return TokenSinkResult::Continue;
        }
        // Raw text elements always count (they hold no elements, so the
        // stack grows by one at most): script past the limit stays hidden.
        if self.stack.len() < MAX_DEPTH || raw.is_some() {
            self.push_open(tag.name.clone(), flags);
        }
        match name {
            "li" => self.begin(Kind::Item),
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => self.begin(Kind::Heading),
            "a" => self.open_link(tag),
            _ => {}
        }
        match raw {
            Some(kind) => TokenSinkResult::RawData(kind),
            None => TokenSinkResult::Continue,
        }
    }

    /// `<meta>`: the page's own URL, article metadata, a refresh.
    fn meta(&mut self, tag: &Tag) {
        let key = attr(tag, "property")
            .or_else(|| attr(tag, "name"))
            .or_else(|| attr(tag, "itemprop"))
            .or_else(|| attr(tag, "http-equiv"))
            .unwrap_or("")
            .to_ascii_lowercase();
        let content = attr(tag, "content").unwrap_or("").trim();
        match key.as_str() {
            "og:url" if self.base.is_none() => self.base = parse_http_like(content),
            "og:type" if content.eq_ignore_ascii_case("article") => {
                self.page.article_meta.get_or_insert("og:type article");
            }
            "article:published_time"
            | "datepublished"
            | "pubdate"
            | "publishdate"
            | "parsely-pub-date"
            | "sailthru.date"
            | "dc.date.issued"
                if !content.is_empty() =>
            {
                self.page
                    .article_meta
                    .get_or_insert("a publication date in its metadata");
            }
            "refresh" => self.page.meta_refresh = refresh_target(content),
            _ => {}
        }
    }

    /// A script ended: read what it says about the page.
    fn script_ended(&mut self) {
        let Some((kind, text)) = self.script.take() else {
            return;
        };
        match kind {
            Script::NextData => self.page.next_error |= next_data_is_error(&text),
            Script::JsonLd => {
                if json_ld_is_article(&text) {
                    self.page.article_meta.get_or_insert("JSON-LD article data");
                }
            }
            Script::Inline => {
                if self.page.script_redirect.is_none() {
                    self.page.script_redirect = script_redirect(&text);
                }
            }
        }
    }

    fn open_link(&mut self, tag: &Tag) {
        self.close_link();
        let rel = attr(tag, "rel").unwrap_or("").to_ascii_lowercase();
        let href = attr(tag, "href").unwrap_or("").trim();
        let lower = href.to_ascii_lowercase();
        let not_a_source = href.is_empty()
            || href.starts_with('#')
            || ["javascript:", "mailto:", "tel:", "data:", "sms:"]
                .iter()
                .any(|s| lower.starts_with(s))
            || rel
                .split_whitespace()
                .any(|r| r == "tag" || r == "category");
        let url = if not_a_source {
            None
        } else {
            parse_http_like(href)
                .or_else(|| self.base.as_ref().and_then(|b| b.join(href).ok()))
                .filter(|u| matches!(u.scheme(), "http" | "https" | "ftp"))
                .filter(|u| {
                    let p = u.path();
                    !(p.contains("/category/") || p.contains("/tag/") || p.contains("/tags/"))
                })
        };
        // The space before the anchor belongs before it, not in its text.
        if self.space_pending && self.line.is_some() {
            self.page.text.push(' ');
            self.space_pending = false;
        }
        self.link = Some(url);
    }

    fn close_link(&mut self) {
        let Some(url) = self.link.take() else {
            return;
        };
        let visible = self.visible();
        // A heading's link to the page's own site is a permalink, not a source.
        let own_site = |u: &Url| {
            self.depth.heading > 0
                && self
                    .base
                    .as_ref()
                    .is_some_and(|b| b.host_str() == u.host_str())
        };
        let source = url.is_some_and(|u| !own_site(&u));
        if let (Some(line), true) = (self.line.as_mut(), source && visible) {
            line.link = true;
        }
    }

    fn push_open(&mut self, name: LocalName, flags: Flags) {
        self.depth.chrome += usize::from(flags.chrome);
        self.depth.main += usize::from(flags.main);
        self.depth.hidden += usize::from(flags.hidden);
        self.depth.heading += usize::from(flags.heading);
        self.stack.push(Open { name, flags });
    }

    fn pop_to(&mut self, pos: usize) {
        while self.stack.len() > pos {
            let Some(open) = self.stack.pop() else {
                break;
            };
            self.closed(&open);
        }
    }

    fn closed(&mut self, open: &Open) {
        let f = open.flags;
        match &*open.name {
            "a" => self.close_link(),
            "title" => self.in_title = false,
            "script" => self.script_ended(),
            _ => {}
        }
        if is_block(&open.name) {
            self.flush();
        }
        self.depth.chrome -= usize::from(f.chrome);
        self.depth.main -= usize::from(f.main);
        self.depth.hidden -= usize::from(f.hidden);
        self.depth.heading -= usize::from(f.heading);
    }

    fn end(&mut self, name: &LocalName) {
        if &**name == "br" {
            self.flush();
            return;
        }
        if let Some(pos) = self.stack.iter().rposition(|o| o.name == *name) {
            self.pop_to(pos);
        }
    }

    fn chars(&mut self, t: &str) {
        if let Some((_, text)) = self.script.as_mut() {
            if text.len() + t.len() <= MAX_SCRIPT {
                text.push_str(t);
            }
            return;
        }
        if self.in_title {
            push_collapsed(&mut self.title, &mut self.title_space, t);
            return;
        }
        if !self.visible() {
            return;
        }
        let line = self.line.get_or_insert(Line {
            kind: Kind::Text,
            start: None,
            link: false,
        });
        let text = &mut self.page.text;
        for c in t.chars() {
            if c.is_whitespace() {
                self.space_pending = line.start.is_some();
                continue;
            }
            if self.space_pending {
                text.push(' ');
                self.space_pending = false;
            }
            if line.start.is_none() {
                if !text.is_empty() {
                    text.push(' ');
                }
                line.start = Some(text.len());
            }
            text.push(c);
        }
    }

    fn begin(&mut self, kind: Kind) {
        self.flush();
        self.line = Some(Line {
            kind,
            start: None,
            link: false,
        });
    }

    fn flush(&mut self) {
        // A link left open across a block keeps its text so far.
        if self.link.is_some() {
            self.close_link();
        }
        let Some(line) = self.line.take() else {
            return;
        };
        self.space_pending = false;
        let heading =
            line.kind == Kind::Heading || (line.kind == Kind::Text && self.depth.heading > 0);
        let text = &mut self.page.text;
        let start = match line.start {
            Some(start) => start,
            // Empty but for a link: still a line of its own.
            None if line.link => {
                if !text.is_empty() {
                    text.push(' ');
                }
                text.len()
            }
            None => return,
        };
        if heading {
            let page = &mut self.page;
            let heading = &page.text[start..];
            let first = page.headings.is_empty();
            for says in Says::ALL {
                if page.heading_hits.iter().any(|h| h.says == says) {
                    continue;
                }
                // A heading is read whole: unlike a title, it carries no
                // site name, and a dash in a headline joins its halves.
                if let Some((phrase, coverage)) = find(heading, says, false) {
                    page.heading_hits.push(Hit {
                        says,
                        phrase,
                        coverage,
                        first,
                    });
                }
            }
            if page.headings.len() < MAX_HEADINGS {
                let end = heading
                    .char_indices()
                    .nth(MAX_HEADING_CHARS)
                    .map_or(heading.len(), |(i, _)| i);
                let kept = heading[..end].to_string();
                page.headings.push(kept);
            }
        } else {
            self.notice_line(start);
        }
    }

    /// A short line that is nothing but a phrase ("抱歉，该文章已下线",
    /// "This story has expired.") is a notice, wherever it stands.
    fn notice_line(&mut self, start: usize) {
        let page = &mut self.page;
        let line = &page.text[start..];
        if line.chars().nth(MAX_NOTICE_CHARS).is_some() {
            return;
        }
        for says in Says::ALL {
            if page.notice_hits.iter().any(|h| h.says == says) {
                continue;
            }
            if let Some((phrase, coverage)) = find(line, says, false) {
                if coverage >= 0.4 {
                    page.notice_hits.push(Hit {
                        says,
                        phrase,
                        coverage,
                        first: false,
                    });
                }
            }
        }
    }
}

/// Characters a line may have to be read as a notice.
const MAX_NOTICE_CHARS: usize = 60;

/// The first phrase saying `says` in `place` (table order), and how much
/// of `place` the phrases of that kind cover.
fn find(place: &str, says: Says, segmented: bool) -> Option<(&'static str, f32)> {
    let phrases = saying(says);
    let phrase = first_phrase(place, phrases)?;
    Some((phrase, coverage(place, phrases, segmented)))
}

/// Places longer than this are never "nothing but the phrase".
const MAX_COVERAGE_PLACE: usize = 8192;

/// Share of the letters and digits of the best segment of `place` that
/// `phrases` cover. Titles and headings are cut into segments at the
/// separators sites put between the page's name and their own.
fn coverage(place: &str, phrases: &[&'static str], segmented: bool) -> f32 {
    if place.len() > MAX_COVERAGE_PLACE {
        return 0.0;
    }
    let lower = place.to_lowercase();
    let whole = covered_share(&lower, phrases);
    if !segmented {
        return whole;
    }
    let separators = [" - ", " | ", " – ", " — ", "｜", "_", " :: ", " · ", "—"];
    let mut segments = vec![lower.as_str()];
    for sep in separators {
        segments = segments.iter().flat_map(|s| s.split(sep)).collect();
    }
    // The best segment counts alone only when the others look like a
    // site's name ("Page not found | Epoch Times"), not like the rest of
    // a headline ("Page not found - the post that vanished").
    let (best, share) = segments
        .iter()
        .enumerate()
        .map(|(i, seg)| (i, covered_share(seg, phrases)))
        .fold((0, 0.0), |acc, x| if x.1 > acc.1 { x } else { acc });
    let name_like = |seg: &str| {
        seg.split_whitespace().count() <= 4
            && seg.chars().filter(|c| c.is_alphanumeric()).count() <= 24
    };
    let others_are_names = segments
        .iter()
        .enumerate()
        .all(|(i, seg)| i == best || name_like(seg));
    if others_are_names {
        share.max(whole)
    } else {
        whole
    }
}

/// Share of the letters and digits of `place` (lowercase) that `phrases`
/// cover.
fn covered_share(place: &str, phrases: &[&'static str]) -> f32 {
    let mut covered = vec![false; place.len()];
    for p in phrases {
        for (i, _) in place.match_indices(p) {
            covered[i..i + p.len()].iter_mut().for_each(|c| *c = true);
        }
    }
    let (mut all, mut hit) = (0usize, 0usize);
    for (i, c) in place.char_indices() {
        if c.is_alphanumeric() {
            all += 1;
            hit += usize::from(covered[i]);
        }
    }
    if all == 0 {
        0.0
    } else {
        hit as f32 / all as f32
    }
}

/// The first of `phrases` (lowercase) that `place`, lowercased, contains.
/// Long places are lowercased a window at a time, the windows overlapping
/// by the longest phrase, so a long title or heading costs no copy of it.
fn first_phrase(place: &str, phrases: &[&'static str]) -> Option<&'static str> {
    const WINDOW: usize = 64 * 1024;
    if place.len() <= WINDOW {
        let lower = place.to_lowercase();
        return phrases.iter().find(|p| lower.contains(*p)).copied();
    }
    // A phrase of n characters comes from at most n characters of `place`
    // (lowercasing never shortens), so windows overlapping by the longest
    // phrase see every occurrence whole. (Only Σ lowercases by context, and
    // no phrase has a sigma.)
    let overlap = phrases.iter().map(|p| p.chars().count()).max().unwrap_or(0);
    let mut found = vec![false; phrases.len()];
    let mut start = 0;
    while start < place.len() {
        let mut end = (start + WINDOW).min(place.len());
        while !place.is_char_boundary(end) {
            end -= 1;
        }
        let reach = place[end..]
            .char_indices()
            .nth(overlap)
            .map_or(place.len(), |(i, _)| end + i);
        let lower = place[start..reach].to_lowercase();
        for (hit, p) in found.iter_mut().zip(phrases) {
            *hit = *hit || lower.contains(p);
        }
        start = end;
    }
    phrases
        .iter()
        .zip(found)
        .find(|(_, hit)| *hit)
        .map(|(p, _)| *p)
}

/// Where a refresh (`0; url=/`, the `<meta>` tag's content or the HTTP
/// header) sends the reader; `None` for a page that reloads itself.
pub(crate) fn refresh_target(content: &str) -> Option<String> {
    let lower = content.to_ascii_lowercase();
    let i = lower.find("url=")?;
    let target = content[i + 4..].trim().trim_matches(['\'', '"']);
    (!target.is_empty()).then(|| target.to_string())
}

/// Whether Next.js page data names the 404 or error page.
fn next_data_is_error(json: &str) -> bool {
    let Ok(data) = serde_json::from_str::<serde_json::Value>(json) else {
        return false;
    };
    let page = data.get("page").and_then(|p| p.as_str()).unwrap_or("");
    let status = data
        .pointer("/props/pageProps/statusCode")
        .or_else(|| data.pointer("/props/statusCode"))
        .and_then(serde_json::Value::as_u64);
    matches!(page, "/404" | "/_error" | "/500") || status.is_some_and(|s| s >= 400)
}

/// Whether JSON-LD describes an article (any `@type` of the schema.org
/// article family, at the top, in a list or in `@graph`).
fn json_ld_is_article(json: &str) -> bool {
    fn is_article(v: &serde_json::Value) -> bool {
        use serde_json::Value;
        let article = |t: &str| {
            matches!(
                t,
                "NewsArticle"
                    | "Article"
                    | "ReportageNews"
                    | "AnalysisNewsArticle"
                    | "OpinionNewsArticle"
                    | "BlogPosting"
                    | "LiveBlogPosting"
                    | "ScholarlyArticle"
                    | "VideoObject"
            )
        };
        match v {
            Value::Array(items) => items.iter().any(is_article),
            Value::Object(o) => {
                let typed = match o.get("@type") {
                    Some(Value::String(t)) => article(t),
                    Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).any(article),
                    _ => false,
                };
                typed || o.get("@graph").is_some_and(is_article)
            }
            _ => false,
        }
    }
    serde_json::from_str::<serde_json::Value>(json).is_ok_and(|v| is_article(&v))
}

/// Where a script sends every reader on load, if it plainly does: a
/// whole string literal assigned to `location` (not the start of a
/// concatenation), in a script that does not test the device (a mobile
/// redirect sends phones to the same article elsewhere).
fn script_redirect(js: &str) -> Option<String> {
    use std::sync::LazyLock;
    static REDIRECT: LazyLock<Option<regex::Regex>> = LazyLock::new(|| {
        regex::Regex::new(
            r#"(?:window\.|document\.|top\.|self\.)?location(?:\.href)?\s*=\s*["']([^"'+]{1,2048})["']\s*(?:;|\)|\}|$|\n)|location\.(?:replace|assign)\(\s*["']([^"'+]{1,2048})["']\s*\)"#,
        )
        .ok()
    });
    let lower = js.to_ascii_lowercase();
    let device = [
        "useragent",
        "android",
        "iphone",
        "mobile",
        "screen.width",
        "innerwidth",
    ];
    if device.iter().any(|d| lower.contains(d)) {
        return None;
    }
    let caps = REDIRECT.as_ref()?.captures(js)?;
    caps.get(1)
        .or_else(|| caps.get(2))
        .map(|m| m.as_str().to_string())
}

impl Page {
    /// The error phrase a page reads as, if any: looked for in the title
    /// and headings, and in the text of short pages only, so an article
    /// that merely mentions "not found" is not one.
    #[cfg(test)]
    pub fn error_phrase(&self) -> Option<&'static str> {
        self.any_hit(Says::NotFound, 1500)
    }

    /// The phrase that makes this a bot challenge, if any (title, headings,
    /// or a short page's text).
    pub fn challenge_phrase(&self) -> Option<&'static str> {
        self.any_hit(Says::Challenge, 3000)
    }

    fn any_hit(&self, says: Says, short: usize) -> Option<&'static str> {
        self.title_hit(says)
            .or(self.heading_hit(says))
            .map(|h| h.phrase)
            .or_else(|| self.short_text_hit(says, short))
    }

    /// A phrase saying `says` in the title.
    pub fn title_hit(&self, says: Says) -> Option<Hit> {
        let title = self.title.as_deref()?;
        let (phrase, coverage) = find(title, says, true)?;
        Some(Hit {
            says,
            phrase,
            coverage,
            first: false,
        })
    }

    /// The first heading holding a phrase saying `says`.
    pub fn heading_hit(&self, says: Says) -> Option<Hit> {
        self.heading_hits.iter().find(|h| h.says == says).copied()
    }

    /// A phrase saying `says` in the text, when the page has fewer than
    /// `short` characters of visible text.
    pub fn short_text_hit(&self, says: Says, short: usize) -> Option<&'static str> {
        (self.text_chars(short) < short)
            .then(|| first_phrase(&self.text, saying(says)))
            .flatten()
    }

    /// The first short line (not a heading) that is mostly a phrase
    /// saying `says`.
    pub fn notice_hit(&self, says: Says) -> Option<Hit> {
        self.notice_hits.iter().find(|h| h.says == says).copied()
    }

    /// A phrase saying `says` in the visible text, and how much of the
    /// text (when short, else 0) the phrases cover.
    pub fn text_hit(&self, says: Says) -> Option<Hit> {
        let phrase = first_phrase(&self.text, saying(says))?;
        let coverage = coverage(&self.text, saying(says), false);
        Some(Hit {
            says,
            phrase,
            coverage,
            first: false,
        })
    }

    /// Characters of visible text, counted up to `limit`.
    pub fn text_chars(&self, limit: usize) -> usize {
        self.text.chars().take(limit).count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gbk_page_title_is_decoded() {
        let html = "<html><head><meta charset=\"gbk\"><title>人民网－新闻</title></head><body><h1>标题</h1><p>正文</p></body></html>";
        let (bytes, _, _) = encoding_rs::GBK.encode(html);
        let page = read_page(&bytes, Some("text/html"));
        assert_eq!(page.title.as_deref(), Some("人民网－新闻"));
        let page = read_page(&bytes, Some("text/html; charset=GBK"));
        assert_eq!(page.headings, ["标题"]);
    }

    #[test]
    fn cjk_charsets_declared_or_detected() {
        let cases: [(&'static encoding_rs::Encoding, &str, &str); 4] = [
            (
                encoding_rs::BIG5,
                "big5",
                "中央社：外交部發言人表示日本領導人公然發表錯誤言論",
            ),
            (
                encoding_rs::SHIFT_JIS,
                "shift_jis",
                "日本経済新聞：半導体の輸出規制を強化へ、政府が検討",
            ),
            (
                encoding_rs::EUC_KR,
                "euc-kr",
                "동아일보: 외교부 이메일 해킹 사건에 대한 조사 결과 발표",
            ),
            (
                encoding_rs::GB18030,
                "gb18030",
                "人民日报：钟声评论日本领导人涉台错误言论",
            ),
        ];
        for (enc, label, title) in cases {
            let body = format!("<html><head><title>{title}</title></head><body><p>{title}</p><p>{title}</p></body></html>");
            let (bytes, _, _) = enc.encode(&body);
            // Declared in the Content-Type header…
            let page = read_page(&bytes, Some(&format!("text/html; charset={label}")));
            assert_eq!(page.title.as_deref(), Some(title), "{label} declared");
            // …or detected from the bytes alone.
            let page = read_page(&bytes, Some("text/html"));
            assert_eq!(page.title.as_deref(), Some(title), "{label} detected");
        }
    }

    #[test]
    fn error_pages_and_challenges() {
        let p = read_page(
            "<title>页面不存在</title><p>x</p>".as_bytes(),
            Some("text/html"),
        );
        assert_eq!(p.error_phrase(), Some("页面不存在"));
        let long_article = format!(
            "<title>Report</title><p>{}</p>",
            "The file was not found by investigators. ".repeat(60)
        );
        let p = read_page(long_article.as_bytes(), Some("text/html"));
        assert_eq!(p.error_phrase(), None);
        let p = read_page(b"<title>Just a moment...</title>", Some("text/html"));
        assert_eq!(p.challenge_phrase(), Some("just a moment..."));
    }

    /// The reading as it was: `extract`'s outline of every line, then the
    /// phrases looked for in the title, every heading and a short text.
    struct Reference {
        title: Option<String>,
        headings: Vec<String>,
        text: String,
        error: Option<&'static str>,
        challenge: Option<&'static str>,
    }

    fn reference(body: &[u8], content_type: Option<&str>) -> Reference {
        let declared = content_type
            .and_then(|ct| {
                ct.split(';').find_map(|p| {
                    p.trim()
                        .strip_prefix("charset=")
                        .or_else(|| p.trim().strip_prefix("CHARSET="))
                })
            })
            .and_then(|label| Encoding::for_label(label.trim_matches('"').as_bytes()));
        let text = match declared {
            Some(enc) => enc.decode_with_bom_removal(body).0.into_owned(),
            None => decode_text(body),
        };
        let is_html = content_type.is_none_or(|ct| ct.contains("html") || ct.contains("xml"))
            && (text.contains('<') || content_type.is_some_and(|ct| ct.contains("html")));
        let (title, headings, text) = if is_html {
            let (lines, title) = crate::extract::read_html_outline(&text);
            let mut joined = String::new();
            let mut headings = Vec::new();
            for (line, heading) in lines {
                if heading {
                    headings.push(line.clone());
                }
                if !joined.is_empty() {
                    joined.push(' ');
                }
                joined.push_str(&line);
            }
            (title, headings, joined)
        } else {
            let words = crate::extract::fold_whitespace(&text);
            (None, Vec::new(), words)
        };
        let find = |phrases: &[&'static str], short: usize| {
            let short_page = text.chars().count() < short;
            title
                .iter()
                .chain(headings.iter())
                .chain(short_page.then_some(&text))
                .map(|place| place.to_lowercase())
                .find_map(|place| phrases.iter().find(|p| place.contains(*p)).copied())
        };
        Reference {
            error: find(saying(Says::NotFound), 1500),
            challenge: find(saying(Says::Challenge), 3000),
            title,
            headings,
            text,
        }
    }

    fn assert_same_reading(body: &[u8], content_type: Option<&str>, what: &str) {
        let want = reference(body, content_type);
        let got = read_page(body, content_type);
        assert_eq!(got.title, want.title, "title of {what}");
        assert_eq!(got.text, want.text, "text of {what}");
        assert_eq!(got.error_phrase(), want.error, "error phrase of {what}");
        assert_eq!(
            got.challenge_phrase(),
            want.challenge,
            "challenge phrase of {what}"
        );
        let kept: Vec<String> = want
            .headings
            .iter()
            .take(MAX_HEADINGS)
            .map(|h| h.chars().take(MAX_HEADING_CHARS).collect())
            .collect();
        assert_eq!(got.headings, kept, "headings of {what}");
        // However the text is cut into pieces for the tokenizer.
        if let Ok(text) = std::str::from_utf8(body) {
            if content_type == Some("text/html") && !text.starts_with('\u{feff}') {
                for size in [1, 2, 3, 5, 7, 64] {
                    let p = read_html(text, size);
                    assert_eq!(p.text, got.text, "text of {what} in {size}-byte pieces");
                    assert_eq!(p.title, got.title, "title of {what} in {size}-byte pieces");
                    assert_eq!(p.headings, got.headings, "{what} in {size}-byte pieces");
                }
            }
        }
    }

    const CASES: &[&str] = &[
        "",
        "plain words, no markup",
        "<p>x</p><p>y</p>",
        "<title> A \n  title </title><title>and more</title><p>body</p>",
        "<svg><title>Icon</title></svg><title>Page</title>",
        "<TITLE>Upper</TITLE><H1>Heading</H1><P>Para<BR>graph</P>",
        "<h1><a href=\"https://example.org/\"> </a></h1><p>after</p>",
        "<p>before <a href=\"https://example.org/x\">link</a> after</p>",
        "<p>before <a href=\"https://example.org/x\"></a></p><p>next</p>",
        "<p>a <a href=\"https://example.org/x\"> </a></p><p>b</p>",
        "<base href=\"https://news.example/\"><h2><a href=\"/self\"> </a></h2><p><a href=\"/other\"> </a></p>",
        "<link rel=\"canonical\" href=\"https://news.example/a\"><h1>T <a href=\"https://news.example/b\">x</a></h1>",
        "<a href=\"#top\"> </a><a href=\"mailto:a@b\"> </a><a href=\"/tag/x\" rel=tag> </a>",
        "<h1><li>item in heading</li> tail</h1>",
        "<ul><li>one<li>two<ul><li>inner</ul><li>three</ul>",
        "<dl><dt>term<dd>def<dt>term2</dl>",
        "<div class=\"share-bar\">Share</div><p>Body</p><nav>menu</nav><aside>side</aside>",
        "<header>site</header><article><header>Article head</header><p>text</p></article><footer>f</footer>",
        "<main><h1>Page not found</h1></main><p>outside</p>",
        "<div role=\"main\"><p>inside</p></div><p>outside</p>",
        "<p hidden>hidden</p><p aria-hidden=\"true\">also</p><p id=\"comments\">c</p><p>seen</p>",
        "<script>var x = '<p>not text</p>';</script><style>p{}</style><p>text</p>",
        "<noscript><p>enable js</p></noscript><textarea>ta</textarea><p>t</p>",
        "<p>entities &amp; &lt;tags&gt; &nbsp;nbsp&#x20AC;&euro;</p>",
        "<p>line\r\nbreaks\rand\ttabs</p>",
        "<p><sup>1</sup>marked <sup>[2]</sup></p>",
        "<h2>Just a moment...</h2><h3>Access Denied</h3>",
        "<title>News</title><h1>ページが見つかりません</h1>",
        "<h1>One</h1><h2>404 Not Found</h2><h3>Captcha</h3>",
        "<p>unclosed <b>bold <i>italic <p>next",
        "<div><div><span>deep</div></span></div>tail",
        "<pre>code  \n block</pre><code>x</code>",
        "<table><tr><td>a<td>b<tr><td>c</table>",
        "<!-- comment <p>no</p> --><!DOCTYPE html><p>yes</p>",
        "<p>a</p>\u{feff}<p>b</p>",
        "<title>Σ ΣΑΣ</title><h1>ΟΔΟΣ</h1>",
        "<h1>İstanbul Not Found</h1>",
        "<title>unterminated",
        "<p>text <a href=\"https://e.org/\">open link <p>next block",
        "<ol start=3><li value=7>x<li id=\"fn1\">note</ol><div class=\"footnotes\"><li>n</li></div>",
        "<meta property=\"og:url\" content=\"https://s.example/a\"><h1><a href=\"https://s.example/p\"></a></h1>",
    ];

    #[test]
    fn same_reading_as_extract() {
        for case in CASES {
            assert_same_reading(case.as_bytes(), Some("text/html"), case);
            assert_same_reading(case.as_bytes(), None, case);
        }
        let bom = "\u{feff}<title>BOM</title><p>x</p>";
        assert_same_reading(bom.as_bytes(), Some("text/html"), "BOM");
        assert_same_reading(bom.as_bytes(), Some("text/html; charset=utf-8"), "BOM");
        let (gbk, _, _) = encoding_rs::GBK.encode(
            "<meta charset=gbk><title>页面不存在</title><h1>标题</h1><p>正文，请输入验证码</p>",
        );
        assert_same_reading(&gbk, Some("text/html"), "GBK");
        assert_same_reading(&gbk, None, "GBK undeclared");
        assert_same_reading(b"not found\n  at all", Some("text/plain"), "plain text");
        assert_same_reading(b"a\0b <p>x</p>", Some("text/html"), "NUL byte");
        assert_same_reading(b"\xff\xfe<\0p\0>\0x\0", Some("text/html"), "UTF-16 BOM");
    }

    #[test]
    fn same_reading_as_extract_on_the_fixtures() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
        let mut seen = 0;
        for entry in walkdir::WalkDir::new(dir).into_iter().flatten() {
            let path = entry.path();
            let html = path.extension().is_some_and(|e| e == "html" || e == "htm");
            if !html {
                continue;
            }
            let bytes = std::fs::read(path).unwrap();
            assert_same_reading(&bytes, Some("text/html"), &path.display().to_string());
            seen += 1;
        }
        assert!(seen > 0, "no HTML fixtures found");
    }

    /// Random tag soup from the pieces the reading cares about.
    #[test]
    fn same_reading_as_extract_on_tag_soup() {
        const PARTS: &[&str] = &[
            "<p>",
            "</p>",
            "<div>",
            "</div>",
            "<h1>",
            "</h1>",
            "<h2 class=x>",
            "</h2>",
            "<li>",
            "</li>",
            "<ul>",
            "</ul>",
            "<ol>",
            "</ol>",
            "<dt>",
            "<dd>",
            "<br>",
            "</br>",
            "<a href=\"https://o.example/a\">",
            "<a href=\"/rel\">",
            "<a href=\"#x\">",
            "</a>",
            "<main>",
            "</main>",
            "<article>",
            "</article>",
            "<nav>",
            "</nav>",
            "<header>",
            "</header>",
            "<span>",
            "</span>",
            "<b>",
            "</b>",
            "<title>",
            "</title>",
            "<script>",
            "</script>",
            "<style>",
            "</style>",
            "<sup>",
            "</sup>",
            "<div class=\"sidebar\">",
            "<p hidden>",
            "<table>",
            "<td>",
            "<base href=\"https://o.example/\">",
            " ",
            "  ",
            "\n",
            "\r\n",
            "word",
            "not found",
            "Page Not Found",
            "captcha",
            "页面不存在",
            "&amp;",
            "&nbsp;",
            "https://u.example/x ",
            "<!-- c -->",
            "<br/>",
            "<p/>",
            "<img src=x>",
            "<textarea>",
            "</textarea>",
        ];
        let mut rng = fastrand::Rng::with_seed(9);
        for round in 0..3000 {
            let n = rng.usize(0..60);
            let doc: String = (0..n).map(|_| PARTS[rng.usize(..PARTS.len())]).collect();
            assert_same_reading(
                doc.as_bytes(),
                Some("text/html"),
                &format!("soup {round}: {doc:?}"),
            );
        }
    }

    #[test]
    fn long_titles_and_headings_are_searched_whole() {
        let filler = "é".repeat(100_000);
        for at in [0, 65_530, 65_536, 131_070, 199_990] {
            let mut title = filler.clone();
            let at = (0..=at).rev().find(|i| title.is_char_boundary(*i)).unwrap();
            title.insert_str(at, "Page NOT Found");
            let body = format!("<title>{title}</title><h1>{title}</h1>");
            assert_same_reading(
                body.as_bytes(),
                Some("text/html"),
                &format!("phrase at {at}"),
            );
        }
        let body = format!("<h1>{filler}</h1>");
        let p = read_page(body.as_bytes(), Some("text/html"));
        assert_eq!(p.headings[0].chars().count(), MAX_HEADING_CHARS);
    }

    #[test]
    fn a_big_page_is_read_whole_without_records_per_line() {
        let body = "<p>x</p>".repeat(500_000);
        let p = read_page(body.as_bytes(), Some("text/html"));
        assert_eq!(p.text.len(), 2 * 500_000 - 1);
        let deep = format!(
            "{}<p>text</p><script>hidden</script>",
            "<div>".repeat(100_000)
        );
        let p = read_page(deep.as_bytes(), Some("text/html"));
        assert_eq!(p.text, "text");
        let headings = "<h2>Section</h2>".repeat(1000) + "<h2>Page not found</h2>";
        let p = read_page(headings.as_bytes(), Some("text/html"));
        assert_eq!(p.headings.len(), MAX_HEADINGS);
        assert_eq!(p.error_phrase(), Some("page not found"));
    }
}
