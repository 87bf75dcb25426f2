//! Markdown (CommonMark with footnotes and tables) via pulldown-cmark.
//!
//! Headings, list items and footnote definitions come from the parser; soft
//! line breaks split lines so "Source: …" and its URL on the next line stay
//! two lines as the author wrote them. Code is never a citation.

use super::lines::{Line, LineIndex, LineKind, Link, LinkKind};
use super::text::bare_links_with_breaks;
use super::urls::{parse_web_url, WebUrl};
use pulldown_cmark::{CowStr, Event, LinkType, Options, Parser, Tag, TagEnd};
use std::borrow::Cow;
use std::collections::HashMap;

struct Reader<'a> {
    index: LineIndex,
    lines: Vec<Line<'a>>,
    cur: Option<Line<'a>>,
    /// Ranges of the current line that are links or code: not scanned for URLs.
    no_scan: Vec<(usize, usize)>,
    /// Where inline markup starts or ends in the current line: URLs stop there.
    breaks: Vec<usize>,
    /// Ordered-list counters (None for bullet lists).
    lists: Vec<Option<u64>>,
    /// Open link: url (if citable), kind, start of its text, line.
    link: Option<(Option<WebUrl>, LinkKind, usize, u32)>,
    code: usize,
    image: usize,
    footnotes: HashMap<String, u32>,
}

pub fn read(text: &str) -> Vec<Line<'_>> {
    let opts = Options::ENABLE_FOOTNOTES | Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let mut r = Reader {
        index: LineIndex::new(text),
        lines: Vec::new(),
        cur: None,
        no_scan: Vec::new(),
        breaks: Vec::new(),
        lists: Vec::new(),
        link: None,
        code: 0,
        image: 0,
        footnotes: HashMap::new(),
    };
    for (event, range) in Parser::new_ext(text, opts).into_offset_iter() {
        let at = r.index.line_of(range.start);
        match event {
            Event::Start(tag) => r.start(tag, at),
            Event::End(tag) => r.end(tag),
            // Image alt text is not part of the line.
            Event::Text(t) if r.image == 0 => r.push_text(t, at, r.code > 0),
            Event::Code(t) => r.push_text(t, at, true),
            Event::SoftBreak | Event::HardBreak => {
                r.flush();
                r.cur = Some(Line::new(r.index.line_of(range.end), LineKind::Text));
            }
            // Raw HTML is not shown as text; a URL does not run across it.
            Event::InlineHtml(_) | Event::Html(_) => r.mark_break(at),
            Event::FootnoteReference(label) => {
                let n = r.footnote_number(&label);
                r.mark_break(at);
                r.line(at).marks.push(n);
            }
            _ => {}
        }
    }
    r.flush();
    r.lines
}

impl<'a> Reader<'a> {
    fn line(&mut self, at: u32) -> &mut Line<'a> {
        self.cur
            .get_or_insert_with(|| Line::new(at, LineKind::Text))
    }

    fn begin(&mut self, at: u32, kind: LineKind) {
        self.flush();
        self.cur = Some(Line::new(at, kind));
    }

    fn push_text(&mut self, t: CowStr<'a>, at: u32, code: bool) {
        let source_len = self.index.line_len(at);
        let line = self.line(at);
        let start = line.text.len();
        match t {
            // Most lines are one piece of the input: borrowed, not copied.
            CowStr::Borrowed(t) if line.text.is_empty() => line.text = Cow::Borrowed(t),
            t => {
                if let Cow::Borrowed(before) = line.text {
                    // Room for the source line at once (a line's text is
                    // mostly its source line's), not growing piece by piece.
                    let mut owned = String::with_capacity(source_len.max(before.len() + t.len()));
                    owned.push_str(before);
                    line.text = Cow::Owned(owned);
                }
                line.text.to_mut().push_str(&t);
            }
        }
        let end = line.text.len();
        if code {
            self.no_scan.push((start, end));
        }
    }

    fn mark_break(&mut self, at: u32) {
        let len = self.line(at).text.len();
        self.breaks.push(len);
    }

    fn footnote_number(&mut self, label: &str) -> u32 {
        if let Ok(n) = label.trim().parse() {
            return n;
        }
        let next = u32::try_from(self.footnotes.len() + 1).unwrap_or(u32::MAX);
        *self.footnotes.entry(label.to_string()).or_insert(next)
    }

    fn start(&mut self, tag: Tag<'_>, at: u32) {
        match tag {
            Tag::Heading { .. } => self.begin(at, LineKind::Heading),
            Tag::Paragraph => {
                // A loose list item's first paragraph stays the item's line.
                let keep = self
                    .cur
                    .as_ref()
                    .is_some_and(|l| l.text.trim().is_empty() && l.links.is_empty());
                if !keep {
                    self.begin(at, LineKind::Text);
                }
            }
            Tag::List(first) => self.lists.push(first),
            Tag::Item => {
                let ordinal = match self.lists.last_mut() {
                    Some(Some(n)) => {
                        let v = u32::try_from(*n).ok();
                        *n += 1;
                        v
                    }
                    _ => None,
                };
                self.begin(at, LineKind::ListItem(ordinal));
            }
            Tag::FootnoteDefinition(label) => {
                let n = self.footnote_number(&label);
                self.begin(at, LineKind::FootnoteDef(n));
            }
            Tag::TableRow | Tag::TableHead => self.begin(at, LineKind::Text),
            Tag::TableCell => {
                let line = self.line(at);
                if !line.text.is_empty() {
                    line.text.to_mut().push_str(" | ");
                }
            }
            Tag::CodeBlock(_) => {
                self.flush();
                self.code += 1;
            }
            Tag::Image { .. } => self.image += 1,
            Tag::Emphasis | Tag::Strong | Tag::Strikethrough => self.mark_break(at),
            Tag::Link {
                link_type,
                dest_url,
                ..
            } => {
                let kind = match link_type {
                    LinkType::Autolink => LinkKind::Autolink,
                    _ => LinkKind::Anchor,
                };
                let url = match link_type {
                    LinkType::Email => None,
                    _ => parse_web_url(&dest_url),
                };
                let start = self.line(at).text.len();
                self.link = Some((url, kind, start, at));
            }
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Heading(_)
            | TagEnd::Paragraph
            | TagEnd::Item
            | TagEnd::TableRow
            | TagEnd::TableHead => self.flush(),
            TagEnd::FootnoteDefinition => self.flush(),
            TagEnd::List(_) => {
                self.lists.pop();
                self.flush();
            }
            TagEnd::CodeBlock => {
                self.code = self.code.saturating_sub(1);
                self.flush();
            }
            TagEnd::Image => self.image = self.image.saturating_sub(1),
            TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough => {
                if let Some(line) = self.cur.as_ref() {
                    self.breaks.push(line.text.len());
                }
            }
            TagEnd::Link => {
                let Some((url, kind, start, at)) = self.link.take() else {
                    return;
                };
                let line = self.line(at);
                let end = line.text.len();
                if let Some(url) = url {
                    // A link whose text broke across lines (a code fence
                    // inside it) keeps what stands on its last line.
                    let text = line.text.get(start.min(end)..end).unwrap_or("").to_string();
                    line.links.push(Link {
                        url,
                        text,
                        kind,
                        line: at,
                        span: (start, end),
                    });
                }
                self.no_scan.push((start, end));
            }
            _ => {}
        }
    }

    fn flush(&mut self) {
        if let Some(mut line) = self.cur.take() {
            let bare = bare_links_with_breaks(&line.text, line.number, &self.no_scan, &self.breaks);
            line.links.extend(bare);
            line.links.sort_by_key(|l| l.span.0);
            if !line.is_blank() || !line.marks.is_empty() {
                if line.kind == LineKind::Blank {
                    line.kind = LineKind::Text;
                }
                self.lines.push(line);
                self.lines.push(Line::new(0, LineKind::Blank));
            }
        }
        self.no_scan.clear();
        self.breaks.clear();
    }
}
