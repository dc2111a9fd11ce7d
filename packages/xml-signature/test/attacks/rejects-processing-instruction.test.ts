import { runAttack } from '../attack-kit.js'

runAttack('processing-instruction')
