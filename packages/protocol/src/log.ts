/** Component loggers of the protocol modules (a named pino child of the node's root, or silence). */
import { componentLogger, silentLogger, type Logger } from '@cites/runtime'

/**
 * The named child of `parent` for one component, or the silent logger when
 * none is given (a child of the silent logger would start writing once
 * `DEBUG=cites:*` lowers its level).
 */
export function logFor (parent: Logger | undefined, component: string): Logger {
  return parent === undefined ? silentLogger : componentLogger(parent, component)
}

/** For `.catch(loggedElsewhere)`: the failure was already logged with its code where it happened (e.g. by the worker). */
export function loggedElsewhere (): void {}

/** A background worker's pass, run one at a time; `idle()` waits for the pass in progress. */
export interface SerialRun {
  run: (signal: AbortSignal) => Promise<void>
  idle: () => Promise<void>
}

/**
 * One pass at a time, whoever starts it: a call while a pass runs joins it.
 * `startWorker` (@cites/runtime) tracks the passes `trigger()` starts but
 * not those its own timer starts, so without this a timed pass could overlap
 * a triggered one (a delivery sent twice, a page of permit checks done twice)
 * and `stop()` would not wait for it. Harmless once the worker tracks both.
 */
export function serialRun (fn: (signal: AbortSignal) => Promise<void>): SerialRun {
  let current: Promise<void> | undefined
  return {
    run: async (signal) => {
      if (current !== undefined) return await current
      current = fn(signal).finally(() => { current = undefined })
      return await current
    },
    idle: async () => { await current?.catch(loggedElsewhere) }
  }
}
