//! Parallel extraction (`Extractor::extract_all`, `citevault extract`):
//! the same documents, in the same order, as extracting each input alone.

use crate::support;
use citevault::extract::{expand_inputs, ExtractError, Input, PARALLEL_MAX_DOCUMENT_SIZE};
use citevault::Extractor;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use support::fixture;

/// The unreadable input in the middle of the generated directory.
const BAD: &str = "20_bad.txt";
/// A second one, binary, further on.
const BINARY: &str = "31_binary.md";

/// Writes ~40 digests of mixed formats and sizes (so workers finish out of
/// order) plus two inputs that cannot be decoded; returns them in the order
/// a directory walk yields them.
fn digests(dir: &Path) -> Vec<PathBuf> {
    let mut bases: Vec<(String, String)> = vec![
        (
            "html".into(),
            std::fs::read_to_string(fixture("digest.html")).unwrap(),
        ),
        (
            "md".into(),
            std::fs::read_to_string(fixture("digest.md")).unwrap(),
        ),
    ];
    let mut seeds: Vec<PathBuf> = std::fs::read_dir(fixture("seeds"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    seeds.sort();
    for s in seeds {
        bases.push(("txt".into(), std::fs::read_to_string(s).unwrap()));
    }
    let mut paths = Vec::new();
    for i in 0..42usize {
        let path = match i {
            20 => {
                let p = dir.join(BAD);
                // A UTF-8 BOM, then bytes that are not UTF-8.
                std::fs::write(&p, b"\xEF\xBB\xBFTitle\n\nSource: \xff\xfe\xc3(\n").unwrap();
                p
            }
            31 => {
                let p = dir.join(BINARY);
                std::fs::write(&p, b"# Title\n\n\x00\x01\x02 https://a.example/\n").unwrap();
                p
            }
            _ => {
                let (ext, text) = &bases[i % bases.len()];
                // Sizes from one copy to 24: a large document is often
                // followed by small ones that finish first.
                // Two are over 1 MiB (`PARALLEL_MAX_DOCUMENT_SIZE`), so
                // they are extracted alone, on the calling thread.
                let copies = match i {
                    9 | 33 => PARALLEL_MAX_DOCUMENT_SIZE as usize / text.len() + 2,
                    _ => [1, 24, 2, 1, 9, 3, 1, 16][i % 8],
                };
                let p = dir.join(format!("{i:02}_digest.{ext}"));
                let mut body = String::new();
                for k in 0..copies {
                    // Vary the URLs so no two documents are identical.
                    body.push_str(&text.replace("https://", &format!("https://v{i}-{k}.")));
                    body.push('\n');
                }
                std::fs::write(&p, body).unwrap();
                p
            }
        };
        paths.push(path);
    }
    let large = paths
        .iter()
        .filter(|p| std::fs::metadata(p).unwrap().len() > PARALLEL_MAX_DOCUMENT_SIZE)
        .count();
    assert_eq!(large, 2);
    paths
}

fn citevault(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_citevault"))
        .env("CITEVAULT_NO_REMOTE", "1")
        .args(args)
        .output()
        .expect("binary runs")
}

/// The documents of `extract --format json` output, each as written: the
/// writer puts one document per line.
fn document_lines(stdout: &[u8]) -> Vec<String> {
    let text = std::str::from_utf8(stdout).expect("JSON is UTF-8");
    let value: serde_json::Value = serde_json::from_str(text).expect("valid JSON");
    let count = value["documents"].as_array().unwrap().len();
    let lines: Vec<String> = text
        .lines()
        .skip(1)
        .take(count)
        .map(|l| l.strip_suffix(',').unwrap_or(l).to_string())
        .collect();
    for l in &lines {
        assert!(
            l.starts_with("{\"source\":"),
            "not a document line: {l:.80}"
        );
    }
    lines
}

#[test]
fn directory_output_is_each_file_alone_in_order() {
    let tmp = tempfile::tempdir().unwrap();
    let paths = digests(tmp.path());
    let dir = tmp.path().to_str().unwrap();

    let all = citevault(&["extract", "--format", "json", dir]);
    assert_eq!(all.status.code(), Some(1), "an input failed: exit code 1");
    let docs = document_lines(&all.stdout);

    let mut expected = Vec::new();
    let mut expected_errors = Vec::new();
    for p in &paths {
        let one = citevault(&["extract", "--format", "json", p.to_str().unwrap()]);
        let value: serde_json::Value = serde_json::from_slice(&one.stdout).unwrap();
        if one.status.code() == Some(0) {
            let mut lines = document_lines(&one.stdout);
            assert_eq!(lines.len(), 1);
            expected.push(lines.remove(0));
        } else {
            assert_eq!(one.status.code(), Some(1));
            expected_errors.push(value["errors"][0].clone());
        }
    }
    assert_eq!(docs.len(), paths.len() - 2);
    assert_eq!(docs.len(), expected.len());
    for (i, (got, want)) in docs.iter().zip(&expected).enumerate() {
        assert!(got == want, "document {i} differs from its file alone");
    }

    let value: serde_json::Value = serde_json::from_slice(&all.stdout).unwrap();
    let errors = value["errors"].as_array().unwrap();
    assert_eq!(errors, &expected_errors, "the same errors, in input order");
    assert!(errors[0]["source"].as_str().unwrap().ends_with(BAD));
    assert!(errors[1]["source"].as_str().unwrap().ends_with(BINARY));
    assert_eq!(value["summary"]["errors"], 2);

    // On stderr, in input order too.
    let stderr = String::from_utf8_lossy(&all.stderr);
    let bad = stderr.find(BAD).expect("the bad input is named");
    let binary = stderr.find(BINARY).expect("the binary input is named");
    assert!(bad < binary, "{stderr}");
}

#[test]
fn text_output_puts_the_error_in_its_place() {
    let tmp = tempfile::tempdir().unwrap();
    digests(tmp.path());
    let out = citevault(&["extract", tmp.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    let at = |name: &str| {
        text.find(name)
            .unwrap_or_else(|| panic!("{name} not in output"))
    };
    assert!(at("19_digest") < at(BAD) && at(BAD) < at("21_digest"));
    assert!(at("30_digest") < at(BINARY) && at(BINARY) < at("32_digest"));
    // Documents come in input order.
    let order: Vec<usize> = (0..42)
        .filter(|i| ![20, 31].contains(i))
        .map(|i| at(&format!("{i:02}_digest")))
        .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]));
}

/// `extract_input` on each input in turn: the reference.
fn one_by_one(
    extractor: &Extractor,
    inputs: Vec<Result<Input, ExtractError>>,
) -> Vec<Result<String, String>> {
    inputs
        .into_iter()
        .map(|i| i.and_then(|i| extractor.extract_input(&i)))
        .map(flatten)
        .collect()
}

fn flatten(r: Result<citevault::Document, ExtractError>) -> Result<String, String> {
    r.map(|d| serde_json::to_string(&d).unwrap())
        .map_err(|e| e.to_string())
}

/// Inputs with errors of every kind in between: not found (from
/// `expand_inputs`), unreadable (a directory given as a file), undecodable.
fn mixed_inputs(dir: &Path) -> Vec<Result<Input, ExtractError>> {
    let paths = digests(dir);
    let mut inputs: Vec<Result<Input, ExtractError>> =
        paths.into_iter().map(|p| Ok(Input::File(p))).collect();
    inputs.insert(
        5,
        Err(ExtractError::NotFound {
            path: "missing.txt".into(),
        }),
    );
    inputs.insert(12, Ok(Input::File(dir.to_path_buf())));
    inputs.insert(13, Ok(Input::File(dir.join("gone.md"))));
    inputs
}

fn clone_inputs(inputs: &[Result<Input, ExtractError>]) -> Vec<Result<Input, ExtractError>> {
    inputs
        .iter()
        .map(|i| match i {
            Ok(i) => Ok(i.clone()),
            Err(e) => Err(ExtractError::NotFound {
                path: e.path().to_string(),
            }),
        })
        .collect()
}

#[test]
fn library_iterator_yields_in_input_order() {
    let tmp = tempfile::tempdir().unwrap();
    let inputs = mixed_inputs(tmp.path());
    let want = one_by_one(&Extractor::new(), clone_inputs(&inputs));
    assert_eq!(want.len(), 45);
    assert_eq!(want.iter().filter(|r| r.is_err()).count(), 5);
    for threads in [0, 1, 2, 3, 8] {
        let extractor = Extractor::new().threads(threads);
        let got: Vec<_> = extractor
            .extract_all(clone_inputs(&inputs))
            .map(flatten)
            .collect();
        assert_eq!(got.len(), want.len(), "{threads} threads");
        for (i, (g, w)) in got.iter().zip(&want).enumerate() {
            assert!(g == w, "{threads} threads: input {i} out of place");
        }
    }
}

#[test]
fn expand_inputs_feeds_extract_all_in_walk_order() {
    let tmp = tempfile::tempdir().unwrap();
    let paths = digests(tmp.path());
    let roots = vec![tmp.path().to_path_buf()];
    let sources: Vec<String> = Extractor::new()
        .threads(4)
        .extract_all(expand_inputs(&roots))
        .map(|r| match r {
            Ok(d) => d.source,
            Err(e) => e.path().to_string(),
        })
        .collect();
    let want: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    assert_eq!(sources, want);
}

#[test]
fn dropping_the_iterator_early_returns() {
    let tmp = tempfile::tempdir().unwrap();
    let inputs = mixed_inputs(tmp.path());
    let mut it = Extractor::new().threads(4).extract_all(inputs);
    assert!(it.next().is_some());
    assert!(it.next().is_some());
    drop(it);
    // And nothing is left: an empty input list yields nothing.
    assert!(Extractor::new()
        .threads(4)
        .extract_all(Vec::new())
        .next()
        .is_none());
}
