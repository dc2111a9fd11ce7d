// Load generator for bench/http.mjs, in its own process so that it does not
// share the server's event loop: autocannon against one URL for a bounded
// time, cycling request bodies. Input: JSON in argv[2]; output: one JSON line.
import autocannon from 'autocannon'

const o = JSON.parse(process.argv[2])
const bodies = o.bodies ?? [undefined]
let i = 0
const r = await autocannon({
  url: o.url,
  connections: o.connections ?? 8,
  duration: o.duration ?? 5,
  requests: [{
    method: o.method ?? 'GET',
    headers: o.headers ?? {},
    setupRequest: (req) => ({ ...req, body: bodies[i++ % bodies.length] })
  }]
})
process.stdout.write(JSON.stringify({
  requests: r.requests.total, rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, non2xx: r.non2xx, errors: r.errors, timeouts: r.timeouts
}) + '\n')
