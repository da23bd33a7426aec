package kstack.kernel;

import java.util.Set;
import kstack.image.Linker;
import kstack.layout.CType;
import kstack.profile.Feature;

/**
 * INIT_TASK_DATA(THREAD_SIZE) from 2.6 on: init_thread_union and init_stack name its start. Only
 * from 4.x on does the generic macro also name the start and the end: 4.16 with
 * __start_init_task/__end_init_task (include/asm-generic/vmlinux.lds.h@4.16.13:277-285), 6.19 with
 * __start_init_stack/__end_init_stack (@6.19:425-432); 2.6.32's macro is just the aligned input
 * section (@2.6.32.67:190-192) and 2.6.11's linker script names neither. x86 6.19 also defines
 * __top_init_kernel_stack = __end_init_stack - TOP_OF_KERNEL_STACK_PADDING - PTREGS_SIZE
 * (arch/x86/kernel/vmlinux.lds.S@6.19:176-180); arm64's script has no such name.
 * TOP_OF_INIT_STACK, x86's macro for &init_stack + sizeof(init_stack) - TOP_OF_KERNEL_STACK_PADDING
 * (arch/x86/include/asm/processor.h@4.16.13:826-827, @6.19:643), is a profile constant on the
 * generations that define it. init_task (init/init_task.c) follows, a .data object of its own.
 *
 * @param start the label at the start, or null where the script names none
 * @param end the label at the end, or null where the script names none
 * @param topSymbol whether __top_init_kernel_stack is defined (x86 6.x)
 * @param topConstant whether TOP_OF_INIT_STACK is defined (x86 4.x on)
 * @param features the cited feature the names are (INIT_TASK_SYMBOLS, INIT_STACK_SYMBOLS), if any
 */
public record InitThreadUnion(String start, String end, boolean topSymbol, boolean topConstant,
    Set<Feature> features) implements InitStack {
  /** 2.6's script: the aligned section, no names of its own. */
  public static InitThreadUnion unnamed() {
    return new InitThreadUnion(null, null, false, false, Set.of());
  }

  /** 4.x's __start_init_task/__end_init_task; x86 adds TOP_OF_INIT_STACK. */
  public static InitThreadUnion initTaskNames(boolean x86) {
    return new InitThreadUnion("__start_init_task", "__end_init_task", false, x86,
        Set.of(Feature.INIT_TASK_SYMBOLS));
  }

  /** 6.x's __start_init_stack/__end_init_stack; x86 adds __top_init_kernel_stack. */
  public static InitThreadUnion initStackNames(boolean x86) {
    return new InitThreadUnion("__start_init_stack", "__end_init_stack", x86, x86,
        Set.of(Feature.INIT_STACK_SYMBOLS));
  }

  @Override
  public void link(Kernel k, Linker l) {
    l.align(k.threadSize);
    if (start != null) {
      l.label(start);
    }
    CType union = k.t.array(k.t.ulong, (int) (k.threadSize / k.t.word));
    long base = l.alias("init_thread_union", union, k.threadSize);
    l.alias("init_stack", union, k.threadSize);
    l.setDot(l.dot() + k.threadSize);
    long top = base + k.threadSize;
    if (end != null) {
      l.label(end);
    }
    long pad = k.image.constant("TOP_OF_KERNEL_STACK_PADDING");
    if (topSymbol) {
      l.absolute("__top_init_kernel_stack", top - pad - k.image.struct("pt_regs").size());
    }
    if (topConstant) {
      k.image.consts.put("TOP_OF_INIT_STACK", top - pad);
    }
    l.object("init_task", k.t.struct(k.image.struct("task_struct")), 64); // init/init_task.c
  }
}
