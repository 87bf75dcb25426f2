fn main() {
    std::process::exit(citevault::cli::main());
}
