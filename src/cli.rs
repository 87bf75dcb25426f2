//! The command line: parses arguments and drives the library stages.

use crate::extract::{expand_inputs, Extractor};
use crate::model::Format;
use crate::outlets::OutletRegistry;
use crate::report::{JsonWriter, ReportWriter, TextWriter};
use clap::{Parser, Subcommand, ValueEnum};
use std::io::{self, Write};
use std::path::PathBuf;

/// Exit code: success.
pub const EXIT_OK: i32 = 0;
/// Exit code: a runtime, usage or input error (other inputs were still processed).
pub const EXIT_ERROR: i32 = 1;

#[derive(Parser, Debug)]
#[command(
    name = "citevault",
    version,
    about = "Keeps the sources of published writing alive: finds every citation in news digests, tied to the item that makes it.",
    long_about = None
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Extract items and their citations from text, Markdown and HTML documents.
    ///
    /// PATH may be a file, a directory (searched recursively for .txt .md
    /// .markdown .html .htm) or `-` for standard input.
    Extract(ExtractArgs),
}

#[derive(clap::Args, Debug)]
pub struct ExtractArgs {
    /// Files, directories, or `-` for stdin.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Output format.
    #[arg(short, long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,

    /// Read every input as this format instead of detecting it from the
    /// extension and content.
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub input_format: Option<InputFormat>,

    /// Extra outlet list (TOML, same layout as data/outlets.toml) merged into the built-in one.
    #[arg(long, value_name = "FILE")]
    pub outlets: Vec<PathBuf>,

    /// Write the report to FILE instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutputFormat {
    Text,
    Json,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum InputFormat {
    Text,
    Markdown,
    Html,
}

impl From<InputFormat> for Format {
    fn from(f: InputFormat) -> Self {
        match f {
            InputFormat::Text => Format::Text,
            InputFormat::Markdown => Format::Markdown,
            InputFormat::Html => Format::Html,
        }
    }
}

/// Runs the command line and returns the process exit code.
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { EXIT_ERROR } else { EXIT_OK };
        }
    };
    match cli.command {
        Command::Extract(args) => match extract(&args) {
            Ok(code) => code,
            Err(e) => {
                eprintln!("citevault: {e}");
                EXIT_ERROR
            }
        },
    }
}

fn extract(args: &ExtractArgs) -> Result<i32, String> {
    let mut outlets = OutletRegistry::builtin();
    for path in &args.outlets {
        outlets.extend_from_file(path).map_err(|e| e.to_string())?;
    }
    let extractor = Extractor::new()
        .outlets(outlets)
        .input_format(args.input_format.map(Format::from));

    let out: Box<dyn Write> = match &args.output {
        Some(p) => Box::new(io::BufWriter::new(
            std::fs::File::create(p).map_err(|e| format!("cannot write {}: {e}", p.display()))?,
        )),
        None => Box::new(io::BufWriter::new(io::stdout().lock())),
    };
    let mut report: Box<dyn ReportWriter> = match args.format {
        OutputFormat::Text => Box::new(TextWriter::new(out)),
        OutputFormat::Json => Box::new(JsonWriter::new(out)),
    };
    let io_err = |e: io::Error| format!("cannot write report: {e}");
    let mut failed = false;
    for input in expand_inputs(&args.paths) {
        let result = input.and_then(|i| extractor.extract_input(&i));
        match result {
            Ok(doc) => report.document(&doc).map_err(io_err)?,
            Err(e) => {
                failed = true;
                eprintln!("citevault: {e}");
                report.error(e.path(), &e.problem()).map_err(io_err)?;
            }
        }
    }
    report.finish().map_err(io_err)?;
    Ok(if failed { EXIT_ERROR } else { EXIT_OK })
}
