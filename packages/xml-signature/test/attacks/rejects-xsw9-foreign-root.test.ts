import { runAttack } from '../attack-kit.js'

runAttack('xsw9-foreign-root')
