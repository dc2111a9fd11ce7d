/**
 * Keyed runs that a caller shares only when they start after its call. A
 * catch-up sync begun before a caller asked may have missed what the caller
 * looks for (an import permit issued a moment ago, a claimant's use signed a
 * moment ago): joining it would answer from a stale replica. One run per key
 * at a time; every caller that arrives during a run shares the one run that
 * follows it, so the work per key stays bounded at two.
 */
export class FreshRuns<T> {
  readonly #running = new Map<string, Promise<T>>()
  readonly #queued = new Map<string, Promise<T>>()

  /** Run `work` for `key`, or share a run of `key` that starts after this call. Settles as that run does. */
  async run (key: string, work: () => Promise<T>): Promise<T> {
    const running = this.#running.get(key)
    if (running === undefined) return await this.#start(key, work)
    let queued = this.#queued.get(key)
    if (queued === undefined) {
      const next = async (): Promise<T> => {
        this.#queued.delete(key)
        // A run started since the one we waited for also began after our call.
        return await (this.#running.get(key) ?? this.#start(key, work))
      }
      queued = running.then(next, next)
      this.#queued.set(key, queued)
    }
    return await queued
  }

  /** Every run in progress or queued (a clean stop waits for them). */
  pending (): Array<Promise<T>> {
    return [...this.#running.values(), ...this.#queued.values()]
  }

  async #start (key: string, work: () => Promise<T>): Promise<T> {
    const p: Promise<T> = (async () => await work())().finally(() => {
      if (this.#running.get(key) === p) this.#running.delete(key)
    })
    this.#running.set(key, p)
    return await p
  }
}
