package kstack.arch.x86_64;

import java.util.Set;
import kstack.kernel.Kernel;
import kstack.profile.Feature;

/**
 * The frames of the generations with __switch_to_asm (4.16, 6.19): the inactive_task_frame at
 * thread.sp and unwind_frame.c's rules (is_last_task_frame, encoded frame pointers).
 */
public final class InactiveTaskFrameUnwinder implements Unwinder64 {
  @Override
  public Set<Feature> features() {
    return Set.of();
  }

  @Override
  public X86Unwind unwinder(Kernel k, X86_64 arch) {
    return new UnwindInactiveTaskFrame(k, arch);
  }
}
