import { runAttack } from '../attack-kit.js'

runAttack('keyinfo-swap-other-ma')
