/** Errors of the permit node, one class per failure, with stable codes. */
export abstract class NodeError extends Error {
  abstract readonly code: string
}

/** The issuer's node could not be reached in time, and the policy does not allow a provisional use. */
export class IssuerUnreachableError extends NodeError {
  static override name = 'IssuerUnreachableError'
  override name = 'IssuerUnreachableError'
  readonly code = 'ISSUER_UNREACHABLE'
}

/** The party has no granted management authority on the trust list. */
export class PartyNotListedError extends NodeError {
  static override name = 'PartyNotListedError'
  override name = 'PartyNotListedError'
  readonly code = 'PARTY_NOT_LISTED'
}
