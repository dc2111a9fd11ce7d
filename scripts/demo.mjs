#!/usr/bin/env node
// `npm start`: the offline walk-through, until the pilot network exists.
// keys -> trust list -> permit -> sign -> verify -> tamper -> refused.
// Every step runs the real `cites` CLI and checks its outcome; the script
// exits non-zero if anything behaves differently from what it narrates.
import { spawnSync } from 'node:child_process'
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const bin = join(root, 'apps', 'cli', 'bin', 'cites.js')
const work = join(root, '.demo')
rmSync(work, { recursive: true, force: true })
mkdirSync(work, { recursive: true })

const bold = (s) => process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s
let step = 0
let failures = 0

function cites (args, expectCode, { show = true } = {}) {
  console.log(`  $ cites ${args.map((a) => /\s/.test(a) ? JSON.stringify(a) : a).join(' ')}`)
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: work, encoding: 'utf8' })
  const out = (r.stdout + r.stderr).trimEnd()
  if (show && out !== '') console.log(out.split('\n').map((l) => `    ${l}`).join('\n'))
  if (r.status !== expectCode) {
    failures++
    console.log(`  !! expected exit ${expectCode}, got ${r.status}`)
  } else {
    console.log(`  -> exit ${r.status} (${expectCode === 0 ? 'ok' : expectCode === 1 ? 'refused, as it should be' : 'input error'})`)
  }
  return r
}

function title (s) {
  console.log(`\n${bold(`${++step}. ${s}`)}`)
}

console.log(bold('CITES e-permit exchange: offline walk-through'))
console.log(`(working in ${work})`)

title('The task-force anchor and two Management Authorities generate their keys')
cites(['keys', 'generate', '--anchor', '--out', 'anchor'], 0)
cites(['keys', 'generate', '--party', 'CH', '--out', 'keys/CH'], 0)
cites(['keys', 'generate', '--party', 'TH', '--out', 'keys/TH', '--algorithm', 'rsa-2048'], 0)
cites(['keys', 'generate', '--party', 'CH', '--out', 'keys/IMPOSTOR', '--name', 'Federal Food Safety and Veterinary Office'], 0, { show: false })

title('The anchor lists both MAs on a signed trust list')
cites(['trust-list', 'create', '--anchor', 'anchor', '--out', 'tl.xml'], 0)
cites(['trust-list', 'add', 'tl.xml', '--keys', 'keys/CH', '--name', 'Federal Food Safety and Veterinary Office', '--role', 'management-authority', '--addr', '/ip4/127.0.0.1/tcp/7001'], 0)
cites(['trust-list', 'add', 'tl.xml', '--keys', 'keys/TH', '--name', 'Department of National Parks, Wildlife and Plant Conservation', '--role', 'management-authority', '--addr', '/ip4/127.0.0.1/tcp/7002'], 0)
cites(['trust-list', 'sign', 'tl.xml', '--anchor', 'anchor'], 0)
cites(['trust-list', 'show', 'tl.xml', '--anchor', 'anchor/cert.pem'], 0)

title('CH writes an export permit for 50 ball pythons to Thailand')
cites(['permit', 'new', '--number', '26CH000042', '--party', 'CH', '--issuer-name', 'Federal Food Safety and Veterinary Office',
  '--exporter', 'Alpine Herpetoculture AG', '--exporter-country', 'CH', '--importer', 'Siam Reptile Park Co. Ltd', '--importer-country', 'TH',
  '--purpose', 'T', '--line', 'A:Python regius:II:C:LIV:50:PCS', '--security-stamp', 'CH-SS-0042', '--out', 'permit.json'], 0)
cites(['permit', 'import', 'permit.json'], 0)

title('CH signs it (XML-DSig, ECDSA P-256, eCITES Toolkit v2)')
cites(['permit', 'sign', '--key', 'keys/CH', 'permit.json', '--out', 'signed.xml'], 0)
cites(['permit', 'inspect', 'signed.xml'], 0)

title('Thai customs verify it against the trust list')
cites(['permit', 'verify', '--trust-list', 'tl.xml', '--anchor', 'anchor/cert.pem', 'signed.xml'], 0)

title('CH records it in its ledger; CH customs endorse the export (Box 14); TH uses it at import')
const L = ['--db', 'ledger-CH']
const T = ['--trust-list', 'tl.xml', '--anchor', 'anchor/cert.pem']
cites(['ledger', 'record', 'signed.xml', ...L, '--key', 'keys/CH', ...T], 0)
cites(['ledger', 'endorse', 'CH', '26CH000042', ...L, '--key', 'keys/CH', ...T, '--line', 'A:48:PCS', '--port', 'CHZRH', '--officer', 'Zurich export desk'], 0)
cites(['ledger', 'consume', 'CH', '26CH000042', ...L, '--key', 'keys/CH', ...T, '--line', 'A:48:PCS', '--port', 'THBKK', '--for', 'TH'], 0)

title('The same permit presented again is refused as already used, with the first receipt')
cites(['ledger', 'consume', 'CH', '26CH000042', ...L, '--key', 'keys/CH', ...T, '--line', 'A:48:PCS', '--port', 'CNSHA', '--for', 'CN'], 1)
cites(['ledger', 'show', 'CH', '26CH000042', ...L], 0)
cites(['ledger', 'verify-log', ...L, ...T], 0)
cites(['ledger', 'report', ...L, '--year', String(new Date().getUTCFullYear())], 0)

title('Someone changes the quantity from 50 to 500 on the way')
writeFileSync(join(work, 'tampered.xml'), readFileSync(join(work, 'signed.xml'), 'utf8').replace('unitCode="PCS">50<', 'unitCode="PCS">500<'))
cites(['permit', 'verify', '--trust-list', 'tl.xml', '--anchor', 'anchor/cert.pem', 'tampered.xml'], 1)

title('An impostor re-signs the altered permit with a look-alike certificate')
const altered = JSON.parse(readFileSync(join(work, 'permit.json'), 'utf8'))
altered.lines[0].quantity = 500
writeFileSync(join(work, 'altered.json'), JSON.stringify(altered, null, 2))
cites(['permit', 'sign', '--key', 'keys/IMPOSTOR', 'altered.json', '--out', 'impostor.xml'], 0, { show: false })
cites(['permit', 'verify', '--trust-list', 'tl.xml', '--anchor', 'anchor/cert.pem', 'impostor.xml'], 1)

title('An Appendix I export without the import permit is refused at signing (Art. III)')
cites(['permit', 'new', '--number', '26CH000043', '--party', 'CH', '--exporter-country', 'CH', '--importer-country', 'TH',
  '--line', 'A:Panthera tigris:I:C:LIV:2', '--out', 'tiger.json'], 1)
cites(['permit', 'sign', '--key', 'keys/CH', 'tiger.json'], 1)

title('A real EPIX sample (Toolkit v1, in its SOAP envelope) imports')
cites(['permit', 'import', join(root, 'protocol-spec', 'vectors', 'epix', 'v1-get-non-final-cites-certificate.xml')], 0)

console.log('')
if (failures > 0) {
  console.log(bold(`walk-through FAILED: ${failures} step(s) behaved unexpectedly`))
  process.exit(1)
}
console.log(bold('walk-through complete: genuine permit accepted and used once; reuse, tampered, impostor and rule-breaking permits refused.'))
console.log('The peer-to-peer pilot network (libp2p nodes, customs page) is built in later issues;')
console.log('until then this walk-through is what `npm start` runs. Files are in .demo/.')
