import { runAttack } from '../attack-kit.js'

runAttack('duplicate-ids')
