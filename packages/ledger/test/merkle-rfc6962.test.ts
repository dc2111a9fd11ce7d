import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { consistencyProof, frontierAppend, frontierRoot, inclusionProof, leafHash, rootOf, verifyConsistency, verifyInclusion, type Hash } from '../src/index.js'

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex')
const unhex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'hex'))

// RFC 6962 reference data, as published with Certificate Transparency's
// Merkle tree tests (leaves, roots for sizes 0..8, and proofs).
const LEAVES = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map(unhex).map(leafHash)
const ROOTS = [
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328'
]
const INCLUSION = [
  { index: 0, size: 8, proof: ['96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7', '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4'] },
  { index: 5, size: 8, proof: ['bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b', 'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0', 'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7'] }
]
const CONSISTENCY = [
  { m: 2, n: 8, proof: ['5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4'] },
  { m: 6, n: 8, proof: ['0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a', 'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0', 'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7'] },
  { m: 2, n: 5, proof: ['5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', 'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b'] }
]

describe('RFC 6962 Merkle tree', () => {
  it('gives the reference roots for sizes 0..8, directly and from the frontier', () => {
    let frontier: Hash[] = []
    expect(hex(frontierRoot(frontier))).toBe(ROOTS[0])
    for (let n = 0; n <= 8; n++) {
      expect(hex(rootOf(LEAVES.slice(0, n))), `size ${n}`).toBe(ROOTS[n])
      if (n > 0) {
        frontier = frontierAppend(frontier, n - 1, LEAVES[n - 1]!)
        expect(hex(frontierRoot(frontier)), `frontier size ${n}`).toBe(ROOTS[n])
      }
    }
  })

  it('produces and verifies the reference inclusion proofs', () => {
    for (const v of INCLUSION) {
      expect(inclusionProof(LEAVES.slice(0, v.size), v.index).map(hex)).toEqual(v.proof)
      expect(verifyInclusion(LEAVES[v.index]!, v.index, v.size, v.proof.map(unhex), unhex(ROOTS[v.size]!))).toBe(true)
    }
  })

  it('produces and verifies the reference consistency proofs', () => {
    for (const v of CONSISTENCY) {
      expect(consistencyProof(LEAVES, v.m, v.n).map(hex)).toEqual(v.proof)
      expect(verifyConsistency(v.m, v.n, v.proof.map(unhex), unhex(ROOTS[v.m]!), unhex(ROOTS[v.n]!))).toBe(true)
    }
  })

  it('every proof of every tree up to 40 leaves verifies, and a tampered one does not (property)', () => {
    const leaves = Array.from({ length: 40 }, (_, i) => leafHash(new Uint8Array([i, 255 - i])))
    fc.assert(fc.property(fc.integer({ min: 1, max: 40 }), fc.nat(), fc.nat(), (n, a, b) => {
      const tree = leaves.slice(0, n)
      const root = rootOf(tree)
      const i = a % n
      const p = inclusionProof(tree, i)
      expect(verifyInclusion(tree[i]!, i, n, p, root)).toBe(true)
      if (p.length > 0) {
        const bad = p.map((x, j) => j === 0 ? leafHash(x) : x)
        expect(verifyInclusion(tree[i]!, i, n, bad, root)).toBe(false)
      }
      expect(verifyInclusion(leafHash(new Uint8Array([9, 9, 9])), i, n, p, root)).toBe(false)
      const m = (b % n) + 1
      const c = consistencyProof(tree, m, n)
      const rootM = rootOf(tree.slice(0, m))
      expect(verifyConsistency(m, n, c, rootM, root)).toBe(true)
      if (m < n) expect(verifyConsistency(m, n, c, leafHash(rootM), root)).toBe(false)
    }), { numRuns: 500 })
  })
})
