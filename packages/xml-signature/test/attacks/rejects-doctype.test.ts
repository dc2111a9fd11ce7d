import { runAttack } from '../attack-kit.js'

runAttack('doctype')
