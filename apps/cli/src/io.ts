/** Output, errors and exit codes shared by the commands. */
import { readFileSync } from 'node:fs'

/** Exit codes (ARCHITECTURE.md, CLI): 0 ok/valid, 1 invalid/refused, 2 usage or input error. */
export const EXIT_OK = 0
export const EXIT_INVALID = 1
export const EXIT_USAGE = 2

/** Where commands write; tests and embedders can capture it. */
export interface Io {
  out: (s: string) => void
  err: (s: string) => void
}

export const processIo: Io = {
  out: (s) => { process.stdout.write(s) },
  err: (s) => { process.stderr.write(s) }
}

/** An error the CLI reports with a stable code and an exit status. */
export class CliError extends Error {
  static override name = 'CliError'
  override name = 'CliError'
  readonly code: string
  readonly exitCode: number
  readonly details?: unknown
  constructor (code: string, message: string, exitCode = EXIT_USAGE, details?: unknown) {
    super(message)
    this.code = code
    this.exitCode = exitCode
    this.details = details
  }
}

/** Read a text file, or fail with FILE_NOT_FOUND / FILE_UNREADABLE (exit 2). */
export function readText (path: string, what = 'file'): string {
  try {
    return readFileSync(path, 'utf8')
  } catch (err) {
    const e = err as NodeJS.ErrnoException
    if (e.code === 'ENOENT') throw new CliError('FILE_NOT_FOUND', `${what} not found: ${path}`)
    throw new CliError('FILE_UNREADABLE', `cannot read ${what} ${path}: ${e.message}`)
  }
}

/** Atomic writes (temp file + rename): the one implementation, shared with the node's key folders. */
export { writeAtomic } from '@cites/node'

export function json (io: Io, value: unknown): void {
  io.out(JSON.stringify(value, null, 2) + '\n')
}
