//! Local HTTP servers for check tests: a scripted axum app on 127.0.0.x
//! that records every request, and raw TCP servers for network faults.
#![allow(dead_code)]

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::time::Instant;

/// One request the server saw.
#[derive(Debug, Clone)]
pub struct Seen {
    pub method: String,
    pub path: String,
    pub start: Instant,
    pub end: Instant,
    pub in_flight_at_start: usize,
    pub user_agent: String,
    pub accept_language: String,
}

/// What to answer on one path.
#[derive(Clone)]
pub enum Reply {
    /// Status, headers, body.
    Fixed(u16, Vec<(&'static str, String)>, Vec<u8>),
    /// A different reply per request, the last one repeating.
    Sequence(Vec<Reply>),
    /// Wait, then reply.
    Slow(Duration, Box<Reply>),
    /// 200 with this ETag and HTML body, or 304 when the request's
    /// If-None-Match names it.
    Etag(&'static str, String),
}

pub fn html(status: u16, body: &str) -> Reply {
    Reply::Fixed(
        status,
        vec![("content-type", "text/html; charset=utf-8".into())],
        body.as_bytes().to_vec(),
    )
}

pub fn redirect(status: u16, to: &str) -> Reply {
    Reply::Fixed(status, vec![("location", to.to_string())], Vec::new())
}

pub struct TestServer {
    pub addr: SocketAddr,
    pub seen: Arc<Mutex<Vec<Seen>>>,
}

impl TestServer {
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }

    pub fn count(&self, path: &str) -> usize {
        self.seen().iter().filter(|s| s.path == path).count()
    }
}

struct AppState {
    routes: HashMap<String, Reply>,
    hits: Mutex<HashMap<String, usize>>,
    seen: Arc<Mutex<Vec<Seen>>>,
    in_flight: AtomicUsize,
}

/// Starts a server on `ip` (e.g. "127.0.0.1", "127.0.0.7") with these routes;
/// unknown paths answer 404 unless a "*" route is given. Every HEAD is refused with 405, as some sites do.
pub async fn serve(ip: &str, routes: Vec<(&str, Reply)>) -> TestServer {
    let listener = TcpListener::bind((ip, 0)).await.expect("bind test server");
    let addr = listener.local_addr().unwrap();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let state = Arc::new(AppState {
        routes: routes
            .into_iter()
            .map(|(p, r)| (p.to_string(), r))
            .collect(),
        hits: Mutex::new(HashMap::new()),
        seen: seen.clone(),
        in_flight: AtomicUsize::new(0),
    });
    let app = axum::Router::new().fallback(handle).with_state(state);
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    TestServer { addr, seen }
}

fn header_value(headers: &HeaderMap, name: header::HeaderName) -> String {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string()
}

async fn handle(State(st): State<Arc<AppState>>, req: Request) -> Response {
    let start = Instant::now();
    let in_flight = st.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
    let path = req
        .uri()
        .path_and_query()
        .map_or("/".to_string(), |p| p.as_str().to_string());
    let method = req.method().clone();
    let user_agent = header_value(req.headers(), header::USER_AGENT);
    let accept_language = header_value(req.headers(), header::ACCEPT_LANGUAGE);
    let if_none_match = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let n = {
        let mut hits = st.hits.lock().unwrap();
        let e = hits.entry(path.clone()).or_insert(0);
        *e += 1;
        *e - 1
    };
    let resp = if method == Method::HEAD {
        StatusCode::METHOD_NOT_ALLOWED.into_response()
    } else {
        // "*" answers every path without a route of its own.
        match st.routes.get(&path).or_else(|| st.routes.get("*")) {
            Some(Reply::Etag(tag, _)) if if_none_match.as_deref() == Some(*tag) => {
                let mut r = StatusCode::NOT_MODIFIED.into_response();
                r.headers_mut()
                    .insert(header::ETAG, HeaderValue::from_static(tag));
                r
            }
            Some(r) => render(r, n).await,
            None => (StatusCode::NOT_FOUND, "no such page").into_response(),
        }
    };
    st.in_flight.fetch_sub(1, Ordering::SeqCst);
    st.seen.lock().unwrap().push(Seen {
        method: method.to_string(),
        path,
        start,
        end: Instant::now(),
        in_flight_at_start: in_flight,
        user_agent,
        accept_language,
    });
    resp
}

pub fn render(
    r: &Reply,
    n: usize,
) -> std::pin::Pin<Box<dyn std::future::Future<Output = Response> + Send + '_>> {
    Box::pin(async move {
        match r {
            Reply::Fixed(status, headers, body) => {
                let mut map = HeaderMap::new();
                for (k, v) in headers {
                    map.insert(*k, HeaderValue::from_str(v).unwrap());
                }
                let mut resp = Response::new(Body::from(body.clone()));
                *resp.status_mut() = StatusCode::from_u16(*status).unwrap();
                if !map.contains_key(header::CONTENT_TYPE) && !body.is_empty() {
                    map.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html"));
                }
                resp.headers_mut().extend(map);
                resp
            }
            Reply::Sequence(list) => render(&list[n.min(list.len() - 1)], 0).await,
            Reply::Etag(tag, body) => {
                let mut resp = Response::new(Body::from(body.clone()));
                resp.headers_mut()
                    .insert(header::ETAG, HeaderValue::from_static(tag));
                resp.headers_mut().insert(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("text/html; charset=utf-8"),
                );
                resp
            }
            Reply::Slow(d, inner) => {
                tokio::time::sleep(*d).await;
                render(inner, n).await
            }
        }
    })
}

/// A TCP server that accepts connections and never answers.
pub async fn silent_server() -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((sock, _)) = listener.accept().await {
            held.push(sock);
        }
    });
    addr
}

/// A TCP server that sends headers promising `promised` bytes, then `sent`
/// bytes, then closes the connection.
pub async fn dropping_server(promised: usize, sent: usize) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut sock, _)) = listener.accept().await {
            let mut buf = [0u8; 4096];
            let _ = sock.read(&mut buf).await;
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {promised}\r\n\r\n"
            );
            let _ = sock.write_all(head.as_bytes()).await;
            let _ = sock.write_all(&vec![b'x'; sent]).await;
            let _ = sock.shutdown().await;
        }
    });
    addr
}
