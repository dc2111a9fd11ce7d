import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

export const BIN = fileURLToPath(new URL('../bin/cites.js', import.meta.url))

export interface Run { code: number, out: string, err: string }

/** Run the real `cites` binary, as a user would. */
export function cites (cwd: string, ...args: string[]): Run {
  return citesWithInput(cwd, '', ...args)
}

/** Run `cites` with `input` piped to its stdin. */
export function citesWithInput (cwd: string, input: string, ...args: string[]): Run {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, input, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } })
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr }
}

/** `{check name: "STATUS CODE"}` from a `--json` verdict, for compact assertions. */
export function checkCodes (verdictJson: string): Record<string, string> {
  const v = JSON.parse(verdictJson) as { checks: Array<{ name: string, status: string, reason: { code: string } }> }
  return Object.fromEntries(v.checks.map((c) => [c.name, `${c.status} ${c.reason.code}`]))
}
