import { runAttack } from '../attack-kit.js'

runAttack('permit-in-object')
