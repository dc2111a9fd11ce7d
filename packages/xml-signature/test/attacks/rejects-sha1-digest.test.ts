import { runAttack } from '../attack-kit.js'

runAttack('sha1-digest')
