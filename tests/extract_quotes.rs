//! HTML quotations (`<blockquote cite>`, `<q cite>`) and verbatim elements
//! (`pre`, `code`, `kbd`, `samp`, `var`, `tt`, `listing`, `xmp`,
//! `plaintext`).

use crate::support;
use citevault::model::CitedVia;
use citevault::{Document, Extractor, Format};
use support::*;

fn html(text: &str) -> Document {
    Extractor::new().extract_str("quotes.html", Format::Html, text)
}

/// Every cited URL of the document, items and document level.
fn urls(doc: &Document) -> Vec<String> {
    doc.all_citations().filter_map(|c| c.url.clone()).collect()
}

#[test]
fn blockquote_and_q_cite_are_citations_of_their_items() {
    let doc = html(
        r#"<html><body><article>
<h2>Chipmaker Urges Unit to Resume Operations</h2>
<p>The company said on Friday that talks were continuing with officials.</p>
<blockquote cite="https://news.example.com/2025/11/28/statement.html">
<p>We remain committed to a solution.</p>
</blockquote>
<h2>Ministers Meet on Export Curbs</h2>
<p>The minister said the talks were useful.
He added <q cite="https://other.example.org/story?id=7">we will see</q> on Monday.</p>
</article></body></html>
"#,
    );
    assert_items(
        &doc,
        &[
            (
                "Chipmaker Urges",
                2,
                vec![want(
                    Some("https://news.example.com/2025/11/28/statement.html"),
                    None,
                    None,
                    None,
                    4,
                )],
            ),
            (
                "Ministers Meet",
                7,
                vec![want(
                    Some("https://other.example.org/story?id=7"),
                    None,
                    None,
                    None,
                    9,
                )],
            ),
        ],
    );
    for c in doc.all_citations() {
        assert_eq!(c.via, CitedVia::Link);
    }
}

#[test]
fn cite_keeps_document_order_with_the_links_around_it() {
    let doc = html(
        r#"<article>
<h2>Ministers Meet on Export Curbs</h2>
<p>As <a href="https://a.example.com/before">reported</a>, he said
<q cite="https://b.example.com/quote">we will see</q> and
<a href="https://c.example.com/after">more</a>.</p>
</article>"#,
    );
    assert_items(
        &doc,
        &[(
            "Ministers Meet",
            2,
            vec![
                want(Some("https://a.example.com/before"), None, None, None, 3),
                want(Some("https://b.example.com/quote"), None, None, None, 4),
                want(Some("https://c.example.com/after"), None, None, None, 5),
            ],
        )],
    );
}

#[test]
fn relative_cite_is_resolved_against_base() {
    let doc = html(
        r#"<html><head><base href="https://www.example.com/news/"></head><body>
<h2>Chipmaker Urges Unit to Resume Operations</h2>
<blockquote cite="2025/statement.html"><p>We remain committed.</p></blockquote>
<p>He said <q cite="/press/release-7">soon</q>.</p>
</body></html>"#,
    );
    assert_eq!(
        urls(&doc),
        [
            norm("https://www.example.com/news/2025/statement.html"),
            norm("https://www.example.com/press/release-7"),
        ]
    );
}

#[test]
fn relative_cite_without_base_is_dropped() {
    let doc = html(
        r#"<h2>Chipmaker Urges Unit to Resume Operations</h2>
<blockquote cite="2025/statement.html"><p>We remain committed.</p></blockquote>
<p>Body text of the item.</p>"#,
    );
    assert!(urls(&doc).is_empty(), "{:?}", urls(&doc));
}

#[test]
fn entity_encoded_cite_is_decoded() {
    let doc = html(
        r#"<h2>Chipmaker Urges Unit to Resume Operations</h2>
<blockquote cite="https://news.example.com/story?id=1&amp;lang=en&#x26;page=2">
<p>We remain committed.</p></blockquote>"#,
    );
    assert_eq!(
        urls(&doc),
        [norm("https://news.example.com/story?id=1&lang=en&page=2")]
    );
}

#[test]
fn a_link_inside_the_quotation_to_the_same_url_is_one_citation() {
    let doc = html(
        r#"<article>
<h2>Chipmaker Urges Unit to Resume Operations</h2>
<blockquote cite="https://news.example.com/statement">
<p>We remain committed to a solution.</p>
<p>— <a href="https://news.example.com/statement">Reuters, November 28, 2025</a></p>
</blockquote>
<p>He said <q cite="https://b.example.com/q"><a href="https://b.example.com/q">soon</a></q>.</p>
</article>"#,
    );
    assert_items(
        &doc,
        &[(
            "Chipmaker Urges",
            2,
            vec![
                // The anchor stays: it names the outlet and date.
                want(
                    Some("https://news.example.com/statement"),
                    Some("Reuters"),
                    Some("2025-11-28"),
                    None,
                    5,
                ),
                want(Some("https://b.example.com/q"), None, None, None, 7),
            ],
        )],
    );
}

#[test]
fn a_bare_url_inside_the_quotation_to_the_same_url_is_one_citation() {
    let doc = html(
        r#"<h2>Chipmaker Urges Unit to Resume Operations</h2>
<blockquote cite="https://news.example.com/statement">
<p>We remain committed. https://news.example.com/statement</p>
</blockquote>"#,
    );
    assert_eq!(urls(&doc), [norm("https://news.example.com/statement")]);
}

#[test]
fn a_figure_caption_crediting_the_quotation_is_one_citation() {
    let doc = html(
        r#"<h2>Chipmaker Urges Unit to Resume Operations</h2>
<figure>
<blockquote cite="https://news.example.com/statement"><p>We remain committed.</p></blockquote>
<figcaption>— <cite><a href="https://news.example.com/statement">The statement</a></cite></figcaption>
</figure>
<p>Other quote: <q cite="https://news.example.com/statement">again</q>.</p>"#,
    );
    // The figure credits it once; the later quotation outside it is a
    // citation of its own.
    assert_eq!(
        urls(&doc),
        [
            norm("https://news.example.com/statement"),
            norm("https://news.example.com/statement"),
        ]
    );
    let lines: Vec<u32> = doc.all_citations().map(|c| c.line).collect();
    assert_eq!(lines, [4, 6]);
}

#[test]
fn nested_quotations_citing_the_same_url_are_one_citation() {
    let doc = html(
        r#"<h2>Chipmaker Urges Unit to Resume Operations</h2>
<blockquote cite="https://news.example.com/statement">
<p>He said <q cite="https://news.example.com/statement">soon</q>.</p>
</blockquote>
<blockquote cite="https://news.example.com/statement"><p>And again.</p></blockquote>"#,
    );
    let lines: Vec<u32> = doc.all_citations().map(|c| c.line).collect();
    assert_eq!(lines.len(), 2, "{:?}", urls(&doc));
    assert_eq!(lines[1], 5);
}

#[test]
fn cite_that_names_no_web_page_is_not_a_citation() {
    let doc = html(
        r##"<h2>Chipmaker Urges Unit to Resume Operations</h2>
<blockquote cite="urn:isbn:0-486-27557-4"><p>It was the best of times.</p></blockquote>
<blockquote cite="javascript:alert(1)"><p>Script.</p></blockquote>
<blockquote cite="mailto:desk@example.com"><p>Mail.</p></blockquote>
<blockquote cite="#fn1"><p>Fragment.</p></blockquote>
<blockquote cite=""><p>Empty.</p></blockquote>
<p>He said <q cite="tel:+15550100">call</q> and <q>nothing</q>.</p>"##,
    );
    assert!(urls(&doc).is_empty(), "{:?}", urls(&doc));
    assert!(doc.all_citations().next().is_none());
}

#[test]
fn empty_quotation_still_cites_its_source() {
    let doc = html(
        r#"<h2>Chipmaker Urges Unit to Resume Operations</h2>
<p>Body text of the item.</p>
<blockquote cite="https://news.example.com/statement"></blockquote>"#,
    );
    assert_items(
        &doc,
        &[(
            "Chipmaker Urges",
            1,
            vec![want(
                Some("https://news.example.com/statement"),
                None,
                None,
                None,
                3,
            )],
        )],
    );
}

#[test]
fn quotations_in_page_chrome_are_not_citations() {
    let doc = html(
        r#"<html><body>
<aside><blockquote cite="https://side.example.com/q"><p>Sidebar quote.</p></blockquote></aside>
<article>
<h2>Chipmaker Urges Unit to Resume Operations</h2>
<p>Body text with <q cite="https://news.example.com/q">a quote</q>.</p>
</article>
<footer><q cite="https://foot.example.com/q">footer</q></footer>
</body></html>"#,
    );
    assert_eq!(urls(&doc), [norm("https://news.example.com/q")]);
}

#[test]
fn bare_urls_in_verbatim_elements_are_not_citations() {
    for el in [
        "pre",
        "code",
        "kbd",
        "samp",
        "var",
        "tt",
        "listing",
        "xmp",
        "plaintext",
    ] {
        let doc = html(&format!(
            "<h2>Chipmaker Urges Unit to Resume Operations</h2>\n\
             <p>Run <{el}>curl https://api.example.com/v1/items</{el}> to list them.</p>\n"
        ));
        assert!(urls(&doc).is_empty(), "<{el}>: {:?}", urls(&doc));
    }
    let doc = html(
        "<h2>Chipmaker Urges Unit to Resume Operations</h2>\n\
         <p>Run curl https://api.example.com/v1/items to list them.</p>\n",
    );
    assert_eq!(urls(&doc), [norm("https://api.example.com/v1/items")]);
    assert_eq!(doc.items[0].citations[0].via, CitedVia::BareUrl);
}

#[test]
fn verbatim_elements_end_where_they_close() {
    let doc = html(
        r#"<h2>Chipmaker Urges Unit to Resume Operations</h2>
<p>Type <kbd>https://a.example.com/typed</kbd>, see <samp>https://b.example.com/out</samp>,
<var>https://c.example.com/var</var>, then read https://d.example.com/after here.</p>
<pre>
https://e.example.com/pre
</pre>
<p>And https://f.example.com/next too.</p>"#,
    );
    assert_eq!(
        urls(&doc),
        [
            norm("https://d.example.com/after"),
            norm("https://f.example.com/next"),
        ]
    );
}

#[test]
fn a_link_inside_a_verbatim_element_is_still_a_citation() {
    for el in ["code", "pre", "kbd", "samp", "var", "tt"] {
        let doc = html(&format!(
            "<h2>Chipmaker Urges Unit to Resume Operations</h2>\n\
             <p>See <{el}><a href=\"https://docs.example.com/api\">the API</a> \
             https://api.example.com/raw</{el}>.</p>\n"
        ));
        assert_eq!(urls(&doc), [norm("https://docs.example.com/api")], "<{el}>");
        assert_eq!(doc.items[0].citations[0].via, CitedVia::Link);
        assert_eq!(doc.items[0].citations[0].line, 2);
    }
}

#[test]
fn plaintext_makes_the_rest_of_the_page_verbatim() {
    let doc = html(
        r#"<h2>Chipmaker Urges Unit to Resume Operations</h2>
<p>Before https://a.example.com/before the example.</p>
<plaintext>
<a href="https://b.example.com/markup">not markup</a> https://c.example.com/text
"#,
    );
    assert_eq!(urls(&doc), [norm("https://a.example.com/before")]);
}

#[test]
fn many_unclosed_quotations_stay_linear() {
    let mut text = String::from("<h2>Chipmaker Urges Unit to Resume Operations</h2>\n");
    for i in 0..20_000 {
        text.push_str(&format!(
            "<blockquote cite=\"https://news.example.com/{}\"><q cite=\"https://news.example.com/{i}\">w {i}\n",
            i % 7
        ));
    }
    let start = std::time::Instant::now();
    let doc = html(&text);
    assert!(start.elapsed().as_secs() < 20, "{:?}", start.elapsed());
    assert!(!urls(&doc).is_empty());
}
