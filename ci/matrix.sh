# The CI matrix, sourced by scripts/test-all.sh: one entry per arch naming
# the make targets that arch runs after the host tests. Adding an arch or a
# per-arch test step is one line here.
MATRIX_ARCHES="riscv64 x86_64"
MATRIX_riscv64="selftest image-check selftest-fat32d-first selftest-64m selftest-uboot fault-test shell-test shell-image-check init-test gui-test http-test telnet-test net-test net-hostile ipc-test campaign-sysfuzz campaign-exhaust campaign-diskfull campaign-corrupt campaign-kills campaign-soak bench-smoke"
MATRIX_x86_64="selftest image-check selftest-fat32d-first selftest-64m fault-test shell-test shell-image-check init-test gui-test http-test telnet-test net-test net-hostile ipc-test campaign-sysfuzz campaign-exhaust campaign-diskfull campaign-corrupt campaign-kills campaign-soak bench-smoke"
