/**
 * Permit documents, apart from the logs (ledger.md §2.4 and §7, r17). An
 * event carries a permit's public summary and the SHA-256 of its signed
 * document; the document itself (trader names and addresses, conditions,
 * marks) is held only by the parties of the trade: the issuer, and the
 * destination named in the summary. Each is encrypted under a key of its
 * own, itself wrapped under the node's document master key, so that erasure
 * (the retention rule) deletes the ciphertext and its key and nothing in the
 * logs, chains or checkpoints changes.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { EventType, IssuedBody } from './pb/ledger.js'
import { hex, sha256, type LoggedEvent } from './events.js'
import { documentKey, logKey } from './keys.js'
import { decodeEvent } from './events.js'
import { del, put, type WriteOp } from './store.js'
import { DocumentErasedError, DocumentHashMismatchError, LedgerOpenError, NotAPartyError } from './errors.js'
import type { LedgerCore } from './context.js'
import type { PermitState } from './state.js'
import type { DocumentRecord, DocumentStatus } from './types.js'

const KEY_BYTES = 32
const IV_BYTES = 12
const TAG_BYTES = 16

/** Is `party` a party to the trade this permit is for: its issuer or its destination? The one place this is decided. */
export function isPartyTo (s: Pick<PermitState, 'party' | 'destination'>, party: string): boolean {
  return party === s.party || (s.destination !== '' && party === s.destination)
}

function seal (key: Uint8Array, plain: Uint8Array, aad: string): { iv: Uint8Array, sealed: Uint8Array } {
  const iv = randomBytes(IV_BYTES)
  const c = createCipheriv('aes-256-gcm', key, iv)
  c.setAAD(Buffer.from(aad, 'utf8'))
  const body = Buffer.concat([c.update(plain), c.final(), c.getAuthTag()])
  return { iv, sealed: new Uint8Array(body) }
}

function open (key: Uint8Array, iv: Uint8Array, sealed: Uint8Array, aad: string): Uint8Array {
  const d = createDecipheriv('aes-256-gcm', key, iv)
  d.setAAD(Buffer.from(aad, 'utf8'))
  d.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES))
  return new Uint8Array(Buffer.concat([d.update(sealed.subarray(0, sealed.length - TAG_BYTES)), d.final()]))
}

/**
 * The node's document master key: given by the node (its key folder), or
 * else the file `DOCUMENT-KEY` in the ledger's folder, made at first open
 * (mode 0600).
 */
export async function documentMasterKey (location: string, given?: Uint8Array): Promise<{ key: Uint8Array, created: boolean }> {
  if (given !== undefined) {
    if (given.length !== KEY_BYTES) throw new RangeError(`the document master key must be ${KEY_BYTES} bytes`)
    return { key: given, created: false }
  }
  const file = `${location}/DOCUMENT-KEY`
  try {
    const k = new Uint8Array(await readFile(file))
    if (k.length !== KEY_BYTES) throw new RangeError(`${file} is not a ${KEY_BYTES}-byte key`)
    return { key: k, created: false }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
  }
  const k = randomBytes(KEY_BYTES)
  await mkdir(dirname(file), { recursive: true })
  await writeFile(file, k, { mode: 0o600, flag: 'wx' })
  await chmod(file, 0o600)
  return { key: new Uint8Array(k), created: true }
}

export class Documents {
  readonly #core: LedgerCore
  readonly #master: Uint8Array

  constructor (core: LedgerCore, masterKey: Uint8Array) {
    this.#core = core
    this.#master = masterKey
  }

  /**
   * A key made just now cannot open documents stored before: a ledger
   * restored without its DOCUMENT-KEY is refused at open rather than
   * silently unable to read what it holds.
   */
  async assertKeyOpensStore (created: boolean): Promise<void> {
    if (!created) return
    for await (const r of this.#core.store.values('DOC', { limit: 1000 })) {
      if (r.ciphertext !== undefined) throw new LedgerOpenError('this ledger holds encrypted documents but its document key (DOCUMENT-KEY) is missing: restore the key file with the data')
    }
  }

  /** The writes that store `bytes` as the document of `party/number` (to land in the batch of its ISSUED event, or alone). */
  storeOps (party: string, number: string, bytes: Uint8Array): WriteOp[] {
    const k = documentKey(party, number)
    const docKey = randomBytes(KEY_BYTES)
    const digest = hex(sha256(bytes))
    const doc = seal(docKey, bytes, `${k}!${digest}`)
    const wrapped = seal(this.#master, docKey, `dockey!${k}`)
    docKey.fill(0)
    const record: DocumentRecord = { sha256: digest, iv: Buffer.from(doc.iv).toString('base64'), ciphertext: Buffer.from(doc.sealed).toString('base64'), storedAt: this.#core.now() }
    const w = new Uint8Array(IV_BYTES + wrapped.sealed.length)
    w.set(wrapped.iv, 0)
    w.set(wrapped.sealed, IV_BYTES)
    return [put('DOC', k, record), put('DOCKEY', k, w)]
  }

  async status (party: string, number: string): Promise<DocumentStatus> {
    const r = await this.#core.store.get('DOC', documentKey(party, number))
    return r === undefined ? 'absent' : r.ciphertext === undefined ? 'erased' : 'held'
  }

  /** The document of `party/number` (canonical number), decrypted; undefined when not held (absent or erased). */
  async get (party: string, number: string): Promise<Uint8Array | undefined> {
    const k = documentKey(party, number)
    const [r, wrapped] = await Promise.all([this.#core.store.get('DOC', k), this.#core.store.get('DOCKEY', k)])
    if (r?.ciphertext === undefined || r.iv === undefined || wrapped === undefined) return undefined
    const docKey = open(this.#master, wrapped.subarray(0, IV_BYTES), wrapped.subarray(IV_BYTES), `dockey!${k}`)
    try {
      return open(docKey, Buffer.from(r.iv, 'base64'), Buffer.from(r.ciphertext, 'base64'), `${k}!${r.sha256}`)
    } finally {
      docKey.fill(0)
    }
  }

  /**
   * Take the document of a permit this node received the ISSUED event of
   * (a delivery, or a document request): only as a party to the trade
   * (NOT_A_PARTY), only the very document the issuer recorded
   * (DOCUMENT_HASH_MISMATCH), and never again once erased (DOCUMENT_ERASED).
   * The caller has accepted `issued` (signature and log) already.
   */
  async put (issued: LoggedEvent, number: string, bytes: Uint8Array): Promise<'stored' | 'held'> {
    const e = issued.event
    if (e.type !== EventType.ISSUED) throw new DocumentHashMismatchError('a document goes with an ISSUED event')
    const body = IssuedBody.decode(e.body)
    if (!isPartyTo({ party: e.permitParty, destination: body.destination }, this.#core.party)) {
      throw new NotAPartyError(`${this.#core.party} is neither the issuer nor the destination of ${e.permitParty}/${number}: it does not hold its document`)
    }
    const digest = hex(sha256(bytes))
    if (digest !== hex(body.xmlSha256)) throw new DocumentHashMismatchError(`the document's SHA-256 ${digest.slice(0, 16)}… is not the one ${e.permitParty} recorded for ${number}`)
    const k = documentKey(e.permitParty, number)
    const held = await this.#core.store.get('DOC', k)
    if (held?.erasedAt !== undefined) throw new DocumentErasedError(`the document of ${e.permitParty}/${number} was erased under the retention rule`)
    if (held !== undefined) return 'held'
    await this.#core.store.write(this.storeOps(e.permitParty, number, bytes), { sync: true })
    return 'stored'
  }

  /**
   * Erase every held document whose retention clock (the later of its
   * permit's Box 2 end and its last event) is before `before` (ms): the
   * ciphertext and its key go in one batch, a marker with the hash stays,
   * and the two stores are compacted so that the bytes leave the files.
   */
  async purge (before: number, stateOf: (party: string, number: string) => Promise<PermitState | undefined>): Promise<{ erased: number, held: number }> {
    const store = this.#core.store
    let erased = 0
    let held = 0
    const ops: WriteOp[] = []
    const flush = async (): Promise<void> => {
      if (ops.length > 0) await store.write(ops.splice(0), { sync: true })
    }
    for await (const [k, r] of store.entries('DOC')) {
      if (r.ciphertext === undefined) continue
      const bang = k.indexOf('!')
      const party = k.slice(0, bang)
      const number = k.slice(bang + 1)
      const s = await stateOf(party, number)
      if (s !== undefined && await this.#retentionClock(s) >= before) {
        held++
        continue
      }
      // A document with no permit state (cannot happen but by a partial
      // restore) has no clock that keeps it: it is erased.
      const marker: DocumentRecord = { sha256: r.sha256, storedAt: r.storedAt, erasedAt: this.#core.now() }
      ops.push(put('DOC', k, marker), del('DOCKEY', k))
      erased++
      if (ops.length >= 512) await flush()
    }
    await flush()
    if (erased > 0) await store.compact(['DOC', 'DOCKEY'])
    return { erased, held }
  }

  async #retentionClock (s: PermitState): Promise<number> {
    const last = s.events[s.events.length - 1]
    let t = 0
    if (last !== undefined) {
      const bytes = await this.#core.store.get('LOG', logKey(s.party, last))
      if (bytes !== undefined) t = Number(decodeEvent(bytes).event.time)
    }
    return Math.max(s.validUntil, t)
  }
}
