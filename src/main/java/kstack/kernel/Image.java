package kstack.kernel;

import java.util.List;
import kstack.exec.CodeMap;
import kstack.exec.Routine;
import kstack.image.Linker;
import kstack.image.Symbol;
import kstack.layout.LayoutSource;
import kstack.layout.Types;
import kstack.mem.Region;

/**
 * The linker script: lays out the kernel image (arch/x86/kernel/vmlinux.lds.S order: .text, then
 * .data starting with INIT_TASK_DATA(THREAD_SIZE)), the per-CPU section, the demo module at
 * MODULES_VADDR, and the user binary at 0x400000; then allocates each CPU's per-CPU area.
 */
public final class Image {
  private Image() {}

  /** Places everything; returns the per-CPU offset of each CPU. */
  public static long[] link(Kernel k, CodeMap code) {
    Linker l = new Linker(k.mem, k.symbols);
    l.section(".text", k.image.constant("__START_KERNEL"), Region.Kind.KERNEL_TEXT);
    l.label("_text");
    for (Routine r : k.image.routines()) {
      if (r.kind() != Routine.Kind.USER && !r.name().startsWith("kstack_demo")) {
        l.place(r);
        code.add(r);
      }
    }
    l.label("_etext");
    long dataStart = (l.dot() + (2 << 20) - 1) & -(2L << 20);
    l.section(".data", dataStart, Region.Kind.KERNEL_DATA);
    l.label("_sdata");
    k.profile.module(InitStack.class).link(k, l); // INIT_TASK_DATA(THREAD_SIZE)
    Types t = k.t;
    l.object("init_mm", t.struct(k.image.struct("mm_struct")), 64);
    k.profile.module(KthreadModel.class).linkData(k, l);
    if (k.tasks.model().defaultExecDomain()) {
      // struct exec_domain (include/linux/personality.h): twelve pointer-sized members, not
      // modelled one by one; 2.6's INIT_THREAD_INFO and 2.4's INIT_TASK point at it
      l.object("default_exec_domain", t.array(t.ulong, 12), t.word);
    }
    l.object("__cpu_online_mask", t.ulong, t.word);
    l.object("init_filename", t.array(t.charT, 16), 8);
    k.arch.linkData(k, l);
    perCpuTemplate(k, l);
    l.label("_edata");
    l.section("module kstack_demo", k.image.constant("MODULES_VADDR"), Region.Kind.KERNEL_TEXT);
    for (Routine r : k.image.routines()) {
      if (r.name().startsWith("kstack_demo")) {
        l.place(r);
        code.add(r);
      }
    }
    l.object("kstack_demo_name", t.array(t.charT, 16), 8);
    l.endSection();
    for (var a : k.image.aliases().entrySet()) {
      Symbol target = k.symbols.get(a.getValue());
      k.symbols.add(new Symbol(a.getKey(), target.address(), 0, Symbol.Kind.LABEL, null));
    }
    linkUser(k, code);
    Linker.resolveCalls(code, k.symbols);
    return perCpuAreas(k);
  }

  private static void perCpuTemplate(Kernel k, Linker l) {
    List<PerCpuVar> vars = k.arch.perCpuVars(k);
    boolean zero = k.arch.perCpuZeroBased(k.profile);
    long start = 0;
    if (!zero) {
      l.align(4096);
      l.label("__per_cpu_start");
      start = l.dot();
    }
    long end = start + k.layouts.perCpuSize();
    long dot = end; // what the kernel's section does not place goes after it (the model: all)
    for (PerCpuVar v : vars) {
      LayoutSource.PerCpu at = k.layouts.perCpu(v.name());
      if (at != null && at.size() != v.type().size()) {
        throw new LayoutSource.Refused("per-CPU variable " + v.name() + " is " + at.size()
            + " bytes in the kernel, " + v.type().size() + " in the model");
      }
      long addr = at != null ? start + at.offset() : (dot + v.align() - 1) & -(long) v.align();
      k.symbols.add(new Symbol(v.name(), addr, v.type().size(), Symbol.Kind.PERCPU, v.type()));
      if (at == null) {
        dot = addr + v.type().size();
      }
      end = Math.max(end, addr + v.type().size());
    }
    dot = Math.max(dot, end);
    dot = (dot + 4095) & -4096L;
    k.image.perCpuTemplate(start, dot - start);
    if (!zero) {
      l.setDot(dot);
      l.label("__per_cpu_end");
    }
  }

  private static long[] perCpuAreas(Kernel k) {
    long[] offsets = new long[k.cpus];
    if (k.image.perCpuTemplateSize() == 0) {
      return offsets; // no per-CPU variables (2.4 keeps NR_CPUS arrays instead)
    }
    for (int c = 0; c < k.cpus; c++) {
      long area = k.pages.allocPages(k.image.perCpuTemplateSize(), "per-CPU area of CPU " + c);
      k.mem.unmap(k.mem.regionAt(area));
      k.mem.map(new Region("per-CPU area of CPU " + c, area, k.image.perCpuTemplateSize(),
          Region.Kind.PERCPU));
      offsets[c] = area - k.image.perCpuTemplateStart();
    }
    return offsets;
  }

  private static void linkUser(Kernel k, CodeMap code) {
    Linker u = new Linker(new kstack.mem.Memory(-1, "user image (addresses only)"), k.symbols);
    u.section("kstack-box .text", Execve.TEXT, Region.Kind.USER);
    for (Routine r : k.image.routines()) {
      if (r.kind() == Routine.Kind.USER) {
        u.place(r);
        code.add(r);
      }
    }
    k.image.setUserTextEnd(u.dot());
    u.endSection();
  }
}
