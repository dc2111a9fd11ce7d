/**
 * @cites/cli: the `cites` command. `main(argv)` returns the exit code:
 * 0 ok or valid; 1 invalid or refused, with the reasons; 2 usage or input error.
 *
 * @packageDocumentation
 */
import { Command, CommanderError } from 'commander'
import { PermitInputError } from '@cites/permit'
import { SignatureInputError } from '@cites/xml-signature'
import { TrustListError } from '@cites/trust-list'
import { CliError, EXIT_INVALID, EXIT_OK, EXIT_USAGE, processIo, type Io } from './io.js'
import { keysCommand } from './commands/keys.js'
import { trustListCommand } from './commands/trust-list.js'
import { permitCommand } from './commands/permit.js'
import { ledgerCommand } from './commands/ledger.js'
import { nodeCommand } from './commands/node.js'
import { pilotCommand } from './commands/pilot.js'
import { officerCommands } from './commands/officer.js'
import { usersCommand } from './commands/users.js'
import { NodeError } from '@cites/node'
import { auditCommand } from './commands/audit.js'
import { refdataCommand } from './commands/refdata.js'
import { quotaCommand } from './commands/quota.js'
import { reportCommand } from './commands/report.js'
import { AlreadyConsumedError, LedgerError, LedgerOpenError } from '@cites/ledger'

export { CliError, EXIT_OK, EXIT_INVALID, EXIT_USAGE } from './io.js'

/** The CLI's version (`cites --version`). */
export const VERSION = '0.1.0'
export type { Io } from './io.js'
export { generateKeys, readIdentity, loadKeyFolder, readAnchorCertificate } from './keys.js'
export type { Identity, GenerateKeysOptions } from './keys.js'

/** Build the command tree (exposed for tests and for embedding). */
export function buildProgram (io: Io = processIo): Command {
  const program = new Command('cites')
    .description('CITES electronic permit exchange: keys, trust list, permits, ledger, node, pilot network; issue, endorse, cancel, replace, verify and consume against a node')
    // No commander .version(): it would act on a "-V…" anywhere on the line,
    // even as another option's value (issue 17); main() answers --version.
    .addHelpText('after', '\nVersion: cites --version (alone on the line).')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err })
  keysCommand(program, io)
  trustListCommand(program, io)
  permitCommand(program, io)
  ledgerCommand(program, io)
  nodeCommand(program, io)
  pilotCommand(program, io)
  officerCommands(program, io)
  usersCommand(program, io)
  auditCommand(program, io)
  refdataCommand(program, io)
  quotaCommand(program, io)
  reportCommand(program, io)
  for (const c of program.commands) {
    c.exitOverride().configureOutput({ writeOut: io.out, writeErr: io.err })
    for (const s of c.commands) s.exitOverride().configureOutput({ writeOut: io.out, writeErr: io.err })
  }
  return program
}

/** Run the CLI; never throws, returns the exit code. */
export async function main (argv: string[], io: Io = processIo): Promise<number> {
  const wantsJson = argv.includes('--json')
  const report = (code: string, message: string, details?: unknown): void => {
    if (wantsJson) io.err(JSON.stringify({ error: { code, message, ...(details !== undefined ? { details } : {}) } }) + '\n')
    else io.err(`error [${code}]: ${message}\n`)
  }
  // --version is the program's own option only when it is the whole command
  // line; anywhere else "-V…" is a value (a token, a number) or an error.
  const args = argv.slice(2)
  if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
    io.out(`${VERSION}\n`)
    return EXIT_OK
  }
  try {
    await buildProgram(io).parseAsync(argv)
    return EXIT_OK
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version exit 0; any other commander error is a usage error.
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return EXIT_OK
      return EXIT_USAGE
    }
    if (err instanceof CliError) {
      // Problems were already printed by the command in human mode.
      if (wantsJson || err.details === undefined || err.exitCode === EXIT_USAGE) report(err.code, err.message, wantsJson ? err.details : undefined)
      return err.exitCode
    }
    if (err instanceof LedgerError && !(err instanceof LedgerOpenError)) {
      // A refusal by the ledger's rules: invalid, not a usage error.
      report(err.code, err.message, err instanceof AlreadyConsumedError ? { receipt: err.receipt } : undefined)
      return EXIT_INVALID
    }
    if (err instanceof PermitInputError || err instanceof SignatureInputError || err instanceof TrustListError || err instanceof LedgerOpenError) {
      report(err.code, err.message)
      return EXIT_USAGE
    }
    if (err instanceof NodeError) {
      // The node's own refusals (a config, a key, an account): one line with the code; an unknown account is a refusal, the rest input errors.
      report(err.code, err.message)
      return err.code === 'ACCOUNT_UNKNOWN' ? EXIT_INVALID : EXIT_USAGE
    }
    report('INTERNAL', (err as Error).stack ?? String(err))
    return EXIT_USAGE
  }
}
