/**
 * @cites/protocol: the libp2p side of a CITES node: the authorised node
 * (trust-list connection gater, stream and connection limits), gossip of
 * signed events and trust-list announcements, and the request/response
 * protocols /cites/sync, /cites/trust-list, /cites/verify, /cites/consume
 * (with provisional claims), /cites/deliver and /cites/document (at their v2 ids; the v1 ids
 * only refuse, version-refusal.ts), each a js-libp2p service
 * (`syncService({ port })` ...) that decodes, asks its port and encodes.
 * `@cites/node` wires them into one permit node.
 *
 * @packageDocumentation
 */
export { createAuthorisedNode, pendingUpgradeStats } from './node.js'
export type { AuthorisedNode, AuthorisedNodeInit, PeerAuthority } from './node.js'
export type { ListedAddresses, PendingUpgradeStats } from './admission.js'
export { startEventGossip, gossipScore } from './gossip.js'
export type { EventGossip, EventGossipOptions, GossipStats } from './gossip.js'
export { rpcService, startOn, ask } from './rpc.js'
export type { ProtocolService, ProtocolServiceComponents, ProtocolRegistrar, RequestFailure, RpcServiceInit, Codec } from './rpc.js'
export { logFor, loggedElsewhere } from './log.js'
export { answerSync, handleSync, ledgerSyncPort, syncService, requestSyncPage, syncLog, crossCheckPeer } from './sync.js'
export type { SyncResult, SyncPort, SyncServiceInit, CrossCheckResult } from './sync.js'
export { ClockOffsets, clockSample, medianOffset } from './clock.js'
export type { ClockSample, ClockEstimate, ClockOffsetsOptions, PeerClockOffset } from './clock.js'
export { handleVerify, ledgerVerifyPort, verifyService, verifyRemote } from './verify.js'
export type { VerifyRemoteOptions, VerifyPort, VerifyServiceInit } from './verify.js'
export { consumeService, requestConsumption, signConsumeRequest, CONSUME_REQUEST_CONTEXT } from './consume.js'
export type { ConsumeAsk, ConsumeOutcome, ConsumeDecision, ConsumePort, ConsumeServiceInit } from './consume.js'
export { handleConsume, ledgerConsumePort } from './consume-port.js'
export type { LedgerConsumePortInit } from './consume-port.js'
export { Misbehaviour } from './misbehaviour.js'
export type { MisbehaviourInit } from './misbehaviour.js'
export { handleDeliver, deliverService, ledgerDeliverPort, deliverOnce, startDelivery, DELIVERY_ACK_CONTEXT } from './deliver.js'
export type { DeliveryServiceOptions, DeliveryWorker, DeliveryWorkerOptions, DeliverAnswer, DeliverPort, DeliverServiceInit } from './deliver.js'
export { documentService, fetchDocument, handleDocument, ledgerDocumentPort } from './document.js'
export type { DocumentAnswer, DocumentFetch, DocumentPort, DocumentServiceInit, LedgerDocumentPortInit } from './document.js'
export { versionRefusalServices, RefusalCounts } from './version-refusal.js'
export type { VersionRefusalInit } from './version-refusal.js'
export { keepConnected } from './keep-connected.js'
export type { KeepConnected, KeepConnectedOptions } from './keep-connected.js'
export { applyTrustList, disconnectUnauthorised, fetchTrustList, handleTrustList, trustListService, trustStorePort } from './trust.js'
export type { TrustListPort, TrustListServiceInit } from './trust.js'
export { EVENTS_TOPIC, MAX_GOSSIP_BYTES, GAP_SYNC_INTERVAL_MS, SYNC_PROTOCOL, TRUST_LIST_PROTOCOL, VERIFY_PROTOCOL, CONSUME_PROTOCOL, DELIVER_PROTOCOL, DOCUMENT_PROTOCOL, MAX_DOCUMENT_BYTES, CONSUME_REQUEST_MAX_AGE_MS, MAX_TRUST_LIST_REQUEST_BYTES, MAX_TRUST_LIST_RESPONSE_BYTES, PROTOCOL_PREFIX, V1_EVENT_PROTOCOLS, EVENT_VERSION_MISMATCH, EVENT_VERSION_MISMATCH_MESSAGE, MAX_SYNC_REQUEST_BYTES, MAX_SYNC_RESPONSE_BYTES, MAX_SYNC_HEADS, MAX_SYNC_PAGE_EVENTS, STREAM_TIMEOUT_MS, STREAM_LINGER_MS, STREAM_LIMITS, EVENTS_TOPIC_SCORE, GOSSIP_SCORE_THRESHOLDS, MAX_STREAMS_PER_CONNECTION, MAX_CONNECTIONS, MAX_PENDING_INBOUND_CONNECTIONS, LISTED_PENDING_RESERVE, MAX_PENDING_UPGRADES_PER_IP, INBOUND_UPGRADE_TIMEOUT_MS, MAX_CONNECTIONS_PER_PEER } from './constants.js'
export { PROTOCOL_CODES, ProtocolError, RemoteRefusedError, MalformedResponseError, PeerEventVersionMismatchError, PeerDocumentHashMismatchError } from './errors.js'
export type { ProtocolCode } from './errors.js'
export {
  Gossip, Status, SyncRequest, SyncResponse, HeldLog, TrustListRequest, TrustListResponse, VerifyRequest, VerifyResponse, ConsumeRequest,
  ConsumeRequestBody, ConsumeResponse, ConsumeLine, SignedConsumeRequest, DeliverRequest, DeliverResponse, AckBody, AckOutcome, SignedAck, DocumentRequest, DocumentResponse
} from './pb/network.js'
