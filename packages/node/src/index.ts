/**
 * @cites/node: one CITES permit node. `createPermitNode(config)` opens the
 * authority's ledger and starts its authorised libp2p node with every
 * protocol (gossip, sync, trust-list, verify, consume, deliver), the delivery
 * worker, the provisional-claim submitter, catch-up and keep-connected.
 *
 * @example
 * ```ts
 * const node = await createPermitNode({ party: 'TH', dataDir, signer, peerKey, trust, provisional: { allow: true } })
 * const verdict = await node.verify('CH', '26CH000123')
 * const use = await node.consume('CH', '26CH000123', { lines: [{ line: 'A', quantity: 50, unit: 'PCS' }], port: 'THBKK' })
 * ```
 *
 * @packageDocumentation
 */
export { createPermitNode } from './node.js'
export type { PermitNode, PermitNodeInternals, PermitNodeConfig, ProvisionalPolicy, NodeVerdict, NodeConsumeResult, ConsumeOutcomeKind, NodeStatus } from './node.js'
export type { UseInput } from './use.js'
export type { ClaimSubmitter } from './claims.js'
export type { RecordOperations, AuditReport, PeerConnection } from './records.js'
export { permitViewJson } from './records.js'
export { startPermitChecker } from './permit-checks.js'
export type { PermitChecker, PermitCheckerOptions, PermitCheckStats } from './permit-checks.js'
export {
  NodeError, IssuerUnreachableError, NodeBusyError, PartyNotListedError, ConfigError, NodeFileError, NODE_CODES,
  ImportPermitNotFoundError, ImportPermitOtherExporterError, ImportPermitSpeciesNotCoveredError, ImportPermitQuantityExceededError, ImportPermitNotInForceError, ImportPermitUsedError, ImportPermitCheckUnavailableError,
  QuotaExceededError, QuotaFileError, ReexportOriginNotUsedError, ReexportOriginOtherPartyError, ReexportOriginSpeciesMismatchError, ReexportExceedsImportedError,
  KeyNotEncryptedError, KeyPassphraseMissingError, KeyPassphraseWrongError,
  OidcError, OidcStateUnknownError, OidcCodeRefusedError, OidcTokenInvalidError, OidcNoRoleError, OidcProviderUnreachableError,
  Pkcs11UnavailableError, Pkcs11TokenNotFoundError, Pkcs11LoginError, Pkcs11KeyNotFoundError, Pkcs11KeyExistsError
} from './errors.js'
export type { IssueWarning } from './import-permits.js'
export { QUOTA_FILE, quotaFileOf, quotaRegister, readQuotaFile, setQuota, quotaKey, quotaUnit, quotaCheck, yearOf } from './quotas.js'
export type { QuotaEntry, RegisterEntry, QuotaFigure } from './quotas.js'
export { reexportChainCheck, citedPermit } from './reexport-chains.js'
export type { ReexportWarning, CitedPermit } from './reexport-chains.js'
export type { NodeCode } from './errors.js'
export { NodeConfigSchema, CONFIG_FILE, DEFAULT_PORTS, loadConfig, renderConfig } from './config.js'
export { AccountRegistry, ROLES, ACCOUNT_ID, mayAct, hashToken, newToken, TOKEN_PREFIX, parseDuration, readAccounts, addAccount, revokeAccount, rotateToken, accountForSubject, accountView } from './accounts.js'
export type { Account, Identity, MadeAccount, NewAccount, TokenRefusal } from './accounts.js'
export { addPaperPermit, readPaperPermits, paperPermitsFile, PAPER_PERMITS_FILE } from './paper-permits.js'
export { PaperPermitsFileError } from './errors.js'
export type { NewPaperPermit } from './paper-permits.js'
export type { Port } from './config.js'
export type { NodeConfig, LoadedConfig, RenderConfigInput } from './config.js'
export { buildHttpApi, verifyByNumber, verifyDocument, permitSummary, CONTENT_SECURITY_POLICY, PROVISIONAL_MESSAGE } from './http.js'
export { HttpProblem, statusOf, plainMessage } from './problems.js'
export type { HttpApiOptions, VerifyAnswer } from './http.js'
export type { Role } from './accounts.js'
export { createMetrics } from './metrics.js'
export { readiness, peersCheck, trustListCheck, certificateCheck, ledgerCheck, clockCheck, READINESS_CODES, MAX_CLOCK_SKEW_MS } from './health.js'
export type { Readiness, ReadinessCheck, ReadinessCode, ReadinessOptions, CheckStatus } from './health.js'
export type { NodeMetrics } from './metrics.js'
export { startNodeService, customsWebRoot } from './service.js'
export { initNodeFolder } from './init.js'
export { writeKeyFolder, writeAtomic, rotateKeyFolder, activateRotatedKey } from './keys.js'
export type { KeyIdentity, WriteKeyFolderOptions, RotatedKey } from './keys.js'
export {
  encryptPrivateKey, decryptPrivateKey, encryptKeyFolder, isEncryptedKey, findPassphrase, readPassphraseFile, loadNodeKeys, libp2pKeyFromEd25519,
  SCRYPT_DEFAULT, PASSPHRASE_ENV, PASSPHRASE_CREDENTIAL
} from './key-custody.js'
export type { ScryptParams, PassphraseSource, KeyFilesConfig, LoadedKeys } from './key-custody.js'
export { openPkcs11Token, loadPkcs11Signer, generatePkcs11Key } from './pkcs11.js'
export type { Pkcs11Config, Pkcs11Token, Pkcs11Signer } from './pkcs11.js'
export type { InitNodeOptions, InitializedNode } from './init.js'
export type { NodeService, StartServiceOptions } from './service.js'
export { tlsServerOptions, selfSignedServerCertificate, generateTlsCa, issueTlsCertificate } from './tls.js'
export type { TlsConfig, TlsKeyPair, SelfSignedOptions, IssueTlsOptions } from './tls.js'
export { AccessLog, AccessLogError, AUDIT_CODES, verifyAccessLog, readAccessLog, peerPublicKey, canonicalJson, lineHash, ACCESS_LOG_DIR, ACCESS_LOG_FILE, ACCESS_HEAD_FILE, GENESIS } from './access-log.js'
export type { AccessEntry, AccessLine, AccessLogHead, AccessLogOptions, AccessLogProblem, AccessLogVerification, AccessOutcome, AuditCode, ReadAccessLogFilter } from './access-log.js'
export { OIDC_CONFIG, OIDC_ROLES, OIDC_STATE_TTL_MS, createOidc, parseOidcConfig, claimAt, mapRole } from './oidc.js'
export type { Oidc, OidcConfig, OidcConfigInput, OidcDeps, OidcIdentity, OidcRole, OidcSession } from './oidc.js'
