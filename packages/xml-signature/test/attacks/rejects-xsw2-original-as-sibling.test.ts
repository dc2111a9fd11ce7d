import { runAttack } from '../attack-kit.js'

runAttack('xsw2-original-as-sibling')
