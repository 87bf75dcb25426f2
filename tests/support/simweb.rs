//! A simulated web of news sites, for grading verdicts (issue 10).
//!
//! One local server acts as an HTTP proxy: the checker is pointed at it
//! with [`SimWeb::options`], and every request (`GET http://host/path`)
//! is answered by the site of that host. A site is a function of the
//! request — host, path, query, method, and how often that path was asked
//! for — never a table of URLs: it has a catalog of articles drawn from a
//! seeded generator, routes any path by its own rules (as real sites do),
//! and answers what it does not have the way that site does: an honest
//! 404, a 200 "page not found" in its language, a redirect home, the home
//! page itself, a Next.js error page, a removal notice...
//!
//! Every site has a *kind* (see `sites.rs`), and the corpus
//! ([`SimWeb::cases`]) lists URLs of its live and missing articles, each
//! with the verdict a careful editor would give it.
//!
//! Nothing here knows how the checker works: probes of pages that cannot
//! exist get whatever the site answers for any other missing page.

#![allow(dead_code)]

pub mod lang;
pub mod pages;
pub mod sites;

use citevault::check::{CheckOptions, Lookup, LookupError, NameLookup};
use citevault::model::CheckStatus;
use fastrand::Rng;
pub use lang::Lang;
use pages::{At, Ctx};
use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// The fixed seed of the whole simulated web.
pub const SEED: u64 = 0x5EED_C17E_0010;

/// The public address every simulated name resolves to (the proxy
/// answers; nothing is ever sent there).
pub const PUBLIC_ADDR: &str = "93.184.215.14";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Charset {
    Utf8,
    /// GBK, declared in the Content-Type header or only in the page.
    Gbk {
        header: bool,
    },
    Big5 {
        header: bool,
    },
}

/// A site's template family.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Portal,
    Classic,
    Modern,
    NextApp,
    Blog,
    Wire,
    WeChat,
    Weibo,
    /// A single-page app: every page is the same empty shell
    /// (`<div id="root">`, "You need to enable JavaScript to run this
    /// app."); only the server-rendered `<head>` differs.
    Spa,
}

/// How much article metadata the site's articles carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Meta {
    /// A title and a description.
    Bare,
    /// Open Graph (`og:type` article) and a canonical link.
    Og,
    /// That, a publication time and JSON-LD `NewsArticle`.
    Full,
}

/// How a slug next to an id is treated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlugPolicy {
    /// Any slug shows the article (the id is all that counts).
    Ignore,
    /// The slug must be the article's.
    Strict,
}

/// The site's URL scheme: how articles are addressed and paths routed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    /// `/{section}/{yyyy}-{mm}/{dd}/c_{id}.htm`
    Xinhua,
    /// `/n1/{yyyy}/{mmdd}/c{code}-{id}.html`
    People,
    /// `/news/{section}/{yyyymmdd}{nnnn}.aspx`
    Cna,
    /// `/article/{id}/{slug}`
    IdSlug(SlugPolicy),
    /// `/{section}/{yyyy}/{mm}/{dd}/{slug}.html`, or with `slash`
    /// `/{yyyy}/{mm}/{dd}/{slug}/`
    DateSlug { slash: bool },
    /// `/news/{section}-{id}`
    SectionId,
    /// `{path}?{param}={id}`
    QueryId {
        path: &'static str,
        param: &'static str,
    },
    /// `/s/{token}`
    WeChat,
    /// `/{uid}/{mid}`
    Weibo,
}

/// Where a site sends readers of a missing article.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Home,
    /// The section the path names.
    Section,
    /// `/404.html`, which answers 200.
    Page404,
    /// `/error?code=404`, which answers 200.
    ErrorQuery,
    /// `/account/login?return=…`
    Login,
    /// `/search?q=…` (no results)
    Search,
    /// The article whose slug shares most words with the path (the home
    /// page when none does), as "redirect 404s to similar posts" plugins
    /// do.
    Similar,
    /// The tag page of the path's longest slug word (`/thema/{word}/`, a
    /// list of stories, 200).
    Tag,
    /// Another host, a CDN's error page (`http://{host}/404.html?…`,
    /// which answers 200 for any path).
    ErrorHost(&'static str),
}

/// What a site answers for an article it does not have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Missing {
    /// 404 with the site's branded error page.
    NotFound,
    /// 410.
    Gone,
    /// 200 with the site's "page not found" wording in the title, the
    /// heading, or both.
    ErrorPage(At),
    /// 200 with the site's template and a list of stories, no error word.
    Silent,
    /// 200 repeating the path, with recommendations new on every request.
    Echo,
    /// A redirect (status, target).
    Redirect(u16, Target),
    /// 200 with `<meta http-equiv="refresh">` to the home page.
    MetaRefresh,
    /// 200 with `window.location.href = "/"`.
    Script,
    /// 200 with Next.js data naming this page (`/404`, `/_error`).
    Next(&'static str),
    /// The home page itself, 200, at the missing URL.
    Home,
    /// 200 with a short platform notice.
    Notice(&'static str),
    /// 200 with the article template, empty.
    Blank,
    /// 200 with a script alerting this and going back.
    JsAlert(&'static str),
    /// 200 with Tencent's "公益404" page: a missing child's notice (a
    /// different child on every request) instead of the site's own words.
    Gongyi,
    /// 200 with this notice and a countdown script sending readers home.
    Countdown(&'static str),
    /// 200, titled with the site's name: the site map.
    SiteMap,
    /// 200 with an empty body.
    Empty,
    /// 200 with the template and a list of stories, and a `Refresh: 0;
    /// url=/` header.
    RefreshHeader,
}

/// What a site answers to every request, whatever the path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wall {
    /// A parked, for-sale domain: the outlet is gone.
    Parked,
    /// Cloudflare's "Just a moment..." with this status.
    Cloudflare(u16),
    /// Akamai's 403 "Access Denied … Reference #18.…".
    Akamai,
    /// DataDome's captcha, 403.
    DataDome,
    /// Imperva's "Pardon Our Interruption", 200.
    Imperva,
    /// "Please enable JavaScript and cookies to continue", 200.
    EnableJs,
    /// 401 with Basic authentication.
    BasicAuth,
    /// 451 to visitors from the EU.
    Gdpr451,
    /// 429 with `Retry-After: 3600`.
    Throttle429,
    /// The name no longer resolves.
    NoDns,
    /// Cloudflare's firewall block, 403: "Sorry, you have been blocked".
    CloudflareBlock,
    /// Wordfence (WordPress): "Your access to this site has been limited
    /// by the site owner", 503.
    Wordfence,
    /// A Chinese rate limiter's "您的访问过于频繁，请稍后再试", 200.
    Throttle200,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quirk {
    /// The first request for each path gets this status (429 with
    /// `Retry-After: 1`, or 503), later ones the page.
    FirstHit(u16),
    /// HEAD is refused with 405 (GET works).
    HeadRefused,
    /// Bodies are gzipped when the client accepts it.
    Gzip,
    /// The bare domain redirects to `www.`; citations use the bare one.
    WwwCanonical,
    /// A path without a trailing slash redirects to the slashed one;
    /// citations leave the slash out.
    SlashRedirect,
    /// The outlet moved here from this domain, which redirects every path
    /// (301) to the same path here; citations use the old domain.
    MovedFrom(&'static str),
    /// Every page goes through a consent wall: 302 to
    /// `consent.{domain}/v2/collectConsent?sessionId=…`, a 200 "Before
    /// you continue" page.
    ConsentWall,
    /// Every page carries a script sending mobile browsers to `m.{domain}`.
    MobileScript,
    /// Tracking parameters are stripped by a redirect to the clean URL.
    StripQuery,
    /// Bad SEO: every article is titled with the site's name alone, the
    /// `<h1>` is the logo, the headline a `<div>`.
    GenericTitle,
    /// Every page's sidebar has this search widget (heading, text), e.g.
    /// "Page not found? Try search".
    SearchWidget(&'static str, &'static str),
}

/// What an article of the catalog is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variant {
    Normal,
    /// About 300 characters of text.
    Brief,
    /// A teaser and a call to subscribe.
    Paywalled,
    /// A live story whose headline says "not found", "404", "deleted"…
    Alarm,
    /// Cited at its old address, which redirects (301) to the new one.
    Moved,
    /// A notice at the item's own URL: deleted, censored, expired.
    Removed {
        kind: &'static str,
        notice: &'static str,
    },
    /// Members only: redirects to the login page.
    MembersOnly,
    /// On a broken archive backend: 500 every time.
    Broken,
    /// Cited with newsletter tracking parameters (`?utm_source=…`).
    Tracked,
    /// Reloads itself every few minutes (`<meta http-equiv="refresh"
    /// content="300; url={itself}">`), as live pages and portals do.
    SelfRefresh,
    /// A photo gallery: a one-sentence lead, a dozen images, a caption
    /// under every third.
    Gallery,
    /// Taken down: the site's template at the article's own URL, titled
    /// with the site's name, with this notice ("该文章已下线").
    Unpublished {
        notice: &'static str,
    },
}

impl Variant {
    /// The corpus kind of URLs of this variant (`None`: the site's kind).
    pub fn kind(self) -> Option<&'static str> {
        match self {
            Variant::Normal => None,
            Variant::Brief => Some("live-brief"),
            Variant::Paywalled => Some("live-paywalled"),
            Variant::Alarm => Some("live-alarm-title"),
            Variant::Moved => Some("moved-301"),
            Variant::Removed { kind, .. } => Some(kind),
            Variant::MembersOnly => Some("members-only-login"),
            Variant::Broken => Some("archive-500"),
            Variant::Tracked => Some("live-tracking-query"),
            Variant::SelfRefresh => Some("live-meta-refresh-self"),
            Variant::Gallery => Some("live-gallery"),
            Variant::Unpublished { .. } => Some("unpublished-notice"),
        }
    }

    /// The verdict a careful editor gives a citation of it.
    pub fn expected(self) -> CheckStatus {
        match self {
            Variant::Removed { .. } | Variant::Unpublished { .. } => CheckStatus::Soft404,
            Variant::MembersOnly => CheckStatus::Blocked,
            Variant::Broken => CheckStatus::Error,
            _ => CheckStatus::Alive,
        }
    }
}

/// How many URLs of a site the corpus cites.
#[derive(Debug, Clone, Copy)]
pub struct Plan {
    /// Normal live articles.
    pub live: usize,
    /// Articles the site does not have.
    pub missing: usize,
    /// Articles of other variants, and how many of each.
    pub extra: &'static [(Variant, usize)],
}

/// One site of the simulated web.
#[derive(Debug, Clone, Copy)]
pub struct Site {
    /// Its canonical host name.
    pub host: &'static str,
    pub name: &'static str,
    /// What kind of site behaviour it stands for.
    pub kind: &'static str,
    pub lang: Lang,
    pub style: Style,
    pub route: Route,
    pub meta: Meta,
    pub charset: Charset,
    pub missing: Missing,
    pub wall: Option<Wall>,
    pub quirks: &'static [Quirk],
    /// Its "most read" / "recommended" boxes change on every request.
    pub rotating: bool,
    /// Its own not-found wording (heading, text), else the language's.
    pub nf: Option<(&'static str, &'static str)>,
    pub plan: Plan,
}

impl Site {
    /// A site with the most common traits; the table changes what differs.
    pub const fn base(
        host: &'static str,
        name: &'static str,
        kind: &'static str,
        lang: Lang,
    ) -> Site {
        Site {
            host,
            name,
            kind,
            lang,
            style: Style::Classic,
            route: Route::DateSlug { slash: false },
            meta: Meta::Full,
            charset: Charset::Utf8,
            missing: Missing::NotFound,
            wall: None,
            quirks: &[],
            rotating: false,
            nf: None,
            plan: Plan {
                live: 4,
                missing: 3,
                extra: &[],
            },
        }
    }

    pub fn has(&self, q: Quirk) -> bool {
        self.quirks.contains(&q)
    }

    fn bare_host(&self) -> &'static str {
        self.host.strip_prefix("www.").unwrap_or(self.host)
    }

    /// Whether requests for `name` reach this site: its host, bare
    /// domain, consent and mobile hosts, and the domain it moved from.
    fn answers_for(&self, name: &str) -> bool {
        let bare = self.bare_host();
        name == self.host
            || name == bare
            || name.strip_prefix("consent.") == Some(bare)
            || name.strip_prefix("m.") == Some(bare)
            || self
                .quirks
                .iter()
                .any(|q| matches!(q, Quirk::MovedFrom(old) if *old == name))
            || matches!(self.missing, Missing::Redirect(_, Target::ErrorHost(h)) if h == name)
    }

    /// The path (and query) an article lives at.
    pub fn path_of(&self, a: &Article) -> String {
        let sections = self.lang.lex().sections;
        let sec = sections[a.section % sections.len()].0;
        let (y, m, d) = a.date;
        match self.route {
            Route::Xinhua => format!("/{sec}/{y:04}-{m:02}/{d:02}/c_{}.htm", a.id),
            Route::People => format!(
                "/n1/{y:04}/{m:02}{d:02}/c{}-{}.html",
                1001 + a.section % 8,
                a.id
            ),
            Route::Cna => format!("/news/{sec}/{}.aspx", a.id),
            Route::IdSlug(_) => format!("/article/{}/{}", a.id, a.slug),
            Route::DateSlug { slash: false } => {
                format!("/{sec}/{y:04}/{m:02}/{d:02}/{}.html", a.slug)
            }
            Route::DateSlug { slash: true } => format!("/{y:04}/{m:02}/{d:02}/{}/", a.slug),
            Route::SectionId => format!("/news/{sec}-{}", a.id),
            Route::QueryId { path, param } => format!("{path}?{param}={}", a.id),
            Route::WeChat => format!("/s/{}", a.token),
            Route::Weibo => format!("/{}/{}", a.uid, a.token),
        }
    }

    /// The URL a digest cites for an article.
    pub fn cited_url(&self, a: &Article) -> String {
        let moved_from = self.quirks.iter().find_map(|q| match q {
            Quirk::MovedFrom(old) => Some(*old),
            _ => None,
        });
        let host = match moved_from {
            Some(old) => old,
            None if self.has(Quirk::WwwCanonical) => self.bare_host(),
            None => self.host,
        };
        let mut path = match (&a.old_path, self.has(Quirk::SlashRedirect)) {
            (Some(old), _) => old.clone(),
            (None, true) => self.path_of(a).trim_end_matches('/').to_string(),
            (None, false) => self.path_of(a),
        };
        if a.variant == Variant::Tracked {
            path.push(if path.contains('?') { '&' } else { '?' });
            path.push_str("utm_source=newsletter&utm_medium=email&utm_campaign=china-watch");
        }
        format!("http://{host}{path}")
    }

    /// The verdict a careful editor gives the citation of an article of
    /// this site (`None`: one the site does not have).
    pub fn expected(&self, variant: Option<Variant>) -> CheckStatus {
        match self.wall {
            Some(Wall::Parked) => return CheckStatus::Soft404,
            Some(Wall::NoDns) => return CheckStatus::Dead,
            Some(_) => return CheckStatus::Blocked,
            None if self.has(Quirk::ConsentWall) => return CheckStatus::Blocked,
            None => {}
        }
        match variant {
            Some(v) => v.expected(),
            None => match self.missing {
                Missing::NotFound | Missing::Gone => CheckStatus::Dead,
                // Every other answer is the site's way of saying "not here".
                _ => CheckStatus::Soft404,
            },
        }
    }
}

/// The key a route finds an article by.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Key {
    Id(u64),
    Slug(String),
    Token(String),
}

fn key_of(route: Route, path: &str, query: Option<&str>) -> Option<Key> {
    let segs: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let last = *segs.last()?;
    let digits = |s: &str| -> Option<u64> {
        (!s.is_empty() && s.len() <= 18 && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())?
    };
    match route {
        Route::Xinhua => digits(last.strip_prefix("c_")?.strip_suffix(".htm")?).map(Key::Id),
        Route::People => {
            let stem = last.strip_suffix(".html")?.strip_prefix('c')?;
            digits(stem.split_once('-')?.1).map(Key::Id)
        }
        Route::Cna => digits(last.strip_suffix(".aspx")?).map(Key::Id),
        Route::IdSlug(_) => (segs.len() >= 2 && segs[0] == "article")
            .then(|| digits(segs[1]))?
            .map(Key::Id),
        Route::DateSlug { .. } => Some(Key::Slug(
            last.strip_suffix(".html").unwrap_or(last).to_string(),
        )),
        Route::SectionId => digits(last.rsplit('-').next()?).map(Key::Id),
        Route::QueryId { path: p, param } => {
            if path != p {
                return None;
            }
            query?
                .split('&')
                .find_map(|kv| kv.strip_prefix(param)?.strip_prefix('='))
                .and_then(digits)
                .map(Key::Id)
        }
        Route::WeChat => (segs.len() == 2 && segs[0] == "s").then(|| Key::Token(last.to_string())),
        Route::Weibo => (segs.len() == 2).then(|| Key::Token(last.to_string())),
    }
}

/// One article of a site's catalog.
#[derive(Debug, Clone)]
pub struct Article {
    pub id: u64,
    pub slug: String,
    pub token: String,
    pub uid: u64,
    pub date: (u32, u32, u32),
    pub section: usize,
    pub title: String,
    pub author: String,
    pub paras: Vec<String>,
    pub variant: Variant,
    /// The address it had before the site moved it.
    pub old_path: Option<String>,
}

impl Article {
    fn has_key(&self, key: &Key) -> bool {
        match key {
            Key::Id(id) => self.id == *id,
            Key::Slug(s) => self.slug == *s,
            Key::Token(t) => self.token == *t,
        }
    }
}

/// A site's articles, and the ones it never had (the corpus's missing
/// citations).
pub struct Catalog {
    pub articles: Vec<Article>,
    pub ghosts: Vec<Article>,
}

impl Catalog {
    /// Articles the site lists in its boxes and fronts.
    pub fn listed(&self) -> impl DoubleEndedIterator<Item = &Article> {
        self.articles.iter().filter(|a| {
            matches!(
                a.variant,
                Variant::Normal
                    | Variant::Alarm
                    | Variant::Brief
                    | Variant::Paywalled
                    | Variant::Tracked
                    | Variant::SelfRefresh
                    | Variant::Gallery
            )
        })
    }

    fn find(&self, key: &Key) -> Option<&Article> {
        self.articles.iter().find(|a| a.has_key(key))
    }

    fn has(list: &[Article], key: &Key) -> bool {
        list.iter().any(|a| a.has_key(key))
    }
}

fn fnv(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

const SLUG_WORDS: &[&str] = &[
    "china", "export", "controls", "rare", "earths", "chip", "trade", "taiwan", "talks", "beijing",
    "tariffs", "market", "debt", "property", "election", "security", "ministry", "warns", "plan",
    "economy", "growth", "factory", "protest", "court", "ruling", "energy", "deal", "summit",
    "visit", "military",
];

fn ascii_slug(title: &str, rng: &mut Rng) -> String {
    let mut s = String::new();
    for c in title.chars() {
        let c = match c {
            'à' | 'á' | 'â' | 'ä' | 'À' | 'Á' => 'a',
            'é' | 'è' | 'ê' | 'ë' | 'É' => 'e',
            'í' | 'ì' | 'î' => 'i',
            'ó' | 'ò' | 'ô' | 'ö' => 'o',
            'ú' | 'ù' | 'û' | 'ü' => 'u',
            'ñ' => 'n',
            'ç' => 'c',
            'ß' => 's',
            c => c,
        };
        if c.is_ascii_alphanumeric() {
            s.push(c.to_ascii_lowercase());
        } else if !s.ends_with('-') && !s.is_empty() {
            s.push('-');
        }
    }
    let s = s.trim_matches('-').to_string();
    if s.split('-').count() >= 3 {
        return s
            .chars()
            .take(70)
            .collect::<String>()
            .trim_end_matches('-')
            .to_string();
    }
    // Titles in other scripts: an English slug, as many sites have.
    let n = rng.usize(4..7);
    (0..n)
        .map(|_| SLUG_WORDS[rng.usize(..SLUG_WORDS.len())])
        .collect::<Vec<_>>()
        .join("-")
}

fn token(rng: &mut Rng, len: usize) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
    (0..len)
        .map(|_| ALPHABET[rng.usize(..62)] as char)
        .collect()
}

/// The articles a site has, and the ones it never had, from its seed.
pub fn catalog(site: &Site) -> Catalog {
    let mut rng = Rng::with_seed(SEED ^ fnv(site.host));
    let lang = site.lang;
    let mut variants: Vec<Variant> = vec![Variant::Normal; site.plan.live + 12];
    for (v, n) in site.plan.extra {
        variants.extend(std::iter::repeat_n(*v, *n));
    }
    // Interleave so variants are not all at the end of the archive.
    rng.shuffle(&mut variants);
    let total = variants.len() + site.plan.missing;
    let mut ghost_at: Vec<bool> = (0..total).map(|i| i < site.plan.missing).collect();
    rng.shuffle(&mut ghost_at);
    let mut id: u64 = match site.route {
        Route::Xinhua => 1_131_200_000 + rng.u64(..100_000),
        Route::People => 40_600_000 + rng.u64(..10_000),
        Route::IdSlug(_) => 8_030_000 + rng.u64(..1_000),
        Route::SectionId => 67_400_000 + rng.u64(..100_000),
        Route::QueryId { .. } => 512_000 + rng.u64(..1000),
        _ => rng.u64(1_000_000..9_000_000),
    };
    let mut date = (2023u32, 1 + rng.u32(..6), 1 + rng.u32(..28));
    let mut seq = 0u64;
    let (mut articles, mut ghosts) = (Vec::new(), Vec::new());
    let mut slugs = std::collections::HashSet::new();
    let mut variants = variants.into_iter();
    for is_ghost in ghost_at {
        let variant = if is_ghost {
            Variant::Normal
        } else {
            variants.next().unwrap_or(Variant::Normal)
        };
        // Advance the archive: a few days, a new id.
        let days = rng.u32(3..25);
        date.2 += days;
        while date.2 > 28 {
            date.2 -= 28;
            date.1 += 1;
            if date.1 > 12 {
                date.1 = 1;
                date.0 += 1;
            }
        }
        id += match site.route {
            Route::Xinhua => rng.u64(137..9000),
            Route::People => rng.u64(200..30_000),
            Route::IdSlug(_) => rng.u64(30..900),
            Route::SectionId => rng.u64(1000..60_000),
            Route::QueryId { .. } => rng.u64(3..400),
            _ => rng.u64(1..1000),
        };
        let the_id = match site.route {
            Route::Cna => {
                seq = (seq + rng.u64(1..90)) % 9000;
                u64::from(date.0) * 100_000_000
                    + u64::from(date.1) * 1_000_000
                    + u64::from(date.2) * 10_000
                    + seq
                    + 1
            }
            _ => id,
        };
        let title = if variant == Variant::Alarm {
            let list = lang.lex().alarm_headlines;
            // Sites of one language tell different stories.
            let nth = articles
                .iter()
                .filter(|a: &&Article| a.variant == Variant::Alarm)
                .count();
            list[(fnv(site.host) as usize + nth) % list.len()].to_string()
        } else if variant == Variant::Gallery {
            format!(
                "{}{}",
                lang::gallery_prefix(lang),
                lang::headline(lang, &mut rng)
            )
        } else {
            lang::headline(lang, &mut rng)
        };
        let mut slug = ascii_slug(&title, &mut rng);
        while !slugs.insert(slug.clone()) {
            slug.push_str(&format!("-{}", rng.u32(2..99)));
        }
        let paras = match (variant, site.style) {
            (Variant::Brief, _) => vec![lang::prose_of_length(lang, &mut rng, 280)],
            // A lead, then one caption per photo, most of them empty.
            (Variant::Gallery, _) => {
                let n = rng.usize(10..17);
                std::iter::once(lang::sentences(lang, &mut rng, 1))
                    .chain((0..n).map(|i| {
                        if i % 3 == 0 {
                            lang::sentences(lang, &mut rng, 1)
                        } else {
                            String::new()
                        }
                    }))
                    .collect()
            }
            // A post is a few sentences.
            (_, Style::Weibo) => vec![lang::sentences(lang, &mut rng, 2)],
            _ => (0..rng.usize(3..13))
                .map(|_| lang::paragraph(lang, &mut rng))
                .collect(),
        };
        let lex = lang.lex();
        let a = Article {
            id: the_id,
            slug,
            token: token(&mut rng, if site.route == Route::Weibo { 9 } else { 22 }),
            uid: [1_618_051_664u64, 1_642_088_277, 2_803_301_701][rng.usize(..3)],
            date,
            section: rng.usize(..lex.sections.len()),
            title,
            author: lex.people[rng.usize(..lex.people.len())].to_string(),
            paras,
            variant,
            old_path: (variant == Variant::Moved).then(|| {
                format!(
                    "/archive/{:04}{:02}{:02}/{}.shtml",
                    date.0,
                    date.1,
                    date.2,
                    rng.u32(100_000..999_999)
                )
            }),
        };
        if is_ghost {
            ghosts.push(a);
        } else {
            articles.push(a);
        }
    }
    Catalog { articles, ghosts }
}

/// One cited URL and the verdict it should get.
#[derive(Debug, Clone)]
pub struct Case {
    pub url: String,
    /// The behaviour it stands for: the site's kind, or its variant's.
    pub kind: String,
    pub expected: CheckStatus,
    pub host: &'static str,
}

/// The corpus of one site: its cited live articles, then its missing ones.
pub fn cases_of(site: &Site, cat: &Catalog) -> Vec<Case> {
    let mut out = Vec::new();
    let case = |a: &Article, variant: Option<Variant>| Case {
        url: site.cited_url(a),
        kind: variant
            .and_then(Variant::kind)
            .unwrap_or(site.kind)
            .to_string(),
        expected: site.expected(variant),
        host: site.host,
    };
    let normal: Vec<&Article> = cat
        .articles
        .iter()
        .filter(|a| a.variant == Variant::Normal)
        .collect();
    // Spread over the archive, not only its start.
    let step = (normal.len() / site.plan.live.max(1)).max(1);
    for a in normal.iter().step_by(step).take(site.plan.live) {
        out.push(case(a, Some(Variant::Normal)));
    }
    for a in cat.articles.iter().filter(|a| a.variant != Variant::Normal) {
        out.push(case(a, Some(a.variant)));
    }
    for g in &cat.ghosts {
        out.push(case(g, None));
    }
    out
}

/// A request as the proxy saw it.
#[derive(Debug, Clone)]
pub struct Request {
    pub method: String,
    pub host: String,
    pub path: String,
    pub query: Option<String>,
    pub accepts_gzip: bool,
    /// How many times this host, path and query were asked for, this one
    /// included.
    pub nth: u64,
    /// Requests to the whole web before this one.
    pub serial: u64,
}

impl Request {
    fn target(&self) -> String {
        match &self.query {
            Some(q) => format!("{}?{q}", self.path),
            None => self.path.clone(),
        }
    }
}

/// A response before it is written.
#[derive(Debug, Clone)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

fn plain(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Response {
    Response {
        status,
        headers: vec![("Content-Type".into(), content_type.into())],
        body: body.into(),
    }
}

fn redirect(status: u16, location: String) -> Response {
    Response {
        status,
        headers: vec![
            ("Location".into(), location),
            ("Content-Type".into(), "text/html".into()),
        ],
        body: b"<html><body>Moved</body></html>".to_vec(),
    }
}

/// A page of the site, in its charset.
fn page(site: &Site, status: u16, html: String) -> Response {
    let (body, label) = match site.charset {
        Charset::Utf8 => (html.into_bytes(), Some("utf-8")),
        Charset::Gbk { header } => (
            encoding_rs::GBK.encode(&html).0.into_owned(),
            header.then_some("GBK"),
        ),
        Charset::Big5 { header } => (
            encoding_rs::BIG5.encode(&html).0.into_owned(),
            header.then_some("Big5"),
        ),
    };
    let ct = match label {
        Some(l) => format!("text/html; charset={l}"),
        None => "text/html".to_string(),
    };
    plain(status, &ct, body)
}

/// A site with its catalog: answers requests.
pub struct Host {
    pub site: Site,
    pub cat: Catalog,
    seed: u64,
}

impl Host {
    fn ctx(&self, req: &Request) -> Ctx<'_> {
        let seed = if self.site.rotating {
            self.seed ^ req.serial.wrapping_mul(0x9E37_79B9_7F4A_7C15)
        } else {
            self.seed
        };
        Ctx {
            site: &self.site,
            cat: &self.cat,
            rng: Rng::with_seed(seed),
        }
    }

    /// The site's answer to `req`.
    pub fn answer(&self, req: &Request) -> Response {
        let site = &self.site;
        if let Missing::Redirect(_, Target::ErrorHost(h)) = site.missing {
            if req.host == h {
                return plain(
                    200,
                    "text/html; charset=utf-8",
                    pages::cdn_error(self.seed ^ req.serial.wrapping_mul(0x9E37_79B9)),
                );
            }
        }
        if req.method == "HEAD" && site.has(Quirk::HeadRefused) {
            let mut r = plain(405, "text/html", "<h1>405 Method Not Allowed</h1>");
            r.headers.push(("Allow".into(), "GET, POST".into()));
            return r;
        }
        let moved_from = site
            .quirks
            .iter()
            .any(|q| matches!(q, Quirk::MovedFrom(old) if *old == req.host));
        if moved_from || (site.has(Quirk::WwwCanonical) && req.host == site.bare_host()) {
            return redirect(301, format!("http://{}{}", site.host, req.target()));
        }
        if site.has(Quirk::ConsentWall) {
            if req.host.starts_with("consent.") {
                return plain(
                    200,
                    "text/html; charset=utf-8",
                    pages::consent(site, req.serial),
                );
            }
            let back = format!("http://{}{}", req.host, req.target());
            return redirect(
                302,
                format!(
                    "http://consent.{}/v2/collectConsent?sessionId=3_cc-session_{:08x}-{:04x}&lang=en-GB&inline=false&done={}",
                    site.bare_host(),
                    self.seed.wrapping_mul(req.serial + 1) >> 32,
                    req.serial,
                    percent_encoding::utf8_percent_encode(&back, percent_encoding::NON_ALPHANUMERIC)
                ),
            );
        }
        if let Some(wall) = site.wall {
            return self.wall(wall, req);
        }
        for q in site.quirks {
            if let Quirk::FirstHit(code) = q {
                if req.nth == 1 {
                    let mut r = plain(
                        *code,
                        "text/html",
                        format!("<h1>{code}</h1><p>Please retry.</p>"),
                    );
                    if *code == 429 {
                        r.headers.push(("Retry-After".into(), "1".into()));
                    }
                    return r;
                }
            }
        }
        let path = req.path.as_str();
        let last = path.rsplit('/').next().unwrap_or("");
        if site.has(Quirk::SlashRedirect) && !path.ends_with('/') && !last.contains('.') {
            return redirect(301, format!("http://{}{}/", req.host, path));
        }
        let mut ctx = self.ctx(req);
        let lex = site.lang.lex();
        match path {
            "/" | "/index.html" | "/index.shtml" => return page(site, 200, pages::home(&mut ctx)),
            "/robots.txt" => return plain(200, "text/plain", "User-agent: *\nDisallow: /search\n"),
            "/favicon.ico" => return plain(404, "text/html", "not found"),
            "/404.html" | "/error" => return page(site, 200, pages::not_found(&mut ctx, At::Both)),
            "/login" | "/account/login" => return page(site, 200, pages::login(&mut ctx)),
            "/search" => {
                let q = req
                    .query
                    .as_deref()
                    .and_then(|q| q.strip_prefix("q="))
                    .unwrap_or("");
                let q = percent_decode(q).replace('+', " ");
                return page(site, 200, pages::search(&mut ctx, &q));
            }
            _ => {}
        }
        if let (Some(word), Missing::Redirect(_, Target::Tag)) =
            (path.strip_prefix("/thema/"), site.missing)
        {
            return page(site, 200, pages::tag(&mut ctx, word.trim_end_matches('/')));
        }
        if let Some(i) = lex
            .sections
            .iter()
            .position(|(s, _)| path == format!("/{s}/"))
        {
            return page(site, 200, pages::section(&mut ctx, i));
        }
        if let Some(a) = self
            .cat
            .articles
            .iter()
            .find(|a| a.old_path.as_deref() == Some(path))
        {
            return redirect(301, format!("http://{}{}", site.host, site.path_of(a)));
        }
        let key = key_of(site.route, path, req.query.as_deref());
        match key.as_ref().and_then(|k| self.cat.find(k)) {
            Some(a)
                if site.path_of(a).split('?').next() == Some(path)
                    || site.route == Route::IdSlug(SlugPolicy::Ignore) =>
            {
                let tracked = req.query.as_deref().is_some_and(|q| q.contains("utm_"));
                if tracked && site.has(Quirk::StripQuery) {
                    return redirect(301, format!("http://{}{}", site.host, site.path_of(a)));
                }
                self.article(a, req, &mut ctx)
            }
            _ => {
                // The CMS remembers what it deleted (410); anything else is 404.
                let deleted = key.is_some_and(|k| Catalog::has(&self.cat.ghosts, &k));
                if site.missing == Missing::Gone && !deleted {
                    return page(site, 404, pages::not_found(&mut ctx, At::Both));
                }
                self.missing(req, &mut ctx)
            }
        }
    }

    fn article(&self, a: &Article, req: &Request, ctx: &mut Ctx) -> Response {
        let site = &self.site;
        match a.variant {
            Variant::MembersOnly => redirect(302, format!("/account/login?return={}", req.path)),
            Variant::Broken => plain(500, "text/html", pages::server_error()),
            Variant::Removed { notice, .. } => page(site, 200, pages::notice(ctx, notice)),
            Variant::Unpublished { notice } => page(site, 200, pages::unpublished(ctx, notice)),
            _ => page(site, 200, pages::article(ctx, a)),
        }
    }

    fn missing(&self, req: &Request, ctx: &mut Ctx) -> Response {
        let site = &self.site;
        match site.missing {
            Missing::NotFound => page(site, 404, pages::not_found(ctx, At::Both)),
            Missing::Gone => page(site, 410, pages::gone_page(site)),
            Missing::ErrorPage(at) => page(site, 200, pages::not_found(ctx, at)),
            Missing::Silent => page(site, 200, pages::silent(ctx)),
            Missing::Echo => page(site, 200, pages::echo(ctx, &req.path)),
            Missing::Redirect(code, target) => {
                let to = match target {
                    Target::Home => "/".to_string(),
                    Target::Section => {
                        let first = req.path.split('/').find(|s| !s.is_empty()).unwrap_or("");
                        if site.lang.lex().sections.iter().any(|(s, _)| *s == first) {
                            format!("/{first}/")
                        } else {
                            "/".to_string()
                        }
                    }
                    Target::Page404 => "/404.html".to_string(),
                    Target::ErrorQuery => "/error?code=404".to_string(),
                    Target::Login => format!("/account/login?return={}", req.path),
                    Target::Similar => {
                        let words = |s: &str| -> Vec<String> {
                            s.trim_end_matches(".html")
                                .split('-')
                                .filter(|w| w.len() > 3)
                                .map(str::to_string)
                                .collect()
                        };
                        let last = req
                            .path
                            .trim_end_matches('/')
                            .rsplit('/')
                            .next()
                            .unwrap_or("");
                        let wanted = words(last);
                        let shared = |a: &Article| {
                            words(&a.slug).iter().filter(|w| wanted.contains(w)).count()
                        };
                        // The latest of the most alike; none alike: home.
                        let best = self
                            .cat
                            .listed()
                            .filter(|a| shared(a) > 0)
                            .max_by_key(|a| shared(a));
                        best.map_or_else(|| "/".to_string(), |a| site.path_of(a))
                    }
                    Target::Search => {
                        let last = req
                            .path
                            .trim_end_matches('/')
                            .rsplit('/')
                            .next()
                            .unwrap_or("");
                        let words = last.trim_end_matches(".html").replace(['-', '_'], "+");
                        format!("/search?q={words}")
                    }
                    Target::Tag => {
                        let last = req
                            .path
                            .trim_end_matches('/')
                            .rsplit('/')
                            .next()
                            .unwrap_or("");
                        // The longest word of the slug (the first of equals).
                        let word = last
                            .trim_end_matches(".html")
                            .split('-')
                            .rev()
                            .max_by_key(|w| w.len())
                            .filter(|w| w.len() > 3)
                            .unwrap_or("china");
                        format!("/thema/{word}/")
                    }
                    Target::ErrorHost(h) => {
                        return redirect(
                            code,
                            format!(
                                "http://{h}/404.html?host={}&uri={}",
                                req.host,
                                percent_encoding::utf8_percent_encode(
                                    &req.target(),
                                    percent_encoding::NON_ALPHANUMERIC
                                )
                            ),
                        )
                    }
                };
                redirect(code, format!("http://{}{to}", req.host))
            }
            Missing::MetaRefresh => page(site, 200, pages::meta_refresh(ctx)),
            Missing::Script => page(site, 200, pages::script_redirect(ctx)),
            Missing::Next(p) => page(site, 200, pages::next_error(ctx, p)),
            Missing::Home => page(site, 200, pages::home(ctx)),
            Missing::Notice(text) => page(site, 200, pages::notice(ctx, text)),
            Missing::Blank => page(site, 200, pages::blank(ctx)),
            Missing::JsAlert(text) => plain(200, "text/html; charset=utf-8", pages::js_alert(text)),
            Missing::Gongyi => plain(
                200,
                "text/html; charset=utf-8",
                pages::gongyi(ctx, &req.host),
            ),
            Missing::Countdown(text) => page(site, 200, pages::countdown(ctx, text)),
            Missing::SiteMap => page(site, 200, pages::site_map(ctx)),
            Missing::Empty => plain(200, "text/html; charset=utf-8", Vec::new()),
            Missing::RefreshHeader => {
                let mut r = page(site, 200, pages::silent(ctx));
                r.headers.push(("Refresh".into(), "0; url=/".into()));
                r
            }
        }
    }

    fn wall(&self, wall: Wall, req: &Request) -> Response {
        let n = self.seed ^ req.serial.wrapping_mul(2_654_435_761);
        match wall {
            Wall::Parked => {
                let mut ctx = self.ctx(req);
                ctx.rng = Rng::with_seed(n);
                plain(
                    200,
                    "text/html; charset=utf-8",
                    pages::parked(&mut ctx, &req.host),
                )
            }
            Wall::Cloudflare(code) => {
                let mut r = plain(
                    code,
                    "text/html; charset=UTF-8",
                    pages::cloudflare(&req.host, n),
                );
                r.headers.push(("Server".into(), "cloudflare".into()));
                r.headers.push(("cf-mitigated".into(), "challenge".into()));
                r.headers.push(("CF-RAY".into(), format!("{n:x}-HKG")));
                r
            }
            Wall::Akamai => {
                let mut r = plain(
                    403,
                    "text/html",
                    pages::akamai(&req.host, &req.path, n % 0xffff_ffff),
                );
                r.headers.push(("Server".into(), "AkamaiGHost".into()));
                r
            }
            Wall::DataDome => {
                let mut r = plain(
                    403,
                    "text/html;charset=utf-8",
                    pages::datadome(&req.host, n),
                );
                r.headers.push(("X-DataDome".into(), "protected".into()));
                r
            }
            Wall::Imperva => plain(200, "text/html", pages::imperva(n % 1_000_000_000)),
            Wall::EnableJs => plain(200, "text/html", pages::enable_js(n)),
            Wall::BasicAuth => {
                let mut r = plain(401, "text/html", pages::BASIC_AUTH);
                r.headers
                    .push(("WWW-Authenticate".into(), "Basic realm=\"Staging\"".into()));
                r
            }
            Wall::Gdpr451 => plain(451, "text/html; charset=utf-8", pages::GDPR_451),
            Wall::Throttle429 => {
                let mut r = plain(429, "text/html", pages::TOO_MANY);
                r.headers.push(("Retry-After".into(), "3600".into()));
                r
            }
            Wall::NoDns => plain(502, "text/plain", "no such host"),
            Wall::CloudflareBlock => {
                let mut r = plain(
                    403,
                    "text/html; charset=UTF-8",
                    pages::cloudflare_blocked(&req.host, n),
                );
                r.headers.push(("Server".into(), "cloudflare".into()));
                r.headers.push(("CF-RAY".into(), format!("{n:x}-NRT")));
                r
            }
            Wall::Wordfence => plain(
                503,
                "text/html; charset=UTF-8",
                pages::wordfence(&self.site, &req.host, n),
            ),
            Wall::Throttle200 => plain(200, "text/html; charset=utf-8", pages::throttled_zh(n)),
        }
    }
}

fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

/// Resolves every simulated name to [`PUBLIC_ADDR`], except the names of
/// sites that no longer exist.
#[derive(Debug)]
pub struct SimLookup {
    pub gone: Vec<String>,
}

impl NameLookup for SimLookup {
    fn lookup(&self, host: &str) -> Lookup {
        let host = host.trim_end_matches('.').to_ascii_lowercase();
        let gone = self.gone.contains(&host);
        Box::pin(async move {
            if gone {
                Err(LookupError::NoSuchName("Name or service not known".into()))
            } else {
                Ok(vec![PUBLIC_ADDR.parse::<IpAddr>().expect("an address")])
            }
        })
    }
}

struct Web {
    hosts: Vec<Host>,
    hits: Mutex<HashMap<String, u64>>,
    serial: AtomicU64,
    log: Mutex<Vec<String>>,
}

impl Web {
    /// A request, counted.
    fn request(
        &self,
        method: &str,
        host: &str,
        path: &str,
        query: Option<&str>,
        accepts_gzip: bool,
    ) -> Request {
        let serial = self.serial.fetch_add(1, Ordering::SeqCst);
        let nth = {
            let mut hits = self.hits.lock().unwrap();
            let n = hits
                .entry(format!("{host}{path}?{}", query.unwrap_or("")))
                .or_insert(0);
            *n += 1;
            *n
        };
        Request {
            method: method.to_string(),
            host: host.to_ascii_lowercase(),
            path: path.to_string(),
            query: query.map(str::to_string),
            accepts_gzip,
            nth,
            serial,
        }
    }

    /// The answer of the request's site, content-encoded as the site does.
    fn respond(&self, req: &Request) -> Response {
        let Some(h) = self.host(&req.host) else {
            return plain(
                502,
                "text/plain",
                format!("proxy: unknown host {}", req.host),
            );
        };
        let mut resp = h.answer(req);
        if h.site.has(Quirk::Gzip) && req.accepts_gzip && !resp.body.is_empty() {
            use std::io::Write;
            let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            let _ = enc.write_all(&resp.body);
            if let Ok(z) = enc.finish() {
                resp.body = z;
                resp.headers
                    .push(("Content-Encoding".into(), "gzip".into()));
                resp.headers.push(("Vary".into(), "Accept-Encoding".into()));
            }
        }
        self.log.lock().unwrap().push(format!(
            "{} http://{}{} → {}",
            req.method,
            req.host,
            req.target(),
            resp.status
        ));
        resp
    }

    fn host(&self, name: &str) -> Option<&Host> {
        let name = name.to_ascii_lowercase();
        self.hosts.iter().find(|h| h.site.answers_for(&name))
    }
}

/// The running simulated web.
pub struct SimWeb {
    pub addr: SocketAddr,
    pub cases: Vec<Case>,
    web: Arc<Web>,
}

impl SimWeb {
    /// Builds every site of [`sites::SITES`] and starts the proxy.
    pub async fn start() -> SimWeb {
        Self::start_with(sites::SITES).await
    }

    /// The simulated web of `sites`, not listening: answers [`SimWeb::get`] only.
    pub fn offline(sites: &[Site]) -> SimWeb {
        let hosts: Vec<Host> = sites
            .iter()
            .map(|s| Host {
                site: *s,
                cat: catalog(s),
                seed: SEED ^ fnv(s.host),
            })
            .collect();
        let cases = hosts
            .iter()
            .flat_map(|h| cases_of(&h.site, &h.cat))
            .collect();
        let web = Arc::new(Web {
            hosts,
            hits: Mutex::new(HashMap::new()),
            serial: AtomicU64::new(0),
            log: Mutex::new(Vec::new()),
        });
        SimWeb {
            addr: SocketAddr::from(([0, 0, 0, 0], 0)),
            cases,
            web,
        }
    }

    /// Starts a simulated web of `sites` only.
    pub async fn start_with(sites: &[Site]) -> SimWeb {
        let SimWeb { cases, web, .. } = Self::offline(sites);
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind the simulated web");
        let addr = listener.local_addr().expect("an address");
        let w = web.clone();
        tokio::spawn(async move {
            while let Ok((sock, _)) = listener.accept().await {
                tokio::spawn(serve(sock, w.clone()));
            }
        });
        SimWeb { addr, cases, web }
    }

    /// Checker options for this web: through the proxy, names resolved by
    /// [`SimLookup`], quick politeness.
    pub fn options(&self) -> CheckOptions {
        let gone = self
            .web
            .hosts
            .iter()
            .filter(|h| h.site.wall == Some(Wall::NoDns))
            .flat_map(|h| [h.site.host.to_string(), h.site.bare_host().to_string()])
            .collect();
        CheckOptions {
            proxy: Some(format!("http://{}", self.addr)),
            lookup: Arc::new(SimLookup { gone }),
            dns_canaries: vec!["example.com".into()],
            host_interval: Duration::from_millis(1),
            retry_base: Duration::from_millis(5),
            timeout: Duration::from_secs(5),
            host_concurrency: 4,
            ..CheckOptions::default()
        }
    }

    /// Requests answered so far.
    pub fn requests(&self) -> u64 {
        self.web.serial.load(Ordering::SeqCst)
    }

    /// Every request so far, as "METHOD http://host/path → status".
    pub fn log(&self) -> Vec<String> {
        self.web.log.lock().unwrap().clone()
    }

    /// What the simulated web answers to `method url` (without the
    /// network; the request counts like any other).
    pub fn get(&self, method: &str, url: &str) -> Response {
        let u = url::Url::parse(url).expect("a URL");
        let host = u.host_str().unwrap_or("").to_string();
        let req = self.web.request(method, &host, u.path(), u.query(), false);
        self.web.respond(&req)
    }

    /// The site a host name belongs to.
    pub fn site(&self, host: &str) -> Option<&Site> {
        self.web.host(host).map(|h| &h.site)
    }

    /// The catalog of a host.
    pub fn catalog(&self, host: &str) -> Option<&Catalog> {
        self.web.host(host).map(|h| &h.cat)
    }
}

/// One proxy connection: requests in absolute form (or with a Host
/// header), answered in turn, kept alive until the client closes.
async fn serve(mut sock: TcpStream, web: Arc<Web>) {
    let mut buf: Vec<u8> = Vec::with_capacity(4096);
    loop {
        let head_end = loop {
            if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                break i + 4;
            }
            let mut chunk = [0u8; 4096];
            match sock.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            }
            if buf.len() > 64 * 1024 {
                return;
            }
        };
        let mut headers = [httparse::EMPTY_HEADER; 64];
        let mut parsed = httparse::Request::new(&mut headers);
        if !matches!(
            parsed.parse(&buf[..head_end]),
            Ok(httparse::Status::Complete(_))
        ) {
            let _ = sock
                .write_all(
                    b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                )
                .await;
            return;
        }
        let method = parsed.method.unwrap_or("GET").to_string();
        let target = parsed.path.unwrap_or("/").to_string();
        let header = |name: &str| {
            parsed
                .headers
                .iter()
                .find(|h| h.name.eq_ignore_ascii_case(name))
                .map(|h| String::from_utf8_lossy(h.value).into_owned())
        };
        let host_header = header("host").unwrap_or_default();
        let accepts_gzip = header("accept-encoding").is_some_and(|v| v.contains("gzip"));
        let close = header("connection").is_some_and(|v| v.eq_ignore_ascii_case("close"));
        let body_len: usize = header("content-length")
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(0);
        buf.drain(..head_end);
        while buf.len() < body_len {
            let mut chunk = [0u8; 4096];
            match sock.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            }
        }
        buf.drain(..body_len);
        let (host, path, query) = match url::Url::parse(&target) {
            Ok(u) => (
                u.host_str().unwrap_or("").to_string(),
                u.path().to_string(),
                u.query().map(str::to_string),
            ),
            Err(_) => {
                let host = host_header.split(':').next().unwrap_or("").to_string();
                let (p, q) = match target.split_once('?') {
                    Some((p, q)) => (p.to_string(), Some(q.to_string())),
                    None => (target.clone(), None),
                };
                (host, p, q)
            }
        };
        let req = web.request(&method, &host, &path, query.as_deref(), accepts_gzip);
        let resp = web.respond(&req);
        let mut out = format!("HTTP/1.1 {} {}\r\n", resp.status, reason(resp.status));
        for (k, v) in &resp.headers {
            out.push_str(&format!("{k}: {v}\r\n"));
        }
        out.push_str(&format!("Content-Length: {}\r\n", resp.body.len()));
        if close {
            out.push_str("Connection: close\r\n");
        }
        out.push_str("\r\n");
        let mut bytes = out.into_bytes();
        if method != "HEAD" {
            bytes.extend_from_slice(&resp.body);
        }
        if sock.write_all(&bytes).await.is_err() || close {
            return;
        }
    }
}

fn reason(code: u16) -> &'static str {
    match code {
        200 => "OK",
        301 => "Moved Permanently",
        302 => "Found",
        303 => "See Other",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        410 => "Gone",
        429 => "Too Many Requests",
        451 => "Unavailable For Legal Reasons",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        _ => "",
    }
}
