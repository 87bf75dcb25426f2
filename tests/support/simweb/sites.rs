//! The sites of the simulated web, one row per site: what kind of
//! behaviour it stands for and how it is built. Hosts are invented (real
//! top-level domains, made-up outlets), except the two platforms, WeChat
//! and Weibo, whose behaviour is simulated at their own names.
//!
//! Kinds, and the verdict a careful editor gives (live / missing):
//!
//! | kind | site behaviour | live | missing |
//! |---|---|---|---|
//! | honest-404 | 404 with a branded error page | alive | dead |
//! | gone-410 | 410 for deleted articles, 404 for others | alive | dead |
//! | soft404-title-{zh,zh-tw,en,de,ru,fr,es} | 200, "not found" in the title | alive | soft-404 |
//! | soft404-heading-{ja,ko} | 200, title is the site's name, "not found" in the heading | alive | soft-404 |
//! | soft404-silent-template | 200, a list of stories, no error word: only probing tells | alive | soft-404 |
//! | soft404-echo-recommend | 200, echoes the path, new recommendations each request | alive | soft-404 |
//! | soft404-blank-template | 200, the CMS's article template, empty (query-string ids) | alive | soft-404 |
//! | soft404-js-alert | 200, `alert('없는 기사입니다'); history.back()` | alive | soft-404 |
//! | redirect-home / -section / -404-page / -error-query / -search | 301/302 there | alive | soft-404 |
//! | missing-to-login | any missing path redirects to the login page | alive | soft-404 |
//! | meta-refresh-home, js-redirect-home | 200 sending readers home | alive | soft-404 |
//! | nextjs-404-page, nextjs-error-page | Next.js 404 / _error data, 200 | alive | soft-404 |
//! | missing-serves-home | the home page itself, 200 | alive | soft-404 |
//! | parked-domain | every path: "domain for sale" | soft-404 | soft-404 |
//! | cloudflare-403 / -503, akamai-403, datadome-403 | challenges | blocked | blocked |
//! | imperva-200, enable-js-200 | walls served with 200 | blocked | blocked |
//! | login-401, legal-451, throttled-429 | refusals | blocked | blocked |
//! | throttled-429-once, flaky-503-once | first request per path fails | alive | dead |
//! | head-405 | HEAD refused, GET fine | alive | dead |
//! | gbk-site, big5-site | encoded pages, encoded error titles (200) | alive | soft-404 |
//! | wechat, weibo | platforms: live items; unknown ids get a notice | alive | soft-404 |
//! | broadcaster | 404 for unknown ids | alive | dead |
//! | id-routed-ignores-slug | `/article/{id}/{any slug}` shows the article | alive | dead / soft-404 |
//! | canonical-www, canonical-slash | cited URL redirects to its canonical spelling | alive | dead |
//! | members-login | public articles, 404 for missing | alive | dead |
//! | server-error-500 | a broken archive backend for some articles | alive | dead |
//! | dns-gone | the name no longer resolves | dead | dead |
//! | domain-moved | the old domain 301s every path to the new one | alive | dead |
//! | redirect-similar-post | missing slugs 301 to the post sharing most words | alive | soft-404 |
//! | consent-redirect | every page 302s to a "Before you continue" consent wall | blocked | blocked |
//! | mobile-redirect-script | every page has a script sending phones to `m.` | alive | dead |
//! | moved-site, paywall-site | hosts of the moved-301 and live-paywalled variants | alive | dead |
//! | soft404-title-vi | 200, "Không tìm thấy trang" in the title (Vietnamese) | alive | soft-404 |
//! | live-nf-sidebar-widget | every page's sidebar asks "Pagina non trovata? …" (Italian); missing: 200, "Ops! Qui non c'è niente" in the heading, title the site's name | alive | soft-404 |
//! | soft404-gongyi-zh | 200, Tencent's "公益404" page (a missing child's notice, new each request; "您访问的页面找不回来了"), titled with the site's name | alive | soft-404 |
//! | soft404-countdown-zh | 200 "提示信息": "抱歉，您要访问的页面暂时无法打开", a 5-second countdown script home | alive | soft-404 |
//! | soft404-sitemap | 200, title the site's name, the body the site map | alive | soft-404 |
//! | soft404-empty-200 | 200 with an empty body (query-string ids) | alive | soft-404 |
//! | spa-shell-meta-only | a single-page app: every page the same empty shell and "enable JavaScript" noscript; only articles' `<head>` names them | alive | soft-404 |
//! | site-name-title-everywhere | bad SEO: articles titled with the site's name, `<h1>` the logo; missing: 200 list of stories | alive | soft-404 |
//! | redirect-tag-page | 302 to the tag page of the slug's longest word (`/thema/{word}/`) | alive | soft-404 |
//! | redirect-error-host | 303 to a CDN's error host, which answers 200 | alive | soft-404 |
//! | refresh-header-home | 200 list of stories with a `Refresh: 0; url=/` header | alive | soft-404 |
//! | firewall-block-page | Cloudflare's "Sorry, you have been blocked" (403), Wordfence's "access … limited" (503) | blocked | blocked |
//! | throttled-200 | "您的访问过于频繁，请稍后再试", 200 | blocked | blocked |
//!
//! Variants of articles, cited on some sites, with their own kinds:
//! live-brief (≈300 characters, alive), live-paywalled (teaser and a call
//! to subscribe, alive), live-alarm-title (a live story whose headline
//! says "not found", "404", "页面不存在", "deleted"…, alive), moved-301
//! (old address redirects to the new one, alive), wechat-removed,
//! weibo-removed, broadcaster-expired (a removal notice at the item's own
//! URL, 200: soft-404), members-only-login (redirects to the login page
//! while missing paths get 404: blocked), archive-500 (500 every time:
//! error), live-tracking-query (cited with `?utm_source=…`, alive),
//! live-meta-refresh-self (reloads itself every five minutes, alive),
//! live-gallery (a photo gallery: a one-sentence lead, a dozen images,
//! few captions, alive), unpublished-notice (taken down: "抱歉，该文章已下线",
//! "この記事は掲載期間が終了しました" in the site's template at the
//! article's own URL, titled with the site's name, 200: soft-404).
//!
//! A login redirect is soft-404 when the site does it for paths that do
//! not exist too (missing-to-login), and blocked when only some existing
//! articles do it (members-only-login).

use super::lang::Lang::*;
use super::pages::At;
use super::{
    Charset, Meta, Missing, Plan, Quirk, Route, Site, SlugPolicy, Style, Target, Variant, Wall,
};

const fn plan(live: usize, missing: usize, extra: &'static [(Variant, usize)]) -> Plan {
    Plan {
        live,
        missing,
        extra,
    }
}

const ALARM: &[(Variant, usize)] = &[(Variant::Alarm, 1)];
const BRIEF: &[(Variant, usize)] = &[(Variant::Brief, 1)];
const GALLERY: &[(Variant, usize)] = &[(Variant::Gallery, 1)];
/// Blocked-only and parked sites: every URL gets the same answer.
const SAME: Plan = plan(3, 3, &[]);

pub const SITES: &[Site] = &[
    // ---- Honest answers --------------------------------------------------
    Site {
        quirks: &[Quirk::Gzip],
        plan: plan(4, 3, &[(Variant::Alarm, 3), (Variant::Brief, 1)]),
        ..Site::base("www.harbourpost.com.hk", "Harbour Post", "honest-404", En)
    },
    Site {
        style: Style::Portal,
        route: Route::People,
        plan: plan(4, 3, &[(Variant::Alarm, 2), (Variant::SelfRefresh, 1)]),
        ..Site::base("www.jinghua-xinwen.cn", "京华新闻网", "honest-404", Zh)
    },
    Site {
        style: Style::Modern,
        missing: Missing::Gone,
        plan: plan(4, 3, ALARM),
        ..Site::base("www.rheinblatt.de", "Rheinblatt", "gone-410", De)
    },
    // ---- Soft-404 pages that say so, in each language ----------------------
    Site {
        rotating: true,
        style: Style::Portal,
        route: Route::Xinhua,
        meta: Meta::Og,
        missing: Missing::ErrorPage(At::Title),
        plan: plan(4, 3, ALARM),
        ..Site::base(
            "www.dongfang-ribao.com.cn",
            "东方日报网",
            "soft404-title-zh",
            Zh,
        )
    },
    Site {
        route: Route::Cna,
        missing: Missing::ErrorPage(At::Both),
        plan: plan(4, 3, ALARM),
        ..Site::base(
            "www.taiping-news.com.tw",
            "太平洋新聞網",
            "soft404-title-zh-tw",
            ZhTw,
        )
    },
    Site {
        style: Style::Modern,
        meta: Meta::Og,
        missing: Missing::ErrorPage(At::Title),
        nf: Some((
            "Oops! That page can't be found",
            "It looks like nothing was found at this location. Maybe try a search?",
        )),
        plan: plan(4, 3, &[(Variant::Brief, 1), (Variant::Paywalled, 1)]),
        ..Site::base(
            "www.eastasia-monitor.com",
            "East Asia Monitor",
            "soft404-title-en",
            En,
        )
    },
    Site {
        route: Route::SectionId,
        missing: Missing::ErrorPage(At::Title),
        plan: plan(4, 3, ALARM),
        ..Site::base("www.ostkurier.de", "Ostkurier", "soft404-title-de", De)
    },
    Site {
        style: Style::Modern,
        route: Route::SectionId,
        missing: Missing::ErrorPage(At::Heading),
        nf: Some((
            "お探しのページは見つかりませんでした",
            "記事は削除されたか、URLが変更された可能性があります。",
        )),
        plan: plan(4, 3, ALARM),
        ..Site::base(
            "www.kansai-shimpo.co.jp",
            "関西新報",
            "soft404-heading-ja",
            Ja,
        )
    },
    Site {
        rotating: true,
        route: Route::QueryId {
            path: "/news/articleView.html",
            param: "idxno",
        },
        meta: Meta::Og,
        missing: Missing::ErrorPage(At::Heading),
        plan: plan(4, 3, ALARM),
        ..Site::base(
            "www.hanbit-ilbo.co.kr",
            "한빛일보",
            "soft404-heading-ko",
            Ko,
        )
    },
    Site {
        missing: Missing::ErrorPage(At::Title),
        nf: Some((
            "Ошибка 404. Страница не найдена",
            "Возможно, она была удалена или вы ошиблись адресом.",
        )),
        plan: plan(4, 3, ALARM),
        ..Site::base(
            "www.sibir-vestnik.ru",
            "Сибирский вестник",
            "soft404-title-ru",
            Ru,
        )
    },
    Site {
        style: Style::Modern,
        missing: Missing::ErrorPage(At::Title),
        plan: plan(4, 3, ALARM),
        ..Site::base(
            "www.courrier-asie.fr",
            "Le Courrier d'Asie",
            "soft404-title-fr",
            Fr,
        )
    },
    Site {
        route: Route::SectionId,
        missing: Missing::ErrorPage(At::Both),
        plan: plan(4, 3, ALARM),
        ..Site::base(
            "www.diario-pacifico.es",
            "Diario del Pacífico",
            "soft404-title-es",
            Es,
        )
    },
    // ---- Soft-404 pages that do not say so ---------------------------------
    Site {
        rotating: true,
        style: Style::Blog,
        meta: Meta::Bare,
        missing: Missing::Silent,
        plan: plan(4, 3, BRIEF),
        ..Site::base(
            "www.metro-ledger.com",
            "The Metro Ledger",
            "soft404-silent-template",
            En,
        )
    },
    Site {
        style: Style::Modern,
        meta: Meta::Og,
        missing: Missing::Echo,
        rotating: true,
        quirks: &[Quirk::Gzip],
        ..Site::base(
            "www.the-daily-courier.com",
            "The Daily Courier",
            "soft404-echo-recommend",
            En,
        )
    },
    Site {
        style: Style::Portal,
        route: Route::QueryId {
            path: "/info/content.jsp",
            param: "id",
        },
        meta: Meta::Bare,
        missing: Missing::Blank,
        ..Site::base(
            "www.lincheng.gov.cn",
            "临城市人民政府",
            "soft404-blank-template",
            Zh,
        )
    },
    Site {
        route: Route::QueryId {
            path: "/news/articleView.html",
            param: "idxno",
        },
        meta: Meta::Og,
        missing: Missing::JsAlert("삭제되었거나 존재하지 않는 기사입니다."),
        ..Site::base(
            "www.gyeongnam-news.co.kr",
            "경남뉴스",
            "soft404-js-alert",
            Ko,
        )
    },
    // ---- Redirects and pages that send readers elsewhere -----------------
    Site {
        style: Style::Portal,
        route: Route::People,
        meta: Meta::Og,
        missing: Missing::Redirect(302, Target::Home),
        plan: plan(4, 3, BRIEF),
        ..Site::base("www.huanan-wang.cn", "华南网", "redirect-home", Zh)
    },
    Site {
        style: Style::Portal,
        route: Route::Xinhua,
        meta: Meta::Bare,
        missing: Missing::Redirect(301, Target::Section),
        ..Site::base(
            "www.zhongyuan-news.cn",
            "中原新闻网",
            "redirect-section",
            Zh,
        )
    },
    Site {
        style: Style::Wire,
        route: Route::SectionId,
        meta: Meta::Og,
        missing: Missing::Redirect(302, Target::Page404),
        ..Site::base(
            "www.pacific-wire.com",
            "Pacific Wire",
            "redirect-404-page",
            En,
        )
    },
    Site {
        route: Route::Cna,
        meta: Meta::Og,
        missing: Missing::Redirect(302, Target::ErrorQuery),
        ..Site::base(
            "www.binhai-daily.cn",
            "滨海日报",
            "redirect-error-query",
            Zh,
        )
    },
    Site {
        style: Style::Modern,
        meta: Meta::Og,
        missing: Missing::Redirect(302, Target::Search),
        ..Site::base(
            "www.morning-sentinel.com",
            "The Morning Sentinel",
            "redirect-search",
            En,
        )
    },
    Site {
        style: Style::Modern,
        missing: Missing::Redirect(302, Target::Login),
        ..Site::base(
            "www.insider-asia.com",
            "Insider Asia",
            "missing-to-login",
            En,
        )
    },
    Site {
        style: Style::Portal,
        route: Route::Xinhua,
        meta: Meta::Bare,
        missing: Missing::MetaRefresh,
        plan: plan(4, 3, &[(Variant::SelfRefresh, 1)]),
        ..Site::base(
            "www.jiangcheng-wanbao.cn",
            "江城晚报",
            "meta-refresh-home",
            Zh,
        )
    },
    Site {
        style: Style::Blog,
        route: Route::People,
        meta: Meta::Bare,
        missing: Missing::Script,
        ..Site::base("www.nanfang-xunbao.cn", "南方讯报", "js-redirect-home", Zh)
    },
    Site {
        style: Style::NextApp,
        route: Route::IdSlug(SlugPolicy::Strict),
        missing: Missing::Next("/404"),
        ..Site::base(
            "www.tokyo-dispatch.jp",
            "東京ディスパッチ",
            "nextjs-404-page",
            Ja,
        )
    },
    Site {
        style: Style::NextApp,
        meta: Meta::Og,
        missing: Missing::Next("/_error"),
        ..Site::base(
            "www.asia-insight.com",
            "Asia Insight",
            "nextjs-error-page",
            En,
        )
    },
    Site {
        rotating: true,
        style: Style::Portal,
        route: Route::People,
        meta: Meta::Bare,
        missing: Missing::Home,
        plan: plan(4, 3, BRIEF),
        ..Site::base("www.fengyun-news.cn", "风云新闻", "missing-serves-home", Zh)
    },
    // ---- Gone outlets --------------------------------------------------------
    Site {
        wall: Some(Wall::Parked),
        plan: SAME,
        ..Site::base(
            "www.chinapolicy-review.com",
            "China Policy Review",
            "parked-domain",
            En,
        )
    },
    Site {
        wall: Some(Wall::Parked),
        plan: SAME,
        ..Site::base("www.huaxia-shibao.com", "华夏时报网", "parked-domain", Zh)
    },
    Site {
        wall: Some(Wall::NoDns),
        plan: SAME,
        ..Site::base(
            "www.beijing-briefing.net",
            "Beijing Briefing",
            "dns-gone",
            En,
        )
    },
    // ---- Walls: the article may be fine --------------------------------------
    Site {
        wall: Some(Wall::Cloudflare(403)),
        plan: SAME,
        ..Site::base(
            "www.formosa-herald.com",
            "Formosa Herald",
            "cloudflare-403",
            En,
        )
    },
    Site {
        wall: Some(Wall::Cloudflare(503)),
        plan: SAME,
        ..Site::base(
            "www.mainland-observer.com",
            "Mainland Observer",
            "cloudflare-503",
            En,
        )
    },
    Site {
        wall: Some(Wall::Akamai),
        plan: SAME,
        ..Site::base(
            "www.globaltrade-journal.com",
            "Global Trade Journal",
            "akamai-403",
            En,
        )
    },
    Site {
        wall: Some(Wall::DataDome),
        plan: SAME,
        ..Site::base(
            "www.quotidien-asie.fr",
            "Le Quotidien d'Asie",
            "datadome-403",
            Fr,
        )
    },
    Site {
        wall: Some(Wall::Imperva),
        plan: SAME,
        ..Site::base(
            "www.capital-ledger.com",
            "Capital Ledger",
            "imperva-200",
            En,
        )
    },
    Site {
        wall: Some(Wall::EnableJs),
        plan: SAME,
        ..Site::base("www.xinwen-kuaibao.com", "新闻快报", "enable-js-200", Zh)
    },
    Site {
        wall: Some(Wall::BasicAuth),
        plan: SAME,
        ..Site::base(
            "staging.pressroom-asia.com",
            "Pressroom Asia",
            "login-401",
            En,
        )
    },
    Site {
        wall: Some(Wall::Gdpr451),
        plan: SAME,
        ..Site::base("www.valley-gazette.com", "Valley Gazette", "legal-451", En)
    },
    Site {
        wall: Some(Wall::Throttle429),
        plan: SAME,
        ..Site::base(
            "www.bulletin-chine.fr",
            "Bulletin de Chine",
            "throttled-429",
            Fr,
        )
    },
    // ---- Transient trouble and protocol quirks -----------------------------
    Site {
        route: Route::QueryId {
            path: "/news/articleView.html",
            param: "idxno",
        },
        quirks: &[Quirk::FirstHit(429)],
        plan: plan(4, 3, &[(Variant::Tracked, 1)]),
        ..Site::base(
            "www.seoul-economy.co.kr",
            "서울경제신문",
            "throttled-429-once",
            Ko,
        )
    },
    Site {
        route: Route::Cna,
        quirks: &[Quirk::FirstHit(503)],
        ..Site::base(
            "www.taipei-tribune.com.tw",
            "台北論壇報",
            "flaky-503-once",
            ZhTw,
        )
    },
    Site {
        quirks: &[Quirk::HeadRefused, Quirk::StripQuery],
        plan: plan(4, 3, &[(Variant::Tracked, 1)]),
        ..Site::base("www.pacific-review.com", "Pacific Review", "head-405", En)
    },
    Site {
        quirks: &[Quirk::WwwCanonical],
        plan: plan(4, 3, &[(Variant::Tracked, 1)]),
        ..Site::base("www.rheinpost.de", "Rheinpost", "canonical-www", De)
    },
    Site {
        style: Style::Blog,
        route: Route::DateSlug { slash: true },
        quirks: &[Quirk::SlashRedirect],
        ..Site::base(
            "www.seaside-chronicle.com",
            "Seaside Chronicle",
            "canonical-slash",
            En,
        )
    },
    // ---- Encodings ------------------------------------------------------------
    Site {
        style: Style::Portal,
        route: Route::Xinhua,
        meta: Meta::Bare,
        charset: Charset::Gbk { header: true },
        missing: Missing::ErrorPage(At::Title),
        nf: Some((
            "对不起，您访问的页面不存在",
            "可能是网址有误，或者该页面已被删除。",
        )),
        ..Site::base("www.zhongzhou-wang.com.cn", "中州网", "gbk-site", Zh)
    },
    Site {
        style: Style::Portal,
        route: Route::QueryId {
            path: "/news/detail.asp",
            param: "id",
        },
        meta: Meta::Bare,
        charset: Charset::Big5 { header: false },
        missing: Missing::ErrorPage(At::Title),
        ..Site::base("www.taiwan-jishi.com.tw", "台灣即時報", "big5-site", ZhTw)
    },
    // ---- Platforms and broadcasters -----------------------------------------
    Site {
        style: Style::WeChat,
        route: Route::WeChat,
        meta: Meta::Og,
        missing: Missing::Notice("参数错误"),
        plan: plan(
            3,
            2,
            &[
                (
                    Variant::Removed {
                        kind: "wechat-removed",
                        notice: "该内容已被发布者删除",
                    },
                    2,
                ),
                (
                    Variant::Removed {
                        kind: "wechat-removed",
                        notice: "此内容因违规无法查看",
                    },
                    2,
                ),
            ],
        ),
        ..Site::base("mp.weixin.qq.com", "微信公众平台", "wechat", Zh)
    },
    Site {
        style: Style::Weibo,
        route: Route::Weibo,
        meta: Meta::Bare,
        missing: Missing::Notice("抱歉，你访问的页面地址有误，或者该页面不存在。"),
        plan: plan(
            3,
            2,
            &[
                (
                    Variant::Removed {
                        kind: "weibo-removed",
                        notice: "抱歉，此微博已被作者删除。",
                    },
                    2,
                ),
                (
                    Variant::Removed {
                        kind: "weibo-removed",
                        notice: "根据相关法律法规和政策，该内容无法显示。",
                    },
                    2,
                ),
            ],
        ),
        ..Site::base("weibo.com", "微博", "weibo", Zh)
    },
    Site {
        style: Style::Modern,
        route: Route::SectionId,
        plan: plan(
            3,
            2,
            &[
                (
                    Variant::Removed {
                        kind: "broadcaster-expired",
                        notice: "This story has expired",
                    },
                    2,
                ),
                (
                    Variant::Removed {
                        kind: "broadcaster-expired",
                        notice: "This content is no longer available",
                    },
                    2,
                ),
            ],
        ),
        ..Site::base(
            "www.pacific-broadcasting.com.au",
            "Pacific Broadcasting",
            "broadcaster",
            En,
        )
    },
    // ---- Routing by id -----------------------------------------------------------
    Site {
        style: Style::Modern,
        route: Route::IdSlug(SlugPolicy::Ignore),
        quirks: &[Quirk::Gzip],
        ..Site::base(
            "www.epoch-chronicle.com",
            "The Epoch Chronicle",
            "id-routed-ignores-slug",
            En,
        )
    },
    Site {
        route: Route::IdSlug(SlugPolicy::Ignore),
        meta: Meta::Og,
        missing: Missing::Redirect(302, Target::Home),
        ..Site::base(
            "www.dagong-shibao.com",
            "大公時報",
            "id-routed-ignores-slug",
            ZhTw,
        )
    },
    // ---- Moves, logins, paywalls, broken archives ---------------------------------
    Site {
        plan: plan(3, 2, &[(Variant::Moved, 3)]),
        ..Site::base(
            "www.northsea-times.com",
            "North Sea Times",
            "moved-site",
            En,
        )
    },
    Site {
        style: Style::Modern,
        route: Route::SectionId,
        quirks: &[Quirk::MovedFrom("www.asiapacific-report.com")],
        ..Site::base("www.apr-news.com", "APR News", "domain-moved", En)
    },
    Site {
        style: Style::Modern,
        route: Route::DateSlug { slash: true },
        missing: Missing::Redirect(301, Target::Similar),
        meta: Meta::Og,
        ..Site::base(
            "www.riverside-dispatch.com",
            "Riverside Dispatch",
            "redirect-similar-post",
            En,
        )
    },
    Site {
        wall: None,
        quirks: &[Quirk::ConsentWall],
        plan: SAME,
        ..Site::base(
            "news.pacific-portal.com",
            "Pacific Portal News",
            "consent-redirect",
            En,
        )
    },
    Site {
        style: Style::Portal,
        route: Route::Xinhua,
        meta: Meta::Bare,
        quirks: &[Quirk::MobileScript],
        plan: plan(5, 3, &[]),
        ..Site::base(
            "www.xiamen-shangbao.cn",
            "厦门商报网",
            "mobile-redirect-script",
            Zh,
        )
    },
    Site {
        plan: plan(3, 2, &[(Variant::MembersOnly, 3)]),
        ..Site::base(
            "www.financial-gazette-asia.com",
            "Financial Gazette Asia",
            "members-login",
            En,
        )
    },
    Site {
        style: Style::Modern,
        route: Route::IdSlug(SlugPolicy::Strict),
        plan: plan(2, 2, &[(Variant::Paywalled, 3)]),
        ..Site::base("www.nikkan-keizai.jp", "日刊経済", "paywall-site", Ja)
    },
    Site {
        route: Route::SectionId,
        plan: plan(3, 2, &[(Variant::Broken, 3)]),
        ..Site::base(
            "www.old-archive-times.com",
            "The Old Archive Times",
            "server-error-500",
            En,
        )
    },
    // ---- Held-out kinds ------------------------------------------------------------
    Site {
        style: Style::Modern,
        route: Route::SectionId,
        meta: Meta::Og,
        missing: Missing::ErrorPage(At::Title),
        plan: plan(4, 3, GALLERY),
        ..Site::base(
            "www.saigon-thoibao.vn",
            "Sài Gòn Thời Báo",
            "soft404-title-vi",
            Vi,
        )
    },
    Site {
        missing: Missing::ErrorPage(At::Heading),
        nf: Some((
            "Ops! Qui non c'è niente",
            "L'articolo che cerchi potrebbe essere stato rimosso, rinominato o non essere mai esistito.",
        )),
        quirks: &[Quirk::SearchWidget(
            "Pagina non trovata?",
            "Link rotto o articolo non trovato? Prova la ricerca o scrivici.",
        )],
        plan: plan(4, 3, ALARM),
        ..Site::base(
            "www.corriere-oriente.it",
            "Corriere d'Oriente",
            "live-nf-sidebar-widget",
            It,
        )
    },
    Site {
        rotating: true,
        style: Style::Portal,
        route: Route::Xinhua,
        meta: Meta::Bare,
        missing: Missing::Gongyi,
        ..Site::base(
            "www.jinling-shangbao.com.cn",
            "金陵商报网",
            "soft404-gongyi-zh",
            Zh,
        )
    },
    Site {
        style: Style::Portal,
        route: Route::People,
        meta: Meta::Bare,
        missing: Missing::Countdown("抱歉，您要访问的页面暂时无法打开"),
        ..Site::base(
            "www.qiantang-wanbao.cn",
            "钱塘晚报",
            "soft404-countdown-zh",
            Zh,
        )
    },
    Site {
        meta: Meta::Og,
        missing: Missing::SiteMap,
        plan: plan(4, 3, GALLERY),
        ..Site::base(
            "www.lakeside-register.com",
            "The Lakeside Register",
            "soft404-sitemap",
            En,
        )
    },
    Site {
        route: Route::QueryId {
            path: "/news.php",
            param: "id",
        },
        meta: Meta::Bare,
        missing: Missing::Empty,
        ..Site::base(
            "www.victoria-harbour-daily.com.hk",
            "維港日報",
            "soft404-empty-200",
            ZhTw,
        )
    },
    Site {
        style: Style::Spa,
        route: Route::SectionId,
        meta: Meta::Og,
        missing: Missing::Silent,
        ..Site::base(
            "www.formosa-now.com.tw",
            "福爾摩沙即時",
            "spa-shell-meta-only",
            ZhTw,
        )
    },
    Site {
        style: Style::Portal,
        route: Route::Xinhua,
        meta: Meta::Bare,
        missing: Missing::Silent,
        quirks: &[Quirk::GenericTitle],
        ..Site::base(
            "www.xiangjiang-zaobao.cn",
            "湘江早报",
            "site-name-title-everywhere",
            Zh,
        )
    },
    Site {
        style: Style::Modern,
        meta: Meta::Og,
        missing: Missing::Redirect(302, Target::Tag),
        ..Site::base(
            "www.elbe-anzeiger.de",
            "Elbe-Anzeiger",
            "redirect-tag-page",
            De,
        )
    },
    Site {
        style: Style::Portal,
        route: Route::People,
        meta: Meta::Bare,
        missing: Missing::Redirect(303, Target::ErrorHost("errpage.edgeshield-cdn.net")),
        ..Site::base(
            "www.minnan-ribao.cn",
            "闽南日报网",
            "redirect-error-host",
            Zh,
        )
    },
    Site {
        route: Route::SectionId,
        meta: Meta::Og,
        missing: Missing::RefreshHeader,
        plan: plan(4, 3, GALLERY),
        ..Site::base(
            "www.hokuriku-journal.jp",
            "北陸ジャーナル",
            "refresh-header-home",
            Ja,
        )
    },
    Site {
        style: Style::Modern,
        route: Route::SectionId,
        meta: Meta::Og,
        plan: plan(
            3,
            2,
            &[
                (
                    Variant::Unpublished {
                        notice: "抱歉，该文章已下线",
                    },
                    2,
                ),
                (
                    Variant::Unpublished {
                        notice: "该内容已下架",
                    },
                    1,
                ),
            ],
        ),
        ..Site::base("www.haiyan-news.cn", "海燕新闻", "honest-404", Zh)
    },
    Site {
        route: Route::SectionId,
        missing: Missing::ErrorPage(At::Heading),
        plan: plan(
            3,
            2,
            &[
                (
                    Variant::Unpublished {
                        notice: "この記事は掲載期間が終了しました。",
                    },
                    2,
                ),
                (
                    Variant::Unpublished {
                        notice: "該当する記事はありません。",
                    },
                    1,
                ),
            ],
        ),
        ..Site::base(
            "www.setouchi-nichinichi.co.jp",
            "瀬戸内日日新聞",
            "soft404-heading-ja",
            Ja,
        )
    },
    Site {
        wall: Some(Wall::CloudflareBlock),
        plan: SAME,
        ..Site::base(
            "www.straits-ledger.com.sg",
            "The Straits Ledger",
            "firewall-block-page",
            En,
        )
    },
    Site {
        wall: Some(Wall::Wordfence),
        plan: SAME,
        ..Site::base(
            "www.tidewater-news.com",
            "Tidewater News",
            "firewall-block-page",
            En,
        )
    },
    Site {
        wall: Some(Wall::Throttle200),
        plan: SAME,
        ..Site::base(
            "www.dongnan-kuaixun.cn",
            "东南快讯",
            "throttled-200",
            Zh,
        )
    },
];
