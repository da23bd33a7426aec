/**
 * A gdb stub: gdb's Remote Serial Protocol (gdb/doc/gdb.texinfo, "Remote Protocol") served on a
 * local TCP port over one {@link kstack.machine.Machine}, so that a user's own gdb attaches with
 * {@code target remote}. It sits beside {@code kstack.cli}, above {@code kstack.lang} (whose command
 * language answers gdb's {@code monitor}) and {@code kstack.machine} (registers, memory, stepping and
 * time travel through the machine's public API).
 */
package kstack.gdb;
