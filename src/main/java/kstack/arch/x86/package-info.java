/**
 * What i386 and x86_64 share: the C code of arch/x86/kernel and arch/x86/entry/common.c that is the
 * same for 32 and 64 bit since the 2.6.24 merge of arch/i386 and arch/x86_64 into arch/x86 (do_IRQ,
 * the local APIC timer, the idle loop, do_debug and do_machine_check, start_secondary's middle,
 * prepare_exit_to_usermode). Both {@code kstack.arch.i386} and {@code kstack.arch.x86_64} build on
 * it; it depends on neither.
 */
package kstack.arch.x86;
