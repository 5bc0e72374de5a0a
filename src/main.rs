//! The `racelab` command: parses, calls the library, prints.

use std::process::ExitCode;

fn main() -> ExitCode {
    racelab::cli::main()
}
