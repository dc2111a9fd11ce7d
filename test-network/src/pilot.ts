/**
 * The pilot network (test-network/README.md): an anchor and N authorities on
 * one machine, each node its own process on loopback ports, sharing one
 * anchor-signed trust list. `pilot.json` in the pilot folder records what a
 * later command needs (ports, peer IDs, tokens: it is a test network; the
 * file is mode 0600).
 */
import { spawn, spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { customsWebRoot, initNodeFolder } from '@cites/node'
import { ISO_COUNTRIES } from '@cites/permit'
import { addAuthority, createTrustList, signTrustList } from '@cites/trust-list'
import { generateSigningIdentity, loadSigner } from '@cites/xml-signature'
import { NodeClient } from './client.js'
import { PilotError } from './errors.js'
import { netnsAvailable, nodeIp, nsName, planFor, setupNetns, teardownNetns, type NetnsPlan } from './netns.js'

export const DEFAULT_PARTIES = ['CH', 'FR', 'CN', 'TH', 'US'] as const
const RUN_NODE = fileURLToPath(new URL('../bin/run-node.js', import.meta.url))
/**
 * The same entry point bundled into one file (scripts/bundle-node.mjs, run
 * ahead of time by scripts/bootstrap.mjs): a node process then starts
 * without resolving and loading ~1,500 module files, which is most of its
 * start-up CPU. Used only while it matches what it was built from.
 */
const RUN_NODE_BUNDLE = fileURLToPath(new URL('../dist/run-node.bundle.mjs', import.meta.url))
const BUNDLE_SCRIPT = fileURLToPath(new URL('../scripts/bundle-node.mjs', import.meta.url))

/**
 * Beside the bundle, `<bundle>.inputs.json` records every file it was built
 * from (the modules rolldown read, the bundling script) and the bundle
 * itself: size, mtime and SHA-256, paths relative to the manifest's folder.
 */
interface BundleManifest {
  version: 1
  files: BundleFile[]
}
interface BundleFile { path: string, size: number, mtimeMs: number, sha256: string }

const manifestPath = (bundle: string): string => `${bundle}.inputs.json`
const sha256 = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex')

function describeFile (base: string, path: string): BundleFile {
  const st = statSync(path)
  return { path: relative(base, path), size: st.size, mtimeMs: st.mtimeMs, sha256: sha256(path) }
}

/** Record what `bundle` was just built from (scripts/bundle-node.mjs calls this after writing it). */
export function writeBundleManifest (bundle: string, inputs: readonly string[]): void {
  const base = dirname(bundle)
  const files = [...new Set([...inputs, bundle])].map((f) => describeFile(base, f))
  const manifest: BundleManifest = { version: 1, files }
  writeFileSync(`${manifestPath(bundle)}.tmp`, JSON.stringify(manifest) + '\n')
  renameSync(`${manifestPath(bundle)}.tmp`, manifestPath(bundle))
}

export type BundleFreshness = { fresh: true } | { fresh: false, why: string }

/**
 * Is `bundle` what bundling its inputs as they are now would give? Each
 * recorded file must still have its recorded content: same size and mtime
 * is taken as unchanged; otherwise its SHA-256 decides (so a `tsc -b` that
 * rewrites identical output does not force a rebuild).
 */
export function bundleFreshness (bundle: string = RUN_NODE_BUNDLE): BundleFreshness {
  if (!existsSync(bundle)) return { fresh: false, why: `${bundle} does not exist` }
  let manifest: BundleManifest
  try {
    manifest = JSON.parse(readFileSync(manifestPath(bundle), 'utf8')) as BundleManifest
  } catch {
    return { fresh: false, why: `${bundle} has no record of its inputs (${manifestPath(bundle)})` }
  }
  if (manifest.version !== 1 || !Array.isArray(manifest.files) || manifest.files.length === 0) return { fresh: false, why: `${manifestPath(bundle)} is not a version 1 record` }
  const base = dirname(bundle)
  for (const f of manifest.files) {
    const path = resolve(base, f.path)
    let size: number
    let mtimeMs: number
    try { ({ size, mtimeMs } = statSync(path)) } catch { return { fresh: false, why: `${path}, bundled into it, is gone` } }
    if (size === f.size && mtimeMs === f.mtimeMs) continue
    if (size !== f.size || sha256(path) !== f.sha256) return { fresh: false, why: `${path} changed since it was bundled` }
  }
  return { fresh: true }
}

export interface EntryPointOptions {
  /** @default dist/run-node.bundle.mjs */
  bundle?: string
  /** @default bin/run-node.js */
  unbundled?: string
  /** Rebuild `bundle` (throws on failure). @default runs scripts/bundle-node.mjs */
  rebuild?: (bundle: string) => void
  progress?: (line: string) => void
}

function runBundleScript (): void {
  const r = spawnSync(process.execPath, [BUNDLE_SCRIPT], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' })
  if (r.error !== undefined) throw r.error
  if (r.status !== 0) throw new Error(`${BUNDLE_SCRIPT} exited ${r.status ?? r.signal}: ${r.stderr.trim().split('\n').slice(-1)[0] ?? ''}`)
}

/**
 * The file each pilot node process runs: the bundle when it matches its
 * inputs; when stale, the bundle rebuilt first; when there is none and it
 * cannot be built (no rolldown in a production install), the unbundled
 * entry, which loads the compiled packages themselves. A stale bundle that
 * cannot be rebuilt is refused (PILOT_BUNDLE_STALE): never run old code.
 * CITES_PILOT_UNBUNDLED=1 always runs the unbundled entry.
 */
export function pilotEntryPoint (o: EntryPointOptions = {}): string {
  const bundle = o.bundle ?? RUN_NODE_BUNDLE
  const unbundled = o.unbundled ?? RUN_NODE
  if (process.env.CITES_PILOT_UNBUNDLED === '1') return unbundled
  const before = bundleFreshness(bundle)
  if (before.fresh) return bundle
  const existed = existsSync(bundle)
  o.progress?.(`${before.why}: bundling the node entry point again`)
  let failure = ''
  try { (o.rebuild ?? runBundleScript)(bundle) } catch (err) { failure = (err as Error).message }
  const after = bundleFreshness(bundle)
  if (after.fresh) return bundle
  if (!existed && !existsSync(bundle)) return unbundled
  throw new PilotError('PILOT_BUNDLE_STALE', `the pilot's node bundle is stale (${before.why}) and rebuilding it failed (${failure !== '' ? failure : after.why}); run \`npm run build\` or set CITES_PILOT_UNBUNDLED=1`)
}

/** The pilot's people at each authority: one account per role (issue 15). */
const PILOT_ACCOUNTS: ReadonlyArray<{ name: string, role: 'admin' | 'issuer' | 'customs' | 'viewer' }> = [
  { name: 'Pilot administrator', role: 'admin' },
  { name: 'Pilot permit officer', role: 'issuer' },
  { name: 'Pilot customs officer', role: 'customs' },
  { name: 'Pilot viewer', role: 'viewer' }
]

export interface PilotNode {
  party: string
  peerId: string
  dir: string
  p2pPort: number
  httpPort: number
  url: string
  /** The personal token of each role's pilot account (a test network: kept in the layout file). */
  tokens: { admin: string, issuer: string, customs: string, viewer: string }
  /** The pseudonymous account IDs behind those tokens. */
  accounts: Array<{ id: string, role: string }>
  /** Netns mode: the node's namespace and address. */
  ns?: string
  ip?: string
}

export interface PilotLayout {
  dir: string
  createdAt: string
  anchorCertificate: string
  nodes: PilotNode[]
  /** Memory ceiling per node process (MiB, V8 old space). */
  nodeMemoryMb: number
  /** Netns mode: the bridge and address plan (absent on loopback). */
  netns?: NetnsPlan
}

export interface PilotUpOptions {
  /** Number of authorities. @default 5 (CH, FR, CN, TH, US) */
  nodes?: number
  /** @default .pilot */
  dir?: string
  /** libp2p ports are base+i, HTTP ports base+1000+i. @default 7100 */
  basePort?: number
  /** V8 old-space ceiling per node (MiB). @default 160 */
  nodeMemoryMb?: number
  /** Progress lines (stderr in the CLI). */
  progress?: (line: string) => void
  /** How long to wait for the mesh. @default 120000 */
  timeoutMs?: number
  /**
   * Each node in its own network namespace, linked to a bridge by a veth
   * (separate hosts; links can be slowed). Falls back to loopback, saying
   * why, when namespaces cannot be made. @default false
   */
  netns?: boolean
}

/** Party codes: the default five, then ISO codes in order. */
export function partiesFor (n: number): string[] {
  if (n < 2 || n > 250) throw new PilotError('PILOT_SIZE', `a pilot needs 2..250 authorities, not ${n}`)
  const out: string[] = [...DEFAULT_PARTIES].slice(0, n)
  for (const c of [...ISO_COUNTRIES].sort()) {
    if (out.length >= n) break
    if (!out.includes(c) && c !== 'EU') out.push(c)
  }
  return out
}

const layoutPath = (dir: string): string => join(dir, 'pilot.json')

export function readLayout (dir: string): PilotLayout {
  const p = layoutPath(resolve(dir))
  if (!existsSync(p)) throw new PilotError('PILOT_NOT_FOUND', `no pilot network in ${dir} (run \`cites pilot up\`)`)
  return JSON.parse(readFileSync(p, 'utf8')) as PilotLayout
}

function writeLayout (l: PilotLayout): void {
  const p = layoutPath(l.dir)
  writeFileSync(`${p}.tmp`, JSON.stringify(l, null, 2) + '\n', { mode: 0o600 })
  renameSync(`${p}.tmp`, p)
}

/** Generate the anchor, the authorities, their configs and the signed trust list. */
export async function generatePilot (o: PilotUpOptions = {}): Promise<PilotLayout> {
  const dir = resolve(o.dir ?? '.pilot')
  const n = o.nodes ?? 5
  const base = o.basePort ?? 7100
  const say = o.progress ?? (() => {})
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(join(dir, 'anchor'), { recursive: true })
  // Everything is valid from a little while ago, so a permit issued now is inside every grant.
  const t0 = new Date(Date.now() - 3600_000)
  const anchorId = await generateSigningIdentity({ commonName: 'Pilot task-force anchor', ca: true, notBefore: t0 })
  writeFileSync(join(dir, 'anchor', 'key.pem'), anchorId.privateKeyPem, { mode: 0o600 })
  writeFileSync(join(dir, 'anchor', 'cert.pem'), anchorId.certificatePem)
  const parties = partiesFor(n)
  let plan: NetnsPlan | undefined
  if (o.netns === true) {
    const can = netnsAvailable()
    if (can.ok) plan = planFor(dir)
    else say(`--netns: network namespaces cannot be made here (${can.why ?? '?'}); every node runs on loopback instead`)
  }
  say(`generating ${n} authorities (${parties.slice(0, 8).join(', ')}${n > 8 ? ', …' : ''})${plan !== undefined ? `, each in its own network namespace on ${plan.prefix}.0/24` : ''}`)
  const nodes: PilotNode[] = []
  let tl = createTrustList({ now: t0, operator: 'Pilot task force' })
  for (const [i, party] of parties.entries()) {
    const nodeDir = join(dir, 'nodes', party)
    // On loopback the nodes share one address and differ by port; in netns
    // mode each is its own host with the same ports.
    const host = plan !== undefined ? nodeIp(plan, i) : '127.0.0.1'
    const p2pPort = plan !== undefined ? 7001 : base + i
    const httpPort = plan !== undefined ? 8080 : base + 1000 + i
    // No passphrase: a pilot's keys are plain files and its configs set
    // keys.allowPlainKeys: true (initNodeFolder's default without one), so
    // `npm start` needs no secret. Production nodes encrypt (issue 15 §5).
    const made = await initNodeFolder({
      party, dir: nodeDir, listen: [`/ip4/${host}/tcp/${p2pPort}`], httpHost: host, httpPort, name: `Management Authority of ${party} (pilot)`,
      provisionalAllow: true, sharedHost: plan === undefined, faultInjection: true, rateLimitPerMinute: 1_000_000, notBefore: t0,
      // Every node checks every other authority's documents, and here they
      // all share one machine: split a budget of 20 checks a second (about
      // 5% of a core) between them.
      permitChecksPerSecond: Math.round(2000 / n) / 100,
      // One personal account per role at each authority (issue 15); their tokens are printed by `npm start`.
      accounts: PILOT_ACCOUNTS.map((a) => ({ name: `${a.name} (${party})`, role: a.role }))
    })
    tl = addAuthority(tl, { party, name: `Management Authority of ${party} (pilot)`, role: 'management-authority', peerId: made.peerId, addresses: [`/ip4/${host}/tcp/${p2pPort}`], certificate: made.certificatePem, at: t0 })
    nodes.push({ party, peerId: made.peerId, dir: nodeDir, p2pPort, httpPort, url: `http://${host}:${httpPort}`, tokens: { admin: made.tokens.admin as string, issuer: made.tokens.issuer as string, customs: made.tokens.customs as string, viewer: made.tokens.viewer as string }, accounts: made.accounts.map(({ id, role }) => ({ id, role })), ...(plan !== undefined ? { ns: nsName(plan, i), ip: host } : {}) })
  }
  const signed = await signTrustList(tl, await loadSigner(anchorId.privateKeyPem, anchorId.certificatePem), { now: t0, validDays: 365 })
  writeFileSync(join(dir, 'trust-list.xml'), signed.xml)
  for (const node of nodes) {
    writeFileSync(join(node.dir, 'anchor.pem'), anchorId.certificatePem)
    writeFileSync(join(node.dir, 'trust-list.xml'), signed.xml)
  }
  const layout: PilotLayout = { dir, createdAt: new Date().toISOString(), anchorCertificate: join(dir, 'anchor', 'cert.pem'), nodes, nodeMemoryMb: o.nodeMemoryMb ?? 160, ...(plan !== undefined ? { netns: plan } : {}) }
  if (plan !== undefined) setupNetns(plan, nodes.length)
  writeLayout(layout)
  return layout
}

const pidPath = (node: PilotNode): string => join(node.dir, 'node.pid')

/** Is the process alive? A zombie (exited, not yet reaped by its parent) is not. */
function alive (pid: number): boolean {
  try { process.kill(pid, 0) } catch { return false }
  try {
    // Linux: the state is the field after the parenthesised command name.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z'
  } catch {
    return true
  }
}

export function nodePid (node: PilotNode): number | undefined {
  try {
    const pid = Number(readFileSync(pidPath(node), 'utf8').trim())
    return alive(pid) ? pid : undefined
  } catch {
    return undefined
  }
}

/** Start one node as a detached process (logs in its folder). Resolves when its HTTP API answers. */
export async function startNodeProcess (layout: PilotLayout, node: PilotNode, timeoutMs = 180_000): Promise<number> {
  if (nodePid(node) !== undefined) throw new PilotError('NODE_RUNNING', `${node.party}'s node is already running`)
  const log = openSync(join(node.dir, 'node.log'), 'a')
  // CITES_PILOT_NODE_ARGS: extra Node.js flags for every node (e.g. --cpu-prof to profile a pilot).
  const extra = (process.env.CITES_PILOT_NODE_ARGS ?? '').split(' ').filter((a) => a !== '')
  const webRoot = customsWebRoot()
  const argv = [`--max-old-space-size=${layout.nodeMemoryMb}`, ...extra, pilotEntryPoint(), node.dir]
  // In netns mode `ip netns exec` execs node inside the namespace (same pid).
  const child = spawn(node.ns !== undefined ? 'ip' : process.execPath, node.ns !== undefined ? ['netns', 'exec', node.ns, process.execPath, ...argv] : argv, {
    detached: true, stdio: ['ignore', log, log], env: { ...process.env, ...(webRoot !== undefined ? { CITES_WEB_ROOT: webRoot } : {}) }
  })
  closeSync(log)
  if (child.pid === undefined) throw new PilotError('NODE_START_FAILED', `${node.party}'s node did not start`)
  writeFileSync(pidPath(node), `${child.pid}\n`)
  child.unref()
  const client = new NodeClient(node)
  const end = Date.now() + timeoutMs
  for (;;) {
    if (await client.health().then(() => true, () => false)) return child.pid
    if (nodePid(node) === undefined) throw new PilotError('NODE_START_FAILED', `${node.party}'s node exited; see ${join(node.dir, 'node.log')}`)
    if (Date.now() > end) throw new PilotError('NODE_START_FAILED', `${node.party}'s node did not answer within ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 150))
  }
}

/** Stop one node: SIGTERM, then SIGKILL after `graceMs`. */
export async function stopNodeProcess (node: PilotNode, graceMs = 10_000, signal: NodeJS.Signals = 'SIGTERM'): Promise<boolean> {
  const pid = nodePid(node)
  if (pid === undefined) return false
  try { process.kill(pid, signal) } catch { return false }
  const end = Date.now() + graceMs
  while (Date.now() < end && alive(pid)) await new Promise((resolve) => setTimeout(resolve, 50))
  try { process.kill(pid, 'SIGKILL') } catch { /* gone */ }
  rmSync(pidPath(node), { force: true })
  return true
}

/** Until every live node has a connection to every other live node. */
export async function waitForMesh (layout: PilotLayout, o: { timeoutMs?: number, progress?: (line: string) => void, live?: readonly string[] } = {}): Promise<number> {
  const live = layout.nodes.filter((n) => o.live === undefined || o.live.includes(n.party))
  const t0 = Date.now()
  let last = -1
  for (;;) {
    const peers = await Promise.all(live.map(async (n) => await new NodeClient(n).health().then((h) => h.peers, () => -1)))
    const full = peers.filter((p) => p >= live.length - 1).length
    if (full !== last) { o.progress?.(`mesh: ${full}/${live.length} nodes connected to every other`); last = full }
    if (full === live.length) return Date.now() - t0
    if (Date.now() - t0 > (o.timeoutMs ?? 120_000)) throw new PilotError('MESH_TIMEOUT', `the mesh did not form: ${full}/${live.length} nodes fully connected`)
    // Polling every node costs them CPU while they connect: not too often.
    await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 100 + 10 * live.length)))
  }
}

export interface PilotUpResult { layout: PilotLayout, formedMs: number, startedMs: number }

/** Generate (unless `reuse`) and start a pilot network; resolves once the mesh is formed. */
export async function pilotUp (o: PilotUpOptions & { reuse?: boolean } = {}): Promise<PilotUpResult> {
  const say = o.progress ?? (() => {})
  const t0 = Date.now()
  const layout = o.reuse === true && existsSync(layoutPath(resolve(o.dir ?? '.pilot'))) ? readLayout(o.dir ?? '.pilot') : await generatePilot(o)
  // Checked (and rebuilt if stale) once here, before nodes start in parallel.
  pilotEntryPoint({ progress: say })
  say(`starting ${layout.nodes.length} nodes`)
  let started = 0
  // A few at a time: module loading is CPU-bound, and two cores are shared.
  const queue = layout.nodes.filter((n) => nodePid(n) === undefined)
  try {
    await Promise.all(Array.from({ length: 4 }, async () => {
      for (let n = queue.shift(); n !== undefined; n = queue.shift()) {
        await startNodeProcess(layout, n)
        started++
        if (started % Math.max(1, Math.floor(layout.nodes.length / 8)) === 0 || started === layout.nodes.length) say(`nodes started: ${started}/${layout.nodes.length}`)
      }
    }))
    const startedMs = Date.now() - t0
    await waitForMesh(layout, { ...(o.timeoutMs !== undefined ? { timeoutMs: o.timeoutMs } : {}), progress: say })
    return { layout, formedMs: Date.now() - t0, startedMs }
  } catch (err) {
    // Leave nothing half up: stop what started (the logs stay in the folder).
    say(`${(err as Error).message}; stopping the nodes that started (logs: ${join(layout.dir, 'nodes', '*', 'node.log')})`)
    await pilotDown(layout.dir).catch(() => {})
    throw err
  }
}

export async function pilotDown (dir = '.pilot'): Promise<string[]> {
  const layout = readLayout(dir)
  const stopped: string[] = []
  await Promise.all(layout.nodes.map(async (n) => { if (await stopNodeProcess(n)) stopped.push(n.party) }))
  if (layout.netns !== undefined) teardownNetns(layout.netns, layout.nodes.length)
  return stopped.sort()
}

export interface NodeReport {
  party: string
  running: boolean
  url: string
  peers?: number
  logs?: Record<string, number>
  deliveries?: Record<string, number>
  openClaims?: number
  alerts?: number
}

export async function pilotStatus (dir = '.pilot'): Promise<NodeReport[]> {
  const layout = readLayout(dir)
  return await Promise.all(layout.nodes.map(async (n) => {
    const running = nodePid(n) !== undefined
    if (!running) return { party: n.party, running, url: n.url }
    try {
      const s = await new NodeClient(n).status()
      return { party: n.party, running, url: n.url, peers: s.peers.length, logs: s.logs, deliveries: s.deliveries, openClaims: s.openClaims, alerts: s.alerts }
    } catch {
      return { party: n.party, running, url: n.url }
    }
  }))
}
