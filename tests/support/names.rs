//! A local HTTP proxy that answers for any host name, so tests can use
//! real-looking names (`news.example.com`, `d1.cloudfront.net`) while every
//! byte stays on 127.0.0.1. The checker is pointed at it with
//! [`Names::options`]: requests arrive in absolute form
//! (`GET http://host/path`) and are answered from routes keyed by the whole
//! URL. Names resolve to a public address (nothing is sent there), except
//! those listed as private, which resolve to 10.0.0.7 so the guard must
//! refuse them.
#![allow(dead_code)]

use super::server::{render, Reply};
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use citevault::check::{CheckOptions, Lookup, NameLookup};
use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::time::Instant;

/// The running proxy: what it answers and what it was asked.
pub struct Names {
    pub addr: SocketAddr,
    seen: Arc<Mutex<Vec<(String, Instant)>>>,
    private: Vec<String>,
}

struct Routes {
    routes: HashMap<String, Reply>,
    hits: Mutex<HashMap<String, usize>>,
    seen: Arc<Mutex<Vec<(String, Instant)>>>,
}

/// Starts the proxy with routes keyed by URL (`http://host/path`); other
/// URLs answer 404. `private` names resolve to a private address.
pub async fn serve_names(routes: Vec<(&str, Reply)>, private: &[&str]) -> Names {
    let listener = TcpListener::bind(("127.0.0.1", 0)).await.expect("bind");
    let addr = listener.local_addr().expect("an address");
    let seen = Arc::new(Mutex::new(Vec::new()));
    let state = Arc::new(Routes {
        routes: routes
            .into_iter()
            .map(|(u, r)| (url::Url::parse(u).expect("a URL").to_string(), r))
            .collect(),
        hits: Mutex::default(),
        seen: seen.clone(),
    });
    let app = axum::Router::new().fallback(answer).with_state(state);
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    Names {
        addr,
        seen,
        private: private.iter().map(|s| s.to_string()).collect(),
    }
}

async fn answer(State(st): State<Arc<Routes>>, req: Request) -> Response {
    let url = req.uri().to_string();
    st.seen.lock().unwrap().push((url.clone(), Instant::now()));
    let n = {
        let mut hits = st.hits.lock().unwrap();
        let e = hits.entry(url.clone()).or_insert(0);
        *e += 1;
        *e - 1
    };
    match st.routes.get(&url) {
        Some(r) => render(r, n).await,
        None => (StatusCode::NOT_FOUND, "no such page").into_response(),
    }
}

impl Names {
    /// Requests for `url` so far.
    pub fn count(&self, url: &str) -> usize {
        let url = url::Url::parse(url).expect("a URL").to_string();
        self.seen
            .lock()
            .unwrap()
            .iter()
            .filter(|(u, _)| *u == url)
            .count()
    }

    /// Every request so far: URL and when it came.
    pub fn seen(&self) -> Vec<(String, Instant)> {
        self.seen.lock().unwrap().clone()
    }

    /// Checker options for this proxy, quick but polite, no confirmation.
    pub fn options(&self) -> CheckOptions {
        CheckOptions {
            proxy: Some(format!("http://{}", self.addr)),
            lookup: Arc::new(FakeDns {
                private: self.private.clone(),
            }),
            dns_canaries: vec!["example.com".into()],
            host_interval: Duration::from_millis(1),
            retry_base: Duration::from_millis(5),
            timeout: Duration::from_secs(5),
            confirm_after: None,
            ..CheckOptions::default()
        }
    }
}

#[derive(Debug)]
struct FakeDns {
    private: Vec<String>,
}

impl NameLookup for FakeDns {
    fn lookup(&self, host: &str) -> Lookup {
        let private = self.private.iter().any(|p| p.eq_ignore_ascii_case(host));
        let ip: IpAddr = if private { "10.0.0.7" } else { "93.184.215.14" }
            .parse()
            .expect("an address");
        Box::pin(async move { Ok(vec![ip]) })
    }
}
