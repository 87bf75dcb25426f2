//! Content drift: a page's main text against its first archived snapshot
//! (`citevault::verify::drift`), on a corpus of English and Chinese news
//! pages whose chrome (ads, most-read boxes, times, navigation) changes in
//! every snapshot, and whose story is edited by growing amounts.
//!
//! `cargo test --test integration verify_drift:: -- --nocapture` prints the corpus
//! figures (precision and recall of `drifted` at the threshold).

use crate::support::drift_pages;

use citevault::model::{FindingKind, Score, Severity, Timestamp};
use citevault::verify::drift::{
    compare, drift_finding, main_text, text_digest, Comparison, DRIFT_THRESHOLD,
};
use drift_pages::*;

const HTML: Option<&str> = Some("text/html; charset=utf-8");
const EN_HEADLINE: &str = "Council approves flood defence plan for eastern riverbank";
const ZH_HEADLINE: &str = "本市出台措施促进新能源汽车消费";

fn first_at() -> Timestamp {
    "2024-05-01T10:32:00Z".parse().expect("a valid time")
}

fn this_at() -> Timestamp {
    "2024-06-12T08:00:00Z".parse().expect("a valid time")
}

#[derive(Clone, Copy, PartialEq, Debug)]
enum Lang {
    En,
    Zh,
}

impl Lang {
    fn story(self) -> Vec<String> {
        owned(match self {
            Lang::En => &EN_STORY,
            Lang::Zh => &ZH_STORY,
        })
    }

    fn pool(self) -> Vec<String> {
        owned(match self {
            Lang::En => &EN_POOL,
            Lang::Zh => &ZH_POOL,
        })
    }

    fn other(self) -> Vec<String> {
        owned(match self {
            Lang::En => &EN_OTHER,
            Lang::Zh => &ZH_OTHER,
        })
    }

    fn headline(self) -> &'static str {
        match self {
            Lang::En => EN_HEADLINE,
            Lang::Zh => ZH_HEADLINE,
        }
    }

    /// Small edits a sub-editor makes: (sentence, text, replacement).
    fn edits(self) -> [(usize, &'static str, &'static str); 5] {
        match self {
            Lang::En => [
                (0, "on Tuesday", "on Tuesday evening"),
                (4, "overdue", "long overdue"),
                (
                    6,
                    "partly by borrowing",
                    "partly by a loan from the national bank",
                ),
                (2, "wide margin", "narrow margin"),
                (8, "had refused", "refused"),
            ],
            Lang::Zh => [
                (0, "日前", "近日"),
                (6, "首小时", "首两小时"),
                (9, "较大增长", "明显增长"),
                (3, "家庭首辆车", "家庭首购车辆"),
                (10, "谨防", "防范"),
            ],
        }
    }

    fn page(self, headline: &str, sentences: &[String], chrome: &Chrome) -> Vec<u8> {
        match self {
            Lang::En => en_page(headline, sentences, chrome).into_bytes(),
            Lang::Zh => zh_page(headline, sentences, chrome, "utf-8").into_bytes(),
        }
    }

    fn first_page(self) -> Vec<u8> {
        self.page(self.headline(), &self.story(), &Chrome::first())
    }
}

/// Sentences replaced or deleted in this order: spread through the story.
const ORDER: [usize; 12] = [3, 8, 5, 10, 1, 6, 11, 0, 9, 2, 7, 4];

fn edited(lang: Lang, n: usize) -> Vec<String> {
    let mut s = lang.story();
    for &(i, from, to) in lang.edits().iter().take(n) {
        s[i] = s[i].replacen(from, to, 1);
    }
    s
}

fn replaced(lang: Lang, n: usize) -> Vec<String> {
    let mut s = lang.story();
    let pool = lang.pool();
    for &i in ORDER.iter().take(n) {
        s[i] = pool[i].clone();
    }
    s
}

fn deleted(lang: Lang, n: usize) -> Vec<String> {
    let gone: Vec<usize> = ORDER.iter().take(n).copied().collect();
    lang.story()
        .into_iter()
        .enumerate()
        .filter(|(i, _)| !gone.contains(i))
        .map(|(_, s)| s)
        .collect()
}

fn appended(lang: Lang, n: usize) -> Vec<String> {
    let mut s = lang.story();
    s.extend(lang.pool().into_iter().take(n));
    s
}

/// One variant of the corpus: how the story was changed, how much of
/// the first version is gone, and the label the hand rule gives.
struct Variant {
    lang: Lang,
    name: String,
    sentences: Vec<String>,
    headline: String,
    /// The hand rule: a story of which at least half the sentences were
    /// replaced or deleted (or that is another story) has drifted; edits,
    /// additions and smaller replacements are changes.
    drifted: bool,
}

fn corpus() -> Vec<Variant> {
    let mut out = Vec::new();
    for lang in [Lang::En, Lang::Zh] {
        let n = lang.story().len();
        let mut add = |name: String, sentences: Vec<String>, gone: usize| {
            out.push(Variant {
                lang,
                name,
                sentences,
                headline: lang.headline().to_string(),
                drifted: gone * 2 >= n,
            });
        };
        for k in [1, 3, 5] {
            add(format!("{k} word edit(s)"), edited(lang, k), 0);
        }
        for r in [1, 2, 3, 4, 5, 6, 7, 8, 10, 12] {
            add(format!("{r}/12 sentences replaced"), replaced(lang, r), r);
        }
        for r in [2, 4, 6, 8] {
            add(format!("{r}/12 sentences deleted"), deleted(lang, r), r);
        }
        for r in [2, 6] {
            add(format!("{r} sentences added"), appended(lang, r), 0);
        }
        let mut moved = lang.story();
        moved.rotate_right(2);
        add("last paragraph moved to the top".into(), moved, 0);
        let mut mixed = edited(lang, 3);
        for &i in ORDER.iter().take(2) {
            mixed[i] = lang.pool()[i].clone();
        }
        mixed.extend(lang.pool().into_iter().skip(10));
        add("3 edits, 2 replaced, 2 added".into(), mixed, 2);
        add("another story".into(), lang.other(), n);
    }
    out
}

fn kind_of(cmp: &Comparison) -> FindingKind {
    drift_finding(cmp, first_at(), this_at()).kind
}

// ---------------------------------------------------------------------------
// Main text

#[test]
fn main_text_keeps_the_story_and_drops_the_chrome() {
    let text = main_text(&Lang::En.first_page(), HTML);
    assert!(text.starts_with(EN_HEADLINE), "{text}");
    for s in EN_STORY {
        assert!(text.contains(s), "missing {s:?} in\n{text}");
    }
    for chrome in [
        "cookies",
        "Politics",
        "Advertisement",
        "Lisbon",
        "Aurora",
        "Most read",
        "Celebrity chef",
        "Newsletter",
        "morning briefing",
        "Recommended",
        "All rights reserved",
        "Page generated",
        "Sam Whitfield",
        "dataLayer",
        "min-height",
    ] {
        assert!(!text.contains(chrome), "{chrome:?} in\n{text}");
    }

    let text = main_text(&Lang::Zh.first_page(), None);
    assert!(text.starts_with(ZH_HEADLINE), "{text}");
    for s in ZH_STORY {
        assert!(text.contains(s), "missing {s:?} in\n{text}");
    }
    for chrome in [
        "欢迎访问",
        "国际",
        "春季特惠",
        "热门排行",
        "24小时点击排行",
        "本周末全市",
        "广告",
        "分享到",
        "版权所有",
        "页面生成时间",
        "pageTime",
    ] {
        assert!(!text.contains(chrome), "{chrome:?} in\n{text}");
    }
}

#[test]
fn main_text_of_plain_text_and_of_empty_or_broken_bodies() {
    assert_eq!(
        main_text(b"  One line.\n\n  Two   words. ", Some("text/plain")),
        "One line.\nTwo words."
    );
    assert_eq!(main_text(b"", HTML), "");
    assert_eq!(
        main_text(b"<html><body><nav>Home</nav></body></html>", HTML),
        ""
    );
    let junk: Vec<u8> = (0..=255u8).cycle().take(10_000).collect();
    let _ = main_text(&junk, None);
    // Nesting that would make the tree builder quadratic is read by the
    // checker's streaming reader instead: quickly, and to the same text.
    let deep = "<div>".repeat(100_000) + "<p>Deep text.</p>";
    let started = std::time::Instant::now();
    assert_eq!(main_text(deep.as_bytes(), HTML), "Deep text.");
    assert!(started.elapsed().as_secs() < 5, "{:?}", started.elapsed());
    let deep = "<div>".repeat(500) + "<nav>Home</nav><p>Deep text.</p>";
    assert_eq!(main_text(deep.as_bytes(), HTML), "Deep text.");
    // A story in bare text with <br>s, as some Chinese sites write it.
    let br = "<html><body><div class=\"nav\">首页 | 国内</div>\
        <div id=\"text\">第一段文字，内容较长。<br><br>第二段文字，也有内容。</div></body></html>";
    assert_eq!(
        main_text(br.as_bytes(), HTML),
        "第一段文字，内容较长。\n第二段文字，也有内容。"
    );
}

#[test]
fn main_text_joins_a_story_split_by_an_ad_and_keeps_the_article_header() {
    let split = format!(
        "<html><body><div class=\"wrap\"><h1>Headline here</h1>\
         <div class=\"story\"><p>{}</p><p>{}</p></div>\
         <div class=\"box\"><span>Advertisement</span> Buy a car</div>\
         <div class=\"story\"><p>{}</p><p>{}</p></div>\
         <div class=\"teasers\"><p>Short teaser one.</p></div></div></body></html>",
        EN_STORY[0], EN_STORY[1], EN_STORY[2], EN_STORY[3]
    );
    assert_eq!(
        main_text(split.as_bytes(), HTML),
        format!(
            "Headline here\n{}\n{}\n{}\n{}",
            EN_STORY[0], EN_STORY[1], EN_STORY[2], EN_STORY[3]
        )
    );
    let header = format!(
        "<html><body><header><a>Site</a></header><article><header><h1>Headline</h1>\
         <p class=\"byline\">By A. Writer</p></header><p>{}</p></article></body></html>",
        EN_STORY[0]
    );
    assert_eq!(
        main_text(header.as_bytes(), HTML),
        format!("Headline\n{}", EN_STORY[0])
    );
}

#[test]
fn a_gbk_page_reads_as_its_utf8_twin() {
    let story = Lang::Zh.story();
    let utf8 = zh_page(ZH_HEADLINE, &story, &Chrome::first(), "utf-8");
    let gbk_html = zh_page(ZH_HEADLINE, &story, &Chrome::first(), "gbk");
    // "©" has no GBK code: the encoder writes it as `&#169;`, as sites do.
    let (gbk, _, _) = encoding_rs::GBK.encode(&gbk_html);
    assert_eq!(
        main_text(&gbk, None),
        main_text(utf8.as_bytes(), None),
        "by <meta charset>"
    );
    assert_eq!(
        main_text(&gbk, Some("text/html; charset=GBK")),
        main_text(utf8.as_bytes(), None),
        "by the Content-Type"
    );
    // The UTF-8 snapshot's header given for both: the GBK bytes do not
    // decode as UTF-8, so their own <meta charset> decides.
    let cmp = compare(utf8.as_bytes(), &gbk, HTML);
    assert!(cmp.raw_changed && !cmp.text_changed, "{cmp:?}");
    let cmp = compare(utf8.as_bytes(), &gbk, None);
    assert!(cmp.raw_changed);
    assert!(!cmp.text_changed, "{cmp:?}");
    assert_eq!(cmp.similarity, 1.0);
    assert_eq!(kind_of(&cmp), FindingKind::Unchanged);
}

#[test]
fn timestamps_case_and_punctuation_do_not_change_the_text_hash() {
    assert_eq!(
        text_digest("Updated 10:32 GMT, 1 May 2024. The plan was approved."),
        text_digest("updated 11:05 gmt — 2 May 2024: the plan was APPROVED")
    );
    assert_eq!(
        text_digest("更新时间：2024年5月1日 10:32 方案获得通过"),
        text_digest("更新时间：2024年6月12日 08:00 方案获得通过。")
    );
    assert_ne!(
        text_digest("The plan was approved."),
        text_digest("The plan was rejected.")
    );
}

// ---------------------------------------------------------------------------
// The five cases of the issue, in both languages

#[test]
fn a_typo_fix_is_changed() {
    for lang in [Lang::En, Lang::Zh] {
        let mut with_typo = lang.story();
        let (typo, fixed) = match lang {
            Lang::En => ("embankmnet", "embankment"),
            Lang::Zh => ("补帖", "补贴"),
        };
        with_typo[1] = with_typo[1].replacen(fixed, typo, 1);
        assert_ne!(with_typo, lang.story());
        let first = lang.page(lang.headline(), &with_typo, &Chrome::first());
        let now = lang.page(lang.headline(), &lang.story(), &Chrome::later(3));
        let cmp = compare(&first, &now, HTML);
        assert!(cmp.raw_changed && cmp.text_changed, "{lang:?}: {cmp:?}");
        assert!(cmp.similarity > 0.9, "{lang:?}: {cmp:?}");
        let f = drift_finding(&cmp, first_at(), this_at());
        assert_eq!(
            (f.kind, f.severity),
            (FindingKind::Changed, Severity::Warning)
        );
        assert!(
            f.reason
                .contains("edited since first archived on 2024-05-01"),
            "{}",
            f.reason
        );
    }
}

#[test]
fn a_rewritten_article_has_drifted() {
    for lang in [Lang::En, Lang::Zh] {
        let mut rewritten = replaced(lang, 9);
        rewritten.swap(0, 4);
        let headline = match lang {
            Lang::En => "Work begins on flood defences as costs rise",
            Lang::Zh => "新能源汽车补贴申领火爆 系统扩容应对",
        };
        let cmp = compare(
            &lang.first_page(),
            &lang.page(headline, &rewritten, &Chrome::later(1)),
            HTML,
        );
        assert!(
            cmp.text_changed && cmp.similarity < DRIFT_THRESHOLD,
            "{lang:?}: {cmp:?}"
        );
        let f = drift_finding(&cmp, first_at(), this_at());
        assert_eq!(
            (f.kind, f.severity),
            (FindingKind::Drifted, Severity::Error)
        );
        assert!(
            f.reason.contains("no longer what was first archived"),
            "{}",
            f.reason
        );
    }
}

#[test]
fn a_page_replaced_by_another_story_has_drifted() {
    for lang in [Lang::En, Lang::Zh] {
        let headline = match lang {
            Lang::En => "Orchestra's principal conductor to step down",
            Lang::Zh => "第十届国际马拉松赛下周开放报名",
        };
        let now = lang.page(headline, &lang.other(), &Chrome::first());
        let cmp = compare(&lang.first_page(), &now, HTML);
        assert!(cmp.similarity < 0.05, "{lang:?}: {cmp:?}");
        assert_eq!(kind_of(&cmp), FindingKind::Drifted);
    }
}

#[test]
fn ads_times_most_read_and_navigation_alone_are_not_drift() {
    for lang in [Lang::En, Lang::Zh] {
        for n in 0..6 {
            let now = lang.page(lang.headline(), &lang.story(), &Chrome::later(n));
            let cmp = compare(&lang.first_page(), &now, HTML);
            assert!(cmp.raw_changed, "{lang:?} {n}");
            assert!(!cmp.text_changed, "{lang:?} {n}: {cmp:?}");
            assert_eq!(cmp.similarity, 1.0);
            let f = drift_finding(&cmp, first_at(), this_at());
            assert_eq!(
                (f.kind, f.severity),
                (FindingKind::Unchanged, Severity::Info)
            );
            assert!(f.reason.contains("only the page around it"), "{}", f.reason);
        }
    }
}

#[test]
fn an_identical_page_is_unchanged() {
    for lang in [Lang::En, Lang::Zh] {
        let page = lang.first_page();
        let cmp = compare(&page, &page.clone(), HTML);
        assert_eq!(
            cmp,
            Comparison {
                raw_changed: false,
                text_changed: false,
                similarity: 1.0
            }
        );
        let f = drift_finding(&cmp, first_at(), this_at());
        assert_eq!(f.kind, FindingKind::Unchanged);
        assert_eq!(f.source.as_deref(), Some("archive"));
        assert_eq!(f.first_snapshot, Some(first_at()));
        assert_eq!(f.this_snapshot, Some(this_at()));
        assert_eq!(f.similarity, Some(Score(1.0)));
        assert!(
            f.reason.contains("first archived on 2024-05-01") && f.reason.contains("2024-06-12"),
            "{}",
            f.reason
        );
    }
}

#[test]
fn findings_carry_the_similarity_and_both_snapshot_times() {
    let cmp = Comparison {
        raw_changed: true,
        text_changed: true,
        similarity: 0.123,
    };
    let f = drift_finding(&cmp, first_at(), this_at());
    assert_eq!(f.kind, FindingKind::Drifted);
    assert_eq!(f.similarity, Some(Score(0.123)));
    assert_eq!(f.first_snapshot, Some(first_at()));
    assert_eq!(f.this_snapshot, Some(this_at()));
    assert_eq!(f.source.as_deref(), Some("archive"));
    assert!(
        f.reason.contains("only 12 % similar on 2024-06-12"),
        "{}",
        f.reason
    );
    // Snapshots of one day are told apart by their times.
    let later_that_day = Timestamp(first_at().0 + 3600);
    let f = drift_finding(&cmp, first_at(), later_that_day);
    assert!(f.reason.contains("2024-05-01T11:32:00Z"), "{}", f.reason);
}

// ---------------------------------------------------------------------------
// The threshold on the corpus

#[test]
fn the_threshold_on_the_drift_corpus() {
    let corpus = corpus();
    assert!(corpus.len() >= 40);
    let (mut tp, mut fp, mut fn_, mut tn) = (0, 0, 0, 0);
    println!(
        "\ndrift corpus: {} variants, threshold {DRIFT_THRESHOLD}",
        corpus.len()
    );
    println!(
        "{:<4} {:<34} {:>10} {:>9}  predicted",
        "lang", "variant", "similarity", "label"
    );
    for (i, v) in corpus.iter().enumerate() {
        let first = v.lang.first_page();
        let now = v.lang.page(&v.headline, &v.sentences, &Chrome::later(i));
        let cmp = compare(&first, &now, HTML);
        assert!(cmp.raw_changed && cmp.text_changed, "{}: {cmp:?}", v.name);
        let predicted = kind_of(&cmp);
        let said_drifted = predicted == FindingKind::Drifted;
        match (v.drifted, said_drifted) {
            (true, true) => tp += 1,
            (false, true) => fp += 1,
            (true, false) => fn_ += 1,
            (false, false) => tn += 1,
        }
        let mark = if v.drifted == said_drifted {
            ""
        } else {
            "  <- wrong"
        };
        println!(
            "{:<4} {:<34} {:>10.3} {:>9}  {predicted}{mark}",
            format!("{:?}", v.lang).to_lowercase(),
            v.name,
            cmp.similarity,
            if v.drifted { "drifted" } else { "changed" },
        );
    }
    let precision = f64::from(tp) / f64::from((tp + fp).max(1));
    let recall = f64::from(tp) / f64::from((tp + fn_).max(1));
    println!(
        "drifted: precision {precision:.2} ({tp}/{}), recall {recall:.2} ({tp}/{}); \
         changed kept as changed: {tn}/{}",
        tp + fp,
        tp + fn_,
        tn + fp
    );
    assert!(precision >= 0.9, "precision {precision}");
    assert!(recall >= 0.8, "recall {recall}");
    // Word-level edits are never drift.
    for (i, v) in corpus
        .iter()
        .enumerate()
        .filter(|(_, v)| v.name.contains("word edit"))
    {
        let now = v.lang.page(&v.headline, &v.sentences, &Chrome::later(i));
        let cmp = compare(&v.lang.first_page(), &now, HTML);
        assert_eq!(kind_of(&cmp), FindingKind::Changed, "{}", v.name);
    }
}
