/**
 * Node 20 polyfills. Import this module before anything from libp2p, in every
 * entry point (CLI, node, benchmarks) and in vitest `setupFiles`.
 *
 * Why: libp2p 3 calls `Promise.withResolvers` (ES2024), which Node 20 lacks;
 * without it `createLibp2p` and Noise handshakes fail (FACTS.md).
 *
 * @packageDocumentation
 */

interface Resolvers<T> {
  promise: Promise<T>
  resolve: (value: T | PromiseLike<T>) => void
  reject: (reason?: unknown) => void
}

type PromiseCtorWithResolvers = PromiseConstructor & {
  withResolvers?: <T>() => Resolvers<T>
}

/** True once the polyfills are in place (also true on runtimes that need none). */
export function installPolyfills (): boolean {
  const P = Promise as PromiseCtorWithResolvers
  if (typeof P.withResolvers !== 'function') {
    Object.defineProperty(Promise, 'withResolvers', {
      configurable: true,
      writable: true,
      value: function withResolvers<T> (): Resolvers<T> {
        let resolve!: Resolvers<T>['resolve']
        let reject!: Resolvers<T>['reject']
        const promise = new Promise<T>((res, rej) => { resolve = res; reject = rej })
        return { promise, resolve, reject }
      }
    })
  }
  return typeof (Promise as PromiseCtorWithResolvers).withResolvers === 'function'
}

export const polyfilled: boolean = installPolyfills()
