fn main() {
    raise_open_files_limit();
    std::process::exit(citevault::cli::main());
}

/// Raises the soft limit on open files to the hard limit: a run checking
/// thousands of hosts holds a socket per host it talks to, and the usual
/// soft limit of 1,024 is far below what the system allows. Silent, and a
/// failure is ignored (the run goes on with the limit it has).
fn raise_open_files_limit() {
    #[cfg(unix)]
    let _ = rlimit::increase_nofile_limit(u64::MAX);
}
