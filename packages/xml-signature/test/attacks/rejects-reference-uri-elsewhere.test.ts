import { runAttack } from '../attack-kit.js'

runAttack('reference-uri-elsewhere')
