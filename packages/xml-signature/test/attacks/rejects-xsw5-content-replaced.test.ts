import { runAttack } from '../attack-kit.js'

runAttack('xsw5-content-replaced')
