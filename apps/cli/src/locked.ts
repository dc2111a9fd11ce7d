/**
 * A ledger held by a running node. LevelDB allows one process per database:
 * a second open fails with LEVEL_LOCKED (wrapped in LEVEL_DATABASE_NOT_OPEN
 * by abstract-level). The CLI says so in one line, naming the node that
 * holds it (from the node folder around the database, when there is one)
 * and what to use instead; never a stack trace.
 */
import { existsSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { CONFIG_FILE, loadConfig } from '@cites/node'
import { CliError } from './io.js'

/** Is this the error of opening a LevelDB database another process holds? */
export function isLockedError (err: unknown): boolean {
  for (let e = err as { code?: unknown, cause?: unknown } | undefined, depth = 0; e !== undefined && e !== null && depth < 4; e = e.cause as typeof e, depth++) {
    if (e.code === 'LEVEL_LOCKED') return true
  }
  return false
}

/** The node whose folder holds the database at `db`, if any: its party and HTTP address. */
function nodeHolding (db: string): { party: string, url: string, dir: string } | undefined {
  const target = resolve(db)
  // `cites node init` puts the ledger at DIR/data/ledger; look a few folders up for the config.
  for (let dir = dirname(target), i = 0; i < 3; dir = dirname(dir), i++) {
    const path = join(dir, CONFIG_FILE)
    if (!existsSync(path)) continue
    try {
      const { config } = loadConfig(path)
      if (resolve(config.dataDir, 'ledger') !== target) continue
      const host = config.http.host === '0.0.0.0' || config.http.host === '::' ? '127.0.0.1' : config.http.host
      return { party: config.party, url: `http://${host.includes(':') ? `[${host}]` : host}:${config.http.port}`, dir }
    } catch { return undefined }
  }
  return undefined
}

/** LEDGER_LOCKED: one line naming the running node and what to use instead. */
export function ledgerLockedError (db: string, instead: string): CliError {
  const n = nodeHolding(db)
  const who = n !== undefined
    ? `the running node of ${n.party} (${relative(process.cwd(), n.dir) || '.'}, ${n.url})`
    : 'another process (a running node?)'
  const url = n?.url ?? 'URL'
  return new CliError('LEDGER_LOCKED', `the ledger at ${db} is in use by ${who}; ${instead.replaceAll('URL', url)}, or stop the node first`)
}
