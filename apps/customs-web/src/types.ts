/** What the page reads from the node's HTTP API (the shapes it relies on). */
export interface Check { name: string, status: 'VALID' | 'INVALID' | 'ERROR' | 'SKIPPED', reason: { code: string, message: string }, details?: Array<{ code: string, message: string }> }
export interface Line {
  line: string, scientificName?: string, commonName?: string, description?: string, term?: string, appendix?: string, source?: string,
  quantity?: number, unit?: string, originCountry?: string, exportCountry?: string, marks?: string, exportedQuantity?: number, exportedUnit?: string
}
export interface LineQty { line: string, quantity: number, unit: string }
export interface Receipt { consumedAt: string, port: string, consumingParty?: string, lines?: LineQty[] }
export interface Verdict {
  valid: boolean
  checks: Check[]
  party: string
  number: string
  source: 'issuer' | 'replica' | 'none'
  state?: { xmlSha256?: string, destination?: string, status?: string, validUntil?: number, endorsement?: { lines: LineQty[], port: string }, consumption?: Receipt, lines?: Array<{ line: string, quantity: number, unit: string }> }
  permit?: { number: string, type: string, validFrom?: string, validUntil?: string, purpose?: string, exporter?: { name?: string, country?: string }, importer?: { name?: string, country?: string }, lines: Line[] }
  history?: Array<{ seq: number, type: string, time: string, body: Record<string, unknown> }>
  receipt?: Receipt
  claims?: Array<{ port: string, time: number, claimant: string }>
}
export interface Problem { code: string, detail?: string, receipt?: Receipt }
export interface Whoami { role: 'viewer' | 'customs' | 'issuer', party: string, ports: Array<{ locode: string, name: string }>, portsListed: boolean, peers: { connected: string[], unreachable: string[] } }
