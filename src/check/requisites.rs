//! Page requisites (`check --requisites`): the images, stylesheets and
//! fonts an alive cited page needs to be seen again as it was, archived
//! beside it so a replay tool (pywb, ReplayWeb.page) shows the page and
//! not just its text.
//!
//! What is fetched, for a cited HTML page whose verdict is `alive`:
//! stylesheets (`<link rel=stylesheet>`), then the fonts and images those
//! stylesheets name (`url(…)` and `@import`, one level: what they name is
//! fetched, not read), then images (`<img src>`, and from `srcset` the
//! largest candidate, else the first), then the icon (`<link rel=icon>`).
//! Stylesheets come first because a page without them is unreadable, and
//! the caps cut the tail. Scripts, inline `<style>`, `<picture><source>`
//! and lazy-loading attributes (`data-src`) are not followed.
//!
//! Where from: the page's own site (the same registrable domain, by the
//! Public Suffix List, so `img.people.com.cn` serves `world.people.com.cn`)
//! or a CDN: a host under one of [`DEFAULT_CDN_HOSTS`] or under a name the
//! user lists (`requisite_hosts`). An editor wants the article as readers
//! saw it, not the advertising and tracking pixels of other sites.
//!
//! How: through the same per-host gates as cited URLs (interval,
//! concurrency, host policies), the same private-address guard, the same
//! `--exclude`, the run's shared responses (a stylesheet used by a hundred
//! pages is fetched once), one attempt each (no retries), and never for a
//! host that did not answer a requisite before in the run. At most
//! [`DEFAULT_MAX_REQUISITES`] requests and [`DEFAULT_MAX_REQUISITE_BYTES`]
//! of bodies per page by default (the requisite that crosses the byte cap
//! is kept whole, within the per-response cap). A requisite that fails is
//! simply absent: requisites never change the verdict nor fail the run.

use super::{exchange_of, host_key, page, Chain, Checker};
use crate::model::{Checked, Exchange, RequisiteCount};
use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{
    BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use std::cell::RefCell;
use std::collections::HashSet;
use std::sync::{Mutex, OnceLock};
use std::time::Duration;
use url::Url;

/// Requests for one page's requisites, by default.
pub const DEFAULT_MAX_REQUISITES: usize = 40;

/// Bytes of one page's requisites (as received), by default: 5 MiB, a
/// generous news page with its fonts and a dozen photos.
pub const DEFAULT_MAX_REQUISITE_BYTES: u64 = 5 * 1024 * 1024;

/// Content delivery networks news sites serve images, styles and fonts
/// from: a host equal to or under one of these counts as the page's own.
/// Shared hosting of *pages* (github.io, blogspot.com) is not here.
pub const DEFAULT_CDN_HOSTS: [&str; 13] = [
    "cloudfront.net",
    "akamaized.net",
    "akamaihd.net",
    "fastly.net",
    "fastlylb.net",
    "azureedge.net",
    "b-cdn.net",
    "wp.com",
    "fonts.googleapis.com",
    "fonts.gstatic.com",
    "alicdn.com",
    "qpic.cn",
    "sinaimg.cn",
];

/// Run-wide state of requisite fetching.
#[derive(Default)]
pub(crate) struct RunState {
    /// Hosts that gave no answer to a requisite: not asked again this run
    /// (a silent image host must not cost every page a timeout).
    silent: Mutex<HashSet<String>>,
}

/// What a page links to, by kind, in document order, without repeats.
#[derive(Debug, Default, PartialEq)]
struct Links {
    stylesheets: Vec<Url>,
    images: Vec<Url>,
    icons: Vec<Url>,
}

/// What is left of one page's caps, and what became of its requisites.
struct Budget {
    requests: usize,
    bytes: u64,
    count: RequisiteCount,
    seen: HashSet<String>,
}

impl Checker {
    /// Adds the page's requisites when they are wanted.
    pub(super) async fn with_requisites(&self, checked: &mut Checked) {
        if self.wants_requisites(checked) {
            self.add_requisites(checked).await;
        }
    }

    /// Whether `checked` is a page whose requisites are wanted: asked for,
    /// kept for the archive, and alive.
    fn wants_requisites(&self, checked: &Checked) -> bool {
        self.opts.requisites
            && self.opts.keep_exchanges
            && checked.exchange.is_some()
            && checked.result.status == crate::model::CheckStatus::Alive
            && !checked.result.not_checked
    }

    /// Fetches the requisites of an alive page into `checked.requisites`,
    /// and counts them in its result.
    async fn add_requisites(&self, checked: &mut Checked) {
        let cap = self.opts.max_body;
        let Some((base, links)) = checked.exchange.as_ref().and_then(|ex| links_of(ex, cap)) else {
            return;
        };
        let site = Scope::new(&base, &self.opts.requisite_hosts);
        let mut budget = Budget {
            requests: self.opts.max_requisites,
            bytes: self.opts.max_requisite_bytes,
            count: RequisiteCount::default(),
            seen: HashSet::from([base.to_string()]),
        };
        let mut from_css = Vec::new();
        for url in &links.stylesheets {
            if let Some((ex, body)) = self.requisite(url, &site, &mut budget).await {
                from_css.extend(css_links(&body, url_of(&ex, url)));
                checked.requisites.push(ex);
            }
        }
        for url in from_css.iter().chain(&links.images).chain(&links.icons) {
            if let Some((ex, _)) = self.requisite(url, &site, &mut budget).await {
                checked.requisites.push(ex);
            }
        }
        let count = budget.count;
        checked.result.requisites = (count.captured + count.skipped > 0).then_some(count);
    }

    /// One requisite, when it is in scope, new to this page and within its
    /// caps: its exchange and decoded body when it answered 2xx.
    async fn requisite(
        &self,
        url: &Url,
        site: &Scope,
        budget: &mut Budget,
    ) -> Option<(Exchange, Vec<u8>)> {
        if !site.covers(url) || !budget.seen.insert(url.to_string()) {
            return None;
        }
        if budget.requests == 0 || budget.bytes == 0 {
            budget.count.skipped += 1;
            return None;
        }
        budget.requests -= 1;
        let got = self.fetch_requisite(url, site).await;
        let Some((ex, body)) = got else {
            budget.count.skipped += 1;
            return None;
        };
        let received: u64 = ex.hops.iter().map(|h| h.body.len() as u64).sum();
        budget.bytes = budget.bytes.saturating_sub(received);
        budget.count.captured += 1;
        Some((ex, body))
    }

    /// Fetches a requisite politely: its host's gate, the guard, one
    /// attempt, redirects only within scope. `None` unless it answered 2xx.
    async fn fetch_requisite(&self, url: &Url, site: &Scope) -> Option<(Exchange, Vec<u8>)> {
        let key = host_key(url.as_str());
        let refused = self.opts.exclude.iter().any(|re| re.is_match(url.as_str()))
            || self.private_literal(url).is_some()
            || self.requisite_state.silent_hosts().contains(&key);
        let gate = self.shared_gate(url.as_str());
        if refused || gate.given_up() {
            return None;
        }
        let _in_flight = self.before_deadline(gate.in_flight.acquire()).await?;
        let at_hand = self.shared.has(url.as_str());
        if !at_hand {
            self.before_deadline(gate.wait_turn()).await?;
        }
        let _permit = self.before_deadline(self.global.acquire()).await?;
        let allow = |u: &Url| site.covers(u);
        let chain = Chain {
            shared: true,
            turn_taken: !at_hand,
            allow: Some(&allow),
            cond: None,
        };
        // The host's own timeout, as for a cited URL of that host: a
        // requisite may start the fetch a cited check then waits on.
        let host_timeout = url
            .host_str()
            .and_then(|h| self.opts.policy_for(h))
            .and_then(|p| p.timeout)
            .map_or(self.opts.timeout, |s| Duration::from_secs(s.max(1)));
        let timeout = self
            .time_left()
            .map_or(host_timeout, |left| host_timeout.min(left));
        let outcome = tokio::time::timeout(timeout, self.fetch(url, &gate, chain)).await;
        let mut fetched = match outcome {
            Ok(Ok(f)) => f,
            Ok(Err(super::FetchFailure::Failed(..))) => return None,
            Ok(Err(_)) | Err(_) => {
                self.requisite_state.silence(key);
                return None;
            }
        };
        if !(200..300).contains(&fetched.status) {
            return None;
        }
        let body = std::mem::take(&mut fetched.body);
        Some((exchange_of(&mut fetched), body))
    }
}

impl RunState {
    fn silent_hosts(&self) -> std::sync::MutexGuard<'_, HashSet<String>> {
        self.silent.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn silence(&self, host: String) {
        self.silent_hosts().insert(host);
    }
}

/// Where a requisite's final response came from (a stylesheet's `url()`s
/// are relative to it), else where it was asked for.
fn url_of(ex: &Exchange, asked: &Url) -> Url {
    ex.hops
        .last()
        .and_then(|h| Url::parse(&h.url).ok())
        .unwrap_or_else(|| asked.clone())
}

/// The page's address and its links, when its final response is an HTML
/// page with a body.
fn links_of(ex: &Exchange, cap: u64) -> Option<(Url, Links)> {
    let last = ex.hops.last()?;
    if !(200..300).contains(&last.status) {
        return None;
    }
    let content_type = super::header_text(last, "content-type");
    if content_type
        .as_deref()
        .is_some_and(|ct| !ct.contains("html"))
    {
        return None;
    }
    let encoding = super::header_text(last, "content-encoding");
    let body = super::decode_content(last.body.clone(), encoding.as_deref(), cap);
    let text = page::page_text(&body, content_type.as_deref());
    let base = Url::parse(&last.url).ok()?;
    Some((base.clone(), html_links(&text, base)))
}

/// The requisites an HTML page names, resolved against its address (or
/// its `<base href>`).
fn html_links(text: &str, base: Url) -> Links {
    let sink = LinkSink(RefCell::new(Collector {
        base,
        base_seen: false,
        links: Links::default(),
        seen: HashSet::new(),
    }));
    let tokenizer = Tokenizer::new(sink, TokenizerOpts::default());
    let queue = BufferQueue::default();
    queue.push_back(StrTendril::from_slice(text));
    let _ = tokenizer.feed(&queue);
    tokenizer.end();
    tokenizer.sink.0.into_inner().links
}

struct LinkSink(RefCell<Collector>);

struct Collector {
    base: Url,
    base_seen: bool,
    links: Links,
    seen: HashSet<String>,
}

impl TokenSink for LinkSink {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        if let Token::TagToken(tag) = token {
            if tag.kind == TagKind::StartTag {
                self.0.borrow_mut().start(&tag);
            }
        }
        TokenSinkResult::Continue
    }
}

impl Collector {
    fn start(&mut self, tag: &Tag) {
        let attr = |name: &str| {
            tag.attrs
                .iter()
                .find(|a| &*a.name.local == name)
                .map(|a| a.value.trim().to_string())
        };
        match &*tag.name {
            "base" if !self.base_seen => {
                self.base_seen = true;
                if let Some(b) = attr("href").and_then(|h| self.base.join(&h).ok()) {
                    self.base = b;
                }
            }
            "img" => {
                let src = attr("srcset")
                    .and_then(|s| best_candidate(&s))
                    .or_else(|| attr("src"));
                self.add(src, Kind::Image);
            }
            "link" => {
                let rel = attr("rel").unwrap_or_default().to_ascii_lowercase();
                let rels: Vec<&str> = rel.split_ascii_whitespace().collect();
                if rels.contains(&"stylesheet") && !rels.contains(&"alternate") {
                    self.add(attr("href"), Kind::Stylesheet);
                } else if rels.contains(&"icon") {
                    self.add(attr("href"), Kind::Icon);
                }
            }
            _ => {}
        }
    }

    fn add(&mut self, href: Option<String>, kind: Kind) {
        let Some(url) = href.and_then(|h| resolve(&self.base, &h)) else {
            return;
        };
        if !self.seen.insert(url.to_string()) {
            return;
        }
        let list = match kind {
            Kind::Stylesheet => &mut self.links.stylesheets,
            Kind::Image => &mut self.links.images,
            Kind::Icon => &mut self.links.icons,
        };
        list.push(url);
    }
}

#[derive(Clone, Copy)]
enum Kind {
    Stylesheet,
    Image,
    Icon,
}

/// An HTTP(S) URL for `href` relative to `base`, without its fragment.
fn resolve(base: &Url, href: &str) -> Option<Url> {
    if href.is_empty() {
        return None;
    }
    let mut url = base.join(href).ok()?;
    if !matches!(url.scheme(), "http" | "https") {
        return None;
    }
    url.set_fragment(None);
    Some(url)
}

/// The candidate of a `srcset` with the largest width (`640w`) or density
/// (`2x`); the first when none says.
fn best_candidate(srcset: &str) -> Option<String> {
    let mut best: Option<(f64, String)> = None;
    for part in srcset_candidates(srcset) {
        let (url, descriptor) = part;
        let size = descriptor
            .strip_suffix(['w', 'x'])
            .and_then(|n| n.parse::<f64>().ok())
            .unwrap_or(1.0);
        if best.as_ref().is_none_or(|(s, _)| size > *s) {
            best = Some((size, url));
        }
    }
    best.map(|(_, url)| url)
}

/// `srcset` as (URL, descriptor) pairs. A URL runs to the next space (it
/// may hold commas, as image-resizing CDNs write them); a candidate ends
/// at a comma after its descriptor.
fn srcset_candidates(srcset: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = srcset.trim_start_matches(|c: char| c.is_whitespace() || c == ',');
    while !rest.is_empty() {
        let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        let (url, tail) = rest.split_at(end);
        let (url, descriptor, tail) = match url.strip_suffix(',') {
            Some(u) => (u.trim_end_matches(','), "", tail),
            None => {
                let stop = tail.find(',').unwrap_or(tail.len());
                (url, tail[..stop].trim(), &tail[stop..])
            }
        };
        if !url.is_empty() {
            out.push((url.to_string(), descriptor.to_ascii_lowercase()));
        }
        rest = tail.trim_start_matches(|c: char| c.is_whitespace() || c == ',');
    }
    out
}

/// What a stylesheet names: `url(…)` (fonts, background images) and
/// `@import "…"`, resolved against the stylesheet's address.
fn css_links(body: &[u8], base: Url) -> Vec<Url> {
    static URLS: OnceLock<regex::Regex> = OnceLock::new();
    let re = URLS.get_or_init(|| {
        regex::Regex::new(r#"(?i)url\(\s*(?:"([^"]*)"|'([^']*)'|([^)'"\s]*))\s*\)|@import\s+(?:"([^"]*)"|'([^']*)')"#)
            .expect("a valid pattern")
    });
    let text = String::from_utf8_lossy(body);
    let mut seen = HashSet::new();
    re.captures_iter(&text)
        .filter_map(|c| (1..=5).find_map(|i| c.get(i)).map(|m| m.as_str().trim()))
        .filter(|href| !href.starts_with("data:"))
        .filter_map(|href| resolve(&base, href))
        .filter(|u| seen.insert(u.to_string()))
        .collect()
}

/// The hosts a page's requisites may come from.
struct Scope {
    /// The page's registrable domain (its host, for an IP address or a
    /// name the Public Suffix List has no domain for).
    site: String,
    extra: Vec<String>,
}

impl Scope {
    fn new(page: &Url, extra: &[String]) -> Scope {
        Scope {
            site: site_of(page.host_str().unwrap_or("")),
            extra: DEFAULT_CDN_HOSTS
                .iter()
                .map(|h| h.to_string())
                .chain(extra.iter().map(|h| normal(h)))
                .collect(),
        }
    }

    /// Whether `url` is the page's own site or one of its CDNs.
    fn covers(&self, url: &Url) -> bool {
        let Some(host) = url.host_str() else {
            return false;
        };
        let host = normal(host);
        site_of(&host) == self.site
            || self
                .extra
                .iter()
                .any(|h| host == *h || host.ends_with(&format!(".{h}")))
    }
}

/// A host name compared: lowercase, without a trailing dot or a leading
/// `*.` / `.` as lists of hosts often write them.
fn normal(host: &str) -> String {
    host.trim()
        .trim_start_matches("*.")
        .trim_start_matches('.')
        .trim_end_matches('.')
        .to_ascii_lowercase()
}

/// The registrable domain of a host (`www.bbc.co.uk` → `bbc.co.uk`), by
/// the Public Suffix List; the host itself for an address or a name with
/// none.
fn site_of(host: &str) -> String {
    let host = normal(host);
    if host.parse::<std::net::IpAddr>().is_ok() || host.starts_with('[') {
        return host;
    }
    psl::domain_str(&host).map_or(host.clone(), str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    #[test]
    fn srcset_gives_its_largest_candidate() {
        assert_eq!(
            best_candidate("a.jpg 320w, b.jpg 1280w, c.jpg 640w").as_deref(),
            Some("b.jpg")
        );
        assert_eq!(best_candidate("a.jpg, b.jpg 2x").as_deref(), Some("b.jpg"));
        assert_eq!(
            best_candidate("/img/w_100,h_80/a.jpg 100w, /img/w_900,h_700/a.jpg 900w").as_deref(),
            Some("/img/w_900,h_700/a.jpg")
        );
        assert_eq!(best_candidate("only.jpg").as_deref(), Some("only.jpg"));
        assert_eq!(best_candidate(" , ").as_deref(), None);
    }

    #[test]
    fn pages_name_stylesheets_images_and_icons() {
        let html = r#"<html><head><base href="/static/">
            <link rel="stylesheet" href="site.css"><link rel="alternate stylesheet" href="alt.css">
            <link rel="shortcut icon" href="/favicon.ico"></head>
            <body><img src="a.png"><img src="data:image/png;base64,xx"><img src="a.png">
            <img src="x.jpg" srcset="s.jpg 300w, l.jpg 1200w"><img src="mailto:x@y.z"></body></html>"#;
        let links = html_links(html, url("https://www.example.org/news/1.html"));
        let s = |v: &[Url]| v.iter().map(Url::to_string).collect::<Vec<_>>();
        assert_eq!(
            s(&links.stylesheets),
            ["https://www.example.org/static/site.css"]
        );
        assert_eq!(
            s(&links.images),
            [
                "https://www.example.org/static/a.png",
                "https://www.example.org/static/l.jpg"
            ]
        );
        assert_eq!(s(&links.icons), ["https://www.example.org/favicon.ico"]);
    }

    #[test]
    fn stylesheets_name_fonts_images_and_imports() {
        let css = br#"@import "print.css"; @font-face { src: url('../fonts/a.woff2') format('woff2'), url(data:font/woff;base64,xx); }
            body { background: URL( "/img/bg.png" ) } .x { background: url(/img/bg.png) }"#;
        let got: Vec<String> = css_links(css, url("https://cdn.example.org/css/site.css"))
            .iter()
            .map(Url::to_string)
            .collect();
        assert_eq!(
            got,
            [
                "https://cdn.example.org/css/print.css",
                "https://cdn.example.org/fonts/a.woff2",
                "https://cdn.example.org/img/bg.png",
            ]
        );
    }

    #[test]
    fn scope_is_the_registrable_domain_and_cdns() {
        let page = url("https://world.people.com.cn/n1/2025/1114/c1002-40603281.html");
        let scope = Scope::new(&page, &["*.Images.Example.NET".to_string()]);
        for ok in [
            "http://img.people.com.cn/a.jpg",
            "https://people.com.cn/a.css",
            "https://d1234.cloudfront.net/a.jpg",
            "https://a.images.example.net/x.png",
        ] {
            assert!(scope.covers(&url(ok)), "{ok}");
        }
        for no in [
            "https://www.xinhuanet.com/a.jpg",
            "https://tracker.example.com/pixel.gif",
            "https://com.cn/a.jpg",
            "https://notcloudfront.net/a.jpg",
        ] {
            assert!(!scope.covers(&url(no)), "{no}");
        }
        let bbc = Scope::new(&url("https://www.bbc.co.uk/news/1"), &[]);
        assert!(bbc.covers(&url("https://ichef.bbc.co.uk/a.jpg")));
        assert!(!bbc.covers(&url("https://www.itv.co.uk/a.jpg")));
    }
}
