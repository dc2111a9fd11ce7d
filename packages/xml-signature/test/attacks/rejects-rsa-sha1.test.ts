import { runAttack } from '../attack-kit.js'

runAttack('rsa-sha1')
