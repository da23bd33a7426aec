package kstack.arch.x86_64;

import java.util.List;
import kstack.exec.Insn;

/**
 * The SysV x86_64 calling convention with frame pointers (CONFIG_FRAME_POINTER for the kernel, and
 * -fno-omit-frame-pointer for the simulator's user program): call pushes the return address, the
 * prologue pushes rbp and points rbp at it, locals live below rbp.
 */
final class X86Abi extends kstack.exec.PushedReturnAbi {
  X86Abi() {
    super(8);
  }

  @Override
  public List<Insn> prologue(int params, int localSlots) {
    Insn push = new Insn("push %rbp", x -> x.push(x.fp()));
    Insn mov = new Insn("mov %rsp, %rbp", x -> x.setFp(x.sp()));
    if (localSlots == 0) {
      return List.of(push, mov);
    }
    int bytes = (localSlots * 8 + 15) & -16;
    String spill = params == 0 ? "" : "; spill the " + params + " register argument(s) to the frame";
    Insn sub = new Insn("sub $" + bytes + ", %rsp" + spill, x -> {
      x.setSp(x.sp() - bytes);
      int n = Math.min(params, x.cpu().registers().argCount());
      for (int i = 0; i < n; i++) {
        x.write(x.fp() - 8L * (i + 1), x.arg(i));
      }
    });
    return List.of(push, mov, sub);
  }
}
