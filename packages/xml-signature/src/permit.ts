/**
 * Permit-level signing and verification: the CITES rules gate signing, and
 * verification reads the permit's values from the very DOM it verified.
 */
import {
  NS_CITES_V2, check, checkPermit, makeVerdict, parseIsoDate, passesRules, permitParty, validityInstants,
  readPermitElement, writePermitXml, type Check, type Permit, type RuleOptions, type Verdict, type XmlLimits
} from '@cites/permit'
import { signXml, type Signer } from './sign.js'
import { parseForVerification, verifySignedDocument, type TrustedCertificate } from './verify.js'
import { PermitRefusedError } from './errors.js'

/**
 * Sign a permit as `party`'s Management Authority. Refuses (with
 * {@link PermitRefusedError}) a permit whose rules fail or whose issuing
 * party (Box 6) is not `party`. The XML is written afresh from the model, so
 * comments and placeholders in an imported file never reach the signature.
 * A permit without an issue date gets the signing time (`now`).
 */
export async function signPermit (permit: Permit, signer: Signer, party: string, rules?: RuleOptions, now?: Date): Promise<string> {
  const problems: Array<{ code: string, message: string, box?: string, line?: string }> = checkPermit(permit, rules)
    .filter((p) => p.severity === 'error')
  const issuer = permitParty(permit)
  if (issuer !== party) {
    problems.push({ code: 'ISSUER_NOT_SIGNER', box: '6', message: `the permit's issuing party is ${issuer ?? '(none)'}, but this key signs for ${party}` })
  }
  if (problems.length > 0) throw new PermitRefusedError(`permit ${permit.number} refused: ${problems.map((p) => p.code).join(', ')}`, problems)
  // The issue time is what the certificate status is checked against, so a
  // permit without one is stamped with the signing time.
  const toSign = permit.issueDate === undefined ? { ...permit, issueDate: (now ?? new Date()).toISOString() } : permit
  return signXml(writePermitXml(toSign), signer)
}

/** Options for {@link verifySignedPermit}. */
export interface VerifyPermitOptions {
  /** The trusted certificates of a party, from the trust list; `undefined` for a party not on it. */
  certificatesFor: (party: string) => readonly TrustedCertificate[] | undefined
  /** Time for the validity check. @default now */
  now?: Date
  rules?: RuleOptions
  limits?: XmlLimits
}

/** A verdict on a signed permit, with what was read from it. */
export interface PermitVerdict extends Verdict {
  permit?: Permit
  party?: string
  signer?: { sha256: string, subject: string }
}

const notConsulted = (name: 'status' | 'use' | 'confirmation'): Check =>
  check(name, 'SKIPPED', 'LEDGER_NOT_CONSULTED', 'offline check: no ledger was consulted')

/**
 * Verify a signed eCITES v2 permit: integrity and issuer under the hardened
 * profile, the CITES rules, and the validity dates. Ledger checks (status,
 * use, confirmation) are SKIPPED here; the node adds them.
 */
export async function verifySignedPermit (input: string | Document, opts: VerifyPermitOptions): Promise<PermitVerdict> {
  const parsed = parseForVerification(input, opts.limits)
  if (!('doc' in parsed)) return makeVerdict([parsed.integrity, parsed.issuer])
  const { doc } = parsed
  let permit: Permit | undefined
  let readError: Error | undefined
  try {
    permit = readPermitElement(doc.documentElement)
  } catch (err) {
    readError = err as Error
  }
  const party = permit === undefined ? undefined : permitParty(permit)
  // The certificate must have been granted at the issue time (profile rule 5).
  const at = permit === undefined ? undefined : parseIsoDate(permit.issueDate ?? permit.validFrom)
  const sig = await verifySignedDocument(doc, {
    expectedRoot: { namespace: NS_CITES_V2, localName: 'CITESEPermit' },
    trusted: party === undefined ? undefined : opts.certificatesFor(party),
    at
  })
  const checks: Check[] = [sig.integrity, sig.issuer]
  if (permit === undefined) {
    checks.push(check('rules', 'INVALID', (readError as { code?: string } | undefined)?.code ?? 'PERMIT_UNREADABLE', readError?.message ?? 'the permit could not be read'))
  } else {
    const problems = checkPermit(permit, opts.rules)
    const rules: Check = passesRules(problems)
      ? check('rules', 'VALID', 'OK', problems.length === 0 ? 'the permit meets the CITES rules' : 'the permit meets the CITES rules (with warnings)')
      : check('rules', 'INVALID', problems.find((p) => p.severity === 'error')?.code ?? 'RULES', 'the permit breaks CITES rules')
    if (problems.length > 0) rules.details = problems.map(({ code, message, box, line }) => line === undefined ? { code, message, box } : { code, message, box, line })
    checks.push(rules)
    checks.push(validityCheck(permit, opts.now ?? new Date()))
  }
  checks.push(notConsulted('status'), notConsulted('use'), notConsulted('confirmation'))
  const v: PermitVerdict = makeVerdict(checks)
  if (permit !== undefined) v.permit = permit
  if (party !== undefined) v.party = party
  if (sig.signer !== undefined) v.signer = sig.signer
  return v
}

/** Is `now` inside Box 2? Expiry is derived from the dates, never recorded. */
export function validityCheck (permit: Permit, now: Date): Check {
  // By calendar day (permit-profile.md §3.3): a date-only Box 2 runs to the
  // end of its last day at UTC+14; the issuer's node signs explicit instants.
  const { from, until } = validityInstants(permit)
  if (from === undefined || until === undefined) return check('validity', 'INVALID', 'VALIDITY_MISSING', 'the permit has no usable validity dates')
  const t = now.getTime()
  if (t < from) return check('validity', 'INVALID', 'PERMIT_NOT_YET_VALID', `the permit is valid only from ${permit.validFrom}`)
  if (t > until) return check('validity', 'INVALID', 'PERMIT_EXPIRED', `the permit expired on ${permit.validUntil}`)
  return check('validity', 'VALID', 'OK', `in force until ${permit.validUntil}`)
}
