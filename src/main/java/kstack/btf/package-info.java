/**
 * A reader of BTF, the kernel's compact type format (Documentation/bpf/btf.rst and
 * include/uapi/linux/btf.h@6.18): the header, the string section and the type section with every
 * kind, in either byte order, and split BTF (a module's types on top of vmlinux's). It depends on
 * nothing else of kstack: the checks and the layouts built from it live above.
 */
package kstack.btf;
