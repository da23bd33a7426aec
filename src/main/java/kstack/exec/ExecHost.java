package kstack.exec;

import kstack.cpu.Cpu;
import kstack.mem.AddressSpace;

/** What a step may reach of the machine it runs on. */
public interface ExecHost {
  /** The address space CPU cpu sees now (kernel half plus the mm its CR3 selects). */
  AddressSpace space(Cpu cpu);

  Abi abi();

  /** The address of a symbol; fails loudly for a name the image does not define. */
  long symbol(String name);

  /** The routine that holds an address, or null (a call site asks how its callee takes arguments). */
  Routine routineAt(long pc);
}
