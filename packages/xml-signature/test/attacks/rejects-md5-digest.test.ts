import { runAttack } from '../attack-kit.js'

runAttack('md5-digest')
