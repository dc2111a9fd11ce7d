import { runAttack } from '../attack-kit.js'

runAttack('xsw6-original-in-keyinfo')
