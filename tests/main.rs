//! Integration tests, built as one test binary.
//!
//! Each file beside this one is a module here rather than a test binary of
//! its own: 34 binaries each linked the whole library and its dependencies
//! (170 MB apiece with full debug info, 45 MB with line tables only), which
//! took 6 GB of disk and a link step per file. Run one file's tests with its module name as the filter:
//! `cargo test --test integration verdicts::`.

mod support;

mod archive;
mod archive_faults;
mod check;
mod check_cli;
mod cli;
mod config;
mod export;
mod extract_briefs;
mod extract_formats;
mod extract_parallel;
mod extract_quotes;
mod extract_seeds;
mod faults;
mod fetched_once;
mod golden;
mod html_report;
mod output_safety;
mod pipeline;
mod properties;
mod remote_cli;
mod remote_lookup;
mod remote_report;
mod remote_save;
mod replay;
mod requisites;
mod resources;
mod robustify;
mod untrusted;
mod verdicts;
mod verify_cli;
mod verify_drift;
mod verify_page;
mod verify_report;
mod verify_seeds;
