//! Markdown and HTML documents, and citation styles the seeds do not show.

use crate::support;
use citevault::model::CitedVia;
use citevault::{Extractor, Format};
use support::*;

#[test]
fn markdown_digest() {
    let doc = extract_fixture("digest.md");
    assert_eq!(doc.format, Format::Markdown);
    assert_eq!(
        doc.title.as_deref(),
        Some("China Watch Weekly — November 2025")
    );
    let pd = Some("People’s Daily");
    assert_items(
        &doc,
        &[
            ("Nexperia Urges", 3, vec![
                want(Some("https://en.wikipedia.org/wiki/Nexperia_(company)"), None, None, None, 6),
                want(Some("https://www.epochtimes.com/gb/25/11/28/n14645200.htm"), Some("Epoch Times"), Some("2025-11-28"), None, 9),
            ]),
            ("Japan Row Deepens", 11, vec![
                want(Some("https://world.people.com.cn/n1/2025/1114/c1002-40603281.html"), pd, Some("2025-11-14"), Some(1), 18),
                want(Some("https://world.people.com.cn/n1/2025/1117/c1002-40604816.html"), pd, Some("2025-11-17"), Some(2), 19),
                // Footnote definition, attached to the item that marks [^3].
                want(Some("https://news.cctv.com/2025/11/16/ARTIsmBlaEtjpVHxkQty08Gb251116.shtml"), Some("CCTV"), Some("2025-11-16"), Some(3), 21),
            ]),
            ("Cross-Border Lending", 23, vec![
                // Reference-style link; outlet/date null (anchor text is not "Outlet, Date").
                want(Some("https://www.aiddata.org/blog/belt-and-road-bounces-back"), None, None, None, 25),
                want(Some("https://www.dw.com/zh/研究中国跨境信贷转向发达国家-美国借的最多/a-74793625"), None, None, None, 26),
                want(Some("https://www.dw.com/zh/a-74793625"), Some("Deutsche Welle"), Some("2025-11-19"), None, 33),
            ]),
            ("Chip Export Curbs", 37, vec![
                want(None, Some("Nikkei Asia"), Some("2024-11-15"), None, 39),
                want(None, Some("Nikkei Asia"), Some("2025-11-18"), None, 41),
            ]),
            ("An Item Without Sources", 43, vec![]),
        ],
    );
    let all: Vec<_> = doc.all_citations().filter_map(|c| c.url.clone()).collect();
    assert!(
        !all.iter().any(|u| u.contains("example.com")),
        "code is never cited: {all:?}"
    );
    let vias: Vec<_> = doc.items[1].citations.iter().map(|c| c.via).collect();
    assert_eq!(
        vias,
        [
            CitedVia::SourceList,
            CitedVia::SourceList,
            CitedVia::Footnote
        ]
    );
    assert_eq!(doc.items[0].citations[0].via, CitedVia::Link, "autolink");
    assert_eq!(doc.items[2].citations[1].via, CitedVia::BareUrl);
}

#[test]
fn html_digest_skips_page_chrome() {
    let doc = extract_fixture("digest.html");
    assert_eq!(doc.format, Format::Html);
    assert_eq!(doc.title.as_deref(), Some("China Watch — Issue 42"));
    assert_items(
        &doc,
        &[
            (
                "Nexperia Urges",
                21,
                vec![want(
                    Some("https://www.epochtimes.com/gb/25/11/28/n14645200.htm"),
                    Some("Epoch Times"),
                    Some("2025-11-28"),
                    None,
                    25,
                )],
            ),
            (
                "Japan Row Deepens",
                27,
                vec![
                    want(
                        Some("https://world.people.com.cn/n1/2025/1114/c1002-40603281.html"),
                        Some("People’s Daily"),
                        Some("2025-11-14"),
                        Some(1),
                        32,
                    ),
                    // `&amp;` in the href is decoded.
                    want(
                        Some("https://news.cctv.com/2025/11/16/ARTI.shtml?a=1&b=2"),
                        Some("CCTV"),
                        Some("2025-11-16"),
                        Some(2),
                        33,
                    ),
                ],
            ),
            (
                "AidData: Lending Shifts",
                36,
                vec![
                    want(
                        Some("https://www.aiddata.org/blog/belt-and-road-bounces-back"),
                        None,
                        None,
                        None,
                        37,
                    ),
                    // Relative link resolved against the canonical URL.
                    want(
                        Some("https://digest.example.org/2025/11/issue-41/"),
                        None,
                        None,
                        None,
                        38,
                    ),
                    want(
                        Some("https://en.wikipedia.org/wiki/Nexperia_(company)"),
                        None,
                        None,
                        None,
                        39,
                    ),
                    want(None, Some("Nikkei Asia"), Some("2025-11-18"), None, 40),
                ],
            ),
            ("An Item Without Sources", 42, vec![]),
        ],
    );
    let all: Vec<String> = doc.all_citations().filter_map(|c| c.url.clone()).collect();
    for chrome in [
        "cdn.example.com",
        "tracker",
        "evil",
        "facebook",
        "category",
        "respond",
        "wordpress.org",
        "other.example.com",
        "/about/",
    ] {
        assert!(
            !all.iter().any(|u| u.contains(chrome)),
            "{chrome} is chrome: {all:?}"
        );
    }
}

fn extract(format: Format, text: &str) -> citevault::Document {
    Extractor::new().extract_str("test", format, text)
}

#[test]
fn source_with_url_on_the_same_line_and_several_sources() {
    let doc = extract(
        Format::Text,
        "Headline Of The Item Here\n\nBody text of the item that goes on for a while to be a paragraph.\n\n\
         Source: RFA, November 7, 2023 https://www.rfa.org/a.html\n\n\
         Second Headline For Another Item\n\nAnother body paragraph that reads like prose, with a full stop.\n\n\
         Source: Reuters, Nov 1, 2025; AP, November 2, 2025\n",
    );
    assert_items(
        &doc,
        &[
            (
                "Headline Of The Item",
                1,
                vec![want(
                    Some("https://www.rfa.org/a.html"),
                    Some("RFA"),
                    Some("2023-11-07"),
                    None,
                    5,
                )],
            ),
            (
                "Second Headline",
                7,
                vec![
                    want(None, Some("Reuters"), Some("2025-11-01"), None, 11),
                    want(None, Some("AP"), Some("2025-11-02"), None, 11),
                ],
            ),
        ],
    );
}

#[test]
fn unlinked_source_line_is_a_citation_without_url() {
    let doc = extract(
        Format::Text,
        "Tokyo Weighs New Chip Controls\n\nJapan is weighing new export controls on chipmaking tools, officials said.\n\n\
         Source: Nikkei Asia, November 18, 2025\n\nNext Headline Goes Here Now\n\nMore body text that is long enough to be a body paragraph.\n",
    );
    assert_eq!(doc.items.len(), 2);
    let c = &doc.items[0].citations;
    assert_eq!(c.len(), 1);
    assert_eq!(c[0].url, None);
    assert_eq!(c[0].outlet.as_deref(), Some("Nikkei Asia"));
    assert_eq!(c[0].outlet_id.as_deref(), Some("nikkei-asia"));
    assert_eq!(c[0].date.as_deref(), Some("2025-11-18"));
    assert!(doc.items[1].citations.is_empty());
}

#[test]
fn numbered_sources_with_parenthesis_and_same_line_urls() {
    let doc = extract(
        Format::Text,
        "A Headline About Sources\n\nSome body text about the item that reads as a sentence {1} and more [2].\n\n\
         Sources:\n1) Xinhua, November 19, 2025 http://www.news.cn/a/c.html\n2) SCMP, 17 November 2025\n<https://www.scmp.com/news/a>\n",
    );
    assert_items(
        &doc,
        &[(
            "A Headline",
            1,
            vec![
                want(
                    Some("http://www.news.cn/a/c.html"),
                    Some("Xinhua"),
                    Some("2025-11-19"),
                    Some(1),
                    6,
                ),
                want(
                    Some("https://www.scmp.com/news/a"),
                    Some("SCMP"),
                    Some("2025-11-17"),
                    Some(2),
                    8,
                ),
            ],
        )],
    );
    assert_eq!(doc.items[0].citations[1].outlet_id.as_deref(), Some("scmp"));
}

#[test]
fn html_ordered_list_start_and_entities() {
    let html = "<html><body><h2>Item</h2><p>Body text.<sup>3</sup></p><p>Sources:</p>\
        <ol start=\"3\"><li>WSJ, Nov. 3, 2025 <a href=\"https://www.wsj.com/a?x=1&amp;y=2\">WSJ</a></li>\
        <li>AP, November 4, 2025<br><a href=\"https://apnews.com/article/b\">https://apnews.com/article/b</a></li></ol></body></html>";
    let doc = extract(Format::Html, html);
    assert_items(
        &doc,
        &[(
            "Item",
            1,
            vec![
                want(
                    Some("https://www.wsj.com/a?x=1&y=2"),
                    Some("WSJ"),
                    Some("2025-11-03"),
                    Some(3),
                    1,
                ),
                want(
                    Some("https://apnews.com/article/b"),
                    Some("AP"),
                    Some("2025-11-04"),
                    Some(4),
                    1,
                ),
            ],
        )],
    );
}

#[test]
fn html_anchor_text_outlet_date_and_share_buttons() {
    let html = "<article><h2>One</h2><p>As <a href=\"https://www.dw.com/a-1\">DW, November 19, 2025</a> reported, \
        and <a href=\"https://www.dw.com/a-2\">here</a>.</p>\
        <div class=\"share-buttons\"><a href=\"https://twitter.com/intent/tweet?u=1\">Tweet</a></div>\
        <p><a href=\"https://www.facebook.com/sharer/sharer.php?u=x\">f</a></p></article>\
        <nav><a href=\"https://nav.example/\">nav</a></nav>";
    let doc = extract(Format::Html, html);
    assert_items(
        &doc,
        &[(
            "One",
            1,
            vec![
                want(
                    Some("https://www.dw.com/a-1"),
                    Some("DW"),
                    Some("2025-11-19"),
                    None,
                    1,
                ),
                want(Some("https://www.dw.com/a-2"), None, None, None, 1),
            ],
        )],
    );
}

#[test]
fn markdown_headline_link_and_code_spans() {
    let md = "## [Nexperia urges China unit](https://www.dw.com/en/a-1)\n\nBody `https://example.com/x` text.\n\n    https://example.com/indented-code\n\nSee https://www.rfa.org/b.\n";
    let doc = extract(Format::Markdown, md);
    assert_items(
        &doc,
        &[(
            "Nexperia urges",
            1,
            vec![
                want(Some("https://www.dw.com/en/a-1"), None, None, None, 1),
                want(Some("https://www.rfa.org/b"), None, None, None, 7),
            ],
        )],
    );
}

#[test]
fn markdown_endnotes_go_to_the_items_that_mark_them() {
    let md = "## First\n\nText one.[^a]\n\n## Second\n\nText two.[^b] Again.[^a]\n\n\
        [^a]: Caixin, November 1, 2025, https://www.caixin.com/a\n\
        [^b]: <https://www.bbc.com/b>\n";
    let doc = extract(Format::Markdown, md);
    let urls = |i: usize| -> Vec<String> {
        doc.items[i]
            .citations
            .iter()
            .filter_map(|c| c.url.clone())
            .collect()
    };
    assert_eq!(urls(0), ["https://www.caixin.com/a"]);
    // In the order the notes are defined.
    assert_eq!(
        urls(1),
        ["https://www.caixin.com/a", "https://www.bbc.com/b"]
    );
    assert_eq!(
        doc.items[0].citations[0].outlet_id.as_deref(),
        Some("caixin")
    );
}

#[test]
fn citations_before_any_item_stay_at_document_level() {
    let doc = extract(
        Format::Text,
        "https://www.rfa.org/one\nhttps://www.rfa.org/two\n",
    );
    assert!(doc.items.is_empty());
    let urls: Vec<_> = doc
        .citations
        .iter()
        .filter_map(|c| c.url.as_deref())
        .collect();
    assert_eq!(urls, ["https://www.rfa.org/one", "https://www.rfa.org/two"]);
    assert!(doc
        .citations
        .iter()
        .all(|c| c.outlet_id.as_deref() == Some("rfa")));
}

#[test]
fn non_utf8_documents_are_decoded() {
    let text = "新闻标题在这里出现了\n\n这是一个很长的正文段落，讲述了事情的经过和各方的反应，内容足够长可以被认为是正文。\n\n来源：人民日报，2025年11月14日\nhttps://world.people.com.cn/n1/2025/1114/c1002-40603281.html\n";
    for enc in [encoding_rs::GBK, encoding_rs::GB18030] {
        let (bytes, _, _) = enc.encode(text);
        let doc = Extractor::new()
            .extract_bytes("gbk.txt", None, &bytes)
            .unwrap();
        assert_items(
            &doc,
            &[(
                "新闻标题",
                1,
                vec![want(
                    Some("https://world.people.com.cn/n1/2025/1114/c1002-40603281.html"),
                    Some("人民日报"),
                    Some("2025-11-14"),
                    None,
                    6,
                )],
            )],
        );
        assert_eq!(
            doc.all_citations().next().unwrap().outlet_id.as_deref(),
            Some("peoples-daily")
        );
    }
    let big5_text = "新聞標題在這裡出現了\n\n這是一個很長的正文段落，講述了事情的經過和各方的反應，內容足夠長可以被認為是正文。\n\n來源：中央社，2025年11月18日\nhttps://www.cna.com.tw/news/acn/202511180033.aspx\n";
    let (bytes, _, _) = encoding_rs::BIG5.encode(big5_text);
    let doc = Extractor::new()
        .extract_bytes("big5.txt", None, &bytes)
        .unwrap();
    assert_eq!(doc.items[0].title, "新聞標題在這裡出現了");
    assert_eq!(
        doc.items[0].citations[0].outlet_id.as_deref(),
        Some("cna-taiwan")
    );
}

#[test]
fn opening_title_line_is_the_document_title_not_an_item() {
    let doc = extract_fixture("../../examples/china-watch-2025-11.txt");
    assert_eq!(
        doc.title.as_deref(),
        Some("China Watch — Week of November 24, 2025")
    );
    assert_eq!(doc.items.len(), 5);
    assert_eq!(
        doc.items[0].title,
        "Dutch Chipmaker Nexperia Urges China Unit to Resume Operations Amid Disruptions"
    );
    assert_eq!(
        doc.uncited_items()
            .map(|i| i.title.as_str())
            .collect::<Vec<_>>(),
        ["The Chips Are Down"]
    );
}

#[test]
fn anchor_and_surrounding_text_combine_into_one_attribution() {
    let html = "<main><h2>Item One</h2><p>Body.</p>\
        <p>Source: <a href=\"https://www.epochtimes.com/a\">Epoch Times</a>, November 28, 2025</p>\
        <h2>Item Two</h2><p>Body.</p><p>Source: RFA, November 7, 2023 (<a href=\"https://www.rfa.org/b\">Read more</a>)</p></main>";
    let doc = extract(Format::Html, html);
    assert_items(
        &doc,
        &[
            (
                "Item One",
                1,
                vec![want(
                    Some("https://www.epochtimes.com/a"),
                    Some("Epoch Times"),
                    Some("2025-11-28"),
                    None,
                    1,
                )],
            ),
            (
                "Item Two",
                1,
                vec![want(
                    Some("https://www.rfa.org/b"),
                    Some("RFA"),
                    Some("2023-11-07"),
                    None,
                    1,
                )],
            ),
        ],
    );
}

#[test]
fn html_footnotes_section_goes_to_the_items_that_mark_it() {
    let html = "<article><h2>First</h2><p>Claim.<sup><a href=\"#fn1\" id=\"fnref1\">1</a></sup></p>\
        <h2>Second</h2><p>Other claim.<sup><a href=\"#fn2\">2</a></sup> Again.<sup>1</sup></p>\
        <section class=\"footnotes\"><ol>\
        <li id=\"fn1\">Xinhua, November 19, 2025, <a href=\"http://www.news.cn/a/c.html\">http://www.news.cn/a/c.html</a> <a href=\"#fnref1\">↩</a></li>\
        <li id=\"fn2\"><a href=\"https://www.scmp.com/b\">SCMP, November 17, 2025</a></li>\
        </ol></section></article>";
    let doc = extract(Format::Html, html);
    let xinhua = || {
        want(
            Some("http://www.news.cn/a/c.html"),
            Some("Xinhua"),
            Some("2025-11-19"),
            Some(1),
            1,
        )
    };
    assert_items(
        &doc,
        &[
            ("First", 1, vec![xinhua()]),
            (
                "Second",
                1,
                vec![
                    xinhua(),
                    want(
                        Some("https://www.scmp.com/b"),
                        Some("SCMP"),
                        Some("2025-11-17"),
                        Some(2),
                        1,
                    ),
                ],
            ),
        ],
    );
    assert!(doc
        .items
        .iter()
        .flat_map(|i| &i.citations)
        .all(|c| c.via == CitedVia::Footnote));
}

#[test]
fn a_sources_heading_opens_the_items_source_list() {
    let md = "## Item\n\nClaim {1}.\n\n### Sources\n\n1. Caixin, November 1, 2025, https://www.caixin.com/a\n\n## Next Item\n\nText.\n";
    let doc = extract(Format::Markdown, md);
    assert_items(
        &doc,
        &[
            (
                "Item",
                1,
                vec![want(
                    Some("https://www.caixin.com/a"),
                    Some("Caixin"),
                    Some("2025-11-01"),
                    Some(1),
                    7,
                )],
            ),
            ("Next Item", 9, vec![]),
        ],
    );
}

/// `citevault robustify` follows each cited URL with its archived copy; a
/// robust digest must extract exactly as the original: the copy is not a
/// source, and a URL line with its annotation is still a URL line.
#[test]
fn archived_copy_annotations_are_not_citations() {
    let plain = "Rare Earth Curbs Weighed\n\nBeijing weighs new curbs.\n\n\
                 Source: RFA, November 7, 2023\nhttps://www.rfa.org/a.html\n\n\
                 Chipmaker Urges Calm\n\nSee https://en.wikipedia.org/wiki/Nexperia_(company) today.\n";
    let robust = "Rare Earth Curbs Weighed\n\nBeijing weighs new curbs.\n\n\
                  Source: RFA, November 7, 2023\nhttps://www.rfa.org/a.html (archived copy, 2023-11-08: https://web.archive.org/web/20231108000000/https://www.rfa.org/a.html)\n\n\
                  Chipmaker Urges Calm\n\nSee https://en.wikipedia.org/wiki/Nexperia_(company) (archived copy, 2025-01-02: https://web.archive.org/web/20250102000000/https://en.wikipedia.org/wiki/Nexperia_(company)) today.\n";
    let cited = |doc: citevault::Document| -> Vec<_> {
        doc.all_citations()
            .map(|c| (c.url.clone(), c.outlet.clone(), c.date.clone(), c.line))
            .collect()
    };
    let before = cited(extract(Format::Text, plain));
    assert_eq!(before.len(), 2);
    assert_eq!(cited(extract(Format::Text, robust)), before);

    let md = "## Rare Earth Curbs Weighed\n\nBeijing weighs new curbs.\n\n\
              Source: [RFA, November 7, 2023](https://www.rfa.org/a.html)\n";
    let md_robust = "## Rare Earth Curbs Weighed\n\nBeijing weighs new curbs.\n\n\
              Source: [RFA, November 7, 2023](https://www.rfa.org/a.html) ([archived copy, 2023-11-08](https://web.archive.org/web/20231108000000/https://www.rfa.org/a.html))\n";
    let before = cited(extract(Format::Markdown, md));
    assert_eq!(before.len(), 1);
    assert_eq!(cited(extract(Format::Markdown, md_robust)), before);

    // Words alone, with no closing parenthesis, change nothing.
    let loose = "Story\n\nAn (archived copy of https://www.rfa.org/b.html is elsewhere\n";
    assert_eq!(cited(extract(Format::Text, loose)).len(), 1);

    // The words in a line without a link are the editor's, not robustify's
    // (its annotations link the copy): a headline keeps them, in an
    // annotated digest or not.
    let headline = "Court Records (archived copy requested)";
    let story = "\n\nThe court sealed the records on Monday, lawyers for the families said.\n\n\
                 Source: RFA, November 7, 2023\nhttps://www.rfa.org/a.html";
    for tail in ["\n", " (archived copy, 2023-11-08: https://web.archive.org/web/2023/https://www.rfa.org/a.html)\n"] {
        let doc = extract(Format::Text, &format!("{headline}{story}{tail}"));
        assert_eq!(doc.items.len(), 1, "{tail:?}");
        assert_eq!(doc.items[0].title, headline, "{tail:?}");
        assert_eq!(cited(doc).len(), 1, "{tail:?}");
    }
}
