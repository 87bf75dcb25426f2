//! Robust Links: a copy of a digest in which every citation carries its
//! archived copy (<https://robustlinks.mementoweb.org/spec/>).
//!
//! [`robustify`] rewrites a document in place, as text: everything that is
//! not a link to a URL with a copy comes out byte for byte as it went in.
//!
//! - **HTML**: the start tag of each `<a href>` gets `data-originalurl`
//!   (the citation URL, absolute and normalized as below, which is what was
//!   archived), `data-versionurl` and `data-versiondate` (replacing any it
//!   had). A URL written out in the text, outside any `<a>`, is left alone:
//!   it has no tag to carry them.
//! - **Markdown**: ` ([archived copy, YYYY-MM-DD](MEMENTO))` follows each
//!   inline, reference-style or autolink and each bare URL in text. Links
//!   are found with pulldown-cmark's offset iterator, so code spans, code
//!   blocks, raw HTML (an `<a>` in it too) and image descriptions are left
//!   alone. A reference
//!   definition (`[1]: URL`) gets nothing: it is not shown, so the archived
//!   copy follows each place the reference is used (`[text][1]`).
//! - **Plain text**: ` (archived copy, YYYY-MM-DD: MEMENTO)` follows each URL.
//!
//! A link is matched to its copy by the URL the extractor would cite for it
//! ([`parse_web_url`]: WHATWG serialization without credentials, IRIs
//! percent-encoded, entities decoded). Running it again on its own
//! output changes nothing: an annotation that already follows a link is
//! replaced, never doubled, and the archive links it holds are not
//! annotated themselves.
//!
//! # Why HTML is not re-serialized
//!
//! Parsing the page into a tree (html5ever's tree builder, `scraper`) and
//! serializing it back would rewrite the whole document: quotes, attribute
//! order, entities, implied `<html>`/`<tbody>`/`</p>`, whitespace and
//! comments would all come out the tree's way, so a diff of the robustified
//! digest would show every line changed. Only the start tags of the links
//! should change. html5ever's tokenizer — which the extractor already uses
//! (`extract/html.rs`), so both agree on which `<a>` elements are real — knows
//! which `<a>` are start tags (not in comments, `<script>`, `<style>`,
//! `<textarea>`, CDATA-like raw text) and decodes their `href`, but its
//! sink is only told the line of a token, not its byte offsets.
//!
//! Byte offsets are had cheaply anyway: the input is fed to the tokenizer in
//! chunks that each end just after a `>`. A tag is emitted as soon as its `>`
//! is read, so a tag emitted while a chunk is fed ends where that chunk ends.
//! Between the previous tag, comment or doctype token and this one there is
//! only character data, in which any `<` followed by a letter would have
//! opened a tag: so the `<a` tag starts at the first such `<`. A small
//! start-tag scanner (below), which follows the HTML tokenizer's attribute
//! states, lexes it from there; it must end exactly where the token did with
//! the same attribute names, which checks the offsets. The scanner also
//! gives the byte range of every attribute, so old `data-*` robust-link
//! attributes can be cut out and the new ones written after the last
//! attribute. One pass, linear in the document. A tag that cannot be located
//! this way is left as it is (and not counted).

use crate::extract::urls::{find_urls, parse_web_url, WebUrl};
use crate::model::{Format, Timestamp};
use std::collections::HashMap;

/// The archived copy a link is given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RobustLink {
    /// The memento's URL (URI-M), e.g.
    /// `https://web.archive.org/web/20251128120000/https://example.com/a`.
    pub version_url: String,
    /// When the copy was captured; written as an ISO 8601 date.
    pub version_date: Timestamp,
}

/// Rewrites `source` (read as `format`) so every link to a URL in `copies` (keyed by normalized URL) carries its copy; returns the new text and how many links were given one.
///
/// Keys are citation URLs as the extractor writes them
/// ([`Citation::url`](crate::model::Citation::url)). A link that already
/// carries a copy is given the one in `copies` instead and counted again,
/// so a second run returns the same text and the same count.
pub fn robustify(
    source: &str,
    format: Format,
    copies: &HashMap<String, RobustLink>,
) -> (String, usize) {
    if copies.is_empty() {
        return (source.to_string(), 0);
    }
    let edits = match format {
        Format::Text => text_edits(source, copies),
        Format::Markdown => markdown_edits(source, copies),
        Format::Html => html::edits(source, copies),
    };
    apply(source, edits)
}

/// The URL a citation of `url` is stored under (without credentials, as
/// a [`WebUrl`] is kept).
fn cited(url: &WebUrl) -> String {
    url.as_str().to_owned()
}

/// The citation URL of a URL as written, if it is one that can be cited.
fn cited_str(raw: &str) -> Option<String> {
    parse_web_url(raw).map(WebUrl::into_string)
}

/// Replace `start..end` of the source with `text`.
#[derive(Debug)]
struct Edit {
    start: usize,
    end: usize,
    text: String,
}

/// Applies non-overlapping edits; returns the text and how many were applied.
fn apply(source: &str, mut edits: Vec<Edit>) -> (String, usize) {
    edits.sort_by_key(|e| (e.start, e.end));
    let extra: usize = edits.iter().map(|e| e.text.len()).sum();
    let mut out = String::with_capacity(source.len() + extra);
    let mut at = 0;
    let mut applied = 0;
    for e in edits {
        if e.start < at {
            continue;
        }
        let (Some(kept), true) = (source.get(at..e.start), source.is_char_boundary(e.end)) else {
            continue;
        };
        out.push_str(kept);
        out.push_str(&e.text);
        at = e.end;
        applied += 1;
    }
    out.push_str(source.get(at..).unwrap_or(""));
    (out, applied)
}

/// A link or URL as written: where it starts, where an annotation goes
/// (just after it), and the URL it cites.
#[derive(Debug)]
struct Target {
    start: usize,
    end: usize,
    key: Option<String>,
}

/// Turns targets into edits: each target whose URL has a copy gets its
/// annotation, replacing the one that follows it already (`existing` gives
/// its end). Targets inside an existing annotation (its archive link) are
/// never annotated.
fn annotate(
    targets: &[Target],
    copies: &HashMap<String, RobustLink>,
    existing: impl Fn(usize) -> Option<usize>,
    render: impl Fn(&RobustLink) -> String,
) -> Vec<Edit> {
    let mut edits = Vec::new();
    let mut covered_to = 0;
    for t in targets {
        if t.start < covered_to {
            continue;
        }
        let old_end = existing(t.end);
        if let Some(end) = old_end {
            covered_to = end;
        }
        let Some(copy) = t.key.as_ref().and_then(|k| copies.get(k)) else {
            continue;
        };
        edits.push(Edit {
            start: t.end,
            end: old_end.unwrap_or(t.end),
            text: render(copy),
        });
    }
    edits
}

const TEXT_PREFIX: &str = " (archived copy, ";

fn text_annotation(copy: &RobustLink) -> String {
    // Unbalanced parentheses would make the annotation's own `)` ambiguous
    // (to readers, to `find_urls` and to the next run): encode them.
    let url = &copy.version_url;
    let url = if parens_balanced(url) {
        std::borrow::Cow::Borrowed(url.as_str())
    } else {
        std::borrow::Cow::Owned(url.replace('(', "%28").replace(')', "%29"))
    };
    format!("{TEXT_PREFIX}{}: {url})", copy.version_date.date())
}

/// Whether every `)` in `s` closes a `(` and every `(` is closed.
fn parens_balanced(s: &str) -> bool {
    let mut depth = 0i64;
    s.chars().all(|c| {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            _ => {}
        }
        depth >= 0
    }) && depth == 0
}

/// End of a plain-text annotation starting at `at`, if one does: the
/// prefix, a date, `: `, then a URL up to the `)` that closes the
/// annotation's `(`.
fn text_annotation_end(source: &str, at: usize) -> Option<usize> {
    let rest = source.get(at..)?.strip_prefix(TEXT_PREFIX)?;
    let colon = rest.find(": ").filter(|&i| i <= 24)? + 2;
    let mut depth = 1usize;
    for (i, c) in rest[colon..].char_indices() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    return (i > 0).then_some(at + TEXT_PREFIX.len() + colon + i + 1);
                }
            }
            c if c.is_whitespace() => return None,
            _ => {}
        }
    }
    None
}

fn text_edits(source: &str, copies: &HashMap<String, RobustLink>) -> Vec<Edit> {
    let mut targets = Vec::new();
    let mut line_start = 0;
    // Line by line: a URL never spans lines.
    while line_start < source.len() {
        let line_end = memchr::memchr(b'\n', &source.as_bytes()[line_start..])
            .map_or(source.len(), |i| line_start + i);
        if let Some(line) = source.get(line_start..line_end) {
            line_targets(source, line_start, line, &mut targets);
        }
        line_start = line_end + 1;
    }
    annotate(
        &targets,
        copies,
        |at| text_annotation_end(source, at),
        text_annotation,
    )
}

/// The URLs of one line (starting at `offset`). After an annotation that
/// is already there, the run of characters glued to its `)` is read anew,
/// so a URL written right after it is found as on the first run, not as
/// part of the archive link; the rest of the line is not read again.
fn line_targets(source: &str, offset: usize, line: &str, targets: &mut Vec<Target>) {
    if !line.contains("://") {
        return;
    }
    let found = |from: usize, to: usize| {
        find_urls(source.get(from..to).unwrap_or(""))
            .into_iter()
            .map(move |f| (from + f.start, from + f.end, f.url))
    };
    let line_end = offset + line.len();
    let mut pending: std::collections::VecDeque<_> = found(offset, line_end).collect();
    let mut floor = offset;
    while let Some((start, end, url)) = pending.pop_front() {
        if start < floor {
            continue;
        }
        targets.push(Target {
            start,
            end,
            key: Some(cited(&url)),
        });
        let Some(after) = text_annotation_end(source, end) else {
            continue;
        };
        floor = after;
        let glued_end = source
            .get(after..line_end)
            .and_then(|rest| rest.find(char::is_whitespace))
            .map_or(line_end, |i| after + i);
        if glued_end > after {
            while pending.front().is_some_and(|p| p.0 < glued_end) {
                pending.pop_front();
            }
            for (k, f) in found(after, glued_end).enumerate() {
                pending.insert(k, f);
            }
        }
    }
}

const MD_PREFIX: &str = " ([archived copy";

/// A URL as a Markdown link destination: backslashes and unbalanced
/// parentheses escaped, spaces and angle brackets percent-encoded.
fn md_destination(url: &str) -> String {
    let balanced = parens_balanced(url);
    let mut out = String::with_capacity(url.len());
    for c in url.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '(' | ')' if !balanced => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("%3C"),
            '>' => out.push_str("%3E"),
            c if c.is_whitespace() || c.is_control() => {
                let mut buf = [0u8; 4];
                for b in c.encode_utf8(&mut buf).bytes() {
                    out.push_str(&format!("%{b:02X}"));
                }
            }
            c => out.push(c),
        }
    }
    out
}

fn md_annotation(copy: &RobustLink) -> String {
    format!(
        "{MD_PREFIX}, {}]({}))",
        copy.version_date.date(),
        md_destination(&copy.version_url)
    )
}

fn markdown_edits(source: &str, copies: &HashMap<String, RobustLink>) -> Vec<Edit> {
    use pulldown_cmark::{Event, LinkType, Options, Parser, Tag, TagEnd};
    // The extractor's options, so both see the same links.
    let opts = Options::ENABLE_FOOTNOTES | Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let mut targets = Vec::new();
    // Every link's source range, by start: an annotation is a link.
    let mut links: HashMap<usize, usize> = HashMap::new();
    let (mut link, mut image, mut code) = (0usize, 0usize, 0usize);
    // A run of adjacent text: its source range and its text as parsed.
    let mut run: Option<(usize, usize, String)> = None;
    let flush = |run: &mut Option<(usize, usize, String)>, targets: &mut Vec<Target>| {
        if let Some((start, end, parsed)) = run.take() {
            bare_urls(source, start, end, &parsed, targets);
        }
    };
    for (event, range) in Parser::new_ext(source, opts).into_offset_iter() {
        match event {
            Event::Text(t) => {
                if link > 0 || image > 0 || code > 0 {
                    continue;
                }
                match &mut run {
                    Some((_, end, parsed)) if *end == range.start => {
                        *end = range.end;
                        parsed.push_str(&t);
                    }
                    _ => {
                        flush(&mut run, &mut targets);
                        run = Some((range.start, range.end, t.to_string()));
                    }
                }
            }
            event => {
                flush(&mut run, &mut targets);
                match event {
                    Event::Start(Tag::Link {
                        link_type,
                        dest_url,
                        ..
                    }) => {
                        if link == 0 && image == 0 {
                            links.insert(range.start, range.end);
                            let key = match link_type {
                                LinkType::Email => None,
                                _ => cited_str(&dest_url),
                            };
                            targets.push(Target {
                                start: range.start,
                                end: range.end,
                                key,
                            });
                        }
                        link += 1;
                    }
                    Event::End(TagEnd::Link) => link = link.saturating_sub(1),
                    Event::Start(Tag::Image { .. }) => image += 1,
                    Event::End(TagEnd::Image) => image = image.saturating_sub(1),
                    Event::Start(Tag::CodeBlock(_)) => code += 1,
                    Event::End(TagEnd::CodeBlock) => code = code.saturating_sub(1),
                    _ => {}
                }
            }
        }
    }
    flush(&mut run, &mut targets);
    targets.sort_by_key(|t| t.start);
    // An annotation: ` (` then a link whose text starts "archived copy",
    // then `)`.
    let existing = |at: usize| {
        source.get(at..)?.strip_prefix(MD_PREFIX)?;
        let end = *links.get(&(at + 2))?;
        source.get(end..)?.starts_with(')').then_some(end + 1)
    };
    annotate(&targets, copies, existing, md_annotation)
}

/// Bare URLs in the text run `start..end` of `source` (`parsed` is its
/// text after unescaping). Positions come from the source; the URL is the
/// parsed one when both hold the same number of URLs (a URL written with
/// `&amp;` or `\_` cites the decoded text, as the extractor reads it).
fn bare_urls(source: &str, start: usize, end: usize, parsed: &str, targets: &mut Vec<Target>) {
    let Some(written) = source.get(start..end) else {
        return;
    };
    if !written.contains("://") {
        return;
    }
    let found = find_urls(written);
    let decoded = if written == parsed {
        None
    } else {
        Some(find_urls(parsed)).filter(|d| d.len() == found.len())
    };
    for (i, f) in found.iter().enumerate() {
        let url = decoded.as_ref().map_or(&f.url, |d| &d[i].url);
        targets.push(Target {
            start: start + f.start,
            end: start + f.end,
            key: Some(cited(url)),
        });
    }
}

/// Escapes an attribute value for a double-quoted attribute.
fn escape_attr(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

mod html {
    use super::{escape_attr, Edit, RobustLink};
    use crate::extract::attr;
    use crate::extract::urls::{parse_http_like, resolve_web_url, WebUrl};
    use html5ever::tendril::StrTendril;
    use html5ever::tokenizer::states::RawKind;
    use html5ever::tokenizer::{
        BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
    };
    use std::cell::{Cell, RefCell};
    use std::collections::HashMap;
    use url::Url;

    /// The attributes robustify writes; any already there are removed.
    pub(super) const ROBUST_ATTRS: [&str; 3] =
        ["data-originalurl", "data-versionurl", "data-versiondate"];

    /// An `<a>` start tag the tokenizer emitted.
    struct Anchor {
        /// Its `<` is at or after this offset (the end of the previous
        /// markup token).
        from: usize,
        /// Just past its `>`.
        end: usize,
        /// Its attribute names, in order, without repeats.
        names: Vec<String>,
        /// The citation URL of its `href`.
        key: Option<String>,
    }

    struct Sink {
        /// End of the input fed so far.
        fed_to: Cell<usize>,
        /// End of the last tag, comment or doctype.
        boundary: Cell<usize>,
        base: RefCell<Option<Url>>,
        anchors: RefCell<Vec<Anchor>>,
    }

    impl TokenSink for Sink {
        type Handle = ();

        fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
            match token {
                Token::TagToken(tag) => {
                    let from = self.boundary.replace(self.fed_to.get());
                    if tag.kind == TagKind::StartTag {
                        return self.start(&tag, from);
                    }
                }
                Token::CommentToken(_) | Token::DoctypeToken(_) => {
                    self.boundary.set(self.fed_to.get());
                }
                _ => {}
            }
            TokenSinkResult::Continue
        }
    }

    impl Sink {
        /// A start tag: the base URL and links as the extractor reads them,
        /// and the same raw-text elements.
        fn start(&self, tag: &Tag, from: usize) -> TokenSinkResult<()> {
            let name = tag.name.to_ascii_lowercase();
            let mut base = self.base.borrow_mut();
            match name.as_str() {
                "base" => *base = attr(tag, "href").and_then(parse_http_like),
                "link"
                    if base.is_none()
                        && attr(tag, "rel")
                            .is_some_and(|r| r.eq_ignore_ascii_case("canonical")) =>
                {
                    *base = attr(tag, "href").and_then(parse_http_like);
                }
                "meta" if base.is_none() && attr(tag, "property") == Some("og:url") => {
                    *base = attr(tag, "content").and_then(parse_http_like);
                }
                "a" => {
                    let href = attr(tag, "href").unwrap_or("");
                    let url = resolve_web_url(href, base.as_ref());
                    let mut names: Vec<String> = Vec::with_capacity(tag.attrs.len());
                    for a in &tag.attrs {
                        let n = a.name.local.to_string();
                        if !names.contains(&n) {
                            names.push(n);
                        }
                    }
                    self.anchors.borrow_mut().push(Anchor {
                        from,
                        end: self.fed_to.get(),
                        names,
                        key: url.map(WebUrl::into_string),
                    });
                }
                _ => {}
            }
            match name.as_str() {
                "script" => TokenSinkResult::RawData(RawKind::ScriptData),
                "style" | "xmp" | "iframe" | "noembed" | "noframes" | "noscript" => {
                    TokenSinkResult::RawData(RawKind::Rawtext)
                }
                "title" | "textarea" => TokenSinkResult::RawData(RawKind::Rcdata),
                _ => TokenSinkResult::Continue,
            }
        }
    }

    /// The `<a>` start tags of `source`, located.
    fn anchors(source: &str) -> Vec<Anchor> {
        let sink = Sink {
            fed_to: Cell::new(0),
            boundary: Cell::new(0),
            base: RefCell::new(None),
            anchors: RefCell::new(Vec::new()),
        };
        let tokenizer = Tokenizer::new(sink, TokenizerOpts::default());
        let queue = BufferQueue::default();
        let mut from = 0;
        let ends = memchr::memchr_iter(b'>', source.as_bytes())
            .map(|i| i + 1)
            .chain(std::iter::once(source.len()));
        for to in ends {
            if to <= from {
                continue;
            }
            tokenizer.sink.fed_to.set(to);
            // `>` is ASCII, so every chunk boundary is a char boundary.
            queue.push_back(StrTendril::from_slice(source.get(from..to).unwrap_or("")));
            let _ = tokenizer.feed(&queue);
            from = to;
        }
        tokenizer.end();
        tokenizer.sink.anchors.into_inner()
    }

    pub(super) fn edits(source: &str, copies: &HashMap<String, RobustLink>) -> Vec<Edit> {
        let bytes = source.as_bytes();
        let mut edits = Vec::new();
        for a in anchors(source) {
            let Some(copy) = a.key.as_ref().and_then(|k| copies.get(k)) else {
                continue;
            };
            let Some((start, lexed)) = locate(bytes, &a) else {
                continue;
            };
            let Some(text) = rewrite(source, start, &lexed, a.key.as_deref().unwrap_or(""), copy)
            else {
                continue;
            };
            edits.push(Edit {
                start,
                end: a.end,
                text,
            });
        }
        edits
    }

    /// The start of the tag `a` and its lexed form. Between the previous
    /// markup token and this tag there is only character data, where every
    /// `<` followed by a letter opens a tag (which would have been a token):
    /// so the tag opens at the first such `<` after that token. Lexing it
    /// must end where the token ended, with the same attribute names.
    fn locate(bytes: &[u8], a: &Anchor) -> Option<(usize, Lexed)> {
        let window = bytes.get(a.from..a.end)?;
        if window.last() != Some(&b'>') {
            return None;
        }
        let start = memchr::memchr_iter(b'<', window)
            .map(|i| a.from + i)
            .find(|&p| bytes.get(p + 1).is_some_and(u8::is_ascii_alphabetic))?;
        let lexed = lex_start_tag(bytes, start)?;
        let mut names: Vec<&str> = Vec::with_capacity(lexed.attrs.len());
        for attr in &lexed.attrs {
            if !names.contains(&attr.name.as_str()) {
                names.push(&attr.name);
            }
        }
        let is_a = bytes[start + 1..lexed.name_end].eq_ignore_ascii_case(b"a");
        (is_a && lexed.end == a.end && names == a.names).then_some((start, lexed))
    }

    /// The tag at `start..lexed.end` without its old robust-link attributes
    /// and with the new ones after its last attribute.
    fn rewrite(
        source: &str,
        start: usize,
        lexed: &Lexed,
        original: &str,
        copy: &RobustLink,
    ) -> Option<String> {
        let bytes = source.as_bytes();
        let insert_at = lexed.attrs.last().map_or(lexed.name_end, |a| a.end);
        let mut out = String::with_capacity(lexed.end - start + 160);
        let mut at = start;
        for attr in &lexed.attrs {
            if !ROBUST_ATTRS.contains(&attr.name.as_str()) {
                continue;
            }
            // The attribute and the white space before it.
            let lead = bytes[at..attr.start]
                .iter()
                .rposition(|&c| !is_space(c))
                .map_or(at, |i| at + i + 1);
            out.push_str(source.get(at..lead)?);
            // An attribute glued to this one (`x="1"href=…`) keeps a space.
            if bytes
                .get(attr.end)
                .is_some_and(|&c| !is_space(c) && c != b'/' && c != b'>')
            {
                out.push(' ');
            }
            at = attr.end;
        }
        out.push_str(source.get(at..insert_at)?);
        out.push_str(&format!(
            " data-originalurl=\"{}\" data-versionurl=\"{}\" data-versiondate=\"{}\"",
            escape_attr(original),
            escape_attr(&copy.version_url),
            copy.version_date.date()
        ));
        out.push_str(source.get(insert_at..lexed.end)?);
        Some(out)
    }

    /// HTML's ASCII white space (and CR, which the tokenizer reads as LF).
    fn is_space(c: u8) -> bool {
        matches!(c, b'\t' | b'\n' | b'\x0C' | b'\r' | b' ')
    }

    /// One attribute of a lexed tag.
    #[derive(Debug, PartialEq, Eq)]
    pub(super) struct AttrSpan {
        /// The name, ASCII-lowercased as the tokenizer does.
        pub(super) name: String,
        /// First byte of the name.
        pub(super) start: usize,
        /// Just past the last byte of the attribute (the value's closing
        /// quote, or the name when it has no value).
        pub(super) end: usize,
    }

    /// A start tag as written.
    #[derive(Debug, PartialEq, Eq)]
    pub(super) struct Lexed {
        /// Just past the tag name.
        pub(super) name_end: usize,
        pub(super) attrs: Vec<AttrSpan>,
        /// Just past the closing `>`.
        pub(super) end: usize,
    }

    #[derive(Clone, Copy)]
    enum State {
        BeforeName,
        Name,
        AfterName,
        BeforeValue,
        Quoted(u8),
        Unquoted,
        AfterQuoted,
        SelfClosing,
    }

    /// Lexes the start tag at `s` (a `<` then a letter) following the HTML
    /// tokenizer's tag states (§13.2.5.8–13.2.5.40): where its name, each
    /// attribute and the tag end. None if the input ends inside it.
    pub(super) fn lex_start_tag(b: &[u8], s: usize) -> Option<Lexed> {
        if b.get(s) != Some(&b'<') || !b.get(s + 1)?.is_ascii_alphabetic() {
            return None;
        }
        let mut i = s + 1;
        while let Some(&c) = b.get(i) {
            if is_space(c) || c == b'/' || c == b'>' {
                break;
            }
            i += 1;
        }
        let name_end = i;
        let mut attrs: Vec<AttrSpan> = Vec::new();
        let mut state = State::BeforeName;
        let new_attr = |attrs: &mut Vec<AttrSpan>, at: usize| {
            attrs.push(AttrSpan {
                name: String::new(),
                start: at,
                end: at,
            });
        };
        let end_name = |attrs: &mut Vec<AttrSpan>, at: usize| {
            if let Some(a) = attrs.last_mut() {
                a.name = String::from_utf8_lossy(&b[a.start..at]).to_ascii_lowercase();
                a.end = at;
            }
        };
        let extend = |attrs: &mut Vec<AttrSpan>, to: usize| {
            if let Some(a) = attrs.last_mut() {
                a.end = to;
            }
        };
        loop {
            let c = *b.get(i)?;
            match state {
                State::BeforeName => {
                    if is_space(c) {
                        i += 1;
                    } else if c == b'/' || c == b'>' {
                        state = State::AfterName;
                    } else {
                        // `=` here starts a name, as any other character.
                        new_attr(&mut attrs, i);
                        i += 1;
                        state = State::Name;
                    }
                }
                State::Name => {
                    if is_space(c) || c == b'/' || c == b'>' {
                        end_name(&mut attrs, i);
                        state = State::AfterName;
                    } else if c == b'=' {
                        end_name(&mut attrs, i);
                        i += 1;
                        extend(&mut attrs, i);
                        state = State::BeforeValue;
                    } else {
                        i += 1;
                    }
                }
                State::AfterName => match c {
                    c if is_space(c) => i += 1,
                    b'/' => {
                        i += 1;
                        state = State::SelfClosing;
                    }
                    b'=' => {
                        i += 1;
                        extend(&mut attrs, i);
                        state = State::BeforeValue;
                    }
                    b'>' => break,
                    _ => {
                        new_attr(&mut attrs, i);
                        state = State::Name;
                    }
                },
                State::BeforeValue => match c {
                    c if is_space(c) => i += 1,
                    b'"' | b'\'' => {
                        i += 1;
                        state = State::Quoted(c);
                    }
                    b'>' => break,
                    _ => state = State::Unquoted,
                },
                State::Quoted(q) => {
                    let close = memchr::memchr(q, b.get(i..)?)?;
                    i += close + 1;
                    extend(&mut attrs, i);
                    state = State::AfterQuoted;
                }
                State::Unquoted => {
                    if is_space(c) {
                        state = State::BeforeName;
                    } else if c == b'>' {
                        break;
                    } else {
                        i += 1;
                        extend(&mut attrs, i);
                    }
                }
                State::AfterQuoted => match c {
                    c if is_space(c) => {
                        i += 1;
                        state = State::BeforeName;
                    }
                    b'/' => {
                        i += 1;
                        state = State::SelfClosing;
                    }
                    b'>' => break,
                    _ => state = State::BeforeName,
                },
                State::SelfClosing => {
                    if c == b'>' {
                        break;
                    }
                    state = State::BeforeName;
                }
            }
        }
        Some(Lexed {
            name_end,
            attrs,
            end: i + 1,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::html::{lex_start_tag, AttrSpan};
    use super::*;

    fn copies(urls: &[&str]) -> HashMap<String, RobustLink> {
        urls.iter()
            .map(|u| {
                (
                    u.to_string(),
                    RobustLink {
                        version_url: format!("https://web.archive.org/web/20251128120000/{u}"),
                        version_date: Timestamp(1_764_331_200), // 2025-11-28T12:00:00Z
                    },
                )
            })
            .collect()
    }

    fn names(tag: &str) -> Vec<(String, String)> {
        let lexed = lex_start_tag(tag.as_bytes(), 0).expect("a tag");
        assert_eq!(lexed.end, tag.len(), "{tag}");
        lexed
            .attrs
            .iter()
            .map(|a: &AttrSpan| (a.name.clone(), tag[a.start..a.end].to_string()))
            .collect()
    }

    #[test]
    fn lexes_attribute_forms() {
        let n = |v: &[(&str, &str)]| -> Vec<(String, String)> {
            v.iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect()
        };
        assert_eq!(
            names("<A HREF='x>y' title=\"a\" data-x=1 hidden>"),
            n(&[
                ("href", "HREF='x>y'"),
                ("title", "title=\"a\""),
                ("data-x", "data-x=1"),
                ("hidden", "hidden")
            ])
        );
        assert_eq!(
            names("<a\nhref = \"u\"\n/>"),
            n(&[("href", "href = \"u\"")])
        );
        assert_eq!(
            names("<a href=http://x/>"),
            n(&[("href", "href=http://x/")])
        );
        assert_eq!(
            names("<a x=\"1\"y='2'=z>"),
            n(&[("x", "x=\"1\""), ("y", "y='2'"), ("=z", "=z")])
        );
        assert_eq!(names("<a>"), n(&[]));
        assert!(lex_start_tag(b"<a href=\"x>", 0).is_none());
    }

    #[test]
    fn html_tags_rewritten_in_place() {
        let c = copies(&["https://a.example/x?p=1&q=2"]);
        let src = "<p>See <a\nclass=x href=\"https://a.example/x?p=1&amp;q=2\" data-versionurl=old>A</a>.</p>";
        let (out, n) = robustify(src, Format::Html, &c);
        assert_eq!(n, 1);
        assert_eq!(
            out,
            "<p>See <a\nclass=x href=\"https://a.example/x?p=1&amp;q=2\" data-originalurl=\"https://a.example/x?p=1&amp;q=2\" data-versionurl=\"https://web.archive.org/web/20251128120000/https://a.example/x?p=1&amp;q=2\" data-versiondate=\"2025-11-28\">A</a>.</p>"
        );
        assert_eq!(robustify(&out, Format::Html, &c), (out.clone(), 1));
    }

    #[test]
    fn html_unquoted_slash_value_keeps_its_slash() {
        let c = copies(&["http://x.example/"]);
        let (out, n) = robustify("<a href=http://x.example/>x</a>", Format::Html, &c);
        assert_eq!(n, 1);
        assert!(
            out.starts_with("<a href=http://x.example/ data-originalurl=\"http://x.example/\""),
            "{out}"
        );
    }

    #[test]
    fn html_decoy_inside_attribute_value() {
        // The nearest `<a` before the end is inside the title: it must not
        // be taken for the tag's start.
        let c = copies(&["https://a.example/"]);
        let src = "<a title=\"<a href=x>\" href=\"https://a.example/\">t</a>";
        let (out, n) = robustify(src, Format::Html, &c);
        assert_eq!(n, 1);
        assert!(
            out.starts_with("<a title=\"<a href=x>\" href=\"https://a.example/\" data-originalurl"),
            "{out}"
        );
        // `<a x=<a href=…>`: the inner `<a` is a value, and its tag lacks `x`.
        let src = "<a x=<a href=https://a.example/ title='1>2'>t</a>";
        let (out, n) = robustify(src, Format::Html, &c);
        assert_eq!(n, 1);
        assert_eq!(
            out,
            "<a x=<a href=https://a.example/ title='1>2' data-originalurl=\"https://a.example/\" \
             data-versionurl=\"https://web.archive.org/web/20251128120000/https://a.example/\" \
             data-versiondate=\"2025-11-28\">t</a>"
        );
    }

    #[test]
    fn html_skips_raw_text_and_comments() {
        let c = copies(&["https://a.example/"]);
        let src = "<!-- <a href=\"https://a.example/\"> --><script>var s = '<a href=\"https://a.example/\">';</script><textarea><a href=https://a.example/></textarea><style>a[href]{}</style>";
        assert_eq!(robustify(src, Format::Html, &c), (src.to_string(), 0));
    }

    #[test]
    fn html_relative_links_resolve_against_base() {
        let c = copies(&["https://site.example/news/a.html"]);
        let src = "<base href=\"https://site.example/news/\"><a href=\"a.html\">A</a>";
        let (out, n) = robustify(src, Format::Html, &c);
        assert_eq!(n, 1);
        assert!(out.contains("data-originalurl=\"https://site.example/news/a.html\""));
    }

    #[test]
    fn text_annotations_are_replaced_not_doubled() {
        let c = copies(&["https://a.example/wiki/X_(y)"]);
        let src = "See https://a.example/wiki/X_(y). And https://b.example/.\n";
        let (once, n) = robustify(src, Format::Text, &c);
        assert_eq!(n, 1);
        assert_eq!(
            once,
            "See https://a.example/wiki/X_(y) (archived copy, 2025-11-28: https://web.archive.org/web/20251128120000/https://a.example/wiki/X_(y)). And https://b.example/.\n"
        );
        assert_eq!(robustify(&once, Format::Text, &c), (once.clone(), 1));
        let mut newer = c.clone();
        for v in newer.values_mut() {
            v.version_url = "https://archive.example/new".to_string();
        }
        let (again, _) = robustify(&once, Format::Text, &newer);
        assert_eq!(
            again,
            "See https://a.example/wiki/X_(y) (archived copy, 2025-11-28: https://archive.example/new). And https://b.example/.\n"
        );
    }

    #[test]
    fn archive_links_are_not_annotated_even_when_cited() {
        // The memento URL is itself a key: its own annotation must not
        // grow one on the next run.
        let mut c = copies(&["https://a.example/"]);
        c.extend(copies(&[
            "https://web.archive.org/web/20251128120000/https://a.example/",
        ]));
        for format in [Format::Text, Format::Markdown] {
            let (once, n) = robustify("x https://a.example/ y\n", format, &c);
            assert_eq!(n, 1, "{format:?}");
            assert_eq!(robustify(&once, format, &c).0, once, "{format:?}");
        }
    }

    #[test]
    fn markdown_links_and_bare_urls() {
        let c = copies(&["https://a.example/", "https://b.example/q?x=1&y=2"]);
        let src = "[A](https://a.example/) and <https://a.example/>, \
                   bare https://b.example/q?x=1&amp;y=2. `https://a.example/`\n";
        let (out, n) = robustify(src, Format::Markdown, &c);
        assert_eq!(n, 3);
        let memento_a = "https://web.archive.org/web/20251128120000/https://a.example/";
        assert_eq!(
            out,
            format!(
                "[A](https://a.example/) ([archived copy, 2025-11-28]({memento_a})) and \
                 <https://a.example/> ([archived copy, 2025-11-28]({memento_a})), bare \
                 https://b.example/q?x=1&amp;y=2 ([archived copy, 2025-11-28](https://web.archive.org/web/20251128120000/https://b.example/q?x=1&y=2)). \
                 `https://a.example/`\n"
            )
        );
        assert_eq!(robustify(&out, Format::Markdown, &c), (out.clone(), 3));
    }

    #[test]
    fn markdown_destinations_escape_unbalanced_parentheses() {
        assert_eq!(md_destination("https://x/a_(b)"), "https://x/a_(b)");
        assert_eq!(md_destination("https://x/a)b"), "https://x/a\\)b");
        assert_eq!(md_destination("https://x/a b\\"), "https://x/a%20b\\\\");
    }

    #[test]
    fn nothing_to_do_leaves_the_text() {
        let src = "<a href=\"https://a.example/\">x</a>";
        assert_eq!(
            robustify(src, Format::Html, &HashMap::new()),
            (src.to_string(), 0)
        );
        assert_eq!(
            robustify(src, Format::Html, &copies(&["https://other.example/"])),
            (src.to_string(), 0)
        );
    }
}
