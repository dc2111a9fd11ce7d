/**
 * Netns mode (`cites pilot up --netns`): each node in its own Linux network
 * namespace with a veth link to a bridge in the host namespace, so the nodes
 * are separate hosts on a private /24 (10.N.0.0, one per pilot folder), and
 * links can be slowed with `tc netem`. Needs root and iproute2; when a
 * namespace cannot be made, the caller falls back to loopback with a message.
 */
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { PilotError } from './errors.js'

export interface NetnsPlan {
  /** Short tag of this pilot (from its folder), in every interface name. */
  tag: string
  bridge: string
  /** Host-side address on the bridge. */
  hostIp: string
  /** First three octets of the pilot's /24. */
  prefix: string
}

const ip = (args: string[]): string => execFileSync('ip', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })

export function planFor (dir: string): NetnsPlan {
  const h = createHash('sha256').update(dir).digest()
  const tag = h.toString('hex').slice(0, 4)
  const prefix = `10.${200 + ((h[2] ?? 0) % 50)}.${h[3] ?? 0}`
  return { tag, bridge: `cb${tag}`, hostIp: `${prefix}.1`, prefix }
}

export const nsName = (plan: NetnsPlan, i: number): string => `cp${plan.tag}n${i}`
export const nodeIp = (plan: NetnsPlan, i: number): string => `${plan.prefix}.${i + 2}`

/** Can this process make network namespaces here? */
export function netnsAvailable (): { ok: boolean, why?: string } {
  const probe = `cites-probe-${process.pid}`
  try {
    ip(['netns', 'add', probe])
    ip(['netns', 'del', probe])
    return { ok: true }
  } catch (err) {
    return { ok: false, why: ((err as { stderr?: string }).stderr ?? (err as Error).message).trim().split('\n')[0] ?? 'ip netns failed' }
  }
}

/** Make the bridge, and for each of `n` nodes a namespace with a veth to the bridge and its address. */
export function setupNetns (plan: NetnsPlan, n: number): void {
  if (n > 250) throw new PilotError('PILOT_SIZE', 'netns mode gives each pilot one /24: at most 250 nodes')
  teardownNetns(plan, n)
  try {
    ip(['link', 'add', plan.bridge, 'type', 'bridge'])
    ip(['addr', 'add', `${plan.hostIp}/24`, 'dev', plan.bridge])
    ip(['link', 'set', plan.bridge, 'up'])
    for (let i = 0; i < n; i++) {
      const ns = nsName(plan, i)
      const host = `vh${plan.tag}${i}`
      ip(['netns', 'add', ns])
      ip(['link', 'add', host, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns])
      ip(['link', 'set', host, 'master', plan.bridge])
      ip(['link', 'set', host, 'up'])
      ip(['-n', ns, 'addr', 'add', `${nodeIp(plan, i)}/24`, 'dev', 'eth0'])
      ip(['-n', ns, 'link', 'set', 'eth0', 'up'])
      ip(['-n', ns, 'link', 'set', 'lo', 'up'])
    }
  } catch (err) {
    teardownNetns(plan, n)
    throw new PilotError('NETNS_FAILED', `could not make the namespaces: ${((err as { stderr?: string }).stderr ?? (err as Error).message).trim()}`)
  }
}

/** Remove what setupNetns made (deleting a namespace removes its veth pair). Never throws. */
export function teardownNetns (plan: NetnsPlan, n: number): void {
  for (let i = 0; i < n; i++) { try { ip(['netns', 'del', nsName(plan, i)]) } catch { /* not there */ } }
  try { ip(['link', 'del', plan.bridge]) } catch { /* not there */ }
}

/**
 * Slow a node's link (its veth's egress): tc netem delay ± 10%. Kernels
 * without sch_netem (some VMs) get a token-bucket rate limit instead (tbf,
 * 256 kbit/s with `delayMs` of queueing), and the answer says which. `undefined` removes it.
 */
export function setLinkDelay (plan: NetnsPlan, i: number, delayMs: number | undefined): string {
  const ns = nsName(plan, i)
  const tc = (args: string[]): void => { execFileSync('ip', ['netns', 'exec', ns, 'tc', ...args], { stdio: ['ignore', 'pipe', 'pipe'] }) }
  try { tc(['qdisc', 'del', 'dev', 'eth0', 'root']) } catch { /* none yet */ }
  if (delayMs === undefined) return 'link restored'
  const why = (err: unknown): string => ((err as { stderr?: Buffer }).stderr?.toString() ?? (err as Error).message).trim()
  try {
    tc(['qdisc', 'add', 'dev', 'eth0', 'root', 'netem', 'delay', `${delayMs}ms`, `${Math.max(1, Math.round(delayMs / 10))}ms`])
    return `netem delay ${delayMs} ms ± 10%`
  } catch (err) {
    if (!/qdisc kind is unknown/i.test(why(err))) throw new PilotError('NETEM_FAILED', `tc netem failed: ${why(err)}`)
  }
  try {
    tc(['qdisc', 'add', 'dev', 'eth0', 'root', 'tbf', 'rate', '256kbit', 'burst', '16kbit', 'latency', `${delayMs}ms`])
    return `this kernel has no netem: rate-limited to 256 kbit/s (tbf, up to ${delayMs} ms queueing)`
  } catch (err) {
    throw new PilotError('NETEM_FAILED', `neither tc netem nor tbf works here: ${why(err)}`)
  }
}
