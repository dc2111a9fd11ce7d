/**
 * What a listed peer's refused requests cost it (network.md §7.2; issue 18,
 * finding 2): every refusal spends from a per-peer budget, and once it is
 * spent the peer's requests are answered `PEER_RATE_LIMITED` without any work
 * until it refills. Refusals that an honest node does not cause (a request
 * not validly signed, a replayed nonce, a claim its own log does not hold)
 * cost more, and lower the peer's gossip score too (gossipsub's
 * application-specific score), so an insider that keeps inventing is
 * graylisted. The penalty decays, so a peer that stops recovers.
 *
 * Keyed by peer ID: limits hold across all of a peer's connections.
 */
import {
  MISBEHAVIOUR_BUDGET, MISBEHAVIOUR_HALF_LIFE_MS, MISBEHAVIOUR_MAX_POINTS, MISBEHAVIOUR_REFILL_PER_S, MISBEHAVIOUR_SCORE_PER_POINT, REFUSAL_COST
} from './constants.js'

/** Codes an honest node's request never earns: they cost `REFUSAL_COST.misbehaviour`. */
const MISBEHAVIOUR_CODES: ReadonlySet<string> = new Set([
  'MALFORMED', 'REQUEST_SIGNATURE_INVALID', 'REQUESTER_NOT_PEER', 'REQUEST_REPLAYED', 'CLAIM_INVALID', 'CLAIM_UNKNOWN',
  // r11: a document asked for by a node that is not a party to the trade (its own replica tells it so).
  'NOT_A_PARTY'
])

interface Account {
  /** What is left of the budget, as of `at`. */
  tokens: number
  /** The decaying penalty points, as of `at`. */
  points: number
  at: number
}

export interface MisbehaviourInit {
  /** @default Date.now */
  now?: () => number
}

export class Misbehaviour {
  readonly #now: () => number
  readonly #accounts = new Map<string, Account>()
  /** Refusals counted, by code (metrics and tests). */
  readonly refusals = new Map<string, number>()
  /** Requests answered PEER_RATE_LIMITED. */
  limited = 0

  constructor (init: MisbehaviourInit = {}) {
    this.#now = init.now ?? Date.now
  }

  /** The peer's account brought up to now (refill, decay). */
  #account (peer: string): Account {
    const now = this.#now()
    const a = this.#accounts.get(peer) ?? { tokens: MISBEHAVIOUR_BUDGET, points: 0, at: now }
    const dt = Math.max(0, now - a.at)
    a.tokens = Math.min(MISBEHAVIOUR_BUDGET, a.tokens + dt / 1000 * MISBEHAVIOUR_REFILL_PER_S)
    a.points *= 0.5 ** (dt / MISBEHAVIOUR_HALF_LIFE_MS)
    a.at = now
    // A peer back to a full budget and no penalty needs no entry.
    if (a.tokens >= MISBEHAVIOUR_BUDGET && a.points < 0.01) this.#accounts.delete(peer)
    else this.#accounts.set(peer, a)
    return a
  }

  /** May this peer be served now? False while its budget is spent. */
  admits (peer: string): boolean {
    if (this.#account(peer).tokens >= 1) return true
    this.limited++
    return false
  }

  /** Charge a consume refusal with its code to the peer, and count it under `refusals`. */
  refused (peer: string, code: string): void {
    this.refusals.set(code, (this.refusals.get(code) ?? 0) + 1)
    this.charge(peer, code)
  }

  /**
   * Charge a refusal with its code to the peer's budget (and score), without
   * counting it under `refusals` (which are consume's): other protocols
   * (document) count their own.
   */
  charge (peer: string, code: string): void {
    const bad = MISBEHAVIOUR_CODES.has(code)
    const a = this.#account(peer)
    a.tokens -= bad ? REFUSAL_COST.misbehaviour : REFUSAL_COST.refusal
    if (bad) a.points = Math.min(MISBEHAVIOUR_MAX_POINTS, a.points + 1)
    this.#accounts.set(peer, a)
  }

  /**
   * Penalty points for misbehaviour seen elsewhere than in a refusal (e.g.
   * an author flooding events far ahead of its log, gossip.ts); no budget.
   * At most MISBEHAVIOUR_MAX_POINTS are held per peer.
   */
  penalise (peer: string, points: number): void {
    const a = this.#account(peer)
    a.points = Math.min(MISBEHAVIOUR_MAX_POINTS, a.points + points)
    this.#accounts.set(peer, a)
  }

  /** The peer's gossip score contribution (≤ 0): gossipsub's appSpecificScore. */
  score (peer: string): number {
    if (!this.#accounts.has(peer)) return 0
    return -this.#account(peer).points * MISBEHAVIOUR_SCORE_PER_POINT
  }
}
