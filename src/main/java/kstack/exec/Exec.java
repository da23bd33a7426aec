package kstack.exec;

import kstack.cpu.Cpu;
import kstack.cpu.RegisterSet;
import kstack.mem.AddressSpace;

/**
 * The context one step runs in: the CPU, its address space, and the routine being executed. Steps
 * change state only through here, so every change lands on the timeline.
 */
public final class Exec {
  private final ExecHost host;
  private final Cpu cpu;
  private final RegisterSet regs;
  private final int word;
  private Routine routine;
  private int index;
  private boolean branched;

  public Exec(ExecHost host, Cpu cpu) {
    this.host = host;
    this.cpu = cpu;
    this.regs = cpu.registers();
    this.word = host.abi().wordSize();
  }

  /** Executes step i of routine r: the engine's one entry point. */
  public void run(Routine r, int i) {
    routine = r;
    index = i;
    branched = false;
    r.op(i).exec(this);
    if (!branched) {
      cpu.advancePc(Routine.INSN_SIZE);
    }
  }

  boolean branched() {
    return branched;
  }

  public Cpu cpu() {
    return cpu;
  }

  public Routine routine() {
    return routine;
  }

  public ExecHost host() {
    return host;
  }

  public long pc() {
    return cpu.pc();
  }

  /** Address of the step after the current one: what a call leaves as its return address. */
  public long nextPc() {
    return cpu.pc() + Routine.INSN_SIZE;
  }

  // ---- registers -----------------------------------------------------------------------------

  /** A register by its number in the arch's register set, resolved when the step was built. */
  public long reg(int r) {
    return cpu.get(r);
  }

  public void set(int r, long v) {
    cpu.set(r, v);
  }

  public long sp() {
    return cpu.get(regs.sp);
  }

  public void setSp(long v) {
    cpu.set(regs.sp, v);
  }

  public long fp() {
    return cpu.get(regs.fp);
  }

  public void setFp(long v) {
    cpu.set(regs.fp, v);
  }

  public long arg(int i) {
    return cpu.get(regs.arg(i));
  }

  public void setArg(int i, long v) {
    cpu.set(regs.arg(i), v);
  }

  public long retval() {
    return cpu.get(regs.ret);
  }

  public void setRetval(long v) {
    cpu.set(regs.ret, v);
  }

  // ---- memory --------------------------------------------------------------------------------

  public AddressSpace space() {
    return host.space(cpu);
  }

  public long read(long addr) {
    return space().read(addr, word);
  }

  public long read(long addr, int size) {
    return space().read(addr, size);
  }

  public void write(long addr, long value) {
    space().write(addr, word, value);
  }

  public void write(long addr, int size, long value) {
    space().write(addr, size, value);
  }

  public void push(long value) {
    long sp = sp() - word;
    write(sp, value);
    setSp(sp);
  }

  public long pop() {
    long sp = sp();
    long v = read(sp);
    setSp(sp + word);
    return v;
  }

  public int word() {
    return word;
  }

  /** A word as C's {@code long} sees it: sign-extended from 32 bits on i386. */
  public long signed(long v) {
    return word == 8 ? v : (int) v;
  }

  // ---- frames --------------------------------------------------------------------------------

  /** The value of a parameter or local of the running routine: a read of its frame slot. */
  public long get(Local local) {
    return read(addr(local));
  }

  /** Stores into a parameter or local of the running routine. */
  public void set(Local local, long value) {
    write(addr(local), value);
  }

  /** The address of a parameter's or local's frame slot ({@code &local} in C). */
  public long addr(Local local) {
    return host.abi().localAddress(this, routine.slot(local));
  }

  // ---- control -------------------------------------------------------------------------------

  public long symbol(String name) {
    return host.symbol(name);
  }

  public void call(String symbol) {
    call(host.symbol(symbol));
  }

  public void call(long target) {
    host.abi().call(this, target);
    branched = true;
  }

  /** Continues at a label of the current routine. */
  public void jump(String label) {
    jumpTo(routine.address(routine.label(label)));
  }

  /** Continues at step {@code index} of the current routine (a label resolved when it was built). */
  void jumpToStep(int index) {
    jumpTo(routine.address(index));
  }

  public void jumpTo(long addr) {
    cpu.set(regs.pc, addr);
    branched = true;
  }

  /** Returns to the address popped from the stack (the arch's ret). */
  public void ret(long returnAddress) {
    jumpTo(returnAddress);
  }

  /** Leaves the program counter where it is: the CPU waits at this step. */
  public void stay() {
    branched = true;
  }
}
