import { runAttack } from '../attack-kit.js'

runAttack('rogue-resign')
