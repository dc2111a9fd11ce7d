/**
 * Another authority's bytes, decoded or refused: what does not decode is
 * the sender's fault (InvalidEventError, bad-gateway), never this node's.
 */
import { EVENT_VERSION, decodeCheckpoint, decodeEvent, verifyCheckpointSignature, type LoggedCheckpoint, type LoggedEvent } from './events.js'
import { InvalidEventError } from './errors.js'
import type { TrustSource } from './types.js'

const why = (err: unknown): string => err instanceof Error ? err.message : String(err)

/**
 * Another node's event, decoded, or refused: EVENT_MALFORMED, or
 * EVENT_VERSION_UNSUPPORTED for an event of another format than this
 * node's (a version 1 event carries a whole permit document, ledger.md
 * §2.4): never stored beside version 2 events.
 */
export function decodeEventOrRefuse (bytes: Uint8Array): LoggedEvent {
  let le: LoggedEvent
  try {
    le = decodeEvent(bytes)
  } catch (err) {
    throw new InvalidEventError('EVENT_MALFORMED', `event does not decode: ${why(err)}`)
  }
  if (le.event.version !== EVENT_VERSION) throw new InvalidEventError('EVENT_VERSION_UNSUPPORTED', `event ${le.event.author} #${String(le.event.seq)} is of version ${le.event.version === 0 ? 1 : le.event.version}; this node reads version ${EVENT_VERSION} (ledger.md r17)`)
  return le
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
