//! The `bitext` binary: parse the command line, hand it to the library, exit with its code.

use clap::Parser;

fn main() {
    let cli = match bitext::cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            let _ = err.print();
            let code = if err.use_stderr() { bitext::cli::EXIT_USAGE } else { bitext::cli::EXIT_OK };
            std::process::exit(code);
        }
    };
    std::process::exit(bitext::cli::run(cli));
}
