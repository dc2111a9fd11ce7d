import { runAttack } from '../attack-kit.js'

runAttack('extra-permit-beside')
