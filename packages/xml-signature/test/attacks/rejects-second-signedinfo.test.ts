import { runAttack } from '../attack-kit.js'

runAttack('second-signedinfo')
