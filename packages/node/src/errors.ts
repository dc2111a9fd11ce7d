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

/** The config file is missing, unreadable or invalid; `problems` names each field. */
export class ConfigError extends NodeError {
  static override name = 'ConfigError'
  override name = 'ConfigError'
  readonly code = 'CONFIG_INVALID'
  readonly problems: Array<{ field: string, message: string }>
  constructor (message: string, problems: Array<{ field: string, message: string }>) {
    super(message)
    this.problems = problems
  }
}

/** A file the config names (key, certificate, anchor, trust list) is missing or does not load. */
export class NodeFileError extends NodeError {
  static override name = 'NodeFileError'
  override name = 'NodeFileError'
  readonly code = 'NODE_FILE_INVALID'
}
