//! `citevault::robustify`: documents are rewritten so each citation carries
//! its archived copy, and the output is parsed back to check it.

use citevault::extract::urls::parse_http_like;
use citevault::model::Timestamp;
use citevault::robustify::{robustify, RobustLink};
use citevault::{Extractor, Format};
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use std::collections::HashMap;

/// The capture time every copy here has: 2025-11-28T12:00:00Z.
const CAPTURED: Timestamp = Timestamp(1_764_331_200);
const DATE: &str = "2025-11-28";
const WAYBACK: &str = "https://web.archive.org/web/20251128120000/";

/// A URL in the tests that has no copy.
const UNARCHIVED: &str = "https://uncached.example/story";

fn memento(url: &str) -> String {
    format!("{WAYBACK}{url}")
}

fn is_memento(url: &str) -> bool {
    url.starts_with(WAYBACK)
}

/// The citation URL a URL as written is stored under.
fn cited(raw: &str) -> Option<String> {
    parse_http_like(raw).map(String::from)
}

/// Copies for every URL the extractor cites in `text`, except
/// [`UNARCHIVED`]: keys are exactly what `extract` writes.
fn copies_for(text: &str, format: Format) -> HashMap<String, RobustLink> {
    let doc = Extractor::new().extract_str("digest", format, text);
    doc.all_citations()
        .filter_map(|c| c.url.clone())
        .filter(|u| u != UNARCHIVED)
        .map(|u| {
            let copy = RobustLink {
                version_url: memento(&u),
                version_date: CAPTURED,
            };
            (u, copy)
        })
        .collect()
}

/// Each citation as (item, URL, outlet, date, line).
type Cited = (String, Option<String>, Option<String>, Option<String>, u32);

fn citations(text: &str, format: Format) -> Vec<Cited> {
    let doc = Extractor::new().extract_str("digest", format, text);
    let mut out = Vec::new();
    for item in &doc.items {
        for c in &item.citations {
            out.push((
                item.title.clone(),
                c.url.clone(),
                c.outlet.clone(),
                c.date.clone(),
                c.line,
            ));
        }
    }
    for c in &doc.citations {
        out.push((
            String::new(),
            c.url.clone(),
            c.outlet.clone(),
            c.date.clone(),
            c.line,
        ));
    }
    out
}

/// Robustifies, checks that a second run changes nothing, and returns the
/// output and count.
fn run(text: &str, format: Format, copies: &HashMap<String, RobustLink>) -> (String, usize) {
    let (out, n) = robustify(text, format, copies);
    let (again, n2) = robustify(&out, format, copies);
    assert_eq!(again, out, "{format:?}: a second run changed the output");
    assert_eq!(n2, n, "{format:?}: a second run counted differently");
    (out, n)
}

// ---------------------------------------------------------------- HTML

const HTML: &str = r#"<!DOCTYPE html>
<html><head><title>China Watch</title>
<script>var tpl = '<a href="https://www.rfa.org/mandarin/a.html">RFA</a>';</script>
<style>a[href^="https://www.rfa.org"] { color: red }</style>
</head>
<body><main>
<h2>China Weighs New Export Curbs</h2>
<p>Beijing is weighing new export controls on rare earths, officials said on Friday.</p>
<p>Source: <a href="https://www.rfa.org/mandarin/a.html" title="RFA &gt; Mandarin">RFA, November 7, 2023</a></p>
<!-- earlier: <a href="https://www.rfa.org/mandarin/a.html">RFA</a> -->
<h2>Dutch Chipmaker Nexperia Urges China Unit to Resume Operations</h2>
<p>The company said supplies were running low across the industry this week.</p>
<p>Source: <A HREF='https://www.epochtimes.com/gb/25/11/28/n14645200.htm' data-versionurl="https://old.example/memento" data-versiondate="2020-01-01">Epoch Times, November 28, 2025</A></p>
<h2>Additional Chinese Actions Following Remarks on Taiwan</h2>
<p>Beijing announced further measures against Japan on Friday, officials said.</p>
<p>Source: <a
   class=src href=https://world.people.com.cn/n1/2025/1114/c1002-40603281.html>People's Daily, November 14, 2025</a></p>
<h2>Chip Export Talks Continue in Washington</h2>
<p>Negotiators met again to discuss export licences, according to reports.</p>
<p>Source: <a href="https://example.com/search?q=chips&amp;lang=en">Reuters, November 20, 2025</a></p>
<h2>China Shifts Cross-Border Lending Toward Developed Countries</h2>
<p>A study of cross-border credit found most went to rich economies this year.</p>
<p>Source: <a href="https://www.dw.com/zh/研究中国跨境信贷/a-74793625">DW, November 18, 2025</a></p>
<textarea><a href="https://www.rfa.org/mandarin/a.html">RFA</a></textarea>
<h2>Unarchived Story Still Awaits Capture</h2>
<p>Nothing has been archived for this one yet, editors said on Monday.</p>
<p>Source: <a href="https://uncached.example/story">Example News, November 21, 2025</a></p>
</main></body></html>
"#;

/// The document without any robust-link attributes (double-quoted, as
/// robustify writes them and as the fixture's old ones are).
fn strip_robust_attrs(html: &str) -> String {
    let re =
        regex::Regex::new(r#" data-(originalurl|versionurl|versiondate)="[^"]*""#).expect("regex");
    re.replace_all(html, "").into_owned()
}

#[test]
fn html_links_get_robust_attributes_and_nothing_else_changes() {
    let copies = copies_for(HTML, Format::Html);
    let expected_keys = [
        "https://www.rfa.org/mandarin/a.html",
        "https://www.epochtimes.com/gb/25/11/28/n14645200.htm",
        "https://world.people.com.cn/n1/2025/1114/c1002-40603281.html",
        "https://example.com/search?q=chips&lang=en",
        "https://www.dw.com/zh/%E7%A0%94%E7%A9%B6%E4%B8%AD%E5%9B%BD%E8%B7%A8%E5%A2%83%E4%BF%A1%E8%B4%B7/a-74793625",
    ];
    let mut keys: Vec<&str> = copies.keys().map(String::as_str).collect();
    keys.sort_unstable();
    let mut want = expected_keys.to_vec();
    want.sort_unstable();
    assert_eq!(keys, want, "the extractor's citations");

    let (out, n) = run(HTML, Format::Html, &copies);
    // The five links in the body; not those in the comment, script or
    // textarea, nor the unarchived one.
    assert_eq!(n, 5);

    // Parsed back: every link has the right attributes, or none.
    let page = scraper::Html::parse_document(&out);
    let anchors = scraper::Selector::parse("a[href]").expect("selector");
    let mut given = 0;
    for a in page.select(&anchors) {
        let el = a.value();
        let href = el.attr("href").unwrap_or_default();
        let key = cited(href.trim()).expect("every link here is absolute");
        match copies.get(&key) {
            Some(copy) => {
                given += 1;
                assert_eq!(el.attr("data-originalurl"), Some(key.as_str()), "{href}");
                assert_eq!(
                    el.attr("data-versionurl"),
                    Some(copy.version_url.as_str()),
                    "{href}"
                );
                assert_eq!(el.attr("data-versiondate"), Some(DATE), "{href}");
            }
            None => {
                assert_eq!(key, UNARCHIVED);
                for name in ["data-originalurl", "data-versionurl", "data-versiondate"] {
                    assert_eq!(el.attr(name), None, "{href}");
                }
            }
        }
    }
    assert_eq!(given, 5);
    // Replaced, not duplicated (the parser would hide a second one).
    assert_eq!(out.matches("data-versionurl=").count(), 5);
    assert_eq!(out.matches("data-versiondate=").count(), 5);
    assert!(!out.contains("old.example"));
    assert!(!out.contains("2020-01-01"));
    // `&` in the memento is escaped in the attribute.
    assert!(out.contains(
        "data-versionurl=\"https://web.archive.org/web/20251128120000/https://example.com/search?q=chips&amp;lang=en\""
    ));

    // Only start tags changed: without the robust-link attributes, the
    // output is the input byte for byte (the input's old ones removed too).
    assert_eq!(strip_robust_attrs(&out), strip_robust_attrs(HTML));
    // And the comment, script, style and textarea are as they were.
    for raw in [
        "<!-- earlier: <a href=\"https://www.rfa.org/mandarin/a.html\">RFA</a> -->",
        "var tpl = '<a href=\"https://www.rfa.org/mandarin/a.html\">RFA</a>';",
        "<textarea><a href=\"https://www.rfa.org/mandarin/a.html\">RFA</a></textarea>",
    ] {
        assert!(out.contains(raw), "{raw}");
    }
    // Attribute styles as written: single quotes, unquoted, uppercase, a
    // tag across lines.
    assert!(out.contains(
        "<A HREF='https://www.epochtimes.com/gb/25/11/28/n14645200.htm' data-originalurl="
    ));
    assert!(out.contains(
        "<a\n   class=src href=https://world.people.com.cn/n1/2025/1114/c1002-40603281.html data-originalurl="
    ));
}

#[test]
fn html_extraction_is_unchanged() {
    let copies = copies_for(HTML, Format::Html);
    let (out, _) = run(HTML, Format::Html, &copies);
    let before = citations(HTML, Format::Html);
    assert_eq!(before.len(), 6);
    assert_eq!(citations(&out, Format::Html), before);
}

#[test]
fn html_crlf_and_fragments() {
    let url = "https://www.rfa.org/mandarin/a.html";
    let copies = HashMap::from([(
        url.to_string(),
        RobustLink {
            version_url: memento(url),
            version_date: CAPTURED,
        },
    )]);
    // A fragment (no <html>), CRLF line ends, a self-closing-looking tag,
    // an href with entities and surrounding spaces, a tag name glued to
    // the attribute by a slash.
    let src = "<p>A <a\r\nhref=\" https://www.rfa.org/mandarin/a&#46;html \"/>x</a>\r\n\
               B <a/href=\"https://www.rfa.org/mandarin/a.html\">y</a></p>\r\n";
    let (out, n) = run(src, Format::Html, &copies);
    assert_eq!(n, 2);
    assert_eq!(strip_robust_attrs(&out), src);
    assert!(out.contains(&format!(
        "<a\r\nhref=\" https://www.rfa.org/mandarin/a&#46;html \" data-originalurl=\"{url}\" data-versionurl=\"{}\" data-versiondate=\"{DATE}\"/>",
        memento(url)
    )));
}

// ------------------------------------------------------------ Markdown

const MARKDOWN: &str = "# China Watch — Week of November 24, 2025

## China Weighs New Export Curbs

Beijing is weighing new export controls on rare earths, officials said on Friday.

Source: [RFA, November 7, 2023](https://www.rfa.org/mandarin/a.html)

## Dutch Chipmaker Nexperia Urges China Unit to Resume Operations

The company said supplies were running low, see <https://en.wikipedia.org/wiki/Nexperia_(company)>.

Source: Epoch Times, November 28, 2025 https://www.epochtimes.com/gb/25/11/28/n14645200.htm

## Additional Chinese Actions Following Remarks on Taiwan

Beijing announced further measures against Japan on Friday, officials said.

Source: [People's Daily, November 14, 2025][1]

[1]: https://world.people.com.cn/n1/2025/1114/c1002-40603281.html

## Unarchived Story Still Awaits Capture

Nothing has been archived for this one yet, editors said on Monday.

Source: [Example News, November 21, 2025](https://uncached.example/story)

## Notes

Write `https://www.rfa.org/mandarin/a.html` in the config, or run:

```sh
curl https://www.epochtimes.com/gb/25/11/28/n14645200.htm
```

    wget https://www.rfa.org/mandarin/a.html
";

/// Code spans and code blocks, as parsed.
fn code(markdown: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_block = false;
    for event in Parser::new(markdown) {
        match event {
            Event::Start(Tag::CodeBlock(_)) => {
                in_block = true;
                out.push(String::new());
            }
            Event::End(TagEnd::CodeBlock) => in_block = false,
            Event::Text(t) if in_block => {
                if let Some(last) = out.last_mut() {
                    last.push_str(&t);
                }
            }
            Event::Code(t) => out.push(t.to_string()),
            _ => {}
        }
    }
    out
}

/// Every link in `markdown`: its destination and source range.
fn md_links(markdown: &str) -> Vec<(String, std::ops::Range<usize>)> {
    let opts = Options::ENABLE_FOOTNOTES | Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    Parser::new_ext(markdown, opts)
        .into_offset_iter()
        .filter_map(|(event, range)| match event {
            Event::Start(Tag::Link { dest_url, .. }) => Some((dest_url.to_string(), range)),
            _ => None,
        })
        .collect()
}

#[test]
fn markdown_links_get_archived_copy_links() {
    let copies = copies_for(MARKDOWN, Format::Markdown);
    assert_eq!(copies.len(), 4, "{copies:?}");
    let (out, n) = run(MARKDOWN, Format::Markdown, &copies);
    // Inline link, autolink, bare URL, reference link; not the code, not
    // the unarchived link, not the reference definition.
    assert_eq!(n, 4);

    let links = md_links(&out);
    let archive: Vec<_> = links.iter().filter(|(d, _)| is_memento(d)).collect();
    assert_eq!(archive.len(), 4);
    for (dest, range) in archive {
        let original = &dest[WAYBACK.len()..];
        assert_eq!(copies[original].version_url, *dest);
        // ` ([archived copy, DATE](MEMENTO))` right after the cited link
        // or URL.
        assert!(out[..range.start].ends_with(" ("), "{dest}");
        assert!(out[range.end..].starts_with(')'), "{dest}");
        assert_eq!(
            &out[range.start..range.start + "[archived copy, 2025-11-28]".len()],
            format!("[archived copy, {DATE}]")
        );
        let before = range.start - 2;
        let after_link = links
            .iter()
            .any(|(d, r)| r.end == before && cited(d).as_deref() == Some(original));
        let after_url = out[..before].ends_with(original);
        assert!(
            after_link || after_url,
            "{dest} follows nothing it archives"
        );
    }
    // Code is untouched.
    assert_eq!(code(&out), code(MARKDOWN));
    assert_eq!(code(&out).len(), 3);
    // The reference definition is not annotated; its use is.
    assert!(out.contains("\n[1]: https://world.people.com.cn/n1/2025/1114/c1002-40603281.html\n"));
    assert!(out.contains(&format!(
        "[People's Daily, November 14, 2025][1] ([archived copy, {DATE}]({}))",
        memento("https://world.people.com.cn/n1/2025/1114/c1002-40603281.html")
    )));
    // Balanced parentheses in the memento need no escaping.
    assert!(out.contains(&format!(
        "<https://en.wikipedia.org/wiki/Nexperia_(company)> ([archived copy, {DATE}]({})).",
        memento("https://en.wikipedia.org/wiki/Nexperia_(company)")
    )));
    // The bare URL's annotation goes after the URL.
    assert!(out.contains(&format!(
        "https://www.epochtimes.com/gb/25/11/28/n14645200.htm ([archived copy, {DATE}]({}))\n",
        memento("https://www.epochtimes.com/gb/25/11/28/n14645200.htm")
    )));
}

#[test]
fn markdown_extraction_is_unchanged_apart_from_archive_links() {
    let copies = copies_for(MARKDOWN, Format::Markdown);
    let (out, _) = run(MARKDOWN, Format::Markdown, &copies);
    let before = citations(MARKDOWN, Format::Markdown);
    let after = citations(&out, Format::Markdown);
    let (archive, rest): (Vec<_>, Vec<_>) = after
        .into_iter()
        .partition(|c| c.1.as_deref().is_some_and(is_memento));
    assert_eq!(rest, before);
    // What the extractor makes of the archive links today: see
    // `archive_links_seen_by_the_extractor` for the list.
    eprintln!(
        "markdown: {} archive links cited: {archive:#?}",
        archive.len()
    );
}

// ---------------------------------------------------------- plain text

const TEXT: &str = "China Watch — Week of November 24, 2025

China Weighs New Export Curbs

Beijing is weighing new export controls on rare earths, officials said on Friday.

Source: RFA, November 7, 2023
https://www.rfa.org/mandarin/a.html

Dutch Chipmaker Nexperia Urges China Unit to Resume Operations

The company said supplies were running low (https://en.wikipedia.org/wiki/Nexperia_(company)).

Source: Epoch Times, November 28, 2025 https://www.epochtimes.com/gb/25/11/28/n14645200.htm

Unarchived Story Still Awaits Capture

Nothing has been archived for this one yet, editors said on Monday.

Source: Example News, November 21, 2025
https://uncached.example/story
";

#[test]
fn text_urls_get_archived_copies() {
    let copies = copies_for(TEXT, Format::Text);
    assert_eq!(copies.len(), 3, "{copies:?}");
    let (out, n) = run(TEXT, Format::Text, &copies);
    assert_eq!(n, 3);
    for url in copies.keys() {
        let note = format!("{url} (archived copy, {DATE}: {})", memento(url));
        assert_eq!(out.matches(&note).count(), 1, "{note}");
    }
    assert!(out.contains("(company) (archived copy, 2025-11-28: https://web.archive.org/web/20251128120000/https://en.wikipedia.org/wiki/Nexperia_(company)))."));
    assert!(out.contains("\nhttps://uncached.example/story\n"));
    // Nothing but the annotations was added.
    let mut stripped = out.clone();
    for url in copies.keys() {
        stripped = stripped.replace(&format!(" (archived copy, {DATE}: {})", memento(url)), "");
    }
    assert_eq!(stripped, TEXT);
}

/// Splits a document's citations into those of archive links and the rest.
fn split_archive(cites: Vec<Cited>) -> (Vec<Cited>, Vec<Cited>) {
    cites
        .into_iter()
        .partition(|c| c.1.as_deref().is_some_and(is_memento))
}

/// What the extractor makes of the annotations robustify adds: nothing.
/// HTML's `data-*` attributes are invisible to it, and the Markdown and
/// text annotations are recognized and left out (an archived copy is not
/// a source of its own).
#[test]
fn archive_links_seen_by_the_extractor() {
    for (format, text) in [
        (Format::Html, HTML),
        (Format::Markdown, MARKDOWN),
        (Format::Text, TEXT),
    ] {
        let copies = copies_for(text, format);
        let (out, n) = robustify(text, format, &copies);
        let before = citations(text, format);
        let (archive, rest) = split_archive(citations(&out, format));
        eprintln!(
            "{format:?}: {n} links robustified; {} citations before, {} after ({} of them archive links); the others unchanged: {}",
            before.len(),
            archive.len() + rest.len(),
            archive.len(),
            rest == before
        );
        for c in &archive {
            eprintln!("  archive link cited: {c:?}");
        }
        // Every archive link read as a citation is one robustify added.
        assert!(archive.len() <= n);
        // The cited URLs are the same, whatever their attribution (in
        // text, see `text_attribution_survives_robustify`).
        let urls = |c: &[Cited]| -> Vec<String> { c.iter().filter_map(|c| c.1.clone()).collect() };
        assert_eq!(urls(&rest), urls(&before), "{format:?}");
        // The extractor knows robustify's annotations: a robust digest
        // extracts exactly as the original did, in every format.
        assert!(archive.is_empty(), "{format:?}: {archive:?}");
        assert_eq!(rest, before, "{format:?}");
    }
}

/// In plain text, a URL line under "Source: RFA, November 7, 2023" is
/// still a line of a URL alone once its annotation follows it: the outlet
/// and date stay with the URL.
#[test]
fn text_attribution_survives_robustify() {
    let copies = copies_for(TEXT, Format::Text);
    let (out, _) = robustify(TEXT, Format::Text, &copies);
    let (_, rest) = split_archive(citations(&out, Format::Text));
    assert_eq!(rest, citations(TEXT, Format::Text));
}
