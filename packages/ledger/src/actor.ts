/**
 * The acting account of an event (ledger.md §2.3, r13): the pseudonymous ID
 * of the person who did the act, from the account store of the authority
 * where they work. Never a name: events are gossiped to every authority.
 */
import { ActorInvalidError } from './errors.js'

/** 1 to 64 of A-Z a-z 0-9 _ - (a node's account IDs look like `u_3kq9x7a2mf`). */
export const ACTOR_PATTERN = /^[A-Za-z0-9_-]{1,64}$/

export function isActor (s: unknown): s is string {
  return typeof s === 'string' && ACTOR_PATTERN.test(s)
}

/** The actor given, checked (ACTOR_INVALID), or undefined when none was given. */
export function checkedActor (actor: string | undefined): string | undefined {
  if (actor === undefined) return undefined
  if (!isActor(actor)) throw new ActorInvalidError(`the acting account "${String(actor).slice(0, 70)}" is not an account ID (1 to 64 of A-Z a-z 0-9 _ -)`)
  return actor
}

/**
 * The officer text to write beside an actor: none. The account ID names the
 * person within their authority; a free-text name in an event would be
 * gossiped to every authority (ledger.md §2.3).
 */
export function officerBeside (actor: string | undefined, officer: string | undefined): string {
  return actor === undefined ? officer ?? '' : ''
}

/** Options of an act by a person: who did it. */
export interface ActOptions {
  /** The acting account's pseudonymous ID (ledger.md §2.3). */
  actor?: string
}
