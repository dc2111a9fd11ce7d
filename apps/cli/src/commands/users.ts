/**
 * `cites users add|list|revoke|rotate --dir D`: personal accounts in a node's
 * account store (issue 15). The store is a file the running node polls, so a
 * revocation or rotation holds within a second, with no restart. A token is
 * printed once, on stdout only; names are personal data and are printed only
 * by `list`, to the operator who can read the store anyway.
 */
import type { Command } from 'commander'
import { join, resolve } from 'node:path'
import { CONFIG_FILE, ROLES, accountView, addAccount, loadConfig, parseDuration, readAccounts, revokeAccount, rotateToken, type Role } from '@cites/node'
import { CliError, json, type Io } from '../io.js'

const roleOption = (v: string): Role => {
  if (!(ROLES as readonly string[]).includes(v)) throw new CliError('USAGE', `--role "${v}": one of ${ROLES.join(', ')}`)
  return v as Role
}
const expiresOption = (v: string): number => {
  const ms = parseDuration(v)
  if (ms === undefined) throw new CliError('USAGE', `--expires "${v}": a lifetime such as 90d, 12h or 30m`)
  return ms
}
/** The account store of the node whose folder is `dir` (its config's accounts.file). */
const storeOf = (dir: string): string => loadConfig(join(resolve(dir), CONFIG_FILE)).config.accounts.file

export function usersCommand (program: Command, io: Io): void {
  const users = program.command('users').description('personal accounts of a node: each person one account, with a role and a personal token')

  users.command('add')
    .description('add an account; prints its ID and personal token once (only the token\'s hash is kept)')
    .requiredOption('--dir <dir>', 'the node folder (holding cites-node.yaml)')
    .requiredOption('--name <name>', 'the person\'s name (kept in the node\'s account store only; events carry the account ID)')
    .requiredOption('--role <role>', `${ROLES.join(' | ')}`, roleOption)
    .option('--expires <lifetime>', 'the token\'s lifetime, e.g. 90d (default: no expiry)', expiresOption)
    .option('--json', 'print {account, token}')
    .action(async (o: { dir: string, name: string, role: Role, expires?: number, json?: boolean }) => {
      const made = await addAccount(storeOf(o.dir), { name: o.name, role: o.role, ...(o.expires !== undefined ? { expiresInMs: o.expires } : {}) })
      if (o.json === true) { json(io, { account: accountView(made.account), token: made.token }); return }
      io.out(`account ${made.account.id} (${made.account.role}${made.account.tokenExpires !== undefined ? `, token expires ${made.account.tokenExpires}` : ''})\ntoken   ${made.token}\n(shown this once; give it to the person, who keeps it in a file: --token-file or CITES_TOKEN)\n`)
    })

  users.command('list')
    .description('the accounts: ID, role, state (active, expired, revoked), token expiry')
    .requiredOption('--dir <dir>', 'the node folder')
    .option('--json', 'machine-readable output')
    .action((o: { dir: string, json?: boolean }) => {
      const views = readAccounts(storeOf(o.dir)).accounts.map((a) => accountView(a))
      if (o.json === true) { json(io, { accounts: views }); return }
      for (const v of views) io.out(`${String(v.id).padEnd(14)}${String(v.role).padEnd(9)}${String(v.state).padEnd(9)}${String(v.tokenExpires ?? '-').padEnd(26)}${String(v.name)}\n`)
    })

  users.command('revoke')
    .description('revoke an account: its token and sign-in sessions are refused within a second')
    .requiredOption('--dir <dir>', 'the node folder')
    .argument('<id>', 'the account ID (u_…)')
    .option('--json', 'machine-readable output')
    .action(async (id: string, o: { dir: string, json?: boolean }) => {
      const a = await revokeAccount(storeOf(o.dir), id)
      if (o.json === true) json(io, { account: accountView(a) })
      else io.out(`account ${a.id} revoked at ${a.revoked ?? ''}\n`)
    })

  users.command('rotate')
    .description('a new personal token for an account; the old one is refused within a second')
    .requiredOption('--dir <dir>', 'the node folder')
    .argument('<id>', 'the account ID (u_…)')
    .option('--expires <lifetime>', 'the new token\'s lifetime (default: the old one\'s)', expiresOption)
    .option('--json', 'print {account, token}')
    .action(async (id: string, o: { dir: string, expires?: number, json?: boolean }) => {
      const made = await rotateToken(storeOf(o.dir), id, o.expires)
      if (o.json === true) { json(io, { account: accountView(made.account), token: made.token }); return }
      io.out(`account ${made.account.id}: new token\ntoken   ${made.token}\n(shown this once)\n`)
    })
}
