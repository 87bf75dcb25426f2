//! The intermediate form every input format is read into: logical lines with
//! their visible text, the links on them and what the markup said they are.
//! One set of citation rules then runs on this for text, Markdown and HTML.

use super::urls::WebUrl;
use std::borrow::Cow;
use thin_vec::ThinVec;

/// What the markup says a line is. Plain text only has `Text` and `Blank`;
/// its structure is inferred by the rules in `structure`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    Blank,
    Text,
    /// Markdown heading or HTML `h1`–`h6`.
    Heading,
    /// Start of a list item; `Some(n)` in an ordered list.
    ListItem(Option<u32>),
    /// Start of a footnote definition (Markdown `[^n]:`).
    FootnoteDef(u32),
}

/// How a link was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkKind {
    /// `[text](url)`, `[text][ref]`, `<a href>`.
    Anchor,
    /// `<https://…>`: the text is the URL.
    Autolink,
    /// A URL in plain text.
    Bare,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub url: WebUrl,
    /// Visible text of an anchor; empty for bare URLs and autolinks.
    pub text: String,
    pub kind: LinkKind,
    pub line: u32,
    /// Byte range of the link's visible text in `Line::text`.
    pub span: (usize, usize),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line<'a> {
    /// 1-based line in the input where this line's text starts.
    pub number: u32,
    pub kind: LineKind,
    /// Visible text (anchor text included, markup removed). Plain text
    /// borrows its lines from the input.
    pub text: Cow<'a, str>,
    /// Most lines have none: a pointer, not a `Vec`, for lines of large
    /// digests held by the tens of thousands.
    pub links: ThinVec<Link>,
    /// Footnote marks the markup made explicit (`<sup>`, `[^n]`).
    pub marks: ThinVec<u32>,
}

impl Line<'_> {
    pub fn new(number: u32, kind: LineKind) -> Self {
        Line {
            number,
            kind,
            text: Cow::Borrowed(""),
            links: ThinVec::new(),
            marks: ThinVec::new(),
        }
    }

    /// No link and no text but whitespace. Asked of every line several
    /// times over: a line opening with a visible ASCII character answers
    /// at once.
    pub fn is_blank(&self) -> bool {
        self.links.is_empty() && is_blank_text(&self.text)
    }

    /// The visible text of `text[start..end]` with every link's text cut out.
    pub fn text_outside_links(&self, start: usize, end: usize) -> String {
        let mut out = String::new();
        let mut pos = start;
        for l in &self.links {
            let (ls, le) = l.span;
            if le <= pos || ls >= end {
                continue;
            }
            if ls > pos {
                out.push_str(&self.text[pos..ls]);
            }
            pos = pos.max(le);
        }
        if pos < end {
            out.push_str(&self.text[pos..end]);
        }
        out
    }
}

/// Whether `text` is whitespace alone; a text opening with a visible
/// ASCII character answers at once.
pub fn is_blank_text(text: &str) -> bool {
    match text.as_bytes().first() {
        None => true,
        Some(b) if b.is_ascii() && !matches!(b, b' ' | b'\t'..=b'\r') => false,
        Some(_) => text.trim().is_empty(),
    }
}

/// `text.trim()`, answered at once for a line that opens and ends with a
/// visible ASCII character, as most do (`str::trim` decodes a character at
/// each end and is asked of every line).
pub fn trim(text: &str) -> &str {
    match text.as_bytes() {
        [first, .., last] if first.is_ascii_graphic() && last.is_ascii_graphic() => text,
        _ => text.trim(),
    }
}

/// The text with its whitespace (`char::is_whitespace`) folded to single
/// spaces and trimmed: how headlines, titles and search words are shown.
pub fn fold_whitespace(text: &str) -> String {
    if is_folded(text) {
        return text.to_string();
    }
    let mut folded = String::with_capacity(text.len());
    let mut word = 0;
    let mut i = 0;
    while let Some(&b) = text.as_bytes().get(i) {
        let space = match b {
            b'!'..=b'~' => 0,
            _ => whitespace_len(text, i, b),
        };
        if space == 0 {
            i += 1;
            continue;
        }
        if word < i {
            if !folded.is_empty() {
                folded.push(' ');
            }
            folded.push_str(&text[word..i]);
        }
        i += space;
        word = i;
    }
    if word < text.len() {
        if !folded.is_empty() {
            folded.push(' ');
        }
        folded.push_str(&text[word..]);
    }
    folded
}

/// The length of the whitespace character (`char::is_whitespace`) at byte
/// `i` of `text`, whose byte there is `b`; 0 if there is none. Only the
/// lead bytes of non-ASCII whitespace (U+0085, U+00A0, U+1680,
/// U+2000–U+205F, U+3000) are decoded, so `i` may be any byte offset.
#[inline]
fn whitespace_len(text: &str, i: usize, b: u8) -> usize {
    match b {
        b' ' | b'\t'..=b'\r' => 1,
        0xC2 | 0xE1..=0xE3 => text
            .get(i..)
            .and_then(|rest| rest.chars().next())
            .filter(|c| c.is_whitespace())
            .map_or(0, char::len_utf8),
        _ => 0,
    }
}

/// Whether `text` is folded already, as most headlines are written:
/// single spaces between words and no other whitespace. One pass over the
/// bytes; only the lead bytes of non-ASCII whitespace (U+0085, U+00A0,
/// U+1680, U+2000–U+205F, U+3000) are decoded.
fn is_folded(text: &str) -> bool {
    let bytes = text.as_bytes();
    // At the start, as after a space: a leading space is not folded.
    let mut after_space = true;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b' ' if after_space => return false,
            b' ' => after_space = true,
            b'\t'..=b'\r' => return false,
            0xC2 | 0xE1..=0xE3 => {
                if whitespace_len(text, i, b) > 0 {
                    return false;
                }
                after_space = false;
            }
            _ => after_space = false,
        }
        i += 1;
        // Whole words of plain words and single spaces, none last, are
        // folded (after a space, one opening with a space would not be).
        if !after_space {
            i = crate::bytes::skip_plain(bytes, i);
        }
    }
    !after_space || text.is_empty()
}

/// Byte offset → 1-based line number, for parsers that report offsets.
pub struct LineIndex {
    /// Where each line starts; `starts[0]` is 0.
    starts: Vec<usize>,
    /// The line (index into `starts`) of the last offset asked about: a
    /// parser's offsets mostly stay on a line or move to the next one.
    last: usize,
    /// The text's length.
    len: usize,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        let mut starts = Vec::with_capacity(memchr::memchr_iter(b'\n', bytes).count() + 1);
        starts.push(0);
        starts.extend(memchr::memchr_iter(b'\n', bytes).map(|i| i + 1));
        LineIndex {
            starts,
            last: 0,
            len: text.len(),
        }
    }

    /// The length in bytes of line `number` (1-based), its newline included.
    pub fn line_len(&self, number: u32) -> usize {
        let i = (number as usize).saturating_sub(1);
        let start = self.starts.get(i).copied().unwrap_or(self.len);
        let end = self.starts.get(i + 1).copied().unwrap_or(self.len);
        end.saturating_sub(start)
    }

    pub fn line_of(&mut self, offset: usize) -> u32 {
        let on = |i: usize| {
            self.starts.get(i).is_some_and(|&s| s <= offset)
                && self.starts.get(i + 1).is_none_or(|&next| offset < next)
        };
        let idx = if on(self.last) {
            self.last
        } else if on(self.last + 1) {
            self.last + 1
        } else {
            // `starts[0]` is 0: at least one start is at or before `offset`.
            self.starts.partition_point(|&s| s <= offset).max(1) - 1
        };
        self.last = idx;
        u32::try_from(idx + 1).unwrap_or(u32::MAX)
    }
}

/// What `citevault robustify` writes after a cited URL: `(archived copy,
/// 2025-11-20: URL)` in text, the Markdown link `[archived copy,
/// 2025-11-20](URL)` in parentheses.
pub const ARCHIVED_COPY: &str = "(archived copy";

/// Whether robustify annotated these lines. Its annotations link the
/// archived copy, so only lines with a link are searched (Markdown writes
/// `([archived copy…`: the words alone are looked for). The same words in
/// a line without a link are the editor's, not an annotation.
pub fn has_archived_copies(lines: &[Line<'_>]) -> bool {
    let words = memchr::memmem::Finder::new(&ARCHIVED_COPY.as_bytes()[1..]);
    lines
        .iter()
        .any(|l| !l.links.is_empty() && words.find(l.text.as_bytes()).is_some())
}

/// Removes robustify's annotations from a line: the archived copy it names
/// belongs to the citation before it and is not a source of its own, and a
/// URL line followed by its annotation is still a line of a URL alone. So
/// a robust digest extracts exactly as the original did.
pub fn drop_archived_copies(line: &mut Line<'_>) {
    // See `has_archived_copies`: without a link, the words are the editor's.
    if line.links.is_empty() {
        return;
    }
    while let Some(start) = line.text.find(ARCHIVED_COPY) {
        // The annotation ends at the first `)` after the links inside it
        // (a memento URL may hold balanced parentheses).
        let inside_end = line
            .links
            .iter()
            .filter(|l| l.span.0 > start)
            .filter(|l| line.text[start..l.span.0].find(')').is_none())
            .map(|l| l.span.1)
            .max()
            .unwrap_or(start);
        let Some(close) = line.text[inside_end..].find(')') else {
            return;
        };
        let end = inside_end + close + 1;
        let cut_from = if line.text[..start].ends_with(' ') {
            start - 1
        } else {
            start
        };
        let removed = end - cut_from;
        line.links
            .retain(|l| !(l.span.0 >= cut_from && l.span.0 < end));
        for l in &mut line.links {
            if l.span.0 >= end {
                l.span.0 -= removed;
                l.span.1 -= removed;
            }
        }
        line.text.to_mut().replace_range(cut_from..end, "");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_and_trimming_are_std_s_on_random_texts() {
        let pieces = [
            " ", "  ", "a", "bc", "\t", "\u{a0}", "é", "\u{3000}", "\u{85}", "\n", "\u{1}",
        ];
        // A double space just before eight plain bytes, where the word-at-a-
        // time skip must not start after the first of the two spaces.
        for text in [
            "ab  cdefghijk",
            "a  bcdefghijklmnop",
            "Word  Longer words here",
            "x y  abcdefghij k",
        ] {
            assert!(!is_folded(text), "{text:?}");
            let want = text.split_whitespace().collect::<Vec<_>>().join(" ");
            assert_eq!(fold_whitespace(text), want, "{text:?}");
        }
        let mut rng = fastrand::Rng::with_seed(3);
        for _ in 0..20_000 {
            // Plain words and single spaces most of the time, so that whole
            // eight-byte words are tested, not only the byte-at-a-time tail.
            let kinds = if rng.u8(..4) == 0 { pieces.len() } else { 3 };
            let text: String = (0..rng.usize(0..40))
                .map(|_| pieces[rng.usize(..kinds)])
                .collect();
            let want = text.split_whitespace().collect::<Vec<_>>().join(" ");
            assert_eq!(trim(&text), text.trim(), "{text:?}");
            assert_eq!(is_folded(&text), text == want, "{text:?}");
            assert_eq!(fold_whitespace(&text), want, "{text:?}");
        }
    }

    #[test]
    fn line_of_counts_the_newlines_before_an_offset_asked_in_any_order() {
        let text = "a\nbb\n\nccc\nd";
        let newlines = |o: usize| text.bytes().take(o).filter(|&b| b == b'\n').count();
        let mut index = LineIndex::new(text);
        let offsets = (0..=text.len())
            .chain((0..=text.len()).rev())
            .chain([3, 9, 0, 11, 5, 5, 6, 2, 40]);
        for o in offsets {
            assert_eq!(index.line_of(o) as usize, 1 + newlines(o), "offset {o}");
        }
        let lens: Vec<usize> = (1..=6).map(|n| index.line_len(n)).collect();
        assert_eq!(lens, [2, 3, 1, 4, 1, 0]);
    }
}
