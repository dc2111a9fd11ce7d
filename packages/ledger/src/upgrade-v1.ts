/**
 * Upgrading a v1 ledger (schemas 1 and 2: events of version 1, the signed
 * document inside each ISSUED event) to schema 3 (ledger.md §7, "Upgrading
 * a v1 ledger", r17). Run by Ledger.open before anything else reads the logs.
 *
 * - The own log is carried over 1:1: same seq, type, permit, time and actor;
 *   a new chain; version 2, `carried_from` the v1 event's hash, `carried_at`
 *   the upgrade's time; signed with the current key. ISSUED bodies become v2
 *   summaries (with `stamp_sha256`) and each document goes to the document
 *   store; `officer` free text is cleared, and a CONSUMED event's `request`
 *   is dropped when its officer was set (the signed request names them too).
 * - Replicas of other authors' logs are dropped (log, checkpoints, pending,
 *   evidence, derived state, cursors), after the documents of permits whose
 *   destination is this node moved to the document store. Sync fetches those
 *   logs again, in version 2.
 *
 * Crash safety, for a log of any length: two phases and one commit point.
 * 1. Stage (the v1 ledger stays in force; schema unchanged): the carried
 *    events go to the STAGE store, documents to DOC/DOCKEY, in batches of
 *    {@link UPGRADE_CHUNK}. A crash here leaves the v1 ledger as it was (plus
 *    a stage and documents the v1 code never reads); the next open starts
 *    the stage again from scratch.
 * 2. Commit: ONE synced batch writes `schema` 3 and the `upgrade` marker.
 * 3. Finish (roll forward, idempotent, in batches): drop the replicas, move
 *    the stage over the own log's keys, write the head, a fresh checkpoint and
 *    the deliveries; Ledger.open then rebuilds derived state and removes the
 *    marker. A crash here leaves a schema-3 ledger with the marker: the next
 *    open finishes it before anything reads it.
 * Whoever opens the ledger sees the v1 ledger or the v2 one, never a mix: one
 * batch of every event (the simplest all-or-nothing) would not do for a real
 * ledger (100k own events, each document up to 256 KiB, and every replica).
 */
import { canonicalPermitNumber, readPermitXml } from '@cites/permit'
import { ConsumedBody, EndorsedBody, EventType, IssuedBody, IssuedBodyV1, ProvisionalBody, type Event } from './pb/ledger.js'
import { decodeEvent, hex, sha256, signCheckpoint, signEvent, verifyEventSignature, type EventFields, type LoggedEvent } from './events.js'
import { LedgerOpenError, SignerNotTrustedError } from './errors.js'
import { MetaKey, authorOfIndexedKey, authorOfKey, authorRange, checkedRange, checkpointKey, deliveryKey, headKey, indexedRange, logKey, permitKey, seqOfKey, stageKey, seqOfStageKey } from './keys.js'
import { frontierAppend, frontierRoot } from './merkle.js'
import { del, put, type WriteOp } from './store.js'
import type { LedgerCore } from './context.js'
import type { Documents } from './documents.js'
import type { LogHead } from './types.js'

/** Writes per batch while staging and finishing. */
export const UPGRADE_CHUNK = 500
/** Bytes of documents per batch while staging (a document may be 256 KiB). */
export const UPGRADE_CHUNK_BYTES = 8 * 1024 * 1024
/** Schemas whose events are version 1. */
export const V1_SCHEMAS: readonly number[] = [1, 2]
/** The `upgrade` marker's value: committed, not yet finished. */
const COMMITTED = 'v1-committed'

const EMPTY = new Uint8Array(0) as Uint8Array<ArrayBuffer>
const unhex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'hex'))

/** What the upgrade needs of the ledger. */
export interface UpgradeV1Deps {
  core: LedgerCore
  documents: Documents
}

/** Is an upgrade committed but not finished (a crash in phase 3)? */
export async function upgradeV1Pending (core: LedgerCore): Promise<boolean> {
  return (await core.store.get('META', MetaKey.UPGRADE)) === COMMITTED
}

/**
 * Upgrade a v1 ledger (`from`: its stored schema), or finish an upgrade a
 * crash interrupted (`from` undefined, the marker set). After it, the caller
 * loads heads, rebuilds derived state, and deletes the marker with the
 * schema write (Ledger.open).
 */
export async function upgradeV1 (deps: UpgradeV1Deps, from: number | undefined): Promise<void> {
  const { core } = deps
  if (from !== undefined && V1_SCHEMAS.includes(from)) {
    if (core.signer === undefined) throw new LedgerOpenError(`this ledger holds version 1 events (schema ${from}): open it once with the signing key, which upgrades it (ledger.md §7.1)`)
    await stage(deps)
    // The commit point: from here on this is the v2 ledger.
    await core.store.write([put('META', MetaKey.SCHEMA, 3), put('META', MetaKey.UPGRADE, COMMITTED)], { sync: true })
  }
  if (await upgradeV1Pending(core)) {
    if (core.signer === undefined) throw new LedgerOpenError('this ledger\'s upgrade from version 1 events was interrupted: open it once with the signing key, which finishes it (ledger.md §7.1)')
    await finish(deps)
  }
}

// ---- phase 1: stage ----------------------------------------------------------

async function stage (deps: UpgradeV1Deps): Promise<void> {
  const { core, documents } = deps
  const store = core.store
  const me = core.party
  const signer = core.requireSigner()
  const carriedAt = BigInt(core.now())
  await store.clear(['STAGE'])
  let ops: WriteOp[] = []
  let bytes = 0
  const full = (): boolean => ops.length >= UPGRADE_CHUNK || bytes >= UPGRADE_CHUNK_BYTES
  const flush = async (): Promise<void> => {
    bytes = 0
    if (ops.length > 0) await store.write(ops.splice(0), { sync: false })
  }
  let prev: Uint8Array = EMPTY
  let v1Prev = ''
  let seq = 0
  for await (const [key, value] of store.entries('LOG', authorRange(me))) {
    // Each v1 event is checked as verifyLog checks it before it is signed
    // again: the upgrade must not launder an event edited on disk.
    seq++
    let v1: LoggedEvent
    try { v1 = decodeEvent(value) } catch { throw new LedgerOpenError(`cannot upgrade: the own log's event ${seq} does not decode (EVENT_MALFORMED); the v1 ledger is left as it was`) }
    const bad = seqOfKey(me, key) !== seq || Number(v1.event.seq) !== seq || v1.event.author !== me
      ? 'EVENT_MISSING'
      : hex(v1.event.prevHash) !== v1Prev ? 'EVENT_PREV_HASH_MISMATCH' : await verifyEventSignature(v1, core.trust.certificatesFor(me))
    if (bad !== 'OK') throw new LedgerOpenError(`cannot upgrade: the own log's event ${seq} does not verify (${bad}); the v1 ledger is left as it was`)
    v1Prev = hex(v1.hash)
    const { fields, document } = carried(v1.event, v1.hash, carriedAt)
    const event = await signEvent({ ...fields, prevHash: prev as Uint8Array<ArrayBuffer> }, signer)
    if (seq === 1) {
      // The same check as any own write: a node whose certificate is not granted now writes nothing.
      const check = await verifyEventSignature(event, core.trust.certificatesFor(me))
      if (check !== 'OK') throw new SignerNotTrustedError(`this node's signing certificate does not verify on the trust list now (${check}); the v1 ledger is left as it was`)
    }
    ops.push(put('STAGE', stageKey(seq), event.bytes))
    if (document !== undefined) ops.push(...documents.storeOps(me, fields.permitNumber, document))
    bytes += event.bytes.length + (document?.length ?? 0)
    prev = event.hash
    if (full()) await flush()
  }
  // Documents of other parties' permits whose destination is this node.
  const taken = new Set<string>()
  for await (const [key, value] of store.entries('LOG')) {
    if (authorOfKey(key) === me) continue
    let le: LoggedEvent
    try { le = decodeEvent(value) } catch { continue }
    const e = le.event
    if (e.type !== EventType.ISSUED) continue
    const b = IssuedBodyV1.decode(e.body)
    const number = canonicalPermitNumber(e.permitNumber)
    // The first ISSUED of a number is the permit (a second is an illegal transition, ledger.md §2.2).
    if (b.destination !== me || number === undefined || taken.has(permitKey(e.permitParty, number))) continue
    taken.add(permitKey(e.permitParty, number))
    // Only the document its issuer signed for (as putDocument takes one).
    if (hex(sha256(b.signedXml)) !== hex(b.xmlSha256) || await verifyEventSignature(le, core.trust.certificatesFor(e.author)) !== 'OK') continue
    ops.push(...documents.storeOps(e.permitParty, number, b.signedXml))
    bytes += b.signedXml.length
    if (full()) await flush()
  }
  await store.write(ops.splice(0), { sync: true })
}

/**
 * A v1 event's fields as a carried v2 event (prevHash left to the caller),
 * and for an ISSUED event its document.
 */
export function carried (v1: Event, v1Hash: Uint8Array, carriedAt: bigint): { fields: EventFields, document?: Uint8Array } {
  let body: Uint8Array = v1.body
  let document: Uint8Array | undefined
  switch (v1.type) {
    case EventType.ISSUED: {
      const b = IssuedBodyV1.decode(v1.body)
      const { signedXml, ...summary } = b
      document = signedXml
      body = IssuedBody.encode({ ...summary, stampSha256: stampHash(signedXml) })
      break
    }
    case EventType.EXPORT_ENDORSED:
      body = EndorsedBody.encode({ ...EndorsedBody.decode(v1.body), officer: '' })
      break
    case EventType.CONSUMED: {
      const b = ConsumedBody.decode(v1.body)
      // The signed request of a destination before r13 names its officer too.
      body = ConsumedBody.encode({ ...b, officer: '', request: b.officer === '' ? b.request : EMPTY })
      break
    }
    case EventType.PROVISIONAL_CONSUMED:
      body = ProvisionalBody.encode({ ...ProvisionalBody.decode(v1.body), officer: '' })
      break
    default:
  }
  // (signEvent writes `version` 2.)
  const fields: EventFields = {
    author: v1.author,
    seq: v1.seq,
    prevHash: EMPTY,
    type: v1.type,
    permitParty: v1.permitParty,
    // Schema 1 logs may spell numbers otherwise: a v2 event names the canonical one (ledger.md §2.2).
    permitNumber: canonicalPermitNumber(v1.permitNumber) ?? v1.permitNumber,
    body: body as Uint8Array<ArrayBuffer>,
    time: v1.time,
    ...(v1.actor === undefined ? {} : { actor: v1.actor }),
    carriedFrom: v1Hash as Uint8Array<ArrayBuffer>,
    carriedAt
  }
  return document === undefined ? { fields } : { fields, document }
}

/** SHA-256 of the document's security stamp (Box 5b, trimmed), empty when none or unreadable. */
function stampHash (signedXml: Uint8Array): Uint8Array<ArrayBuffer> {
  try {
    const stamp = readPermitXml(new TextDecoder().decode(signedXml)).permit.securityStamp?.trim() ?? ''
    return (stamp === '' ? EMPTY : sha256(new TextEncoder().encode(stamp))) as Uint8Array<ArrayBuffer>
  } catch {
    return EMPTY
  }
}

// ---- phase 3: finish (roll forward) ----------------------------------------------

async function finish (deps: UpgradeV1Deps): Promise<void> {
  const { core } = deps
  const store = core.store
  const me = core.party
  let ops: WriteOp[] = []
  const flush = async (): Promise<void> => { if (ops.length > 0) await store.write(ops.splice(0), { sync: false }) }
  // Other authors' logs and cursors go; the own log's keys stay, to be overwritten.
  for await (const key of store.keys('LOG')) {
    if (authorOfKey(key) === me) continue
    ops.push(del('LOG', key))
    if (ops.length >= UPGRADE_CHUNK) await flush()
  }
  for await (const key of store.keys('META', indexedRange())) {
    if (authorOfIndexedKey(key) !== me) ops.push(del('META', key))
  }
  for await (const key of store.keys('META', checkedRange())) ops.push(del('META', key))
  await flush()
  // Every checkpoint (the own ones sign the v1 chain), held events, evidence and derived state.
  await store.clear(['CHECKPOINT', 'PENDING', 'EVIDENCE', 'HEAD', 'PERMIT', 'INDEX', 'CLAIM'])
  // The stage over the own log, in batches: each moves its events (put, and del from the stage) at once.
  for await (const [key, bytes] of store.entries('STAGE')) {
    ops.push(put('LOG', logKey(me, seqOfStageKey(key)), bytes), del('STAGE', key))
    if (ops.length >= UPGRADE_CHUNK) await flush()
  }
  await flush()
  // The head, from the own log as it now is.
  let head: LogHead = { size: 0, hash: '', frontier: [] }
  const hashes = new Map<number, string>()
  for await (const bytes of store.values('LOG', authorRange(me))) {
    const le = decodeEvent(bytes)
    const seq = Number(le.event.seq)
    if (le.event.version !== 2) throw new LedgerOpenError(`the own log's event ${seq} was not carried over: the upgrade's stage is incomplete`)
    head = { size: seq, hash: hex(le.hash), frontier: frontierAppend(head.frontier.map(unhex), head.size, le.hash).map(hex) }
    hashes.set(seq, head.hash)
  }
  if (head.size > 0) {
    // (An empty log has no head, as on a new ledger.)
    ops.push(put('HEAD', headKey(me), head), put('META', MetaKey.indexed(me), 0))
    const cp = await signCheckpoint({ author: me, size: BigInt(head.size), root: frontierRoot(head.frontier.map(unhex)) as Uint8Array<ArrayBuffer>, time: BigInt(core.now()) }, core.requireSigner())
    ops.push(put('CHECKPOINT', checkpointKey(me, head.size), cp.bytes))
  }
  // Deliveries name the ISSUED event by its hash: the carried one now (what is pushed from now on).
  for await (const [key, d] of store.entries('DELIVERY')) {
    const h = hashes.get(d.seq)
    const n = canonicalPermitNumber(d.number) ?? d.number
    if (h === undefined) continue
    if (key !== deliveryKey(d.party, n)) ops.push(del('DELIVERY', key))
    ops.push(put('DELIVERY', deliveryKey(d.party, n), { ...d, number: n, eventHash: h }))
    if (ops.length >= UPGRADE_CHUNK) await flush()
  }
  await store.write(ops.splice(0), { sync: true })
  // Dropped values leave the files too (trader names in the replicas' documents).
  await store.compact(['LOG', 'PENDING', 'EVIDENCE', 'PERMIT', 'STAGE'])
}
