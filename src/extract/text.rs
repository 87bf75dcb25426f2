//! Plain text: one `Line` per input line; URLs written out become links.

use super::lines::{is_blank_text, Line, LineKind, Link, LinkKind};
use super::urls::{find_urls, has_scheme_separator};
use thin_vec::ThinVec;

pub fn read(text: &str) -> Vec<Line<'_>> {
    let bytes = text.as_bytes();
    let mut lines = Vec::with_capacity(memchr::memchr_iter(b'\n', bytes).count() + 1);
    // Where URLs may be: one pass over the document instead of a search
    // on each line (most lines hold none).
    let mut schemes = memchr::memmem::find_iter(bytes, b"://").peekable();
    let mut number = 0u32;
    let mut add = |start: usize, end: usize, newline: bool| {
        number = number.saturating_add(1);
        // As `str::lines`: a `\r\n` ends a line; one more `\r` before the
        // end is dropped too.
        let mut raw = &text[start..end];
        if newline {
            raw = raw.strip_suffix('\r').unwrap_or(raw);
        }
        raw = raw.strip_suffix('\r').unwrap_or(raw);
        let kind = if is_blank_text(raw) {
            LineKind::Blank
        } else {
            LineKind::Text
        };
        let mut line = Line::new(number, kind);
        line.text = std::borrow::Cow::Borrowed(raw);
        while schemes.next_if(|&p| p < start).is_some() {}
        if schemes.peek().is_some_and(|&p| p < end) {
            line.links = links_in(raw, number, &[]);
        }
        lines.push(line);
    };
    let mut start = 0;
    while start < bytes.len() {
        // Every other line of a digest is blank: no search for those.
        let end = if bytes[start] == b'\n' {
            start
        } else {
            match memchr::memchr(b'\n', &bytes[start..]) {
                Some(i) => start + i,
                None => break,
            }
        };
        add(start, end, true);
        start = end + 1;
    }
    if start < bytes.len() {
        add(start, bytes.len(), false);
    }
    lines
}

/// URLs written out in `text`, skipping byte ranges that are already links
/// or code.
pub fn bare_links(text: &str, number: u32, exclude: &[(usize, usize)]) -> ThinVec<Link> {
    if !has_scheme_separator(text) {
        return ThinVec::new();
    }
    links_in(text, number, exclude)
}

/// [`bare_links`] for a text known to hold `://`.
fn links_in(text: &str, number: u32, exclude: &[(usize, usize)]) -> ThinVec<Link> {
    let found = find_urls(text);
    // Sized exactly: most lines hold one URL, and a line's links are kept
    // for the whole document.
    let mut links = ThinVec::with_capacity(found.len());
    for f in found {
        if exclude.iter().any(|&(s, e)| f.start < e && s < f.end) {
            continue;
        }
        links.push(Link {
            url: f.url,
            text: String::new(),
            kind: LinkKind::Bare,
            line: number,
            span: (f.start, f.end),
        });
    }
    if links.len() < links.capacity() {
        links.shrink_to_fit();
    }
    links
}

/// Like [`bare_links`], but a URL never runs across a `break` (a position
/// where inline markup such as emphasis starts or ends): it is cut there.
pub fn bare_links_with_breaks(
    text: &str,
    number: u32,
    exclude: &[(usize, usize)],
    breaks: &[usize],
) -> ThinVec<Link> {
    let mut links = bare_links(text, number, exclude);
    if breaks.is_empty() {
        return links;
    }
    links.retain_mut(|l| {
        let Some(&cut) = breaks.iter().find(|&&b| l.span.0 < b && b < l.span.1) else {
            return true;
        };
        match find_urls(&text[l.span.0..cut]).into_iter().next() {
            Some(f) if f.start == 0 => {
                l.url = f.url;
                l.span.1 = l.span.0 + f.end;
                true
            }
            _ => false,
        }
    });
    links
}
