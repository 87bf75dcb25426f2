//! SURT keys (Sort-friendly URI Reordering Transform), the URL form CDXJ
//! indexes are sorted by, as pywb writes them.
//!
//! No maintained Rust crate does this (the `surt` crate on crates.io is a
//! sorting library), so this is a port of what pywb calls: the Internet
//! Archive's `surt` package with its default canonicalizer (Google's URL
//! canonicalization, then the IA's), without the scheme. A key must match
//! the one pywb computes for a lookup byte for byte, or the capture is
//! never found: the tests are the IA package's own examples. Two of its
//! corners are not followed: a host of dotted numbers is read as an IPv4
//! address without asking DNS, and an internationalised host is converted
//! by UTS #46 (as browsers do) rather than IDNA 2003. Keys of the URLs
//! citevault stores (WHATWG-normalised) are not affected by either.

use regex::bytes::Regex;
use std::sync::LazyLock;

/// The SURT key of a URL: `com,example)/path?a=1&b=2` for
/// `https://www.Example.com/Path/?b=2&a=1#top`.
pub fn surt(url: &str) -> String {
    let raw = url.trim().replace(['\n', '\r', '\t'], "");
    if raw.is_empty() {
        return "-".into();
    }
    if raw.starts_with("filedesc") {
        return raw;
    }
    let mut u = Parts::parse(&raw);
    u.google_canonicalize();
    u.ia_canonicalize();
    u.key()
}

/// A URL split as the IA's `handyurl` splits it (bytes, nothing decoded).
#[derive(Debug, Default)]
struct Parts {
    scheme: Vec<u8>,
    host: Option<Vec<u8>>,
    port: Option<u16>,
    path: Vec<u8>,
    query: Option<Vec<u8>>,
}

impl Parts {
    fn parse(raw: &str) -> Parts {
        static SCHEME: LazyLock<Regex> = LazyLock::new(|| re(r"^[a-zA-Z][a-zA-Z0-9+\-.]*:"));
        static REPEATED: LazyLock<Regex> = LazyLock::new(|| re(r"^(https?://)+"));
        static RFC2396: LazyLock<Regex> = LazyLock::new(|| {
            re(r"^(([a-zA-Z][a-zA-Z0-9+.-]*):)?((//([^/?#]*))?([^?#]*)(\?([^#]*))?)?(#(.*))?$")
        });
        let mut url = raw.as_bytes().to_vec();
        if !SCHEME.is_match(&url) {
            url.splice(0..0, b"http://".iter().copied());
        }
        // `http://https://host/` is `https://host/` (the last scheme wins).
        if let Some(m) = REPEATED.captures(&url) {
            let (whole, last) = (m[0].len(), m[1].to_vec());
            url.splice(0..whole, last);
        }
        let Some(c) = RFC2396.captures(&url) else {
            return Parts::default();
        };
        let part = |i: usize| c.get(i).map_or(&b""[..], |m| m.as_bytes()).to_vec();
        let netloc = part(5);
        let netloc = netloc.strip_suffix(b":").unwrap_or(&netloc).to_vec();
        let (mut host, port) = split_netloc(&netloc);
        let mut path = part(6);
        if host.is_none() && part(2).starts_with(b"http") && !path.is_empty() {
            // `http:////www.example.com/a`: the host is in the path.
            let trimmed = &path[path.iter().take_while(|&&b| b == b'/').count()..];
            let cut = trimmed.iter().position(|&b| b == b'/');
            let (h, rest) = match cut {
                Some(i) => (&trimmed[..i], &trimmed[i + 1..]),
                None => (trimmed, &b""[..]),
            };
            host = Some(h.to_vec());
            path = [&b"/"[..], rest].concat();
        }
        Parts {
            scheme: part(2),
            host,
            port,
            path,
            query: c
                .get(8)
                .map(|m| m.as_bytes().to_vec())
                .filter(|q| !q.is_empty()),
        }
    }

    /// Google's canonicalization: decode repeatedly, encode once; hosts
    /// lowercased (or read as IPv4), paths resolved (`.`, `..`, `//`).
    fn google_canonicalize(&mut self) {
        self.query = self
            .query
            .take()
            .map(|q| escape_once(&unescape_repeatedly(&q)));
        if let Some(h) = self.host.take() {
            self.host = Some(canonical_host(&h));
        }
        let path = unescape_repeatedly(&self.path);
        let path = if self.host.is_some() {
            normalize_path(&path)
        } else {
            path
        };
        self.path = escape_once(&path);
    }

    /// The IA's canonicalization: no `www.`, no default port, lowercase
    /// path and query, no session ids, no trailing slash, query arguments
    /// sorted.
    fn ia_canonicalize(&mut self) {
        static WWW: LazyLock<Regex> = LazyLock::new(|| re(r"^www\d*\."));
        if self.scheme != b"dns" {
            if let Some(h) = &mut self.host {
                if let Some(m) = WWW.find(h) {
                    h.drain(..m.end());
                }
            }
        }
        let default_port = match self.scheme.to_ascii_lowercase().as_slice() {
            b"http" => Some(80),
            b"https" => Some(443),
            _ => None,
        };
        if self.port.is_some() && self.port == default_port {
            self.port = None;
        }
        let mut path = strip_path_session_id(&self.path.to_ascii_lowercase());
        if path.len() > 1 && path.ends_with(b"/") {
            path.pop();
        }
        self.path = path;
        self.query = self.query.take().and_then(|q| {
            let q = strip_query_session_id(&q).to_ascii_lowercase();
            (!q.is_empty()).then(|| sort_query(&q))
        });
    }

    /// `host,reversed:port)/path?query` (no scheme); a URL without a host
    /// keeps its scheme: `dns:archive.org`, `mailto:a@example.com`.
    fn key(&self) -> String {
        let mut s = Vec::new();
        match &self.host {
            Some(h) if !h.is_empty() => {
                let mut labels: Vec<&[u8]> = h.split(|&b| b == b'.').collect();
                labels.reverse();
                s.extend(labels.join(&b","[..]));
                if let Some(p) = self.port {
                    s.extend(format!(":{p}").bytes());
                }
                s.push(b')');
            }
            _ => {
                s.extend(&self.scheme);
                s.push(b':');
            }
        }
        if !self.path.is_empty() {
            s.extend(&self.path);
        } else if self.query.is_some() {
            s.push(b'/');
        }
        if let Some(q) = &self.query {
            s.push(b'?');
            s.extend(q);
        }
        String::from_utf8_lossy(&s).into_owned()
    }
}

fn re(pattern: &str) -> Regex {
    Regex::new(pattern).expect("a valid built-in pattern")
}

/// Host and port of `user:pass@host:port` (as Python's `urlsplit` reads
/// them: the host lowercased, a port that is not a number dropped).
fn split_netloc(netloc: &[u8]) -> (Option<Vec<u8>>, Option<u16>) {
    let hostport = match netloc.iter().rposition(|&b| b == b'@') {
        Some(at) => &netloc[at + 1..],
        None => netloc,
    };
    let (host, port) = if hostport.starts_with(b"[") {
        let end = hostport
            .iter()
            .position(|&b| b == b']')
            .unwrap_or(hostport.len());
        let rest = hostport.get(end + 1..).unwrap_or_default();
        (&hostport[1..end.max(1)], rest.strip_prefix(b":"))
    } else {
        match hostport.iter().position(|&b| b == b':') {
            Some(i) => (&hostport[..i], Some(&hostport[i + 1..])),
            None => (hostport, None),
        }
    };
    let port = port
        .and_then(|p| std::str::from_utf8(p).ok())
        .and_then(|p| p.parse::<u16>().ok())
        .filter(|&p| p != 0);
    let host = (!host.is_empty()).then(|| host.to_ascii_lowercase());
    (host, port)
}

fn canonical_host(raw: &[u8]) -> Vec<u8> {
    let mut host = unescape_repeatedly(raw);
    if !host.is_ascii() {
        let text = String::from_utf8_lossy(&host).into_owned();
        let parsed = url::Url::parse(&format!("http://{text}/"));
        if let Some(ascii) = parsed.ok().and_then(|u| u.host_str().map(str::to_string)) {
            host = ascii.into_bytes();
        }
    }
    let mut text = String::from_utf8_lossy(&host).replace("..", ".");
    text = text.trim_matches('.').to_string();
    match ipv4(&text) {
        Some(ip) => ip.into_bytes(),
        None => escape_once(text.to_ascii_lowercase().as_bytes()),
    }
}

/// A host written as an IPv4 address in a form `inet_aton` reads
/// (`2130706433`, `127.1`, `0177.0.0.1`), in dotted-decimal form.
fn ipv4(host: &str) -> Option<String> {
    static FORMS: LazyLock<regex::Regex> = LazyLock::new(|| {
        regex::Regex::new(r"^0[0-7]*(\.[0-7]+){0,3}$|^[1-9][0-9]*(\.[0-9]+){0,3}$")
            .expect("a valid built-in pattern")
    });
    if !host.is_empty() && host.bytes().all(|b| b.is_ascii_digit()) {
        // A bare number is masked to 32 bits, as the IA does.
        let n = host.parse::<u128>().ok()? as u32;
        return Some(std::net::Ipv4Addr::from(n).to_string());
    }
    if !FORMS.is_match(host) {
        return None;
    }
    let parts: Vec<u32> = host
        .split('.')
        .map(|p| match p.strip_prefix('0').filter(|r| !r.is_empty()) {
            Some(octal) => u32::from_str_radix(octal, 8).ok(),
            None => p.parse().ok(),
        })
        .collect::<Option<_>>()?;
    let (&last, head) = parts.split_last()?;
    // The last part fills the bits the others leave: 32, 24, 16 or 8.
    let bits = 8 * (4 - head.len() as u32);
    if head.iter().any(|&p| p > 255) || (bits < 32 && last >= 1 << bits) {
        return None;
    }
    let high = head.iter().fold(0u32, |acc, &p| (acc << 8) | p);
    let n = if bits == 32 {
        last
    } else {
        (high << bits) | last
    };
    Some(std::net::Ipv4Addr::from(n).to_string())
}

/// Python's `unquote_to_bytes` until nothing changes: `%2541` is `A`.
fn unescape_repeatedly(input: &[u8]) -> Vec<u8> {
    let mut cur = input.to_vec();
    loop {
        let next = unescape(&cur);
        if next == cur {
            return cur;
        }
        cur = next;
    }
}

fn unescape(input: &[u8]) -> Vec<u8> {
    let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    let mut out = Vec::with_capacity(input.len());
    let mut i = 0;
    while i < input.len() {
        let pair = (
            input.get(i + 1).copied().and_then(hex),
            input.get(i + 2).copied().and_then(hex),
        );
        match (input[i], pair) {
            (b'%', (Some(h), Some(l))) => {
                out.push(h << 4 | l);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    out
}

/// Percent-encodes what is outside printable ASCII, `#` and `%`
/// (upper-case hex), as the IA's `escapeOnce`.
fn escape_once(input: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(input.len());
    for &b in input {
        if b <= b' ' || b >= 0x7f || b == b'#' || b == b'%' {
            out.extend(format!("%{b:02X}").bytes());
        } else {
            out.push(b);
        }
    }
    out
}

/// Resolves `.` and `..` segments and drops empty ones, keeping a
/// trailing slash (the IA's port of Google's `normalizePath`).
fn normalize_path(path: &[u8]) -> Vec<u8> {
    if path.is_empty() {
        return b"/".to_vec();
    }
    let mut kept: Vec<&[u8]> = Vec::new();
    for seg in path.split(|&b| b == b'/').skip(1) {
        match seg {
            b"." => {}
            b".." if !kept.is_empty() => {
                kept.pop();
            }
            _ => kept.push(seg),
        }
    }
    let mut out = b"/".to_vec();
    if let Some((last, init)) = kept.split_last() {
        for seg in init.iter().filter(|s| !s.is_empty()) {
            out.extend_from_slice(seg);
            out.push(b'/');
        }
        out.extend_from_slice(last);
    }
    out
}

fn strip_path_session_id(path: &[u8]) -> Vec<u8> {
    static ASPX: LazyLock<[Regex; 2]> = LazyLock::new(|| {
        [
            re(r"(?i)^(.*/)(\((?:[a-z]\([0-9a-z]{24}\))+\)/)([^?]+\.aspx.*)$"),
            re(r"(?i)^(.*/)(\([0-9a-z]{24}\)/)([^?]+\.aspx.*)$"),
        ]
    });
    let mut path = path.to_vec();
    for pattern in ASPX.iter() {
        if let Some(c) = pattern.captures(&path) {
            path = [&c[1], &c[3]].concat();
        }
    }
    path
}

fn strip_query_session_id(query: &[u8]) -> Vec<u8> {
    static IDS: LazyLock<[Regex; 5]> = LazyLock::new(|| {
        [
            re(r"(?i)^(.*)(?:jsessionid=[0-9a-zA-Z]{32})(?:&(.*))?$"),
            re(r"(?i)^(.*)(?:phpsessid=[0-9a-zA-Z]{32})(?:&(.*))?$"),
            re(r"(?i)^(.*)(?:sid=[0-9a-zA-Z]{32})(?:&(.*))?$"),
            re(r"(?i)^(.*)(?:ASPSESSIONID[a-zA-Z]{8}=[a-zA-Z]{24})(?:&(.*))?$"),
            re(r"(?i)^(.*)(?:cfid=[^&]+&cftoken=[^&]+)(?:&(.*))?$"),
        ]
    });
    let mut query = query.to_vec();
    for pattern in IDS.iter() {
        if let Some(c) = pattern.captures(&query) {
            let rest = c.get(2).map_or(&b""[..], |m| m.as_bytes());
            query = [&c[1], rest].concat();
        }
    }
    query
}

/// Query arguments in byte order of name, then value (`a` before `a=`).
fn sort_query(query: &[u8]) -> Vec<u8> {
    if query.len() <= 1 {
        return query.to_vec();
    }
    let mut args: Vec<(&[u8], Option<&[u8]>)> = query
        .split(|&b| b == b'&')
        .map(|a| match a.iter().position(|&b| b == b'=') {
            Some(i) => (&a[..i], Some(&a[i + 1..])),
            None => (a, None),
        })
        .collect();
    args.sort();
    let joined: Vec<Vec<u8>> = args
        .into_iter()
        .map(|(k, v)| match v {
            Some(v) => [k, b"=", v].concat(),
            None => k.to_vec(),
        })
        .collect();
    joined.join(&b'&')
}

#[cfg(test)]
mod tests {
    use super::surt;

    /// From the Internet Archive's `surt` package (tests/test_surt.py,
    /// itself from WaybackURLKeyMakerTest.java), default options.
    #[test]
    fn keys_match_the_ia_surt_package() {
        for (url, key) in [
            ("", "-"),
            ("filedesc:foo.arc.gz", "filedesc:foo.arc.gz"),
            ("filedesc://foo.arc.gz", "filedesc://foo.arc.gz"),
            ("warcinfo:foo.warc.gz", "warcinfo:foo.warc.gz"),
            ("dns:alexa.com", "dns:alexa.com"),
            ("dns:archive.org", "dns:archive.org"),
            ("http://www.archive.org/", "org,archive)/"),
            ("http://archive.org/", "org,archive)/"),
            ("http://archive.org/goo/", "org,archive)/goo"),
            ("http://archive.org/goo/?", "org,archive)/goo"),
            ("http://archive.org/goo/?b&a", "org,archive)/goo?a&b"),
            ("http://archive.org/goo/?a=2&b&a=1", "org,archive)/goo?a=1&a=2&b"),
            (
                "http://archive.org/index.php?PHPSESSID=0123456789abcdefghijklemopqrstuv&action=profile;u=4221",
                "org,archive)/index.php?action=profile;u=4221",
            ),
            ("whois://whois.isoc.org.il/shaveh.co.il", "il,org,isoc,whois)/shaveh.co.il"),
            (
                "http://visit.webhosting.yahoo.com/visit.gif?&r=http%3A//web.archive.org/web/20090517140029/http%3A//anthonystewarthead.electric-chi.com/&b=Netscape%205.0%20%28Windows%3B%20en-US%29&s=1366x768&o=Win32&c=24&j=true&v=1.2",
                "com,yahoo,webhosting,visit)/visit.gif?&b=netscape%205.0%20(windows;%20en-us)&c=24&j=true&o=win32&r=http://web.archive.org/web/20090517140029/http://anthonystewarthead.electric-chi.com/&s=1366x768&v=1.2",
            ),
            ("mailto:foo@example.com", "mailto:foo@example.com"),
            ("http://www.example.com/", "com,example)/"),
            ("ftp://www.example.com/", "com,example)/"),
            ("http://example.com/app?item=Wroc%C5%82aw", "com,example)/app?item=wroc%c5%82aw"),
            ("http://192.168.1.254/info/", "254,1,168,192)/info"),
        ] {
            assert_eq!(surt(url), key, "{url}");
        }
    }

    /// From pywb's canonicalize doctests and the IA canonicalizer tests.
    #[test]
    fn keys_match_pywb_and_the_canonicalizer_tests() {
        for (url, key) in [
            (
                "http://example.com/path/file.html",
                "com,example)/path/file.html",
            ),
            ("urn:some:id", "urn:some:id"),
            (
                "http://www.Example.COM:80/A/b/../c/./d.html#top",
                "com,example)/a/c/d.html",
            ),
            ("https://www2.example.com:443/", "com,example)/"),
            ("http://example.com:8080/x", "com,example:8080)/x"),
            (
                "http://127.0.0.1:4000/page?b=2&a=1",
                "1,0,0,127:4000)/page?a=1&b=2",
            ),
            ("http://2130706433/", "1,0,0,127)/"),
            ("http://user:pw@example.com/a//b/", "com,example)/a/b"),
            ("http://example.com/a%2520b", "com,example)/a%20b"),
            ("http://example.com/?", "com,example)/"),
            (
                "https://www.rfa.org/mandarin/A.html?utm=1",
                "org,rfa)/mandarin/a.html?utm=1",
            ),
            ("http://127.1/x", "1,0,0,127)/x"),
            ("http://ex.com/%7Euser/a b#c", "com,ex)/~user/a%20b"),
        ] {
            assert_eq!(surt(url), key, "{url}");
        }
    }
}
