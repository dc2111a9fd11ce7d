import { runAttack } from '../attack-kit.js'

runAttack('xsw4-signed-permit-in-line')
