//! Finding URLs in running text and normalizing them.
//!
//! A URL in prose ends where a person reading it would say it ends: sentence
//! punctuation after it is not part of it, CJK full-width punctuation never
//! is, and a closing parenthesis only belongs to it when it closes one opened
//! inside the URL (`…/wiki/Nexperia_(company)`).

use memchr::memmem;
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
    pub url: Url,
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
pub fn find_urls(text: &str) -> Vec<FoundUrl> {
    let mut found = Vec::new();
    let bytes = text.as_bytes();
    let finder = memmem::Finder::new(b"://");
    let mut search_from = 0;
    while let Some(rel) = finder.find(&bytes[search_from..]) {
        let sep = search_from + rel;
        search_from = sep + 3;
        let Some(start) = scheme_start(bytes, sep) else {
            continue;
        };
        if found.last().is_some_and(|f: &FoundUrl| start < f.end) {
            continue;
        }
        let end = candidate_end(text, sep + 3);
        let end = trim_end(text, start, end);
        if end <= sep + 3 {
            continue;
        }
        if let Some(url) = parse_http_like(&text[start..end]) {
            found.push(FoundUrl { start, end, url });
            search_from = end;
        }
    }
    found
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

/// End of the run of characters that may belong to a URL, from `from`.
fn candidate_end(text: &str, from: usize) -> usize {
    text[from..]
        .char_indices()
        .find(|&(_, c)| is_hard_stop(c))
        .map_or(text.len(), |(i, _)| from + i)
}

/// Drops trailing punctuation and unbalanced closing brackets.
fn trim_end(text: &str, start: usize, mut end: usize) -> usize {
    loop {
        let Some(last) = text[start..end].chars().next_back() else {
            return end;
        };
        let drop = match last {
            ')' => !closes_balanced(&text[start..end], '(', ')'),
            ']' => !closes_balanced(&text[start..end], '[', ']'),
            c => is_trailing_punct(c),
        };
        if !drop {
            return end;
        }
        end -= last.len_utf8();
    }
}

/// Whether the final `close` in `s` closes an `open` inside `s`.
fn closes_balanced(s: &str, open: char, close: char) -> bool {
    let opens = s.chars().filter(|&c| c == open).count();
    let closes = s.chars().filter(|&c| c == close).count();
    closes <= opens
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

/// Whether a line consists of nothing but one URL (optionally in `<…>`).
pub fn sole_url(text: &str) -> Option<Url> {
    let t = text.trim();
    let t = t
        .strip_prefix('<')
        .and_then(|s| s.strip_suffix('>'))
        .unwrap_or(t);
    let found = find_urls(t);
    match found.as_slice() {
        [only] if only.start == 0 && t[only.end..].trim().is_empty() => Some(only.url.clone()),
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
    fn sole_url_lines() {
        assert!(sole_url("  https://example.com/a  ").is_some());
        assert!(sole_url("<https://example.com/a>").is_some());
        assert!(sole_url("see https://example.com/a").is_none());
        assert!(sole_url("https://example.com/a and more").is_none());
    }
}
