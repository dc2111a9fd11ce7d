import { runAttack } from '../attack-kit.js'

runAttack('other-ma-resign')
