// Built into dist/, served by the node at / (relative asset paths, so any mount point works).
export default { base: './', build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, target: 'es2022' } }
