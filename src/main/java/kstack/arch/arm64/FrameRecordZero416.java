package kstack.arch.arm64;

import java.util.Set;
import kstack.exec.RoutineBuilder;
import kstack.kernel.Kernel;
import kstack.profile.Feature;

/**
 * 4.16's pt_regs->stackframe[2]: kernel_entry 0 stores {0, 0}, which ends a user task's chain;
 * kernel_entry 1 stores the interrupted {fp, pc}, so the walk runs on into the interrupted code
 * (entry.S@4.16.13:140-240; stacktrace.c@4.16.13:43-87). Every {0, 0} record ends the walk.
 */
public final class FrameRecordZero416 implements FrameRecord {
  @Override
  public Set<Feature> features() {
    return Set.of();
  }

  @Override
  public void entryRecord(RoutineBuilder b, int el, int sf) {
    b.step(el == 0 ? "stp xzr, xzr, [sp, #S_STACKFRAME]; add x29, sp, #S_STACKFRAME"
        : "stp x29, x22, [sp, #S_STACKFRAME] (the interrupted fp and pc); add x29, sp, "
            + "#S_STACKFRAME", x -> {
              x.write(x.sp() + sf, el == 0 ? 0 : x.fp());
              x.write(x.sp() + sf + 8, el == 0 ? 0 : x.reg(Regs.x22));
              x.setFp(x.sp() + sf);
            });
  }

  @Override
  public String startThreadText() {
    return "";
  }

  @Override
  public boolean crossesPtRegs(Kernel k, long fp) {
    return false;
  }
}
