use super::{
    escape_controls, finding_detail, finding_label, finding_search, is_web_url, linkable_capture,
    readable_url, remote_description, remote_link_detail, remote_link_label, show_command,
    ReportWriter, Totals,
};
use crate::model::{CheckStatus, Citation, Document, Finding, RemoteCopy};
use std::io::{self, Write};
use std::path::PathBuf;

/// One self-contained HTML file (no network assets): a summary with a bar
/// chart of statuses, a table per document with its items and citations,
/// checkboxes that filter rows by status, for each citation the command
/// that prints its archived copy, and what verification found of it.
pub struct HtmlWriter<W: Write> {
    out: W,
    totals: Totals,
    body: Vec<u8>,
    archive: Option<PathBuf>,
}

/// Text safe in HTML content and double-quoted attributes; controls, bidi
/// overrides and noncharacters (invalid in HTML) shown as visible escapes.
fn esc(s: &str) -> String {
    escape_controls(s, &['\n', '\t'])
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// What the public web archives hold of a citation: a link to the
/// capture (`public copy, 2025-11-20`, the archive and distance beside it,
/// the whole description as its tooltip), or the description alone
/// (`no public copy (asked: wayback)`, `public archives could not be
/// asked: …`). Only `http:`/`https:` captures are linked.
fn public_copy(remote: &RemoteCopy) -> String {
    let description = esc(&remote_description(remote));
    let Some(capture) = linkable_capture(remote) else {
        return format!("<small class=\"remote\">{description}</small>");
    };
    let detail = remote_link_detail(capture)
        .map(|d| format!(" <small>({})</small>", esc(&d)))
        .unwrap_or_default();
    format!(
        "<a class=\"remote\" href=\"{}\" rel=\"noreferrer\" title=\"{description}\">{}</a>{detail}",
        esc(&capture.url),
        esc(&remote_link_label(capture))
    )
}

/// What verification found of a citation, as a small list under its
/// reason (`<ul class="findings"><li class="f-drifted sev-warning">…`),
/// in the wording every report shares; an unlinked citation's search is
/// linked when it is a web address. Empty when nothing was found.
fn findings(list: &[Finding]) -> String {
    if list.is_empty() {
        return String::new();
    }
    let mut out = String::from("<ul class=\"findings\">");
    for f in list {
        let search = match finding_search(f) {
            Some(url) if is_web_url(url) => format!(
                " — <a class=\"search\" href=\"{}\" rel=\"noreferrer\">search</a>",
                esc(url)
            ),
            Some(url) => format!(" — search: {}", esc(url)),
            None => String::new(),
        };
        out.push_str(&format!(
            "<li class=\"f-{} sev-{}\"><b>{}</b>: {}{search}</li>",
            f.kind,
            f.severity.as_str(),
            esc(&finding_label(f)),
            esc(&finding_detail(f))
        ));
    }
    out.push_str("</ul>");
    out
}

const COLORS: [(CheckStatus, &str); 8] = [
    (CheckStatus::Alive, "#2e7d32"),
    (CheckStatus::Dead, "#c62828"),
    (CheckStatus::Soft404, "#ef6c00"),
    (CheckStatus::Blocked, "#6a1b9a"),
    (CheckStatus::Error, "#ad1457"),
    (CheckStatus::Timeout, "#5d4037"),
    (CheckStatus::Unlinked, "#546e7a"),
    (CheckStatus::Skipped, "#90a4ae"),
];

fn status_of(c: &Citation) -> &'static str {
    c.check.as_ref().map_or("unchecked", |r| r.status.as_str())
}

impl<W: Write> HtmlWriter<W> {
    /// A report written to `out`. The page is written whole by
    /// [`finish`](ReportWriter::finish), as its summary comes first.
    pub fn new(out: W) -> Self {
        HtmlWriter {
            out,
            totals: Totals::default(),
            body: Vec::new(),
            archive: None,
        }
    }

    /// Names the archive in the commands that print archived copies.
    pub fn with_archive(mut self, archive: Option<PathBuf>) -> Self {
        self.archive = archive;
        self
    }

    fn row(&mut self, item: Option<(&str, u32)>, c: &Citation) -> io::Result<()> {
        let status = status_of(c);
        let (item_title, item_line) = item.map_or(
            ("(outside any item)".to_string(), String::new()),
            |(t, l)| (t.to_string(), l.to_string()),
        );
        let url_cell = match &c.url {
            Some(u) => format!(
                "<a href=\"{}\" rel=\"noreferrer\">{}</a>",
                esc(u),
                esc(&readable_url(u))
            ),
            None => "<em>no URL</em>".to_string(),
        };
        let source = [c.outlet.clone(), c.date.clone()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(", ");
        let reason = c.check.as_ref().map_or(String::new(), |r| r.reason.clone());
        // An override is never silent: the badge says so and the reason
        // cell gives what the checker said.
        let (flag, reason) = match c.check.as_deref().and_then(super::overridden_label) {
            Some(label) => (
                " <small class=\"ovr\">overridden</small>",
                format!("{reason} — {label}"),
            ),
            None => ("", reason),
        };
        let command = match (&c.url, &c.archive, &self.archive) {
            (Some(u), Some(copy), Some(dir)) => {
                show_command(dir, u, copy).map(|cmd| (cmd, copy.sha256.clone().unwrap_or_default()))
            }
            _ => None,
        };
        let remote = c.remote.as_deref();
        let archived = match (&c.url, command) {
            (Some(_), Some((cmd, sha))) => {
                format!("<code title=\"{}\">{}</code>", esc(&sha), esc(&cmd))
            }
            // A known public capture takes the generic link's place.
            (Some(_), None) if remote.and_then(linkable_capture).is_some() => String::new(),
            (Some(u), None) => format!(
                "<a href=\"https://web.archive.org/web/*/{}\" rel=\"noreferrer\">Wayback</a>",
                esc(u)
            ),
            _ => String::new(),
        };
        // The public archives' copy, beside the local one.
        let archived = match remote.map(public_copy) {
            Some(public) if archived.is_empty() => public,
            Some(public) => format!("{archived}<br>{public}"),
            None => archived,
        };
        writeln!(
            self.body,
            "<tr class=\"row s-{status}\" data-status=\"{status}\"><td>{}</td><td>{}</td><td>{}</td><td><span class=\"badge s-{status}\">{status}</span>{flag}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&item_line),
            esc(&item_title),
            c.line,
            url_cell,
            esc(&source),
            esc(&reason) + &findings(&c.findings),
            archived
        )
    }
}

impl<W: Write> ReportWriter for HtmlWriter<W> {
    fn document(&mut self, doc: &Document) -> io::Result<()> {
        self.totals.add(doc);
        writeln!(
            self.body,
            "<section class=\"doc\"><h2>{}</h2><p class=\"meta\">{} · {} items · {} citations{}</p>",
            esc(&doc.source),
            doc.format,
            doc.items.len(),
            doc.all_citations().count(),
            doc.title.as_deref().map(|t| format!(" · {}", esc(t))).unwrap_or_default()
        )?;
        writeln!(
            self.body,
            "<table class=\"citations\"><thead><tr><th>item line</th><th>item</th><th>line</th><th>status</th><th>URL</th><th>source</th><th>reason</th><th>archived copy</th></tr></thead><tbody>"
        )?;
        for item in &doc.items {
            if item.citations.is_empty() {
                writeln!(
                    self.body,
                    "<tr class=\"row s-uncited\" data-status=\"uncited\"><td>{}</td><td>{}</td><td></td><td><span class=\"badge\">uncited</span></td><td colspan=\"4\"><em>no source given</em></td></tr>",
                    item.line,
                    esc(&item.title)
                )?;
            }
            for c in &item.citations {
                self.row(Some((&item.title, item.line)), c)?;
            }
        }
        for c in &doc.citations {
            self.row(None, c)?;
        }
        writeln!(self.body, "</tbody></table></section>")
    }

    fn error(&mut self, source: &str, message: &str) -> io::Result<()> {
        self.totals.errors += 1;
        writeln!(
            self.body,
            "<section class=\"doc error\"><h2>{}</h2><p>{}</p></section>",
            esc(source),
            esc(message)
        )
    }

    fn finish(&mut self) -> io::Result<()> {
        let t = &self.totals;
        let max = t.statuses.values().copied().max().unwrap_or(1).max(1);
        let mut chart = String::new();
        let mut filters = String::new();
        for (i, (status, color)) in COLORS.iter().enumerate() {
            let n = t.statuses.get(status).copied().unwrap_or(0);
            let width = 360 * n / max;
            let y = i * 24;
            chart.push_str(&format!(
                "<text x=\"0\" y=\"{}\" class=\"lbl\">{status}</text><rect x=\"80\" y=\"{}\" width=\"{width}\" height=\"16\" fill=\"{color}\"/><text x=\"{}\" y=\"{}\" class=\"num\">{n}</text>",
                y + 13,
                y,
                86 + width,
                y + 13
            ));
            filters.push_str(&format!(
                "<label><input type=\"checkbox\" data-filter=\"{status}\" checked> {status} ({n})</label> "
            ));
        }
        let css: String = COLORS
            .iter()
            .map(|(s, c)| format!(".badge.s-{s}{{background:{c}}}"))
            .collect();
        write!(
            self.out,
            r#"<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="generator" content="citevault"><title>citevault report</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{{font:14px/1.4 system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px;color:#222}}
h1{{margin:0 0 8px}} .meta{{color:#666;margin:0 0 8px}}
table{{border-collapse:collapse;width:100%;margin-bottom:24px}} th,td{{border-bottom:1px solid #ddd;padding:4px 6px;text-align:left;vertical-align:top}}
th{{background:#f5f5f5}} td:nth-child(5){{word-break:break-all}}
.badge{{color:#fff;background:#888;border-radius:3px;padding:1px 6px;font-size:12px;white-space:nowrap}}
{css}
.lbl,.num{{font-size:12px}} #filters label{{margin-right:10px}} code{{font-size:12px}}
</style></head><body>
<h1>citevault report</h1>
<p class="meta">{docs} documents · {items} items ({uncited} uncited) · {cits} citations ({unlinked} unlinked) · {errors} input errors{overridden}{findings}</p>
<svg id="chart" width="520" height="{h}" role="img" aria-label="citations per status">{chart}</svg>
<p id="filters">Show: {filters}</p>
{body}
<script>
document.querySelectorAll('#filters input').forEach(function (box) {{
  box.addEventListener('change', function () {{
    document.querySelectorAll('tr[data-status="' + box.dataset.filter + '"]').forEach(function (row) {{
      row.style.display = box.checked ? '' : 'none';
    }});
  }});
}});
</script>
</body></html>
"#,
            docs = t.documents,
            items = t.items,
            uncited = t.uncited_items,
            cits = t.citations,
            unlinked = t.unlinked,
            errors = t.errors,
            overridden = match t.overridden {
                0 => String::new(),
                n => format!(" · {n} overridden"),
            },
            findings = if t.findings.is_empty() {
                String::new()
            } else {
                format!(" · findings: {}", t.findings_line())
            },
            h = COLORS.len() * 24,
            body = String::from_utf8_lossy(&self.body),
        )?;
        self.out.flush()
    }
}
