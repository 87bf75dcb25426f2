//! Extraction never panics, and never returns a URL that is not in the input
//! (up to normalization: percent-encoding, punycode, entity decoding,
//! resolution of a relative link against the page's base).

use citevault::{Extractor, Format};
use proptest::prelude::*;

const FRAGMENTS: &[&str] = &[
    "https://",
    "http://",
    "ftp://",
    "www.dw.com",
    "/zh/研究中国/a-74793625",
    "Bücher.example",
    "/wiki/Nexperia_(company)",
    "Source: ",
    "Sources:\n",
    "来源：",
    "1. ",
    "2) ",
    "[3] ",
    "{1}",
    "[2]",
    "(",
    ")",
    "（",
    "）",
    "。",
    "，",
    "」",
    "<a href=\"",
    "\">",
    "</a>",
    "<p>",
    "</p>",
    "<h2>",
    "</h2>",
    "<ol start=\"0\">",
    "<li value=\"-5\">",
    "<li>",
    "<sup>",
    "</sup>",
    "<base href=\"",
    "<main>",
    "<nav>",
    "<script>",
    "</script>",
    "<!--",
    "-->",
    "&amp;",
    "&#x2F;",
    "[x](",
    "](",
    "<",
    ">",
    "`",
    "```\n",
    "[^1]",
    "[^1]: ",
    "## ",
    "# ",
    "**",
    "_",
    "\n",
    "\n\n",
    "\r\n",
    " ",
    "\t",
    "Epoch Times, November 28, 2025",
    "(Nikkei Asia, November 15, 2024)",
    "February 30, 2025",
    "2025年11月28日",
    "RFA",
    "CNA",
    "example.com",
    "?q=1&r=2",
    "#frag",
    "%41%zz",
    ".",
    ",",
    ";",
    ":",
    "!",
    "?",
    "'",
    "\"",
    "\\",
    "xn--bcher-kva.example",
    "0x7f.1",
    "[::1]",
    ":8080",
    "..",
    "/",
    "Ω",
    "é",
    "\u{0}",
    "\u{FEFF}",
    "\u{3000}",
];

fn document() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        4 => proptest::sample::select(FRAGMENTS).prop_map(str::to_string),
        1 => "[a-zA-Z0-9/._-]{1,12}",
        1 => any::<String>().prop_map(|s| s.chars().take(8).collect()),
    ];
    proptest::collection::vec(piece, 0..80).prop_map(|v| v.concat())
}

/// The input as a reader of the markup sees it: entities decoded.
fn decoded(input: &str) -> String {
    input
        .replace("&amp;", "&")
        .replace("&#x2F;", "/")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
            if let Some(b) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// What URL parsers read from the input: hosts from text after each `://`,
/// path segments from text after each `/`, for every possible end. This is
/// "in the input up to normalization" (UTS 46 mapping, punycode, case,
/// percent-encoding), without re-implementing any of it.
fn written(text: &str, after: &str, prefix: &str) -> std::collections::HashSet<String> {
    let mut out = std::collections::HashSet::new();
    for (i, _) in text.match_indices(after) {
        let rest = &text[i + after.len()..];
        let ends = rest
            .char_indices()
            .map(|(j, _)| j)
            .skip(1)
            .chain([rest.len()])
            .take(100);
        for end in ends {
            let Ok(u) = url::Url::parse(&format!("{prefix}{}", &rest[..end])) else {
                continue;
            };
            if after == "://" {
                out.extend(u.host_str().map(str::to_lowercase));
            } else {
                out.extend(u.path_segments().into_iter().flatten().map(str::to_string));
            }
        }
    }
    out
}

fn assert_urls_come_from_input(input: &str, format: Format) -> Result<(), TestCaseError> {
    let doc = Extractor::new().extract_str("prop", format, input);
    // Tags are invisible: text on either side of one reads as one run.
    // What a browser's parser sees: text (tags and comments are invisible,
    // text on either side of one reads as one run) and attribute values.
    let page = scraper::Html::parse_document(input);
    let mut visible = String::new();
    for node in page.root_element().descendants() {
        if let scraper::Node::Text(t) = node.value() {
            let hidden = node.parent().and_then(|p| {
                p.value()
                    .as_element()
                    .map(|e| matches!(e.name(), "script" | "style"))
            });
            if hidden != Some(true) {
                visible.push_str(t);
            }
        }
    }
    for node in page.tree.values() {
        if let scraper::Node::Element(e) = node {
            for (_, v) in e.attrs() {
                visible.push_str(" \u{1} ");
                visible.push_str(v);
            }
        }
    }
    // Markdown backslash escapes: `\$` reads as `$`.
    let unescaped = decoded(input).replace('\\', "");
    // URL parsers drop tabs and newlines inside URLs.
    let squeeze = |t: &str| -> String {
        t.chars()
            .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
            .collect()
    };
    // What a Markdown reader sees: the text of links read on with the text
    // around them.
    let rendered: String = pulldown_cmark::Parser::new(input)
        .filter_map(|e| match e {
            pulldown_cmark::Event::Text(t) | pulldown_cmark::Event::Code(t) => Some(t.to_string()),
            _ => None,
        })
        .collect();
    let variants = [
        input.to_string(),
        decoded(input),
        visible,
        unescaped,
        rendered,
    ];
    let squeezed: Vec<String> = variants.iter().map(|v| squeeze(v)).collect();
    let text = variants
        .iter()
        .chain(&squeezed)
        .cloned()
        .collect::<Vec<_>>()
        .join(" \u{1} ");
    let lower = text.to_lowercase();
    let hosts = std::cell::OnceCell::new();
    let segments = std::cell::OnceCell::new();
    let lines = input.lines().count().max(1) as u32 + 1;
    for c in doc.all_citations() {
        prop_assert!(c.line >= 1 && c.line <= lines, "line {} of {lines}", c.line);
        let Some(u) = &c.url else { continue };
        let url = url::Url::parse(u).map_err(|e| TestCaseError::fail(format!("{u}: {e}")))?;
        prop_assert!(matches!(url.scheme(), "http" | "https" | "ftp"), "{u}");
        if let Some(url::Host::Domain(host)) = url.host() {
            let (unicode, _) = idna::domain_to_unicode(host);
            let found = [host.to_string(), unicode.to_lowercase()]
                .iter()
                .any(|h| lower.contains(h.as_str()))
                || hosts
                    .get_or_init(|| written(&text, "://", "http://"))
                    .contains(host);
            prop_assert!(found, "host of {u} not in input {input:?}");
        }
        for seg in url
            .path_segments()
            .into_iter()
            .flatten()
            .filter(|s| !s.is_empty())
        {
            let found = [percent_decode(seg), seg.to_string()]
                .iter()
                .any(|s| text.contains(s.as_str()))
                || segments
                    .get_or_init(|| written(&text, "/", "http://h/"))
                    .contains(seg);
            prop_assert!(found, "path segment {seg:?} of {u} not in input {input:?}");
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn text_extraction_is_total_and_faithful(input in document()) {
        assert_urls_come_from_input(&input, Format::Text)?;
    }

    #[test]
    fn markdown_extraction_is_total_and_faithful(input in document()) {
        assert_urls_come_from_input(&input, Format::Markdown)?;
    }

    #[test]
    fn html_extraction_is_total_and_faithful(input in document()) {
        assert_urls_come_from_input(&input, Format::Html)?;
    }

    #[test]
    fn any_bytes_either_decode_or_error(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let _ = Extractor::new().extract_bytes("bytes", None, &bytes);
    }
}

/// The URL finder as it was before trimming was made linear: walks back
/// from the end, recounting the brackets of the whole URL at each `)`.
/// Quadratic, but obviously right; the linear one must agree with it.
mod reference {
    use citevault::extract::urls::{parse_http_like, strip_credentials};

    fn is_hard_stop(c: char) -> bool {
        c.is_whitespace()
            || c.is_control()
            || matches!(
                c,
                '<' | '>'
                    | '"'
                    | '`'
                    | '{'
                    | '}'
                    | '|'
                    | '\\'
                    | '^'
                    | '。'
                    | '，'
                    | '、'
                    | '；'
                    | '：'
                    | '！'
                    | '？'
                    | '（'
                    | '）'
                    | '「'
                    | '」'
                    | '『'
                    | '』'
                    | '【'
                    | '】'
                    | '《'
                    | '》'
                    | '〈'
                    | '〉'
                    | '“'
                    | '”'
                    | '‘'
                    | '’'
                    | '…'
                    | '\u{3000}'
                    | '\u{FF02}'
                    | '\u{FF07}'
            )
    }

    fn is_trailing_punct(c: char) -> bool {
        matches!(
            c,
            '.' | ',' | ';' | ':' | '!' | '?' | '\'' | '*' | '_' | '~' | '-'
        )
    }

    fn closes_balanced(s: &str, open: char, close: char) -> bool {
        s.chars().filter(|&c| c == close).count() <= s.chars().filter(|&c| c == open).count()
    }

    fn trim_end(text: &str, start: usize, mut end: usize) -> usize {
        while let Some(last) = text[start..end].chars().next_back() {
            let drop = match last {
                ')' => !closes_balanced(&text[start..end], '(', ')'),
                ']' => !closes_balanced(&text[start..end], '[', ']'),
                c => is_trailing_punct(c),
            };
            if !drop {
                break;
            }
            end -= last.len_utf8();
        }
        end
    }

    /// (start, end, URL) of every URL found.
    pub fn find_urls(text: &str) -> Vec<(usize, usize, String)> {
        let mut found: Vec<(usize, usize, String)> = Vec::new();
        let bytes = text.as_bytes();
        let mut search_from = 0;
        while let Some(rel) = text[search_from..].find("://") {
            let sep = search_from + rel;
            search_from = sep + 3;
            let start = ["https", "http", "ftp"].iter().find_map(|s| {
                let start = sep.checked_sub(s.len())?;
                bytes[start..sep]
                    .eq_ignore_ascii_case(s.as_bytes())
                    .then_some(start)
            });
            let Some(start) = start else { continue };
            if start > 0 && bytes[start - 1].is_ascii_alphanumeric() {
                continue;
            }
            if found.last().is_some_and(|f| start < f.1) {
                continue;
            }
            let end = text[sep + 3..]
                .char_indices()
                .find(|&(_, c)| is_hard_stop(c))
                .map_or(text.len(), |(i, _)| sep + 3 + i);
            let end = trim_end(text, start, end);
            if end <= sep + 3 {
                continue;
            }
            if let Some(mut url) = parse_http_like(&text[start..end]) {
                // Found URLs keep no user name or password.
                strip_credentials(&mut url);
                found.push((start, end, url.to_string()));
                search_from = end;
            }
        }
        found
    }
}

/// Text made of the pieces URL trimming cares about.
fn bracket_soup() -> impl Strategy<Value = String> {
    const PIECES: &[&str] = &[
        "http://", "https://", "ftp://", "a.com", "/", "(", ")", "[", "]", ".", ",", ";", ":", "!",
        "?", "'", "*", "_", "~", "-", "x", "%", " ", "é", "。", "@", "#", "?q=(1)",
    ];
    proptest::collection::vec(proptest::sample::select(PIECES), 0..40).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3000, ..ProptestConfig::default() })]

    #[test]
    fn linear_url_trimming_agrees_with_the_quadratic_one(text in bracket_soup()) {
        let got: Vec<(usize, usize, String)> = citevault::extract::urls::find_urls(&text)
            .into_iter()
            .map(|f| (f.start, f.end, f.url.to_string()))
            .collect();
        prop_assert_eq!(got, reference::find_urls(&text), "{:?}", text);
    }
}

/// A long line of brackets after (or around) URLs extracts in linear time.
/// 200 KB in a debug build: the quadratic trimming took minutes.
#[test]
fn pathological_parenthesis_lines_extract_quickly() {
    const N: usize = 200_000;
    let close = ")".repeat(N);
    let open = "(".repeat(N);
    let lines = [
        format!("http://a.com/{close}"),
        format!("see http://a.com/{open}"),
        format!("http://a.com/{}{close}", "(".repeat(N / 2)),
        format!("http://a.com/{}", "().".repeat(N / 3)),
        format!("http://a.com/{}", "]".repeat(N)),
        // Many URLs that fail to parse in one run of brackets.
        format!("{}{close}", "http://%".repeat(N / 16)),
        format!("{}{}", "http://a.com/x)".repeat(N / 16), close),
    ];
    for line in &lines {
        for format in [Format::Text, Format::Markdown, Format::Html] {
            let started = std::time::Instant::now();
            let doc = Extractor::new().extract_str("long", format, line);
            let took = started.elapsed();
            assert!(
                took < std::time::Duration::from_secs(2),
                "{format} {}…: {took:?}",
                &line[..20]
            );
            drop(doc);
        }
    }
    let found = citevault::extract::urls::find_urls(&lines[0]);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].url.as_str(), "http://a.com/");
    let found = citevault::extract::urls::find_urls(&lines[2]);
    assert_eq!(found[0].end, "http://a.com/".len() + N);
}
