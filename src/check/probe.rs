//! The Bar-Yossef soft-404 probe: ask the host for a page that cannot exist
//! next to the cited one. A site that answers 200 for nonsense, with the
//! same page or the same redirect as the cited URL, is showing us its
//! "not found" page, not the article.
//!
//! One probe per host and directory, cached and shared by every URL there;
//! after a few directories of one host, URLs in further directories reuse
//! the host's first probe: news sites keep articles in date directories, and
//! a probe for each would nearly double the requests while a site's handling
//! of missing pages rarely varies by directory.

/// Directories probed per host before reusing the host's first probe.
pub const MAX_DIRECTORIES_PER_HOST: usize = 4;

/// The directory part of a URL's path (`/news/acn/` of `/news/acn/1.aspx`).
pub fn directory(url: &Url) -> &str {
    let path = url.path();
    &path[..path.rfind('/').map_or(0, |i| i + 1)]
}

use std::collections::HashSet;
use url::Url;

/// What the host answered for a nonexistent path.
#[derive(Debug, Clone)]
pub struct ProbeOutcome {
    pub url: String,
    pub status: u16,
    pub final_url: String,
    pub redirected: bool,
    pub sketch: HashSet<u64>,
}

/// A path next to `url` that does not exist: its directory plus random letters.
pub fn probe_url(url: &Url) -> Url {
    let mut probe = url.clone();
    let dir = directory(url);
    let dir = if dir.is_empty() { "/" } else { dir };
    let random: String = (0..16).map(|_| fastrand::lowercase()).collect();
    probe.set_path(&format!("{dir}citevault-{random}"));
    probe.set_query(None);
    probe.set_fragment(None);
    probe
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

/// Whether the cited page is the host's not-found page, and why.
pub fn matches_probe(
    probe: &ProbeOutcome,
    final_url: &str,
    redirected: bool,
    sketch: &HashSet<u64>,
) -> Option<String> {
    if !(200..300).contains(&probe.status) {
        return None;
    }
    if redirected && probe.redirected && probe.final_url == final_url {
        return Some(format!(
            "redirects to {final_url}, where the site also sends a nonexistent page ({})",
            probe.url
        ));
    }
    let r = resemblance(&probe.sketch, sketch);
    (r >= 0.9).then(|| {
        format!(
            "same page ({:.0}% alike) as the site returns for a nonexistent page ({})",
            r * 100.0,
            probe.url
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn probe_is_next_to_the_url() {
        let u = Url::parse("https://www.cna.com.tw/news/acn/202511180033.aspx?x=1").unwrap();
        let p = probe_url(&u);
        assert!(
            p.as_str()
                .starts_with("https://www.cna.com.tw/news/acn/citevault-"),
            "{p}"
        );
        assert!(p.query().is_none());
        let root = probe_url(&Url::parse("https://example.org").unwrap());
        assert!(root.path().starts_with("/citevault-"));
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
    }
}
