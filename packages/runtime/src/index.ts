/**
 * @cites/runtime: what every CITES package shares at run time, and nothing
 * CITES-specific: component loggers (pino children, `DEBUG=cites:*`), the one
 * background-worker skeleton, `within` timeouts, keyed runs a caller joins
 * only when they start after its call (`FreshRuns`), and the base of coded errors
 * with per-domain registries from which HTTP statuses are derived.
 *
 * @packageDocumentation
 */
export { createLogger, componentLogger, debugEnabled, silentLogger, errorMessage, errorCode } from './log.js'
export type { Logger, LogLevel } from './log.js'
export { startWorker } from './worker.js'
export type { Worker, WorkerInit, WorkerStats } from './worker.js'
export { within, TimeoutError } from './within.js'
export { FreshRuns } from './fresh-runs.js'
export { CodedError, defineCodes, httpStatusTable } from './codes.js'
export type { CodeKind, CodeRegistry } from './codes.js'
