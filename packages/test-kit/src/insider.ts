/**
 * The insider harness (issue 18 §8): take over a listed authority's keys
 * (its libp2p peer key and its permit-signing key) and speak the protocols
 * directly, as an independent attack run did against the pilot. Everything
 * it sends is validly signed by that authority, so every answer it gets
 * tests what the network does with a *listed* authority that lies.
 *
 * Import it as `@cites/test-kit/insider` (it starts libp2p; the rest of the
 * kit does not). Use {@link Insider.takeOver} on a pilot folder after
 * stopping the authority's own node (`killNode(layout, 'US')`), or
 * {@link Insider.start} with keys a test made.
 */
import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { randomBytes } from 'node:crypto'
import { privateKeyFromProtobuf } from '@libp2p/crypto/keys'
import { peerIdFromString } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import type { PeerId, PrivateKey } from '@libp2p/interface'
import { loadConfig } from '@cites/node'
import {
  CONSUME_PROTOCOL, CONSUME_REQUEST_CONTEXT, ConsumeRequest, ConsumeRequestBody, ConsumeResponse, DELIVER_PROTOCOL, DeliverRequest, DeliverResponse,
  EVENTS_TOPIC, Gossip, SignedConsumeRequest, SYNC_PROTOCOL, SyncRequest, SyncResponse, ask, createAuthorisedNode, type AuthorisedNode
} from '@cites/protocol'
import { signEvent, signRecord, type EventType } from '@cites/ledger'
import { loadSigner, type Signer } from '@cites/xml-signature'
import { TrustStore } from '@cites/trust-list'

/** One consume request as the insider builds it: every field settable, including the ones an honest node never gets wrong. */
export interface InsiderConsumeAsk {
  party: string
  number: string
  lines: Array<{ line: string, quantity: number, unit: string }>
  port: string
  officer?: string
  /** A claim to submit: any seq, hash and time, held in the insider's log or not. */
  claim?: { seq: number, hash: string, usedAt: number }
  /** @default now */
  time?: number
  /** @default 16 random bytes */
  nonce?: Uint8Array
}

/** The fields of an event the insider signs in its authority's name. */
export interface InsiderEvent {
  seq: number
  prevHash?: Uint8Array
  type: EventType
  permitParty: string
  permitNumber: string
  body?: Uint8Array
  /** @default now */
  time?: number
}

export interface InsiderStartInit {
  party: string
  peerKey: PrivateKey
  signer: Signer
  trust: TrustStore
  /** Where the victims listen: party → multiaddr with /p2p/. */
  peers: Record<string, string>
}

export class Insider {
  readonly party: string
  readonly signer: Signer
  readonly libp2p: AuthorisedNode
  readonly #peers: Record<string, string>

  private constructor (party: string, signer: Signer, libp2p: AuthorisedNode, peers: Record<string, string>) {
    this.party = party
    this.signer = signer
    this.libp2p = libp2p
    this.#peers = peers
  }

  /** Start a libp2p node with the authority's peer key: the network sees that authority. */
  static async start (init: InsiderStartInit): Promise<Insider> {
    const libp2p = await createAuthorisedNode({ privateKey: init.peerKey, trust: init.trust, sharedHost: true })
    await libp2p.start()
    return new Insider(init.party, init.signer, libp2p, init.peers)
  }

  /**
   * Take over `party` of the pilot in `pilotDir` (its node should be stopped
   * first, or the two share one identity): its keys and trust list, and the
   * other authorities' addresses from `pilot.json`.
   */
  static async takeOver (pilotDir: string, party: string): Promise<Insider> {
    const layout = JSON.parse(readFileSync(join(resolve(pilotDir), 'pilot.json'), 'utf8')) as { nodes: Array<{ party: string, peerId: string, dir: string, p2pPort: number, ip?: string }> }
    const me = layout.nodes.find((n) => n.party === party)
    if (me === undefined) throw new Error(`${party} is not in the pilot at ${pilotDir}`)
    const { config } = loadConfig(join(me.dir, 'cites-node.yaml'))
    const signer = await loadSigner(readFileSync(config.keys.signingKey, 'utf8'), readFileSync(config.keys.certificate, 'utf8'))
    const peerKey = privateKeyFromProtobuf(readFileSync(config.keys.peerKey))
    const trust = new TrustStore(readFileSync(config.trust.anchorCertificate, 'utf8'))
    await trust.accept(readFileSync(config.trust.trustList, 'utf8'))
    const peers: Record<string, string> = {}
    for (const n of layout.nodes) if (n.party !== party) peers[n.party] = `/ip4/${n.ip ?? '127.0.0.1'}/tcp/${n.p2pPort}/p2p/${n.peerId}`
    return await Insider.start({ party, peerKey, signer, trust, peers })
  }

  /** Connect to a victim; returns its peer ID. */
  async dial (victim: string): Promise<PeerId> {
    const addr = this.#peers[victim]
    if (addr === undefined) throw new Error(`no address for ${victim}`)
    await this.libp2p.dial(multiaddr(addr))
    return peerIdFromString(addr.slice(addr.lastIndexOf('/p2p/') + 5))
  }

  /** A consume request signed in the authority's name, exactly as asked (no check that it makes sense). */
  async signConsumeRequest (a: InsiderConsumeAsk): Promise<Uint8Array> {
    const body = ConsumeRequestBody.encode({
      party: a.party, number: a.number, lines: a.lines, port: a.port, officer: a.officer ?? '', requester: this.party,
      time: BigInt(a.time ?? Date.now()), certSha256: Buffer.from(this.signer.certificate.sha256, 'hex') as unknown as Uint8Array<ArrayBuffer>,
      nonce: (a.nonce ?? randomBytes(16)) as Uint8Array<ArrayBuffer>,
      claimSeq: BigInt(a.claim?.seq ?? 0),
      claimHash: (a.claim === undefined ? new Uint8Array(0) : Buffer.from(a.claim.hash, 'hex')) as Uint8Array<ArrayBuffer>,
      usedAt: BigInt(a.claim?.usedAt ?? 0)
    })
    const signature = await signRecord(CONSUME_REQUEST_CONTEXT, body, this.signer)
    return SignedConsumeRequest.encode({ body, signature: signature as Uint8Array<ArrayBuffer> })
  }

  /** Send signed request bytes to `victim`'s /cites/consume; the raw answer. */
  async sendConsume (victim: string, signedRequest: Uint8Array): Promise<ConsumeResponse> {
    const peer = await this.dial(victim)
    return await ask(this.libp2p, peer, CONSUME_PROTOCOL, 64 * 1024, ConsumeRequest, ConsumeResponse, { request: signedRequest as Uint8Array<ArrayBuffer> })
  }

  /** Sign and send a consume request to the permit's issuer. */
  async consume (a: InsiderConsumeAsk): Promise<ConsumeResponse> {
    return await this.sendConsume(a.party, await this.signConsumeRequest(a))
  }

  /** An event of the authority's own log, signed with its key (any seq, any time, any chain). */
  async signEvent (e: InsiderEvent): Promise<Uint8Array> {
    const le = await signEvent({
      author: this.party, seq: BigInt(e.seq), prevHash: (e.prevHash ?? new Uint8Array(0)) as Uint8Array<ArrayBuffer>, type: e.type,
      permitParty: e.permitParty, permitNumber: e.permitNumber, body: (e.body ?? new Uint8Array(0)) as Uint8Array<ArrayBuffer>, time: BigInt(e.time ?? Date.now())
    }, this.signer)
    return le.bytes
  }

  /** Push a signed event to `victim` over /cites/deliver; the raw answer. */
  async deliver (victim: string, event: Uint8Array): Promise<DeliverResponse> {
    const peer = await this.dial(victim)
    return await ask(this.libp2p, peer, DELIVER_PROTOCOL, 64 * 1024, DeliverRequest, DeliverResponse, { event: event as Uint8Array<ArrayBuffer> })
  }

  /** Ask `victim` for `author`'s log from `from` over /cites/sync; the raw answer. */
  async sync (victim: string, author: string, from: number, limit = 100): Promise<SyncResponse> {
    const peer = await this.dial(victim)
    return await ask(this.libp2p, peer, SYNC_PROTOCOL, 8 * 1024 * 1024, SyncRequest, SyncResponse, { author, fromSeq: BigInt(from), limit })
  }

  /** Publish a signed event on the events topic (gossip), as the authority. */
  async publish (event: Uint8Array): Promise<void> {
    this.libp2p.services.pubsub.subscribe(EVENTS_TOPIC)
    await this.libp2p.services.pubsub.publish(EVENTS_TOPIC, Gossip.encode({ event: event as Uint8Array<ArrayBuffer>, checkpoint: new Uint8Array(0), trustListSequence: 0n }))
  }

  async stop (): Promise<void> {
    await this.libp2p.stop()
  }
}
