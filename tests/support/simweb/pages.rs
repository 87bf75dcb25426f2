//! Pages of the simulated web: each site's template (header, navigation,
//! boxes, footer) around what a path shows — an article, the home page, a
//! section, the site's own not-found page, a search, a login form — and the
//! walls and notices that stand in front of pages.

use super::lang::Lex;
use super::{Article, Catalog, Meta, Site, Style, Variant};
use fastrand::Rng;
use serde_json::json;

/// What one request renders with: its site, catalog, and the randomness of
/// the boxes (fixed per site, or fresh per request on rotating sites).
pub struct Ctx<'a> {
    pub site: &'a Site,
    pub cat: &'a Catalog,
    pub rng: Rng,
}

impl Ctx<'_> {
    fn lex(&self) -> &'static Lex {
        self.site.lang.lex()
    }
}

pub fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A page's own parts; [`layout`] wraps them in the site's template.
#[derive(Default)]
pub struct Doc {
    pub title: String,
    /// More `<head>` content (metadata, refresh).
    pub head: String,
    pub main: String,
    /// Scripts at the end of the body (Next.js data, redirects).
    pub tail: String,
    /// Leave the boxes out (error pages of some sites are bare).
    pub bare: bool,
}

fn charset_tag(site: &Site) -> &'static str {
    match site.charset {
        super::Charset::Utf8 => "<meta charset=\"utf-8\">",
        super::Charset::Gbk { .. } => {
            "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\">"
        }
        super::Charset::Big5 { .. } => "<meta charset=\"big5\">",
    }
}

fn list(items: &[&Article], site: &Site) -> String {
    items
        .iter()
        .map(|a| {
            format!(
                "<li><a href=\"{}\">{}</a></li>",
                esc(&site.path_of(a)),
                esc(&a.title)
            )
        })
        .collect()
}

/// `n` articles of the catalog for a box.
fn pick<'c>(ctx: &mut Ctx<'c>, n: usize) -> Vec<&'c Article> {
    let listed: Vec<&Article> = ctx.cat.listed().collect();
    let mut out = Vec::new();
    let mut idx: Vec<usize> = (0..listed.len()).collect();
    ctx.rng.shuffle(&mut idx);
    for i in idx.into_iter().take(n) {
        out.push(listed[i]);
    }
    out
}

fn nav(ctx: &Ctx) -> String {
    let lex = ctx.lex();
    let mut s = format!("<a href=\"/\">{}</a>", esc(lex.home));
    for (slug, label) in lex.sections {
        s.push_str(&format!(" <a href=\"/{slug}/\">{}</a>", esc(label)));
    }
    s
}

/// The "about us" links of a portal's footer, in its script.
fn portal_links(site: &Site) -> &'static str {
    if site.lang == super::Lang::ZhTw {
        "<a href=\"/about/\">關於我們</a> | <a href=\"/contact/\">聯絡我們</a> | <a href=\"/ad/\">廣告服務</a>"
    } else {
        "<a href=\"/about/\">关于我们</a> | <a href=\"/contact/\">联系我们</a> | <a href=\"/ad/\">广告服务</a>"
    }
}

fn footer_text(ctx: &Ctx) -> String {
    esc(&ctx.lex().footer.replace("{S}", ctx.site.name))
}

/// The whole document: the site's template around `doc`.
pub fn layout(ctx: &mut Ctx, doc: Doc) -> String {
    let site = ctx.site;
    let lex = ctx.lex();
    let most = pick(ctx, 8);
    let rec = pick(ctx, 6);
    let (most, rec) = (list(&most, site), list(&rec, site));
    let mobile = if site.has(super::Quirk::MobileScript) {
        format!(
            "<script type=\"text/javascript\">if(/Android|webOS|iPhone|iPad|iPod|BlackBerry|IEMobile/i.test(navigator.userAgent)){{window.location.href=\"http://m.{}\"+window.location.pathname;}}</script>",
            site.host.strip_prefix("www.").unwrap_or(site.host)
        )
    } else {
        String::new()
    };
    let head = format!(
        "<!DOCTYPE html>\n<html lang=\"{}\"><head>{}<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{}</title>{}{mobile}<link rel=\"stylesheet\" href=\"/static/css/main.css\"><link rel=\"icon\" href=\"/favicon.ico\"></head>\n",
        lex.code,
        charset_tag(site),
        esc(&doc.title),
        doc.head
    );
    let widget = site
        .quirks
        .iter()
        .find_map(|q| match q {
            super::Quirk::SearchWidget(h, t) => Some(format!(
                "<div class=\"widget widget_search\"><h3 class=\"widget-title\">{}</h3><p>{}</p><form role=\"search\" action=\"/search\"><input type=\"search\" name=\"q\"><button>{}</button></form></div>",
                esc(h),
                esc(t),
                esc(lex.search)
            )),
            _ => None,
        })
        .unwrap_or_default();
    let boxes = |class: &str| {
        if doc.bare {
            String::new()
        } else {
            format!(
                "<div class=\"{class}\"><h3>{}</h3><ol>{most}</ol></div><div class=\"{class}\"><h3>{}</h3><ul>{rec}</ul></div>{widget}",
                esc(lex.most_read),
                esc(lex.recommended)
            )
        }
    };
    let logo = if site.has(super::Quirk::GenericTitle) {
        format!(
            "<h1 class=\"logo\"><a href=\"/\"><img src=\"/img/logo.png\" alt=\"{}\"></a></h1>",
            esc(site.name)
        )
    } else {
        format!(
            "<div class=\"logo\"><a href=\"/\"><img src=\"/img/logo.png\" alt=\"{}\"></a></div>",
            esc(site.name)
        )
    };
    let body = match site.style {
        // Chinese portals: div soup, links everywhere, a licence footer.
        Style::Portal => format!(
            "<body><div class=\"topbar\">{}<span class=\"fr\"><a href=\"/login\">{}</a> | <a href=\"/search\">{}</a></span></div>\
             {logo}\
             <div class=\"w1000 clearfix\"><div class=\"fl w660\">{}</div><div class=\"fr w310\">{}</div></div>\
             <div class=\"footer\"><p>{}</p><p>{}</p></div>{}\
             <script src=\"/js/stat.js\"></script></body></html>",
            nav(ctx), esc(lex.login), esc(lex.search), doc.main, boxes("box"), portal_links(site), footer_text(ctx), doc.tail
        ),
        Style::Classic => format!(
            "<body><header class=\"site-header\"><a class=\"logo\" href=\"/\">{}</a><nav class=\"main-nav\">{}</nav></header>\
             <div class=\"container\"><main id=\"content\">{}</main><aside class=\"sidebar\">{}</aside></div>\
             <footer class=\"site-footer\"><p>{}</p></footer>{}</body></html>",
            esc(site.name), nav(ctx), doc.main, boxes("widget"), footer_text(ctx), doc.tail
        ),
        Style::Modern => format!(
            "<body><a class=\"skip\" href=\"#main\">Skip</a><div class=\"masthead\" role=\"banner\"><a href=\"/\" class=\"brand\">{}</a><div role=\"navigation\" class=\"menu\">{}</div></div>\
             <main id=\"main\">{}</main><section class=\"more\">{}</section>\
             <div class=\"colophon\" role=\"contentinfo\">{}</div>{}</body></html>",
            esc(site.name), nav(ctx), doc.main, boxes("rail"), footer_text(ctx), doc.tail
        ),
        Style::NextApp => format!(
            "<body><div id=\"__next\"><header><a href=\"/\">{}</a><nav>{}</nav></header><main>{}</main><div class=\"recirc\">{}</div><footer>{}</footer></div>{}\
             <script src=\"/_next/static/chunks/main-3f9a1c.js\" defer></script></body></html>",
            esc(site.name), nav(ctx), doc.main, boxes("recirc-list"), footer_text(ctx), doc.tail
        ),
        Style::Blog => format!(
            "<body><div id=\"wrapper\"><div id=\"header\"><h1 class=\"site-title\"><a href=\"/\">{}</a></h1><div class=\"menu\">{}</div></div>\
             <div id=\"content\">{}</div><div id=\"sidebar\">{}</div><div id=\"footer\">{}</div></div>{}</body></html>",
            esc(site.name), nav(ctx), doc.main, boxes("sidebar-box"), footer_text(ctx), doc.tail
        ),
        Style::Wire => format!(
            "<body><header><a href=\"/\">{}</a> <nav>{}</nav></header><div class=\"page\">{}</div><div class=\"latest\">{}</div><footer>{}</footer>{}</body></html>",
            esc(site.name), nav(ctx), doc.main, boxes("wire-list"), footer_text(ctx), doc.tail
        ),
        // A single-page app: the content is drawn by scripts.
        Style::Spa => "<body><noscript>You need to enable JavaScript to run this app.</noscript><div id=\"root\"></div>\
             <script src=\"/static/js/2.8e3a1b2c.chunk.js\"></script><script src=\"/static/js/main.5f1d2a3b.chunk.js\"></script></body></html>".to_string(),
        // Platforms: little chrome.
        Style::WeChat => format!("<body id=\"activity-detail\" class=\"zh_CN\">{}{}</body></html>", doc.main, doc.tail),
        Style::Weibo => format!(
            "<body><div class=\"n\"><a href=\"/\">首页</a> <a href=\"/hot\">热门</a> <a href=\"/search\">搜索</a></div>{}<div class=\"b\">设置 | 帮助 | 反馈 | 新浪通行证</div>{}</body></html>",
            doc.main, doc.tail
        ),
    };
    head + &body
}

fn date_iso(a: &Article) -> String {
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:00+08:00",
        a.date.0,
        a.date.1,
        a.date.2,
        6 + a.id % 14,
        a.id % 60
    )
}

fn date_shown(a: &Article) -> String {
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}",
        a.date.0,
        a.date.1,
        a.date.2,
        6 + a.id % 14,
        a.id % 60
    )
}

/// The title of a page of the site: "{t} - {site}" in the site's manner.
pub fn titled(site: &Site, t: &str) -> String {
    match site.style {
        Style::Portal => format!("{t}_{}", site.name),
        Style::WeChat | Style::Weibo => t.to_string(),
        Style::Classic | Style::Blog => format!("{t} | {}", site.name),
        _ => format!("{t} - {}", site.name),
    }
}

/// An article page (`paras` already cut for briefs and paywalls).
pub fn article(ctx: &mut Ctx, a: &Article) -> String {
    let site = ctx.site;
    let lex = ctx.lex();
    let url = format!("http://{}{}", site.host, site.path_of(a));
    let section = lex.sections[a.section % lex.sections.len()].1;
    let paywalled = a.variant == Variant::Paywalled;
    let paras: Vec<&String> = if paywalled {
        a.paras.iter().take(2).collect()
    } else {
        a.paras.iter().collect()
    };
    let body: String = if a.variant == Variant::Gallery {
        let n = a.paras.len() - 1;
        let mut b = format!("<p class=\"lead\">{}</p>", esc(&a.paras[0]));
        for (i, cap) in a.paras[1..].iter().enumerate() {
            b.push_str(&format!(
                "<figure class=\"slide\"><img src=\"/photo/{}/{}.jpg\" alt=\"\" loading=\"lazy\" width=\"1200\" height=\"800\"><figcaption><span class=\"count\">{}/{n}</span> {}</figcaption></figure>",
                a.id,
                i + 1,
                i + 1,
                esc(cap)
            ));
        }
        b
    } else {
        paras.iter().map(|p| format!("<p>{}</p>", esc(p))).collect()
    };
    let paywall = if paywalled {
        format!(
            "<div class=\"paywall\"><p>{}</p><a class=\"button\" href=\"/subscribe?ref=article\">{}</a></div>",
            esc(lex.subscribe),
            esc(lex.login)
        )
    } else {
        String::new()
    };
    let byline = esc(&lex.byline.replace("{P}", &a.author));
    let mut head = format!(
        "<meta name=\"description\" content=\"{}\">",
        esc(&a.paras[0].chars().take(80).collect::<String>())
    );
    if a.variant == Variant::SelfRefresh {
        head.push_str(&format!(
            "<meta http-equiv=\"refresh\" content=\"300; url={}\">",
            esc(&url)
        ));
    }
    if matches!(site.meta, Meta::Og | Meta::Full) {
        head.push_str(&format!(
            "<link rel=\"canonical\" href=\"{}\"><meta property=\"og:title\" content=\"{}\"><meta property=\"og:type\" content=\"article\"><meta property=\"og:url\" content=\"{}\"><meta property=\"og:site_name\" content=\"{}\">",
            esc(&url), esc(&a.title), esc(&url), esc(site.name)
        ));
    }
    if site.meta == Meta::Full {
        let ld = json!({
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": a.title,
            "datePublished": date_iso(a),
            "author": [{"@type": "Person", "name": a.author}],
            "publisher": {"@type": "Organization", "name": site.name},
            "mainEntityOfPage": url,
            "isAccessibleForFree": !paywalled,
        });
        head.push_str(&format!(
            "<meta property=\"article:published_time\" content=\"{}\"><meta property=\"article:section\" content=\"{}\"><script type=\"application/ld+json\">{}</script>",
            date_iso(a), esc(section), ld
        ));
    }
    let mut rel_rng = Rng::with_seed(a.id);
    let related: Vec<&Article> = {
        let listed: Vec<&Article> = ctx.cat.listed().filter(|o| o.id != a.id).collect();
        (0..4)
            .map(|_| listed[rel_rng.usize(..listed.len())])
            .collect()
    };
    let related = format!(
        "<div class=\"related\"><h3>{}</h3><ul>{}</ul></div>",
        esc(lex.related),
        list(&related, site)
    );
    let (title, main, tail) = match site.style {
        Style::Portal if site.has(super::Quirk::GenericTitle) => (
            site.name.to_string(),
            format!(
                "<div class=\"path\"><a href=\"/\">{}</a> &gt; <a href=\"/{}/\">{}</a></div><div class=\"art_title\">{}</div>\
                 <div class=\"info\">{}{} 来源：{} {}</div><div class=\"content\" id=\"content\">{}{}</div><div class=\"editor\">(责任编辑：{})</div>{}",
                esc(lex.home), lex.sections[a.section % lex.sections.len()].0, esc(section), esc(&a.title),
                esc(lex.published), date_shown(a), esc(site.name), byline, body, paywall, esc(&a.author), related
            ),
            String::new(),
        ),
        Style::Portal => (
            titled(site, &a.title),
            format!(
                "<div class=\"path\"><a href=\"/\">{}</a> &gt; <a href=\"/{}/\">{}</a></div><h1 id=\"title\">{}</h1>\
                 <div class=\"info\">{}{} 来源：{} {}</div><div class=\"content\" id=\"content\">{}{}</div><div class=\"editor\">(责任编辑：{})</div>{}",
                esc(lex.home), lex.sections[a.section % lex.sections.len()].0, esc(section), esc(&a.title),
                esc(lex.published), date_shown(a), esc(site.name), byline, body, paywall, esc(&a.author), related
            ),
            String::new(),
        ),
        Style::Classic | Style::Blog => (
            titled(site, &a.title),
            format!(
                "<article class=\"post\"><header><p class=\"kicker\">{}</p><h1 class=\"headline\">{}</h1><p class=\"byline\">{}</p><time datetime=\"{}\">{} {}</time></header>\
                 <div class=\"article-body\">{}{}</div></article>{}",
                esc(section), esc(&a.title), byline, date_iso(a), esc(lex.published), date_shown(a), body, paywall, related
            ),
            String::new(),
        ),
        Style::Modern | Style::Wire | Style::Spa => (
            titled(site, &a.title),
            format!(
                "<article class=\"story\"><div class=\"story-kicker\">{}</div><h1>{}</h1><div class=\"story-meta\"><span class=\"author\">{}</span> · <span class=\"date\">{}</span></div>\
                 <section class=\"story-body\">{}{}</section></article>{}",
                esc(section), esc(&a.title), byline, date_shown(a), body, paywall, related
            ),
            String::new(),
        ),
        Style::NextApp => {
            let data = json!({
                "props": {"pageProps": {"article": {"id": a.id.to_string(), "title": a.title, "author": a.author,
                    "published": date_iso(a), "body": paras, "paywalled": paywalled}}, "__N_SSP": true},
                "page": "/article/[id]",
                "query": {"id": a.id.to_string()},
                "buildId": "k3Jd8xQ2",
                "isFallback": false,
                "gssp": true,
            });
            (
                titled(site, &a.title),
                format!(
                    "<article><h1>{}</h1><p class=\"byline\">{} · {}</p>{}{}</article>{}",
                    esc(&a.title), byline, date_shown(a), body, paywall, related
                ),
                format!("<script id=\"__NEXT_DATA__\" type=\"application/json\">{data}</script>"),
            )
        }
        Style::WeChat => (
            a.title.clone(),
            format!(
                "<div id=\"js_article\" class=\"rich_media\"><h1 class=\"rich_media_title\" id=\"activity-name\">{}</h1>\
                 <div id=\"meta_content\" class=\"rich_media_meta_list\"><span class=\"rich_media_meta rich_media_meta_text\">{}</span>\
                 <span class=\"rich_media_meta rich_media_meta_nickname\"><a id=\"js_name\">{}</a></span><em id=\"publish_time\">{}</em></div>\
                 <div class=\"rich_media_content\" id=\"js_content\">{}</div><div class=\"rich_media_tool\">阅读 {} 赞 {}</div></div>",
                esc(&a.title), esc(&a.author), esc(WECHAT_ACCOUNTS[(a.id % 3) as usize]), date_shown(a), body, 1000 + a.id % 9000, a.id % 500
            ),
            format!("<script>var msg_title = '{}'.html(false); var ct = \"{}\";</script>", esc(&a.title), a.id),
        ),
        Style::Weibo => (
            format!("{}的微博", WEIBO_USERS[(a.uid % 3) as usize]),
            format!(
                "<div class=\"c\" id=\"M_{}\"><div><a class=\"nk\" href=\"/u/{}\">{}</a><span class=\"ctt\">：{}</span></div>\
                 <div><span class=\"ct\">{} 来自 微博 weibo.com</span> 转发[{}] 评论[{}] 赞[{}]</div></div>",
                a.token, a.uid, WEIBO_USERS[(a.uid % 3) as usize], esc(&a.paras.join("")), date_shown(a), a.id % 300, a.id % 120, a.id % 900
            ),
            String::new(),
        ),
    };
    layout(
        ctx,
        Doc {
            title,
            head,
            main,
            tail,
            bare: false,
        },
    )
}

pub const WECHAT_ACCOUNTS: [&str; 3] = ["观察者说", "财经内参", "城市早知道"];
pub const WEIBO_USERS: [&str; 3] = ["头条新闻", "财经网", "某律师"];

/// The home page: the latest articles.
pub fn home(ctx: &mut Ctx) -> String {
    let site = ctx.site;
    let lex = ctx.lex();
    let latest: Vec<&Article> = ctx.cat.listed().rev().take(14).collect();
    let main = format!(
        "<div class=\"home\"><h2>{}</h2><ul class=\"headlines\">{}</ul></div>",
        esc(lex.latest),
        list(&latest, site)
    );
    let title = match site.style {
        Style::Portal => format!("{}_{}", site.name, lex.latest),
        _ => format!("{} – {}", site.name, lex.latest),
    };
    layout(
        ctx,
        Doc {
            title,
            main,
            ..Doc::default()
        },
    )
}

/// A section front.
pub fn section(ctx: &mut Ctx, index: usize) -> String {
    let site = ctx.site;
    let lex = ctx.lex();
    let label = lex.sections[index].1;
    let items: Vec<&Article> = ctx
        .cat
        .listed()
        .filter(|a| a.section % lex.sections.len() == index)
        .collect();
    let items = if items.is_empty() {
        ctx.cat.listed().take(6).collect()
    } else {
        items
    };
    let main = format!(
        "<div class=\"section\"><h1>{}</h1><ul>{}</ul></div>",
        esc(label),
        list(&items, site)
    );
    layout(
        ctx,
        Doc {
            title: titled(site, label),
            main,
            ..Doc::default()
        },
    )
}

/// Where the site's not-found wording stands on its error page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum At {
    Title,
    Heading,
    Both,
}

/// The site's own not-found page (its wording, or the language's).
pub fn not_found(ctx: &mut Ctx, at: At) -> String {
    let site = ctx.site;
    let lex = ctx.lex();
    let (nf_title, nf_text) = site.nf.unwrap_or((lex.nf_title, lex.nf_text));
    let title = match at {
        At::Title | At::Both => titled(site, nf_title),
        At::Heading => site.name.to_string(),
    };
    let heading = match at {
        At::Heading | At::Both => nf_title.to_string(),
        At::Title => "404".to_string(),
    };
    let main = format!(
        "<div class=\"error-page\"><h1>{}</h1><p>{}</p><p><a href=\"/\">{}</a> · <a href=\"/search\">{}</a></p></div>",
        esc(&heading),
        esc(nf_text),
        esc(lex.back_home),
        esc(lex.search)
    );
    layout(
        ctx,
        Doc {
            title,
            main,
            ..Doc::default()
        },
    )
}

/// The page some sites show for any path they have nothing for: their
/// template and a list of stories, no word of an error.
pub fn silent(ctx: &mut Ctx) -> String {
    let site = ctx.site;
    let lex = ctx.lex();
    let items: Vec<&Article> = ctx.cat.listed().take(10).collect();
    let main = format!(
        "<div class=\"stream\"><h2>{}</h2><ul>{}</ul></div>",
        esc(lex.latest),
        list(&items, site)
    );
    layout(
        ctx,
        Doc {
            title: site.name.to_string(),
            main,
            ..Doc::default()
        },
    )
}

/// A not-found page that repeats the path asked for and recommends other
/// stories, with teasers, different ones on every request.
pub fn echo(ctx: &mut Ctx, path: &str) -> String {
    let site = ctx.site;
    let picks = pick(ctx, 6);
    let mut cards = String::new();
    for a in picks {
        cards.push_str(&format!(
            "<div class=\"card\"><a href=\"{}\"><h3>{}</h3></a><p>{}</p></div>",
            esc(&site.path_of(a)),
            esc(&a.title),
            esc(&a.paras[0])
        ));
    }
    let main = format!(
        "<div class=\"lost\"><h1>Hmm, that didn't work</h1><p>We looked everywhere for <code>{}</code>, but it isn't here. Maybe one of these stories is what you were after:</p>{}</div>",
        esc(path),
        cards
    );
    layout(
        ctx,
        Doc {
            title: format!("{} | Stories that matter", site.name),
            main,
            ..Doc::default()
        },
    )
}

/// Search results for `q`: none.
pub fn search(ctx: &mut Ctx, q: &str) -> String {
    let site = ctx.site;
    let lex = ctx.lex();
    let main = format!(
        "<div class=\"search\"><form action=\"/search\"><input name=\"q\" value=\"{}\"><button>{}</button></form><p class=\"none\">{}</p></div>",
        esc(q),
        esc(lex.search),
        esc(&lex.no_results.replace("{Q}", q))
    );
    layout(
        ctx,
        Doc {
            title: titled(site, lex.search),
            main,
            ..Doc::default()
        },
    )
}

/// The sign-in form.
pub fn login(ctx: &mut Ctx) -> String {
    let site = ctx.site;
    let lex = ctx.lex();
    let main = format!(
        "<div class=\"login\"><h1>{}</h1><form method=\"post\" action=\"/account/login\"><input name=\"email\" type=\"email\"><input name=\"password\" type=\"password\"><button>{}</button></form></div>",
        esc(lex.login),
        esc(lex.login)
    );
    layout(
        ctx,
        Doc {
            title: titled(site, lex.login),
            main,
            bare: true,
            ..Doc::default()
        },
    )
}

/// A platform's short notice at an item's own URL (WeChat, Weibo,
/// broadcasters): the item was deleted, censored or expired.
pub fn notice(ctx: &mut Ctx, text: &str) -> String {
    let site = ctx.site;
    let lex = ctx.lex();
    match site.style {
        Style::WeChat => layout(ctx, Doc {
            title: String::new(),
            main: format!(
                "<div class=\"weui-msg\"><div class=\"weui-msg__icon-area\"><i class=\"weui-icon-info weui-icon_msg\"></i></div><div class=\"weui-msg__text-area\"><h2 class=\"weui-msg__title\">{}</h2></div></div>",
                esc(text)
            ),
            bare: true,
            ..Doc::default()
        }),
        Style::Weibo => layout(ctx, Doc {
            title: "微博".to_string(),
            main: format!("<div class=\"me\">{}</div><div class=\"c\">查看帮助：<a href=\"https://help.weibo.com/\">https://help.weibo.com/</a></div>", esc(text)),
            bare: true,
            ..Doc::default()
        }),
        _ => {
            let latest: Vec<&Article> = ctx.cat.listed().rev().take(8).collect();
            let main = format!(
                "<div class=\"expired\"><h1>{}</h1><p>Stories on {} are available for a limited time.</p><h2>{}</h2><ul>{}</ul></div>",
                esc(text),
                esc(site.name),
                esc(lex.latest),
                list(&latest, site)
            );
            layout(ctx, Doc { title: site.name.to_string(), main, ..Doc::default() })
        }
    }
}

/// Next.js' error page served with 200: the data names `page`.
pub fn next_error(ctx: &mut Ctx, page: &str) -> String {
    let site = ctx.site;
    let lex = ctx.lex();
    let data = json!({
        "props": {"pageProps": {"statusCode": 404}},
        "page": page,
        "query": {},
        "buildId": "k3Jd8xQ2",
        "isFallback": false,
        "gip": true,
    });
    let (title, main) = if page == "/_error" {
        (
            "404: This page could not be found".to_string(),
            "<div class=\"next-error\"><h1 class=\"next-error-h1\">404</h1><div><h2>This page could not be found.</h2></div></div>".to_string(),
        )
    } else {
        (
            site.name.to_string(),
            format!(
                "<div class=\"gone\"><h1>{}</h1><p><a href=\"/\">{}</a></p></div>",
                esc(site.nf.map_or(lex.nf_text, |n| n.1)),
                esc(lex.back_home)
            ),
        )
    };
    layout(
        ctx,
        Doc {
            title,
            main,
            tail: format!("<script id=\"__NEXT_DATA__\" type=\"application/json\">{data}</script>"),
            ..Doc::default()
        },
    )
}

/// A 200 page whose `<meta refresh>` sends readers home.
pub fn meta_refresh(ctx: &mut Ctx) -> String {
    let site = ctx.site;
    let lex = ctx.lex();
    layout(
        ctx,
        Doc {
            title: site.name.to_string(),
            head: "<meta http-equiv=\"refresh\" content=\"0; url=/\">".to_string(),
            main: format!(
                "<p>正在跳转到{}……</p><p><a href=\"/\">{}</a></p>",
                esc(site.name),
                esc(lex.back_home)
            ),
            bare: true,
            ..Doc::default()
        },
    )
}

/// A 200 page whose script sends readers home.
pub fn script_redirect(ctx: &mut Ctx) -> String {
    let site = ctx.site;
    layout(ctx, Doc {
        title: site.name.to_string(),
        main: "<div class=\"loading\">加载中，请稍候...</div>".to_string(),
        tail: "<script type=\"text/javascript\">setTimeout(function(){window.location.href=\"/\";}, 0);</script>".to_string(),
        bare: true,
        ..Doc::default()
    })
}

/// The empty article template of a CMS asked for an id it does not have.
pub fn blank(ctx: &mut Ctx) -> String {
    let site = ctx.site;
    let main = "<div class=\"path\"><a href=\"/\">首页</a> &gt; 信息公开</div><h1 id=\"title\"></h1><div class=\"info\">发布时间： 来源： 浏览次数：</div><div class=\"content\" id=\"content\"></div><div class=\"print\"><a href=\"javascript:window.print()\">【打印本页】</a> <a href=\"javascript:window.close()\">【关闭窗口】</a></div>".to_string();
    layout(
        ctx,
        Doc {
            title: format!(" - {}", site.name),
            main,
            ..Doc::default()
        },
    )
}

/// An alert and a step back: what some Korean CMSs answer for an article
/// they do not have.
pub fn js_alert(text: &str) -> String {
    format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body><script>alert('{text}'); history.back();</script></body></html>"
    )
}

/// A parked domain's page, its "related searches" new on each request.
pub fn parked(ctx: &mut Ctx, host: &str) -> String {
    let zh = ctx.site.lang == super::Lang::Zh;
    let terms = [
        "China news",
        "Breaking news today",
        "Newsletter",
        "Online news",
        "Business news",
        "World news",
        "Stock market",
        "VPN",
    ];
    let mut t: Vec<&str> = terms.to_vec();
    ctx.rng.shuffle(&mut t);
    let links: String = t
        .iter()
        .take(5)
        .map(|s| format!("<li><a href=\"/?q={}\">{s}</a></li>", s.replace(' ', "+")))
        .collect();
    let headline = if zh {
        "此域名正在出售，欢迎咨询"
    } else {
        "This domain may be for sale!"
    };
    let buy = if zh {
        "立即询价"
    } else {
        "Buy this domain"
    };
    format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{host}</title><script src=\"/js/parking.2.105.js\"></script></head>\
         <body><div class=\"container\"><h1 class=\"domain\">{host}</h1><div class=\"sale\"><h2>{headline}</h2><a href=\"/buy?domain={host}\">{buy}</a></div>\
         <div class=\"related\"><h3>Related Searches</h3><ul>{links}</ul></div>\
         <div class=\"footer\">Copyright © {host}. All rights reserved. | Privacy Policy</div></div></body></html>"
    )
}

pub fn cloudflare(host: &str, ray: u64) -> String {
    format!(
        "<!DOCTYPE html><html lang=\"en-US\"><head><title>Just a moment...</title><meta http-equiv=\"Content-Type\" content=\"text/html; charset=UTF-8\"><meta name=\"robots\" content=\"noindex,nofollow\"></head>\
         <body><div class=\"main-wrapper\" role=\"main\"><div class=\"main-content\"><h1 class=\"zone-name-title h1\">{host}</h1><h2 class=\"h2\" id=\"challenge-running\">Checking if the site connection is secure</h2>\
         <noscript><div class=\"h2\"><span id=\"challenge-error-text\">Enable JavaScript and cookies to continue</span></div></noscript>\
         <div id=\"challenge-body-text\" class=\"core-msg spacer\">{host} needs to review the security of your connection before proceeding.</div></div></div>\
         <script>(function(){{window._cf_chl_opt={{cvId: '3',cZone: \"{host}\",cType: 'managed',cRay: '{ray:x}'}};}}());</script>\
         <div class=\"footer\" role=\"contentinfo\"><div class=\"footer-inner\"><div class=\"clearfix diagnostic-wrapper\"><div class=\"ray-id\">Ray ID: <code>{ray:x}</code></div></div><div class=\"text-center\">Performance &amp; security by Cloudflare</div></div></div></body></html>"
    )
}

pub fn akamai(host: &str, path: &str, reference: u64) -> String {
    format!(
        "<HTML><HEAD>\n<TITLE>Access Denied</TITLE>\n</HEAD><BODY>\n<H1>Access Denied</H1>\n \nYou don't have permission to access \"http&#58;&#47;&#47;{host}{}\" on this server.<P>\nReference&#32;&#35;18&#46;{reference:x}&#46;1732{reference}&#46;{:x}\n<P>https&#58;&#47;&#47;errors&#46;edgesuite&#46;net&#47;18&#46;{reference:x}\n</BODY>\n</HTML>\n",
        path.replace('/', "&#47;"),
        reference / 7
    )
}

pub fn datadome(host: &str, cid: u64) -> String {
    format!(
        "<html lang=\"en\"><head><title>{host}</title><style>#cmsg{{animation: A 1.5s;}}</style></head><body style=\"margin:0\">\
         <p id=\"cmsg\">Please enable JS and disable any ad blocker</p>\
         <script data-cfasync=\"false\">var dd={{'rt':'c','cid':'AHrlqAAAAAMA{cid:X}','hsh':'2211F522B61E269B869FA6EAFFB5E1','t':'fe','s':44532,'e':'a1b2c3','host':'geo.captcha-delivery.com','cookie':'dd{cid:x}'}}</script>\
         <script data-cfasync=\"false\" src=\"https://ct.captcha-delivery.com/c.js\"></script></body></html>"
    )
}

pub fn imperva(incident: u64) -> String {
    format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Pardon Our Interruption</title></head><body>\
         <div class=\"container\"><h1>Pardon Our Interruption</h1><p>As you were browsing something about your browser made us think you were a bot. There are a few reasons this might happen:</p>\
         <ul><li>You're a power user moving through this website with super-human speed.</li><li>You've disabled cookies in your web browser.</li><li>A third-party browser plugin, such as Ghostery or NoScript, is preventing JavaScript from running.</li></ul>\
         <p>To regain access, please make sure that cookies and JavaScript are enabled before reloading the page.</p><p>Incident ID: {incident}-{}</p></div></body></html>",
        incident * 31
    )
}

pub fn enable_js(token: u64) -> String {
    format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title></title><script>var _0x{token:x}=function(){{document.cookie='acw_sc__v2={token:x};path=/';location.reload();}};</script></head>\
         <body><noscript><h1>Please enable JavaScript and cookies to continue</h1></noscript><div id=\"wait\">Please enable JavaScript and cookies to continue</div><script>setTimeout(_0x{token:x}, 50);</script></body></html>"
    )
}

pub const BASIC_AUTH: &str = "<html><head><title>401 Authorization Required</title></head><body><center><h1>401 Authorization Required</h1></center><hr><center>nginx</center></body></html>";

pub const GDPR_451: &str = "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Unavailable for legal reasons</title></head><body><h1>451: Unavailable for legal reasons</h1><p>We recognize you are attempting to access this website from a country belonging to the European Economic Area (EEA) including the EU which enforces the General Data Protection Regulation (GDPR) and therefore access cannot be granted at this time.</p><p>For any issues, contact the newsroom.</p></body></html>";

pub const TOO_MANY: &str = "<html><head><title>429 Too Many Requests</title></head><body><h1>Too Many Requests</h1><p>You have sent too many requests in a given amount of time. Please try again later.</p></body></html>";

pub fn server_error() -> String {
    "<!DOCTYPE html><html><head><title>500 Internal Server Error</title></head><body><h1>Internal Server Error</h1><p>The server encountered an internal error and was unable to complete your request. java.sql.SQLException: Connection is closed</p></body></html>".to_string()
}

pub fn gone_page(site: &Site) -> String {
    let lex = site.lang.lex();
    format!(
        "<!DOCTYPE html><html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{}</title></head><body><h1>410 – {}</h1><p><a href=\"/\">{}</a></p></body></html>",
        lex.code,
        esc(&titled(site, "410 Gone")),
        esc(site.name),
        esc(lex.back_home)
    )
}

/// A consent wall ("Before you continue"), its session new each time.
pub fn consent(site: &Site, serial: u64) -> String {
    format!(
        "<!DOCTYPE html><html lang=\"en-GB\"><head><meta charset=\"utf-8\"><title>Before you continue</title></head><body>\
         <div class=\"con-wizard\"><img src=\"/logo.svg\" alt=\"{name}\"><h1>We value your privacy</h1>\
         <p>{name} is part of a family of brands. We and our 842 partners store and/or access information on a device, such as cookies, and process personal data, such as unique identifiers and standard information sent by a device, for personalised advertising and content, advertising and content measurement, audience research and services development.</p>\
         <p>With your permission we and our partners may use precise geolocation data and identification through device scanning. You may click to consent to our and our partners' processing as described above. Alternatively you may access more detailed information and change your preferences before consenting or to refuse consenting.</p>\
         <form method=\"post\" action=\"/v2/collectConsent\"><input type=\"hidden\" name=\"sessionId\" value=\"3_cc-session_{serial:08x}\"><button name=\"agree\" value=\"agree\">Accept all</button><button name=\"reject\" value=\"reject\">Reject all</button><a href=\"/v2/partners\">Manage privacy settings</a></form></div></body></html>",
        name = esc(site.name)
    )
}

/// A tag page: "Thema: {word}" and the stories whose slug has the word
/// (the latest ones when none does).
pub fn tag(ctx: &mut Ctx, word: &str) -> String {
    let site = ctx.site;
    let word = super::percent_decode(word);
    let mut items: Vec<&Article> = ctx
        .cat
        .listed()
        .filter(|a| a.slug.split('-').any(|w| w == word))
        .collect();
    if items.is_empty() {
        items = ctx.cat.listed().rev().take(10).collect();
    }
    let mut chars = word.chars();
    let label: String = chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default();
    let main = format!(
        "<div class=\"topic\"><h1>Thema: {}</h1><p class=\"topic-intro\">Alle Artikel, Analysen und Hintergründe zum Thema {} im Überblick.</p><ul class=\"teasers\">{}</ul><a class=\"more\" href=\"?page=2\">Weitere Artikel laden</a></div>",
        esc(&label),
        esc(&label),
        list(&items, site)
    );
    layout(
        ctx,
        Doc {
            title: titled(site, &format!("{label}: Aktuelle News und Hintergründe")),
            main,
            ..Doc::default()
        },
    )
}

/// A CDN's error page on its own host, 200 for any path: the resource is
/// not there (request id new each time).
pub fn cdn_error(id: u64) -> String {
    format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>错误提示</title><style>body{{font-family:sans-serif;color:#333}}.box{{margin:80px auto;width:560px}}</style></head>\
         <body><div class=\"box\"><h2>您访问的资源不存在或已失效</h2><p>The requested resource is unavailable.</p>\
         <p class=\"code\">错误代码：404 &nbsp; 请求ID：{id:016x} &nbsp; 节点：hkg-edge-07</p>\
         <p class=\"foot\">Powered by EdgeShield CDN</p></div></body></html>"
    )
}

/// A taken-down article: the site's template at its own URL, titled with
/// the site's name, the notice where the story was.
pub fn unpublished(ctx: &mut Ctx, notice: &str) -> String {
    let site = ctx.site;
    let lex = ctx.lex();
    let latest: Vec<&Article> = ctx.cat.listed().rev().take(6).collect();
    let main = format!(
        "<div class=\"news-detail news-offline\"><div class=\"offline-box\"><img src=\"/static/img/empty-content.png\" alt=\"\"><p class=\"tip\">{}</p><p><a href=\"/\">{}</a></p></div>\
         <div class=\"more-news\"><h3>{}</h3><ul>{}</ul></div></div>",
        esc(notice),
        esc(lex.back_home),
        esc(lex.latest),
        list(&latest, site)
    );
    layout(
        ctx,
        Doc {
            title: site.name.to_string(),
            main,
            ..Doc::default()
        },
    )
}

/// Missing children the "公益404" page shows, one per request.
const CHILDREN: &[(&str, &str, &str, &str, &str)] = &[
    (
        "李某某",
        "男",
        "2012年03月14日",
        "2016年07月02日",
        "广东省东莞市长安镇",
    ),
    (
        "王某某",
        "女",
        "2009年11月08日",
        "2013年05月21日",
        "四川省成都市金牛区",
    ),
    (
        "张某某",
        "男",
        "2015年06月30日",
        "2018年10月12日",
        "河南省郑州市中原区",
    ),
    (
        "陈某某",
        "女",
        "2011年01月25日",
        "2014年08月09日",
        "贵州省毕节市七星关区",
    ),
    (
        "刘某某",
        "男",
        "2013年09月17日",
        "2017年02月28日",
        "福建省泉州市晋江市",
    ),
];

/// Tencent's "公益404" page, as sites copy it for their missing pages: a
/// missing child's notice, new on each request, and the script that
/// draws it.
pub fn gongyi(ctx: &mut Ctx, host: &str) -> String {
    let site = ctx.site;
    let (name, sex, born, lost, place) = CHILDREN[ctx.rng.usize(..CHILDREN.len())];
    format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{}</title><link rel=\"stylesheet\" href=\"//qzonestyle.gtimg.cn/qzone/hybrid/app/404/404.css\"></head>\
         <body><div class=\"mod_404\"><div class=\"wrapper\"><div class=\"mod_404_hd\"><p class=\"tit\">很抱歉，您访问的页面找不回来了</p><p class=\"desc\">但我们可以一起帮他们回家！</p></div>\
         <div class=\"mod_404_bd\"><img class=\"photo\" src=\"//qzonestyle.gtimg.cn/qzone/hybrid/app/404/child/{:x}.jpg\" alt=\"\">\
         <ul class=\"info\"><li>姓名：{name}</li><li>性别：{sex}</li><li>出生日期：{born}</li><li>失踪时间：{lost}</li><li>失踪地点：{place}</li><li>失踪人特征描述：身高约一米，圆脸，说当地方言。</li></ul>\
         <p class=\"more\"><a href=\"http://www.baobeihuijia.com/\">了解详情</a> · <a href=\"http://{host}/\">返回{}首页</a></p></div></div></div>\
         <script type=\"text/javascript\" src=\"//qzonestyle.gtimg.cn/qzone/hybrid/app/404/search_children.js\" charset=\"utf-8\" homePageUrl=\"http://{host}/\" homePageName=\"回到我的主页\"></script></body></html>",
        esc(site.name),
        ctx.rng.u32(..),
        esc(site.name)
    )
}

/// A 200 notice with a countdown that sends readers home (DedeCMS and
/// Discuz-style "提示信息" pages).
pub fn countdown(ctx: &mut Ctx, text: &str) -> String {
    let site = ctx.site;
    let lex = ctx.lex();
    layout(ctx, Doc {
        title: titled(site, "提示信息"),
        main: format!(
            "<div class=\"tip-box\"><h2>{}</h2><p><span id=\"sec\">5</span> 秒后自动返回首页，如果浏览器没有自动跳转，请 <a href=\"/\">点击这里</a></p><p><a href=\"/\">{}</a></p></div>",
            esc(text),
            esc(lex.back_home)
        ),
        tail: "<script type=\"text/javascript\">var s=5;var t=setInterval(function(){s--;document.getElementById('sec').innerHTML=s;if(s<=0){clearInterval(t);location.href='/';}},1000);</script>".to_string(),
        bare: true,
        ..Doc::default()
    })
}

/// The site map, titled with the site's name alone.
pub fn site_map(ctx: &mut Ctx) -> String {
    let site = ctx.site;
    let lex = ctx.lex();
    let mut main = String::from("<div class=\"sitemap\"><h1>Site Map</h1>");
    for (slug, label) in lex.sections {
        main.push_str(&format!(
            "<div class=\"sitemap-col\"><h2><a href=\"/{slug}/\">{}</a></h2><ul><li><a href=\"/{slug}/latest/\">Latest</a></li><li><a href=\"/{slug}/photos/\">Photos</a></li><li><a href=\"/{slug}/video/\">Video</a></li><li><a href=\"/{slug}/columns/\">Columns</a></li></ul></div>",
            esc(label)
        ));
    }
    main.push_str("<div class=\"sitemap-col\"><h2>Archives</h2><ul>");
    for i in 0..24 {
        let (y, m) = (2024 - i / 12, 12 - i % 12);
        main.push_str(&format!(
            "<li><a href=\"/archive/{y}/{m:02}/\">{y}-{m:02}</a></li>"
        ));
    }
    main.push_str("</ul></div><div class=\"sitemap-col\"><h2>About</h2><ul><li><a href=\"/about/\">About us</a></li><li><a href=\"/contact/\">Contact</a></li><li><a href=\"/advertise/\">Advertise</a></li><li><a href=\"/newsletters/\">Newsletters</a></li><li><a href=\"/corrections/\">Corrections</a></li><li><a href=\"/privacy/\">Privacy</a></li><li><a href=\"/terms/\">Terms of service</a></li></ul></div></div>");
    layout(
        ctx,
        Doc {
            title: site.name.to_string(),
            main,
            bare: true,
            ..Doc::default()
        },
    )
}

/// Cloudflare's firewall block (error 1020), 403.
pub fn cloudflare_blocked(host: &str, ray: u64) -> String {
    format!(
        "<!DOCTYPE html><html class=\"no-js\" lang=\"en-US\"><head><title>Attention Required! | Cloudflare</title><meta charset=\"UTF-8\"><meta name=\"robots\" content=\"noindex, nofollow\"><link rel=\"stylesheet\" id=\"cf_styles-css\" href=\"/cdn-cgi/styles/cf.errors.css\"></head>\
         <body><div id=\"cf-wrapper\"><div id=\"cf-error-details\" class=\"cf-error-details-wrapper\"><div class=\"cf-wrapper cf-header cf-error-overview\"><h1 data-translate=\"block_headline\">Sorry, you have been blocked</h1><h2 class=\"cf-subheadline\"><span data-translate=\"unable_to_access\">You are unable to access</span> {host}</h2></div>\
         <div class=\"cf-section cf-highlight\"><div class=\"cf-wrapper\"><div class=\"cf-screenshot-container cf-screenshot-full\"><span class=\"cf-no-screenshot error\"></span></div></div></div>\
         <div class=\"cf-section cf-wrapper\"><div class=\"cf-columns two\"><div class=\"cf-column\"><h2 data-translate=\"blocked_why_headline\">Why have I been blocked?</h2><p data-translate=\"blocked_why_detail\">This website is using a security service to protect itself from online attacks. The action you just performed triggered the security solution. There are several actions that could trigger this block including submitting a certain word or phrase, a SQL command or malformed data.</p></div>\
         <div class=\"cf-column\"><h2 data-translate=\"blocked_resolve_headline\">What can I do to resolve this?</h2><p data-translate=\"blocked_resolve_detail\">You can email the site owner to let them know you were blocked. Please include what you were doing when this page came up and the Cloudflare Ray ID found at the bottom of this page.</p></div></div></div>\
         <div class=\"cf-error-footer cf-wrapper w-240 lg:w-full py-10 sm:py-4 sm:px-8 mx-auto text-center sm:text-left border-solid border-0 border-t border-gray-300\"><p class=\"text-13\"><span class=\"cf-footer-item sm:block sm:mb-1\">Cloudflare Ray ID: <strong class=\"font-semibold\">{ray:x}</strong></span><span class=\"cf-footer-separator sm:hidden\">&bull;</span><span id=\"cf-footer-item-ip\" class=\"cf-footer-item hidden sm:block sm:mb-1\">Your IP: <button type=\"button\" id=\"cf-footer-ip-reveal\" class=\"cf-footer-ip-reveal-btn\">Click to reveal</button></span><span class=\"cf-footer-separator sm:hidden\">&bull;</span><span class=\"cf-footer-item sm:block sm:mb-1\"><span>Performance &amp; security by</span> <a rel=\"noopener noreferrer\" href=\"https://www.cloudflare.com/5xx-error-landing\" id=\"brand_link\" target=\"_blank\">Cloudflare</a></span></p></div></div></div></body></html>"
    )
}

/// Wordfence's block page (WordPress), 503.
pub fn wordfence(site: &super::Site, host: &str, n: u64) -> String {
    format!(
        "<!DOCTYPE html><html><head><meta charset=\"UTF-8\"><title>{} &lsaquo; Your access to this site has been limited</title><meta name=\"robots\" content=\"noindex, nofollow\"></head>\
         <body><div class=\"container\"><h1>Your access to this site has been limited by the site owner</h1>\
         <p>Your access to this service has been limited. (HTTP response code 503)</p>\
         <p>If you think you have been blocked in error, contact the owner of this site for assistance.</p>\
         <h2>Block Technical Data</h2><table border=\"0\" cellspacing=\"0\" cellpadding=\"0\" class=\"block-data\">\
         <tr><th class=\"reason\">Block Reason:</th><td class=\"reason\">Access from your area has been temporarily limited for security reasons.</td></tr>\
         <tr><th class=\"time\">Time:</th><td class=\"time\">Tue, 12 Nov 2024 {:02}:{:02}:{:02} GMT</td></tr></table>\
         <h2>About Wordfence</h2><p>Wordfence is a security plugin installed on over 4 million WordPress sites. The owner of this site is using Wordfence to manage access to their site.</p>\
         <p>You can also read the documentation to learn about Wordfence's blocking tools, or visit wordfence.com to learn more about Wordfence.</p>\
         <p class=\"generated\">Generated by Wordfence at Tue, 12 Nov 2024 {:02}:{:02}:{:02} GMT.<br>Your computer's time: <span id=\"wf-time\"></span>.</p><p>http://{host}/</p></div></body></html>",
        esc(site.name),
        n % 24,
        n / 24 % 60,
        n / 1440 % 60,
        n % 24,
        n / 24 % 60,
        n / 1440 % 60
    )
}

/// A Chinese rate limiter's page, served with 200.
pub fn throttled_zh(n: u64) -> String {
    format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>提示</title><style>.wrap{{width:600px;margin:100px auto;text-align:center}}</style></head>\
         <body><div class=\"wrap\"><img src=\"/static/img/warn.png\" alt=\"\"><h2>您的访问过于频繁，请稍后再试</h2>\
         <p>系统检测到您的IP（93.184.215.14）在短时间内访问次数过多，为保障网站正常运行，请 10 分钟后再访问。</p>\
         <p>如有疑问，请联系网站管理员。事件编号：{n:x}</p></div></body></html>"
    )
}
