/** A small client of one node's HTTP API, with its role tokens. */
import type { PilotNode } from './pilot.js'

export interface Answer<T = Record<string, unknown>> { status: number, body: T }
type Role = 'issuer' | 'customs' | 'viewer'

export class NodeClient {
  readonly node: Pick<PilotNode, 'party' | 'url' | 'tokens'>
  constructor (node: Pick<PilotNode, 'party' | 'url' | 'tokens'>) {
    this.node = node
  }

  async request<T = Record<string, unknown>> (method: 'GET' | 'POST', path: string, o: { role?: Role, body?: unknown, xml?: string, accept?: string, timeoutMs?: number } = {}): Promise<Answer<T>> {
    const headers: Record<string, string> = {}
    if (o.role !== undefined) headers.authorization = `Bearer ${this.node.tokens[o.role]}`
    if (o.accept !== undefined) headers.accept = o.accept
    let body: string | undefined
    if (o.xml !== undefined) { headers['content-type'] = 'application/xml'; body = o.xml } else if (o.body !== undefined) { headers['content-type'] = 'application/json'; body = JSON.stringify(o.body) }
    const res = await fetch(`${this.node.url}${path}`, { method, headers, ...(body !== undefined ? { body } : {}), signal: AbortSignal.timeout(o.timeoutMs ?? 30_000) })
    const text = await res.text()
    let parsed: unknown = text
    if ((res.headers.get('content-type') ?? '').includes('json')) parsed = JSON.parse(text)
    return { status: res.status, body: parsed as T }
  }

  async health (): Promise<{ status: string, party: string, peers: number }> {
    const r = await this.request<{ status: string, party: string, peers: number }>('GET', '/health', { timeoutMs: 2000 })
    if (r.status !== 200) throw new Error(`health ${r.status}`)
    return r.body
  }

  async status (): Promise<{ peers: string[], logs: Record<string, number>, deliveries: Record<string, number>, openClaims: number, alerts: number }> {
    return (await this.request<{ peers: string[], logs: Record<string, number>, deliveries: Record<string, number>, openClaims: number, alerts: number }>('GET', '/v1/status', { role: 'viewer' })).body
  }
}
