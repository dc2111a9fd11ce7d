import { runAttack } from '../attack-kit.js'

runAttack('two-roots')
