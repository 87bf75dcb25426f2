//! Briefs (issue 14): digests of one-line items, "Headline" / one short
//! sentence / "Source: Outlet, Date" and its URL, in text, Markdown and HTML;
//! and numbered source entries whose URL line ends in sentence punctuation.

use citevault::model::CitedVia;
use citevault::{Document, Extractor, Format};

/// Headline, sentence, outlet, date as written, ISO date, URL.
const STORIES: [(&str, &str, &str, &str, &str, &str); 12] = [
    (
        "China Weighs New Export Curbs",
        "Beijing is weighing new export controls on rare earths.",
        "RFA",
        "November 7, 2023",
        "2023-11-07",
        "https://www.rfa.org/mandarin/a.html",
    ),
    (
        "Talks Resume in Geneva",
        "Negotiators met again this week.",
        "DW",
        "November 8, 2023",
        "2023-11-08",
        "https://www.dw.com/zh/a-1",
    ),
    (
        "Yuan Slips Against Dollar",
        "The currency fell to a three-month low.",
        "Reuters",
        "November 9, 2023",
        "2023-11-09",
        "https://www.reuters.com/markets/yuan-slips",
    ),
    (
        "Taiwan Holds Air Defense Drills",
        "The island staged exercises.",
        "Focus Taiwan",
        "November 10, 2023",
        "2023-11-10",
        "https://focustaiwan.tw/cross-strait/202311100001",
    ),
    (
        "Factory Output Rises",
        "Industrial production beat forecasts.",
        "Caixin",
        "November 11, 2023",
        "2023-11-11",
        "https://www.caixinglobal.com/2023-11-11/output.html",
    ),
    (
        "Hong Kong Court Denies Bail",
        "A judge denied bail to an activist.",
        "Hong Kong Free Press",
        "November 12, 2023",
        "2023-11-12",
        "https://hongkongfp.com/2023/11/12/court-denies-bail/",
    ),
    (
        "Students Protest Fees",
        "Hundreds gathered outside the campus.",
        "SCMP",
        "November 13, 2023",
        "2023-11-13",
        "https://www.scmp.com/news/china/article/3241234/students",
    ),
    (
        "Drought Hits Yangtze Basin",
        "Water levels fell sharply.",
        "BBC",
        "November 14, 2023",
        "2023-11-14",
        "https://www.bbc.com/news/world-asia-china-67412345",
    ),
    (
        "New Rail Line Opens",
        "The line links two provinces.",
        "Xinhua",
        "November 15, 2023",
        "2023-11-15",
        "https://www.news.cn/20231115/rail.htm",
    ),
    (
        "Censors Target Podcasts",
        "Several shows were removed.",
        "China Digital Times",
        "November 16, 2023",
        "2023-11-16",
        "https://chinadigitaltimes.net/2023/11/podcasts/",
    ),
    (
        "Property Sales Slump Again",
        "Sales fell for a fifth month.",
        "Bloomberg",
        "November 17, 2023",
        "2023-11-17",
        "https://www.bloomberg.com/news/articles/2023-11-17/property",
    ),
    (
        "Envoy Visits Washington",
        "The visit aims to ease tensions.",
        "VOA",
        "November 18, 2023",
        "2023-11-18",
        "https://www.voanews.com/a/envoy-visits/7351234.html",
    ),
];

const TITLE: &str = "China Brief — Week of November 7";

/// Builds a document from per-story line groups and records, for each story,
/// the 1-based lines of its headline and of its citation.
struct Digest {
    text: String,
    lines: u32,
    /// (headline line, citation line) per story.
    expected: Vec<(u32, u32)>,
}

impl Digest {
    fn new() -> Self {
        Digest {
            text: String::new(),
            lines: 0,
            expected: Vec::new(),
        }
    }

    /// Appends one line; returns its number.
    fn line(&mut self, text: &str) -> u32 {
        self.text.push_str(text);
        self.text.push('\n');
        self.lines += 1;
        self.lines
    }
}

fn extract(format: Format, text: &str) -> Document {
    Extractor::new().extract_str("briefs", format, text)
}

/// Exactly one item per story, titled by its headline, each with exactly its
/// own citation: URL, outlet, date and the line of the citation.
fn assert_briefs(doc: &Document, expected: &[(u32, u32)], via: CitedVia) {
    let titles: Vec<&str> = doc.items.iter().map(|i| i.title.as_str()).collect();
    assert_eq!(
        doc.items.len(),
        STORIES.len(),
        "{:?}: items {titles:#?}",
        doc.format
    );
    assert!(
        doc.citations.is_empty(),
        "{:?}: citations outside any item: {:#?}",
        doc.format,
        doc.citations
    );
    for ((item, story), &(headline_line, cite_line)) in doc.items.iter().zip(&STORIES).zip(expected)
    {
        let (headline, _, outlet, _, iso, url) = *story;
        assert_eq!(item.title, headline, "{:?}", doc.format);
        assert_eq!(
            item.line, headline_line,
            "{:?}: line of {headline}",
            doc.format
        );
        assert_eq!(
            item.citations.len(),
            1,
            "{:?}: {headline}: {:#?}",
            doc.format,
            item.citations
        );
        let c = &item.citations[0];
        assert_eq!(c.url.as_deref(), Some(url), "{:?}: {headline}", doc.format);
        assert_eq!(
            c.outlet.as_deref(),
            Some(outlet),
            "{:?}: {headline}",
            doc.format
        );
        assert_eq!(c.date.as_deref(), Some(iso), "{:?}: {headline}", doc.format);
        assert_eq!(c.line, cite_line, "{:?}: {headline}", doc.format);
        assert_eq!(c.via, via, "{:?}: {headline}", doc.format);
    }
}

/// The text shapes of a brief.
#[derive(Clone, Copy, PartialEq)]
enum TextShape {
    /// Headline, sentence, `Source:` line, URL line, blank line.
    Plain,
    /// A blank line between the headline and the sentence.
    BlankAfterHeadline,
    /// No blank lines at all: a story starts right after a URL line.
    NoBlankLines,
    /// The URL at the end of the `Source:` line.
    UrlOnSourceLine,
}

fn text_digest(shape: TextShape, title: bool) -> Digest {
    let mut d = Digest::new();
    if title {
        d.line(TITLE);
        d.line("");
    }
    for &(headline, sentence, outlet, date, _, url) in &STORIES {
        let h = d.line(headline);
        if shape == TextShape::BlankAfterHeadline {
            d.line("");
        }
        d.line(sentence);
        let cited = if shape == TextShape::UrlOnSourceLine {
            d.line(&format!("Source: {outlet}, {date} {url}"))
        } else {
            d.line(&format!("Source: {outlet}, {date}"));
            d.line(url)
        };
        if shape != TextShape::NoBlankLines {
            d.line("");
        }
        d.expected.push((h, cited));
    }
    d
}

#[test]
fn text_briefs() {
    for shape in [
        TextShape::Plain,
        TextShape::BlankAfterHeadline,
        TextShape::UrlOnSourceLine,
    ] {
        for title in [false, true] {
            let d = text_digest(shape, title);
            let doc = extract(Format::Text, &d.text);
            assert_briefs(&doc, &d.expected, CitedVia::SourceLine);
            assert_eq!(doc.title.as_deref(), title.then_some(TITLE), "{}", d.text);
        }
    }
}

#[test]
fn text_briefs_without_blank_lines() {
    for title in [false, true] {
        let d = text_digest(TextShape::NoBlankLines, title);
        let doc = extract(Format::Text, &d.text);
        assert_briefs(&doc, &d.expected, CitedVia::SourceLine);
    }
}

/// Some sentences long enough to read as a body paragraph, some not: every
/// story is still its own item (was: the short ones joined the item before).
#[test]
fn text_briefs_of_mixed_lengths() {
    let mut d = Digest::new();
    for (n, &(headline, sentence, outlet, date, _, url)) in STORIES.iter().enumerate() {
        let h = d.line(headline);
        d.line("");
        if n % 3 == 0 {
            d.line(&format!(
                "{sentence} Officials said more details would follow in the coming weeks."
            ));
        } else {
            d.line(sentence);
        }
        d.line("");
        d.line(&format!("Source: {outlet}, {date}"));
        let cited = d.line(url);
        d.line("");
        d.expected.push((h, cited));
    }
    assert_briefs(
        &extract(Format::Text, &d.text),
        &d.expected,
        CitedVia::SourceLine,
    );
}

#[test]
fn markdown_briefs() {
    for bold in [false, true] {
        for title in [None, Some(TITLE.to_string()), Some(format!("# {TITLE}"))] {
            let mut d = Digest::new();
            if let Some(t) = &title {
                d.line(t);
                d.line("");
            }
            for &(headline, sentence, outlet, date, _, url) in &STORIES {
                let h = if bold {
                    d.line(&format!("**{headline}**"))
                } else {
                    d.line(headline)
                };
                d.line(sentence);
                let cited = d.line(&format!("Source: [{outlet}, {date}]({url})"));
                d.line("");
                d.expected.push((h, cited));
            }
            let doc = extract(Format::Markdown, &d.text);
            assert_briefs(&doc, &d.expected, CitedVia::SourceLine);
            assert_eq!(
                doc.title.as_deref(),
                title.is_some().then_some(TITLE),
                "{}",
                d.text
            );
        }
    }
}

/// Sections of briefs under headings: the headings name sections, each
/// brief is an item, even in a section of one.
#[test]
fn markdown_briefs_in_sections() {
    let mut d = Digest::new();
    d.line(&format!("# {TITLE}"));
    d.line("");
    for (n, &(headline, sentence, outlet, date, _, url)) in STORIES.iter().enumerate() {
        let section = match n {
            0 => Some("## Economy"),
            5 => Some("## Politics"),
            11 => Some("## Diplomacy"),
            _ => None,
        };
        if let Some(s) = section {
            d.line(s);
            d.line("");
        }
        let h = d.line(headline);
        d.line(sentence);
        let cited = d.line(&format!("Source: [{outlet}, {date}]({url})"));
        d.line("");
        d.expected.push((h, cited));
    }
    let doc = extract(Format::Markdown, &d.text);
    assert_briefs(&doc, &d.expected, CitedVia::SourceLine);
    assert_eq!(doc.title.as_deref(), Some(TITLE));
}

#[test]
fn html_briefs_with_line_breaks() {
    let mut d = Digest::new();
    d.line("<!DOCTYPE html>");
    d.line(&format!("<html><head><title>{TITLE}</title></head><body>"));
    for &(headline, sentence, outlet, date, _, url) in &STORIES {
        let n = d.line(&format!(
            "<p><b>{headline}</b><br>{sentence}<br>Source: <a href=\"{url}\">{outlet}, {date}</a></p>"
        ));
        d.expected.push((n, n));
    }
    d.line("</body></html>");
    let doc = extract(Format::Html, &d.text);
    assert_briefs(&doc, &d.expected, CitedVia::SourceLine);
    assert_eq!(doc.title.as_deref(), Some(TITLE));
}

#[test]
fn html_briefs_paragraph_per_line() {
    for heading in [false, true] {
        let mut d = Digest::new();
        d.line("<html><body>");
        if heading {
            d.line(&format!("<h1>{TITLE}</h1>"));
        }
        for &(headline, sentence, outlet, date, _, url) in &STORIES {
            let h = d.line(&format!("<p><strong>{headline}</strong></p>"));
            d.line(&format!("<p>{sentence}</p>"));
            let cited = d.line(&format!(
                "<p>Source: <a href=\"{url}\">{outlet}, {date}</a></p>"
            ));
            d.expected.push((h, cited));
        }
        d.line("</body></html>");
        let doc = extract(Format::Html, &d.text);
        assert_briefs(&doc, &d.expected, CitedVia::SourceLine);
        assert_eq!(doc.title.as_deref(), heading.then_some(TITLE));
    }
}

/// A brief whose `Source:` line and URL line are broken by `<br>` in one
/// paragraph.
#[test]
fn html_briefs_with_url_below_source() {
    let mut d = Digest::new();
    d.line("<html><body>");
    for &(headline, sentence, outlet, date, _, url) in &STORIES {
        let h = d.line(&format!("<p><b>{headline}</b><br>"));
        d.line(&format!("{sentence}<br>"));
        d.line(&format!("Source: {outlet}, {date}<br>"));
        let cited = d.line(&format!("<a href=\"{url}\">{url}</a></p>"));
        d.expected.push((h, cited));
    }
    d.line("</body></html>");
    assert_briefs(
        &extract(Format::Html, &d.text),
        &d.expected,
        CitedVia::SourceLine,
    );
}

/// One list item per brief: `<li><b>Headline</b><br>sentence<br>Source: …</li>`.
#[test]
fn html_briefs_as_list_items() {
    let mut d = Digest::new();
    d.line("<html><body><ul>");
    for &(headline, sentence, outlet, date, _, url) in &STORIES {
        let n = d.line(&format!(
            "<li><b>{headline}</b><br>{sentence}<br>Source: <a href=\"{url}\">{outlet}, {date}</a></li>"
        ));
        d.expected.push((n, n));
    }
    d.line("</ul></body></html>");
    assert_briefs(
        &extract(Format::Html, &d.text),
        &d.expected,
        CitedVia::SourceLine,
    );
}

/// Long items keep their headlines and sources as before.
#[test]
fn long_items_are_unchanged() {
    let text = "\
Dutch Chipmaker Nexperia Urges China Unit to Resume Operations

In a public letter issued on November 28, 2025, Dutch chipmaker Nexperia called on its Chinese subsidiary to restore normal supply-chain operations.

The dispute now extends far beyond corporate governance, analysts said on Friday.

Source: Epoch Times, November 28, 2025
https://www.epochtimes.com/gb/25/11/28/n14645200.htm
Source: Reuters, November 29, 2025
https://www.reuters.com/world/china/nexperia/

China's Banking Sector Sees Rapid Growth in Distressed-Asset Sales

By the end of the third quarter of 2025, Chinese commercial banks reported a total of 3.5 trillion yuan in bad loans.

Source: Epoch Times, November 15, 2025
https://www.epochtimes.com/b5/25/11/14/n14636104.htm
";
    let doc = extract(Format::Text, text);
    let titles: Vec<&str> = doc.items.iter().map(|i| i.title.as_str()).collect();
    assert_eq!(
        titles,
        [
            "Dutch Chipmaker Nexperia Urges China Unit to Resume Operations",
            "China's Banking Sector Sees Rapid Growth in Distressed-Asset Sales",
        ]
    );
    let lines: Vec<Vec<u32>> = doc
        .items
        .iter()
        .map(|i| i.citations.iter().map(|c| c.line).collect())
        .collect();
    assert_eq!(lines, [vec![8, 10], vec![17]]);
}

/// `2) Outlet, Date` with its URL on the next line ending in `/.`: the `.`
/// ends the sentence, the line is still the entry's URL line.
#[test]
fn numbered_entry_with_trailing_punctuation() {
    let text = "\
Hong Kong Press Freedom Slips

The city fell again in the annual index of press freedom, a watchdog said on Wednesday, citing new security laws.

Sources:
1) RTHK, November 18, 2025
https://news.rthk.hk/rthk/en/component/k2/1829999-20251118.htm
2) Hong Kong Free Press, November 19, 2025
https://hongkongfp.com/2025/11/19/hong-kong-slips-in-press-freedom-index/.
3) The Standard, November 20, 2025
https://www.thestandard.com.hk/section-news/section/4/270001/;
";
    for format in [Format::Text, Format::Markdown] {
        let doc = extract(format, text);
        assert_eq!(doc.items.len(), 1, "{format:?}");
        assert!(doc.citations.is_empty(), "{format:?}: {:#?}", doc.citations);
        let item = &doc.items[0];
        assert_eq!(item.title, "Hong Kong Press Freedom Slips");
        let got: Vec<_> = item
            .citations
            .iter()
            .map(|c| {
                (
                    c.marker,
                    c.outlet.as_deref(),
                    c.date.as_deref(),
                    c.url.as_deref(),
                    c.line,
                    c.via,
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                (
                    Some(1),
                    Some("RTHK"),
                    Some("2025-11-18"),
                    Some("https://news.rthk.hk/rthk/en/component/k2/1829999-20251118.htm"),
                    7,
                    CitedVia::SourceList,
                ),
                (
                    Some(2),
                    Some("Hong Kong Free Press"),
                    Some("2025-11-19"),
                    Some(
                        "https://hongkongfp.com/2025/11/19/hong-kong-slips-in-press-freedom-index/"
                    ),
                    9,
                    CitedVia::SourceList,
                ),
                (
                    Some(3),
                    Some("The Standard"),
                    Some("2025-11-20"),
                    Some("https://www.thestandard.com.hk/section-news/section/4/270001/"),
                    11,
                    CitedVia::SourceList,
                ),
            ],
            "{format:?}"
        );
    }
}

/// The same under a `Source:` line: the URL line ending in `.` is its URL.
#[test]
fn source_line_with_url_line_ending_in_a_period() {
    let text = "\
Talks Resume in Geneva
Negotiators met again this week.
Source: DW, November 8, 2023
https://www.dw.com/zh/a-1.
";
    let doc = extract(Format::Text, text);
    assert_eq!(doc.items.len(), 1);
    let c = &doc.items[0].citations;
    assert_eq!(c.len(), 1, "{c:#?}");
    assert_eq!(c[0].url.as_deref(), Some("https://www.dw.com/zh/a-1"));
    assert_eq!(c[0].outlet.as_deref(), Some("DW"));
    assert_eq!(c[0].date.as_deref(), Some("2023-11-08"));
    assert_eq!(c[0].line, 4);
}
