import { runAttack } from '../attack-kit.js'

runAttack('cert-withdrawn-before-issue')
