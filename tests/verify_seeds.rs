//! Outlet and URL-date verification over the seed digests: every citation
//! with a URL, its outlet finding and the finding of the date in its URL
//! against the cited date, written out from the files.
//!
//! The seeds cite their sources faithfully: every URL is on the named
//! outlet's site, and the dates in the URLs are at most 2 days before the
//! cited dates (digests cite a story a day or two after it ran), which the
//! default tolerance allows. So the expected findings are all empty; the
//! tolerance tests below show the 1- and 2-day gaps are really there.

use citevault::model::{Citation, Document, Finding, FindingKind};
use citevault::verify::dates::{date_finding, url_date, DEFAULT_DATE_TOLERANCE_DAYS};
use citevault::verify::outlet::outlet_finding;
use citevault::{Extractor, Format, OutletRegistry};

fn seed(name: &str) -> Document {
    let path = format!("{}/tests/fixtures/seeds/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    Extractor::new().extract_str(name, Format::Text, &text)
}

/// The findings for one citation: outlet, then the URL's date.
fn findings(c: &Citation, outlets: &OutletRegistry, tolerance: i64) -> Vec<Finding> {
    let url = c.url.as_deref().unwrap_or_default();
    let from_url = match (c.date.as_deref(), url_date(url, outlets)) {
        (Some(stated), Some(found)) => date_finding(stated, &found, "url", tolerance),
        _ => None,
    };
    outlet_finding(c, None, outlets)
        .into_iter()
        .chain(from_url)
        .collect()
}

/// (URL as written, cited outlet, cited date, date in the URL, findings as
/// `kind found`), one row per citation with a URL, in document order.
type Row = (String, String, String, Option<String>, Vec<String>);

fn rows(doc: &Document, tolerance: i64) -> Vec<Row> {
    let outlets = OutletRegistry::builtin();
    doc.all_citations()
        .filter(|c| c.url.is_some())
        .map(|c| {
            let url = c.url.clone().unwrap_or_default();
            let shown = findings(c, &outlets, tolerance)
                .iter()
                .map(|f| format!("{} {}", f.kind, f.found.as_deref().unwrap_or("")))
                .collect();
            (
                // As written in the file (the extracted URL is percent-encoded).
                percent_encoding::percent_decode_str(&url)
                    .decode_utf8_lossy()
                    .into_owned(),
                c.outlet.clone().unwrap_or_default(),
                c.date.clone().unwrap_or_default(),
                url_date(&url, &outlets),
                shown,
            )
        })
        .collect()
}

fn row(url: &str, outlet: &str, date: &str, in_url: Option<&str>, found: &[&str]) -> Row {
    (
        url.to_string(),
        outlet.to_string(),
        date.to_string(),
        in_url.map(str::to_string),
        found.iter().map(|s| s.to_string()).collect(),
    )
}

fn assert_rows(got: &[Row], want: &[Row]) {
    for (i, (g, w)) in got.iter().zip(want).enumerate() {
        assert_eq!(g, w, "citation {}", i + 1);
    }
    assert_eq!(got.len(), want.len(), "citations with a URL");
}

const ET: &str = "Epoch Times";
const PD: &str = "People’s Daily";

fn seed_000(findings: [&[&str]; 5]) -> Vec<Row> {
    let [b5_14_cited_15, gb_18_cited_20, gb_13_cited_14, gb_18_cited_19, gb_13_cited_14_again] =
        findings;
    vec![
        row("https://www.epochtimes.com/gb/25/11/28/n14645200.htm", ET, "2025-11-28", Some("2025-11-28"), &[]),
        row("https://www.epochtimes.com/b5/25/11/14/n14636104.htm", ET, "2025-11-15", Some("2025-11-14"), b5_14_cited_15),
        row("https://www.epochtimes.com/gb/25/11/18/n14638607.htm", ET, "2025-11-20", Some("2025-11-18"), gb_18_cited_20),
        row("https://www.dw.com/zh/研究中国跨境信贷转向发达国家-美国借的最多/a-74793625", "Deutsche Welle", "2025-11-19", None, &[]),
        row("https://www.epochtimes.com/gb/25/11/13/n14635481.htm", ET, "2025-11-14", Some("2025-11-13"), gb_13_cited_14),
        row("https://www.epochtimes.com/gb/25/11/18/n14638233.htm", ET, "2025-11-19", Some("2025-11-18"), gb_18_cited_19),
        row("https://world.people.com.cn/n1/2025/1114/c1002-40603281.html", PD, "2025-11-14", Some("2025-11-14"), &[]),
        row("https://world.people.com.cn/n1/2025/1117/c1002-40604816.html", PD, "2025-11-17", Some("2025-11-17"), &[]),
        row("https://world.people.com.cn/n1/2025/1119/c1002-40606647.html", PD, "2025-11-19", Some("2025-11-19"), &[]),
        row("https://news.cctv.com/2025/11/16/ARTIsmBlaEtjpVHxkQty08Gb251116.shtml", "CCTV", "2025-11-16", Some("2025-11-16"), &[]),
        row("https://cj.sina.com.cn/articles/view/1887344341/m707e96d503301owqi", "Sina", "2025-11-18", None, &[]),
        row("https://www.cna.com.tw/news/acn/202511180033.aspx", "Central News Agency (Taiwan)", "2025-11-18", Some("2025-11-18"), &[]),
        row("http://www.news.cn/20251119/c7f5d1c0fb1a43328dfff9fbe28737cf/c.html", "Xinhua", "2025-11-19", Some("2025-11-19"), &[]),
        row("https://world.people.com.cn/n1/2025/1121/c1002-40608387.html", PD, "2025-11-21", Some("2025-11-21"), &[]),
        row("https://tw.news.yahoo.com/退50萬張赴日機票-中國人驚曝內幕-被強制取消-網-不是自願的-024800232.html", "Yahoo (Taiwan)", "2025-11-19", None, &[]),
        row("https://www.epochtimes.com/gb/25/11/19/n14638760.htm", ET, "2025-11-19", Some("2025-11-19"), &[]),
        row("https://www.epochtimes.com/gb/25/11/13/n14635466.htm", ET, "2025-11-14", Some("2025-11-13"), gb_13_cited_14_again),
        row("https://mil.huanqiu.com/article/4PAF86Mj7GF", "Huanqiu Times", "2025-11-16", None, &[]),
    ]
}

fn seed_001() -> Vec<Row> {
    vec![
        row(
            "https://www.rfa.org/cantonese/news/kr-hacker-11102023020930.html",
            "Radio Free Asia",
            "2023-11-10",
            Some("2023-11-10"),
            &[],
        ),
        row(
            "https://www.rfa.org/mandarin/yataibaodao/jingmao/hcm-11072023082542.html",
            "RFA",
            "2023-11-07",
            Some("2023-11-07"),
            &[],
        ),
        row(
            "https://www.zaobao.com.sg/news/world/story20231107-1448477",
            "Lianhe Zaobao",
            "2023-11-07",
            Some("2023-11-07"),
            &[],
        ),
        row(
            "https://www.cna.com.tw/news/aipl/202311040003.aspx",
            "CNA",
            "2023-11-04",
            Some("2023-11-04"),
            &[],
        ),
        row(
            "https://www.epochtimes.com/gb/23/11/10/n14114014.htm",
            ET,
            "2023-11-10",
            Some("2023-11-10"),
            &[],
        ),
        row(
            "https://www.aboluowang.com/2023/1111/1976870.html",
            "Aboluo",
            "2023-11-11",
            Some("2023-11-11"),
            &[],
        ),
        row(
            "https://www.aiddata.org/blog/belt-and-road-bounces-back",
            "AidData",
            "2023-11-06",
            None,
            &[],
        ),
        row(
            "https://m.thepaper.cn/newsDetail_forward_25180379",
            "The Paper",
            "2023-11-04",
            None,
            &[],
        ),
    ]
}

#[test]
fn seed_000_outlets_match_and_dates_are_within_two_days() {
    let doc = seed("000_a9ded2f8cffd6e0d.txt");
    let got = rows(&doc, DEFAULT_DATE_TOLERANCE_DAYS);
    assert_rows(&got, &seed_000([&[], &[], &[], &[], &[]]));
}

#[test]
fn seed_001_outlets_match_and_dates_agree() {
    let doc = seed("001_02b6fe87634e1716.txt");
    let got = rows(&doc, DEFAULT_DATE_TOLERANCE_DAYS);
    assert_rows(&got, &seed_001());
    // Not one gap: any tolerance gives the same.
    assert_rows(&rows(&doc, 0), &seed_001());
}

#[test]
fn seed_000_gaps_are_flagged_only_beyond_the_tolerance() {
    let doc = seed("000_a9ded2f8cffd6e0d.txt");
    let flagged: &[&str] = &["date-mismatch 2025-11-14"];
    // Tolerance 1: only the 2-day gap (the 18th cited on the 20th).
    assert_rows(
        &rows(&doc, 1),
        &seed_000([&[], &["date-mismatch 2025-11-18"], &[], &[], &[]]),
    );
    // Tolerance 0: every gap.
    assert_rows(
        &rows(&doc, 0),
        &seed_000([
            flagged,
            &["date-mismatch 2025-11-18"],
            &["date-mismatch 2025-11-13"],
            &["date-mismatch 2025-11-18"],
            &["date-mismatch 2025-11-13"],
        ]),
    );
    // The reason of the 2-day gap, as a reader sees it.
    let outlets = OutletRegistry::builtin();
    let c = doc
        .all_citations()
        .find(|c| c.url.as_deref() == Some("https://www.epochtimes.com/gb/25/11/18/n14638607.htm"))
        .expect("the Migrant Workers citation");
    let f = findings(c, &outlets, 1);
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].kind, FindingKind::DateMismatch);
    assert_eq!(
        f[0].reason,
        "the URL says 2025-11-18, 2 days before the cited 2025-11-20 (tolerance 1 day)"
    );
}

#[test]
fn a_seed_citation_moved_to_another_host_is_flagged() {
    // The seed's DW citation, as if it had been cited as the Epoch Times or
    // its link had led to Yahoo.
    let doc = seed("000_a9ded2f8cffd6e0d.txt");
    let outlets = OutletRegistry::builtin();
    let mut c = doc
        .all_citations()
        .find(|c| c.outlet.as_deref() == Some("Deutsche Welle"))
        .expect("the DW citation")
        .clone();
    c.outlet = Some(ET.to_string());
    let f = outlet_finding(&c, None, &outlets).expect("a mismatch");
    assert_eq!(f.kind, FindingKind::OutletMismatch);
    assert_eq!(f.found.as_deref(), Some("www.dw.com"));
    c.outlet = Some("Deutsche Welle".to_string());
    let f = outlet_finding(&c, Some("https://news.yahoo.com/dw-story-1.html"), &outlets)
        .expect("a syndicated copy");
    assert_eq!(f.kind, FindingKind::Syndicated);
    assert_eq!(
        f.reason,
        "Deutsche Welle story on news.yahoo.com: a syndicated copy"
    );
}
