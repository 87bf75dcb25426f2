//! `citevault check`: turns the arguments into a [`Run`], draws progress,
//! and hands each annotated document to the chosen report writers.

use super::args::{CheckArgs, CheckFormat};
use super::output::{color_for, open_output, Failure, ForcedStderr};
use super::{input_paths, verdict_code};
use crate::model::{CheckStatus, Document};
use crate::report::{self, one_line, ReportOptions, ReportWriter};
use crate::run::{Run, RunEvent};
use futures_util::StreamExt;
use std::collections::BTreeMap;
use std::io::{self, IsTerminal};
use std::time::Duration;

/// Runs `check` and returns the exit code.
pub fn check(args: &CheckArgs) -> Result<i32, Failure> {
    let paths = input_paths(&args.input.paths, args.input.files_from.as_ref())?;
    let outputs = [
        (args.format, args.output.as_ref()),
        (CheckFormat::Json, args.output_json.as_ref()),
        (CheckFormat::Markdown, args.output_markdown.as_ref()),
        (CheckFormat::Junit, args.output_junit.as_ref()),
        (CheckFormat::Html, args.output_html.as_ref()),
    ];
    let paths_for_offline = paths.clone();
    let mut run = Run::builder()
        .inputs(paths)
        .extractor(args.input.extractor()?)
        .check_options(args.check_options()?)
        .fail_policy(args.fail.policy())
        .overrides(args.overrides.iter().cloned());
    if args.verify {
        run = run.verify(verify_options(args));
    }
    if !args.no_remote {
        let mut options = args.remote.remote_options(&args.user_agent)?;
        options.deadline = (!args.max_runtime.is_zero())
            .then(|| tokio::time::Instant::now().checked_add(args.max_runtime))
            .flatten();
        run = run
            .remote(options)
            .remote_max_age(args.remote.remote_max_age);
        if args.save_remote {
            run = run.save_remote(super::remote_cmds::ia_keys()?, args.remote.save_options());
        }
    }
    if !args.no_archive {
        run = run
            .archive(&args.dir.archive)
            .warc_info(args.warc_info())
            .never_read(&args.dir.archive);
    }
    for (_, path) in outputs.iter().skip(1) {
        if let Some(p) = path {
            run = run.never_read(p);
        }
    }
    if let Some(p) = &args.output {
        run = run.never_read(p);
    }
    let options = ReportOptions {
        color: color_for(args.output.as_ref()),
        fail_on: args.fail.policy().fail_on,
        fail_on_findings: args.fail.policy().fail_on_findings,
        archive: (!args.no_archive).then(|| args.dir.archive.clone()),
    };
    let mut reports = Vec::new();
    for (i, (format, path)) in outputs.into_iter().enumerate() {
        if i == 0 || path.is_some() {
            reports.push(report::writer(format.into(), open_output(path)?, &options));
        }
    }
    if args.offline {
        let archive = crate::archive::Archive::open_read_only(&args.dir.archive)?;
        let mut writers: Vec<&mut dyn ReportWriter> = reports
            .iter_mut()
            .map(|r| r.as_mut() as &mut dyn ReportWriter)
            .collect();
        let outcome = crate::run::verify_offline(
            &paths_for_offline,
            &args.input.extractor()?,
            &archive,
            &args.fail.policy(),
            verify_options(args),
            &mut writers,
        )?;
        return Ok(verdict_code(outcome.verdict()));
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the async runtime: {e}"))?;
    runtime.block_on(drive(run, args, &mut reports))
}

fn verify_options(args: &CheckArgs) -> crate::verify::VerifyOptions {
    crate::verify::VerifyOptions {
        date_tolerance_days: args.date_tolerance.max(0),
    }
}

async fn drive(
    run: crate::run::RunBuilder,
    args: &CheckArgs,
    reports: &mut [Box<dyn ReportWriter + '_>],
) -> Result<i32, Failure> {
    let mut run = run.start()?;
    let annotate = std::env::var("GITHUB_ACTIONS").is_ok_and(|v| v == "true");
    let bar = progress_bar(args);
    let mut counts: BTreeMap<CheckStatus, usize> = BTreeMap::new();
    let mut input_errors = Vec::new();
    // A reader that went away (`check | head`) stops that report, not the
    // run: CI still gets the exit code of every citation checked.
    let mut open = vec![true; reports.len()];
    let mut write = |i: usize,
                     r: &mut Box<dyn ReportWriter + '_>,
                     f: &mut dyn FnMut(&mut Box<dyn ReportWriter + '_>) -> io::Result<()>|
     -> Result<(), Failure> {
        if !open[i] {
            return Ok(());
        }
        match f(r) {
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {
                open[i] = false;
                Ok(())
            }
            other => Ok(other?),
        }
    };
    while let Some(event) = run.next().await {
        match event {
            RunEvent::Checking { urls } => bar.set_length(urls as u64),
            RunEvent::Checked { status, .. } => {
                *counts.entry(status).or_default() += 1;
                bar.inc(1);
                bar.set_message(
                    counts
                        .iter()
                        .map(|(s, n)| format!("{n} {s}"))
                        .collect::<Vec<_>>()
                        .join(", "),
                );
            }
            RunEvent::Document(doc) => {
                if annotate {
                    github_annotations(&doc, &args.fail.policy());
                }
                for (i, r) in reports.iter_mut().enumerate() {
                    write(i, r, &mut |r| r.document(&doc))?;
                }
            }
            RunEvent::InputError { source, problem } => {
                eprintln!("citevault: {}: {}", one_line(&source), one_line(&problem));
                input_errors.push((source, problem));
            }
            RunEvent::ArchiveStopped(message) | RunEvent::Notice(message) => {
                bar.suspend(|| eprintln!("citevault: {}", one_line(&message)));
            }
        }
    }
    bar.finish_and_clear();
    let outcome = run.outcome().await?;
    if let Some(problem) = &outcome.environment_error {
        eprintln!(
            "citevault: {}; the citations it affected are reported as `error`, with no verdict on their sources",
            one_line(problem)
        );
    }
    for (i, r) in reports.iter_mut().enumerate() {
        write(i, r, &mut |r| {
            for (source, problem) in &input_errors {
                r.error(source, problem)?;
            }
            r.finish()
        })?;
    }
    Ok(verdict_code(outcome.verdict()))
}

fn progress_bar(args: &CheckArgs) -> indicatif::ProgressBar {
    let target = if args.no_progress {
        return indicatif::ProgressBar::hidden();
    } else if args.progress {
        indicatif::ProgressDrawTarget::term_like_with_hz(Box::new(ForcedStderr), 5)
    } else if io::stderr().is_terminal() {
        indicatif::ProgressDrawTarget::stderr()
    } else {
        return indicatif::ProgressBar::hidden();
    };
    let bar = indicatif::ProgressBar::with_draw_target(Some(0), target);
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "{spinner} [{elapsed_precise}] {bar:30} {pos}/{len} URLs  {per_sec}  ETA {eta}  {msg}",
    ) {
        bar.set_style(style);
    }
    bar.enable_steady_tick(Duration::from_millis(200));
    bar
}

/// GitHub Actions workflow commands for failing citations: `::error` for
/// `--fail-on` statuses, `::warning` for other problems (on stderr, which the
/// runner reads like stdout, so reports on stdout stay clean). Every field
/// is escaped as the runner's toolkit does (`%25`, `%0D`, `%0A`, and `%3A`,
/// `%2C` in properties), so no file name or title can start a command.
fn github_annotations(doc: &Document, fail: &crate::run::FailPolicy) {
    let cited = doc
        .items
        .iter()
        .flat_map(|i| i.citations.iter().map(move |c| (Some(i.title.as_str()), c)))
        .chain(doc.citations.iter().map(|c| (None, c)));
    for (item, c) in cited {
        let url = c.url.as_deref().unwrap_or("(no URL)");
        if let Some(r) = &c.check {
            let level = if fail.fails(r.status) {
                Some("error")
            } else if matches!(
                r.status,
                CheckStatus::Blocked | CheckStatus::Error | CheckStatus::Timeout
            ) {
                Some("warning")
            } else {
                None
            };
            if let Some(level) = level {
                let title = format!("{} source: {}", r.status, item.unwrap_or("citation"));
                annotate(level, doc, c.line, &title, &format!("{url} {}", r.reason));
            }
        }
        for f in &c.findings {
            let level = if fail.fail_on_findings.contains(&f.kind) {
                "error"
            } else if f.severity == crate::model::Severity::Info {
                continue;
            } else {
                "warning"
            };
            let title = format!("{}: {}", f.kind, item.unwrap_or("citation"));
            annotate(level, doc, c.line, &title, &format!("{url} {}", f.reason));
        }
    }
}

/// Prints one workflow command. The runner reads a line starting with
/// `::` as a command: line breaks must never reach it raw, and the
/// properties (file, title) end at `,` and `::`. Other controls (ESC would
/// colour the log) become visible escapes before the runner's own
/// %-escaping.
fn annotate(level: &str, doc: &Document, line: u32, title: &str, message: &str) {
    let clean = |s: &str| {
        crate::report::escape_controls(s, &['\n', '\r'])
            .replace('%', "%25")
            .replace('\r', "%0D")
            .replace('\n', "%0A")
    };
    let prop = |s: &str| clean(s).replace(':', "%3A").replace(',', "%2C");
    eprintln!(
        "::{level} file={},line={line},title={}::{}",
        prop(&doc.source),
        prop(title),
        clean(message)
    );
}
