//! HTML via html5ever's tokenizer.
//!
//! The tokenizer rather than a DOM (scraper) because it reports the source
//! line of every token, which citations need, and because one streaming pass
//! is fast and holds no tree. A small element stack is enough to know whether
//! text is in the main content, in page chrome (nav, header, footer, aside,
//! share bars, comment forms) or in a heading, list, link or footnote mark.
//!
//! Verbatim elements (`pre`, `code`, `kbd`, `samp`, `var`, `tt`, `listing`,
//! `xmp`, `plaintext`) show text as written: a URL written out in them is
//! an example or program text, not a citation, as in Markdown code spans and
//! code blocks. An explicit `<a href>` inside them is still a link.
//!
//! `<blockquote cite>` and `<q cite>` name the source of a quotation: a
//! citation of the item the quotation stands in, on the line where the
//! element starts, unless a link inside the quotation (or the `<figure>`
//! around it, whose caption credits it) already cites the same URL.

use super::lines::{fold_whitespace, Line, LineKind, Link, LinkKind};
use super::text::bare_links;
use super::urls::{parse_http_like, resolve_web_url, WebUrl};
use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use html5ever::LocalName;
use std::cell::RefCell;
use std::collections::HashMap;
use url::Url;

/// The document's lines and its `<title>`.
pub fn read(text: &str) -> (Vec<Line<'static>>, Option<String>) {
    read_fed(text, FEED_SIZE)
}

/// [`read`], giving the tokenizer `feed_size` bytes at a time.
fn read_fed(text: &str, feed_size: usize) -> (Vec<Line<'static>>, Option<String>) {
    let sink = Sink {
        state: RefCell::new(State::new(has_main_content(text))),
    };
    let mut state = tokenize(sink, text, feed_size).state.into_inner();
    state.flush();
    // Elements left open at the end of the document end there.
    state.end_cites(0);
    state.drop_duplicate_cites();
    let title = Some(fold_whitespace(&state.title)).filter(|t| !t.is_empty());
    (state.lines, title)
}

/// How much of a page the tokenizer is given at a time.
const FEED_SIZE: usize = 64 * 1024;

/// Runs html5ever's tokenizer over `text` into `sink`, `piece` bytes at a
/// time as from a network (the tokenizer copies what it is given: a large
/// page is not held twice), and returns the sink.
pub(crate) fn tokenize<S: TokenSink>(sink: S, text: &str, piece: usize) -> S {
    // The BOM is dropped here once: the tokenizer would drop one at the
    // start of every piece.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let opts = TokenizerOpts {
        discard_bom: false,
        ..TokenizerOpts::default()
    };
    let tokenizer = Tokenizer::new(sink, opts);
    let queue = BufferQueue::default();
    for part in pieces(text, piece) {
        queue.push_back(StrTendril::from_slice(part));
        let _ = tokenizer.feed(&queue);
    }
    tokenizer.end();
    tokenizer.sink
}

/// `text` in pieces of at most `size` bytes (more only to finish a
/// character), split at character boundaries.
fn pieces(text: &str, size: usize) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let mut end = rest.len().min(size.max(1));
        while !rest.is_char_boundary(end) {
            end += 1;
        }
        let (part, tail) = rest.split_at(end);
        rest = tail;
        Some(part)
    })
}

/// Whether the page marks its main content (`<main>`, `<article>`,
/// `role="main"`): if so, text outside it is chrome.
pub(crate) fn has_main_content(text: &str) -> bool {
    let bytes = text.as_bytes();
    memchr::memchr_iter(b'<', bytes).any(|i| {
        let rest = &bytes[i + 1..bytes.len().min(i + 12)];
        let word = |w: &[u8]| {
            rest.len() >= w.len()
                && rest[..w.len()].eq_ignore_ascii_case(w)
                && rest
                    .get(w.len())
                    .is_none_or(|b| matches!(b, b'>' | b' ' | b'\t' | b'\n' | b'\r' | b'/'))
        };
        word(b"main") || word(b"article")
    }) || memchr::memmem::find(bytes, b"role=\"main\"").is_some()
}

struct Sink {
    state: RefCell<State>,
}

impl TokenSink for Sink {
    type Handle = ();

    fn process_token(&self, token: Token, line: u64) -> TokenSinkResult<()> {
        let line = u32::try_from(line).unwrap_or(u32::MAX);
        let mut s = self.state.borrow_mut();
        match token {
            Token::TagToken(tag) => s.tag(tag, line),
            Token::CharacterTokens(t) => {
                s.chars(&t, line);
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
    code: bool,
    heading: bool,
    list: bool,
    /// A footnotes or endnotes section.
    notes: bool,
}

struct Open {
    /// An atom: no allocation per element for the names HTML knows.
    name: LocalName,
    flags: Flags,
}

/// Elements whose text is verbatim: no URL written out in them is cited.
const VERBATIM: [&str; 9] = [
    "pre",
    "code",
    "kbd",
    "samp",
    "var",
    "tt",
    "listing",
    "xmp",
    "plaintext",
];

/// A place in the document being read: a line (its index in
/// `State::lines` once flushed; the current line is flushed at
/// `lines.len()`) and a byte offset in its text.
type Pos = (usize, usize);

/// The `cite` of a `<blockquote>` or `<q>`.
struct Cite {
    url: WebUrl,
    /// Where the element starts.
    line: u32,
    /// Stack index of the element.
    elem: usize,
    /// Stack index of the element that ends the duplicate check: the
    /// `<figure>` around the quotation, else the quotation itself.
    scope: usize,
    /// Where the scope starts and (once closed) ends, exclusive.
    from: Pos,
    to: Option<Pos>,
    /// Where its link is, once a line holds it.
    at: Option<Pos>,
}

struct OpenLink {
    url: Option<WebUrl>,
    start: usize,
    line: u32,
}

struct State {
    has_main: bool,
    stack: Vec<Open>,
    depth: Depths,
    lines: Vec<Line<'static>>,
    cur: Option<Line<'static>>,
    /// Text offset → source line, for links and URLs inside long paragraphs.
    line_at: Vec<(usize, u32)>,
    no_scan: Vec<(usize, usize)>,
    space_pending: bool,
    link: Option<OpenLink>,
    /// Ordered-list counters; None for `ul`.
    lists: Vec<Option<u32>>,
    sup_start: Option<usize>,
    base: Option<Url>,
    title: String,
    in_title: bool,
    /// Every `cite` of the document, in order.
    cites: Vec<Cite>,
    /// Cites (indices into `cites`) whose element has no line yet: the
    /// next visible text takes them.
    unattached: Vec<usize>,
    /// Cites whose duplicate check is still open, innermost scope last.
    open_cites: Vec<usize>,
    /// Open `<figure>`s: stack index and where each starts.
    figures: Vec<(usize, Pos)>,
}

#[derive(Default)]
struct Depths {
    chrome: usize,
    main: usize,
    hidden: usize,
    code: usize,
    heading: usize,
    notes: usize,
}

pub(crate) const VOID: [&str; 14] = [
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr", "param",
];

/// Whether the element `name` ends a line of text (a block, or `br`):
/// one definition for the extractor and for reading checked pages
/// (`check::page`, `verify::drift`). A `match`, as every tag is looked up.
pub(crate) fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "li"
            | "ul"
            | "ol"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "br"
            | "tr"
            | "td"
            | "th"
            | "table"
            | "blockquote"
            | "section"
            | "article"
            | "main"
            | "dt"
            | "dd"
            | "dl"
            | "pre"
            | "hr"
            | "header"
            | "footer"
            | "figure"
            | "figcaption"
            | "nav"
            | "aside"
            | "address"
            | "details"
    )
}

pub(crate) const CHROME_TAGS: [&str; 12] = [
    "nav", "aside", "footer", "form", "button", "noscript", "template", "svg", "select", "iframe",
    "dialog", "menu",
];

pub(crate) const CHROME_ROLES: [&str; 8] = [
    "navigation",
    "banner",
    "contentinfo",
    "complementary",
    "search",
    "menu",
    "menubar",
    "dialog",
];

/// Class or id tokens of page chrome (share bars, sidebars, comment areas).
pub(crate) fn is_chrome_token(t: &str) -> bool {
    const EXACT: [&str; 22] = [
        "nav",
        "menu",
        "sidebar",
        "share",
        "sharing",
        "social",
        "comments",
        "related",
        "widget",
        "footer",
        "byline",
        "advertisement",
        "ad",
        "ads",
        "pagination",
        "masthead",
        "cat-links",
        "tags-links",
        "post-categories",
        "entry-meta",
        "entry-footer",
        "post-meta",
    ];
    const PREFIX: [&str; 14] = [
        "share",
        "social",
        "sidebar",
        "breadcrumb",
        "related-",
        "widget",
        "nav-",
        "navbar",
        "menu-",
        "comment",
        "advert",
        "cookie",
        "subscribe",
        "skip-link",
    ];
    const SUFFIX: [&str; 14] = [
        "-share",
        "-sharing",
        "-social",
        "-sidebar",
        "-nav",
        "-navigation",
        "-menu",
        "-comments",
        "-related",
        "-widget",
        "-breadcrumbs",
        "-meta",
        "-tags",
        "-footer",
    ];
    let starts = |p: &str| t.get(..p.len()).is_some_and(|h| h.eq_ignore_ascii_case(p));
    let ends = |s: &str| {
        t.len() >= s.len()
            && t.get(t.len() - s.len()..)
                .is_some_and(|h| h.eq_ignore_ascii_case(s))
    };
    t.eq_ignore_ascii_case("screen-reader-text")
        || t.eq_ignore_ascii_case("site-header")
        || EXACT.iter().any(|e| t.eq_ignore_ascii_case(e))
        || PREFIX.iter().any(|p| starts(p))
        || SUFFIX.iter().any(|s| ends(s))
}

/// Whether `hay` holds `needle` (ASCII, lowercase), ignoring ASCII case.
fn contains_ignore_case(hay: &str, needle: &str) -> bool {
    hay.as_bytes()
        .windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

/// The number in a footnote's id: `fn1`, `fn:1`, `footnote-1`, `note-1`,
/// `endnote-1`, `cite_note-1`.
fn footnote_number(id: &str) -> Option<u32> {
    let lower = id.to_ascii_lowercase();
    let prefixed = ["fn", "footnote", "endnote", "note", "cite_note"]
        .iter()
        .any(|p| lower.starts_with(p));
    let digits = lower.len() - lower.trim_end_matches(|c: char| c.is_ascii_digit()).len();
    if !prefixed || digits == 0 || lower.starts_with("fnref") {
        return None;
    }
    lower[lower.len() - digits..].parse().ok()
}

/// An attribute's value.
pub(crate) fn attr<'a>(tag: &'a Tag, name: &str) -> Option<&'a str> {
    tag.attrs
        .iter()
        .find(|a| &*a.name.local == name)
        .map(|a| a.value.as_ref())
}

impl State {
    fn new(has_main: bool) -> Self {
        State {
            has_main,
            stack: Vec::new(),
            depth: Depths::default(),
            lines: Vec::new(),
            cur: None,
            line_at: Vec::new(),
            no_scan: Vec::new(),
            space_pending: false,
            link: None,
            lists: Vec::new(),
            sup_start: None,
            base: None,
            title: String::new(),
            in_title: false,
            cites: Vec::new(),
            unattached: Vec::new(),
            open_cites: Vec::new(),
            figures: Vec::new(),
        }
    }

    /// Where the text read next goes: the current line if it will be kept,
    /// else the start of the next line.
    fn pos(&self) -> Pos {
        let offset = self
            .cur
            .as_ref()
            .filter(|l| !l.is_blank())
            .map_or(0, |l| l.text.len());
        (self.lines.len(), offset)
    }

    /// An `href` or `cite` as the page it names (the tokenizer has decoded
    /// entities), see [`resolve_web_url`].
    fn resolve(&self, raw: &str) -> Option<WebUrl> {
        resolve_web_url(raw, self.base.as_ref())
    }

    /// A `<blockquote cite>` or `<q cite>` just opened (on top of the stack).
    fn open_cite(&mut self, tag: &Tag, line: u32) {
        let Some(url) = attr(tag, "cite").and_then(|c| self.resolve(c)) else {
            return;
        };
        if !self.visible() {
            return;
        }
        let elem = self.stack.len() - 1;
        let (scope, from) = self
            .figures
            .last()
            .copied()
            .unwrap_or_else(|| (elem, self.pos()));
        self.unattached.push(self.cites.len());
        self.open_cites.push(self.cites.len());
        self.cites.push(Cite {
            url,
            line,
            elem,
            scope,
            from,
            to: None,
            at: None,
        });
    }

    /// The stack element at `idx` (and any above it) has closed.
    fn end_cites(&mut self, idx: usize) {
        // A quotation without visible text: its own line.
        while let Some(&c) = self.unattached.last() {
            if self.cites[c].elem < idx {
                break;
            }
            self.unattached.pop();
            let cite = &mut self.cites[c];
            let offset = self.cur.as_ref().map_or(0, |l| l.text.len());
            let link = cite_link(cite.url.clone(), cite.line, offset);
            cite.at = Some((self.lines.len(), offset));
            if let Some(cur) = self.cur.as_mut() {
                cur.links.push(link);
            } else {
                let mut own = Line::new(cite.line, LineKind::Text);
                own.links.push(link);
                self.lines.push(own);
                self.lines.push(Line::new(0, LineKind::Blank));
            }
        }
        while let Some(&c) = self.open_cites.last() {
            if self.cites[c].scope < idx {
                break;
            }
            self.open_cites.pop();
            self.cites[c].to = Some(self.pos());
        }
        while self.figures.last().is_some_and(|&(f, _)| f >= idx) {
            self.figures.pop();
        }
    }

    /// Drops the link of every `cite` whose scope also links its URL.
    fn drop_duplicate_cites(&mut self) {
        if self.cites.is_empty() {
            return;
        }
        // Where each cited URL is linked, in document order.
        let mut linked: HashMap<WebUrl, Vec<Pos>> = self
            .cites
            .iter()
            .map(|c| (c.url.clone(), Vec::new()))
            .collect();
        for (i, line) in self.lines.iter().enumerate() {
            for l in &line.links {
                if let Some(v) = linked.get_mut(&l.url) {
                    v.push((i, l.span.0));
                }
            }
        }
        for v in linked.values_mut() {
            v.sort_unstable();
        }
        for cite in &self.cites {
            let (Some(at), Some(to)) = (cite.at, cite.to) else {
                continue;
            };
            let Some(v) = linked.get_mut(&cite.url) else {
                continue;
            };
            let lo = v.partition_point(|&p| p < cite.from);
            let hi = v.partition_point(|&p| p < to);
            let own = usize::from(cite.from <= at && at < to);
            if hi - lo <= own {
                continue;
            }
            let Some(line) = self.lines.get_mut(at.0) else {
                continue;
            };
            let mine = line.links.iter().position(|l| {
                l.url == cite.url
                    && l.span == (at.1, at.1)
                    && l.text.is_empty()
                    && l.line == cite.line
            });
            if let Some(k) = mine {
                line.links.remove(k);
                if let Some(j) = v.iter().position(|&p| p == at) {
                    v.remove(j);
                }
            }
        }
    }

    fn visible(&self) -> bool {
        self.depth.chrome == 0 && self.depth.hidden == 0 && (!self.has_main || self.depth.main > 0)
    }

    fn tag(&mut self, tag: Tag, line: u32) -> TokenSinkResult<()> {
        // The tokenizer lowercases tag names already.
        let name = if tag.name.bytes().any(|b| b.is_ascii_uppercase()) {
            LocalName::from(tag.name.to_ascii_lowercase())
        } else {
            tag.name.clone()
        };
        match tag.kind {
            TagKind::StartTag => self.start(&name, &tag, line),
            TagKind::EndTag => {
                self.end(&name);
                TokenSinkResult::Continue
            }
        }
    }

    fn start(&mut self, atom: &LocalName, tag: &Tag, line: u32) -> TokenSinkResult<()> {
        let name: &str = atom;
        match name {
            "base" => self.base = attr(tag, "href").and_then(parse_http_like),
            "link" if self.base.is_none() => {
                let canonical =
                    attr(tag, "rel").is_some_and(|r| r.eq_ignore_ascii_case("canonical"));
                if canonical {
                    self.base = attr(tag, "href").and_then(parse_http_like);
                }
            }
            "meta" if self.base.is_none() && attr(tag, "property") == Some("og:url") => {
                self.base = attr(tag, "content").and_then(parse_http_like);
            }
            _ => {}
        }
        if is_block(name) {
            self.flush();
        }
        // Implicitly closed elements.
        if matches!(name, "li" | "p" | "dt" | "dd") {
            if let Some(pos) = self.stack.iter().rposition(|o| o.name == *atom) {
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
            code: VERBATIM.contains(&name),
            heading: matches!(name, "h1" | "h2" | "h3" | "h4" | "h5" | "h6"),
            list: matches!(name, "ul" | "ol"),
            notes: classes
                .split_ascii_whitespace()
                .chain(std::iter::once(id))
                .any(|t| contains_ignore_case(t, "footnote") || contains_ignore_case(t, "endnote")),
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
        // Everything after `<plaintext>` is its text, to the end.
        let plaintext = name == "plaintext";
        if VOID.contains(&name) || tag.self_closing && raw.is_none() && !plaintext {
            return TokenSinkResult::Continue;
        }
        if name == "figure" {
            self.figures.push((self.stack.len(), self.pos()));
        }
        self.push_open(atom.clone(), flags);
        if matches!(name, "blockquote" | "q") {
            self.open_cite(tag, line);
        }
        if plaintext {
            return TokenSinkResult::Plaintext;
        }

        match name {
            "ol" => {
                let start = attr(tag, "start")
                    .and_then(|s| s.trim().parse().ok())
                    .unwrap_or(1);
                self.lists.push(Some(start));
            }
            "ul" => self.lists.push(None),
            "li" => {
                let value = attr(tag, "value").and_then(|s| s.trim().parse::<u32>().ok());
                let ordinal = match self.lists.last_mut() {
                    Some(Some(n)) => {
                        let v = value.unwrap_or(*n);
                        *n = v.saturating_add(1);
                        Some(v)
                    }
                    _ => None,
                };
                // A footnote (`<li id="fn1">`, or an entry of a footnotes
                // section) goes to the items whose `<sup>` marks it.
                let note = attr(tag, "id").and_then(footnote_number);
                let kind = match note.or(ordinal) {
                    Some(n) if note.is_some() || self.depth.notes > 0 => LineKind::FootnoteDef(n),
                    _ => LineKind::ListItem(ordinal),
                };
                self.begin(line, kind);
            }
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => self.begin(line, LineKind::Heading),
            "a" => self.open_link(tag, line),
            "sup" => self.sup_start = Some(self.cur.as_ref().map_or(0, |l| l.text.len())),
            _ => {}
        }
        match raw {
            Some(kind) => TokenSinkResult::RawData(kind),
            None => TokenSinkResult::Continue,
        }
    }

    fn open_link(&mut self, tag: &Tag, line: u32) {
        self.close_link();
        let rel = attr(tag, "rel").unwrap_or("").to_ascii_lowercase();
        let taxonomy = rel
            .split_whitespace()
            .any(|r| r == "tag" || r == "category");
        let url = if taxonomy {
            None
        } else {
            self.resolve(attr(tag, "href").unwrap_or("")).filter(|u| {
                let p = u.path();
                !(p.contains("/category/") || p.contains("/tag/") || p.contains("/tags/"))
            })
        };
        // The space before the anchor belongs before it, not in its text.
        if let Some(cur) = self.cur.as_mut().filter(|_| self.space_pending) {
            cur.text.to_mut().push(' ');
            self.space_pending = false;
        }
        let start = self.cur.as_ref().map_or(0, |l| l.text.len());
        self.link = Some(OpenLink { url, start, line });
    }

    fn close_link(&mut self) {
        let Some(open) = self.link.take() else {
            return;
        };
        let visible = self.visible();
        let Some(cur) = self.cur.as_ref() else {
            return;
        };
        let start = open.start.min(cur.text.len());
        let end = cur.text.len();
        self.no_scan.push((start, end));
        // A heading's link to the page's own site is a permalink, not a source.
        let own_site = |u: &WebUrl| {
            self.depth.heading > 0
                && self
                    .base
                    .as_ref()
                    .is_some_and(|b| b.host_str() == Some(u.host_str()))
        };
        let url = open.url.filter(|u| !own_site(u));
        let Some(cur) = self.cur.as_mut() else {
            return;
        };
        if let (Some(url), true) = (url, visible) {
            let text = cur.text[start..end].trim().to_string();
            cur.links.push(Link {
                url,
                text,
                kind: LinkKind::Anchor,
                line: open.line,
                span: (start, end),
            });
        }
    }

    fn push_open(&mut self, name: LocalName, flags: Flags) {
        self.depth.chrome += usize::from(flags.chrome);
        self.depth.main += usize::from(flags.main);
        self.depth.hidden += usize::from(flags.hidden);
        self.depth.code += usize::from(flags.code);
        self.depth.heading += usize::from(flags.heading);
        self.depth.notes += usize::from(flags.notes);
        self.stack.push(Open { name, flags });
    }

    fn pop_to(&mut self, pos: usize) {
        while self.stack.len() > pos {
            let Some(open) = self.stack.pop() else {
                break;
            };
            self.closed(&open);
            self.end_cites(self.stack.len());
        }
    }

    fn closed(&mut self, open: &Open) {
        let f = open.flags;
        match &*open.name {
            "a" => self.close_link(),
            "ol" | "ul" => {
                self.lists.pop();
            }
            "title" => self.in_title = false,
            "sup" => self.close_sup(),
            _ => {}
        }
        if is_block(&open.name) {
            self.flush();
        }
        self.depth.chrome -= usize::from(f.chrome);
        self.depth.main -= usize::from(f.main);
        self.depth.hidden -= usize::from(f.hidden);
        self.depth.code -= usize::from(f.code);
        self.depth.heading -= usize::from(f.heading);
        self.depth.notes -= usize::from(f.notes);
    }

    fn close_sup(&mut self) {
        let Some(start) = self.sup_start.take() else {
            return;
        };
        if let Some(cur) = self.cur.as_mut() {
            let t = cur.text.get(start..).unwrap_or("").trim();
            let t = t.trim_matches(['[', ']', '(', ')', '{', '}']);
            if let Ok(n) = t.parse() {
                cur.marks.push(n);
            }
        }
    }

    fn end(&mut self, name: &LocalName) {
        if &**name == "br" {
            self.flush();
            return;
        }
        // Atoms compare by pointer.
        if let Some(pos) = self.stack.iter().rposition(|o| o.name == *name) {
            self.pop_to(pos);
        }
    }

    fn chars(&mut self, t: &str, line: u32) {
        if self.in_title {
            self.title.push_str(t);
            return;
        }
        if !self.visible() {
            return;
        }
        let code = self.depth.code > 0;
        let cur = self
            .cur
            .get_or_insert_with(|| Line::new(line, LineKind::Text));
        // The tokenizer reports the line where a token ends.
        let newlines = u32::try_from(memchr::memchr_iter(b'\n', t.as_bytes()).count()).unwrap_or(0);
        let mut first_line = line.saturating_sub(newlines).max(1);
        let start_len = cur.text.len();
        let text = cur.text.to_mut();
        for (i, part) in split_lines_inclusive(t).enumerate() {
            if i > 0 {
                first_line = first_line.saturating_add(1);
            }
            // Whitespace folds to one space between words, none at the
            // start of a line: the text is appended a word at a time.
            for word in Words::new(part) {
                let Some(word) = word else {
                    self.space_pending = !text.is_empty();
                    continue;
                };
                if self.space_pending {
                    text.push(' ');
                    self.space_pending = false;
                }
                if text.is_empty() {
                    cur.number = first_line;
                }
                // A quotation's source goes where its text starts.
                for c in self.unattached.drain(..) {
                    let cite = &mut self.cites[c];
                    let offset = text.len();
                    cur.links
                        .push(cite_link(cite.url.clone(), cite.line, offset));
                    cite.at = Some((self.lines.len(), offset));
                }
                if self.line_at.last().is_none_or(|&(_, l)| l != first_line) {
                    self.line_at.push((text.len(), first_line));
                }
                text.push_str(word);
            }
        }
        if code {
            self.no_scan.push((start_len, cur.text.len()));
        }
    }

    fn begin(&mut self, line: u32, kind: LineKind) {
        self.flush();
        self.cur = Some(Line::new(line, kind));
    }

    fn flush(&mut self) {
        // A link or footnote mark left open across a block keeps its text so far.
        if self.link.is_some() {
            self.close_link();
        }
        let Some(mut line) = self.cur.take() else {
            return;
        };
        self.space_pending = false;
        let heading = self.depth.heading > 0 || line.kind == LineKind::Heading;
        if heading && line.kind == LineKind::Text {
            line.kind = LineKind::Heading;
        }
        let mut bare = bare_links(&line.text, line.number, &self.no_scan);
        for l in &mut bare {
            let idx = self.line_at.partition_point(|&(off, _)| off <= l.span.0);
            if idx > 0 {
                l.line = self.line_at[idx - 1].1;
            }
        }
        line.links.extend(bare);
        line.links.sort_by_key(|l| l.span.0);
        self.no_scan.clear();
        self.line_at.clear();
        if !line.is_blank() || !line.marks.is_empty() {
            self.lines.push(line);
            self.lines.push(Line::new(0, LineKind::Blank));
        }
    }
}

/// The words of a text and the whitespace between them (`None`: a run of
/// whitespace as `char::is_whitespace` has it), words separated by a single
/// ASCII space taken together (`"a b"`: they fold to themselves). A byte at a time through
/// a table: every character of every page goes through here.
struct Words<'a> {
    text: &'a str,
    at: usize,
}

/// Per byte: 0 within a word, 1 ASCII whitespace, 2 the first byte of
/// the only characters beyond ASCII that can be whitespace (U+0085, U+00A0,
/// U+1680, U+2000–U+205F, U+3000): `0xC2`, `0xE1`, `0xE2`, `0xE3`. A
/// continuation byte is never one of these, so any position may be tested.
static BYTE_CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        t[b] = match b as u8 {
            b' ' | b'\t'..=b'\r' => 1,
            0xC2 | 0xE1 | 0xE2 | 0xE3 => 2,
            _ => 0,
        };
        b += 1;
    }
    t
};

impl<'a> Words<'a> {
    fn new(text: &'a str) -> Self {
        Words { text, at: 0 }
    }

    /// The length of the whitespace character at `i`, or 0.
    fn space_at(&self, i: usize) -> usize {
        match BYTE_CLASS[usize::from(self.text.as_bytes()[i])] {
            0 => 0,
            1 => 1,
            _ => self
                .text
                .get(i..)
                .and_then(|rest| rest.chars().next())
                .filter(|c| c.is_whitespace())
                .map_or(0, char::len_utf8),
        }
    }
}

impl<'a> Iterator for Words<'a> {
    type Item = Option<&'a str>;

    fn next(&mut self) -> Option<Self::Item> {
        let bytes = self.text.as_bytes();
        let start = self.at;
        let mut i = start;
        while i < bytes.len() {
            let n = self.space_at(i);
            if n == 0 {
                break;
            }
            i += n;
        }
        if i > start {
            self.at = i;
            return Some(None);
        }
        // Words and the single spaces between them: they fold to
        // themselves, so they are taken whole.
        let word_at = |i: usize| i < bytes.len() && self.space_at(i) == 0;
        while i < bytes.len() {
            i = crate::bytes::skip_plain(bytes, i);
            let Some(&b) = bytes.get(i) else {
                break;
            };
            if BYTE_CLASS[usize::from(b)] != 0 && self.space_at(i) > 0 {
                if bytes[i] == b' ' && word_at(i + 1) {
                    i += 2;
                    continue;
                }
                break;
            }
            i += 1;
        }
        self.at = i;
        (i > start).then(|| Some(&self.text[start..i]))
    }
}

/// `text.split_inclusive('\n')`, by `memchr`: std's search for a `char`
/// goes a byte at a time, and every text of every page is split here.
fn split_lines_inclusive(text: &str) -> impl Iterator<Item = &str> {
    let mut start = 0;
    memchr::memchr_iter(b'\n', text.as_bytes())
        .map(|i| i + 1)
        .chain(std::iter::once(text.len()))
        .filter_map(move |end| {
            // A newline is ASCII: every `end` is a character boundary.
            let part = text.get(start..end).filter(|p| !p.is_empty());
            start = end;
            part
        })
}

/// The link a `cite` attribute makes: no text of its own, at `offset`.
fn cite_link(url: WebUrl, line: u32, offset: usize) -> Link {
    Link {
        url,
        text: String::new(),
        kind: LinkKind::Anchor,
        line,
        span: (offset, offset),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_split_as_split_inclusive_does() {
        for t in ["", "\n", "a", "a\n", "a\nb", "\n\na\n\nb\n", "é\n中\r\n"] {
            let ours: Vec<&str> = split_lines_inclusive(t).collect();
            let std: Vec<&str> = t.split_inclusive('\n').collect();
            assert_eq!(ours, std, "{t:?}");
        }
    }

    #[test]
    fn a_page_read_in_pieces_reads_as_a_whole() {
        let digest = include_str!("../../tests/fixtures/digest.html");
        let tricky = "<p title='a&amp;b'>Caf\u{e9} &eacute; &#x4e2d; <!-- c -- d --> x<br/>\
                      <a href=\"https://example.com/\u{4e2d}?a=1&amp;b=2\">\u{4e2d}\u{6587}</a>\
                      <script>if (a < b) {}</script><pre>https://x.example/a</pre>\
                      <blockquote cite=\"https://q.example/\">q</blockquote></p>";
        let bom = "\u{feff}<p>a\u{feff}b <b>\u{feff}</b>\u{feff}c</p>";
        for text in [digest, tricky, bom] {
            let whole = read_fed(text, usize::MAX);
            for size in [1, 2, 3, 7, 64, 4096] {
                assert_eq!(read_fed(text, size), whole, "pieces of {size} bytes");
            }
        }
    }

    #[test]
    fn block_elements() {
        const BLOCK: [&str; 33] = [
            "p",
            "div",
            "li",
            "ul",
            "ol",
            "h1",
            "h2",
            "h3",
            "h4",
            "h5",
            "h6",
            "br",
            "tr",
            "td",
            "th",
            "table",
            "blockquote",
            "section",
            "article",
            "main",
            "dt",
            "dd",
            "dl",
            "pre",
            "hr",
            "header",
            "footer",
            "figure",
            "figcaption",
            "nav",
            "aside",
            "address",
            "details",
        ];
        for name in BLOCK {
            assert!(is_block(name), "{name}");
        }
        for name in ["a", "span", "b", "sup", "q", "img", "script", "ps", "d", ""] {
            assert!(!is_block(name), "{name}");
        }
    }

    #[test]
    fn words_fold_every_kind_of_whitespace() {
        let words = |t: &str| -> Vec<Option<String>> {
            Words::new(t).map(|w| w.map(str::to_string)).collect()
        };
        let w = |s: &str| Some(s.to_string());
        assert_eq!(words("a b"), [w("a b")]);
        assert_eq!(words("a  b c"), [w("a"), None, w("b c")]);
        assert_eq!(words("a b "), [w("a b"), None]);
        assert_eq!(words(" a"), [None, w("a")]);
        assert_eq!(
            words("  a\t\n\u{0b}\u{0c}\rb "),
            [None, w("a"), None, w("b"), None]
        );
        // No-break, ideographic and other Unicode spaces separate words;
        // characters that share their first byte do not.
        assert_eq!(
            words("中\u{3000}文\u{a0}x\u{2009}y z"),
            [w("中"), None, w("文"), None, w("x"), None, w("y z")]
        );
        assert_eq!(words("€–ā、"), [w("€–ā、")]);
        assert_eq!(words(""), Vec::<Option<String>>::new());
        // The same split as `char::is_whitespace`.
        let text = "Mixed\u{85} text\u{1680}with\u{2028}all\u{205f}kinds \u{3000}　of 空白";
        let ours: Vec<String> = Words::new(text)
            .flatten()
            .flat_map(|run| run.split(' '))
            .map(str::to_string)
            .collect();
        let std: Vec<String> = text
            .split(char::is_whitespace)
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect();
        assert_eq!(ours, std);
    }

    /// [`Words`] as it was written before [`crate::bytes::skip_plain`]: a
    /// byte at a time.
    fn words_bytewise(text: &str) -> Vec<Option<&str>> {
        let mut out = Vec::new();
        let mut w = Words::new(text);
        let bytes = text.as_bytes();
        loop {
            let start = w.at;
            let mut i = start;
            while i < bytes.len() && w.space_at(i) > 0 {
                i += w.space_at(i);
            }
            if i > start {
                w.at = i;
                out.push(None);
                continue;
            }
            while i < bytes.len() {
                if w.space_at(i) > 0 {
                    let word_next = i + 1 < bytes.len() && w.space_at(i + 1) == 0;
                    if bytes[i] == b' ' && word_next {
                        i += 2;
                        continue;
                    }
                    break;
                }
                i += 1;
            }
            if i == start {
                return out;
            }
            w.at = i;
            out.push(Some(&text[start..i]));
        }
    }

    #[test]
    fn words_taken_eight_bytes_at_a_time_are_the_words_taken_one_at_a_time() {
        let pieces = [
            "a", "b", "word", " ", " ", "  ", "\t", "\n", "\r", "\u{a0}", "\u{3000}", "’", "中",
            "é", "x y", "\u{7f}", "~", "\u{85}", "\u{2009}", "12345678",
        ];
        let mut rng = fastrand::Rng::with_seed(7);
        for _ in 0..3000 {
            let n = rng.usize(0..40);
            let text: String = (0..n).map(|_| pieces[rng.usize(..pieces.len())]).collect();
            let ours: Vec<Option<&str>> = Words::new(&text).collect();
            assert_eq!(ours, words_bytewise(&text), "{text:?}");
        }
    }
}
