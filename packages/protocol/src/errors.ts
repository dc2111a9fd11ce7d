/** Errors of the wire protocols, one class per failure, with stable codes. */
export abstract class ProtocolError extends Error {
  abstract readonly code: string
}

/** The remote answered with a non-OK status. */
export class RemoteRefusedError extends ProtocolError {
  static override name = 'RemoteRefusedError'
  override name = 'RemoteRefusedError'
  readonly code = 'REMOTE_REFUSED'
  readonly status: string
  constructor (status: string, message: string) {
    super(message)
    this.status = status
  }
}

/** The remote's answer did not decode, broke the protocol, or was too large. */
export class MalformedResponseError extends ProtocolError {
  static override name = 'MalformedResponseError'
  override name = 'MalformedResponseError'
  readonly code = 'MALFORMED_RESPONSE'
}
