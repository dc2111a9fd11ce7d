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
