import { runAttack } from '../attack-kit.js'

runAttack('unknown-party')
