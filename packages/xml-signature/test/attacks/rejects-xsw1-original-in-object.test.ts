import { runAttack } from '../attack-kit.js'

runAttack('xsw1-original-in-object')
