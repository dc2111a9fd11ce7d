import { runAttack } from '../attack-kit.js'

runAttack('xsw8-reference-by-id-in-object')
