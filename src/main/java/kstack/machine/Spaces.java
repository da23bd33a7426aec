package kstack.machine;

import kstack.kernel.Arch;
import kstack.cpu.Cpu;
import kstack.kernel.Kernel;
import kstack.mem.AddressSpace;
import kstack.mem.Memory;

/**
 * Each CPU's address space: the shared kernel memory and the user memory its page-table root
 * register (x86 CR3, arm64 TTBR0_EL1) names now, cached per CPU while the root and its store stay
 * the same.
 */
final class Spaces {
  private final Kernel kernel;
  private final Memory kmem;
  private final Arch arch;
  private final long[] cr3;
  private final long[] version;
  private final AddressSpace[] cache;
  private final int mmRegister;

  Spaces(Kernel kernel, Memory kmem, Arch arch, int ncpu) {
    this.kernel = kernel;
    this.kmem = kmem;
    this.arch = arch;
    this.cr3 = new long[ncpu];
    this.version = new long[ncpu];
    this.mmRegister = arch.registers().of(arch.mmRegister());
    this.cache = new AddressSpace[ncpu];
  }

  AddressSpace of(Cpu cpu) {
    int c = cpu.id();
    long root = cpu.get(mmRegister);
    AddressSpace s = cache[c];
    long v = kernel.mm.version();
    if (s != null && cr3[c] == root && version[c] == v) {
      return s;
    }
    version[c] = v;
    Memory user = kernel.mm.userSpaceOfRoot(root);
    // the same root can name another store after a reverse step and a replayed exec: compare the
    // store itself, or the replay would write into the undone exec's memory
    if (s == null || cr3[c] != root || s.user() != user) {
      s = new AddressSpace(kmem, user, arch.userTop());
      cache[c] = s;
      cr3[c] = root;
    }
    return s;
  }
}
