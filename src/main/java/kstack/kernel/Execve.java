package kstack.kernel;

import java.nio.charset.StandardCharsets;
import kstack.exec.Exec;
import kstack.exec.Local;
import kstack.mem.Memory;
import kstack.mem.Region;

/**
 * What every generation's exec path shares (fs/exec.c, fs/binfmt_elf.c). Every path names the
 * simulator's one user binary, kstack-box, which like busybox picks its behaviour from argv[0]; the
 * new image gets a fresh mm with text at 0x400000, a data page and a stack below STACK_TOP. Each
 * generation's chain is its {@link ExecPath} module.
 */
final class Execve {
  enum L implements Local { bprm }

  private Execve() {}

  static final String SRC = "fs/exec.c";
  static final long TEXT = 0x400000L;
  static final long DATA = 0x600000L;
  static final long STACK_SIZE = 132 * 1024;

  /** Builds the profile's exec path (its {@link ExecPath} module). */
  static void build(Kernel k) {
    k.profile.module(ExecPath.class).build(k);
  }

  static long newBprm(Kernel k, long filename) {
    long bprm = k.pages.kmalloc(256, "struct linux_binprm");
    k.mem.write(bprm, k.t.word, filename);
    return bprm;
  }

  static void comm(Kernel k, Exec x) {
    k.tasks.setComm(k.current(x), basename(k.mem.readCString(x.read(x.get(L.bprm)), 256)));
  }

  static String basename(String path) {
    int i = path.lastIndexOf('/');
    return i < 0 ? path : path.substring(i + 1);
  }

  static long getname(Kernel k, Exec x, long user) {
    byte[] name = new byte[256];
    int n = 0;
    for (; n < 255; n++) {
      byte b = (byte) x.read(user + n, 1);
      if (b == 0) {
        break;
      }
      name[n] = b;
    }
    long f = k.pages.kmalloc(256, "struct filename");
    k.mem.writeBytes(f, java.util.Arrays.copyOf(name, n + 1));
    return f;
  }

  /**
   * exec_mmap: a new mm_struct and user address space, loaded into CR3 at once. clearsKthread:
   * the exec drops PF_KTHREAD (2.6.27+; 2.4 has no such flag).
   */
  static void newMm(Kernel k, Exec x, boolean clearsKthread) {
    long cur = k.current(x);
    long mm = k.pages.kmalloc(k.image.struct("mm_struct").size(), "mm_struct");
    long top = k.image.constant("STACK_TOP");
    k.writePtr(mm + k.mm.off(MmMember.pgd), mm);
    k.mem.write(mm + k.mm.off(MmMember.mm_users), 4, 1);
    k.writePtr(mm + k.mm.off(MmMember.task_size), k.image.constant("TASK_SIZE_MAX"));
    k.writePtr(mm + k.mm.off(MmMember.start_stack), top);
    Memory m = k.mm.newUserSpace(mm, "mm of " + k.tasks.comm(cur));
    long textSize = k.image.userTextEnd() - TEXT;
    m.map(new Region("kstack-box .text", TEXT, (textSize + 4095) & -4096L, Region.Kind.USER));
    m.map(new Region("kstack-box .data", DATA, 4096, Region.Kind.USER));
    m.map(new Region("[stack]", top - STACK_SIZE, STACK_SIZE, Region.Kind.USER));
    k.tasks.taskWrite(cur, TaskMember.mm, mm);
    k.tasks.taskWrite(cur, TaskMember.active_mm, mm);
    if (clearsKthread) {
      k.tasks.taskWrite(cur, TaskMember.flags, k.tasks.taskRead(cur, TaskMember.flags) & ~Kernel.PF_KTHREAD);
    }
    x.set(k.mmRegister, PageTableRoot.of(k, mm)); // switch_mm: __pa(mm->pgd)
    Files.closeOnExec(k, cur);
  }

  /** Lays out argc/argv/envp/auxv as create_elf_tables does; returns the new stack pointer. */
  static long elfTables(Kernel k, Exec x, String path) {
    long top = k.image.constant("STACK_TOP");
    byte[] s = (path + "\0").getBytes(StandardCharsets.US_ASCII);
    long str = (top - 16 - s.length) & -16L;
    x.space().writeBytes(str, s);
    int w = x.word();
    long sp = (str - 6L * w) & -16L;
    long[] words = {1, str, 0, 0, 0, 0}; // argc, argv[0], argv[1] = NULL, envp[0] = NULL, AT_NULL
    for (int i = 0; i < words.length; i++) {
      x.write(sp + (long) i * w, words[i]);
    }
    return sp;
  }
}
