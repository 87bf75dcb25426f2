//! Every seed document from the design corpus, item by item.

use crate::support;
use citevault::model::CitedVia;
use support::*;

const ET: Option<&str> = Some("Epoch Times");

#[test]
fn seed_000_source_lines_numbered_sources_and_footnote_marks() {
    let doc = extract_fixture("seeds/000_a9ded2f8cffd6e0d.txt");
    let pd = Some("People’s Daily");
    assert_items(
        &doc,
        &[
            ("Dutch Chipmaker Nexperia", 5, vec![want(Some("https://www.epochtimes.com/gb/25/11/28/n14645200.htm"), ET, Some("2025-11-28"), None, 17)]),
            ("China’s Banking Sector", 19, vec![want(Some("https://www.epochtimes.com/b5/25/11/14/n14636104.htm"), ET, Some("2025-11-15"), None, 28)]),
            ("Analysis: Chinese Migrant Workers", 30, vec![want(Some("https://www.epochtimes.com/gb/25/11/18/n14638607.htm"), ET, Some("2025-11-20"), None, 39)]),
            ("Study: China’s Cross-Border Lending", 41, vec![want(Some("https://www.dw.com/zh/研究中国跨境信贷转向发达国家-美国借的最多/a-74793625"), Some("Deutsche Welle"), Some("2025-11-19"), None, 52)]),
            ("Epoch Times Exclusive", 54, vec![
                want(Some("https://www.epochtimes.com/gb/25/11/13/n14635481.htm"), ET, Some("2025-11-14"), Some(1), 66),
                want(Some("https://www.epochtimes.com/gb/25/11/18/n14638233.htm"), ET, Some("2025-11-19"), Some(2), 68),
            ]),
            ("Additional Chinese Actions", 70, vec![
                want(Some("https://world.people.com.cn/n1/2025/1114/c1002-40603281.html"), pd, Some("2025-11-14"), Some(1), 102),
                want(Some("https://world.people.com.cn/n1/2025/1117/c1002-40604816.html"), pd, Some("2025-11-17"), Some(2), 104),
                want(Some("https://world.people.com.cn/n1/2025/1119/c1002-40606647.html"), pd, Some("2025-11-19"), Some(3), 106),
                want(Some("https://news.cctv.com/2025/11/16/ARTIsmBlaEtjpVHxkQty08Gb251116.shtml"), Some("CCTV"), Some("2025-11-16"), Some(4), 108),
                want(Some("https://cj.sina.com.cn/articles/view/1887344341/m707e96d503301owqi"), Some("Sina"), Some("2025-11-18"), Some(5), 110),
                want(Some("https://www.cna.com.tw/news/acn/202511180033.aspx"), Some("Central News Agency (Taiwan)"), Some("2025-11-18"), Some(6), 112),
                want(Some("http://www.news.cn/20251119/c7f5d1c0fb1a43328dfff9fbe28737cf/c.html"), Some("Xinhua"), Some("2025-11-19"), Some(7), 114),
                want(Some("https://world.people.com.cn/n1/2025/1121/c1002-40608387.html"), pd, Some("2025-11-21"), Some(8), 116),
                want(Some("https://tw.news.yahoo.com/退50萬張赴日機票-中國人驚曝內幕-被強制取消-網-不是自願的-024800232.html"), Some("Yahoo (Taiwan)"), Some("2025-11-19"), Some(9), 118),
                want(Some("https://www.epochtimes.com/gb/25/11/19/n14638760.htm"), ET, Some("2025-11-19"), Some(10), 120),
            ]),
            ("Major Leak Exposes", 122, vec![want(Some("https://www.epochtimes.com/gb/25/11/13/n14635466.htm"), ET, Some("2025-11-14"), None, 142)]),
            ("PLA Conducts South China Sea", 144, vec![want(Some("https://mil.huanqiu.com/article/4PAF86Mj7GF"), Some("Huanqiu Times"), Some("2025-11-16"), None, 155)]),
        ],
    );
    assert!(doc.citations.is_empty(), "no citation outside items");
    // Page chrome ("Skip to content", "@CS - 2. page") is not an item.
    assert!(doc
        .items
        .iter()
        .all(|i| !i.title.contains("Skip") && !i.title.starts_with('@')));
    let ids: Vec<_> = doc.items[5]
        .citations
        .iter()
        .map(|c| c.outlet_id.as_deref().unwrap_or("?"))
        .collect();
    assert_eq!(
        ids,
        [
            "peoples-daily",
            "peoples-daily",
            "peoples-daily",
            "cctv",
            "sina",
            "cna-taiwan",
            "xinhua",
            "peoples-daily",
            "yahoo-taiwan",
            "epoch-times"
        ]
    );
    assert_eq!(
        doc.items[7].citations[0].outlet_id.as_deref(),
        Some("global-times")
    );
    assert_eq!(doc.items[3].citations[0].outlet_id.as_deref(), Some("dw"));
    assert!(doc.items[5]
        .citations
        .iter()
        .all(|c| c.via == CitedVia::SourceList));
    assert!(doc.items[0]
        .citations
        .iter()
        .all(|c| c.via == CitedVia::SourceLine));
}

#[test]
fn seed_001_abbreviated_outlets() {
    let doc = extract_fixture("seeds/001_02b6fe87634e1716.txt");
    assert_items(
        &doc,
        &[
            (
                "South Korea’s Foreign Ministry",
                3,
                vec![want(
                    Some("https://www.rfa.org/cantonese/news/kr-hacker-11102023020930.html"),
                    Some("Radio Free Asia"),
                    Some("2023-11-10"),
                    None,
                    14,
                )],
            ),
            (
                "RFA: China’s October Exports",
                16,
                vec![want(
                    Some(
                        "https://www.rfa.org/mandarin/yataibaodao/jingmao/hcm-11072023082542.html",
                    ),
                    Some("RFA"),
                    Some("2023-11-07"),
                    None,
                    29,
                )],
            ),
            (
                "Lianhe Zaobao: People",
                31,
                vec![want(
                    Some("https://www.zaobao.com.sg/news/world/story20231107-1448477"),
                    Some("Lianhe Zaobao"),
                    Some("2023-11-07"),
                    None,
                    40,
                )],
            ),
            (
                "CNA: Estonia",
                42,
                vec![want(
                    Some("https://www.cna.com.tw/news/aipl/202311040003.aspx"),
                    Some("CNA"),
                    Some("2023-11-04"),
                    None,
                    47,
                )],
            ),
            (
                "China Introduces New Housing Reform",
                49,
                vec![want(
                    Some("https://www.epochtimes.com/gb/23/11/10/n14114014.htm"),
                    ET,
                    Some("2023-11-10"),
                    None,
                    67,
                )],
            ),
            (
                "In China, Conversations in Taxis",
                69,
                vec![want(
                    Some("https://www.aboluowang.com/2023/1111/1976870.html"),
                    Some("Aboluo"),
                    Some("2023-11-11"),
                    None,
                    78,
                )],
            ),
            (
                "China Recalibrates “Belt and Road”",
                80,
                vec![want(
                    Some("https://www.aiddata.org/blog/belt-and-road-bounces-back"),
                    Some("AidData"),
                    Some("2023-11-06"),
                    None,
                    89,
                )],
            ),
            (
                "Discipline Inspector",
                91,
                vec![want(
                    Some("https://m.thepaper.cn/newsDetail_forward_25180379"),
                    Some("The Paper"),
                    Some("2023-11-04"),
                    None,
                    100,
                )],
            ),
        ],
    );
    let ids: Vec<_> = doc
        .items
        .iter()
        .map(|i| i.citations[0].outlet_id.clone().unwrap_or_default())
        .collect();
    assert_eq!(
        ids,
        [
            "rfa",
            "rfa",
            "zaobao",
            "cna-taiwan",
            "epoch-times",
            "aboluo",
            "aiddata",
            "the-paper"
        ]
    );
}

#[test]
fn seed_002_links_page_without_links_has_no_items_and_no_citations() {
    let doc = extract_fixture("seeds/002_903b28732f4da58a.txt");
    assert!(doc.items.is_empty(), "invented items: {:#?}", doc.items);
    assert!(
        doc.citations.is_empty(),
        "invented citations: {:#?}",
        doc.citations
    );
    assert_eq!(doc.title.as_deref(), Some("Links for January 9, 2020"));
}

#[test]
fn seed_003_all_caps_headlines_and_inline_unlinked_citations() {
    let doc = extract_fixture("seeds/003_bb82242536d35b52.txt");
    assert_items(
        &doc,
        &[
            (
                "CHINA LAUNCHES $3.5 BILLION MEGAPORT",
                1,
                vec![want(None, Some("Nikkei Asia"), Some("2024-11-15"), None, 2)],
            ),
            (
                "CHINA IS MAKING ARMED DRONES",
                3,
                vec![want(
                    None,
                    Some("South China Morning Post"),
                    Some("2024-11-15"),
                    None,
                    4,
                )],
            ),
            (
                "THE MINISTRY OF STATE SECURITY'S",
                5,
                vec![want(
                    None,
                    Some("Wall Street Journal"),
                    Some("2024-11-09"),
                    None,
                    6,
                )],
            ),
            (
                "PRC HACKS TELECOM DATA",
                7,
                vec![want(None, Some("Nikkei Asia"), Some("2024-11-14"), None, 8)],
            ),
            (
                "...AS CHINESE HACKERS TARGET",
                9,
                vec![want(
                    None,
                    Some("Associated Press"),
                    Some("2024-11-12"),
                    None,
                    10,
                )],
            ),
        ],
    );
    let ids: Vec<_> = doc
        .all_citations()
        .map(|c| c.outlet_id.clone().unwrap_or_default())
        .collect();
    assert_eq!(ids, ["nikkei-asia", "scmp", "wsj", "nikkei-asia", "ap"]);
    assert!(doc
        .all_citations()
        .all(|c| c.is_unlinked() && c.via == CitedVia::Inline));
}

#[test]
fn seed_004_blog_items_without_citations_are_kept_as_uncited() {
    let doc = extract_fixture("seeds/004_0fde2fce77839692.txt");
    let titles: Vec<(&str, u32)> = doc
        .items
        .iter()
        .map(|i| (i.title.as_str(), i.line))
        .collect();
    assert_eq!(
        titles,
        [
            (
                "Corruption Probes Aim To Kickstart China’s Lagging Semiconductors Sector",
                3
            ),
            (
                "US Stacks The Chips In High-Stakes High-Tech Game With China",
                27
            ),
            ("Shanghai Police Data Hack Reveals As Much As It Hides", 55),
            ("The Unhealthy Use Of China’s Health Codes App", 75),
            ("Canada Finally Bans Huawei From Its 5G Networks", 97),
            (
                "Policy Shift Will Favour China’s Tech Platform And Real Estate Firms",
                119
            ),
            ("China Starts To Bring The Metaverse Into Line", 141),
            ("China’s New Tech Order", 174),
            ("The Chips Are Down", 204),
            ("Reining In All Round", 228),
        ]
    );
    assert_eq!(doc.uncited_items().count(), 10);
    assert!(doc.citations.is_empty());
}
