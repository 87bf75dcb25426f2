//! `check --requisites`: the images, stylesheets and fonts of alive cited
//! pages are archived beside them, from the page's own site or its CDNs
//! only, capped, politely, and never as part of a verdict.
//!
//! Every host name is answered by one local proxy (`support/names.rs`),
//! which counts the requests per URL.

use crate::support;

use citevault::archive::Archive;
use citevault::check::{CheckOptions, Checker};
use citevault::model::{CheckStatus, Checked};
use futures_util::StreamExt;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;
use support::names::{serve_names, Names};
use support::server::{html, Reply};

const PAGE: &str = "http://news.example.com/world/2025/export-curbs.html";
const CSS: &str = "http://news.example.com/css/site.css";
const FONT: &str = "http://news.example.com/fonts/serif.woff2";
const BACKGROUND: &str = "http://news.example.com/img/bg.png";
const PHOTO: &str = "http://img.example.com/photos/minister.jpg";
const SMALL: &str = "http://news.example.com/img/chart-300.png";
const LARGE: &str = "http://news.example.com/img/chart-1200.png";
const TRACKER: &str = "http://pixel.adnetwork.test/p.gif";
const CDN: &str = "http://d1x2y3.cloudfront.net/maps/region.png";
const PARTNER: &str = "http://media.partner.test/graphic.png";
const MISSING: &str = "http://news.example.com/img/missing.png";
const PRIVATE: &str = "http://intranet.example.com/secret.png";

fn article_with(extra_head: &str, body_extra: &str) -> String {
    format!(
        "<html><head><title>Beijing weighs export curbs</title>{extra_head}</head><body><article>\
         <h1>Beijing weighs export curbs</h1><p>{}</p>{body_extra}</article></body></html>",
        "Officials said on Friday that the measures would take effect next month. ".repeat(30)
    )
}

fn bytes(content_type: &str, n: usize) -> Reply {
    Reply::Fixed(
        200,
        vec![("content-type", content_type.into())],
        vec![b'x'; n],
    )
}

fn page_routes() -> Vec<(&'static str, Reply)> {
    let page = article_with(
        r#"<link rel="stylesheet" href="/css/site.css"><link rel="icon" href="/favicon.ico">"#,
        &format!(
            r#"<img src="{PHOTO}"><img src="/img/chart-300.png" srcset="/img/chart-300.png 300w, /img/chart-1200.png 1200w">
               <img src="{TRACKER}"><img src="{CDN}"><img src="{PARTNER}"><img src="/img/missing.png"><img src="{PRIVATE}">"#
        ),
    );
    let css = "@font-face { font-family: S; src: url('../fonts/serif.woff2') format('woff2'); }\n\
               body { background: url(/img/bg.png) }";
    vec![
        (PAGE, html(200, &page)),
        (
            CSS,
            Reply::Fixed(200, vec![("content-type", "text/css".into())], css.into()),
        ),
        (FONT, bytes("font/woff2", 300)),
        (BACKGROUND, bytes("image/png", 200)),
        (PHOTO, bytes("image/jpeg", 400)),
        (SMALL, bytes("image/png", 100)),
        (LARGE, bytes("image/png", 500)),
        (TRACKER, bytes("image/gif", 43)),
        (CDN, bytes("image/png", 250)),
        (PARTNER, bytes("image/png", 260)),
        (PRIVATE, bytes("image/png", 10)),
        (
            "http://news.example.com/favicon.ico",
            bytes("image/x-icon", 30),
        ),
    ]
}

fn options(web: &Names) -> CheckOptions {
    CheckOptions {
        keep_exchanges: true,
        requisites: true,
        ..web.options()
    }
}

async fn check(opts: CheckOptions, urls: &[&str]) -> HashMap<String, Checked> {
    let checker = Checker::new(opts).unwrap();
    let urls = urls.iter().map(|u| u.to_string()).collect();
    checker
        .check_urls(urls, Arc::default())
        .map(|c| (c.url.clone(), c))
        .collect()
        .await
}

fn urls_of(c: &Checked) -> Vec<String> {
    c.requisites
        .iter()
        .map(|ex| ex.hops.last().unwrap().url.clone())
        .collect()
}

#[tokio::test]
async fn an_alive_page_keeps_its_own_and_its_cdns_requisites_only() {
    let web = serve_names(page_routes(), &["intranet.example.com"]).await;
    let mut opts = options(&web);
    opts.requisite_hosts = vec!["partner.test".into()];
    let got = check(opts, &[PAGE]).await;
    let page = &got[PAGE];
    assert_eq!(page.result.status, CheckStatus::Alive, "{:?}", page.result);
    // Stylesheet first, then what it names, then images, then the icon.
    assert_eq!(
        urls_of(page),
        [
            CSS,
            FONT,
            BACKGROUND,
            PHOTO,
            LARGE,
            CDN,
            PARTNER,
            "http://news.example.com/favicon.ico"
        ]
    );
    for url in [CSS, FONT, BACKGROUND, PHOTO, LARGE, CDN, PARTNER] {
        assert_eq!(web.count(url), 1, "{url}");
    }
    // Off-site trackers are never asked; srcset gives its largest
    // candidate only; a private address is refused by the guard.
    assert_eq!(web.count(TRACKER), 0);
    assert_eq!(web.count(SMALL), 0);
    assert_eq!(web.count(PRIVATE), 0);
    // The 404 was asked once, and is absent.
    assert_eq!(web.count(MISSING), 1);
    let count = page.result.requisites.expect("counted");
    assert_eq!((count.captured, count.skipped), (8, 2), "{count:?}");
}

#[tokio::test]
async fn a_cdn_not_listed_is_not_asked() {
    let web = serve_names(page_routes(), &["intranet.example.com"]).await;
    let got = check(options(&web), &[PAGE]).await;
    assert!(!urls_of(&got[PAGE]).contains(&PARTNER.to_string()));
    assert_eq!(web.count(PARTNER), 0);
    assert_eq!(
        web.count(CDN),
        1,
        "the default CDN list covers cloudfront.net"
    );
}

#[tokio::test]
async fn nothing_is_fetched_without_the_option_or_for_a_dead_page() {
    let mut routes = page_routes();
    let gone = "http://news.example.com/world/gone.html";
    routes.push((
        gone,
        html(
            404,
            &article_with(r#"<link rel="stylesheet" href="/css/site.css">"#, ""),
        ),
    ));
    let web = serve_names(routes, &[]).await;
    let mut off = options(&web);
    off.requisites = false;
    let got = check(off, &[PAGE]).await;
    assert!(got[PAGE].requisites.is_empty());
    assert_eq!(got[PAGE].result.requisites, None);
    let got = check(options(&web), &[gone]).await;
    assert_eq!(got[gone].result.status, CheckStatus::Dead);
    assert!(got[gone].requisites.is_empty());
    assert_eq!(web.count(CSS), 0);
    assert_eq!(web.count(PHOTO), 0);
}

/// A page with ten images of 1,000 bytes each.
fn ten_images() -> Vec<(String, Reply)> {
    let images: String = (0..10)
        .map(|i| format!(r#"<img src="/img/{i}.png">"#))
        .collect();
    let page = (PAGE.to_string(), html(200, &article_with("", &images)));
    std::iter::once(page)
        .chain((0..10).map(|i| {
            let url = format!("http://news.example.com/img/{i}.png");
            (url, bytes("image/png", 1000))
        }))
        .collect()
}

async fn serve_owned(routes: &[(String, Reply)]) -> Names {
    let routes = routes
        .iter()
        .map(|(u, r)| (u.as_str(), r.clone()))
        .collect();
    serve_names(routes, &[]).await
}

fn image_requests(web: &Names) -> usize {
    web.seen()
        .iter()
        .filter(|(u, _)| u.contains("/img/"))
        .count()
}

#[tokio::test]
async fn caps_in_count_and_bytes_are_honoured() {
    let web = serve_owned(&ten_images()).await;
    let mut opts = options(&web);
    opts.max_requisites = 3;
    let got = check(opts, &[PAGE]).await;
    let count = got[PAGE].result.requisites.unwrap();
    assert_eq!((count.captured, count.skipped), (3, 7));
    assert_eq!(image_requests(&web), 3);

    let web = serve_owned(&ten_images()).await;
    let mut opts = options(&web);
    opts.max_requisite_bytes = 2500;
    let got = check(opts, &[PAGE]).await;
    let count = got[PAGE].result.requisites.unwrap();
    // The third crosses the cap and is kept whole; nothing starts after.
    assert_eq!((count.captured, count.skipped), (3, 7));
    assert_eq!(image_requests(&web), 3);
}

#[tokio::test]
async fn requisites_wait_their_turn_at_the_hosts_gate() {
    let web = serve_names(page_routes(), &[]).await;
    let mut opts = options(&web);
    opts.host_interval = Duration::from_millis(150);
    let _ = check(opts, &[PAGE]).await;
    let starts: Vec<_> = web
        .seen()
        .into_iter()
        .filter(|(u, _)| u.starts_with("http://news.example.com/"))
        .map(|(_, at)| at)
        .collect();
    assert!(starts.len() >= 6, "{}", starts.len());
    for pair in starts.windows(2) {
        let gap = pair[1].duration_since(pair[0]);
        // Arrival times: a little jitter below the interval is the
        // network's, not a second request in the same slot.
        assert!(gap >= Duration::from_millis(120), "gap {gap:?}");
    }
}

#[tokio::test]
async fn a_stylesheet_shared_by_pages_is_fetched_once_and_archived_once() {
    let mut routes = page_routes();
    let second = "http://news.example.com/world/2025/second.html";
    routes.push((
        second,
        html(
            200,
            &article_with(
                r#"<link rel="stylesheet" href="/css/site.css">"#,
                r#"<img src="/img/bg.png">"#,
            ),
        ),
    ));
    let web = serve_names(routes, &[]).await;
    let got = check(options(&web), &[PAGE, second]).await;
    assert_eq!(web.count(CSS), 1);
    assert_eq!(web.count(FONT), 1);
    assert_eq!(web.count(BACKGROUND), 1);
    assert!(urls_of(&got[second]).contains(&CSS.to_string()));

    let tmp = tempfile::tempdir().unwrap();
    let mut archive = Archive::open(tmp.path()).unwrap();
    archive.begin_run().unwrap();
    for (_, mut c) in got {
        archive.store(&mut c).unwrap();
    }
    archive.finish_run(&Default::default()).unwrap();
    drop(archive);
    let archive = Archive::open_read_only(tmp.path()).unwrap();
    let css = archive.snapshots(CSS).unwrap();
    assert_eq!(css.len(), 1, "one record for the shared stylesheet");
    let payload = archive.read_payload(&css[0]).unwrap();
    assert!(String::from_utf8_lossy(&payload).contains("@font-face"));
    let font = archive.snapshots(FONT).unwrap();
    assert_eq!(font.len(), 1);
    assert_eq!(archive.read_payload(&font[0]).unwrap(), vec![b'x'; 300]);
    assert!(
        archive.snapshots(MISSING).unwrap().is_empty(),
        "a failed requisite is absent"
    );
}
