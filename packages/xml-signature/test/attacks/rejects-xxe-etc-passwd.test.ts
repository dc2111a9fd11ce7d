import { runAttack } from '../attack-kit.js'

runAttack('xxe-etc-passwd')
