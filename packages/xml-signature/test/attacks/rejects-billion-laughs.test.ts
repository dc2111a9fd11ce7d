import { runAttack } from '../attack-kit.js'

runAttack('billion-laughs')
