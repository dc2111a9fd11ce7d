/**
 * @cites/test-network: the task force's pilot network on one machine. Bring
 * up N authorities (each node its own process), run the pilot scenarios,
 * inject faults, and check the network's invariants.
 *
 * @packageDocumentation
 */
export { pilotUp, pilotDown, pilotStatus, generatePilot, readLayout, partiesFor, startNodeProcess, stopNodeProcess, waitForMesh, nodePid, DEFAULT_PARTIES } from './pilot.js'
export type { PilotLayout, PilotNode, PilotUpOptions, PilotUpResult, NodeReport } from './pilot.js'
export { defaultScenario, partitionScenario, pilotPermit, SCENARIOS } from './scenario.js'
export type { ScenarioResult, StepResult } from './scenario.js'
export { killNode, restartNode, partitionNode, healAll, slowLink } from './faults.js'
export { checkInvariants } from './invariants.js'
export { runCampaign } from './campaign.js'
export type { CampaignOptions, CampaignReport } from './campaign.js'
export type { InvariantReport } from './invariants.js'
export { NodeClient } from './client.js'
export { PilotError } from './errors.js'
export { netnsAvailable, planFor } from './netns.js'
export type { NetnsPlan } from './netns.js'
