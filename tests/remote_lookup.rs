//! Public-archive lookup against fake archives on 127.0.0.1: the Wayback
//! CDX API and its `/web/` fallback, Memento TimeGates and TimeMaps, the
//! choice of the capture closest to the cited date, verification of the
//! chosen memento, pacing, retries and the guard for untrusted endpoints.

use crate::support::archives;

use archives::{article, cdx, page, redirect, reply, start, timemap, FakeArchive, Reply};
use citevault::model::{RemoteCopy, Timestamp};
use citevault::remote::{PublicArchives, RemoteOptions};
use std::time::Duration;
use url::Url;

const A: &str = "http://example.org/a";

fn url(n: &str) -> String {
    format!("http://example.org/{n}")
}

/// The CDX query prefix for `u` (percent-encoded as a query value).
fn cdx_path(u: &str) -> String {
    format!(
        "/cdx/search/cdx?url={}&",
        u.replace(':', "%3A").replace('/', "%2F")
    )
}

fn at(t: &str) -> Timestamp {
    t.parse().expect("a valid time")
}

fn options(wayback: Option<&FakeArchive>, mementos: Vec<String>) -> RemoteOptions {
    RemoteOptions {
        wayback_url: wayback.map(|w| Url::parse(&w.url("/")).unwrap()),
        memento_urls: mementos.iter().map(|m| Url::parse(m).unwrap()).collect(),
        lookup_interval: Duration::ZERO,
        timeout: Duration::from_secs(5),
        max_retries: 1,
        trusted_endpoints: true,
        ..Default::default()
    }
}

fn archives(opts: RemoteOptions) -> PublicArchives {
    PublicArchives::new(opts).expect("a client")
}

/// Routes for one URL's CDX rows (all recorded 200) and good raw mementos
/// at each of them.
fn wayback_routes(u: &str, stamps: &[&str]) -> Vec<(String, Reply)> {
    let rows: Vec<(&str, &str, &str)> = stamps.iter().map(|t| (*t, u, "200")).collect();
    let mut routes = vec![(cdx_path(u), cdx(&rows))];
    for t in stamps {
        routes.push((format!("/web/{t}id_/{u}"), article("Plan goes ahead")));
    }
    routes
}

fn chosen(copy: &RemoteCopy) -> (&str, Timestamp, Option<&str>, Option<i64>) {
    let c = copy
        .capture
        .as_ref()
        .unwrap_or_else(|| panic!("a capture: {copy:#?}"));
    (
        c.url.as_str(),
        c.captured_at,
        c.distance.as_deref(),
        c.distance_days,
    )
}

#[tokio::test]
async fn the_latest_capture_on_or_before_the_cited_day_is_chosen() {
    let b = url("b");
    let w = start(|_| {
        let mut r = wayback_routes(
            A,
            &[
                "20251101120000",
                "20251118120000",
                "20251119000001",
                "20251201000000",
            ],
        );
        r.extend(wayback_routes(
            &b,
            &["20251110000000", "20251117093000", "20251120000000"],
        ));
        r
    })
    .await;
    let pa = archives(options(Some(&w), vec![]));

    let copy = pa.lookup(A, Some("2025-11-18")).await;
    assert_eq!(
        chosen(&copy),
        (
            w.url("/web/20251118120000/http://example.org/a").as_str(),
            at("2025-11-18T12:00:00Z"),
            Some("on the cited date"),
            Some(0)
        )
    );
    let c = copy.capture.as_ref().unwrap();
    assert_eq!(
        (c.archive.as_str(), c.http_status, c.saved),
        ("wayback", 200, false)
    );
    assert_eq!(copy.asked, vec!["wayback".to_string()]);
    assert!(copy.problems.is_empty(), "{:?}", copy.problems);
    assert!(copy.looked_up_at.0 > 1_700_000_000);
    let queries: Vec<String> = w.seen_at("/cdx/").into_iter().map(|s| s.path).collect();
    assert_eq!(
        queries,
        vec!["/cdx/search/cdx?url=http%3A%2F%2Fexample.org%2Fa&output=json&from=20241118&to=20261118&filter=statuscode:20[036]&collapse=digest".to_string()]
    );
    // Only the chosen memento was fetched, in its raw form.
    let fetched: Vec<String> = w.seen_at("/web/").into_iter().map(|s| s.path).collect();
    assert_eq!(fetched, vec!["/web/20251118120000id_/http://example.org/a"]);

    let copy = pa.lookup(&b, Some("2025-11-18")).await;
    assert_eq!(
        chosen(&copy),
        (
            w.url("/web/20251117093000/http://example.org/b").as_str(),
            at("2025-11-17T09:30:00Z"),
            Some("1 day before the cited date"),
            Some(-1)
        )
    );
}

#[tokio::test]
async fn with_captures_only_after_the_date_the_earliest_is_chosen() {
    let w =
        start(|_| wayback_routes(A, &["20251125000000", "20251120101010", "20260101000000"])).await;
    let copy = archives(options(Some(&w), vec![]))
        .lookup(A, Some("2025-11-18"))
        .await;
    assert_eq!(
        chosen(&copy),
        (
            w.url("/web/20251120101010/http://example.org/a").as_str(),
            at("2025-11-20T10:10:10Z"),
            Some("2 days after the cited date"),
            Some(2)
        )
    );
}

#[tokio::test]
async fn a_cited_month_is_the_whole_month() {
    let (b, c) = (url("b"), url("c"));
    let w = start(|_| {
        let mut r = wayback_routes(
            A,
            &[
                "20251020000000",
                "20251115000000",
                "20251130235000",
                "20251202000000",
            ],
        );
        r.extend(wayback_routes(&b, &["20251203000000"]));
        r.extend(wayback_routes(&c, &["20251020000000"]));
        r
    })
    .await;
    let pa = archives(options(Some(&w), vec![]));
    let copy = pa.lookup(A, Some("2025-11")).await;
    assert_eq!(
        chosen(&copy),
        (
            w.url("/web/20251130235000/http://example.org/a").as_str(),
            at("2025-11-30T23:50:00Z"),
            Some("on the cited date"),
            Some(0)
        )
    );
    assert!(
        w.seen_at("/cdx/")[0]
            .path
            .contains("&from=20241101&to=20261130&"),
        "{:?}",
        w.seen_at("/cdx/")
    );
    let copy = pa.lookup(&b, Some("2025-11")).await;
    assert_eq!(chosen(&copy).2, Some("3 days after the cited date"));
    assert_eq!(chosen(&copy).3, Some(3));
    let copy = pa.lookup(&c, Some("2025-11")).await;
    assert_eq!(chosen(&copy).2, Some("12 days before the cited date"));
    assert_eq!(chosen(&copy).3, Some(-12));
}

#[tokio::test]
async fn without_a_date_the_latest_capture_is_chosen() {
    let w =
        start(|_| wayback_routes(A, &["20190101000000", "20240305060708", "20230101000000"])).await;
    let copy = archives(options(Some(&w), vec![])).lookup(A, None).await;
    assert_eq!(
        chosen(&copy),
        (
            w.url("/web/20240305060708/http://example.org/a").as_str(),
            at("2024-03-05T06:07:08Z"),
            None,
            None
        )
    );
    let query = &w.seen_at("/cdx/")[0].path;
    assert!(query.contains("limit=-50"), "{query}");
    assert!(!query.contains("from="), "{query}");
}

#[tokio::test]
async fn an_empty_cdx_answer_is_no_capture_and_no_problem() {
    let w = start(|_| vec![(cdx_path(A), cdx(&[]))]).await;
    let copy = archives(options(Some(&w), vec![]))
        .lookup(A, Some("2025-11-18"))
        .await;
    assert_eq!(copy.capture, None);
    assert!(copy.problems.is_empty(), "{:?}", copy.problems);
    assert_eq!(copy.asked, vec!["wayback".to_string()]);
    assert!(w.seen_at("/web/").is_empty());
}

#[tokio::test]
async fn a_malformed_cdx_answer_falls_back_to_the_web_redirect() {
    let w = start(|_| {
        vec![
            (
                cdx_path(A),
                reply(
                    200,
                    "text/html",
                    "<html><body>Service Unavailable</body></html>",
                ),
            ),
            (
                "/web/20251118235959/http://example.org/a".into(),
                redirect(302, "/web/20251117080000/http://example.org/a"),
            ),
            (
                "/web/20251117080000id_/http://example.org/a".into(),
                article("Plan goes ahead"),
            ),
        ]
    })
    .await;
    let copy = archives(options(Some(&w), vec![]))
        .lookup(A, Some("2025-11-18"))
        .await;
    assert_eq!(w.seen_at("/web/20251118235959/").len(), 1);
    assert_eq!(
        chosen(&copy),
        (
            w.url("/web/20251117080000/http://example.org/a").as_str(),
            at("2025-11-17T08:00:00Z"),
            Some("1 day before the cited date"),
            Some(-1)
        )
    );
    assert!(copy.problems.is_empty(), "{:?}", copy.problems);
    assert_eq!(w.seen_at("/web/20251117080000id_/").len(), 1);
}

#[tokio::test]
async fn a_429_with_retry_after_is_waited_out() {
    let w = start(|_| {
        let mut r = wayback_routes(A, &["20251118000000"]);
        r[0].1 = Reply::Sequence(vec![
            reply(429, "text/plain", "slow down").with("retry-after", "1"),
            r[0].1.clone(),
        ]);
        r
    })
    .await;
    let copy = archives(options(Some(&w), vec![]))
        .lookup(A, Some("2025-11-18"))
        .await;
    assert_eq!(chosen(&copy).1, at("2025-11-18T00:00:00Z"));
    assert!(copy.problems.is_empty(), "{:?}", copy.problems);
    let asks = w.seen_at("/cdx/");
    assert_eq!(asks.len(), 2);
    let waited = asks[1].at - asks[0].at;
    assert!(waited >= Duration::from_millis(950), "{waited:?}");
}

#[tokio::test]
async fn a_persistent_429_is_a_rate_limited_problem() {
    let w = start(|_| {
        vec![
            (
                "/cdx/".into(),
                reply(429, "text/plain", "slow down").with("retry-after", "0"),
            ),
            (
                "/web/".into(),
                reply(429, "text/plain", "slow down").with("retry-after", "0"),
            ),
        ]
    })
    .await;
    let copy = archives(options(Some(&w), vec![]))
        .lookup(A, Some("2025-11-18"))
        .await;
    assert_eq!(copy.capture, None);
    assert_eq!(copy.problems.len(), 1, "{:?}", copy.problems);
    assert!(
        copy.problems[0]
            .starts_with("wayback: rate-limited: wayback-cdx answered 429 Too Many Requests"),
        "{:?}",
        copy.problems
    );
    // One retry each (max_retries 1).
    assert_eq!(w.seen_at("/cdx/").len(), 2);
    assert_eq!(w.seen_at("/web/").len(), 2);
}

#[tokio::test]
async fn archived_error_pages_are_skipped_for_the_next_candidate() {
    let (d, e, f) = (url("d"), url("e"), url("f"));
    let rows = |u: &str| -> Reply {
        let stamps = [
            "20251115000000",
            "20251116000000",
            "20251117000000",
            "20251114000000",
            "20251119000000",
        ];
        let rows: Vec<(&str, &str, &str)> = stamps.iter().map(|t| (*t, u, "200")).collect();
        cdx(&rows)
    };
    let w = start(|_| {
        vec![
            // A: a soft-404 page, then a recorded 404, then the article.
            (cdx_path(A), rows(A)),
            (
                "/web/20251117000000id_/http://example.org/a".into(),
                page(200, "Page not found", "Sorry, we could not find that page."),
            ),
            (
                "/web/20251116000000id_/http://example.org/a".into(),
                page(404, "Not Found", "Not Found"),
            ),
            (
                "/web/20251115000000id_/http://example.org/a".into(),
                article("Plan goes ahead"),
            ),
            // E: the archive redirects to a neighbouring timestamp.
            (cdx_path(&e), cdx(&[("20251117000000", &e, "200")])),
            (
                "/web/20251117000000id_/http://example.org/e".into(),
                redirect(302, "/web/20251116235900id_/http://example.org/e"),
            ),
            (
                "/web/20251116235900id_/http://example.org/e".into(),
                article("Plan goes ahead"),
            ),
            // F: the memento states its own datetime.
            (cdx_path(&f), cdx(&[("20251117000000", &f, "200")])),
            (
                "/web/20251117000000id_/http://example.org/f".into(),
                article("Plan goes ahead")
                    .with("memento-datetime", "Mon, 17 Nov 2025 06:30:00 GMT"),
            ),
            // D: every capture is an error page (this catch-all comes last).
            (cdx_path(&d), rows(&d)),
            (
                "/web/".into(),
                page(
                    200,
                    "404 Not Found | Example News",
                    "The page you requested does not exist.",
                ),
            ),
        ]
    })
    .await;
    let pa = archives(options(Some(&w), vec![]));

    let copy = pa.lookup(A, Some("2025-11-18")).await;
    assert_eq!(
        chosen(&copy).0,
        w.url("/web/20251115000000/http://example.org/a")
    );
    assert_eq!(chosen(&copy).3, Some(-3));
    let tried: Vec<String> = w.seen_at("/web/").into_iter().map(|s| s.path).collect();
    assert_eq!(
        tried,
        vec![
            "/web/20251117000000id_/http://example.org/a",
            "/web/20251116000000id_/http://example.org/a",
            "/web/20251115000000id_/http://example.org/a",
        ]
    );

    let copy = pa.lookup(&d, Some("2025-11-18")).await;
    assert_eq!(copy.capture, None);
    assert!(copy.problems.is_empty(), "{:?}", copy.problems);
    let tried = w
        .seen_at("/web/")
        .into_iter()
        .filter(|s| s.path.ends_with(&d))
        .count();
    assert_eq!(tried, 3, "at most three mementos per archive are verified");

    // The archive redirects to a neighbouring timestamp: that is the capture.
    let copy = pa.lookup(&e, Some("2025-11-18")).await;
    assert_eq!(
        chosen(&copy),
        (
            w.url("/web/20251116235900/http://example.org/e").as_str(),
            at("2025-11-16T23:59:00Z"),
            Some("2 days before the cited date"),
            Some(-2)
        )
    );

    // The memento's Memento-Datetime is its capture time.
    let copy = pa.lookup(&f, Some("2025-11-18")).await;
    assert_eq!(chosen(&copy).1, at("2025-11-17T06:30:00Z"));
}

/// A Memento archive whose TimeGate redirects to `location` (a path) and
/// names its TimeMap, answering the TimeMap with `map`.
async fn memento_archive(
    location: &'static str,
    map: impl FnOnce(&str) -> Reply,
    good: &'static [&'static str],
) -> FakeArchive {
    start(move |base| {
        let links = format!(
            "<{A}>; rel=\"original\", <{base}/timemap/link/{A}>; rel=\"timemap\"; type=\"application/link-format\", <{base}{location}>; rel=\"memento\"; datetime=\"Wed, 19 Nov 2025 08:00:00 GMT\""
        );
        let mut routes = vec![
            (
                format!("/timegate/{A}"),
                redirect(302, &format!("{base}{location}"))
                    .with("link", &links)
                    .with("vary", "accept-datetime"),
            ),
            (format!("/timemap/link/{A}"), map(base)),
        ];
        for g in good {
            routes.push((g.to_string(), article("Plan goes ahead")));
        }
        routes
    })
    .await
}

#[tokio::test]
async fn a_memento_timemap_gives_the_capture_before_the_date() {
    let m = memento_archive(
        "/20251119080000/http://example.org/a",
        |base| {
            timemap(
                A,
                &[
                    (
                        &format!("{base}/20250301000000/{A}"),
                        "Sat, 01 Mar 2025 00:00:00 GMT",
                    ),
                    (
                        &format!("{base}/20251110101010/{A}"),
                        "Mon, 10 Nov 2025 10:10:10 GMT",
                    ),
                    (
                        &format!("{base}/20251119080000/{A}"),
                        "Wed, 19 Nov 2025 08:00:00 GMT",
                    ),
                ],
            )
        },
        &["/20251110101010/", "/20251119080000/"],
    )
    .await;
    // The Wayback Machine's capture is further from the date.
    let w = start(|_| wayback_routes(A, &["20251105000000"])).await;
    let name = format!("127.0.0.1:{}", m.addr.port());
    let copy = archives(options(Some(&w), vec![m.url("/timegate/")]))
        .lookup(A, Some("2025-11-18"))
        .await;
    assert_eq!(
        chosen(&copy),
        (
            m.url("/20251110101010/http://example.org/a").as_str(),
            at("2025-11-10T10:10:10Z"),
            Some("8 days before the cited date"),
            Some(-8)
        )
    );
    assert_eq!(copy.capture.as_ref().unwrap().archive, name);
    assert_eq!(copy.asked, vec!["wayback".to_string(), name]);
    assert!(copy.problems.is_empty(), "{:?}", copy.problems);
    let gate = m.seen_at("/timegate/");
    assert_eq!(gate.len(), 1);
    assert_eq!(
        gate[0].accept_datetime.as_deref(),
        Some("Tue, 18 Nov 2025 23:59:59 GMT")
    );
    assert_eq!(m.seen_at("/timemap/").len(), 1);
    assert!(w.seen_at("/web/").is_empty(), "{:?}", w.seen());
}

#[tokio::test]
async fn a_malformed_timemap_is_a_problem_and_the_timegate_answer_stands() {
    let m = memento_archive(
        "/20251117000000/http://example.org/a",
        |_| reply(200, "application/link-format", "this is not a timemap"),
        &["/20251117000000/"],
    )
    .await;
    let name = format!("127.0.0.1:{}", m.addr.port());
    let copy = archives(options(None, vec![m.url("/timegate/")]))
        .lookup(A, Some("2025-11-18"))
        .await;
    assert_eq!(copy.asked, vec![name.clone()]);
    assert_eq!(copy.problems.len(), 1, "{:?}", copy.problems);
    assert!(
        copy.problems[0].starts_with(&format!("{name}: malformed answer: TimeMap")),
        "{:?}",
        copy.problems
    );
    assert_eq!(
        chosen(&copy).0,
        m.url("/20251117000000/http://example.org/a")
    );
}

#[tokio::test]
async fn requests_to_one_service_are_paced() {
    let w = start(|_| vec![("/cdx/".into(), cdx(&[]))]).await;
    let pa = archives(RemoteOptions {
        lookup_interval: Duration::from_millis(300),
        ..options(Some(&w), vec![])
    });
    let (b, c) = (url("b"), url("c"));
    let (x, y, z) = tokio::join!(
        pa.lookup(A, Some("2025-11-18")),
        pa.lookup(&b, None),
        pa.lookup(&c, Some("2025-11")),
    );
    for copy in [x, y, z] {
        assert_eq!(copy.capture, None);
        assert!(copy.problems.is_empty(), "{:?}", copy.problems);
    }
    let mut times: Vec<_> = w.seen_at("/cdx/").into_iter().map(|s| s.at).collect();
    times.sort();
    assert_eq!(times.len(), 3);
    for pair in times.windows(2) {
        let gap = pair[1] - pair[0];
        assert!(gap >= Duration::from_millis(280), "{gap:?}");
    }
}

#[tokio::test]
async fn an_untrusted_private_endpoint_is_refused_unasked() {
    let w = start(|_| wayback_routes(A, &["20251118000000"])).await;
    let copy = archives(RemoteOptions {
        trusted_endpoints: false,
        ..options(Some(&w), vec![w.url("/timegate/")])
    })
    .lookup(A, Some("2025-11-18"))
    .await;
    assert_eq!(copy.capture, None);
    assert_eq!(copy.problems.len(), 2, "{:?}", copy.problems);
    assert!(
        copy.problems[0].starts_with("wayback: ") && copy.problems[0].contains("private address"),
        "{:?}",
        copy.problems
    );
    assert!(
        copy.problems[1].contains("private address"),
        "{:?}",
        copy.problems
    );
    assert!(w.seen().is_empty(), "{:?}", w.seen());
}

#[tokio::test]
async fn a_timegate_memento_without_a_stated_date_is_dated_by_fetching_it() {
    let b = url("b");
    let m = start(|_| {
        vec![
            (format!("/timegate/{A}"), redirect(302, "/s/AbCd")),
            (
                "/s/AbCd".into(),
                article("Plan goes ahead")
                    .with("memento-datetime", "Mon, 17 Nov 2025 06:30:00 GMT"),
            ),
            (format!("/timegate/{b}"), redirect(302, "/s/Gone")),
            (
                "/s/Gone".into(),
                page(200, "Page not found", "Sorry, we could not find that page."),
            ),
        ]
    })
    .await;
    let pa = archives(options(None, vec![m.url("/timegate/")]));
    let copy = pa.lookup(A, None).await;
    assert_eq!(
        chosen(&copy),
        (
            m.url("/s/AbCd").as_str(),
            at("2025-11-17T06:30:00Z"),
            None,
            None
        )
    );
    assert!(copy.problems.is_empty(), "{:?}", copy.problems);
    assert_eq!(m.seen_at("/timegate/")[0].accept_datetime, None);
    assert_eq!(
        m.seen_at("/s/AbCd").len(),
        1,
        "fetched once, to date and verify it"
    );

    let copy = pa.lookup(&b, Some("2025-11-18")).await;
    assert_eq!(copy.capture, None);
    assert!(copy.problems.is_empty(), "{:?}", copy.problems);
}

/// A resolver with no network: every name fails, and it counts the asks.
#[derive(Debug, Default)]
struct NoNetwork {
    asked: std::sync::atomic::AtomicUsize,
}

impl citevault::check::NameLookup for NoNetwork {
    fn lookup(&self, _host: &str) -> citevault::check::Lookup {
        self.asked.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        Box::pin(async {
            Err(citevault::check::LookupError::Failed(
                "Temporary failure in name resolution".into(),
            ))
        })
    }
}

#[tokio::test]
async fn without_a_network_lookups_say_so_at_once_and_stop_asking() {
    let resolver = std::sync::Arc::new(NoNetwork::default());
    let archives = PublicArchives::new(RemoteOptions {
        wayback_url: Some(Url::parse("http://wayback.archive.invalid/").unwrap()),
        lookup: resolver.clone(),
        lookup_interval: Duration::from_secs(5),
        ..Default::default()
    })
    .unwrap();
    let first = archives
        .lookup("https://www.rfa.org/a.html", Some("2025-11-18"))
        .await;
    assert!(first.capture.is_none());
    assert!(
        first.problems[0].contains("network unavailable"),
        "{:?}",
        first.problems
    );
    let asked = resolver.asked.load(std::sync::atomic::Ordering::SeqCst);
    // The next lookups neither wait their turn (5 s apart) nor ask DNS.
    let started = std::time::Instant::now();
    for path in ["b", "c", "d"] {
        let copy = archives
            .lookup(&format!("https://www.rfa.org/{path}.html"), None)
            .await;
        assert!(copy.problems[0].contains("network unavailable"));
    }
    assert!(started.elapsed() < Duration::from_secs(1));
    assert_eq!(
        resolver.asked.load(std::sync::atomic::Ordering::SeqCst),
        asked
    );
}

/// The archive given on the command line may be on a private address; a
/// host that only an archive's answer names (a TimeGate redirecting to a
/// memento on another machine of the runner's network) may not.
#[tokio::test]
async fn a_memento_on_a_private_host_named_only_by_an_answer_is_refused() {
    let elsewhere = "http://127.0.0.2:9/20251117000000/http://example.org/a";
    let gate = start(move |_| {
        vec![(
            "/timegate/".to_string(),
            redirect(302, elsewhere).with("vary", "accept-datetime"),
        )]
    })
    .await;
    let archives = PublicArchives::new(RemoteOptions {
        wayback_url: None,
        memento_urls: vec![Url::parse(&gate.url("/timegate/")).unwrap()],
        lookup_interval: Duration::ZERO,
        ..Default::default()
    })
    .unwrap();
    let copy = archives
        .lookup("http://example.org/a", Some("2025-11-18"))
        .await;
    assert!(copy.capture.is_none(), "{copy:?}");
    assert_eq!(
        gate.seen_at("/timegate/").len(),
        1,
        "the endpoint itself is asked"
    );
    assert!(
        copy.problems
            .iter()
            .any(|p| p.contains("127.0.0.2") && p.contains("named by an archive's answer")),
        "{:?}",
        copy.problems
    );
}
