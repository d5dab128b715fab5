//! `catwalk token`: issues an organizer token signed with the admin key.

use catwalk_protocol::Role;
use clap::Args;

use super::keys::KeyArgs;

/// Options of `catwalk token`.
#[derive(Debug, Args)]
pub struct TokenArgs {
    #[command(flatten)]
    key: KeyArgs,
    /// Who the token is for (recorded in the token).
    #[arg(long, default_value = "organizer")]
    subject: String,
    /// Hours until the token expires.
    #[arg(long, default_value_t = 12)]
    hours: u64,
}

/// Prints a token on stdout.
pub fn run(args: TokenArgs) -> anyhow::Result<()> {
    let key = args.key.load()?;
    let token = key.issue(
        Role::Organizer,
        &args.subject,
        catwalk_server::auth::unix_now(),
        args.hours * 3600,
    );
    println!("{token}");
    Ok(())
}
