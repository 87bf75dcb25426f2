//! The Bar-Yossef soft-404 probe: ask the host for a page that cannot exist
//! next to the cited one. A site that answers 200 for nonsense, with the
//! same page or the same redirect as the cited URL, is showing us its
//! "not found" page, not the article.
//!
//! Probes come in shapes ([`Shape`]): a random sibling of the cited page
//! first; a second random sibling when the first is inconclusive (what two
//! not-found pages share is the site's template, even when each embeds the
//! requested path and a different list of recommended articles); and the
//! cited path with its numeric id changed, for sites that route by id and
//! ignore the slug (there the sibling probe shows the article itself); and
//! the home page, when the cited URL and the sibling were both sent to a
//! login page (a wall over the whole site hides missing and live alike).
//!
//! Each shape is probed once per host and directory, cached and shared by
//! every URL there; after a few directories of one host, URLs in further
//! directories reuse the host's first probe of that shape: news sites keep
//! articles in date directories, and a probe for each would nearly double
//! the requests while a site's handling of missing pages rarely varies by
//! directory.

use super::page::Page;
use crate::model::Exchange;
use std::collections::HashSet;
use url::Url;

/// Directories probed per host and shape before reusing the first.
pub const MAX_DIRECTORIES_PER_HOST: usize = 4;

/// Which page that cannot exist to ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// The last path segment replaced by random letters (extension kept).
    Sibling,
    /// Another random sibling, to tell the site's template from what
    /// changes on every request.
    SecondSibling,
    /// The path's numeric id replaced by random digits of the same length.
    OtherId,
    /// The site's home page: is the whole site behind a wall?
    Home,
}

/// What the host answered for a nonexistent path.
#[derive(Debug, Clone)]
pub struct ProbeOutcome {
    pub url: String,
    pub status: u16,
    pub final_url: String,
    pub redirected: bool,
    /// What its page is compared by.
    pub likeness: Likeness,
    /// Reading length of the page's text (see `verdict::reading_length`).
    pub length: usize,
    /// The exchange, when exchanges are kept (evidence for the archive).
    pub exchange: Option<Exchange>,
}

/// What a page is compared with another by: its title, its first heading
/// and the shingles of its text, each with the echoes of its own URL taken
/// out (so two not-found pages that repeat their paths still compare
/// alike).
#[derive(Debug, Clone, Default)]
pub struct Likeness {
    pub title: Option<String>,
    pub heading: Option<String>,
    pub sketch: HashSet<u64>,
}

impl Likeness {
    /// The likeness of `page`, read at `url`.
    pub fn of(page: &Page, url: &Url) -> Likeness {
        let echoes = echoes(url);
        Likeness {
            title: page.title.as_deref().map(|t| without_echoes(t, &echoes)),
            heading: page.headings.first().map(|h| without_echoes(h, &echoes)),
            sketch: sketch(&without_echoes(&page.text, &echoes)),
        }
    }
}

/// The directory part of a URL's path (`/news/acn/` of `/news/acn/1.aspx`,
/// `/2025/11/` of `/2025/11/slug/`).
pub fn directory(url: &Url) -> &str {
    let path = url.path();
    let trimmed = path.strip_suffix('/').unwrap_or(path);
    &path[..trimmed.rfind('/').map_or(0, |i| i + 1)]
}

/// The longest run of at least four digits in the path: the id of most
/// news URLs.
fn id_run(path: &str) -> Option<(usize, usize)> {
    let bytes = path.as_bytes();
    let mut best: Option<(usize, usize)> = None;
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_digit() {
            let start = i;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            let longer = best.is_none_or(|(s, e)| i - start > e - s);
            if i - start >= 4 && longer {
                best = Some((start, i));
            }
        } else {
            i += 1;
        }
    }
    best
}

/// Random digits as many as `old`'s, never `old` nor with a leading 0.
fn other_digits(old: &str) -> String {
    loop {
        let digits: String = old.chars().map(|_| fastrand::digit(10)).collect();
        if digits != old && !digits.starts_with('0') {
            return digits;
        }
    }
}

/// A query parameter holding a numeric id of at least three digits
/// (`/content.jsp?id=123456`): where sites without ids in the path keep
/// the article's identity.
pub fn query_id(url: &Url) -> Option<(String, String)> {
    url.query_pairs()
        .find(|(_, v)| v.len() >= 3 && v.len() <= 20 && v.chars().all(|c| c.is_ascii_digit()))
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
}

/// The shape to ask first: a random sibling, or for a URL whose id is in
/// its query, the same page with another id (a sibling of `content.jsp`
/// says nothing about how the site answers an unknown id).
pub fn first_shape(url: &Url) -> Shape {
    if id_run(url.path()).is_none() && query_id(url).is_some() {
        Shape::OtherId
    } else {
        Shape::Sibling
    }
}

/// The cache key of `shape` for `url`: URLs with equal keys share a probe
/// of that shape.
pub fn cache_key(url: &Url, shape: Shape) -> Option<String> {
    match shape {
        Shape::Sibling | Shape::SecondSibling => Some(directory(url).to_string()),
        Shape::Home => Some("/".to_string()),
        Shape::OtherId if id_run(url.path()).is_none() => {
            let (key, _) = query_id(url)?;
            Some(format!("{}?{key}=#", url.path()))
        }
        Shape::OtherId => {
            // The routing pattern: digits masked, the part after the id by
            // its shape (an extension, or how many segments follow).
            let path = url.path();
            let (start, end) = id_run(path)?;
            let mask = |s: &str| {
                let mut out = String::new();
                for c in s.chars() {
                    if !c.is_ascii_digit() {
                        out.push(c);
                    } else if !out.ends_with('#') {
                        out.push('#');
                    }
                }
                out
            };
            let rest = &path[end..];
            let rest = match rest.find('/') {
                Some(_) => format!("/{}", rest.split('/').filter(|s| !s.is_empty()).count()),
                None => mask(rest),
            };
            Some(format!("{}#{rest}", mask(&path[..start])))
        }
    }
}

/// A URL next to `url` that does not exist, of the given shape (`None`
/// when the shape does not apply, e.g. no numeric id).
pub fn probe_url(url: &Url, shape: Shape) -> Option<Url> {
    let mut probe = url.clone();
    probe.set_query(None);
    probe.set_fragment(None);
    let path = url.path();
    match shape {
        Shape::Home => probe.set_path("/"),
        Shape::Sibling | Shape::SecondSibling => {
            let dir = directory(url);
            let dir = if dir.is_empty() { "/" } else { dir };
            let last = &path[dir.len().min(path.len())..];
            let slash = if last.ends_with('/') { "/" } else { "" };
            let name = last.trim_end_matches('/');
            let ext = name
                .rfind('.')
                .map(|i| &name[i..])
                .filter(|e| e.len() <= 6 && e[1..].chars().all(|c| c.is_ascii_alphanumeric()))
                .unwrap_or("");
            let random: String = (0..16).map(|_| fastrand::lowercase()).collect();
            probe.set_path(&format!("{dir}citevault-{random}{ext}{slash}"));
        }
        Shape::OtherId => match id_run(path) {
            Some((start, end)) => {
                let digits = other_digits(&path[start..end]);
                probe.set_path(&format!("{}{digits}{}", &path[..start], &path[end..]));
            }
            None => {
                let (key, old) = query_id(url)?;
                let digits = other_digits(&old);
                let pairs: Vec<(String, String)> = url
                    .query_pairs()
                    .map(|(k, v)| {
                        let v = if k == key && v == old {
                            digits.clone()
                        } else {
                            v.into_owned()
                        };
                        (k.into_owned(), v)
                    })
                    .collect();
                probe.query_pairs_mut().extend_pairs(pairs);
            }
        },
    }
    Some(probe)
}

/// The pieces of a URL a not-found page may repeat ("the page /a/b.html
/// does not exist"): taken out of its text before comparing.
fn echoes(url: &Url) -> Vec<String> {
    let path = url.path();
    let decoded = percent_encoding::percent_decode_str(path)
        .decode_utf8_lossy()
        .into_owned();
    let last = path.trim_end_matches('/').rsplit('/').next().unwrap_or("");
    let stem = last.rsplit_once('.').map_or(last, |(s, _)| s);
    let mut out = vec![url.as_str().to_string(), decoded, path.to_string()];
    out.extend(
        [last, stem]
            .iter()
            .filter(|s| s.len() >= 4)
            .map(|s| s.to_string()),
    );
    out.retain(|s| s.len() > 1);
    out
}

/// `text` with every echo of the URL taken out.
fn without_echoes(text: &str, echoes: &[String]) -> String {
    let mut text = text.to_string();
    for e in echoes {
        if text.contains(e.as_str()) {
            text = text.replace(e.as_str(), " ");
        }
    }
    text
}

/// A sample of the text's 8-character shingles, for resemblance.
pub fn sketch(text: &str) -> HashSet<u64> {
    let chars: Vec<char> = text
        .chars()
        .filter(|c| !c.is_whitespace())
        .take(50_000)
        .collect();
    chars
        .windows(8)
        .map(|w| {
            // FNV-1a over the window.
            w.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, c| {
                (h ^ u64::from(*c)).wrapping_mul(0x0100_0000_01b3)
            })
        })
        .filter(|h| h % 4 == 0)
        .collect()
}

/// Jaccard resemblance of two sketches (1.0 for two empty texts).
pub fn resemblance(a: &HashSet<u64>, b: &HashSet<u64>) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    let inter = a.intersection(b).count();
    let union = a.len() + b.len() - inter;
    inter as f64 / union as f64
}

/// Share of `part` found in `whole` (1.0 for an empty part).
pub fn containment(part: &HashSet<u64>, whole: &HashSet<u64>) -> f64 {
    if part.is_empty() {
        return 1.0;
    }
    part.intersection(whole).count() as f64 / part.len() as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    #[test]
    fn sibling_is_next_to_the_url_and_keeps_its_extension() {
        let u = url("https://www.cna.com.tw/news/acn/202511180033.aspx?x=1");
        let p = probe_url(&u, Shape::Sibling).unwrap();
        assert!(
            p.as_str()
                .starts_with("https://www.cna.com.tw/news/acn/citevault-"),
            "{p}"
        );
        assert!(p.path().ends_with(".aspx"), "{p}");
        assert!(p.query().is_none());
        let root = probe_url(&url("https://example.org"), Shape::Sibling).unwrap();
        assert!(root.path().starts_with("/citevault-"));
        let slash = probe_url(&url("https://e.org/2025/11/slug/"), Shape::Sibling).unwrap();
        assert!(slash.path().starts_with("/2025/11/citevault-"), "{slash}");
        assert!(slash.path().ends_with('/'), "{slash}");
    }

    #[test]
    fn other_id_changes_the_longest_digit_run() {
        let u = url("https://www.theepochtimes.com/article/8037510/some-slug");
        let p = probe_url(&u, Shape::OtherId).unwrap();
        let path = p.path();
        assert!(
            path.starts_with("/article/") && path.ends_with("/some-slug"),
            "{p}"
        );
        assert_ne!(path, u.path());
        assert_eq!(path.len(), u.path().len());
        assert!(probe_url(&url("https://e.org/news/slug"), Shape::OtherId).is_none());
        let q = url("http://www.gov.example/content.jsp?id=123456&lang=zh");
        assert_eq!(first_shape(&q), Shape::OtherId);
        let p = probe_url(&q, Shape::OtherId).unwrap();
        let (_, id) = query_id(&p).unwrap();
        assert_eq!(id.len(), 6);
        assert_ne!(id, "123456");
        assert_eq!(p.path(), "/content.jsp");
        assert!(p.query().unwrap().ends_with("&lang=zh"), "{p}");
        let a = cache_key(&u, Shape::OtherId);
        let b = cache_key(
            &url("https://www.theepochtimes.com/article/1234567/other"),
            Shape::OtherId,
        );
        assert_eq!(a, b, "same routing pattern, one probe");
    }

    #[test]
    fn echoes_of_the_path_are_taken_out() {
        let u = url("https://news.example/world/2025/story-of-the-day.html");
        let text = "Sorry, /world/2025/story-of-the-day.html was not found.";
        let out = without_echoes(text, &echoes(&u));
        assert!(!out.contains("story-of-the-day"), "{out}");
    }

    #[test]
    fn resemblance_of_texts() {
        let a =
            sketch("页面不存在，请返回首页。Page not found. Return to the home page of the site.");
        let b =
            sketch("页面不存在，请返回首页。Page not found. Return to the home page of the site.");
        let c = sketch(
            "Dutch chipmaker Nexperia called on its Chinese subsidiary to restore operations.",
        );
        assert!(resemblance(&a, &b) > 0.99);
        assert!(resemblance(&a, &c) < 0.2);
        assert!((containment(&a, &b) - 1.0).abs() < 1e-9);
    }
}
