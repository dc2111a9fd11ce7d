/**
 * Integrity: a log verified end to end from the stored bytes, and RFC 6962
 * inclusion and consistency proofs over it. A log whose author is proven to
 * have signed another version of it (equivocation evidence held here, e.g.
 * from comparing replicas) is not ok either, however consistent the version
 * held here is: other nodes may hold the other one.
 */
import { decodeEvent, hex, verifyCheckpointSignature, verifyEventSignature, type LoggedCheckpoint, type LoggedEvent } from './events.js'
import { authorRange, seqOfKey } from './keys.js'
import { consistencyProof, frontierAppend, frontierRoot, inclusionProof, rootOf, type Hash } from './merkle.js'
import type { LedgerCore } from './context.js'
import type { Queries } from './queries.js'
import type { LogProblem, LogVerification } from './types.js'

/** Signatures checked concurrently per step. */
const SIGNATURE_BATCH = 256

export class Integrity {
  readonly #core: LedgerCore
  readonly #queries: Queries

  constructor (core: LedgerCore, queries: Queries) {
    this.#core = core
    this.#queries = queries
  }

  async verifyLog (author: string): Promise<LogVerification> {
    const c = this.#core
    const problems: LogProblem[] = []
    const trusted = c.trust.certificatesFor(author)
    const checkpoints = new Map<number, LoggedCheckpoint>()
    for (const cp of await this.#queries.checkpoints(author)) checkpoints.set(Number(cp.checkpoint.size), cp)
    let expected = 1
    let prevHash = ''
    let frontier: Hash[] = []
    let leafCount = 0
    let checked = 0
    const batch: Array<{ seq: number, le: LoggedEvent }> = []
    const flush = async (): Promise<void> => {
      const verdicts = await Promise.all(batch.map(async ({ le }) => await verifyEventSignature(le, trusted)))
      for (const [i, { seq }] of batch.entries()) {
        const v = verdicts[i]
        if (v !== undefined && v !== 'OK') problems.push({ seq, code: v, message: `event #${seq}: signature check ${v}` })
      }
      batch.length = 0
    }
    for await (const [key, v] of c.store.entries('LOG', authorRange(author))) {
      const seq = seqOfKey(author, key)
      let le: LoggedEvent
      try {
        le = decodeEvent(v)
      } catch {
        // Reported, not thrown: the rest of the log is still checked.
        problems.push({ seq, code: 'EVENT_MALFORMED', message: `event #${seq} does not decode` })
        expected = seq + 1
        prevHash = ''
        continue
      }
      if (seq !== expected) problems.push({ seq: expected, code: 'EVENT_MISSING', message: `events #${expected}..#${seq - 1} are missing` })
      if (Number(le.event.seq) !== seq || le.event.author !== author) problems.push({ seq, code: 'EVENT_WRONG_LOG', message: `event stored at #${seq} says ${le.event.author} #${le.event.seq}` })
      if (seq > 1 && hex(le.event.prevHash) !== prevHash) problems.push({ seq, code: 'EVENT_PREV_HASH_MISMATCH', message: `event #${seq} does not chain to event #${seq - 1}` })
      batch.push({ seq, le })
      if (batch.length >= SIGNATURE_BATCH) await flush()
      // Count leaves as stored, so a missing event cannot derail the tree.
      frontier = frontierAppend(frontier, leafCount++, le.hash)
      const cp = checkpoints.get(seq)
      if (cp !== undefined) {
        checked++
        if (hex(frontierRoot(frontier)) !== hex(cp.checkpoint.root)) problems.push({ seq, code: 'CHECKPOINT_MISMATCH', message: `the signed checkpoint at size ${seq} does not match the stored events` })
        if (await verifyCheckpointSignature(cp, trusted) !== 'OK') problems.push({ seq, code: 'CHECKPOINT_INVALID', message: `the checkpoint at size ${seq} is not validly signed` })
      }
      prevHash = hex(le.hash)
      expected = seq + 1
    }
    await flush()
    const size = expected - 1
    // Evidence keys are `author!position12!hash`: one problem per position.
    const split = new Set<number>()
    for await (const k of c.store.keys('EVIDENCE', authorRange(author))) split.add(seqOfKey(author, k.slice(0, k.lastIndexOf('!'))))
    for (const seq of split) problems.push({ seq, code: 'EQUIVOCATION', message: `${author} signed two different versions of its log at #${seq} (evidence held)` })
    const head = c.head(author)
    if (head.size !== size || head.hash !== prevHash) problems.push({ seq: size, code: 'HEAD_MISMATCH', message: `the recorded head (${head.size}) does not match the stored log (${size})` })
    problems.sort((a, b) => a.seq - b.seq)
    return { author, size, ok: problems.length === 0, problems, checkpointsChecked: checked }
  }

  async inclusionProof (author: string, seq: number, size = this.#core.head(author).size): Promise<{ leafIndex: number, size: number, proof: string[], root: string }> {
    const leaves = await this.#queries.leaves(author, size)
    if (leaves.length < size) throw new RangeError(`${author}'s log holds ${leaves.length} events, not ${size}`)
    return { leafIndex: seq - 1, size, proof: inclusionProof(leaves, seq - 1).map(hex), root: hex(rootOf(leaves)) }
  }

  async consistencyProof (author: string, m: number, n = this.#core.head(author).size): Promise<{ m: number, n: number, proof: string[], rootM: string, rootN: string }> {
    const leaves = await this.#queries.leaves(author, n)
    if (leaves.length < n) throw new RangeError(`${author}'s log holds ${leaves.length} events, not ${n}`)
    return { m, n, proof: consistencyProof(leaves, m, n).map(hex), rootM: hex(rootOf(leaves, 0, m)), rootN: hex(rootOf(leaves)) }
  }
}
