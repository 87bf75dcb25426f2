//! Checking against real HTTP servers on 127.0.0.x: one test per verdict,
//! and for retries, Retry-After, redirects, body caps, charsets, network
//! faults and politeness.

use crate::support;
use citevault::check::{CheckOptions, Checker};
use citevault::model::{CheckResult, CheckStatus};
use futures_util::StreamExt;
use std::time::Duration;
use support::server::*;

fn opts() -> CheckOptions {
    CheckOptions {
        timeout: Duration::from_secs(3),
        host_interval: Duration::ZERO,
        retry_base: Duration::from_millis(10),
        max_retries: 2,
        allow_private: true,
        confirm_after: Some(Duration::from_millis(50)),
        ..CheckOptions::default()
    }
}

fn checker(o: CheckOptions) -> Checker {
    Checker::new(o).expect("client builds")
}

const ARTICLE: &str = "<html><head><title>Nexperia urges China unit to resume operations</title></head><body><main><h1>Nexperia urges China unit</h1><p>In a public letter issued on November 28, 2025, Dutch chipmaker Nexperia called on its Chinese subsidiary to restore normal supply-chain operations.</p></main></body></html>";

#[tokio::test]
async fn alive_records_title_hash_and_length() {
    let s = serve("127.0.0.1", vec![("/a", html(200, ARTICLE))]).await;
    let r = checker(opts()).check(&s.url("/a")).await;
    assert_eq!(r.status, CheckStatus::Alive, "{}", r.reason);
    assert_eq!(r.http_status, Some(200));
    assert_eq!(
        r.title.as_deref(),
        Some("Nexperia urges China unit to resume operations")
    );
    assert_eq!(r.content_length, Some(ARTICLE.len() as u64));
    let expected: String = {
        use sha2::Digest;
        sha2::Sha256::digest(ARTICLE.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    };
    assert_eq!(r.sha256.map(|d| d.to_string()), Some(expected));
    assert_eq!(r.attempts, 1);
    assert!(
        r.checked_at.to_string().ends_with('Z') && r.checked_at.to_string().contains('T'),
        "{}",
        r.checked_at
    );
    // GET only: the server refuses HEAD with 405 and was never sent one.
    assert!(s.seen().iter().all(|x| x.method == "GET"));
}

#[tokio::test]
async fn dead_404_and_410() {
    let s = serve("127.0.0.1", vec![("/gone", html(410, "gone"))]).await;
    let c = checker(opts());
    let r = c.check(&s.url("/missing")).await;
    assert_eq!(
        (r.status, r.http_status),
        (CheckStatus::Dead, Some(404)),
        "{}",
        r.reason
    );
    let r = c.check(&s.url("/gone")).await;
    assert_eq!(
        (r.status, r.http_status),
        (CheckStatus::Dead, Some(410)),
        "{}",
        r.reason
    );
    // Not retried; fetched once more later in the run to confirm.
    assert_eq!(s.count("/missing"), 2, "404 is not retried, only confirmed");
}

#[tokio::test]
async fn soft_404s() {
    let s = serve(
        "127.0.0.1",
        vec![
            ("/", html(200, ARTICLE)),
            ("/article/1", redirect(302, "/")),
            ("/article/2", redirect(301, "/errors/404.html")),
            ("/errors/404.html", html(200, "<title>Oops</title><p>Sorry.</p>")),
            ("/article/3", html(200, "<html><head><title>页面不存在</title></head><body><p>您访问的页面不存在</p></body></html>")),
            ("/article/4", html(200, "<html><head><title>News</title></head><body><h1>ページが見つかりません</h1></body></html>")),
        ],
    )
    .await;
    let c = checker(opts());
    for path in ["/article/1", "/article/2", "/article/3", "/article/4"] {
        let r = c.check(&s.url(path)).await;
        assert_eq!(r.status, CheckStatus::Soft404, "{path}: {}", r.reason);
        assert_eq!(r.http_status, Some(200));
    }
    // The home page itself, cited as such, is alive.
    assert_eq!(c.check(&s.url("/")).await.status, CheckStatus::Alive);
}

#[tokio::test]
async fn blocked_is_never_dead() {
    let s = serve(
        "127.0.0.1",
        vec![
            ("/forbidden", html(403, "<title>Forbidden</title>")),
            ("/legal", html(451, "blocked")),
            ("/challenge", html(200, "<html><head><title>Just a moment...</title></head><body>Checking your browser</body></html>")),
            ("/limited", Reply::Fixed(429, vec![("retry-after", "0".into())], b"slow down".to_vec())),
        ],
    )
    .await;
    let c = checker(opts());
    for path in ["/forbidden", "/legal", "/challenge", "/limited"] {
        let r = c.check(&s.url(path)).await;
        assert_eq!(r.status, CheckStatus::Blocked, "{path}: {}", r.reason);
    }
    assert_eq!(
        s.count("/limited"),
        3,
        "429 retried up to max_retries, then blocked"
    );
}

#[tokio::test]
async fn server_errors_are_retried_then_error() {
    let s = serve(
        "127.0.0.1",
        vec![
            ("/broken", html(500, "boom")),
            (
                "/flaky",
                Reply::Sequence(vec![html(502, "bad gateway"), html(200, ARTICLE)]),
            ),
        ],
    )
    .await;
    let c = checker(opts());
    let r = c.check(&s.url("/broken")).await;
    assert_eq!(r.status, CheckStatus::Error, "{}", r.reason);
    assert_eq!(r.attempts, 3);
    assert_eq!(s.count("/broken"), 3);
    let r = c.check(&s.url("/flaky")).await;
    assert_eq!(
        (r.status, r.attempts),
        (CheckStatus::Alive, 2),
        "{}",
        r.reason
    );
}

#[tokio::test]
async fn retry_after_is_honoured_and_slows_the_host() {
    let s = serve(
        "127.0.0.1",
        vec![(
            "/busy",
            Reply::Sequence(vec![
                Reply::Fixed(503, vec![("retry-after", "1".into())], b"busy".to_vec()),
                html(200, ARTICLE),
            ]),
        )],
    )
    .await;
    let r = checker(opts()).check(&s.url("/busy")).await;
    assert_eq!(
        (r.status, r.attempts),
        (CheckStatus::Alive, 2),
        "{}",
        r.reason
    );
    let seen = s.seen();
    let gap = seen[1].start - seen[0].start;
    assert!(gap >= Duration::from_millis(950), "waited only {gap:?}");
}

#[tokio::test]
async fn redirect_chains_are_recorded_and_loops_are_errors() {
    let s = serve(
        "127.0.0.1",
        vec![
            ("/old", redirect(301, "/older")),
            ("/older", redirect(302, "/new")),
            ("/new", html(200, ARTICLE)),
            ("/loop-a", redirect(302, "/loop-b")),
            ("/loop-b", redirect(302, "/loop-a")),
        ],
    )
    .await;
    let c = checker(opts());
    let r = c.check(&s.url("/old")).await;
    assert_eq!(r.status, CheckStatus::Alive, "{}", r.reason);
    assert_eq!(r.redirects, [s.url("/older"), s.url("/new")]);
    assert_eq!(r.final_url.as_deref(), Some(s.url("/new").as_str()));
    let r = c.check(&s.url("/loop-a")).await;
    assert_eq!(r.status, CheckStatus::Error);
    assert!(r.reason.contains("redirect loop"), "{}", r.reason);
}

#[tokio::test]
async fn bodies_are_capped_and_flagged() {
    let big = format!("<title>Big</title><p>{}</p>", "x".repeat(100_000));
    let s = serve("127.0.0.1", vec![("/big", html(200, &big))]).await;
    let r = checker(CheckOptions {
        max_body: 10_000,
        ..opts()
    })
    .check(&s.url("/big"))
    .await;
    assert_eq!(r.status, CheckStatus::Alive, "{}", r.reason);
    assert!(r.truncated);
    assert_eq!(r.content_length, Some(10_000));
}

#[tokio::test]
async fn gbk_page_title_is_decoded() {
    let page = "<html><head><meta charset=\"gb2312\"><title>人民日报：钟声</title></head><body><p>正文内容足够长。</p></body></html>";
    let (bytes, _, _) = encoding_rs::GBK.encode(page);
    let s = serve(
        "127.0.0.1",
        vec![(
            "/gbk",
            Reply::Fixed(
                200,
                vec![("content-type", "text/html".into())],
                bytes.into_owned(),
            ),
        )],
    )
    .await;
    let r = checker(opts()).check(&s.url("/gbk")).await;
    assert_eq!(r.title.as_deref(), Some("人民日报：钟声"));
}

#[tokio::test]
async fn a_server_that_never_answers_times_out_and_the_host_is_given_up() {
    let addr = silent_server().await;
    let c = checker(CheckOptions {
        timeout: Duration::from_millis(300),
        max_retries: 0,
        give_up_after: 2,
        ..opts()
    });
    let urls: Vec<String> = (0..5).map(|i| format!("http://{addr}/p{i}")).collect();
    let started = std::time::Instant::now();
    let results: Vec<_> = futures_util::StreamExt::collect::<Vec<_>>(c.check_all(urls)).await;
    assert_eq!(results.len(), 5);
    assert!(results
        .iter()
        .all(|(_, r)| r.status == CheckStatus::Timeout));
    let given_up = results
        .iter()
        .filter(|(_, r)| r.reason.contains("given up"))
        .count();
    assert!(given_up >= 2, "{results:#?}");
    assert!(
        started.elapsed() < Duration::from_millis(300 * 4),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn a_connection_dropped_mid_body_is_an_error() {
    let addr = dropping_server(10_000, 100).await;
    let r = checker(opts()).check(&format!("http://{addr}/x")).await;
    assert_eq!(r.status, CheckStatus::Error, "{}", r.reason);
    assert!(r.reason.contains("body"), "{}", r.reason);
    assert_eq!(r.attempts, 3, "retried");
}

#[tokio::test]
async fn private_addresses_are_refused_unless_allowed() {
    let s = serve("127.0.0.1", vec![("/a", html(200, ARTICLE))]).await;
    let r = checker(CheckOptions {
        allow_private: false,
        ..opts()
    })
    .check(&s.url("/a"))
    .await;
    assert_eq!(r.status, CheckStatus::Skipped);
    assert!(r.reason.contains("--allow-private"), "{}", r.reason);
    assert!(s.seen().is_empty(), "no request was made");
    let r = checker(CheckOptions {
        allow_private: false,
        ..opts()
    })
    .check("http://localhost:1/")
    .await;
    assert_eq!(r.status, CheckStatus::Skipped);
}

#[tokio::test]
async fn excluded_and_non_http_urls_are_skipped() {
    let c = checker(CheckOptions {
        exclude: vec![regex::Regex::new("twitter\\.com").unwrap()],
        ..opts()
    });
    assert_eq!(
        c.check("https://twitter.com/x").await.status,
        CheckStatus::Skipped
    );
    assert_eq!(
        c.check("ftp://ftp.example.org/a").await.status,
        CheckStatus::Skipped
    );
}

#[tokio::test]
async fn a_host_that_does_not_exist_is_dead() {
    let r = checker(opts())
        .check("http://citevault-test.invalid/article")
        .await;
    // `.invalid` never resolves (RFC 6761). Offline machines may only
    // report a temporary DNS failure, which must not be called dead.
    match r.status {
        CheckStatus::Dead => assert!(r.reason.contains("does not exist"), "{}", r.reason),
        CheckStatus::Error => assert!(r.reason.contains("DNS"), "{}", r.reason),
        other => panic!("{other}: {}", r.reason),
    }
}

#[tokio::test]
async fn politeness_interval_and_concurrency_per_host_hold() {
    // Two hosts, eight URLs each, 50 ms per request.
    let slow = || Reply::Slow(Duration::from_millis(50), Box::new(html(200, ARTICLE)));
    let paths: Vec<String> = (0..8).map(|i| format!("/p{i}")).collect();
    let a = serve(
        "127.0.0.2",
        paths.iter().map(|p| (p.as_str(), slow())).collect(),
    )
    .await;
    let b = serve(
        "127.0.0.3",
        paths.iter().map(|p| (p.as_str(), slow())).collect(),
    )
    .await;
    let interval = Duration::from_millis(100);
    let c = checker(CheckOptions {
        host_interval: interval,
        host_concurrency: 2,
        ..opts()
    });
    let mut urls: Vec<String> = paths.iter().flat_map(|p| [a.url(p), b.url(p)]).collect();
    urls.push(a.url("/p0")); // a duplicate: checked once
    let started = std::time::Instant::now();
    let results: Vec<_> = futures_util::StreamExt::collect::<Vec<_>>(c.check_all(urls)).await;
    let wall = started.elapsed();
    assert_eq!(results.len(), 16);
    assert!(results.iter().all(|(_, r)| r.status == CheckStatus::Alive));
    for s in [&a, &b] {
        let mut seen = s.seen();
        let (probes, pages): (Vec<_>, Vec<_>) =
            seen.iter().partition(|x| x.path.contains("citevault-"));
        assert_eq!(pages.len(), 8, "each URL requested once");
        assert!(
            probes.len() <= 1,
            "at most one soft-404 probe per host and directory"
        );
        seen.sort_by_key(|x| x.start);
        for w in seen.windows(2) {
            let gap = w[1].start - w[0].start;
            // Measured where the server sees requests arrive: on a loaded
            // 2-core machine, connection set-up jitters by some milliseconds.
            assert!(
                gap >= interval - Duration::from_millis(20),
                "gap {gap:?} < {interval:?}"
            );
        }
        assert!(seen.iter().all(|x| x.in_flight_at_start <= 2));
    }
    // The hosts ran side by side: about 9 × 100 ms (8 pages and a probe), not 18 × 100 ms.
    assert!(wall < Duration::from_millis(1700), "took {wall:?}");
}

#[tokio::test]
async fn soft_404_by_probing_a_nonexistent_page_next_to_it() {
    let not_found_page = "<html><head><title>China News</title></head><body><h1>China News</h1><p>Welcome to our site. Browse the latest headlines from our front page and sections.</p></body></html>";
    // A site that answers 200 with its front page for anything, including
    // the removed article; and one real article.
    let s = serve(
        "127.0.0.4",
        vec![
            ("*", html(200, not_found_page)),
            ("/news/2025/real.html", html(200, ARTICLE)),
        ],
    )
    .await;
    let c = checker(opts());
    let r = c.check(&s.url("/news/2025/removed.html")).await;
    assert_eq!(r.status, CheckStatus::Soft404, "{}", r.reason);
    assert!(r.reason.contains("cannot exist"), "{}", r.reason);
    let r = c.check(&s.url("/news/2025/real.html")).await;
    assert_eq!(r.status, CheckStatus::Alive, "{}", r.reason);
    let probes = s
        .seen()
        .iter()
        .filter(|x| x.path.contains("citevault-"))
        .count();
    // The removed article is the probe's page; the real one is not, so a
    // second sibling is asked to tell the template apart: two probes for
    // the host and directory, each asked once and cached.
    assert_eq!(probes, 2, "one probe per host, directory and shape, cached");

    // A site that redirects every missing page to the same landing page.
    let t = serve(
        "127.0.0.5",
        vec![
            ("*", redirect(302, "/landing")),
            ("/landing", html(200, ARTICLE)),
        ],
    )
    .await;
    let r = c.check(&t.url("/a/old-story")).await;
    assert_eq!(r.status, CheckStatus::Soft404, "{}", r.reason);

    // A site that answers 404 for missing pages: its articles are alive.
    let u = serve("127.0.0.6", vec![("/a/story", html(200, ARTICLE))]).await;
    let r = c.check(&u.url("/a/story")).await;
    assert_eq!(r.status, CheckStatus::Alive, "{}", r.reason);
}

#[tokio::test]
async fn compressed_bodies_are_decoded() {
    use std::io::Write;
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(ARTICLE.as_bytes()).unwrap();
    let body = gz.finish().unwrap();
    let s = serve(
        "127.0.0.1",
        vec![(
            "/gz",
            Reply::Fixed(
                200,
                vec![
                    ("content-type", "text/html".into()),
                    ("content-encoding", "gzip".into()),
                ],
                body,
            ),
        )],
    )
    .await;
    let r = checker(opts()).check(&s.url("/gz")).await;
    assert_eq!(r.status, CheckStatus::Alive, "{}", r.reason);
    assert_eq!(
        r.title.as_deref(),
        Some("Nexperia urges China unit to resume operations")
    );
    assert_eq!(r.content_length, Some(ARTICLE.len() as u64));
}

#[tokio::test]
async fn proxy_option_sends_requests_through_the_proxy() {
    // The "proxy" answers absolute-form requests itself.
    let proxy = serve("127.0.0.1", vec![("/article", html(200, ARTICLE))]).await;
    let c = checker(CheckOptions {
        proxy: Some(format!("http://{}", proxy.addr)),
        ..opts()
    });
    let r = c.check("http://citevault-proxied.invalid/article").await;
    assert_eq!(r.status, CheckStatus::Alive, "{}", r.reason);
    assert!(proxy.count("/article") >= 1, "{:?}", proxy.seen());
}

#[tokio::test]
async fn retry_after_pauses_every_url_of_the_host() {
    let s = serve(
        "127.0.0.7",
        vec![
            (
                "/busy",
                Reply::Sequence(vec![
                    Reply::Fixed(
                        429,
                        vec![("retry-after", "1".into())],
                        b"slow down".to_vec(),
                    ),
                    html(200, ARTICLE),
                ]),
            ),
            (
                "/other",
                Reply::Slow(Duration::from_millis(100), Box::new(html(200, ARTICLE))),
            ),
        ],
    )
    .await;
    // Host concurrency 1: /busy first, then /other must wait out the pause too.
    let c = checker(CheckOptions {
        host_concurrency: 1,
        ..opts()
    });
    let results: Vec<_> = futures_util::StreamExt::collect::<Vec<_>>(
        c.check_all(vec![s.url("/busy"), s.url("/other")]),
    )
    .await;
    assert!(
        results.iter().all(|(_, r)| r.status == CheckStatus::Alive),
        "{results:#?}"
    );
    let seen = s.seen();
    let first_429 = seen.iter().find(|x| x.path == "/busy").unwrap().start;
    let others: Vec<_> = seen
        .iter()
        .filter(|x| x.path != "/busy" || x.start > first_429)
        .collect();
    assert!(!others.is_empty());
    for x in others {
        if x.path.contains("citevault-") {
            continue;
        }
        let after = x.start - first_429;
        assert!(
            after >= Duration::from_millis(950),
            "{} started {after:?} after the 429",
            x.path
        );
    }
}

#[tokio::test]
async fn retries_back_off_exponentially() {
    let s = serve("127.0.0.1", vec![("/down", html(503, "down"))]).await;
    let c = checker(CheckOptions {
        retry_base: Duration::from_millis(100),
        max_retries: 2,
        ..opts()
    });
    let r = c.check(&s.url("/down")).await;
    assert_eq!(
        (r.status, r.attempts),
        (CheckStatus::Error, 3),
        "{}",
        r.reason
    );
    let mut starts: Vec<_> = s.seen().iter().map(|x| x.start).collect();
    starts.sort();
    let (g1, g2) = (starts[1] - starts[0], starts[2] - starts[1]);
    // Full jitter: the n-th wait is in [base·2ⁿ⁻¹/2, base·2ⁿ⁻¹].
    // (Upper bounds are loose: a loaded CI machine may add delay, never remove it.)
    assert!(
        g1 >= Duration::from_millis(50) && g1 < Duration::from_millis(1000),
        "{g1:?}"
    );
    assert!(
        g2 >= Duration::from_millis(100) && g2 < Duration::from_millis(1000),
        "{g2:?}"
    );
}

#[tokio::test]
async fn connection_refused_is_an_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let r = checker(CheckOptions {
        max_retries: 1,
        ..opts()
    })
    .check(&format!("http://{addr}/a"))
    .await;
    assert_eq!(r.status, CheckStatus::Error, "{}", r.reason);
    assert!(r.reason.contains("refused"), "{}", r.reason);
    assert_eq!(r.attempts, 2, "retried once");
}

#[tokio::test]
async fn a_tls_failure_is_an_error() {
    // An https:// URL to a server that does not speak TLS.
    let s = serve("127.0.0.1", vec![("/a", html(200, ARTICLE))]).await;
    let r = checker(CheckOptions {
        max_retries: 0,
        ..opts()
    })
    .check(&format!("https://{}/a", s.addr))
    .await;
    assert_eq!(r.status, CheckStatus::Error, "{}", r.reason);
    assert!(r.reason.starts_with("TLS failure"), "{}", r.reason);
}

#[tokio::test]
async fn a_malformed_url_is_an_error() {
    let r = checker(opts()).check("http://exa mple.com/a").await;
    assert_eq!(r.status, CheckStatus::Error);
    assert!(r.reason.contains("malformed URL"), "{}", r.reason);
}

#[tokio::test]
async fn one_slow_host_never_stalls_the_others() {
    let slow_page = || Reply::Slow(Duration::from_millis(800), Box::new(html(200, ARTICLE)));
    let slow_paths: Vec<String> = (0..6).map(|i| format!("/s/{i}")).collect();
    let slow = serve(
        "127.0.0.8",
        slow_paths
            .iter()
            .map(|p| (p.as_str(), slow_page()))
            .collect(),
    )
    .await;
    let fast = serve(
        "127.0.0.9",
        vec![
            ("/a", html(200, ARTICLE)),
            ("/b", html(200, ARTICLE)),
            ("/c", html(200, ARTICLE)),
        ],
    )
    .await;
    let c = checker(CheckOptions {
        max_concurrency: 4,
        host_concurrency: 2,
        ..opts()
    });
    let mut urls: Vec<String> = slow_paths.iter().map(|p| slow.url(p)).collect();
    urls.extend(["/a", "/b", "/c"].map(|p| fast.url(p)));
    let started = std::time::Instant::now();
    let mut stream = std::pin::pin!(c.check_all(urls));
    let mut fast_done = None;
    let mut n = 0;
    while let Some((u, r)) = futures_util::StreamExt::next(&mut stream).await {
        assert_eq!(r.status, CheckStatus::Alive, "{u}: {}", r.reason);
        n += 1;
        if u.contains("127.0.0.9") {
            fast_done = Some(started.elapsed());
        }
    }
    let total = started.elapsed();
    assert_eq!(n, 9);
    let fast_done = fast_done.unwrap();
    assert!(
        fast_done < Duration::from_millis(700),
        "fast host finished at {fast_done:?}"
    );
    assert!(
        total >= Duration::from_millis(2400),
        "slow host: 6 pages, 2 at a time, 800 ms each: {total:?}"
    );
}

#[tokio::test]
async fn alarms_are_confirmed_by_a_second_fetch_later_in_the_run() {
    let s = serve(
        "127.0.0.1",
        vec![
            ("/gone", html(404, "gone")),
            (
                "/glitch",
                Reply::Sequence(vec![html(404, "deploying"), html(200, ARTICLE)]),
            ),
            ("/other", html(200, ARTICLE)),
        ],
    )
    .await;
    let c = checker(CheckOptions {
        confirm_after: Some(Duration::from_millis(300)),
        ..opts()
    });
    let urls = vec![s.url("/gone"), s.url("/glitch"), s.url("/other")];
    let results: std::collections::HashMap<String, CheckResult> = c.check_all(urls).collect().await;
    let gone = &results[&s.url("/gone")];
    assert_eq!(gone.status, CheckStatus::Dead, "{}", gone.reason);
    assert!(
        gone.reason.contains("confirmed by a second fetch"),
        "{}",
        gone.reason
    );
    assert_eq!(gone.attempts, 2);
    let glitch = &results[&s.url("/glitch")];
    assert_eq!(glitch.status, CheckStatus::Alive, "{}", glitch.reason);
    assert!(
        glitch.reason.contains("a first fetch said dead"),
        "{}",
        glitch.reason
    );
    // The second fetch came after the host's other URL and after the delay.
    let seen = s.seen();
    let at = |path: &str| -> Vec<_> {
        seen.iter()
            .filter(|x| x.path == path)
            .map(|x| x.start)
            .collect()
    };
    let gone_at = at("/gone");
    assert_eq!(gone_at.len(), 2, "one fetch and one confirmation");
    assert!(gone_at[1] - gone_at[0] >= Duration::from_millis(300));
    assert!(gone_at[1] > at("/other")[0]);
    // No confirmation asked: one fetch.
    let once = checker(CheckOptions {
        confirm_after: None,
        ..opts()
    });
    let before = s.count("/gone");
    assert_eq!(once.check(&s.url("/gone")).await.status, CheckStatus::Dead);
    assert_eq!(s.count("/gone"), before + 1);
}

#[tokio::test]
async fn a_login_redirect_is_a_wall_unless_the_site_sends_missing_pages_there() {
    let login = "<html><head><title>Sign in</title></head><body><form><input name=user></form></body></html>";
    // Every path, the home page included, goes to the login page: a wall,
    // whatever the article's fate.
    let walled = serve(
        "127.0.0.7",
        vec![("*", redirect(302, "/login")), ("/login", html(200, login))],
    )
    .await;
    let c = checker(opts());
    let r = c.check(&walled.url("/news/2025/story.html")).await;
    assert_eq!(r.status, CheckStatus::Blocked, "{}", r.reason);
    // Articles are served, missing ones go to the login page like pages
    // that cannot exist: gone.
    let site = serve(
        "127.0.0.8",
        vec![
            ("*", redirect(302, "/login")),
            ("/", html(200, ARTICLE)),
            ("/news/2025/real.html", html(200, ARTICLE)),
            ("/login", html(200, login)),
        ],
    )
    .await;
    let r = c.check(&site.url("/news/2025/removed.html")).await;
    assert_eq!(r.status, CheckStatus::Soft404, "{}", r.reason);
    let r = c.check(&site.url("/news/2025/real.html")).await;
    assert_eq!(r.status, CheckStatus::Alive, "{}", r.reason);
}
