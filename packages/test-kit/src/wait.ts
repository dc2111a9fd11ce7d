/** Waiting on something a test can observe, instead of sleeping and hoping. */

export interface WaitForOptions {
  /** @default 10000 */
  timeoutMs?: number
  /** What is awaited, for the failure message ("TH to hold the permit"). */
  what?: string
  /** @default 50 */
  intervalMs?: number
}

/** `waitFor` ran out of time: the message says what was awaited and for how long. */
export class WaitTimeoutError extends Error {
  static override name = 'WaitTimeoutError'
  override name = 'WaitTimeoutError'
  readonly code = 'WAIT_TIMEOUT'
}

/**
 * Poll `cond` until it holds; fail with a {@link WaitTimeoutError} naming
 * `what` after `timeoutMs`. The condition is checked once more at the
 * deadline, so a slow machine fails only when the condition really never
 * held. An error thrown by `cond` propagates at once (a broken condition is
 * a bug, not a wait).
 */
export async function waitFor (cond: () => boolean | Promise<boolean>, o: WaitForOptions = {}): Promise<void> {
  const timeoutMs = o.timeoutMs ?? 10_000
  const end = Date.now() + timeoutMs
  for (;;) {
    const past = Date.now() > end
    if (await cond()) return
    if (past) throw new WaitTimeoutError(`timed out after ${timeoutMs} ms waiting for ${o.what ?? 'a condition'}`)
    await new Promise((resolve) => setTimeout(resolve, o.intervalMs ?? 50))
  }
}
