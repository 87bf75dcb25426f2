use super::{escape_controls, finding_line, finding_notable, ReportWriter, Totals};
use crate::model::{CheckStatus, Citation, Document, Finding, FindingKind};
use std::io::{self, Write};

/// JUnit XML for CI test reporters: one testsuite per document, one
/// testcase per citation; `--fail-on` statuses are failures, skipped and
/// unlinked citations are skipped testcases. A citation with a finding of
/// a `--fail-on` kind is a failure naming it; its other warnings and
/// errors (and unlinked findings) are in `<system-out>`.
pub struct JunitWriter<W: Write> {
    out: W,
    fail_on: Vec<CheckStatus>,
    fail_on_findings: Vec<FindingKind>,
    totals: Totals,
    started: bool,
}

/// Text safe in an XML attribute: markup escaped, and every character XML
/// forbids (U+0000–U+001F, U+FFFE, U+FFFF) or a log viewer would act on
/// (ESC, C1, bidi controls) written as a visible escape such as `\x1b`.
/// Line breaks are escaped too (`\n`): a parser would fold them into spaces.
fn esc(s: &str) -> String {
    xml(&escape_controls(s, &[]))
}

/// Text safe in XML content: as [`esc`], but line breaks and tabs stay.
fn esc_text(s: &str) -> String {
    xml(&escape_controls(s, &['\n', '\t']))
}

fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

impl<W: Write> JunitWriter<W> {
    /// A report written to `out`, one testsuite per document as it
    /// arrives. Citations with a status in `fail_on` become failures: pass
    /// the run's `--fail-on` so CI test views agree with the exit code.
    pub fn new(out: W, fail_on: Vec<CheckStatus>) -> Self {
        JunitWriter {
            out,
            fail_on,
            fail_on_findings: Vec::new(),
            totals: Totals::default(),
            started: false,
        }
    }

    /// Makes citations with a finding of one of these kinds failures, as
    /// they fail the run: pass the run's `--fail-on` finding kinds.
    pub fn with_fail_on_findings(mut self, kinds: Vec<FindingKind>) -> Self {
        self.fail_on_findings = kinds;
        self
    }

    fn start(&mut self) -> io::Result<()> {
        if !self.started {
            writeln!(self.out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>")?;
            writeln!(self.out, "<testsuites name=\"citevault\">")?;
            self.started = true;
        }
        Ok(())
    }

    fn failing(&self, c: &Citation) -> bool {
        c.check
            .as_ref()
            .is_some_and(|r| self.fail_on.contains(&r.status))
            || self.failing_findings(c).next().is_some()
    }

    /// The citation's findings of a kind that fails the run.
    fn failing_findings<'a>(&'a self, c: &'a Citation) -> impl Iterator<Item = &'a Finding> + 'a {
        c.findings
            .iter()
            .filter(|f| self.fail_on_findings.contains(&f.kind))
    }
}

impl<W: Write> ReportWriter for JunitWriter<W> {
    fn document(&mut self, doc: &Document) -> io::Result<()> {
        self.start()?;
        self.totals.add(doc);
        let cases: Vec<(Option<&str>, &Citation)> = doc
            .items
            .iter()
            .flat_map(|i| i.citations.iter().map(move |c| (Some(i.title.as_str()), c)))
            .chain(doc.citations.iter().map(|c| (None, c)))
            .collect();
        let failures = cases.iter().filter(|(_, c)| self.failing(c)).count();
        let skipped = cases
            .iter()
            .filter(|(_, c)| {
                // A failure by a finding is not also skipped.
                self.failing_findings(c).next().is_none()
                    && c.check.as_ref().is_some_and(|r| {
                        matches!(r.status, CheckStatus::Skipped | CheckStatus::Unlinked)
                    })
            })
            .count();
        writeln!(
            self.out,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{failures}\" errors=\"0\" skipped=\"{skipped}\">",
            esc(&doc.source),
            cases.len()
        )?;
        for (item, c) in cases {
            let target = c.url.as_deref().unwrap_or("(no URL)");
            let name = match item {
                Some(t) => format!("{t} — {target}"),
                None => target.to_string(),
            };
            let time = c
                .check
                .as_ref()
                .map_or(0.0, |r| r.elapsed_ms as f64 / 1000.0);
            write!(
                self.out,
                "    <testcase classname=\"{}:{}\" name=\"{}\" file=\"{}\" line=\"{}\" time=\"{time:.3}\"",
                esc(&doc.source),
                c.line,
                esc(&name),
                esc(&doc.source),
                c.line
            )?;
            // The public archives' copy, on a line of its own after the
            // reason: looked up for a failing citation, saved for an alive one.
            let remote = c
                .remote
                .as_deref()
                .map(|rc| format!("\n{}", super::remote_description(rc)))
                .unwrap_or_default();
            // Findings that fail the run, and the others worth a look, a
            // line each after everything else.
            let failed: Vec<&Finding> = self.failing_findings(c).collect();
            let noted: String = c
                .findings
                .iter()
                .filter(|f| !self.fail_on_findings.contains(&f.kind) && finding_notable(f))
                .map(|f| format!("\n{}", finding_line(f)))
                .collect();
            let failed_lines: String = failed
                .iter()
                .map(|f| format!("\n{}", finding_line(f)))
                .collect();
            let failed_message = failed
                .iter()
                .map(|f| finding_line(f))
                .collect::<Vec<_>>()
                .join("; ");
            match &c.check {
                Some(r) if self.fail_on.contains(&r.status) => {
                    let overridden = super::overridden_label(r)
                        .map(|l| format!("\n{l}"))
                        .unwrap_or_default();
                    // The message names the failing findings too, if any.
                    let message = if failed.is_empty() {
                        r.reason.clone()
                    } else {
                        format!("{}; {failed_message}", r.reason)
                    };
                    writeln!(self.out, ">")?;
                    writeln!(
                        self.out,
                        "      <failure type=\"{}\" message=\"{}\">{}</failure>",
                        r.status,
                        esc(&message),
                        esc_text(&format!(
                            "{} {target}: {}{overridden}{remote}{failed_lines}{noted}",
                            r.status, r.reason
                        ))
                    )?;
                    writeln!(self.out, "    </testcase>")?;
                }
                _ if !failed.is_empty() => {
                    let kinds = failed
                        .iter()
                        .map(|f| f.kind.as_str())
                        .collect::<Vec<_>>()
                        .join(" ");
                    let status = c
                        .check
                        .as_ref()
                        .map(|r| format!("\n{}: {}", r.status, r.reason))
                        .unwrap_or_default();
                    writeln!(self.out, ">")?;
                    writeln!(
                        self.out,
                        "      <failure type=\"{}\" message=\"{}\">{}</failure>",
                        esc(&kinds),
                        esc(&failed_message),
                        esc_text(&format!(
                            "{kinds} {target}:{failed_lines}{noted}{status}{remote}"
                        ))
                    )?;
                    writeln!(self.out, "    </testcase>")?;
                }
                Some(r) if r.overridden.is_some() => {
                    let label = super::overridden_label(r).unwrap_or_default();
                    writeln!(self.out, ">")?;
                    writeln!(
                        self.out,
                        "      <system-out>{}</system-out>",
                        esc_text(&format!("{label}\n{}{remote}{noted}", r.reason))
                    )?;
                    writeln!(self.out, "    </testcase>")?;
                }
                Some(r) if matches!(r.status, CheckStatus::Skipped | CheckStatus::Unlinked) => {
                    writeln!(self.out, ">")?;
                    writeln!(self.out, "      <skipped message=\"{}\"/>", esc(&r.reason))?;
                    if !noted.is_empty() {
                        writeln!(
                            self.out,
                            "      <system-out>{}</system-out>",
                            esc_text(noted.trim_start_matches('\n'))
                        )?;
                    }
                    writeln!(self.out, "    </testcase>")?;
                }
                Some(r) if r.status != CheckStatus::Alive => {
                    writeln!(self.out, ">")?;
                    writeln!(
                        self.out,
                        "      <system-out>{}: {}</system-out>",
                        r.status,
                        esc_text(&format!("{}{remote}{noted}", r.reason))
                    )?;
                    writeln!(self.out, "    </testcase>")?;
                }
                _ if !remote.is_empty() || !noted.is_empty() => {
                    writeln!(self.out, ">")?;
                    writeln!(
                        self.out,
                        "      <system-out>{}</system-out>",
                        esc_text(format!("{remote}{noted}").trim_start_matches('\n'))
                    )?;
                    writeln!(self.out, "    </testcase>")?;
                }
                _ => writeln!(self.out, "/>")?,
            }
        }
        writeln!(self.out, "  </testsuite>")
    }

    fn error(&mut self, source: &str, message: &str) -> io::Result<()> {
        self.start()?;
        self.totals.errors += 1;
        writeln!(
            self.out,
            "  <testsuite name=\"{}\" tests=\"1\" failures=\"0\" errors=\"1\"><testcase classname=\"{}\" name=\"read\"><error message=\"{}\"/></testcase></testsuite>",
            esc(source),
            esc(source),
            esc(message)
        )
    }

    fn finish(&mut self) -> io::Result<()> {
        self.start()?;
        writeln!(self.out, "</testsuites>")?;
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::{esc, esc_text};

    #[test]
    fn xml_escaping() {
        assert_eq!(
            esc("a<b & \"c\" 'd'\u{1}"),
            "a&lt;b &amp; &quot;c&quot; &apos;d&apos;\\x01"
        );
        assert_eq!(
            esc("\u{1b}[31m\u{ffff}\u{fffe}\u{b}\u{c}\n"),
            "\\x1b[31m\\u{ffff}\\u{fffe}\\x0b\\x0c\\n"
        );
        assert_eq!(esc_text("a\n\tb\u{0}"), "a\n\tb\\x00");
    }
}
