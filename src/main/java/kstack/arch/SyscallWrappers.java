package kstack.arch;

import java.util.function.IntFunction;
import java.util.function.IntUnaryOperator;
import kstack.exec.Local;
import kstack.exec.RoutineBuilder;
import kstack.kernel.Kernel;

/**
 * The two shapes a system call's table entry takes. Without pt_regs wrappers (4.16 on x86_64 and
 * arm64) SYSCALL_DEFINEx defines {@code SyS_NAME} with {@code sys_NAME} as an alias and takes the
 * arguments in registers (include/linux/syscalls.h@4.16.13:192-219). With them (6.19) the entry is
 * {@code PREFIX_sys_NAME(const struct pt_regs *regs)}, whose folded-in {@code __se_sys_NAME} reads
 * each argument from the saved user registers (arch/x86/include/asm/syscall_wrapper.h@6.19,
 * arch/arm64/include/asm/syscall_wrapper.h@6.19).
 */
public final class SyscallWrappers {
  enum L implements Local { regs }

  private SyscallWrappers() {}

  /** The table entry's symbol: {@code PREFIX_sys_NAME} with wrappers, else sys_/SyS_NAME. */
  public static String symbol(String prefix, boolean wrapped, String name, int nargs) {
    if (wrapped) {
      return prefix + "_sys_" + name;
    }
    return nargs == 0 ? "sys_" + name : "SyS_" + name;
  }

  /**
   * @param sym         the table entry's symbol
   * @param wrapped     whether the profile has pt_regs wrappers
   * @param argField    the pt_regs member holding argument i, as the wrapper names it
   * @param argOffset   that member's offset in pt_regs
   */
  public static RoutineBuilder routine(Kernel k, String sym, boolean wrapped, String name,
      String source, Local[] params, IntFunction<String> argField, IntUnaryOperator argOffset) {
    if (!wrapped) {
      RoutineBuilder b = k.image.c(sym, source).params(params);
      if (params.length > 0) {
        k.image.alias("sys_" + name, sym);
      }
      return b;
    }
    RoutineBuilder b = k.image.c(sym, source + " via SYSCALL_DEFINE (syscall_wrapper.h)").params(L.regs)
        .locals(params);
    if (params.length > 0) {
      StringBuilder t = new StringBuilder("__se_sys_" + name + "(");
      for (int i = 0; i < params.length; i++) {
        t.append(i == 0 ? "" : ", ").append("regs->").append(argField.apply(i));
      }
      b.step(t + ") [folded in]: the arguments from pt_regs", x -> {
        long r = x.get(L.regs);
        for (int i = 0; i < params.length; i++) {
          x.set(params[i], x.read(r + argOffset.applyAsInt(i)));
        }
      });
    }
    return b;
  }
}
