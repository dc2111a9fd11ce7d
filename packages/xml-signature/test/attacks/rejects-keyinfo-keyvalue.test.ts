import { runAttack } from '../attack-kit.js'

runAttack('keyinfo-keyvalue')
