/**
 * A small JSON file that the running node and the CLI both edit (the account
 * store, the quota register, the paper permits): read and checked against
 * its schema; changed under a lock file (proper-lockfile: an atomic mkdir
 * beside the file, taken over from a crashed writer after 10 s), by reading,
 * changing and renaming a new file into place, so no writer loses another's
 * change and no reader sees half a file. Mode 0600: these files hold
 * operators' decisions and, for accounts, people's names.
 */
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import lockfile from 'proper-lockfile'
import type { z } from 'zod'
import { writeAtomic } from './keys.js'

export interface JsonStore<T> {
  /** What the file holds (e.g. "the account store"), for messages. */
  what: string
  schema: z.ZodType<T>
  /** The content of a store that does not exist yet. */
  empty: () => T
  /** The error for a file that does not parse or check (one class per store, with its code). */
  invalid: (message: string) => Error
}

/** Read and check the store; a missing file is an empty store. */
export function readJsonStore<T> (path: string, s: JsonStore<T>): T {
  if (!existsSync(path)) return s.empty()
  let raw: unknown
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'))
  } catch (err) {
    throw s.invalid(`${s.what} ${path} is not valid JSON: ${(err as Error).message}`)
  }
  const r = s.schema.safeParse(raw)
  if (!r.success) throw s.invalid(`${s.what} ${path} is invalid: ${r.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`)
  return r.data
}

/** Change the store under its lock; `change` may mutate what it is given, and its result is returned. */
export async function updateJsonStore<T, R> (path: string, s: JsonStore<T>, change: (content: T) => R): Promise<R> {
  // Create an empty store only where none exists ('wx'): never over one another writer just made.
  if (!existsSync(path)) {
    mkdirSync(dirname(path), { recursive: true })
    try { writeFileSync(path, JSON.stringify(s.empty(), null, 2) + '\n', { mode: 0o600, flag: 'wx' }) } catch (err) { if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err }
  }
  const release = await lockfile.lock(path, { stale: 10_000, realpath: false, retries: { retries: 50, minTimeout: 10, maxTimeout: 100 } })
  try {
    const content = readJsonStore(path, s)
    const out = change(content)
    writeAtomic(path, JSON.stringify(content, null, 2) + '\n', 0o600)
    return out
  } finally {
    await release()
  }
}

/** A record's ID in such a store: `prefix` and 10 random base32 characters (50 bits; it says nothing of what it names). */
export const newRecordId = (prefix: string): string => `${prefix}${[...randomBytes(10)].map((b) => 'abcdefghijklmnopqrstuvwxyz234567'[b & 31]).join('')}`
