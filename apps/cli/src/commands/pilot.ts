/** `cites pilot up|down|status|scenario|fault|campaign`: the task force's pilot network on one machine. */
import { Option, type Command } from 'commander'
import { SCENARIOS, checkInvariants, runCampaign, healAll, killNode, partitionNode, pilotDown, pilotStatus, pilotUp, readLayout, restartNode, slowLink, PilotError } from '@cites/test-network'
import { CliError, EXIT_INVALID, json, type Io } from '../io.js'
import { positiveInt } from './options.js'

const wrap = async <T>(fn: () => Promise<T>): Promise<T> => {
  try {
    return await fn()
  } catch (err) {
    if (err instanceof PilotError) throw new CliError(err.code, err.message, err.code === 'STEP_FAILED' ? EXIT_INVALID : 2)
    throw err
  }
}

export function pilotCommand (program: Command, io: Io): void {
  const pilot = program.command('pilot').description('the task force\'s pilot network: N authorities\' nodes on this machine')

  pilot.command('up')
    .description('generate an anchor and N authorities, start each node as its own process, wait for the mesh')
    .option('--nodes <n>', 'number of authorities (CH, FR, CN, TH, US, then more)', positiveInt, 5)
    .option('--dir <dir>', 'pilot folder', '.pilot')
    // The same variable `npm start` honours (issue 16, finding 7).
    .addOption(new Option('--base-port <port>', 'libp2p ports base..base+N-1, HTTP ports base+1000..').env('CITES_PILOT_BASE_PORT').argParser(positiveInt).default(7100))
    .option('--node-memory <mib>', 'V8 heap ceiling per node process (MiB)', positiveInt, 160)
    .option('--netns', 'run each node in its own network namespace')
    .option('--json', 'print {dir, nodes: [{party, peerId, url, accounts, tokens}]} once ready')
    .action(async (o: { nodes: number, dir: string, basePort: number, nodeMemory: number, netns?: boolean, json?: boolean }) => {
      const say = (line: string): void => { io.err(`[pilot] ${line}\n`) }
      const r = await wrap(async () => await pilotUp({ nodes: o.nodes, dir: o.dir, basePort: o.basePort, nodeMemoryMb: o.nodeMemory, progress: say, netns: o.netns === true }))
      const nodes = r.layout.nodes.map((n) => ({ party: n.party, peerId: n.peerId, url: n.url, accounts: n.accounts, tokens: n.tokens }))
      if (o.json === true) { json(io, { dir: r.layout.dir, formedMs: r.formedMs, nodes }); return }
      io.out(`\npilot network of ${nodes.length} authorities ready in ${(r.formedMs / 1000).toFixed(1)} s (${r.layout.dir})\n\n`)
      io.out(`${'party'.padEnd(6)}${'customs page'.padEnd(26)}${'issuer token'.padEnd(40)}${'customs token'.padEnd(40)}viewer token\n`)
      for (const n of nodes) io.out(`${n.party.padEnd(6)}${(n.url + '/').padEnd(26)}${n.tokens.issuer.padEnd(40)}${n.tokens.customs.padEnd(40)}${n.tokens.viewer}\n`)
      io.out('\nstop it with: cites pilot down' + (o.dir !== '.pilot' ? ` --dir ${o.dir}` : '') + '\n')
    })

  pilot.command('down')
    .description('stop every node of the pilot (SIGTERM, then SIGKILL)')
    .option('--dir <dir>', 'pilot folder', '.pilot')
    .option('--json', 'print {stopped}')
    .action(async (o: { dir: string, json?: boolean }) => {
      const stopped = await wrap(async () => await pilotDown(o.dir))
      if (o.json === true) json(io, { stopped })
      else io.out(`stopped ${stopped.length} node(s)${stopped.length > 0 ? `: ${stopped.join(', ')}` : ''}\n`)
    })

  pilot.command('status')
    .description('peers, log sizes, delivery states and alerts of every node')
    .option('--dir <dir>', 'pilot folder', '.pilot')
    .option('--json', 'print the reports as JSON')
    .action(async (o: { dir: string, json?: boolean }) => {
      const reports = await wrap(async () => await pilotStatus(o.dir))
      if (o.json === true) { json(io, reports); return }
      io.out(`${'party'.padEnd(6)}${'state'.padEnd(9)}${'peers'.padEnd(7)}${'events held'.padEnd(13)}${'deliveries (p/d/f)'.padEnd(20)}${'open claims'.padEnd(13)}alerts\n`)
      for (const r of reports) {
        const events = r.logs === undefined ? '-' : String(Object.values(r.logs).reduce((a, b) => a + b, 0))
        const d = r.deliveries === undefined ? '-' : `${r.deliveries.pending ?? 0}/${r.deliveries.delivered ?? 0}/${r.deliveries.failed ?? 0}`
        io.out(`${r.party.padEnd(6)}${(r.running ? 'up' : 'down').padEnd(9)}${String(r.peers ?? '-').padEnd(7)}${events.padEnd(13)}${d.padEnd(20)}${String(r.openClaims ?? '-').padEnd(13)}${r.alerts ?? '-'}\n`)
      }
    })

  pilot.command('scenario')
    .description(`run a scenario against the running pilot (${Object.keys(SCENARIOS).join(', ')}), then check the invariants`)
    .argument('<name>', 'scenario name')
    .option('--dir <dir>', 'pilot folder', '.pilot')
    .option('--json', 'print the steps and invariants as JSON')
    .action(async (name: string, o: { dir: string, json?: boolean }) => {
      const run = SCENARIOS[name]
      if (run === undefined) throw new CliError('USAGE', `no scenario "${name}"; choose ${Object.keys(SCENARIOS).join(', ')}`)
      const r = await wrap(async () => await run(readLayout(o.dir), o.json === true ? () => {} : (line) => { io.out(`${line}\n`) }))
      if (o.json === true) json(io, r)
      if (!r.ok) throw new CliError('SCENARIO_FAILED', `scenario ${name} failed`, EXIT_INVALID, r.steps.filter((s) => !s.ok))
    })

  pilot.command('fault')
    .description('inject a fault: kill|restart <party>, partition <party> [--from A,B], heal, slow <party>; then check the invariants')
    .argument('<kind>', 'kill, restart, partition, heal or slow')
    .argument('[party]', 'the authority')
    .option('--from <parties>', 'partition only from these (comma-separated); default: from all')
    .option('--delay <ms>', 'slow: added delay per packet (ms)', positiveInt, 200)
    .option('--dir <dir>', 'pilot folder', '.pilot')
    .option('--json', 'print the invariants as JSON')
    .action(async (kind: string, party: string | undefined, o: { from?: string, delay: number, dir: string, json?: boolean }) => {
      const layout = readLayout(o.dir)
      const need = (): string => { if (party === undefined) throw new CliError('USAGE', `fault ${kind} needs a party`); return party.toUpperCase() }
      await wrap(async () => {
        if (kind === 'kill') await killNode(layout, need())
        else if (kind === 'restart') await restartNode(layout, need())
        else if (kind === 'partition') await partitionNode(layout, need(), o.from?.split(',').map((p) => p.trim().toUpperCase()))
        else if (kind === 'heal') await healAll(layout)
        else if (kind === 'slow') io.err(`[pilot] ${slowLink(layout, need(), o.delay)}\n`)
        else throw new CliError('USAGE', `no fault "${kind}"; use kill, restart, partition, heal or slow`)
      })
      const inv = await checkInvariants(layout)
      if (o.json === true) json(io, { fault: kind, party, invariants: inv })
      else io.out(`${kind}${party !== undefined ? ` ${party}` : ''}: done\ninvariants: ${inv.lines.join('; ')}\n`)
    })

  pilot.command('campaign')
    .description('random kill, restart and partition schedules for a bounded time, with permits issued and used throughout; the invariants after every run; counts at the end')
    .option('--duration <s>', 'stop starting runs after this many seconds', positiveInt, 120)
    .option('--seed <n>', 'seed of the schedule (printed; the same seed gives the same schedule)', positiveInt)
    .option('--permits <n>', 'permits issued per run', positiveInt, 4)
    .option('--dir <dir>', 'pilot folder', '.pilot')
    .option('--json', 'print the report as JSON')
    .action(async (o: { duration: number, seed?: number, permits: number, dir: string, json?: boolean }) => {
      const r = await wrap(async () => await runCampaign(readLayout(o.dir), {
        durationMs: o.duration * 1000, permitsPerRun: o.permits, ...(o.seed !== undefined ? { seed: o.seed } : {}),
        say: o.json === true ? () => {} : (line) => { io.out(`${line}\n`) }
      }))
      if (o.json === true) json(io, r)
      if (!r.ok) throw new CliError('CAMPAIGN_FAILED', `the campaign found a violation (seed ${r.seed})`, EXIT_INVALID, r.invariantFailures)
    })
}
