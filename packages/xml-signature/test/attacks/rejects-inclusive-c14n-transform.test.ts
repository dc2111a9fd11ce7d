import { runAttack } from '../attack-kit.js'

runAttack('inclusive-c14n-transform')
