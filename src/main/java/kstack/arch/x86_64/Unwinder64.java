package kstack.arch.x86_64;

import kstack.kernel.Kernel;
import kstack.profile.Module;

/**
 * How a generation's frames are walked: where a switched-out task's frames start (switch_to's
 * [rbp][rflags] and thread_return, or the inactive_task_frame), which entries end the kernel part,
 * and how an interrupted context is found (return addresses of the entries, or encoded frame
 * pointers). X86Unwind holds the walk every generation shares.
 */
public interface Unwinder64 extends Module {
  /** An unwinder over k's memory with this generation's rules. */
  X86Unwind unwinder(Kernel k, X86_64 arch);
}
