/**
 * The node's access log (issue 15 §3): every API call, appended as one JSON
 * line to `<dataDir>/audit/access.log`: who (the account's pseudonymous ID
 * and role), how they signed in, what (method, route pattern, the permit
 * it named), when, and the outcome. Never a name, token, body or trader
 * datum: the entry is checked field by field against narrow patterns.
 *
 * Tamper evidence. Each line carries `prev` (the hash of the line before)
 * and `hash` = SHA-256(prev || canonical JSON of the line without `hash`),
 * so editing, removing or reordering a line breaks the chain. The chain
 * alone cannot show that the last lines were cut off, or that a rewriter
 * recomputed every hash: a head file beside it, `{seq, hash, at, peerId}`,
 * is signed with the node's libp2p peer key (Ed25519) after each batch, and
 * the verifier checks it with a public key it gets from somewhere the
 * attacker cannot write: the anchor-signed trust list, or a peer ID given
 * out of band (never a key file next to the log).
 *
 * Limits: whoever holds the node's peer key and its files can rewrite the
 * whole history and sign a new head; ship the log off the machine.
 */
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, truncateSync } from 'node:fs'
import { open, rename, writeFile, type FileHandle } from 'node:fs/promises'
import { join } from 'node:path'
import type { PrivateKey, PublicKey } from '@libp2p/interface'
import { peerIdFromPrivateKey, peerIdFromString } from '@libp2p/peer-id'
import { CodedError, defineCodes } from '@cites/runtime'

/** What `verifyAccessLog` finds, and what `AccessLog` refuses. */
export const AUDIT_CODES = defineCodes({
  AUDIT_LINE_EDITED: { kind: 'unprocessable', summary: 'a line of the access log was changed after it was written (its hash, or the next line\'s `prev`, or the signed head, does not match)' },
  AUDIT_LINE_REMOVED: { kind: 'unprocessable', summary: 'lines are missing from the middle of the access log (a gap in the sequence numbers)' },
  AUDIT_LINE_REORDERED: { kind: 'unprocessable', summary: 'lines of the access log are out of order, or one is repeated' },
  AUDIT_LINE_MALFORMED: { kind: 'unprocessable', summary: 'a line of the access log is not a JSON access record' },
  AUDIT_TAIL_TRUNCATED: { kind: 'unprocessable', summary: 'the access log ends before the line its signed head names: its last lines were removed' },
  AUDIT_HEAD_MISSING: { kind: 'unprocessable', summary: 'the signed head of the access log is missing or unreadable' },
  AUDIT_HEAD_SIGNATURE_BAD: { kind: 'unprocessable', summary: 'the head of the access log is not signed by a key the verifier trusts (forged, or signed by another node)' },
  AUDIT_ENTRY_INVALID: { kind: 'internal', summary: 'an access record with a field that is not of its form (a name, raw URL or body where an ID or pattern belongs): not written' }
})
export type AuditCode = keyof typeof AUDIT_CODES

/** An access log that cannot be written as asked, or that was found tampered with at open. */
export class AccessLogError extends CodedError {
  readonly code: AuditCode
  /** The line (1-based) the problem is at, when there is one. */
  readonly line?: number
  constructor (code: AuditCode, message: string, line?: number) {
    super(message)
    this.code = code
    if (line !== undefined) this.line = line
  }
}

/** How the call ended: answered (2xx/3xx), refused (4xx: the caller's credentials, role, input or the permit's state), or failed here (5xx). */
export type AccessOutcome = 'ok' | 'refused' | 'error'

/** One API call, as the HTTP layer hands it in. */
export interface AccessEntry {
  /** The account's pseudonymous ID (e.g. `u_3kq9x7a2mf`), or `-` when the caller was not authenticated. */
  account: string
  /** Its role (admin, issuer, customs, viewer), or `-`. */
  role: string
  /** How the caller authenticated, e.g. `token`, `oidc`, `mtls`, or `none`. */
  via: string
  method: string
  /** The route pattern (`/v1/permits/:party/:number`), never the raw URL or query. */
  route: string
  /** What the call was about, e.g. a permit `CH/21CH0001`. */
  target?: string
  /** The HTTP status answered. */
  status: number
  outcome: AccessOutcome
  /** The error code answered, e.g. ROLE_FORBIDDEN. */
  code?: string
}

/** A line of the log: the entry, numbered, timed and chained. */
export interface AccessLine extends AccessEntry {
  seq: number
  /** ISO 8601. */
  at: string
  /** The previous line's hash (64 zeros before the first). */
  prev: string
  hash: string
}

/** The signed head: the last line covered, signed with the node's peer key. */
export interface AccessLogHead {
  seq: number
  hash: string
  at: string
  /** The peer ID whose key signed: its public key verifies `signature`. */
  peerId: string
  /** Base64 Ed25519 signature over HEAD_CONTEXT || canonical JSON of the four fields above. */
  signature: string
}

export interface AccessLogProblem {
  /** 1-based line of the file (0: the head). */
  line: number
  code: AuditCode
  message: string
}

export interface AccessLogVerification {
  ok: boolean
  /** Lines in the file. */
  lines: number
  /** The head as read (its signature checked or not: see `problem`). */
  head?: Omit<AccessLogHead, 'signature'>
  /**
   * Lines after the signed head: a batch being written, or one a crash left
   * unsigned. Not covered by the signature (the next append signs them).
   */
  unsigned: number
  problem?: AccessLogProblem
}

export const ACCESS_LOG_DIR = 'audit'
export const ACCESS_LOG_FILE = 'access.log'
export const ACCESS_HEAD_FILE = 'access.head.json'
/** The `prev` of the first line. */
export const GENESIS = '0'.repeat(64)
const HEAD_CONTEXT = 'CITES-ACCESS-LOG-HEAD-1\n'

const ID = /^(-|[A-Za-z0-9_-]{1,64})$/
const ROLE = /^(-|[a-z][a-z0-9-]{0,31})$/
const VIA = /^[a-z][a-z0-9-]{0,15}$/
const METHOD = /^[A-Z]{1,10}$/
// A pattern: path segments and :params, no query, no spaces or quotes.
const ROUTE = /^\/[A-Za-z0-9/_.:*{}-]{0,199}$/
const TARGET = /^[A-Za-z0-9/_.:-]{1,100}$/
/** Is this of the form an access record's `target` takes? */
export const isAccessTarget = (t: string): boolean => TARGET.test(t)
const CODE = /^[A-Z][A-Z0-9_]{0,63}$/

/** JSON with keys sorted at every level and no spaces: the bytes a line's hash is over. */
export function canonicalJson (v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>
    return `{${Object.keys(o).filter((k) => o[k] !== undefined).sort().map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(',')}}`
  }
  return JSON.stringify(v)
}

/** A line's hash: SHA-256(prev || canonical JSON of the line without `hash`), hex. */
export function lineHash (line: Omit<AccessLine, 'hash'> & { hash?: string }): string {
  const { hash: _h, ...rest } = line
  return createHash('sha256').update(rest.prev, 'utf8').update(canonicalJson(rest), 'utf8').digest('hex')
}

function headBytes (h: Omit<AccessLogHead, 'signature'>): Uint8Array {
  return new TextEncoder().encode(HEAD_CONTEXT + canonicalJson({ seq: h.seq, hash: h.hash, at: h.at, peerId: h.peerId }))
}

/** The entry's fields checked against their forms (AUDIT_ENTRY_INVALID): only IDs, patterns and codes reach the file. */
function checkedEntry (e: AccessEntry): AccessEntry {
  const bad = (field: string): never => { throw new AccessLogError('AUDIT_ENTRY_INVALID', `access record field ${field} is not of its form; nothing was written`) }
  if (!ID.test(e.account)) bad('account')
  if (!ROLE.test(e.role)) bad('role')
  if (!VIA.test(e.via)) bad('via')
  if (!METHOD.test(e.method)) bad('method')
  if (!ROUTE.test(e.route)) bad('route')
  if (e.target !== undefined && !TARGET.test(e.target)) bad('target')
  if (!Number.isInteger(e.status) || e.status < 0 || e.status > 999) bad('status')
  if (e.outcome !== 'ok' && e.outcome !== 'refused' && e.outcome !== 'error') bad('outcome')
  if (e.code !== undefined && !CODE.test(e.code)) bad('code')
  return e
}

/** The line as written: fields in a fixed order (the hash does not depend on it). */
function lineOf (seq: number, at: string, e: AccessEntry, prev: string): AccessLine {
  const l: Omit<AccessLine, 'hash'> = {
    seq, at, account: e.account, role: e.role, via: e.via, method: e.method, route: e.route,
    ...(e.target !== undefined ? { target: e.target } : {}),
    status: e.status, outcome: e.outcome,
    ...(e.code !== undefined ? { code: e.code } : {}),
    prev
  }
  return { ...l, hash: lineHash(l) }
}

const paths = (dir: string): { log: string, head: string } => ({ log: join(dir, ACCESS_LOG_DIR, ACCESS_LOG_FILE), head: join(dir, ACCESS_LOG_DIR, ACCESS_HEAD_FILE) })

function isLine (v: unknown): v is AccessLine {
  if (v === null || typeof v !== 'object') return false
  const l = v as Record<string, unknown>
  return Number.isSafeInteger(l.seq) && typeof l.at === 'string' && typeof l.account === 'string' && typeof l.prev === 'string' && typeof l.hash === 'string'
}

/** The file's lines, parsed; a line that is not an access record is `undefined`. */
function readLines (file: string): { texts: string[], lines: Array<AccessLine | undefined> } {
  if (!existsSync(file)) return { texts: [], lines: [] }
  const text = readFileSync(file, 'utf8')
  const texts = text.split('\n')
  if (texts.at(-1) === '') texts.pop()
  return {
    texts,
    lines: texts.map((t) => {
      try {
        const v: unknown = JSON.parse(t)
        return isLine(v) ? v : undefined
      } catch {
        return undefined
      }
    })
  }
}

/**
 * A crash in the middle of a write leaves a last line without its newline:
 * never signed (the head is written after the line), so it is dropped.
 */
function dropTornLine (file: string): void {
  if (!existsSync(file)) return
  const text = readFileSync(file, 'utf8')
  if (text === '' || text.endsWith('\n')) return
  truncateSync(file, Buffer.byteLength(text.slice(0, text.lastIndexOf('\n') + 1), 'utf8'))
}

function readHead (file: string): AccessLogHead | undefined {
  try {
    const h = JSON.parse(readFileSync(file, 'utf8')) as Partial<AccessLogHead>
    if (Number.isSafeInteger(h.seq) && typeof h.hash === 'string' && typeof h.at === 'string' && typeof h.peerId === 'string' && typeof h.signature === 'string') return h as AccessLogHead
  } catch {}
  return undefined
}

async function headSignedBy (h: AccessLogHead, keys: readonly PublicKey[]): Promise<boolean> {
  const data = headBytes(h)
  const sig = new Uint8Array(Buffer.from(h.signature, 'base64'))
  for (const k of keys) {
    try {
      if (await k.verify(data, sig)) return true
    } catch {}
  }
  return false
}

/** The chain's first problem, from the lines alone. */
function chainProblem (lines: ReadonlyArray<AccessLine | undefined>): AccessLogProblem | undefined {
  const seqs = new Set(lines.map((l) => l?.seq))
  let prev = GENESIS
  let expected = 1
  for (const [i, l] of lines.entries()) {
    const n = i + 1
    if (l === undefined) return { line: n, code: 'AUDIT_LINE_MALFORMED', message: `line ${n} is not an access record` }
    if (l.seq !== expected) {
      // The line that belongs here is elsewhere in the file: moved. Absent, and a later number here: removed.
      if (seqs.has(expected)) return { line: n, code: 'AUDIT_LINE_REORDERED', message: `line ${n} holds #${l.seq} where #${expected} belongs, and #${expected} is elsewhere in the log` }
      if (l.seq > expected) return { line: n, code: 'AUDIT_LINE_REMOVED', message: `#${expected}${l.seq - 1 > expected ? `..#${l.seq - 1}` : ''} removed before line ${n} (#${l.seq})` }
      return { line: n, code: 'AUDIT_LINE_REORDERED', message: `line ${n} holds #${l.seq} again, after #${expected - 1}` }
    }
    if (lineHash(l) !== l.hash) return { line: n, code: 'AUDIT_LINE_EDITED', message: `line ${n} (#${l.seq}) was changed: its hash does not match its content` }
    // Its own hash holds, but it does not chain: the line before was changed and its hash recomputed.
    if (l.prev !== prev) return { line: Math.max(1, i), code: 'AUDIT_LINE_EDITED', message: `line ${Math.max(1, i)} was changed and its hash recomputed: line ${n} (#${l.seq}) does not chain to it` }
    prev = l.hash
    expected++
  }
  return undefined
}

/**
 * Verify the access log in `dataDir/audit/` end to end: the chain of every
 * line, then the head's signature by one of `keys` (the node's peer public
 * key, or each a verifier accepts), then that the log reaches the line the
 * head names, with that hash. Returns the first problem found.
 */
export async function verifyAccessLog (dataDir: string, keys: PublicKey | readonly PublicKey[]): Promise<AccessLogVerification> {
  const trusted = Array.isArray(keys) ? keys as readonly PublicKey[] : [keys as PublicKey]
  const p = paths(dataDir)
  const { lines } = readLines(p.log)
  const n = lines.length
  const fail = (problem: AccessLogProblem, head?: AccessLogHead): AccessLogVerification => ({
    ok: false, lines: n, unsigned: 0, problem, ...(head !== undefined ? { head: { seq: head.seq, hash: head.hash, at: head.at, peerId: head.peerId } } : {})
  })
  const chain = chainProblem(lines)
  if (chain !== undefined) return fail(chain, readHead(p.head))
  const head = readHead(p.head)
  // A node writes a signed head when it first opens the log: no head means it was removed (with the log, maybe).
  if (head === undefined) return fail({ line: 0, code: 'AUDIT_HEAD_MISSING', message: `${ACCESS_HEAD_FILE} is missing or unreadable: the log cannot be shown complete` })
  if (!await headSignedBy(head, trusted)) return fail({ line: 0, code: 'AUDIT_HEAD_SIGNATURE_BAD', message: `the head (#${head.seq}, signed as ${head.peerId}) does not verify with the trusted key${trusted.length === 1 ? '' : 's'}` }, head)
  if (head.seq > n) return fail({ line: n + 1, code: 'AUDIT_TAIL_TRUNCATED', message: `the signed head names #${head.seq}, but the log ends at #${n}: ${head.seq - n} line(s) removed from its end` }, head)
  const at = head.seq === 0 ? GENESIS : lines[head.seq - 1]?.hash
  if (at !== head.hash) return fail({ line: head.seq, code: 'AUDIT_LINE_EDITED', message: `line ${head.seq} is not the line the signed head names (the log was rewritten up to there)` }, head)
  return { ok: true, lines: n, unsigned: n - head.seq, head: { seq: head.seq, hash: head.hash, at: head.at, peerId: head.peerId } }
}

export interface ReadAccessLogFilter {
  /** Only this account's calls. */
  account?: string
  /** From this time on (inclusive): a Date, ISO 8601, or ms. */
  from?: Date | string | number
  /** Up to this time (inclusive). A date without a time means the whole day. */
  to?: Date | string | number
}

function instant (v: Date | string | number, endOfDay: boolean): number {
  if (v instanceof Date) return v.getTime()
  if (typeof v === 'number') return v
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(v)
  const t = Date.parse(dateOnly ? `${v}T00:00:00.000Z` : v)
  if (Number.isNaN(t)) throw new RangeError(`not a date: ${v.slice(0, 40)}`)
  return dateOnly && endOfDay ? t + 86_400_000 - 1 : t
}

/** The log's lines (those that parse), filtered. Does not verify: see verifyAccessLog. */
export function readAccessLog (dataDir: string, filter: ReadAccessLogFilter = {}): AccessLine[] {
  const from = filter.from === undefined ? -Infinity : instant(filter.from, false)
  const to = filter.to === undefined ? Infinity : instant(filter.to, true)
  return readLines(paths(dataDir).log).lines.filter((l): l is AccessLine => {
    if (l === undefined) return false
    if (filter.account !== undefined && l.account !== filter.account) return false
    const t = Date.parse(l.at)
    return t >= from && t <= to
  })
}

export interface AccessLogOptions {
  /** Clock (ms). @default Date.now */
  now?: () => number
  /**
   * Other keys whose head is accepted at open (e.g. this party's previous
   * peer key after a rotation). @default only `key`'s
   */
  previousKeys?: readonly PublicKey[]
}

interface Pending { entry: AccessEntry, resolve: (l: AccessLine) => void, reject: (e: unknown) => void }

/**
 * The writer. Appends are serialised and written in batches: the lines of
 * a batch in one write and one fsync, then the head, signed, replaced
 * atomically (temp file, fsync, rename). A call's promise resolves when
 * its line and the head covering it are on disk.
 */
export class AccessLog {
  readonly #dir: string
  readonly #key: PrivateKey
  readonly #peerId: string
  readonly #now: () => number
  readonly #fh: FileHandle
  #seq: number
  #last: string
  #queue: Pending[] = []
  #flushing: Promise<void> | undefined
  #closed = false

  private constructor (dir: string, key: PrivateKey, fh: FileHandle, seq: number, last: string, now: () => number) {
    this.#dir = dir
    this.#key = key
    this.#peerId = peerIdFromPrivateKey(key).toString()
    this.#fh = fh
    this.#seq = seq
    this.#last = last
    this.#now = now
  }

  /**
   * Open (or create) the access log of the node whose data folder is
   * `dataDir`, signing heads with `key` (the node's peer key). An existing
   * log is verified first (with `key`'s public key and `previousKeys`):
   * a tampered one is refused with its code (AccessLogError) rather than
   * signed over; move `audit/` aside as evidence to start a new one. Lines
   * after the head that chain (a crash between the line and its head) are
   * signed now.
   */
  static async open (dataDir: string, key: PrivateKey, opts: AccessLogOptions = {}): Promise<AccessLog> {
    const now = opts.now ?? Date.now
    const p = paths(dataDir)
    mkdirSync(join(dataDir, ACCESS_LOG_DIR), { recursive: true, mode: 0o700 })
    const fresh = !existsSync(p.head) && (!existsSync(p.log) || readFileSync(p.log).length === 0)
    let seq = 0
    let last = GENESIS
    if (!fresh) {
      dropTornLine(p.log)
      const v = await verifyAccessLog(dataDir, [key.publicKey, ...(opts.previousKeys ?? [])])
      if (v.problem !== undefined) throw new AccessLogError(v.problem.code, `the access log in ${join(dataDir, ACCESS_LOG_DIR)} was tampered with: ${v.problem.message}; move the folder aside (keep it as evidence) to start a new log`, v.problem.line)
      const lines = readAccessLog(dataDir)
      seq = lines.length
      last = lines.at(-1)?.hash ?? GENESIS
    }
    const fh = await open(p.log, 'a', 0o600)
    const log = new AccessLog(dataDir, key, fh, seq, last, now)
    // A head from the start: a log removed with its head is then caught (AUDIT_HEAD_MISSING), and a crash's unsigned lines are signed.
    await log.#writeHead()
    return log
  }

  /** The number of lines written. */
  get size (): number {
    return this.#seq
  }

  /** The peer ID whose key signs the head. */
  get peerId (): string {
    return this.#peerId
  }

  /** Append one call's record; resolves with its line once the line and its signed head are on disk. */
  async append (entry: AccessEntry): Promise<AccessLine> {
    if (this.#closed) throw new Error('the access log is closed')
    checkedEntry(entry)
    const done = new Promise<AccessLine>((resolve, reject) => { this.#queue.push({ entry, resolve, reject }) })
    this.#flushing ??= this.#drain()
    return await done
  }

  /** Write what is queued, then stop. */
  async close (): Promise<void> {
    this.#closed = true
    await this.#flushing
    await this.#fh.close()
  }

  async #drain (): Promise<void> {
    // Let the callers of this tick join the batch.
    await new Promise<void>((resolve) => setImmediate(resolve))
    try {
      while (this.#queue.length > 0) {
        const batch = this.#queue
        this.#queue = []
        const written: AccessLine[] = []
        let seq = this.#seq
        let last = this.#last
        for (const p of batch) {
          const l = lineOf(seq + 1, new Date(this.#now()).toISOString(), p.entry, last)
          written.push(l)
          seq = l.seq
          last = l.hash
        }
        try {
          await this.#fh.appendFile(written.map((l) => JSON.stringify(l) + '\n').join(''), 'utf8')
          await this.#fh.datasync()
          this.#seq = seq
          this.#last = last
          await this.#writeHead()
        } catch (err) {
          for (const p of batch) p.reject(err)
          continue
        }
        batch.forEach((p, i) => { p.resolve(written[i] as AccessLine) })
      }
    } finally {
      this.#flushing = undefined
    }
  }

  async #writeHead (): Promise<void> {
    const h = { seq: this.#seq, hash: this.#last, at: new Date(this.#now()).toISOString(), peerId: this.#peerId }
    const signature = Buffer.from(await this.#key.sign(headBytes(h))).toString('base64')
    const file = paths(this.#dir).head
    const tmp = `${file}.${process.pid}.tmp`
    await writeFile(tmp, JSON.stringify({ ...h, signature }) + '\n', { mode: 0o600 })
    const fh = await open(tmp, 'r')
    try { await fh.sync() } finally { await fh.close() }
    await rename(tmp, file)
  }
}

/** The public key of a peer ID (Ed25519 peer IDs hold it), for verifyAccessLog. */
export function peerPublicKey (peerId: string): PublicKey {
  const id = peerIdFromString(peerId)
  if (id.publicKey === undefined) throw new RangeError(`peer ID ${peerId.slice(0, 60)} does not hold its public key`)
  return id.publicKey
}
