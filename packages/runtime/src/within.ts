/** Raised by {@link within} when the work does not settle in time. */
export class TimeoutError extends Error {
  override name = 'TimeoutError'
  readonly code = 'TIMEOUT'
}

/** Resolve within `ms` or reject with a {@link TimeoutError}. The underlying work runs on (its own stream timeout ends it). */
export async function within<T> (ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  try {
    return await Promise.race([work, new Promise<never>((_resolve, reject) => { timer = setTimeout(() => { reject(new TimeoutError(`no answer within ${ms} ms`)) }, ms) })])
  } finally {
    clearTimeout(timer)
  }
}
