/* het_abi.c — adapters for libc interfaces whose ABI differs between
   ISAs (struct stat, epoll_event, va_list consumers, open flags). Placeholder:
   compiled per ISA into <sysroot>/<isa>/lib/libhet_abi.a by scripts/setup.sh. */
