/** Errors of the permit node, one class per failure, each with a stable code from this registry. */
import { CodedError, defineCodes } from '@cites/runtime'

/**
 * Every code the node itself (not its ledger, protocols or inputs) answers
 * with, including the HTTP layer's own. Its kind decides the HTTP status.
 */
export const NODE_CODES = defineCodes({
  ISSUER_UNREACHABLE: { kind: 'unavailable', summary: 'the issuer\'s node could not be reached in time, and provisional use is off' },
  NODE_BUSY: { kind: 'unavailable', summary: 'this node could not complete the request to the issuer now (its own limits, or a stream closed under load, with the issuer connected); nothing was recorded: retry' },
  PARTY_NOT_LISTED: { kind: 'unprocessable', summary: 'the party has no granted management authority on the trust list' },
  CONFIG_INVALID: { kind: 'bad-request', summary: 'the config file is missing, unreadable or invalid' },
  NODE_FILE_INVALID: { kind: 'bad-request', summary: 'a file the config names is missing or does not load' },
  // Key custody (issue 15): keys are encrypted at rest.
  KEY_NOT_ENCRYPTED: { kind: 'bad-request', summary: 'a key file is not encrypted, and the config does not set keys.allowPlainKeys: true' },
  KEY_PASSPHRASE_MISSING: { kind: 'bad-request', summary: 'the keys are encrypted and no passphrase was given (keys.passphraseFile, the systemd credential cites-key-passphrase, or CITES_KEY_PASSPHRASE)' },
  KEY_PASSPHRASE_WRONG: { kind: 'bad-request', summary: 'a key does not decrypt with the passphrase given' },
  // The signing key in a PKCS#11 token (keys.pkcs11).
  PKCS11_UNAVAILABLE: { kind: 'bad-request', summary: 'keys.pkcs11 is set but PKCS#11 cannot be used here: node-webcrypto-p11 or its native addon did not load, or the module file is missing' },
  PKCS11_TOKEN_NOT_FOUND: { kind: 'bad-request', summary: 'no token in the configured slot, or none with the configured label' },
  PKCS11_LOGIN_FAILED: { kind: 'bad-request', summary: 'the token refused the PIN from keys.pkcs11.pinFile' },
  PKCS11_KEY_NOT_FOUND: { kind: 'bad-request', summary: 'the token holds no private key with the configured label' },
  PKCS11_KEY_EXISTS: { kind: 'bad-request', summary: 'the token already holds a private key with that label (a second one would make the label ambiguous)' },
  PERMIT_INVALID: { kind: 'unprocessable', summary: 'judged from this node\'s replica, the permit may not be used' },
  TRUST_LIST_MISSING: { kind: 'unavailable', summary: 'this node holds no trust list' },
  PORT_NOT_LISTED: { kind: 'unprocessable', summary: 'the port is not one of this authority\'s ports (the config\'s list)' },
  // The import permit an export or re-export cites, checked in the destination's log before signing (ledger.md §3.6).
  IMPORT_PERMIT_NOT_FOUND: { kind: 'unprocessable', summary: 'the cited import permit is not in the destination\'s log, or is not an import permit' },
  IMPORT_PERMIT_OTHER_EXPORTER: { kind: 'unprocessable', summary: 'the cited import permit is for imports from another country' },
  IMPORT_PERMIT_SPECIES_NOT_COVERED: { kind: 'unprocessable', summary: 'the cited import permit does not cover a species (in that unit) of this permit' },
  IMPORT_PERMIT_QUANTITY_EXCEEDED: { kind: 'unprocessable', summary: 'this permit asks more than the cited import permit covers' },
  IMPORT_PERMIT_NOT_IN_FORCE: { kind: 'unprocessable', summary: 'the cited import permit is expired, cancelled or replaced' },
  IMPORT_PERMIT_USED: { kind: 'unprocessable', summary: 'the cited import permit was already used' },
  IMPORT_PERMIT_CHECK_UNAVAILABLE: { kind: 'unavailable', summary: 'the cited import permit is not in this node\'s replica of the destination\'s log, and the destination\'s node could not be reached in time to catch it up; nothing was signed: retry' },
  // Quotas and re-export chains, checked before signing (issue 14; ledger.md §3.8, §3.9; quotas.ts, reexport-chains.ts).
  QUOTA_EXCEEDED: { kind: 'unprocessable', summary: 'this export would exceed an export quota of this party for the year (the used-to-date figure comes from this authority\'s ledger)' },
  QUOTA_FILE_INVALID: { kind: 'bad-request', summary: 'the quota register (quotas.json in the data folder) is not valid JSON of the expected shape' },
  REEXPORT_ORIGIN_NOT_USED: { kind: 'unprocessable', summary: 'the permit a re-export line cites is on the network but was not used at import (nothing was imported under it)' },
  REEXPORT_ORIGIN_OTHER_PARTY: { kind: 'unprocessable', summary: 'the permit a re-export line cites was issued for, or used into, another party than the re-exporting one' },
  REEXPORT_ORIGIN_SPECIES_MISMATCH: { kind: 'unprocessable', summary: 'the permit a re-export line cites has no line of that species in that unit' },
  REEXPORT_EXCEEDS_IMPORTED: { kind: 'unprocessable', summary: 'with the earlier re-exports citing the same permit, this re-export would exceed what was imported under it' },
  // Sign-in with the ministry's identity provider (OIDC, issue 15; oidc.ts).
  OIDC_STATE_UNKNOWN: { kind: 'unauthenticated', summary: 'the sign-in\'s state is unknown, expired, already used, or was started in another browser: start the sign-in again' },
  OIDC_CODE_REFUSED: { kind: 'unauthenticated', summary: 'the identity provider refused the sign-in or its authorization code (denied, already used, or not bound to this sign-in)' },
  OIDC_TOKEN_INVALID: { kind: 'unauthenticated', summary: 'the ID token is not valid for this node (signature, issuer, audience, time or nonce)' },
  OIDC_NO_ROLE: { kind: 'forbidden', summary: 'the identity provider gives this person no role the config maps (oidc.roleMap)' },
  OIDC_PROVIDER_UNREACHABLE: { kind: 'unavailable', summary: 'the identity provider could not be reached or answered wrongly; retry' },
  // The HTTP layer's own refusals.
  REQUEST_INVALID: { kind: 'bad-request', summary: 'the request does not match the route\'s schema' },
  JSON_INVALID: { kind: 'bad-request', summary: 'the body is not valid JSON' },
  BODY_TOO_LARGE: { kind: 'too-large', summary: 'the body is larger than the limit' },
  MEDIA_TYPE_UNSUPPORTED: { kind: 'unsupported-media', summary: 'the content type is not accepted here' },
  TOKEN_MISSING: { kind: 'unauthenticated', summary: 'no bearer token' },
  TOKEN_INVALID: { kind: 'unauthenticated', summary: 'the bearer token is not valid for this node' },
  // Personal accounts (issue 15).
  TOKEN_EXPIRED: { kind: 'unauthenticated', summary: 'the personal token (or sign-in session) has expired: rotate it (cites users rotate) or sign in again' },
  TOKEN_REVOKED: { kind: 'unauthenticated', summary: 'the account was revoked' },
  SIGN_IN_RATE_LIMITED: { kind: 'rate-limited', summary: 'too many failed sign-ins from this client address: no token is checked until the window passes' },
  ACCOUNTS_FILE_INVALID: { kind: 'bad-request', summary: 'the account store is not valid JSON of the expected shape' },
  // Paper permits entered for the annual report (issue 14; paper-permits.ts).
  PAPER_PERMITS_FILE_INVALID: { kind: 'bad-request', summary: 'the paper-permit store (dataDir/paper-permits.json) is not valid JSON of the expected shape' },
  ACCOUNT_UNKNOWN: { kind: 'not-found', summary: 'no such account in this node\'s store (or it is revoked, for a rotation)' },
  ROLE_FORBIDDEN: { kind: 'forbidden', summary: 'the token\'s role may not do this' },
  RATE_LIMITED: { kind: 'rate-limited', summary: 'too many requests' },
  ROUTE_NOT_FOUND: { kind: 'not-found', summary: 'no such route' },
  CLIENT_ABORTED: { kind: 'bad-request', summary: 'the client closed the connection before the request was complete (logged at debug, never answered)' },
  INTERNAL: { kind: 'internal', summary: 'the node could not answer this request' }
})
export type NodeCode = keyof typeof NODE_CODES

export abstract class NodeError extends CodedError {
  abstract override readonly code: NodeCode
}

/** The issuer's node could not be reached in time, and the policy does not allow a provisional use. */
export class IssuerUnreachableError extends NodeError { readonly code = 'ISSUER_UNREACHABLE' }

/** The request to the issuer failed here, with the issuer connected (our limits, load): nothing recorded, retry. */
export class NodeBusyError extends NodeError { readonly code = 'NODE_BUSY' }

/** The party has no granted management authority on the trust list. */
export class PartyNotListedError extends NodeError { readonly code = 'PARTY_NOT_LISTED' }

/** The cited import permit is not in the destination's log (or is not an import permit). */
export class ImportPermitNotFoundError extends NodeError { readonly code = 'IMPORT_PERMIT_NOT_FOUND' }
/** The cited import permit names another exporting country. */
export class ImportPermitOtherExporterError extends NodeError { readonly code = 'IMPORT_PERMIT_OTHER_EXPORTER' }
/** The cited import permit does not cover a species of the permit (in its unit). */
export class ImportPermitSpeciesNotCoveredError extends NodeError { readonly code = 'IMPORT_PERMIT_SPECIES_NOT_COVERED' }
/** The permit asks more of a species than the cited import permit covers. */
export class ImportPermitQuantityExceededError extends NodeError { readonly code = 'IMPORT_PERMIT_QUANTITY_EXCEEDED' }
/** The cited import permit is expired, cancelled or replaced. */
export class ImportPermitNotInForceError extends NodeError { readonly code = 'IMPORT_PERMIT_NOT_IN_FORCE' }
/** The cited import permit was already used. */
export class ImportPermitUsedError extends NodeError { readonly code = 'IMPORT_PERMIT_USED' }
/** The cited import permit is not in the replica, and the destination's log could not be caught up to tell whether it exists. */
export class ImportPermitCheckUnavailableError extends NodeError { readonly code = 'IMPORT_PERMIT_CHECK_UNAVAILABLE' }

/** The export would exceed a quota; `quota` holds the figures (year, taxon, quota, unit, usedToDate, requested). */
export class QuotaExceededError extends NodeError {
  readonly code = 'QUOTA_EXCEEDED'
  readonly quota: { year: number, taxon: string, quota: number, unit: string, usedToDate: number, requested: number }
  constructor (message: string, quota: QuotaExceededError['quota']) {
    super(message)
    this.quota = quota
  }
}
/** The quota register file is unreadable or malformed. */
export class QuotaFileError extends NodeError { readonly code = 'QUOTA_FILE_INVALID' }
/** The cited origin (or last re-export) permit was not used at import. */
export class ReexportOriginNotUsedError extends NodeError { readonly code = 'REEXPORT_ORIGIN_NOT_USED' }
/** The cited permit was for, or used into, another party. */
export class ReexportOriginOtherPartyError extends NodeError { readonly code = 'REEXPORT_ORIGIN_OTHER_PARTY' }
/** The cited permit has no line of the re-exported species (in that unit). */
export class ReexportOriginSpeciesMismatchError extends NodeError { readonly code = 'REEXPORT_ORIGIN_SPECIES_MISMATCH' }
/** The re-export, with the earlier ones citing the same permit, exceeds what was imported; `balance` holds the figures. */
export class ReexportExceedsImportedError extends NodeError {
  readonly code = 'REEXPORT_EXCEEDS_IMPORTED'
  readonly balance: { origin: string, species: string, unit: string, imported: number, reexportedBefore: number, requested: number }
  constructor (message: string, balance: ReexportExceedsImportedError['balance']) {
    super(message)
    this.balance = balance
  }
}

/** A file the config names (key, certificate, anchor, trust list) is missing or does not load. */
export class NodeFileError extends NodeError { readonly code = 'NODE_FILE_INVALID' }

/** A key file is plain and the config does not allow plain keys; `field` is the config field that would. */
export class KeyNotEncryptedError extends NodeError {
  readonly code = 'KEY_NOT_ENCRYPTED'
  readonly field = 'keys.allowPlainKeys'
}
/** The keys are encrypted and no passphrase source gave one (or it is empty, or its file is unreadable). */
export class KeyPassphraseMissingError extends NodeError { readonly code = 'KEY_PASSPHRASE_MISSING' }
/** A key does not decrypt with the passphrase given. */
export class KeyPassphraseWrongError extends NodeError { readonly code = 'KEY_PASSPHRASE_WRONG' }

/** keys.pkcs11 is set but node-webcrypto-p11 (or its native addon, or the module file) is not there. */
export class Pkcs11UnavailableError extends NodeError { readonly code = 'PKCS11_UNAVAILABLE' }
/** No token in the configured slot, or none with the configured label. */
export class Pkcs11TokenNotFoundError extends NodeError { readonly code = 'PKCS11_TOKEN_NOT_FOUND' }
/** The token refused the PIN. */
export class Pkcs11LoginError extends NodeError { readonly code = 'PKCS11_LOGIN_FAILED' }
/** The token holds no private key with the configured label. */
export class Pkcs11KeyNotFoundError extends NodeError { readonly code = 'PKCS11_KEY_NOT_FOUND' }
/** The token already holds a private key with the label asked for a new one. */
export class Pkcs11KeyExistsError extends NodeError { readonly code = 'PKCS11_KEY_EXISTS' }

/** The config file is missing, unreadable or invalid; `problems` names each field. */
/** The account store (accounts.file) is unreadable or malformed. */
export class AccountsFileError extends NodeError { readonly code = 'ACCOUNTS_FILE_INVALID' }
/** The paper-permit store is unreadable or malformed. */
export class PaperPermitsFileError extends NodeError { readonly code = 'PAPER_PERMITS_FILE_INVALID' }
/** No such account (or a revoked one, for a rotation). */
export class AccountUnknownError extends NodeError { readonly code = 'ACCOUNT_UNKNOWN' }
/** The account was revoked (a sign-in through the identity provider to a revoked account). */
export class AccountRevokedError extends NodeError { readonly code = 'TOKEN_REVOKED' }

export class ConfigError extends NodeError {
  readonly code = 'CONFIG_INVALID'
  readonly problems: Array<{ field: string, message: string }>
  constructor (message: string, problems: Array<{ field: string, message: string }>) {
    super(message)
    this.problems = problems
  }
}

/** A failed sign-in with the identity provider (oidc.ts); the message is a fixed sentence, never a token or a claim. */
export abstract class OidcError extends NodeError {}
/** The callback's state is unknown, expired, already used, or not bound to this browser's cookie. */
export class OidcStateUnknownError extends OidcError { readonly code = 'OIDC_STATE_UNKNOWN' }
/** The identity provider answered the sign-in or the code exchange with an error (e.g. a replayed code). */
export class OidcCodeRefusedError extends OidcError { readonly code = 'OIDC_CODE_REFUSED' }
/** An ID token failed a check: signature against the provider's keys, issuer, audience, time, nonce or algorithm. */
export class OidcTokenInvalidError extends OidcError { readonly code = 'OIDC_TOKEN_INVALID' }
/** The person's role claim maps to no role of oidc.roleMap. */
export class OidcNoRoleError extends OidcError { readonly code = 'OIDC_NO_ROLE' }
/** The identity provider could not be reached (discovery, keys, token endpoint) or answered with a server error. */
export class OidcProviderUnreachableError extends OidcError { readonly code = 'OIDC_PROVIDER_UNREACHABLE' }
