/**
 * Faults injected into a running pilot: kill (SIGKILL) and restart a node's
 * process, partition a node from others through the gaters (both sides),
 * slow a node's link with tc netem (netns mode only), heal.
 */
import { NodeClient } from './client.js'
import { PilotError } from './errors.js'
import { nodePid, startNodeProcess, stopNodeProcess, type PilotLayout, type PilotNode } from './pilot.js'
import { setLinkDelay } from './netns.js'

function nodeOf (layout: PilotLayout, party: string): PilotNode {
  const n = layout.nodes.find((x) => x.party === party)
  if (n === undefined) throw new PilotError('PARTY_NOT_IN_PILOT', `${party} is not in this pilot (${layout.nodes.map((x) => x.party).join(', ')})`)
  return n
}

/** SIGKILL the node's process: no shutdown, as a crash or a power cut. */
export async function killNode (layout: PilotLayout, party: string): Promise<void> {
  const n = nodeOf(layout, party)
  if (nodePid(n) === undefined) throw new PilotError('NODE_NOT_RUNNING', `${party}'s node is not running`)
  await stopNodeProcess(n, 5000, 'SIGKILL')
}

/** Start a stopped or killed node again on its data. */
export async function restartNode (layout: PilotLayout, party: string): Promise<void> {
  await startNodeProcess(layout, nodeOf(layout, party))
}

/** Cut `party` off from `from` (default: every other node), on both sides. */
export async function partitionNode (layout: PilotLayout, party: string, from?: readonly string[]): Promise<void> {
  const others = from ?? layout.nodes.map((n) => n.party).filter((p) => p !== party)
  const call = async (p: string, parties: readonly string[]): Promise<void> => {
    const r = await new NodeClient(nodeOf(layout, p)).request('POST', '/v1/admin/partition', { role: 'issuer', body: { parties } })
    if (r.status !== 200) throw new PilotError('FAULT_REFUSED', `${p} refused the partition: ${r.status} ${JSON.stringify(r.body)}`)
  }
  await call(party, others)
  await Promise.all(others.map(async (p) => { if (nodePid(nodeOf(layout, p)) !== undefined) await call(p, [party]) }))
}

/** Undo every partition on every running node, and every slowed link. */
export async function healAll (layout: PilotLayout): Promise<void> {
  if (layout.netns !== undefined) for (let i = 0; i < layout.nodes.length; i++) setLinkDelay(layout.netns, i, undefined)
  await Promise.all(layout.nodes.filter((n) => nodePid(n) !== undefined).map(async (n) => {
    const r = await new NodeClient(n).request('POST', '/v1/admin/heal', { role: 'issuer' })
    if (r.status !== 200) throw new PilotError('FAULT_REFUSED', `${n.party} refused to heal: ${r.status}`)
  }))
}

/** Delay every packet of `party`'s link by `delayMs` (± 10%), with tc netem on its veth (tbf where the kernel lacks netem). Netns mode only. Says what it did. */
export function slowLink (layout: PilotLayout, party: string, delayMs = 200): string {
  const i = layout.nodes.findIndex((n) => n.party === party)
  if (i < 0) throw new PilotError('PARTY_NOT_IN_PILOT', `${party} is not in this pilot`)
  if (layout.netns === undefined) throw new PilotError('NETNS_REQUIRED', `a slow link for ${party} needs tc netem on a veth in a network namespace; this pilot runs on loopback (start it with \`pilot up --netns\`)`)
  return setLinkDelay(layout.netns, i, delayMs)
}
