/**
 * RFC 6962 (and RFC 9162 §2.1) Merkle tree hashing, proofs and proof
 * verification. Leaves are the Event bytes of a log, in sequence order.
 *
 * MTH({d0}) = SHA-256(0x00 || d0); MTH(D[n]) = SHA-256(0x01 || MTH(D[0:k]) || MTH(D[k:n]))
 * where k is the largest power of two smaller than n.
 */
import * as crypto from 'node:crypto'
import { createHash } from 'node:crypto'

export type Hash = Uint8Array

const EMPTY_ROOT = new Uint8Array(createHash('sha256').digest())

const oneShot = (crypto as unknown as { hash?: (alg: string, data: Uint8Array, enc: 'buffer') => Buffer }).hash

function digest (parts: Uint8Array[]): Hash {
  if (oneShot !== undefined) return new Uint8Array(oneShot('sha256', Buffer.concat(parts), 'buffer'))
  const h = createHash('sha256')
  for (const p of parts) h.update(p)
  return new Uint8Array(h.digest())
}

/** Equal bytes. A plain loop: most comparisons are of 32-byte hashes, where making two Buffer views costs more than the compare. */
export function sameBytes (a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  if (a.length > 64) return Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.length), Buffer.from(b.buffer, b.byteOffset, b.length)) === 0
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

const LEAF = new Uint8Array([0])
const NODE = new Uint8Array([1])

/** Reused for 0x00 || leaf: a one-shot hash of it beats building a Hash object per event (catch-up hashes every event). */
let scratch = Buffer.allocUnsafe(16 * 1024)

export function leafHash (data: Uint8Array): Hash {
  if (oneShot === undefined) return new Uint8Array(createHash('sha256').update(LEAF).update(data).digest())
  if (data.length + 1 > scratch.length) scratch = Buffer.allocUnsafe(2 ** Math.ceil(Math.log2(data.length + 1)))
  scratch[0] = 0
  scratch.set(data, 1)
  return new Uint8Array(oneShot('sha256', scratch.subarray(0, data.length + 1), 'buffer'))
}

/** Reused for 0x01 || left || right (catch-up hashes about one node per event). */
const nodeScratch = Buffer.allocUnsafe(65)

export function nodeHash (left: Hash, right: Hash): Hash {
  if (oneShot === undefined || left.length !== 32 || right.length !== 32) return digest([NODE, left, right])
  nodeScratch[0] = 1
  nodeScratch.set(left, 1)
  nodeScratch.set(right, 33)
  return new Uint8Array(oneShot('sha256', nodeScratch, 'buffer'))
}

/** Largest power of two strictly smaller than n (n >= 2). */
function split (n: number): number {
  let k = 1
  while (k << 1 < n) k <<= 1
  return k
}

/** Root over leaf hashes `leaves[lo:hi]`. */
export function rootOf (leaves: readonly Hash[], lo = 0, hi = leaves.length): Hash {
  const n = hi - lo
  if (n === 0) return EMPTY_ROOT
  if (n === 1) return leaves[lo] as Hash
  const k = split(n)
  return nodeHash(rootOf(leaves, lo, lo + k), rootOf(leaves, lo + k, hi))
}

/**
 * The compact range ("frontier") of a log: the roots of its perfect
 * subtrees, largest first, one per set bit of the size. Appending is
 * O(log n) and the root is computed from it without reading old leaves, so a
 * node never holds a whole log in memory to sign a checkpoint.
 */
export function frontierAppend (frontier: readonly Hash[], size: number, leaf: Hash): Hash[] {
  const f = [...frontier]
  let h = leaf
  let s = size
  while ((s & 1) === 1) {
    h = nodeHash(f.pop() as Hash, h)
    s >>= 1
  }
  f.push(h)
  return f
}

/** RFC 6962 root from a frontier: fold the subtree roots from the smallest. */
export function frontierRoot (frontier: readonly Hash[]): Hash {
  if (frontier.length === 0) return EMPTY_ROOT
  let r = frontier[frontier.length - 1] as Hash
  for (let i = frontier.length - 2; i >= 0; i--) r = nodeHash(frontier[i] as Hash, r)
  return r
}

/** Audit path for leaf `m` in the tree over `leaves[lo:hi]` (RFC 6962 §2.1.1, PATH). */
export function inclusionProof (leaves: readonly Hash[], m: number, lo = 0, hi = leaves.length): Hash[] {
  const n = hi - lo
  if (m < 0 || m >= n) throw new RangeError(`leaf ${m} is outside a tree of ${n}`)
  if (n === 1) return []
  const k = split(n)
  return m < k
    ? [...inclusionProof(leaves, m, lo, lo + k), rootOf(leaves, lo + k, hi)]
    : [...inclusionProof(leaves, m - k, lo + k, hi), rootOf(leaves, lo, lo + k)]
}

/** Consistency proof between the first `m` and all `n` leaves (RFC 6962 §2.1.2, PROOF/SUBPROOF). */
export function consistencyProof (leaves: readonly Hash[], m: number, n = leaves.length): Hash[] {
  if (m < 1 || m > n || n > leaves.length) throw new RangeError(`no consistency proof from ${m} to ${n}`)
  const sub = (mm: number, lo: number, hi: number, complete: boolean): Hash[] => {
    const nn = hi - lo
    if (mm === nn) return complete ? [] : [rootOf(leaves, lo, hi)]
    const k = split(nn)
    return mm <= k
      ? [...sub(mm, lo, lo + k, complete), rootOf(leaves, lo + k, hi)]
      : [...sub(mm - k, lo + k, hi, false), rootOf(leaves, lo, lo + k)]
  }
  return sub(m, 0, n, true)
}

const eq = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((x, i) => x === b[i])

/** Verify an inclusion proof (RFC 9162 §2.1.3.2). */
export function verifyInclusion (leaf: Hash, index: number, size: number, proof: readonly Hash[], root: Hash): boolean {
  if (index < 0 || index >= size) return false
  let fn = index
  let sn = size - 1
  let r = leaf
  for (const p of proof) {
    if (sn === 0) return false
    if ((fn & 1) === 1 || fn === sn) {
      r = nodeHash(p, r)
      if ((fn & 1) === 0) {
        while ((fn & 1) === 0 && fn !== 0) { fn >>= 1; sn >>= 1 }
      }
    } else {
      r = nodeHash(r, p)
    }
    fn >>= 1
    sn >>= 1
  }
  return sn === 0 && eq(r, root)
}

/** Verify a consistency proof between (m, rootM) and (n, rootN) (RFC 9162 §2.1.4.2). */
export function verifyConsistency (m: number, n: number, proof: readonly Hash[], rootM: Hash, rootN: Hash): boolean {
  if (m < 1 || m > n) return false
  if (m === n) return proof.length === 0 && eq(rootM, rootN)
  let path = [...proof]
  // When m is a power of two, the old root is the first node of the path.
  if ((m & (m - 1)) === 0) path = [rootM, ...path]
  if (path.length === 0) return false
  let fn = m - 1
  let sn = n - 1
  while ((fn & 1) === 1) { fn >>= 1; sn >>= 1 }
  let fr = path[0] as Hash
  let sr = path[0] as Hash
  for (const c of path.slice(1)) {
    if (sn === 0) return false
    if ((fn & 1) === 1 || fn === sn) {
      fr = nodeHash(c, fr)
      sr = nodeHash(c, sr)
      if ((fn & 1) === 0) {
        while ((fn & 1) === 0 && fn !== 0) { fn >>= 1; sn >>= 1 }
      }
    } else {
      sr = nodeHash(sr, c)
    }
    fn >>= 1
    sn >>= 1
  }
  return sn === 0 && eq(fr, rootM) && eq(sr, rootN)
}
