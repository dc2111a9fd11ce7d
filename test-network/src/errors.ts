/** Errors of the pilot network tools, one class per failure kind, with stable codes. */
export class PilotError extends Error {
  static override name = 'PilotError'
  override name = 'PilotError'
  readonly code: string
  constructor (code: string, message: string) {
    super(message)
    this.code = code
  }
}
