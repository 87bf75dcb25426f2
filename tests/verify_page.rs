//! What a page says of itself: publication date (meta, JSON-LD, `<time>`,
//! a date line in the text), title, title likeness, and the findings drawn
//! from them.

use citevault::model::{FindingKind, Score, Severity};
use citevault::verify::page::{
    page_date_finding, page_facts, strip_site_suffix, title_finding, title_similarity, PageFacts,
};

const HTML: Option<&str> = Some("text/html; charset=utf-8");

fn page(head: &str, body: &str) -> Vec<u8> {
    format!("<!DOCTYPE html><html><head><meta charset=\"utf-8\">{head}</head><body>{body}</body></html>")
        .into_bytes()
}

fn date_of(head: &str, body: &str) -> (Option<String>, Option<&'static str>) {
    let facts = page_facts(&page(head, body), HTML);
    (facts.published, facts.published_from)
}

fn some(date: &str, from: &'static str) -> (Option<String>, Option<&'static str>) {
    (Some(date.to_string()), Some(from))
}

const ARTICLE: &str = "<article><h1>Headline</h1><p>Some text of the story.</p></article>";

#[test]
fn meta_dates_each_key() {
    let cases = [
        (
            r#"<meta property="article:published_time" content="2025-11-18T08:00:00+08:00">"#,
            "article:published_time",
        ),
        (
            r#"<meta property="og:published_time" content="2025-11-18">"#,
            "og:published_time",
        ),
        (
            r#"<meta name="pubdate" content="2025-11-18T08:00:00Z">"#,
            "pubdate",
        ),
        (
            r#"<meta name="publishdate" content="2025/11/18 08:00">"#,
            "publishdate",
        ),
        (
            r#"<meta itemprop="datePublished" content="2025-11-18">"#,
            "datePublished",
        ),
        (r#"<meta name="date" content="2025-11-18">"#, "date"),
        (r#"<meta name="PubDate" content="20251118">"#, "pubdate"),
        (
            r#"<meta name="date" content="Tue, 18 Nov 2025 08:00:00 +0800">"#,
            "date",
        ),
        (r#"<meta name="date" content="November 18, 2025">"#, "date"),
    ];
    for (head, from) in cases {
        assert_eq!(date_of(head, ARTICLE), some("2025-11-18", from), "{head}");
    }
    // Microdata on an element other than <meta>.
    let body = r#"<article><span itemprop="datePublished" content="2025-11-18"></span></article>"#;
    assert_eq!(date_of("", body), some("2025-11-18", "datePublished"));
}

#[test]
fn meta_keys_are_ranked_not_taken_in_document_order() {
    let head = r#"<meta name="date" content="2025-11-01">
        <meta name="pubdate" content="2025-11-10">
        <meta property="article:published_time" content="2025-11-18T08:00:00+08:00">"#;
    assert_eq!(
        date_of(head, ARTICLE),
        some("2025-11-18", "article:published_time")
    );
}

#[test]
fn json_ld_object_array_and_graph() {
    let object = r#"<script type="application/ld+json">
        {"@context":"https://schema.org","@type":"NewsArticle","headline":"x",
         "datePublished":"2025-11-18T08:00:00+08:00","dateModified":"2025-11-20T10:00:00+08:00"}
        </script>"#;
    assert_eq!(date_of(object, ARTICLE), some("2025-11-18", "json-ld"));

    let array = r#"<script type="application/ld+json">
        [{"@type":"BreadcrumbList","itemListElement":[]},
         {"@type":"NewsArticle","datePublished":"2025-11-18"}]
        </script>"#;
    assert_eq!(date_of(array, ARTICLE), some("2025-11-18", "json-ld"));

    // In @graph, the article's date wins over the web page's.
    let graph = r#"<script type="application/ld+json">
        {"@context":"https://schema.org","@graph":[
          {"@type":"WebPage","datePublished":"2025-11-01T00:00:00Z"},
          {"@type":["Article","NewsArticle"],"datePublished":"2025-11-18T23:30:00+08:00"}]}
        </script>"#;
    assert_eq!(date_of(graph, ARTICLE), some("2025-11-18", "json-ld"));

    // Without an article, any object's date.
    let webpage = r#"<script type="application/ld+json">
        {"@graph":[{"@type":"WebPage","datePublished":"2025-11-18"}]}</script>"#;
    assert_eq!(date_of(webpage, ARTICLE), some("2025-11-18", "json-ld"));
}

#[test]
fn time_element_in_the_article_before_others() {
    let body = r#"<header><time datetime="2025-11-20">Today</time></header>
        <article><h1>Headline</h1><time datetime="2025-11-18T08:00+08:00">18 Nov</time></article>"#;
    assert_eq!(date_of("", body), some("2025-11-18", "time"));
    let body = r#"<div><time datetime="2025-11-18">18 Nov</time><time datetime="2025-11-19">x</time></div>"#;
    assert_eq!(date_of("", body), some("2025-11-18", "time"));
}

#[test]
fn chinese_date_lines_in_the_text() {
    let body = "<article><h1>标题在这里</h1><p>2025年11月18日 08:00 来源：新华网</p><p>正文内容。</p></article>";
    assert_eq!(date_of("", body), some("2025-11-18", "text"));
    let body = "<article><h1>标题在这里</h1><p>2025年11月18日</p><p>正文内容。</p></article>";
    assert_eq!(date_of("", body), some("2025-11-18", "text"));
    let body = "<div class=\"content\"><h1>标题</h1><p>2025-11-18 08:00 来源：人民网</p></div>";
    assert_eq!(date_of("", body), some("2025-11-18", "text"));
    let body = "<div><h1>标题</h1><p>发布时间：2025/11/18</p></div>";
    assert_eq!(date_of("", body), some("2025-11-18", "text"));
    // A site header's "today" is chrome, not the article's date.
    let body = "<header>今天是2025年11月20日 星期四</header><article><h1>标题</h1><p>2025年11月18日 08:00</p></article>";
    assert_eq!(date_of("", body), some("2025-11-18", "text"));
    // A plain text body, too.
    let facts = page_facts(
        "标题\n2025年11月18日 08:00\n正文".as_bytes(),
        Some("text/plain"),
    );
    assert_eq!(facts.published.as_deref(), Some("2025-11-18"));
}

#[test]
fn text_dates_are_read_conservatively() {
    // A bare numeric date (a case number, a reference) is not a byline.
    let body = "<article><h1>标题</h1><p>文件编号 2025-11-18 号</p></article>";
    assert_eq!(date_of("", body), (None, None));
    // Beyond the top of the main content, a date is something the story
    // mentions, not when it was published.
    let filler = "正文内容。".repeat(500);
    let body = format!("<article><h1>标题</h1><p>{filler}</p><p>2025年11月18日</p></article>");
    assert_eq!(date_of("", &body), (None, None));
    // Impossible days.
    let body = "<article><p>2025年2月30日 08:00</p></article>";
    assert_eq!(date_of("", body), (None, None));
}

#[test]
fn precedence_when_sources_disagree() {
    let meta = r#"<meta property="article:published_time" content="2025-11-18T08:00:00+08:00">"#;
    let ld = r#"<script type="application/ld+json">{"@type":"NewsArticle","datePublished":"2025-11-10"}</script>"#;
    let time = r#"<time datetime="2025-11-05">5 Nov</time>"#;
    let text = "<p>2025年11月01日 08:00</p>";
    let body = format!("<article>{time}{text}</article>");
    let body_no_time = format!("<article>{text}</article>");
    assert_eq!(
        date_of(&format!("{meta}{ld}"), &body),
        some("2025-11-18", "article:published_time")
    );
    assert_eq!(date_of(ld, &body), some("2025-11-10", "json-ld"));
    assert_eq!(date_of("", &body), some("2025-11-05", "time"));
    assert_eq!(date_of("", &body_no_time), some("2025-11-01", "text"));
}

#[test]
fn offsets_keep_the_publishers_local_date() {
    for (value, date) in [
        ("2025-11-18T23:30:00+08:00", "2025-11-18"),
        ("2025-11-18T23:30:00-05:00", "2025-11-18"),
        ("2025-11-19T01:00:00+09:00", "2025-11-19"),
        ("2025-11-18T16:00:00.000Z", "2025-11-18"),
        ("2025-11-18 23:59:59 +0800", "2025-11-18"),
    ] {
        let head = format!(r#"<meta property="article:published_time" content="{value}">"#);
        assert_eq!(date_of(&head, ARTICLE).0.as_deref(), Some(date), "{value}");
        let ld =
            format!(r#"<script type="application/ld+json">{{"datePublished":"{value}"}}</script>"#);
        assert_eq!(date_of(&ld, ARTICLE).0.as_deref(), Some(date), "{value}");
    }
}

#[test]
fn garbage_gives_no_date() {
    let invalid = r#"<script type="application/ld+json">{"@type":"NewsArticle","datePublished":"2025-11-18",}</script>"#;
    assert_eq!(date_of(invalid, ARTICLE), (None, None));
    let year_one = r#"<meta property="article:published_time" content="0001-01-01T00:00:00Z">"#;
    assert_eq!(date_of(year_one, ARTICLE), (None, None));
    let far = r#"<meta name="date" content="2999-01-01"><time datetime="1970-01-01">x</time>"#;
    assert_eq!(date_of(far, ARTICLE), (None, None));
    let words =
        r#"<meta name="date" content="yesterday"><meta name="pubdate" content="2025-13-45">"#;
    assert_eq!(date_of(words, ARTICLE), (None, None));
    assert_eq!(date_of("", ARTICLE), (None, None));
    assert_eq!(page_facts(b"", None), PageFacts::default());
    assert_eq!(
        page_facts(&[0xff, 0xfe, 0x00, 0x3c, 0xd8], HTML).published,
        None
    );
    // A bad source gives way to the next one.
    let body = r#"<article><time datetime="2025-11-18">18 Nov</time></article>"#;
    assert_eq!(
        date_of(&format!("{invalid}{year_one}"), body),
        some("2025-11-18", "time")
    );
}

#[test]
fn gbk_page_gives_the_chinese_title() {
    let html = "<html><head><meta charset=\"gbk\"><title>中国宣布新的经济刺激计划_新闻_人民网</title></head>\
        <body><article><h1>中国宣布新的经济刺激计划</h1><p>2025年11月18日 08:00 来源：人民网</p></article></body></html>";
    let (bytes, _, unmappable) = encoding_rs::GBK.encode(html);
    assert!(!unmappable);
    assert!(std::str::from_utf8(&bytes).is_err(), "really GBK");
    for ct in [Some("text/html; charset=GBK"), Some("text/html"), None] {
        let facts = page_facts(&bytes, ct);
        assert_eq!(
            facts.title.as_deref(),
            Some("中国宣布新的经济刺激计划"),
            "{ct:?}"
        );
        assert_eq!(facts.published.as_deref(), Some("2025-11-18"), "{ct:?}");
        assert_eq!(facts.published_from, Some("text"));
    }
    let big5 = "<html><head><meta charset=\"big5\"><title>台灣舉行總統大選 - 大紀元</title></head><body></body></html>";
    let (bytes, _, _) = encoding_rs::BIG5.encode(big5);
    assert_eq!(
        page_facts(&bytes, None).title.as_deref(),
        Some("台灣舉行總統大選")
    );
}

#[test]
fn titles_og_first_whitespace_collapsed() {
    let head = "<title>Fallback title | Site</title><meta property=\"og:title\" content=\"  The  real\n title  \">";
    assert_eq!(
        page_facts(&page(head, ""), HTML).title.as_deref(),
        Some("The real title")
    );
    let head = "<title>\n  A   title\n  spread out over lines\n</title>";
    assert_eq!(
        page_facts(&page(head, ""), HTML).title.as_deref(),
        Some("A title spread out over lines")
    );
    // An SVG's <title> is not the page's.
    let body = "<svg><title>icon</title></svg>";
    assert_eq!(
        page_facts(&page("<title>Page title</title>", body), HTML)
            .title
            .as_deref(),
        Some("Page title")
    );
    assert_eq!(
        page_facts(&page("", body), HTML).title.as_deref(),
        Some("icon")
    );
    assert_eq!(page_facts(&page("<title>  </title>", ""), HTML).title, None);
}

#[test]
fn site_suffixes_are_stripped() {
    let cases = [
        (
            "中共加强对宗教团体的管控 - 大纪元",
            "中共加强对宗教团体的管控",
        ),
        (
            "Taiwan holds presidential election | DW",
            "Taiwan holds presidential election",
        ),
        (
            "Taiwan holds presidential election | DW | 12.01.2024",
            "Taiwan holds presidential election",
        ),
        (
            "习近平会见美国总统拜登_新闻_人民网",
            "习近平会见美国总统拜登",
        ),
        (
            "习近平会见美国总统拜登_手机新浪网",
            "习近平会见美国总统拜登",
        ),
        (
            "US-China trade talks resume in Geneva - BBC News",
            "US-China trade talks resume in Geneva",
        ),
        // The title's own dash stays when another separator cuts the site.
        (
            "Talks resume - what comes next | Reuters",
            "Talks resume - what comes next",
        ),
        // Too short before the separator to be a title alone.
        ("Home | DW", "Home | DW"),
        ("新闻 - 大纪元", "新闻 - 大纪元"),
        // What follows is too long to be a site name.
        (
            "Breaking | Government announces a sweeping new set of rules today",
            "Breaking | Government announces a sweeping new set of rules today",
        ),
        (
            "A title without any site name",
            "A title without any site name",
        ),
    ];
    for (title, want) in cases {
        assert_eq!(strip_site_suffix(title), want, "{title}");
    }
    let head = "<title>中共加强对宗教团体的管控 - 大纪元</title>";
    assert_eq!(
        page_facts(&page(head, ""), HTML).title.as_deref(),
        Some("中共加强对宗教团体的管控")
    );
}

#[test]
fn title_similarity_scale() {
    let t = "Xi Jinping meets Biden in San Francisco";
    assert_eq!(title_similarity(t, t), 1.0);
    assert_eq!(title_similarity("习近平会见拜登", "习近平会见拜登"), 1.0);
    // Case and punctuation do not count.
    assert_eq!(
        title_similarity(
            "China's new rules: what changes?",
            "chinas NEW rules — what changes"
        ),
        1.0
    );
    // A small edit.
    let s = title_similarity(
        "China announces new tariffs on US goods",
        "China announced new tariffs on U.S. goods",
    );
    assert!(s > 0.7, "{s}");
    let s = title_similarity(t, "Xi Jinping met Biden in San Francisco on Wednesday");
    assert!(s > 0.7, "{s}");
    // Unrelated.
    for (a, b) in [
        (
            "Police arrest three after protest in Hong Kong",
            "New study finds coffee linked to longer life",
        ),
        (
            "Taiwan holds presidential election amid tensions with Beijing",
            "Apple releases new iPhone with improved camera",
        ),
        ("美国宣布对华加征新关税", "台湾举行总统大选投票率创新高"),
    ] {
        let s = title_similarity(a, b);
        assert!(s < 0.2, "{a} / {b}: {s}");
    }
    // A Chinese variant of the same headline (simplified, reworded).
    let s = title_similarity("美国宣布对华加征新关税", "美国宣布对中国加征新一轮关税");
    assert!(s > 0.5, "{s}");
    let s = title_similarity("习近平在旧金山会见拜登", "习近平旧金山会见美国总统拜登");
    assert!(s > 0.5, "{s}");
    // Across languages, low by nature: no verdict can rest on it.
    let s = title_similarity(
        "US announces new tariffs on China",
        "美国宣布对华加征新关税",
    );
    assert!(s < 0.2, "{s}");
    // Symmetric, bounded, no panic on nothing.
    assert_eq!(
        title_similarity(t, "Xi met Biden"),
        title_similarity("Xi met Biden", t)
    );
    assert_eq!(title_similarity("", ""), 1.0);
    assert_eq!(title_similarity("", t), 0.0);
    assert_eq!(title_similarity("…", "!!!"), 0.0);
}

#[test]
fn title_finding_is_information_only() {
    let f = title_finding(
        "US announces new tariffs on China",
        "美国宣布对华加征新关税",
    );
    assert_eq!(f.kind, FindingKind::Title);
    assert_eq!(f.severity, Severity::Info);
    assert_eq!(f.found.as_deref(), Some("美国宣布对华加征新关税"));
    assert_eq!(f.source.as_deref(), Some("page"));
    assert!(f.reason.contains("美国宣布对华加征新关税"), "{}", f.reason);
    let Some(Score(s)) = f.similarity else {
        panic!("no similarity");
    };
    assert!((0.0..0.2).contains(&s));
    let f = title_finding("Xi meets Biden", "Xi meets Biden");
    assert_eq!(f.similarity, Some(Score(1.0)));
    assert_eq!(f.severity, Severity::Info);
}

#[test]
fn page_date_finding_against_the_stated_date() {
    let facts = PageFacts {
        title: None,
        published: Some("2025-11-18".to_string()),
        published_from: Some("article:published_time"),
    };
    let f = page_date_finding("2025-11-23", &facts, 2).expect("5 days apart is flagged");
    assert_eq!(f.kind, FindingKind::DateMismatch);
    assert_eq!(f.source.as_deref(), Some("page"));
    assert_eq!(f.found.as_deref(), Some("2025-11-18"));
    assert!(page_date_finding("2025-11-13", &facts, 2).is_some());
    assert_eq!(page_date_finding("2025-11-19", &facts, 2), None);
    assert_eq!(page_date_finding("2025-11-18", &facts, 0), None);
    assert_eq!(
        page_date_finding("2025-11-23", &PageFacts::default(), 2),
        None
    );
    // From a page read end to end.
    let head = r#"<meta property="article:published_time" content="2025-11-18T23:30:00+08:00">"#;
    let facts = page_facts(&page(head, ARTICLE), HTML);
    assert!(page_date_finding("2025-11-23", &facts, 2).is_some());
    assert_eq!(page_date_finding("2025-11-19", &facts, 2), None);
}
