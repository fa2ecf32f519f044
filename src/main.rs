//! The `kubeadvise` binary: parse arguments, run, map the result to an exit code. Nothing else.

use std::process::ExitCode;

use clap::Parser;

#[global_allocator]
static GLOBAL: kubeadvise::alloc::Allocator = kubeadvise::alloc::Allocator;

fn main() -> ExitCode {
    let cli = match kubeadvise::cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let mut stdout = std::io::stdout().lock();
    match kubeadvise::app::run(cli, &mut stdout) {
        Ok(status) => ExitCode::from(status as u8),
        Err(report) => {
            eprintln!("{report:?}");
            ExitCode::from(2)
        }
    }
}
