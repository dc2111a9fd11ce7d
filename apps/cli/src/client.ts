/**
 * The CLI's client of a running node's HTTP API: one bearer token, JSON in
 * and out, and the node's problem answers turned into CLI errors with the
 * node's own code. Exit codes as for `verify` and `consume`: 0 done; 1
 * refused by the node's rules (4xx problems other than a malformed request,
 * and 5xx); 2 usage, input, token or role errors.
 */
import { CliError, EXIT_INVALID, EXIT_USAGE } from './io.js'

export interface NodeAnswer { status: number, body: Record<string, unknown> }

/** The problem fields an answer may carry (problem+json with the stable code). */
export interface Problem { code?: string, detail?: string, problems?: Array<{ code: string, message: string, box?: string, line?: string, severity?: string }>, receipt?: { consumedAt: string, port: string, consumingParty: string } }

/** "CH/26CH000123" or "XA/2026/000123": the party is the part before the first slash. */
export function parsePermitId (id: string): { party: string, number: string } {
  const m = /^([A-Za-z]{2})\/(.{1,64})$/.exec(id.trim())
  if (m === null) throw new CliError('USAGE', `"${id}" is not PARTY/NUMBER, e.g. CH/26CH000123`)
  return { party: (m[1] as string).toUpperCase(), number: m[2] as string }
}

/** The node's route for one permit. */
export const permitPath = (party: string, number: string, tail = ''): string => `/v1/permits/${party}/${encodeURIComponent(number)}${tail}`

/**
 * Call the node. `body`: a value sent as JSON, or a string sent as
 * application/xml; none for a GET. 401 and 403 are the caller's token or
 * role: thrown as usage errors (exit 2) with the node's code.
 */
export async function callNode (url: string, token: string, path: string, body?: unknown, method: 'GET' | 'POST' = body === undefined ? 'GET' : 'POST'): Promise<NodeAnswer> {
  const headers: Record<string, string> = { authorization: `Bearer ${token}` }
  let payload: string | undefined
  if (typeof body === 'string') { headers['content-type'] = 'application/xml'; payload = body } else if (body !== undefined) { headers['content-type'] = 'application/json'; payload = JSON.stringify(body) }
  let res: Response
  try {
    res = await fetch(new URL(path, url), { method, headers, ...(payload !== undefined ? { body: payload } : {}), signal: AbortSignal.timeout(30_000) })
  } catch (err) {
    throw new CliError('NODE_UNREACHABLE', `cannot reach the node at ${url}: ${(err as Error).cause !== undefined ? String((err as { cause: Error }).cause.message) : (err as Error).message}`)
  }
  const type = res.headers.get('content-type') ?? ''
  if (res.ok && !type.includes('json')) return { status: res.status, body: { text: await res.text() } }
  let parsed: Record<string, unknown>
  try { parsed = await res.json() as Record<string, unknown> } catch { throw new CliError('NODE_ANSWER_INVALID', `the node answered ${res.status} without JSON`) }
  if (res.status === 401 || res.status === 403) throw new CliError(String(parsed.code ?? 'FORBIDDEN'), String(parsed.detail ?? 'not allowed'))
  return { status: res.status, body: parsed }
}

/**
 * A refusal as a CLI error: a malformed request (400, 413, 415) is a usage
 * error (exit 2); anything else the node refused is exit 1, with the
 * problems (or receipt) as details for `--json`.
 */
export function refusal (r: NodeAnswer): CliError {
  const p = r.body as Problem
  const code = p.code ?? (r.status >= 500 ? 'NODE_ERROR' : 'REFUSED')
  const detail = p.detail ?? `the node answered ${r.status}`
  if (r.status === 400 || r.status === 413 || r.status === 415) return new CliError(code, detail, EXIT_USAGE, p.problems)
  const details = p.problems !== undefined ? { problems: p.problems } : p.receipt !== undefined ? { receipt: p.receipt } : {}
  return new CliError(code, detail, EXIT_INVALID, details)
}
