import { runAttack } from '../attack-kit.js'

runAttack('c14n-with-comments')
