//! Finding URLs in running text and normalizing them.
//!
//! A URL in prose ends where a person reading it would say it ends: sentence
//! punctuation after it is not part of it, CJK full-width punctuation never
//! is, and a closing parenthesis only belongs to it when it closes one opened
//! inside the URL (`…/wiki/Nexperia_(company)`).

use url::Url;

/// A URL found in text: byte range in the scanned string and the parsed URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundUrl {
    /// Byte offset of the first character of the URL as written.
    pub start: usize,
    /// Byte offset just past the URL (trailing punctuation excluded), so
    /// `&text[start..end]` is the URL as written.
    pub end: usize,
    /// The URL parsed and normalized (WHATWG serialization).
    pub url: WebUrl,
}

/// An http(s) or ftp URL with a host, kept as its WHATWG serialization
/// (what [`url::Url::as_str`] gives) without user name or password, and
/// where its host and path are in it.
///
/// Why not `url::Url`: a digest holds tens of thousands of URLs, nearly all
/// written already as they serialize (`https://host/path`). Those are
/// recognized by one pass over their bytes ([`parse_web_url`]) instead of
/// the full WHATWG parse, which was a tenth of plain-text extraction; the
/// rest are parsed by `url` and give the same serialization. Credentials
/// are never kept: a cited URL is fetched, archived and printed, and
/// [`WebUrl::had_credentials`] says that some were removed.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct WebUrl {
    serialized: String,
    /// Byte range of the host (`[…]` included for IPv6).
    host: (u32, u32),
    /// Where the path starts; it ends at the query or fragment.
    path_start: u32,
    had_credentials: bool,
}

impl WebUrl {
    /// The WHATWG serialization, as [`url::Url::as_str`] (without
    /// credentials).
    pub fn as_str(&self) -> &str {
        &self.serialized
    }

    /// The host, as [`url::Url::host_str`].
    pub fn host_str(&self) -> &str {
        &self.serialized[self.host.0 as usize..self.host.1 as usize]
    }

    /// The path, as [`url::Url::path`].
    pub fn path(&self) -> &str {
        let path = &self.serialized[self.path_start as usize..];
        &path[..path.find(['?', '#']).unwrap_or(path.len())]
    }

    /// Whether the URL was written with a user name or a password, which
    /// were removed.
    pub fn had_credentials(&self) -> bool {
        self.had_credentials
    }

    /// The parsed form, for what only `url::Url` does (joining, setters).
    /// A WHATWG serialization always parses; `None` is never expected.
    pub fn to_url(&self) -> Option<Url> {
        Url::parse(&self.serialized).ok()
    }

    /// `url` kept as its serialization, credentials removed; none if it has
    /// no host.
    pub(crate) fn from_url(mut url: Url) -> Option<WebUrl> {
        let had_credentials = strip_credentials(&mut url);
        let base = url.as_str().as_ptr() as usize;
        let offset = |part: &str| u32::try_from(part.as_ptr() as usize - base).ok();
        let host = url.host_str()?;
        let host_start = offset(host)?;
        let host_end = host_start.checked_add(u32::try_from(host.len()).ok()?)?;
        let path_start = offset(url.path())?;
        Some(WebUrl {
            serialized: url.into(),
            host: (host_start, host_end),
            path_start,
            had_credentials,
        })
    }

    /// The serialization, taken out.
    pub fn into_string(self) -> String {
        self.serialized
    }
}

impl std::fmt::Display for WebUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.serialized)
    }
}

/// Parses a URL we can cite (see [`parse_http_like`]) into a [`WebUrl`]:
/// the same serialization, host and path as `parse_http_like`, which only
/// runs when `raw` is not already written as it serializes.
pub fn parse_web_url(raw: &str) -> Option<WebUrl> {
    let raw = raw.trim();
    as_serialized(raw).or_else(|| WebUrl::from_url(parse_http_like(raw)?))
}

/// A link's target (`href`, `cite`) as the page it names: absolute, or
/// resolved against the page's `base`. None for fragments, scripts, mail
/// and phone links, and URLs that name no web page (`urn:isbn:…`). One
/// definition for the extractor and for robustify, which must find the
/// URL the extractor cites.
pub(crate) fn resolve_web_url(raw: &str, base: Option<&Url>) -> Option<WebUrl> {
    let raw = raw.trim();
    let not_a_page = raw.is_empty()
        || raw.starts_with('#')
        || ["javascript:", "mailto:", "tel:", "data:", "sms:"]
            .iter()
            .any(|s| {
                raw.get(..s.len())
                    .is_some_and(|h| h.eq_ignore_ascii_case(s))
            });
    if not_a_page {
        return None;
    }
    parse_web_url(raw).or_else(|| {
        let joined = base?.join(raw).ok()?;
        let web = matches!(joined.scheme(), "http" | "https" | "ftp");
        web.then(|| WebUrl::from_url(joined)).flatten()
    })
}

/// `raw` as a [`WebUrl`] when parsing it could change nothing but
/// percent-encode its non-ASCII characters: `http` or `https` in
/// lowercase, a lowercase ASCII domain (no port, no user, no IP address, no
/// punycode), a path, and only characters that are never percent-encoded
/// or rewritten, with no `.` or `..` segment. Anything else is left to the
/// parser.
fn as_serialized(raw: &str) -> Option<WebUrl> {
    let b = raw.as_bytes();
    let host_start = if b.starts_with(b"https://") {
        8
    } else if b.starts_with(b"http://") {
        7
    } else {
        return None;
    };
    let host_len = b[host_start..].iter().position(|&c| c == b'/')?;
    let path_start = host_start + host_len;
    if !is_plain_domain(&b[host_start..path_start]) {
        return None;
    }
    let non_ascii = plain_rest(&b[path_start..])?;
    let serialized = if non_ascii == 0 {
        raw.to_owned()
    } else {
        percent_encode_non_ascii(raw, non_ascii)
    };
    Some(WebUrl {
        serialized,
        host: (
            u32::try_from(host_start).ok()?,
            u32::try_from(path_start).ok()?,
        ),
        path_start: u32::try_from(path_start).ok()?,
        had_credentials: false,
    })
}

/// `raw` with each of its `non_ascii` non-ASCII bytes written `%XX`, as
/// the path, query and fragment percent-encode sets all do.
fn percent_encode_non_ascii(raw: &str, non_ascii: usize) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = Vec::with_capacity(raw.len() + 2 * non_ascii);
    for &c in raw.as_bytes() {
        if c.is_ascii() {
            out.push(c);
        } else {
            out.extend([b'%', HEX[usize::from(c >> 4)], HEX[usize::from(c & 0xF)]]);
        }
    }
    // All ASCII now: the conversion cannot fail.
    String::from_utf8(out).unwrap_or_default()
}

/// A domain name the WHATWG host parser leaves as it is: labels of
/// lowercase ASCII letters, digits and `-`, none empty, none punycode
/// (`xn--`, which IDNA checks), the last not opening with a digit (an IPv4
/// address, in any of its spellings, ends with a label that does).
fn is_plain_domain(host: &[u8]) -> bool {
    let mut label = 0;
    for (i, &c) in host.iter().enumerate() {
        if c == b'.' {
            if i == label {
                return false;
            }
            label = i + 1;
        } else {
            let plain = c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-';
            let punycode = c == b'-' && i == label + 3 && host[label..].starts_with(b"xn--");
            if !plain || punycode {
                return false;
            }
        }
    }
    host.get(label).is_some_and(|c| !c.is_ascii_digit())
}

/// What a byte of a path, query or fragment is to [`plain_rest`].
#[derive(Clone, Copy, PartialEq, Eq)]
enum UrlByte {
    /// Printable ASCII the parser copies as it is.
    Plain,
    /// `/`, `?`, `#`: ends a path segment (or the path); `%`: may encode a dot.
    Delimiter,
    /// Beyond ASCII: percent-encoded by the parser.
    NonAscii,
    /// Anything the parser percent-encodes or rewrites: space and control
    /// characters, `"<>`'{}|^`, and `\`, which is a `/` in a path.
    Other,
}

/// [`UrlByte`] of every byte. A table: this runs on every byte of nearly
/// every URL.
const URL_BYTES: [UrlByte; 256] = {
    let mut table = [UrlByte::Other; 256];
    let mut c = 0;
    while c < 256 {
        table[c] = match c as u8 {
            b'/' | b'?' | b'#' | b'%' => UrlByte::Delimiter,
            b'"' | b'<' | b'>' | b'`' | b'\\' | b'\'' | b'{' | b'}' | b'|' | b'^' => UrlByte::Other,
            0x21..=0x7E => UrlByte::Plain,
            0x80..=0xFF => UrlByte::NonAscii,
            _ => UrlByte::Other,
        };
        c += 1;
    }
    table
};

/// When the parser copies this path, query and fragment as they are but
/// for percent-encoding their non-ASCII bytes, how many of those there
/// are: only plain and non-ASCII [`URL_BYTES`], and no path segment that
/// is `.` or `..`, written plainly or as `%2e`.
fn plain_rest(rest: &[u8]) -> Option<usize> {
    // A segment of the path with its `/`: `/.`, `/..`, or a `%` in it.
    let plain_segment = |segment: &[u8], percent: bool| {
        let dots = matches!(segment, b"/." | b"/..");
        let encoded_dot = |w: &[u8]| w[0] == b'%' && w[1] == b'2' && w[2] | 0x20 == b'e';
        let encoded = percent && segment.windows(3).any(encoded_dot);
        !(dots || encoded)
    };
    let (mut segment, mut percent) = (0, false);
    let mut in_path = true;
    let mut non_ascii = 0;
    for (i, &c) in rest.iter().enumerate() {
        match URL_BYTES[usize::from(c)] {
            UrlByte::Plain => {}
            UrlByte::NonAscii => non_ascii += 1,
            UrlByte::Other => return None,
            UrlByte::Delimiter if c == b'%' => percent = true,
            UrlByte::Delimiter if in_path => {
                if !plain_segment(&rest[segment..i], percent) {
                    return None;
                }
                (segment, percent) = (i, false);
                in_path = c == b'/';
            }
            UrlByte::Delimiter => {}
        }
    }
    (!in_path || plain_segment(&rest[segment..], percent)).then_some(non_ascii)
}

/// Schemes recognized in running text, in lowercase.
const SCHEMES: [&str; 3] = ["https", "http", "ftp"];

/// Characters that can never be part of a URL written in text.
fn is_hard_stop(c: char) -> bool {
    c.is_whitespace()
        || c.is_control()
        || matches!(
            c,
            '<' | '>' | '"' | '`' | '{' | '}' | '|' | '\\' | '^'
            // CJK and full-width punctuation: never part of a URL in prose.
            | '。' | '，' | '、' | '；' | '：' | '！' | '？' | '（' | '）'
            | '「' | '」' | '『' | '』' | '【' | '】' | '《' | '》' | '〈' | '〉'
            | '“' | '”' | '‘' | '’' | '…' | '\u{3000}' | '\u{FF02}' | '\u{FF07}'
        )
}

/// Characters trimmed from the end of a candidate (sentence punctuation).
fn is_trailing_punct(c: char) -> bool {
    matches!(
        c,
        '.' | ',' | ';' | ':' | '!' | '?' | '\'' | '*' | '_' | '~' | '-'
    )
}

/// Finds every http(s)/ftp URL in `text`, in order.
///
/// Linear in the length of `text` whatever it holds: each run of characters
/// between hard stops is scanned once however many `://` it contains, and
/// trimming its end costs the same for every URL that starts in it (a line
/// of two million `)` after a URL takes milliseconds, not half an hour).
pub fn find_urls(text: &str) -> Vec<FoundUrl> {
    let mut found = Vec::new();
    let bytes = text.as_bytes();
    let mut run: Option<Run> = None;
    let mut search_from = 0;
    while let Some(sep) = next_scheme_separator(bytes, search_from) {
        search_from = sep + 3;
        let Some(start) = scheme_start(bytes, sep) else {
            continue;
        };
        if found.last().is_some_and(|f: &FoundUrl| start < f.end) {
            continue;
        }
        let from = sep + 3;
        let run = match &mut run {
            Some(r) if from <= r.end => r,
            slot => slot.insert(Run::new(text, from)),
        };
        let end = run.trimmed_end(text, from);
        if end <= from {
            continue;
        }
        if let Some(url) = parse_web_url(&text[start..end]) {
            found.push(FoundUrl { start, end, url });
            search_from = end;
        }
    }
    found
}

/// Whether `text` holds `://`.
pub(crate) fn has_scheme_separator(text: &str) -> bool {
    next_scheme_separator(text.as_bytes(), 0).is_some()
}

/// Where the first `://` at or after `from` starts, found by its colon:
/// cheaper than a substring searcher built for each of the many lines
/// asked, which hold one or two.
fn next_scheme_separator(bytes: &[u8], from: usize) -> Option<usize> {
    let rest = bytes.get(from..)?;
    memchr::memchr_iter(b':', rest)
        .map(|i| from + i)
        .find(|&i| bytes[i + 1..].starts_with(b"//"))
}

/// Start of the scheme ending at `sep` (the `://`), if it is one we accept
/// and is not glued to a preceding word (`xhttp://`).
fn scheme_start(bytes: &[u8], sep: usize) -> Option<usize> {
    for scheme in SCHEMES {
        let len = scheme.len();
        if sep < len {
            continue;
        }
        let start = sep - len;
        if bytes[start..sep].eq_ignore_ascii_case(scheme.as_bytes()) {
            let glued = start > 0 && bytes[start - 1].is_ascii_alphanumeric();
            return (!glued).then_some(start);
        }
    }
    None
}

/// [`is_hard_stop`] for an ASCII byte, without decoding a `char`.
fn is_ascii_hard_stop(b: u8) -> bool {
    ASCII_HARD_STOPS[usize::from(b & 0x7F)]
}

/// [`is_ascii_hard_stop`] as a table: it runs on every byte of a URL.
const ASCII_HARD_STOPS: [bool; 128] = {
    let mut table = [false; 128];
    let mut b = 0;
    while b < 128 {
        table[b] = b <= 0x20
            || b == 0x7F
            || matches!(
                b as u8,
                b'<' | b'>' | b'"' | b'`' | b'{' | b'}' | b'|' | b'\\' | b'^'
            );
        b += 1;
    }
    table
};

/// End of the run of characters that may belong to a URL, from `from`.
/// URLs are mostly ASCII: those bytes are tested as they are.
fn candidate_end(text: &str, from: usize) -> usize {
    let bytes = text.as_bytes();
    let mut i = from;
    while let Some(&b) = bytes.get(i) {
        if b.is_ascii() {
            if is_ascii_hard_stop(b) {
                return i;
            }
            i += 1;
            continue;
        }
        // `i` is at the start of a character: every step is a whole one.
        let Some(c) = text.get(i..).and_then(|rest| rest.chars().next()) else {
            break;
        };
        if is_hard_stop(c) {
            return i;
        }
        i += c.len_utf8();
    }
    text.len()
}

/// Counts of brackets in a stretch of text.
#[derive(Debug, Clone, Copy, Default)]
struct Brackets {
    open_paren: usize,
    close_paren: usize,
    open_square: usize,
    close_square: usize,
}

impl Brackets {
    fn count(&mut self, s: &str) {
        // Most URLs hold no bracket at all: one search rules them out.
        let b = s.as_bytes();
        if memchr::memchr3(b'(', b')', b'[', b).is_none() && memchr::memchr(b']', b).is_none() {
            return;
        }
        for b in s.bytes() {
            match b {
                b'(' => self.open_paren += 1,
                b')' => self.close_paren += 1,
                b'[' => self.open_square += 1,
                b']' => self.close_square += 1,
                _ => {}
            }
        }
    }
}

/// One run of characters without a hard stop, `[from, end)`, and what every
/// URL that starts in it needs to find where it ends.
///
/// The rule (see the module doc): from the end, sentence punctuation is
/// dropped, and a `)` (`]`) is dropped while the URL so far holds more
/// closing than opening ones. Opening brackets are never dropped, so they
/// all lie before `tail`, the longest suffix of droppable characters; in
/// the tail, the k-th `)` survives exactly when the URL before the tail has
/// at least k more `(` than `)`. The end is then found without walking back
/// character by character.
#[derive(Debug)]
struct Run {
    /// One past the last character of the run (a hard stop or the text's end).
    end: usize,
    /// Start of the longest suffix made only of droppable characters.
    tail: usize,
    /// Positions of the `)` in the tail, in order.
    tail_parens: Vec<usize>,
    /// Positions of the `]` in the tail, in order.
    tail_squares: Vec<usize>,
    /// Brackets in `[from, tail)` of the whole run.
    before_tail: Brackets,
    /// Brackets in `[from, cursor)`, for the URLs that start later in the run.
    skipped: Brackets,
    cursor: usize,
}

impl Run {
    fn new(text: &str, from: usize) -> Run {
        let end = candidate_end(text, from);
        let droppable = |c: char| c == ')' || c == ']' || is_trailing_punct(c);
        let tail = text[from..end]
            .char_indices()
            .rev()
            .find(|&(_, c)| !droppable(c))
            .map_or(from, |(i, c)| from + i + c.len_utf8());
        let positions = |want: u8| -> Vec<usize> {
            memchr::memchr_iter(want, &text.as_bytes()[tail..end])
                .map(|i| tail + i)
                .collect()
        };
        let mut before_tail = Brackets::default();
        before_tail.count(&text[from..tail]);
        Run {
            end,
            tail,
            tail_parens: positions(b')'),
            tail_squares: positions(b']'),
            before_tail,
            skipped: Brackets::default(),
            cursor: from,
        }
    }

    /// Where a URL whose text after `://` starts at `from` ends, trailing
    /// punctuation and unbalanced closing brackets excluded. `from` never
    /// decreases between calls on one run, and is never past the tail
    /// (the `//` of a `://` is not droppable).
    fn trimmed_end(&mut self, text: &str, from: usize) -> usize {
        let from = from.min(self.tail);
        if from > self.cursor {
            self.skipped.count(&text[self.cursor..from]);
            self.cursor = from;
        }
        let b = &self.before_tail;
        let s = &self.skipped;
        let paren_surplus =
            (b.open_paren - s.open_paren).saturating_sub(b.close_paren - s.close_paren);
        let square_surplus =
            (b.open_square - s.open_square).saturating_sub(b.close_square - s.close_square);
        // The last kept `)` of the tail is the `surplus`-th one (or the last
        // one, when there are fewer); everything after the last kept
        // bracket is dropped.
        let kept = |positions: &[usize], surplus: usize| {
            let k = surplus.min(positions.len());
            k.checked_sub(1).map_or(0, |i| positions[i] + 1)
        };
        self.tail
            .max(kept(&self.tail_parens, paren_surplus))
            .max(kept(&self.tail_squares, square_surplus))
    }
}

/// Parses a URL and keeps it only if it is one we can cite: http(s) or ftp
/// with a host. The result serializes as WHATWG (IRIs percent-encoded, hosts
/// punycoded).
pub fn parse_http_like(raw: &str) -> Option<Url> {
    let url = Url::parse(raw.trim()).ok()?;
    let ok_scheme = matches!(url.scheme(), "http" | "https" | "ftp");
    let host = url.host_str()?;
    (ok_scheme && !host.is_empty()).then_some(url)
}

/// The warning a citation carries when its URL was written with a user
/// name or password.
pub const CREDENTIALS_REMOVED: &str =
    "credentials removed from the cited URL (a user name or password written in it is never checked, stored or reported)";

/// Whether `url` holds a user name or a password.
pub(crate) fn has_credentials(url: &Url) -> bool {
    !url.username().is_empty() || url.password().is_some()
}

/// Removes a user name and password from `url`; true when there were any.
/// A cited URL is fetched, archived and printed in reports: credentials in
/// it would be sent to the site and written everywhere.
pub fn strip_credentials(url: &mut Url) -> bool {
    let had = has_credentials(url);
    if had {
        // Both only fail for URLs without a host, which are never cited.
        let _ = url.set_password(None);
        let _ = url.set_username("");
    }
    had
}

/// `text` with the user name and password of every URL written in it
/// removed (`see http://user:pw@host/x` → `see http://host/x`), for text
/// that is stored and printed, such as headlines.
pub fn strip_credentials_in_text(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains('@') {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::new();
    let mut copied = 0;
    for f in find_urls(text) {
        if !f.url.had_credentials() {
            continue;
        }
        let written = &text[f.start..f.end];
        let Some(authority) = written.find("://").map(|i| i + 3) else {
            continue;
        };
        let authority_end = written[authority..]
            .find(['/', '?', '#'])
            .map_or(written.len(), |i| authority + i);
        let Some(at) = written[authority..authority_end].rfind('@') else {
            continue;
        };
        out.push_str(&text[copied..f.start + authority]);
        copied = f.start + authority + at + 1;
    }
    if copied == 0 {
        return std::borrow::Cow::Borrowed(text);
    }
    out.push_str(&text[copied..]);
    std::borrow::Cow::Owned(out)
}

/// Whether a line consists of nothing but one URL (optionally in `<…>`).
pub fn sole_url(text: &str) -> Option<Url> {
    let t = text.trim();
    let t = t
        .strip_prefix('<')
        .and_then(|s| s.strip_suffix('>'))
        .unwrap_or(t);
    let found = find_urls(t);
    match found.as_slice() {
        [only] if only.start == 0 && t[only.end..].trim().is_empty() => {
            parse_http_like(&t[..only.end])
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn urls(text: &str) -> Vec<String> {
        find_urls(text)
            .into_iter()
            .map(|f| f.url.to_string())
            .collect()
    }

    /// `parse_web_url` against `url`'s own parse of the same text.
    fn assert_same_as_url(raw: &str) {
        let ours = parse_web_url(raw);
        let theirs = parse_http_like(raw);
        assert_eq!(ours.is_some(), theirs.is_some(), "{raw:?}");
        if let (Some(o), Some(mut t)) = (ours, theirs) {
            assert_eq!(o.had_credentials(), strip_credentials(&mut t), "{raw:?}");
            assert_eq!(o.as_str(), t.as_str(), "{raw:?}");
            assert_eq!(Some(o.host_str()), t.host_str(), "{raw:?}");
            assert_eq!(o.path(), t.path(), "{raw:?}");
            assert_eq!(o.to_url(), Some(t), "{raw:?}");
        }
    }

    #[test]
    fn urls_written_as_they_serialize_skip_the_parser() {
        for raw in [
            "https://www.dw.com/zh/研究中国/a-74793625?v=2",
            "http://example.com/",
            "https://a-b.example.org/x/y.html?q=1&r=%20#frag#more",
            "https://example.com/a/b./c..d/.e",
        ] {
            assert!(as_serialized(raw).is_some(), "{raw:?}");
            assert_same_as_url(raw);
        }
        for raw in [
            "HTTPS://example.com/",
            "https://Example.com/",
            "https://example.com",
            "https://example.com:443/",
            "https://u:p@example.com/",
            "https://1.2.3.4/",
            "https://example.0x1/",
            "https://xn--bcher-kva.example/",
            "https://a..b/",
            "https://example.com/a/./b",
            "https://example.com/a/%2E%2e/b",
            "https://example.com/a\\b",
            "https://example.com/a b",
            "https://example.com/a?q='x'",
            "https://example.com/{x}",
            "ftp://example.com/",
        ] {
            assert!(as_serialized(raw).is_none(), "{raw:?}");
            assert_same_as_url(raw);
        }
    }

    #[test]
    fn web_urls_serialize_as_url_does_on_random_urls() {
        const SCHEMES: [&str; 6] = [
            "https://", "http://", "HTTP://", "ftp://", "https:/", "hTtps://",
        ];
        // Parts the fast path takes, and parts it must leave to the parser.
        const HOST_OK: [&str; 5] = ["a", "example", "com", "b-c", "n3ws"];
        const HOST_ODD: [&str; 12] = [
            "xn--bcher-kva",
            "Ex",
            "1",
            "0x1f",
            "09",
            "-",
            "",
            "ü",
            "[::1]",
            "u:p@",
            "@",
            "%41",
        ];
        const PATH_OK: [&str; 18] = [
            "/", "/", "a", "研究", "é", "~", "!", "$", "(", ")", ":", "@", ";", "&", "=", "?", "#",
            "%41",
        ];
        const PATH_ODD: [&str; 16] = [
            ".", "..", "%2e", "%2E", "%", "%zz", "'", "\"", "<", "`", "{", "|", "^", "\\", " ",
            "\t",
        ];
        let mut rng = fastrand::Rng::with_seed(17);
        let mut pick = |ok: &[&'static str], odd: &[&'static str]| {
            if rng.u8(..5) == 0 {
                odd[rng.usize(..odd.len())]
            } else {
                ok[rng.usize(..ok.len())]
            }
        };
        let mut fast = 0;
        for n in 0..20_000 {
            let mut raw = String::from(SCHEMES[n % 8 % SCHEMES.len()]);
            for i in 0..1 + n % 4 {
                if i > 0 {
                    raw.push('.');
                }
                raw.push_str(pick(&HOST_OK, &HOST_ODD));
            }
            if n % 9 == 0 {
                raw.push_str(":8080");
            }
            if n % 5 != 0 {
                raw.push('/');
            }
            for _ in 0..n % 11 {
                raw.push_str(pick(&PATH_OK, &PATH_ODD));
            }
            fast += usize::from(as_serialized(raw.trim()).is_some());
            assert_same_as_url(&raw);
        }
        // The fast path itself was tested, not only the parser.
        assert!(fast > 1_000, "{fast}");
    }

    #[test]
    fn ascii_hard_stops_are_the_hard_stops() {
        for b in 0..=0x7Fu8 {
            assert_eq!(
                is_ascii_hard_stop(b),
                is_hard_stop(char::from(b)),
                "{b:#04x}"
            );
        }
    }

    #[test]
    fn a_candidate_ends_at_the_first_hard_stop_ascii_or_not() {
        let text = "x://a/é/b\u{3000}c d";
        assert_eq!(candidate_end(text, 4), text.find('\u{3000}').unwrap());
        assert_eq!(candidate_end("x://a/é/b", 4), "x://a/é/b".len());
        assert_eq!(candidate_end("x://a/b>c", 4), 7);
        assert_eq!(candidate_end("x://a/b。c", 4), 7);
    }

    #[test]
    fn sentence_punctuation_is_not_part_of_url() {
        for p in [".", ",", ";", ":", "!", "?"] {
            let text = format!("See https://example.com/a/b{p} Then more.");
            assert_eq!(urls(&text), ["https://example.com/a/b"], "trailing {p:?}");
        }
        assert_eq!(
            urls("Go to https://example.com/x..."),
            ["https://example.com/x"]
        );
    }

    #[test]
    fn cjk_punctuation_ends_url() {
        for p in ["。", "，", "；", "：", "！", "？", "）", "」"] {
            let text = format!("见https://example.com/a{p}后文");
            assert_eq!(urls(&text), ["https://example.com/a"], "trailing {p:?}");
        }
    }

    #[test]
    fn balanced_parentheses_are_kept() {
        assert_eq!(
            urls("(see https://en.wikipedia.org/wiki/Nexperia_(company))."),
            ["https://en.wikipedia.org/wiki/Nexperia_(company)"]
        );
        assert_eq!(
            urls("(see https://example.com/page)"),
            ["https://example.com/page"]
        );
        assert_eq!(
            urls("[https://example.com/a_[b]]"),
            ["https://example.com/a_[b]"]
        );
    }

    #[test]
    fn raw_non_ascii_paths_are_kept_and_percent_encoded() {
        let found =
            urls("https://www.dw.com/zh/研究中国跨境信贷转向发达国家-美国借的最多/a-74793625");
        assert_eq!(
            found,
            ["https://www.dw.com/zh/%E7%A0%94%E7%A9%B6%E4%B8%AD%E5%9B%BD%E8%B7%A8%E5%A2%83%E4%BF%A1%E8%B4%B7%E8%BD%AC%E5%90%91%E5%8F%91%E8%BE%BE%E5%9B%BD%E5%AE%B6-%E7%BE%8E%E5%9B%BD%E5%80%9F%E7%9A%84%E6%9C%80%E5%A4%9A/a-74793625"]
        );
    }

    #[test]
    fn unicode_hosts_are_punycoded_and_lowercased() {
        assert_eq!(
            urls("at https://Bücher.example/x."),
            ["https://xn--bcher-kva.example/x"]
        );
    }

    #[test]
    fn angle_brackets_and_quotes_end_urls() {
        assert_eq!(urls("<https://example.com/a>"), ["https://example.com/a"]);
        assert_eq!(urls("“https://example.com/a”"), ["https://example.com/a"]);
        assert_eq!(urls("\"https://example.com/a\""), ["https://example.com/a"]);
    }

    #[test]
    fn glued_or_bare_schemes_are_not_urls() {
        assert!(urls("xhttp://example.com").is_empty());
        assert!(urls("https://").is_empty());
        assert!(urls("mailto:a@b.c javascript:alert(1)").is_empty());
    }

    #[test]
    fn several_urls_on_a_line() {
        assert_eq!(
            urls("a http://a.example/1, b HTTPS://B.example/2; done"),
            ["http://a.example/1", "https://b.example/2"]
        );
    }

    #[test]
    fn credentials_are_stripped() {
        let mut u = Url::parse("http://user:pw@example.com/a").unwrap();
        assert!(strip_credentials(&mut u));
        assert_eq!(u.as_str(), "http://example.com/a");
        assert!(!strip_credentials(&mut u));
        let mut u = Url::parse("https://:pw@example.com/").unwrap();
        assert!(strip_credentials(&mut u));
        assert_eq!(u.as_str(), "https://example.com/");
        assert_eq!(
            strip_credentials_in_text("Leak at http://u:p@a.com/x, and ftp://v@b.com?q=@ too"),
            "Leak at http://a.com/x, and ftp://b.com?q=@ too"
        );
        assert_eq!(
            strip_credentials_in_text("mail me@a.com or see https://a.com/@x"),
            "mail me@a.com or see https://a.com/@x"
        );
    }

    #[test]
    fn sole_url_lines() {
        assert!(sole_url("  https://example.com/a  ").is_some());
        assert!(sole_url("<https://example.com/a>").is_some());
        assert!(sole_url("see https://example.com/a").is_none());
        assert!(sole_url("https://example.com/a and more").is_none());
    }
}
