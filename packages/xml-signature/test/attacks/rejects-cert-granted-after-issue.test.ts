import { runAttack } from '../attack-kit.js'

runAttack('cert-granted-after-issue')
