//! The `catwalk` command: run the show server, a local demo show with simulated viewers,
//! the load generator, the runway client, and issue organizer tokens.

mod cli;

use clap::{Parser, Subcommand};

/// Catwalk: a real-time 3D metaverse fashion-show engine with a made-to-order production
/// pipeline.
#[derive(Debug, Parser)]
#[command(name = "catwalk", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run a local show: the show server on SQLite, a demo show and simulated viewers.
    #[cfg(feature = "client")]
    Show(cli::show::ShowArgs),
    /// Run the show server.
    Serve(cli::serve::ServeArgs),
    /// Issue an organizer token signed with the server's admin key.
    Token(cli::token::TokenArgs),
    /// Put simulated viewers on a show and measure the server.
    Loadgen(cli::loadgen::LoadgenArgs),
    /// Make a rigged avatar (.glb) and its measurements from typed measurements.
    Avatar(cli::avatar::AvatarArgs),
    /// The runway client: join a show, preview designs on your avatar, or benchmark.
    #[cfg(feature = "client")]
    Client(cli::client::ClientArgs),
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    cli::init_tracing();
    // The runway window needs the main thread; these run their own runtimes.
    let command = match cli.command {
        #[cfg(feature = "client")]
        Command::Show(args) => return cli::show::run_blocking(args),
        #[cfg(feature = "client")]
        Command::Client(args) => return cli::client::run(args),
        other => other,
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        match command {
            #[cfg(feature = "client")]
            Command::Show(_) | Command::Client(_) => unreachable!("handled above"),
            Command::Serve(args) => cli::serve::run(args).await,
            Command::Token(args) => cli::token::run(args),
            Command::Loadgen(args) => cli::loadgen::run(args).await,
            Command::Avatar(args) => cli::avatar::run(args),
        }
    })
}
