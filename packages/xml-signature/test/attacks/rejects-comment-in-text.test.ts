import { runAttack } from '../attack-kit.js'

runAttack('comment-in-text')
