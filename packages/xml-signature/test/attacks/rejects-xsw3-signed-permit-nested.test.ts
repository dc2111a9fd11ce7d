import { runAttack } from '../attack-kit.js'

runAttack('xsw3-signed-permit-nested')
