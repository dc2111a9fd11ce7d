import { runAttack } from '../attack-kit.js'

runAttack('hmac-public-key')
