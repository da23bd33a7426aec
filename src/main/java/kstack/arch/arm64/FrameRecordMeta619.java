package kstack.arch.arm64;

import java.util.Set;
import kstack.exec.RoutineBuilder;
import kstack.kernel.Kernel;
import kstack.profile.Feature;

/**
 * 6.19's frame_record_meta (asm/stacktrace/frame.h@6.19): kernel_entry stores {0, 0} and a type,
 * FINAL for EL0 entries and PT_REGS for EL1 ones (entry.S@6.19:197-333); start_thread marks the
 * user task's record FINAL; the unwinder crosses a PT_REGS record into regs->pc and regs->regs[29]
 * (stacktrace.c@6.19:165-245).
 */
public final class FrameRecordMeta619 implements FrameRecord {
  @Override
  public Set<Feature> features() {
    return Set.of(Feature.ARM64_FINAL_FRAME_RECORD);
  }

  @Override
  public void entryRecord(RoutineBuilder b, int el, int sf) {
    b.step("stp xzr, xzr, [sp, #S_STACKFRAME]; type = " + (el == 0 ? "FRAME_META_TYPE_FINAL"
        : "FRAME_META_TYPE_PT_REGS") + "; add x29, sp, #S_STACKFRAME", x -> {
          x.write(x.sp() + sf, 0);
          x.write(x.sp() + sf + 8, 0);
          x.write(x.sp() + sf + 16, el == 0 ? META_FINAL : META_PT_REGS);
          x.setFp(x.sp() + sf);
        });
  }

  @Override
  public String startThreadText() {
    return "; regs->stackframe.type = FRAME_META_TYPE_FINAL";
  }

  @Override
  public void startThreadRecord(Kernel k, long regs) {
    k.mem.write64(regs + Arm64Entry.stackframe(k) + 16, META_FINAL);
  }

  @Override
  public boolean crossesPtRegs(Kernel k, long fp) {
    return k.mem.read64(fp + 16) == META_PT_REGS;
  }
}
