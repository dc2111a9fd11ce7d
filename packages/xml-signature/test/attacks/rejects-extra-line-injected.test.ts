import { runAttack } from '../attack-kit.js'

runAttack('extra-line-injected')
