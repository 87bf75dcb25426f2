//! The verdict on a page that answered 2xx: is it the article, the site's
//! "not found" page in disguise (soft-404), or a wall in front of it?
//!
//! One model, three questions asked of every page, each answer a weighed
//! [`Clue`]:
//!
//! 1. **Where did we land?** ([`Landing`]) A redirect — by HTTP, by a
//!    `Refresh` header, `<meta refresh>` or script on a short page — to the
//!    home page, an error page, a search, a section or topic page, or
//!    another article of another date is strong evidence the article is
//!    gone, whatever that page holds; to a login or consent page, that we
//!    were kept out (unless the probe is sent there too).
//! 2. **What does the page say, and where?** Phrases of the table in
//!    `check::phrases`: a title or a short line of its own that is nothing
//!    but "Page not found" weighs much, the same words inside a long
//!    headline little, and in the text of a short page in between. Next.js data naming the 404 page, removal
//!    notices and parked-domain pages count too. Against them stands what
//!    makes a page an article: article metadata (`og:type`, a publication
//!    date, JSON-LD) and article-length text.
//! 3. **What does the site answer for a page that cannot exist?** (the
//!    probe, see `check::probe`) An honest 404 there speaks for the page;
//!    the same page, the same title and heading, the same template or the
//!    same redirect speaks against it. Length speaks for a page only where
//!    the site's not-found page is short.
//!
//! Bot walls are decided first (the article behind may be fine), then the
//! gone evidence minus the live evidence is compared with a threshold. The
//! `reason` names the clues that decided, strongest first.

use super::page::Page;
use super::phrases::Says;
use super::probe::{containment, resemblance, Likeness, ProbeOutcome};
use super::Fetched;
use crate::model::CheckStatus;
use std::collections::HashSet;
use url::Url;

/// Gone evidence, net of live evidence, at which a page is a soft-404.
const GONE_AT: f32 = 3.0;
/// Wall evidence at which a page is `blocked`.
const WALL_AT: f32 = 3.0;
/// Gone evidence so strong no probe could change the verdict.
const SETTLED_AT: f32 = 6.0;
/// Pages with fewer characters of visible text than this are "short":
/// phrases in their text count.
const SHORT_PAGE: usize = 1500;
/// A phrase covering at least this share of its title or heading segment
/// is what the title says, not a word in it.
const DOMINANT: f32 = 0.5;
/// A phrase covering at least this share of a short page's text is what
/// the page is about ("Sorry! Page not found. Back to home").
const DOMINANT_TEXT: f32 = 0.3;

/// One piece of evidence: how much it weighs and what it is, in words.
#[derive(Debug, Clone)]
pub(crate) struct Clue {
    pub weight: f32,
    pub says: String,
    /// A finding more specific than soft-404 (`removed-notice`,
    /// `parked-domain`), when this clue decides.
    pub tag: Option<&'static str>,
    /// What it was read from.
    pub source: Source,
}

/// What a clue was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Source {
    /// The page's phrases, structure or metadata.
    Page,
    /// The page's length (no evidence when the site's not-found pages
    /// are as long).
    Length,
    /// Where a redirect led (a probe redirected alike explains it).
    Landing,
    /// The probe (its exchange is kept as evidence).
    Probe,
}

fn clue(weight: f32, says: impl Into<String>) -> Clue {
    Clue {
        weight,
        says: says.into(),
        tag: None,
        source: Source::Page,
    }
}

/// Where a request ended, relative to the cited URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Landing {
    /// At the cited URL, or the same page by another spelling (https,
    /// `www.`, a trailing slash).
    Cited,
    /// Somewhere else that may be the article's new address.
    Moved,
    /// The site's home page.
    Home,
    /// A page above the article in the site's tree (`/news/` of
    /// `/news/2025/story.html`).
    Section,
    /// A page whose address says it is an error page.
    ErrorPage,
    /// A login, subscription or consent page: a wall.
    Wall,
    /// A search page (WordPress and others search for the missing slug).
    Search,
    /// Another article: the cited URL's date is in the address and the
    /// new address has a different one ("similar post" redirects).
    OtherArticle,
}

/// Where `to` is, seen from the cited `from`.
pub(crate) fn landing(from: &Url, to: &Url) -> Landing {
    let host = |u: &Url| {
        let h = u.host_str().unwrap_or("").to_ascii_lowercase();
        h.strip_prefix("www.").map(str::to_string).unwrap_or(h)
    };
    let segments = |u: &Url| -> Vec<String> {
        u.path()
            .split('/')
            .filter(|s| !s.is_empty())
            .map(str::to_ascii_lowercase)
            .collect()
    };
    let (a, b) = (segments(from), segments(to));
    if host(from) == host(to) && a == b && from.query() == to.query() {
        return Landing::Cited;
    }
    // Words of the address, not parts of them: an article id holding
    // "404" or a slug about a login is no error or login page.
    let stems: Vec<&str> = b
        .iter()
        .map(|s| s.split('.').next().unwrap_or(""))
        .collect();
    let query_values: Vec<String> = to
        .query_pairs()
        .map(|(_, v)| v.to_ascii_lowercase())
        .collect();
    let error_words = [
        "404",
        "410",
        "error",
        "errors",
        "error404",
        "404error",
        "notfound",
        "not-found",
        "not_found",
        "pagenotfound",
        "page-not-found",
        "errorpage",
        "error-page",
    ];
    let error_query = query_values.iter().any(|v| v == "404" || v == "410");
    if stems.iter().any(|s| error_words.contains(s)) || error_query {
        return Landing::ErrorPage;
    }
    let wall_words = [
        "login",
        "logon",
        "signin",
        "sign-in",
        "sign_in",
        "sso",
        "auth",
        "subscribe",
        "paywall",
        "consent",
        "collectconsent",
    ];
    let consent_host = to.host_str().is_some_and(|h| h.starts_with("consent."));
    if stems.iter().any(|s| wall_words.contains(s)) || consent_host {
        return Landing::Wall;
    }
    let search_words = [
        "search",
        "suche",
        "recherche",
        "buscar",
        "busqueda",
        "sousuo",
    ];
    if stems.iter().any(|s| search_words.contains(s)) {
        return Landing::Search;
    }
    // A topic or tag listing (`/thema/inflation/`, `/tag/trade/`).
    let listing_words = [
        "tag",
        "tags",
        "topic",
        "topics",
        "thema",
        "themen",
        "category",
        "categories",
        "label",
        "labels",
        "subject",
        "subjects",
        "keyword",
        "keywords",
        "zhuanti",
    ];
    if b.len() <= 3 && stems.iter().any(|s| listing_words.contains(s)) {
        return Landing::Section;
    }
    let index = |s: &String| s.starts_with("index.") || s.starts_with("default.") || s == "home";
    let language = |s: &String| {
        let mut parts = s.split(['-', '_']);
        let first = parts.next().unwrap_or("");
        first.len() == 2
            && first.chars().all(|c| c.is_ascii_lowercase())
            && parts.all(|p| (2..=4).contains(&p.len()))
    };
    let rest: Vec<&String> = b.iter().filter(|s| !index(s)).collect();
    let cited_is_home = a.iter().all(index) && from.query().is_none();
    let home = rest.is_empty() || (rest.len() == 1 && language(rest[0]));
    if home && !cited_is_home && to.query().is_none() {
        return Landing::Home;
    }
    if host(from) == host(to) && b.len() < a.len() && a.starts_with(&b) {
        return Landing::Section;
    }
    match (path_date(from.path()), path_date(to.path())) {
        (Some(cited), Some(now)) if cited != now => Landing::OtherArticle,
        _ => Landing::Moved,
    }
}

/// The date news URLs carry in their path (`/2025/11/18/`, `/20251118/`,
/// `/2025-11/18/`, `/2025/1118/`), as (year, month, day).
fn path_date(path: &str) -> Option<(u32, u32, u32)> {
    use std::sync::LazyLock;
    static DATE: LazyLock<Option<regex::Regex>> = LazyLock::new(|| {
        regex::Regex::new(
            r"(?:^|[/_-])((?:19|20)\d\d)[/_-]?(0[1-9]|1[0-2])[/_-]?(0[1-9]|[12]\d|3[01])(?:$|[/_.-])",
        )
        .ok()
    });
    let caps = DATE.as_ref()?.captures(path)?;
    let n = |i: usize| caps.get(i).and_then(|m| m.as_str().parse().ok());
    Some((n(1)?, n(2)?, n(3)?))
}

/// The evidence on one 2xx page.
#[derive(Debug, Default)]
pub(crate) struct Evidence {
    gone: Vec<Clue>,
    live: Vec<Clue>,
    wall: Vec<Clue>,
    /// Where the page is not the cited one, what it says is not evidence
    /// for the article.
    elsewhere: bool,
    /// The probe compared with, named once at the end of the reason.
    probe_url: Option<String>,
}

fn total(clues: &[Clue]) -> f32 {
    clues.iter().map(|c| c.weight).sum()
}

impl Evidence {
    /// What the response and the page itself tell.
    pub(crate) fn of_page(cited: &Url, f: &Fetched, page: &Page) -> Evidence {
        let mut ev = Evidence::default();
        if !f.redirects.is_empty() {
            ev.landed(landing(cited, &f.final_url), &f.final_url, "redirected");
        }
        let short = page.text_chars(SHORT_PAGE) < SHORT_PAGE;
        if short {
            let client = [
                (
                    page.meta_refresh.as_deref(),
                    "a <meta> refresh sends readers",
                ),
                (f.refresh.as_deref(), "a Refresh header sends readers"),
                (page.script_redirect.as_deref(), "a script sends readers"),
            ];
            for (target, how) in client {
                let to = target.and_then(|t| f.final_url.join(t).ok());
                if let Some(to) = to {
                    ev.landed(landing(cited, &to), &to, how);
                }
            }
        }
        ev.read_page(page, short);
        ev
    }

    /// Evidence of where a redirect led.
    fn landed(&mut self, landing: Landing, to: &Url, how: &str) {
        let (weight, what) = match landing {
            Landing::Cited | Landing::Moved => return,
            Landing::Home => (6.0, "the site's home page"),
            Landing::ErrorPage => (6.0, "an error page"),
            Landing::Section => (4.0, "a section or topic page"),
            Landing::Search => (5.0, "a search page"),
            Landing::OtherArticle => (3.5, "another article (of another date)"),
            Landing::Wall => {
                self.wall.push(Clue {
                    source: Source::Landing,
                    ..clue(4.0, format!("{how} to a login or consent page {to}"))
                });
                self.elsewhere = true;
                return;
            }
        };
        self.gone
            .push(clue(weight, format!("{how} to {what} {to}")));
        self.elsewhere = true;
    }

    /// Phrases and structure of the page.
    fn read_page(&mut self, page: &Page, short: bool) {
        if page.next_error {
            self.gone
                .push(clue(6.0, "the page's Next.js data names the 404 page"));
        }
        let tags = [
            (Says::Removed, Some("removed-notice")),
            (Says::Parked, Some("parked-domain")),
            (Says::NotFound, None),
        ];
        for (says, tag) in tags {
            let weights = Weights::of(says);
            for mut c in phrase_clues(page, says, short, &weights) {
                c.tag = tag;
                self.gone.push(c);
            }
        }
        self.wall.extend(phrase_clues(
            page,
            Says::Challenge,
            page.text_chars(2 * SHORT_PAGE) < 2 * SHORT_PAGE,
            &Weights::of(Says::Challenge),
        ));
        if let Some(meta) = page.article_meta {
            self.live.push(clue(2.5, format!("it has {meta}")));
        }
        let length = reading_length(&page.text);
        let (weight, what) = match length {
            4000.. => (2.5, "article-length text"),
            SHORT_PAGE.. => (1.5, "substantial text"),
            _ => return,
        };
        self.live.push(Clue {
            source: Source::Length,
            ..clue(weight, format!("{what} ({length} letters)"))
        });
    }

    /// Whether the verdict is certain before any probe.
    pub(crate) fn settled(&self) -> bool {
        // A redirect to a login page is asked of the probe too: a site that
        // sends pages that cannot exist there is hiding a not-found page.
        let phrase_wall = self.wall.iter().any(|c| c.source != Source::Landing);
        (self.walled() && phrase_wall) || self.net() >= SETTLED_AT
    }

    fn walled(&self) -> bool {
        let wall = total(&self.wall);
        wall >= WALL_AT && wall > self.live_weight()
    }

    fn live_weight(&self) -> f32 {
        if self.elsewhere {
            0.0
        } else {
            total(&self.live)
        }
    }

    fn net(&self) -> f32 {
        total(&self.gone) - self.live_weight()
    }

    /// Adds what the probes tell (see [`probe_clues`]).
    pub(crate) fn add_probe_clues(&mut self, clues: ProbeClues) {
        if clues.same_landing {
            self.wall.retain(|c| c.source != Source::Landing);
        }
        if clues.long_not_found {
            self.live.retain(|c| c.source != Source::Length);
        }
        self.gone.extend(clues.gone);
        self.live.extend(clues.live);
        self.probe_url = clues.probe_url;
    }

    /// Whether a redirect led to a login or consent page.
    pub(crate) fn walled_by_redirect(&self) -> bool {
        self.wall.iter().any(|c| c.source == Source::Landing)
    }

    /// Whether the verdict rests on a probe.
    pub(crate) fn rests_on_probe(&self) -> bool {
        self.gone.iter().any(|c| c.source == Source::Probe)
    }

    /// The verdict and its reason, for a response with status `code`.
    pub(crate) fn decide(&self, code: u16, moved_to: Option<&Url>) -> (CheckStatus, String) {
        let (status, mut reason) = self.verdict(code, moved_to);
        let probe_named = [&self.gone, &self.live]
            .iter()
            .any(|clues| clues.iter().any(|c| c.source == Source::Probe));
        if let (Some(url), true, false) =
            (&self.probe_url, probe_named, status == CheckStatus::Blocked)
        {
            reason.push_str(&format!(" [the page that cannot exist: {url}]"));
        }
        (status, reason)
    }

    fn verdict(&self, code: u16, moved_to: Option<&Url>) -> (CheckStatus, String) {
        let list = |clues: &[Clue]| {
            let mut sorted: Vec<&Clue> = clues.iter().collect();
            sorted.sort_by(|a, b| b.weight.total_cmp(&a.weight));
            sorted
                .iter()
                .map(|c| c.says.as_str())
                .collect::<Vec<_>>()
                .join("; ")
        };
        if self.walled() {
            return (
                CheckStatus::Blocked,
                format!(
                    "{code} but the site would not show the page: {}",
                    list(&self.wall)
                ),
            );
        }
        let live = if self.elsewhere {
            &[][..]
        } else {
            &self.live[..]
        };
        if self.net() >= GONE_AT {
            let tag = self
                .gone
                .iter()
                .filter(|c| c.tag.is_some())
                .max_by(|a, b| a.weight.total_cmp(&b.weight))
                .filter(|c| c.weight >= 2.0)
                .and_then(|c| c.tag);
            let mut reason = match tag {
                Some(tag) => format!("{tag}: {code} but {}", list(&self.gone)),
                None => format!("{code} but {}", list(&self.gone)),
            };
            if !live.is_empty() {
                reason.push_str(&format!(" (outweighing: {})", list(live)));
            }
            return (CheckStatus::Soft404, reason);
        }
        let mut reason = format!("{code} OK");
        if let Some(to) = moved_to {
            reason.push_str(&format!(", moved to {to}"));
        }
        if !self.gone.is_empty() {
            reason.push_str(&format!("; weighed {}", list(&self.gone)));
            if !live.is_empty() {
                reason.push_str(&format!(" against {}", list(live)));
            }
        }
        (CheckStatus::Alive, reason)
    }
}

/// How much a phrase weighs where it stands.
struct Weights {
    title_dominant: f32,
    title_mention: f32,
    first_heading_dominant: f32,
    heading_dominant: f32,
    heading_mention: f32,
    short_text: f32,
    short_text_dominant: f32,
}

impl Weights {
    fn of(says: Says) -> Weights {
        match says {
            // A not-found page says so in its title or first heading; an
            // article about a deleted post may say it in its headline, so
            // a mention weighs little.
            Says::NotFound => Weights {
                title_dominant: 3.5,
                title_mention: 1.0,
                first_heading_dominant: 2.5,
                heading_dominant: 1.5,
                heading_mention: 0.5,
                short_text: 1.5,
                short_text_dominant: 3.5,
            },
            // Removal notices are often the page's only text.
            Says::Removed => Weights {
                title_dominant: 5.0,
                title_mention: 1.0,
                first_heading_dominant: 4.0,
                heading_dominant: 3.0,
                heading_mention: 1.0,
                // "The statue has been removed" in a short brief is news.
                short_text: 2.0,
                short_text_dominant: 5.0,
            },
            Says::Parked => Weights {
                title_dominant: 5.0,
                title_mention: 2.0,
                first_heading_dominant: 5.0,
                heading_dominant: 4.0,
                heading_mention: 2.0,
                short_text: 5.0,
                short_text_dominant: 5.0,
            },
            Says::Challenge => Weights {
                title_dominant: 4.0,
                title_mention: 1.0,
                first_heading_dominant: 3.0,
                heading_dominant: 3.0,
                heading_mention: 1.0,
                short_text: 3.0,
                short_text_dominant: 4.0,
            },
        }
    }
}

/// Clues of phrases saying `says`: in the title, in a heading, in a short
/// page's text (the strongest place of each counts once).
fn phrase_clues(page: &Page, says: Says, short: bool, w: &Weights) -> Vec<Clue> {
    let mut out = Vec::new();
    if let Some(hit) = page.title_hit(says) {
        let (weight, how) = if hit.coverage >= DOMINANT {
            (w.title_dominant, "the title reads")
        } else {
            (w.title_mention, "the title mentions")
        };
        out.push(clue(weight, format!("{how} {:?}", hit.phrase)));
    }
    if let Some(hit) = page.heading_hit(says) {
        let (weight, how) = match (hit.coverage >= DOMINANT, hit.first) {
            (true, true) => (w.first_heading_dominant, "the main heading reads"),
            (true, false) => (w.heading_dominant, "a heading reads"),
            (false, _) => (w.heading_mention, "a heading mentions"),
        };
        out.push(clue(weight, format!("{how} {:?}", hit.phrase)));
    }
    // A line of its own that is the phrase: a notice, not a mention.
    let notice = page
        .notice_hit(says)
        .filter(|_| short && page.heading_hit(says).is_none_or(|h| h.coverage < DOMINANT));
    if let Some(hit) = notice {
        out.push(clue(
            w.heading_dominant,
            format!("a line of its own reads {:?}", hit.phrase),
        ));
    }
    if let Some(hit) = short.then(|| page.text_hit(says)).flatten() {
        let (weight, how) = if hit.coverage >= DOMINANT_TEXT {
            (w.short_text_dominant, "the short page's text is")
        } else {
            (w.short_text, "the short page's text says")
        };
        out.push(clue(weight, format!("{how} {:?}", hit.phrase)));
    }
    out
}

/// Letters of text, a CJK character counting as three (a Chinese article
/// of 1,000 characters says as much as an English one of 3,000 letters).
pub(crate) fn reading_length(text: &str) -> usize {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .map(|c| if is_cjk(c) { 3 } else { 1 })
        .sum()
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3040..=0x30ff | 0x3400..=0x4dbf | 0x4e00..=0x9fff | 0xac00..=0xd7af | 0xf900..=0xfaff)
}

/// The cited page as the probes are compared with it.
pub(crate) struct Cited<'a> {
    pub final_url: &'a str,
    pub redirected: bool,
    /// What it is compared by.
    pub likeness: &'a Likeness,
}

/// What the probes add.
#[derive(Debug, Default)]
pub(crate) struct ProbeClues {
    pub gone: Vec<Clue>,
    pub live: Vec<Clue>,
    /// The probe was redirected where the cited URL was.
    pub same_landing: bool,
    /// The site's not-found page is long too: length tells nothing.
    pub long_not_found: bool,
    /// The page asked for that cannot exist, when clues rest on it.
    pub probe_url: Option<String>,
}

/// Resemblance at which the cited page is the probe's page.
const SAME_PAGE: f64 = 0.9;
/// Resemblance at which the cited page is like the probe's page.
const ALIKE: f64 = 0.6;

/// How alike the cited page and a probe's page are (0 when the probe did
/// not answer 2xx).
pub(crate) fn alike(cited: &Cited, probe: &ProbeOutcome) -> f64 {
    if (200..300).contains(&probe.status) {
        resemblance(&probe.likeness.sketch, &cited.likeness.sketch)
    } else {
        0.0
    }
}

/// Whether two URLs are one place, the query aside (`?return=…`, `?q=…`
/// echo the request).
pub(crate) fn same_place(a: &str, b: &str) -> bool {
    let place = |u: &str| u.split(['?', '#']).next().unwrap_or("").to_string();
    place(a) == place(b)
}

/// The evidence of the probes: `first` a random sibling, `second` another
/// (asked when the first was inconclusive), `other_id` the cited path with
/// another id (asked when the first looked like the cited page).
pub(crate) fn probe_clues(
    cited: &Cited,
    first: &ProbeOutcome,
    second: Option<&ProbeOutcome>,
    other_id: Option<&ProbeOutcome>,
) -> ProbeClues {
    let mut out = ProbeClues::default();
    let from_probe = |weight: f32, says: String| Clue {
        source: Source::Probe,
        ..clue(weight, says)
    };
    out.probe_url = Some(first.url.clone());
    if !(200..300).contains(&first.status) {
        if matches!(first.status, 404 | 410) {
            out.live.push(from_probe(
                1.0,
                format!(
                    "the site answers {} for a page that cannot exist",
                    first.status
                ),
            ));
        }
        return out;
    }
    // The site routes by id and ignores the rest: the sibling probe showed
    // this very article, another id does not.
    let id_routed = other_id.is_some_and(|o| {
        let answered = (200..300).contains(&o.status);
        !answered || (o.likeness.title != cited.likeness.title && alike(cited, o) < ALIKE)
    });
    if id_routed {
        out.probe_url = None;
        out.live.push(clue(
            1.5,
            format!(
                "the site routes by the URL's id: {} shows this page, {} does not",
                first.url,
                other_id.map_or("", |o| o.url.as_str())
            ),
        ));
        return out;
    }
    if cited.redirected && first.redirected && same_place(&first.final_url, cited.final_url) {
        out.same_landing = true;
        out.gone.push(from_probe(
            6.0,
            format!(
                "the site sends a page that cannot exist to the same {}",
                cited.final_url
            ),
        ));
        return out;
    }
    out.long_not_found = first.length >= SHORT_PAGE;
    let r = alike(cited, first);
    // What two not-found pages share is the site's template; the cited
    // page holding all of it is that template with other recommendations.
    let template = second
        .filter(|s| (200..300).contains(&s.status))
        .map(|s| {
            let shared: HashSet<u64> = first
                .likeness
                .sketch
                .intersection(&s.likeness.sketch)
                .copied()
                .collect();
            let held = containment(&shared, &cited.likeness.sketch);
            (shared.len(), held)
        })
        .filter(|(shared, _)| *shared >= 12);
    let (page, not_found) = (cited.likeness, &first.likeness);
    let same_title = page.title.is_some() && page.title == not_found.title;
    let same_heading = page.heading.is_some() && page.heading == not_found.heading;
    if r >= SAME_PAGE {
        out.gone.push(from_probe(
            4.0,
            format!(
                "it is the page ({:.0}% alike) the site returns for one that cannot exist",
                r * 100.0
            ),
        ));
    } else if let Some((_, held)) = template.filter(|(_, held)| *held >= 0.7) {
        out.gone.push(from_probe(
            if held >= 0.85 { 3.0 } else { 2.0 },
            format!(
                "it holds {:.0}% of the template of the site's not-found pages",
                held * 100.0
            ),
        ));
    } else if r >= ALIKE {
        out.gone.push(from_probe(
            2.0,
            format!(
                "it is much like ({:.0}%) the page for one that cannot exist",
                r * 100.0
            ),
        ));
    }
    // An article has its own title and headline; a page with both those
    // of the not-found page is that page, whatever else it lists.
    let named_alike = match (same_title, same_heading) {
        (true, true) => Some((4.0, "its title and main heading are")),
        (true, false) => Some((1.5, "its title is")),
        (false, true) => Some((1.5, "its main heading is")),
        (false, false) => None,
    };
    if let Some((weight, what)) = named_alike {
        out.gone.push(from_probe(
            weight,
            format!("{what} those of the page for one that cannot exist"),
        ));
    }
    if !same_title && !same_heading && r < 0.3 && template.is_none_or(|(_, held)| held < 0.5) {
        out.live.push(from_probe(
            1.0,
            "it is unlike the page for one that cannot exist".to_string(),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn u(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    #[test]
    fn landings() {
        let cited = u("https://www.rfa.org/mandarin/yataibaodao/2025/11/18/story.html");
        let cases = [
            (
                "https://rfa.org/mandarin/yataibaodao/2025/11/18/story.html",
                Landing::Cited,
            ),
            ("https://www.rfa.org/", Landing::Home),
            ("https://www.rfa.org/index.html", Landing::Home),
            ("https://www.rfa.org/mandarin/", Landing::Section),
            ("https://www.rfa.org/zh-hans/", Landing::Home),
            ("https://www.rfa.org/404.html", Landing::ErrorPage),
            ("https://www.rfa.org/error?code=404", Landing::ErrorPage),
            ("https://www.rfa.org/login?next=/x", Landing::Wall),
            (
                "https://consent.rfa.org/v2/collectConsent?sessionId=1",
                Landing::Wall,
            ),
            ("https://www.rfa.org/search?q=story", Landing::Search),
            ("https://www.rfa.org/thema/inflation/", Landing::Section),
            (
                "https://www.rfa.org/mandarin/2024/01/02/other-story.html",
                Landing::OtherArticle,
            ),
            (
                "https://www.rfa.org/mandarin/2025/11/18/new-story.html",
                Landing::Moved,
            ),
        ];
        for (to, want) in cases {
            assert_eq!(landing(&cited, &u(to)), want, "{to}");
        }
        assert_eq!(
            landing(&u("https://e.org/"), &u("https://www.e.org/")),
            Landing::Cited
        );
        // WordPress's `/?p=123` of a deleted post sends readers home.
        assert_eq!(
            landing(&u("https://e.org/?p=123"), &u("https://e.org/")),
            Landing::Home
        );
    }

    fn page(html: &str) -> Page {
        super::super::page::read_page(html.as_bytes(), Some("text/html"))
    }

    fn decide(html: &str) -> (CheckStatus, String) {
        let cited = u("https://news.example/a/2025/story.html");
        let f = Fetched::for_test(cited.clone());
        Evidence::of_page(&cited, &f, &page(html)).decide(200, None)
    }

    #[test]
    fn a_phrase_weighs_by_where_it_stands() {
        let (s, r) = decide("<title>页面不存在_新闻网</title><p>返回首页</p>");
        assert_eq!(s, CheckStatus::Soft404, "{r}");
        assert!(r.contains("the title reads"), "{r}");
        let story = "<p>The platform deleted the post hours later, according to screenshots seen by reporters and shared widely on other sites.</p>".repeat(30);
        let (s, r) = decide(&format!(
            "<title>Weibo post 'not found' hours after a critic's page was deleted</title>\
             <meta property=\"og:type\" content=\"article\"><h1>Weibo post not found</h1>{story}"
        ));
        assert_eq!(s, CheckStatus::Alive, "{r}");
        assert!(r.contains("weighed"), "{r}");
        // A headline that starts with the words, without article metadata.
        let (s, r) = decide(&format!(
            "<title>Page Not Found - the Weibo post that vanished | Site</title>\
             <h1>Page Not Found - the Weibo post that vanished</h1>{story}"
        ));
        assert_eq!(s, CheckStatus::Alive, "{r}");
    }

    #[test]
    fn walls_removals_and_parking() {
        let (s, r) = decide("<title>Pardon Our Interruption</title><p>As you were browsing something about your browser made us think you were a bot.</p>");
        assert_eq!(s, CheckStatus::Blocked, "{r}");
        let (s, r) = decide("<title>微信公众平台</title><p>该内容已被发布者删除</p>");
        assert_eq!(s, CheckStatus::Soft404, "{r}");
        assert!(r.starts_with("removed-notice:"), "{r}");
        // A short brief that reports a removal is news, not a notice.
        let (s, r) = decide("<title>Statue removed in Hong Kong</title><h1>Statue removed</h1><p>The Pillar of Shame has been removed from the university campus overnight, students said on Thursday.</p>");
        assert_eq!(s, CheckStatus::Alive, "{r}");
        let (s, r) = decide("<title>news.example</title><h1>This domain may be for sale!</h1>");
        assert_eq!(s, CheckStatus::Soft404, "{r}");
        assert!(r.starts_with("parked-domain:"), "{r}");
        let (s, r) = decide("<title>Home</title><script>window.location.href = \"/\";</script>");
        assert_eq!(s, CheckStatus::Soft404, "{r}");
        let cited = u("https://news.example/a/2025/story.html");
        let mut f = Fetched::for_test(cited.clone());
        f.refresh = Some("/".into()); // from `Refresh: 0; url=/`
        let (s, r) = Evidence::of_page(&cited, &f, &page("<title>News</title><p>Latest</p>"))
            .decide(200, None);
        assert_eq!(s, CheckStatus::Soft404, "{r}");
        assert!(r.contains("Refresh header"), "{r}");
        let (s, r) = decide("<script id=\"__NEXT_DATA__\" type=\"application/json\">{\"page\":\"/404\",\"props\":{}}</script><p>x</p>");
        assert_eq!(s, CheckStatus::Soft404, "{r}");
    }
}
