//! Plain text: one `Line` per input line; URLs written out become links.

use super::lines::{Line, LineKind, Link, LinkKind};
use super::urls::find_urls;

pub fn read(text: &str) -> Vec<Line<'_>> {
    let mut lines = Vec::with_capacity(memchr::memchr_iter(b'\n', text.as_bytes()).count() + 1);
    lines.extend(text.lines().enumerate().map(|(i, raw)| {
        let number = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        let kind = if raw.trim().is_empty() {
            LineKind::Blank
        } else {
            LineKind::Text
        };
        let mut line = Line::new(number, kind);
        line.text = std::borrow::Cow::Borrowed(raw);
        line.links = bare_links(&line.text, number, &[]);
        line
    }));
    lines
}

/// URLs written out in `text`, skipping byte ranges that are already links
/// or code.
pub fn bare_links(text: &str, number: u32, exclude: &[(usize, usize)]) -> Vec<Link> {
    if !text.contains("://") {
        return Vec::new();
    }
    let mut links: Vec<Link> = find_urls(text)
        .into_iter()
        .filter(|f| !exclude.iter().any(|&(s, e)| f.start < e && s < f.end))
        .map(|f| Link {
            url: f.url,
            text: String::new(),
            kind: LinkKind::Bare,
            line: number,
            span: (f.start, f.end),
        })
        .collect();
    // Most lines hold one URL; a filtered collect reserves room for four.
    links.shrink_to_fit();
    links
}

/// Like [`bare_links`], but a URL never runs across a `break` (a position
/// where inline markup such as emphasis starts or ends): it is cut there.
pub fn bare_links_with_breaks(
    text: &str,
    number: u32,
    exclude: &[(usize, usize)],
    breaks: &[usize],
) -> Vec<Link> {
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
