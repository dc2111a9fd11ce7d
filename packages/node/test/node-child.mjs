// Child process for restart-after-kill-9.test.ts: run one permit node (built
// code, as `cites node start` will) from a JSON config in CITES_CHILD, and
// print its status as one JSON line every 100 ms, until killed.
import '@cites/node20-polyfill'
import { privateKeyFromProtobuf } from '@libp2p/crypto/keys'
import { loadSigner } from '@cites/xml-signature'
import { TrustStore } from '@cites/trust-list'
import { createPermitNode } from '../dist/index.js'

const c = JSON.parse(process.env.CITES_CHILD ?? '{}')
const trust = new TrustStore(c.anchorCert)
await trust.accept(c.trustXml, { now: new Date(c.now) })
const node = await createPermitNode({
  party: c.party, dataDir: c.dataDir, signer: await loadSigner(c.keyPem, c.certPem), peerKey: privateKeyFromProtobuf(Buffer.from(c.peerKeyHex, 'hex')),
  trust, listen: [c.address], sharedHost: true, now: () => c.now, syncIntervalMs: 1000,
  keepConnected: { minBackoffMs: 50, maxBackoffMs: 500, sweepMs: 250 }
})
const tick = async () => { process.stdout.write(JSON.stringify(await node.status()) + '\n') }
setInterval(() => { void tick() }, 100)
const stop = async () => { await node.stop(); process.exit(0) }
process.on('SIGTERM', () => { void stop() })
