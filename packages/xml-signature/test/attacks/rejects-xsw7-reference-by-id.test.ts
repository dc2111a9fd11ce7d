import { runAttack } from '../attack-kit.js'

runAttack('xsw7-reference-by-id')
