/**
 * Another authority's bytes, decoded or refused: what does not decode is
 * the sender's fault (InvalidEventError, bad-gateway), never this node's.
 */
import { decodeCheckpoint, decodeEvent, verifyCheckpointSignature, type LoggedCheckpoint, type LoggedEvent } from './events.js'
import { InvalidEventError } from './errors.js'
import type { TrustSource } from './types.js'

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

/** Another authority's checkpoint, decoded and its signature verified against the trust list, or refused. */
export async function verifiedCheckpointOrRefuse (bytes: Uint8Array, trust: TrustSource): Promise<LoggedCheckpoint> {
  const cp = decodeCheckpointOrRefuse(bytes)
  await checkpointSignatureOrRefuse(cp, trust)
  return cp
}

/** A decoded checkpoint's signature against the trust list, or refused (the author unknown, or not validly signed). */
export async function checkpointSignatureOrRefuse (cp: LoggedCheckpoint, trust: TrustSource): Promise<void> {
  const { author, size } = cp.checkpoint
  const sig = await verifyCheckpointSignature(cp, trust.certificatesFor(author))
  if (sig !== 'OK') throw new InvalidEventError(sig === 'EVENT_UNKNOWN_AUTHOR' ? 'EVENT_UNKNOWN_AUTHOR' : 'CHECKPOINT_INVALID', `checkpoint of ${author} at ${String(size)}: ${sig}`)
}
