/**
 * Component loggers: one pino root per process (the node service makes it
 * from its config), a named child per component (`ledger`, `sync`,
 * `delivery`, ...). `DEBUG=cites:*` or `DEBUG=cites:ledger,cites:sync`
 * lowers the named components to `debug` whatever the configured level, as
 * libp2p's `DEBUG` does for its own components.
 *
 * Log lines carry codes, counts, parties and permit numbers: never trader
 * data, officers' names, tokens or document bytes.
 */
import { pino, type Logger as PinoLogger, type LevelWithSilent } from 'pino'

export type Logger = PinoLogger
export type LogLevel = LevelWithSilent

/** A logger that writes nothing: the default of every component that is given none. */
export const silentLogger: Logger = pino({ level: 'silent' })

/** The process's root logger at `level` (pino's JSON lines on stdout, or `destination`). */
export function createLogger (opts: { level?: LogLevel, base?: Record<string, unknown>, destination?: NodeJS.WritableStream } = {}): Logger {
  const o = { level: opts.level ?? 'info', base: opts.base ?? {} }
  return opts.destination === undefined ? pino(o) : pino(o, opts.destination as never)
}

/** Whether `DEBUG` (comma or space separated, `*` wildcards) names this component. */
export function debugEnabled (component: string, debug = process.env.DEBUG ?? ''): boolean {
  const name = `cites:${component}`
  return debug.split(/[\s,]+/).filter((p) => p !== '').some((p) => {
    if (p.startsWith('-')) return false
    const re = new RegExp(`^${p.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`)
    return re.test(name)
  })
}

/** The named child of `root` for one component; `DEBUG` can lower it to debug. */
export function componentLogger (root: Logger, component: string): Logger {
  const child = root.child({ component })
  if (debugEnabled(component) && child.levelVal > (child.levels.values.debug ?? 20)) child.level = 'debug'
  return child
}

/** The message of anything thrown, for a log line (never the object itself, which may carry data). */
export function errorMessage (err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}

/** The stable code of anything thrown, when it has one. */
export function errorCode (err: unknown, fallback = 'UNEXPECTED'): string {
  const code = (err as { code?: unknown } | null)?.code
  return typeof code === 'string' ? code : fallback
}
