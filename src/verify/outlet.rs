//! Is the source the outlet the citation names?
//!
//! The outlet a citation names ("Epoch Times") is resolved by its aliases in
//! the outlet list and compared with the host the URL ends up on (after
//! redirects, when known). A host of the named outlet (or a subdomain of
//! one) is no finding; a site that republishes other outlets' stories
//! (an outlet marked `syndicates` in the list: Yahoo, MSN, Google News,
//! AOL) is a `syndicated` warning; any other host is an `outlet-mismatch`.

use crate::model::{Citation, Finding, FindingKind, Severity};
use crate::outlets::OutletRegistry;

/// The citation's named outlet against the host of `final_url` (where the
/// URL led, when checked) or else of the citation's URL.
///
/// `None` when the citation has no URL, names no outlet, names one the
/// registry does not know (or knows without domains), or when the host
/// belongs to the named outlet (subdomains count). The stated name is
/// resolved here, not taken from `outlet_id`, which may have come from the
/// host. On a syndicating host: `syndicated` (warning). Otherwise:
/// `outlet-mismatch` (error). Both have `source` `url` and `found` the host.
///
/// ```
/// use citevault::verify::outlet::outlet_finding;
/// use citevault::{Extractor, Format, OutletRegistry};
///
/// let text = "Title Here\n\nBody text of the item, long enough to be a paragraph.\n\n\
///     Source: Epoch Times, November 19, 2025\nhttps://www.dw.com/zh/a-74793625\n";
/// let doc = Extractor::new().extract_str("d.txt", Format::Text, text);
/// let c = &doc.items[0].citations[0];
/// let f = outlet_finding(c, None, &OutletRegistry::builtin()).unwrap();
/// assert_eq!(
///     f.reason,
///     "cited as Epoch Times, but the URL is on www.dw.com (Deutsche Welle)"
/// );
/// ```
pub fn outlet_finding(
    c: &Citation,
    final_url: Option<&str>,
    outlets: &OutletRegistry,
) -> Option<Finding> {
    let cited_url = c.url.as_deref()?;
    let stated = c
        .outlet
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())?;
    // Known by name at all? (With a host, `resolve` falls back to it.)
    outlets.resolve(Some(stated), None)?;
    let url = final_url.unwrap_or(cited_url);
    let host = host_of(url)?;
    // Among outlets sharing the name ("CNA"), the one owning the host.
    let named = outlets.resolve(Some(stated), Some(&host))?;
    if named.domains.is_empty() || named.owns_host(&host) {
        return None;
    }
    let on = outlets.by_host(&host);
    let mut finding = match on.filter(|o| o.syndicates) {
        Some(_) => Finding::new(
            FindingKind::Syndicated,
            Severity::Warning,
            format!("{stated} story on {host}: a syndicated copy"),
        ),
        None => {
            let redirected = final_url.is_some() && host_of(cited_url).as_deref() != Some(&host);
            let verb = if redirected { "leads to" } else { "is on" };
            let whose = on.map(|o| format!(" ({})", o.name)).unwrap_or_default();
            Finding::new(
                FindingKind::OutletMismatch,
                Severity::Error,
                format!("cited as {stated}, but the URL {verb} {host}{whose}"),
            )
        }
    };
    finding.source = Some("url".to_string());
    finding.found = Some(host);
    Some(finding)
}

/// The URL's host, lowercase, without a trailing dot.
fn host_of(url: &str) -> Option<String> {
    let parsed = url::Url::parse(url).ok()?;
    let host = parsed
        .host_str()?
        .trim_end_matches('.')
        .to_ascii_lowercase();
    (!host.is_empty()).then_some(host)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::CitedVia;

    fn cite(outlet: Option<&str>, url: Option<&str>) -> Citation {
        Citation {
            url: url.map(str::to_string),
            outlet: outlet.map(str::to_string),
            outlet_id: None,
            date: None,
            marker: None,
            line: 1,
            via: CitedVia::default(),
            check: None,
            archive: None,
            remote: None,
            findings: Vec::new(),
            warnings: Vec::new(),
        }
    }

    fn finding(outlet: &str, url: &str, final_url: Option<&str>) -> Option<Finding> {
        outlet_finding(
            &cite(Some(outlet), Some(url)),
            final_url,
            &OutletRegistry::builtin(),
        )
    }

    #[test]
    fn the_named_outlets_hosts_and_subdomains_match() {
        for (outlet, url) in [
            (
                "Epoch Times",
                "https://www.epochtimes.com/gb/25/11/28/n1.htm",
            ),
            (
                "People’s Daily",
                "https://world.people.com.cn/n1/2025/1114/c1.html",
            ),
            (
                "Huanqiu Times",
                "https://mil.huanqiu.com/article/4PAF86Mj7GF",
            ),
            (
                "Yahoo (Taiwan)",
                "https://tw.news.yahoo.com/a-024800232.html",
            ),
            ("Yahoo", "https://tw.news.yahoo.com/a-024800232.html"),
            (
                "Central News Agency (Taiwan)",
                "https://www.cna.com.tw/news/acn/1.aspx",
            ),
            ("CNA", "https://www.channelnewsasia.com/asia/x"),
            ("the epoch times", "https://WWW.EPOCHTIMES.COM./gb/1.htm"),
        ] {
            assert_eq!(finding(outlet, url, None), None, "{outlet} {url}");
        }
    }

    #[test]
    fn nothing_to_compare_is_no_finding() {
        let reg = OutletRegistry::builtin();
        // No URL, no outlet, an unknown outlet.
        assert_eq!(outlet_finding(&cite(Some("RFA"), None), None, &reg), None);
        assert_eq!(
            outlet_finding(&cite(None, Some("https://www.dw.com/a")), None, &reg),
            None
        );
        assert_eq!(
            finding("Unknown Gazette", "https://www.dw.com/a", None),
            None
        );
        assert_eq!(finding("RFA", "not a url", None), None);
        // A known outlet without domains.
        let mut reg = OutletRegistry::builtin();
        reg.extend_from_toml(
            "[[outlet]]\nid = \"cpm\"\nname = \"China Policy Monitor\"\n",
            "mine.toml",
        )
        .unwrap();
        let c = cite(Some("China Policy Monitor"), Some("https://www.dw.com/a"));
        assert_eq!(outlet_finding(&c, None, &reg), None);
    }

    #[test]
    fn another_outlets_host_is_a_mismatch() {
        let f = finding("Epoch Times", "https://www.dw.com/zh/a-74793625", None).unwrap();
        assert_eq!(f.kind, FindingKind::OutletMismatch);
        assert_eq!(f.severity, Severity::Error);
        assert_eq!(f.source.as_deref(), Some("url"));
        assert_eq!(f.found.as_deref(), Some("www.dw.com"));
        assert_eq!(
            f.reason,
            "cited as Epoch Times, but the URL is on www.dw.com (Deutsche Welle)"
        );
        let f = finding("RFA", "https://example.org/a", None).unwrap();
        assert_eq!(f.reason, "cited as RFA, but the URL is on example.org");
        // A look-alike host is not a subdomain.
        let f = finding("DW", "https://notdw.com/a", None).unwrap();
        assert_eq!(f.kind, FindingKind::OutletMismatch);
    }

    #[test]
    fn the_final_host_decides() {
        let f = finding(
            "Epoch Times",
            "https://www.epochtimes.com/gb/1.htm",
            Some("https://www.dw.com/zh/a-1"),
        )
        .unwrap();
        assert_eq!(f.found.as_deref(), Some("www.dw.com"));
        assert_eq!(
            f.reason,
            "cited as Epoch Times, but the URL leads to www.dw.com (Deutsche Welle)"
        );
        assert_eq!(
            finding(
                "Epoch Times",
                "https://bit.ly/x",
                Some("https://www.epochtimes.com/gb/1.htm")
            ),
            None
        );
    }

    #[test]
    fn syndicated_copies_are_warnings() {
        for (outlet, host) in [
            ("Reuters", "news.yahoo.com"),
            ("Reuters", "finance.yahoo.com"),
            ("AP", "www.msn.com"),
            ("Xinhua", "news.google.com"),
            ("Bloomberg", "www.aol.com"),
            ("Central News Agency", "tw.news.yahoo.com"),
            ("Epoch Times", "tw.news.yahoo.com"),
        ] {
            let f = finding(outlet, &format!("https://{host}/story-1.html"), None)
                .unwrap_or_else(|| panic!("{outlet} on {host}"));
            assert_eq!(f.kind, FindingKind::Syndicated, "{outlet} on {host}");
            assert_eq!(f.severity, Severity::Warning);
            assert_eq!(f.found.as_deref(), Some(host));
            assert_eq!(f.source.as_deref(), Some("url"));
            assert_eq!(
                f.reason,
                format!("{outlet} story on {host}: a syndicated copy")
            );
        }
        // Not on a syndicating site: a mismatch, even for a wire service.
        let f = finding("Reuters", "https://www.scmp.com/news/1", None).unwrap();
        assert_eq!(f.kind, FindingKind::OutletMismatch);
        assert_eq!(
            f.reason,
            "cited as Reuters, but the URL is on www.scmp.com (South China Morning Post)"
        );
    }

    #[test]
    fn user_outlets_can_syndicate() {
        let mut reg = OutletRegistry::builtin();
        reg.extend_from_toml(
            "[[outlet]]\nid = \"line-today\"\nname = \"LINE TODAY\"\ndomains = [\"today.line.me\"]\nsyndicates = true\n",
            "mine.toml",
        )
        .unwrap();
        let c = cite(Some("CNA"), Some("https://today.line.me/tw/v2/article/x"));
        let f = outlet_finding(&c, None, &reg).unwrap();
        assert_eq!(f.kind, FindingKind::Syndicated);
    }
}
