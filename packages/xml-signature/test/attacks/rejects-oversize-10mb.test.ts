import { runAttack } from '../attack-kit.js'

runAttack('oversize-10mb')
