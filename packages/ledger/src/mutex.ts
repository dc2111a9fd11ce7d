/**
 * A single-writer queue per key. LevelDB batches are atomic but give no
 * isolation, so get -> check -> batch on one key must never interleave
 * (FACTS.md: without this, 1000 of 1000 permits were consumed twice).
 */
export class KeyedMutex {
  readonly #tails = new Map<string, Promise<unknown>>()

  /** Run `fn` once every earlier `fn` for `key` has settled. */
  async run<T> (key: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.#tails.get(key) ?? Promise.resolve()
    const result = prev.then(fn, fn)
    const tail = result.then(() => undefined, () => undefined)
    this.#tails.set(key, tail)
    try {
      return await result
    } finally {
      // Forget the key once nothing else is queued behind us.
      if (this.#tails.get(key) === tail) this.#tails.delete(key)
    }
  }

  /** Keys with work queued or running (for tests and metrics). */
  get size (): number { return this.#tails.size }
}
