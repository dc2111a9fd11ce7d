/**
 * 2026-11-15: inside the vector permits' validity and after every vector
 * grant, so a test run on any date judges the vectors the same way.
 */
export const NOW = Date.parse('2026-11-15T00:00:00Z')

/** When the vector trust grants CH's and TH's certificates (and the test trust lists are dated). */
export const VECTOR_GRANTED_AT = '2026-01-01T00:00:00Z'

/** A clock a test can move: pass `() => clock.now` as a component's `now`. */
export interface Clock { now: number }
