/**
 * Faults injected into a running pilot: kill (SIGKILL) and restart a node's
 * process, partition a node from others through the gaters (both sides), heal.
 * A slow link needs network namespaces (tc netem), which this pilot does not
 * create: `slow` says so rather than pretend.
 */
import { NodeClient } from './client.js'
import { PilotError } from './errors.js'
import { nodePid, startNodeProcess, stopNodeProcess, type PilotLayout, type PilotNode } from './pilot.js'

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

/** Undo every partition on every running node. */
export async function healAll (layout: PilotLayout): Promise<void> {
  await Promise.all(layout.nodes.filter((n) => nodePid(n) !== undefined).map(async (n) => {
    const r = await new NodeClient(n).request('POST', '/v1/admin/heal', { role: 'issuer' })
    if (r.status !== 200) throw new PilotError('FAULT_REFUSED', `${n.party} refused to heal: ${r.status}`)
  }))
}

export function slowLink (_layout: PilotLayout, party: string): never {
  throw new PilotError('NETNS_REQUIRED', `a slow link for ${party} needs tc netem on a veth in a network namespace; this pilot runs every node on loopback (use kill, restart, partition and heal)`)
}
