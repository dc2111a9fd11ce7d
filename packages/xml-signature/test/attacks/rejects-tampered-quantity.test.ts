import { runAttack } from '../attack-kit.js'

runAttack('tampered-quantity')
