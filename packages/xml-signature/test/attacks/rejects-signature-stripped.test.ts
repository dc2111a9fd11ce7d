import { runAttack } from '../attack-kit.js'

runAttack('signature-stripped')
