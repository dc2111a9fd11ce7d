/**
 * Another authority's bytes, decoded or refused: what does not decode is
 * the sender's fault (InvalidEventError, bad-gateway), never this node's.
 */
import { decodeCheckpoint, decodeEvent, type LoggedCheckpoint, type LoggedEvent } from './events.js'
import { InvalidEventError } from './errors.js'

const why = (err: unknown): string => err instanceof Error ? err.message : String(err)

export function decodeEventOrRefuse (bytes: Uint8Array): LoggedEvent {
  try {
    return decodeEvent(bytes)
  } catch (err) {
    throw new InvalidEventError('EVENT_MALFORMED', `event does not decode: ${why(err)}`)
  }
}

export function decodeCheckpointOrRefuse (bytes: Uint8Array): LoggedCheckpoint {
  try {
    return decodeCheckpoint(bytes)
  } catch (err) {
    throw new InvalidEventError('CHECKPOINT_INVALID', `checkpoint does not decode: ${why(err)}`)
  }
}
