import { runAttack } from '../attack-kit.js'

runAttack('nesting-10000')
