//! `pmap-cli generate-assets DIR` (not in `--help`): writes the man pages and the
//! bash, zsh and fish completions that the packages install, from the
//! same clap definition the binary parses, so they cannot drift from it.
//! `scripts/package.sh` runs it on the release binary it packages.
//!
//! Layout under `DIR`: `man/pmap-cli.1` and one `pmap-cli-<command>.1`
//! per subcommand; `completions/pmap-cli.bash`, `_pmap-cli` (zsh) and
//! `pmap-cli.fish`. This command is in neither: it is not part of the
//! clap definition (see `assets_dir` in `main.rs`).

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use clap_complete::Shell;

pub fn run(command: clap::Command, dir: &Path) -> anyhow::Result<ExitCode> {
    let man = dir.join("man");
    let completions = dir.join("completions");
    for sub in [&man, &completions] {
        std::fs::create_dir_all(sub).with_context(|| format!("create {}", sub.display()))?;
    }
    clap_mangen::generate_to(command.clone(), &man)
        .with_context(|| format!("write the man pages to {}", man.display()))?;
    let name = command.get_name().to_owned();
    for shell in [Shell::Bash, Shell::Zsh, Shell::Fish] {
        clap_complete::generate_to(shell, &mut command.clone(), &name, &completions).with_context(
            || format!("write the {shell} completion to {}", completions.display()),
        )?;
    }
    Ok(ExitCode::SUCCESS)
}
