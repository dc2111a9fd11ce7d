import { permitFromJsonText } from './json.js'
import { readPermitXml } from './read.js'
import type { Permit } from './model.js'
import type { XmlLimits } from './xml.js'

/** A permit imported from a file, with what it was read from. */
export interface ImportedPermit {
  permit: Permit
  format: 'ecites-v1' | 'ecites-v2' | 'json'
}

/**
 * Import a permit from text: JSON form when it starts with `{`, eCITES XML
 * otherwise. Throws a coded {@link PermitInputError} when it cannot be read.
 */
export function importPermit (text: string, limits?: XmlLimits): ImportedPermit {
  const head = text.replace(/^\uFEFF/, '').trimStart()
  if (head.startsWith('{')) return { permit: permitFromJsonText(head), format: 'json' }
  const r = readPermitXml(head, limits)
  return { permit: r.permit, format: r.version === 1 ? 'ecites-v1' : 'ecites-v2' }
}
