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
    let variants = [input.to_string(), decoded(input), visible, unescaped];
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
