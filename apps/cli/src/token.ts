/**
 * How a command that talks to a node gets its bearer token (issue 17): from
 * `--token-file PATH` or `CITES_TOKEN` first, which no other user of the
 * machine can read in `ps`; `--token` last, and its help says so. A token
 * file holds the token on its first line.
 */
import type { Command } from 'commander'
import { CliError, readText } from './io.js'

export interface TokenOptions { token?: string, tokenFile?: string }

/** Add the token options to `cmd`: the file first, then the value (discouraged). */
export function withToken (cmd: Command, role: string): Command {
  return cmd
    .option('--token-file <path>', `a file holding the ${role} token (or set CITES_TOKEN)`)
    .option('--token <token>', `the ${role} token itself: visible to other users of this machine (ps, shell history); prefer CITES_TOKEN or --token-file`)
}

/** The token to present: --token-file, else CITES_TOKEN, else --token; a usage error when none is given. */
export function tokenOf (o: TokenOptions, env: NodeJS.ProcessEnv = process.env): string {
  if (o.tokenFile !== undefined && o.token !== undefined) throw new CliError('TOKEN_AMBIGUOUS', 'give the token once: --token-file or --token, not both')
  if (o.tokenFile !== undefined) {
    const token = readText(o.tokenFile, 'token file').split(/\r?\n/, 1)[0]?.trim() ?? ''
    if (token === '') throw new CliError('TOKEN_MISSING', `the token file ${o.tokenFile} is empty`)
    return token
  }
  const fromEnv = env.CITES_TOKEN?.trim()
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv
  if (o.token !== undefined && o.token !== '') return o.token
  throw new CliError('TOKEN_MISSING', 'no token: set CITES_TOKEN, or give --token-file PATH (or --token, which others can see)')
}
